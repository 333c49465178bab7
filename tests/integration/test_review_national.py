"""Judgements reach the national node as review outcomes over mTLS gRPC; refused case steps come back to the sender."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from national import cases as national_cases
from national.feed import project_leads
from national.models import CaseEvent, CaseRow
from national.review import figures, lead_outcome
from regional import outbox, sync_agent
from regional.actors import Actor
from regional.casework import service as casework
from regional.casework.core import CaseError
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


def test_a_refused_case_step_is_shown_to_the_region_that_sent_it_only(net: Net) -> None:
    dbs = {}
    for code in ("440000", "330000"):
        url = sqlite_url(net.tmp / f"r-{code}.db")
        run_migrations(url, REGIONAL_MIGRATIONS)
        dbs[code] = Database(url)
        with dbs[code].transaction() as s:
            rec = lead_record(f"{code}-1", "TM-9", uscc="91440300MA5FXXXX1X")
            outbox.append(s, signer_for(net, code), rec, NOW)
    _push_and_project(net, dbs)
    with dbs["440000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
    assert case.lead_region == "440000"
    # the lead region tries to close a case nobody has investigated yet: the national rules refuse it
    with pytest.raises(CaseError, match="result"):
        casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "closed", actor=LI,
                                   now=NOW, note="已处理")
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "closed", actor=LI, now=NOW,
                               result="penalised", note="已罚款")
    casework.report_cross_step(dbs["440000"], signer_for(net, "440000"), case.case_uuid, "filed", actor=LI, now=NOW)
    _push_and_project(net, dbs)
    with dbs["440000"].read() as s:
        case = s.scalars(sa.select(ReceivedCase)).one()
        views = casework.cross_steps(s, case)
    assert [(v.step.feedback, v.answer) for v in views] == [("closed", "refused"), ("accepted", "accepted")]
    assert "cannot become closed" in (views[0].outcome or "")
    refused = [e for e in case.events if e.get("refused")]
    assert [(e["officer"], e["feedback"]) for e in refused] == [("li", "closed")]
    with dbs["330000"].read() as s:
        other = s.scalars(sa.select(ReceivedCase)).one()
    assert [e.get("feedback") for e in other.events] == ["accepted"]  # only the accepted step is shared
    with net.national.read() as s:
        events = list(s.scalars(sa.select(CaseEvent).order_by(CaseEvent.id)))
        assert [(e.officer, e.accepted) for e in events] == [("li", False), ("li", True)]
        assert s.scalars(sa.select(CaseRow)).one().status == "investigating"


def test_unusable_outcomes_are_audited_not_applied(net: Net) -> None:
    from national.models import AuditEntry
    from national.review import apply_review_outcome
    from sync.v1 import sync_pb2

    record = sync_pb2.Record(uuid="r-1", created_at=NOW.isoformat(),
                             review_outcome=sync_pb2.ReviewOutcome(lead_uuid="x", outcome="maybe"))
    with net.national.transaction() as s:
        assert not apply_review_outcome(s, "440000", record, NOW)
        assert s.scalars(sa.select(AuditEntry.action)).all() == ["review_outcome_unusable"]
