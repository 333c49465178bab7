"""Evidence in the demo federation, through the CLI only: every capture is proved under a witnessed checkpoint,
a lead's and a case's packages verify on "another machine" with only the package and the national key, and a
changed byte is refused with its reason."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, hufu_command

pytestmark = pytest.mark.e2e


def hufu(*args: object, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*hufu_command(), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_every_region_holds_a_witnessed_inclusion_proof_for_each_capture(demo_federation) -> None:
    ev = demo_federation.summary["evidence"]["regions"]
    for code in demo_federation.region_codes:
        assert ev[code]["captures"] > 0 and ev[code]["proved"] == ev[code]["captures"]
        db = sqlite3.connect(demo_federation.region_dir(code) / "node.db")
        leads = db.execute("select count(*) from leads").fetchone()[0]
        captured = db.execute("select count(distinct lead_uuid) from evidence_captures").fetchone()[0]
        assert captured == leads, f"region {code}: every lead has its capture"


def test_a_lead_package_verifies_elsewhere_with_only_the_national_key_and_a_changed_byte_is_refused(
        demo_federation, tmp_path: Path) -> None:
    region = demo_federation.region_dir("440000")
    lead = sqlite3.connect(region / "node.db").execute("select lead_uuid from evidence_captures limit 1").fetchone()[0]
    out = tmp_path / "lead.zip"
    r = hufu("evidence", "export", lead, "--data-dir", region, "--out", out)
    assert r.returncode == 0, r.stderr
    key = tmp_path / "national.pem"
    r = hufu("pki", "export-national-key", "--dir", demo_federation.root / "pki", "--out", key)
    assert r.returncode == 0 and "fingerprint" in r.stdout, r.stderr
    elsewhere = tmp_path / "court"  # nothing but the package and the key
    elsewhere.mkdir()
    shutil.copy(out, elsewhere / "lead.zip")
    shutil.copy(key, elsewhere / "national.pem")
    r = hufu("evidence", "verify", elsewhere / "lead.zip", "--national-key", elsewhere / "national.pem", cwd=elsewhere)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("VALID") and lead in r.stdout and "witness" in r.stdout
    with zipfile.ZipFile(elsewhere / "lead.zip") as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    assert "取证时间" in files["摘要.html"].decode()
    item = next(n for n in sorted(files) if n.startswith("items/"))
    files[item] = files[item][:-1] + bytes([files[item][-1] ^ 1])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    (elsewhere / "tampered.zip").write_bytes(buf.getvalue())
    r = hufu("evidence", "verify", elsewhere / "tampered.zip", "--national-key", elsewhere / "national.pem")
    assert r.returncode == 1 and r.stdout.startswith("INVALID") and item in r.stdout


def test_a_case_package_from_the_national_node_holds_each_regions_evidence(demo_federation, tmp_path: Path) -> None:
    nat = demo_federation.national_dir
    case = sqlite3.connect(nat / "node.db").execute(
        "select uuid from cases where cross_region order by id limit 1").fetchone()[0]
    out = tmp_path / "case.zip"
    r = hufu("evidence", "export", case, "--data-dir", nat, "--out", out)
    assert r.returncode == 0, r.stderr
    key = tmp_path / "national.pem"
    hufu("pki", "export-national-key", "--dir", demo_federation.root / "pki", "--out", key)
    r = hufu("evidence", "verify", out, "--national-key", key)
    assert r.returncode == 0, r.stdout
    assert len({line.split("by region ")[1].split()[0] for line in r.stdout.splitlines() if "by region" in line}) >= 2
    r = hufu("evidence", "verify", out, "--national-key", demo_federation.root / "pki" / "ca.crt")
    assert r.returncode == 2 and "national-key" in r.stderr
