"""Judging leads on a real database: decisions, second review, batches, assignment, routing, the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from regional.actors import Actor, Forbidden
from regional.domain import LeadState
from regional.models import AuditEntry, LeadRow, OutboxRow
from regional.node import MIGRATIONS
from regional.review import service
from regional.review.core import WorkflowError
from regional.workflow_models import (
    Judgement,
    JudgementStatus,
    LeadEvent,
    NoticeRow,
    NotificationRow,
    RouteRow,
)
from sync.db import Database, run_migrations, sqlite_url
from sync.v1 import sync_pb2
from tests.workflow_data import NOW, REGION, World, build, count

LI = Actor("li", frozenset({"officer"}), "10.0.0.7")
ZHAO = Actor("zhao", frozenset({"officer"}))
WANG = Actor("wang", frozenset({"supervisor", "officer"}))
CHEN = Actor("chen", frozenset({"supervisor", "officer"}))
AUDITOR = Actor("sun", frozenset({"auditor"}))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> World:
    url = sqlite_url(tmp_path / "node.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    run_migrations(url, MIGRATIONS)
    return build(Database(url), 40)


def ctx(world: World) -> service.Context:
    return service.Context(REGION, world.signer)


def lead(world: World, uuid: str) -> LeadRow:
    with world.db.read() as s:
        return s.scalar(sa.select(LeadRow).where(LeadRow.uuid == uuid))  # type: ignore[return-value]


def outcomes(world: World) -> list[sync_pb2.ReviewOutcome]:
    out = []
    with world.db.read() as s:
        for body in s.scalars(sa.select(OutboxRow.record).where(OutboxRow.kind == "review_outcome")
                              .order_by(OutboxRow.sequence)):
            record = sync_pb2.Record()
            record.ParseFromString(body)
            out.append(record.review_outcome)
    return out


def pick(world: World, *, low: bool = False, kind: str | None = None) -> str:
    """A new lead scored below 0.9 (low) or at/above it, optionally of one type."""
    with world.db.read() as s:
        stmt = sa.select(LeadRow.uuid).where(LeadRow.state == LeadState.NEW,
                                             LeadRow.score < 0.9 if low else LeadRow.score >= 0.9)
        if kind:
            stmt = stmt.where(LeadRow.type == kind)
        return s.scalars(stmt.order_by(LeadRow.id)).first()  # type: ignore[return-value]


def test_confirming_a_lead_writes_judgement_outcome_route_notice_history_and_audit(world: World) -> None:
    uuid = pick(world, low=True, kind="trademark")
    out = service.decide(world.db, ctx(world), uuid, "confirmed", "标识近似，商品相同", actor=LI, now=NOW)
    assert out.final and out.state is LeadState.CONFIRMED and out.record_uuid and out.notice
    assert lead(world, uuid).state is LeadState.CONFIRMED and lead(world, uuid).judged_by == "li"
    (sent,) = outcomes(world)
    assert (sent.lead_uuid, sent.outcome, sent.officer, sent.reason) == (uuid, "confirmed", "li", "标识近似，商品相同")
    assert sent.detected_at and sent.decided_at == NOW.isoformat() and sent.model_version
    with world.db.read() as s:
        route = s.scalar(sa.select(RouteRow).where(RouteRow.active))
        assert route is not None and route.explanation["agency"]["code"] == out.agency
        assert s.scalar(sa.select(NoticeRow.number)) == out.notice
        kinds = [e.kind.value for e in s.scalars(sa.select(LeadEvent).order_by(LeadEvent.id))]
        assert kinds == ["judged", "routed"]
        entry = s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "lead_judged")).one()
        assert entry.actor == "li" and entry.before == {"state": "new"}
        assert entry.after == {"state": "confirmed"} and entry.address == "10.0.0.7"


def test_a_confirmed_patent_lead_also_notifies_the_rights_holder(world: World) -> None:
    uuid = pick(world, low=True, kind="design")
    service.decide(world.db, ctx(world), uuid, "confirmed", actor=LI, now=NOW)
    with world.db.read() as s:
        note = s.scalars(sa.select(NotificationRow)).one()
        assert note.recipient == "浙江某某杯业有限公司" and note.kind == "lead_confirmed"
        route = s.scalars(sa.select(RouteRow)).one()
        assert route.rule.value == "patent_assistance"


def test_excluding_a_high_scored_lead_waits_for_another_supervisor(world: World) -> None:
    uuid = pick(world)
    out = service.decide(world.db, ctx(world), uuid, "excluded", "genuine goods", actor=WANG, now=NOW)
    assert out.state is LeadState.PENDING_REVIEW and not out.final and outcomes(world) == []
    with pytest.raises(WorkflowError, match="someone other"):
        service.review(world.db, ctx(world), uuid, True, actor=WANG, now=NOW)
    with pytest.raises(WorkflowError, match="supervisor"):
        service.review(world.db, ctx(world), uuid, True, actor=LI, now=NOW)
    done = service.review(world.db, ctx(world), uuid, True, "同意", actor=CHEN, now=NOW)
    assert done.state is LeadState.EXCLUDED and done.final
    (sent,) = outcomes(world)
    assert (sent.outcome, sent.officer, sent.second_reviewer, sent.reason_code) == (
        "excluded", "wang", "chen", "genuine_goods")
    with world.db.read() as s:
        j = s.scalars(sa.select(Judgement)).one()
        assert j.status is JudgementStatus.APPROVED and j.reviewer == "chen"


def test_a_refused_second_review_sends_the_lead_back_to_the_queue(world: World) -> None:
    uuid = pick(world)
    service.decide(world.db, ctx(world), uuid, "excluded", reason_code="not_similar", actor=LI, now=NOW)
    with pytest.raises(WorkflowError, match="why"):
        service.review(world.db, ctx(world), uuid, False, "", actor=WANG, now=NOW)
    back = service.review(world.db, ctx(world), uuid, False, "字形高度近似，应确认", actor=WANG, now=NOW)
    assert back.state is LeadState.NEW and outcomes(world) == []
    assert service.decide(world.db, ctx(world), uuid, "confirmed", actor=LI, now=NOW).final


def test_an_officer_cannot_judge_anothers_lead_and_an_auditor_cannot_judge_at_all(world: World) -> None:
    uuid = pick(world, low=True)
    assert service.assign(world.db, [uuid], "zhao", actor=WANG, now=NOW) == 1
    with pytest.raises(WorkflowError, match="assigned to zhao"):
        service.decide(world.db, ctx(world), uuid, "confirmed", actor=LI, now=NOW)
    with pytest.raises(Forbidden):
        service.decide(world.db, ctx(world), uuid, "confirmed", actor=AUDITOR, now=NOW)
    with pytest.raises(Forbidden):
        service.assign(world.db, [uuid], "zhao", actor=LI, now=NOW)  # only a supervisor assigns to others
    assert service.assign(world.db, [uuid], "li", actor=LI, now=NOW) == 0  # nor takes another's lead
    assert service.decide(world.db, ctx(world), uuid, "confirmed", actor=ZHAO, now=NOW).final


def test_an_exclusion_needs_a_reason_and_a_final_decision_needs_a_supervisor_to_change(world: World) -> None:
    uuid = pick(world, low=True)
    with pytest.raises(WorkflowError, match="needs a reason"):
        service.decide(world.db, ctx(world), uuid, "excluded", "", actor=LI, now=NOW)
    with pytest.raises(WorkflowError, match="decision 'maybe'"):
        service.decide(world.db, ctx(world), uuid, "maybe", actor=LI, now=NOW)
    service.decide(world.db, ctx(world), uuid, "excluded", "已获许可", actor=LI, now=NOW)
    with pytest.raises(WorkflowError, match="only a supervisor"):
        service.decide(world.db, ctx(world), uuid, "confirmed", actor=LI, now=NOW)
    over = service.decide(world.db, ctx(world), uuid, "confirmed", "许可已过期", actor=WANG, now=NOW)
    assert over.final and [o.outcome for o in outcomes(world)] == ["excluded", "confirmed"]
    with world.db.read() as s:
        statuses = [j.status for j in s.scalars(sa.select(Judgement).order_by(Judgement.id))]
    assert statuses == [JudgementStatus.SUPERSEDED, JudgementStatus.FINAL]


def test_batch_exclusion_judges_what_it_can_and_names_what_it_cannot(world: World) -> None:
    low = []
    with world.db.read() as s:
        low = list(s.scalars(sa.select(LeadRow.uuid).where(LeadRow.score < 0.9).order_by(LeadRow.id).limit(6)))
    service.decide(world.db, ctx(world), low[0], "confirmed", actor=LI, now=NOW)
    batch = service.decide_many(world.db, ctx(world), [*low, "no-such-lead"], "excluded", actor=LI, now=NOW,
                                reason_code="different_goods")
    assert len(batch.done) == 5 and set(batch.refused) == {low[0], "no-such-lead"}
    assert "already confirmed" in batch.refused[low[0]]
    assert count(world.db, LeadRow, LeadRow.state == LeadState.EXCLUDED) == 5
    assert len(outcomes(world)) == 6
    with pytest.raises(WorkflowError, match="needs a reason"):
        service.decide_many(world.db, ctx(world), low[1:], "excluded", actor=LI, now=NOW)


def test_need_info_is_not_sent_and_the_lead_can_be_judged_later(world: World) -> None:
    uuid = pick(world, low=True)
    out = service.decide(world.db, ctx(world), uuid, "need_info", "请补充购买凭证", actor=LI, now=NOW)
    assert out.state is LeadState.NEED_INFO and not out.final and outcomes(world) == []
    assert service.decide(world.db, ctx(world), uuid, "confirmed", actor=LI, now=NOW).final
