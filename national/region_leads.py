"""A region's own leads as the national node holds them, paged (the RegionLeads RPC).

A region restored from a backup no longer holds the leads it filed after that backup was taken; the national
node does. The region reads them back (regional/lostleads.py) and lists, on its /sync page, the ones it lacks so
officers can import their listings again (newcomer16 N10). Pages go by the leads' row id within the region (the
region index plus the primary key), so each page is an index range, never a sort of the region's leads.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import NationalLead
from sync.v1 import sync_pb2

MAX_PAGE = 5000


def region_leads(session: Session, region: str, after: int, limit: int = MAX_PAGE) -> sync_pb2.RegionLeadsReply:
    """The leads `region` filed, after row id `after`, at most `limit` (<= MAX_PAGE) of them, with the total."""
    limit = max(1, min(limit or MAX_PAGE, MAX_PAGE))
    total = session.scalar(sa.select(sa.func.count()).select_from(NationalLead)
                           .where(NationalLead.region == region)) or 0
    rows = session.execute(
        sa.select(NationalLead.id, NationalLead.uuid, NationalLead.listing_id, NationalLead.right_number,
                  NationalLead.type, NationalLead.listing_title, NationalLead.detected_at)
        .where(NationalLead.region == region, NationalLead.id > after)
        .order_by(NationalLead.id).limit(limit)).all()
    reply = sync_pb2.RegionLeadsReply(total=total)
    for _id, uuid, listing, right, kind, title, detected in rows:
        reply.leads.append(sync_pb2.FiledLead(uuid=uuid, listing_id=listing, right=right, type=kind,
                                              listing_title=title or "", detected_at=detected or ""))
    reply.next = rows[-1][0] if len(rows) == limit else 0
    return reply
