"""`hufu bench dashboard [--leads N] [--postgres-url URL] [--json]`: the national dashboard with N leads.

Fills a national database (SQLite in a temporary directory, and the PostgreSQL database given
with --postgres-url) with N leads (default 1,000,000) spread over a year, 31 provinces, the four
types, five sources and 45 industries; the SQL triggers keep the count cube as the leads go in,
and the cube is folded as the worker would. Then it times, repeated (median, min, max):

- `GET /dashboard` (the whole page: filters, totals, tables and the charts' JSON) and
  `GET /api/dashboard`, through the Flask app with a signed-in client, over the default 90 days
  and over a whole year by week — what an officer waits for;
- the baseline a competent engineer would write without a cube: the same figures (per province,
  type, source, industry and day) by GROUP BY over the leads of the period, helped by a covering
  index on (detected, region, type, source, industry) made for it — charged only for its queries;
- the same over 90 days filtered to one industry (the dashboard then reads the full cube for the map).

Each row gives the wall clock (median, min, max) and the CPU time per run (mean) of this process plus, on
PostgreSQL, of the server backends serving the bench's database: on a shared machine the wall clock is
mostly the wait for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

TYPES = ("trademark", "counterfeit_patent", "design", "invention")
SOURCES = (("ecommerce", 70), ("exhibition", 8), ("customs", 10), ("complaint", 7), ("holder_request", 5))
CHUNK = 20_000
_OPEN: list[Any] = []


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options."""
    parser.add_argument("--leads", type=int, default=1_000_000, help="leads in the database (default 1,000,000)")
    parser.add_argument("--days", type=int, default=365, help="days the leads are spread over (default 365)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each request (default 7)")
    parser.add_argument("--postgres-url", default=None,
                        help="also run on this (empty) PostgreSQL database, e.g. postgresql+psycopg://u:p@host/db")
    parser.add_argument("--skip-sqlite", action="store_true",
                        help="measure only the PostgreSQL database of --postgres-url (run SQLite separately)")
    parser.add_argument("--seed", type=int, default=13, help="random seed of the generated leads (default 13)")
    parser.add_argument("--json", action="store_true", help="print one JSON line with every figure last")


def fill(url: str, n: int, days: int, seed: int, today: dt.date) -> dict[str, float]:
    """Migrate, insert `n` leads (the triggers write the cube's deltas), fold the cube; seconds of each step."""
    from national.models import NationalLead
    from national.node import MIGRATIONS
    from national.reports.models import CUBE
    from regional.reports.cube import fold_all
    from sync.db import Database
    from sync.migrate import run_migrations
    from sync.regions import PROVINCES

    run_migrations(url, MIGRATIONS)
    db = Database(url)
    rng = random.Random(seed)
    regions = sorted(PROVINCES)
    weights = [1 + (i * 7) % 11 for i in range(len(regions))]
    sources, source_weights = zip(*SOURCES, strict=True)
    end = dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC)  # midnight, Beijing time, after today
    received = end
    table = NationalLead.__table__
    started = time.perf_counter()
    done = 0
    while done < n:
        rows = []
        for _ in range(min(CHUNK, n - done)):
            detected = end - dt.timedelta(seconds=rng.uniform(0, days * 86400))
            rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                         "region": rng.choices(regions, weights)[0], "listing_id": f"L{done}",
                         "right_number": f"TM-{rng.randint(1, 5000):07d}", "type": rng.choice(TYPES),
                         "score": 0.9, "reasons": [], "model_version": "bench", "received_at": received,
                         "detected_at": detected.isoformat(), "detected": detected,
                         "source": rng.choices(sources, source_weights)[0], "origin": "monitoring",
                         "industry": rng.randint(1, 45)})
            done += 1
        with db.transaction() as session:
            session.execute(sa.insert(table), rows)
        if done % 200_000 == 0 or done == n:
            _log(f"  {done:,} leads inserted ({time.perf_counter() - started:.0f} s)")
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    fold_all(db, CUBE)
    folded = time.perf_counter() - started
    db.dispose()
    return {"insert_s": round(inserted, 1), "fold_s": round(folded, 1)}


def _client(url: str, root: Path) -> Any:
    import re

    from national.config import NationalConfig
    from national.web import create_app
    from regional.accounts import service
    from regional.actors import Actor

    (root / "national-web").mkdir(exist_ok=True)
    config = NationalConfig.load(root / "national-web", env={}, database_url=url)
    app = create_app(config)
    tables = app.extensions["hufu_accounts"]
    password = uuid.uuid4().hex + "-Pw"
    with app.extensions["hufu_db"].transaction() as s:
        service.add_user(s, tables, "dashboard-bench", "officer", password, actor=Actor("bench"), now=dt.datetime.now(dt.UTC))
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": "dashboard-bench", "password": password,
                                         "csrf_token": token.group(1) if token else ""})
    if answer.status_code != 302:
        raise SystemExit(f"hufu bench dashboard: could not sign in to the app: HTTP {answer.status_code}")
    return client


def cpu_probe(url: str) -> Callable[[], float | None]:
    """Seconds of CPU used so far by this process and, on PostgreSQL, by the server's backends serving the
    bench's database (read from /proc: the throwaway server runs on this machine). Under a shared, loaded
    machine the wall clock mostly measures the wait for a core; CPU time is each tool's own work."""
    if not url.startswith("postgresql"):
        return time.process_time
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    tick = os.sysconf("SC_CLK_TCK")

    def probe() -> float | None:
        with engine.connect() as conn:
            pids = list(conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                             "AND pid <> pg_backend_pid()")).scalars())
        total = time.process_time()
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None  # a remote server: no CPU figure
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    return probe


def _timed(fn: Callable[[], Any], repeats: int, cpu: Callable[[], float | None] = time.process_time,
           ) -> dict[str, float | None]:
    fn()  # warm (first request compiles templates, first query fills the page cache)
    times = []
    before = cpu()
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    after = cpu()
    used = None if before is None or after is None or after < before else round((after - before) * 1000 / repeats, 1)
    return {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1), "cpu_ms": used}


def baseline(url: str, start: dt.date, end: dt.date, industry: int | None = None) -> Callable[[], dict[str, Any]]:
    """The figures by GROUP BY over the period's leads (with a covering index made for it)."""
    from national.models import NationalLead as L
    from regional.reports.periods import to_utc
    from sync.db import Database

    db = Database(url)
    _OPEN.append(db)  # its connections stay open to the end (a backend that exits would take its CPU time along)
    with db.transaction() as s:
        s.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_bench_cover ON leads (detected, region, type, source, "
                          "industry)"))
    with db.transaction() as s:
        s.execute(sa.text("ANALYZE"))
    lo, hi = to_utc(start), to_utc(end)
    dialect = db.engine.dialect.name
    day = (sa.func.date(L.detected, "+8 hours") if dialect == "sqlite"
           else sa.func.date(sa.func.timezone("Asia/Shanghai", L.detected)))

    def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        with db.read() as s:
            where = (L.detected >= lo, L.detected < hi, *((L.industry == industry,) if industry else ()))
            for name, col in (("region", L.region), ("type", L.type), ("source", L.source),
                              ("industry", L.industry), ("day", day)):
                out[name] = dict(s.execute(sa.select(col, sa.func.count()).where(*where).group_by(col)).all())
        return out

    return run


def measure(url: str, label: str, args: argparse.Namespace, root: Path, today: dt.date) -> list[dict[str, Any]]:
    """Fill `url`, then time the dashboard and the baseline over 90 days and a year."""
    _log(f"{label}: filling {args.leads:,} leads over {args.days} days …")
    filled = fill(url, args.leads, args.days, args.seed, today)
    _log(f"{label}: inserted in {filled['insert_s']} s (triggers on), cube folded in {filled['fold_s']} s")
    client = _client(url, root)
    cpu = cpu_probe(url)
    rows = []
    for period, days, grain, industry in (("90 days by day", 90, "day", None), ("365 days by week", 365, "week", None),
                                          ("90 days, 1 industry", 90, "day", 25)):
        start = today - dt.timedelta(days=days - 1)
        query = f"from={start}&to={today}&grain={grain}" + (f"&industry={industry}" if industry else "")

        def page(q: str = query) -> None:
            answer = client.get(f"/dashboard?{q}")
            assert answer.status_code == 200, answer.status_code

        def api(q: str = query) -> int:
            answer = client.get(f"/api/dashboard?{q}")
            assert answer.status_code == 200, answer.status_code
            return int(answer.get_json()["total"])

        total = api()
        base = baseline(url, start, today + dt.timedelta(days=1), industry)
        got = base()
        if sum(got["region"].values()) != total:
            raise SystemExit(f"hufu bench dashboard: the cube says {total} leads, the scan {sum(got['region'].values())}")
        for what, fn in (("GET /dashboard (cube)", page), ("GET /api/dashboard (cube)", api),
                         ("baseline: GROUP BY over the leads", base)):
            t = _timed(fn, args.repeats, cpu)
            rows.append({"database": label, "period": period, "what": what, "leads_in_period": total, **t,
                         **filled})
            _log(f"  {label:10} {period:20} {what:36} {t['median_ms']:9.1f} ms (min {t['min_ms']}, "
                 f"max {t['max_ms']}; CPU {t['cpu_ms']} ms)")
    return rows


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; print a table (and one JSON line with --json)."""
    load = [round(x, 2) for x in os.getloadavg()]
    _log(f"machine: {os.cpu_count()} CPU(s), load average {load}")
    today = dt.date.today()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="hufu-bench-dashboard-") as tmp:
        root = Path(tmp)
        from sync.db import sqlite_url

        if not args.skip_sqlite:
            rows += measure(sqlite_url(root / "national.db"), "SQLite", args, root, today)
        if args.postgres_url:
            rows += measure(args.postgres_url, "PostgreSQL", args, root, today)
    print(f"machine: load average now {[round(x, 2) for x in os.getloadavg()]} (at start {load})")
    print(f"{'database':10} {'period':20} {'what':36} {'median ms':>10} {'min':>8} {'max':>8} {'CPU ms':>8}")
    for r in rows:
        print(f"{r['database']:10} {r['period']:20} {r['what']:36} {r['median_ms']:10.1f} {r['min_ms']:8.1f} "
              f"{r['max_ms']:8.1f} {r['cpu_ms'] if r['cpu_ms'] is not None else '—':>8}")
    if args.json:
        print(json.dumps({"bench": "dashboard", "leads": args.leads, "load": load, "rows": rows}, ensure_ascii=False))
    return 0
