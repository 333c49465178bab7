"""Nationwide sweeps over pooled listings and their leads by province."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from national.models import SweepLead, SweepRow
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("sweeps", __name__)
NAV = [NavItem("sweeps.sweeps", _l("Nationwide sweeps"))]


@bp.get("/sweeps")
def sweeps() -> str:
    """Nationwide sweeps and, for the chosen one, its leads by province."""
    chosen = request.args.get("id", type=int)
    with db().read() as session:
        rows = list(session.scalars(sa.select(SweepRow).order_by(SweepRow.id.desc())))
        if chosen is None and rows:
            chosen = rows[0].id
        leads = list(session.scalars(sa.select(SweepLead).where(SweepLead.sweep_id == chosen)
                                     .order_by(SweepLead.score.desc()).limit(500))) if chosen else []
    return render_template("sweeps.html", sweeps=rows, chosen=chosen, leads=leads)
