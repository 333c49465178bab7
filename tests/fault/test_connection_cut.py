"""The network between a region and the national node breaks mid-push and comes back."""

from __future__ import annotations

import pytest

from tests.fault.harness import (
    Federation,
    assert_in_sync,
    national_count,
    wait_in_sync,
    wait_leads_projected,
    wait_until,
)

pytestmark = pytest.mark.e2e

# enough that the push is still going at the second cut: a region keeps 8 batches of 500 in flight and the
# national writer commits up to 4 checked batches at once (session 20), so 8,000 could be all in before it
RECORDS = 24_000
CUTS = 2


def test_connection_cut_twice_mid_push_and_restored_ends_with_exactly_the_regions_outbox(
        federation: Federation) -> None:
    national = federation.national()
    national.start()
    proxy = federation.proxy(national)
    region = federation.region("330000", proxy.address)
    uuids = region.fill(RECORDS)
    region.start_worker()

    for cut in range(1, CUTS + 1):
        # cut as soon as the (resumed) push has delivered another batch, so most of it is still to come
        threshold = national_count(national, region.code) + 500
        wait_until(lambda t=threshold: national_count(national, region.code) >= t, 60,
                   f"{threshold} records at the national node before cut {cut}",
                   lambda: f"{national_count(national, region.code)} arrived\n{region.log_tail()}")
        live = proxy.cut()
        assert live >= 1, "the cut found no live connection to break"
        refused_before = proxy.refused
        # the region keeps trying while the network is down; let it fail twice
        wait_until(lambda r=refused_before: proxy.refused >= r + 2, 60,
                   "the region to retry against the cut connection", region.log_tail)
        assert national_count(national, region.code) < RECORDS, "the push finished before the cut"
        proxy.restore()

    wait_in_sync(region, national, timeout=90, extra="after the connection came back")
    region.stop_worker()
    assert_in_sync(region, national)
    national.start_worker()
    wait_leads_projected(national, region.code, uuids, timeout=60)


def test_sync_through_a_cut_connection_fails_with_a_message_then_succeeds_once_restored(
        federation: Federation) -> None:
    national = federation.national()
    national.start()
    proxy = federation.proxy(national)
    region = federation.region("310000", proxy.address)
    region.fill(300)
    proxy.cut()

    failed = region.sync()
    assert failed.returncode == 1
    assert "UNAVAILABLE" in failed.stderr and "sync failed" in failed.stderr, failed.stderr
    assert national_count(national, region.code) == 0

    proxy.restore()
    region.sync_ok()
    assert_in_sync(region, national)
