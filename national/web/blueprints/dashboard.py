"""The national dashboard (数据看板): a map of China with leads and cross-region cases per province, trends by
day/week/month, types, sources and industries, the supervision board (overdue first) and the regions' sync health.

Lead figures come from the count cube (regional/reports/dashboard.py), never from a scan of the
leads, so the page stays fast with millions of leads. The page holds no data of its own for the
charts: /static/dashboard.js fetches /api/dashboard with the page's filters (the CSP forbids
inline script) and every chart links to the leads or cases list behind it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from national.models import CaseRow, counted_cases, supervised_cases, withdrawn_cases
from national.reports.figures import sync_rows
from national.reports.models import CUBE
from national.web.blueprints.cases import _supervision
from regional.reports import dashboard as core
from regional.reports.figures import SOURCES, TYPES
from regional.reports.labels import label
from regional.reports.periods import PeriodError, local_day, to_utc
from regional.web import queryargs
from regional.web.db import db
from regional.web.foundation import NavItem
from sync.regions import region_name

bp = Blueprint("dashboard", __name__)
NAV = [NavItem("dashboard.dashboard", _l("Dashboard"))]
BOARD = 10  # supervised cases on the dashboard (the whole board is /supervision)


def _lang() -> str:
    return "en" if str(get_locale() or "zh").startswith("en") else "zh"


def _query() -> core.Query:
    try:
        return core.parse_query(request.args, local_day(dt.datetime.now(dt.UTC)))
    except PeriodError as exc:
        queryargs.refuse(exc)


def _leads_link(params: dict[str, str]) -> str:
    if "area" in params:
        params = {**params, "region": params.pop("area")}
    # the list's path once per request: a page makes a few hundred links (one per trend point)
    base = g.get("dashboard_leads_path") or g.setdefault("dashboard_leads_path", url_for("leads.leads"))
    return base + "?" + urlencode(params)


def _cross_region_cases(session: Any, where: list[Any]) -> tuple[int, dict[str, int]]:
    """Cross-region cases matching `where`: how many, and per province concerned (a case once per province),
    counted in SQL over the regions' JSON array (json_each / json_array_elements_text), not row by row here."""
    formed = session.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(*where)) or 0
    if not formed:
        return 0, {}
    if session.get_bind().dialect.name == "postgresql":
        each = sa.func.json_array_elements_text(CaseRow.regions).table_valued("value").render_derived("r")
    else:
        each = sa.func.json_each(CaseRow.regions).table_valued("value").alias("r")  # SQLite names the column
    rows = session.execute(sa.select(each.c.value, sa.func.count(sa.distinct(CaseRow.id)))
                           .select_from(CaseRow).join(each, sa.true()).where(*where).group_by(each.c.value))
    return int(formed), {str(code): int(n) for code, n in rows if code}


def figures(q: core.Query) -> dict[str, Any]:
    """Everything the national dashboard shows, as JSON."""
    lang = _lang()
    now = dt.datetime.now(dt.UTC)
    with db().read() as session:
        out = core.lead_figures(session, CUBE, q, area_kind="region", lang=lang, link=_leads_link,
                                judged=False)  # the national cube counts detections
        lo, hi = to_utc(q.start), to_utc(q.end)
        case_where = [CaseRow.formed_at >= lo, CaseRow.formed_at < hi]
        if q.types:
            case_where.append(CaseRow.type.in_(q.types))
        # a withdrawn case is not a case formed, nor supervised: counted apart (newcomer16 N4)
        formed, cases = _cross_region_cases(session, [counted_cases(), *case_where])
        withdrawn = session.scalar(sa.select(sa.func.count()).select_from(CaseRow)
                                   .where(withdrawn_cases(), *case_where)) or 0
        supervised = list(session.scalars(sa.select(CaseRow).where(supervised_cases())))
        health = sync_rows(session, now)
    codes = {a["code"] for a in out["areas"]} | set(cases)
    by_code = {a["code"]: a for a in out["areas"]}
    case_params = {k: v for k, v in q.params().items() if k in ("from", "to", "type")}
    out["areas"] = [{"code": c, "name": region_name(c, lang), "value": by_code.get(c, {}).get("value", 0),
                     "cases": cases.get(c, 0), "href": by_code.get(c, {}).get("href") or _leads_link(q.params(area=c)),
                     "cases_href": url_for("cases.cases", **case_params, region=c)}
                    for c in sorted(codes, key=lambda c: (-by_code.get(c, {}).get("value", 0), c)) if c]
    out["cases_total"] = formed  # cross-region cases formed in the period (each once), withdrawn ones not counted
    out["cases_withdrawn"] = int(withdrawn)  # formed in the period and withdrawn since (listed apart)
    out["cases_href"] = url_for("cases.cases", **case_params)
    board = [(c, _supervision(c)) for c in supervised]
    board.sort(key=lambda cs: (not cs[1].overdue, cs[1].days_left if cs[1].days_left is not None else 1e9))
    out["supervision"] = {"total": len(board), "overdue": sum(1 for _c, s in board if s.overdue),
                          "href": url_for("cases.supervision_queue"),
                          "cases": [{"uuid": c.uuid, "right": c.right_number, "title": c.right_title or "",
                                     "regions": [region_name(r, lang) for r in c.regions or []],
                                     "overdue": s.overdue, "days_left": s.days_left,
                                     "href": url_for("cases.case", case_uuid=c.uuid)} for c, s in board[:BOARD]]}
    out["sync"] = [{**r, "name": region_name(r["region"], lang)} for r in health]
    return out


@bp.get("/dashboard")
def dashboard() -> str:
    """The page: filters, chart frames (drawn by /static/dashboard.js from /api/dashboard) and tables."""
    q = _query()
    data = figures(q)
    lang = _lang()
    return render_template("dashboard.html", q=q.as_json(), data=data, types=TYPES, sources=SOURCES,
                           report_label=lambda kind, value: label(kind, value, lang))


@bp.get("/api/dashboard")
def api_dashboard() -> Any:
    """The dashboard's figures as JSON (same filters as the page: from, to, grain, type, source, industry)."""
    return jsonify(figures(_query()))
