"""The national node's web UI: regions, leads, cross-region cases (Chinese by default)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.wrappers import Response as WResponse

import regional.web
from national.config import NationalConfig
from national.lifecycle import CaseStatus, Supervision, supervision
from national.models import (
    BlacklistRow,
    CaseEvent,
    CaseRow,
    DownlinkRow,
    MergeReview,
    MergeStatus,
    NationalLead,
    RecordStatus,
    RegionRow,
    SweepLead,
    SweepRow,
    UplinkRecord,
)
from regional.web import i18n
from sync.db import Database
from sync.metrics import CONTENT_TYPE, Gauge, render
from sync.regions import region_name

bp = Blueprint("national", __name__, template_folder="templates")


def create_app(config: NationalConfig) -> Flask:
    """Build the national web app."""
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in the JSON API
    app.config["HUFU"] = config
    app.extensions["hufu_db"] = Database(config.db_url)
    # share the regional base layout rather than copying it
    shared = Path(regional.web.__file__).parent / "templates"
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(Path(__file__).parent / "templates")),
                                     FileSystemLoader(str(shared))])
    i18n.init_app(app, config.lang)
    app.register_blueprint(bp)

    @app.context_processor
    def _node() -> dict[str, object]:
        return {"app_title_key": "app.national", "node_label": i18n.translate("node.national", getattr(g, "lang", config.lang)),
                "region_name": region_name}

    return app


def _db() -> Database:
    db: Database = current_app.extensions["hufu_db"]
    return db


def region_status() -> list[dict[str, Any]]:
    """Per-region sync state: acknowledged sequence, lag in records and seconds, leads, last contact and error."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(RegionRow).order_by(RegionRow.code)))
        leads = dict(session.execute(sa.select(NationalLead.region, sa.func.count())
                                     .group_by(NationalLead.region)).all())
        feed = dict(session.execute(sa.select(DownlinkRow.region, sa.func.max(DownlinkRow.id))
                                    .group_by(DownlinkRow.region)).all())
    now = dt.datetime.now(dt.UTC)
    out = []
    for r in rows:
        lag = max(0, r.reported_head - r.high_water)
        oldest = r.oldest_unsent_at
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        lag_s = (now - oldest).total_seconds() if lag and oldest is not None else 0.0
        last = r.last_contact.replace(tzinfo=dt.UTC) if r.last_contact and r.last_contact.tzinfo is None \
            else r.last_contact
        out.append({"code": r.code, "name": r.name, "epoch": r.epoch, "high_water": r.high_water,
                    "records": r.records, "lag_records": lag, "lag_seconds": round(lag_s, 1),
                    "conflicts": r.conflicts, "leads": leads.get(r.code, 0), "feed_head": feed.get(r.code, 0),
                    "last_contact": last, "last_error": r.last_error, "last_reconcile": r.last_reconcile})
    return out


def _gauges() -> list[Gauge]:
    regions = region_status()
    now = dt.datetime.now(dt.UTC)

    def g(name: str, help_: str, key: str) -> Gauge:
        return Gauge(name, help_, ("region",), [((r["code"],), float(r[key])) for r in regions])

    return [
        g("hufu_sync_high_water", "Highest sequence durably committed per region (current epoch)", "high_water"),
        g("hufu_sync_lag_records", "Records the region has written but the national node has not committed",
          "lag_records"),
        g("hufu_sync_lag_seconds", "Age of the oldest record not yet committed nationally", "lag_seconds"),
        g("hufu_sync_records_total", "Records filed by the region", "records"),
        g("hufu_sync_conflicts_total", "Records kept as conflicts (same uuid and revision, other payload)",
          "conflicts"),
        g("hufu_leads", "Leads filed by the region", "leads"),
        Gauge("hufu_sync_last_contact_age_seconds", "Seconds since the region last connected", ("region",),
              [((r["code"],), (now - r["last_contact"]).total_seconds()) for r in regions if r["last_contact"]]),
        Gauge("hufu_sync_error", "1 when the region's last exchange was refused", ("region",),
              [((r["code"],), 1.0 if r["last_error"] else 0.0) for r in regions]),
    ]


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics: per-region sync lag, backlog, last contact, last error."""
    return Response(render(_gauges), mimetype=CONTENT_TYPE)


@bp.get("/")
def overview() -> str:
    """Regions and totals."""
    with _db().read() as session:
        n_leads = session.scalar(sa.select(sa.func.count()).select_from(NationalLead)) or 0
        n_cases = session.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(CaseRow.cross_region)) or 0
    return render_template("overview.html", regions=region_status(), n_leads=n_leads, n_cases=n_cases,
                           active="regions")


@bp.get("/leads")
def leads() -> str:
    """Every region's filed leads."""
    page = max(1, request.args.get("page", 1, type=int))
    region = request.args.get("region")
    with _db().read() as session:
        stmt = sa.select(NationalLead)
        if region:
            stmt = stmt.where(NationalLead.region == region)
        total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        rows = list(session.scalars(stmt.order_by(NationalLead.id.desc()).limit(100).offset((page - 1) * 100)))
    return render_template("national_leads.html", leads=rows, total=total, page=page, active="leads")


@bp.get("/cases")
def cases() -> str:
    """Cross-region cases, newest first."""
    with _db().read() as session:
        rows = session.execute(
            sa.select(CaseRow, sa.func.count(NationalLead.id))
            .outerjoin(NationalLead, NationalLead.case_id == CaseRow.id)
            .where(CaseRow.cross_region).group_by(CaseRow.id).order_by(CaseRow.id.desc())
        ).all()
    return render_template("national_cases.html", cases=rows, active="cases")


@bp.get("/cases/<case_uuid>")
def case(case_uuid: str) -> str:
    """One case with every region's leads, sellers, history and supervision standing."""
    with _db().read() as session:
        row = session.scalar(sa.select(CaseRow).where(CaseRow.uuid == case_uuid))
        if row is None:
            abort(404)
        members = list(session.scalars(sa.select(NationalLead).where(NationalLead.case_id == row.id)
                                       .order_by(NationalLead.region, NationalLead.id)))
        events = list(session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == row.id)
                                      .order_by(CaseEvent.id)))
        evidence = _evidence_for(session, {m.uuid: m for m in members})
    return render_template("national_case.html", case=row, leads=members, events=events, evidence=evidence,
                           sup=_supervision(row), active="cases")


def _evidence_for(session: Any, leads: dict[str, NationalLead]) -> list[dict[str, Any]]:
    """Evidence digests the regions filed for these leads (content hashes; the files stay in the region)."""
    from sync.v1 import sync_pb2

    out = []
    for region, body, received in session.execute(
            sa.select(UplinkRecord.region, UplinkRecord.record, UplinkRecord.received_at)
            .where(UplinkRecord.kind == "evidence_digest", UplinkRecord.status == RecordStatus.APPLIED)):
        record = sync_pb2.Record()
        record.ParseFromString(body)
        digest = record.evidence_digest
        if digest.lead_uuid in leads:
            out.append({"region": region, "listing_id": leads[digest.lead_uuid].listing_id, "sha256": digest.sha256,
                        "media_type": digest.media_type, "received_at": received})
    return out


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _supervision(case: CaseRow) -> Supervision:
    cfg: NationalConfig = current_app.config["HUFU"]
    return supervision(case.supervised, CaseStatus(case.status), _aware(case.formed_at), cfg.supervision_days,
                       dt.datetime.now(dt.UTC))


@bp.get("/supervision")
def supervision_queue() -> str:
    """Cross-province cases under national supervision (督办), overdue first, then by deadline."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(CaseRow).where(CaseRow.supervised).order_by(CaseRow.formed_at)))
    queue = [(c, _supervision(c)) for c in rows]
    queue.sort(key=lambda cs: (not cs[1].overdue, cs[1].days_left if cs[1].days_left is not None else 1e9))
    return render_template("supervision.html", queue=queue, active="supervision")


@bp.get("/merges")
def merges() -> str:
    """The merge-review queue: low-confidence seller matches across regions, side by side."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(MergeReview).order_by(
            (MergeReview.status != MergeStatus.PENDING), MergeReview.probability.desc()).limit(300)))
        ids = {i for r in rows for i in (r.lead_a, r.lead_b)}
        leads = {lead.id: lead for lead in session.scalars(sa.select(NationalLead).where(NationalLead.id.in_(ids)))}
    return render_template("merges.html", rows=rows, leads=leads, active="merges",
                           error=request.args.get("error"))


@bp.post("/merges/<int:review_id>")
def decide_merge(review_id: int) -> WResponse:
    """An officer confirms or rejects a match; the worker applies it at its next run."""
    from national.casework import UnknownReview
    from national.casework import decide_merge as decide

    merge = request.form.get("decision") == "merge"
    try:
        with _db().transaction() as session:
            decide(session, review_id, merge, officer=request.form.get("officer", ""),
                   note=request.form.get("note", "").strip(), now=dt.datetime.now(dt.UTC))
    except UnknownReview:
        abort(404)
    except ValueError as exc:
        return redirect(url_for("national.merges", error=str(exc)))
    return redirect(url_for("national.merges"))


@bp.get("/sweeps")
def sweeps() -> str:
    """Nationwide sweeps and, for the chosen one, its leads by province."""
    chosen = request.args.get("id", type=int)
    with _db().read() as session:
        rows = list(session.scalars(sa.select(SweepRow).order_by(SweepRow.id.desc())))
        if chosen is None and rows:
            chosen = rows[0].id
        leads = list(session.scalars(sa.select(SweepLead).where(SweepLead.sweep_id == chosen)
                                     .order_by(SweepLead.score.desc()).limit(500))) if chosen else []
    return render_template("sweeps.html", sweeps=rows, chosen=chosen, leads=leads, active="sweeps")


@bp.get("/blacklist")
def blacklist() -> str:
    """The national blacklist of repeat infringers."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(BlacklistRow).order_by(BlacklistRow.id.desc())))
    return render_template("national_blacklist.html", rows=rows, active="blacklist")


@bp.get("/dashboard")
def dashboard() -> str:
    """Leads and cases by province, by type and over time."""
    with _db().read() as session:
        by_region = session.execute(sa.select(NationalLead.region, sa.func.count()).group_by(NationalLead.region)
                                    .order_by(sa.func.count().desc())).all()
        by_type = session.execute(sa.select(NationalLead.type, sa.func.count()).group_by(NationalLead.type)
                                  .order_by(sa.func.count().desc())).all()
        by_day = session.execute(sa.select(sa.func.substr(NationalLead.detected_at, 1, 10), sa.func.count())
                                 .group_by(sa.func.substr(NationalLead.detected_at, 1, 10))
                                 .order_by(sa.func.substr(NationalLead.detected_at, 1, 10))).all()
        cases_by_region: dict[str, int] = {}
        for regions, in session.execute(sa.select(CaseRow.regions).where(CaseRow.cross_region)):
            for code in regions:
                cases_by_region[code] = cases_by_region.get(code, 0) + 1
        by_status = session.execute(sa.select(CaseRow.status, sa.func.count()).where(CaseRow.cross_region)
                                    .group_by(CaseRow.status)).all()
    top = max([n for _r, n in by_region] + [1])
    day_top = max([n for _d, n in by_day[-60:]] + [1])
    return render_template("dashboard.html", by_region=by_region, by_type=by_type, by_day=by_day[-60:], top=top,
                           day_top=day_top,
                           cases_by_region=cases_by_region, by_status=by_status, active="dashboard")


@bp.get("/api/regions")
def api_regions() -> Any:
    """Per-region sync state as JSON."""
    out = region_status()
    for r in out:
        r["last_contact"] = r["last_contact"].isoformat() if r["last_contact"] else None
    return jsonify(out)


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: the database answers."""
    with _db().read() as session:
        session.execute(sa.text("SELECT 1"))
    return jsonify({"ok": True})
