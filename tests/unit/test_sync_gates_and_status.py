"""Pure parts of the sync hardening: the fair gate, the reconciliation allowance, a region's standing."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

from national.grpc_server import FairGate, RateLimit, check_reconcile, server_threads
from national.models import RegionRow
from national.status import Standing, standing
from sync.v1 import sync_pb2

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def test_the_server_is_sized_for_every_region_plus_headroom() -> None:
    assert server_threads(3) == server_threads(31) == 78
    assert server_threads(40) == 96


def test_the_gate_serves_callers_in_arrival_order() -> None:
    gate = FairGate(1)
    order: list[int] = []
    started = threading.Event()

    def holder() -> None:
        with gate.slot():
            started.set()
            time.sleep(0.3)

    def waiter(i: int) -> None:
        with gate.slot():
            order.append(i)

    first = threading.Thread(target=holder)
    first.start()
    started.wait()
    threads = []
    for i in range(8):  # queue up one after another while the slot is held
        t = threading.Thread(target=waiter, args=(i,))
        t.start()
        threads.append(t)
        time.sleep(0.02)
    for t in [first, *threads]:
        t.join()
    assert order == list(range(8))


def test_the_reconciliation_allowance_is_per_region_and_per_minute() -> None:
    limit = RateLimit(1000)
    assert limit.take("440000", 600, 0.0) == 0.0
    wait = limit.take("440000", 600, 10.0)
    assert 49.0 <= wait <= 50.0
    assert limit.take("330000", 600, 10.0) == 0.0, "another region has its own allowance"
    assert limit.take("440000", 600, 61.0) == 0.0, "the window slides"


def test_reconciliation_requests_are_bounded_per_call() -> None:
    ok = sync_pb2.ReconcileRequest(epoch=1, ranges=[sync_pb2.RangeDigest(first=1, last=1000)])
    assert check_reconcile(ok) == 1000
    for request, words in (
        (sync_pb2.ReconcileRequest(epoch=1, ranges=[sync_pb2.RangeDigest(first=1, last=2)] * 201), "201 ranges"),
        (sync_pb2.ReconcileRequest(epoch=1, ranges=[sync_pb2.RangeDigest(first=5, last=4)]), "before first"),
        (sync_pb2.ReconcileRequest(epoch=2**40), "field epoch"),
        (sync_pb2.ReconcileRequest(epoch=1, ranges=[sync_pb2.RangeDigest(first=2**63, last=2**63)]), "field first"),
    ):
        try:
            check_reconcile(request)
        except ValueError as exc:
            assert words in str(exc)
        else:
            raise AssertionError(f"accepted: {words}")


def _row(**kw: object) -> RegionRow:
    base: dict[str, object] = dict(code="440000", name="广东省", epoch=1, high_water=100, records=100, conflicts=0,
                                   reported_head=100, feed_floor=0)
    base.update(kw)
    return RegionRow(**base)


def test_a_partitioned_region_grows_stale_from_the_national_clock() -> None:
    row = _row(last_contact=NOW - dt.timedelta(seconds=120), last_batch_at=NOW - dt.timedelta(seconds=130),
               reported_head=150, oldest_unsent_at=NOW - dt.timedelta(seconds=125))
    s = standing(row, NOW, silent_after_s=60)
    assert s.standing is Standing.SILENT and s.silent
    assert s.seconds_since_contact == 120 and s.seconds_since_batch == 130
    assert s.reported_backlog == 50 and s.report_age_seconds == 120
    assert s.lag_seconds == 125.0 and s.lag_records == 50


def test_a_refusal_stands_until_an_exchange_succeeds_after_it() -> None:
    refused = _row(last_contact=NOW - dt.timedelta(seconds=30), last_error="PERMISSION_DENIED: revoked",
                   last_error_at=NOW - dt.timedelta(seconds=5))
    assert standing(refused, NOW).standing is Standing.REFUSED
    recovered = _row(last_contact=NOW - dt.timedelta(seconds=2), last_error="PERMISSION_DENIED: revoked",
                     last_error_at=NOW - dt.timedelta(seconds=5))
    s = standing(recovered, NOW)
    assert s.standing is Standing.OK and not s.error_active and s.last_error


def test_two_live_copies_show_until_the_next_restore() -> None:
    split = _row(last_contact=NOW, copies_detected_at=NOW - dt.timedelta(seconds=10), copies_detail="older copy")
    assert standing(split, NOW).standing is Standing.SPLIT_BRAIN
    restored = _row(last_contact=NOW, copies_detected_at=NOW - dt.timedelta(seconds=10),
                    restored_at=NOW - dt.timedelta(seconds=5))
    assert standing(restored, NOW).standing is Standing.OK


def test_a_region_not_heard_from_for_several_sync_intervals_is_late_before_it_is_silent() -> None:
    """newcomer16 N8: a region exchanges every sync interval; 60 s without a word is not 正常."""
    fresh = _row(last_contact=NOW - dt.timedelta(seconds=4))
    assert standing(fresh, NOW, late_after_s=30).standing is Standing.OK
    late = _row(last_contact=NOW - dt.timedelta(seconds=63))
    s = standing(late, NOW, late_after_s=30, silent_after_s=300)
    assert s.standing is Standing.LATE and s.report_stale and not s.silent
    assert standing(late, NOW).standing is Standing.OK, "without a lateness threshold only silence counts"
    assert standing(_row(last_contact=NOW - dt.timedelta(seconds=400)), NOW, late_after_s=30).standing \
        is Standing.SILENT


def test_no_region_is_ok_while_this_nodes_grpc_server_does_not_answer() -> None:
    fresh = _row(last_contact=NOW - dt.timedelta(seconds=1))
    s = standing(fresh, NOW, late_after_s=30, server_answering=False)
    assert s.standing is Standing.CUT_OFF and s.report_stale
    # the worse standings still say what they say
    refused = _row(last_contact=NOW - dt.timedelta(seconds=30), last_error="PERMISSION_DENIED: revoked",
                   last_error_at=NOW - dt.timedelta(seconds=5))
    assert standing(refused, NOW, server_answering=False).standing is Standing.REFUSED
    assert standing(_row(), NOW, server_answering=False).standing is Standing.NEVER


def test_the_server_probe_is_cached_for_its_ttl() -> None:
    from national.status import ServerProbe

    t = [0.0]
    probe = ServerProbe(ttl_s=5.0, timeout_s=0.1, monotonic=lambda: t[0])
    nowhere = Path("/nonexistent-hufu-run")
    first = probe.problem(nowhere, "127.0.0.1", 0)
    assert first is not None and first.kind == "no_address"
    for _ in range(50):
        probe.problem(nowhere, "127.0.0.1", 0)
    assert probe.probes == 1
    t[0] = 5.5
    probe.problem(nowhere, "127.0.0.1", 0)
    assert probe.probes == 2


def test_the_late_threshold_follows_the_regions_sync_interval(tmp_path: Path) -> None:
    from national.config import NationalConfig

    assert NationalConfig(data_dir=tmp_path, region_sync_interval_s=2.0, late_after_intervals=15).late_after_s == 30
    assert NationalConfig(data_dir=tmp_path, region_sync_interval_s=0.2, late_after_intervals=5).late_after_s == 10
