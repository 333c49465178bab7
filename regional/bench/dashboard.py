"""The regional half of `hufu bench dashboard`: one province's node (by city, plus the officers' workload).

`fill` bulk-loads a regional database with N leads of one province (default Guangdong): listings,
leads spread over the period's days and the province's cities, the review states a year of work
leaves (older leads mostly judged, recent ones open, some assigned, some awaiting a second review),
judged by a team of officers. The load runs with the table's triggers and secondary indexes off
and puts them back as they were; the queue's tallies and the count cube are then recounted at once
(`queue.recount`, `cube.recount`: the rows the triggers and the worker's fold would have made —
tests/reports/test_cube_recount.py holds them equal). Only the reads are timed.

`baseline` is the strongest dashboard without a cube: the same lead figures by GROUP BY over the
period's leads with covering indexes made for it — (created_at, city, type, source, origin,
industry), the same led by industry for the industry filter, and (judged_at, state, judged_by,
industry) — plus the same workload queries the page runs.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

TYPES = ("trademark",) * 7 + ("counterfeit_patent", "design", "invention")
SOURCES = ("ecommerce",) * 80 + ("exhibition",) * 6 + ("customs",) * 8 + ("complaint",) * 6
OFFICERS = tuple(f"officer{i:02d}" for i in range(24)) + ("supervisor01", "supervisor02")
PROVINCE = "440000"
BATCH = 50_000
LEAD_COLS = ("id", "uuid", "listing_id", "right_number", "type", "score", "reasons", "model_version", "state",
             "created_at", "source", "assigned_to", "assigned_at", "judged_at", "judged_by", "origin", "city",
             "industry")
LISTING_COLS = ("id", "source", "title", "nice_classes", "images", "imported_at", "screened_at")


def cities(province: str = PROVINCE) -> list[str]:
    """The province's city codes (prefecture level), from the division tables the node ships."""
    from regional.routing.places import divisions

    return sorted(d.code for d in divisions().kids(province))


def _state(rng: random.Random, age_days: float) -> str:
    if age_days > 14:  # a year of work: old leads are judged, a few still wait
        return rng.choices(("confirmed", "excluded", "new", "need_info"), (55, 41, 3, 1))[0]
    return rng.choices(("confirmed", "excluded", "new", "need_info", "pending_review"), (20, 15, 50, 8, 7))[0]


def _rows(rng: random.Random, start: int, stop: int, days: int, end: dt.datetime, places: list[str],
          weights: list[int], dialect: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    def stamp(moment: dt.datetime) -> Any:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else moment

    listings, leads = [], []
    for i in range(start + 1, stop + 1):
        created = end - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        source = rng.choice(SOURCES)
        state = _state(rng, (end - created).total_seconds() / 86400)
        judged_at = judged_by = assigned = assigned_at = None
        if state in ("confirmed", "excluded", "pending_review"):
            judged_by = assigned = rng.choice(OFFICERS)
            assigned_at = created + dt.timedelta(minutes=rng.uniform(5, 600))
            if state != "pending_review":
                judged_at = min(end - dt.timedelta(seconds=1), created + dt.timedelta(hours=rng.uniform(1, 120)))
        elif rng.random() < 0.6:
            assigned = rng.choice(OFFICERS)
            assigned_at = created + dt.timedelta(minutes=rng.uniform(5, 600))
        origin = rng.choices(("monitoring", "holder_request", "launch"), (90, 5, 5))[0]
        city = rng.choices(places, weights)[0] if rng.random() < 0.93 else None
        listings.append((f"L{i}", source, "bench listing", "[]", "[]", stamp(created), stamp(created)))
        leads.append((i, str(uuid.UUID(int=rng.getrandbits(128), version=4)), f"L{i}", f"TM-{i:08d}",
                      rng.choice(TYPES), round(rng.uniform(0.5, 1.0), 3), "[]", "bench", state, stamp(created),
                      source, assigned, stamp(assigned_at) if assigned_at else None,
                      stamp(judged_at) if judged_at else None, judged_by, origin, city,
                      rng.randint(1, 45) if rng.random() < 0.95 else None))
    return listings, leads


def fill(url: str, n: int, days: int, seed: int, end: dt.datetime, say: Callable[[str], None]) -> dict[str, float]:
    """Migrate an empty database and bulk-load `n` leads of one province; seconds of each step."""
    from sqlalchemy.orm import Session

    from regional.models import LeadRow, ListingRow
    from regional.node import MIGRATIONS
    from regional.reports import cube
    from regional.reports.models import CUBE, SPEC
    from regional.review import queue
    from sync.db import make_engine, run_migrations

    run_migrations(url, MIGRATIONS)
    rng = random.Random(seed)
    places = cities()
    weights = [max(1, 40 - 3 * i) for i in range(len(places))]  # a few big cities, a long tail
    engine = make_engine(url, poolclass=sa.NullPool)
    dialect = engine.dialect.name
    started = time.perf_counter()
    indexes = [ix for table in (LeadRow.__table__, ListingRow.__table__) for ix in table.indexes]
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        triggers: list[tuple[str, str]] = []
        if dialect == "sqlite":
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-200000")
            triggers = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                                   "('leads', 'listings')").fetchall()
            for name, _sql in triggers:
                cur.execute(f"DROP TRIGGER {name}")
        else:
            cur.execute("ALTER TABLE leads DISABLE TRIGGER USER")
            cur.execute("ALTER TABLE listings DISABLE TRIGGER USER")
        for ix in indexes:
            cur.execute(f"DROP INDEX {ix.name}")
        raw.commit()
        for start in range(0, n, BATCH):
            listings, leads = _rows(rng, start, min(n, start + BATCH), days, end, places, weights, dialect)
            if dialect == "sqlite":
                cur.executemany(f"INSERT INTO listings ({', '.join(LISTING_COLS)}) VALUES "
                                f"({', '.join('?' * len(LISTING_COLS))})", listings)
                cur.executemany(f"INSERT INTO leads ({', '.join(LEAD_COLS)}) VALUES "
                                f"({', '.join('?' * len(LEAD_COLS))})", leads)
            else:
                for table, cols, rows in (("listings", LISTING_COLS, listings), ("leads", LEAD_COLS, leads)):
                    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                        for row in rows:
                            copy.write_row(row)
            raw.commit()
            if (start + BATCH) % 200_000 == 0 or start + BATCH >= n:
                say(f"  regional: {min(n, start + BATCH):,} / {n:,} leads ({time.perf_counter() - started:.0f} s)")
        if dialect == "sqlite":
            for _name, sql in triggers:
                cur.execute(sql)
        else:
            cur.execute("ALTER TABLE leads ENABLE TRIGGER USER")
            cur.execute("ALTER TABLE listings ENABLE TRIGGER USER")
            cur.execute(f"SELECT setval('leads_id_seq', {max(n, 1)})")
        raw.commit()
    finally:
        raw.close()
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        for ix in indexes:
            ix.create(conn)
        with Session(bind=conn) as session:
            queue.recount(session)
            cube.recount(session, SPEC, CUBE)
            session.flush()
    _analyze(engine)
    engine.dispose()
    return {"insert_s": round(inserted, 1), "index_and_count_s": round(time.perf_counter() - started, 1)}


def fill_cases(url: str, n: int, days: int, seed: int, end: dt.datetime) -> int:
    """`n` regional cases over the period (about a third open, some of those past their deadline)."""
    from regional.casework.core import CaseState
    from regional.workflow_models import CaseRecord
    from sync.db import Database

    rng = random.Random(seed + 1)
    rows = []
    for i in range(n):
        opened = end - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        state = rng.choices(list(CaseState), (10, 12, 10, 68))[0]
        closed = state is CaseState.CLOSED
        rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "number": f"粤知保〔2026〕{i + 1}号",
                     "title": f"案件{i + 1}", "state": state, "opened_by": rng.choice(OFFICERS),
                     "officer": rng.choice(OFFICERS), "opened_at": opened, "step_entered_at": opened,
                     "deadline": None if closed else opened + dt.timedelta(days=rng.uniform(15, 90)),
                     "closed_at": opened + dt.timedelta(days=rng.uniform(5, 60)) if closed else None,
                     "closing_reason": "bench" if closed else None, "closed_by": rng.choice(OFFICERS) if closed else None})
    db = Database(url)
    with db.transaction() as session:
        session.execute(sa.delete(CaseRecord))
        if rows:
            session.execute(sa.insert(CaseRecord.__table__), rows)
    db.dispose()
    return n


def _analyze(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        else:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()


def client(url: str, root: Path, say: Callable[[str], None]) -> Any:
    """A test client of the regional web app on `url`, signed in as an auditor; the officers exist as users."""
    import re

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional.accounts import service
    from regional.actors import Actor
    from regional.config import RegionalConfig
    from regional.web import create_app

    data_dir = root / "regional-web"
    data_dir.mkdir(exist_ok=True)
    config = RegionalConfig(data_dir=data_dir, region=PROVINCE, database_url=url)
    config.pki_dir.mkdir(exist_ok=True)
    key = config.pki_dir / "signing.key"
    if not key.exists():
        key.write_bytes(ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    app = create_app(config)
    tables = app.extensions["hufu_accounts"]
    password = uuid.uuid4().hex + "-Pw"
    viewer = f"dashboard-bench-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)
    with app.extensions["hufu_db"].transaction() as s:
        have = set(s.scalars(sa.select(tables.user.name)))
        for name in OFFICERS:
            if name not in have:
                service.add_user(s, tables, name, "supervisor" if name.startswith("supervisor") else "officer",
                                 uuid.uuid4().hex + "-Pw", actor=Actor("bench"), now=now)
        # an auditor sees the whole dashboard and is no one's workload (a kept database holds earlier runs' users)
        service.add_user(s, tables, viewer, "auditor", password, actor=Actor("bench"), now=now)
    web = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").get_data(as_text=True))
    answer = web.post("/login", data={"username": viewer, "password": password,
                                      "csrf_token": token.group(1) if token else ""})
    if answer.status_code != 302:
        raise SystemExit(f"hufu bench dashboard: could not sign in to the regional app: HTTP {answer.status_code}")
    return web


def baseline(url: str, start: dt.date, end: dt.date, industry: int | None, keep: list[Any],
             ) -> Callable[[], dict[str, Any]]:
    """The region's dashboard figures without a cube: GROUP BY over the period's leads (covering indexes made
    for it) and the page's own workload queries (one GROUP BY of the judged, one index seek per officer)."""
    from regional.domain import LeadState
    from regional.models import LeadRow as L
    from regional.models import User
    from regional.reports.periods import to_utc
    from sync.db import Database

    db = Database(url)
    keep.append(db)  # its connections stay open to the end
    with db.transaction() as s:
        s.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_bench_created_cover ON leads "
                          "(created_at, city, type, source, origin, industry)"))
        s.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_bench_industry_cover ON leads "
                          "(industry, created_at, city, type, source, origin)"))
        s.execute(sa.text("DROP INDEX IF EXISTS ix_bench_judged_cover"))  # a kept database's older, narrower one
        s.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_bench_judged_cover2 ON leads "
                          "(judged_at, state, judged_by, industry)"))
    with db.transaction() as s:
        s.execute(sa.text("ANALYZE"))
    lo, hi = to_utc(start), to_utc(end)
    sqlite = db.engine.dialect.name == "sqlite"

    def day(col: Any) -> Any:
        return sa.func.date(col, "+8 hours") if sqlite else sa.func.date(sa.func.timezone("Asia/Shanghai", col))

    source = sa.case((L.origin == "holder_request", "holder_request"), else_=L.source)
    open_states = (LeadState.NEW, LeadState.NEED_INFO)

    def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        with db.read() as s:
            where = (L.created_at >= lo, L.created_at < hi, *((L.industry == industry,) if industry else ()))
            for name, col in (("area", L.city), ("type", L.type), ("source", source), ("industry", L.industry),
                              ("day", day(L.created_at))):
                out[name] = dict(s.execute(sa.select(col, sa.func.count()).where(*where).group_by(col)).all())
            judged = (L.judged_at >= lo, L.judged_at < hi)
            judged_day = day(L.judged_at)  # one expression in SELECT and GROUP BY (PostgreSQL compares them)
            out["confirmed_day"] = dict(s.execute(
                sa.select(judged_day, sa.func.count()).where(*judged, L.state == LeadState.CONFIRMED,
                                                             *((L.industry == industry,) if industry else ()))
                .group_by(judged_day)).all())
            officers = list(s.scalars(sa.select(User.name).where(User.active).order_by(User.name).limit(200)))
            out["judged_by"] = dict(s.execute(sa.select(L.judged_by, sa.func.count()).where(
                *judged, L.state.in_((LeadState.CONFIRMED, LeadState.EXCLUDED))).group_by(L.judged_by)).all())
            out["workload"] = {name: dict(s.execute(sa.select(L.state, sa.func.count()).where(
                L.assigned_to == name, L.state.in_((*open_states, LeadState.PENDING_REVIEW))).group_by(L.state)).all())
                for name in officers}
            out["unassigned"] = s.scalar(sa.select(sa.func.count()).select_from(L).where(
                L.assigned_to.is_(None), L.state.in_(open_states)))
        return out

    return run
