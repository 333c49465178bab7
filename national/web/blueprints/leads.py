"""Every region's filed leads."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from national.models import NationalLead
from national.web.blueprints.evidence import exportable_leads
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg

bp = Blueprint("leads", __name__)
NAV = [NavItem("leads.leads", _l("Leads"))]
PAGE_SIZE = 100


@bp.get("/leads")
def leads() -> str:
    """Every region's filed leads, newest first (optionally one region's)."""
    page = page_arg()
    region = request.args.get("region")
    with db().read() as session:
        stmt = sa.select(NationalLead)
        if region:
            stmt = stmt.where(NationalLead.region == region)
        total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        rows = list(session.scalars(stmt.order_by(NationalLead.id.desc()).limit(PAGE_SIZE)
                                    .offset((page - 1) * PAGE_SIZE)))
        with_evidence = exportable_leads(session, [r.uuid for r in rows])
    return render_template("national_leads.html", leads=rows, total=total, page=page, page_size=PAGE_SIZE,
                           with_evidence=with_evidence)
