"""national.grpc_server._StreamWriter: a Push stream's batches stored in order, checked ones grouped under one commit,
none answered before its commit, a failure keeping every batch before it and skipping every batch after it."""

from __future__ import annotations

import threading
import time
from concurrent import futures

import pytest

from national import grpc_server, ingest
from national.grpc_server import GROUP_BATCHES, _Checking, _Skipped, _StreamWriter


class Refused(Exception):
    """A batch's checks refused it."""


class Clash(Exception):
    """The database refused a batch (another stream stored its sequences first)."""


def _batch(n: int) -> ingest.Prepared:
    return ingest.Prepared(batch=None, leaves=b"", records=[(n, b"", "lead", f"u{n}", 1)],  # type: ignore[arg-type]
                           known_high=n - 1)


class Db:
    """Commits groups of batches; `clash` names batches the database refuses (the whole transaction fails)."""

    def __init__(self, clash: frozenset[int] = frozenset(), gate: threading.Event | None = None) -> None:
        self.clash = clash
        self.commits: list[list[int]] = []
        self.gate = gate

    def store(self, group: list[ingest.Prepared], _urgent: bool) -> list[ingest.BatchOutcome]:
        if self.gate is not None:
            self.gate.wait(5)
        numbers = [p.records[0][0] for p in group]
        if self.clash & set(numbers):
            raise Clash(numbers)
        self.commits.append(numbers)
        return [ingest.BatchOutcome(applied=1, duplicates=0, conflicts=0, high_water=n) for n in numbers]


def _prepare(refuse: frozenset[int] = frozenset()):  # type: ignore[no-untyped-def]
    def prepare(work: ingest.Prepared | _Checking) -> ingest.Prepared:
        if isinstance(work, _Checking):
            work.future.result()
            work = _batch(work.known_high + 1)
        if work.records[0][0] in refuse:
            raise Refused(work.records[0][0])
        return work
    return prepare


def _results(futs: list[futures.Future[ingest.BatchOutcome]]) -> list[object]:
    out: list[object] = []
    for f in futs:
        try:
            out.append(f.result(timeout=10).high_water)
        except Exception as exc:  # noqa: BLE001
            out.append(type(exc).__name__)
    return out


def test_batches_queued_while_the_writer_is_busy_share_one_commit_each_answered_after_it() -> None:
    gate = threading.Event()
    db = Db(gate=gate)
    writer = _StreamWriter("w", _prepare(), db.store, [])
    futs = [writer.submit(_batch(1), urgent=True)]
    futs += [writer.submit(_batch(n), urgent=False) for n in range(2, 12)]
    assert not any(f.done() for f in futs)  # the first commit has not happened: nothing answered
    gate.set()
    writer.close()
    assert _results(futs) == list(range(1, 12))
    assert sum(db.commits, []) == list(range(1, 12))  # every batch once, in order
    assert len(db.commits) < 11 and max(map(len, db.commits)) <= GROUP_BATCHES


def test_a_batch_whose_check_is_not_done_is_not_waited_for_by_the_batches_before_it() -> None:
    db = Db()
    writer = _StreamWriter("w", _prepare(), db.store, [])
    slow: futures.Future[object] = futures.Future()
    first = writer.submit(_batch(1), urgent=True)
    assert first.result(timeout=10).high_water == 1
    pending = writer.submit(_Checking(slow, None, 1), urgent=False)  # type: ignore[arg-type]
    assert not pending.done()
    slow.set_result(None)
    assert pending.result(timeout=10).high_water == 2
    writer.close()
    assert db.commits == [[1], [2]]


def test_a_check_still_running_with_another_batch_queued_behind_it_joins_the_commit_before_its_answer() -> None:
    db = Db()
    writer = _StreamWriter("w", _prepare(), db.store, [])
    checks: list[futures.Future[object]] = [futures.Future() for _ in range(3)]
    futs = [writer.submit(_Checking(check, None, n), urgent=n == 0) for n, check in enumerate(checks)]  # type: ignore[arg-type]
    checks[0].set_result(None)  # batch 1 checked; 2 still being checked, 3 queued behind it
    time.sleep(0.05)
    assert not any(f.done() for f in futs)  # batch 1 waits for batch 2's check: nothing committed, nothing answered
    checks[1].set_result(None)
    assert futs[1].result(timeout=10).high_water == 2 and futs[0].done()
    assert not futs[2].done()  # batch 3 had no batch behind it: not waited for
    checks[2].set_result(None)
    writer.close()
    assert _results(futs) == [1, 2, 3]
    assert db.commits == [[1, 2], [3]]


def test_the_wait_for_a_queued_check_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grpc_server, "GROUP_WAIT_S", 0.05)
    db = Db()
    writer = _StreamWriter("w", _prepare(), db.store, [])
    checks: list[futures.Future[object]] = [futures.Future() for _ in range(3)]
    futs = [writer.submit(_Checking(check, None, n), urgent=n == 0) for n, check in enumerate(checks)]  # type: ignore[arg-type]
    checks[0].set_result(None)
    assert futs[0].result(timeout=10).high_water == 1  # committed alone once the wait ran out
    assert not futs[1].done()
    checks[2].set_result(None)
    checks[1].set_result(None)
    writer.close()
    assert _results(futs) == [1, 2, 3]
    assert db.commits == [[1], [2, 3]]


def test_a_refused_batch_keeps_the_ones_before_it_and_skips_the_ones_after() -> None:
    gate = threading.Event()
    db = Db(gate=gate)
    broken: list[BaseException] = []
    writer = _StreamWriter("w", _prepare(refuse=frozenset({4})), db.store, broken)
    futs = [writer.submit(_batch(n), urgent=n == 1) for n in range(1, 8)]
    gate.set()
    writer.close()
    assert _results(futs) == [1, 2, 3, "Refused", "_Skipped", "_Skipped", "_Skipped"]
    assert sum(db.commits, []) == [1, 2, 3]
    assert isinstance(broken[0], Refused)
    with pytest.raises(_Skipped) as skipped:
        futs[5].result()
    assert isinstance(skipped.value.__cause__, Refused)


def test_a_group_the_database_refuses_is_stored_again_one_batch_per_commit() -> None:
    gate = threading.Event()
    db = Db(clash=frozenset({5}), gate=gate)
    broken: list[BaseException] = []
    writer = _StreamWriter("w", _prepare(), db.store, broken)
    futs = [writer.submit(_batch(n), urgent=n == 1) for n in range(1, 9)]
    gate.set()
    writer.close()
    assert _results(futs) == [1, 2, 3, 4, "Clash", "_Skipped", "_Skipped", "_Skipped"]
    assert sum(db.commits, []) == [1, 2, 3, 4]
    assert isinstance(broken[0], Clash)


def test_nothing_is_stored_after_a_failure_even_when_batches_arrive_later() -> None:
    db = Db(clash=frozenset({1}))
    broken: list[BaseException] = []
    writer = _StreamWriter("w", _prepare(), db.store, broken)
    first = writer.submit(_batch(1), urgent=True)
    assert _results([first]) == ["Clash"]
    later = writer.submit(_batch(2), urgent=False)
    writer.close()
    assert _results([later]) == ["_Skipped"]
    assert db.commits == []


def test_an_unexpected_error_answers_every_batch_of_the_group() -> None:
    def boom(_group: list[ingest.Prepared], _urgent: bool) -> list[ingest.BatchOutcome]:
        raise MemoryError("out of memory")

    writer = _StreamWriter("w", _prepare(), boom, [])
    futs = [writer.submit(_batch(n), urgent=False) for n in range(1, 4)]
    writer.close()
    assert _results(futs)[0] == "MemoryError"
    assert set(_results(futs)[1:]) <= {"MemoryError", "_Skipped"}
