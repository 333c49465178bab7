"""Applying a region's uplink batches: verified, idempotent, all-or-nothing per batch.

No gRPC here: the servicer translates these errors into status codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import NationalLead, RegionRow, UplinkRecord
from sync.envelope import BadSignature, batch_digest, open_envelope, payload_kind
from sync.pki import RegionTrust
from sync.regions import region_name
from sync.v1 import sync_pb2

KNOWN_KINDS = {"lead", "filing", "review_outcome", "case_feedback", "evidence_digest"}


class IngestError(Exception):
    """Base of refusals; `str()` is a message a person can act on."""


class NotAuthorized(IngestError):
    """The sender may not send this (unknown or revoked region, record of another region)."""


class StaleEpoch(IngestError):
    """The region speaks an epoch older than one already seen (a restored database)."""


class SequenceGap(IngestError):
    """A batch starts after the expected sequence."""

    def __init__(self, expected: int, got: int) -> None:
        super().__init__(f"sequence gap: expected a batch starting at {expected}, got {got}")
        self.expected = expected


class Malformed(IngestError):
    """A batch whose counts, digest, signature or payload do not hold together."""


@dataclass(frozen=True)
class Sender:
    """The verified identity of one uplink stream."""

    region: str
    cert_serial: str
    epoch: int


@dataclass(frozen=True)
class BatchOutcome:
    """What applying one batch did."""

    applied: int
    duplicates: int
    high_water: int


def authorize(trust: dict[str, RegionTrust], region: str, cert_serial: str) -> RegionTrust:
    """The trust entry of a certificate's region; refuse unknown regions and revoked certificates."""
    entry = trust.get(region)
    if entry is None:
        raise NotAuthorized(f"region {region} is not registered with this national node")
    if cert_serial in entry.revoked_serials:
        raise NotAuthorized(f"certificate {cert_serial} of region {region} has been revoked")
    return entry


def hello(session: Session, region: str, epoch: int, now: dt.datetime) -> int:
    """Register contact from `region` at `epoch`; return the high-water mark for that epoch."""
    row = session.get(RegionRow, region, with_for_update=True)
    if row is None:
        row = RegionRow(code=region, name=region_name(region), epoch=epoch, high_water=0, records=0,
                        downlink_cursor=0)
        session.add(row)
    if epoch < row.epoch:
        raise StaleEpoch(
            f"region {region} sent epoch {epoch} but epoch {row.epoch} was already seen; "
            "a region restored from an older backup must start a new epoch"
        )
    if epoch > row.epoch:
        row.epoch = epoch
    row.high_water = _high_water(session, region, epoch)
    row.last_contact = now
    return row.high_water


def _high_water(session: Session, region: str, epoch: int) -> int:
    return session.scalar(
        sa.select(sa.func.max(UplinkRecord.sequence)).where(UplinkRecord.region == region, UplinkRecord.epoch == epoch)
    ) or 0


def apply_batch(session: Session, who: Sender, trust: RegionTrust, batch: sync_pb2.Batch,
                now: dt.datetime) -> BatchOutcome:
    """Verify and store one batch in the caller's transaction; duplicates are acknowledged, not re-applied."""
    envs = list(batch.envelopes)
    if batch.count != len(envs) or not envs:
        raise Malformed(f"batch at {batch.first_sequence} announces {batch.count} records but carries {len(envs)}")
    if batch_digest(envs) != batch.digest:
        raise Malformed(f"batch at {batch.first_sequence}: digest does not match its records")
    for offset, env in enumerate(envs):
        if env.sequence != batch.first_sequence + offset:
            raise Malformed(f"batch at {batch.first_sequence}: record {offset} has sequence {env.sequence}, "
                            f"expected {batch.first_sequence + offset}")
    high = _high_water(session, who.region, who.epoch)
    if batch.first_sequence > high + 1:
        raise SequenceGap(high + 1, batch.first_sequence)
    applied = duplicates = 0
    for env in envs:
        if env.sequence <= high:
            duplicates += 1
            continue
        try:
            record = open_envelope(env, trust.signing_public_key)
        except BadSignature as exc:
            raise Malformed(f"region {who.region}: {exc}") from exc
        except Exception as exc:  # protobuf DecodeError and friends
            raise Malformed(f"record sequence {env.sequence} cannot be parsed: {exc}") from exc
        if record.region != who.region:
            raise NotAuthorized(f"certificate of region {who.region} may not send records of region {record.region}")
        if record.epoch != who.epoch or record.sequence != env.sequence:
            raise Malformed(f"record sequence {env.sequence}: envelope and record disagree on epoch or sequence")
        kind = payload_kind(record)
        if kind not in KNOWN_KINDS:
            raise Malformed(f"record sequence {env.sequence} has no payload this node understands")
        if not record.uuid:
            raise Malformed(f"record sequence {env.sequence} has no uuid")
        seen = session.scalar(sa.select(UplinkRecord.id).where(UplinkRecord.uuid == record.uuid,
                                                                UplinkRecord.revision == record.revision))
        session.add(UplinkRecord(region=who.region, epoch=who.epoch, sequence=env.sequence, uuid=record.uuid,
                                 revision=record.revision, kind=kind, record=env.record, signature=env.signature,
                                 cert_serial=who.cert_serial, received_at=now)
                    if seen is None else
                    # the same record under a new sequence (replayed from a restored outbox):
                    # keep the sequence slot so the region's numbering stays gap-free, mark it
                    UplinkRecord(region=who.region, epoch=who.epoch, sequence=env.sequence,
                                 uuid=f"{record.uuid}#replay{env.sequence}", revision=record.revision, kind=kind,
                                 record=env.record, signature=env.signature, cert_serial=who.cert_serial,
                                 received_at=now))
        if seen is None and kind == "lead":
            _unpack_lead(session, who.region, record, now)
        applied += 1
        high = env.sequence
    row = session.get(RegionRow, who.region)
    if row is not None:
        row.high_water = high
        row.records += applied
        row.last_contact = now
        row.last_error = None
    return BatchOutcome(applied=applied, duplicates=duplicates, high_water=high)


def _unpack_lead(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> None:
    lead = record.lead
    if session.scalar(sa.select(NationalLead.id).where(NationalLead.uuid == record.uuid)) is not None:
        return
    session.add(NationalLead(
        uuid=record.uuid, region=region, listing_id=lead.listing_id, listing_title=lead.listing_title,
        listing_url=lead.listing_url or None, platform=lead.platform or None, right_number=lead.right,
        right_title=lead.right_title or None, type=lead.type, score=lead.score, reasons=list(lead.reasons),
        model_version=lead.model_version, seller_name=lead.seller.name or None,
        seller_uscc=lead.seller.uscc or None, seller_phone=lead.seller.phone or None,
        seller_address=lead.seller.address or None, detected_at=lead.detected_at or None, received_at=now,
    ))


def note_error(session: Session, region: str, message: str) -> None:
    """Remember the last refusal for a region's status."""
    row = session.get(RegionRow, region)
    if row is not None:
        row.last_error = message[:1000]
