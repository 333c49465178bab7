"""kill -9 of the national node, again and again, in the middle of a 20,000-record push."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fault.harness import (
    Federation,
    NationalNode,
    RegionalNode,
    assert_in_sync,
    in_sync,
    national_count,
    outbox_count,
    wait_leads_projected,
    wait_until,
)

pytestmark = pytest.mark.e2e

RECORDS = 20_000
KILLS = 6  # at least five of them must land while the region still has records to send


def _kill_mid_push(national: NationalNode, region: RegionalNode, records: int, kills: int, *,
                   with_worker: bool, before_kill: Callable[[], None] = lambda: None) -> list[int]:
    """Run `regional sync` over and over (the worker's backoff would only add waiting between kills) and kill -9
    the national node `kills` times at evenly spaced fill levels; returns what it held at each mid-push kill."""
    loop = region.sync_loop()
    try:
        mid_push = []
        for kill in range(1, kills + 1):
            threshold = kill * records // (kills + 1)
            wait_until(lambda t=threshold: national_count(national, region.code) >= t, 60,
                       f"the national node to hold {threshold} records before kill {kill}",
                       lambda: f"it holds {national_count(national, region.code)}\n{loop.describe()}\n"
                               f"{national.log_tails()}")
            before_kill()
            national.kill9()  # the server (and the worker, if running), mid-whatever
            held = national_count(national, region.code)
            if held < records:
                mid_push.append(held)
            national.start()
            if with_worker:
                national.start_worker()
        wait_until(lambda: in_sync(region, national), 60, "the region to finish its push after the last restart",
                   lambda: f"{national_count(national, region.code)} arrived\n{loop.describe()}")
    finally:
        loop.stop()
    return mid_push


def test_national_node_killed_six_times_mid_push_ends_with_exactly_the_regions_outbox(
        federation: Federation) -> None:
    national = federation.national()
    region = federation.region("440000", national.address)
    uuids = region.fill(RECORDS)
    national.start()
    national.start_worker()  # projecting leads while it is being killed too
    mid_push_kills = _kill_mid_push(national, region, RECORDS, KILLS, with_worker=True)
    assert len(mid_push_kills) >= 5, f"only {len(mid_push_kills)} kills landed mid-push (held {mid_push_kills})"
    assert outbox_count(region) == RECORDS
    assert_in_sync(region, national)
    wait_leads_projected(national, region.code, uuids, timeout=60)


def test_with_verifier_processes_kills_mid_push_lose_and_double_nothing(
        federation: Federation, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches checked in two verifier processes, four in flight: kill -9 lands between checks, commits and acks.

    (That verifier processes exit when the server is killed alone is tests/integration/test_verifiers.py's:
    here the harness kills the server's whole process group.)"""
    monkeypatch.setenv("HUFU_VERIFY_PROCESSES", "2")
    # 24,000: the region keeps 8 batches of 500 in flight and the writer commits up to 4 at once (session 20), so
    # with 8,000 the push could end before the kills land
    records, kills = 24_000, 3
    national = federation.national()
    region = federation.region("330000", national.address)
    uuids = region.fill(records)
    national.start()

    def verifiers_in_use() -> None:
        assert national.serve is not None and national.serve_log is not None
        assert "checked in 2 verifier process(es)" in national.serve_log.read_text(errors="replace")

    mid_push = _kill_mid_push(national, region, records, kills, with_worker=False, before_kill=verifiers_in_use)
    assert len(mid_push) >= 2, f"only {len(mid_push)} kills landed mid-push (held {mid_push})"
    assert_in_sync(region, national)
    national.start_worker()
    wait_leads_projected(national, region.code, uuids, timeout=60)
