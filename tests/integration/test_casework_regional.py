"""Regional case handling: open on confirmed leads, step through 立案 → 调查 → 处理 → 结案, overdue, quality."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from regional.actors import Actor, Forbidden
from regional.casework import service as casework
from regional.casework.core import CaseError, CaseState, TimeLimits
from regional.models import OutboxRow
from regional.node import MIGRATIONS
from regional.review import service
from regional.workflow_models import CaseStep, LeadEvent
from sync.db import Database, run_migrations, sqlite_url
from tests.workflow_data import NOW, REGION, World, build

LI = Actor("li", frozenset({"officer"}))
ZHAO = Actor("zhao", frozenset({"officer"}))
WANG = Actor("wang", frozenset({"supervisor", "officer"}))
LIMITS = TimeLimits.from_config({"investigating": 30})


@pytest.fixture
def world(tmp_path: Path) -> World:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    w = build(Database(url), 12)
    ctx = service.Context(REGION, w.signer, policy=service.Policy(()))
    service.decide_many(w.db, ctx, w.leads[:6], "confirmed", actor=WANG, now=NOW)
    return w


def test_a_case_is_opened_stepped_and_closed_with_a_result_and_reason(world: World) -> None:
    case = casework.open_case(world.db, world.signer, world.leads[:2], actor=LI, now=NOW, limits=LIMITS)
    assert case.state is CaseState.FILED and case.number == f"AJ-{REGION}-2026-000001" and case.officer == "li"
    assert case.deadline == NOW + dt.timedelta(days=15)
    t1 = NOW + dt.timedelta(days=3)
    casework.step_case(world.db, world.signer, case.uuid, "investigating", actor=LI, now=t1, limits=LIMITS)
    t2 = t1 + dt.timedelta(days=40)  # past the 30-day limit of the investigation
    with world.db.read() as s:
        assert casework.quality(s, t2).overdue == 1
    with pytest.raises(CaseError, match="finding"):
        casework.step_case(world.db, world.signer, case.uuid, "handling", actor=LI, now=t2, limits=LIMITS)
    casework.step_case(world.db, world.signer, case.uuid, "handling", actor=LI, now=t2, limits=LIMITS,
                       finding="confirmed", note="查获侵权商品120件")
    with pytest.raises(CaseError, match="reason"):
        casework.step_case(world.db, world.signer, case.uuid, "closed", actor=LI, now=t2, limits=LIMITS,
                           result="penalised")
    closed = casework.step_case(world.db, world.signer, case.uuid, "closed", actor=LI, now=t2, limits=LIMITS,
                                result="penalised", note="罚款五万元，责令停止销售")
    assert (closed.state, closed.result.value, closed.closed_by) == (CaseState.CLOSED, "penalised", "li")
    with pytest.raises(CaseError, match="closed"):
        casework.step_case(world.db, world.signer, case.uuid, "investigating", actor=WANG, now=t2, limits=LIMITS)
    with world.db.read() as s:
        steps = list(s.scalars(sa.select(CaseStep).order_by(CaseStep.id)))
        assert [(st.to_state.value, st.overdue) for st in steps] == [
            ("filed", False), ("investigating", False), ("handling", True), ("closed", False)]
        q = casework.quality(s, t2)
        assert q.by_state == {"closed": 1} and q.overdue == 0
        assert q.step_days["investigating"]["median"] == 40.0
        assert q.officers == [{"officer": "li", "open": 0, "closed": 1, "overdue": 0, "median_days_to_close": 43.0}]
        filings = s.scalars(sa.select(OutboxRow.kind).where(OutboxRow.kind == "filing")).all()
        assert len(filings) == 2  # opened and closed are filed with the national node
        assert s.scalar(sa.select(sa.func.count()).select_from(LeadEvent).where(LeadEvent.kind == "case_step")) == 6


def test_only_confirmed_leads_open_a_case_and_a_lead_is_in_one_case(world: World) -> None:
    with pytest.raises(CaseError, match="only confirmed"):
        casework.open_case(world.db, world.signer, [world.leads[8]], actor=LI, now=NOW, limits=LIMITS)
    casework.open_case(world.db, world.signer, [world.leads[0]], actor=LI, now=NOW, limits=LIMITS)
    with pytest.raises(CaseError, match="already in case"):
        casework.open_case(world.db, world.signer, [world.leads[1], world.leads[0]], actor=LI, now=NOW, limits=LIMITS)
    with pytest.raises(CaseError, match="no lead"):
        casework.open_case(world.db, world.signer, ["nope"], actor=LI, now=NOW, limits=LIMITS)


def test_only_the_officer_in_charge_or_a_supervisor_takes_a_case_further(world: World) -> None:
    case = casework.open_case(world.db, world.signer, [world.leads[0]], actor=LI, now=NOW, limits=LIMITS)
    with pytest.raises(Forbidden):
        casework.step_case(world.db, world.signer, case.uuid, "investigating", actor=ZHAO, now=NOW, limits=LIMITS)
    with pytest.raises(Forbidden):
        casework.reassign(world.db, case.uuid, "zhao", actor=LI, now=NOW)
    casework.reassign(world.db, case.uuid, "zhao", actor=WANG, now=NOW)
    casework.step_case(world.db, world.signer, case.uuid, "investigating", actor=ZHAO, now=NOW, limits=LIMITS)
    with pytest.raises(Forbidden):
        casework.open_case(world.db, world.signer, [world.leads[1]], actor=LI, now=NOW, limits=LIMITS, officer="zhao")


def test_a_confirmed_lead_in_an_open_case_cannot_be_overridden(world: World) -> None:
    casework.open_case(world.db, world.signer, [world.leads[0]], actor=LI, now=NOW, limits=LIMITS)
    ctx = service.Context(REGION, world.signer)
    with pytest.raises(service.WorkflowError, match="case is open"):
        service.decide(world.db, ctx, world.leads[0], "excluded", "正品", actor=WANG, now=NOW)
