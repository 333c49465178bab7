"""The review queue (人工判断) and the lead page: judge, second review, assign, re-route; and their JSON API.

Views parse, call regional/review/service.py (or routing), and answer; every rule and role
check lives in the services, which the JSON API and the pages share.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask import session as web_session
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from werkzeug.wrappers import Response

from regional.actors import ADMIN, AUDITOR, REVIEWERS, SUPERVISOR, Forbidden
from regional.formats.errors import holds_lone_surrogate
from regional.review import queue
from regional.review import service as review
from regional.review.core import Decision, ExclusionReason, Policy, WorkflowError
from regional.routing.service import RoutingError
from regional.web import (
    workflow_errors,
    workflow_labels,  # noqa: F401  (registers the audit log's names for this area)
)
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from regional.web.labels import register
from regional.web.leadview import lead_detail

bp = Blueprint("review", __name__)
DRAFT_KEY = "judge_draft"  # a refused judgement's form, shown again on the lead page (one lead, once)
DRAFT_MAX_BYTES = 1500  # a longer draft is not put in the session cookie
READERS = (*REVIEWERS, AUDITOR, ADMIN)
NAV = [NavItem("review.queue_page", _l("Review queue"), roles=frozenset(READERS), match=("review.",))]

register("decision", {
    "confirmed": _p("decision", "Confirm infringement"),
    "excluded": _p("decision", "Exclude"),
    "need_info": _p("decision", "Need more information"),
})
register("exclusion_reason", {
    "licensed_seller": _p("exclusion_reason", "Licensed seller"),
    "genuine_goods": _p("exclusion_reason", "Genuine goods"),
    "different_goods": _p("exclusion_reason", "Different goods"),
    "not_similar": _p("exclusion_reason", "Not similar"),
    "other": _p("exclusion_reason", "Other"),
})
register("lead_state", {  # new and confirmed keep the names regional/web/labels.py gives them
    "need_info": _p("lead_state", "Needs more information"),
    "pending_review": _p("lead_state", "Awaiting second review"),
    "excluded": _p("lead_state", "Excluded"),
})
register("source", {
    "ecommerce": _p("source", "E-commerce"),
    "exhibition": _p("source", "Exhibition"),
    "customs": _p("source", "Customs"),
    "complaint": _p("source", "Complaint"),
})
register("filter", {
    "state": _p("filter", "state"), "type": _p("filter", "type"), "source": _p("filter", "source"),
    "score_min": _p("filter", "lowest score"), "score_max": _p("filter", "highest score"),
    "right": _p("filter", "right"), "seller": _p("filter", "seller"), "from": _p("filter", "detected from"),
    "to": _p("filter", "detected until"), "assigned": _p("filter", "assigned to"), "q": _p("filter", "search"),
    "sort": _p("filter", "order"), "limit": _p("filter", "leads per page"), "after": _p("filter", "page"),
    "total": _p("filter", "total"), "before": _p("filter", "previous page"),
})
register("sort", {
    "-score": _p("sort", "Highest score first"),
    "score": _p("sort", "Lowest score first"),
    "-created": _p("sort", "Newest first"),
    "created": _p("sort", "Oldest first"),
})


register("right_status", {
    "registered": _p("right_status", "registered"), "granted": _p("right_status", "granted"),
    "lapsed": _p("right_status", "lapsed"), "expired": _p("right_status", "expired"),
    "invalidated": _p("right_status", "invalidated"), "pending": _p("right_status", "pending"),
    "rejected": _p("right_status", "rejected"),
})
register("lead_event", {
    "detected": _p("lead_event", "detected"), "assigned": _p("lead_event", "assigned"),
    "unassigned": _p("lead_event", "released"), "judged": _p("lead_event", "judged"),
    "proposed": _p("lead_event", "decided, awaiting second review"), "approved": _p("lead_event", "second review: approved"),
    "refused": _p("lead_event", "second review: refused"), "overridden": _p("lead_event", "decision changed by a supervisor"),
    "routed": _p("lead_event", "pushed"), "rerouted": _p("lead_event", "re-routed"),
    "notice_withdrawn": _p("lead_event", "notice withdrawn"),
    "case_opened": _p("lead_event", "case opened"), "case_step": _p("lead_event", "case step"),
    "note": _p("lead_event", "note"),
})


@bp.app_template_global("nice_class")
def nice_class(number: int) -> str:
    """A Nice class as '第30类 方便食品'."""
    from regional.nice import class_label

    try:
        return class_label(int(number))
    except (TypeError, ValueError):
        return str(number)


def _ctx() -> review.Context:
    from regional.node import signer

    cfg = current_app.config["HUFU"]
    return review.Context(cfg.region, signer(cfg), Policy.from_specs(cfg.second_review))


def _now() -> dt.datetime:
    from regional.node import utcnow

    return utcnow()


def _queue_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in (
        "state", "type", "source", "score_min", "score_max", "right", "seller", "from", "to", "assigned", "q")}


# ---------------------------------------------------------------- pages


@bp.get("/review")
@roles_required(*READERS)
def queue_page() -> str:
    """The queue: filters, search, sort, keyset pages, batch decisions and assignment."""
    try:
        filters = queue.parse_filters(_queue_args())
        sort = queue.parse_sort(request.args.get("sort"))
        limit = queue.parse_limit(request.args.get("limit"))
        with db().read() as session:
            page = queue.list_page(session, filters, sort, limit, request.args.get("after") or None,
                                   cap=current_app.config["HUFU"].review_count_cap,
                                   before=request.args.get("before") or None)
    except queue.FilterError as exc:
        abort(400, workflow_errors.filter_message(exc))
    return render_template("review_queue.html", page=page, filters=filters, args=request.args,
                           states=[s.value for s in queue.LeadState], decisions=[d.value for d in Decision],
                           reasons=[r.value for r in ExclusionReason], sorts=[s.value for s in queue.Sort],
                           types=[t.value for t in queue.LeadType], sources=[s.value for s in queue.ListingSource])


@bp.post("/review/batch")
@roles_required(*REVIEWERS)
def batch() -> Response:
    """One decision for the leads ticked on the queue page."""
    back = _back()
    uuids = request.form.getlist("lead")
    try:
        result = review.decide_many(db(), _ctx(), uuids, request.form.get("decision", ""),
                                    request.form.get("reason", ""), actor=current_actor(), now=_now(),
                                    reason_code=request.form.get("reason_code") or None)
    except (WorkflowError, Forbidden) as exc:
        flash(workflow_errors.message(exc), "error")
        return redirect(back)
    flash(gettext("%(n)s lead(s) judged.", n=len(result.done)), "ok")
    for lead_uuid, code in list(result.refused_codes.items())[:20]:
        flash(gettext("Lead %(lead)s was not judged: %(why)s", lead=lead_uuid[:8],
                      why=workflow_errors.code_message(code)), "error")
    return redirect(back)


def _assignee() -> str:
    """The form's assignee, who must be an active officer or supervisor of this node (empty: release). newcomer14:
    a typed "nosuchuser" was accepted, and the leads were then hidden from every officer."""
    from regional.models import User

    name = request.form.get("assignee", "").strip()
    if name and len(name) <= 100:
        with db().read() as session:
            known = session.scalar(sa.select(User.id).where(User.name == name, User.active.is_(True),
                                                            User.role.in_(REVIEWERS)))
        if known is None:
            raise WorkflowError("unknown_assignee", f"no active officer or supervisor is called {name!r}")
    return name


@bp.post("/review/assign")
@roles_required(*REVIEWERS)
def assign() -> Response:
    """Give the ticked leads to an officer (supervisor), or take them (officer); empty: release them."""
    back = _back()
    try:
        n = review.assign(db(), request.form.getlist("lead"), _assignee(), actor=current_actor(), now=_now())
    except (WorkflowError, Forbidden) as exc:
        flash(workflow_errors.message(exc), "error")
        return redirect(back)
    flash(gettext("%(n)s lead(s) assigned.", n=n), "ok")
    return redirect(back)


def _back() -> str:
    """Where to return after a form: the page it came from, if it is one of ours."""
    target = request.form.get("back", "")
    if target.startswith("/review") and "//" not in target and len(target) < 2000:
        return target
    return url_for("review.queue_page")


@bp.get("/review/leads/<lead_uuid>")
@roles_required(*READERS)
def lead_page(lead_uuid: str) -> str:
    """The lead as captured, the right side by side, reasons, model, evidence, routing, history, actions; after a
    refused judgement, the form as the officer filled it (kept in the session by `judge` for this lead only)."""
    kept = web_session.pop(DRAFT_KEY, None)
    draft = kept.get("fields") if isinstance(kept, dict) and kept.get("lead") == lead_uuid else None
    return _render_lead(lead_uuid, draft if isinstance(draft, dict) else None)


def _render_lead(lead_uuid: str, draft: dict[str, str] | None = None) -> str:
    """The lead page; `draft` is a judgement the officer submitted and the workflow refused, shown again as
    submitted (a form that fell back to its first option, 确认侵权, would confirm what the officer meant to exclude)."""
    cfg = current_app.config["HUFU"]
    with db().read() as session:
        try:
            detail = lead_detail(session, lead_uuid, cfg.region)
        except review.UnknownLead:
            abort(404)
        agencies = _agencies(session)
        agency_names = _agency_names(session, {str(h["detail"]["agency"]) for h in detail["history"]
                                               if isinstance(h["detail"], dict) and h["detail"].get("agency")})
    return render_template("lead.html", lead=detail, decisions=[d.value for d in Decision],
                           reasons=[r.value for r in ExclusionReason], agencies=agencies,
                           agency_names=agency_names, draft=draft or {})


def _agency_names(session: Any, codes: set[str]) -> dict[str, str]:
    """Names of the bodies a lead's history mentions by code (inactive ones too: the history is the past)."""
    from regional.workflow_models import AgencyRow

    if not codes:
        return {}
    rows = session.execute(sa.select(AgencyRow.code, AgencyRow.name).where(AgencyRow.code.in_(sorted(codes))))
    return {code: name for code, name in rows}


def _agencies(session: Any) -> list[Any]:
    from regional.web.blueprints.routing import division_name
    from regional.workflow_models import AgencyRow

    rows = session.scalars(sa.select(AgencyRow).where(AgencyRow.active).order_by(AgencyRow.division, AgencyRow.code))
    groups: dict[str, list[Any]] = {}  # by city (the province's own bodies first): ~200 bodies in one list are unusable
    for row in rows:
        division = row.division or ""
        city = division[:4] + "00" if division[2:4] != "00" else division[:2] + "0000"
        groups.setdefault(city, []).append(row)
    return [(division_name(city) or city, members) for city, members in groups.items()]


def _lead_action(lead_uuid: str, action: Any, done: Any) -> Response:
    try:
        out = action()
    except review.UnknownLead:
        abort(404)
    except (WorkflowError, Forbidden, RoutingError) as exc:
        flash(workflow_errors.message(exc), "error")
    else:
        flash(done(out), "ok")
    return redirect(url_for("review.lead_page", lead_uuid=lead_uuid))


@bp.post("/review/leads/<lead_uuid>/judge")
@roles_required(*REVIEWERS)
def judge(lead_uuid: str) -> Response | tuple[str, int]:
    """Confirm, exclude (with a reason) or ask for more information. A refused judgement goes back to the lead's
    own address with the message and the form as the officer filled it, not a blank form (newcomer14 F44: it was
    shown at this POST address, where the language link or a reload answered 405)."""
    draft = {k: request.form.get(k, "")[:1000] for k in ("decision", "reason_code", "reason")}
    try:
        out = review.decide(db(), _ctx(), lead_uuid, draft["decision"], draft["reason"], actor=current_actor(),
                            now=_now(), reason_code=draft["reason_code"] or None)
    except review.UnknownLead:
        abort(404)
    except (WorkflowError, Forbidden, RoutingError) as exc:
        flash(workflow_errors.message(exc), "error")
        if len(json.dumps(draft, ensure_ascii=False).encode()) > DRAFT_MAX_BYTES:  # the session is a cookie (4 KB)
            return _render_lead(lead_uuid, draft), 400  # a very long note: shown here rather than cut
        web_session[DRAFT_KEY] = {"lead": lead_uuid, "fields": draft}
        return redirect(url_for("review.lead_page", lead_uuid=lead_uuid) + "#judge-form")
    flash(workflow_errors.outcome_message(out), "ok")
    return redirect(url_for("review.lead_page", lead_uuid=lead_uuid))


@bp.get("/review/leads/<lead_uuid>/judge")
@roles_required(*READERS)
def judge_address(lead_uuid: str) -> Response:
    """The judgement form's address opened (a reload, the language link of a page shown there): the lead page."""
    lang = request.args.get("lang")
    return redirect(url_for("review.lead_page", lead_uuid=lead_uuid, **({"lang": lang} if lang else {})))


@bp.post("/review/leads/<lead_uuid>/second-review")
@roles_required(SUPERVISOR)
def second_review(lead_uuid: str) -> Response:
    """A supervisor approves or refuses a decision held for a second review."""
    approve = request.form.get("verdict") == "approve"
    return _lead_action(lead_uuid, lambda: review.review(
        db(), _ctx(), lead_uuid, approve, request.form.get("note", ""), actor=current_actor(), now=_now()),
        lambda out: workflow_errors.second_review_message(out, approve))


@bp.post("/review/leads/<lead_uuid>/assign")
@roles_required(*REVIEWERS)
def assign_one(lead_uuid: str) -> Response:
    """Take this lead, release it, or (a supervisor) give it to an officer."""
    return _lead_action(lead_uuid, lambda: review.assign(
        db(), [lead_uuid], _assignee(), actor=current_actor(), now=_now()),
        lambda n: gettext("Assignment saved.") if n else gettext("Nothing changed."))


@bp.post("/review/leads/<lead_uuid>/reroute")
@roles_required(*REVIEWERS)
def reroute(lead_uuid: str) -> Response:
    """Send a confirmed lead to another body of the directory, with the reason."""
    from regional.routing import service as routing

    cfg = current_app.config["HUFU"]

    def act() -> Any:
        with db().transaction() as session:
            lead = review._lead(session, lead_uuid)
            return routing.reroute(session, lead, request.form.get("agency", ""), request.form.get("reason", ""),
                                   cfg.region, current_actor(), _now())

    return _lead_action(lead_uuid, act, lambda out: gettext("Re-routed; notice %(n)s sent.",
                                                            n=out.notice.number if out.notice else "-"))


# ---------------------------------------------------------------- JSON API


def _api_error(exc: Exception, status: int) -> Any:
    body = {"error": getattr(exc, "code", type(exc).__name__), "message": str(exc)}
    if isinstance(exc, review.UnknownLead):  # in the reader's language, like the API's 401 and 403
        body["message"] = gettext("No such page or record.")
    if isinstance(exc, queue.FilterError):
        body["param"] = exc.param
    response = jsonify(body)
    response.status_code = status
    return response


@bp.get("/api/review")
@roles_required(*READERS)
def api_queue() -> Any:
    """Leads awaiting judgement (or any state), with the page's filters: {"leads": [...], "total": N, "total_exact": bool,
    "next": …, "prev": …}; `after=NEXT` / `before=PREV` page on; `total=exact` counts every match even past the cap."""
    try:
        filters = queue.parse_filters(_queue_args())
        sort = queue.parse_sort(request.args.get("sort"))
        limit = queue.parse_limit(request.args.get("limit"))
        exact = queue.parse_total(request.args.get("total"))
        with db().read() as session:
            page = queue.list_page(session, filters, sort, limit, request.args.get("after") or None, exact=exact,
                                   cap=current_app.config["HUFU"].review_count_cap,
                                   before=request.args.get("before") or None)
    except queue.FilterError as exc:
        return _api_error(exc, 400)
    # total_exact false: more than `total` leads match (counting stopped there); ?total=exact counts them all
    return jsonify({"leads": page.rows, "total": page.total, "total_exact": page.total_exact, "next": page.next_cursor,
                    "prev": page.prev_cursor, "limit": page.limit, "sort": page.sort.value})


@bp.get("/api/leads/<lead_uuid>")
@roles_required(*READERS)
def api_lead(lead_uuid: str) -> Any:
    """One lead: listing, right, reasons, model version, judgement, routing, evidence, history."""
    cfg = current_app.config["HUFU"]
    with db().read() as session:
        try:
            return jsonify(lead_detail(session, lead_uuid, cfg.region))
        except review.UnknownLead as exc:
            return _api_error(exc, 404)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise WorkflowError("bad_body", 'send a JSON object, e.g. {"decision": "confirmed", "reason": "…"}')
    if holds_lone_surrogate(body):
        # a "\ud800" escape is no character: it cannot be stored (newcomer20: the judgement answered 500)
        raise WorkflowError("body_bad_characters", "the request holds a lone surrogate escape (\\ud800-\\udfff)")
    return body



def _status_of(exc: Exception) -> int:
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, review.UnknownLead):
        return 404
    if isinstance(exc, WorkflowError) and exc.code in ("already_judged", "awaiting_second_review", "case_open",
                                                        "unchanged", "no_second_review", "assigned_to_other",
                                                        "not_allowed"):
        return 409
    return 400


def _outcome_json(out: review.Outcome) -> dict[str, Any]:
    return {"uuid": out.lead_uuid, "state": out.state.value, "final": out.final,
            "second_review": out.second_review, "record": out.record_uuid,
            "routing": {"agency": out.agency, "notice": out.notice} if out.agency or out.notice else None,
            "withdrawn_notice": out.withdrawn_notice}


@bp.post("/api/leads/<lead_uuid>/judgement")
@roles_required(*REVIEWERS)
def api_judgement(lead_uuid: str) -> Any:
    """{"decision": "confirmed" | "excluded" | "need_info", "reason": "…"} (optional "reason_code")."""
    try:
        body = _json_body()
        for key in ("decision", "reason", "reason_code"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise WorkflowError("bad_body", f"field {key!r} must be text")
        out = review.decide(db(), _ctx(), lead_uuid, body.get("decision") or "", body.get("reason"),
                            actor=current_actor(), now=_now(), reason_code=body.get("reason_code"))
    except (WorkflowError, Forbidden, review.UnknownLead, RoutingError) as exc:
        return _api_error(exc, _status_of(exc))
    return jsonify(_outcome_json(out))


@bp.post("/api/leads/<lead_uuid>/second-review")
@roles_required(SUPERVISOR)
def api_second_review(lead_uuid: str) -> Any:
    """{"approve": true | false, "note": "…"} — a supervisor's second review."""
    try:
        body = _json_body()
        if not isinstance(body.get("approve"), bool):
            raise WorkflowError("bad_body", "field 'approve' must be true or false")
        note = body.get("note") or ""
        if not isinstance(note, str):
            raise WorkflowError("bad_body", "field 'note' must be text")
        out = review.review(db(), _ctx(), lead_uuid, body["approve"], note, actor=current_actor(), now=_now())
    except (WorkflowError, Forbidden, review.UnknownLead, RoutingError) as exc:
        return _api_error(exc, _status_of(exc))
    return jsonify(_outcome_json(out))


@bp.post("/api/review/batch")
@roles_required(*REVIEWERS)
def api_batch() -> Any:
    """{"leads": [uuid, …], "decision": …, "reason": …}: judged leads and the refused ones with the reason."""
    try:
        body = _json_body()
        leads = body.get("leads")
        if not isinstance(leads, list) or not all(isinstance(u, str) for u in leads):
            raise WorkflowError("bad_body", "field 'leads' must be a list of lead uuids")
        out = review.decide_many(db(), _ctx(), leads, body.get("decision") or "", body.get("reason"),
                                 actor=current_actor(), now=_now(), reason_code=body.get("reason_code"))
    except (WorkflowError, Forbidden) as exc:
        return _api_error(exc, _status_of(exc))
    return jsonify({"judged": [_outcome_json(o) for o in out.done], "refused": out.refused})
