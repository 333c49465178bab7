"""The audit log: who did what, when, from where, before and after (auditors and administrators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from regional.actors import ADMIN, AUDITOR
from regional.web import auditview
from regional.web.auth import roles_required, tables
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg
from regional.web.i18n import BEIJING
from regional.web.labels import LABELS

bp = Blueprint("audit", __name__)
NAV = [NavItem("audit.audit_log", _l("Audit log"), roles=frozenset({AUDITOR, ADMIN}))]
PAGE_SIZE = 100
FILTER_MAX = 100


def _day(name: str) -> dt.datetime | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise BadRequest(gettext("Parameter %(name)s must be a date (YYYY-MM-DD).", name=name)) from None
    return dt.datetime.combine(day, dt.time(), BEIJING)


def _text(name: str) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > FILTER_MAX:
        raise BadRequest(gettext("Parameter %(name)s: at most %(n)s characters.", name=name, n=FILTER_MAX))
    return value


@bp.get("/audit")
@roles_required(AUDITOR, ADMIN)
def audit_log() -> Any:
    """Audit entries, newest first, filtered by person, action, day range and address."""
    page = page_arg()
    actor, action, address = _text("actor"), _text("action"), _text("address")
    start, end = _day("from"), _day("to")
    entry = tables().audit
    stmt = sa.select(entry)
    if actor:
        stmt = stmt.where(entry.actor == actor)
    if action:
        stmt = stmt.where(entry.action == action)
    if address:
        stmt = stmt.where(entry.address == address)
    if start is not None:
        stmt = stmt.where(entry.at >= start)
    if end is not None:
        stmt = stmt.where(entry.at < end + dt.timedelta(days=1))
    with db().read() as s:
        total = s.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        rows = list(s.scalars(stmt.order_by(entry.at.desc(), entry.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        actions = sorted(a for (a,) in s.execute(sa.select(entry.action).distinct()))
    entries = [{"row": r, "changes": auditview.changes(r.before, r.after), "details": auditview.details(r.detail)}
               for r in rows]
    known = set(LABELS["audit_action"])
    return render_template("audit.html", entries=entries, total=total, page=page, page_size=PAGE_SIZE,
                           actions=sorted(set(actions) | known), args=request.args)
