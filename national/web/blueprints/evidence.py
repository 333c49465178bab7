"""National evidence: each region's evidence on a case page, the case package download, and the evidence log
(its size, its checkpoints with their witnesses, every alarm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Session

from national.models import CheckpointCosignature, EvidenceManifest, ManifestStatus, NationalCheckpoint
from regional.web import labels
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("national_evidence", __name__)
NAV = [NavItem("national_evidence.evidence_log", _l("Evidence log"))]

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
    for m in session.scalars(sa.select(EvidenceManifest).where(EvidenceManifest.lead_uuid.in_(list(leads)))
                             .order_by(EvidenceManifest.region, EvidenceManifest.id)):
        if m.status is ManifestStatus.REFUSED:
            status, witnesses = "refused", 0
        elif witnessed is not None and m.leaf_index is not None and m.leaf_index < witnessed[0]:
            status, witnesses = "witnessed", int(witnessed[1])
        else:
            status, witnesses = "logged", 0
        lead = leads[m.lead_uuid]
        out.append({"region": m.region, "listing_id": getattr(lead, "listing_id", ""), "sha256": m.manifest_sha256,
                    "captured_at": m.captured_at, "status": status, "witnesses": witnesses, "reason": m.reason,
                    "leaf_index": m.leaf_index, "received_at": m.logged_at})
    return out


@bp.get("/cases/<case_uuid>/evidence.zip")
def case_package(case_uuid: str) -> Response:
    """The court-ready package of the case: every region's captures of its leads."""
    from national.evidence_export import NotExportable, export_case

    try:
        package, _n, _left = export_case(current_app.config["HUFU"], case_uuid, dt.datetime.now(dt.UTC))
    except NotExportable:
        abort(404)
    return Response(package, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="case-evidence-{case_uuid}.zip"'})


@bp.get("/evidence")
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
        alarms = list(session.scalars(sa.select(EvidenceAlarm).order_by(EvidenceAlarm.id.desc()).limit(100)))
    return render_template("national_evidence.html", size=size, refused=refused, checkpoints=checkpoints,
                           alarms=alarms, fingerprint=note.fingerprint(log_public_key(cfg.pki)))
