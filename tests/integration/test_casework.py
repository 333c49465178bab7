"""Case feedback, mutual recognition, supervision and the blacklist, over a real mTLS gRPC server."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from national import cases as national_cases
from national.casework import Rules, update_blacklist
from national.feed import project_leads
from national.lifecycle import CaseStatus
from national.models import BlacklistRow, CaseEvent, CaseRow
from regional import outbox, services, sync_agent
from regional.domain import LeadFinding, LeadType, Listing, Seller
from regional.models import BlacklistedEntity, ReceivedCase
from tests.integration.test_sync_grpc import (
    NOW,
    Net,
    channel_for,
    clock,
    lead_record,
    region_db,
    signer_for,
)

USCC = "91440300MA5FXXXX1X"


def _sync(net: Net, dbs: dict) -> None:  # type: ignore[type-arg]
    for code, db in dbs.items():
        sync_agent.push_once(db, channel_for(net, code), signer_for(net, code), clock=clock)
    with net.national.transaction() as s:
        while project_leads(s, NOW):
            pass
        national_cases.form_cases(s, NOW, supervision_days=30)
        update_blacklist(s, Rules(blacklist_cases=2, blacklist_months=12), NOW)
    for code, db in dbs.items():
        sync_agent.pull_once(db, channel_for(net, code), clock=clock)


def _case_in(db, right: str) -> ReceivedCase:  # type: ignore[no-untyped-def]
    with db.read() as s:
        row = s.scalar(sa.select(ReceivedCase).where(ReceivedCase.right_number == right))
    assert row is not None
    return row


def test_results_reported_by_the_lead_region_reach_every_region_and_repeat_infringers_are_listed(net: Net) -> None:
    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    for right in ("TM-1", "TM-2"):
        for code, db in dbs.items():
            with db.transaction() as s:
                rec = lead_record(f"{code}-{right}", right, uscc=USCC)
                rec.lead.seller.address = "广东省深圳市宝安区"  # the source is in Guangdong: 440000 leads
                outbox.append(s, signer_for(net, code), rec, NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        formed = list(s.scalars(sa.select(CaseRow).order_by(CaseRow.right_number)))
    assert [(c.right_number, c.lead_region, c.supervised) for c in formed] == [("TM-1", "440000", True),
                                                                              ("TM-2", "440000", True)]
    assert formed[0].deadline is not None
    case1 = _case_in(dbs["330000"], "TM-1")

    # the assisting region's result is recorded and shared, but does not decide the case
    services.case_feedback(dbs["330000"], signer_for(net, "330000"), case1.case_uuid, "confirmed", "样品已封存",
                           actor="浙江 王警官", now=NOW)
    _sync(net, dbs)
    assert _case_in(dbs["440000"], "TM-1").status == "formed"
    assert [e["note"] for e in _case_in(dbs["440000"], "TM-1").events] == ["样品已封存"]

    # the lead region confirms: the status reaches both regions
    for right in ("TM-1", "TM-2"):
        uuid = _case_in(dbs["440000"], right).case_uuid
        services.case_feedback(dbs["440000"], signer_for(net, "440000"), uuid, "confirmed", "认定侵权",
                               actor="广东 李科长", now=NOW)
    _sync(net, dbs)
    for db in dbs.values():
        assert _case_in(db, "TM-1").status == _case_in(db, "TM-2").status == "confirmed"
    with net.national.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CaseEvent)) == 3
        assert {c.status for c in s.scalars(sa.select(CaseRow))} == {CaseStatus.CONFIRMED}
        listed = list(s.scalars(sa.select(BlacklistRow)))
    assert [(b.entity_key, b.confirmed_cases) for b in listed] == [(f"uscc:{USCC}", 2)]

    # every region receives the blacklist entry, and it raises that seller's risk in screening
    for db in dbs.values():
        with db.read() as s:
            entry = s.scalar(sa.select(BlacklistedEntity))
            assert entry is not None and entry.uscc == USCC and entry.active
            usccs, phones = services.blacklisted_sellers(s)
    finding = LeadFinding(listing_id="x", right="TM-9", type=LeadType.TRADEMARK, score=0.8, reasons=("r",),
                          model_version="t")
    raised = services.raise_for_blacklist([finding], {"x": Listing(id="x", title="t", seller=Seller(uscc=USCC))},
                                          usccs, phones)
    assert raised[0].score > 0.8 and "blacklist" in raised[0].reasons[-1]


def test_feedback_on_a_case_this_region_never_received_is_refused(net: Net) -> None:
    import pytest

    db = region_db(net, "440000")
    with pytest.raises(services.UnknownCase):
        services.case_feedback(db, signer_for(net, "440000"), "no-such-case", "confirmed", "", actor="x", now=NOW)
    with pytest.raises(ValueError, match="status must be one of"):
        services.case_feedback(db, signer_for(net, "440000"), "c", "done", "", actor="x", now=NOW)


def test_the_supervision_deadline_follows_the_configured_time_limit(net: Net) -> None:
    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    for code, db in dbs.items():
        with db.transaction() as s:
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-1", "TM-7", uscc=USCC), NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        case = s.scalar(sa.select(CaseRow))
    assert case is not None
    deadline = case.deadline if case.deadline.tzinfo else case.deadline.replace(tzinfo=dt.UTC)
    assert deadline - NOW == dt.timedelta(days=30)


def test_evidence_digests_filed_by_regions_show_on_the_national_case_page(net: Net, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import uuid as uuidlib

    from national.config import NationalConfig
    from national.web import create_app
    from sync.v1 import sync_pb2

    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    lead_uuid = ""
    for code, db in dbs.items():
        with db.transaction() as s:
            rec = lead_record(f"{code}-1", "TM-8", uscc=USCC)
            outbox.append(s, signer_for(net, code), rec, NOW)
            if code == "330000":
                lead_uuid = rec.uuid
                outbox.append(s, signer_for(net, code), sync_pb2.Record(
                    uuid=str(uuidlib.uuid4()), revision=1, evidence_digest=sync_pb2.EvidenceDigest(
                        lead_uuid=rec.uuid, sha256="ab" * 32, media_type="image/png")), NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        case = s.scalar(sa.select(CaseRow))
    assert case is not None and lead_uuid
    config = NationalConfig(data_dir=tmp_path, database_url=net.national.url, pki_dir=net.pki)
    from national.node import evidence_once
    from tests.conftest import web_client

    evidence_once(net.national, config)  # a digest without a signed manifest is kept, shown, and refused
    page = web_client(create_app(config)).get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert "ab" * 32 in page and "证据" in page and "拒绝记入" in page and "evidence.zip" in page


def test_the_worker_resolves_only_new_leads_and_touches_only_their_entities(net: Net) -> None:
    from national.node import form_cases_once

    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    for code, db in dbs.items():
        with db.transaction() as s:
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-1", "TM-6", uscc=USCC), NOW)
        sync_agent.push_once(db, channel_for(net, code), signer_for(net, code), clock=clock)
    first = form_cases_once(net.national)
    assert (first.cases_created, first.leads_resolved) == (1, 2)
    idle = form_cases_once(net.national)
    assert (idle.leads_resolved, idle.entities_affected, idle.cases_created, idle.cases_updated) == (0, 0, 0, 0), \
        "a run with nothing new resolves nothing and touches no case"
    with dbs["440000"].transaction() as s:
        outbox.append(s, signer_for(net, "440000"), lead_record("440000-2", "TM-6", uscc=USCC), NOW)
    sync_agent.push_once(dbs["440000"], channel_for(net, "440000"), signer_for(net, "440000"), clock=clock)
    third = form_cases_once(net.national)
    assert (third.leads_resolved, third.entities_affected, third.cases_updated) == (1, 1, 1)
