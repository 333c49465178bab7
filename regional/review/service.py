"""Judging leads as units of work: decide, decide in batches, second review, assign.

One transaction per call. A final judgement writes, together: the lead's new state, the
judgement row (the infringement-determination database), the lead's history, the audit
entry, the review-outcome record in the outbox for the national node and — for a
confirmed lead — its routing (regional/routing/service.py).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import outbox
from regional.actors import REVIEWERS, Actor, Forbidden, audit
from regional.casework.core import CaseState
from regional.domain import LeadState, LeadType
from regional.models import LeadRow
from regional.review.core import (
    MAX_REASON_TEXT,
    Decision,
    ExclusionReason,
    Policy,
    WorkflowError,
    judge,
    parse_reason,
    second_review,
)
from regional.routing import service as routing
from regional.workflow_models import (
    CaseLead,
    CaseRecord,
    Judgement,
    JudgementStatus,
    LeadEvent,
    LeadEventKind,
)
from sync.db import Database
from sync.v1 import sync_pb2

MAX_BATCH = 500

# The words sent to the national node for a listed exclusion reason (the national UI renders the code).
REASON_WORDS = {
    ExclusionReason.LICENSED_SELLER: "被许可销售", ExclusionReason.GENUINE_GOODS: "正品",
    ExclusionReason.DIFFERENT_GOODS: "商品类别不同", ExclusionReason.NOT_SIMILAR: "不构成近似",
    ExclusionReason.OTHER: "其他",
}


class UnknownLead(LookupError):
    """No lead with that uuid on this node."""


@dataclass(frozen=True)
class Context:
    """What every judging call needs from the node: its region, signer and policy."""

    region: str
    signer: outbox.Signer
    policy: Policy = field(default_factory=Policy)


@dataclass
class Outcome:
    """What one judgement did."""

    lead_uuid: str
    state: LeadState
    final: bool
    second_review: bool
    record_uuid: str | None = None
    agency: str | None = None
    notice: str | None = None
    withdrawn_notice: str | None = None  # the 移送函 a changed confirmation withdrew


@dataclass
class BatchOutcome:
    """What a batch did: per lead, the outcome or the reason it was refused."""

    done: list[Outcome] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # lead uuid -> why, in words
    refused_codes: dict[str, str] = field(default_factory=dict)  # lead uuid -> the error's code


def _lead(session: Session, lead_uuid: str, *, lock: bool = True) -> LeadRow:
    stmt = sa.select(LeadRow).where(LeadRow.uuid == lead_uuid)
    if lock:
        stmt = stmt.with_for_update()
    lead = session.scalar(stmt)
    if lead is None:
        raise UnknownLead(f"no lead {lead_uuid} on this node")
    return lead


def _event(session: Session, lead: LeadRow, actor: Actor, kind: LeadEventKind, now: dt.datetime,
           **detail: object) -> None:
    session.add(LeadEvent(lead_id=lead.id, at=now, actor=actor.name, kind=kind, detail=detail))


def has_open_case(session: Session, lead: LeadRow) -> bool:
    """Whether a regional case that is not closed holds this lead."""
    return session.scalar(sa.select(CaseRecord.id).join(CaseLead, CaseLead.case_id == CaseRecord.id)
                          .where(CaseLead.lead_id == lead.id, CaseRecord.state != CaseState.CLOSED)) is not None


def _check_may_judge(lead: LeadRow, actor: Actor) -> None:
    actor.require(*REVIEWERS)
    if lead.assigned_to and lead.assigned_to != actor.name and not actor.supervisor:
        raise WorkflowError("assigned_to_other", f"this lead is assigned to {lead.assigned_to}; "
                            "only they or a supervisor may judge it", user=lead.assigned_to)


def _outcome_record(lead: LeadRow, judgement: Judgement, reviewer: str | None, now: dt.datetime) -> sync_pb2.Record:
    reason = judgement.reason_text or (REASON_WORDS.get(judgement.reason_code) if judgement.reason_code else "") or ""
    return sync_pb2.Record(
        uuid=str(uuidlib.uuid4()), revision=1, created_at=now.isoformat(),
        review_outcome=sync_pb2.ReviewOutcome(
            lead_uuid=lead.uuid, outcome=judgement.decision.value, officer=judgement.officer, reason=reason,
            reason_code=judgement.reason_code.value if judgement.reason_code else "",
            decided_at=now.isoformat(), detected_at=_iso(lead.created_at), second_reviewer=reviewer or "",
            model_version=lead.model_version))


def _iso(value: dt.datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def _take_effect(session: Session, ctx: Context, lead: LeadRow, judgement: Judgement, actor: Actor,
                 reviewer: str | None, now: dt.datetime, out: Outcome) -> None:
    """A final decision: outbox record, and routing of a confirmed lead."""
    record = _outcome_record(lead, judgement, reviewer, now)
    outbox.append(session, ctx.signer, record, now)
    judgement.record_uuid = record.uuid
    out.record_uuid = record.uuid
    if judgement.decision is Decision.CONFIRMED:
        routed = routing.route_confirmed(session, lead, ctx.region, actor, now)
        if routed.route.agency_id is not None:
            out.agency = routed.route.explanation.get("agency", {}).get("code")  # type: ignore[union-attr]
        out.notice = routed.notice.number if routed.notice else None


def _supersede(session: Session, lead: LeadRow) -> None:
    session.execute(sa.update(Judgement).where(Judgement.lead_id == lead.id,
                                               Judgement.status.in_([JudgementStatus.FINAL,
                                                                     JudgementStatus.APPROVED]))
                    .values(status=JudgementStatus.SUPERSEDED))


def judge_in(session: Session, ctx: Context, lead: LeadRow, decision: Decision, reason: str | None, *,
             actor: Actor, now: dt.datetime, reason_code: str | None = None) -> Outcome:
    """Judge one lead inside the caller's transaction."""
    _check_may_judge(lead, actor)
    text = (reason or "").strip()
    if len(text) > MAX_REASON_TEXT:
        raise WorkflowError("reason_too_long", f"the reason is {len(text)} characters; at most {MAX_REASON_TEXT}",
                            max=MAX_REASON_TEXT, n=len(text))
    if any((ord(ch) < 32 and ch not in "\n\t") or 0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise WorkflowError("reason_bad_characters", "the reason holds control characters")
    code: ExclusionReason | None = None
    if decision is Decision.EXCLUDED:
        code, text = parse_reason(reason_code, text)
    judged = judge(lead.state, decision, lead.score, LeadType(lead.type), supervisor=actor.supervisor,
                   policy=ctx.policy, has_open_case=has_open_case(session, lead))
    before = lead.state
    if judged.final:
        _supersede(session, lead)
    judgement = Judgement(lead_id=lead.id, decision=decision, reason_code=code, reason_text=text or None,
                          officer=actor.name, at=now, score=lead.score, model_version=lead.model_version,
                          status=JudgementStatus.FINAL if judged.state is not LeadState.PENDING_REVIEW
                          else JudgementStatus.PROPOSED,
                          rule=judged.second_review.describe() if judged.second_review else None)
    session.add(judgement)
    lead.state = judged.state
    lead.judged_at = now
    lead.judged_by = actor.name
    session.flush()
    out = Outcome(lead.uuid, judged.state, judged.final, judged.second_review is not None)
    kind = (LeadEventKind.PROPOSED if judged.second_review else
            LeadEventKind.OVERRIDDEN if judged.override else LeadEventKind.JUDGED)
    _event(session, lead, actor, kind, now, decision=decision.value, reason_code=code.value if code else None,
           reason=text or None, before=before.value, rule=judgement.rule)
    if judged.final:
        _take_effect(session, ctx, lead, judgement, actor, None, now, out)
    if before is LeadState.CONFIRMED and judged.state is not LeadState.CONFIRMED:
        # the confirmation no longer stands: withdraw its 移送函 at the receiving body, with the reason
        withdrawn = routing.withdraw_confirmation(session, lead, actor, now, decision=decision.value, reason=text or None,
                                                  reason_code=code.value if code else None)
        out.withdrawn_notice = withdrawn.number if withdrawn else None
    audit(session, actor, "lead_overridden" if judged.override else "lead_judged", now, lead=lead.uuid,
          decision=decision.value, reason_code=code.value if code else None, reason=text or None,
          second_review=judgement.rule, before={"state": before.value}, after={"state": judged.state.value},
          record=out.record_uuid)
    return out


def decide(db: Database, ctx: Context, lead_uuid: str, decision: Decision | str, reason: str | None = None, *,
           actor: Actor, now: dt.datetime, reason_code: str | None = None) -> Outcome:
    """Judge one lead: confirmed, excluded (with a listed reason) or need_info."""
    decision = _decision(decision)
    with db.transaction() as session:
        return judge_in(session, ctx, _lead(session, lead_uuid), decision, reason, actor=actor, now=now,
                        reason_code=reason_code)


def _decision(value: Decision | str) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        raise WorkflowError("bad_decision", f"decision {value!r} is not one of "
                            f"{', '.join(d.value for d in Decision)}") from None


def decide_many(db: Database, ctx: Context, lead_uuids: Sequence[str], decision: Decision | str,
                reason: str | None = None, *, actor: Actor, now: dt.datetime,
                reason_code: str | None = None) -> BatchOutcome:
    """Judge many leads at once; each lead that cannot take the decision is reported, the others are judged."""
    decision = _decision(decision)
    uuids = list(dict.fromkeys(u for u in lead_uuids if u))
    if not uuids:
        raise WorkflowError("empty_batch", "choose at least one lead")
    if len(uuids) > MAX_BATCH:
        raise WorkflowError("batch_too_large", f"at most {MAX_BATCH} leads at once, not {len(uuids)}")
    if decision is Decision.EXCLUDED:
        parse_reason(reason_code, reason)  # a missing reason refuses the whole batch before anything is written
    result = BatchOutcome()
    with db.transaction() as session:
        leads = {lead.uuid: lead for lead in session.scalars(
            sa.select(LeadRow).where(LeadRow.uuid.in_(uuids)).order_by(LeadRow.id).with_for_update())}
        for lead_uuid in uuids:
            lead = leads.get(lead_uuid)
            if lead is None:
                result.refused[lead_uuid] = f"no lead {lead_uuid} on this node"
                result.refused_codes[lead_uuid] = "unknown_lead"
                continue
            try:
                with session.begin_nested():
                    result.done.append(judge_in(session, ctx, lead, decision, reason, actor=actor, now=now,
                                                reason_code=reason_code))
            except (WorkflowError, Forbidden, routing.RoutingError) as exc:
                result.refused[lead_uuid] = str(exc)
                result.refused_codes[lead_uuid] = getattr(exc, "code", "forbidden")
        if result.done:
            audit(session, actor, "leads_judged_in_batch", now, decision=decision.value, judged=len(result.done),
                  refused=len(result.refused))
    return result


def review(db: Database, ctx: Context, lead_uuid: str, approve: bool, note: str = "", *, actor: Actor,
           now: dt.datetime) -> Outcome:
    """A supervisor's second review (复核) of a decision held back by the policy."""
    note = (note or "").strip()
    if len(note) > MAX_REASON_TEXT:
        raise WorkflowError("note_too_long", f"the note is {len(note)} characters; at most {MAX_REASON_TEXT}",
                            max=MAX_REASON_TEXT, n=len(note))
    with db.transaction() as session:
        lead = _lead(session, lead_uuid)
        proposal = session.scalar(sa.select(Judgement).where(Judgement.lead_id == lead.id,
                                                             Judgement.status == JudgementStatus.PROPOSED)
                                  .order_by(Judgement.id.desc()).limit(1))
        if proposal is None or lead.state is not LeadState.PENDING_REVIEW:
            raise WorkflowError("no_second_review", f"this lead is {lead.state.value}; nothing awaits a second review")
        reviewed = second_review(lead.state, proposal.decision, approve=approve, proposer=proposal.officer,
                                 reviewer=actor.name, reviewer_is_supervisor=actor.supervisor, note=note)
        before = lead.state
        if reviewed.approved:
            _supersede(session, lead)
        proposal.status = JudgementStatus.APPROVED if reviewed.approved else JudgementStatus.REFUSED
        proposal.reviewer = actor.name
        proposal.reviewed_at = now
        proposal.review_note = note or None
        lead.state = reviewed.state
        if reviewed.approved:
            lead.judged_at = now
        session.flush()
        out = Outcome(lead.uuid, reviewed.state, reviewed.final, True)
        _event(session, lead, actor, LeadEventKind.APPROVED if reviewed.approved else LeadEventKind.REFUSED, now,
               decision=proposal.decision.value, proposer=proposal.officer, note=note or None)
        if reviewed.final:
            _take_effect(session, ctx, lead, proposal, actor, actor.name, now, out)
        audit(session, actor, "second_review_approved" if reviewed.approved else "second_review_refused", now,
              lead=lead.uuid, decision=proposal.decision.value, proposer=proposal.officer, note=note or None,
              before={"state": before.value}, after={"state": reviewed.state.value}, record=out.record_uuid)
        return out


def assign(db: Database, lead_uuids: Sequence[str], assignee: str | None, *, actor: Actor, now: dt.datetime) -> int:
    """Give leads to an officer (a supervisor), or take unassigned ones for oneself (an officer).

    `assignee` None releases them. Returns how many leads changed hands.
    """
    actor.require(*REVIEWERS)
    assignee = (assignee or "").strip() or None
    if assignee is not None and len(assignee) > 100:
        raise WorkflowError("bad_assignee", "a user name has at most 100 characters")
    if not actor.supervisor and assignee not in (None, actor.name):
        raise Forbidden("only a supervisor assigns leads to others; an officer may take leads for themself")
    uuids = list(dict.fromkeys(u for u in lead_uuids if u))
    if len(uuids) > MAX_BATCH:
        raise WorkflowError("batch_too_large", f"at most {MAX_BATCH} leads at once")
    changed = 0
    with db.transaction() as session:
        for lead in session.scalars(sa.select(LeadRow).where(LeadRow.uuid.in_(uuids)).order_by(LeadRow.id)
                                    .with_for_update()):
            if lead.assigned_to == assignee:
                continue
            if not actor.supervisor and lead.assigned_to not in (None, actor.name):
                continue  # an officer does not take another officer's lead
            before = lead.assigned_to
            lead.assigned_to = assignee
            lead.assigned_at = now if assignee else None
            _event(session, lead, actor, LeadEventKind.ASSIGNED if assignee else LeadEventKind.UNASSIGNED, now,
                   to=assignee, before=before)
            changed += 1
        audit(session, actor, "leads_assigned", now, leads=len(uuids), changed=changed, to=assignee)
    return changed


def lead_by_uuid(session: Session, lead_uuid: str) -> LeadRow:
    """A lead, or UnknownLead."""
    return _lead(session, lead_uuid, lock=False)
