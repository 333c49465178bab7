"""The regions' review figures at the national node: judged, confirmed, excluded, median time to judge."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template
from flask_babel import lazy_gettext as _l

from national.review import figures
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("review_figures", __name__)
NAV = [NavItem("review_figures.page", _l("Review figures"))]


def _rows() -> list[dict[str, Any]]:
    with db().read() as session:
        found = figures(session)
    return [{"region": f.region, "name": f.name, "judged": f.judged, "confirmed": f.confirmed, "excluded": f.excluded,
             "confirmed_share": round(f.confirmed_share, 4) if f.confirmed_share is not None else None,
             "median_hours_to_judge": round(f.median_seconds / 3600, 2) if f.median_seconds is not None else None}
            for f in found]


@bp.get("/review-figures")
def page() -> str:
    """Per-region review figures."""
    rows = _rows()
    return render_template("review_figures.html", rows=rows,
                           totals={k: sum(r[k] for r in rows) for k in ("judged", "confirmed", "excluded")})


@bp.get("/api/review-figures")
def api() -> Any:
    """The same figures as JSON: {"regions": [{"region", "judged", "confirmed", "excluded", …}]}."""
    return jsonify({"regions": _rows()})
