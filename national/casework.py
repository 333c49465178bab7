"""Case feedback from regions, supervision and the blacklist: units of work over a session.

The rules live in national/lifecycle.py; this module applies them and queues what every
region concerned must hear (results are recognised across regions, 结果互认).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.lifecycle import TARGET, CaseStatus, Feedback, apply_feedback, repeat_infringers
from national.models import (
    AuditEntry,
    BlacklistRow,
    CaseEvent,
    CaseRow,
    DownlinkRow,
    MergeReview,
    MergeStatus,
    NationalLead,
    RegionRow,
    SellerEntity,
    SellerRecord,
)
from sync.v1 import sync_pb2


@dataclass(frozen=True)
class Rules:
    """Configurable thresholds of the national office."""

    supervision_days: float = 60.0
    blacklist_cases: int = 2
    blacklist_months: int = 12


def _next_revision(session: Session, uuid: str) -> int:
    return 1 + (session.scalar(sa.select(sa.func.max(DownlinkRow.revision)).where(DownlinkRow.uuid == uuid)) or 0)


def _queue(session: Session, regions: list[str], uuid: str, kind: str, body: bytes, now: dt.datetime) -> int:
    from national.feed import order_downlink

    order_downlink(session)  # callers queue last: only the audit entry follows
    revision = _next_revision(session, uuid)
    for region in regions:
        session.add(DownlinkRow(region=region, uuid=uuid, revision=revision, kind=kind, body=body, created_at=now))
    return len(regions)


def apply_case_feedback(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> CaseEvent | None:
    """Apply one region's case feedback; broadcast the result to every region concerned."""
    fb = record.case_feedback
    if session.scalar(sa.select(CaseEvent.id).where(CaseEvent.record_uuid == record.uuid)) is not None:
        return None  # already applied (idempotent by record uuid)
    case = session.scalar(sa.select(CaseRow).where(CaseRow.uuid == fb.case_uuid))
    if case is None:
        session.add(AuditEntry(at=now, actor=f"region:{region}", action="case_feedback_unknown_case",
                               detail={"case": fb.case_uuid, "record": record.uuid}))
        return None
    try:
        feedback = Feedback(fb.status)
    except ValueError:
        feedback = Feedback.NOTE
    decision = apply_feedback(CaseStatus(case.status), feedback, region, case.lead_region, case.regions,
                              own=_own_progress(session, case.id, region))
    if decision.changed:
        case.status = decision.status
        case.updated_at = now
        if decision.status in (CaseStatus.CONFIRMED, CaseStatus.DISMISSED):
            case.decided_at = now
    event = CaseEvent(case_id=case.id, record_uuid=record.uuid, region=region, feedback=feedback.value,
                      note=fb.note, officer=fb.officer[:100] or None, accepted=decision.accepted,
                      outcome=decision.reason, status_after=CaseStatus(case.status).value, at=now,
                      step=fb.step[:16] or None, result=fb.result[:32] or None)
    session.add(event)
    session.add(AuditEntry(at=now, actor=f"region:{region}", action="case_feedback",
                           detail={"case": case.uuid, "feedback": feedback.value, "outcome": decision.reason}))
    step = {"region": region, "feedback": feedback.value, "note": fb.note, "outcome": decision.reason,
            "at": now.isoformat(), "officer": fb.officer, "step": fb.step, "result": fb.result,
            "record": record.uuid, "refused": not decision.accepted}
    body = sync_pb2.CaseUpdate(case_uuid=case.uuid, status=CaseStatus(case.status).value, note=fb.note,
                               body_json=json.dumps(step, ensure_ascii=False))
    # an accepted step is recognised by every region concerned; a refused one goes back to its sender only,
    # so the officer who sent it sees that and why (issue 8, item 14)
    regions = list(case.regions) if decision.accepted else [region]
    _queue(session, regions, case.uuid, "case_update", body.SerializeToString(deterministic=True), now)
    return event


def _own_progress(session: Session, case_id: int, region: str) -> CaseStatus | None:
    """Where a region's own part of a case stands: its last accepted step (None: none yet)."""
    steps = [Feedback(f) for f in session.scalars(
        sa.select(CaseEvent.feedback).where(CaseEvent.case_id == case_id, CaseEvent.region == region,
                                            CaseEvent.accepted.is_(True), CaseEvent.feedback != Feedback.NOTE.value)
        .order_by(CaseEvent.id.desc()).limit(1))]
    return TARGET[steps[0]] if steps else None


def entity_of(case: CaseRow) -> str:
    """The seller identity a case was formed on (credit code or phone)."""
    return case.key.split("|", 1)[1]


def update_blacklist(session: Session, rules: Rules, now: dt.datetime) -> list[BlacklistRow]:
    """List repeat infringers (N confirmed cases in M months) and send each listing to every region."""
    # only cases decided within the window can count (a day's margin: the exact cut is `repeat_infringers`'s),
    # so a worker cycle does not read every case ever confirmed
    window_start = now - dt.timedelta(days=30 * rules.blacklist_months + 1)
    confirmed = [(entity_of(c), c.decided_at) for c in session.scalars(
        sa.select(CaseRow).where(CaseRow.status.in_([CaseStatus.CONFIRMED, CaseStatus.CLOSED]),
                                 CaseRow.decided_at.is_not(None), CaseRow.decided_at >= window_start))]
    due = repeat_infringers([(e, at if at.tzinfo else at.replace(tzinfo=dt.UTC)) for e, at in confirmed
                             if at is not None], rules.blacklist_cases, rules.blacklist_months, now)
    listed = set(session.scalars(sa.select(BlacklistRow.entity_key)))
    regions = list(session.scalars(sa.select(RegionRow.code).order_by(RegionRow.code)))
    added = []
    for entity, count in sorted(due.items()):
        if entity in listed:
            continue
        kind, _, value = entity.partition(":")
        lead = session.scalar(sa.select(NationalLead).where(
            NationalLead.seller_uscc == value if kind == "uscc" else NationalLead.seller_phone == value).limit(1))
        row = BlacklistRow(entity_key=entity, name=lead.seller_name if lead else None,
                           uscc=value if kind == "uscc" else (lead.seller_uscc if lead else None),
                           phone=value if kind == "phone" else (lead.seller_phone if lead else None),
                           confirmed_cases=count, listed_at=now)
        session.add(row)
        reason = f"{count} confirmed cross-region cases within {rules.blacklist_months} months"
        body = sync_pb2.BlacklistEntry(entity_id=entity, name=row.name or "", uscc=row.uscc or "",
                                       phone=row.phone or "", reason=reason)
        _queue(session, regions, f"blacklist:{entity}", "blacklist_entry", body.SerializeToString(deterministic=True),
               now)
        session.add(AuditEntry(at=now, actor="worker", action="blacklisted", detail={"entity": entity,
                                                                                     "cases": count}))
        added.append(row)
    return added


class UnknownReview(LookupError):
    """No merge review with that id."""


MAX_MERGE_NOTE = 1000  # characters of an officer's note (备注) on a merge decision (merge_reviews.note)


class NoteTooLong(ValueError):
    """An officer's note over MAX_MERGE_NOTE characters (`length`)."""

    def __init__(self, length: int) -> None:
        super().__init__(f"the note is {length} characters; at most {MAX_MERGE_NOTE}")
        self.length = length


class ConflictingCodes(ValueError):
    """A merge that would make one seller of firms with different valid credit codes (`codes`)."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(f"these sellers carry different credit codes ({', '.join(codes)}): two registered firms are "
                         "never one seller — if a shop-style record was offered with two firms, confirm one of them")
        self.codes = codes


def _codes_joined(session: Session, review: MergeReview) -> list[str]:
    """The valid credit codes one seller would carry if `review`'s pair were merged: those of both leads' entities
    and of the leads already confirmed as the same seller as either (a merge the worker may not have applied yet)."""
    leads = {review.lead_a, review.lead_b}
    for a, b in session.execute(sa.select(MergeReview.lead_a, MergeReview.lead_b).where(
            MergeReview.status == MergeStatus.MERGED, MergeReview.id != review.id,
            sa.or_(MergeReview.lead_a.in_(leads), MergeReview.lead_b.in_(leads)))):
        leads |= {a, b}
    entities = set(session.scalars(sa.select(SellerRecord.entity_id).where(SellerRecord.lead_id.in_(leads))))
    codes = set(session.scalars(sa.select(SellerEntity.uscc).where(SellerEntity.id.in_(entities),
                                                                    SellerEntity.uscc.is_not(None))))
    codes |= set(session.scalars(sa.select(SellerRecord.uscc).where(SellerRecord.lead_id.in_(leads),
                                                                     SellerRecord.uscc.is_not(None))))
    return sorted(c for c in codes if c)


class SharedCode(ValueError):
    """A "different sellers" decision on a pending pair whose two sides carry one credit code (`code`): each side is
    its record and the records an officer confirmed as the same seller as it (`through`: those confirmed pairs).
    Two records of one registered firm are one seller; keeping them apart would split that firm's leads out of its
    cases (newcomer18 N8)."""

    def __init__(self, code: str, through: list[int]) -> None:
        super().__init__(f"both sides carry the credit code {code}: one registered firm is one seller")
        self.code = code
        self.through = through


def _side(session: Session, lead: int, review_id: int) -> tuple[set[int], set[int]]:
    """A record and those an officer confirmed as the same seller as it (transitively, `review_id` left out): the
    records and the confirmed pairs that joined them."""
    seen, frontier, via = {lead}, {lead}, set()
    while frontier:
        rows = session.execute(sa.select(MergeReview.id, MergeReview.lead_a, MergeReview.lead_b).where(
            MergeReview.status == MergeStatus.MERGED, MergeReview.id != review_id,
            sa.or_(MergeReview.lead_a.in_(frontier), MergeReview.lead_b.in_(frontier)))).all()
        frontier = {x for r in rows for x in (r.lead_a, r.lead_b)} - seen
        seen |= frontier
        via |= {r.id for r in rows}
    return seen, via


def _shared_code(session: Session, review: MergeReview) -> SharedCode | None:
    """Why a pending pair cannot be kept apart (`SharedCode`), or None."""
    (a, via_a), (b, via_b) = _side(session, review.lead_a, review.id), _side(session, review.lead_b, review.id)

    def codes(leads: set[int]) -> set[str]:
        return {c for c in session.scalars(sa.select(SellerRecord.uscc).where(
            SellerRecord.lead_id.in_(leads), SellerRecord.uscc.is_not(None))) if c}

    common = sorted(codes(a) & codes(b))
    return SharedCode(common[0], sorted(via_a | via_b)) if common else None


def cases_of_decision(session: Session, review_id: int) -> list[CaseRow]:
    """The cases (not withdrawn) that hold both records of a pair: what keeping them apart re-forms at the next run —
    withdrawn if it no longer holds, or without the records and regions the decision separates (newcomer18 N8: a
    pending pair whose sibling's confirmation had put both records in one case)."""
    review = session.get(MergeReview, review_id)
    if review is None:
        return []
    a, b = session.get(NationalLead, review.lead_a), session.get(NationalLead, review.lead_b)
    if a is None or b is None or a.case_id is None or a.case_id != b.case_id:
        return []
    case = session.get(CaseRow, a.case_id)
    return [case] if case is not None and case.status is not CaseStatus.WITHDRAWN else []


def cases_of_merge(session: Session, review_id: int) -> list[CaseRow]:
    """The cases (not withdrawn) that hold both leads of a merge review: what undoing a confirmed merge takes apart
    at the next run (newcomer15 F21: a case a region was investigating was withdrawn without a word)."""
    review = session.get(MergeReview, review_id)
    if review is None or review.status is not MergeStatus.MERGED:
        return []
    a, b = session.get(NationalLead, review.lead_a), session.get(NationalLead, review.lead_b)
    if a is None or b is None or a.case_id is None or a.case_id != b.case_id:
        return []
    case = session.get(CaseRow, a.case_id)
    return [case] if case is not None and case.status is not CaseStatus.WITHDRAWN else []


def decide_merge(session: Session, review_id: int, merge: bool, *, officer: str, note: str,
                 now: dt.datetime) -> MergeReview:
    """Record an officer's decision on a low-confidence seller match; it can be reversed by deciding again.

    The next case-formation run applies it: a merge joins the two sellers' leads into one case,
    a rejection (or a reversed merge) keeps or takes them apart and withdraws a case that no longer holds.
    """
    if not officer.strip():
        raise ValueError("the officer's name is required for the audit trail")
    if len(note or "") > MAX_MERGE_NOTE:
        raise NoteTooLong(len(note))
    review = session.get(MergeReview, review_id)
    if review is None:
        raise UnknownReview(f"no merge review {review_id}")
    if merge and len(codes := _codes_joined(session, review)) > 1:
        raise ConflictingCodes(codes)
    if not merge and review.status is MergeStatus.PENDING and (shared := _shared_code(session, review)) is not None:
        raise shared  # a reversed merge stays possible: it undoes an officer's own decision
    before = review.status
    review.status = MergeStatus.MERGED if merge else MergeStatus.REJECTED
    review.decided_by = officer
    review.note = note or None
    review.decided_at = now
    session.add(AuditEntry(at=now, actor=officer, action="merge_decided", detail={
        "review": review_id, "leads": [review.lead_a, review.lead_b], "from": before.value,
        "to": review.status.value, "probability": review.probability, "note": note}))
    return review
