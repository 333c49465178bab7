"""The region's sync status page and JSON, Prometheus metrics and the health check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify, render_template
from flask_babel import lazy_gettext as _l

from regional.models import AuditEntry
from regional.web import synclabels  # noqa: F401 - registers the sync area's labels
from regional.web.db import db
from regional.web.foundation import NavItem
from sync.metrics import CONTENT_TYPE, Gauge, render

bp = Blueprint("status", __name__)
NAV = [NavItem("status.sync_page", _l("Sync status"))]


def sync_status() -> dict[str, Any]:
    """The region's own view of its sync state."""
    from regional.models import EvidenceCapture, ProofStatus
    from regional.sync_agent import status

    with db().read() as session:
        out: dict[str, Any] = status(session)
        # the evidence log's own backlog (newcomer15 F11: 1,230 captures waited for the national log while this
        # page said 积压 0): captures not yet logged nationally, and those the national node refused
        counts: dict[ProofStatus, int] = {
            state_: n for state_, n in session.execute(sa.select(EvidenceCapture.status, sa.func.count())
                                                      .where(EvidenceCapture.status != ProofStatus.LOGGED)
                                                      .group_by(EvidenceCapture.status))}
        out["evidence_pending"] = int(counts.get(ProofStatus.PENDING, 0))
        out["evidence_refused"] = int(counts.get(ProofStatus.REFUSED, 0))
        # leads filed nationally that this database lacks (found after `hufu regional restore`; newcomer16 N10)
        from regional.lostleads import still_missing

        count, first, last = still_missing(session)
        out["national_only_leads"] = count
        out["national_only"] = first
        out["national_only_check"] = last
        out["audit"] = [(a.at, a.actor, a.action, a.detail) for a in session.scalars(
            sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(20))]  # time order
        return out


@bp.get("/sync")
def sync_page() -> str:
    """This region's sync state and recent audit entries."""
    return render_template("sync.html", s=sync_status())


@bp.get("/api/sync")
def api_sync() -> Any:
    """Sync state as JSON."""
    s = sync_status()
    s.pop("audit")
    s["national_only"] = [{"listing_id": m.listing_id, "right": m.right_number, "type": m.type, "title": m.title,
                           "detected_at": m.detected_at, "listing_here": m.listing_here} for m in s["national_only"]]
    return jsonify(s)


@bp.get("/sync/national-only-leads.csv")
def national_only_csv() -> Response:
    """Every lead filed nationally that this database lacks, as CSV (the listing ids to import again)."""
    from flask_babel import gettext as _

    from regional.lostleads import all_missing
    from regional.web.exports import download, table_bytes
    from regional.web.labels import label
    from sync.times import beijing_text

    with db().read() as session:
        rows = all_missing(session)
    data, media = table_bytes("csv", "leads", [_("Listing ID"), _("Right"), _("Type"), _("Listing title"),
                                               _("Detected at"), _("Listing imported again")],
                              # Beijing time and the type's words, as the page and the leads export (newcomer18 N7)
                              [(m.listing_id, m.right_number, label("lead_type", m.type), m.title or "",
                                beijing_text(m.detected_at),
                                _("yes") if m.listing_here else _("no")) for m in rows])
    return download(data, media, "national-only-leads.csv")


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics of this region's own sync state."""
    code = current_app.config["HUFU"].region

    def read() -> list[Gauge]:
        s = sync_status()
        last_push = s["last_push_ok"]
        out = [Gauge(f"hufu_region_{key}", help_, ("region",), [((code,), float(s[key]))]) for key, help_ in (
            ("outbox", "Last sequence written to the outbox in the current epoch"),
            ("acked", "Last sequence the national node acknowledged as committed"),
            ("backlog", "Outbox records not yet acknowledged"),
            ("downlink_cursor", "Position in this region's downlink feed"),
            ("epoch", "Current epoch"))]
        if last_push:
            out.append(Gauge("hufu_region_last_push_ok_timestamp_seconds", "Unix time of the last successful push",
                             ("region",), [((code,), dt.datetime.fromisoformat(last_push).timestamp())]))
        out.append(Gauge("hufu_region_sync_error", "1 when a sync error was recorded after the last success",
                         ("region",), [((code,), 1.0 if s["error_active"] else 0.0)]))
        out.append(Gauge("hufu_region_withheld", "Outbox records set aside behind a tombstone (could never be sent)",
                         ("region",), [((code,), float(s["withheld"]))]))
        return out

    return Response(render(read), content_type=CONTENT_TYPE)  # not mimetype=: werkzeug would add a second charset


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: the database answers."""
    with db().read() as session:
        session.execute(sa.text("SELECT 1"))
    return jsonify({"ok": True})
