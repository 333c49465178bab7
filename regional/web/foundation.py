"""What both web apps share: catalogues, navigation, security headers, limits, error pages, argument parsing.

`init_app(app, …)` is called by each node's `create_app`; `register_area(app, module)` adds an
area's blueprint (`module.bp`) and its navigation entries (`module.NAV`, optional). Another
engineer's area is one blueprint module plus one line in the node's AREAS list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge

from regional.formats.source import NAMED_SUFFIXES
from regional.web import i18n, labels

STATIC = Path(__file__).parent / "static"
MAX_REQUEST_BYTES = 2 * 1024 * 1024  # forms and JSON; the platform feed sets its own, larger, limit per route
MAX_PAGE = 1_000_000
MAX_OFFSET = 100_000_000

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


@dataclass(frozen=True)
class NavItem:
    """One entry of the header navigation: where it goes, its (lazy) label, who may see it."""

    endpoint: str
    label: object
    roles: frozenset[str] | None = None  # None: everyone signed in
    match: tuple[str, ...] = field(default=())  # endpoint prefixes that mark it active (default: its blueprint's)

    def active(self, endpoint: str | None) -> bool:
        """Whether the current request's endpoint belongs to this entry."""
        prefixes = self.match or (self.endpoint.split(".")[0] + ".",)
        return endpoint is not None and endpoint.startswith(prefixes)


def register_area(app: Flask, module: ModuleType) -> None:
    """Register an area's blueprint and append its navigation entries."""
    app.register_blueprint(module.bp)
    app.extensions.setdefault("hufu_nav", []).extend(getattr(module, "NAV", ()))


def int_arg(name: str, default: int, lo: int, hi: int) -> int:
    """An integer query parameter within [lo, hi]; anything else is a 400 naming the parameter."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        if len(raw) > 20:
            raise ValueError(raw)
        value = int(raw)
    except ValueError:
        raise BadRequest(gettext("Parameter %(name)s must be a whole number.", name=name)) from None
    if not lo <= value <= hi:
        raise BadRequest(gettext("Parameter %(name)s must be between %(lo)s and %(hi)s.", name=name, lo=lo, hi=hi))
    return value


def page_arg() -> int:
    """The `page` query parameter (1 … MAX_PAGE)."""
    return int_arg("page", 1, 1, MAX_PAGE)


def revision_arg() -> int | None:
    """The `revision` query parameter of a kept report (1 … 2³¹−1), None when absent; anything else is a 400 naming
    it (newcomer22 D2: a number too large for the database was a 500, and `abc` was dropped in silence)."""
    return int_arg("revision", 0, 1, 2**31 - 1) or None


def query_with(**changes: object) -> str:
    """The current query string with some parameters replaced (for pagers and filters)."""
    from urllib.parse import urlencode

    args = {k: v for k, v in request.args.items() if k not in changes and k != "lang"}
    args.update({k: str(v) for k, v in changes.items() if v is not None})
    return urlencode(args)


def is_web_url(value: object) -> bool:
    """Whether a stored URL may become a link: http(s) only (never javascript:, data:, …)."""
    if not isinstance(value, str) or len(value) > 2000:
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def wants_json() -> bool:
    """Whether the request is to the JSON API (errors answer JSON there, HTML elsewhere)."""
    return request.path.startswith("/api/")


def _error_page(error: HTTPException) -> Any:
    code = error.code or 500
    messages = {
        400: gettext("The request is not valid."),
        401: gettext("Please sign in."),
        403: gettext("You are not allowed to do this."),
        404: gettext("No such page or record."),
        405: gettext("This address does not accept that method."),
        413: gettext("The request is too large (at most %(n)s MiB).",
                     n=(request_limit() or MAX_REQUEST_BYTES) // (1024 * 1024)),
        429: gettext("Too many attempts; please wait and try again."),
    }
    headings = {
        400: gettext("Request not accepted"),
        401: gettext("Sign-in required"),
        403: gettext("Not allowed"),
        404: gettext("Not found"),
        405: gettext("Method not accepted"),
        413: gettext("Too large"),
        429: gettext("Too many attempts"),
    }
    heading = headings.get(code, gettext("Server error"))
    # a 404 says its own reason when a view gave one ("that month has not begun yet"), never for a bare abort(404)
    detail = error.description if code in (400, 403, 404, 429) and error.description and \
        error.description != type(error).description else None
    message = messages.get(code, gettext("Something went wrong on the server; it has been logged."))
    if wants_json():
        return jsonify({"error": error.name, "status": code, "message": str(detail or message)}), code
    back = _same_site_referrer() if code in (400, 413, 429) else None
    return render_template("error.html", code=code, heading=heading, message=message, detail=detail, back=back), code


def _same_site_referrer() -> str | None:
    """The page the refused form was sent from (a link back to it), when it is one of ours."""
    ref = request.referrer or ""
    host = request.host_url
    if ref.startswith(host) and len(ref) < 2000:
        return "/" + ref[len(host):]
    return None


def upload_limit(n_bytes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a file-upload view with its own request limit (the app's MAX_CONTENT_LENGTH is for forms and JSON):
    put it right under the route decorator. Its 413 page names this limit."""
    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.hufu_upload_limit = n_bytes  # type: ignore[attr-defined]
        return view
    return mark


def request_limit() -> int | None:
    """The body limit of this request: the view's upload limit, else the app's."""
    view = current_app.view_functions.get(request.endpoint or "")
    own = getattr(view, "hufu_upload_limit", None)
    return int(own) if own is not None else current_app.config.get("MAX_CONTENT_LENGTH")


def _refuse_oversized() -> None:
    """Refuse a declared oversized body before any view work (werkzeug checks it only when the body is read)."""
    limit = request_limit()
    if limit is not None and limit != current_app.config.get("MAX_CONTENT_LENGTH"):
        request.max_content_length = limit  # werkzeug's own check while reading (Flask >= 3.1)
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith("/api/") or response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask, *, default_lang: str, title: Callable[[], str], node_label: Callable[[], str],
             translation_dirs: Sequence[Path] = ()) -> None:
    """Catalogues, template helpers, headers, limits and error pages of one node's app."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in the JSON API
    app.extensions.setdefault("hufu_nav", [])
    i18n.init_app(app, default_lang, translation_dirs)
    app.before_request(_refuse_oversized)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _error_page)
    app.add_template_global(labels.label, "label")
    app.add_template_global(labels.country_name, "country_name")
    app.add_template_global(labels.evidence_note, "evidence_note")
    app.add_template_filter(labels.actor_name, "actor")
    app.add_template_filter(labels.seller_key, "seller_key")
    app.add_template_global(labels.sync_error, "sync_error")
    app.add_template_global(labels.region_refusal, "region_refusal")
    app.add_template_global(query_with, "query_with")
    app.add_template_test(is_web_url, "web_url")

    from regional.web.reasons import reason_texts

    app.add_template_global(reason_texts, "reason_texts")
    from regional.web import auditview, statements

    app.add_template_filter(statements.statement, "statement")
    app.add_template_filter(statements.reconciliation, "reconciliation")
    app.add_template_global(auditview.details, "audit_details")
    # the file picker of the record uploads offers the names the reader takes (the same as the command line)
    app.add_template_global(",".join(NAMED_SUFFIXES), "upload_accept")

    @app.template_filter("reason")
    def _reason(text: object) -> str:
        from regional.web.reasons import render_reason

        return render_reason(text, i18n.current_lang())

    @app.context_processor
    def _layout() -> dict[str, object]:
        allowed = [item for item in app.extensions["hufu_nav"] if _visible(item)]
        return {"app_title": title(), "node_label": node_label(), "nav_items": allowed,
                "current_endpoint": request.endpoint}


# Outside accounts (a rights holder, a platform's client, an enforcement body's user) reach only these endpoints;
# the office's pages and their navigation stay closed to them (enforced by regional/web/blueprints/intake.py).
OUTSIDE_ROLES = frozenset({"rights_holder", "platform", "agency"})
OUTSIDE_ENDPOINTS = frozenset({"intake.holder", "intake.holder_request", "intake.api_holder_requests",
                               "intake.api_holder_request", "intake.api_feed", "intake.complaint", "intake.track",
                               "account.account", "account.login", "account.logout", "static", "status.healthz",
                               "index", "emark.verify_page", "emark.api_verify"})
# An enforcement body's user (执法机构用户) reads the notices (移送函) sent to its body and their evidence packages,
# nothing of the rights holders' pages nor the feed.
AGENCY_ENDPOINTS = frozenset({"routing.notices", "routing.notice", "routing.notice_document",
                              "routing.notice_evidence", "account.account", "account.login", "account.logout",
                              "static", "status.healthz", "index", "emark.verify_page", "emark.api_verify",
                              "intake.complaint", "intake.track"})


def outside_endpoints(roles: frozenset[str] | set[str]) -> frozenset[str]:
    """The endpoints an outside account holding `roles` may reach."""
    allowed: frozenset[str] = frozenset()
    if roles & {"rights_holder", "platform"}:
        allowed |= OUTSIDE_ENDPOINTS
    if "agency" in roles:
        allowed |= AGENCY_ENDPOINTS
    return allowed


def _visible(item: NavItem) -> bool:
    from flask_login import current_user

    if getattr(current_user, "is_authenticated", False) and current_user.role in OUTSIDE_ROLES:
        return item.endpoint in outside_endpoints(current_user.roles)
    if not getattr(current_user, "is_authenticated", False):
        return False  # a visitor (the public complaint form, the sign-in page) gets no office navigation
    if item.roles is None:
        return True
    return current_user.role in item.roles
