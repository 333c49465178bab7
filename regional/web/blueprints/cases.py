"""Cross-region cases received from the national node, and this region's feedback on them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from regional import services
from regional.actors import REVIEWERS
from regional.forms import FormError
from regional.models import ReceivedCase
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from sync.regions import region_name

bp = Blueprint("cases", __name__)
NAV = [NavItem("cases.cases", _l("Cross-region cases"))]


@bp.get("/cases")
def cases() -> str:
    """Cross-region cases received from the national node."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(ReceivedCase).order_by(ReceivedCase.feed_cursor.desc())))
    return render_template("cases.html", cases=rows, region_name=region_name)


@bp.get("/cases/<case_uuid>")
def case(case_uuid: str) -> str:
    """One received case with every region's leads, its history and the feedback form."""
    with db().read() as session:
        row = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case_uuid))
        if row is None:
            abort(404)
        prior, later = _related(session, row)
    return render_template("case.html", case=row, region_name=region_name, own_region=current_app.config["HUFU"].region,
                           statuses=services.CASE_FEEDBACK, message=request.args.get("message"),
                           error=request.args.get("error"), prior=prior, later=later)


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


@bp.post("/cases/<case_uuid>/feedback")
@roles_required(*REVIEWERS)
def case_feedback(case_uuid: str) -> Response:
    """Report this region's step or result on a case to the national node (as the signed-in officer)."""
    from regional.node import signer, utcnow

    cfg = current_app.config["HUFU"]
    try:
        services.case_feedback(db(), signer(cfg), case_uuid, request.form.get("status", ""),
                               request.form.get("note", "").strip(), actor=current_actor().name,
                               now=utcnow())
    except services.UnknownCase:
        abort(404)
    except FormError as exc:
        return redirect(url_for("cases.case", case_uuid=case_uuid, error=_form_error(exc)))
    except ValueError as exc:
        return redirect(url_for("cases.case", case_uuid=case_uuid, error=str(exc)))
    return redirect(url_for("cases.case", case_uuid=case_uuid, message="sent"))


def _form_error(exc: FormError) -> str:
    """The fields over their limits, worded in the page's language."""
    names = {"note": gettext("Note"), "officer": gettext("Officer")}
    parts = []
    for field, limit in exc.limits.items():
        name = names.get(field, field)
        if limit.kind.value == "line":
            parts.append(gettext("%(field)s must be one line of at most %(n)s characters, without control "
                                 "characters", field=name, n=f"{limit.max_chars:,}"))
        else:
            parts.append(gettext("%(field)s may have at most %(n)s characters and no control characters",
                                 field=name, n=f"{limit.max_chars:,}"))
    return gettext("Not sent: %(problems)s.", problems="; ".join(parts))
