"""The overview of regions (sync standing, totals), its JSON API, /metrics and the health check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify, render_template
from flask_babel import lazy_gettext as _l

from national.cases import case_gauges, open_failures
from national.lifecycle import case_counts
from national.models import CaseRow, NationalLead
from national.regionstatus import gauges, quarantined, region_status, server_problem
from regional.web import synclabels  # noqa: F401 - registers the sync area's labels
from regional.web.db import db
from regional.web.foundation import NavItem
from sync.metrics import CONTENT_TYPE, render

bp = Blueprint("overview", __name__)
NAV = [NavItem("overview.overview", _l("Regions"))]


def _silent_after() -> float:
    """How long a region may stay silent before its standing says so (national config silent_after_s)."""
    return float(current_app.config["HUFU"].silent_after_s)


def _judging() -> dict[str, Any]:
    """How the standings are judged here, as `hufu national status` judges them: silence, lateness after a few of
    the regions' sync intervals, and whether this node's own gRPC server answers (probed at most every few s)."""
    config = current_app.config["HUFU"]
    return {"late_after_s": float(config.late_after_s), "server_answering": server_problem(config) is None}


@bp.get("/")
def overview() -> str:
    """Regions and totals."""
    with db().read() as session:
        n_leads = session.scalar(sa.select(sa.func.count()).select_from(NationalLead)) or 0
        by_status = {str(getattr(status, "value", status)): int(n) for status, n in session.execute(
            sa.select(CaseRow.status, sa.func.count()).where(CaseRow.cross_region).group_by(CaseRow.status))}
        case_failures = open_failures(session)
        counts = case_counts(by_status)  # a withdrawn case is listed apart, never counted (newcomer16 N4)
        backlog = evidence_backlog(session)
    problem = server_problem(current_app.config["HUFU"])
    regions = region_status(db(), _silent_after(), late_after_s=float(current_app.config["HUFU"].late_after_s),
                            server_answering=problem is None)
    return render_template("overview.html", regions=regions, n_leads=n_leads, server_problem=problem,
                           n_cases=counts.formed, case_counts=counts, evidence=backlog,
                           quarantined=quarantined(db()), case_failures=case_failures)


REFUSALS = ("bad_manifest", "bad_region_head", "region_log_rewritten", "region_log_gap")  # national/evidence.py


def evidence_backlog(session: Any) -> dict[str, dict[str, int]]:
    """What the national node knows of each region's evidence (newcomer15 F11, its national side): captures filed
    and not yet checked into the national log (the evidence digests after the log's cursor: the tail the worker has
    not reached, a primary-key range) and manifests refused so far (one alarm each; the small alarms table)."""
    from national.evidence import CURSOR
    from national.models import EvidenceAlarm, NodeState, UplinkRecord

    cursor = int(session.scalar(sa.select(NodeState.value).where(NodeState.key == CURSOR)) or 0)
    waiting = session.execute(sa.select(UplinkRecord.region, sa.func.count()).where(
        UplinkRecord.id > cursor, UplinkRecord.kind == "evidence_digest").group_by(UplinkRecord.region)).all()
    refused = session.execute(sa.select(EvidenceAlarm.region, sa.func.count()).where(
        EvidenceAlarm.kind.in_(REFUSALS)).group_by(EvidenceAlarm.region)).all()
    out: dict[str, dict[str, int]] = {}
    for key, rows in (("waiting", waiting), ("refused", refused)):
        for region, n in rows:
            out.setdefault(str(region), {"waiting": 0, "refused": 0, "cured": 0})[key] = int(n)
    if refused:  # refusals whose capture was re-signed and logged since (newcomer16 N9: they read as still open)
        from national.web.blueprints.evidence import cures

        alarms = list(session.scalars(sa.select(EvidenceAlarm).where(EvidenceAlarm.kind.in_(REFUSALS))))
        by_id = {a.id: a.region for a in alarms}
        for alarm_id in cures(session, alarms):
            out[str(by_id[alarm_id])]["cured"] = out[str(by_id[alarm_id])].get("cured", 0) + 1
    return out


@bp.get("/api/regions")
def api_regions() -> Any:
    """Per-region sync state as JSON."""
    out = region_status(db(), _silent_after(), **_judging())
    for r in out:
        for key, value in r.items():
            if isinstance(value, dt.datetime):
                r[key] = value.isoformat()
    return jsonify(out)


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics: per-region sync lag, backlog, last contact, last error."""
    return Response(render(lambda: gauges(db(), _silent_after(), **_judging()) + case_gauges(db())),
                    content_type=CONTENT_TYPE)  # not mimetype=: werkzeug would add a second charset


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: the database answers."""
    with db().read() as session:
        session.execute(sa.text("SELECT 1"))
    return jsonify({"ok": True})
