"""Users and API tokens of this node (administrators only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from regional.accounts import secrets, service
from regional.actors import ADMIN
from regional.web.auth import current_actor, roles_required, tables
from regional.web.db import db
from regional.web.foundation import NavItem

bp = Blueprint("admin", __name__)
NAV = [NavItem("admin.users", _l("Users"), roles=frozenset({ADMIN}))]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _holders(s: Any) -> dict[str, str] | None:
    """Owner names of rights-holder accounts (None on a node without rights holders: the national one)."""
    if "intake.holder_assign" not in current_app.view_functions:
        return None
    from regional.workflow_models import RightsHolder

    return {r.username: r.owner for r in s.scalars(sa.select(RightsHolder))}


_MESSAGES = {"added": _l("Saved."), "saved": _l("Saved."),
             "password": _l("The new password is set; the user's sessions have ended and any sign-in lock is lifted."),
             "unlocked": _l("The account is unlocked; the user can sign in again.")}  # by key: never text from the address


def _page(error: str | None = None, token: str | None = None, status: int = 200) -> Any:
    with db().read() as s:
        users = service.list_users(s, tables())
        tokens = service.list_tokens(s, tables())
        holders = _holders(s)
    now = _now()
    locked = {u.name for u in users if u.locked_until is not None and service.aware(u.locked_until) > now}
    return render_template("admin_users.html", users=users, tokens=tokens, roles=service.roles_for(tables().node), error=error, locked=locked,
                           token=token, message=_MESSAGES.get(request.args.get("message") or ""), holders=holders), status


@bp.get("/admin/users")
@roles_required(ADMIN)
def users() -> Any:
    """Every user with role, state and last sign-in; the forms to add users and tokens."""
    return _page()


def _apply(change: Any) -> Any:
    """Run one account change; a refusal re-renders the page with the reason in the reader's language."""
    try:
        with db().transaction() as s:
            result = change(s)
    except secrets.Refused as exc:
        return None, _page(error=gettext(exc.template, **exc.params), status=400)
    return result, None


@bp.post("/admin/users")
@roles_required(ADMIN)
def add_user() -> Any:
    """Create a user."""
    form = request.form
    if form.get("password", "") != form.get("again", ""):
        return _page(error=gettext("The two passwords differ."), status=400)
    _, refused = _apply(lambda s: service.add_user(
        s, tables(), form.get("name", "").strip(), form.get("role", ""), form.get("password", ""),
        actor=current_actor(), now=_now(), display_name=form.get("display_name", "").strip() or None))
    return refused or redirect(url_for("admin.users", message="added"))


@bp.post("/admin/users/<name>/active")
@roles_required(ADMIN)
def set_active(name: str) -> Any:
    """Enable or disable a user."""
    active = request.form.get("active") == "1"
    _, refused = _apply(lambda s: service.set_active(s, tables(), name, active, actor=current_actor(), now=_now()))
    return refused or redirect(url_for("admin.users", message="saved"))


@bp.post("/admin/users/<name>/role")
@roles_required(ADMIN)
def set_role(name: str) -> Any:
    """Change a user's role."""
    _, refused = _apply(lambda s: service.set_role(s, tables(), name, request.form.get("role", ""),
                                                   actor=current_actor(), now=_now()))
    return refused or redirect(url_for("admin.users", message="saved"))


@bp.post("/admin/users/<name>/password")
@roles_required(ADMIN)
def reset_password(name: str) -> Any:
    """Set another user's password (重置密码: the same policy as a new account; their sessions end and a sign-in
    lock is lifted). The password is typed twice; the audit log records the change, never the password."""
    form = request.form
    if form.get("password", "") != form.get("again", ""):
        return _page(error=gettext("The two passwords differ."), status=400)
    _, refused = _apply(lambda s: service.set_password(s, tables(), name, form.get("password", ""),
                                                       actor=current_actor(), now=_now()))
    return refused or redirect(url_for("admin.users", message="password"))


@bp.post("/admin/users/<name>/unlock")
@roles_required(ADMIN)
def unlock(name: str) -> Any:
    """Lift a sign-in lock (5 wrong passwords) at once instead of waiting 15 minutes; audited."""
    _, refused = _apply(lambda s: service.unlock(s, tables(), name, actor=current_actor(), now=_now()))
    return refused or redirect(url_for("admin.users", message="unlocked"))


@bp.post("/admin/tokens")
@roles_required(ADMIN)
def add_token() -> Any:
    """Issue an API token; it is shown once, on this answer only."""
    token, refused = _apply(lambda s: service.add_token(s, tables(), request.form.get("name", "").strip(),
                                                        request.form.get("label", ""), actor=current_actor(),
                                                        now=_now()))
    return refused or _page(token=token)


@bp.post("/admin/tokens/<int(max=2147483647):token_id>/revoke")  # newcomer22 D3: a 404 beyond, not a 500
@roles_required(ADMIN)
def revoke_token(token_id: int) -> Response:
    """Revoke a token."""
    _, refused = _apply(lambda s: service.revoke_token(s, tables(), token_id, actor=current_actor(), now=_now()))
    return refused or redirect(url_for("admin.users", message="saved"))
