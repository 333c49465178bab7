"""Nationwide sweep: the national node runs the regional detection engine over pooled listings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from national.models import AuditEntry, SweepLead, SweepRow
from regional.sampledata import generate_federation, write_sample
from sync.db import Database, sqlite_url
from sync.pki import init_ca


def hufu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "national.cli", *args], capture_output=True, text=True, timeout=300)


def test_a_sweep_for_one_right_finds_its_planted_infringements_across_provinces(tmp_path: Path) -> None:
    samples = generate_federation(["440000", "330000", "350000"], seed=3, listings_per_region=150)
    pooled = tmp_path / "pooled.jsonl"
    registry = tmp_path / "registry.jsonl"
    reg_path, _ = write_sample(samples["440000"], tmp_path / "440000")
    registry.write_bytes(reg_path.read_bytes())
    lines = []
    for code, sample in samples.items():
        _reg, lst = write_sample(sample, tmp_path / code)
        lines.append(lst.read_text(encoding="utf-8"))
    pooled.write_text("".join(lines), encoding="utf-8")
    # the right planted most often across the federation
    counts: dict[str, set[str]] = {}
    for code, sample in samples.items():
        for p in sample.planted:
            counts.setdefault(p["right"], set()).add(code)
    right = max(sorted(counts), key=lambda r: len(counts[r]))
    init_ca(tmp_path / "pki")
    assert hufu("national", "init", "--data-dir", str(tmp_path / "nat"), "--pki", str(tmp_path / "pki")).returncode == 0
    proc = hufu("national", "sweep", "--data-dir", str(tmp_path / "nat"), "--registry", str(registry),
                "--listings", str(pooled), "--right", right, "--name", "专项检测", "--actor", "国家局 张处长")
    assert proc.returncode == 0, proc.stderr
    db = Database(sqlite_url(tmp_path / "nat" / "node.db"))
    with db.read() as s:
        sweep = s.scalar(sa.select(SweepRow))
        leads = list(s.scalars(sa.select(SweepLead)))
        audit = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "sweep"))
    assert sweep is not None and sweep.rights == [right] and sweep.leads == len(leads) > 0
    assert {lead.right_number for lead in leads} == {right}
    planted = {p["listing_id"] for s_ in samples.values() for p in s_.planted if p["right"] == right}
    assert planted <= {lead.listing_id for lead in leads} | set(), "every planted copy of that right is found"
    assert len({lead.seller_region for lead in leads if lead.seller_region}) >= 2
    assert audit is not None and audit.actor == "国家局 张处长"


def test_a_sweep_naming_an_unknown_right_is_refused_and_stores_nothing(tmp_path: Path) -> None:
    samples = generate_federation(["440000"], seed=3, listings_per_region=20)
    reg, lst = write_sample(samples["440000"], tmp_path / "s")
    init_ca(tmp_path / "pki")
    hufu("national", "init", "--data-dir", str(tmp_path / "nat"), "--pki", str(tmp_path / "pki"))
    proc = hufu("national", "sweep", "--data-dir", str(tmp_path / "nat"), "--registry", str(reg), "--listings",
                str(lst), "--right", "TM-NOPE")
    assert proc.returncode == 1 and "TM-NOPE" in proc.stderr and "Traceback" not in proc.stderr
    with Database(sqlite_url(tmp_path / "nat" / "node.db")).read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(SweepRow)) == 0
