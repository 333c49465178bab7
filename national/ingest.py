"""Applying a region's uplink batches: verified, idempotent, all-or-nothing per batch.

No gRPC here: the servicer translates these errors into status codes. The hot path uses
Core inserts (one executemany per batch) because every acknowledged batch costs a durable
commit and the sync benchmark holds it to half the speed of a bare insert.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from google.protobuf.message import DecodeError
from sqlalchemy.orm import Session

from national.models import RecordStatus, RegionRow, UplinkBatch, UplinkRecord
from sync import limits
from sync.db import placeholder
from sync.envelope import BadSignature, verify_batch
from sync.pki import RegionTrust
from sync.regions import region_name
from sync.v1 import sync_pb2

# The payload kinds this node stores; each has its field limits in sync/limits.py (PAYLOADS) and,
# if it is unpacked, a projector in national/feed.py (PROJECTORS). A new kind is added in both.
KNOWN_KINDS = frozenset(limits.PAYLOADS)


class IngestError(Exception):
    """Base of refusals; `str()` is a message a person can act on."""


class NotAuthorized(IngestError):
    """The sender may not send this (unknown or revoked region, record of another region)."""


class StaleEpoch(IngestError):
    """The region speaks an epoch older than one already seen (a restored database)."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current


class Diverged(IngestError):
    """Two databases of one region were live (or a restored one has not been declared): refused, shown.

    `detail` is what the national office sees on the region's status; nothing is stored.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.detail = message


RESTORE_HINT = ("if this database was restored from a backup and the other copy is shut down, run "
                "`hufu regional restore --data-dir DIR --operator NAME` on it; otherwise stop this copy")


class SequenceGap(IngestError):
    """A batch starts after the expected sequence."""

    def __init__(self, expected: int, got: int) -> None:
        super().__init__(f"sequence gap: expected a batch starting at {expected}, got {got}")
        self.expected = expected


class Malformed(IngestError):
    """A batch whose counts, digest, signature or payload do not hold together."""


class InvalidRecord(Malformed):
    """A record of a batch breaks a field limit (sync/limits.py): nothing of the batch is stored.

    `sequence` is the record's sequence; the servicer returns it in the `hufu-bad-sequence`
    trailer so the region can set that record aside (a tombstone) and send the others.
    """

    def __init__(self, errors: list[limits.FieldError], sequence: int) -> None:
        more = f" (and {len(errors) - 1} more problem(s) in this record)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}; nothing of this batch was stored")
        self.errors = errors
        self.sequence = sequence


def check_hello(hi: sync_pb2.Hello) -> None:
    """Refuse a hello whose fields are out of range (each named), before anything is stored."""
    errors = limits.validate("Hello", hi, "hello")
    if errors:
        raise Malformed("; ".join(str(e) for e in errors[:5]))


def check_batch_limits(batch: sync_pb2.Batch, bodies: list[bytes] | None = None) -> None:
    """Refuse a batch over the protocol's limits: at most 500 records and 1 MiB of record bytes.

    `bodies`: the envelopes' record bytes if the caller has read them already.
    """
    n = len(batch.envelopes)
    if n > limits.MAX_BATCH_RECORDS or batch.count > limits.MAX_BATCH_RECORDS:
        raise Malformed(f"batch at {batch.first_sequence} carries {max(n, batch.count):,} records; at most "
                        f"{limits.MAX_BATCH_RECORDS} per batch are accepted (docs/sync-protocol.md)")
    size = sum(map(len, bodies if bodies is not None else [env.record for env in batch.envelopes]))
    if size > limits.MAX_BATCH_BYTES:
        raise Malformed(f"batch at {batch.first_sequence} carries {size:,} bytes of records; at most "
                        f"{limits.MAX_BATCH_BYTES:,} per batch are accepted (docs/sync-protocol.md)")
    if not 1 <= batch.first_sequence <= limits.MAX_UINT63 - limits.MAX_BATCH_RECORDS:
        raise Malformed(f"batch: field first_sequence is {batch.first_sequence}; it must be from 1 to "
                        f"{limits.MAX_UINT63 - limits.MAX_BATCH_RECORDS}")


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
    conflicts: int
    high_water: int


def authorize(trust: dict[str, RegionTrust], region: str, cert_serial: str,
              now: dt.datetime | None = None) -> RegionTrust:
    """The trust entry of a certificate's region; refuse unknown regions, revoked and superseded certificates."""
    entry = trust.get(region)
    if entry is None:
        raise NotAuthorized(f"region {region} is not registered with this national node")
    problem = entry.refusal(cert_serial, now or dt.datetime.now(dt.UTC))
    if problem is not None:
        raise NotAuthorized(problem)
    return entry


def leaf_at(session: Session, region: str, epoch: int, sequence: int) -> bytes:
    """The Merkle leaf hash of the stored record at (region, epoch, sequence); b"" when there is none."""
    from sync.envelope import leaf_hash

    body = session.scalar(sa.select(UplinkRecord.record).where(
        UplinkRecord.region == region, UplinkRecord.epoch == epoch, UplinkRecord.sequence == sequence))
    return leaf_hash(body) if body is not None else b""


def hello(session: Session, hi: sync_pb2.Hello, region: str, now: dt.datetime,
          grant_ok: Callable[[int], bool] = lambda _epoch: False) -> tuple[int, int]:
    """Register contact from `region`; return (high-water mark, epoch) for its epoch.

    A region never raises its own epoch: only `restore` does (an operator's step, recorded here).
    An epoch above the one recorded is accepted only with the national node's grant for it
    (`grant_ok`; this node was restored from a backup older than the grant). Refused, and marked
    as two live copies: an older epoch, a database that holds less of its epoch than this node,
    or one whose record at its acknowledged sequence is not the record stored here.
    """
    check_hello(hi)
    epoch = hi.epoch or 1
    row = session.get(RegionRow, region, with_for_update=True)
    if row is None:
        row = RegionRow(code=region, name=region_name(region), epoch=epoch, high_water=0, records=0,
                        reported_head=0, conflicts=0, feed_floor=0)
        session.add(row)
    if epoch < row.epoch:
        raise StaleEpoch(
            f"region {region} sent epoch {epoch} but the national node holds epoch {row.epoch} for it "
            f"(restored{' on ' + row.restored_at.isoformat(timespec='seconds') if row.restored_at else ''}): "
            "this is an older copy of the region's database that is still running; stop it", row.epoch)
    if epoch > row.epoch:
        if not grant_ok(epoch):
            raise Diverged(
                f"region {region} claims epoch {epoch} but the national node holds epoch {row.epoch} and never "
                "granted a later one; a region's epoch is raised only by `hufu regional restore`")
        row.epoch = epoch  # granted by this node before it was restored from an older backup
    high = high_water(session, region, epoch)
    if 0 < hi.outbox_head < high:  # 0: not reported (the region itself compares at the welcome)
        raise Diverged(
            f"region {region}'s database holds sequences up to {hi.outbox_head} of epoch {epoch} but the national "
            f"node holds up to {high}: this database is an older copy (restored from a backup, or a second copy); "
            + RESTORE_HINT)
    if hi.acked and hi.acked_leaf and hi.acked <= high:
        stored = leaf_at(session, region, epoch, hi.acked)
        if stored and stored != hi.acked_leaf:
            raise Diverged(
                f"region {region}'s record {hi.acked} of epoch {epoch} is not the record the national node stored "
                "under that sequence: two copies of this region's database have been live; " + RESTORE_HINT)
    row.high_water = high
    row.last_contact = now
    if row.first_contact is None:
        row.first_contact = now
    row.software = hi.software or None
    row.reported_head = hi.outbox_head
    if hi.HasField("lead_count"):  # regions before session 17 do not say
        row.reported_leads = min(hi.lead_count, 2**63 - 1)
    oldest = dt.datetime.fromisoformat(hi.oldest_unsent_at) if hi.oldest_unsent_at else None
    row.oldest_unsent_at = oldest.replace(tzinfo=dt.UTC) if oldest and oldest.tzinfo is None else oldest
    return row.high_water, row.epoch


def note_copies(session: Session, region: str, detail: str, now: dt.datetime) -> None:
    """Mark that two live copies of a region's database were detected (shown to the national office)."""
    row = session.get(RegionRow, region)
    if row is not None:
        row.copies_detected_at = now
        row.copies_detail = detail[:1000]


def restore(session: Session, region: str, request: sync_pb2.RestoreRequest, cert_serial: str,
            now: dt.datetime) -> tuple[int, int]:
    """An operator's restore of a region's database: the next epoch, recorded; returns (epoch, old high-water)."""
    from national.models import AuditEntry

    errors = limits.validate("RestoreRequest", request, "restore request")
    if errors:
        raise Malformed("; ".join(str(e) for e in errors[:5]))
    row = session.get(RegionRow, region, with_for_update=True)
    if row is None:
        row = RegionRow(code=region, name=region_name(region), epoch=1, high_water=0, records=0,
                        reported_head=0, conflicts=0, feed_floor=0)
        session.add(row)
        session.flush()
    old = max(row.epoch, request.epoch or 1)
    previous = high_water(session, region, request.epoch or 1)
    new = old + 1
    if new > limits.MAX_INT32:
        raise Malformed(f"region {region} is at epoch {old}; no later epoch can be granted")
    row.epoch = new
    row.restored_at = now
    row.high_water = 0
    session.add(AuditEntry(at=now, actor=f"region:{region}", action="region_restored", detail={
        "operator": request.operator, "reason": request.reason, "from_epoch": request.epoch or 1,
        "national_epoch_before": old, "to_epoch": new, "outbox_head": request.outbox_head,
        "acked": request.acked, "national_high_water": previous, "cert_serial": cert_serial}))
    return new, previous


def high_water(session: Session, region: str, epoch: int) -> int:
    """The highest sequence durably stored for (region, epoch); 0 when none."""
    return session.scalar(
        sa.select(sa.func.max(UplinkRecord.sequence)).where(UplinkRecord.region == region, UplinkRecord.epoch == epoch)
    ) or 0


_BODY, _SEQUENCE = operator.attrgetter("record"), operator.attrgetter("sequence")  # an envelope's, read in C


def _check_shape(batch: sync_pb2.Batch) -> None:
    envs = batch.envelopes
    if batch.count != len(envs) or not envs:
        raise Malformed(f"batch at {batch.first_sequence} announces {batch.count} records but carries {len(envs)}")
    first = batch.first_sequence
    sequences = list(map(_SEQUENCE, envs))
    if sequences != list(range(first, first + len(sequences))):
        offset, got = next((o, s) for o, s in enumerate(sequences) if s != first + o)
        raise Malformed(f"batch at {first}: record {offset} has sequence {got}, expected {first + offset}")


Fresh = tuple[int, bytes, str, str, int]  # one fresh record: (sequence, bytes, kind, uuid, revision)


class RecordColumns(Sequence[Fresh]):
    """A batch's fresh records held as their five columns (sequences, bodies, kinds, uuids, revisions): what a
    verifier process answers and the writer stores column by column, with no tuple per record in between. Reads
    as the list of (sequence, bytes, kind, uuid, revision) it stands for, and equals it."""

    __slots__ = ("columns",)

    def __init__(self, columns: tuple[Sequence[int], Sequence[bytes], Sequence[str], Sequence[str],
                                      Sequence[int]]) -> None:
        self.columns = columns

    def __len__(self) -> int:
        return len(self.columns[0])

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(zip(*(column[index] for column in self.columns), strict=True))
        return tuple(column[index] for column in self.columns)

    def __iter__(self) -> Iterator[Fresh]:
        return zip(*self.columns, strict=True)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __hash__(self) -> int:
        raise TypeError("RecordColumns is not hashable")

    def __repr__(self) -> str:
        return f"RecordColumns({list(self)!r})"


@dataclass
class Prepared:
    """A batch verified, parsed and checked against every limit, ready to store (no database touched yet)."""

    batch: sync_pb2.Batch
    leaves: bytes  # the records' leaf hashes, 32 bytes each, in order: what uplink_batches.leaves stores
    records: Sequence[Fresh]  # the fresh ones, in order (a list, or RecordColumns from a verifier's answer)
    known_high: int

    @property
    def last(self) -> int:
        """The high-water mark once stored."""
        return self.records[-1][0] if self.records else self.known_high


def apply_batch(session: Session, who: Sender, trust: RegionTrust, batch: sync_pb2.Batch, known_high: int,
                now: dt.datetime) -> BatchOutcome:
    """Verify and store one batch in the caller's transaction; duplicates are acknowledged, not re-applied.

    `known_high` is the stream's high-water mark; the unique key on (region, epoch, sequence)
    still guards against a second stream of the same region writing concurrently.
    """
    return store_batch(session, who, prepare_batch(who, trust, batch, known_high), now)


def prepare_batch(who: Sender, trust: RegionTrust, batch: sync_pb2.Batch, known_high: int) -> Prepared:
    """Everything about a batch that needs no database: limits, shape, signature, sequence, each record's fields.

    Raises the refusal (Malformed, InvalidRecord, NotAuthorized, SequenceGap). The servicer runs
    it for the next batch while the previous one is being written.
    """
    if len(batch.envelopes) > limits.MAX_BATCH_RECORDS:
        check_batch_limits(batch)  # refused before anything is read
    bodies = list(map(_BODY, batch.envelopes))  # each read once (every read of a bytes field copies it)
    check_batch_limits(batch, bodies)
    _check_shape(batch)
    try:
        leaves = b"".join(verify_batch(batch, who.region, who.epoch, trust.key_for(who.cert_serial), bodies))
    except (BadSignature, ValueError) as exc:
        raise Malformed(str(exc)) from exc
    first = batch.first_sequence
    if first > known_high + 1:
        raise SequenceGap(known_high + 1, first)
    fresh = _checked_in_one_pass(who, bodies, first, known_high)
    if fresh is not None:
        return Prepared(batch=batch, leaves=leaves, records=fresh, known_high=known_high)
    # not every record is known good: record by record, so the refusal names the first broken one
    records: list[tuple[int, bytes, str, str, int]] = []
    region, epoch = who.region, who.epoch
    checkers: dict[str, Callable[[sync_pb2.Record], bool]] = {}
    for sequence, body in enumerate(bodies, first):  # _check_shape: the envelopes' sequences run on from `first`
        if sequence <= known_high:
            continue
        record = sync_pb2.Record()
        try:
            record.ParseFromString(body)
        except DecodeError as exc:
            raise Malformed(f"record sequence {sequence} cannot be parsed: {exc}") from exc
        if record.region != region:
            raise NotAuthorized(f"certificate of region {region} may not send records of region {record.region}")
        if record.epoch != epoch or record.sequence != sequence:
            raise Malformed(f"record sequence {sequence}: envelope and record disagree on epoch or sequence")
        kind = record.WhichOneof("payload") or ""
        ok = checkers.get(kind)
        if ok is None:
            if kind not in KNOWN_KINDS:
                raise Malformed(f"record sequence {sequence} has no payload this node understands "
                                "(a newer region software?); nothing of this batch was stored")
            ok = checkers[kind] = limits.record_checker(kind)
        if len(body) > limits.MAX_RECORD_BYTES or not ok(record):
            problems = limits.validate_record(record, size=len(body))  # names each broken field
            if problems:
                raise InvalidRecord(problems, sequence)
        records.append((sequence, body, kind, record.uuid, record.revision))
    return Prepared(batch=batch, leaves=leaves, records=records, known_high=known_high)


_IDENTITY = operator.attrgetter("region", "epoch", "sequence", "uuid", "revision")
_KIND = operator.methodcaller("WhichOneof", "payload")


@functools.cache
def _record_list() -> type:
    """A message of one field, `repeated Record records = 1`: records framed one after another parse in one call.
    (Declared here, not in the protocol: it never crosses the wire.)

    Its `Record` is sync.v1.Record field for field, except that a lead's `reason_codes` are read as `repeated
    bytes` — each element's exact bytes, which is what a ReasonCode is parsed from (a repeated message field's
    element is its own bytes, parsed alone). The batch check (`limits.records_checker`) then parses each distinct
    element once instead of every lead's codes one by one (a wrapper object and two strings each); an element
    that does not parse as a ReasonCode makes it answer "not sure", and the record-by-record path, which parses
    the real Record, refuses the batch as it always did.
    """
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    pool = descriptor_pool.Default()
    name = "hufu.ingest.RecordList"
    try:
        descriptor = pool.FindMessageTypeByName(name)
    except KeyError:
        file = descriptor_pb2.FileDescriptorProto(name="hufu/ingest_record_list.proto", package="hufu.ingest",
                                                  syntax="proto3", dependency=[sync_pb2.DESCRIPTOR.name])
        lead = file.message_type.add()
        sync_pb2.Lead.DESCRIPTOR.CopyToProto(lead)
        lead.name = "RawLead"
        for f in lead.field:
            if f.name == "reason_codes":
                f.type = f.TYPE_BYTES
                f.ClearField("type_name")
        record = file.message_type.add()
        sync_pb2.Record.DESCRIPTOR.CopyToProto(record)
        record.name = "RawRecord"
        for f in record.field:
            if f.name == "lead":
                f.type_name = ".hufu.ingest.RawLead"
        field = descriptor_pb2.FieldDescriptorProto
        file.message_type.add(name="RecordList").field.add(
            name="records", number=1, label=field.LABEL_REPEATED, type=field.TYPE_MESSAGE,
            type_name=".hufu.ingest.RawRecord")
        pool.Add(file)
        descriptor = pool.FindMessageTypeByName(name)
    return message_factory.GetMessageClass(descriptor)


def warm() -> None:
    """Do once, when a process starts, what its first batch check would otherwise pay for: build the record-list
    message (`_record_list`: it imports protobuf's descriptor module and adds a file to the pool, ~3 ms of CPU) and
    run the batch check's parse and column reads over one record (first use of the new message classes' fields),
    and verify one Ed25519 signature (OpenSSL loads the algorithm on first use, ~5 ms). A fresh verifier's first
    batch (50 records) took 5–6 ms of CPU instead of ~1, at the head of the first push after a start."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ed25519.Ed25519PublicKey.from_public_bytes(public).verify(key.sign(b"warm"), b"warm")
    limits.record_checker("lead")
    limits.records_checker("lead")
    body = sync_pb2.Record(region="000000", epoch=1, sequence=1, uuid="0", revision=1,
                           lead=sync_pb2.Lead()).SerializeToString()
    parsed = _record_list()()
    parsed.ParseFromString(_frame(len(body)) + body)
    limits.records_columns("lead")(list(parsed.records))  # the answer does not matter: only the reads


@functools.lru_cache(maxsize=4096)  # records of a region come in a few hundred sizes: a C-level look-up, not a call
def _frame(size: int) -> bytes:
    """The tag and length of field 1 (length-delimited) holding `size` bytes (a record is below 2**21 bytes)."""
    if size < 0x80:
        return bytes((0x0A, size))
    if size < 0x4000:
        return bytes((0x0A, size & 0x7F | 0x80, size >> 7))
    return bytes((0x0A, size & 0x7F | 0x80, (size >> 7) & 0x7F | 0x80, size >> 14))


def _checked_in_one_pass(who: Sender, bodies: list[bytes], first: int, known_high: int) -> RecordColumns | None:
    """The batch's fresh records when every one parses, is the sender's, at its sequence, of a known kind and
    within every limit — all of it over the whole batch at once: the records parsed in one call (each framed as
    an element of a repeated field: the parser reads exactly its bytes, as alone), the limits checked by
    `limits.records_columns` (a fixed number of C-level passes per field instead of tens of Python operations per
    record), the identities it read on the way compared column by column. None when any of that is not sure:
    `prepare_batch` then goes record by record, which raises the exact refusal.
    """
    skip = max(0, known_high + 1 - first)
    bodies = bodies[skip:]
    if not bodies or max(map(len, bodies)) > limits.MAX_RECORD_BYTES:
        return None
    framed = b"".join(itertools.chain.from_iterable(zip(map(_frame, map(len, bodies)), bodies, strict=True)))
    parsed = _record_list()()
    try:
        parsed.ParseFromString(framed)
    except DecodeError:
        return None
    records = list(parsed.records)
    if len(records) != len(bodies):
        return None
    kinds = list(map(_KIND, records))
    columns: list[tuple[Any, ...]] | None = None
    if kinds.count(kinds[0]) == len(kinds) and kinds[0] in KNOWN_KINDS:  # one kind, as nearly always
        # the limits checked, the identities read in the same pass (RECORD's first five columns)
        columns = limits.records_columns(kinds[0])(records) or None
        if columns is None:
            return None
        regions, epochs, sequences, uuids, revisions = columns[:5]
    else:
        regions, epochs, sequences, uuids, revisions = zip(*map(_IDENTITY, records), strict=True)
    start = first + skip
    if (regions.count(who.region) != len(records) or epochs.count(who.epoch) != len(records)
            or sequences != tuple(range(start, start + len(records)))):
        return None
    if columns is None:  # several kinds (or an unknown one): each kind's records checked apart
        by_kind: dict[str, list[sync_pb2.Record]] = {}
        for kind, record in zip(kinds, records, strict=True):
            by_kind.setdefault(kind, []).append(record)
        for kind, group in by_kind.items():
            if kind not in KNOWN_KINDS or not limits.records_checker(kind)(group):
                return None
    return RecordColumns((sequences, bodies, tuple(kinds), uuids, revisions))


# (leaves, the fresh records' columns: (first sequence, count), kinds, uuids, revisions) — a few objects to pickle,
# not a tuple per record; the leaves one bytes object (500 of 32 bytes pickled and unpickled cost ~36 times one)
Checked = tuple[bytes, tuple[tuple[int, int], Sequence[str], Sequence[str], Sequence[int]]]


def check_serialized(who: Sender, trust: RegionTrust, data: bytes, known_high: int) -> Checked | None:
    """`prepare_batch` of a serialized Batch, for a verifier process: only the small, picklable part of the answer.

    Returns None when the batch is refused (any IngestError): the caller runs `prepare_batch` itself
    to raise the exact refusal, so a refusal reads the same wherever the batch was verified.
    """
    batch = sync_pb2.Batch()
    try:
        batch.ParseFromString(data)
        prepared = prepare_batch(who, trust, batch, known_high)
    except (IngestError, DecodeError):
        return None
    records = prepared.records
    if not records:
        return prepared.leaves, ((known_high + 1, 0), (), (), ())
    sequences, _bodies, kinds, uuids, revisions = (
        records.columns if isinstance(records, RecordColumns) else tuple(zip(*records, strict=True)))
    # the fresh records run on from the first one (prepare_batch checked every sequence): sent as (first, count)
    return prepared.leaves, ((sequences[0], len(sequences)), kinds, uuids, revisions)


def prepared_from(batch: sync_pb2.Batch, known_high: int, checked: Checked) -> Prepared:
    """The Prepared batch from what `check_serialized` answered for this same batch (its bodies read here)."""
    leaves, ((start, count), kinds, uuids, revisions) = checked
    skip = start - batch.first_sequence
    bodies = list(map(_BODY, batch.envelopes[skip:skip + count]))
    records = RecordColumns((range(start, start + count), bodies, kinds, uuids, revisions))
    return Prepared(batch=batch, leaves=leaves, records=records, known_high=known_high)


def store_batch(session: Session, who: Sender, prepared: Prepared, now: dt.datetime) -> BatchOutcome:
    """Store a prepared batch in the caller's transaction: duplicates and conflicts kept apart, region updated.

    Four statements whatever the batch's size, all plain DB-API on the session's connection (the
    sync benchmark holds this path to half the speed of a bare executemany): one indexed look-up
    of the batch's (uuid, revision) pairs stored before, the batch row, the region's counters,
    and every record — on SQLite one executemany on the driver's own cursor (the rows handed to it
    as they are zipped, never a list; the statements of this function go to sqlite3 directly, not
    through SQLAlchemy's execution context), on PostgreSQL one COPY — the records last, because on
    PostgreSQL their insert and the commit run under the uplink order lock (ids visible in id order).
    The unique key on (region, epoch, sequence) refuses the whole batch if another stream of the
    region stored any of its sequences first (IntegrityError, as SQLAlchemy raises it: the
    transaction rolls back, nothing of the batch is kept, the region resends from the new high-water
    mark).
    """
    batch, records, known_high = prepared.batch, prepared.records, prepared.known_high
    if not records:
        return BatchOutcome(applied=0, duplicates=len(batch.envelopes), conflicts=0, high_water=known_high)
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        import sqlite3

        driver = conn.connection.driver_connection
        assert driver is not None  # a live connection: the session is in its transaction
        cursor = driver.cursor()
        try:
            return _store(cursor.execute, cursor.executemany, conn.dialect, who, prepared, now)
        except sqlite3.Error as exc:  # as SQLAlchemy raises it (a sequence stored first: IntegrityError)
            raise sa.exc.DBAPIError.instance(None, None, exc, sqlite3.Error, dialect=conn.dialect) from exc
        finally:
            cursor.close()
    return _store(conn.exec_driver_sql, conn, conn.dialect, who, prepared, now)


def _store(execute: Callable[..., Any], many: Any, dialect: sa.Dialect, who: Sender, prepared: Prepared,
           now: dt.datetime) -> BatchOutcome:
    """`store_batch`'s statements through `execute(sql, params)`: the driver's cursor (SQLite, `many` its
    executemany) or the SQLAlchemy connection's `exec_driver_sql` (`many` that connection)."""
    batch, records = prepared.batch, prepared.records
    sql = _statements(dialect)
    stamps = _stamps(dialect, now)
    # (uuid, revision) stored before under another sequence: the same payload is a duplicate, another a conflict
    sequences, bodies, kinds, record_uuids, revisions = (
        records.columns if isinstance(records, RecordColumns) else zip(*records, strict=True))
    earlier: dict[tuple[str, int], bytes] = {}
    uuids = tuple(set(record_uuids))
    for start in range(0, len(uuids), _IN_CHUNK):
        part = uuids[start:start + _IN_CHUNK]
        for uuid, revision, body in execute(sql.earlier(len(part)), part):
            earlier[(uuid, revision)] = bytes(body)
    params = (who.region, who.epoch, batch.first_sequence, batch.count, batch.digest, batch.signature,
              prepared.leaves, who.cert_serial, stamps.batch)
    result = execute(sql.batch, params)
    batch_id = int(result.scalar_one()) if sql.returning else int(result.lastrowid)
    first = batch.first_sequence
    conflicts = duplicates = 0
    region, epoch, received = who.region, who.epoch, stamps.record
    checked = limits.LIMITS_FINGERPRINT  # prepare_batch checked every record against these limits
    rows: Iterable[tuple[object, ...]]
    if not earlier and len(uuids) == len(records):  # every record new, as nearly always: the rows column by column
        repeat = itertools.repeat
        rows = zip(repeat(region), repeat(epoch), sequences, record_uuids, revisions, kinds, repeat(_APPLIED),
                   bodies, repeat(batch_id), map(operator.sub, sequences, repeat(first)), repeat(received),
                   repeat(checked), strict=False)  # the repeats end with the columns
    else:
        listed: list[tuple[object, ...]] = []
        seen_here: dict[tuple[str, int], bytes] = {}  # applied in this batch (payloads compared lazily)
        for sequence, body, kind, uuid, revision in records:
            key = (uuid, revision)
            status = _APPLIED
            if key in seen_here or key in earlier:
                status = _repeat_status(body, kind, seen_here.get(key), earlier.get(key))
            if status == _APPLIED:
                seen_here[key] = body
            elif status == _CONFLICT:
                conflicts += 1
            else:
                duplicates += 1
            listed.append((region, epoch, sequence, uuid, revision, kind, status, body, batch_id, sequence - first,
                           received, checked))
        rows = listed
    high = sequences[-1]
    execute(sql.region, (high, len(records), conflicts, stamps.batch, stamps.batch, region))
    if dialect.name == "sqlite":
        many(sql.record, rows)
    else:
        # Rows must become visible in id order: the lead projection reads `id > cursor` and moves its cursor past
        # what it read. With several writers, a transaction holding ids 8626..8907 that commits after another one
        # holding 8908..9000 would be skipped for good (seen on PostgreSQL with 31 regions pushing). One
        # transaction at a time takes ids and commits (the lock is released at commit, after the rows are
        # visible); SQLite has one writer anyway. Only the records' insert (which takes their ids) and the
        # commit run under the lock: the look-up, the batch row and the region's counters come before it, so
        # the writers overlap everything else (and a lock holder never waits for a row another writer holds).
        execute(f"SELECT pg_advisory_xact_lock({UPLINK_ORDER_LOCK})")
        _insert_records(many, sql, rows)
    applied = len(records) - conflicts - duplicates
    return BatchOutcome(applied=applied, duplicates=len(batch.envelopes) - len(sequences) + duplicates,
                        conflicts=conflicts, high_water=high)


def _repeat_status(body: bytes, kind: str, here: bytes | None, stored: bytes | None) -> str:
    """A (uuid, revision) applied before (in this batch: `here`, or stored: `stored`): `duplicate` if the payload
    is the same, else `conflict`."""
    record = sync_pb2.Record()
    record.ParseFromString(body)
    payload = getattr(record, kind).SerializeToString(deterministic=True)
    old = sync_pb2.Record()
    old.ParseFromString(here if here is not None else stored or b"")
    old_payload = getattr(old, old.WhichOneof("payload") or kind).SerializeToString(deterministic=True)
    return RecordStatus.DUPLICATE.value if old_payload == payload else RecordStatus.CONFLICT.value


_APPLIED, _CONFLICT = RecordStatus.APPLIED.value, RecordStatus.CONFLICT.value
UPLINK_ORDER_LOCK = 0x48554655  # "HUFU": PostgreSQL advisory lock that orders uplink_records' ids by commit
_RECORD_COLUMNS = ("region", "epoch", "sequence", "uuid", "revision", "kind", "status", "record", "batch_id",
                   "leaf_index", "received_at", "limits_checked")
_COPY_RECORDS = f"COPY uplink_records ({', '.join(_RECORD_COLUMNS)}) FROM STDIN"
_IN_CHUNK = 500  # (uuid, revision) look-ups per statement


@dataclass(frozen=True)
class _Stamps:
    """`now` as each column stores it (the stored text format of each table is kept as it always was)."""

    record: object
    batch: object


def _stamps(dialect: sa.Dialect, now: dt.datetime) -> _Stamps:
    if dialect.name != "sqlite":
        return _Stamps(record=now, batch=now)
    # uplink_records.received_at has always been written by sqlite3's own adapter (ISO with a space);
    # uplink_batches and regions through SQLAlchemy's SQLite DATETIME format
    process = UplinkBatch.__table__.c.received_at.type.dialect_impl(dialect).bind_processor(dialect)
    return _Stamps(record=now.isoformat(" "), batch=process(now) if process is not None else now)


@dataclass(frozen=True)
class _Sql:
    """The ingest statements of one dialect, built once."""

    mark: str
    batch: str
    region: str
    record: str  # one row of uplink_records, for executemany
    returning: bool

    def earlier(self, n: int) -> str:
        return _earlier_sql(self.mark, n)


@functools.cache
def _earlier_sql(mark: str, n: int) -> str:
    return (f"SELECT uuid, revision, record FROM uplink_records WHERE status = 'applied' AND uuid IN "
            f"({', '.join([mark] * n)})")


@functools.cache
def _statements_for(m: str, returning: bool) -> _Sql:
    batch = ("INSERT INTO uplink_batches (region, epoch, first_sequence, count, root, signature, leaves, cert_serial, "
             f"received_at) VALUES ({', '.join([m] * 9)})" + (" RETURNING id" if returning else ""))
    region = (f"UPDATE regions SET high_water = {m}, records = records + {m}, conflicts = conflicts + {m}, "
              f"last_contact = {m}, last_batch_at = {m} WHERE code = {m}")
    record = f"INSERT INTO uplink_records ({', '.join(_RECORD_COLUMNS)}) VALUES ({', '.join([m] * len(_RECORD_COLUMNS))})"
    return _Sql(mark=m, batch=batch, region=region, record=record, returning=returning)


def _statements(dialect: sa.Dialect) -> _Sql:
    # SQLite: the driver's cursor answers the batch row's id (lastrowid); elsewhere RETURNING where there is one
    return _statements_for(placeholder(dialect), bool(dialect.insert_returning) and dialect.name != "sqlite")


def _insert_records(conn: sa.Connection, sql: _Sql, rows: Iterable[tuple[object, ...]]) -> None:
    """The batch's rows on PostgreSQL (and any other server): one COPY with psycopg, else one executemany."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        # COPY: one stream of rows, no per-row statement (a pipelined executemany binds and executes each row)
        import psycopg

        driver = conn.connection.driver_connection
        assert driver is not None  # a live connection: the session is in its transaction
        cursor = driver.cursor()
        try:
            with cursor.copy(_COPY_RECORDS) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:  # as SQLAlchemy raises it (a sequence stored first: IntegrityError)
            raise sa.exc.DBAPIError.instance(_COPY_RECORDS, None, exc, psycopg.Error, dialect=conn.dialect) from exc
        finally:
            cursor.close()
        return
    conn.exec_driver_sql(sql.record, list(rows))


def note_error(session: Session, region: str, message: str, now: dt.datetime) -> None:
    """Remember a refusal as the region's last error, with its time (the status shows it until an exchange succeeds)."""
    from sync.regions import PROVINCES

    row = session.get(RegionRow, region)
    if row is None:
        if region not in PROVINCES:
            return  # not a region this federation has: nothing to show it on
        row = RegionRow(code=region, name=region_name(region), epoch=1, high_water=0, records=0, reported_head=0,
                        conflicts=0, feed_floor=0)
        session.add(row)
    row.last_error = message[:1000]
    row.last_error_at = now


def verify_stored(session: Session, record_id: int, trust: RegionTrust) -> UplinkRecord:
    """Re-verify a stored filing: its bytes are a leaf of a batch whose root the region signed."""
    from sync.envelope import leaf_hash, merkle_root, verify_root

    rec = session.get(UplinkRecord, record_id)
    if rec is None:
        raise LookupError(f"no uplink record {record_id}")
    batch = session.get(UplinkBatch, rec.batch_id)
    assert batch is not None
    leaves = [batch.leaves[i:i + 32] for i in range(0, len(batch.leaves), 32)]
    if leaf_hash(rec.record) != leaves[rec.leaf_index]:
        raise BadSignature(f"record {record_id} is not the record its batch signed")
    if merkle_root(leaves) != batch.root:
        raise BadSignature(f"batch {batch.id}: stored leaves do not give the signed root")
    # the key issued with the certificate that sent the batch: filings stay verifiable after a rotation
    try:
        verify_root(batch.region, batch.epoch, batch.first_sequence, batch.count, batch.root, batch.signature,
                    trust.key_for(batch.cert_serial))
    except BadSignature:
        # a batch whose certificate predates the key history: any key this region was issued will do
        for key in trust.keys():
            try:
                verify_root(batch.region, batch.epoch, batch.first_sequence, batch.count, batch.root,
                            batch.signature, key)
                return rec
            except BadSignature:
                continue
        raise
    return rec
