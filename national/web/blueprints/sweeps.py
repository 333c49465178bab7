"""Nationwide sweeps over pooled listings and their leads by province."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from national.models import SweepLead, SweepRow
from regional.web.db import db
from regional.web.foundation import NavItem, int_arg, page_arg

bp = Blueprint("sweeps", __name__)
NAV = [NavItem("sweeps.sweeps", _l("Nationwide sweeps"))]
SWEEP_LEAD_PAGE = 200  # a sweep's leads a page, highest score first (was the first 500 and nothing after them)


@bp.get("/sweeps")
def sweeps() -> str:
    """Nationwide sweeps and, for the chosen one, its leads by province."""
    # a malformed id or page is refused with a 400 naming it (an id was silently read as "the newest sweep")
    chosen: int | None = int_arg("id", 0, 1, 2**31 - 1) if request.args.get("id") else None
    page = page_arg()
    with db().read() as session:
        rows = list(session.scalars(sa.select(SweepRow).order_by(SweepRow.id.desc())))
        if chosen is None and rows:
            chosen = rows[0].id
        of_sweep = sa.select(SweepLead).where(SweepLead.sweep_id == chosen)
        leads = list(session.scalars(of_sweep.order_by(SweepLead.score.desc(), SweepLead.id)
                                     .limit(SWEEP_LEAD_PAGE).offset((page - 1) * SWEEP_LEAD_PAGE))) if chosen else []
        total = (session.scalar(sa.select(sa.func.count()).select_from(of_sweep.subquery())) or 0) if chosen else 0
    return render_template("sweeps.html", sweeps=rows, chosen=chosen, leads=leads, total=total, page=page,
                           page_size=SWEEP_LEAD_PAGE)
