"""The national gRPC server: mutual TLS, identity from the certificate, thin servicer."""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import sqlalchemy as sa
from google.protobuf.message import DecodeError
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from national import feed, ingest, verifiers
from national.models import RegionRow
from national.verifiers import Verifiers
from sync import limits
from sync.db import Database
from sync.pki import (
    PkiError,
    RegionTrust,
    certificate_identity,
    load_trust,
    sign_epoch_grant,
    verify_epoch_grant,
)
from sync.transport import SERVER_OPTIONS, server_credentials
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.national.grpc")
Clock = Callable[[], dt.datetime]
EPOCH_METADATA = "hufu-epoch"
BAD_SEQUENCE_METADATA = "hufu-bad-sequence"  # the record a refused batch was refused for
RETRY_AFTER_METADATA = "hufu-retry-after-s"
ALL_REGIONS = 31
RECONCILE_SEQUENCES_PER_MINUTE = 1_000_000  # per region: the whole history of a large region in minutes
RECONCILE_CALLS_PER_MINUTE = 30  # per region


def server_threads(regions: int) -> int:
    """Worker threads for `regions` registered regions (at least all 31 provinces).

    A Push stream holds one thread for as long as it is open and a region may hold a Pull or a
    Reconcile beside it: two per region, plus headroom for health checks and a restored copy.
    """
    return 2 * max(regions, ALL_REGIONS) + 16


class FairGate:
    """A FIFO semaphore: callers get one of `permits` slots strictly in arrival order.

    Every region's batch queues for the database behind the ones that arrived before it, so
    no region can be overtaken for ever by luckier threads (SQLite's busy handler and Python's
    locks make no such promise).
    """

    def __init__(self, permits: int) -> None:
        self._cond = threading.Condition()
        self._free = permits
        self._queue: deque[object] = deque()
        self._urgent: deque[object] = deque()

    @contextmanager
    def slot(self, urgent: bool = False) -> Iterator[None]:
        """Hold one slot for the duration of the block.

        `urgent` callers (a hello, a stream's first batch: short, and what a newly connected
        region waits on) go ahead of the others, still in arrival order among themselves, so a
        region that just connected is answered within a few turns however many regions push.
        """
        ticket = object()
        with self._cond:
            mine = self._urgent if urgent else self._queue
            mine.append(ticket)
            while self._free == 0 or (self._urgent[0] if self._urgent else self._queue[0]) is not ticket:
                self._cond.wait()
            mine.popleft()
            self._free -= 1
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._free += 1
                self._cond.notify_all()


class RateLimit:
    """Per-region allowance per minute (sliding window); pure apart from the time passed in."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._spent: dict[str, deque[tuple[float, int]]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, amount: int, now: float) -> float:
        """Spend `amount` for `key`; return 0 when allowed, else the seconds to wait (nothing is spent)."""
        with self._lock:
            spent = self._spent.setdefault(key, deque())
            while spent and spent[0][0] <= now - 60:
                spent.popleft()
            used = sum(n for _t, n in spent)
            if used + amount > self.per_minute:
                if not spent:
                    return 60.0
                return max(0.1, spent[0][0] + 60 - now)
            spent.append((now, amount))
            return 0.0


def check_reconcile(request: sync_pb2.ReconcileRequest) -> int:
    """Refuse a reconciliation request beyond the per-call bounds; return the sequences it covers."""
    errors = limits.validate("ReconcileRequest", request, "reconcile request")
    if errors:
        raise ValueError(str(errors[0]))
    if len(request.ranges) > limits.MAX_RECONCILE_RANGES:
        raise ValueError(f"reconcile request: field ranges has {len(request.ranges):,} ranges; at most "
                         f"{limits.MAX_RECONCILE_RANGES} per call are accepted (send several calls)")
    total = 0
    for i, r in enumerate(request.ranges):
        errors = limits.validate("RangeDigest", r, f"reconcile request range {i + 1}")
        if errors:
            raise ValueError(str(errors[0]))
        if r.last < r.first:
            raise ValueError(f"reconcile request range {i + 1}: field last ({r.last}) is before first ({r.first})")
        span = r.last - r.first + 1
        if span > limits.MAX_RECONCILE_SPAN:
            raise ValueError(f"reconcile request range {i + 1}: covers {span:,} sequences; at most "
                             f"{limits.MAX_RECONCILE_SPAN:,} per range are accepted")
        total += span
    if total > limits.MAX_RECONCILE_SEQUENCES:
        raise ValueError(f"reconcile request: covers {total:,} sequences in all; at most "
                         f"{limits.MAX_RECONCILE_SEQUENCES:,} per call are accepted (send several calls)")
    return total


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_END = object()  # the region half-closed its stream
_DONE = object()  # a batch's store finished


@dataclass(frozen=True)
class _Checking:
    """A batch handed to a verifier process: its answer, the batch, the stream's high-water mark before it."""

    future: futures.Future[ingest.Checked | None]
    batch: sync_pb2.Batch
    known_high: int


class _Skipped(Exception):
    """A batch not stored because an earlier one of the same stream failed."""


GROUP_BATCHES = 8  # at most this many batches of a stream under one commit (4,000 records)
GROUP_WAIT_BATCHES = 4  # … of which the writer waits for the checks of this many (see _StreamWriter)
GROUP_WAIT_S = 0.25  # the longest the writer waits for one queued batch's check to join a commit


class _StreamWriter:
    """A Push stream's writer thread: stores the stream's batches in arrival order, acknowledging none before the
    commit that made it durable.

    Group commit: when the writer turns to the next batch, the batches queued behind it whose checks are already
    done (up to GROUP_BATCHES) are stored in the same transaction and made durable by the same commit — one sync of
    the database's log instead of one per batch, with the same durability for each. Each batch's future is set
    only after that commit. While the group is smaller than GROUP_WAIT_BATCHES, the writer also waits (at most
    GROUP_WAIT_S) for the check of the next queued batch when yet another batch is queued behind it: the verifier
    is then busy with the stream's next batches anyway and the region has sent more, so the wait costs no work,
    only a later acknowledgement of the batches ahead, and the group shares one commit (each commit of SQLite's
    log rewrites every index page its rows touched: fewer commits, less CPU on the two cores every stage shares).
    A batch refused by its checks ends the group before it (the ones ahead of it are
    committed and acknowledged; it and every later batch of the stream fail); a group whose transaction fails is
    rolled back and stored again one batch per transaction, so a failure (a concurrent stream of the same region
    stored these sequences first) keeps every batch before the one that failed, exactly as one commit per batch.
    """

    def __init__(self, name: str, prepare: Callable[[ingest.Prepared | _Checking], ingest.Prepared],
                 store: Callable[[list[ingest.Prepared], bool], list[ingest.BatchOutcome]],
                 broken: list[BaseException]) -> None:
        self._prepare = prepare
        self._store = store
        self._broken = broken  # the stream's first failure: every batch after it is skipped
        self._cond = threading.Condition()
        self._queue: deque[tuple[ingest.Prepared | _Checking, bool, futures.Future[ingest.BatchOutcome]]] = deque()
        self._closed = False
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def submit(self, work: ingest.Prepared | _Checking, urgent: bool) -> futures.Future[ingest.BatchOutcome]:
        """Queue a batch; its future is set once it is durably stored (or has failed, or was skipped)."""
        future: futures.Future[ingest.BatchOutcome] = futures.Future()
        with self._cond:
            self._queue.append((work, urgent, future))
            self._cond.notify()
        return future

    def close(self) -> None:
        """No more batches: the thread stores what is queued, then ends."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                head = self._queue.popleft()
            group = [head]
            try:
                self._turn(group)
            except BaseException as exc:  # noqa: BLE001 - never leave a future unset (the stream would hang)
                self._fail(group, exc)

    @staticmethod
    def _ready(work: ingest.Prepared | _Checking) -> bool:
        return not isinstance(work, _Checking) or work.future.done()

    def _turn(self, group: list[tuple[ingest.Prepared | _Checking, bool, futures.Future[ingest.BatchOutcome]]]) -> None:
        prepared: list[ingest.Prepared] = []
        refused: BaseException | None = None
        index = 0
        while index < len(group) and not self._broken:
            work = group[index][0]
            try:
                prepared.append(self._prepare(work))  # the head's answer is waited for; the others are in already
            except BaseException as exc:  # noqa: BLE001 - the refusal, raised to the stream through its future
                refused = exc
                break
            index += 1
            if index == len(group) and len(group) < GROUP_BATCHES:
                self._extend(group)
        urgent = any(u for _w, u, _f in group)
        done = 0
        if prepared:
            try:
                outcomes = self._store(prepared, urgent)
            except BaseException:  # noqa: BLE001 - again one batch per transaction: keep those before the failure
                outcomes = []
                if len(prepared) == 1:
                    raise
                for one in prepared:
                    try:
                        outcomes += self._store([one], urgent)
                    except BaseException as exc:  # noqa: BLE001
                        self._broken.append(exc)
                        group[len(outcomes)][2].set_exception(exc)
                        done = len(outcomes) + 1
                        break
            for (_w, _u, future), outcome in zip(group, outcomes, strict=False):
                future.set_result(outcome)
            done = max(done, len(outcomes))
        if refused is not None and done == index and not self._broken:
            self._broken.append(refused)
            group[index][2].set_exception(refused)
            done += 1
        self._fail(group[done:], None)

    def _extend(self, group: list[tuple[ingest.Prepared | _Checking, bool, futures.Future[ingest.BatchOutcome]]],
                ) -> None:
        """Batches queued meanwhile whose checks are done join this commit; while the group is under
        GROUP_WAIT_BATCHES, also the next one once its check is done if another batch is queued behind it."""
        while len(group) < GROUP_BATCHES:
            with self._cond:
                if not self._queue:
                    return
                work = self._queue[0][0]
                if self._ready(work):
                    group.append(self._queue.popleft())
                    continue
                if len(group) >= GROUP_WAIT_BATCHES or len(self._queue) < 2:
                    return
            assert isinstance(work, _Checking)  # not ready: its check is running (only this thread takes)
            futures.wait([work.future], timeout=GROUP_WAIT_S)
            if not work.future.done():
                return

    def _fail(self, group: list[tuple[ingest.Prepared | _Checking, bool, futures.Future[ingest.BatchOutcome]]],
              exc: BaseException | None) -> None:
        """Fail every batch of `group` not yet answered: with `exc` (recorded as the stream's failure), or skipped."""
        for _w, _u, future in group:
            if future.done():
                continue
            if exc is not None and not self._broken:
                self._broken.append(exc)
                future.set_exception(exc)
                continue
            skipped = _Skipped()
            skipped.__cause__ = self._broken[0] if self._broken else exc
            future.set_exception(skipped)


class Undecodable:
    """A request whose bytes are not the protobuf message the method takes."""

    def __init__(self, error: str) -> None:
        self.error = error

    def WhichOneof(self, _name: str) -> None:  # noqa: N802 (protobuf name)
        """Never any field: callers treat it as malformed."""
        return None


class Uplink:
    """An UplinkMessage that is one batch, as received, with the batch's own bytes (`raw`) cut from the message's:
    a verifier process is handed these instead of the batch serialized again (~1 ms a 500-record batch, under
    the server's interpreter lock). Parsing them gives the same batch as `message.batch`."""

    __slots__ = ("message", "raw")

    def __init__(self, message: sync_pb2.UplinkMessage, raw: bytes) -> None:
        self.message = message
        self.raw = raw


_BATCH_TAG = 0x12  # UplinkMessage field 2 (batch), length-delimited


def batch_bytes(data: bytes) -> bytes | None:
    """The Batch's bytes when `data` (a serialized UplinkMessage) is that one field and nothing else, else None."""
    if len(data) < 2 or data[0] != _BATCH_TAG:
        return None
    length = shift = 0
    for end in range(1, min(len(data), 11)):  # a varint: at most 10 bytes
        length |= (data[end] & 0x7F) << shift
        shift += 7
        if not data[end] & 0x80:
            return data[end + 1:] if end + 1 + length == len(data) else None
    return None


def unwrap(item: Any) -> tuple[Any, bytes | None]:
    """(the message, the batch's own bytes or None) of what Push's request iterator yields."""
    return (item.message, item.raw) if isinstance(item, Uplink) else (item, None)


def _lenient(cls: type) -> Callable[[bytes], object]:
    """A deserializer that hands bad bytes to the servicer, which refuses them with INVALID_ARGUMENT.

    UplinkMessage: a batch comes as `Uplink` (the message and the batch's bytes) when its bytes are the batch alone.
    """

    def parse(data: bytes) -> object:
        message = cls()
        try:
            message.ParseFromString(data)
        except DecodeError as exc:
            return Undecodable(str(exc))
        if cls is sync_pb2.UplinkMessage:
            raw = batch_bytes(data)
            if raw is not None and message.WhichOneof("body") == "batch":
                return Uplink(message, raw)
        return message

    return parse


class FederationSyncServicer(sync_pb2_grpc.FederationSyncServicer):
    """Translates gRPC calls into ingest and feed operations, and domain errors into status codes."""

    def __init__(self, db: Database, pki_dir: Path, clock: Clock = _utcnow) -> None:
        self.db = db
        self.pki_dir = pki_dir
        self.clock = clock
        sqlite = db.url.startswith("sqlite")
        # SQLite has one writer: queue writes here, in order, rather than in its busy handler
        self.writes = FairGate(1 if sqlite else 4)
        self.reads = FairGate(4 if sqlite else 8)
        self.verifiers: Verifiers | None = None  # build_server's: batches checked in verifier processes
        self.reconcile_sequences = RateLimit(RECONCILE_SEQUENCES_PER_MINUTE)
        self.reconcile_calls = RateLimit(RECONCILE_CALLS_PER_MINUTE)

    @contextmanager
    def _write(self, urgent: bool = False) -> Iterator[sa.orm.Session]:
        with self.writes.slot(urgent), self.db.transaction() as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[sa.orm.Session]:
        with self.reads.slot(), self.db.read() as session:
            yield session

    def _refuse(self, context: grpc.ServicerContext, region: str, code: grpc.StatusCode, message: str,
                trailers: tuple[tuple[str, str], ...] = (), *, copies: bool = False) -> None:
        """Abort the call with `code` and keep the refusal as the region's last error (status pages).

        `copies`: the refusal shows two live copies of the region's database (split brain).
        """
        log.warning("refused %s: %s: %s", region, code.name, message)
        try:
            with self._write() as session:
                now = self.clock()
                ingest.note_error(session, region, f"{code.name}: {message}", now)
                if copies:
                    ingest.note_copies(session, region, message, now)
        except sa.exc.SQLAlchemyError:
            log.exception("could not record the refusal of %s", region)
        if trailers:
            context.set_trailing_metadata(trailers)
        context.abort(code, message)

    def _identity(self, context: grpc.ServicerContext) -> tuple[str, str, RegionTrust]:
        """The (region, serial, trust) of the verified client certificate; aborts if absent or revoked."""
        pems = context.auth_context().get("x509_pem_cert")
        if not pems:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "a client certificate issued by the national CA is required")
        try:
            region, serial = certificate_identity(pems[0])
        except (PkiError, ValueError) as exc:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        trust = load_trust(self.pki_dir)  # re-read: revocations take effect without a restart
        try:
            entry = ingest.authorize(trust, region, serial, self.clock())
        except ingest.NotAuthorized as exc:
            self._refuse(context, region, grpc.StatusCode.PERMISSION_DENIED, str(exc))
        return region, serial, entry

    def Push(self, request_iterator: Iterator[sync_pb2.UplinkMessage],  # noqa: N802 (gRPC name)
             context: grpc.ServicerContext) -> Iterator[sync_pb2.UplinkReply]:
        """Hello, welcome with the high-water mark, then one acknowledgement per committed batch."""
        region, serial, trust = self._identity(context)
        first, _raw = unwrap(next(request_iterator, None))
        if isinstance(first, Undecodable):
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                         f"the message is not a valid sync.v1 protobuf message ({first.error}); nothing was stored")
        if first is None or first.WhichOneof("body") != "hello":
            self._refuse(context, region, grpc.StatusCode.FAILED_PRECONDITION,
                         "the first uplink message must be a hello")
        if first.hello.region != region:
            self._refuse(context, region, grpc.StatusCode.PERMISSION_DENIED,
                         f"certificate names region {region} but the hello claims region {first.hello.region[:20]!r}")
        hi = first.hello

        def granted(epoch: int) -> bool:
            return verify_epoch_grant(self.pki_dir, region, epoch, hi.epoch_grant)

        try:
            with self._write(urgent=True) as session:
                high, epoch = ingest.hello(session, hi, region, self.clock(), granted)
                leaf = ingest.leaf_at(session, region, epoch, high) if high else b""
        except ingest.StaleEpoch as exc:
            self._refuse(context, region, grpc.StatusCode.FAILED_PRECONDITION, str(exc),
                         ((EPOCH_METADATA, str(exc.current)),), copies=True)
        except ingest.Diverged as exc:
            self._refuse(context, region, grpc.StatusCode.FAILED_PRECONDITION, str(exc), copies=True)
        except ingest.IngestError as exc:
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        yield sync_pb2.UplinkReply(welcome=sync_pb2.Welcome(high_water=high, epoch=epoch, high_water_leaf=leaf))
        who = ingest.Sender(region=region, cert_serial=serial, epoch=hi.epoch or 1)
        yield from self._batches(context, request_iterator, who, trust, high)

    def _batches(self, context: grpc.ServicerContext, request_iterator: Iterator[sync_pb2.UplinkMessage],
                 who: ingest.Sender, trust: RegionTrust, high: int) -> Iterator[sync_pb2.UplinkReply]:
        """Batches after the welcome, pipelined: while one is written, the next is verified and checked.

        A reader thread takes messages off the stream; this thread prepares each batch (signature,
        limits: CPU only) and hands it to the stream's writer thread, which stores batches in order,
        each in its own transaction or, when several are checked and waiting, a few in one (group
        commit, `_StreamWriter`). Acknowledgements go back in batch order as
        their commits finish. If one store fails, every later one of the stream is skipped, so
        nothing is ever stored past a gap.
        """
        region = who.region
        inbox: queue.Queue[object] = queue.Queue()

        def read() -> None:
            try:
                for message in request_iterator:
                    inbox.put(message)
            except Exception as exc:  # noqa: BLE001 - the client went away: the stream ends
                inbox.put(exc)
            inbox.put(_END)

        threading.Thread(target=read, name=f"push-read-{region}", daemon=True).start()
        broken: list[BaseException] = []

        def prepare(work: ingest.Prepared | _Checking) -> ingest.Prepared:
            if isinstance(work, _Checking):  # checked in a verifier process: its answer (or the refusal) first
                return verifiers.prepared(work.future, who, trust, work.batch, work.known_high)
            return work

        def store(group: list[ingest.Prepared], urgent: bool) -> list[ingest.BatchOutcome]:
            """The batches in one transaction, in order; nothing of them is kept if any fails."""
            with self._write(urgent=urgent) as session:
                return [ingest.store_batch(session, who, prepared, self.clock()) for prepared in group]

        writer = _StreamWriter(f"push-write-{region}", prepare, store, broken)
        outstanding: deque[tuple[int, futures.Future[ingest.BatchOutcome]]] = deque()
        expected = high
        first_batch = True

        def acks(everything: bool) -> Iterator[sync_pb2.UplinkReply]:
            """Acknowledge, in order, the stored batches (all of them, waiting, when `everything`)."""
            while outstanding and (everything or outstanding[0][1].done()):
                first, done = outstanding.popleft()
                outcome = self._outcome(context, region, who, done)
                yield sync_pb2.UplinkReply(ack=sync_pb2.Ack(
                    first_sequence=first, applied=outcome.applied, duplicates=outcome.duplicates,
                    high_water=outcome.high_water))

        try:
            while True:
                item = inbox.get()
                if item is _DONE or item is _END:
                    yield from acks(everything=item is _END)
                    if item is _END:
                        return
                    continue
                if isinstance(item, BaseException):
                    return
                message, raw = unwrap(item)
                # a refusal below ends the stream: first acknowledge every batch already being stored,
                # so the region learns what was committed (one bad batch never hides the good ones before it)
                if not isinstance(message, sync_pb2.UplinkMessage) or message.WhichOneof("body") != "batch":
                    yield from acks(everything=True)
                if isinstance(message, Undecodable):
                    self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                                 f"the message is not a valid sync.v1 protobuf message ({message.error}); "
                                 "nothing was stored")
                assert isinstance(message, sync_pb2.UplinkMessage)
                if message.WhichOneof("body") == "divergence":
                    report = message.divergence
                    errors = limits.validate("Divergence", report, "divergence report")
                    reason = report.reason if not errors else str(errors[0])
                    self._refuse(context, region, grpc.StatusCode.FAILED_PRECONDITION,
                                 f"region {region} reports that its database is not the one the national node "
                                 f"knows (it holds up to {report.outbox_head}, the national node up to "
                                 f"{report.national_high_water}): {reason[:500]}; " + ingest.RESTORE_HINT,
                                 copies=True)
                if message.WhichOneof("body") != "batch":
                    self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                                 "after the hello only batches may be sent")
                checking = self.verifiers.submit(who, trust, message.batch, expected, raw) if self.verifiers else None
                if checking is not None:
                    # checked in a verifier process while this thread reads on; the writer takes its answer (or
                    # the refusal) in order. If this batch is refused, the stream ends at it, so the next
                    # batch's expected start can be taken from this one's header.
                    batch = message.batch
                    work: ingest.Prepared | _Checking = _Checking(checking, batch, expected)
                    expected = max(expected, batch.first_sequence + len(batch.envelopes) - 1)
                else:
                    try:
                        work = ingest.prepare_batch(who, trust, message.batch, expected)
                    except ingest.IngestError as exc:
                        yield from acks(everything=True)
                        self._refuse_ingest(context, region, exc)
                    expected = work.last
                future = writer.submit(work, urgent=first_batch)
                future.add_done_callback(lambda _f: inbox.put(_DONE))
                outstanding.append((message.batch.first_sequence, future))
                first_batch = False
        finally:
            writer.close()

    def _outcome(self, context: grpc.ServicerContext, region: str, who: ingest.Sender,
                 done: futures.Future[ingest.BatchOutcome]) -> ingest.BatchOutcome:
        """A stored batch's outcome, or the refusal its failure calls for."""
        try:
            return done.result()
        except sa.exc.IntegrityError:
            # another stream of the same region stored these sequences first: re-read and ask again
            with self._read() as session:
                high = ingest.high_water(session, region, who.epoch)
            self._refuse(context, region, grpc.StatusCode.ABORTED,
                         f"concurrent stream of region {region}; high-water is now {high}, reconnect and "
                         f"resend from {high + 1}")
        except ingest.IngestError as exc:
            self._refuse_ingest(context, region, exc)
        except _Skipped:
            self._refuse(context, region, grpc.StatusCode.ABORTED, "an earlier batch of this stream failed")
        raise AssertionError("unreachable: _refuse aborts the call")

    def _refuse_ingest(self, context: grpc.ServicerContext, region: str, exc: ingest.IngestError) -> None:
        code = {
            ingest.NotAuthorized: grpc.StatusCode.PERMISSION_DENIED,
            ingest.SequenceGap: grpc.StatusCode.FAILED_PRECONDITION,
        }.get(type(exc), grpc.StatusCode.INVALID_ARGUMENT)
        trailers: tuple[tuple[str, str], ...] = ()
        if isinstance(exc, ingest.InvalidRecord):
            trailers = ((BAD_SEQUENCE_METADATA, str(exc.sequence)),)
        self._refuse(context, region, code, str(exc), trailers)

    def Pull(self, request: sync_pb2.PullRequest,  # noqa: N802 (gRPC name)
             context: grpc.ServicerContext) -> Iterator[sync_pb2.DownlinkItem]:
        """This region's feed after the cursor (or a snapshot if the cursor fell behind retention)."""
        region, _serial, _trust = self._identity(context)
        if isinstance(request, Undecodable):
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                         f"the message is not a valid sync.v1 protobuf message ({request.error})")
        errors = limits.validate("PullRequest", request, "pull request")
        if errors:
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT, str(errors[0]))
        limit = min(request.max_items or 500, limits.MAX_PULL_ITEMS)
        with self._read() as session:
            items = feed.read(session, region, request.after_cursor, limit)
        yield from items

    def Reconcile(self, request: sync_pb2.ReconcileRequest,  # noqa: N802 (gRPC name)
                  context: grpc.ServicerContext) -> sync_pb2.ReconcileReply:
        """The national node's counts and digests over the region's ranges."""
        region, _serial, _trust = self._identity(context)
        if isinstance(request, Undecodable):
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                         f"the message is not a valid sync.v1 protobuf message ({request.error})")
        try:
            sequences = check_reconcile(request)
        except ValueError as exc:
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        now = time.monotonic()
        wait = self.reconcile_calls.take(region, 1, now) or self.reconcile_sequences.take(region, sequences, now)
        if wait:
            self._refuse(context, region, grpc.StatusCode.RESOURCE_EXHAUSTED,
                         f"reconciliation allowance of region {region} is used up (at most "
                         f"{RECONCILE_CALLS_PER_MINUTE} calls and {RECONCILE_SEQUENCES_PER_MINUTE:,} sequences "
                         f"a minute); try again in {wait:.0f} s", ((RETRY_AFTER_METADATA, f"{wait:.1f}"),))
        with self._read() as session:
            reply = feed.reconcile(session, region, request)
        divergent = sum(1 for a, b in zip(request.ranges, reply.ranges, strict=True)
                        if (a.count, a.digest) != (b.count, b.digest))
        note = (f"{self.clock().isoformat()} epoch {request.epoch}: {len(request.ranges)} range(s), "
                f"{divergent} differ")
        with self._write() as session:
            row = session.get(RegionRow, region)
            if row is not None:
                row.last_reconcile = note
        return reply


    def Restore(self, request: sync_pb2.RestoreRequest,  # noqa: N802 (gRPC name)
                context: grpc.ServicerContext) -> sync_pb2.RestoreReply:
        """An operator declares this region database the one live copy: record it, grant the next epoch."""
        region, serial, _trust = self._identity(context)
        if isinstance(request, Undecodable):
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                         f"the message is not a valid sync.v1 protobuf message ({request.error})")
        try:
            with self._write() as session:
                epoch, previous = ingest.restore(session, region, request, serial, self.clock())
        except ingest.IngestError as exc:
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        log.warning("region %s restored by %s: now epoch %d (%s)", region, request.operator[:100], epoch,
                    request.reason[:200])
        return sync_pb2.RestoreReply(epoch=epoch, previous_high_water=previous,
                                     grant=sign_epoch_grant(self.pki_dir, region, epoch))

    def RegionLeads(self, request: sync_pb2.RegionLeadsRequest,  # noqa: N802 (gRPC name)
                    context: grpc.ServicerContext) -> sync_pb2.RegionLeadsReply:
        """The calling region's own leads as this node holds them, paged (read back after a restore)."""
        from national.region_leads import region_leads

        region, _serial, _trust = self._identity(context)
        if isinstance(request, Undecodable):
            self._refuse(context, region, grpc.StatusCode.INVALID_ARGUMENT,
                         f"the message is not a valid sync.v1 protobuf message ({request.error})")
        with self._read() as session:
            return region_leads(session, region, request.after, request.max_entries)


SERVICE = "sync.v1.FederationSync"

_HANDLER_KINDS = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}


def service_handlers(servicer: FederationSyncServicer) -> dict[str, grpc.RpcMethodHandler]:
    """Every method of sync.v1.FederationSync, typed from the proto's own descriptor, in one table.

    Like the generated helper, but with deserializers that never raise: grpc answers INTERNAL
    "Exception deserializing request!" when a deserializer raises; a region sending bytes that are
    not our messages deserves INVALID_ARGUMENT and a sentence. Deriving the table from the
    descriptor means a new RPC in the proto cannot be left unregistered or registered twice.
    """
    handlers: dict[str, grpc.RpcMethodHandler] = {}
    for method in sync_pb2.DESCRIPTOR.services_by_name["FederationSync"].methods:
        request_cls = getattr(sync_pb2, method.input_type.name)
        reply_cls = getattr(sync_pb2, method.output_type.name)
        kind = _HANDLER_KINDS[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = kind(getattr(servicer, method.name), request_deserializer=_lenient(request_cls),
                                     response_serializer=reply_cls.SerializeToString)
    return handlers


def warm_up(db: Database) -> None:
    """Do once, before the server listens, what the first exchange would otherwise pay for: configure the ORM
    mappers, open the database, generate the lead record checker (a fresh server's first hello took ~0.15 s)."""
    sa.orm.configure_mappers()
    ingest.warm()  # the lead record checkers (and the batch check's record list, when a batch is checked here)
    with db.read() as session:
        session.execute(sa.select(RegionRow.code).limit(1)).all()
    with db.transaction() as session:  # the writers' engine too (nothing is written)
        session.execute(sa.select(RegionRow.code).limit(1)).all()


def build_server(db: Database, pki_dir: Path, host: str, port: int, workers: int = 0,
                 clock: Clock = _utcnow, evidence_dir: Path | None = None,
                 verifiers: Verifiers | None = None) -> tuple[grpc.Server, int]:
    """A server bound to host:port over mutual TLS (not yet started); returns it and the bound port.

    `workers` 0 sizes the thread pool for every registered region (at least 31) plus headroom;
    calls beyond the pool are refused at once (RESOURCE_EXHAUSTED) rather than queued unseen.
    `verifiers`: check uplink batches in these processes (national.verifiers); None: in each stream's thread.
    """
    from national import evidence_rpc
    from sync.cas import ContentStore

    threads = workers or server_threads(len(load_trust(pki_dir)))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="grpc"),
                         options=SERVER_OPTIONS, maximum_concurrent_rpcs=threads)
    log.info("gRPC server: %d worker threads", threads)
    # one servicer (one set of write/read gates) answers the sync and the evidence methods alike
    servicer = evidence_rpc.EvidenceServicer(db, pki_dir, ContentStore(evidence_dir or pki_dir.parent / "evidence"),
                                             clock)
    servicer.verifiers = verifiers
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, service_handlers(servicer)),))
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    health_servicer.set(SERVICE, health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    creds = server_credentials(pki_dir / "ca.crt", pki_dir / "national.crt", pki_dir / "national.key")
    try:
        bound = server.add_secure_port(f"{host}:{port}", creds)
    except RuntimeError:  # grpcio ≥ 1.5x raises where older versions returned 0
        bound = 0
    if bound == 0:
        from sync.config import ConfigError

        # one line instead of grpc's traceback (newcomer14 F40)
        raise ConfigError(f"cannot listen on {host}:{port}: the port is in use (another `hufu national serve`?) "
                          f"or {host!r} is not an address of this machine (settings grpc_host, grpc_port / --port)")
    return server, bound
