"""Signing in and out, and changing one's own password."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from regional.accounts import secrets, service
from regional.web.auth import client_address, current_actor, public, start_session, tables
from regional.web.db import db

bp = Blueprint("account", __name__)


def _safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and len(target) <= 2000:
        return target
    return "/"


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    """The sign-in form; a POST checks the password with throttling."""
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return render_template("login.html", next=request.args.get("next", ""), name="")
    name = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    target = _safe_next(request.form.get("next"))
    with db().transaction() as s:
        outcome = service.authenticate(s, tables(), name, password, address=client_address(),
                                       now=dt.datetime.now(dt.UTC))
        if outcome.user is not None:
            start_session(outcome.user)
    if outcome.user is not None:
        return redirect(target)
    if outcome.throttled:
        message, status = gettext("Too many failed sign-ins from this address; wait 15 minutes."), 429
    elif outcome.locked:
        message, status = gettext("Too many failed sign-ins: the account is locked for 15 minutes."), 429
    else:
        message, status = gettext("Wrong name or password, or the account is disabled."), 401
    return render_template("login.html", next=target, name=name[:64], error=message), status


@bp.post("/logout")
def logout() -> Response:
    """End the session."""
    logout_user()
    session.clear()
    return redirect(url_for("account.login"))


@bp.route("/account", methods=["GET", "POST"])
def account() -> Any:
    """One's own account: role, and a form to change the password."""
    error = message = None
    if request.method == "POST":
        actor = current_actor()
        current = request.form.get("current", "")
        new, again = request.form.get("new", ""), request.form.get("again", "")
        with db().transaction() as s:
            row = service.find_user(s, tables(), actor.name)
            if not secrets.verify_password(row.password_hash, current):
                error = gettext("The current password is wrong.")
            elif new != again:
                error = gettext("The two new passwords differ.")
            else:
                try:
                    row = service.set_password(s, tables(), actor.name, new, actor=actor,
                                               now=dt.datetime.now(dt.UTC))
                except secrets.Refused as exc:
                    error = gettext(exc.template, **exc.params)
                else:
                    start_session(row)  # the password change ended every session, this one included
                    message = gettext("Password changed; other sessions have been signed out.")
    return render_template("account.html", error=error, message=message), 400 if error else 200
