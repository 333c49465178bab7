"""The national node's web UI (Chinese by default) and JSON API: an app factory and its areas."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from flask import Flask
from flask_babel import gettext
from jinja2 import ChoiceLoader, FileSystemLoader

import regional.web
from national.config import NationalConfig
from national.models import ApiToken, AuditEntry, LoginAttempt, User
from national.web.blueprints import (
    blacklist,
    cases,
    dashboard,
    evidence,
    leads,
    merges,
    overview,
    reports,
    review_figures,
    sweeps,
)
from regional.accounts.service import Tables
from regional.web import auth, foundation
from regional.web.blueprints import account, admin, audit
from sync.db import Database
from sync.regions import region_name

HERE = Path(__file__).parent

# The areas in navigation order; another area is one module with `bp` (and `NAV`) and one entry here.
AREAS: list[ModuleType] = [overview, leads, cases, merges, sweeps, blacklist, dashboard, review_figures, evidence, reports, audit, admin,
                           account]
ACCOUNTS = Tables(user=User, token=ApiToken, attempt=LoginAttempt, audit=AuditEntry, node="national")


def create_app(config: NationalConfig) -> Flask:
    """Build the national web app."""
    app = Flask(__name__, static_folder=str(foundation.STATIC), static_url_path="/static")
    app.config["HUFU"] = config
    app.extensions["hufu_db"] = Database(config.db_url)
    # share the regional base layout rather than copying it
    shared = Path(regional.web.__file__).parent / "templates"
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(HERE / "templates")), FileSystemLoader(str(shared))])
    foundation.init_app(app, default_lang=config.lang, title=lambda: gettext("Hufu · national node"),
                        node_label=lambda: gettext("National IP Administration"),
                        translation_dirs=[HERE / "translations"])
    auth.init_app(app, ACCOUNTS)
    app.add_template_global(region_name, "region_name")
    for area in AREAS:
        foundation.register_area(app, area)
    return app
