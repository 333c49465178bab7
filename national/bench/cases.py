"""`hufu bench cases`: one case-formation cycle after 10,000 new leads, at 100k, 300k and 1M stored leads.

For each table size it builds a national database (SQLite file, or the PostgreSQL database of
`--database-url`) holding N leads of generated sellers (`national/bench/generate.py`: 31 regions,
names, codes, phones, addresses, shop URLs written every way people write them, agents' phones,
namesakes), lets the node start (the first cycle resolves the stored leads in bulk: reported as
`bootstrap`), then, `--repeats` times, files 10,000 new leads as uplink records exactly as the gRPC
server stores them and times one worker cycle, `national.node.form_cases_once`: projection, seller
resolution against the new leads' blocks, officers' decisions, re-forming the cases of the
entities that changed, the blacklist.

Baseline, in the same run on the same database: the full re-resolve that the node ran before
(issue 12) — the same cycle, but every lead's seller resolved again by the batch engine and every
case re-planned (`national.cases.form_cases_full`). It is the fair baseline because it computes the
same thing (entities and cases over all stored leads) from the same data with the same engine,
normalizers and database, and it is what a competent engineer ships first: batch entity
resolution is the textbook method (Splink, dedupe and Zingg re-run over the whole table); it is
charged only for its own cycle (projection and blacklist included for both).

Check (`--no-check` skips it): after the incremental cycles every stored lead is resolved again at
once (`entities.rebuild`, rolled back) and the two are compared — same-entity pairs (precision,
recall, F1 of the incremental entities against the full ones) and the cross-region case groups
(entity x right, two or more regions) each makes. Linking is greedy and order-dependent, so the two
may differ in a few ambiguous records; the check says by how much.

Truth (always, it costs a read): after the incremental cycles the incremental entities are compared with the
generated world's own — the entity the generator drew each lead from, kept with the feed (and with a kept
base's feed) — same-entity pairs over every resolved lead (JSON `truth` per size; null for a base kept before the
feed kept the truth). The check above says how far the incremental cycle is from a full re-resolve; this says how
right either is.

Prints the machine's load, median/min/max per size, a table and, with --json, one JSON line last
with `seconds_per_cycle` per size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

TARGET_S = 5.0
FEED_KEY = "bench_cases_world"  # node_state of a kept base: how many leads the generator made for it


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hufu bench cases`."""
    parser.add_argument("--sizes", default="100000,300000,1000000",
                        help="stored leads before the measured cycles, comma-separated (default 100000,300000,1000000)")
    parser.add_argument("--new", type=int, default=10_000, help="new leads per measured cycle (default 10,000)")
    parser.add_argument("--repeats", type=int, default=3, help="measured incremental cycles per size (default 3; on a --reuse base "
                             "without room for them all, the base is restored before each and every cycle files the "
                             "same new leads)")
    parser.add_argument("--baseline-repeats", type=int, default=3,
                        help="measured full re-resolve cycles per size (default 3; 0 skips the baseline)")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to use instead of SQLite files "
                                               "(its tables are dropped and re-created for every size)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--keep", type=Path, help="keep the SQLite databases in this directory (with --keep, the "
                                                   "state right after each size's bootstrap is also kept, as "
                                                   "national-SIZE-seedSEED-base.db, for --reuse)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep (SQLite): start each size from the state kept after its bootstrap by an "
                             "earlier run with the same size and seed, instead of storing and resolving the leads "
                             "again (a 1,000,000-lead table takes minutes to fill and bootstrap; a copy seconds)")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="skip the check after the incremental cycles: every stored lead resolved again at once "
                             "(a bulk rebuild, rolled back) and its entities and cross-region case groups compared "
                             "with the incremental ones (costs about one bootstrap)")
    parser.add_argument("--tile-from", type=int, metavar="SIZE",
                        help="with --keep (SQLite): make each larger size's base by tiling the kept base of SIZE leads "
                             "(its `national-SIZE-seedSEED-base.db`) size/SIZE times — copies of its stored state with "
                             "their ids shifted and their blocking keys remapped, so no copy shares a block with another "
                             "— instead of generating and resolving a world of that size (minutes of SQL instead of "
                             "~15 CPU minutes at 1M). The cycles then file the SIZE base's own new leads: the same work "
                             "per cycle on a table SIZE/size as large, which isolates the cost of the table's size. Kept "
                             "as national-SIZE-seedSEED-tiledT-base.db; implies --reuse for those sizes")
    parser.add_argument("--json", action="store_true", help="print one JSON line last")


def _say(msg: str) -> None:
    print(f"[bench cases] {msg}", file=sys.stderr, flush=True)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


class Feed:
    """Generated sellers, handed out as leads: N at once into `leads`, then batches as uplink records."""

    def __init__(self, total: int, seed: int) -> None:
        from national.bench.generate import generate

        self.records: Iterator[tuple[dict[str, str], Any]] = generate(total, seed)
        self.rng = random.Random(seed)
        self.sequence: dict[str, int] = {}
        self.filed = 0
        self.truth: list[Any] = []  # the generated entity of each lead handed out: lead `bench-k` is truth[k - 1]

    def _next(self, n: int) -> list[dict[str, str]]:
        out = []
        for _ in range(n):
            rec, entity = next(self.records)
            url = rec.get("shop_url")
            if url and "://" not in url:
                # the generator writes some shop URLs as sellers type them (shop123.taobao.com); a region refuses
                # those at import (docs/formats.md: http(s) URLs only), so the leads that reach national carry one
                rec = {**rec, "shop_url": f"https://{url}"}
            out.append(rec)
            self.truth.append(entity)
        return out

    def skip(self, n: int) -> None:
        """Hand out `n` leads without storing them (as `leads` would: same generator and rights drawn)."""
        for _ in range(n):
            _rec, entity = next(self.records)
            self.truth.append(entity)
            self.filed += 1
            self._right()

    def _right(self) -> str:
        return f"TM-{min(int(self.rng.paretovariate(1.2)), 5000):04d}"  # a few famous marks, a long tail

    def state(self) -> dict[str, Any]:
        """What continues this feed exactly: the records not handed out yet, the rights' generator, the counters
        (kept next to a base, so `--reuse` does not generate the whole world again to skip its stored part)."""
        rest = list(self.records)
        self.records = iter(rest)
        return {"records": rest, "rng": self.rng.getstate(), "sequence": dict(self.sequence), "filed": self.filed,
                "truth": list(self.truth)}

    @classmethod
    def resume(cls, state: dict[str, Any]) -> Feed:
        """A feed continuing from `state` (see `state`)."""
        feed = cls.__new__(cls)
        feed.records = iter(state["records"])
        feed.rng = random.Random()
        feed.rng.setstate(state["rng"])
        feed.sequence = dict(state["sequence"])
        feed.filed = int(state["filed"])
        feed.truth = list(state.get("truth", ()))  # a feed kept before the truth was: the leads filed from now on
        return feed

    def knows_truth(self) -> bool:
        """Is the generated entity of every lead handed out known (not so for a base kept before it was)?"""
        return len(self.truth) == self.filed and None not in self.truth[-1:]

    def leads(self, n: int, now: dt.datetime) -> list[dict[str, Any]]:
        """Rows for the leads table (the stored history)."""
        rows = []
        for rec in self._next(n):
            self.filed += 1
            rows.append({"uuid": str(uuid.uuid4()), "region": rec["region"], "listing_id": f"bench-{self.filed}",
                         "right_number": self._right(), "type": "trademark", "score": 0.9, "reasons": [],
                         "model_version": "bench", "seller_name": rec.get("name"), "seller_uscc": rec.get("uscc"),
                         "seller_phone": rec.get("phone"), "seller_address": rec.get("address"),
                         "seller_shop_url": rec.get("shop_url"), "received_at": now})
        return rows

    def uplink(self, session: Any, n: int, now: dt.datetime) -> None:
        """`n` new leads filed as the gRPC server files them: signed-batch rows and applied uplink records, each
        stored with the fingerprint of the field limits national ingest checked it against (`limits_checked`). A
        generated lead over a limit (the generator writes some shop URLs the lead validator refuses) is not filed:
        ingest refuses a batch holding one before anything is stored (the regions' own check keeps it from being
        sent), so the measured cycle neither re-checks the limits nor quarantines — work the node does not do."""
        from national.models import RecordStatus, UplinkBatch, UplinkRecord
        from sync import limits
        from sync.v1 import sync_pb2

        by_region: dict[str, list[sync_pb2.Record]] = {}
        for rec in self._next(n):
            self.filed += 1
            record = sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, created_at=now.isoformat(),
                                     lead=sync_pb2.Lead(listing_id=f"bench-{self.filed}", right=self._right(),
                                                        type="trademark", score=0.9, model_version="bench",
                                                        seller=sync_pb2.Seller(
                                                            name=rec.get("name", ""), uscc=rec.get("uscc", ""),
                                                            phone=rec.get("phone", ""), address=rec.get("address", ""),
                                                            shop_url=rec.get("shop_url", ""))))
            if limits.valid("Lead", record.lead):
                by_region.setdefault(rec["region"], []).append(record)
        for region, records in sorted(by_region.items()):
            first = self.sequence.get(region, 0) + 1
            batch = UplinkBatch(region=region, epoch=1, first_sequence=first, count=len(records), root=b"bench",
                                signature=b"bench", leaves=b"", cert_serial="bench", received_at=now)
            session.add(batch)
            session.flush()
            session.execute(sa.insert(UplinkRecord), [
                {"region": region, "epoch": 1, "sequence": first + k, "uuid": r.uuid, "revision": 1, "kind": "lead",
                 "status": RecordStatus.APPLIED, "record": r.SerializeToString(), "batch_id": batch.id,
                 "leaf_index": k, "received_at": now, "limits_checked": limits.LIMITS_FINGERPRINT}
                for k, r in enumerate(records)])
            self.sequence[region] = first + len(records) - 1


def _fresh_database(url: str | None, directory: Path, size: int) -> str:
    from national.node import MIGRATIONS
    from sync.db import run_migrations, sqlite_url

    if url is None:
        path = directory / f"national-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db_url = sqlite_url(path)
    else:
        db_url = url
        engine = sa.create_engine(db_url, poolclass=sa.NullPool)
        with engine.begin() as conn:  # an empty database for this size
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    run_migrations(db_url, MIGRATIONS)
    return db_url


def store_leads(db: Any, rows: list[dict[str, Any]]) -> None:
    """Insert lead rows as `sa.insert(leads)` would store them, with one DB-API executemany
    (`national.cases.insert_rows`)."""
    from national.cases import insert_rows

    with db.transaction() as session:
        insert_rows(session.connection(), _lead_table(), rows)


def build_base(url: str, feed: Feed, size: int, now: dt.datetime, bulk: bool = True) -> tuple[Any, float, float, float]:
    """Store `size` leads of `feed` and let the node start over them (its first cycle resolves them all at once,
    `entities.rebuild`, and forms every case): the state the measured cycles start from. With `bulk` the leads are
    written by one executemany per 50,000 (`store_leads`) into a database opened for filling (`_build_pragmas`);
    without, as before (SQLAlchemy inserts, durable commits) — the same rows either way
    (tests/integration/test_bench_cases.py). Returns the database, setup seconds, bootstrap wall and CPU seconds."""
    from national import node
    from sync.db import Database

    db = Database(url)
    if bulk:
        _build_pragmas(db)
    clock = time.perf_counter()
    for start in range(0, size, 50_000):
        rows = feed.leads(min(50_000, size - start), now)
        if bulk:
            store_leads(db, rows)
        else:
            with db.transaction() as session:
                session.execute(sa.insert(_lead_table()), rows)
        _say(f"{size:,}: stored {min(start + 50_000, size):,} leads")
    setup_s = time.perf_counter() - clock
    boot_wall, boot_cpu, boot = _timed(lambda: node.form_cases_once(db, limit=10 ** 9))
    _say(f"{size:,}: bootstrap (bulk resolution of the stored leads) {boot_wall:.1f} s "
         f"(cpu {boot_cpu:.1f} s), {boot.cases_created:,} cases")
    return db, setup_s, boot_wall, boot_cpu


def _build_pragmas(db: Any) -> None:
    """Make a SQLite database being filled for a base quick to write: no fsync, a large page cache. The base is
    state, not what is measured; the measured cycles run on a fresh engine with the node's durable settings."""
    if not db.url.startswith("sqlite"):
        return

    @sa.event.listens_for(db.engine, "connect")
    def _fast(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")  # 256 MB
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()


def _base_path(directory: Path, size: int, seed: int, tiled_from: int | None = None) -> Path:
    if tiled_from is not None and size != tiled_from:
        return directory / f"national-{size}-seed{seed}-tiled{tiled_from}-base.db"
    return directory / f"national-{size}-seed{seed}-base.db"


# key remapping of copy k of a tiled base: XOR with a per-copy constant (SQLite has no XOR operator: (a|c) & ~(a&c))
_TILE_MIX = 0x9E3779B97F4A7C15


def _tile_constant(copy: int) -> int:
    return (copy * _TILE_MIX) & ((1 << 62) - 1)


def tile_base(source: Path, target: Path, copies: int) -> dict[str, float]:
    """Make a base of `copies` x the leads of the kept base `source` (SQLite) by copying its stored state: copy 0 is
    `source` itself; copy k has every id shifted (leads, entities, cases), its lead and case uuids and listing ids
    rewritten (they stay unique) and its blocking keys remapped by a per-copy XOR — so no copy shares a block, a link
    or a case with another, and a new lead of `source`'s world meets exactly the blocks it would meet in `source`.
    The counters the model reads (records stored, TF denominators) stay the source's, so a cycle on the tiled base
    decides exactly as on `source` (same pairs, links, entities and cases: tests/integration/test_bench_cases.py); the
    lead cursor and the next entity id follow the last copy. Setup for `hufu bench cases --tile-from`: what is
    measured on it is the cost of the table's size with the work per cycle held equal. Returns seconds (wall, cpu)."""
    import sqlite3

    wall, cpu = time.perf_counter(), time.process_time()
    _copy_database(source, target)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-1048576")  # 1 GiB: the keys' B-tree is written in random order
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("BEGIN")
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        if one("SELECT count(*) FROM sqlite_master WHERE name = 'seller_keys_recent'"):
            # the recent keys join seller_keys first (as the cycle's bulk merge does): copies are made of seller_keys
            conn.execute("INSERT INTO seller_keys (key, lead_id) SELECT key, lead_id FROM seller_keys_recent "
                         "ORDER BY key, lead_id")
            conn.execute("DELETE FROM seller_keys_recent")
            conn.execute("DELETE FROM node_state WHERE key = 'er_recent_keys'")
        lead_span = int(one("SELECT max(id) FROM leads"))
        case_span = int(one("SELECT coalesce(max(id), 0) FROM cases"))
        state = dict(conn.execute("SELECT key, value FROM node_state").fetchall())
        entity_span = int(state.get("er_next_entity") or one("SELECT coalesce(max(id), 0) + 1 FROM seller_entities"))
        if int(one("SELECT count(*) FROM leads")) != lead_span or int(state.get("er_lead_cursor", -1)) != lead_span:
            raise SystemExit(f"hufu bench cases: {source} is not a bench base (lead ids 1..N, every lead resolved)")

        def columns(table: str) -> list[str]:
            return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]

        def copy(table: str, changed: dict[str, str], order: str | None = None, skip: tuple[str, ...] = ()) -> None:
            names = [c for c in columns(table) if c not in skip]
            exprs = [changed.get(c, f'"{c}"') for c in names]
            cols = ", ".join(f'"{c}"' for c in names)
            tail = f" ORDER BY {order}" if order else ""
            conn.execute(f'INSERT INTO "{table}" ({cols}) SELECT {", ".join(exprs)} FROM "{table}" '
                         f"WHERE {where[table]}{tail}")

        # the source's rows (copy 0): what every copy is made from
        where = {"leads": f"id <= {lead_span}", "seller_records": f"lead_id <= {lead_span}",
                 "seller_keys": f"lead_id <= {lead_span}", "seller_links": f"lead_a <= {lead_span}",
                 "seller_entities": f"id < {entity_span}", "cases": f"id <= {case_span}",
                 "merge_reviews": f"lead_a <= {lead_span}"}
        for table in ("audit_log", "downlink", "downlink_bodies"):
            where[table] = f"rowid <= {int(one(f'SELECT coalesce(max(rowid), 0) FROM {table}'))}"
        for k in range(1, copies):
            lo, le, lc = k * lead_span, k * entity_span, k * case_span
            mix = _tile_constant(k)
            uuid8 = f"printf('%08x', {k}) || substr(uuid, 9)"
            copy("leads", {"id": f"id + {lo}", "uuid": uuid8, "listing_id": f"'tile{k}-' || listing_id",
                           "case_id": f"case_id + {lc}"}, order="id")
            copy("seller_entities", {"id": f"id + {le}"}, order="id")
            copy("seller_records", {"lead_id": f"lead_id + {lo}", "entity_id": f"entity_id + {le}"}, order="lead_id")
            key = f"((key | {mix}) & ~(key & {mix}))"
            copy("seller_keys", {"key": key, "lead_id": f"lead_id + {lo}"}, order=f"{key}, lead_id")
            copy("seller_links", {"lead_a": f"lead_a + {lo}", "lead_b": f"lead_b + {lo}"}, order="lead_a, lead_b")
            copy("cases", {"id": f"id + {lc}", "uuid": uuid8, "entity_id": f"entity_id + {le}",
                           "prior_case_id": f"prior_case_id + {lc}"}, order="id")
            copy("downlink", {"uuid": uuid8}, order="id", skip=("id",))
            copy("downlink_bodies", {"uuid": uuid8}, order="uuid, revision")
            copy("merge_reviews", {"lead_a": f"lead_a + {lo}", "lead_b": f"lead_b + {lo}"}, order="id", skip=("id",))
            copy("audit_log", {}, order="id", skip=("id",))
        moved = {"er_lead_cursor": str(copies * lead_span), "er_next_entity": str(copies * entity_span),
                 "cases_formed_through_lead": str(copies * lead_span)}
        conn.executemany("UPDATE node_state SET value = ? WHERE key = ?", [(v, k) for k, v in moved.items()])
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def _feed_path(base: Path) -> Path:
    """Where the feed of a kept base is kept (the leads not filed yet, see `Feed.state`)."""
    return base.with_suffix(".feed")


def _copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database (no connection open on either; WAL checkpointed into the main file first)."""
    import shutil
    import sqlite3

    conn = sqlite3.connect(source)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def _restored(base: Path, path: Path) -> Any:
    """The database at `path` made a copy of the kept base `base` again, brought to this tree's schema, opened with
    the node's own settings (a repeat of `measure_size` on a base without room for every repeat's new leads)."""
    from national.node import MIGRATIONS
    from sync.db import Database, run_migrations, sqlite_url

    _copy_database(base, path)
    url = sqlite_url(path)
    run_migrations(url, MIGRATIONS)
    return Database(url)


def _summary(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "min": None, "max": None}
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _schedstat() -> tuple[float, float] | None:
    """(seconds on a CPU, seconds runnable but waiting for one) of this process's main thread, from the kernel's
    scheduler statistics (Linux `/proc/self/schedstat`); None where there are none."""
    try:
        with open("/proc/self/schedstat") as f:
            on_cpu, waiting = f.read().split()[:2]
    except (OSError, ValueError):
        return None
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def _timed_split(fn: Callable[[], Any]) -> tuple[float, float, Any, dict[str, float | None]]:
    """`_timed`, and where the wall time went: `runqueue_seconds`, runnable but waiting for a CPU another process
    held (a shared machine's load), and `off_cpu_seconds`, neither running nor runnable (blocked on I/O, fsync, a
    lock or a sleep) = wall - on-CPU - runqueue. None without scheduler statistics."""
    before = _schedstat()
    wall, cpu, result = _timed(fn)
    after = _schedstat()
    if before is None or after is None:
        return wall, cpu, result, {"runqueue_seconds": None, "off_cpu_seconds": None}
    waited = after[1] - before[1]
    return wall, cpu, result, {"runqueue_seconds": round(waited, 3),
                               "off_cpu_seconds": round(max(wall - (after[0] - before[0]) - waited, 0.0), 3)}


def _full_cycle(db: Any, now: dt.datetime) -> Any:
    """The cycle the node ran before: projection, then every seller and case again (one transaction)."""
    from national import cases
    from national.node import project_pending

    project_pending(db)
    with db.transaction() as session:
        return cases.form_cases_full(session, now)


def _case_groups(rows: list[tuple[int, str, str]], label: dict[int, int]) -> set[frozenset[int]]:
    """The cross-region case groups a labelling of sellers makes: leads of one entity and one right, 2+ regions."""
    groups: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for lead_id, region, right in rows:
        if lead_id in label:
            groups.setdefault((label[lead_id], right), []).append((lead_id, region))
    return {frozenset(i for i, _r in g) for g in groups.values() if len({r for _i, r in g}) >= 2}


def check_against_truth(db: Any, feed: Feed) -> dict[str, Any] | None:
    """The incremental entities against the generated world's own (the truth the generator drew each lead from):
    same-entity pairs over every resolved lead, precision/recall/F1 (None when the feed does not know the truth)."""
    from national.bench.metrics import pair_scores

    if not feed.knows_truth():
        return None
    with db.read() as session:
        rows = session.execute(sa.text("SELECT l.listing_id, r.entity_id FROM leads l "
                                        "JOIN seller_records r ON r.lead_id = l.id")).all()
    predicted, truth = [], []
    for listing, entity in rows:
        if listing.startswith("bench-") and 0 < (n := int(listing[6:])) <= len(feed.truth):
            predicted.append(entity)
            truth.append(feed.truth[n - 1])
    scores = pair_scores(predicted, truth)
    return {"leads": len(predicted), "entity_pair_precision": round(scores.precision, 5),
            "entity_pair_recall": round(scores.recall, 5), "entity_pair_f1": round(scores.f1, 5)}


def check_against_full(db: Any, now: dt.datetime) -> dict[str, Any]:
    """Resolve every stored lead again at once (`entities.rebuild`, rolled back) and compare with the incremental
    state: same-entity pairs (precision/recall/F1 of incremental against full) and cross-region case groups."""
    from national import entities
    from national.bench.metrics import pair_scores

    session = db.sessions()
    try:
        def labels() -> dict[int, int]:
            return dict(session.execute(sa.text("SELECT lead_id, entity_id FROM seller_records")).all())

        rows = [tuple(r) for r in session.execute(sa.text("SELECT id, region, right_number FROM leads")).all()]
        incremental = labels()
        entities.rebuild(session, now)
        full = labels()
    finally:
        session.rollback()
        session.close()
    ids = sorted(set(incremental) & set(full))
    scores = pair_scores([incremental[i] for i in ids], [full[i] for i in ids])
    inc_groups, full_groups = _case_groups(rows, incremental), _case_groups(rows, full)
    same = len(inc_groups & full_groups)
    return {"leads": len(ids), "entity_pair_precision": round(scores.precision, 5),
            "entity_pair_recall": round(scores.recall, 5), "entity_pair_f1": round(scores.f1, 5),
            "case_groups_incremental": len(inc_groups), "case_groups_full": len(full_groups),
            "case_groups_identical": same,
            "case_groups_identical_share": round(same / max(len(inc_groups | full_groups), 1), 5),
            "identical": incremental == full or (scores.f1 == 1.0 and inc_groups == full_groups)}


def forget_values() -> None:
    """Empty the process's caches of normalized values (the normalizers' bounded caches, the incremental resolver's
    remembered field values, record facts, case keys): each size's cycles start as a fresh worker's would. Without
    this a tiled size, whose cycles file the very leads an earlier size of the same run filed, found every new
    seller already normalized (session 16: 8.7 vs 11.9 CPU s per cycle at 300k tiled vs 100k)."""
    import national.cases
    import national.dedup.normalize
    from national import entities
    from national.dedup import incremental

    incremental._normalized.clear()
    for module in (national.dedup.normalize, national.cases, entities):
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:  # bounded: a cache of values, not a built table
                value.cache_clear()


def measure_size(size: int, args: argparse.Namespace, directory: Path) -> dict[str, Any]:
    """Build a table of `size` leads and time incremental and full cycles on it."""
    from national import entities, node
    from sync.db import Database, sqlite_url

    forget_values()

    now = dt.datetime.now(dt.UTC)
    tiled = getattr(args, "tile_from", None) is not None and size != args.tile_from
    base_path = _base_path(args.keep, size, args.seed, args.tile_from if tiled else None) \
        if args.keep is not None and not args.database_url else None
    tile_s: dict[str, float] | None = None
    if tiled and base_path is not None and not base_path.exists():
        source = _base_path(args.keep, args.tile_from, args.seed)
        if not source.exists() or not _feed_path(source).exists():
            raise SystemExit(f"hufu bench cases: --tile-from {args.tile_from} needs the kept base {source} and its "
                             f"feed: run once with --sizes {args.tile_from} --keep {args.keep} first")
        _say(f"{size:,}: tiling {source} x{size // args.tile_from} (setup, not measured)")
        tile_s = tile_base(source, base_path, size // args.tile_from)
        import shutil

        shutil.copyfile(_feed_path(source), _feed_path(base_path))
        _say(f"{size:,}: tiled base kept as {base_path} in {tile_s['wall']:.1f} s (cpu {tile_s['cpu']:.1f} s)")
    reused = bool((args.reuse or tiled) and base_path is not None and base_path.exists())
    if reused:
        assert base_path is not None
        path = directory / f"national-{size}.db"
        _copy_database(base_path, path)
        url = sqlite_url(path)
        from national.node import MIGRATIONS
        from sync.db import run_migrations

        run_migrations(url, MIGRATIONS)  # a base kept by an older tree: brought to this tree's schema
    else:
        url = _fresh_database(args.database_url, directory, size)
    db = Database(url)
    restore = False  # is the kept base copied back before each incremental cycle (see below)?
    world = args.tile_from if tiled else size  # the leads of the generated world stored before the cycles
    total = world + args.new * (args.repeats + args.baseline_repeats)
    if reused:
        # the generator shuffles the whole world it makes: the new leads continue the kept base's stored ones only
        # when the world is the same size as the one the base was made from
        with db.read() as session:
            made = session.execute(sa.text("SELECT value FROM node_state WHERE key = :k"), {"k": FEED_KEY}).scalar()
        if made is not None and int(made) < total:
            # a base without room for every repeat's new leads: each incremental cycle starts from the kept base
            # again (copied back, the feed resumed, the normalizers' caches emptied) and files the same new leads —
            # the same cycle measured `--repeats` times; the baseline's cycles follow the last one
            once = world + args.new * (1 + args.baseline_repeats)
            if int(made) < once:
                raise SystemExit(f"hufu bench cases: {base_path} was made for {int(made) - world:,} new leads after "
                                 f"its {world:,} (a world of {int(made):,}); this run needs {once - world:,} even "
                                 f"with the base restored between repeats: use fewer --new/--baseline-repeats or make "
                                 f"a new base")
            restore = args.repeats > 1
            _say(f"{size:,}: {base_path} has room for {(int(made) - world) // args.new} batch(es) of {args.new:,} "
                 f"new leads: the base is restored before each of the {args.repeats} incremental cycles (each files "
                 f"the same leads)")
        total = int(made) if made is not None else total
    feed_path = _feed_path(base_path) if base_path is not None else None
    feed_state: dict[str, Any] | None = None  # with `restore`: the feed as the base left it, resumed every repeat
    boot_wall = boot_cpu = setup_s = 0.0
    try:
        if reused:
            clock = time.perf_counter()
            if feed_path is not None and feed_path.exists():  # the feed as the base left it: nothing to generate
                with feed_path.open("rb") as f:
                    feed = Feed.resume(pickle.load(f))
            else:  # a base kept before the feed was kept with it: generate the world again and skip its stored part
                feed = Feed(total, args.seed)
                feed.skip(world)
            with db.read() as session:
                stored = session.execute(sa.text("SELECT count(*) FROM leads")).scalar_one()
            if stored != size:
                raise SystemExit(f"hufu bench cases: {base_path} holds {stored:,} leads, not {size:,}")
            with db.read() as session:
                version = session.execute(sa.text("SELECT value FROM node_state WHERE key = :k"),
                                          {"k": entities.VERSION_KEY}).scalar()
            if version != entities.ER_VERSION:
                raise SystemExit(f"hufu bench cases: {base_path} was resolved with entity-resolution version "
                                 f"{version}, this code has {entities.ER_VERSION}: its first cycle would rebuild "
                                 f"every lead, not resolve {args.new:,} new ones; run once with --keep and without "
                                 f"--reuse to make a new base")
            setup_s = time.perf_counter() - clock
            _say(f"{size:,}: reused the state kept after an earlier bootstrap ({base_path}) in {setup_s:.1f} s")
        else:
            db.dispose()
            feed = Feed(total, args.seed)
            db, setup_s, boot_wall, boot_cpu = build_base(url, feed, size, now)
            if base_path is not None:
                with db.transaction() as session:  # the world the base was made from (see --reuse)
                    session.execute(sa.text("INSERT INTO node_state (key, value) VALUES (:k, :v)"),
                                    {"k": FEED_KEY, "v": str(total)})
            db.dispose()
            if base_path is not None and feed_path is not None:
                _copy_database(directory / f"national-{size}.db", base_path)
                with feed_path.open("wb") as f:
                    pickle.dump(feed.state(), f, protocol=pickle.HIGHEST_PROTOCOL)
                _say(f"{size:,}: kept the state after the bootstrap as {base_path} (--reuse starts from it)")
            db = Database(url)  # the measured cycles: the node's own durable settings
        node.warm_up_cycle()  # as a running worker has (`run_worker`): imports and loading are not a cycle's cost
        if restore:
            feed_state = feed.state()
        runs: list[dict[str, Any]] = []
        for k in range(args.repeats):
            if restore and k > 0:  # the kept base again, as the first cycle found it (setup, not measured)
                assert base_path is not None and feed_state is not None
                db.dispose()
                db = _restored(base_path, directory / f"national-{size}.db")
                feed = Feed.resume(feed_state)
                forget_values()
            with db.transaction() as session:
                feed.uplink(session, args.new, now)
            wall, cpu, result, split = _timed_split(lambda db=db: node.form_cases_once(db))
            stages = {name: round(v, 3) for name, v in result.seconds.items()}
            runs.append({"seconds": wall, "cpu_seconds": cpu, **split, "leads": result.leads_resolved,
                         "pairs_scored": result.pairs_scored,
                         "entities": result.entities_affected, "cases_created": result.cases_created,
                         "cases_updated": result.cases_updated, "stages": stages, "load": os.getloadavg()[0]})
            waited = "" if split["runqueue_seconds"] is None else \
                f", waiting for a CPU {split['runqueue_seconds']:.2f} s, off-CPU {split['off_cpu_seconds']:.2f} s"
            _say(f"{size:,}: incremental cycle {k + 1}/{args.repeats}: {wall:.2f} s (cpu {cpu:.2f} s{waited}), "
                 f"{result.leads_resolved:,} leads, {result.pairs_scored:,} pairs scored, "
                 f"{result.entities_affected:,} entities, "
                 f"{result.cases_created} cases formed, {result.cases_updated} updated; load {_load()}")
        truth = check_against_truth(db, feed)
        if truth is not None:
            _say(f"{size:,}: incremental entities vs the generated world's of the same {truth['leads']:,} leads: "
                 f"same-entity pairs P {truth['entity_pair_precision']:.5f} R {truth['entity_pair_recall']:.5f} "
                 f"F1 {truth['entity_pair_f1']:.5f}")
        check: dict[str, Any] | None = None
        if args.check:
            clock = time.perf_counter()
            check = check_against_full(db, now)
            _say(f"{size:,}: incremental vs full re-resolve of the same {check['leads']:,} leads: entity pairs "
                 f"P {check['entity_pair_precision']:.4f} R {check['entity_pair_recall']:.4f} "
                 f"F1 {check['entity_pair_f1']:.4f}; cross-region case groups identical "
                 f"{check['case_groups_identical']:,} of {check['case_groups_incremental']:,} incremental / "
                 f"{check['case_groups_full']:,} full ({time.perf_counter() - clock:.0f} s)")
        base: list[dict[str, Any]] = []
        for k in range(args.baseline_repeats):
            with db.transaction() as session:
                feed.uplink(session, args.new, now)
            wall, cpu, result = _timed(lambda: _full_cycle(db, now))
            base.append({"seconds": wall, "cpu_seconds": cpu, "load": os.getloadavg()[0]})
            _say(f"{size:,}: full re-resolve cycle {k + 1}/{args.baseline_repeats}: {wall:.2f} s (cpu {cpu:.2f} s); "
                 f"load {_load()}")
    finally:
        db.dispose()
    return {"size": size, "reused": reused, "restored_between_repeats": restore, "tiled_from": args.tile_from if tiled else None,
            "tile_seconds": None if tile_s is None else round(tile_s["wall"], 1),
            "tile_cpu_seconds": None if tile_s is None else round(tile_s["cpu"], 1),
            "setup_seconds": round(setup_s, 1),
            "bootstrap_seconds": round(boot_wall, 2),
            "bootstrap_cpu_seconds": round(boot_cpu, 2),
            "incremental": _summary([r["seconds"] for r in runs]),
            "incremental_cpu": _summary([r["cpu_seconds"] for r in runs]),
            "incremental_runqueue": _summary([r["runqueue_seconds"] for r in runs
                                              if r["runqueue_seconds"] is not None]),
            "incremental_off_cpu": _summary([r["off_cpu_seconds"] for r in runs if r["off_cpu_seconds"] is not None]),
            "baseline": _summary([r["seconds"] for r in base]),
            "baseline_cpu": _summary([r["cpu_seconds"] for r in base]),
            "leads_resolved": [r["leads"] for r in runs],
            # what each incremental cycle did (a restored base's repeats must all have done the same)
            "work_per_cycle": [{k: r[k] for k in ("leads", "pairs_scored", "entities", "cases_created",
                                                  "cases_updated")} for r in runs],
            "check": check, "truth": truth, "runs": runs,
            "baseline_runs": base}


def _stage_medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Each stage's median over the measured cycles (wall seconds, and CPU seconds under NAME_cpu)."""
    names = list(dict.fromkeys(n for r in runs for n in r["stages"]))
    return {n: round(statistics.median(r["stages"].get(n, 0.0) for r in runs), 3) for n in names}


def _lead_table() -> Any:
    from national.models import NationalLead

    return NationalLead.__table__


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; 0 when it ran (the target is reported, not enforced)."""
    if args.reuse and (args.keep is None or args.database_url):
        print("hufu bench cases: --reuse needs --keep DIR and SQLite (no --database-url)", file=sys.stderr)
        return 2
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    if getattr(args, "tile_from", None) is not None and (
            args.keep is None or args.database_url or args.tile_from < 1
            or any(size % args.tile_from or size < args.tile_from for size in sizes)):
        print("hufu bench cases: --tile-from SIZE needs --keep DIR, SQLite, and every size a multiple of SIZE",
              file=sys.stderr)
        return 2
    if not sizes or min(sizes) < 1 or args.new < 1 or args.repeats < 1 or args.baseline_repeats < 0:
        print("hufu bench cases: --sizes, --new and --repeats must be positive", file=sys.stderr)
        return 2
    engine = "postgresql" if args.database_url else "sqlite"
    load_before = _load()
    _say(f"machine load {load_before}; engine {engine}; sizes {sizes}; {args.new:,} new leads per cycle")
    results = []
    with tempfile.TemporaryDirectory(prefix="hufu-bench-cases-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            results.append(measure_size(size, args, directory))
    load_after = _load()
    print(f"hufu bench cases — {engine}, {args.new:,} new leads per cycle, {args.repeats} incremental and "
          f"{args.baseline_repeats} full cycles per size; load before {load_before}, after {load_after}")
    print(f"{'stored leads':>13} | {'incremental s (median, min-max)':>32} | {'cpu s':>6} | "
          f"{'full re-resolve s (median, min-max)':>36} | {'cpu s':>7} | {'speed-up':>8}")
    for r in results:
        inc, base = r["incremental"], r["baseline"]
        speed = f"{base['median'] / inc['median']:.0f}x" if base["median"] and inc["median"] else "-"
        base_text = f"{base['median']:.2f} ({base['min']:.2f}-{base['max']:.2f})" if base["median"] else "-"
        base_cpu = f"{r['baseline_cpu']['median']:.2f}" if r["baseline_cpu"]["median"] else "-"
        print(f"{r['size']:>13,} | {inc['median']:>14.2f} ({inc['min']:.2f}-{inc['max']:.2f}){'':>8} | "
              f"{r['incremental_cpu']['median']:>6.2f} | {base_text:>36} | {base_cpu:>7} | {speed:>8}")
    for r in results:
        if (c := r["check"]) is not None:
            print(f"{r['size']:>13,} | incremental vs full re-resolve of the same {c['leads']:,} leads: same-entity "
                  f"pairs P {c['entity_pair_precision']:.4f} R {c['entity_pair_recall']:.4f} "
                  f"F1 {c['entity_pair_f1']:.4f}; cross-region case groups identical {c['case_groups_identical']:,} "
                  f"({c['case_groups_incremental']:,} incremental, {c['case_groups_full']:,} full)")
    names = [n for n in _stage_medians(results[0]["runs"]) if n.endswith("_cpu")]
    print("CPU s per stage of the incremental cycle (median of the cycles): " + ", ".join(
        f"{r['size']:,}: " + " ".join(f"{n[:-4]} {_stage_medians(r['runs']).get(n, 0.0):.2f}" for n in names)
        for r in results))
    if all(r["incremental_runqueue"]["median"] is not None for r in results):
        print("wall s of the incremental cycle beyond its CPU s (median): " + ", ".join(
            f"{r['size']:,}: waiting for a CPU {r['incremental_runqueue']['median']:.2f}, off-CPU (I/O, fsync, locks, "
            f"sleeps) {r['incremental_off_cpu']['median']:.2f}" for r in results))
    for r in results:
        if (t := r["truth"]) is not None:
            print(f"{r['size']:>13,} | incremental entities vs the generated truth, {t['leads']:,} leads: same-entity "
                  f"pairs P {t['entity_pair_precision']:.5f} R {t['entity_pair_recall']:.5f} "
                  f"F1 {t['entity_pair_f1']:.5f}")
    worst = max(r["incremental"]["median"] for r in results)
    print(f"target: a cycle after {args.new:,} new leads <= {TARGET_S:.0f} s at every size: "
          f"{'met' if worst <= TARGET_S else 'NOT met'} (worst median {worst:.2f} s)")
    if args.json:
        print(json.dumps({
            "engine": engine, "new_leads": args.new, "repeats": args.repeats, "load_before": load_before,
            "load_after": load_after,
            "seconds_per_cycle": {str(r["size"]): r["incremental"]["median"] for r in results},
            "cpu_seconds_per_cycle": {str(r["size"]): r["incremental_cpu"]["median"] for r in results},
            # where the rest of the wall time went (see `_timed_split`): waiting for a CPU, and blocked
            "runqueue_seconds_per_cycle": {str(r["size"]): r["incremental_runqueue"]["median"] for r in results},
            "off_cpu_seconds_per_cycle": {str(r["size"]): r["incremental_off_cpu"]["median"] for r in results},
            "baseline_seconds_per_cycle": {str(r["size"]): r["baseline"]["median"] for r in results},
            "sizes": [{k: v for k, v in r.items() if k not in ("runs", "baseline_runs")} for r in results],
            "stages": {str(r["size"]): _stage_medians(r["runs"]) for r in results},
            "pairs_scored_per_cycle": {str(r["size"]): statistics.median(x["pairs_scored"] for x in r["runs"])
                                       for r in results},
            "check": {str(r["size"]): r["check"] for r in results},
            "truth": {str(r["size"]): r["truth"] for r in results},
        }))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m national.bench.cases`."""
    parser = argparse.ArgumentParser(prog="hufu bench cases", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
