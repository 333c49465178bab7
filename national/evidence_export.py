"""The court-ready package of a case on the national node: every region's captures of its leads."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from national import evidence
from national.config import NationalConfig
from national.models import (
    CaseRow,
    CheckpointCosignature,
    EvidenceManifest,
    ManifestStatus,
    NationalCheckpoint,
    NationalLead,
)
from sync import merkle
from sync.cas import ContentStore, ObjectMissing
from sync.db import Database
from sync.evidence import NATIONAL_KEY_NAME
from sync.evidence_package import CaptureFiles, build_package
from sync.pki import ensure_log_key, load_trust


class NotExportable(LookupError):
    """Nothing of that case can be exported yet; the message says why."""


def witnessed_checkpoint(session: sa.orm.Session) -> NationalCheckpoint | None:
    """The newest checkpoint that carries at least one witness co-signature."""
    return session.scalar(sa.select(NationalCheckpoint)
                          .where(sa.exists().where(CheckpointCosignature.checkpoint_id == NationalCheckpoint.id))
                          .order_by(NationalCheckpoint.size.desc()).limit(1))


def export_case(config: NationalConfig, case_uuid: str, now: dt.datetime) -> tuple[bytes, int, int]:
    """(package zip bytes, captures exported, captures left out) for a case."""
    db = Database(config.db_url)
    store = ContentStore(config.evidence_dir)
    key = ensure_log_key(config.pki)
    try:
        with db.read() as session:
            case = session.scalar(sa.select(CaseRow).where(CaseRow.uuid == case_uuid))
            if case is None:
                raise NotExportable(f"no case {case_uuid} on this node")
            leads = list(session.scalars(sa.select(NationalLead.uuid).where(NationalLead.case_id == case.id)))
            rows = list(session.scalars(sa.select(EvidenceManifest)
                                        .where(EvidenceManifest.lead_uuid.in_(leads),
                                               EvidenceManifest.status == ManifestStatus.LOGGED)
                                        .order_by(EvidenceManifest.leaf_index)))
            if not rows:
                raise NotExportable(f"no region has filed evidence for the leads of case {case_uuid} yet")
            cp = witnessed_checkpoint(session)
            if cp is None:
                raise NotExportable("no national checkpoint has been co-signed by a witness yet")
            cp_note = evidence.cosigned_note(session, cp)
            read = evidence.national_reader(session)
            captures, left_out = [], 0
            for r in rows:
                assert r.leaf_index is not None
                if r.leaf_index >= cp.size:
                    left_out += 1
                    continue
                try:
                    items = {i["sha256"]: store.get(i["sha256"]) for i in json.loads(r.manifest)["items"]}
                except ObjectMissing:
                    left_out += 1  # the region has not uploaded its items yet
                    continue
                captures.append(CaptureFiles(
                    manifest=r.manifest, manifest_sha256=r.manifest_sha256, signature=r.signature,
                    region_head=r.region_head,
                    region_path=merkle.inclusion_proof(evidence._region_reader(session, r.region), r.region_index,
                                                       r.region_index + 1),
                    leaf_index=r.leaf_index, tree_size=cp.size,
                    path=merkle.inclusion_proof(read, r.leaf_index, cp.size), checkpoint=cp_note, items=items))
    finally:
        db.dispose()
    if not captures:
        raise NotExportable(f"case {case_uuid}: {left_out} capture(s), none yet under a witnessed checkpoint with its "
                            "items uploaded; let the worker and the regions sync, then export again")
    trust = evidence.trust_note(evidence.region_keys(load_trust(config.pki), config.pki), key, now)
    from sync.note import raw_public

    package = build_package({"kind": "case", "uuid": case_uuid}, captures, trust, raw_public(key), NATIONAL_KEY_NAME,
                            now)
    return package, len(captures), left_out
