"""National evidence: each region's evidence on a case page, the case package download, and the evidence log
(its size, its checkpoints with their witnesses, every alarm)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel import lazy_pgettext as _p
from sqlalchemy.orm import Session

from national.models import CheckpointCosignature, EvidenceManifest, ManifestStatus, NationalCheckpoint
from regional.actors import ADMIN, AUDITOR, OFFICER, SUPERVISOR
from regional.web import labels
from regional.web.auth import client_address, current_actor, roles_required
from regional.web.blueprints import evidence as _regional_evidence  # noqa: F401  (registers the shared labels)
from regional.web.db import db
from regional.web.foundation import NavItem

# an alarm's detail is the node's technical English (for operators, kept whole in the audit log): the page says what
# the kind means in the reader's language and shows the manifest digest it names; the text stays under 技术细节
_MANIFEST = re.compile(r"\bmanifest ([0-9a-f]{64})\b")
labels.register("evidence_alarm_meaning", {
    "bad_manifest": _p("evidence_alarm_meaning", "The region filed a manifest that does not verify (its signature, "
                       "its fields or the record filing it); it was refused and not logged."),
    "bad_region_head": _p("evidence_alarm_meaning", "The region's signed log head filed with a manifest does not "
                          "verify; the manifest was refused and not logged."),
    "region_log_rewritten": _p("evidence_alarm_meaning", "The region's evidence log no longer matches what it filed "
                               "before (a database restored from a backup, or tampering); the manifest was refused."),
    "region_log_gap": _p("evidence_alarm_meaning", "The region filed a later entry of its evidence log before an "
                         "earlier one; it files the missing ones on its next evidence pass."),
    "witness_refused": _p("evidence_alarm_meaning", "A region refused to co-sign a checkpoint of the national log: "
                          "what it was shown does not extend what it saw before."),
    "split_view": _p("evidence_alarm_meaning", "A region co-signed a checkpoint this node never issued: another "
                     "national log is serving that region (split view)."),
})

bp = Blueprint("national_evidence", __name__)
NAV = [NavItem("national_evidence.evidence_log", _l("Evidence log"))]
READERS = frozenset({OFFICER, SUPERVISOR, AUDITOR, ADMIN})  # the national office's own staff

labels.register("case_evidence_status", {
    "logged": lazy_pgettext("case_evidence_status", "in the national log"),
    "witnessed": lazy_pgettext("case_evidence_status", "in the national log, checkpoint witnessed"),
    "refused": lazy_pgettext("case_evidence_status", "refused"),
})


def case_evidence(session: Session, leads: dict[str, Any]) -> list[dict[str, Any]]:
    """Every manifest filed for these leads, with where it stands in the national log."""
    if not leads:
        return []
    witnessed = session.execute(
        sa.select(NationalCheckpoint.size, sa.func.count(CheckpointCosignature.id))
        .join(CheckpointCosignature, CheckpointCosignature.checkpoint_id == NationalCheckpoint.id)
        .group_by(NationalCheckpoint.size).order_by(NationalCheckpoint.size.desc()).limit(1)).first()
    out = []
    linked: set[str] = set()  # one package link per lead, on its first logged capture
    for m in session.scalars(sa.select(EvidenceManifest).where(EvidenceManifest.lead_uuid.in_(list(leads)))
                             .order_by(EvidenceManifest.region, EvidenceManifest.id)):
        if m.status is ManifestStatus.REFUSED:
            status, witnesses = "refused", 0
        elif witnessed is not None and m.leaf_index is not None and m.leaf_index < witnessed[0]:
            status, witnesses = "witnessed", int(witnessed[1])
        else:
            status, witnesses = "logged", 0
        lead = leads[m.lead_uuid]
        out.append({"region": m.region, "lead_uuid": m.lead_uuid, "listing_id": getattr(lead, "listing_id", ""),
                    "sha256": m.manifest_sha256,
                    "captured_at": m.captured_at, "status": status, "witnesses": witnesses, "reason": m.reason,
                    "leaf_index": m.leaf_index, "received_at": m.logged_at,
                    "package_link": status != "refused" and m.lead_uuid not in linked})
        if status != "refused":
            linked.add(m.lead_uuid)
    return out


@bp.get("/cases/<case_uuid>/evidence.zip")
@roles_required(*READERS)
def case_package(case_uuid: str) -> Response:
    """The court-ready package of the case: every region's captures of its leads (the download is audited)."""
    from national.evidence_export import NotExportable, export_case

    now = dt.datetime.now(dt.UTC)
    try:
        package, n, left = export_case(current_app.config["HUFU"], case_uuid, now)
    except NotExportable:
        abort(404)  # the case page offers the download only when a region has filed evidence
    _audit_download(now, {"case": case_uuid}, package, n, left)
    return _zip(package, f"case-evidence-{case_uuid}.zip")


@bp.get("/leads/<lead_uuid>/evidence.zip")
@roles_required(*READERS)
def lead_package(lead_uuid: str) -> Response:
    """The court-ready package of one lead, as its region filed it with the national log (audited)."""
    from national.evidence_export import NotExportable, export_lead

    now = dt.datetime.now(dt.UTC)
    try:
        package, n, left = export_lead(current_app.config["HUFU"], lead_uuid, now)
    except NotExportable:
        abort(404)
    _audit_download(now, {"lead": lead_uuid}, package, n, left)
    return _zip(package, f"lead-evidence-{lead_uuid}.zip")


def _audit_download(now: dt.datetime, subject: dict[str, str], package: bytes, n: int, left: int) -> None:
    import hashlib

    from national.models import AuditEntry

    with db().transaction() as session:
        session.add(AuditEntry(at=now, actor=current_actor().name, action="evidence_exported",
                               address=client_address(),
                               detail={**subject, "captures": n, "left_out": left,
                                       "package_sha256": hashlib.sha256(package).hexdigest()}))


def _zip(package: bytes, name: str) -> Response:
    return Response(package, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def exportable_leads(session: Session, lead_uuids: list[str]) -> set[str]:
    """Which of these leads have evidence in the national log (the leads list links their package)."""
    if not lead_uuids:
        return set()
    return set(session.scalars(sa.select(EvidenceManifest.lead_uuid).distinct()
                               .where(EvidenceManifest.lead_uuid.in_(lead_uuids),
                                      EvidenceManifest.status == ManifestStatus.LOGGED)))


_RECORD = re.compile(r"\(record ([0-9a-fA-F-]{36})\)")


def cures(session: Session, alarms: list[Any]) -> dict[int, int]:
    """Alarms about a refused manifest whose capture the national log has since taken (the region re-signed and
    filed it again, e.g. after its certificate was re-issued): alarm id -> the national log index that cured it
    (newcomer16 N9: three 证据清单验证失败 alarms stayed, nothing said they were settled)."""
    from national.models import UplinkRecord

    records = {a.id: m.group(1) for a in alarms if (m := _RECORD.search(a.detail or ""))}
    if not records:
        return {}
    logged = dict(session.execute(
        sa.select(UplinkRecord.uuid, sa.func.min(EvidenceManifest.leaf_index))
        .join(UplinkRecord, UplinkRecord.id == EvidenceManifest.uplink_record_id)
        .where(UplinkRecord.uuid.in_(set(records.values())), EvidenceManifest.status == ManifestStatus.LOGGED)
        .group_by(UplinkRecord.uuid)).all())
    return {alarm: int(logged[uuid]) for alarm, uuid in records.items() if logged.get(uuid) is not None}


def refused_since_logged(session: Session) -> int:
    """Refused manifests whose capture the national log has since taken (re-signed and filed again)."""
    from national.models import UplinkRecord

    refused = sa.orm.aliased(EvidenceManifest)
    refused_rec = sa.orm.aliased(UplinkRecord)
    logged = sa.orm.aliased(EvidenceManifest)
    logged_rec = sa.orm.aliased(UplinkRecord)
    cured = (sa.select(logged.id).join(logged_rec, logged_rec.id == logged.uplink_record_id)
             .where(logged.status == ManifestStatus.LOGGED, logged_rec.uuid == refused_rec.uuid).exists())
    return session.scalar(sa.select(sa.func.count()).select_from(refused)
                          .join(refused_rec, refused_rec.id == refused.uplink_record_id)
                          .where(refused.status == ManifestStatus.REFUSED, cured)) or 0


@bp.get("/evidence")
@roles_required(*READERS)
def evidence_log() -> str:
    """The national evidence log: its size, its latest checkpoints with their witnesses, and every alarm."""
    from national import evidence
    from national.models import EvidenceAlarm
    from sync import note
    from sync.pki import log_public_key

    cfg = current_app.config["HUFU"]
    with db().read() as session:
        size = evidence.log_size(session)
        refused = session.scalar(sa.select(sa.func.count()).select_from(EvidenceManifest)
                                 .where(EvidenceManifest.status == ManifestStatus.REFUSED)) or 0
        checkpoints = []
        for cp in session.scalars(sa.select(NationalCheckpoint).order_by(NationalCheckpoint.size.desc()).limit(20)):
            regions = list(session.scalars(sa.select(CheckpointCosignature.region)
                                           .where(CheckpointCosignature.checkpoint_id == cp.id)
                                           .order_by(CheckpointCosignature.region)))
            checkpoints.append({"size": cp.size, "root": cp.root.hex(), "issued_at": cp.issued_at, "witnesses": regions})
        rows = list(session.scalars(sa.select(EvidenceAlarm).order_by(EvidenceAlarm.id.desc()).limit(100)))
        cured = cures(session, rows)
        alarms = [{"id": a.id, "at": a.at, "region": a.region, "kind": a.kind, "detail": a.detail,
                   "manifest": (m.group(1) if (m := _MANIFEST.search(a.detail or "")) else None)} for a in rows]
        refused_cured = refused_since_logged(session) if refused else 0
    return render_template("national_evidence.html", size=size, refused=refused, checkpoints=checkpoints,
                           alarms=alarms, cured=cured, refused_cured=refused_cured,
                           fingerprint=note.fingerprint(log_public_key(cfg.pki)))
