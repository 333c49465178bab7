"""Batches checked in verifier processes (national.verifiers) are stored exactly as batches checked in the stream.

The verifier answers only (leaves, (sequence, kind, uuid, revision) of each fresh record); the server rebuilds
the prepared batch from its own copy of the batch. These tests fail if that rebuilt batch differs from what
`ingest.prepare_batch` gives (another record, leaf or skip of a replayed record), if a refusal is lost or reads
differently, if a dead verifier loses a batch, or if verifier processes outlive the server that started them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import pytest

from national import ingest, verifiers
from national.verifiers import Verifiers
from sync.db import Database
from sync.v1 import sync_pb2
from tests.integration.test_ingest_store import (
    NOW,
    TRUST,
    WHO,
    batch_of,
    lead_record,
    region_row,
    store,
    stored,
)
from tests.integration.test_ingest_store import db as db  # noqa: F401 - the fixture


@pytest.fixture(scope="module")
def pool() -> Iterator[Verifiers]:
    p = Verifiers(1)
    p.warm()
    yield p
    p.close()


def _via_pool(pool: Verifiers, batch: sync_pb2.Batch, known_high: int) -> ingest.Prepared:
    future = pool.submit(WHO, TRUST, batch, known_high)
    assert future is not None
    return verifiers.prepared(future, WHO, TRUST, batch, known_high)


def _mixed_batch() -> sync_pb2.Batch:
    same = lead_record(3, uid="00000000-0000-4000-8000-000000000003")
    items = [(1, lead_record(1)), (2, lead_record(2)), (3, same),
             (4, lead_record(4, uid="00000000-0000-4000-8000-000000000003")),  # same uuid+revision: duplicate/conflict
             (5, lead_record(5))]
    return batch_of(items)


@pytest.mark.parametrize("known_high", [0, 2, 5])
def test_a_verifier_process_prepares_the_same_batch_as_the_stream(pool: Verifiers, known_high: int) -> None:
    batch = _mixed_batch()
    here = ingest.prepare_batch(WHO, TRUST, batch, known_high)
    there = _via_pool(pool, batch, known_high)
    assert there == here
    assert [r[0] for r in there.records] == list(range(known_high + 1, 6))
    assert there.last == here.last == 5


def test_a_batch_checked_by_a_verifier_is_stored_as_one_checked_in_the_stream(db: Database,  # noqa: F811
                                                                              pool: Verifiers) -> None:
    batch = _mixed_batch()
    prepared = _via_pool(pool, batch, 0)
    with db.transaction() as session:
        outcome = ingest.store_batch(session, WHO, prepared, NOW)
    assert (outcome.applied, outcome.duplicates + outcome.conflicts, outcome.high_water) == (4, 1, 5)
    rows = stored(db)
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[3] for r in rows] == [env.record for env in batch.envelopes]  # every record's exact bytes
    assert region_row(db)[0] == 5
    # the same batch again, checked in the stream: nothing new
    assert store(db, batch, 5).applied == 0 and len(stored(db)) == 5


def test_a_refusal_reads_the_same_when_a_verifier_checked_the_batch(pool: Verifiers) -> None:
    bad = sync_pb2.Record.FromString(lead_record(2))
    bad.lead.listing_title = "标题\x00"
    batch = batch_of([(1, lead_record(1)), (2, bad.SerializeToString())])
    assert ingest.check_serialized(WHO, TRUST, batch.SerializeToString(), 0) is None
    with pytest.raises(ingest.InvalidRecord) as here:
        ingest.prepare_batch(WHO, TRUST, batch, 0)
    with pytest.raises(ingest.InvalidRecord) as there:
        _via_pool(pool, batch, 0)
    assert str(there.value) == str(here.value) and there.value.sequence == 2
    gap = batch_of([(7, lead_record(7))])
    with pytest.raises(ingest.SequenceGap, match="expected a batch starting at 1"):
        _via_pool(pool, gap, 0)
    tampered = batch_of([(1, lead_record(1))])
    tampered.signature = bytes(64)
    with pytest.raises(ingest.Malformed, match="signature"):
        _via_pool(pool, tampered, 0)


def test_a_dead_verifier_process_costs_no_batch() -> None:
    pool = Verifiers(1)
    try:
        (pid,) = pool.warm()
        os.kill(pid, signal.SIGKILL)
        batch = _mixed_batch()
        deadline = time.monotonic() + 30
        answers = []
        while time.monotonic() < deadline and len(answers) < 3:  # the pool notices its dead process
            future = pool.submit(WHO, TRUST, batch, 0)
            answers.append(verifiers.prepared(future, WHO, TRUST, batch, 0))
        assert answers and all(a == ingest.prepare_batch(WHO, TRUST, batch, 0) for a in answers)
    finally:
        pool.close()


def test_verifier_processes_exit_when_the_server_process_is_killed(tmp_path: Path) -> None:
    """kill -9 of the process that started the verifiers: none of them is left running."""
    script = ("import sys, time\n"
              "from national.verifiers import Verifiers\n"
              "pool = Verifiers(2)\n"
              "print(' '.join(map(str, pool.warm())), flush=True)\n"
              "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        pids = sorted(set(workers) | set(_descendants(proc.pid)))  # with the fork server and resource tracker
        assert len(pids) >= 3
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert not [p for p in pids if _alive(p)], "verifier processes (or their fork server) outlived the server"


def _descendants(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in map(int, (task / "children").read_text().split()):
            out += [child, *_descendants(child)]
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_an_unusable_pool_hands_the_batch_back_to_the_stream() -> None:
    pool = Verifiers(1)
    pool.close()
    assert pool.submit(WHO, TRUST, _mixed_batch(), 0) is None
    failed: futures.Future[ingest.Checked | None] = futures.Future()
    failed.set_exception(RuntimeError("verifier crashed"))
    batch = _mixed_batch()
    assert verifiers.prepared(failed, WHO, TRUST, batch, 0) == ingest.prepare_batch(WHO, TRUST, batch, 0)
