"""Judgements reach the national node as review outcomes over mTLS gRPC; refused case steps come back to the sender."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from national import cases as national_cases
from national.feed import project_leads
from national.models import CaseEvent, CaseRow, NationalLead
from national.review import figures, lead_outcome
from regional import outbox, sync_agent
from regional.actors import Actor
from regional.casework import service as casework
from regional.casework.core import CaseError, CaseState
from regional.models import ReceivedCase
from regional.node import MIGRATIONS as REGIONAL_MIGRATIONS
from regional.review import service
from sync.db import Database, run_migrations, sqlite_url
from tests.integration.test_sync_grpc import (
    NOW,
    Net,
    channel_for,
    clock,
    lead_record,
    signer_for,
)
from tests.workflow_data import NOW as DATA_NOW
from tests.workflow_data import build

LI = Actor("li", frozenset({"officer"}))
WANG = Actor("wang", frozenset({"supervisor", "officer"}))
CHEN = Actor("chen", frozenset({"supervisor", "officer"}))


def _push_and_project(net: Net, dbs: dict[str, Database]) -> None:
    for code, db in dbs.items():
        sync_agent.push_once(db, channel_for(net, code), signer_for(net, code), clock=clock)
    with net.national.transaction() as s:
        while project_leads(s, NOW):
            pass
        national_cases.form_cases(s, NOW, supervision_days=30)
    for code, db in dbs.items():
        sync_agent.pull_once(db, channel_for(net, code), clock=clock)


def test_judgements_reach_the_national_node_as_review_figures(net: Net) -> None:
    url = sqlite_url(net.tmp / "region-440000.db")
    run_migrations(url, REGIONAL_MIGRATIONS)
    world = build(Database(url), 30)
    ctx = service.Context("440000", signer_for(net, "440000"))
    with world.db.read() as s:
        from regional.models import LeadRow

        scored = dict(s.execute(sa.select(LeadRow.uuid, LeadRow.score)).all())
    low = [u for u in world.leads if scored[u] < 0.9]
    high = [u for u in world.leads if scored[u] >= 0.9]
    later = DATA_NOW + dt.timedelta(hours=5)  # the leads were detected up to 29 hours before
    service.decide(world.db, ctx, low[0], "confirmed", actor=LI, now=later)
    service.decide(world.db, ctx, low[1], "confirmed", actor=LI, now=later)
    service.decide(world.db, ctx, high[0], "excluded", "正品", actor=LI, now=later)  # held for a second review
    _push_and_project(net, {"440000": world.db})
    with net.national.read() as s:
        (fig,) = [f for f in figures(s) if f.region == "440000"]
    assert (fig.judged, fig.confirmed, fig.excluded) == (2, 2, 0)

    service.review(world.db, ctx, high[0], True, actor=WANG, now=later + dt.timedelta(hours=1))
    service.decide(world.db, ctx, low[0], "excluded", "不构成近似", actor=CHEN, now=later + dt.timedelta(hours=2))
    _push_and_project(net, {"440000": world.db})
    _push_and_project(net, {"440000": world.db})  # a replay changes nothing
    with net.national.read() as s:
        (fig,) = [f for f in figures(s) if f.region == "440000"]
        assert (fig.judged, fig.confirmed, fig.excluded) == (3, 1, 2)
        assert fig.median_seconds is not None and fig.median_seconds > 0
        approved = lead_outcome(s, "440000", high[0])
        assert approved is not None and (approved.officer, approved.second_reviewer) == ("li", "wang")
        overridden = lead_outcome(s, "440000", low[0])
        assert overridden is not None and (overridden.outcome, overridden.reason) == ("excluded", "不构成近似")


def _one_seller_in_two_regions(net: Net) -> dict[str, Database]:
    """Guangdong and Zhejiang each file a lead on TM-9 against one seller: the national node forms a cross-region case
    (lead region 440000) and sends it to both."""
    dbs = {}
    for code in ("440000", "330000"):
        url = sqlite_url(net.tmp / f"r-{code}.db")
        run_migrations(url, REGIONAL_MIGRATIONS)
        dbs[code] = Database(url)
        with dbs[code].transaction() as s:
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-1", "TM-9", uscc="91440300MA5FXXXX1X"), NOW)
    _push_and_project(net, dbs)
    return dbs


def test_a_refused_case_step_is_shown_to_the_region_that_sent_it_only(net: Net,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dbs = _one_seller_in_two_regions(net)
    with dbs["440000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
    assert case.lead_region == "440000"
    # closing needs a result, and a case with no finding yet needs the finding: both refused here, before any sync
    with pytest.raises(CaseError, match="result"):
        casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "closed", actor=LI,
                                   now=NOW, note="已处理")
    with pytest.raises(CaseError, match="no finding yet") as refused_here:
        casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "closed", actor=LI,
                                   now=NOW, result="penalised", note="已罚款")
    assert refused_here.value.code == "finding_required_to_close"
    # the lead region finds infringement, then (a second officer, unaware) no infringement: the national rules refuse
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "handling", actor=LI,
                               now=NOW, finding="confirmed")
    with pytest.raises(CaseError) as not_next:  # this node offers and takes only the steps that can come next
        casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "handling", actor=LI,
                                   now=NOW, finding="dismissed")
    assert not_next.value.code == "step_not_next" and "next steps are closed" in str(not_next.value)
    # a node of an older version checks nothing: the national rules refuse what it sends
    monkeypatch.setattr(casework, "cross_next_of", lambda _session, _case: tuple(CaseState))
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "handling", actor=LI,
                               now=NOW, finding="dismissed")
    _push_and_project(net, dbs)
    with dbs["440000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
        views = casework.cross_steps(s, case)
    assert [(v.step.feedback, v.answer) for v in views] == [("confirmed", "accepted"), ("dismissed", "refused")]
    assert "cannot become dismissed" in (views[1].outcome or "")
    refused = [e for e in case.events if e.get("refused")]
    assert [(e["officer"], e["feedback"]) for e in refused] == [("li", "dismissed")]
    with dbs["330000"].read() as s:
        other = s.scalars(sa.select(ReceivedCase)).one()
    assert [e.get("feedback") for e in other.events] == ["confirmed"]  # only the accepted step is shared
    with net.national.read() as s:
        events = list(s.scalars(sa.select(CaseEvent).order_by(CaseEvent.id)))
        assert [(e.officer, e.accepted) for e in events] == [("li", True), ("li", False)]
        assert s.scalars(sa.select(CaseRow)).one().status == "confirmed"


def test_the_lead_regions_closing_step_with_its_finding_closes_a_case_under_investigation(net: Net) -> None:
    """newcomer13: 结案 + 认定侵权 + 行政处罚 on a case 查处中 was refused after the sync ("a investigating case cannot
    become closed") although the form offered it; the finding chosen with it was dropped."""
    dbs = _one_seller_in_two_regions(net)
    with dbs["440000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "filed", actor=LI, now=NOW)
    _push_and_project(net, dbs)
    # the assisting region closes its part without a finding: recorded, as before
    casework.report_cross_step(dbs["330000"], signer_for(net, "330000"), case.case_uuid, "closed", actor=LI,
                               now=NOW, result="ordered_to_stop", note="协查完毕")
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "closed", actor=LI, now=NOW,
                               finding="confirmed", result="penalised", note="已罚款")
    _push_and_project(net, dbs)
    with dbs["440000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
        views = casework.cross_steps(s, case)
    assert case.status == "closed"
    assert [(v.step.step.value if v.step.step else None, v.step.feedback, v.answer) for v in views] == [
        ("filed", "accepted", "accepted"), ("handling", "confirmed", "accepted"), ("closed", "closed", "accepted")]
    with net.national.read() as s:
        row = s.scalars(sa.select(CaseRow)).one()
        assert row.status == "closed" and row.decided_at is not None  # the finding counts for the blacklist
        events = [(e.region, e.feedback, e.accepted) for e in s.scalars(sa.select(CaseEvent).order_by(CaseEvent.id))]
    assert [e for e in events if e[0] == "440000"] == [("440000", "accepted", True), ("440000", "confirmed", True),
                                                       ("440000", "closed", True)]
    assert [e for e in events if e[0] == "330000"] == [("330000", "closed", True)]
    with dbs["330000"].read() as s:
        other = s.scalars(sa.select(ReceivedCase)).one()
    assert other.status == "closed"
    assert sorted(e.get("result") for e in other.events if e.get("feedback") == "closed") == ["ordered_to_stop",
                                                                                         "penalised"]


def test_an_assisting_region_handles_its_own_part_after_the_lead_region_closed_the_case(net: Net) -> None:
    """newcomer14: 广东 (lead) filed, handled and closed; 福建's 立案 and 调查 on the same case then came back
    refused ("a closed case cannot become investigating") — the office where the seller sits could not report its
    own work. Each region concerned handles its own part; the case's status is the lead region's."""
    dbs = _one_seller_in_two_regions(net)
    gd, zj = signer_for(net, "440000"), signer_for(net, "330000")
    with dbs["440000"].read() as s:
        uuid = s.scalars(sa.select(ReceivedCase)).one().case_uuid
    casework.report_cross_step(dbs["440000"], gd, uuid, "filed", actor=LI, now=NOW)
    casework.report_cross_step(dbs["440000"], gd, uuid, "closed", actor=LI, now=NOW, finding="confirmed",
                               result="ordered_to_stop", note="责令停止侵权")
    _push_and_project(net, dbs)
    with dbs["330000"].read() as s:
        assert s.scalars(sa.select(ReceivedCase)).one().status == "closed"
        assert [x.value for x in casework.cross_next_of(s, s.scalars(sa.select(ReceivedCase)).one())] == [
            "filed", "investigating", "handling", "closed"]
    casework.report_cross_step(dbs["330000"], zj, uuid, "filed", actor=CHEN, now=NOW, note="浙 立案")
    casework.report_cross_step(dbs["330000"], zj, uuid, "investigating", actor=CHEN, now=NOW)
    _push_and_project(net, dbs)
    with pytest.raises(CaseError) as backwards:  # its own part has moved on: 立案 again is not offered
        casework.report_cross_step(dbs["330000"], zj, uuid, "filed", actor=CHEN, now=NOW)
    assert backwards.value.code == "step_not_next"
    casework.report_cross_step(dbs["330000"], zj, uuid, "closed", actor=CHEN, now=NOW, finding="confirmed",
                               result="penalised", note="罚款")
    _push_and_project(net, dbs)
    with dbs["330000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
        views = casework.cross_steps(s, case)
        assert casework.cross_next_of(s, case) == ()
    assert [(v.step.feedback, v.answer) for v in views] == [
        ("accepted", "accepted"), ("investigating", "accepted"), ("confirmed", "accepted"), ("closed", "accepted")]
    with net.national.read() as s:
        assert s.scalars(sa.select(CaseRow)).one().status == "closed"
        events = [(e.region, e.feedback, e.accepted) for e in s.scalars(sa.select(CaseEvent).order_by(CaseEvent.id))]
    assert all(accepted for _r, _f, accepted in events), events
    assert [f for r, f, _a in events if r == "330000"] == ["accepted", "investigating", "confirmed", "closed"]


def test_unusable_outcomes_are_audited_not_applied(net: Net) -> None:
    from national.models import AuditEntry
    from national.review import apply_review_outcome
    from sync.v1 import sync_pb2

    record = sync_pb2.Record(uuid="r-1", created_at=NOW.isoformat(),
                             review_outcome=sync_pb2.ReviewOutcome(lead_uuid="x", outcome="maybe"))
    with net.national.transaction() as s:
        assert not apply_review_outcome(s, "440000", record, NOW)
        assert s.scalars(sa.select(AuditEntry.action)).all() == ["review_outcome_unusable"]


def test_the_command_line_reports_a_step_with_the_same_checks_as_the_case_page(
        tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    """newcomer14: `hufu regional case-feedback --status closed` was accepted without a result or a reason, had no way
    to give one, and was not listed among the region's steps."""
    from national.hufu import main
    from regional.workflow_models import CrossCaseStep
    from tests.pilot.test_customs import _cli_node

    data = _cli_node(tmp_path)
    db = Database(sqlite_url(data / "node.db"))
    uuid = "6f1d2c3b-0000-4000-8000-00000000c11e"
    with db.transaction() as s:
        s.add(ReceivedCase(case_uuid=uuid, feed_cursor=1, right_number="TM-9", lead_region="330000",
                           regions=["330000", "440000"], payload={}, status="investigating", events=[],
                           received_at=NOW))
    d = ["--data-dir", str(data)]
    assert main(["regional", "case-feedback", uuid, "--status", "closed", "--officer", "王科长", *d]) != 0
    assert "result" in capsys.readouterr().err
    assert main(["regional", "case-feedback", uuid, "--status", "closed", "--officer", "王科长", "--finding",
                 "confirmed", "--result", "penalised", "--note", "罚款两万元", *d]) == 0
    assert main(["regional", "case-feedback", uuid, "--status", "accepted", "--officer", "王科长", *d]) != 0
    assert "cannot report filed" in capsys.readouterr().err  # its part is closed: no step backwards
    with db.read() as s:
        steps = [(r.step.value if r.step else None, r.feedback, r.result.value if r.result else None, r.officer)
                 for r in s.scalars(sa.select(CrossCaseStep).order_by(CrossCaseStep.id))]
    assert steps == [("handling", "confirmed", None, "王科长"), ("closed", "closed", "penalised", "王科长")]


def _close_the_case(net: Net, dbs: dict[str, Database], case_uuid: str) -> None:
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case_uuid, "filed", actor=LI, now=NOW)
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case_uuid, "closed", actor=LI, now=NOW,
                               finding="confirmed", result="penalised", note="已罚款")
    _push_and_project(net, dbs)


def test_a_new_lead_of_a_closed_cases_seller_opens_a_new_case_that_follows_it(net: Net) -> None:
    """Outside testers, session 13: a new lead of a seller whose cross-region case was closed (已结案) joined that
    closed case silently. It now opens a new case naming the closed one (前案), sent to every region concerned with
    a notice in its history; the closed case is left as it was, on every node."""
    dbs = _one_seller_in_two_regions(net)
    with dbs["440000"].read() as s:
        closed_uuid = s.scalars(sa.select(ReceivedCase)).one().case_uuid
    _close_the_case(net, dbs, closed_uuid)
    with net.national.read() as s:
        before = s.scalars(sa.select(CaseRow)).one()
        assert before.status == "closed"
        # the national node keeps each step and the closing result as the regions' copies do (its page shows them)
        assert [(e.step, e.feedback, e.result) for e in s.scalars(sa.select(CaseEvent).order_by(CaseEvent.id))] == [
            ("filed", "accepted", None), ("handling", "confirmed", None), ("closed", "closed", "penalised")]
        closed_before = (before.updated_at, sorted(before.regions), len(s.scalars(sa.select(CaseEvent)).all()))
    with dbs["330000"].read() as s:
        region_before = {r.case_uuid: (r.status, r.payload, list(r.events)) for r in s.scalars(sa.select(ReceivedCase))}

    # the seller is at it again, in Zhejiang
    with dbs["330000"].transaction() as s:
        outbox.append(s, signer_for(net, "330000"), lead_record("330000-2", "TM-9", uscc="91440300MA5FXXXX1X"), NOW)
    _push_and_project(net, dbs)
    with net.national.read() as s:
        old, new = s.scalars(sa.select(CaseRow).order_by(CaseRow.id)).all()
        assert old.uuid == closed_uuid and old.status == "closed"
        assert (old.updated_at, sorted(old.regions)) == closed_before[:2]
        assert sorted(lead.listing_id for lead in s.scalars(sa.select(NationalLead).where(
            NationalLead.case_id == old.id))) == ["330000-1", "440000-1"]
        assert new.prior_case_id == old.id and new.status == "formed" and new.supervised
        assert sorted(new.regions) == ["330000", "440000"]  # the regions of the seller's case, as any new case
        assert [lead.listing_id for lead in s.scalars(sa.select(NationalLead).where(
            NationalLead.case_id == new.id))] == ["330000-2"]
        (notice,) = s.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == new.id)).all()
        assert notice.outcome == national_cases.FOLLOW_UP_OUTCOME and notice.region == "000000"
        assert len(s.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == old.id)).all()) == closed_before[2]
        new_uuid = new.uuid
    for code, db in dbs.items():
        with db.read() as s:
            received = {r.case_uuid: r for r in s.scalars(sa.select(ReceivedCase))}
            assert set(received) == {closed_uuid, new_uuid}, code
            follow = received[new_uuid]
            assert follow.payload["prior_case_uuid"] == closed_uuid
            assert [e["outcome"] for e in follow.events] == [national_cases.FOLLOW_UP_OUTCOME]
            assert [lead["listing_id"] for lead in follow.payload["leads"]] == ["330000-2"]
            assert received[closed_uuid].status == "closed"
            if code == "330000":
                kept = received[closed_uuid]
                assert (kept.status, kept.payload, list(kept.events)) == region_before[closed_uuid]

    # a further lead of the seller joins the new case (open), not the closed one and not a third case
    with dbs["440000"].transaction() as s:
        outbox.append(s, signer_for(net, "440000"), lead_record("440000-3", "TM-9", uscc="91440300MA5FXXXX1X"), NOW)
    _push_and_project(net, dbs)
    with net.national.read() as s:
        cases = s.scalars(sa.select(CaseRow).order_by(CaseRow.id)).all()
        assert [c.uuid for c in cases] == [closed_uuid, new_uuid]
        assert sorted(lead.listing_id for lead in s.scalars(sa.select(NationalLead).where(
            NationalLead.case_id == cases[1].id))) == ["330000-2", "440000-3"]
        assert cases[0].status == "closed"
    with dbs["330000"].read() as s:
        follow = s.scalars(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == new_uuid)).one()
        assert follow.payload["prior_case_uuid"] == closed_uuid  # the update keeps the link
        assert len(follow.payload["leads"]) == 2


def test_only_the_lead_regions_steps_move_the_national_status_and_the_case_page_shows_each_regions_progress(
        net: Net) -> None:
    """newcomer14 F36: 广东 (协办)'s 立案 moved the national case to 查处中, its later steps did not, and the case ended
    已结案 on the lead region's 不构成侵权 while 广东 reported 行政处罚 — nothing on the national page said so. The lead
    region's steps are the case's status; each region's role, last step, finding, result and time are shown."""
    from tests.conftest import web_client

    dbs = _one_seller_in_two_regions(net)  # lead region 440000, assisting 330000
    gd, zj = signer_for(net, "440000"), signer_for(net, "330000")
    with dbs["440000"].read() as s:
        uuid = s.scalars(sa.select(ReceivedCase)).one().case_uuid
    casework.report_cross_step(dbs["330000"], zj, uuid, "filed", actor=CHEN, now=NOW, note="浙 立案")
    _push_and_project(net, dbs)
    with net.national.read() as s:
        assert s.scalars(sa.select(CaseRow)).one().status == "formed"  # the assisting region does not move it
    casework.report_cross_step(dbs["440000"], gd, uuid, "filed", actor=LI, now=NOW)
    _push_and_project(net, dbs)
    with net.national.read() as s:
        assert s.scalars(sa.select(CaseRow)).one().status == "investigating"
    casework.report_cross_step(dbs["330000"], zj, uuid, "closed", actor=CHEN, now=NOW, finding="confirmed",
                               result="penalised", note="罚款 5 万元")
    casework.report_cross_step(dbs["440000"], gd, uuid, "closed", actor=LI, now=NOW, finding="dismissed",
                               result="no_violation", note="不构成侵权")
    _push_and_project(net, dbs)
    with net.national.read() as s:
        assert s.scalars(sa.select(CaseRow)).one().status == "closed"
        assert all(e.accepted for e in s.scalars(sa.select(CaseEvent)))

    from national.config import NationalConfig
    from national.web import create_app

    config = NationalConfig(data_dir=net.tmp / "national-web", pki_dir=net.pki)
    config.data_dir.mkdir()
    app = create_app(config)
    app.extensions["hufu_db"] = net.national  # the server's database (its users too)
    page = web_client(app, "supervisor").get(f"/cases/{uuid}").get_data(as_text=True)
    table = page[page.index('id="case-regions"'):].split("</table>", 1)[0]
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr data-region="(\d{6})".*?</tr>', table, re.S)}
    assert list(rows) == ["440000", "330000"]  # the lead region first
    assert "主办" in rows["440000"] and "结案" in rows["440000"] and "不构成侵权" in rows["440000"]
    assert "协办" in rows["330000"] and "认定侵权" in rows["330000"] and "行政处罚" in rows["330000"]
    assert "与主办区域不同" in rows["330000"] and "与主办区域不同" not in rows["440000"]
    assert "chen" in rows["330000"] and "li" in rows["440000"]
    assert "案件状态以主办区域的办理步骤为准" in page
    # newcomer14 F31: the supervision (督办) list names the seller, as /cases does
    queue = web_client(app, "supervisor").get("/supervision").get_data(as_text=True)
    row = re.search(rf'<tr[^>]*>\s*<td><a href="/cases/{uuid}">.*?</tr>', queue, re.S)
    assert row is not None and '<td class="case-seller">某某商行</td>' in row.group(0), queue[-2000:]
