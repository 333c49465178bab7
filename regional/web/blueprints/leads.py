"""Leads: the list of suspected infringements and its JSON API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template
from flask_babel import lazy_gettext as _l

from regional.models import LeadRow, ListingRow, SellerRow
from regional.web.db import db
from regional.web.foundation import MAX_OFFSET, NavItem, int_arg, page_arg

bp = Blueprint("leads", __name__)
NAV = [NavItem("leads.leads", _l("Leads"))]
PAGE_SIZE = 100


def lead_rows(limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Leads, highest score first, with their listing and seller."""
    with db().read() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(LeadRow)) or 0
        rows = session.execute(
            sa.select(LeadRow, ListingRow, SellerRow)
            .join(ListingRow, LeadRow.listing_id == ListingRow.id)
            .outerjoin(SellerRow, ListingRow.seller_id == SellerRow.id)
            .order_by(LeadRow.score.desc(), LeadRow.id)
            .limit(limit).offset(offset)
        ).all()
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
    total, rows = lead_rows(PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render_template("leads.html", total=total, leads=rows, page=page, page_size=PAGE_SIZE)


@bp.get("/api/leads")
def api_leads() -> Any:
    """Leads as JSON (formats.md shape plus review state)."""
    limit = int_arg("limit", 100, 1, 1000)
    offset = int_arg("offset", 0, 0, MAX_OFFSET)
    total, rows = lead_rows(limit, offset)
    return jsonify({"total": total, "leads": rows})
