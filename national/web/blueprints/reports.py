"""The national monthly reports: each month's compiled report (every revision kept), the regions' filings,
who has not reported, and PDF/XLSX downloads."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

import regional.web.blueprints.reports  # noqa: F401  (registers the reports' audit labels)
from national.reports import service
from national.reports.figures import OFFICE, compile_month, expected_regions
from national.reports.filings import latest_filings
from national.reports.models import NationalReport, RegionReport
from regional.actors import ADMIN, SUPERVISOR
from regional.reports import render
from regional.reports.periods import Month, PeriodError, local_day
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem, revision_arg

bp = Blueprint("reports", __name__)
NAV = [NavItem("reports.reports", _l("Monthly reports"))]


def _lang() -> str:
    return "en" if str(get_locale() or "zh").startswith("en") else "zh"


def _now():  # type: ignore[no-untyped-def]
    from sync.cli import now

    return now()


def _month(text: str) -> Month:
    try:
        month = Month.parse(text)
    except PeriodError:
        abort(400, _("%(text)s is not a month: write it as YYYY-MM, e.g. 2026-11.", text=repr(text[:40])))
    if month > Month.of(local_day(_now())):
        abort(404, _("That month has not begun yet."))
    return month


def status(month: Month) -> dict[str, Any]:
    """Which regions filed their report of `month` (latest revision, when) and which have not."""
    config = current_app.config["HUFU"]
    with db().read() as session:
        filings = latest_filings(session, month)
        expected = expected_regions(session, config.pki)
        filed = session.execute(sa.select(RegionReport.region, RegionReport.revision)
                                .where(RegionReport.month == str(month))
                                .order_by(RegionReport.region, RegionReport.revision.desc())).all()
    earlier: dict[str, list[int]] = {}
    for region, revision in filed:
        if revision != filings[region].revision:
            earlier.setdefault(region, []).append(int(revision))
    return {"month": str(month), "reported": sorted(filings),
            "missing": [c for c in expected if c not in filings],
            "filings": [{"region": c, "revision": f.revision, "received_at": f.received_at.isoformat(),
                         "generated_by": f.generated_by, "earlier_revisions": earlier.get(c, [])}
                        for c, f in sorted(filings.items())]}


MAX_MONTHS = 120  # the month selector lists at most ten years back


def months_with_data(current: Month) -> list[Month]:
    """The months a report can be compiled for, newest first: from the first month with a lead detected or a
    region's filing up to this month (last month when there is no data yet), at most MAX_MONTHS."""
    from national.models import NationalLead

    with db().read() as session:
        first_lead = session.scalar(sa.select(sa.func.min(NationalLead.detected)))
        first_filing = session.scalar(sa.select(sa.func.min(RegionReport.month)))
    starts = [current.previous]
    if first_lead is not None:
        starts.append(Month.of(local_day(first_lead)))
    if first_filing:
        try:
            starts.append(Month.parse(first_filing))
        except PeriodError:
            pass
    first = min(starts)
    out = [current]
    while out[-1] > first and len(out) < MAX_MONTHS:
        out.append(out[-1].previous)
    return out


def _chosen(current: Month, months: list[Month]) -> Month:
    """?month=YYYY-MM (last month by default); a 400 naming the parameter and the months offered otherwise."""
    text = (request.args.get("month") or "").strip()
    if not text:
        return current.previous
    try:
        month = Month.parse(text)
    except PeriodError:
        month = None
    if month is None or month not in months:
        abort(400, _("month: %(text)s is not a month this node has data for — choose one from %(first)s to "
                     "%(last)s (YYYY-MM).", text=repr(text[:40]), first=str(months[-1]), last=str(months[0])))
    return month


@bp.get("/reports")
def reports() -> str:
    """Every kept national report, and the filings by region of a month (?month=, last month by default), which a
    supervisor can compile from here (newcomer15 F18: only last month could be compiled from the page)."""
    current = Month.of(local_day(_now()))
    months = months_with_data(current)
    chosen = _chosen(current, months)
    return render_template("national_reports.html", kept=service.kept(db()), last=status(chosen),
                           last_month=chosen, months=months, earlier=service.earlier_revisions(db()))


@bp.get("/api/reports")
def api_reports() -> Any:
    """The kept reports and last month's filing status, as JSON."""
    current = Month.of(local_day(_now()))
    earlier = service.earlier_revisions(db())
    return jsonify({"kept": [{"month": r.month, "revision": r.revision, "generated_at": r.generated_at.isoformat(),
                              "regions_reported": r.regions_reported, "regions_missing": r.regions_missing,
                              "pdf": url_for("reports.download", month_text=r.month, fmt="pdf"),
                              "xlsx": url_for("reports.download", month_text=r.month, fmt="xlsx"),
                              "earlier_revisions": earlier.get(r.month, [])}
                             for r in service.kept(db())],
                    "last_month": status(current.previous)})


def _kept(month: Month) -> NationalReport | None:
    revision = revision_arg()
    with db().read() as session:
        stmt = sa.select(NationalReport).where(NationalReport.month == str(month))
        if revision:
            stmt = stmt.where(NationalReport.revision == revision)
        return session.scalar(stmt.order_by(NationalReport.revision.desc()).limit(1))


@bp.get("/reports/<month_text>")
def report(month_text: str) -> str:
    """A kept national report on screen (the latest compilation, or ?revision=N)."""
    month = _month(month_text)
    row = _kept(month)
    if row is None:
        abort(404, _("The report of %(month)s has not been compiled yet.", month=str(month)))
    body = render.html(row.figures, _lang(), standalone=False)
    return render_template("report_page.html", month=month, body=body, revision=row.revision)


@bp.get("/reports/<month_text>.<fmt>")
def download(month_text: str, fmt: str) -> Response:
    """A kept national report as PDF or XLSX."""
    if fmt not in ("pdf", "xlsx"):
        abort(404)
    month = _month(month_text)
    config = current_app.config["HUFU"]
    got = service.document(db(), str(month), revision_arg(), fmt,
                           config.data_dir / "reports", _lang())
    if got is None:
        abort(404, _("The report of %(month)s has not been compiled yet.", month=str(month)))
    path, row = got
    return send_file(path, mimetype=render.MIME[fmt], as_attachment=True,
                     download_name=f"hufu-national-{row.month}-r{row.revision}.{fmt}")


@bp.get("/reports/<month_text>/regions/<region>.<fmt>")
def region_download(month_text: str, region: str, fmt: str) -> Response:
    """A region's filed report of a month, as it was filed: its latest revision, or ?revision=N (was ignored: the
    latest was sent under any revision asked for, newcomer23 B; a bad one is a 400 naming it, as on the report page)."""
    import io

    if fmt not in ("pdf", "xlsx"):
        abort(404)
    month = _month(month_text)
    revision = revision_arg()
    with db().read() as session:
        if revision is None:
            row = latest_filings(session, month).get(region)
        else:
            row = session.scalar(sa.select(RegionReport).where(RegionReport.region == region,
                                                               RegionReport.month == str(month),
                                                               RegionReport.revision == revision))
    if row is None:
        if revision is not None:
            abort(404, _("That region has not filed revision %(revision)s of its report of %(month)s.",
                         revision=revision, month=str(month)))
        abort(404, _("That region has not filed its report of %(month)s.", month=str(month)))
    figures = dict(row.figures)
    figures.setdefault("office", row.office or "")
    figures.setdefault("month", str(month))
    figures.setdefault("kind", "region")
    data, mime = render.document(figures, fmt, _lang())
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                     download_name=f"hufu-{region}-{month}-r{row.revision}.{fmt}")


@bp.post("/reports/<month_text>/compile")
@roles_required(SUPERVISOR, ADMIN)
def compile_now(month_text: str) -> Response:
    """Compile the month's national report again from the filings received so far (a new revision)."""
    month = _month(month_text)
    config = current_app.config["HUFU"]
    row = compile_month(db(), month=month, now=_now(), actor=current_actor().name, pki_dir=config.pki,
                        office=config.office_name or OFFICE)
    flash(_("Revision %(n)s of %(month)s compiled.", n=row.revision, month=str(month)), "ok")
    return redirect(url_for("reports.reports", month=str(month)))


__all__ = ["RegionReport"]
