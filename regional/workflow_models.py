"""Tables of the officers' workflow: judgements, lead history, routing, regional cases, intake, models.

Declared on the regional `Base` (regional/models.py imports this module so that one metadata
holds every table); the Alembic tree in regional/migrations creates them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from regional.casework.core import CaseResult, CaseState, Finding
from regional.models import Base, _enum
from regional.review.core import Decision, ExclusionReason
from regional.routing.core import AgencyKind, Rule
from regional.routing.places import Level

TS = sa.DateTime(timezone=True)


class JudgementStatus(StrEnum):
    """Where one judgement stands."""

    FINAL = "final"  # took effect at once
    PROPOSED = "proposed"  # waits for a supervisor's second review
    APPROVED = "approved"  # a supervisor approved it: it took effect
    REFUSED = "refused"  # a supervisor refused it: the lead went back to the queue
    SUPERSEDED = "superseded"  # a later judgement replaced it (override, or need_info judged again)


class LeadEventKind(StrEnum):
    """Entries of a lead's history."""

    DETECTED = "detected"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    JUDGED = "judged"
    PROPOSED = "proposed"
    APPROVED = "approved"
    REFUSED = "refused"
    OVERRIDDEN = "overridden"
    ROUTED = "routed"
    REROUTED = "rerouted"
    NOTICE_WITHDRAWN = "notice_withdrawn"  # a confirmation was overridden: its notice withdrawn
    CASE_OPENED = "case_opened"
    CASE_STEP = "case_step"
    NOTE = "note"


class Judgement(Base):
    """One decision on a lead (the infringement-determination database, 侵权判定信息数据库)."""

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), index=True)
    decision: Mapped[Decision] = mapped_column(_enum(Decision, "decision"))
    reason_code: Mapped[ExclusionReason | None] = mapped_column(_enum(ExclusionReason, "exclusion_reason"))
    reason_text: Mapped[str | None] = mapped_column(sa.String(1000))
    officer: Mapped[str] = mapped_column(sa.String(100), index=True)
    at: Mapped[dt.datetime] = mapped_column(TS, index=True)
    status: Mapped[JudgementStatus] = mapped_column(_enum(JudgementStatus, "judgement_status"))
    rule: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # the second-review rule that held it
    reviewer: Mapped[str | None] = mapped_column(sa.String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    review_note: Mapped[str | None] = mapped_column(sa.String(1000))
    score: Mapped[float]  # the lead's score and model when judged (training rows stay reproducible)
    model_version: Mapped[str] = mapped_column(sa.String(64))
    record_uuid: Mapped[str | None] = mapped_column(sa.String(36))  # the review outcome sent to national


class LeadEvent(Base):
    """A lead's history: who did what, when."""

    __tablename__ = "lead_events"
    __table_args__ = (sa.Index("ix_lead_events_lead", "lead_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"))
    at: Mapped[dt.datetime] = mapped_column(TS)
    actor: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[LeadEventKind] = mapped_column(_enum(LeadEventKind, "lead_event_kind"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class LeadTally(Base):
    """Lead counts per (state, type, source), as deltas written by database triggers on `leads`.

    Triggers only ever insert here (no row is updated in place, so concurrent writers never
    wait on each other); the worker folds the deltas into one row per key now and then. The
    review queue's total is the sum over the keys its filters select.
    """

    __tablename__ = "lead_tallies"
    __table_args__ = (sa.Index("ix_lead_tallies_key", "state", "type", "source", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(32))
    type: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[str] = mapped_column(sa.String(32))
    n: Mapped[int] = mapped_column(sa.BigInteger)


class LeadSearch(Base):
    """Search terms of a lead (title, seller, listing id), pre-split into words and CJK bigrams."""

    __tablename__ = "lead_search"

    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True)
    terms: Mapped[str] = mapped_column(sa.Text)


# ---------------------------------------------------------------- routing


class AgencyRow(Base):
    """A receiving body: enforcement (知识产权执法 / 市场监管), rights-assistance or protection centre."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[AgencyKind] = mapped_column(_enum(AgencyKind, "agency_kind"))
    level: Mapped[Level] = mapped_column(_enum(Level, "agency_level"))
    division: Mapped[str] = mapped_column(sa.String(6), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    contact: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    origin: Mapped[str] = mapped_column(sa.String(16), default="manual")  # manual | import | generated
    updated_at: Mapped[dt.datetime] = mapped_column(TS)
    updated_by: Mapped[str] = mapped_column(sa.String(100))


class AgencyMember(Base):
    """A user of this node who works for a receiving body (and so sees its notices)."""

    __tablename__ = "agency_members"
    __table_args__ = (sa.UniqueConstraint("agency_id", "username", name="uq_agency_members"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    username: Mapped[str] = mapped_column(sa.String(100), index=True)


class RouteRow(Base):
    """Where a lead was pushed, by which rule (or by whom, with which reason)."""

    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    rule: Mapped[Rule] = mapped_column(_enum(Rule, "route_rule"))
    explanation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str | None] = mapped_column(sa.String(1000))  # a re-route's reason
    actor: Mapped[str] = mapped_column(sa.String(100))
    at: Mapped[dt.datetime] = mapped_column(TS)
    active: Mapped[bool] = mapped_column(default=True)


class NoticeRow(Base):
    """A pushed lead, on screen and as a document, for the users of the receiving body."""

    __tablename__ = "notices"
    __table_args__ = (sa.Index("ix_notices_agency", "agency_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)  # 移送函编号
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), index=True)
    route_id: Mapped[int] = mapped_column(sa.ForeignKey("routes.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(TS)  # re-routed elsewhere
    read_at: Mapped[dt.datetime | None] = mapped_column(TS)
    read_by: Mapped[str | None] = mapped_column(sa.String(100))


class NotificationRow(Base):
    """A notification record for a rights holder (权利人) about a lead on its right."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), index=True)
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(300))  # the right's owner as registered
    kind: Mapped[str] = mapped_column(sa.String(32))  # lead_confirmed | detection_result
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    read_at: Mapped[dt.datetime | None] = mapped_column(TS)


# ---------------------------------------------------------------- regional cases


class CaseRecord(Base):
    """A case this region opened on confirmed leads (立案 → 调查 → 处理 → 结案)."""

    __tablename__ = "regional_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)  # 案号
    title: Mapped[str] = mapped_column(sa.String(300))
    state: Mapped[CaseState] = mapped_column(_enum(CaseState, "case_state"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    opened_by: Mapped[str] = mapped_column(sa.String(100))
    officer: Mapped[str] = mapped_column(sa.String(100), index=True)  # the officer in charge (承办人)
    opened_at: Mapped[dt.datetime] = mapped_column(TS)
    step_entered_at: Mapped[dt.datetime] = mapped_column(TS)
    deadline: Mapped[dt.datetime | None] = mapped_column(TS, index=True)
    finding: Mapped[Finding | None] = mapped_column(_enum(Finding, "case_finding"))
    result: Mapped[CaseResult | None] = mapped_column(_enum(CaseResult, "case_result"))
    closing_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    closed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    closed_by: Mapped[str | None] = mapped_column(sa.String(100))


class CaseLead(Base):
    """A confirmed lead handled in a case (a lead belongs to at most one case)."""

    __tablename__ = "case_leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("regional_cases.id"), index=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), unique=True)


class CaseStep(Base):
    """One step of a case, with the time it spent in the step before."""

    __tablename__ = "case_steps"
    __table_args__ = (sa.Index("ix_case_steps_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("regional_cases.id"))
    from_state: Mapped[CaseState | None] = mapped_column(_enum(CaseState, "case_state"))
    to_state: Mapped[CaseState] = mapped_column(_enum(CaseState, "case_state"))
    at: Mapped[dt.datetime] = mapped_column(TS)
    actor: Mapped[str] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    seconds_in_step: Mapped[float | None]  # time spent in `from_state`
    overdue: Mapped[bool] = mapped_column(default=False)  # the step before ran past its limit


class CrossCaseStep(Base):
    """A step this region reported on a cross-region case, and what the national node made of it."""

    __tablename__ = "cross_case_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_uuid: Mapped[str] = mapped_column(sa.String(36), index=True)
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    step: Mapped[CaseState | None] = mapped_column(_enum(CaseState, "case_state"))  # None: a note
    feedback: Mapped[str] = mapped_column(sa.String(16))
    finding: Mapped[Finding | None] = mapped_column(_enum(Finding, "case_finding"))
    result: Mapped[CaseResult | None] = mapped_column(_enum(CaseResult, "case_result"))
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    officer: Mapped[str] = mapped_column(sa.String(100))
    at: Mapped[dt.datetime] = mapped_column(TS)


# ---------------------------------------------------------------- intake


class ComplaintRow(Base):
    """A public complaint or tip (投诉举报), with its tracking number."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str] = mapped_column(sa.String(32), unique=True)
    listing_id: Mapped[str] = mapped_column(sa.ForeignKey("listings.id"))
    what: Mapped[str] = mapped_column(sa.String(1000))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    place: Mapped[str | None] = mapped_column(sa.String(300))
    who: Mapped[str | None] = mapped_column(sa.String(300))
    contact_name: Mapped[str | None] = mapped_column(sa.String(100))
    contact: Mapped[str | None] = mapped_column(sa.String(200))
    right_hint: Mapped[str | None] = mapped_column(sa.String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(TS)
    client: Mapped[str] = mapped_column(sa.String(64))  # a keyed hash of the sender's address
    screened_at: Mapped[dt.datetime | None] = mapped_column(TS)
    leads: Mapped[int] = mapped_column(default=0)


class IntakeHit(Base):
    """Recent submissions per client and window, for the public forms' rate limit."""

    __tablename__ = "intake_hits"

    client: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    window: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)  # unix time // window length
    n: Mapped[int] = mapped_column(default=0)


class RequestStatus(StrEnum):
    """Where a rights holder's detection request stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DetectionRequest(Base):
    """A rights holder's detection request (权利人申请检测): a launch over every listing for named rights."""

    __tablename__ = "detection_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    requester: Mapped[str] = mapped_column(sa.String(100), index=True)
    holder: Mapped[str] = mapped_column(sa.String(300))  # the owner name the rights are registered to
    rights: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "request_status"), index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    leads: Mapped[int] = mapped_column(default=0)
    lead_uuids: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    started_at: Mapped[dt.datetime | None] = mapped_column(TS)
    finished_at: Mapped[dt.datetime | None] = mapped_column(TS)


class RightsHolder(Base):
    """An account of a rights holder: the owner name its rights are registered under."""

    __tablename__ = "rights_holders"

    username: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    owner: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    created_by: Mapped[str] = mapped_column(sa.String(100))


# ---------------------------------------------------------------- models trained on judgements


class ModelStatus(StrEnum):
    """Where a trained model version stands."""

    ACTIVE = "active"  # scores new listings
    CANDIDATE = "candidate"  # trained, not promoted (did worse than the active one)
    RETIRED = "retired"  # was active before


class ModelVersionRow(Base):
    """A detection model version trained on this node's judgements (every version is kept)."""

    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(32), index=True)
    version: Mapped[str] = mapped_column(sa.String(64), unique=True)
    artifact: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[ModelStatus] = mapped_column(_enum(ModelStatus, "model_status"))
    trained_at: Mapped[dt.datetime] = mapped_column(TS)
    trained_by: Mapped[str] = mapped_column(sa.String(100))
    based_on: Mapped[str | None] = mapped_column(sa.String(64))  # the version active when it was trained
    promoted_at: Mapped[dt.datetime | None] = mapped_column(TS)
    # why it was (not) promoted: a code of regional/review/promotion.Code and its numbers (held-out counts, the two
    # figures compared), said in the reader's language by the models page; null for versions trained before it
    outcome_code: Mapped[str | None] = mapped_column(sa.String(32))
    outcome_params: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
