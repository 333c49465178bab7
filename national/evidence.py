"""The national evidence log: every region's manifests in one RFC 6962 log, signed checkpoints, witnesses.

Functions over a session (the worker, the gRPC servicer and the CLI call them):

* `log_manifests` — check each filed manifest (its signature, its place in the region's own
  log, the region's signed head) and append it to the national log; a manifest that fails
  is refused with its reason and raises an alarm;
* `issue_checkpoint` — sign (origin, size, root, time) at the worker's cadence;
* `checkpoint_for_witness`, `record_cosignature`, `proofs_for` — what the witness RPCs answer;
* `trust_note` — the key list a package carries, signed by the national log key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from national.models import (
    AuditEntry,
    CheckpointCosignature,
    EvidenceAlarm,
    EvidenceManifest,
    EvidenceObjectRow,
    ManifestStatus,
    NationalCheckpoint,
    NationalLogNode,
    NodeState,
    RecordStatus,
    RegionLogNode,
    UplinkRecord,
)
from sync import merkle, note
from sync.cas import ContentStore
from sync.evidence import (
    MANIFEST_TYPE,
    NATIONAL_KEY_NAME,
    NATIONAL_ORIGIN,
    RegionKey,
    manifest_leaf,
    manifest_signature_ok,
    region_key_name,
    region_origin,
    trust_text,
)
from sync.pki import RegionTrust
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.national.evidence")

CURSOR = "evidence_cursor"
LOG_SIZE = "evidence_log_size"
STUCK = "evidence_stuck:"  # + region: the id of the refused manifest that stops its chain, 0 when none
STUCK_TRACKED = "evidence_stuck_tracked"
MAX_PROOFS = 1000


# ---------------------------------------------------------------- small state helpers


def _insert(session: Session, table: type):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](table)


def _get(session: Session, key: str, *, lock: bool = False) -> int:
    stmt = sa.select(NodeState.value).where(NodeState.key == key)
    if lock:
        stmt = stmt.with_for_update()
    value = session.scalar(stmt)
    return int(value) if value is not None else 0


def _put(session: Session, key: str, value: int) -> None:
    stmt = _insert(session, NodeState).values(key=key, value=str(value))
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))


def _ensure(session: Session, key: str) -> None:
    session.execute(_insert(session, NodeState).values(key=key, value="0").on_conflict_do_nothing(
        index_elements=["key"]))


def alarm(session: Session, region: str, kind: str, detail: str, now: dt.datetime) -> None:
    """Record a broken promise on this node: the alarms table, the audit log, the log at ERROR."""
    session.add(EvidenceAlarm(at=now, region=region, kind=kind, detail=detail[:4000]))
    session.add(AuditEntry(at=now, actor="evidence", action=f"evidence_alarm_{kind}",
                           detail={"region": region, "detail": detail[:1000]}))
    log.error("EVIDENCE ALARM (%s, region %s): %s", kind, region, detail)


# ---------------------------------------------------------------- the logs' node stores


def national_reader(session: Session) -> merkle.NodeReader:
    """A reader of the national log's perfect subtrees."""
    cache: dict[tuple[int, int], bytes] = {}

    def read(level: int, index: int) -> bytes:
        if (level, index) not in cache:
            value = session.scalar(sa.select(NationalLogNode.hash).where(NationalLogNode.level == level,
                                                                         NationalLogNode.index == index))
            if value is None:
                raise LookupError(f"national evidence log node ({level}, {index}) is missing")
            cache[(level, index)] = value
        return cache[(level, index)]

    return read


def _region_reader(session: Session, region: str) -> merkle.NodeReader:
    def read(level: int, index: int) -> bytes:
        value = session.scalar(sa.select(RegionLogNode.hash).where(
            RegionLogNode.region == region, RegionLogNode.level == level, RegionLogNode.index == index))
        if value is None:
            raise LookupError(f"region {region} evidence log node ({level}, {index}) is missing")
        return value

    return read


def log_size(session: Session) -> int:
    """How many manifests the national log holds."""
    return _get(session, LOG_SIZE)


# ---------------------------------------------------------------- logging manifests


@dataclass
class LogResult:
    """What one pass of `log_manifests` did."""

    logged: int = 0
    refused: int = 0
    size: int = 0


def _check(record: sync_pb2.Record, region: str, key: bytes) -> tuple[dict[str, object] | None, str | None]:
    d = record.evidence_digest
    if hashlib.sha256(d.manifest).hexdigest() != d.sha256:
        return None, f"the manifest's bytes do not hash to the digest filed with it ({d.sha256[:16]}…)"
    try:
        m = json.loads(d.manifest)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "the manifest is not JSON"
    if not isinstance(m, dict) or m.get("type") != MANIFEST_TYPE:
        return None, f"the manifest is not a {MANIFEST_TYPE} manifest"
    if m.get("region") != region:
        return None, f"the manifest names region {m.get('region')!r} but was filed by region {region}"
    if m.get("log_index") != d.log_index or m.get("lead") != d.lead_uuid:
        return None, "the manifest and the record filing it disagree on the log index or the lead"
    if not manifest_signature_ok(d.manifest, d.manifest_signature, key):
        return None, f"the manifest signature does not verify with region {region}'s signing key"
    return m, None


def log_manifests(session: Session, trust: dict[str, RegionTrust], now: dt.datetime, limit: int = 5000) -> LogResult:
    """Check newly filed manifests and append the good ones to the national log (one writer at a time)."""
    _ensure(session, LOG_SIZE)
    size = _get(session, LOG_SIZE, lock=True)  # serialises writers on PostgreSQL; SQLite holds the write lock
    if session.scalar(sa.select(NodeState.value).where(NodeState.key == STUCK_TRACKED)) is None:
        for region, row in _scan_stuck(session).items():  # once, on a log kept before stuck chains were tracked
            _put(session, STUCK + region, row.id)
        _put(session, STUCK_TRACKED, 1)
    cursor = _get(session, CURSOR)
    rows = list(session.execute(
        sa.select(UplinkRecord.id, UplinkRecord.region, UplinkRecord.record)
        .where(UplinkRecord.id > cursor, UplinkRecord.kind == "evidence_digest",
               UplinkRecord.status == RecordStatus.APPLIED)
        .order_by(UplinkRecord.id).limit(limit)))
    result = LogResult(size=size)
    if not rows:
        return result
    national = merkle.Appender.resume(national_reader(session), size)
    regions: dict[str, merkle.Appender] = {}
    region_nodes: list[dict[str, object]] = []
    national_nodes: list[dict[str, object]] = []
    logged: list[dict[str, object]] = []
    pending_leaves: dict[tuple[str, int], bytes] = {}
    last: dict[str, EvidenceManifest | None] = {}  # per region: the refusal its newest filing got, or None: logged
    for record_id, region, body in rows:
        record = sync_pb2.Record()
        record.ParseFromString(body)
        d = record.evidence_digest
        entry = trust.get(region)
        manifest, reason = (None, f"region {region} is not in this node's trust set") if entry is None else _check(
            record, region, entry.signing_public_key)
        leaf = manifest_leaf(d.manifest)
        kind = "bad_manifest"
        if reason is None and entry is not None:
            if region not in regions:
                regions[region] = merkle.Appender.resume(_region_reader(session, region),
                                                         _get(session, f"evidence_region_size:{region}"))
            app = regions[region]
            if d.log_index < app.size:
                held = pending_leaves.get((region, d.log_index)) or session.scalar(
                    sa.select(RegionLogNode.hash).where(RegionLogNode.region == region, RegionLogNode.level == 0,
                                                        RegionLogNode.index == d.log_index))
                if held == leaf:
                    continue  # the same manifest filed again (a replay): already logged
                kind = "region_log_rewritten"
                reason = (f"region {region} filed a different manifest at index {d.log_index} of its evidence log, "
                          "which already held another: the region's log was rewritten (a database restored from "
                          "a backup, or tampering)")
            elif d.log_index > app.size:
                kind = "region_log_gap"
                reason = f"region {region} filed index {d.log_index} of its evidence log before index {app.size}"
            else:
                trial = merkle.Appender(size=app.size, edge=list(app.edge))
                new_nodes = trial.append(leaf)
                try:
                    head = note.open_checkpoint(d.region_head, region_key_name(region), entry.signing_public_key,
                                                origin=region_origin(region))
                except note.NoteError as exc:
                    head, reason, kind = None, f"the region log head filed with the manifest: {exc}", "bad_region_head"
                if head is not None and (head.size != trial.size or head.root != trial.root()):
                    kind = "region_log_rewritten"
                    reason = (f"region {region} signed a log head of size {head.size} whose root is not the root of "
                              f"the manifests it filed: the region's evidence log was rewritten")
                if reason is None:
                    regions[region] = trial
                    pending_leaves[(region, d.log_index)] = leaf
                    region_nodes.extend({"region": region, "level": lv, "index": ix, "hash": h}
                                        for lv, ix, h in new_nodes)
        if reason is not None:
            alarm(session, region, kind, f"manifest {d.sha256} (record {record.uuid}): {reason}", now)
            refused_row = EvidenceManifest(region=region, region_index=d.log_index, lead_uuid=d.lead_uuid[:36],
                                           manifest_sha256=d.sha256[:64], manifest=d.manifest,
                                           signature=d.manifest_signature, region_head=d.region_head,
                                           captured_at=str((manifest or {}).get("captured_at", ""))[:40],
                                           uplink_record_id=record_id, status=ManifestStatus.REFUSED,
                                           reason=reason[:1000], leaf_index=None, logged_at=now)
            session.add(refused_row)
            last[region] = refused_row
            result.refused += 1
            continue
        last[region] = None
        assert manifest is not None
        index = national.size
        national_nodes.extend({"level": lv, "index": ix, "hash": h} for lv, ix, h in national.append(leaf))
        logged.append({"region": region, "region_index": d.log_index, "lead_uuid": d.lead_uuid,
                       "manifest_sha256": d.sha256, "manifest": d.manifest, "signature": d.manifest_signature,
                       "region_head": d.region_head, "captured_at": str(manifest.get("captured_at", ""))[:40],
                       "uplink_record_id": record_id, "status": ManifestStatus.LOGGED, "reason": None,
                       "leaf_index": index, "logged_at": now})
        result.logged += 1
    for table, values in ((RegionLogNode, region_nodes), (NationalLogNode, national_nodes),
                          (EvidenceManifest, logged)):
        if values:
            session.execute(sa.insert(table), values)
    for region, app in regions.items():
        _put(session, f"evidence_region_size:{region}", app.size)
    _put(session, LOG_SIZE, national.size)
    _put(session, CURSOR, rows[-1][0])
    result.size = national.size
    session.flush()
    for region, refused_row in last.items():  # what the overview and `national status` read (stuck_chains)
        _put(session, STUCK + region, refused_row.id if refused_row is not None else 0)
    session.flush()
    return result


# ---------------------------------------------------------------- checkpoints


def latest_checkpoint(session: Session) -> NationalCheckpoint | None:
    """The newest checkpoint issued."""
    return session.scalar(sa.select(NationalCheckpoint).order_by(NationalCheckpoint.size.desc()).limit(1))


def issue_checkpoint(session: Session, key: ed25519.Ed25519PrivateKey, now: dt.datetime) -> NationalCheckpoint | None:
    """Sign a checkpoint of the log as it stands, if it grew since the last one; return it (None: nothing new)."""
    size = _get(session, LOG_SIZE, lock=True)
    last = latest_checkpoint(session)
    if size == 0 or (last is not None and last.size >= size):
        return None
    root = merkle.root(national_reader(session), size)
    cp = note.Checkpoint(origin=NATIONAL_ORIGIN, size=size, root=root, time=now)
    row = NationalCheckpoint(size=size, root=root, note=note.sign_checkpoint(cp, NATIONAL_KEY_NAME, key).render(),
                             issued_at=now)
    session.add(row)
    session.flush()
    log.info("national evidence checkpoint: size %d, root %s", size, root.hex()[:16])
    return row


def cosigned_note(session: Session, cp: NationalCheckpoint) -> str:
    """The checkpoint note with every witness co-signature received so far."""
    lines = list(session.scalars(sa.select(CheckpointCosignature.line)
                                 .where(CheckpointCosignature.checkpoint_id == cp.id)
                                 .order_by(CheckpointCosignature.id)))
    return cp.note + "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def checkpoint_for_witness(session: Session, from_size: int, trust: str = "") -> sync_pb2.CheckpointReply:
    """The latest checkpoint and a consistency proof from the witness's last co-signed size (and the key list)."""
    cp = latest_checkpoint(session)
    if cp is None:
        return sync_pb2.CheckpointReply()
    proof: list[bytes] = []
    if 0 < from_size <= cp.size:
        proof = merkle.consistency_proof(national_reader(session), from_size, cp.size)
    return sync_pb2.CheckpointReply(checkpoint=cosigned_note(session, cp), consistency=proof, trust=trust)


def record_cosignature(session: Session, region: str, region_key: bytes, request: sync_pb2.CosignRequest,
                       now: dt.datetime) -> sync_pb2.CosignReply:
    """Keep a witness's co-signature (or its alarm) after checking it against a checkpoint this node issued."""
    if request.alarm:
        alarm(session, region, "witness_refused", f"region {region} refused to co-sign: {request.alarm[:3000]}", now)
        return sync_pb2.CosignReply(accepted=True, message="alarm recorded")
    try:
        received = note.parse_note(request.checkpoint)
        cp = note.parse_checkpoint(received.text)
        sig = note.parse_note(received.text + "\n" + request.cosignature).signatures[0]
        note.verify_cosignature(note.Note(received.text, (sig,)), region_key_name(region), region_key)
    except (note.NoteError, IndexError) as exc:
        return sync_pb2.CosignReply(accepted=False, message=f"co-signature refused: {exc}")
    row = session.scalar(sa.select(NationalCheckpoint).where(NationalCheckpoint.size == cp.size))
    if row is None or note.parse_note(row.note).text != received.text:
        alarm(session, region, "split_view",
              f"region {region} co-signed a national checkpoint of size {cp.size} (root {cp.root.hex()[:16]}…) that "
              "this node never issued: another national log is serving this region (split view)", now)
        return sync_pb2.CosignReply(accepted=False, message="this node never issued that checkpoint")
    session.execute(_insert(session, CheckpointCosignature).values(
        checkpoint_id=row.id, region=region, line=sig.line(), from_size=request.from_size, received_at=now,
    ).on_conflict_do_nothing(index_elements=["checkpoint_id", "region"]))
    return sync_pb2.CosignReply(accepted=True, message=f"co-signature of checkpoint {cp.size} kept")


def proofs_for(session: Session, region: str, request: sync_pb2.ProofRequest) -> sync_pb2.ProofReply:
    """Inclusion proofs of a region's manifests (by region log index) under the checkpoint of the size asked."""
    cp = session.scalar(sa.select(NationalCheckpoint).where(NationalCheckpoint.size == request.checkpoint_size))
    if cp is None:
        raise LookupError(f"no national checkpoint of size {request.checkpoint_size}")
    wanted = list(request.region_indexes)[:MAX_PROOFS]
    rows = list(session.scalars(sa.select(EvidenceManifest).where(EvidenceManifest.region == region,
                                                                  EvidenceManifest.region_index.in_(wanted))
                                .order_by(EvidenceManifest.id)))
    by_index: dict[int, list[EvidenceManifest]] = {}
    for r in rows:  # every manifest filed at that index: the region picks its own by digest
        by_index.setdefault(r.region_index, []).append(r)
    read = prefetched_reader(session, [r.leaf_index for r in rows if r.status is ManifestStatus.LOGGED
                                       and r.leaf_index is not None and r.leaf_index < cp.size], cp.size)
    filings = [r.uplink_record_id for r in rows if r.uplink_record_id is not None]
    revisions: dict[int, int] = {}
    for start in range(0, len(filings), 500):
        revisions.update(session.execute(sa.select(UplinkRecord.id, UplinkRecord.revision)
                                         .where(UplinkRecord.id.in_(filings[start:start + 500]))).all())
    reply = sync_pb2.ProofReply(checkpoint=cosigned_note(session, cp))
    for index in wanted:
        for r in by_index.get(index, []):
            _add_proof(reply, read, cp, index, r)
            reply.proofs[-1].revision = revisions.get(r.uplink_record_id or 0, 0)
    return reply


def prefetched_reader(session: Session, leaves: list[int], size: int) -> merkle.NodeReader:
    """A reader holding every node the inclusion proofs of `leaves` under `size` need, fetched in few queries.

    Which nodes a proof reads depends only on the index and the size, never on hash values, so a
    first pass with a recording reader finds them all.
    """
    needed: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        needed.add((level, index))
        return bytes(32)

    for leaf in leaves:
        merkle.inclusion_proof(record, leaf, size)
    nodes: dict[tuple[int, int], bytes] = {}
    wanted = sorted(needed)
    for start in range(0, len(wanted), 400):
        part = wanted[start:start + 400]
        for level, index, h in session.execute(
                sa.select(NationalLogNode.level, NationalLogNode.index, NationalLogNode.hash)
                .where(sa.tuple_(NationalLogNode.level, NationalLogNode.index).in_(part))):
            nodes[(level, index)] = h
    fallback = national_reader(session)

    def read(level: int, index: int) -> bytes:
        return nodes.get((level, index)) or fallback(level, index)

    return read


def _add_proof(reply: sync_pb2.ProofReply, read: merkle.NodeReader, cp: NationalCheckpoint, index: int,
               r: EvidenceManifest) -> None:
    if r.status is ManifestStatus.LOGGED and (r.leaf_index or 0) >= cp.size:
        reply.proofs.append(sync_pb2.ManifestProof(region_index=index, manifest_sha256=r.manifest_sha256,
                                                   status="pending"))
    elif r.status is ManifestStatus.REFUSED:
        reply.proofs.append(sync_pb2.ManifestProof(region_index=index, manifest_sha256=r.manifest_sha256,
                                                   status="refused", reason=r.reason or ""))
    else:
        assert r.leaf_index is not None
        reply.proofs.append(sync_pb2.ManifestProof(
            region_index=index, manifest_sha256=r.manifest_sha256, status="logged", leaf_index=r.leaf_index,
            path=merkle.inclusion_proof(read, r.leaf_index, cp.size)))


def region_log_tail(session: Session, region: str, from_index: int, limit: int = MAX_PROOFS
                    ) -> sync_pb2.RegionLogReply:
    """The region's own evidence log as the national log accepted it, from `from_index` (read back by a region
    restored from a backup, or whose manifests were refused, so it continues the chain instead of forking it)."""
    size = _get(session, f"evidence_region_size:{region}")
    reply = sync_pb2.RegionLogReply(region_size=size)
    if from_index >= size:
        return reply
    rows = session.execute(
        sa.select(EvidenceManifest.region_index, EvidenceManifest.manifest, EvidenceManifest.signature,
                  EvidenceManifest.region_head, EvidenceManifest.leaf_index)
        .where(EvidenceManifest.region == region, EvidenceManifest.status == ManifestStatus.LOGGED,
               EvidenceManifest.region_index >= from_index, EvidenceManifest.region_index < size)
        .order_by(EvidenceManifest.region_index).limit(max(1, min(limit, MAX_PROOFS))))
    for index, manifest, signature, head, leaf in rows:
        reply.entries.append(sync_pb2.RegionLogEntry(region_index=index, manifest=manifest, signature=signature,
                                                     region_head=head, leaf_index=leaf or 0))
    return reply


def stuck_chains(session: Session) -> dict[str, EvidenceManifest]:
    """Regions whose evidence chain is stuck: the newest manifest they filed was refused (none logged since),
    with that refused manifest. A chain the region continued afterwards (re-signed, read back) is not stuck.

    Read from node_state (`log_manifests` keeps it, cheap enough for every /metrics scrape); a log kept
    before that is scanned until the worker's next pass.
    """
    if session.scalar(sa.select(NodeState.value).where(NodeState.key == STUCK_TRACKED)) is None:
        return _scan_stuck(session)
    ids = [int(v) for v in session.scalars(sa.select(NodeState.value).where(NodeState.key.like(STUCK + "%")))
           if v and v != "0"]
    if not ids:
        return {}
    return {row.region: row for row in session.scalars(sa.select(EvidenceManifest).where(EvidenceManifest.id.in_(ids)))}


def _scan_stuck(session: Session) -> dict[str, EvidenceManifest]:
    refused = dict(session.execute(sa.select(EvidenceManifest.region, sa.func.max(EvidenceManifest.id))
                                   .where(EvidenceManifest.status == ManifestStatus.REFUSED)
                                   .group_by(EvidenceManifest.region)).all())
    if not refused:
        return {}
    logged = dict(session.execute(sa.select(EvidenceManifest.region, sa.func.max(EvidenceManifest.id))
                                  .where(EvidenceManifest.status == ManifestStatus.LOGGED)
                                  .group_by(EvidenceManifest.region)).all())
    out: dict[str, EvidenceManifest] = {}
    for region, last_refused in refused.items():
        if last_refused > (logged.get(region) or 0):
            row = session.get(EvidenceManifest, last_refused)
            if row is not None:
                out[region] = row
    return out


# ---------------------------------------------------------------- objects and keys


def store_object(session: Session, store: ContentStore, region: str, digest: str, data: bytes,
                 now: dt.datetime) -> bool:
    """Keep an uploaded item after checking its digest; False when it was already held."""
    if hashlib.sha256(data).hexdigest() != digest:
        raise ValueError(f"object {digest[:16]}…: the bytes uploaded do not hash to the digest named")
    held = session.get(EvidenceObjectRow, digest) is not None and store.has(digest)
    store.put(data)
    session.execute(_insert(session, EvidenceObjectRow).values(sha256=digest, size=len(data), region=region,
                                                               received_at=now)
                    .on_conflict_do_nothing(index_elements=["sha256"]))
    return not held


def region_keys(trust: dict[str, RegionTrust]) -> list[RegionKey]:
    """Every region signing key the national office registered: the current one (no period: as before any
    rotation), and each earlier one for captures made until it was superseded, or until its accepted overlap ended.
    An earlier key has no start: a capture made before a re-issue but first logged after it is re-signed with the
    key then current (regional/evidence), and that key must still cover it once it is itself superseded.

    newcomer15 F16: this read a "signing_key_history" field sync/pki.py never wrote (it writes "history"), so after a
    routine revoke + re-issue the national packages listed only the new key and every capture signed before the
    rotation failed to verify ("signed by a key the national office never registered") while the region's own
    package of the same capture verified. The history comes from `trust` (sync/pki.py load_trust)."""
    keys: list[RegionKey] = []
    for code, entry in trust.items():
        keys.append(RegionKey(code, entry.signing_public_key))
        for old in entry.history:  # oldest first
            until = old.superseded_at
            if old.accept_until is not None and (until is None or old.accept_until > until):
                until = old.accept_until
            if old.signing_public_key != entry.signing_public_key and len(old.signing_public_key) == 32:
                keys.append(RegionKey(code, old.signing_public_key, None, until))
    return keys


def trust_note(keys: Iterable[RegionKey], key: ed25519.Ed25519PrivateKey, now: dt.datetime) -> str:
    """The key list, signed by the national log key."""
    return note.sign_note(trust_text(list(keys), now), NATIONAL_KEY_NAME, key).render()
