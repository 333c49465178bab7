"""Capture (取证): fix a lead's evidence in a signed manifest and append it to the region's evidence log.

Runs inside the caller's transaction — the lead's own when a lead is created — so a lead
never exists without its capture, nor a capture without its outbox record. The items are
already in the content store (written before the transaction: an unreferenced object is
harmless, a referenced one is never missing).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.orm import Session

from regional import state
from regional.models import (
    EvidenceCapture,
    EvidenceLogNode,
    LeadRow,
    ListingRow,
    ProofStatus,
    ReceivedListingRecord,
    RegistryRight,
    SellerRow,
)
from sync import merkle, note
from sync.cas import ContentStore
from sync.evidence import (
    MANIFEST_MEDIA_TYPE,
    MANIFEST_TYPE,
    canonical_json,
    iso_utc,
    manifest_leaf,
    region_key_name,
    region_origin,
    sign_manifest,
)
from sync.v1 import sync_pb2

LOG_SIZE = "evidence_log_size"
LEAD_CREATED = "lead_created"
RECAPTURE = "recapture"


@dataclass(frozen=True)
class Capturer:
    """What capturing needs: the region, its signing key, its content store."""

    region: str
    key: ed25519.Ed25519PrivateKey
    store: ContentStore

    @classmethod
    def at(cls, region: str, key: ed25519.Ed25519PrivateKey, evidence_dir: Path) -> Capturer:
        """A capturer storing under `evidence_dir`."""
        return cls(region=region, key=key, store=ContentStore(evidence_dir))


def _reader(session: Session) -> merkle.NodeReader:
    cache: dict[tuple[int, int], bytes] = {}

    def read(level: int, index: int) -> bytes:
        key = (level, index)
        if key not in cache:
            value = session.scalar(sa.select(EvidenceLogNode.hash).where(EvidenceLogNode.level == level,
                                                                         EvidenceLogNode.index == index))
            if value is None:
                raise LookupError(f"region evidence log node ({level}, {index}) is missing")
            cache[key] = value
        return cache[key]

    return read


def log_reader(session: Session) -> merkle.NodeReader:
    """A reader of this region's stored evidence log nodes."""
    return _reader(session)


def _listing_json(listing: ListingRow, seller: SellerRow | None) -> dict[str, Any]:
    from regional.formats.records import listing_to_json
    from regional.services import _listing_of

    return listing_to_json(_listing_of(listing, seller))


def _detection_json(lead: LeadRow, right: RegistryRight | None) -> dict[str, Any]:
    return {"lead": lead.uuid, "listing_id": lead.listing_id, "right": lead.right_number,
            "right_title": right.title if right else None, "right_owner": right.owner if right else None,
            "type": lead.type.value, "score": lead.score, "reasons": list(lead.reasons),
            "model_version": lead.model_version, "detected_at": iso_utc(lead.created_at)}


def capture(session: Session, cap: Capturer, items: Sequence[tuple[LeadRow, ListingRow, SellerRow | None,
                                                                   RegistryRight | None]],
            *, now: dt.datetime, reason: str = LEAD_CREATED, actor: str = "worker") -> list[sync_pb2.Record]:
    """Capture each lead's evidence, append the manifests to the region's log, return their outbox records.

    The caller appends the records to the outbox in the same transaction.
    """
    if not items:
        return []
    # one writer at a time appends to the log: the state row is locked on PostgreSQL (SQLite holds the write lock)
    state.ensure(session, LOG_SIZE, 0, now)
    size = state.get_int(session, LOG_SIZE, 0, for_update=True)
    read = _reader(session)
    appender = merkle.Appender.resume(read, size)
    sources = _latest_sources(session, [listing.id for _lead, listing, _s, _r in items])
    with cap.store.batch():  # one file-system flush for the chunk's objects, before the transaction commits
        records = _capture_all(session, cap, items, sources, appender, now=now, reason=reason, actor=actor)
    state.put(session, LOG_SIZE, appender.size, now)
    session.flush()
    return records


def _capture_all(session: Session, cap: Capturer, items: Sequence[tuple[LeadRow, ListingRow, SellerRow | None,
                                                                        RegistryRight | None]],
                 sources: dict[str, ReceivedListingRecord], appender: merkle.Appender, *, now: dt.datetime,
                 reason: str, actor: str) -> list[sync_pb2.Record]:
    records = []
    nodes: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for lead, listing, seller, right in items:
        source = sources.get(listing.id)
        manifest_items: list[dict[str, Any]] = []
        references: list[dict[str, Any]] = []
        if source is not None:
            manifest_items.append({"role": "listing_record", "name": f"listing-{listing.id}.json",
                                   "sha256": source.record_sha256, "media_type": "application/json",
                                   "size": _size(cap.store, source.record_sha256)})
            manifest_items.extend(dict(a) for a in source.attachments)
            references.extend(dict(r) for r in source.references)
        else:  # imported before evidence capture, or by a path that keeps no record: say so
            body = canonical_json(_listing_json(listing, seller))
            manifest_items.append({"role": "listing_as_stored", "name": f"listing-{listing.id}.json",
                                   "sha256": cap.store.put(body), "media_type": "application/json",
                                   "size": len(body)})
            references.extend({"role": "image", "url": str(u)} for u in (listing.images or [])
                              if str(u).lower().startswith(("http://", "https://")))
        detection = canonical_json(_detection_json(lead, right))
        manifest_items.append({"role": "detection", "name": "detection.json", "sha256": cap.store.put(detection),
                               "media_type": "application/json", "size": len(detection)})
        index = appender.size
        capture_uuid = str(uuid.uuid4())
        manifest = canonical_json({
            "type": MANIFEST_TYPE, "capture": capture_uuid, "region": cap.region,
            "node": region_key_name(cap.region), "lead": lead.uuid, "listing_id": listing.id,
            "listing_url": listing.url, "right": lead.right_number, "reason": reason, "captured_by": actor,
            "captured_at": iso_utc(now), "log_index": index, "items": manifest_items, "references": references,
        })
        digest = cap.store.put(manifest)
        nodes.extend({"level": level, "index": idx, "hash": h} for level, idx, h in appender.append(manifest_leaf(manifest)))
        head = note.sign_checkpoint(note.Checkpoint(origin=region_origin(cap.region), size=appender.size,
                                                    root=appender.root(), time=now),
                                    region_key_name(cap.region), cap.key).render()
        signature = sign_manifest(manifest, cap.key)
        rows.append({"uuid": capture_uuid, "lead_uuid": lead.uuid, "log_index": index, "manifest_sha256": digest,
                     "manifest": manifest, "signature": signature, "region_head": head, "reason": reason,
                     "actor": actor, "captured_at": now, "status": ProofStatus.PENDING})
        records.append(sync_pb2.Record(
            uuid=capture_uuid, revision=1, created_at=now.isoformat(),
            evidence_digest=sync_pb2.EvidenceDigest(lead_uuid=lead.uuid, sha256=digest,
                                                    media_type=MANIFEST_MEDIA_TYPE, manifest=manifest,
                                                    manifest_signature=signature, log_index=index,
                                                    region_head=head)))
    session.execute(sa.insert(EvidenceLogNode), nodes)  # one statement each: a chunk may hold thousands
    session.execute(sa.insert(EvidenceCapture), rows)
    return records


def _latest_sources(session: Session, listing_ids: list[str]) -> dict[str, ReceivedListingRecord]:
    out: dict[str, ReceivedListingRecord] = {}
    for chunk in range(0, len(listing_ids), 500):
        for row in session.scalars(sa.select(ReceivedListingRecord)
                                   .where(ReceivedListingRecord.listing_id.in_(listing_ids[chunk:chunk + 500]))
                                   .order_by(ReceivedListingRecord.id)):
            out[row.listing_id] = row  # the newest import of a listing wins
    return out


def _size(store: ContentStore, digest: str) -> int | None:
    try:
        return store.path(digest).stat().st_size
    except FileNotFoundError:
        return None


class UnknownLead(LookupError):
    """No lead with that uuid on this node."""


def recapture(session: Session, cap: Capturer, lead_uuid: str, *, now: dt.datetime, actor: str
              ) -> list[sync_pb2.Record]:
    """重新取证: capture a lead's evidence again (the newest record of its listing); the caller files the records."""
    if not actor.strip():
        raise ValueError("the officer's name is required for the audit trail")
    lead = session.scalar(sa.select(LeadRow).where(LeadRow.uuid == lead_uuid))
    if lead is None:
        raise UnknownLead(f"no lead {lead_uuid} on this node")
    listing = session.get(ListingRow, lead.listing_id)
    assert listing is not None
    seller = session.get(SellerRow, listing.seller_id) if listing.seller_id else None
    right = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == lead.right_number))
    return capture(session, cap, [(lead, listing, seller, right)], now=now, reason=RECAPTURE, actor=actor)
