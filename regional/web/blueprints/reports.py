"""The region's monthly reports (月报): the figures on screen, PDF and XLSX downloads, filing again."""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from werkzeug.wrappers import Response

from regional.actors import ADMIN, SUPERVISOR
from regional.reports import render, service
from regional.reports.figures import region_report
from regional.reports.models import MonthlyReport
from regional.reports.periods import Month, PeriodError, local_day
from regional.web import labels
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem, revision_arg

bp = Blueprint("reports", __name__)
NAV = [NavItem("reports.reports", _l("Monthly reports"))]

# what the reports write into the audit log, on both nodes (the national blueprint imports this module)
labels.register("audit_action", {
    "monthly_report_filed": _p("audit_action", "monthly report filed"),
    "monthly_report_received": _p("audit_action", "monthly report received"),
    "monthly_report_unusable": _p("audit_action", "monthly report not usable"),
    "national_report_compiled": _p("audit_action", "national monthly report compiled"),
})
labels.register("audit_field", {
    "month": _p("audit_field", "month"),
    "revision": _p("audit_field", "revision"),
    "reported": _p("audit_field", "regions reported"),
    "missing": _p("audit_field", "regions not reported"),
    "problem": _p("audit_field", "problem"),
})


def _lang() -> str:
    return "en" if str(get_locale() or "zh").startswith("en") else "zh"


def _month(text: str) -> Month:
    try:
        month = Month.parse(text)
    except PeriodError:
        abort(400, _("%(text)s is not a month: write it as YYYY-MM, e.g. 2026-11.", text=repr(text[:40])))
    if month > Month.of(local_day(_now())):
        abort(404, _("That month has not begun yet."))
    return month


def _now():  # type: ignore[no-untyped-def]
    from sync.cli import now

    return now()


def _figures(month: Month) -> dict:  # type: ignore[type-arg]
    config = current_app.config["HUFU"]
    revision = revision_arg()
    if revision:
        import sqlalchemy as sa

        with db().read() as session:
            row = session.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == str(month),
                                                                MonthlyReport.revision == revision))
        if row is None:
            abort(404, _("No such revision of that report."))
        return row.figures
    with db().read() as session:
        return region_report(session, region=config.region, office=service.office_of(config.region, config.office_name),
                             month=month, now=_now(), core=list(config.core_nice_classes))


@bp.get("/reports")
def reports() -> str:
    """Kept reports (each filed with the national office) and the months to look at."""
    today = local_day(_now())
    current = Month.of(today)
    months = [current.shift(-i) for i in range(0, 13)]
    return render_template("reports.html", kept=service.kept(db()), months=months, last=current.previous,
                           earlier=service.earlier_revisions(db(), MonthlyReport))


@bp.get("/reports/<month_text>")
def report(month_text: str) -> str:
    """One month's report on screen: the same figures as the PDF and the workbook."""
    month = _month(month_text)
    figures = _figures(month)
    body = render.html(figures, _lang(), standalone=False)
    return render_template("report_page.html", month=month, body=body, revision=request.args.get("revision"))


@bp.get("/reports/<month_text>.<fmt>")
def download(month_text: str, fmt: str) -> Response:
    """The report as PDF or XLSX (as it stands now, or a kept revision with ?revision=N)."""
    if fmt not in ("pdf", "xlsx"):
        abort(404)
    month = _month(month_text)
    figures = _figures(month)
    data, mime = render.document(figures, fmt, _lang())
    config = current_app.config["HUFU"]
    revision = revision_arg()  # a kept revision is named so (newcomer24: it had the name of the report as it stands now)
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                     download_name=f"hufu-{config.region}-{month}{f'-r{revision}' if revision else ''}.{fmt}")


@bp.post("/reports/<month_text>/file")
@roles_required(SUPERVISOR, ADMIN)
def file_again(month_text: str) -> Response:
    """Generate the month's report again and file it with the national office as a new revision."""
    from regional.node import signer

    month = _month(month_text)
    config = current_app.config["HUFU"]
    try:
        row = service.file_month(db(), signer(config), region=config.region,
                                 office=service.office_of(config.region, config.office_name), month=month, now=_now(),
                                 core=list(config.core_nice_classes), actor=current_actor().name)
    except ValueError:  # the one refusal of file_month: the month is not over yet
        flash(_("The report of %(month)s can be filed once the month is over (from %(day)s on).", month=str(month),
                day=month.end.isoformat()), "error")
        return redirect(url_for("reports.reports"))
    # a flashed notice (session), never text taken from the address (newcomer14 F37: ?message= was shown as is)
    flash(_("Revision %(n)s of %(month)s is filed; it goes to the national office with the next sync.",
            n=row.revision, month=str(month)), "ok")
    return redirect(url_for("reports.reports"))
