"""Re-issuing a region's certificate supersedes the old one; every filing stays verifiable.

The issue: after `hufu pki issue-region X` ran a second time without a revoke, the old
certificate still pushed and pulled, and `hufu national verify-filings` failed for every
earlier filing. Through the public CLI only, with real processes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fault.harness import Federation, cli, cli_ok, make_pki, wait_in_sync

pytestmark = pytest.mark.e2e


def _install(pki: Path, code: str, region_dir: Path) -> None:
    """What an operator does with the re-issued directory: copy it into the region's pki/."""
    for name in ("ca.crt", "region.crt", "region.key", "signing.key", "signing.pub"):
        shutil.copyfile(pki / "regions" / code / name, region_dir / "pki" / name)


def test_a_reissued_certificate_supersedes_the_old_one_and_every_filing_stays_verifiable(tmp_path: Path) -> None:
    from tests.fault.harness import Processes

    pki = make_pki(tmp_path / "pki", ["440000", "330000"])
    federation = Federation(root=tmp_path, pki=pki, procs=Processes(tmp_path / "logs"))
    try:
        national = federation.national()
        national.start()
        region = federation.region("440000", national.address)
        region.fill(300)
        region.sync_ok()

        cli_ok(["pki", "issue-region", "440000", "--dir", pki])  # again, without a revoke
        region.fill(100)
        refused = region.sync()
        assert refused.returncode != 0
        assert "PERMISSION_DENIED" in refused.stderr and "superseded" in refused.stderr, refused.stderr
        status = json.loads(cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout)
        mine = next(r for r in status["regions"] if r["code"] == "440000")
        assert mine["standing"] == "refused" and "superseded" in mine["last_error"], mine

        _install(pki, "440000", region.data_dir)
        region.sync_ok()
        wait_in_sync(region, national, timeout=60)
        verified = cli_ok(["national", "verify-filings", "--data-dir", national.data_dir])
        assert "400 filing(s) checked, 400 verified" in verified.stdout, verified.stdout

        # a planned rotation: the previous certificate keeps working for the overlap
        other = federation.region("330000", national.address)
        other.fill(50)
        other.sync_ok()
        cli_ok(["pki", "issue-region", "330000", "--dir", pki, "--overlap-hours", "2"])
        other.fill(50)
        other.sync_ok()  # still the old credentials: accepted within the overlap
        _install(pki, "330000", other.data_dir)
        other.fill(50)
        other.sync_ok()
        verified = cli_ok(["national", "verify-filings", "--data-dir", national.data_dir])
        assert "550 filing(s) checked, 550 verified" in verified.stdout, verified.stdout
    finally:
        federation.close()
