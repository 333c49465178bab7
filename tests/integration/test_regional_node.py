"""The regional node on a real SQLite database: imports, screening, the lead+outbox transaction, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519

from regional import outbox, services
from regional.domain import LeadFinding, LeadType
from regional.models import AuditEntry, LeadRow, ListingRow, OutboxRow, RegistryRight
from regional.node import MIGRATIONS
from sync.db import Database, run_migrations, sqlite_url
from sync.v1 import sync_pb2

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
REGISTRY = [
    {"kind": "trademark", "reg_no": "TM-0012345", "mark": "康师傅", "owner": "顶益（开曼岛）控股有限公司",
     "nice_classes": [30, 32], "status": "registered", "valid_until": "2031-05-27"},
    {"kind": "licence", "right": "TM-0012345", "licensee": "某某食品有限公司", "valid_from": "2024-01-01",
     "valid_until": "2026-12-31"},
]
LISTINGS = [
    {"id": "tb-1", "title": "康帅傅 红烧牛肉面 五连包", "price": 9.9, "nice_classes": [30],
     "seller": {"name": "深圳某商行", "uscc": "91440300MA5F12345X", "phone": "13800138000",
                "address": "广东省深圳市宝安区"}},
    {"id": "tb-2", "title": "不锈钢保温杯 500ml", "price": 39.0, "category": "日用品"},
]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Database:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    return Database(url)


@pytest.fixture
def signer() -> outbox.Signer:
    return outbox.Signer(region="440000", key=ed25519.Ed25519PrivateKey.generate())


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_a_good_import_stores_everything_with_an_audit_entry(db: Database, tmp_path: Path) -> None:
    reg = services.import_registry(db, write(tmp_path / "r.jsonl", REGISTRY), actor="tester", now=NOW)
    lst = services.import_listings(db, write(tmp_path / "l.jsonl", LISTINGS), actor="tester", now=NOW)
    assert (reg.created, reg.licences, lst.created) == (1, 1, 2)
    assert count(db, RegistryRight) == 1 and count(db, ListingRow) == 2
    with db.read() as s:
        actions = [a.action for a in s.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["import_registry", "import_listings"]


def test_a_file_with_one_bad_record_is_rejected_whole_and_names_line_and_field(db: Database, tmp_path: Path) -> None:
    services.import_listings(db, write(tmp_path / "ok.jsonl", LISTINGS), actor="t", now=NOW)
    bad = [*LISTINGS, {"id": "tb-3", "title": "x", "price": -5}]
    bad[0] = {**bad[0], "title": "changed"}
    with pytest.raises(services.ImportRejected) as info:
        services.import_listings(db, write(tmp_path / "bad.jsonl", bad), actor="t", now=NOW)
    message = str(info.value)
    assert "bad.jsonl:3" in message and "tb-3" in message and "price" in message
    assert "nothing was imported" in message
    with db.read() as s:
        assert s.scalar(sa.select(ListingRow.title).where(ListingRow.id == "tb-1")) == LISTINGS[0]["title"]
        assert s.scalar(sa.select(sa.func.count()).select_from(ListingRow)) == 2
        rejected = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import_listings_rejected"))
        assert rejected is not None and rejected.detail["errors"] == 1


def test_screening_files_each_lead_with_an_outbox_record(db: Database, tmp_path: Path,
                                                               signer: outbox.Signer) -> None:
    services.import_registry(db, write(tmp_path / "r.jsonl", REGISTRY), actor="t", now=NOW)
    services.import_listings(db, write(tmp_path / "l.jsonl", LISTINGS), actor="t", now=NOW)
    result = services.screen_pending(db, signer, now=NOW)
    assert result.screened == 2 and result.leads >= 1
    with db.read() as s:
        leads = list(s.scalars(sa.select(LeadRow)))
        rows = list(s.scalars(sa.select(OutboxRow).order_by(OutboxRow.sequence)))
    assert {lead.listing_id for lead in leads} == {"tb-1"}
    assert [r.sequence for r in rows] == list(range(1, len(leads) + 1))
    record = sync_pb2.Record()
    record.ParseFromString(rows[0].record)
    assert record.region == "440000" and record.lead.right == "TM-0012345" and record.sequence == 1
    assert record.lead.seller.uscc == "91440300MA5F12345X"
    assert record.uuid == leads[0].uuid
    # a second run finds nothing new to screen
    assert services.screen_pending(db, signer, now=NOW).screened == 0


def test_a_failure_while_filing_leaves_neither_lead_nor_outbox_row(db: Database, tmp_path: Path,
                                                                   signer: outbox.Signer,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    services.import_listings(db, write(tmp_path / "l.jsonl", LISTINGS), actor="t", now=NOW)
    services.import_registry(db, write(tmp_path / "r.jsonl", REGISTRY), actor="t", now=NOW)

    def detector(_rights, _licences, listings):  # type: ignore[no-untyped-def]
        return [LeadFinding(listing_id=item.id, right="TM-0012345", type=LeadType.TRADEMARK, score=0.9,
                            reasons=("r",), model_version="t") for item in listings]

    def failing_append(session, signer, records, now):  # type: ignore[no-untyped-def]
        # the leads are already in the session: failing here must roll them back too
        raise OSError("disk full")

    monkeypatch.setattr(outbox, "append_many", failing_append)
    with pytest.raises(OSError):
        services.screen_pending(db, signer, now=NOW, detector=detector)
    assert count(db, LeadRow) == 0 and count(db, OutboxRow) == 0
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ListingRow)
                        .where(ListingRow.screened_at.is_not(None))) == 0


def hufu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "national.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_cli_import_of_a_bad_file_exits_non_zero_with_the_record_named(tmp_path: Path) -> None:
    data = tmp_path / "node"
    assert hufu("regional", "init", "--data-dir", str(data), "--region", "440000").returncode == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "title": "ok"}\nnot json\n{"id": "b"}\n', encoding="utf-8")
    proc = hufu("regional", "import-listings", str(bad), "--data-dir", str(data))
    assert proc.returncode == 1
    assert "bad.jsonl:2" in proc.stderr and "bad.jsonl:3" in proc.stderr and "title" in proc.stderr
    assert "Traceback" not in proc.stderr
    missing = hufu("regional", "import-listings", str(tmp_path / "nope.jsonl"), "--data-dir", str(data))
    assert missing.returncode == 1 and "nope.jsonl" in missing.stderr and "Traceback" not in missing.stderr


def test_cli_detect_works_file_to_file_and_skips_bad_records(tmp_path: Path) -> None:
    reg = write(tmp_path / "r.jsonl", REGISTRY)
    lst = tmp_path / "l.jsonl"
    lst.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in LISTINGS) + "{broken\n",
                   encoding="utf-8")
    out = tmp_path / "leads.jsonl"
    proc = hufu("regional", "detect", "--registry", str(reg), "--listings", str(lst), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "l.jsonl:3" in proc.stderr
    leads = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(x["listing_id"], x["right"], x["type"]) for x in leads] == [("tb-1", "TM-0012345", "trademark")]
    assert set(leads[0]) == {"listing_id", "right", "type", "score", "reasons", "model_version"}


def test_a_launch_for_named_rights_rescreens_every_listing_and_is_audited(db: Database, tmp_path: Path,
                                                                          signer: outbox.Signer) -> None:
    services.import_registry(db, write(tmp_path / "r.jsonl", REGISTRY), actor="t", now=NOW)
    services.import_listings(db, write(tmp_path / "l.jsonl", LISTINGS), actor="t", now=NOW)
    first = services.screen_pending(db, signer, now=NOW)
    assert first.leads == 1
    again = services.screen_pending(db, signer, now=NOW, scope=services.Scope(rights=("TM-0012345",)),
                                    rescreen=True, actor="权利人 via 维权援助中心")
    assert (again.screened, again.leads, again.skipped_existing) == (2, 0, 1)
    with db.read() as s:
        audit = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "detection_launched"))
    assert audit is not None and audit.actor == "权利人 via 维权援助中心" and audit.detail["already_held"] == 1
    with pytest.raises(ValueError, match="TM-NOPE"):
        services.screen_pending(db, signer, now=NOW, scope=services.Scope(rights=("TM-NOPE",)), rescreen=True)


def test_monitoring_lists_are_computed_from_the_nodes_leads(db: Database, tmp_path: Path,
                                                           signer: outbox.Signer) -> None:
    from regional.models import RiskEntry
    from regional.monitoring import refresh_lists

    services.import_registry(db, write(tmp_path / "r.jsonl", REGISTRY), actor="t", now=NOW)
    services.import_listings(db, write(tmp_path / "l.jsonl", LISTINGS), actor="t", now=NOW)
    services.screen_pending(db, signer, now=NOW)
    with db.transaction() as s:
        counts = refresh_lists(s, NOW)
    assert set(counts) == {"high_risk_seller", "exposed_right", "price_anomaly"}
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(RiskEntry)) == sum(counts.values())
