"""Monitoring lists (high-risk sellers, price anomalies, exposed rights) and the national blacklist."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from regional.models import BlacklistedEntity, RiskEntry
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("monitoring", __name__)
NAV = [NavItem("monitoring.risk", _l("Risk lists"), match=("monitoring.risk",)),
       NavItem("monitoring.blacklist", _l("Blacklist"), match=("monitoring.blacklist",))]


@bp.get("/risk")
def risk() -> str:
    """Monitoring lists: high-risk sellers, price anomalies, rights most exposed to infringement."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(RiskEntry).order_by(RiskEntry.kind, RiskEntry.rank)))
    lists: dict[str, list[RiskEntry]] = {"high_risk_seller": [], "price_anomaly": [], "exposed_right": []}
    for r in rows:
        lists.setdefault(r.kind, []).append(r)
    return render_template("risk.html", lists=lists, computed=rows[0].computed_at if rows else None)


@bp.get("/blacklist")
def blacklist() -> str:
    """Repeat infringers on the national blacklist, as delivered to this region."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(BlacklistedEntity).order_by(BlacklistedEntity.id.desc())))
    return render_template("blacklist.html", rows=rows)
