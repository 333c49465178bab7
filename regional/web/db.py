"""The node database of the running app (set by create_app)."""

from __future__ import annotations

from flask import current_app

from sync.db import Database


def db() -> Database:
    """The app's Database."""
    database: Database = current_app.extensions["hufu_db"]
    return database
