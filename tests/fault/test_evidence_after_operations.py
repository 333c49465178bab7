"""The evidence chain survives the routine operations an outside tester broke it with (newcomer14 F18/F18b/F18c,
F27, F19, F38), through the public CLI with real processes (national serve + worker, regional worker, mTLS):

* revoke + re-issue of a region's certificate while its worker runs, with a capture signed by the revoked key
  in between: it is re-signed and logged, every capture after it too, with no restart of the worker;
* the documented restore drill (backup, restore, `hufu regional restore`, epoch 1 -> 2): the region reads back
  the national copy of its evidence log, and new captures are logged instead of being refused forever.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fault.harness import (
    Federation,
    Processes,
    RegionalNode,
    backup,
    cli,
    cli_ok,
    make_pki,
    query,
    restore,
    wait_until,
)

pytestmark = pytest.mark.e2e


def _proved(region: RegionalNode) -> tuple[int, int]:
    total = query(region.db_path, "SELECT count(*) FROM evidence_captures")[0][0]
    proved = query(region.db_path, "SELECT count(*) FROM evidence_captures c JOIN evidence_checkpoints p "
                                   "ON c.checkpoint_id = p.id WHERE c.status = 'logged' "
                                   "AND p.cosigned_at IS NOT NULL")[0][0]
    return total, proved


def _start(federation: Federation, tmp_path: Path, code: str, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[object, RegionalNode, list[str]]:
    monkeypatch.setenv("HUFU_CHECKPOINT_INTERVAL_S", "0.5")
    national = federation.national()
    national.start()
    national.start_worker()
    region = federation.region(code, national.address)
    cli_ok(["regional", "sample", "--regions", code, "--out", tmp_path / "sample", "--listings", "40"])
    cli_ok(["regional", "import-registry", tmp_path / "sample" / code / "registry.jsonl", "--data-dir",
            region.data_dir])
    cli_ok(["regional", "import-listings", tmp_path / "sample" / code / "listings.jsonl", "--data-dir",
            region.data_dir])
    cli_ok(["regional", "screen", "--data-dir", region.data_dir])
    leads = [row[0] for row in query(region.db_path, "SELECT uuid FROM leads ORDER BY id")]
    assert len(leads) >= 3
    region.start_worker(interval_s=0.3)
    _wait_all_proved(region, national, len(leads))
    return national, region, leads


def _wait_all_proved(region: RegionalNode, national: object, total: int) -> None:
    wait_until(lambda: _proved(region) == (total, total), 120,
               f"all {total} captures of region {region.code} to hold a proof under a co-signed checkpoint",
               lambda: f"{_proved(region)} of {total}\n"
                       f"{query(region.db_path, 'SELECT log_index, status, status_reason FROM evidence_captures')}"
                       f"\n{region.log_tail()}\n{national.log_tails()}")  # type: ignore[attr-defined]


def _capture(region: RegionalNode, lead: str) -> None:
    cli_ok(["evidence", "capture", lead, "--data-dir", region.data_dir, "--officer", "张警官"])


def _status(national: object, code: str) -> dict[str, object]:
    out = cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout  # type: ignore[attr-defined]
    return next(r for r in json.loads(out)["regions"] if r["code"] == code)


def test_revoke_and_re_issue_while_the_worker_runs_keeps_the_evidence_chain_going(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pki = make_pki(tmp_path / "pki", ["440000"])
    federation = Federation(root=tmp_path, pki=pki, procs=Processes(tmp_path / "logs"))
    try:
        national, region, leads = _start(federation, tmp_path, "440000", monkeypatch)
        cli_ok(["pki", "revoke-region", "440000", "--dir", pki])
        _capture(region, leads[0])  # signed with the revoked key
        cli_ok(["pki", "issue-region", "440000", "--dir", pki])
        cli_ok(["regional", "init", "--data-dir", region.data_dir, "--region", "440000",
                "--pki", pki / "regions" / "440000", "--national", national.address])  # type: ignore[attr-defined]
        _capture(region, leads[1])  # the new key; the worker was never restarted
        _wait_all_proved(region, national, len(leads) + 2)
        _capture(region, leads[0])  # 重新取证 afterwards: logged too
        _wait_all_proved(region, national, len(leads) + 3)
        region.stop_worker()
        db = national.db_path  # type: ignore[attr-defined]
        logged = query(db, "SELECT manifest_sha256, count(*) FROM evidence_manifests WHERE status = 'logged' "
                           "GROUP BY manifest_sha256")
        assert len(logged) == len(leads) + 3 and all(n == 1 for _d, n in logged)
        mine = _status(national, "440000")
        assert mine["evidence_stuck"] is False, mine
    finally:
        federation.close()


def test_the_restore_drill_keeps_the_evidence_chain_going(federation: Federation, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    national, region, leads = _start(federation, tmp_path, "330000", monkeypatch)
    region.stop_worker()
    copy = federation.root / "region-330000-backup.db"
    backup(region.db_path, copy)
    region.start_worker(interval_s=0.3)
    _capture(region, leads[0])  # logged nationally, then lost with the database
    _capture(region, leads[1])
    _wait_all_proved(region, national, len(leads) + 2)
    region.stop_worker()
    db = national.db_path  # type: ignore[attr-defined]
    before = query(db, "SELECT region_index, manifest_sha256 FROM evidence_manifests WHERE status = 'logged' "
                       "ORDER BY region_index")

    restore(copy, region.db_path)
    refused = region.sync()
    assert refused.returncode != 0 and "hufu regional restore" in refused.stderr, refused.stderr
    done = cli_ok(["regional", "restore", "--data-dir", region.data_dir, "--operator", "ops-test",
                   "--reason", "restore drill"])
    assert "epoch 1 -> 2" in done.stdout and "2 entry(ies) this backup had lost read back" in done.stdout, done.stdout
    # the captures were lost, not the leads: the restore's lead check says so (newcomer16 N10)
    assert "leads: none lost" in done.stdout, done.stdout
    _capture(region, leads[2])
    region.start_worker(interval_s=0.3)
    _wait_all_proved(region, national, len(leads) + 3)
    region.stop_worker()
    after = query(db, "SELECT region_index, manifest_sha256 FROM evidence_manifests WHERE status = 'logged' "
                      "ORDER BY region_index")
    assert after[:len(before)] == before and len(after) == len(before) + 1
    assert query(db, "SELECT count(*) FROM evidence_manifests WHERE status = 'refused'")[0][0] == 0
    mine = _status(national, "330000")
    assert mine["evidence_stuck"] is False and mine["epoch"] == 2, mine
