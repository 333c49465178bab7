"""The national blacklist of repeat infringers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from national.models import BlacklistRow
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("blacklist", __name__)
NAV = [NavItem("blacklist.blacklist", _l("Blacklist"))]


@bp.get("/blacklist")
def blacklist() -> str:
    """The national blacklist of repeat infringers."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(BlacklistRow).order_by(BlacklistRow.id.desc())))
    return render_template("national_blacklist.html", rows=rows)
