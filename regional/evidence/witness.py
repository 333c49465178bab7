"""The region as a witness of the national evidence log, and the keeper of its own proofs.

One pass (`run_once`, the worker's evidence job):

1. fetch the latest national checkpoint with a consistency proof from the last checkpoint
   this region co-signed; check the national signature and the proof — the national log
   only ever grew — then co-sign it. If the proof fails (a rewritten history, or a second
   log shown to this region: a split view) raise an alarm here and report it to the
   national node instead of co-signing;
2. fetch inclusion proofs of this region's manifests under the checkpoint just co-signed,
   check each against that checkpoint's root, and keep them;
3. upload the items of captures not yet uploaded, so the national node can export them.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519

from regional.models import (
    AuditEntry,
    EvidenceAlarm,
    EvidenceCapture,
    EvidenceCheckpoint,
    OutboxRow,
    ProofStatus,
)
from sync import merkle, note
from sync.cas import ContentStore
from sync.db import Database
from sync.evidence import NATIONAL_KEY_NAME, NATIONAL_ORIGIN, load_public_key, manifest_leaf, region_key_name
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.regional.evidence")
Clock = Callable[[], dt.datetime]
PROOF_PAGE = 500
UPLOAD_CAPTURES = 200
CHUNK = 1024 * 1024


@dataclass
class WitnessResult:
    """What one pass did."""

    checkpoint_size: int = 0
    cosigned: bool = False
    alarm: str | None = None
    proved: int = 0
    refused: int = 0
    uploaded: int = 0
    resync: object | None = None  # what the resync did (regional.evidence.resync.ResyncResult), if it ran


def national_log_key(pki_dir: Path) -> bytes:
    """The national log public key this region pins (installed with its credentials)."""
    path = Path(pki_dir) / "evidence-log.pub"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: re-issue this region's credentials with a current "
                                "`hufu pki issue-region` (it hands over the national evidence log key)")
    return load_public_key(path.read_bytes())


def raise_alarm(db: Database, kind: str, detail: str, now: dt.datetime) -> None:
    """Record an alarm on this region: the alarms table, the audit log, the log at ERROR."""
    with db.transaction() as session:
        latest = session.scalar(sa.select(EvidenceAlarm.detail).order_by(EvidenceAlarm.id.desc()).limit(1))
        if latest == detail[:4000]:
            return  # the same alarm again at the next pass: recorded once
        session.add(EvidenceAlarm(at=now, kind=kind, detail=detail[:4000]))
        session.add(AuditEntry(at=now, actor="evidence", action=f"evidence_alarm_{kind}", detail={"detail": detail[:1000]}))
    log.error("EVIDENCE ALARM (%s): %s", kind, detail)


def last_cosigned(db: Database) -> EvidenceCheckpoint | None:
    """The newest national checkpoint this region co-signed."""
    with db.read() as session:
        return session.scalar(sa.select(EvidenceCheckpoint).where(EvidenceCheckpoint.cosigned_at.is_not(None))
                              .order_by(EvidenceCheckpoint.size.desc(), EvidenceCheckpoint.id.desc()).limit(1))


def witness(db: Database, stub: sync_pb2_grpc.FederationSyncStub, region: str, key: ed25519.Ed25519PrivateKey,
            national_key: bytes, *, clock: Clock, timeout: float) -> tuple[EvidenceCheckpoint | None, str | None]:
    """Check and co-sign the latest national checkpoint; return (the newest co-signed checkpoint, alarm or None)."""
    last = last_cosigned(db)
    from_size = last.size if last else 0
    reply = stub.WitnessCheckpoint(sync_pb2.CheckpointRequest(from_size=from_size), timeout=timeout)
    if not reply.checkpoint:
        return last, None
    now = clock()
    problem = None
    cp = None
    try:
        received = note.parse_note(reply.checkpoint)
        cp = note.open_checkpoint(received, NATIONAL_KEY_NAME, national_key, origin=NATIONAL_ORIGIN)
    except note.NoteError as exc:
        problem = ("signature", f"the national checkpoint does not verify with the national log key this region "
                                f"pins: {exc}")
    if cp is not None and last is not None:
        try:
            merkle.verify_consistency(last.size, cp.size, last.root, cp.root, list(reply.consistency))
        except merkle.ProofError as exc:
            problem = ("split_view" if cp.size == last.size else "rewritten",
                       f"the national log served a checkpoint of size {cp.size} (root {cp.root.hex()[:16]}…) that is "
                       f"not consistent with the checkpoint of size {last.size} (root {last.root.hex()[:16]}…) this "
                       f"region co-signed on {last.cosigned_at:%Y-%m-%d %H:%M:%S} UTC: {exc}. The national log was "
                       "rewritten, or this region is shown a different log than others (split view)")
    if problem is not None:
        kind, detail = problem
        raise_alarm(db, kind, detail, now)
        try:
            stub.CosignCheckpoint(sync_pb2.CosignRequest(checkpoint=reply.checkpoint, alarm=detail,
                                                         from_size=from_size), timeout=timeout)
            with db.transaction() as session:
                for row in session.scalars(sa.select(EvidenceAlarm).where(EvidenceAlarm.reported_at.is_(None))):
                    row.reported_at = now
        except grpc.RpcError as exc:
            log.warning("could not report the alarm to the national node: %s", exc)
        return last, detail
    assert cp is not None
    trust = _checked_trust(reply.trust, national_key)
    if last is not None and cp.size == last.size:
        _store(db, cp, reply.checkpoint, trust, now, cosigned=True)
        return last_cosigned(db), None
    sig = note.cosign(received, region_key_name(region), key, now)
    answer = stub.CosignCheckpoint(sync_pb2.CosignRequest(checkpoint=reply.checkpoint, cosignature=sig.line(),
                                                          from_size=from_size), timeout=timeout)
    if not answer.accepted:
        log.warning("national node did not keep this region's co-signature: %s", answer.message)
    _store(db, cp, received.with_signature(sig).render(), trust, now, cosigned=True)
    return last_cosigned(db), None


def _checked_trust(text: str, national_key: bytes) -> str | None:
    """The key list if the national log key signed it (it goes into this region's packages)."""
    if not text:
        return None
    try:
        note.verify_note(note.parse_note(text), NATIONAL_KEY_NAME, national_key)
    except note.NoteError as exc:
        log.warning("the key list sent with the checkpoint does not verify; not kept: %s", exc)
        return None
    return text


def _store(db: Database, cp: note.Checkpoint, rendered: str, trust: str | None, now: dt.datetime, *,
           cosigned: bool) -> None:
    with db.transaction() as session:
        row = session.scalar(sa.select(EvidenceCheckpoint).where(EvidenceCheckpoint.size == cp.size,
                                                                 EvidenceCheckpoint.root == cp.root))
        if row is None:
            session.add(EvidenceCheckpoint(size=cp.size, root=cp.root, note=rendered, trust=trust, issued_at=cp.time,
                                           received_at=now, cosigned_at=now if cosigned else None))
        else:
            row.note = _merge(row.note, rendered)
            row.trust = trust or row.trust
            if cosigned and row.cosigned_at is None:
                row.cosigned_at = now


def _merge(old: str, new: str) -> str:
    """The note with the co-signatures of both versions (same signed text)."""
    a, b = note.parse_note(old), note.parse_note(new)
    if a.text != b.text:
        return old
    merged = a
    for sig in b.signatures:
        merged = merged.with_signature(sig)
    return merged.render()


def fetch_proofs(db: Database, stub: sync_pb2_grpc.FederationSyncStub, cp_row: EvidenceCheckpoint,
                 national_key: bytes, *, clock: Clock, timeout: float) -> tuple[int, int]:
    """Inclusion proofs for captures still pending, under `cp_row`; each checked before it is kept."""
    proved = refused = 0
    after = -1
    while True:
        with db.read() as session:
            pending = list(session.execute(
                sa.select(EvidenceCapture.id, EvidenceCapture.log_index, EvidenceCapture.manifest,
                          EvidenceCapture.manifest_sha256)
                .where(EvidenceCapture.status == ProofStatus.PENDING, EvidenceCapture.log_index > after)
                .order_by(EvidenceCapture.log_index).limit(PROOF_PAGE)))
        if not pending:
            return proved, refused
        after = pending[-1][1]
        reply = stub.EvidenceProofs(sync_pb2.ProofRequest(checkpoint_size=cp_row.size,
                                                          region_indexes=[p[1] for p in pending]), timeout=timeout)
        now = clock()
        by_digest = {(p.region_index, p.manifest_sha256): p for p in reply.proofs}
        alarms: list[tuple[str, str]] = []
        with db.transaction() as session:
            for capture_id, index, manifest, digest in pending:
                p = by_digest.get((index, digest))  # the national node's answer about this very manifest
                if p is None or p.status == "pending":
                    continue
                row = session.get(EvidenceCapture, capture_id)
                assert row is not None
                if p.status == "refused":
                    filed = session.scalar(sa.select(sa.func.max(OutboxRow.revision)).where(OutboxRow.uuid == row.uuid))
                    if p.revision and filed and p.revision < filed:
                        continue  # an earlier filing was refused; the one re-signed since is not answered yet
                    row.status = ProofStatus.REFUSED
                    row.status_reason = p.reason[:1000]
                    refused += 1
                    alarms.append(("refused", f"the national node refused manifest {digest} (index {index}): "
                                              f"{p.reason}"))
                    continue
                try:
                    merkle.verify_inclusion(p.leaf_index, cp_row.size, manifest_leaf(manifest), list(p.path),
                                            cp_row.root)
                except merkle.ProofError as exc:
                    alarms.append(("bad_proof", f"inclusion proof of manifest {digest} under the national checkpoint "
                                                f"of size {cp_row.size} does not verify: {exc}"))
                    continue
                row.status = ProofStatus.LOGGED
                row.national_index = p.leaf_index
                row.proof = b"".join(p.path)
                row.checkpoint_id = cp_row.id
                row.proved_at = now
                proved += 1
            cp = session.get(EvidenceCheckpoint, cp_row.id)
            if cp is not None and reply.checkpoint:
                try:
                    fresh = note.parse_note(reply.checkpoint)
                    note.verify_note(fresh, NATIONAL_KEY_NAME, national_key)
                    cp.note = _merge(cp.note, reply.checkpoint)  # co-signatures gathered since
                except note.NoteError:
                    pass
        for kind, detail in alarms:
            raise_alarm(db, kind, detail, now)


def _chunks(items: list[tuple[str, bytes]]) -> Iterator[sync_pb2.EvidenceChunk]:
    for digest, data in items:
        if not data:
            yield sync_pb2.EvidenceChunk(sha256=digest, size=0, data=b"", last=True)
            continue
        for start in range(0, len(data), CHUNK):
            part = data[start:start + CHUNK]
            yield sync_pb2.EvidenceChunk(sha256=digest, size=len(data), data=part,
                                         last=start + CHUNK >= len(data))


def upload(db: Database, stub: sync_pb2_grpc.FederationSyncStub, store: ContentStore, *, clock: Clock,
           timeout: float) -> int:
    """Send the items of captures not yet uploaded (content-addressed: a repeat is harmless)."""
    import json

    with db.read() as session:
        rows = list(session.execute(sa.select(EvidenceCapture.id, EvidenceCapture.manifest, EvidenceCapture.manifest_sha256)
                                    .where(EvidenceCapture.uploaded_at.is_(None),
                                           EvidenceCapture.status != ProofStatus.REFUSED)
                                    .order_by(EvidenceCapture.id).limit(UPLOAD_CAPTURES)))
    if not rows:
        return 0
    done = []
    for capture_id, manifest, digest in rows:
        items = [(digest, manifest)]
        for item in json.loads(manifest).get("items", []):
            items.append((item["sha256"], store.get(item["sha256"])))
        stub.PutEvidenceObjects(_chunks(items), timeout=timeout)
        done.append(capture_id)
    now = clock()
    with db.transaction() as session:
        session.execute(sa.update(EvidenceCapture).where(EvidenceCapture.id.in_(done)).values(uploaded_at=now))
    return len(done)


def run_once(db: Database, channel: grpc.Channel, region: str, key: ed25519.Ed25519PrivateKey, pki_dir: Path,
             store: ContentStore, *, clock: Clock, timeout: float = 30.0) -> WitnessResult:
    """Witness, fetch proofs, upload items."""
    stub = sync_pb2_grpc.FederationSyncStub(channel)
    national_key = national_log_key(pki_dir)
    result = WitnessResult()
    cp_row, problem = witness(db, stub, region, key, national_key, clock=clock, timeout=timeout)
    result.alarm = problem
    if cp_row is not None:
        result.checkpoint_size = cp_row.size
        result.cosigned = problem is None
        if problem is None:
            result.proved, result.refused = fetch_proofs(db, stub, cp_row, national_key, clock=clock,
                                                         timeout=timeout)
    result.resync = _resync(db, channel, region, key, store, clock=clock, timeout=timeout)
    result.uploaded = upload(db, stub, store, clock=clock, timeout=timeout)
    return result


def _resync(db: Database, channel: grpc.Channel, region: str, key: ed25519.Ed25519PrivateKey, store: ContentStore,
            *, clock: Clock, timeout: float) -> object | None:
    """Continue the chain from the national copy when a capture stands refused or after a restore."""
    from regional.evidence import resync
    from regional.outbox import Signer

    try:
        return resync.resync_if_due(db, channel, Signer(region=region, key=key), store, now=clock(),
                                    timeout=timeout)
    except resync.ResyncError as exc:
        raise_alarm(db, "resync_failed", f"the evidence log could not be continued from the national copy: {exc}",
                    clock())
    except grpc.RpcError as exc:
        log.warning("could not read back this region's evidence log from the national node: %s: %s",
                    exc.code().name, exc.details())  # type: ignore[attr-defined]
    return None


def proof_hashes(blob: bytes | None) -> list[bytes]:
    """The stored inclusion proof as a list of hashes."""
    blob = blob or b""
    return [blob[i:i + 32] for i in range(0, len(blob), 32)]


def b64(data: bytes) -> str:
    """Base64 text."""
    return base64.b64encode(data).decode()
