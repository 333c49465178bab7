"""Court-ready packages on the national node: a case (every region's captures of its leads) or one lead."""

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
    """(package zip bytes, captures exported, captures left out) for a case: every region's captures of its leads."""
    return _export(config, "case", case_uuid, now)


def export_lead(config: NationalConfig, lead_uuid: str, now: dt.datetime) -> tuple[bytes, int, int]:
    """(package zip bytes, captures exported, captures left out) for one lead, as its region filed it."""
    return _export(config, "lead", lead_uuid, now)


def export_any(config: NationalConfig, uuid: str, now: dt.datetime) -> tuple[str, bytes, int, int]:
    """(kind, package, exported, left out) for a case uuid or a lead uuid, whichever this node knows."""
    db = Database(config.db_url)
    try:
        with db.read() as session:
            is_case = session.scalar(sa.select(CaseRow.id).where(CaseRow.uuid == uuid)) is not None
            if not is_case:
                try:
                    _lead_uuids(session, "lead", uuid)
                except NotExportable:
                    raise NotExportable(f"{uuid} is neither a case nor a lead on this node") from None
    finally:
        db.dispose()
    kind = "case" if is_case else "lead"
    return (kind, *_export(config, kind, uuid, now))


def _lead_uuids(session: sa.orm.Session, kind: str, uuid: str) -> list[str]:
    if kind == "case":
        case = session.scalar(sa.select(CaseRow).where(CaseRow.uuid == uuid))
        if case is None:
            raise NotExportable(f"no case {uuid} on this node")
        return list(session.scalars(sa.select(NationalLead.uuid).where(NationalLead.case_id == case.id)))
    if session.scalar(sa.select(NationalLead.id).where(NationalLead.uuid == uuid)) is None:
        # a lead whose region filed evidence before the lead itself is still exportable by its manifests
        if session.scalar(sa.select(EvidenceManifest.id).where(EvidenceManifest.lead_uuid == uuid).limit(1)) is None:
            raise NotExportable(f"no lead {uuid} on this node")
    return [uuid]


def _export(config: NationalConfig, kind: str, uuid: str, now: dt.datetime) -> tuple[bytes, int, int]:
    db = Database(config.db_url)
    store = ContentStore(config.evidence_dir)
    key = ensure_log_key(config.pki)
    what = "the leads of case" if kind == "case" else "lead"
    try:
        with db.read() as session:
            leads = _lead_uuids(session, kind, uuid)
            rows = list(session.scalars(sa.select(EvidenceManifest)
                                        .where(EvidenceManifest.lead_uuid.in_(leads),
                                               EvidenceManifest.status == ManifestStatus.LOGGED)
                                        .order_by(EvidenceManifest.leaf_index)))
            if not rows:
                raise NotExportable(f"no region has filed evidence for {what} {uuid} yet")
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
        raise NotExportable(f"{kind} {uuid}: {left_out} capture(s), none yet under a witnessed checkpoint with its "
                            "items uploaded; let the worker and the regions sync, then export again")
    trust = evidence.trust_note(evidence.region_keys(load_trust(config.pki)), key, now)
    from sync.note import raw_public

    package = build_package({"kind": kind, "uuid": uuid}, captures, trust, raw_public(key), NATIONAL_KEY_NAME,
                            now)
    return package, len(captures), left_out
