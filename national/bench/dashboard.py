"""`hufu bench dashboard`: the national and the regional dashboards at 1,000,000 leads, SQLite and PostgreSQL.

Set-up (not timed): a national database with N leads (default 1,000,000) spread over a year, 31
provinces, the four types, five sources and 45 industries, and a regional database of one big
province (Guangdong; default 3/31 of N: about three times an average province's share) with its
cities, review states, assignments and a team of officers; cases (national: N/40, 3 in 5 cross-region,
some supervised and overdue; regional: N/100, some overdue) for the case figures and boards. The leads are bulk-loaded with the
triggers and secondary indexes off, then the count cube is recounted at once by INSERT … SELECT …
GROUP BY — the same rows the triggers and the worker's fold produce (tests/reports/test_cube_recount.py;
`--fill triggers` takes the live path instead, about an hour at 1M on a loaded 2-core machine).
`--keep DIR` keeps the filled databases and reuses them.

Before timing, every period's figures of the page's JSON are checked against a scan of the leads
(total, per area, type, source, industry, every trend point; at the region also each officer's
workload): a difference stops the bench. Then it times, repeated (median, min, max):

- `GET /dashboard` (the whole page: filters, totals, tables and the charts' JSON) and
  `GET /api/dashboard`, through the Flask app with a signed-in client, over 90 days by day, a
  whole year by week, and 90 days under one industry — what an officer waits for;
- the baseline a competent engineer would write without a cube: the same figures by GROUP BY over
  the leads of the period, helped by covering indexes made for it (national: (detected, region,
  type, source, origin, industry) and (industry, detected, …) for the industry filter; regional:
  (created_at, city, type, source, origin, industry), (industry, created_at, …) and (judged_at,
  state, judged_by, industry), plus the page's own workload queries) — charged only for its queries.

Each row gives the wall clock (median, min, max) and the CPU time per run (mean) of this process plus, on
PostgreSQL, of the server backends serving the bench's database: on a shared machine the wall clock is
mostly the wait for a core.
"""

from __future__ import annotations

import argparse
import contextlib
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
    parser.add_argument("--leads", type=int, default=1_000_000, help="leads at the national node (default 1,000,000)")
    parser.add_argument("--regional-leads", type=int, default=None,
                        help="leads at the regional node (default: 3/31 of --leads, a big province's share)")
    parser.add_argument("--nodes", default="national,regional",
                        help="comma list of the dashboards to measure: national, regional (default both)")
    parser.add_argument("--days", type=int, default=365, help="days the leads are spread over (default 365)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each request (default 5)")
    parser.add_argument("--postgres-url", default=None,
                        help="also run on PostgreSQL: 'local' (a throwaway cluster, needs the server binaries and a "
                             "source checkout) or the URL of an empty database, e.g. postgresql+psycopg://u:p@host/db "
                             "(the regional node gets a database named after it with the suffix _regional)")
    parser.add_argument("--skip-sqlite", action="store_true",
                        help="measure only the PostgreSQL database of --postgres-url (run SQLite separately)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="keep the filled databases and reuse them when run again with the same --leads, "
                             "--regional-leads, --days and --seed (SQLite: files in DIR; PostgreSQL: the databases "
                             "of a --postgres-url URL, their facts in DIR)")
    parser.add_argument("--fill", choices=("bulk", "triggers"), default="bulk",
                        help="bulk (default): load the leads with the triggers off and recount the cube at once; "
                             "triggers: insert through the triggers and fold the deltas as the worker does (slow)")
    parser.add_argument("--seed", type=int, default=13, help="random seed of the generated leads (default 13)")
    parser.add_argument("--json", action="store_true", help="print one JSON line with every figure last")


def _national_rows(rng: random.Random, start: int, stop: int, days: int, end: dt.datetime, regions: list[str],
                   weights: list[int]) -> list[dict[str, Any]]:
    sources, source_weights = zip(*SOURCES, strict=True)
    rows = []
    for i in range(start, stop):
        detected = end - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                     "region": rng.choices(regions, weights)[0], "listing_id": f"L{i}",
                     "right_number": f"TM-{rng.randint(1, 5000):07d}", "type": rng.choice(TYPES),
                     "score": 0.9, "reasons": "[]", "model_version": "bench", "received_at": end,
                     "detected_at": detected.isoformat(), "detected": detected,
                     "source": rng.choices(sources, source_weights)[0],
                     "origin": "holder_request" if rng.random() < 0.04 else "monitoring",
                     "industry": rng.randint(1, 45) if rng.random() < 0.97 else None})
    return rows


def fill(url: str, n: int, days: int, seed: int, today: dt.date, how: str = "bulk") -> dict[str, float]:
    """Migrate, insert `n` leads, build the cube; seconds of each step.

    bulk: the leads go in with the triggers and secondary indexes off (put back as they were after), then the
    cube is recounted at once by INSERT … SELECT … GROUP BY (`cube.recount`: the rows the triggers and the fold
    make, tests/reports/test_cube_recount.py). triggers: the leads go in through the triggers and the deltas
    are folded as the worker folds them (what a live node does; ~1 hour at 1M on a loaded 2-core machine)."""
    from national.models import NationalLead
    from national.node import MIGRATIONS
    from national.reports.models import CUBE, SPEC
    from regional.reports.cube import fold_all, recount
    from sync.db import Database, make_engine
    from sync.migrate import run_migrations
    from sync.regions import PROVINCES

    run_migrations(url, MIGRATIONS)
    rng = random.Random(seed)
    regions = sorted(PROVINCES)
    weights = [1 + (i * 7) % 11 for i in range(len(regions))]
    end = dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC)  # midnight, Beijing time, after today
    table = NationalLead.__table__
    started = time.perf_counter()
    if how == "triggers":
        db = Database(url)
        for start in range(0, n, CHUNK):
            rows = _national_rows(rng, start, min(n, start + CHUNK), days, end, regions, weights)
            for r in rows:
                r["reasons"] = []
            with db.transaction() as session:
                session.execute(sa.insert(table), rows)
            if (start + CHUNK) % 200_000 == 0 or start + CHUNK >= n:
                _log(f"  {min(n, start + CHUNK):,} leads inserted ({time.perf_counter() - started:.0f} s)")
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        fold_all(db, CUBE)
        db.dispose()
        return {"insert_s": round(inserted, 1), "cube_s": round(time.perf_counter() - started, 1)}
    engine = make_engine(url, poolclass=sa.NullPool)
    dialect = engine.dialect.name
    cols = list(_national_rows(random.Random(0), 0, 1, 1, end, regions, weights)[0])
    indexes = list(table.indexes)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        triggers: list[tuple[str, str]] = []
        if dialect == "sqlite":
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-200000")
            triggers = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'leads'"
                                   ).fetchall()
            for name, _sql in triggers:
                cur.execute(f"DROP TRIGGER {name}")
        else:
            cur.execute("ALTER TABLE leads DISABLE TRIGGER USER")
        for ix in indexes:
            cur.execute(f"DROP INDEX {ix.name}")
        raw.commit()
        for start in range(0, n, CHUNK * 2):
            rows = _national_rows(rng, start, min(n, start + CHUNK * 2), days, end, regions, weights)
            if dialect == "sqlite":
                stamp = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite format (UTC), as the node stores it
                cur.executemany(f"INSERT INTO leads ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                [tuple(v.strftime(stamp) if isinstance(v, dt.datetime) else v for v in r.values())
                                 for r in rows])
            else:
                with cur.copy(f"COPY leads ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for r in rows:
                        copy.write_row(tuple(r.values()))
            raw.commit()
            if (start + CHUNK * 2) % 200_000 == 0 or start + CHUNK * 2 >= n:
                _log(f"  {min(n, start + CHUNK * 2):,} leads inserted ({time.perf_counter() - started:.0f} s)")
        if dialect == "sqlite":
            for _name, sql in triggers:
                cur.execute(sql)
        else:
            cur.execute("ALTER TABLE leads ENABLE TRIGGER USER")
        raw.commit()
    finally:
        raw.close()
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    from sqlalchemy.orm import Session

    with engine.begin() as conn:
        for ix in indexes:
            ix.create(conn)
        with Session(bind=conn) as session:
            recount(session, SPEC, CUBE)
            session.flush()
    with engine.connect() as conn:
        if dialect == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        else:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()
    engine.dispose()
    return {"insert_s": round(inserted, 1), "cube_s": round(time.perf_counter() - started, 1)}


def fill_cases(url: str, n: int, days: int, seed: int, today: dt.date) -> int:
    """`n` cases over the period (3 in 5 cross-region, 1 in 200 of those supervised with a deadline, some past it):
    the dashboard's case map, cases card and supervision board read them (not from the cube)."""
    from national.lifecycle import CaseStatus
    from national.models import CaseRow
    from sync.db import Database
    from sync.regions import PROVINCES

    rng = random.Random(seed + 1)
    regions = sorted(PROVINCES)
    end = dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC)
    rows = []
    for i in range(n):
        formed = end - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        cross = rng.random() < 0.6
        where = rng.sample(regions, rng.choice((2, 2, 3, 4))) if cross else [rng.choice(regions)]
        supervised = cross and rng.random() < 0.005
        rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "key": f"TM-{i:07d}|seller{i}",
                     "right_number": f"TM-{i:07d}", "right_title": f"商标{i}", "type": rng.choice(TYPES),
                     "lead_region": where[0], "regions": where, "cross_region": cross,
                     "status": rng.choice(list(CaseStatus)), "supervised": supervised,
                     "deadline": formed + dt.timedelta(days=rng.uniform(10, 120)) if supervised else None,
                     "formed_at": formed, "updated_at": formed})
    db = Database(url)
    with db.transaction() as session:
        session.execute(sa.delete(CaseRow))
        for start in range(0, n, CHUNK):
            session.execute(sa.insert(CaseRow.__table__), rows[start:start + CHUNK])
    db.dispose()
    return n


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
    name = f"dashboard-bench-{uuid.uuid4().hex[:8]}"  # a kept database may hold earlier runs' users
    with app.extensions["hufu_db"].transaction() as s:
        service.add_user(s, tables, name, "officer", password, actor=Actor("bench"), now=dt.datetime.now(dt.UTC))
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": name, "password": password,
                                         "csrf_token": token.group(1) if token else ""})
    if answer.status_code != 302:
        raise SystemExit(f"hufu bench dashboard: could not sign in to the app: HTTP {answer.status_code}")
    return client


def cpu_probe(url: str) -> Callable[[], float | None]:
    """Seconds of CPU used so far by this process and, on PostgreSQL, by the server's client backends serving the
    bench's database (not autovacuum's) (read from /proc: the throwaway server runs on this machine). Under a shared, loaded
    machine the wall clock mostly measures the wait for a core; CPU time is each tool's own work."""
    if not url.startswith("postgresql"):
        return time.process_time
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    tick = os.sysconf("SC_CLK_TCK")

    def probe() -> float | None:
        with engine.connect() as conn:
            pids = list(conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                             "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")).scalars())
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
        # covering every column the figures read (origin: a rights holder's request counts under its source),
        # and one led by industry for the industry-filtered period
        s.execute(sa.text("DROP INDEX IF EXISTS ix_bench_cover"))  # a kept database's older, narrower one
        s.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_bench_cover2 ON leads (detected, region, type, source, "
                          "origin, industry)"))
        s.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_bench_cover_industry ON leads (industry, detected, region, "
                          "type, source, origin)"))
    with db.transaction() as s:
        s.execute(sa.text("ANALYZE"))
    lo, hi = to_utc(start), to_utc(end)
    dialect = db.engine.dialect.name
    day = (sa.func.date(L.detected, "+8 hours") if dialect == "sqlite"
           else sa.func.date(sa.func.timezone("Asia/Shanghai", L.detected)))

    source = sa.case((L.origin == "holder_request", "holder_request"), else_=L.source)  # as the cube counts it

    def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        with db.read() as s:
            where = (L.detected >= lo, L.detected < hi, *((L.industry == industry,) if industry else ()))
            for name, col in (("region", L.region), ("type", L.type), ("source", source),
                              ("industry", L.industry), ("day", day)):
                out[name] = dict(s.execute(sa.select(col, sa.func.count()).where(*where).group_by(col)).all())
        return out

    return run


def _check(label: str, api: dict[str, Any], scan: dict[str, Any], grain: str) -> int:
    """The dashboard's figures (from the cube) equal the scan's: total, per area, type, source, industry and every
    trend point; a difference stops the bench. Returns how many figures were compared."""
    from regional.reports.periods import Grain, bucket

    def keyed(items: list[dict[str, Any]]) -> dict[str, int]:
        return {str(i["key"] if "key" in i else i["code"]): int(i["value"]) for i in items if i["value"]}

    def plain(counts: dict[Any, int]) -> dict[str, int]:
        return {("" if k is None else str(k)): int(v) for k, v in counts.items() if v}

    area = "region" if "region" in scan else "area"
    pairs = [("total", {"": int(api["total"])}, {"": sum(scan[area].values())}),
             ("areas", keyed(api["areas"]), plain(scan[area])),
             ("types", keyed(api["types"]), plain(scan["type"])),
             ("sources", keyed(api["sources"]), plain(scan["source"]))]
    industries = {("0" if k is None else str(k)): v for k, v in scan["industry"].items() if v}
    top = keyed(api["industries"])  # the page shows the 15 biggest
    pairs.append(("industries (top 15)", top, {k: industries.get(k, 0) for k in top}))
    if len(top) < 15:
        pairs.append(("industries", top, industries))
    g = {"day": Grain.DAY, "week": Grain.WEEK, "month": Grain.MONTH}[grain]
    for series, day_counts in (("detected", scan["day"]), ("confirmed", scan.get("confirmed_day"))):
        if day_counts is None or api["trend"].get(series) is None:
            continue
        want: dict[str, int] = {}
        for d, v in day_counts.items():
            day = d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
            key = bucket(day, g).isoformat()
            want[key] = want.get(key, 0) + int(v)
        got = {x: int(v) for x, v in zip(api["trend"]["x"], api["trend"][series], strict=True) if v}
        pairs.append((f"trend {series}", got, want))
    compared = 0
    for what, got, want in pairs:
        if got != want:
            diff = {k: (got.get(k), want.get(k)) for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)}
            raise SystemExit(f"hufu bench dashboard: {label}: the dashboard's {what} differ from a scan of the "
                             f"leads (dashboard, scan): {dict(list(diff.items())[:8])}")
        compared += len(want)
    return compared


def _check_cases(url: str, start: dt.date, end: dt.date, figures: dict[str, Any]) -> int:
    from national.lifecycle import counts_as_case
    from national.models import CaseRow
    from regional.reports.periods import to_utc
    from sync.db import Database

    db = Database(url)
    want: dict[str, int] = {}
    formed = 0
    with db.read() as s:
        for regions, status in s.execute(sa.select(CaseRow.regions, CaseRow.status).where(
                CaseRow.cross_region, CaseRow.formed_at >= to_utc(start), CaseRow.formed_at < to_utc(end))):
            if not counts_as_case(status):  # a withdrawn case is not counted (the pure rule, scanned row by row)
                continue
            formed += 1
            for code in set(regions or []):
                want[code] = want.get(code, 0) + 1
    db.dispose()
    got = {a["code"]: a["cases"] for a in figures["areas"] if a["cases"]}
    if got != want or figures["cases_total"] != formed:
        raise SystemExit(f"hufu bench dashboard: the dashboard's cross-region cases differ from a scan: "
                         f"{figures['cases_total']} vs {formed}")
    return len(want) + 1


PERIODS = (("90 days by day", 90, "day", None), ("365 days by week", 365, "week", None),
           ("90 days, 1 industry", 90, "day", 25))


def measure(node: str, url: str, label: str, args: argparse.Namespace, root: Path, today: dt.date,
            filled: dict[str, Any]) -> list[dict[str, Any]]:
    """Time one node's dashboard and its baseline over 90 days, a year by week and 90 days under one industry."""
    from regional.bench import dashboard as regional_bench

    web = _client(url, root) if node == "national" else regional_bench.client(url, root, _log)
    cpu = cpu_probe(url)
    rows = []
    for period, days, grain, industry in PERIODS:
        start = today - dt.timedelta(days=days - 1)
        query = f"from={start}&to={today}&grain={grain}" + (f"&industry={industry}" if industry else "")

        def page(q: str = query) -> None:
            answer = web.get(f"/dashboard?{q}")
            assert answer.status_code == 200, answer.status_code

        def api(q: str = query) -> dict[str, Any]:
            answer = web.get(f"/api/dashboard?{q}")
            assert answer.status_code == 200, answer.status_code
            return answer.get_json()  # type: ignore[no-any-return]

        figures = api()
        if node == "national":
            base = baseline(url, start, today + dt.timedelta(days=1), industry)
        else:
            base = regional_bench.baseline(url, start, today + dt.timedelta(days=1), industry, _OPEN)
        compared = _check(f"{label} {node} {period}", figures, base(), grain)
        if node == "national":  # cross-region cases formed in the period, per province concerned (once each)
            compared += _check_cases(url, start, today + dt.timedelta(days=1), figures)
        if node == "regional":
            load = {o["officer"]: (o["open"], o["pending_review"], o["judged"]) for o in figures["workload"]["officers"]}
            scan = base()
            want = {name: (sum(scan["workload"].get(name, {}).get(s, 0) for s in ("new", "need_info")),
                           scan["workload"].get(name, {}).get("pending_review", 0), scan["judged_by"].get(name, 0))
                    for name in load}
            if load != want or figures["workload"]["unassigned"] != scan["unassigned"]:
                raise SystemExit(f"hufu bench dashboard: {label} regional {period}: the workload differs from a scan")
            compared += 3 * len(load) + 1
        _log(f"  {label} {node} {period}: {compared} figures equal a scan of the leads "
             f"({figures['total']:,} leads in the period)")
        for what, fn in (("GET /dashboard (cube)", page), ("GET /api/dashboard (cube)", api),
                         ("baseline: GROUP BY over the leads", base)):
            t = _timed(fn, args.repeats, cpu)
            rows.append({"node": node, "database": label, "period": period, "what": what,
                         "leads": filled["leads"], "leads_in_period": figures["total"], "figures_checked": compared,
                         **t, **{k: v for k, v in filled.items() if k != "leads"}})
            _log(f"  {label:10} {node:8} {period:20} {what:34} {t['median_ms']:9.1f} ms (min {t['min_ms']}, "
                 f"max {t['max_ms']}; CPU {t['cpu_ms']} ms)")
    return rows


def _facts_file(keep: Path, node: str, label: str, n: int, args: argparse.Namespace) -> Path:
    return keep / f"{node}-{label.lower()}-{n}-{args.days}d-seed{args.seed}-{args.fill}.json"


def prepared(node: str, url: str, label: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Fill `url` with `n` leads for `node` (or, with --keep, reuse it when it was filled with the same settings)."""
    from regional.bench import dashboard as regional_bench

    facts_path = _facts_file(args.keep, node, label, n, args) if args.keep else None
    if facts_path and facts_path.exists():
        facts = json.loads(facts_path.read_text())
        if facts.get("url") == url:
            from sync.migrate import run_migrations

            if node == "national":
                from national.node import MIGRATIONS
            else:
                from regional.node import MIGRATIONS
            run_migrations(url, MIGRATIONS)  # a database kept by an older version: its new revisions
            if "cases" not in facts:  # kept by a version that made no cases
                today = dt.date.fromisoformat(facts["filled_on"])
                if node == "national":
                    facts["cases"] = fill_cases(url, n // 40, args.days, args.seed, today)
                else:
                    facts["cases"] = regional_bench.fill_cases(url, n // 100, args.days, args.seed,
                                                               dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC))
                facts_path.write_text(json.dumps(facts))
            _log(f"{label} {node}: reusing the database filled on {facts['filled_on']} ({n:,} leads)")
            return facts
    today = dt.date.today()
    _log(f"{label} {node}: filling {n:,} leads over {args.days} days ({args.fill}) …")
    if node == "national":
        took = fill(url, n, args.days, args.seed, today, args.fill)
        took["cases"] = fill_cases(url, n // 40, args.days, args.seed, today)
    else:
        end = dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC)
        took = regional_bench.fill(url, n, args.days, args.seed, end, _log)
        took["cases"] = regional_bench.fill_cases(url, n // 100, args.days, args.seed, end)
    _log(f"{label} {node}: filled: {took} (set-up, not timed)")
    facts = {"url": url, "filled_on": today.isoformat(), "leads": n, **took}
    if facts_path:
        facts_path.write_text(json.dumps(facts))
    return facts


def _pg_urls(spec: str, stack: contextlib.ExitStack) -> dict[str, str]:
    """PostgreSQL database URLs for each node: a throwaway cluster ('local') or a given database and a sibling."""
    from sqlalchemy.engine import make_url

    if spec == "local":
        repo = Path(__file__).resolve().parents[2]
        if not (repo / "tests" / "pg.py").exists():
            raise SystemExit("hufu bench dashboard: --postgres-url local needs a source checkout (tests/pg.py)")
        sys.path.insert(0, str(repo))
        from tests.pg import throwaway_server  # type: ignore[import-not-found]

        server = stack.enter_context(throwaway_server())
        _log("started a throwaway PostgreSQL cluster")
        return {"national": server.create_database("hufu_bench_dashboard"),
                "regional": server.create_database("hufu_bench_dashboard_regional")}
    url = make_url(spec)
    sibling = f"{url.database}_regional"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": sibling}).scalar():
            conn.execute(sa.text(f'CREATE DATABASE "{sibling}"'))
    admin.dispose()
    return {"national": spec, "regional": url.set(database=sibling).render_as_string(hide_password=False)}


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; print a table (and one JSON line with --json)."""
    import contextlib

    from sync.db import sqlite_url

    nodes = [n.strip() for n in args.nodes.split(",") if n.strip()]
    bad = [n for n in nodes if n not in ("national", "regional")]
    if bad or not nodes:
        raise SystemExit(f"hufu bench dashboard: --nodes: {', '.join(bad) or 'empty'} — expected national, regional")
    counts = {"national": args.leads, "regional": args.regional_leads if args.regional_leads is not None
              else args.leads * 3 // 31}
    load = [round(x, 2) for x in os.getloadavg()]
    _log(f"machine: {os.cpu_count()} CPU(s), load average {load}")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="hufu-bench-dashboard-") as tmp, contextlib.ExitStack() as stack:
        root = Path(tmp)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        backends: list[tuple[str, dict[str, str]]] = []
        if not args.skip_sqlite:
            where = args.keep or root
            backends.append(("SQLite", {node: sqlite_url(where / f"{node}-{counts[node]}-{args.days}d-seed{args.seed}-"
                                                         f"{args.fill}.db") for node in nodes}))
        if args.postgres_url:
            backends.append(("PostgreSQL", _pg_urls(args.postgres_url, stack)))
        for label, urls in backends:
            for node in nodes:
                facts = prepared(node, urls[node], label, counts[node], args)
                today = dt.date.fromisoformat(facts["filled_on"])
                rows += measure(node, urls[node], label, args, root, today, facts)
        for db in _OPEN:
            db.dispose()
        _OPEN.clear()
    print(f"machine: {os.cpu_count()} CPU(s), load average now {[round(x, 2) for x in os.getloadavg()]} "
          f"(at start {load})")
    print(f"{'database':10} {'node':8} {'leads':>9} {'period':20} {'what':34} {'median ms':>10} {'min':>8} {'max':>8} "
          f"{'CPU ms':>8}")
    for r in rows:
        print(f"{r['database']:10} {r['node']:8} {r['leads']:9,} {r['period']:20} {r['what']:34} {r['median_ms']:10.1f} "
              f"{r['min_ms']:8.1f} {r['max_ms']:8.1f} {r['cpu_ms'] if r['cpu_ms'] is not None else '—':>8}")
    if args.json:
        print(json.dumps({"bench": "dashboard", "leads": counts, "load": load,
                          "load_end": [round(x, 2) for x in os.getloadavg()], "rows": rows}, ensure_ascii=False))
    return 0
