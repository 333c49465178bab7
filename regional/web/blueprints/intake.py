"""Intake: the public complaint form (no login) and its tracking page, the rights holders' portal, the feed API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from regional import services
from regional.actors import ADMIN, AUDITOR, PLATFORM, RIGHTS_HOLDER, SUPERVISOR, Forbidden
from regional.formats.errors import holds_lone_surrogate, printable_text
from regional.intake import complaints, feed, requests
from regional.web.auth import client_address, current_actor, public, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from regional.web.labels import register

bp = Blueprint("intake", __name__)
NAV = [NavItem("intake.holder", _l("My rights"), roles=frozenset({RIGHTS_HOLDER}))]
FEED_ROLES = (ADMIN, SUPERVISOR, "officer", PLATFORM)
OFFICE_READERS = ("officer", SUPERVISOR, ADMIN, AUDITOR)

register("role", {"platform": _p("role", "platform client")})
register("request_status", {
    "queued": _p("request_status", "waiting"), "running": _p("request_status", "running"),
    "done": _p("request_status", "done"), "failed": _p("request_status", "failed"),
})
FIELD_NAMES = {"what": _l("What is infringed or counterfeited"), "url": _l("Web address"), "place": _l("Place"),
               "who": _l("Who is complained about"), "contact_name": _l("Your name"), "contact": _l("Contact"),
               "right_hint": _l("The right concerned")}
FIELD_ERRORS = {
    "what": _l("Say what is being infringed or counterfeited (at most 1,000 characters)."),
    "url": _l("Give where: a web address (http:// or https://) or a place."),
    "place": _l("The place has at most 300 characters."),
    "who": _l("At most 300 characters."),
    "contact_name": _l("At most 100 characters."),
    "contact": _l("A telephone number or an e-mail address."),
    "right_hint": _l("At most 200 characters."),
}


@bp.before_app_request
def _confine_outside_accounts() -> None:
    """A rights holder, a platform client or an enforcement body's user sees nothing of the office's work but its
    own pages."""
    from flask_login import current_user

    from regional.web.foundation import OUTSIDE_ROLES, outside_endpoints

    if not getattr(current_user, "is_authenticated", False) or not (current_user.roles & OUTSIDE_ROLES):
        return
    if request.endpoint not in outside_endpoints(current_user.roles) and not (current_user.roles - OUTSIDE_ROLES):
        abort(403)


def _now() -> dt.datetime:
    from regional.node import utcnow

    return utcnow()


# ---------------------------------------------------------------- the public complaint form


@bp.route("/complaint", methods=["GET", "POST"])
@public
def complaint() -> Any:
    """投诉举报: anyone may file a complaint or a tip; it gets a tracking number."""
    form = {k: request.form.get(k, "") for k in ("what", "url", "place", "who", "contact_name", "contact",
                                                 "right_hint", "website")}
    error_field = None
    error = None
    if request.method == "POST":
        cfg = current_app.config["HUFU"]
        try:
            tracking = complaints.submit(db(), cfg.region, complaints.ComplaintForm(
                what=form["what"], url=form["url"], place=form["place"], who=form["who"],
                contact_name=form["contact_name"], contact=form["contact"], right_hint=form["right_hint"],
                honeypot=form["website"]), address=client_address(), now=_now(), per_hour=cfg.intake_per_hour)
        except complaints.RateLimited:
            return render_template("complaint.html", form=form, names=FIELD_NAMES,
                                   error=gettext("Too many complaints from this address in the last hour; please "
                                                 "try again later or call the 12330 hotline.")), 429
        except complaints.ComplaintError as exc:
            error_field = exc.field
            error = str(FIELD_ERRORS.get(exc.field or "", _l("The form is not complete.")))
            return render_template("complaint.html", form=form, names=FIELD_NAMES, error=error,
                                   error_field=error_field), 400
        return redirect(url_for("intake.track", no=tracking, new=1))
    return render_template("complaint.html", form=form, names=FIELD_NAMES, error=error, error_field=error_field)


@bp.get("/complaint/track")
@public
def track() -> str:
    """Follow a complaint by its tracking number (no personal data is shown)."""
    number = (request.args.get("no") or "").strip()[:40]
    status = None
    if number:
        with db().read() as session:
            status = complaints.status(session, number)
    return render_template("complaint_track.html", number=number, status=status, new=request.args.get("new") == "1")


# ---------------------------------------------------------------- rights holders


@bp.get("/holder")
@roles_required(RIGHTS_HOLDER)
def holder() -> str:
    """A rights holder's rights, its detection requests with their progress, and the leads found."""
    actor = current_actor()
    with db().read() as session:
        try:
            row = requests.holder_of(session, actor)
        except Forbidden:
            return render_template("holder.html", holder=None, rights=[], requests=[], results=[])
        rights = requests.rights_of(session, row)
        mine = requests.requests_of(session, actor)
        found = requests.results(session, actor)
    return render_template("holder.html", holder=row, rights=rights, requests=mine, results=found)


@bp.post("/holder/requests")
@roles_required(RIGHTS_HOLDER)
def holder_request() -> Response:
    """Ask for a screening of some of the holder's rights."""
    try:
        requests.request_screening(db(), request.form.getlist("right"), actor=current_actor(), now=_now(),
                                   note=request.form.get("note", ""))
    except (requests.RequestError, Forbidden) as exc:
        flash(gettext("Not accepted: %(why)s", why=_request_error(exc)), "error")
    else:
        flash(gettext("Your request is queued; the screening runs shortly."), "ok")
    return redirect(url_for("intake.holder"))


def _request_error(exc: Exception) -> str:
    text = str(exc)
    if "name at least one" in text:
        return gettext("choose at least one of your rights")
    if "not registered to" in text:
        return gettext("some of these rights are not registered to you")
    if "still waiting" in text:
        return gettext("wait for your earlier requests to finish")
    if isinstance(exc, Forbidden):
        return gettext("your account is not tied to a rights holder yet; ask the node's administrator")
    return gettext("the request is not valid")


@bp.post("/holder/assign")
@roles_required(ADMIN)
def holder_assign() -> Response:
    """An admin ties a rights-holder account to the owner name its rights are registered under."""
    try:
        with db().transaction() as session:
            requests.set_holder(session, request.form.get("user", ""), request.form.get("owner", ""),
                                current_actor(), _now())
    except requests.UnknownOwner as exc:
        if exc.similar:
            flash(gettext("Not saved: no right in the registry is registered under “%(owner)s”. Owner names in the "
                          "registry that come close: %(names)s", owner=exc.owner, names="、".join(exc.similar)), "error")
        else:
            flash(gettext("Not saved: no right in the registry is registered under “%(owner)s”. Type the owner name "
                          "exactly as the trademark register has it (import the registry first if it is not yet "
                          "here).", owner=exc.owner), "error")
    except (requests.RequestError, Forbidden):
        flash(gettext("Not saved: give the name of a rights-holder account and the owner name."), "error")
    else:
        flash(gettext("Saved."), "ok")
    return redirect(url_for("admin.users"))


@bp.get("/api/holder/requests")
@roles_required(RIGHTS_HOLDER, *OFFICE_READERS)
def api_holder_requests() -> Any:
    """The holder's requests with their progress, and the leads found on its rights; the office's staff get
    every holder's requests (each with its requester) and no leads list (the queue has them)."""
    actor = current_actor()
    with db().read() as session:
        try:
            if RIGHTS_HOLDER in actor.roles:
                mine = requests.requests_of(session, actor)
                found = requests.results(session, actor)
            else:
                mine, found = requests.all_requests(session), []
        except Forbidden as exc:
            return jsonify({"error": "forbidden", "message": str(exc)}), 403
    return jsonify({
        "requests": [{"uuid": r.uuid, "requester": r.requester, "rights": r.rights, "status": r.status.value,
                      "done": r.done, "total": r.total, "leads": r.leads, "created_at": r.created_at.isoformat()}
                     for r in mine],
        "leads": [{"uuid": f.uuid, "right": f.right, "type": f.type, "score": f.score, "title": f.title,
                   "url": f.url, "state": f.state} for f in found]})


@bp.post("/api/holder/requests")
@roles_required(RIGHTS_HOLDER)
def api_holder_request() -> Any:
    """{"rights": ["TM-…", …], "note": "…"} — queue a screening of the holder's own rights."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("rights"), list):
        return jsonify({"error": "bad_body", "message": 'send {"rights": ["…"]}'}), 400
    if holds_lone_surrogate(body):  # a "\ud800" escape: no text to store (newcomer20: 500)
        return jsonify({"error": "bad_characters", "message": "the request holds a lone surrogate escape"}), 400
    try:
        row = requests.request_screening(db(), [str(r) for r in body["rights"]], actor=current_actor(), now=_now(),
                                         note=str(body.get("note") or ""))
    except Forbidden as exc:
        return jsonify({"error": "forbidden", "message": str(exc)}), 403
    except requests.RequestError as exc:
        return jsonify({"error": "bad_request", "message": str(exc)}), 400
    return jsonify({"uuid": row.uuid, "status": row.status.value}), 202


# ---------------------------------------------------------------- the platform feed


@bp.post("/api/feed/listings")
@roles_required(*FEED_ROLES)
def api_feed() -> Any:
    """A platform's listings (JSON Lines or a JSON array), validated like a file import, all or nothing."""
    if request.content_length is not None and request.content_length > feed.MAX_BYTES:
        raise RequestEntityTooLarge()
    body = request.stream.read(feed.MAX_BYTES + 1)
    actor = current_actor()
    try:
        result = feed.post_listings(db(), body, actor=f"feed:{actor.name}", now=_now())
    except feed.FeedError as exc:
        status = 413 if len(body) > feed.MAX_BYTES else 400
        reply = {"error": "bad_feed", "message": str(exc)}
        if exc.rule is not None:
            reply["rule"] = exc.rule
        return jsonify(reply), status
    except services.ImportRejected as exc:
        return jsonify({"error": "invalid_records", "message": "nothing was stored", "errors": [
            # an id holding a "\ud800" escape is answered as its escape (newcomer20: the answer itself failed, 500)
            {"line": e.line, "id": printable_text(e.record_id) if e.record_id else e.record_id, "field": e.field,
             "message": e.message,
             "rule": e.rule.as_json() if e.rule is not None else None} for e in exc.errors[:200]],
            "count": len(exc.errors)}), 400
    return jsonify({"created": result.created, "updated": result.updated, "unchanged": result.unchanged}), 201
