"""The national node's tables (SQLAlchemy 2.x typed models), owned by national/migrations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from national.lifecycle import NOT_COUNTED, CaseStatus
from regional.accounts.columns import LoginAttemptColumns, TokenColumns, UserColumns


class RecordStatus(StrEnum):
    """What applying an uplink record did."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"


class MergeStatus(StrEnum):
    """An officer's decision on a low-confidence seller match."""

    PENDING = "pending"
    MERGED = "merged"
    REJECTED = "rejected"


class Base(DeclarativeBase):
    """Declarative base of the national schema."""

    type_annotation_map = {dict[str, Any]: sa.JSON, list[Any]: sa.JSON}


class RegionRow(Base):
    """A regional node as the national node sees it: its sync state."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(sa.String(6), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    epoch: Mapped[int] = mapped_column(default=1)
    high_water: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    records: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    last_contact: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    reported_head: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # the region's outbox head at last hello
    oldest_unsent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    conflicts: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    feed_floor: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # feed items at or below were purged
    last_reconcile: Mapped[str | None] = mapped_column(sa.String(1000))
    first_contact: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_batch_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))  # last acknowledged
    last_error_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    software: Mapped[str | None] = mapped_column(sa.String(100))
    copies_detected_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))  # split brain
    copies_detail: Mapped[str | None] = mapped_column(sa.String(1000))
    restored_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))  # last operator restore
    # how many leads the region's database held at its last hello (None: a region that does not say): fewer than
    # it filed here means leads it no longer has (a database restored from an older backup)
    reported_leads: Mapped[int | None] = mapped_column(sa.BigInteger)


class UplinkBatch(Base):
    """A signed batch as received: its Merkle leaves, root and the region's signature over the root."""

    __tablename__ = "uplink_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(sa.String(6), index=True)
    epoch: Mapped[int]
    first_sequence: Mapped[int] = mapped_column(sa.BigInteger)
    count: Mapped[int]
    root: Mapped[bytes] = mapped_column(sa.LargeBinary)
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    leaves: Mapped[bytes] = mapped_column(sa.LargeBinary)  # count x 32-byte leaf hashes, in order
    cert_serial: Mapped[str] = mapped_column(sa.String(64))
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class NodeState(Base):
    """Small named values of the national node's jobs (e.g. the lead projection cursor)."""

    __tablename__ = "node_state"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(500))


class UplinkRecord(Base):
    """Every record a region sent, exactly as signed (the filing), one row per (region, epoch, sequence).

    `status` says what applying it did: `applied`, `duplicate` (the same uuid and revision with the
    same payload arrived before under another sequence) or `conflict` (same uuid and revision,
    different payload: kept, never applied over the first).
    """

    __tablename__ = "uplink_records"
    __table_args__ = (
        sa.UniqueConstraint("region", "epoch", "sequence", name="uq_uplink_region_epoch_sequence"),
        sa.Index("ix_uplink_uuid_revision", "uuid", "revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    epoch: Mapped[int]
    sequence: Mapped[int] = mapped_column(sa.BigInteger)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    revision: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[RecordStatus] = mapped_column(
        sa.Enum(RecordStatus, native_enum=False, length=16, name="record_status",
                values_callable=lambda e: [m.value for m in e]))
    record: Mapped[bytes] = mapped_column(sa.LargeBinary)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("uplink_batches.id"))
    leaf_index: Mapped[int]
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    # sync.limits.LIMITS_FINGERPRINT of the limits national ingest checked the record against; None: stored
    # without that check (before it existed): the lead projection checks such records itself
    limits_checked: Mapped[int | None]


class NationalLead(Base):
    """A lead filed by a region, unpacked for aggregation; one per (region, listing, right, type)."""

    __tablename__ = "leads"
    __table_args__ = (sa.UniqueConstraint("region", "listing_id", "right_number", "type",
                                          name="uq_leads_natural_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    region: Mapped[str] = mapped_column(sa.String(6), index=True)
    listing_id: Mapped[str] = mapped_column(sa.String(200))
    listing_title: Mapped[str | None] = mapped_column(sa.String(1000))
    listing_url: Mapped[str | None] = mapped_column(sa.String(2000))
    platform: Mapped[str | None] = mapped_column(sa.String(100))
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    right_title: Mapped[str | None] = mapped_column(sa.String(500))
    type: Mapped[str] = mapped_column(sa.String(32))
    score: Mapped[float]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    # the reasons as codes with parameters, aligned with `reasons` (regional/reasons.py); None before codes
    reason_codes: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    model_version: Mapped[str] = mapped_column(sa.String(64))
    seller_name: Mapped[str | None] = mapped_column(sa.String(300))
    seller_uscc: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    seller_phone: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    seller_address: Mapped[str | None] = mapped_column(sa.String(500))
    seller_shop_url: Mapped[str | None] = mapped_column(sa.String(1000))
    detected_at: Mapped[str | None] = mapped_column(sa.String(40))
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    # what reports and dashboards count it under (national/reports): set by the projection
    detected: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)  # parsed
    source: Mapped[str | None] = mapped_column(sa.String(16))
    origin: Mapped[str | None] = mapped_column(sa.String(16))
    industry: Mapped[int | None] = mapped_column(sa.SmallInteger)
    city: Mapped[str | None] = mapped_column(sa.String(6))


class LeadAlias(Base):
    """A lead filed again under a new uuid (redone work after a restore): the national lead it is."""

    __tablename__ = "lead_aliases"

    uuid: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"), index=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class QuarantinedRecord(Base):
    """A stored uplink record the projection could not apply: kept aside with the reason, never retried blindly."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    uplink_id: Mapped[int] = mapped_column(sa.ForeignKey("uplink_records.id"), unique=True)
    region: Mapped[str] = mapped_column(sa.String(6), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    uuid: Mapped[str] = mapped_column(sa.String(36))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class CaseRow(Base):
    """A group of leads about one right and one seller; cross-region when 2+ regions report it."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    # what the case is about (right | seller identifier), for people; NOT an identity: two sellers may share a
    # phone number, so several cases can carry one key. A case is identified by its uuid.
    key: Mapped[str] = mapped_column(sa.String(200), index=True)
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    right_title: Mapped[str | None] = mapped_column(sa.String(500))
    type: Mapped[str] = mapped_column(sa.String(32))
    lead_region: Mapped[str] = mapped_column(sa.String(6))
    regions: Mapped[list[Any]] = mapped_column(default=list)
    cross_region: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CaseStatus] = mapped_column(
        sa.Enum(CaseStatus, native_enum=False, length=16, name="case_status",
                values_callable=lambda e: [m.value for m in e]), default=CaseStatus.FORMED)
    entity_id: Mapped[int | None] = mapped_column(index=True)  # the seller entity (seller_entities.id) when formed
    # the closed case of the same seller and right this one follows (前案): new leads never join a closed case
    prior_case_id: Mapped[int | None] = mapped_column(index=True)  # cases.id
    supervised: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    formed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


def counted_cases() -> sa.ColumnElement[bool]:
    """The cross-region cases that count as cases — every count of cases (pages, dashboard, monthly report) filters
    by this; a withdrawn case is listed apart (national.lifecycle.NOT_COUNTED, newcomer16 N4)."""
    return sa.and_(CaseRow.cross_region, CaseRow.status.not_in(sorted(NOT_COUNTED)))


def supervised_cases() -> sa.ColumnElement[bool]:
    """The cases under national supervision (督办): cross-province and still standing (a withdrawn case is not)."""
    return sa.and_(CaseRow.supervised, CaseRow.status.not_in(sorted(NOT_COUNTED)))


def withdrawn_cases() -> sa.ColumnElement[bool]:
    """The cross-region cases withdrawn (listed apart from the counted ones: 已撤回 N)."""
    return sa.and_(CaseRow.cross_region, CaseRow.status.in_(sorted(NOT_COUNTED)))


class CaseEvent(Base):
    """What a region reported about a case, and what it did (results are recognised by every region)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    feedback: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    officer: Mapped[str | None] = mapped_column(sa.String(100))  # who reported it in the region
    accepted: Mapped[bool]
    outcome: Mapped[str] = mapped_column(sa.String(300))
    step: Mapped[str | None] = mapped_column(sa.String(16))  # the region's step: filed | investigating | handling | closed
    result: Mapped[str | None] = mapped_column(sa.String(32))  # on closing: penalised, ordered_to_stop, mediated…
    status_after: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class BlacklistRow(Base):
    """A repeat infringer on the national blacklist (失信名单), shared with every region."""

    __tablename__ = "blacklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(300))
    uscc: Mapped[str | None] = mapped_column(sa.String(32))
    phone: Mapped[str | None] = mapped_column(sa.String(64))
    confirmed_cases: Mapped[int]
    listed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    removed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class DownlinkRow(Base):
    """One item of a region's downlink feed; the row id is the region's cursor."""

    __tablename__ = "downlink"
    __table_args__ = (sa.UniqueConstraint("region", "uuid", "revision", name="uq_downlink_region_uuid_revision"),
                      sa.Index("ix_downlink_uuid", "uuid"))  # the next revision of a case is looked up by uuid

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(sa.String(6), index=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    revision: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(sa.String(32))
    # the item's message; empty when `body_shared`: then it is the row of `downlink_bodies` of (uuid, revision),
    # stored once for every region the revision goes to (a case revision is the same message for each region)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    body_shared: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class DownlinkBody(Base):
    """The message of one revision of a downlink item sent to several regions, stored once (see DownlinkRow.body);
    purged with the last downlink row that names it."""

    __tablename__ = "downlink_bodies"

    uuid: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)


class AuditEntry(Base):
    """Append-only audit trail of the national node: who, when, what, before and after, from where.

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


class SweepRow(Base):
    """A nationwide sweep (全国专项检测) the national office launched over pooled listings."""

    __tablename__ = "sweeps"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    actor: Mapped[str] = mapped_column(sa.String(100))
    rights: Mapped[list[Any]] = mapped_column(default=list)  # right numbers named, empty = all
    nice_classes: Mapped[list[Any]] = mapped_column(default=list)  # fields named, empty = all
    listings: Mapped[int]
    leads: Mapped[int]
    started_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class SweepLead(Base):
    """A lead a nationwide sweep found, with the province its seller is in."""

    __tablename__ = "sweep_leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    sweep_id: Mapped[int] = mapped_column(sa.ForeignKey("sweeps.id"), index=True)
    listing_id: Mapped[str] = mapped_column(sa.String(200))
    listing_title: Mapped[str] = mapped_column(sa.String(1000))
    right_number: Mapped[str] = mapped_column(sa.String(64))
    type: Mapped[str] = mapped_column(sa.String(32))
    score: Mapped[float]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    model_version: Mapped[str] = mapped_column(sa.String(64))
    seller_name: Mapped[str | None] = mapped_column(sa.String(300))
    seller_uscc: Mapped[str | None] = mapped_column(sa.String(32))
    seller_region: Mapped[str | None] = mapped_column(sa.String(6))


class MergeReview(Base):
    """A low-confidence match between two leads' sellers, waiting for (or decided by) a national officer."""

    __tablename__ = "merge_reviews"
    __table_args__ = (sa.UniqueConstraint("lead_a", "lead_b", name="uq_merge_reviews_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_a: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"))
    lead_b: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"))
    probability: Mapped[float]
    status: Mapped[MergeStatus] = mapped_column(
        sa.Enum(MergeStatus, native_enum=False, length=16, name="merge_status",
                values_callable=lambda e: [m.value for m in e]))
    decided_by: Mapped[str | None] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # the decision the seller resolver last applied (None: none yet); differs from `status` until applied
    applied: Mapped[str | None] = mapped_column(sa.String(16))


class CaseFailure(Base):
    """A group of leads whose case could not be formed or updated: skipped, kept here, retried with backoff.

    `subject` names the group (right | first lead id); one row per subject, updated on each failed attempt
    and marked resolved once the case forms. Shown on the national overview and in /metrics.
    """

    __tablename__ = "case_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(200), unique=True)
    right_number: Mapped[str] = mapped_column(sa.String(64))
    lead_ids: Mapped[list[Any]] = mapped_column(default=list)  # the first 50
    leads: Mapped[int] = mapped_column(default=0)
    regions: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(sa.String(1000))
    attempts: Mapped[int] = mapped_column(default=1)
    first_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    last_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)


class SellerRecord(Base):
    """A lead's seller as the incremental resolver stores it: normalized parts and the entity it belongs to."""

    __tablename__ = "seller_records"

    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    entity_id: Mapped[int] = mapped_column(index=True)
    parts: Mapped[str] = mapped_column(sa.Text)  # national.dedup.incremental.encode()
    uscc: Mapped[str | None] = mapped_column(sa.String(18))  # its credit code when valid (a linking constraint)


class SellerEntity(Base):
    """One seller behind many leads (an entity-resolution cluster), updated in place."""

    __tablename__ = "seller_entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int]
    uscc: Mapped[str | None] = mapped_column(sa.String(18))  # its valid credit code, if any record has one
    facts: Mapped[str | None] = mapped_column(sa.Text)  # JSON: registration place, legal form, trade, strong
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class SellerKey(Base):
    """A blocking key of a seller record (64-bit hash of rule and value): records sharing one are compared."""

    __tablename__ = "seller_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    key: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    lead_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class SellerKeyRecent(Base):
    """A blocking key of a recently resolved seller record: appended by the cycle to this small table and moved into
    `seller_keys` in one sorted bulk insert now and then (national.entities.RECENT_KEYS_MERGE rows, ~14 cycles of
    10k leads), so a cycle's keys are not inserted one by one at random places of a tree that grows with the table.
    A key's rows are those of both tables."""

    __tablename__ = "seller_keys_recent"
    __table_args__ = {"sqlite_with_rowid": False}

    key: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    lead_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class SellerLink(Base):
    """A link between two seller records above the link threshold (or an officer's merge): splits re-use them."""

    __tablename__ = "seller_links"
    __table_args__ = (sa.Index("ix_seller_links_lead_b", "lead_b"),)

    lead_a: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    lead_b: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    weight: Mapped[float]
    officer: Mapped[bool] = mapped_column(default=False)


# ---------------------------------------------------------------- evidence (issue 10; national/evidence.py)


class ManifestStatus(StrEnum):
    """What the national node did with a region's evidence manifest."""

    LOGGED = "logged"  # appended to the national log
    REFUSED = "refused"  # not logged: its signature, its region log head or its place in the region log was wrong


class EvidenceManifest(Base):
    """A region's capture manifest as filed, checked against the region's log, and its place in the national log."""

    __tablename__ = "evidence_manifests"
    __table_args__ = (sa.Index("ix_evidence_manifests_region_index", "region", "region_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    region_index: Mapped[int] = mapped_column(sa.BigInteger)
    lead_uuid: Mapped[str] = mapped_column(sa.String(36), index=True)
    manifest_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    manifest: Mapped[bytes] = mapped_column(sa.LargeBinary)
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    region_head: Mapped[str] = mapped_column(sa.Text)
    captured_at: Mapped[str] = mapped_column(sa.String(40))
    uplink_record_id: Mapped[int] = mapped_column(sa.ForeignKey("uplink_records.id"), unique=True)
    status: Mapped[ManifestStatus] = mapped_column(
        sa.Enum(ManifestStatus, native_enum=False, length=16, name="manifest_status",
                values_callable=lambda e: [m.value for m in e]))
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    leaf_index: Mapped[int | None] = mapped_column(sa.BigInteger, unique=True)
    logged_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class RegionLogNode(Base):
    """A perfect subtree of a region's evidence log as the national node rebuilt it from the manifests filed."""

    __tablename__ = "evidence_region_nodes"

    region: Mapped[str] = mapped_column(sa.String(6), primary_key=True)
    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(sa.LargeBinary)


class NationalLogNode(Base):
    """A perfect subtree of the national evidence log (RFC 6962): leaf hashes at level 0."""

    __tablename__ = "evidence_log_nodes"

    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(sa.LargeBinary)


class NationalCheckpoint(Base):
    """A checkpoint of the national log, signed by the national log key (co-signatures kept beside it)."""

    __tablename__ = "evidence_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    root: Mapped[bytes] = mapped_column(sa.LargeBinary)
    note: Mapped[str] = mapped_column(sa.Text)
    issued_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


class CheckpointCosignature(Base):
    """A region's witness co-signature on a national checkpoint, after it checked consistency."""

    __tablename__ = "evidence_cosignatures"
    __table_args__ = (sa.UniqueConstraint("checkpoint_id", "region", name="uq_evidence_cosignatures_cp_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_checkpoints.id"), index=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    line: Mapped[str] = mapped_column(sa.Text)  # the signature line of the note
    from_size: Mapped[int] = mapped_column(sa.BigInteger)
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class EvidenceObjectRow(Base):
    """An evidence item a region uploaded into the national content store."""

    __tablename__ = "evidence_objects"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    region: Mapped[str] = mapped_column(sa.String(6))
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class EvidenceAlarm(Base):
    """A broken promise caught at or reported to the national node (split view, rewritten log, bad manifest)."""

    __tablename__ = "evidence_alarms"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    kind: Mapped[str] = mapped_column(sa.String(32))
    detail: Mapped[str] = mapped_column(sa.Text)


# The regions' review outcomes live beside their rules; importing them here puts them on Base.
from national import review_models as _review_models  # noqa: E402,F401
from national.reports import models as _report_models  # noqa: E402,F401
