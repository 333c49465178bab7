"""Case handling as units of work: open a case on confirmed leads, take it step by step, close it, monitor quality.

The steps and their rules are in regional/casework/core.py. Opening and closing a case are
filed with the national node (备案) in the same transaction. The same four steps are used to
report on cross-region cases (`report_cross_step`); the national node answers every step,
and a refused one comes back to this region only, shown on the case page with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import outbox
from regional.actors import REVIEWERS, Actor, Forbidden, audit
from regional.casework.core import (
    MAX_TEXT,
    CaseError,
    CaseResult,
    CaseState,
    Finding,
    TimeLimits,
    advance,
    cross_next_steps,
    feedback_code,
    standing,
)
from regional.domain import LeadState
from regional.models import LeadRow, ListingRow, ReceivedCase, RegistryRight
from regional.workflow_models import (
    CaseLead,
    CaseRecord,
    CaseStep,
    CrossCaseStep,
    LeadEvent,
    LeadEventKind,
    RouteRow,
)
from sync.db import Database
from sync.times import aware as _aware
from sync.v1 import sync_pb2

MAX_LEADS_PER_CASE = 200


class UnknownCase(LookupError):
    """No case with that id on this node."""


def _filing(session: Session, signer: outbox.Signer, subject: str, body: dict[str, Any], now: dt.datetime) -> str:
    record = sync_pb2.Record(uuid=str(uuidlib.uuid4()), revision=1, created_at=now.isoformat(),
                             filing=sync_pb2.Filing(subject=subject, body_json=json.dumps(body, ensure_ascii=False)))
    outbox.append(session, signer, record, now)
    return record.uuid


def open_case(db: Database, signer: outbox.Signer, lead_uuids: Sequence[str], *, actor: Actor, now: dt.datetime,
              limits: TimeLimits, officer: str | None = None, title: str | None = None) -> CaseRecord:
    """Open (立案) a case on one or more confirmed leads of this node; the officer in charge defaults to the actor."""
    actor.require(*REVIEWERS)
    uuids = list(dict.fromkeys(u for u in lead_uuids if u))
    if not uuids:
        raise CaseError("no_leads", "a case is opened on at least one confirmed lead")
    if len(uuids) > MAX_LEADS_PER_CASE:
        raise CaseError("too_many_leads", f"at most {MAX_LEADS_PER_CASE} leads in one case")
    officer = (officer or actor.name).strip()
    if not officer or len(officer) > 100:
        raise CaseError("bad_officer", "the officer in charge is a user name of at most 100 characters")
    if officer != actor.name and not actor.supervisor:
        raise Forbidden("only a supervisor opens a case in another officer's charge")
    with db.transaction() as session:
        leads = list(session.scalars(sa.select(LeadRow).where(LeadRow.uuid.in_(uuids)).order_by(LeadRow.id)
                                     .with_for_update()))
        found = {lead.uuid for lead in leads}
        missing = [u for u in uuids if u not in found]
        if missing:
            raise CaseError("unknown_lead", f"no lead {missing[0]} on this node")
        for lead in leads:
            if lead.state is not LeadState.CONFIRMED:
                raise CaseError("not_confirmed", f"lead {lead.uuid} is {lead.state.value}; only confirmed leads "
                                "open a case")
        taken = session.execute(sa.select(LeadRow.uuid, CaseRecord.number).join(CaseLead, CaseLead.lead_id == LeadRow.id)
                                .join(CaseRecord, CaseRecord.id == CaseLead.case_id)
                                .where(LeadRow.id.in_([lead.id for lead in leads]))).first()
        if taken is not None:
            raise CaseError("already_in_case", f"lead {taken[0]} is already in case {taken[1]}")
        first = leads[0]
        route = session.scalar(sa.select(RouteRow).where(RouteRow.lead_id == first.id, RouteRow.active))
        if not title:
            listing = session.get(ListingRow, first.listing_id)
            right = session.scalar(sa.select(RegistryRight.title).where(RegistryRight.number == first.right_number))
            title = f"{right or first.right_number}：{listing.title if listing else first.listing_id}"
        title = title.strip()[:300]
        case = CaseRecord(uuid=str(uuidlib.uuid4()), number=str(uuidlib.uuid4()), title=title, state=CaseState.FILED,
                          agency_id=route.agency_id if route else None, opened_by=actor.name, officer=officer,
                          opened_at=now, step_entered_at=now, deadline=limits.deadline(CaseState.FILED, now))
        session.add(case)
        session.flush()
        case.number = f"AJ-{signer.region}-{now.year}-{case.id:06d}"  # 案号: unique by the row id
        for lead in leads:
            session.add(CaseLead(case_id=case.id, lead_id=lead.id))
            session.add(LeadEvent(lead_id=lead.id, at=now, actor=actor.name, kind=LeadEventKind.CASE_OPENED,
                                  detail={"case": case.number}))
        session.add(CaseStep(case_id=case.id, from_state=None, to_state=CaseState.FILED, at=now, actor=actor.name,
                             note=None, seconds_in_step=None, overdue=False))
        _filing(session, signer, "regional_case_opened", {
            "case": case.uuid, "number": case.number, "leads": [lead.uuid for lead in leads], "officer": officer,
            "opened_at": now.isoformat()}, now)
        audit(session, actor, "case_opened", now, case=case.number, leads=[lead.uuid for lead in leads],
              officer=officer, after={"step": CaseState.FILED.value})
        return case


def _case(session: Session, case_uuid: str) -> CaseRecord:
    case = session.scalar(sa.select(CaseRecord).where(CaseRecord.uuid == case_uuid).with_for_update())
    if case is None:
        raise UnknownCase(f"no case {case_uuid} on this node")
    return case


def step_case(db: Database, signer: outbox.Signer, case_uuid: str, target: CaseState | str, *, actor: Actor,
              now: dt.datetime, limits: TimeLimits, result: str | None = None, finding: str | None = None,
              note: str = "") -> CaseRecord:
    """Take a case one step (调查, 处理, 结案); closing needs a result and the reason; a closed case takes none."""
    actor.require(*REVIEWERS)
    try:
        target = CaseState(target)
    except ValueError:
        raise CaseError("bad_step", f"step {target!r} is not one of {', '.join(s.value for s in CaseState)}") from None
    with db.transaction() as session:
        case = _case(session, case_uuid)
        if case.officer != actor.name and not actor.supervisor:
            raise Forbidden(f"case {case.number} is in {case.officer}'s charge; only they or a supervisor may "
                            "take it further")
        step = advance(case.state, target, result=result, finding=finding, note=note, recorded=case.finding)
        entered = _aware(case.step_entered_at)
        was = standing(case.state, entered, limits, now)
        before = case.state
        session.add(CaseStep(case_id=case.id, from_state=before, to_state=step.state, at=now, actor=actor.name,
                             note=step.note or None, seconds_in_step=(now - entered).total_seconds(),
                             overdue=was.overdue))
        case.state = step.state
        case.step_entered_at = now
        case.deadline = limits.deadline(step.state, now)
        if step.finding is not None:
            case.finding = step.finding
        if step.state is CaseState.CLOSED:
            case.result = step.result
            case.closing_reason = step.note
            case.closed_at = now
            case.closed_by = actor.name
            _filing(session, signer, "regional_case_closed", {
                "case": case.uuid, "number": case.number, "result": step.result.value if step.result else None,
                "finding": case.finding.value if case.finding else None, "reason": step.note,
                "closed_at": now.isoformat()}, now)
        for lead_id in session.scalars(sa.select(CaseLead.lead_id).where(CaseLead.case_id == case.id)):
            session.add(LeadEvent(lead_id=lead_id, at=now, actor=actor.name, kind=LeadEventKind.CASE_STEP,
                                  detail={"case": case.number, "from": before.value, "to": step.state.value}))
        audit(session, actor, "case_step", now, case=case.number, note=step.note or None,
              result=step.result.value if step.result else None, finding=step.finding.value if step.finding else None,
              before={"step": before.value}, after={"step": step.state.value}, overdue=was.overdue)
        return case


def reassign(db: Database, case_uuid: str, officer: str, *, actor: Actor, now: dt.datetime) -> CaseRecord:
    """A supervisor hands a case to another officer."""
    if not actor.supervisor:
        raise Forbidden("only a supervisor hands a case to another officer")
    officer = (officer or "").strip()
    if not officer or len(officer) > 100:
        raise CaseError("bad_officer", "the officer in charge is a user name of at most 100 characters")
    with db.transaction() as session:
        case = _case(session, case_uuid)
        if case.state is CaseState.CLOSED:
            raise CaseError("closed", "this case is closed; no further step is possible")
        before = case.officer
        case.officer = officer
        audit(session, actor, "case_reassigned", now, case=case.number, before={"officer": before},
              after={"officer": officer})
        return case


# ---------------------------------------------------------------- quality monitoring


@dataclass
class Quality:
    """Case quality figures (案件质量监控)."""

    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    open: int = 0
    step_days: dict[str, dict[str, float]] = field(default_factory=dict)  # step -> median, mean, n
    officers: list[dict[str, Any]] = field(default_factory=list)
    overdue_cases: list[dict[str, Any]] = field(default_factory=list)


def quality(session: Session, now: dt.datetime) -> Quality:
    """Cases by state, overdue cases, time per step and per officer."""
    q = Quality()
    for state, n in session.execute(sa.select(CaseRecord.state, sa.func.count()).group_by(CaseRecord.state)):
        q.by_state[state.value] = int(n)
    q.open = sum(n for s, n in q.by_state.items() if s != CaseState.CLOSED.value)
    overdue_rows = list(session.scalars(sa.select(CaseRecord).where(CaseRecord.state != CaseState.CLOSED,
                                                                    CaseRecord.deadline < now)
                                        .order_by(CaseRecord.deadline, CaseRecord.id).limit(200)))
    q.overdue = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRecord).where(
        CaseRecord.state != CaseState.CLOSED, CaseRecord.deadline < now)) or 0)
    q.overdue_cases = [{"uuid": c.uuid, "number": c.number, "title": c.title, "state": c.state.value,
                        "officer": c.officer, "deadline": _aware(c.deadline).isoformat() if c.deadline else None,
                        "days_over": round((now - _aware(c.deadline)).total_seconds() / 86400, 1) if c.deadline else 0}
                       for c in overdue_rows]
    per_step: dict[str, list[float]] = {}
    for state, seconds in session.execute(sa.select(CaseStep.from_state, CaseStep.seconds_in_step)
                                          .where(CaseStep.from_state.is_not(None))):
        per_step.setdefault(state.value, []).append((seconds or 0.0) / 86400)
    q.step_days = {s: {"median": round(statistics.median(v), 2), "mean": round(statistics.fmean(v), 2), "n": len(v)}
                   for s, v in per_step.items()}
    officers: dict[str, dict[str, Any]] = {}
    for officer, state, deadline in session.execute(sa.select(CaseRecord.officer, CaseRecord.state,
                                                              CaseRecord.deadline)):
        row = officers.setdefault(officer, {"officer": officer, "open": 0, "closed": 0, "overdue": 0})
        if state is CaseState.CLOSED:
            row["closed"] += 1
        else:
            row["open"] += 1
            if deadline is not None and _aware(deadline) < now:
                row["overdue"] += 1
    durations: dict[str, list[float]] = {}
    for officer, opened, closed in session.execute(sa.select(CaseRecord.officer, CaseRecord.opened_at,
                                                             CaseRecord.closed_at).where(CaseRecord.closed_at.is_not(None))):
        durations.setdefault(officer, []).append((_aware(closed) - _aware(opened)).total_seconds() / 86400)
    for officer, row in officers.items():
        d = durations.get(officer)
        row["median_days_to_close"] = round(statistics.median(d), 2) if d else None
    q.officers = sorted(officers.values(), key=lambda r: (-r["overdue"], -r["open"], r["officer"]))
    return q


# ---------------------------------------------------------------- cross-region cases: the same four steps


def report_cross_step(db: Database, signer: outbox.Signer, case_uuid: str, step: CaseState | str | None, *,
                      actor: Actor, now: dt.datetime, finding: str | None = None, result: str | None = None,
                      note: str = "") -> CrossCaseStep:
    """Report this region's step on a cross-region case (立案 / 调查 / 处理 with a finding / 结案), or a note."""
    actor.require(*REVIEWERS)
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise CaseError("note_too_long", f"the note is {len(note)} characters; at most {MAX_TEXT}", max=MAX_TEXT,
                        n=len(note))
    parsed_step: CaseState | None = None
    parsed_finding: Finding | None = None
    parsed_result: CaseResult | None = None
    if step in (None, "", "note"):
        if not note:
            raise CaseError("note_required", "a note needs some text")
        code = "note"
    else:
        try:
            parsed_step = CaseState(step)
        except ValueError:
            raise CaseError("bad_step", f"step {step!r} is not one of "
                            f"{', '.join(s.value for s in CaseState)} or note") from None
        if finding:
            try:
                parsed_finding = Finding(finding)
            except ValueError:
                raise CaseError("bad_finding", f"finding {finding!r} is not one of "
                                f"{', '.join(f.value for f in Finding)}") from None
        if parsed_step is CaseState.CLOSED:
            if not result:
                raise CaseError("result_required", "closing a case needs a result: one of "
                                f"{', '.join(r.value for r in CaseResult)}")
            try:
                parsed_result = CaseResult(result)
            except ValueError:
                raise CaseError("bad_result", f"result {result!r} is not one of "
                                f"{', '.join(r.value for r in CaseResult)}") from None
            if not note:
                raise CaseError("reason_required", "closing a case needs the reason (结案理由)")
        code = feedback_code(parsed_step, parsed_finding)
    with db.transaction() as session:
        case = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case_uuid))
        if case is None:
            raise UnknownCase(f"no cross-region case {case_uuid} was delivered to this region")
        if parsed_step is not None:
            allowed = cross_next_of(session, case)
            if parsed_step not in allowed:
                raise CaseError("step_not_next", f"this region cannot report {parsed_step.value} on this case now: "
                                + (f"its next steps are {', '.join(s.value for s in allowed)}" if allowed else
                                   "its part of the case is closed (or the case was withdrawn); a note is still "
                                   "possible"))
        # The national rules close a case only after its finding (认定侵权 / 不构成侵权, which the repeat-infringer
        # list counts). A 结案 that carries the finding sends it first, as the 处理 step, then the close; the lead
        # region's 结案 without one, on a case with no finding sent yet, is refused here rather than after a sync.
        steps: list[tuple[CaseState | None, Finding | None, CaseResult | None, str]] = [
            (parsed_step, parsed_finding, parsed_result, code)]
        if parsed_step is CaseState.CLOSED and not _has_finding(session, case, signer.region):
            if parsed_finding is not None:
                steps.insert(0, (CaseState.HANDLING, parsed_finding, None,
                                 feedback_code(CaseState.HANDLING, parsed_finding)))
            elif case.lead_region == signer.region:
                raise CaseError("finding_required_to_close",
                                "this case has no finding yet: choose the finding (confirmed or dismissed) with the "
                                "closing step, or report the handling step with its finding first")
        row: CrossCaseStep | None = None
        for step_, finding_, result_, code_ in steps:
            record_uuid = str(uuidlib.uuid4())
            outbox.append(session, signer, sync_pb2.Record(
                uuid=record_uuid, revision=1, created_at=now.isoformat(),
                case_feedback=sync_pb2.CaseFeedback(case_uuid=case_uuid, status=code_, note=note, officer=actor.name,
                                                    step=step_.value if step_ else "",
                                                    result=result_.value if result_ else "")), now)
            row = CrossCaseStep(case_uuid=case_uuid, record_uuid=record_uuid, step=step_, feedback=code_,
                                finding=finding_, result=result_, note=note or None, officer=actor.name, at=now)
            session.add(row)
            audit(session, actor, "case_feedback", now, case=case_uuid, feedback=code_,
                  step=step_.value if step_ else None, note=note or None, record=record_uuid)
        assert row is not None
        return row


def cross_next_of(session: Session, case: ReceivedCase) -> tuple[CaseState, ...]:
    """The steps this region may report next on a cross-region case (its own part: core.cross_next_steps)."""
    return cross_next_steps((v.step.step for v in cross_steps(session, case) if v.answer != "refused"), case.status)


def _has_finding(session: Session, case: ReceivedCase, region: str) -> bool:
    """Whether this region's part has its finding: one it sent that the national node did not refuse, or, for the
    lead region (whose steps drive the case), the case's national status."""
    if case.lead_region == region and case.status in ("confirmed", "dismissed", "closed", "withdrawn"):
        return True
    return any(v.step.finding is not None and v.answer != "refused" for v in cross_steps(session, case))


@dataclass(frozen=True)
class CrossStepView:
    """A step this region sent, with what the national node answered."""

    step: CrossCaseStep
    answer: str  # pending | accepted | refused
    outcome: str | None


def cross_steps(session: Session, case: ReceivedCase) -> list[CrossStepView]:
    """This region's steps on a cross-region case, each with the national node's answer once it came back."""
    answers = {e.get("record"): e for e in (case.events or []) if isinstance(e, dict) and e.get("record")}
    out = []
    for row in session.scalars(sa.select(CrossCaseStep).where(CrossCaseStep.case_uuid == case.case_uuid)
                               .order_by(CrossCaseStep.id)):
        answer = answers.get(row.record_uuid)
        state = "pending" if answer is None else ("refused" if answer.get("refused") else "accepted")
        out.append(CrossStepView(row, state, answer.get("outcome") if answer else None))
    return out
