"""The court-ready package of one lead, from a regional node's own records (offline: no national node needed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from regional.evidence.capture import log_reader
from regional.evidence.witness import national_log_key, proof_hashes
from regional.models import EvidenceCapture, EvidenceCheckpoint, ProofStatus
from sync import merkle
from sync.cas import ContentStore
from sync.db import Database
from sync.evidence import region_key_name
from sync.evidence_package import CaptureFiles, build_package


class NotExportable(LookupError):
    """Nothing of that lead can be exported yet; the message says why and what to do."""


def export_lead(db: Database, store: ContentStore, pki_dir: Path, region: str, lead_uuid: str,
                now: dt.datetime) -> tuple[bytes, int, int]:
    """(package zip bytes, captures exported, captures left out because not yet proved) for a lead."""
    national_key = national_log_key(pki_dir)
    with db.read() as session:
        rows = list(session.execute(
            sa.select(EvidenceCapture, EvidenceCheckpoint)
            .outerjoin(EvidenceCheckpoint, EvidenceCapture.checkpoint_id == EvidenceCheckpoint.id)
            .where(EvidenceCapture.lead_uuid == lead_uuid).order_by(EvidenceCapture.log_index)))
        if not rows:
            raise NotExportable(f"no evidence was captured for lead {lead_uuid} on this node")
        read = log_reader(session)
        captures = []
        trust = None
        left_out = 0
        for cap, cp in rows:
            if cap.status is not ProofStatus.LOGGED or cp is None or cp.cosigned_at is None:
                left_out += 1
                continue
            items = {}
            for item in json.loads(cap.manifest)["items"]:
                items[item["sha256"]] = store.get(item["sha256"])  # re-hashed: a changed file is refused here
            captures.append(CaptureFiles(
                manifest=cap.manifest, manifest_sha256=cap.manifest_sha256, signature=cap.signature,
                region_head=cap.region_head, region_path=merkle.inclusion_proof(read, cap.log_index, cap.log_index + 1),
                leaf_index=cap.national_index or 0, tree_size=cp.size, path=proof_hashes(cap.proof),
                checkpoint=cp.note, items=items))
            trust = cp.trust or trust
    if not captures:
        raise NotExportable(f"lead {lead_uuid} has {left_out} capture(s), none yet with an inclusion proof under a "
                            "national checkpoint this region co-signed; let the worker sync (job evidence-witness) "
                            "and export again")
    if trust is None:
        raise NotExportable("this region holds no key list signed by the national node yet; let the worker sync")
    package = build_package({"kind": "lead", "uuid": lead_uuid}, captures, trust, national_key,
                            region_key_name(region), now)
    return package, len(captures), left_out
