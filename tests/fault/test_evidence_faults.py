"""Evidence survives kill -9 of the national node and of the region's worker, and cut connections:
every capture ends with a verified inclusion proof under a checkpoint the region co-signed, nothing is
logged twice, no alarm is raised, and an exported package verifies."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fault.harness import Federation, cli, cli_ok, query, wait_until

pytestmark = pytest.mark.e2e


def _proved(region_db: Path) -> tuple[int, int]:
    total = query(region_db, "SELECT count(*) FROM evidence_captures")[0][0]
    proved = query(region_db, "SELECT count(*) FROM evidence_captures c JOIN evidence_checkpoints p "
                              "ON c.checkpoint_id = p.id WHERE c.status = 'logged' AND p.cosigned_at IS NOT NULL")[0][0]
    return total, proved


def test_evidence_is_proved_through_national_crashes_worker_crashes_and_cut_connections(
        federation: Federation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUFU_CHECKPOINT_INTERVAL_S", "0.5")
    national = federation.national()
    proxy = federation.proxy(national)
    region = federation.region("440000", proxy.address)
    cli_ok(["regional", "sample", "--regions", "440000", "--out", tmp_path / "sample", "--listings", "150"])
    cli_ok(["regional", "import-registry", tmp_path / "sample" / "440000" / "registry.jsonl",
            "--data-dir", region.data_dir])
    cli_ok(["regional", "import-listings", tmp_path / "sample" / "440000" / "listings.jsonl",
            "--data-dir", region.data_dir])
    cli_ok(["regional", "screen", "--data-dir", region.data_dir])
    leads = [row[0] for row in query(region.db_path, "SELECT uuid FROM leads ORDER BY id")]
    assert leads and _proved(region.db_path) == (len(leads), 0)

    national.start()
    national.start_worker()
    region.start_worker(interval_s=0.3)
    try:
        deadline = time.monotonic() + 30
        while _proved(region.db_path)[1] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        # faults while it works: the national node dies twice, the connection is cut, the region's worker dies,
        # and officers capture again in the middle of it
        for round_ in range(2):
            cli_ok(["evidence", "capture", leads[round_], "--data-dir", region.data_dir, "--officer", "张警官"])
            national.kill9()
            time.sleep(0.5)
            national.start()
            national.start_worker()
            proxy.cut()
            time.sleep(0.7)
            proxy.restore()
        region.procs.kill9(region.worker)  # type: ignore[arg-type]
        cli_ok(["evidence", "capture", leads[2], "--data-dir", region.data_dir, "--officer", "李警官"])
        region.start_worker(interval_s=0.3)
        total = len(leads) + 3
        wait_until(lambda: _proved(region.db_path) == (total, total), 120,
                   "every capture to hold a proof under a co-signed checkpoint",
                   lambda: f"{_proved(region.db_path)} of {total}\n{region.log_tail()}\n{national.log_tails()}")
    finally:
        region.stop_worker()
        national.stop()

    assert query(region.db_path, "SELECT count(*) FROM evidence_alarms")[0][0] == 0
    assert query(national.db_path, "SELECT count(*) FROM evidence_alarms")[0][0] == 0
    logged = query(national.db_path, "SELECT manifest_sha256, count(*) FROM evidence_manifests "
                                     "WHERE status = 'logged' GROUP BY manifest_sha256")
    assert len(logged) == total and all(n == 1 for _d, n in logged), "every manifest logged exactly once"
    sizes = [row[0] for row in query(national.db_path, "SELECT size FROM evidence_checkpoints ORDER BY id")]
    assert sizes == sorted(set(sizes)), "checkpoints only ever grew"
    out = tmp_path / "lead.zip"
    cli_ok(["evidence", "export", leads[0], "--data-dir", region.data_dir, "--out", out])
    cli_ok(["pki", "export-national-key", "--dir", federation.pki, "--out", tmp_path / "national.pem"])
    done = cli(["evidence", "verify", out, "--national-key", tmp_path / "national.pem"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("\ncapture ") == 2  # the first capture and the one taken again during the faults
