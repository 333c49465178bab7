"""`hufu bench sync`: leads pushed over mutual TLS into a national node, against a plain insert.

The tool's path, end to end: each region's outbox, signed batches over gRPC with mutual TLS
to a national gRPC server in its own process, verified, validated and applied in one durable
transaction per batch, acknowledged; regions push at once, one process each. Then the lead
projection unpacks every record into the leads table (timed on its own).

The baseline, in the same run, on the same engine: what a competent engineer would write to
store the same rows in the same table with the same durability — a plain DB-API `executemany`
per batch of 500 rows, one commit per batch (sqlite3 with WAL and synchronous=FULL; psycopg on
a PostgreSQL server with fsync and synchronous_commit on). It does no verification, no
network and no projection: it is the floor the sync path is measured against.

Checks: nothing lost, nothing doubled, every stored record byte-for-byte equal to the
region's outbox, every lead projected. With several regions, fairness: the share of its
records the slowest region had delivered when the first region finished (1.0 = all moved in
step, 0 = a region starved), and each region's first acknowledgement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOW = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
BATCH = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hufu bench sync`."""
    parser.add_argument("--leads", type=int, default=100_000, help="leads in all, split over the regions "
                                                                     "(default 100,000)")
    parser.add_argument("--regions", type=int, default=1, help="regions pushing at once, one process each "
                                                               "(1 to 31; default 1)")
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both",
                        help="the national node's database engine (default both; postgres starts a throwaway "
                             "durable cluster, or uses HUFU_BENCH_PG_URL)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per engine; median, min and max are "
                                                               "reported (default 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON line last")
    parser.add_argument("--keep", type=Path, help="keep the databases and logs in this directory")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage of the path in one process, without gRPC (region: outbox read, "
                             "signing, message encoding; national: message decoding, batch verification, record "
                             "parsing and checks, the store statements, the commit; the baseline's statements and "
                             "commit): CPU and wall seconds per 10k records, in the table and under \"stages\" in "
                             "the JSON")


def _say(msg: str) -> None:
    print(f"[bench sync] {msg}", file=sys.stderr, flush=True)


def _lead(i: int, code: str):  # type: ignore[no-untyped-def]
    """A lead record as today's regional software files it (regional/services.lead_record): every field filled."""
    from sync.v1 import sync_pb2

    return sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, created_at=NOW.isoformat(), lead=sync_pb2.Lead(
        listing_id=f"tb-{code}-{i:07d}", right=f"TM-{i % 5000:07d}", type="trademark", score=0.9,
        reasons=["mark '康帅傅' looks like '康师傅' (1 character differs, same pinyin initials)", "same goods class 30"],
        reason_codes=[sync_pb2.ReasonCode(code="tm.lookalike", params_json='{"mark": "康师傅", "window": "康帅傅"}'),
                      sync_pb2.ReasonCode(code="tm.same_class", params_json='{"class": 30}')],
        model_version="trademark-2026.11.0", listing_title=f"康帅傅 红烧牛肉面 五连包 {i}", right_title="康师傅",
        listing_url=f"https://item.taobao.com/item.htm?id={i}", platform="taobao", source="ecommerce",
        seller=sync_pb2.Seller(name=f"深圳某商行{i % 997}", uscc="91440300MA5F12345X", phone="13800138000",
                               address="广东省深圳市宝安区", shop_url=f"https://shop{i % 997}.taobao.com/"),
        detected_at=NOW.isoformat(), state="new", origin="monitoring", industry=30, city="440300"))


def _fill_region(root: Path, pki: Path, code: str, n: int) -> Path:
    from regional import outbox
    from regional.node import MIGRATIONS
    from sync.db import Database, run_migrations, sqlite_url

    path = root / f"region-{code}.db"
    url = sqlite_url(path)
    run_migrations(url, MIGRATIONS)
    db = Database(url)
    signer = outbox.Signer.from_file(code, pki / "regions" / code / "signing.key")
    for start in range(0, n, 5000):
        with db.transaction() as session:
            outbox.append_many(session, signer, [_lead(i, code) for i in range(start, min(n, start + 5000))], NOW)
    db.dispose()
    return path


def _reset_region(path: Path) -> None:
    """Forget what a previous repeat acknowledged, so the region sends everything again."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM sync_state WHERE key IN ('acked_sequence', 'last_push_ok', 'last_error')")
    conn.commit()
    conn.close()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a live process and every live process it started (the national server's verifier
    processes and their fork server) have used so far (Linux /proc; 0.0 where unavailable)."""
    return _own_cpu_seconds(pid) + sum(_cpu_seconds(child) for child in _children(pid))


def _own_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` alone (0.0 where unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError):
        return []
    return out


@contextmanager
def _national(root: Path, pki: Path, url: str | None) -> Iterator[tuple[int, str, Any]]:
    """A national data dir on `url` (None: SQLite in the dir) with its gRPC server process."""
    from national.config import NationalConfig
    from national.node import init_node

    cfg = NationalConfig.load(root, env={}, pki_dir=pki, database_url=url)
    init_node(cfg)
    log = open(root / "national.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "national.cli", "national", "serve", "--data-dir",
                             str(cfg.data_dir)], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    port_file = cfg.run_dir / "grpc.json"
    deadline = time.monotonic() + 60
    try:
        while not port_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"national server did not start; see {root / 'national.log'}")
            time.sleep(0.05)
        yield int(json.loads(port_file.read_text())["port"]), cfg.db_url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _push_process(code: str, region_db: str, pki: str, port: int, go: Any, out: Any) -> None:
    """One region, in its own process: push everything once the start signal is given; report ack times."""
    from regional import outbox, sync_agent
    from sync.db import Database, sqlite_url
    from sync.transport import client_channel

    db = Database(sqlite_url(Path(region_db)))
    creds = Path(pki) / "regions" / code
    channel = client_channel(f"127.0.0.1:{port}", creds / "ca.crt", creds / "region.crt", creds / "region.key")
    signer = outbox.Signer.from_file(code, creds / "signing.key")
    with db.read() as session:
        total = outbox.last_sequence(session, 1)
    sent_at: dict[int, float] = {}
    acks: list[tuple[float, int]] = []
    latencies: list[float] = []

    firsts: list[int] = []

    def observe(event: str, first: int) -> None:
        now = time.monotonic()
        if event == "sent":
            sent_at[first] = now
            firsts.append(first)
        else:
            later = [f for f in firsts if f > first]
            acks.append((now, min(later) - 1 if later else min(first + BATCH - 1, total)))
            if first in sent_at:
                latencies.append((now - sent_at.pop(first)) * 1000)

    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    # connect (TCP + the mutual-TLS handshake) before the start signal, as the baseline opens its database
    # connection before its clock starts: the channel is lazy, so without this the first exchange paid for it
    import grpc

    grpc.channel_ready_future(channel).result(timeout=60)
    go.wait()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_at_go = usage.ru_utime + usage.ru_stime
    started = time.monotonic()
    high = 0
    error = ""
    try:
        while high < total:
            high = sync_agent.push_once(db, channel, signer, clock=clock, timeout=120, observer=observe).high_water
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        error = f"{type(exc).__name__}: {exc}"
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.put({"code": code, "started": started, "acks": acks, "latencies": latencies, "total": total,
             "high": high, "error": error, "cpu_s": usage.ru_utime + usage.ru_stime - cpu_at_go})
    channel.close()
    db.dispose()


@dataclass
class Run:
    """One repeat on one engine."""

    sync_per_s: float
    raw_per_s: float
    projection_per_s: float
    lost: int
    duplicated: int
    differing: int
    projected: int
    leads: int
    slowest_share: float
    first_ack_max_s: float
    p50_ms: float
    p99_ms: float
    sync_cpu_s: float = 0.0  # national server process + every region process, from the start signal
    server_own_cpu_s: float = 0.0  # of which the national server's own process (gRPC, TLS, the store)
    region_cpu_s: float = 0.0  # … and the region processes (the rest: the server's verifier processes)
    raw_cpu_s: float = 0.0
    projection_cpu_s: float = 0.0  # this process (with SQLite, the database's work too; not a PostgreSQL server's)
    errors: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.sync_per_s / self.raw_per_s if self.raw_per_s else 0.0


class _Clock:
    """CPU (this thread) and wall seconds accumulated per stage."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            yield
        finally:
            self.cpu[name] = self.cpu.get(name, 0.0) + time.thread_time() - cpu
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall


@contextmanager
def _no_stage(_name: str) -> Iterator[None]:
    yield


def _stored(url: str) -> dict[tuple[str, int, int], bytes]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT region, epoch, sequence, record FROM uplink_records")).all()
    engine.dispose()
    out: dict[tuple[str, int, int], bytes] = {}
    for region, epoch, seq, body in rows:
        key = (str(region), int(epoch), int(seq))
        out[key] = b"\x00dup" if key in out else bytes(body)
    return out


def _outboxes(region_dbs: dict[str, Path]) -> dict[tuple[str, int, int], tuple[str, bytes]]:
    import sqlite3

    out = {}
    for code, path in region_dbs.items():
        conn = sqlite3.connect(path)
        for epoch, seq, uid, body in conn.execute("SELECT epoch, sequence, uuid, record FROM outbox"):
            out[(code, int(epoch), int(seq))] = (str(uid), bytes(body))
        conn.close()
    return out


def _check(url: str, region_dbs: dict[str, Path]) -> tuple[int, int, int]:
    """(lost, duplicated, differing): every region's outbox against the stored records, bytes compared."""
    stored = _stored(url)
    expected = _outboxes(region_dbs)
    lost = sum(1 for k in expected if k not in stored)
    duplicated = sum(1 for k in stored if k not in expected) + sum(1 for v in stored.values() if v == b"\x00dup")
    differing = sum(1 for k, (_u, body) in expected.items() if k in stored and stored[k] != body)
    return lost, duplicated, differing


def _project(url: str, region_dbs: dict[str, Path]) -> tuple[float, int, float]:
    """Run the lead projection over everything stored; (leads per second, leads projected and expected, CPU seconds
    of this process while it ran)."""
    import sqlalchemy as sa

    from national import feed
    from sync.db import Database

    db = Database(url)
    started, cpu = time.perf_counter(), time.process_time()
    feed.project_pending(db, lambda: NOW)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    with db.read() as session:
        projected = set(session.scalars(sa.text("SELECT uuid FROM leads")))
    db.dispose()
    expected = {u for u, _b in _outboxes(region_dbs).values()}
    return (len(projected) / seconds if seconds else 0.0, len(projected & expected) - len(projected - expected),
            cpu)


def _raw_insert(url: str, region_dbs: dict[str, Path], clock: _Clock | None = None) -> tuple[float, float]:
    """The baseline: plain DB-API executemany of the same rows into the same table, a commit per 500 rows.

    Returns (rows per second, CPU seconds this process spent). With `clock`, its statements and
    its commits are also timed as stages (`--stages`).
    """
    stage = clock.stage if clock is not None else _no_stage
    import sqlite3

    rows_by_region = {}
    for code, path in region_dbs.items():
        conn = sqlite3.connect(path)
        rows_by_region[code] = list(conn.execute(
            "SELECT epoch, sequence, uuid, revision, kind, record FROM outbox ORDER BY sequence"))
        conn.close()
    sql = ("INSERT INTO uplink_records (region, epoch, sequence, uuid, revision, kind, status, record, batch_id, "
           "leaf_index, received_at) VALUES ({})")
    received = NOW.isoformat()
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("INSERT INTO uplink_batches (region, epoch, first_sequence, count, root, signature, leaves, "
                     "cert_serial, received_at) VALUES ('000000', 1, 1, 0, x'', x'', x'', 'baseline', ?)", (received,))
        batch_id = conn.execute("SELECT max(id) FROM uplink_batches").fetchone()[0]
        stmt = sql.format(", ".join("?" * 11))
        cpu = time.process_time()
        started = time.perf_counter()
        total = 0
        for code, rows in rows_by_region.items():
            for i in range(0, len(rows), BATCH):
                chunk = [(code, e, s, u, r, k, "applied", b, batch_id, j, received)
                         for j, (e, s, u, r, k, b) in enumerate(rows[i:i + BATCH])]
                conn.execute("BEGIN")
                with stage("baseline: executemany"):
                    conn.executemany(stmt, chunk)
                with stage("baseline: commit"):
                    conn.execute("COMMIT")
                total += len(chunk)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        conn.close()
        return total / seconds, cpu
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        batch_id = conn.execute(
            "INSERT INTO uplink_batches (region, epoch, first_sequence, count, root, signature, leaves, cert_serial, "
            "received_at) VALUES ('000000', 1, 1, 0, '', '', '', 'baseline', now()) RETURNING id").fetchone()[0]
        conn.commit()
        stmt = sql.format(", ".join(["%s"] * 11))
        cpu = time.process_time()
        started = time.perf_counter()
        total = 0
        with conn.cursor() as cur:
            for code, rows in rows_by_region.items():
                for i in range(0, len(rows), BATCH):
                    chunk = [(code, e, s, u, r, k, "applied", b, batch_id, j, NOW)
                             for j, (e, s, u, r, k, b) in enumerate(rows[i:i + BATCH])]
                    with stage("baseline: executemany"):
                        cur.executemany(stmt, chunk)
                    with stage("baseline: commit"):
                        conn.commit()
                    total += len(chunk)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return total / seconds, cpu


def _fairness(reports: list[dict[str, Any]], go_at: float) -> tuple[float, float]:
    """(slowest region's share when the first one finished, latest first acknowledgement in seconds)."""
    finishes = [r["acks"][-1][0] for r in reports if r["acks"]]
    if not finishes or len(reports) == 1:
        first = [r["acks"][0][0] - go_at for r in reports if r["acks"]]
        return 1.0, max(first) if first else 0.0
    first_done = min(finishes)
    shares = []
    for r in reports:
        upto = max((n for t, n in r["acks"] if t <= first_done), default=0)
        shares.append(upto / r["total"] if r["total"] else 1.0)
    first_acks = [(r["acks"][0][0] - go_at) if r["acks"] else float("inf") for r in reports]
    return min(shares), max(first_acks)


def _one_run(root: Path, pki: Path, region_dbs: dict[str, Path], url: str | None, raw_url: str) -> Run:
    for path in region_dbs.values():
        _reset_region(path)
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    with _national(root / "national", pki, url) as (port, db_url, server):
        procs = [ctx.Process(target=_push_process, args=(code, str(path), str(pki), port, go, out))
                 for code, path in region_dbs.items()]
        for p in procs:
            p.start()
        time.sleep(1.0 + 0.05 * len(procs))  # let every process import and connect before the start signal
        server_cpu, server_own = _cpu_seconds(server.pid), _own_cpu_seconds(server.pid)
        go_at = time.monotonic()
        go.set()
        reports = [out.get(timeout=3600) for _ in procs]
        server_cpu, server_own = _cpu_seconds(server.pid) - server_cpu, _own_cpu_seconds(server.pid) - server_own
        seconds = max(r["acks"][-1][0] for r in reports if r["acks"]) - go_at if any(r["acks"] for r in reports) \
            else float("inf")
        for p in procs:
            p.join(timeout=60)
    total = sum(r["total"] for r in reports)
    _say(f"  CPU seconds: national server (with its verifier processes) {server_cpu:.2f} (its own process "
         f"{server_own:.2f}, verifiers {server_cpu - server_own:.2f}), region process(es) "
         f"{sum(r['cpu_s'] for r in reports):.2f}")
    lost, duplicated, differing = _check(db_url, region_dbs)
    projection_per_s, projected, projection_cpu = _project(db_url, region_dbs)
    raw_per_s, raw_cpu = _raw_insert(raw_url, region_dbs)
    share, first_ack = _fairness(reports, go_at)
    latencies = sorted(x for r in reports for x in r["latencies"])
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    return Run(sync_per_s=total / seconds, raw_per_s=raw_per_s, projection_per_s=projection_per_s, lost=lost,
               duplicated=duplicated, differing=differing, projected=projected, leads=total, slowest_share=share,
               first_ack_max_s=first_ack, p50_ms=p50, p99_ms=p99,
               sync_cpu_s=server_cpu + sum(r["cpu_s"] for r in reports), raw_cpu_s=raw_cpu,
               server_own_cpu_s=server_own, region_cpu_s=sum(r["cpu_s"] for r in reports),
               projection_cpu_s=projection_cpu,
               errors=[f"{r['code']}: {r['error']}" for r in reports if r["error"]])


STAGES = ("region: outbox read", "region: sign batch", "region: encode message", "national: decode message",
          "national: verify batch", "national: parse records", "national: check records",
          "national: prepare (all of the above)", "national: store statements", "national: commit",
          "baseline: executemany", "baseline: commit")


def _stages(pki: Path, region_db: Path, url: str, raw_url: str) -> dict[str, dict[str, float]]:
    """Each stage of the sync path on one region's outbox, timed one after another in this process.

    The same functions the region and the national server run (outbox.pending, envelope.make_batch,
    ingest.prepare_batch, ingest.store_batch), minus gRPC and TLS; `verify`, `parse` and `check`
    are the three parts of prepare_batch timed again on their own, through their public functions
    (so the same bench file times any version of the code). The baseline's statements are
    the same executemany of the same rows as `_raw_insert`. Returns {stage: {cpu_s, wall_s}} per 10k
    records.
    """
    from national import ingest
    from regional import outbox
    from sync import limits
    from sync.db import Database, sqlite_url
    from sync.envelope import make_batch, verify_batch
    from sync.pki import load_trust
    from sync.v1 import sync_pb2

    code = region_db.stem.removeprefix("region-")
    clock = _Clock()
    region = Database(sqlite_url(region_db))
    signer = outbox.Signer.from_file(code, pki / "regions" / code / "signing.key")
    encoded: list[bytes] = []
    position = 0
    while True:
        with clock.stage("region: outbox read"), region.read() as session:
            rows = outbox.pending(session, 1, position, BATCH)
        if not rows:
            break
        position = rows[-1][0]
        with clock.stage("region: sign batch"):
            batch = make_batch(code, 1, rows, signer.key)
        with clock.stage("region: encode message"):
            encoded.append(sync_pb2.UplinkMessage(batch=batch).SerializeToString())
    region.dispose()
    records = position
    trust = load_trust(pki)[code]
    who = ingest.Sender(region=code, cert_serial=trust.cert_serial, epoch=1)
    national = Database(url)
    with national.transaction() as session:
        ingest.hello(session, sync_pb2.Hello(region=code, epoch=1), code, NOW)
    checker = limits.record_checker("lead")
    batch_checker = getattr(limits, "records_checker", lambda _kind: lambda _records: False)("lead")  # older trees
    high = 0
    for data in encoded:
        with clock.stage("national: decode message"):
            message = sync_pb2.UplinkMessage()
            message.ParseFromString(data)
        with clock.stage("national: verify batch"):
            ingest.check_batch_limits(message.batch)
            verify_batch(message.batch, code, 1, trust.key_for(who.cert_serial))
        with clock.stage("national: parse records"):
            parsed = []
            for env in message.batch.envelopes:
                record = sync_pb2.Record()
                record.ParseFromString(env.record)
                parsed.append(record)
        with clock.stage("national: check records"):
            if not batch_checker(parsed):  # ingest's one pass over the batch; record by record only when it is not sure
                for record in parsed:
                    checker(record)
        with clock.stage("national: prepare (all of the above)"):
            prepared = ingest.prepare_batch(who, trust, message.batch, high)
        with national.sessions() as session:
            tx = session.begin()
            with clock.stage("national: store statements"):
                ingest.store_batch(session, who, prepared, NOW)
            with clock.stage("national: commit"):
                tx.commit()
        high = prepared.last
    national.dispose()
    _raw_insert(raw_url, {code: region_db}, clock)
    scale = 10_000 / records if records else 0.0
    return {name: {"cpu_s": round(clock.cpu.get(name, 0.0) * scale, 4),
                   "wall_s": round(clock.wall.get(name, 0.0) * scale, 4)} for name in STAGES}


def _migrated(url: str) -> str:
    from national.node import MIGRATIONS
    from sync.db import run_migrations

    run_migrations(url, MIGRATIONS)
    return url


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table (and the JSON line with --json)."""
    from sync.db import sqlite_url
    from sync.pki import init_ca, issue_region
    from sync.regions import PROVINCES

    if not 1 <= args.regions <= len(PROVINCES):
        print(f"hufu bench sync: --regions must be between 1 and {len(PROVINCES)}", file=sys.stderr)
        return 2
    if args.repeats < 1 or args.leads < args.regions:
        print("hufu bench sync: --repeats must be at least 1 and --leads at least --regions", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    tmp = tempfile.TemporaryDirectory(prefix="hufu-bench-sync-") if args.keep is None else None
    root = Path(tmp.name) if tmp else args.keep
    root.mkdir(parents=True, exist_ok=True)
    codes = sorted(PROVINCES)[: args.regions]
    per_region = args.leads // args.regions
    pki = root / "pki"
    init_ca(pki, force=True)
    region_dbs = {}
    for code in codes:
        issue_region(pki, code)
        region_dbs[code] = _fill_region(root, pki, code, per_region)
    _say(f"{len(codes)} region outbox(es) filled with {per_region:,} lead(s) each")
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    results: dict[str, list[Run]] = {}
    stages: dict[str, dict[str, dict[str, float]]] = {}
    for engine in engines:
        results[engine] = []
        for rep in range(args.repeats):
            work = root / f"{engine}-{rep}"
            work.mkdir(parents=True, exist_ok=True)
            _say(f"{engine}, run {rep + 1} of {args.repeats}: {len(codes)} region(s) pushing at once")
            if engine == "sqlite":
                raw_url = _migrated(sqlite_url(work / "baseline.db"))
                results[engine].append(_one_run(work, pki, region_dbs, None, raw_url))
            else:
                from national.bench.pgcluster import database

                with database() as tool_url, database() as raw_url:
                    _migrated(raw_url)
                    results[engine].append(_one_run(work, pki, region_dbs, tool_url, raw_url))
            last = results[engine][-1]
            _say(f"  sync {last.sync_per_s:,.0f}/s, plain insert {last.raw_per_s:,.0f}/s, ratio {last.ratio:.2f}, "
                 f"slowest region's share {last.slowest_share:.2f}")
        if args.stages:
            work = root / f"{engine}-stages"
            work.mkdir(parents=True, exist_ok=True)
            first_region = region_dbs[codes[0]]
            _say(f"{engine}: timing each stage in one process on region {codes[0]}'s outbox")
            if engine == "sqlite":
                stages[engine] = _stages(pki, first_region, _migrated(sqlite_url(work / "national.db")),
                                         _migrated(sqlite_url(work / "baseline.db")))
            else:
                from national.bench.pgcluster import database

                with database() as tool_url, database() as raw_url:
                    stages[engine] = _stages(pki, first_region, _migrated(tool_url), _migrated(raw_url))
    load_after = os.getloadavg()
    ok = True
    summary: dict[str, Any] = {}
    print(f"machine load (1/5/15 min): before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
          f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}; {os.cpu_count()} CPUs")
    print(f"{len(codes)} region(s), {per_region * len(codes):,} leads, {args.repeats} run(s) per engine; "
          "median [min – max]")
    for engine, runs in results.items():
        sync = _stats([r.sync_per_s for r in runs])
        raw = _stats([r.raw_per_s for r in runs])
        ratio = _stats([r.ratio for r in runs])
        proj = _stats([r.projection_per_s for r in runs])
        proj_cpu = _stats([r.projection_cpu_s / r.leads * 10_000 for r in runs])
        keeps_up = _stats([r.projection_per_s / r.sync_per_s if r.sync_per_s else 0.0 for r in runs])
        sync_cpu = _stats([r.sync_cpu_s / r.leads * 10_000 for r in runs])
        own_cpu = _stats([r.server_own_cpu_s / r.leads * 10_000 for r in runs])
        region_cpu = _stats([r.region_cpu_s / r.leads * 10_000 for r in runs])
        verifier_cpu = _stats([(r.sync_cpu_s - r.server_own_cpu_s - r.region_cpu_s) / r.leads * 10_000 for r in runs])
        raw_cpu = _stats([r.raw_cpu_s / r.leads * 10_000 for r in runs])
        ratio_cpu = _stats([(r.raw_cpu_s / r.sync_cpu_s) if r.sync_cpu_s else 0.0 for r in runs])
        share = _stats([r.slowest_share for r in runs])
        first = _stats([r.first_ack_max_s for r in runs])
        lost = max(r.lost for r in runs)
        dup = max(r.duplicated for r in runs)
        diff = max(r.differing for r in runs)
        complete = all(r.projected == r.leads for r in runs)
        errors = [e for r in runs for e in r.errors]
        ok = ok and lost == 0 and dup == 0 and diff == 0 and complete and not errors

        def row(label: str, s: tuple[float, float, float], fmt: str = ",.0f") -> None:
            print(f"  {label:40}{format(s[0], fmt):>12}  [{format(s[1], fmt)} – {format(s[2], fmt)}]")

        print(f"{engine}:")
        row("sync leads/s (mTLS gRPC, verified, durable)", sync)
        row("plain DB-API executemany rows/s", raw)
        row("ratio sync / plain insert", ratio, ".2f")
        row("sync CPU-s per 10k leads (all processes)", sync_cpu, ".2f")
        row("… national server's own process", own_cpu, ".2f")
        row("… its verifier processes", verifier_cpu, ".2f")
        row("… region process(es)", region_cpu, ".2f")
        row("plain insert CPU-s per 10k rows", raw_cpu, ".2f")
        row("ratio per CPU-second", ratio_cpu, ".2f")
        row("lead projection leads/s", proj)
        row("projection CPU-s per 10k leads (this process)", proj_cpu, ".2f")
        row("projection / sync leads/s (>= 1: keeps up)", keeps_up, ".2f")
        row("slowest region's share at first finish", share, ".2f")
        row("latest first acknowledgement (s)", first, ".2f")
        print(f"  {'batch ack latency p50 / p99 (ms)':40}{statistics.median([r.p50_ms for r in runs]):>12.1f}"
              f" / {statistics.median([r.p99_ms for r in runs]):.1f}")
        print(f"  {'lost / duplicated / bytes differing':40}{f'{lost} / {dup} / {diff}':>12}")
        print(f"  {'leads projected / filed':40}{f'{runs[-1].projected:,} / {runs[-1].leads:,}':>12}")
        for e in errors[:5]:
            print(f"  error: {e}")
        if engine in stages:
            print(f"  {'stage, one process, no gRPC (per 10k records)':48}{'CPU s':>8}{'wall s':>9}")
            for name, t in stages[engine].items():
                print(f"    {name:46}{t['cpu_s']:>8.3f}{t['wall_s']:>9.3f}")
        summary[engine] = {
            "leads_per_s": round(sync[0], 1), "leads_per_s_min": round(sync[1], 1), "leads_per_s_max": round(sync[2], 1),
            "raw_insert_per_s": round(raw[0], 1), "raw_insert_per_s_min": round(raw[1], 1),
            "raw_insert_per_s_max": round(raw[2], 1), "ratio_raw": round(ratio[0], 3),
            "ratio_raw_min": round(ratio[1], 3), "ratio_raw_max": round(ratio[2], 3),
            "sync_cpu_s_per_10k": round(sync_cpu[0], 3), "raw_cpu_s_per_10k": round(raw_cpu[0], 3),
            "ratio_cpu": round(ratio_cpu[0], 3), "server_cpu_s_per_10k": round(own_cpu[0], 3),
            "verifier_cpu_s_per_10k": round(verifier_cpu[0], 3), "region_cpu_s_per_10k": round(region_cpu[0], 3),
            "projection_per_s": round(proj[0], 1), "projection_complete": complete,
            "projection_cpu_s_per_10k": round(proj_cpu[0], 3), "projection_vs_sync": round(keeps_up[0], 3),
            "slowest_region_share": round(share[0], 3), "slowest_region_share_min": round(share[1], 3),
            "first_ack_max_s": round(first[0], 2), "lost": lost, "duplicated": dup, "contents_differing": diff,
            "p50_latency_ms": round(statistics.median([r.p50_ms for r in runs]), 1),
            "p99_latency_ms": round(statistics.median([r.p99_ms for r in runs]), 1),
        }
        if engine in stages:
            summary[engine]["stages"] = stages[engine]
    if args.json:
        head = summary[engines[0]]
        line: dict[str, Any] = {
            "engine": engines[0], "leads_per_s": head["leads_per_s"], "baseline_per_s": head["raw_insert_per_s"],
            "raw_insert_per_s": head["raw_insert_per_s"], "ratio": head["ratio_raw"], "ratio_raw": head["ratio_raw"],
            "ratio_cpu": head["ratio_cpu"], "projection_per_s": head["projection_per_s"],
            "projection_cpu_s_per_10k": head["projection_cpu_s_per_10k"],
            "projection_vs_sync": head["projection_vs_sync"],
            "slowest_region_share": head["slowest_region_share"], "first_ack_max_s": head["first_ack_max_s"],
            "lost": sum(s["lost"] for s in summary.values()),
            "duplicated": sum(s["duplicated"] for s in summary.values()),
            "contents_differing": sum(s["contents_differing"] for s in summary.values()),
            "projection_complete": all(s["projection_complete"] for s in summary.values()),
            "p50_latency_ms": head["p50_latency_ms"], "regions": len(codes), "leads": per_region * len(codes),
            "repeats": args.repeats, "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after], "engines": summary,
        }
        if "stages" in head:
            line["stages"] = head["stages"]
        if "postgres" in summary:
            line["postgres_raw_insert_per_s"] = summary["postgres"]["raw_insert_per_s"]
            line["postgres_ratio_raw"] = summary["postgres"]["ratio_raw"]
            line["postgres_leads_per_s"] = summary["postgres"]["leads_per_s"]
            line["postgres_ratio_cpu"] = summary["postgres"]["ratio_cpu"]
        print(json.dumps(line))
    if tmp:
        tmp.cleanup()
    return 0 if ok else 1


def main() -> None:
    """`python -m national.bench.sync`."""
    parser = argparse.ArgumentParser(prog="hufu bench sync", description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
