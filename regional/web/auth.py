"""Sign-in for both web apps: Flask-Login sessions, API tokens, CSRF, roles checked on the server.

Every route needs a signed-in user (session cookie) or an API token (`Authorization: Bearer …`),
except the routes marked `@public`, static files, the health check and, when the node's
`metrics_public` is set, /metrics. Anonymous requests to `/api/…` answer 401 (JSON); pages
redirect to /login. Every state-changing request carries a CSRF token unless it comes with a
Bearer token (no cookie, so no cross-site forgery). Role checks: `@roles_required(...)`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import secrets as pysecrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from regional.accounts import service
from regional.accounts.service import Tables
from regional.actors import Actor, roles_of
from regional.web.db import db

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_ENDPOINTS = frozenset({"static", "status.healthz", "overview.healthz", "account.login"})
METRICS_ENDPOINTS = frozenset({"status.metrics", "overview.metrics"})
SECRET_FILE = "web-secret.key"

csrf = CSRFProtect()


class SignedInUser:
    """The Flask-Login user of a request: a snapshot of the user row."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, row: Any, via_token: bool = False) -> None:
        self.id: int = row.id
        self.name: str = row.name
        self.display_name: str | None = row.display_name
        self.role: str = row.role
        self.roles: frozenset[str] = roles_of(row.role)
        self.session_epoch: int = row.session_epoch
        self.via_token = via_token

    def get_id(self) -> str:
        """The session's user id: row id and session epoch (a bumped epoch ends the session)."""
        return f"{self.id}:{self.session_epoch}"

    def has(self, *roles: str) -> bool:
        """Whether the user acts with one of `roles`."""
        return bool(self.roles & set(roles))


def tables() -> Tables:
    """The account tables of the running app's node."""
    t: Tables = current_app.extensions["hufu_accounts"]
    return t


def client_address() -> str:
    """The address the request came from: the connecting peer's, or behind `trusted_proxies` reverse proxies
    the client's as they forwarded it (X-Forwarded-For)."""
    return (request.remote_addr or "unknown")[:64]


def current_actor() -> Actor:
    """The signed-in user (or token) of this request, as the Actor services take."""
    if not current_user.is_authenticated:
        abort(401)
    return Actor(current_user.name, current_user.roles, client_address())


def public(view: F) -> F:
    """Mark a view as open to anyone (the health check, public intake forms)."""
    view._hufu_public = True  # type: ignore[attr-defined]
    return view


def roles_required(*roles: str) -> Callable[[F], F]:
    """Let the view run only for a user acting with one of `roles` (403 otherwise)."""
    wanted = frozenset(str(r) for r in roles)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return _unauthenticated()
            if not current_user.roles & wanted:
                abort(403, gettext("This needs the role: %(roles)s.", roles=_role_names(wanted)))
            return view(*args, **kwargs)

        wrapped._hufu_roles = wanted  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def _role_names(roles: frozenset[str]) -> str:
    from regional.web.labels import label

    return gettext(", ").join(label("role", r) for r in sorted(roles))


def _unauthenticated() -> Any:
    if request.path.startswith("/api/") or _bearer() is not None:
        response = jsonify({"error": "Unauthorized", "status": 401,
                            "message": gettext("Sign in or send an API token (Authorization: Bearer TOKEN).")})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="hufu"'
        return response
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("account.login", next=target))


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _is_open(endpoint: str | None) -> bool:
    if endpoint is None:
        return True  # no such route: the 404 page
    if endpoint in OPEN_ENDPOINTS:
        return True
    if endpoint in METRICS_ENDPOINTS and current_app.config["HUFU"].metrics_public:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "_hufu_public", False))


def _gate() -> Any:
    """Before every request: token or session, CSRF, session expiry; anonymous requests stop here."""
    token = _bearer()
    if token is not None:
        with db().transaction() as s:
            row = service.user_for_token(s, tables(), token, dt.datetime.now(dt.UTC))
            user = SignedInUser(row, via_token=True) if row is not None else None
        if user is None:
            return _unauthenticated()
        current_app.login_manager._update_request_context_with_user(user)  # type: ignore[attr-defined]
        g.hufu_via_token = True
        return None
    if request.method not in SAFE_METHODS:
        if not current_user.is_authenticated and not _is_open(request.endpoint):
            return _unauthenticated()  # an anonymous POST to the API is a 401, not a CSRF refusal
        csrf.protect()
    if current_user.is_authenticated and _session_too_old():
        session.clear()
        current_app.login_manager._update_request_context_with_user()  # type: ignore[attr-defined]
    if not current_user.is_authenticated and not _is_open(request.endpoint):
        return _unauthenticated()
    return None


def _session_too_old() -> bool:
    started = session.get("hufu_signed_in_at")
    max_hours = current_app.config["HUFU"].session_max_hours
    return not isinstance(started, int | float) or \
        dt.datetime.now(dt.UTC).timestamp() - started > max_hours * 3600


def start_session(row: Any) -> None:
    """Sign `row` in: a fresh session (no fixation), stamped with its start."""
    from flask_login import login_user

    session.clear()
    session.permanent = True
    login_user(SignedInUser(row))
    session["hufu_signed_in_at"] = dt.datetime.now(dt.UTC).timestamp()


def _load_user(user_id: str) -> SignedInUser | None:
    try:
        row_id, epoch = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    with db().read() as s:
        row = s.get(tables().user, row_id)
        if row is None or not row.active or row.session_epoch != epoch:
            return None
        return SignedInUser(row)


def load_or_create_secret(data_dir: Path) -> bytes:
    """The node's session-signing key (data_dir/web-secret.key, owner-only), created on first use."""
    path = Path(data_dir) / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(pysecrets.token_hex(32))
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:  # a concurrent first start is still writing it
        raise RuntimeError(f"{path}: session key is incomplete; start the web UI again")
    return key.encode("ascii")


def trust_proxies(app: Flask, proxies: int) -> None:
    """Behind `proxies` reverse proxies, take the client's address, scheme and host from their X-Forwarded-*
    headers (each proxy appends one value; only the last `proxies` values are believed). 0 changes nothing:
    the address is then the connecting peer's, whatever headers a client sends."""
    if proxies <= 0:
        return
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]


def init_app(app: Flask, accounts: Tables) -> None:
    """Sessions, tokens, CSRF and the sign-in gate for one node's app."""
    config = app.config["HUFU"]
    app.extensions["hufu_accounts"] = accounts
    app.config.update(
        SECRET_KEY=load_or_create_secret(config.data_dir),
        # one name per node: several nodes on one host (the demo) must not overwrite each other's session
        SESSION_COOKIE_NAME=f"hufu_{getattr(config, 'region', None) or 'national'}",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.cookie_secure,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=config.session_idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in _gate, after a Bearer token had its chance
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session
        WTF_CSRF_SSL_STRICT=True,
    )
    trust_proxies(app, config.trusted_proxies)
    csrf.init_app(app)
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    manager.unauthorized_handler(_unauthenticated)
    manager.init_app(app)
    app.before_request(_gate)
    app.add_template_global(generate_csrf, "csrf_token")

    @app.errorhandler(CSRFError)
    def _csrf_refused(error: CSRFError) -> Any:
        from werkzeug.exceptions import BadRequest

        return current_app.handle_http_exception(BadRequest(gettext(
            "The form has expired or lacks its security token; reload the page and try again.")))

    @app.context_processor
    def _user() -> dict[str, object]:
        return {"current_user": current_user}
