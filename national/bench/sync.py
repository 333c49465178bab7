"""`hufu bench sync`: leads pushed over mutual TLS into a national node on SQLite, durably.

One run measures the real path — a region's outbox, signed batches over gRPC with mutual
TLS to a national gRPC server in its own process, applied in one durable transaction per
batch and acknowledged — and, in the same run, a baseline that inserts the same records in
the same batch size into the same database engine with the same durability settings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

NOW = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
BATCH = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hufu bench sync`."""
    parser.add_argument("--leads", type=int, default=100_000, help="leads in all (default 100,000)")
    parser.add_argument("--regions", type=int, default=1, help="regions pushing at once (1 or up to 31)")
    parser.add_argument("--json", action="store_true", help="print one JSON line last")
    parser.add_argument("--keep", type=Path, help="keep the databases in this directory")


def _say(msg: str) -> None:
    print(f"[bench sync] {msg}", file=sys.stderr, flush=True)


def _lead(i: int, code: str):  # type: ignore[no-untyped-def]
    from sync.v1 import sync_pb2

    return sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, created_at=NOW.isoformat(), lead=sync_pb2.Lead(
        listing_id=f"tb-{code}-{i:07d}", right=f"TM-{i % 5000:07d}", type="trademark", score=0.9,
        reasons=["mark '康帅傅' looks like '康师傅' (1 character differs, same pinyin initials)", "same goods class 30"],
        model_version="trademark-2026.11.0", listing_title=f"康帅傅 红烧牛肉面 五连包 {i}", right_title="康师傅",
        seller=sync_pb2.Seller(name=f"深圳某商行{i % 997}", uscc="91440300MA5F12345X", phone="13800138000",
                               address="广东省深圳市宝安区"), detected_at=NOW.isoformat(), state="new"))


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


def _start_national(root: Path, pki: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    from national.config import NationalConfig
    from national.node import init_node

    cfg = NationalConfig.load(root / "national", env={}, pki_dir=pki)
    init_node(cfg)
    log = open(root / "national.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "national.cli", "national", "serve", "--data-dir",
                             str(cfg.data_dir)], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    port_file = cfg.run_dir / "grpc.json"
    deadline = time.monotonic() + 60
    while not port_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"national server did not start; see {root / 'national.log'}")
        time.sleep(0.05)
    return proc, int(json.loads(port_file.read_text())["port"]), cfg.data_dir / "node.db"


def _push(region_db: Path, pki: Path, code: str, port: int, latencies: list[float]) -> int:
    from regional import outbox, sync_agent
    from sync.db import Database, sqlite_url
    from sync.transport import client_channel

    db = Database(sqlite_url(region_db))
    creds = pki / "regions" / code
    channel = client_channel(f"127.0.0.1:{port}", creds / "ca.crt", creds / "region.crt", creds / "region.key")
    signer = outbox.Signer.from_file(code, creds / "signing.key")
    sent_at: dict[int, float] = {}

    def observe(event: str, first: int) -> None:
        if event == "sent":
            sent_at[first] = time.perf_counter()
        elif first in sent_at:
            latencies.append((time.perf_counter() - sent_at.pop(first)) * 1000)

    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    result = sync_agent.push_once(db, channel, signer, clock=clock, timeout=600, observer=observe)
    channel.close()
    db.dispose()
    return result.high_water


def _check(national_db: Path, region_dbs: dict[str, Path]) -> tuple[int, int]:
    """(lost, duplicated) comparing every region's outbox with the national records."""
    import sqlite3

    lost = duplicated = 0
    nat = sqlite3.connect(national_db)
    for code, path in region_dbs.items():
        reg = sqlite3.connect(path)
        outbox_rows = set(reg.execute("SELECT epoch, sequence, uuid FROM outbox"))
        national_rows = list(nat.execute("SELECT epoch, sequence, uuid FROM uplink_records WHERE region = ?", (code,)))
        lost += len(outbox_rows - set(national_rows))
        duplicated += len(national_rows) - len(set(national_rows)) + len(set(national_rows) - outbox_rows)
        reg.close()
    nat.close()
    return lost, duplicated


def _baseline(root: Path, region_dbs: dict[str, Path]) -> tuple[float, int]:
    """The same records, same batch size, same engine and durability, inserted with no sync around them."""
    import sqlite3

    from national.models import RecordStatus, UplinkBatch, UplinkRecord
    from national.node import MIGRATIONS
    from sync.db import Database, run_migrations, sqlite_url

    url = sqlite_url(root / "baseline.db")
    run_migrations(url, MIGRATIONS)
    db = Database(url)
    rows_by_region = {}
    for code, path in region_dbs.items():
        reg = sqlite3.connect(path)
        rows_by_region[code] = list(reg.execute(
            "SELECT epoch, sequence, uuid, revision, kind, record FROM outbox ORDER BY sequence"))
        reg.close()
    with db.transaction() as session:
        batch = UplinkBatch(region="000000", epoch=1, first_sequence=1, count=0, root=b"", signature=b"",
                            leaves=b"", cert_serial="baseline", received_at=NOW)
        session.add(batch)
        session.flush()
        batch_id = batch.id
    total = 0
    started = time.perf_counter()
    for code, rows in rows_by_region.items():
        for i in range(0, len(rows), BATCH):
            chunk = rows[i:i + BATCH]
            with db.transaction() as session:
                session.execute(sa.insert(UplinkRecord), [
                    {"region": code, "epoch": e, "sequence": s, "uuid": u, "revision": r, "kind": k,
                     "status": RecordStatus.APPLIED, "record": body, "batch_id": batch_id, "leaf_index": j,
                     "received_at": NOW} for j, (e, s, u, r, k, body) in enumerate(chunk)])
            total += len(chunk)
    seconds = time.perf_counter() - started
    db.dispose()
    return total / seconds, total


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table (and the JSON line with --json)."""
    from sync.pki import init_ca, issue_region
    from sync.regions import PROVINCES

    if not 1 <= args.regions <= len(PROVINCES):
        print(f"hufu bench sync: --regions must be between 1 and {len(PROVINCES)}", file=sys.stderr)
        return 2
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
    _say(f"{len(codes)} region outbox(es) filled with {per_region:,} lead(s) each; starting the national node")
    proc, port, national_db = _start_national(root, pki)
    latencies: list[float] = []
    try:
        started = time.perf_counter()
        if len(codes) == 1:
            _push(region_dbs[codes[0]], pki, codes[0], port, latencies)
        else:
            errors: list[BaseException] = []

            def worker(code: str) -> None:
                try:
                    _push(region_dbs[code], pki, code, port, latencies)
                except BaseException as exc:  # reported below
                    errors.append(exc)

            threads = [threading.Thread(target=worker, args=(c,)) for c in codes]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if errors:
                raise errors[0]
        seconds = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    total = per_region * len(codes)
    leads_per_s = total / seconds
    lost, duplicated = _check(national_db, region_dbs)
    _say("baseline: the same records inserted directly, same batch size and durability")
    baseline_per_s, _ = _baseline(root, region_dbs)
    ratio = leads_per_s / baseline_per_s
    p50 = statistics.median(latencies) if latencies else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'':28}{'sync (mTLS gRPC)':>18}{'baseline insert':>18}")
    print(f"{'leads':28}{total:>18,}{total:>18,}")
    print(f"{'regions pushing at once':28}{len(codes):>18}{'-':>18}")
    print(f"{'seconds':28}{seconds:>18.2f}{total / baseline_per_s:>18.2f}")
    print(f"{'leads per second':28}{leads_per_s:>18,.0f}{baseline_per_s:>18,.0f}")
    print(f"{'ratio sync / baseline':28}{ratio:>18.2f}")
    print(f"{'batch ack latency p50 (ms)':28}{p50:>18.1f}")
    print(f"{'lost / duplicated':28}{f'{lost} / {duplicated}':>18}")
    print(f"{'peak RSS of this process MB':28}{peak:>18.0f}")
    if args.json:
        print(json.dumps({"leads_per_s": round(leads_per_s, 1), "baseline_per_s": round(baseline_per_s, 1),
                          "ratio": round(ratio, 3), "lost": lost, "duplicated": duplicated,
                          "p50_latency_ms": round(p50, 1), "regions": len(codes), "leads": total}))
    if tmp:
        tmp.cleanup()
    return 0 if lost == 0 and duplicated == 0 else 1


def main() -> None:
    """`python -m national.bench.sync`."""
    parser = argparse.ArgumentParser(prog="hufu bench sync", description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
