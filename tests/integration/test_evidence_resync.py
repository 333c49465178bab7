"""The evidence chain survives routine operations (newcomer14 F18/F18b/F18c, F27, F38), over a real national
gRPC server with mutual TLS and real SQLite databases (the fixtures of test_evidence_log):

* a region's certificate revoked and re-issued: the capture signed with the old key, refused, is re-signed
  with the current key and filed again; the captures after it (refused as a gap) follow; nothing is lost;
* a region restored from a backup (epoch 1 -> 2): it reads back the national copy of its own log beyond the
  backup's size, and new captures continue the chain instead of being refused as a rewrite, forever;
* a region still cannot rewrite an entry the national log accepted (tamper evidence);
* a stuck chain is shown by `national status` (and cleared once the chain continues).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from national.models import EvidenceAlarm as NationalAlarm
from national.models import EvidenceManifest, ManifestStatus
from regional import outbox, state, sync_agent
from regional.evidence import resync, witness
from regional.evidence.capture import Capturer, recapture
from regional.models import EvidenceAlarm, EvidenceCapture, LeadRow, ProofStatus
from sync.db import Database, sqlite_url
from sync.pki import issue_region, revoke_region
from tests.integration.test_evidence_log import NOW, Fed, Region, captures, clock, cycle, fed, region, screen

__all__ = ["fed"]  # the fixture, imported


def _logged(fed: Fed, code: str) -> list[tuple[int, str]]:
    with fed.national.read() as s:
        return [(i, d) for i, d in s.execute(sa.select(EvidenceManifest.region_index, EvidenceManifest.manifest_sha256)
                                             .where(EvidenceManifest.region == code,
                                                    EvidenceManifest.status == ManifestStatus.LOGGED)
                                             .order_by(EvidenceManifest.region_index))]


def _capture_again(r: Region, lead: str) -> None:
    with r.db.transaction() as s:
        records = recapture(s, Capturer.at(r.code, r.signer.key, r.store.root), lead, now=NOW, actor="张警官")
        outbox.append_many(s, r.signer, records, NOW)


def _leads(r: Region) -> list[str]:
    with r.db.read() as s:
        return list(s.scalars(sa.select(LeadRow.uuid).order_by(LeadRow.id)))


def _stuck(fed: Fed) -> dict[str, object]:
    from national import evidence

    with fed.national.read() as s:
        return {code: row.region_index for code, row in evidence.stuck_chains(s).items()}


def _lead_page(fed: Fed, r: Region, lead: str) -> str:
    from regional.config import RegionalConfig
    from regional.web import create_app
    from tests.conftest import web_client

    cfg = RegionalConfig(data_dir=fed.tmp / f"{r.code}-web", region=r.code, database_url=r.db.url)
    if not cfg.data_dir.exists():
        cfg.data_dir.mkdir()
        (cfg.data_dir / "pki").symlink_to(r.pki)
        (cfg.data_dir / "evidence").symlink_to(r.store.root)
    return web_client(create_app(cfg)).get(f"/leads/{lead}/evidence").get_data(as_text=True)


def _overview(fed: Fed) -> tuple[str, dict[str, dict[str, object]], str]:
    """The national overview page (Chinese), its status rows and /metrics."""
    from national.config import NationalConfig
    from national.status import read_status
    from national.web import create_app
    from tests.conftest import web_client

    (fed.tmp / "national-web").mkdir(exist_ok=True)
    config = NationalConfig(data_dir=fed.tmp / "national-web", database_url=fed.ncfg.db_url, pki_dir=fed.pki)
    client = web_client(create_app(config))
    with fed.national.read() as s:
        rows = {r.code: r.as_json() for r in read_status(s, NOW)}
    return client.get("/").get_data(as_text=True), rows, client.get("/metrics").get_data(as_text=True)


def test_a_capture_signed_with_a_revoked_key_is_re_signed_after_re_issue_and_the_chain_continues(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cycle(fed, gd)
    assert [c.status for c in captures(gd)] == [ProofStatus.LOGGED] * 3
    lead = _leads(gd)[0]

    revoke_region(fed.pki, "440000")
    _capture_again(gd, lead)  # index 3, signed with the revoked key (the worker did not know yet)
    issue_region(fed.pki, "440000")  # the office re-admits the region with a new certificate and signing key
    gd.signer = outbox.Signer.from_file("440000", gd.pki / "signing.key", evidence_dir=gd.store.root)
    _capture_again(gd, lead)  # index 4, the new key: before the fix refused as a gap for good (F18b)

    cycle(fed, gd)  # national refuses index 3 (old key) and 4 (gap); the region re-signs both and files again
    with fed.national.read() as s:
        kinds = sorted(s.scalars(sa.select(NationalAlarm.kind)))
    assert kinds == ["bad_manifest", "region_log_gap"], kinds
    assert _stuck(fed) == {"440000": 4}  # shown until the chain continues
    page, rows, metrics = _overview(fed)  # F38: where operators look
    assert rows["440000"]["evidence_stuck"] and rows["440000"]["evidence_stuck_index"] == 4
    assert rows["440000"]["evidence_stuck_kind"] == "region_log_gap"
    assert 'id="evidence-alert"' in page and "证据链中断" in page and "广东" in page
    assert "区域证据日志有缺口" in page  # the kind in Chinese; the English reason only as technical detail
    assert 'hufu_evidence_chain_stuck{region="440000"} 1.0' in metrics
    with gd.db.read() as s:
        assert s.scalar(sa.select(EvidenceAlarm.kind)) == "refused"  # the region was told
    assert [c.status for c in captures(gd)][3:] == [ProofStatus.PENDING] * 2
    assert "re-signed" in (captures(gd)[3].status_reason or "")
    page = _lead_page(fed, gd, lead)  # the officer reads what happened in Chinese; the English reason is detail
    assert "已用当前密钥重新签名并再次报送（第 3 条），待全国日志记入。" in page and "技术细节" in page
    # a witness pass before the national node has seen the new filing: the old refusal does not concern it
    witness.run_once(gd.db, gd.channel(fed.target), gd.code, gd.signer.key, gd.pki, gd.store, clock=clock)
    assert [c.status for c in captures(gd)][3:] == [ProofStatus.PENDING] * 2

    cycle(fed, gd)
    cycle(fed, gd)
    caps = captures(gd)
    assert [c.log_index for c in caps] == [0, 1, 2, 3, 4]
    assert [c.status for c in caps] == [ProofStatus.LOGGED] * 5, [(c.status, c.status_reason) for c in caps]
    assert _logged(fed, "440000") == [(c.log_index, c.manifest_sha256) for c in caps]
    assert _stuck(fed) == {}
    page, rows, metrics = _overview(fed)
    assert not rows["440000"]["evidence_stuck"] and 'id="evidence-alert"' not in page and "证据链中断" not in page
    assert 'hufu_evidence_chain_stuck{region="440000"} 0.0' in metrics
    # 重新取证 after that is logged at once (F18c)
    _capture_again(gd, lead)
    cycle(fed, gd)
    cycle(fed, gd)
    assert captures(gd)[-1].status is ProofStatus.LOGGED and captures(gd)[-1].log_index == 5


def _backup(db: Database, path: Path, dest: Path) -> None:
    db.dispose()
    src, dst = sqlite3.connect(path), sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def test_a_region_restored_from_a_backup_continues_its_evidence_chain_from_the_national_copy(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cycle(fed, gd)
    leads = _leads(gd)
    path = fed.tmp / "region-440000.db"
    copy = fed.tmp / "backup.db"
    _backup(gd.db, path, copy)  # the nightly backup: log size 3
    _capture_again(gd, leads[0])  # 3 and 4: logged nationally, then lost with the database
    _capture_again(gd, leads[1])
    cycle(fed, gd)
    cycle(fed, gd)
    before = _logged(fed, "440000")
    assert [i for i, _d in before] == [0, 1, 2, 3, 4]

    gd.db.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, path)
    gd.db = Database(sqlite_url(path))
    assert len(captures(gd)) == 3
    _capture_again(gd, leads[2])  # captured before the restore was declared: local index 3, taken nationally
    done = sync_agent.restore(gd.db, gd.channel(fed.target), gd.signer, operator="ops", reason="drill", clock=clock)
    assert done.new_epoch == 2
    with gd.db.read() as s:
        assert state.get_int(s, resync.NEEDED, 0) == 1
    _capture_again(gd, leads[0])  # after it, before the worker's next evidence pass

    cycle(fed, gd)  # the stale filings are refused as rewrites; the region reads back 3 and 4 and moves its own
    with gd.db.read() as s:
        assert state.get_int(s, resync.NEEDED, 0) == 0
    caps = captures(gd)
    assert [c.log_index for c in caps] == [0, 1, 2, 3, 4, 5, 6]
    page = _lead_page(fed, gd, leads[2])
    assert "已移至本地区证据日志第 5 条（原第 3 条）" in page, page[page.find('id="evidence"'):][:3000]
    assert [(c.log_index, c.manifest_sha256) for c in caps][:5] == before  # nothing lost, nothing rewritten
    cycle(fed, gd)
    cycle(fed, gd)
    caps = captures(gd)
    assert [c.status for c in caps] == [ProofStatus.LOGGED] * 7, [(c.log_index, c.status, c.status_reason)
                                                                  for c in caps]
    assert _logged(fed, "440000") == [(c.log_index, c.manifest_sha256) for c in caps]
    assert _logged(fed, "440000")[:5] == before
    assert _stuck(fed) == {}
    with fed.national.read() as s:  # what was refused stays on record (the stale filings of the restored copy)
        assert set(s.scalars(sa.select(NationalAlarm.kind))) <= {"region_log_rewritten", "bad_region_head"}
    # the next new capture is logged at once
    _capture_again(gd, leads[1])
    cycle(fed, gd)
    cycle(fed, gd)
    assert captures(gd)[-1].status is ProofStatus.LOGGED and captures(gd)[-1].log_index == 7


def test_a_region_still_cannot_rewrite_an_entry_the_national_log_accepted(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cycle(fed, gd)
    before = _logged(fed, "440000")
    # the region forges index 1: another manifest there, re-signed with its current key under a head of its own
    from sync import merkle, note
    from sync.evidence import canonical_json, manifest_leaf, region_key_name, region_origin, sign_manifest
    from sync.v1 import sync_pb2

    caps = captures(gd)
    import json

    forged = json.loads(caps[1].manifest)
    forged["listing_url"] = "https://shop.example/forged"
    body = canonical_json(forged)
    tree = merkle.MemoryTree()
    for leaf in (manifest_leaf(caps[0].manifest), manifest_leaf(body)):
        tree.append(leaf)
    head = note.sign_checkpoint(note.Checkpoint(origin=region_origin("440000"), size=2, root=tree.root(), time=NOW),
                                region_key_name("440000"), gd.signer.key).render()
    import hashlib

    with gd.db.transaction() as s:
        outbox.append_many(s, gd.signer, [sync_pb2.Record(
            uuid=caps[1].uuid, revision=7, evidence_digest=sync_pb2.EvidenceDigest(
                lead_uuid=caps[1].lead_uuid, sha256=hashlib.sha256(body).hexdigest(),
                media_type="application/vnd.hufu.evidence-manifest+json", manifest=body,
                manifest_signature=sign_manifest(body, gd.signer.key), log_index=1, region_head=head))], NOW)
    cycle(fed, gd)
    cycle(fed, gd)
    assert _logged(fed, "440000") == before  # the national copy is unchanged
    with fed.national.read() as s:
        refused = s.scalar(sa.select(EvidenceManifest).where(EvidenceManifest.status == ManifestStatus.REFUSED))
        assert refused is not None and refused.region_index == 1 and "rewritten" in (refused.reason or "")
        assert s.scalar(sa.select(NationalAlarm.kind)) == "region_log_rewritten"
    assert [c.status for c in captures(gd)] == [ProofStatus.LOGGED] * 3  # the region's own copy is untouched
    with gd.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(EvidenceCapture)) == 3


def test_a_running_worker_uses_a_re_issued_certificate_without_a_restart(fed: Fed, tmp_path: Path) -> None:
    """F19: after `hufu pki issue-region` + `hufu regional init` the worker reconnects with the new certificate."""
    from regional.config import RegionalConfig
    from regional.node import Worker, init_node

    config = RegionalConfig(data_dir=tmp_path / "gd", region="440000", national_target=fed.target)
    init_node(config, fed.pki / "regions" / "440000")
    worker = Worker(config=config, db=Database(config.db_url))
    try:
        assert worker.push() is not None
        first = worker._channel()
        assert worker._channel() is first  # nothing changed: the same channel
        revoke_region(fed.pki, "440000")
        assert worker.push() is None  # refused: revoked
        issue_region(fed.pki, "440000")
        init_node(config, fed.pki / "regions" / "440000")  # what `hufu regional init` does with the new directory
        assert worker._channel() is not first
        assert worker.push() is not None  # accepted with the re-issued certificate, no restart
    finally:
        worker.db.dispose()


def test_regional_check_warns_of_refused_captures_and_a_resync_of_an_accepted_log_changes_nothing(fed: Fed) -> None:
    from types import SimpleNamespace

    from regional.cli import _refused_captures

    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cycle(fed, gd)
    before = [(c.log_index, c.manifest_sha256, c.signature) for c in captures(gd)]
    config = SimpleNamespace(db_url=sqlite_url(fed.tmp / "region-440000.db"))
    assert _refused_captures(config) is None
    with gd.db.transaction() as s:  # as if a refusal had been reported for index 1
        s.execute(sa.update(EvidenceCapture).where(EvidenceCapture.log_index == 1)
                  .values(status=ProofStatus.REFUSED, status_reason="test"))
    warning = _refused_captures(config)
    assert warning and "1 evidence capture(s) stand refused" in warning and "index 1" in warning
    witness.run_once(gd.db, gd.channel(fed.target), gd.code, gd.signer.key, gd.pki, gd.store, clock=clock)
    assert [(c.log_index, c.manifest_sha256, c.signature) for c in captures(gd)] == before
    with gd.db.read() as s:  # the national copy held it: nothing filed again
        assert s.scalar(sa.select(sa.func.count()).select_from(outbox.OutboxRow)
                        .where(outbox.OutboxRow.kind == "evidence_digest")) == 3
    cycle(fed, gd)
    assert [c.status for c in captures(gd)] == [ProofStatus.LOGGED] * 3
    assert _refused_captures(config) is None
