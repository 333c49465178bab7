"""Every region's filed leads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from national.models import NationalLead, RegionRow
from national.web.blueprints.evidence import exportable_leads
from regional.reports.figures import TYPES
from regional.web import queryargs
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg, query_with

bp = Blueprint("leads", __name__)
NAV = [NavItem("leads.leads", _l("Leads"))]
PAGE_SIZE = 100


MAX_TEXT = 100  # the right and seller boxes
# A right title or seller name searched by part (LIKE '%…%') is a scan of the leads no index serves: its total is
# counted up to this many matches (shown as "more than"), so a request reads at most this many matches past the
# page instead of every lead (ui15's leftover: an unbounded count at a million leads). A credit code or a right's
# number is matched exactly through their indexes and counted exactly.
TEXT_COUNT_CAP = 10_000


@dataclass(frozen=True)
class NationalFilters:
    """The list's filters: the dashboard's (from/to detection days, Beijing time; type, source, industry comma
    lists) and the form's (region, right — a number or part of its title, seller — part of its name or a credit
    code, case — whether the lead is in a cross-region case)."""

    start: dt.date | None = None
    last: dt.date | None = None
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    industries: tuple[int, ...] = ()
    region: str | None = None
    right: str = ""
    seller: str = ""
    case: str | None = None  # "yes" / "no"

    def active(self) -> bool:
        """Whether any filter is set."""
        return any(v not in (None, (), "") for v in self.__dict__.values())


CASE_CHOICES = ("yes", "no")


def _text_arg(args: Any, name: str) -> str:
    from regional.reports.periods import PeriodError

    value = (args.get(name) or "").strip()
    if len(value) > MAX_TEXT or any(ord(ch) < 32 for ch in value):
        raise PeriodError(f"{name}: at most {MAX_TEXT} characters", param=name, problem="text", limit=MAX_TEXT)
    return value


def parse_filters(args: Any) -> NationalFilters:
    """The filters from a query string; a bad value is a 400 naming the parameter and what it takes."""
    from regional.reports.dashboard import choices_arg, date_arg, filter_args
    from regional.reports.periods import PeriodError

    try:
        start, last = date_arg(args, "from"), date_arg(args, "to")
        types, sources, industries = filter_args(args)
        region = (args.get("region") or "").strip() or None
        if region is not None and not (len(region) == 6 and region.isascii() and region.isdigit()):
            raise PeriodError(f"region: {region[:20]!r} — expected a 6-digit region code", param="region",
                              value=region[:20], problem="region")
        right, seller = _text_arg(args, "right"), _text_arg(args, "seller")
        (case,) = choices_arg(args, "case", CASE_CHOICES)[:1] or (None,)
        if start and last and start > last:
            raise PeriodError(f"from: {start} is after {last}", param="from", value=start.isoformat(),
                              problem="order", other="to", limit=last.isoformat())
    except PeriodError as exc:
        queryargs.refuse(exc)
    return NationalFilters(start=start, last=last, types=types, sources=sources, industries=industries,
                           region=region, right=right, seller=seller, case=case)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filtered(stmt: sa.Select[Any], f: NationalFilters) -> sa.Select[Any]:
    from regional.reports.dashboard import source_condition
    from regional.reports.periods import to_utc

    if f.start:
        stmt = stmt.where(NationalLead.detected >= to_utc(f.start))
    if f.last:
        stmt = stmt.where(NationalLead.detected < to_utc(f.last + dt.timedelta(days=1)))
    if f.types:
        stmt = stmt.where(NationalLead.type.in_(f.types))
    if f.sources:
        stmt = stmt.where(source_condition(NationalLead.source, NationalLead.origin, f.sources))
    if f.industries:
        stmt = stmt.where(sa.func.coalesce(NationalLead.industry, 0).in_(f.industries))
    if f.region:
        stmt = stmt.where(NationalLead.region == f.region)
    if f.right:  # a right's number exactly (indexed), or part of its title
        stmt = stmt.where(sa.or_(NationalLead.right_number == f.right,
                                 NationalLead.right_title.like(_like(f.right), escape="\\")))
    if f.seller:  # a credit code exactly (indexed), or part of the seller's name
        stmt = stmt.where(sa.or_(NationalLead.seller_uscc == f.seller.upper(),
                                 NationalLead.seller_name.like(_like(f.seller), escape="\\")))
    if f.case == "yes":
        stmt = stmt.where(NationalLead.case_id.is_not(None))
    elif f.case == "no":
        stmt = stmt.where(NationalLead.case_id.is_(None))
    return stmt


@bp.get("/leads")
def leads() -> str:
    """Every region's filed leads, newest first, filtered by the form (region, type, right, seller, case) and the
    dashboard's links (period, source, industry)."""
    page = page_arg()
    filters = parse_filters(request.args)
    with db().read() as session:
        stmt = _filtered(sa.select(NationalLead), filters)
        counted = stmt.with_only_columns(NationalLead.id)
        bounded = bool(filters.right or filters.seller)  # a scan by part of a name: a bounded count
        if bounded:
            counted = counted.limit(TEXT_COUNT_CAP + 1)
        total = session.scalar(sa.select(sa.func.count()).select_from(counted.subquery())) or 0
        capped = bounded and total > TEXT_COUNT_CAP
        if capped:
            total = TEXT_COUNT_CAP
        rows = list(session.scalars(stmt.order_by(NationalLead.id.desc()).limit(PAGE_SIZE)
                                    .offset((page - 1) * PAGE_SIZE)))
        with_evidence = exportable_leads(session, [r.uuid for r in rows])
        regions = [code for (code,) in session.execute(sa.select(RegionRow.code).order_by(RegionRow.code))]
    if filters.region and filters.region not in regions:
        regions.append(filters.region)
    return render_template("national_leads.html", leads=rows, total=total, capped=capped, page=page,
                           page_size=PAGE_SIZE,
                           with_evidence=with_evidence, f=filters, regions=regions, types=TYPES,
                           case_choices=CASE_CHOICES, next_page=query_with(page=page + 1))
