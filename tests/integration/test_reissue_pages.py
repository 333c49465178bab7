"""newcomer16 N9: after revoke -> re-issue the chain recovers, but the pages contradicted themselves: the lead page
said both 已记入全国证据日志 and 待全国日志记入, the national /evidence kept its 证据清单验证失败 alarms with no sign
they were settled, and the national overview showed `PERMISSION_DENIED: certificate … has been revoked` raw.
A real national gRPC server with mutual TLS and real SQLite databases (the fixtures of test_evidence_log)."""

from __future__ import annotations

import grpc
import pytest

from regional import outbox, sync_agent
from sync.pki import issue_region, revoke_region
from tests.integration.test_evidence_log import Fed, captures, clock, cycle, fed, region, screen
from tests.integration.test_evidence_resync import _capture_again, _lead_page, _leads

__all__ = ["fed"]  # the fixture, imported


def _national(fed: Fed, path: str) -> str:
    from national.config import NationalConfig
    from national.web import create_app
    from tests.conftest import web_client

    (fed.tmp / "national-web").mkdir(exist_ok=True)
    config = NationalConfig(data_dir=fed.tmp / "national-web", database_url=fed.ncfg.db_url, pki_dir=fed.pki)
    return web_client(create_app(config)).get(path).get_data(as_text=True)


def test_after_a_reissue_each_page_tells_one_current_story_in_chinese(fed: Fed) -> None:
    from regional.models import ProofStatus

    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    cycle(fed, gd)
    lead = _leads(gd)[0]
    revoke_region(fed.pki, "440000")
    _capture_again(gd, lead)  # signed with the revoked key
    with pytest.raises(grpc.RpcError):  # the region learns it the hard way; the national node keeps the refusal
        sync_agent.push_once(gd.db, gd.channel(fed.target), gd.signer, clock=clock)
    page = _national(fed, "/")
    assert "该区域的证书已被吊销" in page and "has been revoked" in page  # Chinese, the raw text as detail only

    issue_region(fed.pki, "440000")
    gd.signer = outbox.Signer.from_file("440000", gd.pki / "signing.key", evidence_dir=gd.store.root)
    for _ in range(4):
        cycle(fed, gd)
    caps = captures(gd)
    assert [c.status for c in caps] == [ProofStatus.LOGGED] * 4, [(c.status, c.status_reason) for c in caps]
    assert "re-signed" in (caps[3].status_reason or "")

    lead_page = _lead_page(fed, gd, lead)
    assert "待全国日志记入" not in lead_page, "a logged capture is not also waiting"
    assert "此前被拒，已用当前密钥重新签名并再次报送（第 3 条），现已记入全国日志。" in lead_page

    evidence = _national(fed, "/evidence")
    assert 'data-kind="bad_manifest" data-cured=' in evidence and "已处理：已重新签名记入（全国日志第" in evidence
    assert 'id="evlog-refused-cured"' in evidence and "其中 1 条已重新签名记入" in evidence
    overview = _national(fed, "/")
    # (the fixture's clock stands still, so the refusal and the next contact share a time: shown as still standing)
    assert "该区域的证书已被吊销" in overview
    assert 'data-refused="1"' in overview and 'data-cured="1"' in overview and "（其中 1 条已重新签名记入）" in overview
    # the English refusal is there only as the technical detail
    row = overview[overview.index('data-region="440000"'):]
    row = row[:row.index("</tr>")]
    before_detail = row.split("技术细节")[0]
    assert "PERMISSION_DENIED" not in before_detail and "revoked" not in before_detail
