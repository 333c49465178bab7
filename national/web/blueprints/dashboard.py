"""The dashboard: leads and cases by province, by type and over time."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from national.models import CaseRow, NationalLead
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("dashboard", __name__)
NAV = [NavItem("dashboard.dashboard", _l("Dashboard"))]


@bp.get("/dashboard")
def dashboard() -> str:
    """Leads and cases by province, by type and over time."""
    with db().read() as session:
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
                           cases_by_region=cases_by_region, by_status=by_status)
