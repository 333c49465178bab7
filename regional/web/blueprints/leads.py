"""Leads: the list of suspected infringements and its JSON API, filtered as the dashboard's charts link to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from regional.domain import LeadState, LeadType
from regional.models import LeadRow, ListingRow, SellerRow
from regional.reports.dashboard import (
    UNKNOWN_AREA,
    area_arg,
    choices_arg,
    date_arg,
    filter_args,
    source_condition,
)
from regional.reports.figures import SOURCES, TYPES
from regional.reports.labels import label
from regional.reports.periods import PeriodError, to_utc
from regional.web import queryargs
from regional.web.db import db
from regional.web.foundation import MAX_OFFSET, NavItem, int_arg, page_arg, query_with

bp = Blueprint("leads", __name__)
NAV = [NavItem("leads.leads", _l("Leads"))]
PAGE_SIZE = 100


@dataclass(frozen=True)
class ListFilters:
    """The list's filters, as the dashboard's charts link to them: leads detected on Beijing days [from, to],
    of these types, sources and industries (Nice class, 0 = unknown), in this city (`none`: city unknown);
    or, with `judged_from`/`judged_to`, confirmed/excluded on those days (`state`)."""

    start: dt.date | None = None
    last: dt.date | None = None
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    industries: tuple[int, ...] = ()
    area: str | None = None
    state: str | None = None
    judged_start: dt.date | None = None
    judged_last: dt.date | None = None
    judged_by: str | None = None

    def active(self) -> bool:
        """Whether any filter is set."""
        return any(v not in (None, ()) for v in self.__dict__.values())

    def where(self) -> list[Any]:
        """The SQL conditions on leads."""
        out: list[Any] = []
        if self.start:
            out.append(LeadRow.created_at >= to_utc(self.start))
        if self.last:
            out.append(LeadRow.created_at < to_utc(self.last + dt.timedelta(days=1)))
        if self.judged_start:
            out.append(LeadRow.judged_at >= to_utc(self.judged_start))
        if self.judged_last:
            out.append(LeadRow.judged_at < to_utc(self.judged_last + dt.timedelta(days=1)))
        if self.types:
            out.append(LeadRow.type.in_([LeadType(t) for t in self.types]))
        if self.sources:
            out.append(source_condition(LeadRow.source, LeadRow.origin, self.sources))
        if self.industries:
            out.append(sa.func.coalesce(LeadRow.industry, 0).in_(self.industries))
        if self.area == UNKNOWN_AREA:
            out.append(sa.func.coalesce(LeadRow.city, "") == "")
        elif self.area:
            out.append(LeadRow.city == self.area)
        if self.state:
            out.append(LeadRow.state == LeadState(self.state))
        if self.judged_by:  # the leads an officer judged (confirmed or excluded)
            out.append(LeadRow.judged_by == self.judged_by)
            out.append(LeadRow.state.in_((LeadState.CONFIRMED, LeadState.EXCLUDED)))
        return out


def parse_list_filters(args: Mapping[str, str]) -> ListFilters:
    """The filters from a query string; a bad value is a 400 naming the parameter."""
    try:
        start, last = date_arg(args, "from"), date_arg(args, "to")
        judged_start, judged_last = date_arg(args, "judged_from"), date_arg(args, "judged_to")
        types, sources, industries = filter_args(args)
        area = area_arg(args)
        (state,) = choices_arg(args, "state", tuple(s.value for s in LeadState))[:1] or (None,)
        judged_by = (args.get("judged_by") or "").strip() or None
        if judged_by and (len(judged_by) > 100 or any(ord(ch) < 32 for ch in judged_by)):
            raise PeriodError("judged_by: a user name of at most 100 characters, no control characters",
                              param="judged_by", problem="name", limit=100)
    except PeriodError as exc:
        queryargs.refuse(exc)
    for name, other, lo, hi in (("from", "to", start, last), ("judged_from", "judged_to", judged_start, judged_last)):
        if lo and hi and lo > hi:
            queryargs.refuse(PeriodError(f"{name}: {lo} is after {hi}", param=name, value=lo.isoformat(),
                                         problem="order", other=other, limit=hi.isoformat()))
    return ListFilters(start=start, last=last, types=types, sources=sources, industries=industries, area=area,
                       state=state, judged_start=judged_start, judged_last=judged_last, judged_by=judged_by)


def _listed(where: list[Any]) -> sa.Select[Any]:
    """Leads with their listing and seller, highest score first (the list page and its export)."""
    return (sa.select(LeadRow, ListingRow, SellerRow)
            .join(ListingRow, LeadRow.listing_id == ListingRow.id)
            .outerjoin(SellerRow, ListingRow.seller_id == SellerRow.id)
            .where(*where)
            .order_by(LeadRow.score.desc(), LeadRow.id))


def lead_rows(limit: int, offset: int, filters: ListFilters | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Leads, highest score first, with their listing and seller (filtered as the dashboard links)."""
    where = (filters or ListFilters()).where()
    with db().read() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(LeadRow).where(*where)) or 0
        rows = session.execute(_listed(where).limit(limit).offset(offset)).all()
    out = []
    for lead, listing, seller in rows:
        out.append({
            "uuid": lead.uuid, "listing_id": lead.listing_id, "listing_title": listing.title, "url": listing.url,
            "right": lead.right_number, "type": lead.type.value, "score": lead.score, "reasons": lead.reasons,
            "reason_codes": lead.reason_codes,
            "model_version": lead.model_version, "state": lead.state.value,
            "seller": seller.name if seller else None, "seller_uscc": seller.uscc if seller else None,
        })
    return total, out


@bp.get("/leads")
def leads() -> str:
    """The leads awaiting review, highest score first."""
    page = page_arg()
    filters = parse_list_filters(request.args)
    total, rows = lead_rows(PAGE_SIZE, (page - 1) * PAGE_SIZE, filters)
    lang = "en" if str(get_locale() or "zh").startswith("en") else "zh"
    from regional.web.exports import MAX_EXPORT_ROWS

    return render_template("leads.html", total=total, leads=rows, page=page, page_size=PAGE_SIZE, f=filters,
                           max_export=MAX_EXPORT_ROWS,
                           types=TYPES, sources=SOURCES, report_label=lambda kind, value: label(kind, value, lang),
                           next_page=query_with(page=page + 1))


@bp.get("/api/leads")
def api_leads() -> Any:
    """Leads as JSON (formats.md shape plus review state)."""
    limit = int_arg("limit", 100, 1, 1000)
    offset = int_arg("offset", 0, 0, MAX_OFFSET)
    total, rows = lead_rows(limit, offset, parse_list_filters(request.args))
    return jsonify({"total": total, "leads": rows})


@bp.get("/leads/export.<fmt>")
def export_leads(fmt: str) -> Response:
    """The leads the list shows with these filters, as CSV or .xlsx (at most MAX_EXPORT_ROWS, highest score first);
    audited with its filters and count."""
    from regional.actors import audit
    from regional.web.auth import current_actor
    from regional.web.exports import MAX_EXPORT_ROWS, download, table_bytes
    from regional.web.i18n import localtime
    from regional.web.labels import label as state_label
    from regional.web.reasons import reason_texts

    if fmt not in ("csv", "xlsx"):
        abort(404)
    filters = parse_list_filters(request.args)
    where = filters.where()
    with db().read() as session:
        rows = session.execute(_listed(where).limit(MAX_EXPORT_ROWS)).all()
    header = [gettext("Lead"), gettext("Found at (Beijing time)"), gettext("Type"), gettext("Right"),
              gettext("Listing ID"), gettext("Listing"), gettext("Link"), gettext("Seller"),
              gettext("Unified social credit code"), gettext("Score"), gettext("State"), gettext("Reasons")]
    table = [[lead.uuid, localtime(lead.created_at), state_label("lead_type", lead.type.value), lead.right_number,
              lead.listing_id, listing.title, listing.url or "", seller.name if seller else "",
              (seller.uscc or "") if seller else "", lead.score, state_label("lead_state", lead.state.value),
              "；".join(reason_texts(list(lead.reasons), list(lead.reason_codes or [])))]
             for lead, listing, seller in rows]
    # the score as the page shows it, two decimals (newcomer16 N13); the full value is in /api/leads
    data, media = table_bytes(fmt, gettext("Infringement leads"), header, table, decimals={header.index(gettext("Score")): 2})
    now = dt.datetime.now(dt.UTC)
    name = f"leads-{now.astimezone(dt.timezone(dt.timedelta(hours=8))):%Y%m%d-%H%M}.{fmt}"
    with db().transaction() as session:
        audit(session, current_actor(), "export_leads", now, file=name, count=len(table),
              filters=request.query_string.decode("utf-8", "replace")[:500])
    return download(data, media, name)
