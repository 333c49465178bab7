"""The region's side of sync: push the outbox up, pull the downlink feed down.

The cursor of each direction only moves on proof: the uplink's on the national node's
acknowledgement of a durable commit, the downlink's in the same transaction that stores
the items it covers.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import grpc
import sqlalchemy as sa

from regional import outbox, state
from regional.models import ReceivedCase
from sync.db import Database
from sync.envelope import MAX_BATCH_BYTES, MAX_BATCH_RECORDS, batch_digest
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


def _batches(db: Database, epoch: int, after: int) -> Iterator[sync_pb2.Batch]:
    """Outbox rows after `after` cut into batches of at most 500 records or 1 MiB."""
    position = after
    while True:
        with db.read() as session:
            rows = outbox.pending(session, epoch, position, MAX_BATCH_RECORDS)
        if not rows:
            return
        envelopes: list[sync_pb2.Envelope] = []
        size = 0
        for row in rows:
            env = sync_pb2.Envelope()
            env.ParseFromString(row.envelope)
            if envelopes and size + len(row.envelope) > MAX_BATCH_BYTES:
                break
            envelopes.append(env)
            size += len(row.envelope)
        position = envelopes[-1].sequence
        yield sync_pb2.Batch(first_sequence=envelopes[0].sequence, count=len(envelopes),
                             digest=batch_digest(envelopes), envelopes=envelopes)


def push_once(db: Database, channel: grpc.Channel, region: str, *, clock: Clock, timeout: float = 60.0) -> PushResult:
    """Send everything the national node has not acknowledged; advance the cursor on each ack."""
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    with db.read() as session:
        epoch = outbox.current_epoch(session)
        last = outbox.last_sequence(session, epoch)
    requests: queue.Queue[sync_pb2.UplinkMessage | None] = queue.Queue()

    def request_iter() -> Iterator[sync_pb2.UplinkMessage]:
        while True:
            item = requests.get()
            if item is None:
                return
            yield item

    result = PushResult()
    requests.put(sync_pb2.UplinkMessage(hello=sync_pb2.Hello(region=region, epoch=epoch, software="hufu/0.1")))
    call = stub.Push(request_iter(), timeout=timeout)
    try:
        first = next(call)
        if first.WhichOneof("body") != "welcome":
            raise SyncError("national node answered the hello without a welcome")
        high_water = first.welcome.high_water
        _save_acked(db, high_water, clock())
        result.high_water = high_water
        if high_water > last:
            raise SyncError(
                f"national node holds sequence {high_water} of epoch {epoch} but this region's outbox ends at "
                f"{last}: this database looks restored from an older backup; ask the operator to start a new epoch"
            )
        in_flight = 0
        for batch in _batches(db, epoch, high_water):
            requests.put(sync_pb2.UplinkMessage(batch=batch))
            result.sent += batch.count
            in_flight += 1
            while in_flight >= IN_FLIGHT:
                result.high_water = _take_ack(db, call, result, clock)
                in_flight -= 1
        while in_flight:
            result.high_water = _take_ack(db, call, result, clock)
            in_flight -= 1
    finally:
        requests.put(None)
    for _ in call:  # drain: the server closes after our half-close
        pass
    with db.transaction() as session:
        state.put(session, state.LAST_PUSH_OK, clock().isoformat(), clock())
    return result


def _take_ack(db: Database, call: Iterator[sync_pb2.UplinkReply], result: PushResult, clock: Clock) -> int:
    reply = next(call)
    if reply.WhichOneof("body") != "ack":
        raise SyncError("national node sent something other than an acknowledgement")
    result.applied += reply.ack.applied
    result.duplicates += reply.ack.duplicates
    _save_acked(db, reply.ack.high_water, clock())
    return reply.ack.high_water


def _save_acked(db: Database, high_water: int, now: dt.datetime) -> None:
    with db.transaction() as session:
        state.put(session, state.ACKED, high_water, now)


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
    if kind == "cross_region_case":
        case = item.cross_region_case
        payload = {
            "right": case.right, "right_title": case.right_title, "type": case.type,
            "lead_region": case.lead_region, "regions": list(case.regions), "seller_key": case.seller_key,
            "formed_at": case.formed_at,
            "leads": [
                {"region": lead.region, "lead_uuid": lead.lead_uuid, "listing_id": lead.listing_id,
                 "listing_title": lead.listing_title, "score": lead.score, "reasons": list(lead.reasons),
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
        row.feed_cursor = item.cursor
        row.right_number = case.right
        row.right_title = case.right_title
        row.lead_region = case.lead_region
        row.regions = list(case.regions)
        row.payload = payload
        row.received_at = now
    else:
        raise SyncError(f"downlink item {item.cursor} has a kind this node does not understand ({kind!r}); "
                        "upgrade the regional node")


def record_error(db: Database, message: str, now: dt.datetime) -> None:
    """Keep the last sync error for the status page."""
    with db.transaction() as session:
        state.put(session, state.LAST_ERROR, f"{now.isoformat()} {message}"[:500], now)
