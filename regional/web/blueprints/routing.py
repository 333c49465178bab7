"""Routing (推送): notices for the receiving bodies' users, their downloadable document, and the agency directory."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p

from regional.actors import ADMIN, AGENCY, AUDITOR, REVIEWERS, Forbidden
from regional.models import LeadRow
from regional.routing import directory
from regional.routing.places import divisions
from regional.routing.service import agencies_of_user, withdrawal_of
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg
from regional.web.labels import register
from regional.web.leadview import lead_detail
from regional.workflow_models import AgencyMember, AgencyRow, NoticeRow, RouteRow

bp = Blueprint("routing", __name__)
NAV = [NavItem("routing.notices", _l("Notices")),
       NavItem("routing.agencies", _l("Agencies"), roles=frozenset({ADMIN, "supervisor", AUDITOR}))]
ALL_NOTICES = frozenset({*REVIEWERS, ADMIN, AUDITOR})  # they see every body's notices

register("agency_kind", {
    "ip_enforcement": _p("agency_kind", "IP enforcement"),
    "market_regulation": _p("agency_kind", "Market regulation"),
    "rights_assistance": _p("agency_kind", "Rights-assistance centre"),
    "protection_centre": _p("agency_kind", "IP protection centre"),
})
register("agency_level", {
    "province": _p("agency_level", "province"), "city": _p("agency_level", "city"),
    "district": _p("agency_level", "district"),
})
register("route_rule", {
    "patent_assistance": _p("route_rule", "patent infringement: the rights-assistance centre and the rights holder"),
    "patent_protection_centre": _p("route_rule", "patent infringement: the protection centre and the rights holder"),
    "offender_site": _p("route_rule", "the enforcement body with jurisdiction over the offender's location"),
    "several_cities": _p("route_rule", "the offender's leads lie in several cities: the province-level body"),
    "outside_province": _p("route_rule", "the offender is outside this province: this province's body"),
    "no_location": _p("route_rule", "nothing locates the offender: this province's body"),
    "manual": _p("route_rule", "re-routed by an officer"),
    "no_agency": _p("route_rule", "no body of the directory fits"),
})
register("site_kind", {
    "production": _p("site_kind", "production site"), "sales": _p("site_kind", "sales site"),
    "warehouse": _p("site_kind", "warehouse"), "registration": _p("site_kind", "registered at"),
})


@bp.app_template_global("division_name")
def division_name(code: str | None) -> str:
    """A GB/T 2260 code as its full name (广东省深圳市南山区), or the code when unknown."""
    if not code:
        return ""
    return divisions().full_name(code) or code


def _visible_notices(session: Any) -> sa.Select[Any]:
    user = current_actor()
    stmt = sa.select(NoticeRow, AgencyRow).join(AgencyRow, AgencyRow.id == NoticeRow.agency_id)
    if user.roles & ALL_NOTICES:
        return stmt
    mine = [a.id for a in agencies_of_user(session, user.name)]
    return stmt.where(NoticeRow.agency_id.in_(mine or [-1]))


NOTICE_PAGE = 100  # notices a page


@bp.get("/notices")
def notices() -> str:
    """Notices of pushed leads: a body's users see their body's; officers, supervisors and auditors see all."""
    page = page_arg()
    with db().read() as session:
        mine = agencies_of_user(session, current_actor().name)
        visible = _visible_notices(session)
        # paged, newest first (was the newest 200 and nothing older reachable: the lead's session-21 pass)
        rows = session.execute(visible.order_by(NoticeRow.id.desc())
                               .limit(NOTICE_PAGE).offset((page - 1) * NOTICE_PAGE)).all()
        total = session.scalar(sa.select(sa.func.count()).select_from(visible.subquery())) or 0
        withdrawn = [n.route_id for n, _a in rows if n.withdrawn_at is not None]
        why = {r.id: withdrawal_of(r) for r in session.scalars(sa.select(RouteRow).where(RouteRow.id.in_(withdrawn)))} \
            if withdrawn else {}
    return render_template("notices.html", rows=rows, mine=mine, withdrawals=why, total=total, page=page,
                           page_size=NOTICE_PAGE)


def _withdrawal(session: Any, row: NoticeRow) -> dict[str, Any] | None:
    """Why a withdrawn notice was withdrawn (re-routed, or the confirmation was changed), as recorded."""
    if row.withdrawn_at is None:
        return None
    return withdrawal_of(session.get(RouteRow, row.route_id)) or {"why": "unknown"}


def _notice(session: Any, notice_uuid: str) -> tuple[NoticeRow, AgencyRow]:
    found = session.execute(_visible_notices(session).where(NoticeRow.uuid == notice_uuid)).first()
    if found is None:
        abort(404)
    return found[0], found[1]


@bp.get("/notices/<notice_uuid>")
def notice(notice_uuid: str) -> str:
    """One notice on screen; opening it as a member of the receiving body marks it read."""
    from regional.web.blueprints.evidence import captures_of

    cfg = current_app.config["HUFU"]
    user = current_actor()
    with db().transaction() as session:
        row, agency = _notice(session, notice_uuid)
        if row.read_at is None and agency.id in {a.id for a in agencies_of_user(session, user.name)}:
            row.read_at = dt.datetime.now(dt.UTC)
            row.read_by = user.name
        detail = _notice_lead(session, row, cfg.region)
        withdrawal = _withdrawal(session, row)
        exportable = row.withdrawn_at is None and any(c["exportable"] for c in captures_of(session, detail["uuid"]))
    # an enforcement body's user sees the notice as the body receives it: the office's words, no machine score
    return render_template("notice.html", notice=row, agency=agency, lead=detail, withdrawal=withdrawal,
                           outside=AGENCY in user.roles, evidence_ready=exportable)


@bp.get("/notices/<notice_uuid>/evidence.zip")
def notice_evidence(notice_uuid: str) -> Response:
    """The evidence package of the notice's lead, for the receiving body's users (and the office's readers);
    none once the notice is withdrawn. The download is audited with the notice's number."""
    from regional.web.blueprints.evidence import captures_of, package_response

    with db().read() as session:
        row, _agency = _notice(session, notice_uuid)
        lead_uuid = session.scalar(sa.select(LeadRow.uuid).where(LeadRow.id == row.lead_id))
        ready = lead_uuid is not None and any(c["exportable"] for c in captures_of(session, lead_uuid))
    if row.withdrawn_at is not None or not ready:
        abort(404)  # the notice page offers the package only once it can be built
    return package_response(lead_uuid, url_for("routing.notice", notice_uuid=notice_uuid), notice=row.number)


def _notice_lead(session: Any, row: NoticeRow, region: str) -> dict[str, Any]:
    lead_uuid = session.scalar(sa.select(LeadRow.uuid).where(LeadRow.id == row.lead_id))
    return lead_detail(session, lead_uuid, region)


@bp.get("/notices/<notice_uuid>/document")
def notice_document(notice_uuid: str) -> Response:
    """The notice as a document to download, print or file (移送函, self-contained HTML)."""
    cfg = current_app.config["HUFU"]
    with db().read() as session:
        row, agency = _notice(session, notice_uuid)
        detail = _notice_lead(session, row, cfg.region)
        withdrawal = _withdrawal(session, row)
    from regional.reports.service import office_of

    body = render_template("notice_document.html", notice=row, agency=agency, lead=detail, withdrawal=withdrawal,
                           office=office_of(cfg.region, cfg.office_name))
    response = Response(body, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{row.number}.html"'
    return response


# ---------------------------------------------------------------- the directory (admin)


@bp.get("/agencies")
@roles_required(ADMIN, "supervisor", AUDITOR)
def agencies() -> str:
    """The agency directory and who works for each body."""
    with db().read() as session:
        rows = list(session.scalars(sa.select(AgencyRow).order_by(AgencyRow.division, AgencyRow.code)))
        members: dict[int, list[str]] = {}
        for agency_id, username in session.execute(sa.select(AgencyMember.agency_id, AgencyMember.username)):
            members.setdefault(agency_id, []).append(username)
    return render_template("agencies.html", rows=rows, members=members,
                           kinds=["ip_enforcement", "market_regulation", "rights_assistance", "protection_centre"],
                           levels=["province", "city", "district"])


def _admin_action(action: Any, done: str) -> Response:
    cfg = current_app.config["HUFU"]
    try:
        with db().transaction() as session:
            action(session, cfg.region)
    except directory.DirectoryError as exc:
        flash(gettext("Not saved: %(why)s", why=str(exc)), "error")
    except Forbidden:
        flash(gettext("You are not allowed to do this."), "error")
    else:
        flash(done, "ok")
    return redirect(url_for("routing.agencies"))


@bp.post("/agencies/save")
@roles_required(ADMIN)
def agency_save() -> Response:
    """An admin adds or changes one body."""
    record = {k: request.form.get(k, "") for k in ("code", "name", "kind", "level", "division", "address", "contact",
                                                   "phone", "email")}
    record["active"] = request.form.get("active") == "on"
    return _admin_action(lambda s, region: directory.edit(s, record, region, current_actor(), dt.datetime.now(dt.UTC)),
                         gettext("Saved."))


@bp.post("/agencies/member")
@roles_required(ADMIN)
def agency_member() -> Response:
    """An admin adds a user to a body (they see its notices) or takes them off it."""
    add = request.form.get("action") != "remove"
    return _admin_action(lambda s, _region: directory.set_member(
        s, request.form.get("agency", ""), request.form.get("user", ""), add, current_actor(),
        dt.datetime.now(dt.UTC)), gettext("Saved."))


@bp.post("/agencies/import")
@roles_required(ADMIN)
def agency_import() -> Response:
    """An admin imports a directory file (JSON Lines or CSV), all or nothing."""
    import tempfile
    from pathlib import Path

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(gettext("Choose a file."), "error")
        return redirect(url_for("routing.agencies"))
    suffix = ".csv" if upload.filename.lower().endswith(".csv") else ".jsonl"
    with tempfile.TemporaryDirectory(prefix="hufu-agencies-") as tmp:
        path = Path(tmp) / f"agencies{suffix}"
        upload.save(path)

        def act(session: Any, region: str) -> None:
            result = directory.import_file(session, path, region, current_actor(), dt.datetime.now(dt.UTC))
            flash(gettext("%(created)s added, %(updated)s updated.", created=result.created, updated=result.updated),
                  "ok")

        return _admin_action(act, gettext("Imported."))


@bp.post("/agencies/generate")
@roles_required(ADMIN)
def agency_generate() -> Response:
    """An admin adds the generated directory of the node's province (existing codes are kept)."""
    from regional.actors import audit

    def act(session: Any, region: str) -> None:
        now = dt.datetime.now(dt.UTC)
        added = directory.generate_for_province(session, region, actor_name=current_actor().name, now=now)
        audit(session, current_actor(), "agencies_generated", now, province=region, added=added)

    return _admin_action(act, gettext("The generated directory was added."))
