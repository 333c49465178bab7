"""`hufu bench review`: the review queue's list and filter queries at a million leads, SQLite and PostgreSQL.

What is timed is what an officer's page costs: one page of 50 leads with its total, through
`regional.review.queue.list_page` (arms per state, index-ordered walks, keyset cursors, totals
from the trigger-kept tallies or a count capped at `queue.COUNT_CAP`, FTS5 / posting-table search).
The baseline is what a competent engineer writes first on the *same schema and indexes*: one query
with `state IN (…)`, LIMIT/OFFSET paging, `COUNT(*)` over the filter for the total — capped the same
way (`SELECT count(*) FROM (SELECT … LIMIT cap + 1)`), so both print the same total — and
`LIKE '%word%'` for search. The exact total of each query is counted once, untimed, and checked
against the capped one. Each query
runs `--repeats` times per tool (median, min, max); with `--load N`, N reader threads run the
queue's queries and one writer thread judges leads throughout, on the same database.

PostgreSQL: `--pg URL` uses that server (a database is created and dropped); `--pg local`
(the default when the server binaries are installed) starts a throwaway cluster, as the test
suite does. `--backends sqlite` skips it.
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
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from regional.reports.periods import to_utc

TARGET_MS = 150.0
MARKS = ["康师傅", "雪碧", "可口可乐", "农夫山泉", "娃哈哈", "王老吉", "加多宝", "蒙牛", "伊利", "三只松鼠", "百草味",
         "李宁", "安踏", "华为", "小米", "格力", "美的", "海尔", "九阳", "苏泊尔", "云南白药", "同仁堂", "片仔癀",
         "老干妈", "茅台", "五粮液", "青岛", "红牛", "旺旺", "达利园", "Nike", "Adidas", "Sony", "Apple", "Lego"]
PRODUCTS = ["红烧牛肉面", "柠檬味汽水", "保温杯", "电热水壶", "运动鞋", "蓝牙耳机", "手机壳", "充电宝", "洗发水", "牙膏",
            "坚果礼盒", "牛奶", "凉茶", "白酒", "啤酒", "功能饮料", "饼干", "面包", "羽绒服", "T恤", "双肩包", "积木"]
QUALIFIERS = ["包邮", "厂家直销", "现货速发", "2026新款", "正品保障", "批发价", "顺丰发货", "热卖", "礼盒装", "整箱"]
STATES = ["new"] * 60 + ["need_info"] * 5 + ["pending_review"] * 2 + ["confirmed"] * 20 + ["excluded"] * 13
TYPES = ["trademark"] * 70 + ["counterfeit_patent"] * 10 + ["design"] * 10 + ["invention"] * 10
SOURCES = ["ecommerce"] * 85 + ["exhibition"] * 5 + ["customs"] * 5 + ["complaint"] * 5
OFFICERS = [f"officer{i:02d}" for i in range(10)]
RARE = "限量版A7X9"  # in a handful of titles: a selective search
T0 = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hufu bench review`."""
    parser.add_argument("--leads", type=int, default=1_000_000, help="leads to generate (default 1,000,000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each query per tool (default 5)")
    parser.add_argument("--load", type=int, default=0,
                        help="reader threads running queue queries, plus one writer judging leads, during the timed runs")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma list: sqlite, postgresql")
    parser.add_argument("--pg", default="local",
                        help="PostgreSQL: 'local' (a throwaway cluster, needs the server binaries) or a URL")
    parser.add_argument("--dir", type=Path, help="where the SQLite file goes (default: a temp dir, removed)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated leads")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated database and reuse it when run again with the same --leads and "
                             "--seed (SQLite: a file in --dir; PostgreSQL: a database on the --pg URL server; their "
                             "facts in --dir), so that a --load run skips the generation")
    parser.add_argument("--json", action="store_true", help="print one JSON line with every result last")


# ---------------------------------------------------------------- data


def _title(rng: random.Random, i: int) -> tuple[str, str]:
    """A listing title and its words without the running number (the part whose search terms can be cached)."""
    parts = [rng.choice(MARKS), rng.choice(PRODUCTS), rng.choice(QUALIFIERS)]
    if i % 200_000 == 7:
        parts.append(RARE)
    words = " ".join(parts)
    return f"{words} {i}", words


def _rows(n: int, seed: int, n_sellers: int, n_rights: int, sellers: list[tuple[Any, ...]],
          start: int, stop: int, rng: random.Random) -> tuple[list[tuple[Any, ...]], ...]:
    from regional.review.search import terms_of

    listings, leads, terms = [], [], []
    for i in range(start + 1, stop + 1):
        title, words = _title(rng, i)
        seller = 1 + int(rng.paretovariate(1.2) * 7) % n_sellers
        right = 1 + int(rng.paretovariate(1.1) * 3) % n_rights
        state = rng.choice(STATES)
        source = rng.choice(SOURCES)
        created = T0 - dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        stamp = created.strftime("%Y-%m-%d %H:%M:%S.%f")
        listings.append((f"L{i}", source, title, "[]", "[]", seller, stamp, stamp))
        assigned = rng.choice(OFFICERS) if state in ("new", "need_info") and rng.random() < 0.3 else None
        leads.append((i, str(uuid.UUID(int=rng.getrandbits(128))), f"L{i}", f"TM-{right:07d}", rng.choice(TYPES),
                      round(rng.uniform(0.3, 1.0), 4), "[]", "trademark-2026.11.1", state, stamp, source, seller,
                      assigned))
        # the same terms as terms_of(title, seller name, listing id), with the costly folding cached
        fixed = _TERMS.get(words) or _TERMS.setdefault(words, terms_of(words))
        name = sellers[seller - 1][2]
        named = _TERMS.get(name) or _TERMS.setdefault(name, terms_of(name))
        terms.append((i, " ".join(dict.fromkeys([*fixed, str(i), *named, f"l{i}"]))))
    return listings, leads, terms


_TERMS: dict[str, list[str]] = {}
LISTING_COLS = "id, source, title, nice_classes, images, seller_id, imported_at, screened_at"
LEAD_COLS = ("id, uuid, listing_id, right_number, type, score, reasons, model_version, state, created_at, source, "
             "seller_id, assigned_to")


def generate(url: str, n: int, seed: int, say: Callable[[str], None]) -> dict[str, Any]:
    """Migrate an empty database and fill it with `n` leads (listings, sellers, search terms, tallies).

    A bulk load: the search index, the tally triggers and the secondary indexes are dropped while
    rows go in and rebuilt after (as an operator would for a migration of old data), so loading a
    million leads takes minutes, not hours; the queries then run on exactly the migrated schema.
    """
    from regional.models import LeadRow, ListingRow
    from regional.node import MIGRATIONS
    from regional.review import queue
    from sync.db import make_engine, run_migrations

    postings = _postings_revision()

    run_migrations(url, MIGRATIONS)
    rng = random.Random(seed)
    n_sellers = max(10, n // 20)
    n_rights = max(10, n // 50)
    engine = make_engine(url, poolclass=sa.NullPool)
    dialect = engine.dialect.name
    started = time.perf_counter()
    facts: dict[str, Any] = {"officer": OFFICERS[3]}
    sellers = [(s, f"fp{s}", f"深圳某商行{s}", f"91440300MA{s:08d}", f"138{s:08d}", f"广东省深圳市南山区科技园路{s}号")
               for s in range(1, n_sellers + 1)]
    facts["seller_uscc"] = sellers[41][3]
    indexes = [ix for table in (LeadRow.__table__, ListingRow.__table__) for ix in table.indexes]
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if dialect == "sqlite":
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-200000")
            # every trigger on the loaded tables (tallies, search index, the reports' count cube) goes while rows go
            # in and comes back as it was; tallies and search index are rebuilt, the cube is not refilled
            triggers = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                                   "('leads', 'lead_search', 'listings')").fetchall()
            for trigger, _sql in triggers:
                cur.execute(f"DROP TRIGGER {trigger}")
        else:
            # every user trigger (the queue's tallies, the reports' count cube): the tallies are recounted
            # after the load; the cube is not refilled (no query timed here reads it)
            cur.execute("ALTER TABLE leads DISABLE TRIGGER USER")
            # the search postings are filled once after the load, their key built sorted
            cur.execute("ALTER TABLE lead_search DISABLE TRIGGER USER")
            cur.execute("ALTER TABLE lead_terms DROP CONSTRAINT pk_lead_terms")
        for ix in indexes:
            cur.execute(f"DROP INDEX {ix.name}")
        ph = "?" if dialect == "sqlite" else "%s"
        cur.executemany(f"INSERT INTO sellers (id, fingerprint, name, uscc, phone, address) VALUES ({','.join([ph] * 6)})",
                        sellers)
        raw.commit()
        batch = 100_000
        for start in range(0, n, batch):
            listings, leads, terms = _rows(n, seed, n_sellers, n_rights, sellers, start, min(n, start + batch), rng)
            if dialect == "sqlite":
                cur.executemany(f"INSERT INTO listings ({LISTING_COLS}) VALUES ({','.join('?' * 8)})", listings)
                cur.executemany(f"INSERT INTO leads ({LEAD_COLS}) VALUES ({','.join('?' * 13)})", leads)
                cur.executemany("INSERT INTO lead_search (lead_id, terms) VALUES (?, ?)", terms)
            else:
                for table, cols, rows in (("listings", LISTING_COLS, listings), ("leads", LEAD_COLS, leads),
                                          ("lead_search", "lead_id, terms", terms)):
                    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                        for row in rows:
                            copy.write_row(row)
            raw.commit()
            say(f"  {min(n, start + batch):,} / {n:,} leads")
        say("  rebuilding indexes, search index and counts ...")
        if dialect == "sqlite":
            cur.execute("INSERT INTO lead_search_fts(lead_search_fts) VALUES ('rebuild')")
            for _trigger, sql in triggers:
                cur.execute(sql)
        else:
            cur.execute("ALTER TABLE leads ENABLE TRIGGER USER")
            cur.execute(postings.fill_sql())
            cur.execute("ALTER TABLE lead_terms ADD CONSTRAINT pk_lead_terms PRIMARY KEY (term, lead_id)")
            cur.execute("ALTER TABLE lead_search ENABLE TRIGGER USER")
            cur.execute(f"SELECT setval('leads_id_seq', {n})")
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        for ix in indexes:
            ix.create(conn)
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            queue.recount(session)
            session.flush()
    with engine.connect() as conn:
        facts["popular_right"] = conn.execute(sa.text(
            "SELECT right_number FROM leads GROUP BY right_number ORDER BY count(*) DESC LIMIT 1")).scalar()
        conn.commit()
        if dialect == "postgresql":
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text("VACUUM ANALYZE"))
        else:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()
    engine.dispose()
    facts["seconds"] = round(time.perf_counter() - started, 1)
    return facts


# ---------------------------------------------------------------- the queries


@dataclass
class Query:
    """One list-and-filter query an officer makes: filters, sort, and how deep the page is."""

    name: str
    params: dict[str, str]
    sort: str = "-score"
    deep: int = 0  # rows before the page (the baseline's OFFSET; the queue's cursor points there)


def queries(facts: dict[str, Any]) -> list[Query]:
    """The workload: the default queue, each filter, combinations, search, and a deep page."""
    return [
        Query("queue (new+need_info, by score)", {}),
        Query("queue, page 2001", {}, deep=100_000),
        Query("all states, newest first", {"state": "all"}, "-created"),
        Query("type = design", {"type": "design"}),
        Query("source = complaint", {"source": "complaint"}),
        Query("score band 0.60-0.65", {"score_min": "0.6", "score_max": "0.65"}),
        Query("right = most frequent", {"right": facts["popular_right"]}),
        Query("seller = credit code", {"seller": facts["seller_uscc"], "state": "all"}),
        Query("detected in one week", {"from": "2026-06-01", "to": "2026-06-07"}),
        Query("assigned to one officer", {"assigned": facts["officer"]}),
        Query("type+source+band, by date", {"type": "trademark,design", "source": "ecommerce,customs",
                                            "score_min": "0.8"}, "-created"),
        Query("confirmed, oldest first", {"state": "confirmed"}, "created"),
        Query("search: common mark", {"q": "康师傅", "state": "all"}),
        Query("search: mark + product", {"q": "雪碧 汽水"}),
        Query("search: rare word", {"q": RARE, "state": "all"}),
    ]


def _cursor_at(session: Any, q: Query) -> str | None:
    """The keyset cursor of the row just before the deep page (found untimed, as a previous page would)."""
    from regional.review import queue

    if not q.deep:
        return None
    f = queue.parse_filters(q.params)
    sort = queue.parse_sort(q.sort)
    rows = queue.page_ids(session, f, sort, q.deep, None)
    if len(rows) < q.deep:
        return None
    lead_id, key = rows[-1]
    return queue.Cursor(sort, queue._key_of(key, sort), lead_id).encode()


def ours(db: Any, q: Query, after: str | None, exact: bool = False) -> tuple[int, int]:
    """The review queue's page with its total (COUNT_CAP when more match and not `exact`)."""
    from regional.review import queue

    with db.read() as session:
        page = queue.list_page(session, queue.parse_filters(q.params), queue.parse_sort(q.sort), 50, after,
                               exact=exact)
    return len(page.rows), page.total


def baseline(db: Any, q: Query) -> tuple[int, int]:
    """The obvious version on the same schema and indexes: IN-list, LIMIT/OFFSET, COUNT(*), LIKE search."""
    from regional.review import queue

    f = queue.parse_filters(q.params)
    where = ["leads.state IN :states"]
    args: dict[str, Any] = {"states": tuple(s.value for s in f.states)}
    if f.types:
        where.append("leads.type IN :types")
        args["types"] = tuple(t.value for t in f.types)
    if f.sources:
        where.append("leads.source IN :sources")
        args["sources"] = tuple(s.value for s in f.sources)
    if f.score_min is not None:
        where.append("leads.score >= :smin")
        args["smin"] = f.score_min
    if f.score_max is not None:
        where.append("leads.score < :smax")
        args["smax"] = f.score_max
    if f.right:
        where.append("leads.right_number = :right")
        args["right"] = f.right
    if f.seller:
        where.append("leads.seller_id IN (SELECT id FROM sellers WHERE uscc = :uscc)")
        args["uscc"] = f.seller
    if f.date_from:
        where.append("leads.created_at >= :dfrom")
        args["dfrom"] = to_utc(f.date_from)
    if f.date_to:
        where.append("leads.created_at < :dto")
        args["dto"] = to_utc(f.date_to + dt.timedelta(days=1))
    if f.assigned:
        where.append("leads.assigned_to = :assigned")
        args["assigned"] = f.assigned
    join_for_search = ""
    if f.q:
        for n, word in enumerate(f.q.split()):
            where.append(f"listings.title LIKE :w{n}")
            args[f"w{n}"] = f"%{word}%"
        join_for_search = " JOIN listings ON listings.id = leads.listing_id"
    order = {"-score": "leads.score DESC, leads.id DESC", "score": "leads.score ASC, leads.id ASC",
             "-created": "leads.created_at DESC, leads.id DESC", "created": "leads.created_at ASC, leads.id ASC"}[q.sort]
    cond = " AND ".join(where)
    page = sa.text(f"SELECT leads.uuid, leads.type, leads.score, leads.right_number, listings.title, sellers.name "
                   f"FROM leads JOIN listings ON listings.id = leads.listing_id "
                   f"LEFT JOIN sellers ON sellers.id = leads.seller_id WHERE {cond} ORDER BY {order} "
                   f"LIMIT 50 OFFSET :offset").bindparams(sa.bindparam("states", expanding=True))
    # the same capped total as the queue's (a total that is only tallied is exact there: counted in full here)
    cap = "" if f.only_tallied() else f" LIMIT {queue.COUNT_CAP + 1}"
    total = sa.text(f"SELECT count(*) FROM (SELECT 1 FROM leads{join_for_search} WHERE {cond}{cap}) AS matches"
                    ).bindparams(sa.bindparam("states", expanding=True))
    for name in ("types", "sources"):
        if name in args:
            page = page.bindparams(sa.bindparam(name, expanding=True))
            total = total.bindparams(sa.bindparam(name, expanding=True))
    with db.read() as session:
        rows = session.execute(page, {**args, "offset": q.deep}).all()
        n = int(session.scalar(total, args) or 0)
    return len(rows), min(n, queue.COUNT_CAP) if cap else n


# ---------------------------------------------------------------- load


@dataclass
class Load:
    """Background readers and a writer on the same database while the timed runs go on."""

    db: Any
    readers: int
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    reads: int = 0
    writes: int = 0
    errors: list[str] = field(default_factory=list)

    def __enter__(self) -> Load:
        qs = [Query("r", {}), Query("r", {"type": "design"}), Query("r", {"q": "华为"}),
              Query("r", {"state": "all"}, "-created")]
        for k in range(self.readers):
            self.threads.append(threading.Thread(target=self._read, args=(qs[k % len(qs)],), daemon=True))
        if self.readers:
            self.threads.append(threading.Thread(target=self._write, daemon=True))
        for t in self.threads:
            t.start()
        return self

    def _read(self, q: Query) -> None:
        while not self.stop.is_set():
            try:
                ours(self.db, q, None)
                self.reads += 1
            except Exception as exc:  # noqa: BLE001 - reported at the end
                self.errors.append(f"reader: {exc}")
                return

    def _write(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ed25519

        from regional import outbox
        from regional.actors import Actor
        from regional.models import LeadRow
        from regional.review import service

        ctx = service.Context("440000", outbox.Signer("440000", ed25519.Ed25519PrivateKey.generate()),
                              service.Policy(()))
        actor = Actor("bench", frozenset({"officer", "supervisor"}))
        rng = random.Random(1)
        while not self.stop.is_set():
            with self.db.read() as s:
                ids = list(s.scalars(sa.select(LeadRow.uuid).where(LeadRow.state == "new",
                                                                   LeadRow.id == rng.randrange(1, 10**6))))
            if not ids:
                continue
            try:
                service.decide(self.db, ctx, ids[0], rng.choice(["confirmed", "need_info"]), "bench",
                               actor=actor, now=T0)
                self.writes += 1
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"writer: {exc}")
                return
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


# ---------------------------------------------------------------- running


def _timed(fn: Callable[[], tuple[int, int]], repeats: int,
           cpu: list[float] | None = None) -> tuple[list[float], tuple[int, int]]:
    """Wall ms of each run (and, into `cpu`, this thread's CPU ms: on SQLite the whole query's work, which a
    machine shared with other jobs does not inflate the way it inflates wall time)."""
    times, got = [], (0, 0)
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.thread_time()
        got = fn()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return times, got


def server_ms(db: Any, q: Query, after: str | None) -> float | None:
    """PostgreSQL: the server's execution time of the statements one queue page runs (EXPLAIN ANALYZE of each,
    summed) — the database's own work, apart from the client and the scheduling of a loaded machine."""
    import re

    statements: list[str] = []

    me = threading.get_ident()

    def capture(conn: Any, clauseelement: Any, multiparams: Any, params: Any, execution_options: Any) -> None:
        # this page's statements only: under --load the readers and the writer use the same engine
        if threading.get_ident() == me and isinstance(clauseelement, sa.sql.Select | sa.sql.CompoundSelect):
            try:
                statements.append(str(clauseelement.compile(dialect=conn.dialect,
                                                            compile_kwargs={"literal_binds": True})))
            except Exception:  # noqa: BLE001 - a value without a literal form: no server time for this query
                statements.append("")

    engine = db.engine if hasattr(db, "engine") else None
    if engine is None or engine.dialect.name != "postgresql":
        return None
    sa.event.listen(engine, "before_execute", capture)
    try:
        ours(db, q, after)
    finally:
        sa.event.remove(engine, "before_execute", capture)
    if "" in statements:
        return None
    total = 0.0
    with engine.connect() as conn:
        for statement in statements:
            plan = [row[0] for row in conn.exec_driver_sql("EXPLAIN (ANALYZE) " + statement.replace("%", "%%"))]
            found = re.search(r"Execution Time: ([\d.]+)", plan[-1])
            total += float(found.group(1)) if found else 0.0
    return round(total, 2)


@contextlib.contextmanager
def _postgres(spec: str, say: Callable[[str], None], keep: str | None = None, reuse: bool = False) -> Iterator[str]:
    """A database URL on the chosen PostgreSQL server, dropped afterwards (unless `keep` names it: then it stays,
    and with `reuse` an existing one is used as it is)."""
    repo = Path(__file__).resolve().parents[2]
    if spec == "local":
        if not (repo / "tests" / "pg.py").exists():
            raise SystemExit("hufu bench review: --pg local needs a source checkout (tests/pg.py); give --pg URL")
        sys.path.insert(0, str(repo))
        from tests.pg import throwaway_server  # type: ignore[import-not-found]

        with throwaway_server() as server:
            say("started a throwaway PostgreSQL cluster")
            yield server.create_database("hufu_bench_review")
        return
    from sqlalchemy.engine import make_url

    base = make_url(spec).set(drivername="postgresql+psycopg")
    name = keep or f"hufu_bench_review_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if exists and not reuse:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        if not exists or not reuse:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            if keep:
                say(f"created the database {name} (kept after the run)")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postings_revision() -> Any:
    """The migration that made PostgreSQL's search posting table (its file name starts with a date)."""
    import importlib.util

    from regional.node import MIGRATIONS

    path = MIGRATIONS / "versions" / "2026_11_30f_review_search_postings.py"
    spec = importlib.util.spec_from_file_location("hufu_review_search_postings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade_kept(url: str, say: Callable[[str], None]) -> None:
    """Bring a kept database to the current schema (`hufu regional migrate` would do the same), then refresh the
    planner's statistics and PostgreSQL's visibility map if a revision ran."""
    from alembic.migration import MigrationContext

    from regional.node import MIGRATIONS
    from sync.db import make_engine, run_migrations

    engine = make_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            before = set(MigrationContext.configure(conn).get_current_heads())
        started = time.perf_counter()
        run_migrations(url, MIGRATIONS)
        with engine.connect() as conn:
            after = set(MigrationContext.configure(conn).get_current_heads())
        if before != after:
            say(f"  upgraded the kept database {sorted(before)} -> {sorted(after)} in "
                f"{time.perf_counter() - started:.0f} s; vacuum and analyze ...")
            with engine.connect() as conn:
                if engine.dialect.name == "postgresql":
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
                else:
                    conn.execute(sa.text("ANALYZE"))
                    conn.commit()
    finally:
        engine.dispose()


def _migrated(url: str) -> bool:
    """Whether the database at `url` holds the leads table (a kept database that is still there)."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return bool(sa.inspect(conn).has_table("leads"))
    finally:
        engine.dispose()


def bench_backend(name: str, url: str, args: argparse.Namespace, say: Callable[[str], None],
                  facts_file: Path | None = None) -> dict[str, Any]:
    """Generate (or, with a kept database's `facts_file`, reuse), then time every query with both tools."""
    from regional.review import queue
    from sync.db import Database

    if facts_file is not None and facts_file.exists():
        facts = json.loads(facts_file.read_text(encoding="utf-8"))
        say(f"{name}: reusing the kept database of {args.leads:,} leads ({facts_file})")
        upgrade_kept(url, say)
    else:
        say(f"{name}: generating {args.leads:,} leads ...")
        facts = generate(url, args.leads, args.seed, say)
        say(f"{name}: generated in {facts['seconds']} s")
        if facts_file is not None:
            facts_file.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    db = Database(url)
    results = []
    try:
        with Load(db, args.load) as load:
            for q in queries(facts):
                with db.read() as session:
                    after = _cursor_at(session, q)
                ours(db, q, after)  # warm the caches the same way for both tools
                baseline(db, q)
                cpu: list[float] = []
                ours_ms, ours_got = _timed(lambda q=q, after=after: ours(db, q, after), args.repeats, cpu)
                base_ms, base_got = _timed(lambda q=q: baseline(db, q), args.repeats)
                # under --load a writer judges leads between the two tools' runs: their totals may then differ by
                # what it wrote; without load they must agree
                if ours_got[1] != base_got[1] and (not args.load or abs(ours_got[1] - base_got[1]) > 1000):
                    raise SystemExit(f"{name}: {q.name}: totals differ: queue {ours_got[1]}, baseline {base_got[1]}")
                exact = ours(db, q, after, exact=True)[1]  # untimed: the real number of matches
                if not (exact == ours_got[1] or (ours_got[1] == queue.COUNT_CAP and exact > queue.COUNT_CAP)
                        or args.load):
                    raise SystemExit(f"{name}: {q.name}: total {ours_got[1]} but {exact} leads match")
                server = server_ms(db, q, after)
                results.append({"query": q.name, "rows": ours_got[0], "total": exact, "shown_total": ours_got[1],
                                "total_exact": exact == ours_got[1],
                                "ours_ms": _stats(ours_ms), "ours_cpu_ms": round(statistics.median(cpu), 2),
                                "ours_server_ms": server, "baseline_ms": _stats(base_ms)})
                say(f"  {q.name:<34} ours {statistics.median(ours_ms):8.1f} ms (cpu {statistics.median(cpu):.1f}"
                    f"{'' if server is None else f', server {server:.1f}'})   baseline "
                    f"{statistics.median(base_ms):8.1f} ms   total {exact:,}"
                    f"{'' if exact == ours_got[1] else f' (shown: more than {ours_got[1]:,})'}")
        if load.errors:
            raise SystemExit(f"{name}: background load failed: {load.errors[0]}")
        extra = {"load_reads": load.reads, "load_writes": load.writes}
    finally:
        db.dispose()
    return {"backend": name, "leads": args.leads, "generate_s": facts["seconds"], "queries": results, **extra}


def _stats(ms: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(ms), 2), "min": round(min(ms), 2), "max": round(max(ms), 2)}


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table (and, with --json, one JSON line last)."""
    from regional.review import queue
    from sync.db import sqlite_url

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown or not backends:
        print(f"hufu bench review: --backends takes sqlite and/or postgresql, not {args.backends!r}", file=sys.stderr)
        return 2
    if args.leads < 1000 or args.repeats < 1 or args.load < 0:
        print("hufu bench review: --leads at least 1000, --repeats at least 1, --load 0 or more", file=sys.stderr)
        return 2
    say(f"machine load (1/5/15 min): {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
        f"on {os.cpu_count()} CPU(s)")
    if args.keep and (args.dir is None or ("postgresql" in backends and args.pg == "local")):
        print("hufu bench review: --keep needs --dir (and, for PostgreSQL, --pg URL: a throwaway cluster does not "
              "outlive the run)", file=sys.stderr)
        return 2
    reports = []
    stem = f"review-bench-{args.leads}-{args.seed}"
    for backend in backends:
        facts_file = args.dir / f"{stem}-{backend}.json" if args.keep else None
        if backend == "sqlite" and facts_file is not None:
            args.dir.mkdir(parents=True, exist_ok=True)
            path = args.dir / f"{stem}.db"
            if not facts_file.exists():  # a half-generated file of an interrupted run is made again
                for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    old.unlink(missing_ok=True)
            reports.append(bench_backend("sqlite", sqlite_url(path), args, say, facts_file))
        elif backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="hufu-bench-review-", dir=args.dir) as tmp:
                reports.append(bench_backend("sqlite", sqlite_url(Path(tmp) / "node.db"), args, say))
        else:
            keep = f"hufu_bench_review_{args.leads}_{args.seed}" if facts_file is not None else None
            with _postgres(args.pg, say, keep, reuse=bool(facts_file and facts_file.exists())) as url:
                if facts_file is not None and facts_file.exists() and not _migrated(url):
                    facts_file.unlink()  # the kept database is gone: generate it again
                reports.append(bench_backend("postgresql", url, args, say, facts_file))
    load_after = os.getloadavg()
    print(f"\nreview queue at {args.leads:,} leads: one page of 50 with its total; median (min-max) of "
          f"{args.repeats} runs, ms; target {TARGET_MS:.0f} ms; load {args.load} reader(s)"
          f"{' + 1 writer' if args.load else ''}")
    print("(cpu: the bench thread's CPU ms of a queue page, median; server: PostgreSQL's execution time of its "
          "statements, EXPLAIN ANALYZE; total: every match, counted untimed — a + marks a total both tools show as "
          f"'more than {queue.COUNT_CAP:,}')")
    print(f"{'backend':<11} {'query':<34} {'queue':>24} {'cpu':>7} {'server':>7} "
          f"{'baseline (OFFSET, COUNT, LIKE)':>34} {'total':>10}")
    worst = 0.0
    for rep in reports:
        for r in rep["queries"]:
            o, b = r["ours_ms"], r["baseline_ms"]
            worst = max(worst, o["max"])
            server = "-" if r["ours_server_ms"] is None else f"{r['ours_server_ms']:.1f}"
            print(f"{rep['backend']:<11} {r['query']:<34} {o['median']:>8.1f} ({o['min']:.1f}-{o['max']:.1f}) "
                  f"{r['ours_cpu_ms']:>7.1f} {server:>7} "
                  f"{b['median']:>16.1f} ({b['min']:.1f}-{b['max']:.1f}) {r['total']:>10,}"
                  f"{'' if r['total_exact'] else '+'}")
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print(f"slowest queue run: {worst:.1f} ms ({verdict} the {TARGET_MS:.0f} ms target); machine load before "
          f"{load_before[0]:.2f}, after {load_after[0]:.2f}")
    if args.json:
        print(json.dumps({"bench": "review", "leads": args.leads, "repeats": args.repeats, "load": args.load,
                          "target_ms": TARGET_MS, "count_cap": queue.COUNT_CAP, "slowest_ms": round(worst, 2),
                          "machine_load": [round(x, 2) for x in (*load_before, *load_after)], "backends": reports},
                         ensure_ascii=False))
    return 0
