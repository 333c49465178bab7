"""E-marks in the demo federation (issue 14): marks issued at the first region, one revoked, listings showing
a genuine, an other-product, an altered, a forged and a revoked mark; every region hears the revocation."""

from __future__ import annotations

import json
import subprocess

import pytest
import sqlalchemy as sa

from regional.emark.models import EmarkRow, EmarkScan, MarkState
from regional.models import LeadRow
from sync.db import Database, sqlite_url
from tests.conftest import _subprocess_env, hufu_command

pytestmark = pytest.mark.e2e
FIRST, OTHERS = "440000", ("330000", "350000")


def _db(root, code):  # type: ignore[no-untyped-def]
    return Database(sqlite_url(root / f"region-{code}" / "node.db"))


def test_the_revocation_reached_every_region_and_verifying_there_says_revoked(demo_federation) -> None:
    summary = demo_federation.summary["emarks"]
    assert summary[FIRST]["issued"] == 3
    with _db(demo_federation.root, FIRST).read() as s:
        revoked = s.scalar(sa.select(EmarkRow).where(EmarkRow.state == MarkState.REVOKED, EmarkRow.local))
        payload = revoked.payload
        genuine = s.scalar(sa.select(EmarkRow.payload).where(EmarkRow.state == MarkState.ACTIVE).limit(1))
    for code in OTHERS:
        assert summary[code]["revoked_known"] == 1, f"region {code} did not hear the revocation"
        done = subprocess.run([*hufu_command(), "regional", "emark", "verify", payload, "--json", "--data-dir",
                               str(demo_federation.region_dir(code))], capture_output=True, text=True,
                              env=_subprocess_env(), timeout=120)
        assert done.returncode == 1, done.stdout + done.stderr
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        assert answer["status"] == "revoked" and "该批次标签遗失" in answer["reason"]
        ok = subprocess.run([*hufu_command(), "regional", "emark", "verify", genuine, "--data-dir",
                             str(demo_federation.region_dir(code))], capture_output=True, text=True,
                            env=_subprocess_env(), timeout=120)
        assert ok.returncode == 0 and ok.stdout.startswith("GENUINE"), ok.stdout + ok.stderr


def test_listings_showing_bad_marks_became_leads_with_their_reason_and_every_scan_is_kept(demo_federation) -> None:
    with _db(demo_federation.root, FIRST).read() as s:
        leads = {lead.listing_id.rsplit("-", 1)[-1]: lead for lead in s.scalars(
            sa.select(LeadRow).where(LeadRow.listing_id.like(f"{FIRST}-EM-%")))}
        scans = {scan.listing_id: scan.status for scan in s.scalars(
            sa.select(EmarkScan).where(EmarkScan.channel == "detection"))}
    codes = {k: [c["code"] for c in (lead.reason_codes or [])] for k, lead in leads.items()}
    assert "em.other_product" in codes["2"]
    assert "em.invalid" in codes["3"] and "em.invalid" in codes["4"] and "em.invalid" in codes["5"]
    assert all(leads[k].score >= 0.9 for k in ("2", "3", "4", "5"))
    assert scans[f"{FIRST}-EM-3"] == "altered" and scans[f"{FIRST}-EM-4"] == "forged"
    assert scans[f"{FIRST}-EM-5"] == "revoked" and scans[f"{FIRST}-EM-1"] == "genuine"
