"""Continue this region's evidence chain from the national copy of it, re-signing what was not accepted.

The national log accepts a region's manifests strictly in the order of the region's own log
(index n only after n-1, under a head consistent with everything before). Two routine
operations used to leave a region's chain stuck for good:

* a certificate revoked and re-issued: a capture signed with the old key is refused, and
  every later index is refused as a gap;
* a database restored from a backup: the region's log restarts at the backup's size, so
  every new capture reuses an index the national log already holds (refused as a rewrite).

`resync` reads back the region's own log as the national node accepted it (RegionEvidenceLog)
from the first index this region still has to get accepted, takes every entry the national
log holds that this database lacks (a restored database forgot them), and re-appends the
captures the national log has not accepted after them: same content, the log index moved if
it had to, re-signed with the region's CURRENT key under a fresh head, filed again as the next
revision of the same record. Nothing the national log accepted is changed — the national node
still refuses any other manifest at an index it holds (the tamper-evidence property) — and
nothing captured here is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

import grpc
import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import outbox, state
from regional.evidence.capture import LOG_SIZE, log_reader
from regional.models import AuditEntry, EvidenceCapture, EvidenceLogNode, OutboxRow, ProofStatus
from sync import merkle, note
from sync.cas import ContentStore
from sync.db import Database
from sync.evidence import (
    MANIFEST_MEDIA_TYPE,
    MANIFEST_TYPE,
    canonical_json,
    manifest_leaf,
    parse_iso,
    region_key_name,
    region_origin,
    sign_manifest,
)
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.regional.evidence")

NEEDED = "evidence_resync_needed"  # set by `hufu regional restore`: read the national copy back before anything
LAST_KEY = "evidence_resync_key"  # the signing key (hex) of the last resync
LAST_AT = "evidence_resync_at"  # its time (epoch seconds)
RETRY_AFTER_S = 600.0  # with the same key, refused captures are re-filed at most this often
PAGE = 1000


class ResyncError(RuntimeError):
    """The national copy of this region's log cannot be continued (it does not extend this database's)."""


@dataclass
class ResyncResult:
    """What one resync did."""

    start: int = 0  # the first index of this region's log looked at
    national_size: int = 0  # how many of this region's manifests the national log holds
    recovered: int = 0  # entries taken from the national copy (this database had lost them)
    refiled: int = 0  # captures re-signed and filed again
    moved: list[tuple[str, int, int]] = field(default_factory=list)  # (capture uuid, old index, new index)


def due(db: Database, public_key: bytes, now: dt.datetime) -> bool:
    """Whether a resync should run: after a restore, or when a capture stands refused (once per new key, else
    at most every RETRY_AFTER_S)."""
    with db.read() as session:
        if state.get_int(session, NEEDED, 0):
            return True
        refused = session.scalar(sa.select(EvidenceCapture.id).where(EvidenceCapture.status == ProofStatus.REFUSED)
                                 .limit(1))
        if refused is None:
            return False
        if state.get(session, LAST_KEY) != public_key.hex():
            return True
        last = float(state.get(session, LAST_AT, "0") or 0)
    return now.timestamp() - last >= RETRY_AFTER_S


def _national_tail(stub: sync_pb2_grpc.FederationSyncStub, start: int, timeout: float
                   ) -> tuple[int, list[sync_pb2.RegionLogEntry]]:
    entries: list[sync_pb2.RegionLogEntry] = []
    at = start
    while True:
        reply = stub.RegionEvidenceLog(sync_pb2.RegionLogRequest(from_index=at, max_entries=PAGE), timeout=timeout)
        entries.extend(reply.entries)
        if not reply.entries or reply.entries[-1].region_index + 1 >= reply.region_size:
            return reply.region_size, entries
        at = reply.entries[-1].region_index + 1


def _truncate(session: Session, start: int) -> None:
    """Drop the stored subtrees that cover any leaf at or after `start` (the ones before stay)."""
    for level in range(64):
        session.execute(sa.delete(EvidenceLogNode).where(EvidenceLogNode.level == level,
                                                         EvidenceLogNode.index >= (start >> level)))


def resync(db: Database, stub: sync_pb2_grpc.FederationSyncStub, signer: outbox.Signer, store: ContentStore, *,
           now: dt.datetime, timeout: float = 30.0) -> ResyncResult:
    """Read back the national copy of this region's log and continue the chain (see the module docstring)."""
    region, key = signer.region, signer.key
    public = note.raw_public(key)
    with db.read() as session:
        size = state.get_int(session, LOG_SIZE, 0)
        first_refused = session.scalar(sa.select(sa.func.min(EvidenceCapture.log_index))
                                       .where(EvidenceCapture.status == ProofStatus.REFUSED))
    start = size if first_refused is None else min(size, first_refused)
    national_size, entries = _national_tail(stub, start, timeout)
    result = ResyncResult(start=start, national_size=national_size)
    theirs: dict[int, sync_pb2.RegionLogEntry] = {e.region_index: e for e in entries}
    if national_size > start and sorted(theirs) != list(range(start, national_size)):
        raise ResyncError(f"the national node sent indexes {sorted(theirs)[:5]}… of this region's log, not "
                          f"{start}..{national_size - 1}")
    with db.transaction() as session:
        state.ensure(session, LOG_SIZE, 0, now)
        size = state.get_int(session, LOG_SIZE, 0, for_update=True)  # one writer at a time (as capture)
        appender = merkle.Appender.resume(log_reader(session), start)
        mine = list(session.scalars(sa.select(EvidenceCapture).where(EvidenceCapture.log_index >= start)
                                    .order_by(EvidenceCapture.log_index)))
        by_uuid = {c.uuid: c for c in mine}
        kept: set[int] = set()
        recovered: list[tuple[int, sync_pb2.RegionLogEntry, dict[str, object]]] = []
        # 1. the national copy from `start`: it must extend this database's log before `start`
        for index in range(start, national_size):
            e = theirs[index]
            try:
                m = json.loads(e.manifest)
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ResyncError(f"the national copy of index {index} is not a JSON manifest") from None
            if not isinstance(m, dict) or m.get("type") != MANIFEST_TYPE or m.get("region") != region \
                    or m.get("log_index") != index:
                raise ResyncError(f"the national copy of index {index} is not this region's manifest at that index")
            appender.append(manifest_leaf(e.manifest))
            try:
                head = note.parse_checkpoint(note.parse_note(e.region_head).text)
            except note.NoteError as exc:
                raise ResyncError(f"the national copy of index {index} carries an unreadable head: {exc}") from None
            if head.size != appender.size or head.root != appender.root():
                raise ResyncError(f"the national copy of this region's log does not extend this database's log at "
                                  f"index {index}: the heads disagree (another copy of the region wrote it?)")
            digest = _sha256(e.manifest)
            same = next((c for c in mine if c.log_index == index and c.manifest_sha256 == digest), None)
            if same is not None:
                kept.add(same.id)
                if same.status is ProofStatus.REFUSED:
                    same.status, same.status_reason = ProofStatus.PENDING, None
                continue
            recovered.append((index, e, m))
        # 2. move every capture of ours that the national log does not hold out of the way, then re-append
        again = [c for c in mine if c.id not in kept]
        for c in again:
            c.log_index = -c.id  # unique and out of the way until its new index is known
        session.flush()
        _truncate(session, start)
        replay = merkle.Appender.resume(log_reader(session), start)
        nodes: list[dict[str, object]] = []
        for index in range(start, national_size):
            e = theirs[index]
            nodes.extend({"level": lv, "index": ix, "hash": h}
                         for lv, ix, h in replay.append(manifest_leaf(e.manifest)))
        for index, e, m in recovered:
            capture_uuid = str(m.get("capture") or "")
            row = by_uuid.get(capture_uuid)  # a capture of ours the national log holds in another form
            if row is not None and row in again:
                again.remove(row)
            if row is None:
                row = EvidenceCapture(uuid=capture_uuid or f"recovered-{region}-{index}"[:36],
                                      lead_uuid=str(m.get("lead", ""))[:36], reason=str(m.get("reason", ""))[:32],
                                      actor=str(m.get("captured_by", ""))[:100], captured_at=_when(m, now))
                session.add(row)
                result.recovered += 1
            row.log_index, row.manifest, row.manifest_sha256 = index, e.manifest, _sha256(e.manifest)
            row.signature, row.region_head = e.signature, e.region_head
            row.status, row.status_reason = ProofStatus.PENDING, "recovered from the national copy of this log"
            row.national_index = row.proof = row.checkpoint_id = row.proved_at = None
            row.uploaded_at = now  # its items went up from the copy that made it; this database may lack them
        session.flush()
        records: list[sync_pb2.Record] = []
        for c in sorted(again, key=lambda c: c.id):
            old_index = _index_of(c)
            m = json.loads(c.manifest)
            index = replay.size
            m["log_index"] = index
            manifest = canonical_json(m)
            digest = store.put(manifest)
            nodes.extend({"level": lv, "index": ix, "hash": h} for lv, ix, h in replay.append(manifest_leaf(manifest)))
            head = note.sign_checkpoint(note.Checkpoint(origin=region_origin(region), size=replay.size,
                                                        root=replay.root(), time=now),
                                        region_key_name(region), key).render()
            signature = sign_manifest(manifest, key)
            if old_index != index:
                result.moved.append((c.uuid, old_index, index))
            c.log_index, c.manifest, c.manifest_sha256, c.signature, c.region_head = (index, manifest, digest,
                                                                                      signature, head)
            c.status = ProofStatus.PENDING
            c.status_reason = (f"re-signed and filed again at index {index}" if old_index == index else
                               f"moved from index {old_index} to {index}, re-signed and filed again")
            c.national_index = c.proof = c.checkpoint_id = c.proved_at = c.uploaded_at = None
            revision = (session.scalar(sa.select(sa.func.max(OutboxRow.revision)).where(OutboxRow.uuid == c.uuid))
                        or 0) + 1
            records.append(sync_pb2.Record(
                uuid=c.uuid, revision=revision, created_at=now.isoformat(),
                evidence_digest=sync_pb2.EvidenceDigest(lead_uuid=c.lead_uuid, sha256=digest,
                                                        media_type=MANIFEST_MEDIA_TYPE, manifest=manifest,
                                                        manifest_signature=signature, log_index=index,
                                                        region_head=head)))
            session.flush()
        if nodes:
            session.execute(sa.insert(EvidenceLogNode), nodes)
        if records:
            outbox.append_many(session, signer, records, now)
        result.refiled = len(records)
        state.put(session, LOG_SIZE, replay.size, now)
        state.put(session, NEEDED, 0, now)
        state.put(session, LAST_KEY, public.hex(), now)
        state.put(session, LAST_AT, f"{now.timestamp():.0f}", now)
        if result.recovered or result.refiled:
            session.add(AuditEntry(at=now, actor="evidence", action="evidence_log_resync", detail={
                "from_index": start, "national_size": national_size, "local_size_before": size,
                "size_after": replay.size, "recovered": result.recovered, "refiled": result.refiled,
                "moved": [list(x) for x in result.moved[:50]]}))
    if result.recovered or result.refiled:
        log.warning("evidence log resynchronised with the national copy from index %d: %d entry(ies) recovered, "
                    "%d capture(s) re-signed and filed again (%d moved to a new index)", start, result.recovered,
                    result.refiled, len(result.moved))
    return result


def resync_if_due(db: Database, channel: grpc.Channel, signer: outbox.Signer, store: ContentStore, *,
                  now: dt.datetime, timeout: float = 30.0) -> ResyncResult | None:
    """`resync` when `due`; None when not."""
    if not due(db, note.raw_public(signer.key), now):
        return None
    return resync(db, sync_pb2_grpc.FederationSyncStub(channel), signer, store, now=now, timeout=timeout)


def _index_of(c: EvidenceCapture) -> int:
    try:
        return int(json.loads(c.manifest).get("log_index", -1))
    except (ValueError, json.JSONDecodeError):
        return -1


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _when(m: dict[str, object], now: dt.datetime) -> dt.datetime:
    try:
        return parse_iso(str(m.get("captured_at")))
    except ValueError:
        return now
