"""The national node's web UI: regions, leads, cross-region cases (Chinese by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, g, jsonify, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader

import regional.web
from national.config import NationalConfig
from national.models import CaseRow, DownlinkRow, NationalLead, RegionRow
from regional.web import i18n
from sync.db import Database
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
    """Per-region sync state, leads and backlog of undelivered downlink items."""
    with _db().read() as session:
        rows = list(session.scalars(sa.select(RegionRow).order_by(RegionRow.code)))
        leads = dict(session.execute(sa.select(NationalLead.region, sa.func.count())
                                     .group_by(NationalLead.region)).all())
        feed = dict(session.execute(sa.select(DownlinkRow.region, sa.func.max(DownlinkRow.id))
                                    .group_by(DownlinkRow.region)).all())
    return [{"code": r.code, "name": r.name, "epoch": r.epoch, "high_water": r.high_water, "records": r.records,
             "leads": leads.get(r.code, 0), "feed_head": feed.get(r.code, 0),
             "last_contact": r.last_contact, "last_error": r.last_error} for r in rows]


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
    """One case with every region's leads and sellers."""
    with _db().read() as session:
        row = session.scalar(sa.select(CaseRow).where(CaseRow.uuid == case_uuid))
        if row is None:
            abort(404)
        members = list(session.scalars(sa.select(NationalLead).where(NationalLead.case_id == row.id)
                                       .order_by(NationalLead.region, NationalLead.id)))
    return render_template("national_case.html", case=row, leads=members, active="cases")


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
