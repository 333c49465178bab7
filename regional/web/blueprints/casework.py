"""This region's own cases (立案 → 调查 → 处理 → 结案), their quality monitoring, and steps on cross-region cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from regional.actors import ADMIN, AUDITOR, REVIEWERS, SUPERVISOR, Forbidden
from regional.casework import service as casework
from regional.casework.core import CaseError, CaseResult, CaseState, Finding, TimeLimits, next_steps, standing
from regional.models import LeadRow, ListingRow, ReceivedCase
from regional.web import workflow_errors
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from regional.web.labels import register
from regional.workflow_models import AgencyRow, CaseLead, CaseRecord, CaseStep
from sync.times import aware as _aware

bp = Blueprint("casework", __name__)
READERS = (*REVIEWERS, AUDITOR, ADMIN)
NAV = [NavItem("casework.cases", _l("Case handling"), roles=frozenset(READERS), match=("casework.",))]

register("case_state", {
    "filed": _p("case_state", "Filed"), "investigating": _p("case_state", "Investigating"),
    "handling": _p("case_state", "Handling"), "closed": _p("case_state", "Closed"),
})
register("case_step", {  # the same values as actions: what an officer does
    "filed": _p("case_step", "File (accept the case)"), "investigating": _p("case_step", "Start the investigation"),
    "handling": _p("case_step", "Move to handling"), "closed": _p("case_step", "Close the case"),
    "note": _p("case_step", "Add a note"),
})
register("case_result", {
    "penalised": _p("case_result", "Administrative penalty"), "ordered_to_stop": _p("case_result", "Ordered to stop"),
    "mediated": _p("case_result", "Mediated"), "transferred": _p("case_result", "Transferred to the judiciary"),
    "no_violation": _p("case_result", "No infringement"), "withdrawn": _p("case_result", "Case withdrawn"),
})
register("case_finding", {
    "confirmed": _p("case_finding", "Infringement confirmed"), "dismissed": _p("case_finding", "No infringement"),
})
register("case_role", {"lead": _p("case_role", "lead region"), "assisting": _p("case_role", "assisting region")})
register("cross_answer", {
    "pending": _p("cross_answer", "waiting for the national node"), "accepted": _p("cross_answer", "accepted"),
    "refused": _p("cross_answer", "refused"),
})


def _limits() -> TimeLimits:
    return TimeLimits.from_config(current_app.config["HUFU"].case_time_limits_days)


def _now() -> dt.datetime:
    from regional.node import utcnow

    return utcnow()


def _signer() -> Any:
    from regional.node import signer

    return signer(current_app.config["HUFU"])


# the case list shows the newest cases the filters match, at most this many (the heading says how many match)
CASE_LIST_LIMIT = 500


@bp.get("/regional-cases")
@roles_required(*READERS)
def cases() -> str:
    """This region's cases, filtered by step, officer, overdue."""
    state = request.args.get("state", "")
    officer = request.args.get("officer", "")[:100]
    overdue = request.args.get("overdue") == "1"
    now = _now()
    where: list[Any] = []
    if state in {s.value for s in CaseState}:
        where.append(CaseRecord.state == state)
    elif state == "open":
        where.append(CaseRecord.state != CaseState.CLOSED)
    elif state:
        # an unknown step is refused, not silently read as "all cases" (the lead's session-21 pass)
        raise BadRequest(gettext("Unknown case step %(state)s: one of %(known)s.", state=state[:40],
                                 known=", ".join(["open", *(s.value for s in CaseState)])))
    if officer:
        where.append(CaseRecord.officer == officer)
    if overdue:
        where += [CaseRecord.state != CaseState.CLOSED, CaseRecord.deadline < now]
    with db().read() as session:
        rows = list(session.scalars(sa.select(CaseRecord).where(*where).order_by(CaseRecord.id.desc())
                                    .limit(CASE_LIST_LIMIT)))
        # the heading counts every case the filters match, not the newest CASE_LIST_LIMIT listed (newcomer20 D3)
        total = len(rows) if len(rows) < CASE_LIST_LIMIT else (
            session.scalar(sa.select(sa.func.count()).select_from(CaseRecord).where(*where)) or 0)
    limits = _limits()
    items = [(c, standing(c.state, _aware(c.step_entered_at), limits, now)) for c in rows]
    return render_template("regional_cases.html", items=items, total=total, states=[s.value for s in CaseState],
                           args=request.args)


@bp.get("/regional-cases/quality")
@roles_required(*READERS)
def quality() -> str:
    """Case quality monitoring: by step, overdue, time per step, per officer."""
    with db().read() as session:
        q = casework.quality(session, _now())
    return render_template("case_quality.html", q=q, limits=_limits())


@bp.get("/regional-cases/<case_uuid>")
@roles_required(*READERS)
def case(case_uuid: str) -> str:
    """One case: its leads, steps with the time each took, the deadline, and the next steps."""
    now = _now()
    with db().read() as session:
        row = session.scalar(sa.select(CaseRecord).where(CaseRecord.uuid == case_uuid))
        if row is None:
            abort(404)
        leads = session.execute(sa.select(LeadRow, ListingRow.title).join(CaseLead, CaseLead.lead_id == LeadRow.id)
                                .join(ListingRow, ListingRow.id == LeadRow.listing_id)
                                .where(CaseLead.case_id == row.id).order_by(LeadRow.id)).all()
        steps = list(session.scalars(sa.select(CaseStep).where(CaseStep.case_id == row.id).order_by(CaseStep.id)))
        agency = session.get(AgencyRow, row.agency_id) if row.agency_id else None
    st = standing(row.state, _aware(row.step_entered_at), _limits(), now)
    return render_template("regional_case.html", case=row, leads=leads, steps=steps, agency=agency, standing=st,
                           next_steps=[s.value for s in next_steps(row.state)],
                           results=[r.value for r in CaseResult], findings=[f.value for f in Finding])


@bp.post("/regional-cases/open")
@roles_required(*REVIEWERS)
def open_case() -> Response:
    """Open a case on confirmed leads (from the lead page)."""
    leads = request.form.getlist("lead")
    try:
        row = casework.open_case(db(), _signer(), leads, actor=current_actor(), now=_now(), limits=_limits(),
                                 officer=request.form.get("officer") or None)
    except (CaseError, Forbidden) as exc:
        flash(workflow_errors.message(exc), "error")
        if leads:
            return redirect(url_for("review.lead_page", lead_uuid=leads[0]))
        return redirect(url_for("casework.cases"))
    flash(gettext("Case %(n)s opened.", n=row.number), "ok")
    return redirect(url_for("casework.case", case_uuid=row.uuid))


@bp.post("/regional-cases/<case_uuid>/step")
@roles_required(*REVIEWERS)
def step(case_uuid: str) -> Response:
    """Take the case one step; closing needs a result and the reason."""
    try:
        casework.step_case(db(), _signer(), case_uuid, request.form.get("step", ""), actor=current_actor(),
                           now=_now(), limits=_limits(), result=request.form.get("result") or None,
                           finding=request.form.get("finding") or None, note=request.form.get("note", ""))
    except casework.UnknownCase:
        abort(404)
    except (CaseError, Forbidden) as exc:
        flash(workflow_errors.message(exc), "error")
    else:
        flash(gettext("Step recorded."), "ok")
    return redirect(url_for("casework.case", case_uuid=case_uuid))


@bp.post("/regional-cases/<case_uuid>/reassign")
@roles_required(SUPERVISOR)
def reassign(case_uuid: str) -> Response:
    """A supervisor hands the case to another officer."""
    try:
        casework.reassign(db(), case_uuid, request.form.get("officer", ""), actor=current_actor(), now=_now())
    except casework.UnknownCase:
        abort(404)
    except (CaseError, Forbidden) as exc:
        flash(workflow_errors.message(exc), "error")
    else:
        flash(gettext("The case has a new officer in charge."), "ok")
    return redirect(url_for("casework.case", case_uuid=case_uuid))


# ---------------------------------------------------------------- cross-region cases: the same steps


@bp.post("/cases/<case_uuid>/step")
@roles_required(*REVIEWERS)
def cross_step(case_uuid: str) -> Response:
    """This region's step on a cross-region case, reported to the national node as the signed-in officer."""
    step_value = request.form.get("step", "")
    try:
        casework.report_cross_step(db(), _signer(), case_uuid, None if step_value == "note" else step_value,
                                   actor=current_actor(), now=_now(), finding=request.form.get("finding") or None,
                                   result=request.form.get("result") or None, note=request.form.get("note", ""))
    except casework.UnknownCase:
        abort(404)
    except (CaseError, Forbidden) as exc:
        flash(workflow_errors.message(exc), "error")
    else:
        flash(gettext("Recorded; it goes to the national node with the next sync."), "ok")
    return redirect(url_for("cases.case", case_uuid=case_uuid))


@bp.app_template_global("cross_next_of")
def cross_next_of(case: ReceivedCase) -> list[str]:
    """For the cross-region case page's form: the steps this region may report next on its part of the case."""
    with db().read() as session:
        return [s.value for s in casework.cross_next_of(session, case)]


@bp.app_template_global("cross_steps_of")
def cross_steps_of(case: ReceivedCase) -> list[Any]:
    """For the cross-region case page: the steps this region sent, with the national node's answers."""
    with db().read() as session:
        return casework.cross_steps(session, case)


@bp.app_template_global("cross_progress_of")
def cross_progress_of(case: ReceivedCase) -> list[Any]:
    """For the cross-region case page: each region's own progress (role, last accepted step, finding, result), from
    the steps the national node broadcast (every region's accepted steps reach every region concerned) — the table
    the national case page shows, by the same pure rule (sync/caseprogress.py; fixes15 left the regions without
    it)."""
    from sync.caseprogress import ReportedStep, region_progress

    steps = []
    for e in case.events or []:
        if not isinstance(e, dict) or e.get("region") in (None, "000000") or e.get("refused"):
            continue
        try:
            at = _aware(dt.datetime.fromisoformat(str(e.get("at"))))
        except ValueError:
            continue
        steps.append(ReportedStep(str(e["region"]), str(e.get("feedback") or ""), True, at, e.get("step") or None,
                                  e.get("result") or None, e.get("officer") or None))
    return region_progress(steps, case.lead_region, case.regions or [])
