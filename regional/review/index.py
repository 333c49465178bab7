"""Keeping the review queue's search terms: for new leads as they are made, and a catch-up for any missed."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.models import LeadRow, ListingRow, SellerRow
from regional.review.search import terms_of
from regional.workflow_models import LeadSearch


def index_leads(session: Session, leads: Iterable[tuple[LeadRow, ListingRow, SellerRow | None]]) -> int:
    """Add search terms (listing title, seller, ids, right number) for leads just made in this transaction."""
    rows = [{"lead_id": lead.id, "terms": " ".join(terms_of(listing.title, seller.name if seller else None,
                                                             listing.id, lead.right_number,
                                                             seller.uscc if seller else None))}
            for lead, listing, seller in leads]
    if rows:
        session.execute(sa.insert(LeadSearch), rows)
    return len(rows)


def index_missing(session: Session, limit: int = 5000) -> int:
    """Index leads that have no search terms yet (made by a path that did not index them); returns how many."""
    missing = session.execute(
        sa.select(LeadRow, ListingRow, SellerRow)
        .join(ListingRow, LeadRow.listing_id == ListingRow.id)
        .outerjoin(SellerRow, LeadRow.seller_id == SellerRow.id)
        .outerjoin(LeadSearch, LeadSearch.lead_id == LeadRow.id)
        .where(LeadSearch.lead_id.is_(None)).order_by(LeadRow.id).limit(limit)).all()
    return index_leads(session, [(lead, listing, seller) for lead, listing, seller in missing])
