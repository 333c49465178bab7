"""The outbox: every change the national node must hear of, written in the change's transaction.

Rows hold the serialized record; the region signs batches of them when it sends (ADR 0005).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.orm import Session

from regional import state
from regional.models import OutboxRow
from sync.envelope import load_signing_key, payload_kind
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
    """Number and stage `record` in the caller's transaction (gap-free sequence per epoch)."""
    row = append_many(session, signer, [record], now)[0]
    return row


def append_many(session: Session, signer: Signer, records: list[sync_pb2.Record],
                now: dt.datetime) -> list[OutboxRow]:
    """Number and stage several records in the caller's transaction, in order, without gaps."""
    # Lock the epoch row first: on PostgreSQL concurrent writers queue here, so
    # max(sequence)+1 is never handed out twice; SQLite already holds the write lock.
    # The row is created race-free first, because FOR UPDATE locks nothing that is absent.
    state.ensure(session, state.EPOCH, 1, now)
    epoch = int(state.get(session, state.EPOCH, "1", for_update=True) or 1)
    last = session.scalar(sa.select(sa.func.max(OutboxRow.sequence)).where(OutboxRow.epoch == epoch)) or 0
    rows = []
    for offset, record in enumerate(records, start=1):
        record.region = signer.region
        record.epoch = epoch
        record.sequence = last + offset
        if not record.created_at:
            record.created_at = now.isoformat()
        if not record.revision:
            record.revision = 1
        rows.append(OutboxRow(epoch=epoch, sequence=record.sequence, uuid=record.uuid, kind=payload_kind(record),
                              revision=record.revision, record=record.SerializeToString(deterministic=True),
                              created_at=now))
    session.add_all(rows)
    session.flush()
    return rows


def pending(session: Session, epoch: int, after: int, limit: int) -> list[tuple[int, bytes]]:
    """(sequence, record bytes) of `epoch` after sequence `after`, in order."""
    stmt = (
        sa.select(OutboxRow.sequence, OutboxRow.record)
        .where(OutboxRow.epoch == epoch, OutboxRow.sequence > after)
        .order_by(OutboxRow.sequence)
        .limit(limit)
    )
    return [(seq, body) for seq, body in session.execute(stmt)]


def oldest_after(session: Session, epoch: int, after: int) -> dt.datetime | None:
    """When the oldest record not yet acknowledged was written (None when all are acknowledged)."""
    return session.scalar(sa.select(OutboxRow.created_at)
                          .where(OutboxRow.epoch == epoch, OutboxRow.sequence == after + 1))


def start_epoch(session: Session, epoch: int, now: dt.datetime) -> int:
    """Begin a new epoch after this database was found restored from an older backup.

    Every record of the old epoch that the national node has not acknowledged to *this*
    database is moved into the new epoch, renumbered from 1: records written since the
    restore are then delivered, and ones the national node already holds come back as
    duplicates (kept, never applied twice). The old epoch keeps only what was acknowledged,
    so it stays a prefix of what the national node holds. Returns how many records moved.
    """
    old_epoch = current_epoch(session)
    acked = state.get_int(session, state.ACKED, 0)
    carried = list(session.scalars(sa.select(OutboxRow).where(OutboxRow.epoch == old_epoch,
                                                              OutboxRow.sequence > acked)
                                   .order_by(OutboxRow.sequence)))
    state.put(session, state.EPOCH, epoch, now)
    state.put(session, state.ACKED, 0, now)
    for row in carried:
        session.delete(row)
    session.flush()
    for offset, row in enumerate(carried, start=1):
        record = sync_pb2.Record()
        record.ParseFromString(row.record)
        record.epoch = epoch
        record.sequence = offset
        session.add(OutboxRow(epoch=epoch, sequence=offset, uuid=row.uuid, kind=row.kind, revision=row.revision,
                              record=record.SerializeToString(deterministic=True), created_at=row.created_at))
    session.flush()
    return len(carried)


def range_digests(session: Session, epoch: int, upto: int,
                  span: int = 1000) -> list[tuple[int, int, int, bytes, dict[str, int]]]:
    """(first, last, count, digest, kinds) over ranges of `span` sequences in [1, upto], for reconciliation."""
    import hashlib

    from sync.envelope import leaf_hash

    out: list[tuple[int, int, int, bytes, dict[str, int]]] = []
    last = upto
    for first in range(1, last + 1, span):
        end = min(first + span - 1, last)
        h = hashlib.sha256()
        kinds: dict[str, int] = {}
        count = 0
        for kind, body in session.execute(
                sa.select(OutboxRow.kind, OutboxRow.record)
                .where(OutboxRow.epoch == epoch, OutboxRow.sequence.between(first, end))
                .order_by(OutboxRow.sequence)):
            h.update(leaf_hash(body))
            kinds[kind] = kinds.get(kind, 0) + 1
            count += 1
        out.append((first, end, count, h.digest(), kinds))
    return out


def last_sequence(session: Session, epoch: int) -> int:
    """The highest sequence written in `epoch` (0 when none)."""
    return session.scalar(sa.select(sa.func.max(OutboxRow.sequence)).where(OutboxRow.epoch == epoch)) or 0
