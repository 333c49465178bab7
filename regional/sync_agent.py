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
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import grpc
import sqlalchemy as sa

from regional import outbox, state
from regional import reasons as reason_codes
from regional.models import AuditEntry, BlacklistedEntity, InboxItem, ReceivedCase
from sync.db import Database
from sync.envelope import MAX_BATCH_BYTES, MAX_BATCH_RECORDS, leaf_hash, make_batch
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.regional.sync")

Clock = Callable[[], dt.datetime]
IN_FLIGHT = 4


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


def _batches(db: Database, signer: outbox.Signer, epoch: int, after: int) -> Iterator[sync_pb2.Batch]:
    """Outbox records after `after` cut into signed batches of at most 500 records or 1 MiB."""
    position = after
    while True:
        with db.read() as session:
            rows = outbox.pending(session, epoch, position, MAX_BATCH_RECORDS)
        if not rows:
            return
        chosen: list[tuple[int, bytes]] = []
        size = 0
        for seq, body in rows:
            if chosen and size + len(body) + 16 > MAX_BATCH_BYTES:
                break
            chosen.append((seq, body))
            size += len(body) + 16
        position = chosen[-1][0]
        yield make_batch(signer.region, epoch, chosen, signer.key)


EPOCH_METADATA = "hufu-epoch"


def _national_epoch(exc: grpc.RpcError) -> int | None:
    """The epoch a national node reports in a stale-epoch refusal, if any."""
    try:
        for key, value in exc.trailing_metadata() or ():  # type: ignore[attr-defined]
            if key == EPOCH_METADATA:
                return int(value)
    except (AttributeError, ValueError):
        return None
    return None


Observer = Callable[[str, int], None]  # ("sent" | "acked", first_sequence)


def push_once(db: Database, channel: grpc.Channel, signer: outbox.Signer, *, clock: Clock,
              timeout: float = 60.0, observer: Observer | None = None) -> PushResult:
    """Send everything the national node has not acknowledged; advance the cursor on each ack.

    If the national node holds more of this epoch than this database does (the database was
    restored from an older backup), or has already seen a later epoch, the region fences
    itself into a new epoch and sends again from sequence 1 of that epoch.
    """
    for _attempt in range(3):
        try:
            return _push(db, channel, signer, clock=clock, timeout=timeout, observer=observer)
        except _Fenced as fenced:
            now = clock()
            with db.transaction() as session:
                carried = outbox.start_epoch(session, fenced.new_epoch, now)
                session.add(AuditEntry(at=now, actor="sync", action="epoch_fenced",
                                       detail={"new_epoch": fenced.new_epoch, "why": fenced.why,
                                               "records_staged_again": carried}))
            log.warning("starting epoch %d (%d unacknowledged record(s) staged again): %s",
                        fenced.new_epoch, carried, fenced.why)
    raise SyncError("could not agree on an epoch with the national node after 3 attempts")


class _Fenced(Exception):
    def __init__(self, new_epoch: int, why: str) -> None:
        super().__init__(why)
        self.new_epoch = new_epoch
        self.why = why


def _push(db: Database, channel: grpc.Channel, signer: outbox.Signer, *, clock: Clock,
          timeout: float, observer: Observer | None) -> PushResult:
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        last = outbox.last_sequence(session, epoch)
        acked = state.get_int(session, state.ACKED, 0)
        oldest = outbox.oldest_after(session, epoch, acked)
    requests: queue.Queue[sync_pb2.UplinkMessage | None] = queue.Queue()

    def request_iter() -> Iterator[sync_pb2.UplinkMessage]:
        while True:
            item = requests.get()
            if item is None:
                return
            yield item

    result = PushResult()
    requests.put(sync_pb2.UplinkMessage(hello=sync_pb2.Hello(
        region=signer.region, epoch=epoch, software="hufu/0.1", outbox_head=last,
        oldest_unsent_at=oldest.isoformat() if oldest else "")))
    call = stub.Push(request_iter(), timeout=timeout)
    try:
        try:
            first = next(call)
        except grpc.RpcError as exc:
            national = _national_epoch(exc)
            if exc.code() == grpc.StatusCode.FAILED_PRECONDITION and national is not None:  # type: ignore[attr-defined]
                raise _Fenced(national + 1, f"the national node already holds epoch {national}") from exc
            raise
        if first.WhichOneof("body") != "welcome":
            raise SyncError("national node answered the hello without a welcome")
        high_water = first.welcome.high_water
        if high_water > last:
            raise _Fenced(max(epoch, first.welcome.epoch) + 1,
                          f"the national node holds sequence {high_water} of epoch {epoch} but this outbox ends "
                          f"at {last}: this database was restored from an older backup")
        if high_water and first.welcome.high_water_leaf:
            with db.read() as session:
                mine = outbox.pending(session, epoch, high_water - 1, 1)
            if not mine or leaf_hash(mine[0][1]) != first.welcome.high_water_leaf:
                raise _Fenced(max(epoch, first.welcome.epoch) + 1,
                              f"the national node's record {high_water} of epoch {epoch} is not this outbox's "
                              "record at that sequence: this database was restored from an older backup and "
                              "has written past the point it was restored to")
        _save_acked(db, high_water, clock())
        result.high_water = high_water
        in_flight = 0
        for batch in _batches(db, signer, epoch, high_water):
            requests.put(sync_pb2.UplinkMessage(batch=batch))
            if observer:
                observer("sent", batch.first_sequence)
            result.sent += batch.count
            in_flight += 1
            while in_flight >= IN_FLIGHT:
                result.high_water = _take_ack(db, call, result, clock, observer)
                in_flight -= 1
        while in_flight:
            result.high_water = _take_ack(db, call, result, clock, observer)
            in_flight -= 1
    finally:
        requests.put(None)
    for _ in call:  # drain: the server closes after our half-close
        pass
    with db.transaction() as session:
        state.put(session, state.LAST_PUSH_OK, clock().isoformat(), clock())
    return result


def _take_ack(db: Database, call: Iterator[sync_pb2.UplinkReply], result: PushResult, clock: Clock,
              observer: Observer | None = None) -> int:
    reply = next(call)
    if reply.WhichOneof("body") != "ack":
        raise SyncError("national node sent something other than an acknowledgement")
    if observer:
        observer("acked", reply.ack.first_sequence)
    result.applied += reply.ack.applied
    result.duplicates += reply.ack.duplicates
    _save_acked(db, reply.ack.high_water, clock())
    return reply.ack.high_water


def _save_acked(db: Database, high_water: int, now: dt.datetime) -> None:
    with db.transaction() as session:
        state.put(session, state.ACKED, high_water, now)


@dataclass
class ReconcileResult:
    """Ranges of sequences where the two sides disagree (empty when they agree)."""

    epoch: int
    ranges_compared: int
    divergent: list[dict[str, object]]


def reconcile(db: Database, channel: grpc.Channel, *, clock: Clock, timeout: float = 60.0,
              span: int = 1000) -> ReconcileResult:
    """Compare per-range counts and digests with the national node; record the outcome in the audit log."""
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        acked = state.get_int(session, state.ACKED, 0)  # compare what the national node has acknowledged
        mine = outbox.range_digests(session, epoch, acked, span)
    request = sync_pb2.ReconcileRequest(epoch=epoch, ranges=[
        sync_pb2.RangeDigest(first=f, last=la, count=c, digest=d, kinds=k) for f, la, c, d, k in mine])
    reply = stub.Reconcile(request, timeout=timeout)
    theirs = {(r.first, r.last): r for r in reply.ranges}
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
    """Keep the last sync error for the status page."""
    with db.transaction() as session:
        state.put(session, state.LAST_ERROR, f"{now.isoformat()} {message}"[:500], now)
