"""A node comes back from an older backup: the other side must neither lose nor overwrite anything."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.fault.harness import (
    Federation,
    NationalNode,
    RegionalNode,
    Row,
    assert_in_sync,
    backup,
    cli,
    cli_ok,
    difference,
    national_applied,
    national_count,
    national_record_bytes,
    national_rows,
    outbox_rows,
    query,
    restore,
    wait_in_sync,
    wait_leads_projected,
    wait_until,
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


def _operator_restores(region: RegionalNode, national: NationalNode) -> None:
    """The restored region is refused (not self-fenced) until an operator runs `hufu regional restore`."""
    refused = region.sync()
    assert refused.returncode != 0, "a restored database raised its own epoch without an operator's restore"
    assert "hufu regional restore" in refused.stderr, refused.stderr
    status = json.loads(cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout)
    mine = next(r for r in status["regions"] if r["code"] == region.code)
    assert mine["standing"] == "split_brain" and mine["epoch"] == 1, mine
    cli_ok(["regional", "restore", "--data-dir", region.data_dir, "--operator", "ops-test",
            "--reason", "restored from the nightly backup"])


def test_region_restored_from_an_older_backup_starts_a_new_epoch_after_the_operator_restore_and_overwrites_nothing(
        federation: Federation) -> None:
    national, region, copy = _region_restored_from_backup(federation, "370000")
    before = national_rows(national, region.code)
    stored_before = national_record_bytes(national, region.code)
    assert len(before) == 2100

    restore(copy, region.db_path)  # the region forgets records 1201..2100 it had already delivered
    _operator_restores(region, national)
    synced = region.sync()
    assert synced.returncode == 0, f"the restored region could not sync after the restore: {synced.stderr.strip()}"
    new = region.fill(500)
    region.sync_ok()

    _assert_restored_region_lost_nothing(region, national, before, stored_before)
    national.start_worker()
    assert set(new) <= set(national_applied(national, region.code))
    wait_leads_projected(national, region.code, set(national_applied(national, region.code)), 60)
    status = json.loads(cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout)
    mine = next(r for r in status["regions"] if r["code"] == region.code)
    assert mine["standing"] == "ok" and mine["epoch"] == 2 and mine["restored_at"], mine


def test_region_restored_from_a_backup_that_writes_past_the_national_high_water_mark_loses_nothing(
        federation: Federation) -> None:
    national, region, copy = _region_restored_from_backup(federation, "420000")
    before = national_rows(national, region.code)
    stored_before = national_record_bytes(national, region.code)

    restore(copy, region.db_path)
    # before it next reaches the national node, the restored region produces more leads than it lost:
    # its outbox now ends beyond the national high-water mark, under sequences already taken
    new = region.fill(1200)
    _operator_restores(region, national)
    synced = region.sync()
    assert synced.returncode == 0, f"the restored region could not sync after the restore: {synced.stderr.strip()}"
    region.sync_ok()

    _assert_restored_region_lost_nothing(region, national, before, stored_before)
    assert set(new) <= set(national_applied(national, region.code))


def test_two_live_copies_of_one_region_are_refused_shown_and_never_leapfrog_epochs(federation: Federation) -> None:
    national = federation.national()
    national.start()
    original = federation.region("440000", national.address)
    original.fill(300)
    original.sync_ok()
    # an operator brings up a second machine from a copy of the live database and forgets the first
    twin_dir = federation.root / "region-440000-twin"
    shutil.copytree(original.data_dir, twin_dir, ignore=shutil.ignore_patterns("node.db*", "run"))
    backup(original.db_path, twin_dir / "node.db")
    twin = RegionalNode(code="440000", data_dir=twin_dir, procs=federation.procs)
    original.fill(50)
    twin.fill(70)  # both write under sequences 301..
    original.start_worker()
    twin.start_worker()
    try:
        def both_refused_or_shown() -> bool:
            status = json.loads(cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout)
            return next(r for r in status["regions"] if r["code"] == "440000")["standing"] == "split_brain"

        wait_until(both_refused_or_shown, 60, "the national node to show two live copies of region 440000",
                   lambda: original.log_tail() + "\n" + twin.log_tail())
        time.sleep(5)  # let both keep trying for a while: neither may move to a new epoch
    finally:
        original.stop_worker()
        twin.stop_worker()
    epochs = {int(e) for (e,) in query(national.db_path, "SELECT DISTINCT epoch FROM uplink_records")}
    assert epochs == {1}, f"epochs leapfrogged: {epochs}"
    assert [int(e) for (e,) in query(national.db_path, "SELECT epoch FROM regions WHERE code='440000'")] == [1]
    for node in (original, twin):
        assert {int(e) for (e,) in query(node.db_path, "SELECT DISTINCT epoch FROM outbox")} == {1}
    # what the national node holds is a prefix of exactly one of the copies, never a mix
    held = national_rows(national, "440000")
    prefixes = [outbox_rows(n)[:len(held)] == held for n in (original, twin)]
    assert any(prefixes), "the national node holds a mix of both copies"
    loser = twin if prefixes[0] else original
    refused = loser.sync()
    assert refused.returncode != 0 and "hufu regional restore" in refused.stderr, refused.stderr
    page = cli(["national", "status", "--data-dir", national.data_dir]).stdout
    assert "two live copies" in page


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
