"""The outbox: every change the national node must hear of, written in the change's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.orm import Session

from regional import state
from regional.models import OutboxRow
from sync.envelope import load_signing_key, payload_kind, seal
from sync.v1 import sync_pb2


@dataclass(frozen=True)
class Signer:
    """A region's identity for outgoing records: its code and Ed25519 key."""

    region: str
    key: ed25519.Ed25519PrivateKey

    @classmethod
    def from_file(cls, region: str, key_path: Path) -> Signer:
        """Load the signing key from the region's PKI directory."""
        return cls(region=region, key=load_signing_key(key_path))


def current_epoch(session: Session) -> int:
    """The region's epoch (1 unless an operator fenced a restored database)."""
    return state.get_int(session, state.EPOCH, 1)


def append(session: Session, signer: Signer, record: sync_pb2.Record, now: dt.datetime) -> OutboxRow:
    """Number, sign and stage `record` in the caller's transaction (gap-free sequence)."""
    # Lock the epoch row first: on PostgreSQL concurrent writers queue here, so
    # max(sequence)+1 is never handed out twice; SQLite already holds the write lock.
    # The row is created race-free first, because FOR UPDATE locks nothing that is absent.
    state.ensure(session, state.EPOCH, 1, now)
    epoch = int(state.get(session, state.EPOCH, "1", for_update=True) or 1)
    last = session.scalar(sa.select(sa.func.max(OutboxRow.sequence)).where(OutboxRow.epoch == epoch)) or 0
    record.region = signer.region
    record.epoch = epoch
    record.sequence = last + 1
    if not record.created_at:
        record.created_at = now.isoformat()
    envelope = seal(record, signer.key)
    row = OutboxRow(
        epoch=epoch,
        sequence=record.sequence,
        uuid=record.uuid,
        kind=payload_kind(record),
        revision=record.revision or 1,
        envelope=envelope.SerializeToString(),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def pending(session: Session, epoch: int, after: int, limit: int) -> list[OutboxRow]:
    """Outbox rows of `epoch` after sequence `after`, in order."""
    stmt = (
        sa.select(OutboxRow)
        .where(OutboxRow.epoch == epoch, OutboxRow.sequence > after)
        .order_by(OutboxRow.sequence)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def last_sequence(session: Session, epoch: int) -> int:
    """The highest sequence written in `epoch` (0 when none)."""
    return session.scalar(sa.select(sa.func.max(OutboxRow.sequence)).where(OutboxRow.epoch == epoch)) or 0
