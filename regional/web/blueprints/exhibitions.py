"""Exhibitions (大型展会): the shows, one show's exhibitors, exhibits and complaint station, the live board."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from werkzeug.wrappers import Response

from regional.actors import ADMIN, AUDITOR, OFFICER, SUPERVISOR
from regional.exhibitions import core, service
from regional.exhibitions.core import ComplaintAction, ExhibitionError, Resolution
from regional.formats.errors import ImportFileError
from regional.formats.messages import say
from regional.web import refusals
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.filefaults import chosen_encoding, saved_name
from regional.web.foundation import NavItem, upload_limit
from regional.web.labels import register

bp = Blueprint("exhibitions", __name__)
READERS = (OFFICER, SUPERVISOR, ADMIN, AUDITOR)
NAV = [NavItem("exhibitions.index", _l("Exhibitions"), roles=frozenset(READERS))]
MAX_UPLOAD = service.MAX_FILE_BYTES  # one limit with the command line; the form says it (max_mib)
MAX_UPLOAD_MIB = MAX_UPLOAD >> 20

register("exhibition_phase", {"upcoming": _p("exhibition_phase", "upcoming"),
                              "open": _p("exhibition_phase", "open"),
                              "closed": _p("exhibition_phase", "closed")})
register("station_state", {"open": _p("station_state", "logged, awaiting handling"),
                           "handling": _p("station_state", "being handled"),
                           "resolved": _p("station_state", "resolved"),
                           "dismissed": _p("station_state", "not upheld")})
register("station_due", {"on_time": _p("station_due", "on time"), "due_soon": _p("station_due", "due soon"),
                         "overdue": _p("station_due", "overdue"),
                         "closed_on_time": _p("station_due", "closed in time"),
                         "closed_late": _p("station_due", "closed late")})
register("station_resolution", {"withdrawn": _p("station_resolution", "exhibits withdrawn"),
                                "covered": _p("station_resolution", "marks covered"),
                                "settled": _p("station_resolution", "settled"),
                                "transferred": _p("station_resolution", "transferred to enforcement")})
register("station_action", {"logged": _p("station_action", "logged"), "take": _p("station_action", "taken on"),
                            "resolve": _p("station_action", "resolved"), "dismiss": _p("station_action", "not upheld"),
                            "note": _p("station_action", "note")})
register("audit_action", {
    "exhibition_created": _p("audit_action", "exhibition created"),
    "exhibition_deadline_set": _p("audit_action", "complaint deadline of an exhibition set"),
    "booths_added": _p("audit_action", "booths added"),
    "exhibitor_registered": _p("audit_action", "exhibitor registered"),
    "exhibitor_flagged": _p("audit_action", "exhibitor flagged by another region's show"),
    "pledge_signed": _p("audit_action", "non-infringement pledge signed"),
    "exhibits_filed": _p("audit_action", "exhibits filed"),
    "exhibits_screened": _p("audit_action", "exhibits screened"),
    "station_complaint_logged": _p("audit_action", "station complaint logged"),
    "station_complaint_handled": _p("audit_action", "station complaint handled"),
    "exhibitors_reported": _p("audit_action", "exhibitors with confirmed infringements filed nationally"),
    "exhibits_rejected": _p("audit_action", "exhibits file refused"),
    "exhibits_unreadable": _p("audit_action", "could not read an exhibits file"),
})
register("audit_field", {
    "exhibition": _p("audit_field", "exhibition"), "booth": _p("audit_field", "booth"),
    "booths": _p("audit_field", "booths"), "hall": _p("audit_field", "hall"),
    "exhibitor": _p("audit_field", "exhibitor"), "pledge_signer": _p("audit_field", "pledge signed by"),
    "numbers": _p("audit_field", "exhibit numbers"), "filed": _p("audit_field", "filed"),
    "deadline": _p("audit_field", "deadline"), "deadline_hours": _p("audit_field", "deadline (hours)"),
    "flags": _p("audit_field", "flags"), "resolution": _p("audit_field", "resolution"),
    "venue": _p("audit_field", "venue"), "organiser": _p("audit_field", "organiser"),
    "starts_on": _p("audit_field", "first day"), "ends_on": _p("audit_field", "last day"),
    "halls": _p("audit_field", "halls"), "handler": _p("audit_field", "handled by"),
    "new_leads": _p("audit_field", "new leads"), "screened": _p("audit_field", "screened"),
    "exhibitors": _p("audit_field", "exhibitors"), "number": _p("audit_field", "complaint number"),
})

FIELD_NAMES = {
    "code": _l("Code"), "name": _l("Name"), "venue": _l("Venue"), "organiser": _l("Organiser"),
    "region": _l("Hosting region"), "starts_on": _l("First day"), "ends_on": _l("Last day"), "halls": _l("Halls"),
    "deadline_hours": _l("Complaint deadline (hours)"), "hall": _l("Hall"), "booth": _l("Booth"),
    "uscc": _l("Credit code"), "phone": _l("Phone"), "contact": _l("Contact"), "address": _l("Address"),
    "pledge_signer": _l("Pledge signed by"), "signer": _l("Pledge signed by"), "id": _l("Exhibit number"),
    "product": _l("Product"), "brand": _l("Brand"), "description": _l("Description"),
    "nice_classes": _l("Nice classes"), "images": _l("Photos"), "rights": _l("Rights relied on"),
    "licence": _l("Licence"), "what": _l("What is infringed"), "complainant": _l("Complainant"),
    "right": _l("Right number"), "note": _l("Note"), "action": _l("Action"), "resolution": _l("Resolution"),
    "number": _l("Complaint number"),
}
REASONS = {
    "code_exists": _l("an exhibition with this code exists already"),
    "unknown_hall": _l("the show has no such hall"),
    "no_booth_named": _l("name at least one booth"),
    "too_many_booths": _l("a show has at most 5,000 booths"),
    "unknown_booth": _l("the show has no such booth"),
    "booth_taken": _l("the booth is registered to another exhibitor"),
    "uscc_registered": _l("an exhibitor with this credit code is registered for this show already"),
    "no_exhibitor": _l("no exhibitor is registered for the booth"),
    "no_pledge": _l("the exhibitor has not signed the non-infringement pledge"),
    "filed_twice": _l("the exhibit number appears twice"),
    "other_booth": _l("the exhibit number was filed for another booth"),
    "too_many_exhibits": _l("an exhibitor files at most 500 exhibits"),
    "unknown_complaint": _l("the show has no such complaint"),
    "dismiss_needs_note": _l("say why the complaint does not hold"),
    "wrong_state": _l("the complaint's state does not allow this"),
    "resolution_only_resolve": _l("a resolution is given only when resolving"),
    "ends_before_start": _l("the last day is before the first day"),
    "too_long": _l("a show lasts at most 60 days"),
    "hall_twice": _l("a hall is named twice"),
    **refusals.READING,
}


def _now() -> dt.datetime:
    from regional.node import utcnow

    return utcnow()


def explain(field: str | None, reason: str) -> str:
    """A refusal in the reader's language: the field's name and what is wrong with it."""
    return refusals.explain(field, reason, FIELD_NAMES, REASONS)


def explain_error(field: str | None, reason: str, problem: Any) -> str:
    """A refusal in the reader's language: the page's words for its reason, else the rule it broke (with the value
    given and what is allowed, as the command line says it: regional/formats/messages.py)."""
    if reason in REASONS or problem is None:
        return explain(field, reason)
    return refusals.explain_rule(field, problem, FIELD_NAMES)


# fields whose allowed values a refusal lists: by their labels, not their stored codes (newcomer14 F32: 办结 without
# 办结方式 said "请选择办结方式：withdrawn, covered, settled, transferred")
VALUE_LABELS = {"resolution": "station_resolution", "action": "station_action"}
LISTING_RULES = {"one_of", "required_one_of", "ex_resolution_needed"}
SELF_NAMING_RULES = {"ex_resolution_needed"}  # its words name the field already (请选择办结方式：…)


def _labelled(field: str | None, problem: Any) -> Any:
    """`problem` with its allowed values said by their labels in the reader's language, when `field` has labels."""
    from regional.formats.messages import Problem
    from regional.web.labels import label

    kind = VALUE_LABELS.get(field or "")
    if kind is None or not isinstance(problem, Problem) or problem.key not in LISTING_RULES:
        return problem
    codes = [c.strip() for c in str(problem.params.get("values", "")).split(",") if c.strip()]
    joiner = ", " if str(get_locale() or "zh").startswith("en") else "、"
    return Problem(problem.key, {**problem.params, "values": joiner.join(label(kind, c) for c in codes)})


def _refused(exc: ExhibitionError) -> None:
    problem = _labelled(exc.field, exc.problem)
    if problem is not None and exc.reason not in REASONS and getattr(problem, "key", None) in SELF_NAMING_RULES:
        why = refusals.explain_rule(None, problem, FIELD_NAMES)
    else:
        why = explain_error(exc.field, exc.reason, problem)
    flash(gettext("Not saved: %(why)s", why=why), "error")


def _back(code: str, anchor: str = "") -> Response:
    """Back to the show's section `anchor`, where the page then shows what was just flashed (the page is long: a
    message at its top would be scrolled out of view, and the officer would think the upload went through)."""
    if not anchor:
        return redirect(url_for("exhibitions.show", code=code))
    return redirect(url_for("exhibitions.show", code=code, at=anchor) + f"#{anchor}")


def _show_action(code: str, anchor: str, call: Callable[[Any], Any], done: Callable[[Any], str | tuple[str, str]],
                 ) -> Response:
    """One form of a show, the same way every time: `call(session)` in a transaction, an unknown show is 404,
    a refusal is flashed in the reader's language (nothing saved), else `done(what call returned)` is flashed
    (a message, or (message, category)); back to the show's section `anchor` either way."""
    try:
        with db().transaction() as session:
            out = call(session)
    except service.UnknownExhibition:
        abort(404)
    except ExhibitionError as exc:
        _refused(exc)
    else:
        message = done(out)
        flash(*(message if isinstance(message, tuple) else (message, "ok")))
    return _back(code, anchor)


@bp.get("/exhibitions")
@roles_required(*READERS)
def index() -> str:
    """The exhibitions, with a form to create one (supervisors, administrators)."""
    now = _now()
    with db().read() as session:
        rows = service.exhibitions(session)
        phases = {r.code: core.phase(r.starts_on, r.ends_on, service._beijing_day(now)).value for r in rows}
    cfg = current_app.config["HUFU"]
    return render_template("exhibitions.html", rows=rows, phases=phases, region=cfg.region)


@bp.post("/exhibitions")
@roles_required(SUPERVISOR, ADMIN)
def create() -> Response:
    cfg = current_app.config["HUFU"]
    values = {k: request.form.get(k, "") for k in ("code", "name", "venue", "organiser", "region", "starts_on",
                                                   "ends_on", "halls", "deadline_hours")}
    try:
        with db().transaction() as session:
            row = service.create(session, values, cfg.region, current_actor(), _now())
            code = row.code
    except ExhibitionError as exc:
        _refused(exc)
        return redirect(url_for("exhibitions.index"))
    flash(gettext("Exhibition %(code)s created.", code=code), "ok")
    return _back(code)


def _view(code: str) -> service.ShowView:
    try:
        with db().read() as session:
            v = service.view(session, code, _now())
            session.expunge_all()
            return v
    except service.UnknownExhibition:
        abort(404)


@bp.get("/exhibitions/<code>")
@roles_required(*READERS)
def show(code: str) -> str:
    """One show: its booths and exhibitors (pledge, flags), the filed exhibits and their leads, the complaints."""
    v = _view(code)
    return render_template("exhibition.html", v=v, s=v.show, actions=[a.value for a in ComplaintAction],
                           resolutions=[r.value for r in Resolution], now=_now(), max_mib=MAX_UPLOAD_MIB)


@bp.post("/exhibitions/<code>/booths")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def booths(code: str) -> Response:
    text = request.form.get("booths", "")[:20_000]
    return _show_action(code, "booths", lambda session: service.add_booths(
        session, code, request.form.get("hall", ""), core.split_list(text) or text.split(), current_actor(), _now()),
        lambda n: gettext("%(n)s booth(s) added.", n=n))


@bp.post("/exhibitions/<code>/exhibitors")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def register_exhibitor(code: str) -> Response:
    values = {k: request.form.get(k, "") for k in ("name", "booth", "uscc", "phone", "contact", "address",
                                                   "pledge_signer")}
    if not request.form.get("pledge"):
        values["pledge_signer"] = ""

    def registered(flagged: int) -> str | tuple[str, str]:
        if flagged:
            return gettext("Registered. Warning: this exhibitor has confirmed infringements at %(n)s show(s) "
                           "elsewhere; see the flag in the list.", n=flagged), "error"
        return gettext("Registered.")

    return _show_action(code, "exhibitors", lambda session: len(service.register(
        session, code, values, current_actor(), _now()).flags), registered)


@bp.post("/exhibitions/<code>/pledge")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def pledge(code: str) -> Response:
    return _show_action(code, "exhibitors", lambda session: service.sign_pledge(
        session, code, request.form.get("booth", ""), request.form.get("signer", ""), current_actor(), _now()),
        lambda _row: gettext("The pledge is recorded."))


def _filing_errors(result_errors: list[Any], reasons: list[str]) -> None:
    refusals.flash_record_errors(result_errors, reasons, lambda e, reason: gettext(
        "Line %(line)s (exhibit %(id)s): %(why)s", line=e.line, id=e.record_id or "—",
        why=explain_error(e.field, reason, e.said)))


@bp.post("/exhibitions/<code>/exhibits")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def file_one(code: str) -> Response:
    """File one exhibit from the form."""
    values = {k: request.form.get(k, "") for k in ("id", "booth", "product", "brand", "description", "nice_classes",
                                                   "images", "rights", "licence")}
    try:
        item = core.check_exhibit(values)
    except ExhibitionError as exc:
        _refused(exc)
        return _back(code, "exhibits")
    return _file(code, [(1, item)], "form")


@bp.post("/exhibitions/<code>/exhibits/upload")
@upload_limit(MAX_UPLOAD + 64 * 1024)  # the file and the form's few fields
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def file_upload(code: str) -> Response:
    """File exhibits from a JSON Lines, CSV or .xlsx file (all or nothing)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(gettext("Choose a file."), "error")
        return _back(code, "exhibits")
    name = Path(upload.filename).name[:200]
    with tempfile.TemporaryDirectory() as tmp:
        # the records' errors name the file as uploaded; its format is decided as the command line decides it
        path = Path(tmp) / saved_name(name)
        upload.save(path)
        if path.stat().st_size > MAX_UPLOAD:
            flash(gettext("The file is too large (at most %(n)s MiB).", n=MAX_UPLOAD_MIB), "error")
            _audit_refusal(code, name, unreadable=ImportFileError(name, say("too_large", size=f"{MAX_UPLOAD_MIB} MiB")))
            return _back(code, "exhibits")
        try:
            items, errors, read_warnings, reasons = service.read_exhibits_with_reasons(
                path, encoding=chosen_encoding(request.form.get("encoding")))
        except ImportFileError as exc:
            refusals.flash_file_fault(exc)
            _audit_refusal(code, name, unreadable=exc.on_the_web())
            return _back(code, "exhibits")
    # the records that read are checked against the show too, so one refusal names every bad record
    return _file(code, items, name, read_errors=errors, read_reasons=reasons, warnings=read_warnings)


def _audit_refusal(code: str, name: str, **why: Any) -> None:
    """A refused upload leaves an audit entry naming the file as uploaded (service.record_refusal)."""
    try:
        with db().transaction() as session:
            service.record_refusal(session, code, current_actor(), _now(), file=name, **why)
    except service.UnknownExhibition:
        abort(404)


def _file(code: str, items: list[tuple[int, core.ExhibitInput]], name: str, *, read_errors: Sequence[Any] = (),
          read_reasons: Sequence[str] = (), warnings: Sequence[Any] = ()) -> Response:
    try:
        with db().transaction() as session:
            result = service.file_exhibits(session, code, items, current_actor(), _now(), file=name,
                                           read_errors=read_errors, read_reasons=read_reasons)
    except service.UnknownExhibition:
        abort(404)
    if result.errors:
        flash(gettext("%(n)s invalid record(s); nothing was filed.", n=len({e.line for e in result.errors})),
              "error")
        _filing_errors(result.errors, result.reasons)
    else:
        flash(gettext("%(filed)s exhibit(s) filed, %(updated)s updated; they are screened shortly.",
                      filed=result.filed, updated=result.updated), "ok")
        warned = [*warnings, *result.warnings]
        if warned:  # filed, but the officer should know (as the command line says it)
            flash(gettext("%(n)s warning(s): rights not in this node's registry.", n=len(warned)), "warning")
            refusals.flash_record_errors(warned, [""] * len(warned), lambda e, reason: gettext(
                "Line %(line)s (exhibit %(id)s): %(why)s", line=e.line, id=e.record_id or "—",
                why=explain_error(e.field, reason, e.said)), category="warning")
    return _back(code, "exhibits")


@bp.post("/exhibitions/<code>/screen")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def screen(code: str) -> Response:
    """Pre-show screening now (the worker also screens every newly filed exhibit)."""
    from regional.node import signer

    cfg = current_app.config["HUFU"]
    try:
        result = service.screen(db(), signer(cfg), code, current_actor(), _now())
    except service.UnknownExhibition:
        abort(404)
    flash(gettext("%(n)s exhibit(s) screened; %(leads)s new lead(s) in the review queue.", n=result.screened,
                  leads=result.leads), "ok")
    return _back(code, "exhibits")


@bp.post("/exhibitions/<code>/deadline")
@roles_required(SUPERVISOR, ADMIN)
def deadline(code: str) -> Response:
    raw = request.form.get("hours", "").strip()
    hours = int(raw) if raw.isdigit() and len(raw) < 5 else -1
    return _show_action(code, "station", lambda session: service.set_deadline_hours(
        session, code, hours, current_actor(), _now()), lambda _none: gettext("Saved."))


@bp.post("/exhibitions/<code>/complaints")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def complaint(code: str) -> Response:
    """Log a complaint against a booth at the on-site station."""
    values = {k: request.form.get(k, "") for k in ("what", "complainant", "contact", "right")}
    return _show_action(code, "station", lambda session: service.log_complaint(
        session, code, request.form.get("booth", ""), values, current_actor(), _now()).number,
        lambda number: gettext("Complaint %(number)s logged.", number=number))


@bp.post("/exhibitions/<code>/complaints/<number>")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def handle(code: str, number: str) -> Response:
    return _show_action(code, "station", lambda session: service.handle_complaint(
        session, code, number, request.form.get("action", ""), current_actor(), _now(),
        resolution=request.form.get("resolution") or None, note=request.form.get("note", ""),
        signer=_signer()).number,
        lambda handled: gettext("Complaint %(number)s updated.", number=handled))


def _signer() -> Any:
    """The node's signer, to file exhibitors' infringements with the national node (None without keys)."""
    from regional.node import signer

    try:
        return signer(current_app.config["HUFU"])
    except (OSError, ValueError):
        return None


@bp.post("/exhibitions/<code>/report")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def report(code: str) -> Response:
    """File the exhibitors whose confirmed infringements grew (complaints resolved, leads confirmed) nationally."""
    from regional.exhibitions.flags import report_show

    sig = _signer()
    if sig is None:
        flash(gettext("This node has no signing key yet; nothing was filed."), "error")
        return _back(code, "exhibitors")
    try:
        n = report_show(db(), sig, code, current_actor(), _now())
    except service.UnknownExhibition:
        abort(404)
    flash(gettext("%(n)s exhibitor(s) filed with the national node.", n=n), "ok")
    return _back(code, "exhibitors")


def _board(code: str) -> tuple[Any, list[core.BoardRow], dict[str, str], dt.datetime]:
    now = _now()
    try:
        with db().read() as session:
            show, rows, names = service.board(session, code, now)
            session.expunge_all()
    except service.UnknownExhibition:
        abort(404)
    return show, rows, names, now


@bp.get("/exhibitions/<code>/board")
@roles_required(*READERS)
def board(code: str) -> str:
    """The live board: booths with open complaints, overdue first (the page reloads itself every 30 s)."""
    show, rows, names, now = _board(code)
    return render_template("exhibition_board.html", s=show, rows=rows, names=names, now=now)


@bp.get("/api/exhibitions/<code>/board")
@roles_required(*READERS)
def api_board(code: str) -> Any:
    show, rows, names, now = _board(code)
    return jsonify({"exhibition": show.code, "at": now.isoformat(), "booths": [
        {"booth": r.booth, "exhibitor": names.get(r.booth), "open": r.open, "handling": r.handling,
         "overdue": r.overdue, "next_deadline": r.next_deadline.isoformat(), "due": r.due.value,
         "complaints": list(r.numbers)} for r in rows]})
