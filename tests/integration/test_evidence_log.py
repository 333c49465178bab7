"""Evidence end to end over a real national gRPC server (port 0, mutual TLS, real SQLite databases):
capture with the lead, file, log nationally, checkpoint, witness, prove, upload, export, verify — and the
national node that rewrites its log or shows a region a second log is caught and reported on both nodes."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from national import evidence as national_evidence
from national.config import NationalConfig
from national.evidence_export import export_case
from national.grpc_server import build_server
from national.models import (
    EvidenceAlarm as NationalAlarm,
)
from national.models import (
    EvidenceManifest,
    EvidenceObjectRow,
    ManifestStatus,
    NationalCheckpoint,
    NationalLogNode,
)
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from national.node import evidence_once, form_cases_once
from regional import outbox, services, sync_agent
from regional.domain import LeadFinding, LeadType
from regional.evidence import witness
from regional.evidence.export import export_lead
from regional.models import (
    AuditEntry,
    EvidenceAlarm,
    EvidenceCapture,
    EvidenceCheckpoint,
    LeadRow,
    ProofStatus,
)
from regional.node import MIGRATIONS as REGIONAL_MIGRATIONS
from sync.cas import ContentStore
from sync.db import Database, run_migrations, sqlite_url
from sync.evidence import VerificationFailed, load_public_key, verify_package
from sync.pki import init_ca, issue_region
from sync.transport import client_channel
from tests.conftest import web_client

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()


def clock() -> dt.datetime:
    return NOW


@dataclass
class Fed:
    pki: Path
    target: str
    national: Database
    ncfg: NationalConfig
    tmp: Path


@pytest.fixture
def fed(tmp_path: Path) -> Iterator[Fed]:
    pki = tmp_path / "pki"
    init_ca(pki)
    for code in ("440000", "330000"):
        issue_region(pki, code)
    ncfg = NationalConfig.load(tmp_path / "national", pki_dir=pki)
    ncfg.data_dir.mkdir(parents=True)
    run_migrations(ncfg.db_url, NATIONAL_MIGRATIONS)
    db = Database(ncfg.db_url)
    server, port = build_server(db, pki, "127.0.0.1", 0, workers=4, clock=clock, evidence_dir=ncfg.evidence_dir)
    server.start()
    try:
        yield Fed(pki=pki, target=f"127.0.0.1:{port}", national=db, ncfg=ncfg, tmp=tmp_path)
    finally:
        server.stop(grace=None)
        db.dispose()


@dataclass
class Region:
    code: str
    db: Database
    signer: outbox.Signer
    pki: Path
    store: ContentStore

    def channel(self, target: str):  # type: ignore[no-untyped-def]
        return client_channel(target, self.pki / "ca.crt", self.pki / "region.crt", self.pki / "region.key")


def region(fed: Fed, code: str, listings: int = 3) -> Region:
    url = sqlite_url(fed.tmp / f"region-{code}.db")
    run_migrations(url, REGIONAL_MIGRATIONS)
    db = Database(url)
    pki = fed.pki / "regions" / code
    evidence_dir = fed.tmp / f"evidence-{code}"
    signer = outbox.Signer.from_file(code, pki / "signing.key", evidence_dir=evidence_dir)
    bundle = fed.tmp / f"bundle-{code}"
    (bundle / "pages").mkdir(parents=True)
    rows = []
    for i in range(listings):
        (bundle / "pages" / f"{i}.html").write_text(f"<html><body>康帅傅 {i}</body></html>", encoding="utf-8")
        rows.append({"id": f"tb-{code}-{i}", "title": f"康帅傅 红烧牛肉面 {i}", "url": f"https://shop.example/{i}",
                     "images": ["https://img.example/1.jpg"], "page_capture": {"html": f"pages/{i}.html"},
                     "attachments": [{"name": "shot.png", "media_type": "image/png", "data_base64": PNG}]})
    path = bundle / "listings.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    services.import_listings(db, path, actor="t", now=NOW, evidence_dir=evidence_dir)
    return Region(code, db, signer, pki, ContentStore(evidence_dir))


def detect_all(_rights, _licences, listings):  # type: ignore[no-untyped-def]
    return [LeadFinding(listing_id=x.id, right="TM-1", type=LeadType.TRADEMARK, score=0.9, reasons=("test",),
                        model_version="t-1") for x in listings]


def screen(r: Region) -> None:
    from regional.models import RegistryRight

    with r.db.transaction() as s:
        if not s.scalar(sa.select(RegistryRight.id)):
            s.add(RegistryRight(number="TM-1", kind="trademark", title="康师傅", owner="顶益", status="registered"))
    services.screen_pending(r.db, r.signer, now=NOW, detector=detect_all)


def cycle(fed: Fed, *regions: Region) -> None:
    """Push every region, log and checkpoint nationally, then let every region witness, prove and upload."""
    for r in regions:
        sync_agent.push_once(r.db, r.channel(fed.target), r.signer, clock=clock)
    evidence_once(fed.national, fed.ncfg)
    for r in regions:
        witness.run_once(r.db, r.channel(fed.target), r.code, r.signer.key, r.pki, r.store, clock=clock)


def captures(r: Region) -> list[EvidenceCapture]:
    with r.db.read() as s:
        return list(s.scalars(sa.select(EvidenceCapture).order_by(EvidenceCapture.log_index)))


def test_a_lead_is_captured_in_its_own_transaction_with_every_item_of_the_import(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    caps = captures(gd)
    with gd.db.read() as s:
        leads = list(s.scalars(sa.select(LeadRow.uuid)))
    assert sorted(c.lead_uuid for c in caps) == sorted(leads) and len(caps) == 3
    manifest = json.loads(caps[0].manifest)
    roles = sorted(i["role"] for i in manifest["items"])
    assert roles == ["attachment", "detection", "listing_record", "page_html"]
    assert manifest["references"] == [{"role": "image", "url": "https://img.example/1.jpg"}]
    record = json.loads(gd.store.get(next(i["sha256"] for i in manifest["items"] if i["role"] == "listing_record")))
    assert record["attachments"][0]["data_base64"] == PNG  # the record exactly as received
    assert [c.log_index for c in caps] == [0, 1, 2]
    with gd.db.read() as s:  # the screening's audit entry counts leads, not leads + their evidence records
        entry = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "screen"))
    assert entry is not None and entry.detail["leads"] == 3 and entry.detail["listings"] == 3, entry.detail


def test_every_capture_ends_with_an_inclusion_proof_under_a_checkpoint_both_regions_witnessed(fed: Fed) -> None:
    gd, zj = region(fed, "440000"), region(fed, "330000")
    screen(gd)
    screen(zj)
    cycle(fed, gd, zj)
    cycle(fed, gd, zj)  # the second pass: each region sees the other's co-signature
    for r in (gd, zj):
        caps = captures(r)
        assert caps and all(c.status is ProofStatus.LOGGED for c in caps)
        with r.db.read() as s:
            cp = s.scalar(sa.select(EvidenceCheckpoint).where(EvidenceCheckpoint.cosigned_at.is_not(None)))
            assert cp is not None and cp.trust
    with fed.national.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(EvidenceManifest)
                        .where(EvidenceManifest.status == ManifestStatus.LOGGED)) == 6
        held = set(s.scalars(sa.select(EvidenceObjectRow.sha256)))
    named = {i["sha256"] for r in (gd, zj) for c in captures(r) for i in json.loads(c.manifest)["items"]}
    assert named <= held  # every item uploaded, content-addressed
    # a region's package verifies with only the national key, on its own
    lead = captures(gd)[0].lead_uuid
    package, n, left = export_lead(gd.db, gd.store, gd.pki, "440000", lead, NOW)
    assert (n, left) == (1, 0)
    key = load_public_key((fed.pki / "evidence-log.pub").read_bytes())
    report = verify_package(package, key)
    assert report.captures[0].items and report.captures[0].witnesses
    # re-capture (重新取证) on demand adds a second, separately logged capture of the same lead
    from regional.evidence.capture import Capturer, recapture

    with gd.db.transaction() as s:
        records = recapture(s, Capturer.at("440000", gd.signer.key, gd.store.root), lead, now=NOW, actor="张警官")
        outbox.append_many(s, gd.signer, records, NOW)
    cycle(fed, gd, zj)
    cycle(fed, gd, zj)  # the next pass brings the other witness's co-signature to this region's copy
    package, n, left = export_lead(gd.db, gd.store, gd.pki, "440000", lead, NOW)
    assert n == 2 and verify_package(package, key, min_witnesses=2).captures[1].reason == "recapture"


def test_a_case_package_on_the_national_node_holds_every_regions_evidence(fed: Fed) -> None:
    gd, zj = region(fed, "440000"), region(fed, "330000")
    for r in (gd, zj):
        screen(r)
    cycle(fed, gd, zj)
    cycle(fed, gd, zj)
    form_cases_once(fed.national)  # projects the filed leads
    from national.models import CaseRow, NationalLead

    with fed.national.transaction() as s:  # one case holding every lead of both regions
        case = CaseRow(uuid="c0ffee00-0000-4000-8000-000000000001", key="test-case", right_number="TM-1",
                       type="trademark", lead_region="440000", regions=["440000", "330000"], cross_region=True,
                       formed_at=NOW, updated_at=NOW)
        s.add(case)
        s.flush()
        for lead in s.scalars(sa.select(NationalLead)):
            lead.case_id = case.id
        case_uuid = case.uuid
    package, n, _left = export_case(fed.ncfg, case_uuid, NOW)
    key = load_public_key((fed.pki / "evidence-log.pub").read_bytes())
    report = verify_package(package, key)
    assert {c.region for c in report.captures} == {"440000", "330000"} and n == 6
    # the national node exports one lead by its uuid too, and tells a case from a lead
    from national.evidence_export import NotExportable, export_any

    lead = captures(zj)[0].lead_uuid
    kind, package, n, _left = export_any(fed.ncfg, lead, NOW)
    report = verify_package(package, key)
    assert kind == "lead" and n == 1 and report.subject["kind"] == "lead"
    assert [(c.region, c.lead) for c in report.captures] == [("330000", lead)]
    assert export_any(fed.ncfg, case_uuid, NOW)[0] == "case"
    with pytest.raises(NotExportable, match="neither a case nor a lead"):
        export_any(fed.ncfg, "00000000-0000-4000-8000-000000000000", NOW)


def _rewrite_national_leaf(fed: Fed, index: int, swap_with: int | None = None) -> None:
    """An insider changes one leaf of the national log (or swaps two), recomputes the tree above it, re-signs."""
    from sync import merkle
    from sync.pki import ensure_log_key

    with fed.national.transaction() as s:
        leaves = [h for (h,) in s.execute(sa.select(NationalLogNode.hash).where(NationalLogNode.level == 0)
                                          .order_by(NationalLogNode.index))]
        if swap_with is None:
            leaves[index] = merkle.leaf_hash(b"a forged manifest")
        else:
            leaves[index], leaves[swap_with] = leaves[swap_with], leaves[index]
        s.execute(sa.delete(NationalLogNode))
        tree = merkle.MemoryTree()
        for leaf in leaves:
            tree.append(leaf)
        s.add_all([NationalLogNode(level=lv, index=ix, hash=h) for (lv, ix), h in tree.nodes.items()])
        s.execute(sa.delete(national_evidence.CheckpointCosignature))
        s.execute(sa.delete(NationalCheckpoint))
        national_evidence.issue_checkpoint(s, ensure_log_key(fed.pki), NOW + dt.timedelta(minutes=1))


def test_a_national_log_rewritten_after_a_region_cosigned_is_caught_and_reported_on_both_nodes(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    with gd.db.read() as s:
        cosigned = s.scalar(sa.select(sa.func.max(EvidenceCheckpoint.size)).where(
            EvidenceCheckpoint.cosigned_at.is_not(None)))
    assert cosigned == 3
    _rewrite_national_leaf(fed, 1)
    result = witness.run_once(gd.db, gd.channel(fed.target), "440000", gd.signer.key, gd.pki, gd.store, clock=clock)
    assert result.alarm and "not consistent with the checkpoint of size 3" in result.alarm
    with gd.db.read() as s:
        alarms = list(s.scalars(sa.select(EvidenceAlarm)))
        assert [a.kind for a in alarms] == ["split_view"] and alarms[0].reported_at is not None
        assert s.scalar(sa.select(sa.func.max(EvidenceCheckpoint.size))
                        .where(EvidenceCheckpoint.cosigned_at.is_not(None))) == 3  # it did not co-sign
    with fed.national.read() as s:
        reported = list(s.scalars(sa.select(NationalAlarm)))
        assert [a.kind for a in reported] == ["witness_refused"] and "440000" in reported[0].detail


def test_a_grown_but_forked_national_log_is_caught_by_the_consistency_proof(fed: Fed) -> None:
    gd = region(fed, "440000", listings=4)
    screen(gd)
    cycle(fed, gd)  # co-signs size 4
    from regional.evidence.capture import Capturer, recapture

    with gd.db.transaction() as s:  # one more capture, so the national log grows to 5
        records = recapture(s, Capturer.at("440000", gd.signer.key, gd.store.root), captures(gd)[0].lead_uuid,
                            now=NOW, actor="t")
        outbox.append_many(s, gd.signer, records, NOW)
    sync_agent.push_once(gd.db, gd.channel(fed.target), gd.signer, clock=clock)
    evidence_once(fed.national, fed.ncfg)
    _rewrite_national_leaf(fed, 0)  # history before the co-signed size changed, checkpoint of size 5 re-signed
    result = witness.run_once(gd.db, gd.channel(fed.target), "440000", gd.signer.key, gd.pki, gd.store, clock=clock)
    assert result.alarm and "size 5" in result.alarm and "rewritten" in result.alarm
    with gd.db.read() as s:
        assert s.scalar(sa.select(EvidenceAlarm.kind)) == "rewritten"


def test_a_region_that_rewrites_its_own_log_is_refused_and_told_then_continues_after_the_national_copy(
        fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    # the region's database is rolled back to before its captures and captures again: indices reused
    with gd.db.transaction() as s:
        from regional import state
        from regional.models import EvidenceLogNode

        s.execute(sa.delete(EvidenceLogNode))
        s.execute(sa.delete(EvidenceCapture))
        state.put(s, "evidence_log_size", 0, NOW)
        lead = s.scalar(sa.select(LeadRow))
    from regional.evidence.capture import Capturer, recapture

    with gd.db.transaction() as s:
        records = recapture(s, Capturer.at("440000", gd.signer.key, gd.store.root), lead.uuid, now=NOW, actor="t")
        outbox.append_many(s, gd.signer, records, NOW)
    cycle(fed, gd)
    with fed.national.read() as s:
        refused = s.scalar(sa.select(EvidenceManifest).where(EvidenceManifest.status == ManifestStatus.REFUSED))
        assert refused is not None and "rewritten" in (refused.reason or "")
        assert s.scalar(sa.select(NationalAlarm.kind)) == "region_log_rewritten"
    with gd.db.read() as s:
        assert s.scalar(sa.select(EvidenceAlarm.kind)) == "refused"
    # the region then reads back the national copy of its log (session 15) and moves its capture after it:
    # the three entries the national log accepted come back unchanged, the new capture lands at index 3
    with fed.national.read() as s:
        held = [(i, d) for i, d in s.execute(sa.select(EvidenceManifest.region_index, EvidenceManifest.manifest_sha256)
                                             .where(EvidenceManifest.status == ManifestStatus.LOGGED)
                                             .order_by(EvidenceManifest.region_index))]
    newest = captures(gd)[-1]
    assert newest.log_index == 3 and "moved from index 0 to 3" in (newest.status_reason or "")
    assert [(c.log_index, c.manifest_sha256) for c in captures(gd)][:3] == held
    cycle(fed, gd)
    cycle(fed, gd)
    assert [c.status for c in captures(gd)] == [ProofStatus.LOGGED] * 4


def test_a_package_from_a_tampered_store_is_not_exported(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cap = captures(gd)[0]
    digest = json.loads(cap.manifest)["items"][0]["sha256"]
    path = gd.store.path(digest)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b" ")
    from sync.cas import ObjectCorrupt

    with pytest.raises(ObjectCorrupt, match="changed on disk"):
        export_lead(gd.db, gd.store, gd.pki, "440000", cap.lead_uuid, NOW)


def test_a_download_from_a_tampered_store_is_refused_with_an_alarm_not_a_500(fed: Fed) -> None:
    """newcomer12: one changed evidence file made the lead's download a 500 with a traceback and no alarm."""
    from regional.config import RegionalConfig
    from regional.models import AuditEntry, EvidenceAlarm
    from regional.web import create_app as regional_app

    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cycle(fed, gd)
    cap = next(c for c in captures(gd) if c.national_index is not None)
    digest = json.loads(cap.manifest)["items"][0]["sha256"]
    cfg = RegionalConfig(data_dir=fed.tmp / "gd-web", region="440000", database_url=gd.db.url)
    cfg.data_dir.mkdir()
    (cfg.data_dir / "pki").symlink_to(gd.pki)
    (cfg.data_dir / "evidence").symlink_to(gd.store.root)
    client = web_client(regional_app(cfg))
    assert client.get(f"/leads/{cap.lead_uuid}/evidence.zip").status_code == 200  # intact: a package
    path = gd.store.path(digest)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b" ")
    answer = client.get(f"/leads/{cap.lead_uuid}/evidence.zip")
    assert answer.status_code == 302, answer.status_code
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "无法生成证据包" in page and "存储的证据文件在磁盘上被改动或删除" in page and digest in page, page[:3000]
    assert str(gd.store.root) not in page  # the store's path stays on the server
    with gd.db.read() as s:
        alarms = list(s.scalars(sa.select(EvidenceAlarm).where(EvidenceAlarm.kind == "object_damaged")))
        actions = set(s.scalars(sa.select(AuditEntry.action)))
    assert len(alarms) == 1 and cap.lead_uuid in alarms[0].detail and digest in alarms[0].detail
    assert {"evidence_alarm_object_damaged", "evidence_export_refused"} <= actions
    client.get(f"/leads/{cap.lead_uuid}/evidence.zip")  # again: the same alarm is recorded once
    with gd.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(EvidenceAlarm)
                        .where(EvidenceAlarm.kind == "object_damaged")) == 1


def test_bad_evidence_fields_reject_the_import_naming_record_and_field(fed: Fed, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "r.db")
    run_migrations(url, REGIONAL_MIGRATIONS)
    db = Database(url)
    rows = [
        {"id": "a", "title": "x", "images": ["../../etc/passwd"]},
        {"id": "b", "title": "x", "images": ["missing.png"]},
        {"id": "c", "title": "x", "attachments": [{"name": "p.png", "data_base64": "not base64!"}]},
        {"id": "d", "title": "x", "attachments": [{"name": "p.png", "data_base64": "A" * (3 * 1024 * 1024)}]},
        {"id": "e", "title": "x", "page_capture": {"html": "/abs.html"}},
        {"id": "f", "title": "x", "attachments": [{"name": "p.png", "data_base64": PNG, "path": "p.png"}]},
    ]
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(services.ImportRejected) as err:
        services.import_listings(db, path, actor="t", now=NOW, evidence_dir=tmp_path / "ev")
    text = str(err.value)
    for expected in ("l.jsonl:1 (a) field 'images[0]'", "l.jsonl:2 (b) field 'images[0]': file 'missing.png'",
                     "l.jsonl:3 (c) field 'attachments[0].data_base64': is not valid base64",
                     "l.jsonl:4 (d) field 'attachments[0].data_base64': is larger than 2 MiB",
                     "l.jsonl:5 (e) field 'page_capture.html'", "l.jsonl:6 (f) field 'attachments[0]'"):
        assert expected in text, text
    with pytest.raises(VerificationFailed):
        verify_package(b"", b"\x00" * 32)


def test_the_lead_page_and_the_case_page_show_the_evidence_with_its_status_and_a_working_download(fed: Fed) -> None:
    from national.models import CaseRow, NationalLead
    from national.web import create_app as national_app
    from regional.config import RegionalConfig
    from regional.web import create_app as regional_app

    gd, zj = region(fed, "440000"), region(fed, "330000")
    for r in (gd, zj):
        screen(r)
    cycle(fed, gd, zj)
    cycle(fed, gd, zj)
    lead = captures(gd)[0].lead_uuid
    cfg = RegionalConfig(data_dir=fed.tmp / "gd-web", region="440000", database_url=gd.db.url)
    cfg.data_dir.mkdir()
    (cfg.data_dir / "pki").symlink_to(gd.pki)
    (cfg.data_dir / "evidence").symlink_to(gd.store.root)
    client = web_client(regional_app(cfg))
    assert f"/leads/{lead}/evidence" in client.get("/leads").get_data(as_text=True)
    page = client.get(f"/leads/{lead}/evidence").get_data(as_text=True)
    assert "已记入全国证据日志" in page and captures(gd)[0].manifest_sha256 in page and "网页快照" in page
    download = client.get(f"/leads/{lead}/evidence.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    key = load_public_key((fed.pki / "evidence-log.pub").read_bytes())
    assert verify_package(download.get_data(), key).captures[0].lead == lead
    assert client.get("/leads/no-such-lead/evidence").status_code == 404
    from tests.conftest import csrf

    answer = client.post(f"/leads/{lead}/evidence/capture", data={"csrf_token": csrf(client)})
    assert answer.status_code == 302 and "message" not in answer.headers["Location"]  # newcomer14 F37: flashed
    assert 'data-flash="ok">已重新取证' in client.get(f"/leads/{lead}/evidence").get_data(as_text=True)
    assert "it@example.com" not in client.get(f"/leads/{lead}/evidence?message=it@example.com").get_data(as_text=True)
    assert len([c for c in captures(gd) if c.lead_uuid == lead]) == 2
    assert captures(gd)[-1].actor == "officer-user" and captures(gd)[-1].reason == "recapture"
    assert client.post(f"/leads/{lead}/evidence/capture").status_code == 400  # no CSRF token: refused
    auditor = web_client(regional_app(cfg), role="auditor")
    assert auditor.post(f"/leads/{lead}/evidence/capture", data={"csrf_token": csrf(auditor)}).status_code == 403
    assert 'id="recapture-form"' not in auditor.get(f"/leads/{lead}/evidence").get_data(as_text=True)
    form_cases_once(fed.national)
    with fed.national.transaction() as s:
        case = CaseRow(uuid="c0ffee00-0000-4000-8000-000000000002", key="web-case", right_number="TM-1",
                       type="trademark", lead_region="440000", regions=["440000", "330000"], cross_region=True,
                       formed_at=NOW, updated_at=NOW)
        s.add(case)
        s.flush()
        for row in s.scalars(sa.select(NationalLead)):
            row.case_id = case.id
    nclient = web_client(national_app(fed.ncfg))
    page = nclient.get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert page.count('data-status="witnessed"') == 6 and "（2 个区域见证）" in page
    download = nclient.get(f"/cases/{case.uuid}/evidence.zip")
    assert download.status_code == 200
    assert {c.region for c in verify_package(download.get_data(), key).captures} == {"440000", "330000"}
    # one lead's package, nationally: linked once per lead on the case page and from the leads list
    assert page.count(f"/leads/{lead}/evidence.zip") == 1
    assert f"/leads/{lead}/evidence.zip" in nclient.get("/leads").get_data(as_text=True)
    one = nclient.get(f"/leads/{lead}/evidence.zip")
    assert one.status_code == 200 and f"lead-evidence-{lead}.zip" in one.headers["Content-Disposition"]
    report = verify_package(one.get_data(), key)
    assert report.subject == {"kind": "lead", "uuid": lead} and {c.lead for c in report.captures} == {lead}
    assert nclient.get("/leads/no-such-lead/evidence.zip").status_code == 404
    # every download is in the audit log of the node that served it, with who, from where and the digest
    from national.models import AuditEntry as NationalAudit
    from regional.models import AuditEntry as RegionalAudit

    with fed.national.read() as s:
        done = [a.detail for a in s.scalars(sa.select(NationalAudit).where(NationalAudit.action == "evidence_exported"))]
    assert [sorted(d) for d in done] == [sorted(["case", "captures", "left_out", "package_sha256"]),
                                         sorted(["lead", "captures", "left_out", "package_sha256"])]
    with gd.db.read() as s:
        row = s.scalar(sa.select(RegionalAudit).where(RegionalAudit.action == "evidence_exported"))
    assert row is not None and row.actor == "officer-user" and row.detail["lead"] == lead and row.address
    # no sign-in, no evidence: pages send to the sign-in page, downloads too, the API answers 401
    anonymous = regional_app(cfg).test_client()
    for path in (f"/leads/{lead}/evidence", f"/leads/{lead}/evidence.zip"):
        answer = anonymous.get(path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], path
    assert anonymous.post(f"/leads/{lead}/evidence/capture").status_code in (400, 302)
    assert len([c for c in captures(gd) if c.lead_uuid == lead]) == 2  # nothing captured by the anonymous post
    nanonymous = national_app(fed.ncfg).test_client()
    for path in (f"/leads/{lead}/evidence.zip", f"/cases/{case.uuid}/evidence.zip", "/evidence"):
        answer = nanonymous.get(path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], path
    assert nanonymous.get(f"/leads/{lead}/evidence.zip", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_national_evidence_page_shows_the_log_its_witnesses_and_the_alarms(fed: Fed) -> None:
    from national.web import create_app as national_app

    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    client = web_client(national_app(fed.ncfg))
    page = client.get("/evidence").get_data(as_text=True)
    assert 'id="evlog-size">3<' in page and "广东" in page and "无告警" in page
    _rewrite_national_leaf(fed, 0)
    witness.run_once(gd.db, gd.channel(fed.target), "440000", gd.signer.key, gd.pki, gd.store, clock=clock)
    page = client.get("/evidence").get_data(as_text=True)
    assert "witness_refused" in page and "not consistent" in page
    # what the alarm means, in the reader's language; the node's English only under 技术细节 (evidence15's leftover)
    row = page[page.index('id="evlog-alarms"'):]
    assert "<th>含义</th>" in row and "某区域拒绝为国家证据日志的检查点联署" in row
    assert row.index("技术细节") < row.index("not consistent")


def test_reordered_leaves_of_the_national_log_are_caught_by_the_witness(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    _rewrite_national_leaf(fed, 0, swap_with=2)  # same entries, another order, re-signed at the same size
    result = witness.run_once(gd.db, gd.channel(fed.target), "440000", gd.signer.key, gd.pki, gd.store, clock=clock)
    assert result.alarm and "split view" in result.alarm


def test_a_cosignature_of_a_checkpoint_the_national_node_never_issued_is_an_alarm_there(fed: Fed) -> None:
    """A second log signed with the national key (a stolen key, a forked replica) shown to one region is caught
    when that region's co-signature comes back to the real national node."""
    from sync import note
    from sync.evidence import NATIONAL_KEY_NAME, NATIONAL_ORIGIN, region_key_name
    from sync.pki import ensure_log_key
    from sync.v1 import sync_pb2, sync_pb2_grpc

    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    forged = note.sign_checkpoint(note.Checkpoint(NATIONAL_ORIGIN, 3, b"\x07" * 32, NOW), NATIONAL_KEY_NAME,
                                  ensure_log_key(fed.pki))
    sig = note.cosign(forged, region_key_name("440000"), gd.signer.key, NOW)
    stub = sync_pb2_grpc.FederationSyncStub(gd.channel(fed.target))
    reply = stub.CosignCheckpoint(sync_pb2.CosignRequest(checkpoint=forged.render(), cosignature=sig.line(),
                                                         from_size=3))
    assert not reply.accepted and "never issued" in reply.message
    with fed.national.read() as s:
        alarm = s.scalar(sa.select(NationalAlarm).where(NationalAlarm.kind == "split_view"))
        assert alarm is not None and "440000" in alarm.detail
    # a co-signature that does not verify with the region's key is refused, and nothing is kept
    bad = note.cosign(forged, region_key_name("440000"), ed25519_key(), NOW)
    reply = stub.CosignCheckpoint(sync_pb2.CosignRequest(checkpoint=forged.render(), cosignature=bad.line()))
    assert not reply.accepted and "co-signature refused" in reply.message


def ed25519_key():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519.Ed25519PrivateKey.generate()


def test_an_enforcement_bodys_user_downloads_the_evidence_of_a_notice_sent_to_its_body(fed: Fed) -> None:
    """newcomer15 F20: the receiving body's user (role `agency`) gets the lead's evidence package from the notice,
    verifiable offline against the national log key; the download is audited with the notice's number; a body
    the notice was not sent to gets nothing."""
    from regional.actors import Actor
    from regional.config import RegionalConfig
    from regional.routing.directory import generate_for_province, set_member
    from regional.web import create_app as regional_app
    from regional.workflow_models import AgencyRow, NoticeRow
    from tests.conftest import csrf

    gd, zj = region(fed, "440000"), region(fed, "330000")
    for r in (gd, zj):
        screen(r)
    cycle(fed, gd, zj)
    cycle(fed, gd, zj)
    lead = captures(gd)[0].lead_uuid
    with gd.db.transaction() as s:
        generate_for_province(s, "440000", actor_name="test", now=NOW)
    cfg = RegionalConfig(data_dir=fed.tmp / "gd-web2", region="440000", database_url=gd.db.url)
    cfg.data_dir.mkdir()
    (cfg.data_dir / "pki").symlink_to(gd.pki)
    (cfg.data_dir / "evidence").symlink_to(gd.store.root)
    app = regional_app(cfg)
    officer = web_client(app)
    answer = officer.post(f"/review/leads/{lead}/judge", data={"decision": "confirmed", "csrf_token": csrf(officer)})
    assert answer.status_code == 302
    with gd.db.transaction() as s:
        notice, body = s.execute(sa.select(NoticeRow.uuid, AgencyRow.code).join(
            AgencyRow, AgencyRow.id == NoticeRow.agency_id)).one()
        number = s.scalar(sa.select(NoticeRow.number))
        other = s.scalar(sa.select(AgencyRow.code).where(AgencyRow.code != body).limit(1))
        set_member(s, body, "clerk", True, Actor("test", frozenset({"admin"})), NOW)
        set_member(s, other, "stranger", True, Actor("test", frozenset({"admin"})), NOW)
    clerk = web_client(app, "agency", "clerk")
    page = clerk.get(f"/notices/{notice}").get_data(as_text=True)
    assert f'href="/notices/{notice}/evidence.zip"' in page and f"/leads/{lead}" not in page
    download = clerk.get(f"/notices/{notice}/evidence.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    key = load_public_key((fed.pki / "evidence-log.pub").read_bytes())
    assert verify_package(download.get_data(), key).captures[0].lead == lead
    assert clerk.get(f"/leads/{lead}/evidence.zip").status_code == 403  # the office's door stays closed
    with gd.db.read() as s:
        row = s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "evidence_exported")).one()
    assert row.actor == "clerk" and row.detail["lead"] == lead and row.detail["notice"] == number
    stranger = web_client(app, "agency", "stranger")
    assert stranger.get(f"/notices/{notice}").status_code == 404
    assert stranger.get(f"/notices/{notice}/evidence.zip").status_code == 404
