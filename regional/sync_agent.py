"""The region's side of sync: push the outbox up, pull the downlink feed down.

The cursor of each direction only moves on proof: the uplink's on the national node's
acknowledgement of a durable commit, the downlink's in the same transaction that stores
the items it covers.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc
import sqlalchemy as sa

from regional import outbox, state
from regional import reasons as reason_codes
from regional.models import AuditEntry, BlacklistedEntity, InboxItem, LeadRow, OutboxWithheld, ReceivedCase
from sync.db import Database
from sync.envelope import MAX_BATCH_BYTES, MAX_BATCH_RECORDS, leaf_hash, make_batch
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.regional.sync")

Clock = Callable[[], dt.datetime]
IN_FLIGHT = 8


class SyncError(RuntimeError):
    """The national node refused or broke off a sync exchange; the message says why."""


@dataclass
class PushResult:
    """What one push exchange achieved."""

    sent: int = 0
    applied: int = 0
    duplicates: int = 0
    high_water: int = 0


@dataclass
class PullResult:
    """What one pull exchange stored."""

    received: int = 0
    cursor: int = 0


def _batches(db: Database, signer: outbox.Signer, epoch: int, after: int,
             clock: Clock) -> Iterator[sync_pb2.Batch]:
    """Outbox records after `after` cut into signed batches of at most 500 records or 1 MiB.

    A record that can never be sent (it breaks a field limit) is set aside and replaced by a
    signed tombstone first (outbox.withhold), so it never blocks the records after it.
    """
    position = after
    limit = FIRST_BATCH_RECORDS  # a small first batch: acknowledged quickly even when many regions queue
    while True:
        with db.read() as session:
            rows = outbox.pending(session, epoch, position, limit)
        limit = MAX_BATCH_RECORDS
        if not rows:
            return
        chosen: list[tuple[int, bytes]] = []
        size = 0
        for seq, body in rows:
            problem = outbox.sendable(body)
            if problem is not None:
                body = _withhold(db, signer, epoch, seq, problem, clock) or body
            if chosen and size + len(body) + 16 > MAX_BATCH_BYTES:
                break
            chosen.append((seq, body))
            size += len(body) + 16
        position = chosen[-1][0]
        yield make_batch(signer.region, epoch, chosen, signer.key)


def _withhold(db: Database, signer: outbox.Signer, epoch: int, sequence: int, reason: str,
              clock: Clock) -> bytes | None:
    now = clock()
    with db.transaction() as session:
        body = outbox.withhold(session, signer, epoch, sequence, reason, now)
        session.add(AuditEntry(at=now, actor="sync", action="record_withheld",
                               detail={"epoch": epoch, "sequence": sequence, "reason": reason[:500]}))
    log.error("outbox record %d of epoch %d can never be sent (%s): kept in outbox_withheld, a tombstone "
              "takes its place", sequence, epoch, reason[:300])
    return body


FIRST_BATCH_RECORDS = 50
EPOCH_METADATA = "hufu-epoch"
BAD_SEQUENCE_METADATA = "hufu-bad-sequence"
RETRY_AFTER_METADATA = "hufu-retry-after-s"


def _trailer(exc: grpc.RpcError, key: str) -> str | None:
    try:
        for k, value in exc.trailing_metadata() or ():  # type: ignore[attr-defined]
            if k == key:
                return str(value)
    except AttributeError:
        return None
    return None


def _national_epoch(exc: grpc.RpcError) -> int | None:
    """The epoch a national node reports in a stale-epoch refusal, if any."""
    value = _trailer(exc, EPOCH_METADATA)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


Observer = Callable[[str, int], None]  # ("sent" | "acked", first_sequence)


class Diverged(SyncError):
    """This database is not the one the national node knows: an operator must decide (`hufu regional restore`)."""


RESTORE_HINT = ("If this database was restored from a backup and no other copy of this region runs, run "
                "`hufu regional restore --data-dir DIR --operator NAME`; if another copy runs, stop one of them.")


def push_once(db: Database, channel: grpc.Channel, signer: outbox.Signer, *, clock: Clock,
              timeout: float = 60.0, observer: Observer | None = None) -> PushResult:
    """Send everything the national node has not acknowledged; advance the cursor on each ack.

    The region never raises its own epoch: if the national node holds more of this epoch than
    this database does, another record under its high-water mark, or a later epoch, the push
    stops with `Diverged` and an operator decides (`restore`). A record the national node
    refuses for a field limit is set aside behind a tombstone and the push goes on.
    """
    result = PushResult()
    for _attempt in range(3):
        try:
            part = _push(db, channel, signer, clock=clock, timeout=timeout, observer=observer)
        except grpc.RpcError as exc:
            bad = _trailer(exc, BAD_SEQUENCE_METADATA)
            if exc.code() != grpc.StatusCode.INVALID_ARGUMENT or bad is None:  # type: ignore[attr-defined]
                raise
            with db.read() as session:
                epoch = outbox.current_epoch(session)
                acked = state.get_int(session, state.ACKED, 0)
            if not bad.isdigit() or int(bad) <= acked:
                raise
            _withhold(db, signer, epoch, int(bad), f"refused by the national node: {exc.details()}"[:1000],  # type: ignore[attr-defined]
                      clock)
            continue
        result.sent += part.sent
        result.applied += part.applied
        result.duplicates += part.duplicates
        result.high_water = part.high_water
        return result
    raise SyncError("the national node kept refusing records of this region; see the audit log (record_withheld)")


def _hello(db: Database, signer: outbox.Signer) -> tuple[sync_pb2.Hello, int, int, int]:
    """This database's hello, its epoch, its last sequence and the acknowledged mark it holds."""
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        last = outbox.last_sequence(session, epoch)
        acked = state.get_int(session, state.ACKED, 0)
        oldest = outbox.oldest_after(session, epoch, acked)
        mine = outbox.pending(session, epoch, acked - 1, 1) if acked else []
        grant = state.get(session, state.EPOCH_GRANT) or ""
        # the leads this database holds: the national node flags a region holding fewer than it filed (a restore
        # from an older backup lost them; newcomer16 N10)
        leads = session.scalar(sa.select(sa.func.count()).select_from(LeadRow)) or 0
    acked_leaf = leaf_hash(mine[0][1]) if mine and mine[0][0] == acked else b""
    hello = sync_pb2.Hello(region=signer.region, epoch=epoch, software="hufu/0.1", outbox_head=last,
                           oldest_unsent_at=oldest.isoformat() if oldest else "", acked=acked if acked_leaf else 0,
                           acked_leaf=acked_leaf, epoch_grant=bytes.fromhex(grant) if grant else b"",
                           lead_count=leads)
    return hello, epoch, last, acked


def _push(db: Database, channel: grpc.Channel, signer: outbox.Signer, *, clock: Clock,
          timeout: float, observer: Observer | None) -> PushResult:
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    hello, epoch, last, saved = _hello(db, signer)
    requests: queue.Queue[sync_pb2.UplinkMessage | None] = queue.Queue()

    def request_iter() -> Iterator[sync_pb2.UplinkMessage]:
        while True:
            item = requests.get()
            if item is None:
                return
            yield item

    result = PushResult()
    requests.put(sync_pb2.UplinkMessage(hello=hello))
    started = time.monotonic()
    # The stream's deadline bounds the whole exchange; progress is watched separately: with 31
    # regions queueing fairly for one database, an acknowledgement may take a while, but an
    # exchange in which nothing is answered for STALL_FACTOR x timeout is cancelled.
    call = stub.Push(request_iter(), timeout=timeout * EXCHANGE_FACTOR)
    watchdog = _Watchdog(call, timeout * STALL_FACTOR)
    call = watchdog.replies()
    try:
        try:
            first = next(call)
        except grpc.RpcError as exc:
            national = _national_epoch(exc)
            if exc.code() == grpc.StatusCode.FAILED_PRECONDITION:  # type: ignore[attr-defined]
                held = f" (the national node holds epoch {national})" if national is not None else ""
                details = exc.details() or ""  # type: ignore[attr-defined]
                hint = "" if "hufu regional restore" in details else " " + RESTORE_HINT
                raise Diverged(f"the national node refused this database{held}: {details}.{hint}") from exc
            raise
        if first.WhichOneof("body") != "welcome":
            raise SyncError("national node answered the hello without a welcome")
        high_water = first.welcome.high_water
        why = ""
        if high_water > last:
            why = (f"the national node holds sequence {high_water} of epoch {epoch} but this outbox ends at {last}: "
                   "this database is older than what was delivered (restored from a backup, or a second copy)")
        elif high_water and first.welcome.high_water_leaf:
            with db.read() as session:
                mine = outbox.pending(session, epoch, high_water - 1, 1)
            if not mine or leaf_hash(mine[0][1]) != first.welcome.high_water_leaf:
                why = (f"the national node's record {high_water} of epoch {epoch} is not this outbox's record at "
                       "that sequence: another copy of this region's database delivered it")
        if why:
            requests.put(sync_pb2.UplinkMessage(divergence=sync_pb2.Divergence(
                reason=why, outbox_head=last, national_high_water=high_water)))
            requests.put(None)
            try:
                for _ in call:
                    pass
            except grpc.RpcError:
                pass  # the national node records the report and refuses the stream
            raise Diverged(f"sync stopped: {why}. " + RESTORE_HINT)
        if high_water != saved:  # usually equal (the last exchange saved it): no durable write before sending
            _save_acked(db, high_water, clock())
        result.high_water = high_water
        acked = _AckedMark(db, clock, high_water)
        in_flight = 0
        try:
            for batch in _batches(db, signer, epoch, high_water, clock):
                requests.put(sync_pb2.UplinkMessage(batch=batch))
                if observer:
                    observer("sent", batch.first_sequence)
                result.sent += batch.count
                in_flight += 1
                while in_flight >= IN_FLIGHT:
                    result.high_water = acked.note(_take_ack(call, result, observer))
                    in_flight -= 1
                if time.monotonic() - started > timeout / 2:
                    break  # end this exchange well inside its deadline; the next one carries on
            while in_flight:
                result.high_water = acked.note(_take_ack(call, result, observer))
                in_flight -= 1
        finally:
            acked.save()  # whatever was acknowledged, also when the exchange ends in an error
    finally:
        requests.put(None)
    try:
        for _ in call:  # drain: the server closes after our half-close
            pass
    finally:
        watchdog.stop()
    with db.transaction() as session:
        state.put(session, state.LAST_PUSH_OK, clock().isoformat(), clock())
    return result


EXCHANGE_FACTOR = 10  # a push exchange's deadline: this many times rpc_timeout_s
STALL_FACTOR = 4  # an exchange with no reply for this many times rpc_timeout_s is cancelled


class _Watchdog:
    """Cancels a streaming call that has not answered for `stall_s` seconds; each reply resets it."""

    def __init__(self, call: Any, stall_s: float) -> None:
        import threading

        self.call = call
        self.stall_s = stall_s
        self.last = time.monotonic()
        self.stalled = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="push-watchdog", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(min(1.0, self.stall_s / 4)):
            if self.call.done():
                return
            if time.monotonic() - self.last > self.stall_s:
                self.stalled = True
                self.call.cancel()
                return

    def replies(self) -> Iterator[sync_pb2.UplinkReply]:
        """The call's replies; a cancellation for a stall is raised as SyncError naming it."""
        try:
            for reply in self.call:
                self.last = time.monotonic()
                yield reply
        except grpc.RpcError as exc:
            if self.stalled:
                raise SyncError(f"the national node answered nothing for {self.stall_s:.0f} s; the exchange "
                                "was cancelled and is tried again") from exc
            raise

    def stop(self) -> None:
        self._stop.set()


def _take_ack(call: Iterator[sync_pb2.UplinkReply], result: PushResult, observer: Observer | None = None) -> int:
    reply = next(call)
    if reply.WhichOneof("body") != "ack":
        raise SyncError("national node sent something other than an acknowledgement")
    if observer:
        observer("acked", reply.ack.first_sequence)
    result.applied += reply.ack.applied
    result.duplicates += reply.ack.duplicates
    return reply.ack.high_water


ACK_SAVE_INTERVAL_S = 0.5


class _AckedMark:
    """The acknowledged high-water mark, written to this database at most every ACK_SAVE_INTERVAL_S and when
    the exchange ends (also in an error), not once per batch: each write is a durable commit, and one per
    acknowledgement put an fsync of the region's database on the sending loop for every batch.

    A mark older than the national node's is safe: it is only a lower bound (the hello carries it with
    its record's leaf, the welcome's high-water mark says where sending resumes, records below it are
    never sent again) — after a crash the region shows up to half a second of records as unacknowledged
    until its next exchange.
    """

    def __init__(self, db: Database, clock: Clock, saved: int) -> None:
        self.db, self.clock = db, clock
        self.saved = self.high = saved
        self.saved_at = time.monotonic()

    def note(self, high: int) -> int:
        """Remember `high` acknowledged (saved if the last save is old enough); returns it."""
        self.high = max(self.high, high)
        if time.monotonic() - self.saved_at >= ACK_SAVE_INTERVAL_S:
            self.save()
        return high

    def save(self) -> None:
        """Write the mark now if it moved since the last write."""
        if self.high != self.saved:
            _save_acked(self.db, self.high, self.clock())
            self.saved = self.high
        self.saved_at = time.monotonic()


def _save_acked(db: Database, high_water: int, now: dt.datetime) -> None:
    with db.transaction() as session:
        state.put(session, state.ACKED, high_water, now)


@dataclass
class RestoreResult:
    """What `restore` did: the epoch granted and how many unacknowledged records moved into it."""

    old_epoch: int
    new_epoch: int
    staged_again: int
    national_high_water: int


def restore(db: Database, channel: grpc.Channel, signer: outbox.Signer, *, operator: str, reason: str,
            clock: Clock, timeout: float = 60.0) -> RestoreResult:
    """Declare this database the one live copy of the region (after restoring it from a backup).

    The national node records the restore (who, why, what this database holds) and grants the
    next epoch; the records this database has not seen acknowledged move into it and are sent
    (ones the national node already holds come back as duplicates, never applied twice).
    Run it only once every other copy of the region's database is stopped.
    """
    if not operator.strip():
        raise ValueError("the operator's name is required: the national node records who restored the region")
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        last = outbox.last_sequence(session, epoch)
        acked = state.get_int(session, state.ACKED, 0)
    reply = stub.Restore(sync_pb2.RestoreRequest(epoch=epoch, operator=operator[:100], reason=reason[:1000],
                                                 outbox_head=last, acked=acked), timeout=timeout)
    now = clock()
    with db.transaction() as session:
        carried = outbox.start_epoch(session, reply.epoch, now)
        state.put(session, state.EPOCH_GRANT, reply.grant.hex(), now)
        # the evidence log of this database ends at the backup's size: read the national copy back before
        # the next capture is filed (regional/evidence/resync.py), so the chain continues instead of forking
        from regional.evidence.resync import NEEDED

        state.put(session, NEEDED, 1, now)
        # and the leads filed after the backup was taken: the national node holds them, this database does not
        # (regional/lostleads.py lists them on /sync; the restore command checks at once, else the worker)
        from regional import lostleads

        state.put(session, lostleads.NEEDED, 1, now)
        session.add(AuditEntry(at=now, actor=operator[:100], action="region_restored",
                               detail={"old_epoch": epoch, "new_epoch": reply.epoch, "reason": reason[:500],
                                       "records_staged_again": carried,
                                       "national_high_water": reply.previous_high_water}))
    log.warning("restored: epoch %d -> %d, %d unacknowledged record(s) staged again", epoch, reply.epoch, carried)
    return RestoreResult(old_epoch=epoch, new_epoch=reply.epoch, staged_again=carried,
                         national_high_water=reply.previous_high_water)


@dataclass
class ReconcileResult:
    """Ranges of sequences where the two sides disagree (empty when they agree)."""

    epoch: int
    ranges_compared: int
    divergent: list[dict[str, object]]


def reconcile(db: Database, channel: grpc.Channel, *, clock: Clock, timeout: float = 60.0,
              span: int = 1000, sleep: Callable[[float], None] = time.sleep) -> ReconcileResult:
    """Compare per-range counts and digests with the national node; record the outcome in the audit log.

    Ranges go in calls of at most limits.MAX_RECONCILE_RANGES ranges and MAX_RECONCILE_SEQUENCES
    sequences; when the national node says this region's allowance per minute is used up, the
    call waits the time it names and carries on.
    """
    from sync import limits

    stub = sync_pb2_grpc.FederationSyncStub(channel)
    span = max(1, min(span, limits.MAX_RECONCILE_SPAN))
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        acked = state.get_int(session, state.ACKED, 0)  # compare what the national node has acknowledged
        mine = outbox.range_digests(session, epoch, acked, span)
    per_call = max(1, min(limits.MAX_RECONCILE_RANGES, limits.MAX_RECONCILE_SEQUENCES // span))
    theirs: dict[tuple[int, int], sync_pb2.RangeDigest] = {}
    for start in range(0, len(mine), per_call):
        chunk = mine[start:start + per_call]
        request = sync_pb2.ReconcileRequest(epoch=epoch, ranges=[
            sync_pb2.RangeDigest(first=f, last=la, count=c, digest=d, kinds=k) for f, la, c, d, k in chunk])
        for _attempt in range(10):
            try:
                reply = stub.Reconcile(request, timeout=timeout)
                break
            except grpc.RpcError as exc:
                wait = _trailer(exc, RETRY_AFTER_METADATA)
                if exc.code() != grpc.StatusCode.RESOURCE_EXHAUSTED or wait is None:  # type: ignore[attr-defined]
                    raise
                sleep(min(60.0, float(wait)))
        else:
            raise SyncError("the national node kept refusing reconciliation calls (allowance used up)")
        theirs.update({(r.first, r.last): r for r in reply.ranges})
    divergent: list[dict[str, object]] = []
    for first, last, count, digest, kinds in mine:
        other = theirs.get((first, last))
        if other is None or other.count != count or other.digest != digest:
            divergent.append({"first": first, "last": last, "region_count": count,
                              "national_count": other.count if other else 0,
                              "region_kinds": kinds, "national_kinds": dict(other.kinds) if other else {}})
    now = clock()
    with db.transaction() as session:
        session.add(AuditEntry(at=now, actor="sync", action="reconcile",
                               detail={"epoch": epoch, "ranges": len(mine), "divergent": divergent[:20]}))
        state.put(session, state.LAST_RECONCILE, json.dumps(
            {"at": now.isoformat(), "epoch": epoch, "ranges": len(mine), "divergent": len(divergent)}), now)
    return ReconcileResult(epoch=epoch, ranges_compared=len(mine), divergent=divergent)


def pull_once(db: Database, channel: grpc.Channel, *, clock: Clock, timeout: float = 60.0,
              page: int = 500) -> PullResult:
    """Fetch this region's downlink items after the saved cursor; store each page with its cursor."""
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    result = PullResult()
    while True:
        with db.read() as session:
            cursor = state.get_int(session, state.DOWNLINK_CURSOR, 0)
        items = list(stub.Pull(sync_pb2.PullRequest(after_cursor=cursor, max_items=page), timeout=timeout))
        if not items:
            result.cursor = cursor
            now = clock()
            with db.transaction() as session:  # a pull that found nothing new succeeded all the same
                state.put(session, state.LAST_PULL_OK, now.isoformat(), now)
            break
        now = clock()
        with db.transaction() as session:
            for item in items:
                _apply_item(session, item, now)
            state.put(session, state.DOWNLINK_CURSOR, items[-1].cursor, now)
            state.put(session, state.LAST_PULL_OK, now.isoformat(), now)
        result.received += len(items)
        result.cursor = items[-1].cursor
        if len(items) < page:
            break
    return result


def _apply_item(session: sa.orm.Session, item: sync_pb2.DownlinkItem, now: dt.datetime) -> None:
    kind = item.WhichOneof("payload")
    if kind is None:
        raise SyncError(f"downlink item {item.cursor} carries a kind this node does not understand; "
                        "upgrade the regional node (nothing was stored, the cursor did not move)")
    body = getattr(item, kind).SerializeToString(deterministic=True)
    revision = item.revision or 1
    exists = session.scalar(sa.select(InboxItem.id).where(InboxItem.uuid == item.uuid,
                                                          InboxItem.revision == revision))
    if exists is None:
        session.add(InboxItem(cursor=item.cursor, uuid=item.uuid, revision=revision, kind=kind, body=body,
                              snapshot=item.snapshot, received_at=now))
    if kind == "cross_region_case":
        _apply_case(session, item, now)
    elif kind == "case_update":
        _apply_case_update(session, item, now)
    elif kind == "blacklist_entry":
        _apply_blacklist(session, item, now)
    elif kind == "emark_status":  # an e-mark revoked at its issuing region (issue 14)
        from regional.emark.service import apply_status

        apply_status(session, item.emark_status, now)
    elif kind == "exhibitor_flag":  # issue 14: an exhibitor with infringements confirmed at a show
        from regional.exhibitions.flags import apply_flag

        apply_flag(session, item.uuid, item.revision or 1, item.exhibitor_flag, now)
    # registry_update, model_version: kept in the inbox, acted on by later issues


def _apply_case_update(session: sa.orm.Session, item: sync_pb2.DownlinkItem, now: dt.datetime) -> None:
    update = item.case_update
    row = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == update.case_uuid))
    if row is None:
        return  # the case itself arrives first in feed order; a snapshot carries the current status
    event = json.loads(update.body_json) if update.body_json else {}
    event["revision"] = item.revision
    if any(e.get("revision") == item.revision for e in row.events):
        return
    row.events = [*row.events, event]
    row.status = update.status or row.status


def _apply_blacklist(session: sa.orm.Session, item: sync_pb2.DownlinkItem, now: dt.datetime) -> None:
    entry = item.blacklist_entry
    row = session.scalar(sa.select(BlacklistedEntity).where(BlacklistedEntity.entity_id == entry.entity_id))
    if row is None:
        row = BlacklistedEntity(entity_id=entry.entity_id, received_at=now, reason=entry.reason)
        session.add(row)
    row.name = entry.name or None
    row.uscc = entry.uscc or None
    row.phone = entry.phone or None
    row.reason = entry.reason
    row.active = not entry.removed


def _apply_case(session: sa.orm.Session, item: sync_pb2.DownlinkItem, now: dt.datetime) -> None:
    case = item.cross_region_case
    payload = {
        "right": case.right, "right_title": case.right_title, "type": case.type,
        "lead_region": case.lead_region, "regions": list(case.regions), "seller_key": case.seller_key,
        "formed_at": case.formed_at, "revision": item.revision or 1,
        "prior_case_uuid": case.prior_case_uuid,  # the closed case this one follows (前案), "" for none
        # supervised nationally (督办, newcomer18 N4); None from a national node that does not say (before session 18)
        "supervised": case.supervised if case.HasField("supervised") else None,
        "leads": [
            {"region": lead.region, "lead_uuid": lead.lead_uuid, "listing_id": lead.listing_id,
             "listing_title": lead.listing_title, "score": lead.score, "reasons": list(lead.reasons),
             "reason_codes": reason_codes.from_wire(((c.code, c.params_json) for c in lead.reason_codes),
                                                    len(lead.reasons)),
             "listing_url": lead.listing_url,
             "seller": {"name": lead.seller.name, "uscc": lead.seller.uscc, "phone": lead.seller.phone,
                        "address": lead.seller.address}}
            for lead in case.leads
        ],
    }
    row = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case.case_uuid))
    if row is None:
        row = ReceivedCase(case_uuid=case.case_uuid, received_at=now)
        session.add(row)
    elif row.payload.get("revision", 1) > payload["revision"]:  # type: ignore[operator]
        return  # an older revision replayed: keep the newer one
    row.feed_cursor = item.cursor
    row.right_number = case.right
    row.right_title = case.right_title
    row.lead_region = case.lead_region
    row.regions = list(case.regions)
    row.payload = payload
    row.received_at = now


def record_error(db: Database, message: str, now: dt.datetime) -> None:
    """Keep the last sync error for the status page (its time is the row's updated_at)."""
    with db.transaction() as session:
        state.put(session, state.LAST_ERROR, f"{now.isoformat()} {message}"[:500], now)


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.split(" ", 1)[0])
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def status(session: sa.orm.Session) -> dict[str, object]:
    """The region's own view of its sync state; `error_active` is whether the last error is newer than every success."""
    epoch = outbox.current_epoch(session)
    last = outbox.last_sequence(session, epoch)
    acked = state.get_int(session, state.ACKED, 0)
    push_ok, pull_ok = state.get(session, state.LAST_PUSH_OK), state.get(session, state.LAST_PULL_OK)
    error = state.get(session, state.LAST_ERROR)
    error_at = _parse_time(error)
    successes = [t for t in (_parse_time(push_ok), _parse_time(pull_ok)) if t is not None]
    # an error is current until both directions have succeeded after it
    active = bool(error) and (len(successes) < 2 or error_at is None or any(error_at >= t for t in successes))
    withheld = session.scalar(sa.select(sa.func.count()).select_from(OutboxWithheld)) or 0
    return {
        "epoch": epoch, "outbox": last, "acked": acked, "backlog": max(0, last - acked),
        "downlink_cursor": state.get_int(session, state.DOWNLINK_CURSOR, 0),
        "last_push_ok": push_ok, "last_pull_ok": pull_ok,
        "last_error": error, "error_active": active, "withheld": withheld,
        "last_reconcile": state.get(session, state.LAST_RECONCILE),
    }
