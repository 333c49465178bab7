"""A node comes back from an older backup: the other side must neither lose nor overwrite anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fault.harness import (
    Federation,
    NationalNode,
    RegionalNode,
    Row,
    assert_in_sync,
    backup,
    difference,
    national_applied,
    national_count,
    national_record_bytes,
    national_rows,
    outbox_rows,
    restore,
    wait_in_sync,
    wait_leads_projected,
)

pytestmark = pytest.mark.e2e


def _epoch(rows: list[Row], epoch: int) -> list[Row]:
    return [r for r in rows if r[0] == epoch]


def _region_restored_from_backup(federation: Federation, code: str) -> tuple[NationalNode, RegionalNode, Path]:
    """A region pushing continuously, hot-backed up mid-way, then run on until everything arrived.

    Returns with the region's worker stopped and its database still the newest one.
    """
    national = federation.national()
    national.start()
    region = federation.region(code, national.address)
    region.fill(600)
    region.start_worker()
    region.fill(600)  # the worker is pushing while this commits
    copy = federation.root / f"region-{code}-backup.db"
    backup(region.db_path, copy)  # hot, mid-way: outbox 1..1200, acknowledged cursor wherever it was
    region.fill(900)
    wait_in_sync(region, national, timeout=60)
    region.stop_worker()
    return national, region, copy


def _assert_restored_region_lost_nothing(region: RegionalNode, national: NationalNode,
                                         before: list[Row], stored_before: dict[tuple[int, int], bytes]) -> None:
    after = national_rows(national, region.code)
    assert after[:len(before)] == before, "the national node lost or renumbered records of the first epoch"
    stored_after = national_record_bytes(national, region.code)
    assert {k: stored_after.get(k) for k in stored_before} == stored_before, "a stored record was overwritten"

    ours = outbox_rows(region)
    applied = national_applied(national, region.code)
    lost = sorted({u for _e, _s, u in ours if u not in applied})
    assert not lost, f"{len(lost)} of the region's records were never applied by the national node, e.g. {lost[:3]}"
    doubled = [u for u, n in applied.items() if n > 1]
    assert not doubled, f"{len(doubled)} records were applied twice by the national node, e.g. {doubled[:3]}"

    kept = _epoch(ours, 1)
    assert _epoch(after, 1)[:len(kept)] == kept, "the region's first epoch is not what the national node holds"
    epochs = sorted({e for e, _s, _u in ours})
    assert epochs[-1] > 1, f"the restored region still writes epoch {epochs[-1]}: it did not start a new one"
    for epoch in epochs[1:]:
        mine, theirs = _epoch(ours, epoch), _epoch(after, epoch)
        assert mine == theirs, difference(f"region {region.code} epoch {epoch}", mine, theirs)


def test_region_restored_from_an_older_backup_starts_a_new_epoch_by_itself_and_overwrites_nothing(
        federation: Federation) -> None:
    national, region, copy = _region_restored_from_backup(federation, "370000")
    before = national_rows(national, region.code)
    stored_before = national_record_bytes(national, region.code)
    assert len(before) == 2100

    restore(copy, region.db_path)  # the region forgets records 1201..2100 it had already delivered
    synced = region.sync()
    assert synced.returncode == 0, f"the restored region could not sync by itself: {synced.stderr.strip()}"
    new = region.fill(500)
    region.sync_ok()

    _assert_restored_region_lost_nothing(region, national, before, stored_before)
    national.start_worker()
    assert set(new) <= set(national_applied(national, region.code))
    wait_leads_projected(national, region.code, set(national_applied(national, region.code)), 60)


def test_region_restored_from_a_backup_that_writes_past_the_national_high_water_mark_loses_nothing(
        federation: Federation) -> None:
    national, region, copy = _region_restored_from_backup(federation, "420000")
    before = national_rows(national, region.code)
    stored_before = national_record_bytes(national, region.code)

    restore(copy, region.db_path)
    # before it next reaches the national node, the restored region produces more leads than it lost:
    # its outbox now ends beyond the national high-water mark, under sequences already taken
    new = region.fill(1200)
    synced = region.sync()
    assert synced.returncode == 0, f"the restored region could not sync by itself: {synced.stderr.strip()}"
    region.sync_ok()

    _assert_restored_region_lost_nothing(region, national, before, stored_before)
    assert set(new) <= set(national_applied(national, region.code))


def test_national_node_restored_from_an_older_backup_gets_everything_resent_from_its_high_water_mark(
        federation: Federation) -> None:
    national = federation.national()
    national.start()
    region = federation.region("440000", national.address)
    uuids = region.fill(1000)
    region.sync_ok()
    national.stop()
    copy = federation.root / "national-backup.db"
    backup(national.db_path, copy)  # taken while stopped: holds 1..1000
    national.start()
    region.start_worker()
    uuids += region.fill(800)
    wait_in_sync(region, national, timeout=60)
    national.stop()

    restore(copy, national.db_path)  # the national node forgets 1001..1800
    national.start()
    national.start_worker()
    assert national_count(national, region.code) == 1000, "the backup was not restored"
    uuids += region.fill(300)
    wait_in_sync(region, national, timeout=60, extra="after the national node was restored")
    region.stop_worker()

    assert_in_sync(region, national)
    assert len(outbox_rows(region)) == 2100
    wait_leads_projected(national, region.code, uuids, timeout=60)
