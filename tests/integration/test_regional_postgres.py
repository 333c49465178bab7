"""The regional outbox on a real PostgreSQL database (READ COMMITTED, concurrent writers)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from uuid import uuid4

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from regional import outbox
from regional.models import OutboxRow
from regional.node import MIGRATIONS
from sync.db import Database, run_migrations
from sync.v1 import sync_pb2

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
WRITERS = 2
RECORDS_PER_WRITER = 50


def a_record() -> sync_pb2.Record:
    """A minimal filing record with a fresh uuid."""
    return sync_pb2.Record(uuid=str(uuid4()), revision=1, filing=sync_pb2.Filing(subject="t", body_json="{}"))


def run_concurrently(work: Callable[[int], None], threads: int) -> list[BaseException]:
    """Run `work(i)` in `threads` threads released together; return what they raised."""
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            work(i)
        except BaseException as exc:  # reported to the test, which asserts there are none
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(i,), name=f"writer-{i}") for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a writer is still running after 120 s"
    return errors


def outbox_sequences(db: Database) -> tuple[int, list[int]]:
    """The current epoch and the sequences written in it, in order."""
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        sequences = list(session.scalars(
            sa.select(OutboxRow.sequence).where(OutboxRow.epoch == epoch).order_by(OutboxRow.sequence)))
    return epoch, sequences


def test_concurrent_writers_number_the_outbox_gap_free(pg_url: str) -> None:
    run_migrations(pg_url, MIGRATIONS)
    signer = outbox.Signer(region="440000", key=Ed25519PrivateKey.generate())

    def write(_i: int) -> None:
        db = Database(pg_url)
        try:
            for _ in range(RECORDS_PER_WRITER):
                with db.transaction() as session:
                    outbox.append(session, signer, a_record(), NOW)
        finally:
            db.dispose()

    errors = run_concurrently(write, WRITERS)
    assert errors == []

    db = Database(pg_url)
    try:
        epoch, sequences = outbox_sequences(db)
    finally:
        db.dispose()
    assert epoch == 1
    assert sequences == list(range(1, WRITERS * RECORDS_PER_WRITER + 1))


def wait_until_blocked_on_a_lock(db: Database, done: threading.Event, timeout_s: float = 10) -> None:
    """Return once another session of this database waits on a lock (or `done` is set)."""
    deadline = time.monotonic() + timeout_s
    query = sa.text("SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'")
    while not done.is_set() and time.monotonic() < deadline:
        with db.read() as session:
            if session.scalar(query):
                return
        time.sleep(0.02)


def test_second_writer_on_a_fresh_database_waits_for_the_first_and_takes_sequence_2(pg_url: str) -> None:
    # the race above, made deterministic: on a fresh database the first two appends overlap
    run_migrations(pg_url, MIGRATIONS)
    signer = outbox.Signer(region="440000", key=Ed25519PrivateKey.generate())
    db = Database(pg_url)
    first = db.sessions()
    second: dict[str, object] = {}
    done = threading.Event()

    def write_second() -> None:
        try:
            with db.transaction() as session:
                second["sequence"] = outbox.append(session, signer, a_record(), NOW).sequence
        except Exception as exc:  # reported to the test, which asserts there are none
            second["error"] = exc
        finally:
            done.set()

    try:
        with first.begin():
            assert outbox.append(first, signer, a_record(), NOW).sequence == 1
            writer = threading.Thread(target=write_second, name="second-writer")
            writer.start()
            wait_until_blocked_on_a_lock(db, done)
        writer.join(timeout=30)
        assert second == {"sequence": 2}
        assert outbox_sequences(db) == (1, [1, 2])
    finally:
        first.close()
        db.dispose()
