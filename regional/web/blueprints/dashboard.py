"""The region's dashboard (数据看板): its province's map with leads per city, trends by day/week/month, types,
sources and industries, the review queue's workload per officer, the case board (overdue first) and sync health.

Lead figures come from the count cube (regional/reports/dashboard.py), never from a scan of the
leads. Every chart and figure links to the list behind it: the leads list (/leads, filtered to
exactly what was counted), the review queue (/review?assigned=…) or the cases list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from regional.actors import ADMIN, AUDITOR, OFFICER, SUPERVISOR
from regional.casework.core import CaseState
from regional.domain import LeadState
from regional.models import LeadRow, User
from regional.reports import dashboard as core
from regional.reports.figures import SOURCES, TYPES
from regional.reports.labels import label
from regional.reports.models import CUBE
from regional.reports.periods import PeriodError, local_day, to_utc
from regional.routing.places import divisions
from regional.web import queryargs
from regional.web.auth import roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from regional.workflow_models import CaseRecord

STAFF = (OFFICER, SUPERVISOR, AUDITOR, ADMIN)
bp = Blueprint("dashboard", __name__)
NAV = [NavItem("dashboard.dashboard", _l("Dashboard"), roles=frozenset(STAFF))]
BOARD = 10  # open cases on the dashboard, overdue first (the whole list is /regional-cases)
MAX_OFFICERS = 200  # officers shown in the workload chart

# The province maps vendored under static/vendor/echarts/map/province/ (echarts 4.9.0), by province code.
PROVINCE_MAPS = {
    "110000": "beijing", "120000": "tianjin", "130000": "hebei", "140000": "shanxi", "150000": "neimenggu",
    "210000": "liaoning", "220000": "jilin", "230000": "heilongjiang", "310000": "shanghai", "320000": "jiangsu",
    "330000": "zhejiang", "340000": "anhui", "350000": "fujian", "360000": "jiangxi", "370000": "shandong",
    "410000": "henan", "420000": "hubei", "430000": "hunan", "440000": "guangdong", "450000": "guangxi",
    "460000": "hainan", "500000": "chongqing", "510000": "sichuan", "520000": "guizhou", "530000": "yunnan",
    "540000": "xizang", "610000": "shanxi1", "620000": "gansu", "630000": "qinghai", "640000": "ningxia",
    "650000": "xinjiang", "710000": "taiwan", "810000": "xianggang", "820000": "aomen",
}
OPEN_STATES = (LeadState.NEW, LeadState.NEED_INFO)  # what the review queue shows by default


def _lang() -> str:
    return "en" if str(get_locale() or "zh").startswith("en") else "zh"


def _now() -> dt.datetime:
    from sync.cli import now

    return now()


def _query() -> core.Query:
    try:
        return core.parse_query(request.args, local_day(_now()))
    except PeriodError as exc:
        queryargs.refuse(exc)


def _leads_link(params: dict[str, str]) -> str:
    # the list's path once per request: a page makes a few hundred links (two per trend point)
    base = g.get("dashboard_leads_path") or g.setdefault("dashboard_leads_path", url_for("leads.leads"))
    return base + "?" + urlencode(params)


def _workload(session: Any, q: core.Query) -> dict[str, Any]:
    """Per officer: open leads assigned (the queue), decisions awaiting a second review, leads judged in the period;
    and the open leads nobody has taken. One statement seeking each officer in ix_leads_q_assigned, a range of
    ix_leads_judged (judged_at, state, judged_by) for the judged."""
    officers = list(session.execute(
        sa.select(User.name, User.display_name).where(User.active, User.role.in_((OFFICER, SUPERVISOR)))
        .order_by(User.name).limit(MAX_OFFICERS)))
    lo, hi = to_utc(q.start), to_utc(q.end)
    judged = dict(session.execute(
        sa.select(LeadRow.judged_by, sa.func.count()).where(
            LeadRow.judged_at >= lo, LeadRow.judged_at < hi,
            LeadRow.state.in_((LeadState.CONFIRMED, LeadState.EXCLUDED))).group_by(LeadRow.judged_by)).all())
    names = {name: display for name, display in officers}
    for name in judged:
        if name and name not in names and len(names) < MAX_OFFICERS:
            names[name] = None
    rows = []
    period = {"judged_from": q.start.isoformat(), "judged_to": (q.end - dt.timedelta(days=1)).isoformat()}
    held: dict[str, dict[Any, int]] = {}
    if names:  # one statement: a seek per officer into ix_leads_q_assigned (assigned_to, state, …)
        for name, state, n in session.execute(
                sa.select(LeadRow.assigned_to, LeadRow.state, sa.func.count()).where(
                    LeadRow.assigned_to.in_(list(names)),
                    LeadRow.state.in_((*OPEN_STATES, LeadState.PENDING_REVIEW)))
                .group_by(LeadRow.assigned_to, LeadRow.state)):
            held.setdefault(name, {})[state] = int(n)
    for name, display in sorted(names.items()):
        counts = held.get(name, {})
        open_n = sum(counts.get(s, 0) for s in OPEN_STATES)
        pending = counts.get(LeadState.PENDING_REVIEW, 0)
        done = int(judged.get(name, 0))
        if not (open_n or pending or done) and name not in {n for n, _d in officers}:
            continue
        rows.append({"officer": name, "name": display or name, "open": open_n, "pending_review": pending,
                     "judged": done,
                     "open_href": url_for("review.queue_page", assigned=name),
                     "pending_href": url_for("review.queue_page", assigned=name, state=LeadState.PENDING_REVIEW.value),
                     "judged_href": _leads_link({**period, "judged_by": name})})
    rows.sort(key=lambda r: (-(r["open"] + r["pending_review"]), -r["judged"], r["officer"]))
    unassigned = session.scalar(sa.select(sa.func.count()).select_from(LeadRow).where(
        LeadRow.assigned_to.is_(None), LeadRow.state.in_(OPEN_STATES))) or 0
    return {"officers": rows, "unassigned": unassigned,
            "unassigned_href": url_for("review.queue_page", assigned="-")}


def _cases(session: Any, now: dt.datetime) -> dict[str, Any]:
    """Open cases (overdue first, then nearest deadline) and the counts behind the cards."""
    open_ = CaseRecord.state != CaseState.CLOSED
    total = session.scalar(sa.select(sa.func.count()).select_from(CaseRecord).where(open_)) or 0
    overdue = session.scalar(sa.select(sa.func.count()).select_from(CaseRecord).where(
        open_, CaseRecord.deadline < now)) or 0
    rows = list(session.scalars(sa.select(CaseRecord).where(open_).order_by(
        CaseRecord.deadline.is_(None), CaseRecord.deadline, CaseRecord.id).limit(BOARD)))
    board = []
    for c in rows:
        deadline = c.deadline if c.deadline is None or c.deadline.tzinfo else c.deadline.replace(tzinfo=dt.UTC)
        board.append({"uuid": c.uuid, "number": c.number, "title": c.title, "state": c.state.value,
                      "officer": c.officer, "overdue": bool(deadline and deadline < now),
                      "days_left": round((deadline - now).total_seconds() / 86400, 1) if deadline else None,
                      "href": url_for("casework.case", case_uuid=c.uuid)})
    return {"open": total, "overdue": overdue, "board": board,
            "open_href": url_for("casework.cases", state="open"),
            "overdue_href": url_for("casework.cases", overdue="1")}


def figures(q: core.Query) -> dict[str, Any]:
    """Everything the region's dashboard shows, as JSON."""
    from regional.sync_agent import status

    lang = _lang()
    now = _now()
    region = current_app.config["HUFU"].region
    with db().read() as session:
        out = core.lead_figures(session, CUBE, q, area_kind="area", lang=lang, link=_leads_link, judged=True)
        out["workload"] = _workload(session, q)
        out["cases"] = _cases(session, now)
        sync = status(session)
    places = divisions()
    for a in out["areas"]:
        a["map_name"] = places.name(a["code"]) if a["code"] else ""
    out["confirmed_total"] = sum(out["trend"]["confirmed"] or [])
    out["confirmed_href"] = _leads_link(q.params(**{"from": None, "to": None, "state": "confirmed",
                                                    "judged_from": q.start.isoformat(),
                                                    "judged_to": (q.end - dt.timedelta(days=1)).isoformat()}))
    out["areas_have_cases"] = False
    out["province"] = region
    out["sync"] = {k: sync.get(k) for k in ("backlog", "acked", "withheld", "last_push_ok", "last_pull_ok",
                                            "last_error", "error_active")}
    out["sync_href"] = url_for("status.sync_page")
    return out


@bp.get("/dashboard")
@roles_required(*STAFF)
def dashboard() -> str:
    """The page: filters, chart frames (drawn by /static/dashboard.js from the page's data) and tables."""
    q = _query()
    data = figures(q)
    lang = _lang()
    region = current_app.config["HUFU"].region
    province_map = PROVINCE_MAPS.get(region[:2] + "0000")
    return render_template("regional_dashboard.html", q=q.as_json(), data=data, types=TYPES, sources=SOURCES,
                           report_label=lambda kind, value: label(kind, value, lang),
                           map_url=url_for("static", filename=f"vendor/echarts/map/province/{province_map}.json")
                           if province_map else None)


@bp.get("/api/dashboard")
@roles_required(*STAFF)
def api_dashboard() -> Any:
    """The dashboard's figures as JSON (same filters as the page: from, to, grain, type, source, industry)."""
    return jsonify(figures(_query()))
