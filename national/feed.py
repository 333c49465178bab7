"""The national node's side of the downlink feed, reconciliation, lead projection and retention.

Functions over a session; the servicer and the worker call them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from national.models import (
    CaseRow,
    DownlinkRow,
    NationalLead,
    NodeState,
    RecordStatus,
    RegionRow,
    UplinkRecord,
)
from regional import reasons as reason_codes
from sync.envelope import leaf_hash
from sync.v1 import sync_pb2

PROJECTION_CURSOR = "lead_projection_cursor"
CASES_FORMED_THROUGH = "cases_formed_through_lead"
CASES_INPUT = "cases_input_fingerprint"  # what the last case formation saw: newest lead, merge decisions


def _item(row: DownlinkRow) -> sync_pb2.DownlinkItem:
    item = sync_pb2.DownlinkItem(cursor=row.id, uuid=row.uuid, revision=row.revision)
    getattr(item, row.kind).ParseFromString(row.body)
    return item


def read(session: Session, region: str, after: int, limit: int) -> list[sync_pb2.DownlinkItem]:
    """Feed items after `after`; a snapshot of everything current if `after` fell behind retention."""
    row = session.get(RegionRow, region)
    floor = row.feed_floor if row is not None else 0
    if after < floor:
        return snapshot(session, region)
    rows = session.scalars(sa.select(DownlinkRow).where(DownlinkRow.region == region, DownlinkRow.id > after)
                           .order_by(DownlinkRow.id).limit(limit))
    return [_item(r) for r in rows]


def snapshot(session: Session, region: str) -> list[sync_pb2.DownlinkItem]:
    """Every current case concerning `region`, rebuilt from the cases table, positioned at the feed head."""
    from national.cases import case_message

    head = session.scalar(sa.select(sa.func.max(DownlinkRow.id)).where(DownlinkRow.region == region))
    row = session.get(RegionRow, region)
    head = max(head or 0, row.feed_floor if row else 0)
    items = []
    for case in session.scalars(sa.select(CaseRow).where(CaseRow.cross_region).order_by(CaseRow.id)):
        if region not in case.regions:
            continue
        leads = list(session.scalars(sa.select(NationalLead).where(NationalLead.case_id == case.id)
                                     .order_by(NationalLead.id)))
        revision = session.scalar(sa.select(sa.func.max(DownlinkRow.revision))
                                  .where(DownlinkRow.uuid == case.uuid)) or 1
        items.append(sync_pb2.DownlinkItem(cursor=head, uuid=case.uuid, revision=revision, snapshot=True,
                                           cross_region_case=case_message(case, leads)))
    return items


def purge(session: Session, region: str, before: dt.datetime) -> int:
    """Drop feed items older than `before`; a region whose cursor is below them gets a snapshot instead."""
    last = session.scalar(sa.select(sa.func.max(DownlinkRow.id))
                          .where(DownlinkRow.region == region, DownlinkRow.created_at < before))
    if last is None:
        return 0
    deleted = session.execute(sa.delete(DownlinkRow).where(DownlinkRow.region == region, DownlinkRow.id <= last))
    row = session.get(RegionRow, region)
    if row is not None:
        row.feed_floor = max(row.feed_floor, last)
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]


def reconcile(session: Session, region: str, request: sync_pb2.ReconcileRequest) -> sync_pb2.ReconcileReply:
    """The national node's count, digest and per-kind counts over each of the region's ranges."""
    reply = sync_pb2.ReconcileReply()
    for want in request.ranges:
        h = hashlib.sha256()
        kinds: dict[str, int] = {}
        count = 0
        for kind, body in session.execute(
                sa.select(UplinkRecord.kind, UplinkRecord.record)
                .where(UplinkRecord.region == region, UplinkRecord.epoch == request.epoch,
                       UplinkRecord.sequence.between(want.first, want.last))
                .order_by(UplinkRecord.sequence)):
            h.update(leaf_hash(body))
            kinds[kind] = kinds.get(kind, 0) + 1
            count += 1
        reply.ranges.append(sync_pb2.RangeDigest(first=want.first, last=want.last, count=count, digest=h.digest(),
                                                 kinds=kinds))
    return reply


def _state(session: Session, key: str) -> int:
    value = session.scalar(sa.select(NodeState.value).where(NodeState.key == key))
    return int(value) if value is not None else 0


def get_state(session: Session, key: str) -> int:
    """An integer node-state value (0 when unset)."""
    return _state(session, key)


def set_state(session: Session, key: str, value: int) -> None:
    """Set an integer node-state value."""
    set_text(session, key, str(value))


def get_text(session: Session, key: str) -> str | None:
    """A text node-state value (None when unset)."""
    return session.scalar(sa.select(NodeState.value).where(NodeState.key == key))


def set_text(session: Session, key: str, value: str) -> None:
    """Set a text node-state value."""
    stmt = _insert(session, NodeState).values(key=key, value=value[:500])
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))


def _insert(session: Session, table: type):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](table)


def project_leads(session: Session, now: dt.datetime, limit: int = 20_000) -> int:
    """Unpack newly filed records — leads into the leads table, case feedback into cases — idempotently.

    Returns how many records were read (0 when caught up).
    """
    from national.casework import apply_case_feedback
    from national.review import apply_review_outcome

    cursor = _state(session, PROJECTION_CURSOR)
    rows = list(session.execute(
        sa.select(UplinkRecord.id, UplinkRecord.region, UplinkRecord.record, UplinkRecord.kind, UplinkRecord.status)
        .where(UplinkRecord.id > cursor).order_by(UplinkRecord.id).limit(limit)))
    if not rows:
        return 0
    values = []
    feedback: list[tuple[str, sync_pb2.Record]] = []
    outcomes: list[tuple[str, sync_pb2.Record]] = []
    for _id, region, body, kind, status in rows:
        if kind not in ("lead", "case_feedback", "review_outcome") or status != RecordStatus.APPLIED:
            continue
        record = sync_pb2.Record()
        record.ParseFromString(body)
        if kind == "review_outcome":
            outcomes.append((region, record))
            continue
        if kind == "case_feedback":
            feedback.append((region, record))
            continue
        lead = record.lead
        values.append({
            "uuid": record.uuid, "region": region, "listing_id": lead.listing_id,
            "listing_title": lead.listing_title or None, "listing_url": lead.listing_url or None,
            "platform": lead.platform or None, "right_number": lead.right, "right_title": lead.right_title or None,
            "type": lead.type, "score": lead.score, "reasons": list(lead.reasons), "model_version": lead.model_version,
            "reason_codes": reason_codes.from_wire(((c.code, c.params_json) for c in lead.reason_codes),
                                                   len(lead.reasons)) or None,
            "seller_name": lead.seller.name or None, "seller_uscc": lead.seller.uscc or None,
            "seller_phone": lead.seller.phone or None, "seller_address": lead.seller.address or None,
            "seller_shop_url": lead.seller.shop_url or None,
            "detected_at": lead.detected_at or None, "received_at": now,
        })
    if values:
        session.execute(_insert(session, NationalLead).on_conflict_do_nothing(index_elements=["uuid"]), values)
    for region, record in feedback:
        apply_case_feedback(session, region, record, now)
    for region, record in outcomes:
        apply_review_outcome(session, region, record, now)  # national/review.py: per-region review figures
    stmt = _insert(session, NodeState).values(key=PROJECTION_CURSOR, value=str(rows[-1][0]))
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))
    return len(rows)
