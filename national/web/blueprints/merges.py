"""The merge-review queue: uncertain seller matches across regions, decided by a national officer."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WResponse

from national.dedup.explain import Field, Verdict, compare_sellers
from national.models import MergeReview, MergeStatus, NationalLead
from regional.actors import REVIEWERS
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("merges", __name__)
NAV = [NavItem("merges.merges", _l("Merge review"))]

# what two records share or contradict, field by field (national/dedup/explain.py), as the officer reads it
CHECK_WORDS = {
    (Field.USCC, Verdict.SAME): _l("same credit code"), (Field.USCC, Verdict.DIFFERENT): _l("different credit codes"),
    (Field.PHONE, Verdict.SAME): _l("same phone"), (Field.PHONE, Verdict.DIFFERENT): _l("different phones"),
    (Field.SHOP, Verdict.SAME): _l("same shop"), (Field.SHOP, Verdict.DIFFERENT): _l("different shops"),
    (Field.NAME, Verdict.SAME): _l("same trade name"), (Field.NAME, Verdict.DIFFERENT): _l("different trade names"),
    (Field.PLACE, Verdict.SAME): _l("places agree"), (Field.PLACE, Verdict.DIFFERENT): _l("different places"),
    (Field.FORM, Verdict.SAME): _l("same legal form"),
    (Field.FORM, Verdict.DIFFERENT): _l("company and individual business"),
    (Field.ADDRESS, Verdict.SAME): _l("same address"), (Field.ADDRESS, Verdict.DIFFERENT): _l("different addresses"),
}


def _seller(lead: NationalLead) -> dict[str, str | None]:
    return {"name": lead.seller_name, "uscc": lead.seller_uscc, "phone": lead.seller_phone,
            "address": lead.seller_address, "shop_url": lead.seller_shop_url}


@bp.get("/merges")
def merges() -> str:
    """The merge-review queue: low-confidence seller matches across regions, side by side."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(MergeReview).order_by(
            (MergeReview.status != MergeStatus.PENDING), MergeReview.probability.desc()).limit(300)))
        ids = {i for r in rows for i in (r.lead_a, r.lead_b)}
        leads = {lead.id: lead for lead in session.scalars(sa.select(NationalLead).where(NationalLead.id.in_(ids)))}
    checks = {r.id: [(c.verdict.value, CHECK_WORDS[c.field, c.verdict])
                     for c in compare_sellers(_seller(leads[r.lead_a]), _seller(leads[r.lead_b]))] for r in rows}
    return render_template("merges.html", rows=rows, leads=leads, checks=checks,
                           error=request.args.get("error"))


@bp.post("/merges/<int:review_id>")
@roles_required(*REVIEWERS)
def decide_merge(review_id: int) -> WResponse:
    """An officer confirms or rejects a match; the worker applies it at its next run."""
    from national.casework import ConflictingCodes, UnknownReview
    from national.casework import decide_merge as decide

    merge = request.form.get("decision") == "merge"
    try:
        with db().transaction() as session:
            decide(session, review_id, merge, officer=current_actor().name,
                   note=request.form.get("note", "").strip(), now=dt.datetime.now(dt.UTC))
    except UnknownReview:
        abort(404)
    except ConflictingCodes as exc:
        return redirect(url_for("merges.merges", error=gettext(
            "Not merged: these sellers carry different credit codes (%(codes)s), and two registered firms are never "
            "one seller. If a shop-style record was offered with two firms, confirm one of them.",
            codes=", ".join(exc.codes))))
    except ValueError as exc:
        return redirect(url_for("merges.merges", error=str(exc)))
    flash(gettext("Merged: the two sellers' leads join one case at the next run.") if merge else
          gettext("Kept apart: the two sellers are different."), "ok")
    return redirect(url_for("merges.merges"))
