"""Downlink rows become visible in id order, and one case-formation cycle runs at a time per database.

A region reads its feed with `id > cursor` and moves its cursor past what it read (national/feed.py `read`). On
PostgreSQL, with two writers of downlink rows (a worker and `hufu national form-cases`, or two workers during a
restart), a transaction holding a lower id that commits after a higher-numbered one was read is never delivered to
the region. The uplink had the same hazard (tests/integration/test_projection_order.py).
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from national import casework, feed, ingest
from national import node as national_node
from national.cases import FormResult
from sync.db import Database, run_migrations, sqlite_url
from sync.v1 import sync_pb2

NOW = dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC)
REGION = "440000"


def _update(case: str, note: str) -> bytes:
    return sync_pb2.CaseUpdate(case_uuid=case, status="open", note=note).SerializeToString(deterministic=True)


@pytest.mark.postgres
def test_a_downlink_row_committed_after_a_later_numbered_one_still_reaches_the_region(pg_url: object) -> None:
    url = str(pg_url)
    run_migrations(url, national_node.MIGRATIONS)
    db = Database(url)
    try:
        with db.transaction() as session:
            ingest.hello(session, sync_pb2.Hello(region=REGION, epoch=1), REGION, NOW)
        queued_first, release_first, second_done = threading.Event(), threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def write_first() -> None:  # queues an item (its id taken), then holds its transaction open
            try:
                with db.transaction() as session:
                    casework._queue(session, [REGION], "case-a", "case_update", _update("case-a", "a"), NOW)
                    session.flush()
                    queued_first.set()
                    release_first.wait(30)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                queued_first.set()

        def write_second() -> None:
            try:
                with db.transaction() as session:
                    casework._queue(session, [REGION], "case-b", "case_update", _update("case-b", "b"), NOW)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            second_done.set()

        one = threading.Thread(target=write_first)
        one.start()
        assert queued_first.wait(30)
        two = threading.Thread(target=write_second)
        two.start()
        # without the order lock the second item commits here, with a higher id than the first's open one
        committed_early = second_done.wait(1.5)
        received: list[str] = []
        cursor = 0
        with db.read() as session:  # the region pulls while the first transaction is still open
            for item in feed.read(session, REGION, cursor, 100):
                received.append(item.uuid)
                cursor = max(cursor, item.cursor)
        release_first.set()
        one.join(30)
        two.join(30)
        assert not errors, errors
        with db.read() as session:  # and pulls again after its cursor
            for item in feed.read(session, REGION, cursor, 100):
                received.append(item.uuid)
                cursor = max(cursor, item.cursor)
        assert sorted(received) == ["case-a", "case-b"], (received, committed_early)
        assert not committed_early  # the second writer waited for the first to commit
    finally:
        db.dispose()


@pytest.mark.postgres
def test_one_case_formation_cycle_at_a_time_per_database(pg_url: object) -> None:
    url = str(pg_url)
    run_migrations(url, national_node.MIGRATIONS)
    db, other = Database(url), Database(url)
    try:
        with other.engine.connect() as holder:  # another worker process is in its cycle
            holder.exec_driver_sql(f"SELECT pg_advisory_lock({feed.WORKER_LOCK})")
            started = time.monotonic()
            assert national_node.form_cases_once(db).skipped  # the scheduler's cycle is skipped, not queued
            assert time.monotonic() - started < 10
            results: list[FormResult] = []
            waiting = threading.Thread(target=lambda: results.append(national_node.form_cases_once(db, wait=True)))
            waiting.start()  # an operator's `hufu national form-cases` waits for it instead
            time.sleep(1.0)
            assert not results
            holder.exec_driver_sql(f"SELECT pg_advisory_unlock({feed.WORKER_LOCK})")
            waiting.join(60)
        assert len(results) == 1 and not results[0].skipped
        assert not national_node.form_cases_once(db).skipped  # the lock was released after the cycle
    finally:
        db.dispose()
        other.dispose()


def test_sqlite_never_skips_a_cycle(tmp_path: object) -> None:
    url = sqlite_url(tmp_path / "national.db")  # type: ignore[operator]
    run_migrations(url, national_node.MIGRATIONS)
    db = Database(url)
    try:
        assert not national_node.form_cases_once(db).skipped
        with db.transaction() as session:
            casework._queue(session, [REGION], "case-a", "case_update", _update("case-a", "a"), NOW)
        with db.read() as session:
            assert [i.uuid for i in feed.read(session, REGION, 0, 10)] == ["case-a"]
    finally:
        db.dispose()
