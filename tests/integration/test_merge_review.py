"""The merge-review queue: low-confidence seller matches wait for a national officer; merges are reversible."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from national.casework import decide_merge
from national.lifecycle import CaseStatus
from national.models import AuditEntry, CaseRow, MergeReview, MergeStatus
from regional import outbox
from regional.models import ReceivedCase
from tests.integration.test_casework import _sync
from tests.integration.test_sync_grpc import NOW, Net, lead_record, region_db, signer_for


def _lead(code: str, name: str, phone: str, address: str, listing: str = "x", right: str = "TM-5"):  # type: ignore[no-untyped-def]
    rec = lead_record(f"{code}-{listing}", right)
    rec.lead.seller.name, rec.lead.seller.phone, rec.lead.seller.address = name, phone, address
    rec.lead.seller.uscc = ""
    return rec


def test_an_uncertain_match_waits_for_an_officer_and_a_reversed_merge_withdraws_the_case(net: Net) -> None:
    # a shop-name record whose trade name two firms in two cities hold: ambiguous, so an officer decides
    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    with dbs["440000"].transaction() as s:
        outbox.append(s, signer_for(net, "440000"), _lead("440000", "深圳市瑞飞百货有限公司", "", "广东省深圳市福田区"), NOW)
        outbox.append(s, signer_for(net, "440000"), _lead("440000", "广州市瑞飞百货有限公司", "020-83001234",
                                                          "广东省广州市越秀区环市东路1号", "y", "TM-6"), NOW)
    with dbs["330000"].transaction() as s:
        outbox.append(s, signer_for(net, "330000"), _lead("330000", "瑞飞百货旗舰店", "", ""), NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        reviews = list(s.scalars(sa.select(MergeReview)))
        assert s.scalar(sa.select(sa.func.count()).select_from(CaseRow)) == 0, "no case on an uncertain match"
    assert len(reviews) == 1 and reviews[0].status is MergeStatus.PENDING
    assert 0.3 <= reviews[0].probability < 0.95

    with net.national.transaction() as s, pytest.raises(ValueError, match="officer"):
        decide_merge(s, reviews[0].id, True, officer=" ", note="", now=NOW)
    with net.national.transaction() as s:
        decide_merge(s, reviews[0].id, True, officer="国家局 赵科长", note="同一法定代表人", now=NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        case = s.scalar(sa.select(CaseRow))
    assert case is not None and sorted(case.regions) == ["330000", "440000"]
    for db in dbs.values():
        with db.read() as s:
            assert s.scalar(sa.select(ReceivedCase.case_uuid)) == case.uuid

    with net.national.transaction() as s:  # the officer learns more and reverses the merge
        decide_merge(s, reviews[0].id, False, officer="国家局 赵科长", note="两家不同企业", now=NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        case = s.scalar(sa.select(CaseRow))
        decided = list(s.scalars(sa.select(AuditEntry.detail).where(AuditEntry.action == "merge_decided")))
    assert case is not None and case.status is CaseStatus.WITHDRAWN
    assert [(d["from"], d["to"]) for d in decided] == [("pending", "merged"), ("merged", "rejected")]
    for db in dbs.values():
        with db.read() as s:
            received = s.scalar(sa.select(ReceivedCase))
        assert received is not None and received.status == "withdrawn"
    with net.national.read() as s:  # the rejected pair is not queued again
        assert s.scalar(sa.select(sa.func.count()).select_from(MergeReview)) == 1
