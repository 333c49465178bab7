"""The evidence of a lead (取证与存证): its captures with their proof status, the package download, 重新取证.

The lead page can include the partial `_evidence.html` with `captures` (see `captures_of`) and `lead_uuid`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from regional.actors import ADMIN, AUDITOR, OFFICER, REVIEWERS, SUPERVISOR
from regional.models import EvidenceAlarm, EvidenceCapture, EvidenceCheckpoint, LeadRow, ListingRow
from regional.web import labels
from regional.web.auth import client_address, current_actor, roles_required
from regional.web.db import db
from sync import note

bp = Blueprint("evidence", __name__)
NAV: list[object] = []  # reached from each lead, not from the header
# Who may read evidence and download packages: the office's own staff (never outside accounts such as
# rights holders or platforms); who may capture again: those who judge leads.
READERS = frozenset({OFFICER, SUPERVISOR, AUDITOR, ADMIN})
LEAD_PAGE = "review.lead_page"  # the officers' lead page (regional/web/blueprints/review.py), when present

labels.register("evidence_role", {
    "listing_record": lazy_pgettext("evidence_role", "listing record as received"),
    "listing_as_stored": lazy_pgettext("evidence_role", "listing as stored"),
    "detection": lazy_pgettext("evidence_role", "detection result"),
    "image": lazy_pgettext("evidence_role", "image"),
    "page_html": lazy_pgettext("evidence_role", "page capture (HTML)"),
    "screenshot": lazy_pgettext("evidence_role", "screenshot"),
    "attachment": lazy_pgettext("evidence_role", "attachment"),
})
labels.register("evidence_reason", {
    "lead_created": lazy_pgettext("evidence_reason", "automatically, when the lead was created"),
    "recapture": lazy_pgettext("evidence_reason", "captured again on request"),
})
labels.register("evidence_status", {
    "logged": lazy_pgettext("evidence_status", "in the national log, under a witnessed checkpoint"),
    "pending": lazy_pgettext("evidence_status", "waiting for the national log"),
    "refused": lazy_pgettext("evidence_status", "refused by the national node"),
})
labels.register("audit_action", {
    "evidence_recapture": lazy_pgettext("audit_action", "evidence captured again"),
    "evidence_exported": lazy_pgettext("audit_action", "evidence package downloaded"),
    "evidence_export_refused": lazy_pgettext("audit_action", "evidence package refused (a stored file damaged)"),
})
labels.register("audit_field", {
    "lead": lazy_pgettext("audit_field", "lead"),
    "manifest": lazy_pgettext("audit_field", "manifest digest"),
    "captures": lazy_pgettext("audit_field", "captures"),
    "left_out": lazy_pgettext("audit_field", "captures not yet proved"),
    "package_sha256": lazy_pgettext("audit_field", "package digest"),
})
ALARMS = {
    "bad_manifest": lazy_pgettext("evidence_alarm", "a manifest that does not verify"),
    "bad_region_head": lazy_pgettext("evidence_alarm", "a region log head that does not verify"),
    "region_log_rewritten": lazy_pgettext("evidence_alarm", "a region rewrote its evidence log"),
    "region_log_gap": lazy_pgettext("evidence_alarm", "a gap in a region's evidence log"),
    "witness_refused": lazy_pgettext("evidence_alarm", "a witness refused to co-sign"),
    "split_view": lazy_pgettext("evidence_alarm", "split view of the national log"),
    "rewritten": lazy_pgettext("evidence_alarm", "the national log was rewritten"),
    "signature": lazy_pgettext("evidence_alarm", "a checkpoint signature that does not verify"),
    "refused": lazy_pgettext("evidence_alarm", "a manifest refused by the national node"),
    "bad_proof": lazy_pgettext("evidence_alarm", "an inclusion proof that does not verify"),
    "object_damaged": lazy_pgettext("evidence_alarm", "a stored evidence file was changed or removed on disk"),
}
labels.register("evidence_alarm", ALARMS)
labels.register("audit_action", {f"evidence_alarm_{kind}": text for kind, text in ALARMS.items()})
TITLE = _l("Evidence")


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def captures_of(session: Session, lead_uuid: str) -> list[dict[str, Any]]:
    """What the page shows of each capture of a lead (plain JSON values: the lead's API can return it as is)."""
    out = []
    rows = session.execute(sa.select(EvidenceCapture, EvidenceCheckpoint)
                           .outerjoin(EvidenceCheckpoint, EvidenceCapture.checkpoint_id == EvidenceCheckpoint.id)
                           .where(EvidenceCapture.lead_uuid == lead_uuid).order_by(EvidenceCapture.log_index))
    for cap, cp in rows:
        manifest = json.loads(cap.manifest)
        witnesses = 0
        if cp is not None:
            witnesses = sum(1 for s in note.parse_note(cp.note).signatures if s.name.startswith("hufu-region-"))
        out.append({"uuid": cap.uuid, "captured_at": _iso(cap.captured_at), "reason": cap.reason, "actor": cap.actor,
                    "manifest_sha256": cap.manifest_sha256, "items": manifest.get("items", []),
                    "references": manifest.get("references", []), "status": cap.status.value,
                    "status_reason": cap.status_reason, "national_index": cap.national_index,
                    "checkpoint_size": cp.size if cp else None, "checkpoint_time": _iso(cp.issued_at) if cp else None,
                    "witnesses": witnesses, "exportable": cp is not None and cp.cosigned_at is not None})
    return out


@bp.get("/leads/<lead_uuid>/evidence")
@roles_required(*READERS)
def lead_evidence(lead_uuid: str) -> str:
    """A lead's evidence: every capture, its items and digests, its proof status, the download link."""
    with db().read() as session:
        lead = session.scalar(sa.select(LeadRow).where(LeadRow.uuid == lead_uuid))
        if lead is None:
            abort(404)
        listing = session.get(ListingRow, lead.listing_id)
        captures = captures_of(session, lead_uuid)
        alarms = list(session.scalars(sa.select(EvidenceAlarm).order_by(EvidenceAlarm.id.desc()).limit(5)))
    return render_template("lead_evidence.html", lead=lead, listing=listing, captures=captures, alarms=alarms,
                           lead_uuid=lead_uuid)


@bp.get("/leads/<lead_uuid>/evidence.zip")
@roles_required(*READERS)
def lead_package(lead_uuid: str) -> Response:
    """The court-ready package of the lead, built from this node's records (the download is audited)."""
    return package_response(lead_uuid, url_for("evidence.lead_evidence", lead_uuid=lead_uuid))


def package_response(lead_uuid: str, back: str, **audit_detail: object) -> Response:
    """The lead's package as a download, audited; `back` is where a refusal (a damaged store) sends the user.

    Callers check who may have it (the office's readers; an enforcement body's users for the leads sent to it).
    """
    import hashlib
    import re

    from regional.evidence.export import NotExportable, export_lead
    from regional.evidence.witness import raise_alarm
    from regional.models import AuditEntry
    from sync.cas import ContentStore, ObjectCorrupt, ObjectMissing

    cfg = current_app.config["HUFU"]
    now = dt.datetime.now(dt.UTC)
    try:
        package, n, left = export_lead(db(), ContentStore(cfg.evidence_dir), cfg.pki_dir, cfg.region, lead_uuid, now)
    except NotExportable:
        abort(404)  # the page offers the download only once the package can be built
    except (ObjectCorrupt, ObjectMissing) as exc:
        # a stored object no longer hashes to its name (or is gone): never a package, and never silently — an
        # alarm (alarms table, audit log, log at ERROR) naming the lead and the object, not the store's path
        digest = re.search(r"[0-9a-f]{64}", str(exc))
        what = "changed" if isinstance(exc, ObjectCorrupt) else "missing"
        raise_alarm(db(), "object_damaged", f"lead {lead_uuid}: evidence object "
                    f"{digest.group(0) if digest else '?'} {what} on disk", now)
        with db().transaction() as session:
            session.add(AuditEntry(at=now, actor=current_actor().name, action="evidence_export_refused",
                                   address=client_address(),
                                   detail={"lead": lead_uuid, "object": digest.group(0) if digest else None,
                                           "why": what, **audit_detail}))
        flash(gettext("The evidence package cannot be built: a stored evidence file of this lead was changed or "
                      "removed on disk. An evidence alarm has been raised; the national node keeps its own copy "
                      "of what was filed."), "error")
        return redirect(back)
    with db().transaction() as session:
        session.add(AuditEntry(at=now, actor=current_actor().name, action="evidence_exported",
                               address=client_address(),
                               detail={"lead": lead_uuid, "captures": n, "left_out": left,
                                       "package_sha256": hashlib.sha256(package).hexdigest(), **audit_detail}))
    return Response(package, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="evidence-{lead_uuid}.zip"'})


@bp.post("/leads/<lead_uuid>/evidence/capture")
@roles_required(*REVIEWERS)
def recapture(lead_uuid: str) -> Response:
    """重新取证: capture the lead's evidence again, as the signed-in officer (audited, filed at the next sync)."""
    from regional import outbox
    from regional.evidence.capture import Capturer, UnknownLead
    from regional.evidence.capture import recapture as capture_again
    from regional.models import AuditEntry
    from regional.node import signer, utcnow

    cfg = current_app.config["HUFU"]
    sign = signer(cfg)
    actor = current_actor().name
    now = utcnow()
    try:
        with db().transaction() as session:
            records = capture_again(session, Capturer.at(cfg.region, sign.key, cfg.evidence_dir), lead_uuid,
                                    now=now, actor=actor)
            outbox.append_many(session, sign, records, now)
            session.add(AuditEntry(at=now, actor=actor, action="evidence_recapture", address=client_address(),
                                   detail={"lead": lead_uuid, "manifest": records[0].evidence_digest.sha256}))
    except UnknownLead:
        abort(404)
    done = gettext("Evidence captured again; it is filed with the national node at the next sync.")
    flash(done, "ok")  # a flashed notice, never text taken from the address (newcomer14 F37)
    if request.form.get("return_to") == "lead" and LEAD_PAGE in current_app.view_functions:
        return redirect(url_for(LEAD_PAGE, lead_uuid=lead_uuid) + "#evidence")  # back to the lead page the form was on
    return redirect(url_for("evidence.lead_evidence", lead_uuid=lead_uuid))
