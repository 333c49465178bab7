"""Every region's filed leads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l

from national.models import NationalLead
from national.web.blueprints.evidence import exportable_leads
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg

bp = Blueprint("leads", __name__)
NAV = [NavItem("leads.leads", _l("Leads"))]
PAGE_SIZE = 100


def _filtered(stmt: sa.Select[Any]) -> sa.Select[Any]:
    """The dashboard's filters (each chart links here): from/to (detection days, Beijing time), type, source,
    industry (comma lists)."""
    from regional.reports.dashboard import date_arg, filter_args, source_condition
    from regional.reports.periods import PeriodError, to_utc

    args = request.args
    try:
        start, last = date_arg(args, "from"), date_arg(args, "to")
        types, sources, industries = filter_args(args)
    except PeriodError as exc:
        abort(400, str(exc))
    if start:
        stmt = stmt.where(NationalLead.detected >= to_utc(start))
    if last:
        stmt = stmt.where(NationalLead.detected < to_utc(last + dt.timedelta(days=1)))
    if types:
        stmt = stmt.where(NationalLead.type.in_(types))
    if sources:
        stmt = stmt.where(source_condition(NationalLead.source, NationalLead.origin, sources))
    if industries:
        stmt = stmt.where(sa.func.coalesce(NationalLead.industry, 0).in_(industries))
    return stmt


@bp.get("/leads")
def leads() -> str:
    """Every region's filed leads, newest first (optionally one region's, and the dashboard's filters)."""
    page = page_arg()
    region = request.args.get("region")
    with db().read() as session:
        stmt = _filtered(sa.select(NationalLead))
        if region:
            stmt = stmt.where(NationalLead.region == region)
        total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        rows = list(session.scalars(stmt.order_by(NationalLead.id.desc()).limit(PAGE_SIZE)
                                    .offset((page - 1) * PAGE_SIZE)))
        with_evidence = exportable_leads(session, [r.uuid for r in rows])
    return render_template("national_leads.html", leads=rows, total=total, page=page, page_size=PAGE_SIZE,
                           with_evidence=with_evidence)
