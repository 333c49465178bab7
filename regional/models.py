"""The regional node's tables (SQLAlchemy 2.x typed models).

The schema is owned by the Alembic tree in regional/migrations; a test checks that the
migrations produce exactly these tables.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from regional.accounts.columns import LoginAttemptColumns, TokenColumns, UserColumns
from regional.domain import LeadOrigin, LeadState, LeadType, ListingSource, RightKind


class Base(DeclarativeBase):
    """Declarative base of the regional schema."""

    type_annotation_map = {dict[str, Any]: sa.JSON, list[Any]: sa.JSON}


def _enum(enum_cls: type, name: str) -> sa.Enum:
    return sa.Enum(enum_cls, native_enum=False, length=32, name=name, values_callable=lambda e: [m.value for m in e])


class RegistryRight(Base):
    """A right from the IP summary database (trademark, patent, design)."""

    __tablename__ = "registry_rights"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[RightKind] = mapped_column(_enum(RightKind, "right_kind"))
    title: Mapped[str] = mapped_column(sa.String(500))
    owner: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(32))
    nice_classes: Mapped[list[Any]] = mapped_column(default=list)
    ipc: Mapped[list[Any]] = mapped_column(default=list)
    locarno: Mapped[str | None] = mapped_column(sa.String(16))
    claims: Mapped[str | None] = mapped_column(sa.Text)
    images: Mapped[list[Any]] = mapped_column(default=list)
    valid_until: Mapped[dt.date | None]
    well_known: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # 驰名商标
    # the mark's registered forms in other scripts (华为 ↔ HUAWEI): screened as the same right (issue 14)
    counterparts: Mapped[list[Any]] = mapped_column(default=list)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))


class LicenceRow(Base):
    """A licence or transfer: who may lawfully use a right."""

    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    licensee: Mapped[str] = mapped_column(sa.String(300))
    licensee_uscc: Mapped[str | None] = mapped_column(sa.String(18))
    valid_from: Mapped[dt.date | None]
    valid_until: Mapped[dt.date | None]
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))


class SellerRow(Base):
    """A market entity seen behind listings."""

    __tablename__ = "sellers"
    __table_args__ = (sa.UniqueConstraint("fingerprint", name="uq_sellers_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str | None] = mapped_column(sa.String(300))
    uscc: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(500))
    shop_url: Mapped[str | None] = mapped_column(sa.String(1000))


class ListingRow(Base):
    """A screened record: listing, exhibit, customs declaration or complaint."""

    __tablename__ = "listings"

    id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    source: Mapped[ListingSource] = mapped_column(_enum(ListingSource, "listing_source"))
    platform: Mapped[str | None] = mapped_column(sa.String(100))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    title: Mapped[str] = mapped_column(sa.String(1000))
    description: Mapped[str | None] = mapped_column(sa.Text)
    price: Mapped[float | None]
    currency: Mapped[str | None] = mapped_column(sa.String(8))
    nice_classes: Mapped[list[Any]] = mapped_column(default=list)
    category: Mapped[str | None] = mapped_column(sa.String(200))
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    images: Mapped[list[Any]] = mapped_column(default=list)
    # each photo's dHash + pHash (32 hex digits, null if unreadable), made at import; null before r_image_hashes
    image_hashes: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    observed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    emark: Mapped[str | None] = mapped_column(sa.String(2048))  # the e-mark payload the listing shows (issue 14)
    # the listing's language (zh, en, es, ru, ja, ko, other), found at import (issue 14, foreign-language listings)
    language: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    imported_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    screened_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))


class LeadRow(Base):
    """A suspected infringement awaiting an officer's judgement."""

    __tablename__ = "leads"
    __table_args__ = (
        sa.UniqueConstraint("listing_id", "right_number", "type", name="uq_leads_listing_right_type"),
        # the review queue: every filter leads an index whose tail is the sort key, so a page is an
        # index walk of `limit` rows (keyset pagination), never a sort of every match
        sa.Index("ix_leads_q_state_score", "state", "score", "id"),
        sa.Index("ix_leads_q_state_created", "state", "created_at", "id"),
        sa.Index("ix_leads_q_state_type", "state", "type", "score", "id"),
        sa.Index("ix_leads_q_state_source", "state", "source", "score", "id"),
        sa.Index("ix_leads_q_right", "right_number", "state", "score", "id"),
        sa.Index("ix_leads_q_seller", "seller_id", "state", "score", "id"),
        sa.Index("ix_leads_q_assigned", "assigned_to", "state", "score", "id"),
        sa.Index("ix_leads_q_score", "score", "id"),
        # totals of type x source x score filters, counted from the index alone (type first, so that the
        # planner keeps the (state, …) indexes for the pages; an index led by state slowed other queries)
        sa.Index("ix_leads_q_counts", "type", "source", "state", "score"),
        # reports: leads judged in a month; the dashboard: judged per officer in a period, from the index alone
        sa.Index("ix_leads_judged", "judged_at", "state", "judged_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    listing_id: Mapped[str] = mapped_column(sa.ForeignKey("listings.id"), index=True)
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    type: Mapped[LeadType] = mapped_column(_enum(LeadType, "lead_type"))
    score: Mapped[float]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    model_version: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[LeadState] = mapped_column(_enum(LeadState, "lead_state"), default=LeadState.NEW)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    # copied from the listing when the lead is made, so the review queue filters without a join
    source: Mapped[ListingSource] = mapped_column(_enum(ListingSource, "listing_source"),
                                                  default=ListingSource.ECOMMERCE, server_default="ecommerce")
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id", name="fk_leads_seller_id"))
    assigned_to: Mapped[str | None] = mapped_column(sa.String(100))
    assigned_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    judged_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    judged_by: Mapped[str | None] = mapped_column(sa.String(100))
    # the reasons as codes with parameters, aligned with `reasons` (regional/reasons.py); None before codes
    reason_codes: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    # what reports and dashboards count it under (regional/reports): set when the lead is made
    origin: Mapped[LeadOrigin | None] = mapped_column(_enum(LeadOrigin, "lead_origin"))
    city: Mapped[str | None] = mapped_column(sa.String(6))  # the seller's city (division code), if known
    industry: Mapped[int | None] = mapped_column(sa.SmallInteger)  # the goods' Nice class, if known


class OutboxRow(Base):
    """A change the national node must hear of, numbered gap-free per epoch."""

    __tablename__ = "outbox"
    __table_args__ = (sa.UniqueConstraint("epoch", "sequence", name="uq_outbox_epoch_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[int]
    sequence: Mapped[int] = mapped_column(sa.BigInteger)
    uuid: Mapped[str] = mapped_column(sa.String(36), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    revision: Mapped[int] = mapped_column(default=1)
    record: Mapped[bytes] = mapped_column(sa.LargeBinary)  # serialized sync.v1.Record
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class OutboxWithheld(Base):
    """A record that could never be sent (it breaks a field limit), kept whole for an officer.

    Its outbox row now holds a signed tombstone under the same sequence and uuid, so the
    records after it are delivered (docs/sync-protocol.md, "Poison records").
    """

    __tablename__ = "outbox_withheld"
    __table_args__ = (sa.UniqueConstraint("epoch", "sequence", name="uq_outbox_withheld_epoch_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[int]
    sequence: Mapped[int] = mapped_column(sa.BigInteger)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    kind: Mapped[str] = mapped_column(sa.String(32))
    record: Mapped[bytes] = mapped_column(sa.LargeBinary)
    reason: Mapped[str] = mapped_column(sa.String(1000))
    withheld_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class InboxItem(Base):
    """Every downlink item received, kept whole: the kinds later issues act on wait here."""

    __tablename__ = "inbox"
    __table_args__ = (sa.UniqueConstraint("uuid", "revision", name="uq_inbox_uuid_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cursor: Mapped[int] = mapped_column(sa.BigInteger)
    uuid: Mapped[str] = mapped_column(sa.String(64))
    revision: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(32))
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    snapshot: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class SyncState(Base):
    """Small named values of the sync agent: epoch, next sequence, acked high-water, downlink cursor."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class NationalOnlyLead(Base):
    """A lead this region filed that the national node holds and this database does not (found by a check after
    `hufu regional restore`: the backup predates it). Replaced wholesale at each check; the /sync page lists the
    ones still missing here so officers can import their listings again (newcomer16 N10)."""

    __tablename__ = "national_only_leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    listing_id: Mapped[str] = mapped_column(sa.String(200), index=True)
    right_number: Mapped[str] = mapped_column(sa.String(64))
    type: Mapped[str] = mapped_column(sa.String(32))
    listing_title: Mapped[str | None] = mapped_column(sa.String(1000))
    detected_at: Mapped[str | None] = mapped_column(sa.String(40))
    found_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class ReceivedCase(Base):
    """A cross-region case delivered by the national node over the downlink."""

    __tablename__ = "received_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    feed_cursor: Mapped[int]
    right_number: Mapped[str] = mapped_column(sa.String(64))
    right_title: Mapped[str | None] = mapped_column(sa.String(500))
    lead_region: Mapped[str] = mapped_column(sa.String(6))
    regions: Mapped[list[Any]] = mapped_column(default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default="formed")
    events: Mapped[list[Any]] = mapped_column(default=list)
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class BlacklistedEntity(Base):
    """A repeat infringer on the national blacklist, as delivered to this region."""

    __tablename__ = "blacklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(300))
    uscc: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    active: Mapped[bool] = mapped_column(default=True)
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class ImportRun(Base):
    """One import of an interchange file: who, what, how many, and the outcome."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    file_name: Mapped[str] = mapped_column(sa.String(500))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    records: Mapped[int]
    actor: Mapped[str] = mapped_column(sa.String(100))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class AuditEntry(Base):
    """Append-only audit trail of what people and jobs did: who, when, what, before and after, from where.

    Append-only: database triggers refuse UPDATE and DELETE (see the accounts migration).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(sa.String(100), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[str | None] = mapped_column(sa.String(64))
    before: Mapped[Any | None] = mapped_column(sa.JSON)
    after: Mapped[Any | None] = mapped_column(sa.JSON)


class User(UserColumns, Base):
    """A person who signs in to this node."""

    __tablename__ = "users"


class ApiToken(TokenColumns, Base):
    """An API token acting as a user (stored as its SHA-256 only)."""

    __tablename__ = "api_tokens"


class LoginAttempt(LoginAttemptColumns, Base):
    """A sign-in attempt (throttling)."""

    __tablename__ = "login_attempts"


class RiskEntry(Base):
    """One line of a monitoring list (high-risk sellers, price anomalies, rights most exposed)."""

    __tablename__ = "risk_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    rank: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(300))
    label: Mapped[str] = mapped_column(sa.String(1000))
    score: Mapped[float]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    computed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


# ---------------------------------------------------------------- evidence (issue 10; regional/evidence/)


class ProofStatus(StrEnum):
    """Where a capture stands in the national log."""

    PENDING = "pending"  # not yet logged nationally (or not yet proved under a witnessed checkpoint)
    LOGGED = "logged"  # an inclusion proof under a checkpoint this region co-signed is held
    REFUSED = "refused"  # the national node refused the manifest (the reason says why)


class ReceivedListingRecord(Base):
    """A listing record exactly as an import delivered it (canonical JSON in the evidence store), with its files."""

    __tablename__ = "listing_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[str] = mapped_column(sa.String(200), index=True)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))
    record_sha256: Mapped[str] = mapped_column(sa.String(64))
    attachments: Mapped[list[Any]] = mapped_column(default=list)  # [{role, name, sha256, size, media_type}]
    references: Mapped[list[Any]] = mapped_column(default=list)  # [{role, url}] named but not carried
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class EvidenceCheckpoint(Base):
    """A national checkpoint this region received (and, once checked, co-signed as a witness)."""

    __tablename__ = "evidence_checkpoints"
    __table_args__ = (sa.UniqueConstraint("size", "root", name="uq_evidence_checkpoints_size_root"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    root: Mapped[bytes] = mapped_column(sa.LargeBinary)
    note: Mapped[str] = mapped_column(sa.Text)  # the signed note, with the co-signatures known when last fetched
    trust: Mapped[str | None] = mapped_column(sa.Text)  # the region key list the national node signed with it
    issued_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    cosigned_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)


class EvidenceCapture(Base):
    """One capture (取证) of a lead's evidence: its signed manifest, its place in the logs, its proof."""

    __tablename__ = "evidence_captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    lead_uuid: Mapped[str] = mapped_column(sa.String(36), index=True)
    log_index: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    manifest_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    manifest: Mapped[bytes] = mapped_column(sa.LargeBinary)
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    region_head: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.String(32))
    actor: Mapped[str] = mapped_column(sa.String(100))
    captured_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[ProofStatus] = mapped_column(_enum(ProofStatus, "proof_status"), default=ProofStatus.PENDING,
                                                index=True)
    status_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    national_index: Mapped[int | None] = mapped_column(sa.BigInteger)
    proof: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # inclusion proof hashes, concatenated
    checkpoint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence_checkpoints.id"))
    proved_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    uploaded_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)


class EvidenceLogNode(Base):
    """A perfect subtree of this region's evidence log (RFC 6962): leaf hashes at level 0."""

    __tablename__ = "evidence_log_nodes"

    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(sa.LargeBinary)


class EvidenceAlarm(Base):
    """A broken promise caught by this region: a split view, a rewritten national log, a refused manifest."""

    __tablename__ = "evidence_alarms"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    detail: Mapped[str] = mapped_column(sa.Text)
    reported_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


# The officers' workflow keeps its tables beside its rules; importing them here puts them on Base.
from regional import workflow_models as _workflow_models  # noqa: E402,F401
from regional.customs import models as _customs_models  # noqa: E402,F401
from regional.emark import models as _emark_models  # noqa: E402,F401
from regional.exhibitions import models as _exhibition_models  # noqa: E402,F401
from regional.reports import models as _report_models  # noqa: E402,F401
