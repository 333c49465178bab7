"""The regional node's web UI (Chinese by default) and JSON API: an app factory and its areas."""

from __future__ import annotations

from types import ModuleType

from flask import Flask, current_app, redirect, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from regional.accounts.service import Tables
from regional.config import RegionalConfig
from regional.models import ApiToken, AuditEntry, LoginAttempt, User
from regional.web import auth, foundation
from regional.web.blueprints import (
    account,
    admin,
    audit,
    cases,
    casework,
    customs,
    dashboard,
    emark,
    evidence,
    exhibitions,
    foreign,
    intake,
    leads,
    models,
    monitoring,
    reports,
    review,
    routing,
    status,
)
from regional.web.i18n import current_lang
from sync.db import Database
from sync.regions import region_name

# The areas in navigation order; another area is one module with `bp` (and `NAV`) and one entry here.
AREAS: list[ModuleType] = [review, leads, casework, cases, routing, intake, status, monitoring, models, dashboard, reports,
                           audit, admin, account, evidence, emark, exhibitions, customs, foreign]
ACCOUNTS = Tables(user=User, token=ApiToken, attempt=LoginAttempt, audit=AuditEntry)


def create_app(config: RegionalConfig) -> Flask:
    """Build the regional web app for one node's configuration."""
    app = Flask(__name__, static_folder=str(foundation.STATIC), static_url_path="/static")
    app.config["HUFU"] = config
    app.extensions["hufu_db"] = Database(config.db_url)
    foundation.init_app(app, default_lang=config.lang, title=lambda: gettext("Hufu · regional node"),
                        node_label=_node_label)
    auth.init_app(app, ACCOUNTS)
    for area in AREAS:
        foundation.register_area(app, area)

    @app.get("/")
    def index() -> Response:
        from flask_login import current_user

        if getattr(current_user, "is_authenticated", False):
            if current_user.has("rights_holder"):
                return redirect(url_for("intake.holder"))
            if current_user.has("agency"):
                return redirect(url_for("routing.notices"))
            if current_user.has("officer", "supervisor"):
                return redirect(url_for("review.queue_page"))
        return redirect(url_for("leads.leads"))

    return app


def _node_label() -> str:
    cfg: RegionalConfig = current_app.config["HUFU"]
    return f"{region_name(cfg.region, current_lang())} {cfg.region}"
