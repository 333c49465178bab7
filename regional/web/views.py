"""Thin views over the regional database: parse, query, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from regional import outbox, services, state
from regional.models import (
    AuditEntry,
    BlacklistedEntity,
    LeadRow,
    ListingRow,
    ReceivedCase,
    RiskEntry,
    SellerRow,
)
from sync.db import Database
from sync.metrics import CONTENT_TYPE, Gauge, render
from sync.regions import region_name

bp = Blueprint("regional", __name__, template_folder="templates")


def _db() -> Database:
    db: Database = current_app.extensions["hufu_db"]
    return db


def _leads(limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    with _db().read() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(LeadRow)) or 0
        rows = session.execute(
            sa.select(LeadRow, ListingRow, SellerRow)
            .join(ListingRow, LeadRow.listing_id == ListingRow.id)
            .outerjoin(SellerRow, ListingRow.seller_id == SellerRow.id)
            .order_by(LeadRow.score.desc(), LeadRow.id)
            .limit(limit).offset(offset)
        ).all()
    out = []
    for lead, listing, seller in rows:
        out.append({
            "uuid": lead.uuid, "listing_id": lead.listing_id, "listing_title": listing.title, "url": listing.url,
            "right": lead.right_number, "type": lead.type.value, "score": lead.score, "reasons": lead.reasons,
            "model_version": lead.model_version, "state": lead.state.value,
            "seller": seller.name if seller else None, "seller_uscc": seller.uscc if seller else None,
        })
    return total, out


@bp.get("/leads")
def leads() -> str:
    """The leads awaiting review, highest score first."""
    page = max(1, request.args.get("page", 1, type=int))
    total, rows = _leads(100, (page - 1) * 100)
    return render_template("leads.html", total=total, leads=rows, page=page, active="leads")


@bp.get("/api/leads")
def api_leads() -> Any:
    """Leads as JSON (formats.md shape plus review state)."""
    limit = min(1000, max(1, request.args.get("limit", 100, type=int)))
    offset = max(0, request.args.get("offset", 0, type=int))
    total, rows = _leads(limit, offset)
    return jsonify({"total": total, "leads": rows})


@bp.get("/cases")
def cases() -> str:
    """Cross-region cases received from the national node."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(ReceivedCase).order_by(ReceivedCase.feed_cursor.desc())))
    return render_template("cases.html", cases=rows, region_name=region_name, active="cases")


@bp.get("/cases/<case_uuid>")
def case(case_uuid: str) -> str:
    """One received case with every region's leads, its history and the feedback form."""
    with _db().read() as session:
        row = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case_uuid))
    if row is None:
        abort(404)
    return render_template("case.html", case=row, region_name=region_name, active="cases",
                           statuses=services.CASE_FEEDBACK, message=request.args.get("message"),
                           error=request.args.get("error"))


@bp.post("/cases/<case_uuid>/feedback")
def case_feedback(case_uuid: str) -> Response:
    """Report this region's step or result on a case to the national node."""
    from regional.node import signer, utcnow

    cfg = current_app.config["HUFU"]
    try:
        services.case_feedback(_db(), signer(cfg), case_uuid, request.form.get("status", ""),
                               request.form.get("note", "").strip(), actor=request.form.get("officer", ""),
                               now=utcnow())
    except services.UnknownCase:
        abort(404)
    except ValueError as exc:
        return redirect(url_for("regional.case", case_uuid=case_uuid, error=str(exc)))
    return redirect(url_for("regional.case", case_uuid=case_uuid, message="sent"))


@bp.get("/risk")
def risk() -> str:
    """Monitoring lists: high-risk sellers, price anomalies, rights most exposed to infringement."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(RiskEntry).order_by(RiskEntry.kind, RiskEntry.rank)))
    lists: dict[str, list[RiskEntry]] = {"high_risk_seller": [], "price_anomaly": [], "exposed_right": []}
    for r in rows:
        lists.setdefault(r.kind, []).append(r)
    return render_template("risk.html", lists=lists, computed=rows[0].computed_at if rows else None, active="risk")


@bp.get("/blacklist")
def blacklist() -> str:
    """Repeat infringers on the national blacklist, as delivered to this region."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(BlacklistedEntity).order_by(BlacklistedEntity.id.desc())))
    return render_template("blacklist.html", rows=rows, active="blacklist")


def sync_status() -> dict[str, Any]:
    """The region's own view of its sync state."""
    with _db().read() as session:
        epoch = outbox.current_epoch(session)
        last = outbox.last_sequence(session, epoch)
        acked = state.get_int(session, state.ACKED, 0)
        return {
            "epoch": epoch, "outbox": last, "acked": acked, "backlog": max(0, last - acked),
            "downlink_cursor": state.get_int(session, state.DOWNLINK_CURSOR, 0),
            "last_push_ok": state.get(session, state.LAST_PUSH_OK),
            "last_pull_ok": state.get(session, state.LAST_PULL_OK),
            "last_error": state.get(session, state.LAST_ERROR),
            "last_reconcile": state.get(session, state.LAST_RECONCILE),
            "audit": [(a.at, a.actor, a.action, a.detail) for a in session.scalars(
                sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(20))],
        }


@bp.get("/sync")
def sync_page() -> str:
    """This region's sync state and recent audit entries."""
    return render_template("sync.html", s=sync_status(), active="sync")


@bp.get("/api/sync")
def api_sync() -> Any:
    """Sync state as JSON."""
    s = sync_status()
    s.pop("audit")
    return jsonify(s)


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
                         ("region",), [((code,), 1.0 if s["last_error"] and (not last_push or s["last_error"] > last_push)
                                        else 0.0)]))
        return out

    return Response(render(read), mimetype=CONTENT_TYPE)


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: the database answers."""
    with _db().read() as session:
        session.execute(sa.text("SELECT 1"))
    return jsonify({"ok": True})
