"""Cross-region cases received from the national node. This region's steps on them go through
POST /cases/<uuid>/step (regional/web/blueprints/casework.py), under the rules of regional/casework — the legacy
POST /cases/<uuid>/feedback, which took any status unchecked and no page used, is gone (session 15)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from regional.models import ReceivedCase
from regional.web.db import db
from regional.web.foundation import NavItem
from sync.regions import region_name

bp = Blueprint("cases", __name__)
NAV = [NavItem("cases.cases", _l("Cross-region cases"))]


@bp.get("/cases")
def cases() -> str:
    """Cross-region cases received from the national node."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(ReceivedCase)))
    # newest formed first: a case growing (a new revision) keeps its place (newcomer18 N5: the list re-sorted)
    rows.sort(key=lambda c: (str((c.payload or {}).get("formed_at") or ""), c.id), reverse=True)
    standing = [(c, case_sellers(c)) for c in rows if c.status != "withdrawn"]
    withdrawn = [(c, case_sellers(c)) for c in rows if c.status == "withdrawn"]
    return render_template("cases.html", cases=standing, withdrawn=withdrawn, region_name=region_name)


def case_sellers(case: ReceivedCase) -> list[str]:
    """The sellers' names of a case's leads, registered firms (with a credit code) first, then by how many leads
    carry the name (newcomer18 N5: the case 康师傅 was named after a thin record without a code, 博鹏商贸)."""
    count: dict[str, int] = {}
    registered: set[str] = set()
    for lead in (case.payload or {}).get("leads") or []:
        seller = lead.get("seller") or {}
        if name := (seller.get("name") or "").strip():
            count[name] = count.get(name, 0) + 1
            if seller.get("uscc"):
                registered.add(name)
    return sorted(count, key=lambda n: (n not in registered, -count[n], n))


@bp.get("/cases/<case_uuid>")
def case(case_uuid: str) -> str:
    """One received case with every region's leads, its history and the feedback form."""
    with db().read() as session:
        row = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case_uuid))
        if row is None:
            abort(404)
        prior, later = _related(session, row)
    # the national page's order: by region, then as filed (newcomer18 N1: the host's leads came first here)
    leads = [lead for _k, lead in sorted(enumerate((row.payload or {}).get("leads") or []),
                                          key=lambda kv: (str(kv[1].get("region") or ""), kv[0]))]
    return render_template("case.html", case=row, leads=leads, region_name=region_name,
                           own_region=current_app.config["HUFU"].region, prior=prior, later=later)


def _related(session: sa.orm.Session, row: ReceivedCase) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The closed case this one follows (前案; named by its number when this region never held it) and the cases
    received that follow this one (the seller's new leads after it closed)."""

    def view(c: ReceivedCase) -> dict[str, Any]:
        return {"uuid": c.case_uuid, "href": url_for("cases.case", case_uuid=c.case_uuid),
                "title": c.right_title or c.right_number, "formed_at": c.payload.get("formed_at"), "status": c.status}

    prior_uuid = (row.payload or {}).get("prior_case_uuid") or ""
    prior: dict[str, Any] | None = None
    if prior_uuid:
        held = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == prior_uuid))
        prior = view(held) if held is not None else {"uuid": prior_uuid, "href": None}
    # a follow-up concerns the same right: only the cases of this right are read
    later = [view(c) for c in session.scalars(sa.select(ReceivedCase).where(
        ReceivedCase.right_number == row.right_number, ReceivedCase.id != row.id).order_by(ReceivedCase.id))
        if (c.payload or {}).get("prior_case_uuid") == row.case_uuid]
    return prior, later
