"""The regional node's web UI (Chinese by default) and JSON API."""

from __future__ import annotations

from flask import Flask, current_app, g, redirect, url_for
from werkzeug.wrappers import Response

from regional.config import RegionalConfig
from regional.web import i18n, views
from sync.db import Database
from sync.regions import region_name


def create_app(config: RegionalConfig) -> Flask:
    """Build the regional web app for one node's configuration."""
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in the JSON API
    app.config["HUFU"] = config
    app.extensions["hufu_db"] = Database(config.db_url)
    i18n.init_app(app, config.lang)
    app.register_blueprint(views.bp)

    @app.context_processor
    def _node() -> dict[str, object]:
        cfg: RegionalConfig = current_app.config["HUFU"]
        return {"app_title_key": "app.regional", "node_label": f"{region_name(cfg.region, getattr(g, 'lang', 'zh_CN'))} {cfg.region}"}

    @app.get("/")
    def index() -> Response:
        return redirect(url_for("regional.leads"))

    return app
