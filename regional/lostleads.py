"""After a restore from a backup: the leads this region filed that the national node holds and this database lacks.

A backup predates the leads filed after it was taken; restoring it loses them here while the national node keeps
them (newcomer16 N10: national 118, regional 115, nothing said anywhere the region looks). `check` reads back the
region's own leads from the national node (sync.v1 RegionLeads, paged), compares them by their natural key
(listing, right, type — a lead filed again under a new uuid is the same lead), and keeps the ones missing here in
`national_only_leads` for the /sync page and the restore command's output. `hufu regional restore` runs it; the
worker runs it after a restore when the command could not (and with the daily reconciliation).

`still_missing` is what the page shows: the kept leads whose key this database still lacks — a listing imported
again and screened into the same lead drops off the list by itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import grpc
import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import state
from regional.models import AuditEntry, LeadRow, ListingRow, NationalOnlyLead
from sync.db import Database
from sync.v1 import sync_pb2, sync_pb2_grpc

NEEDED = "national_only_leads_needed"  # set by `hufu regional restore`: check before anything else is trusted
LAST = "national_only_leads_last"  # JSON {"at", "national", "local", "missing"} of the last check (short)
PAGE = 5000
SAMPLE = 20
CHUNK = 500  # listing ids per IN (…) query


class Unsupported(RuntimeError):
    """The national node is of an older release without RegionLeads."""


@dataclass
class LeadsCheck:
    """What one check found."""

    national: int = 0  # leads of this region the national node holds
    local: int = 0  # leads this database holds
    missing: int = 0  # held nationally, not here
    sample: list[tuple[str, str, str, str]] = field(default_factory=list)  # (listing id, right, type, title)


def _local_keys(session: Session, listing_ids: list[str]) -> set[tuple[str, str, str]]:
    keys: set[tuple[str, str, str]] = set()
    for start in range(0, len(listing_ids), CHUNK):
        chunk = listing_ids[start:start + CHUNK]
        keys.update((lid, right, str(kind.value if hasattr(kind, "value") else kind)) for lid, right, kind in
                    session.execute(sa.select(LeadRow.listing_id, LeadRow.right_number, LeadRow.type)
                                    .where(LeadRow.listing_id.in_(chunk))))
    return keys


def check(db: Database, stub: sync_pb2_grpc.FederationSyncStub, *, now: dt.datetime, actor: str = "sync",
          timeout: float = 60.0, page: int = PAGE) -> LeadsCheck:
    """Read back this region's leads from the national node, keep the ones this database lacks, audit the count.

    Raises Unsupported when the national node does not know RegionLeads (older release), grpc.RpcError otherwise.
    """
    result = LeadsCheck()
    missing: list[sync_pb2.FiledLead] = []
    after = 0
    while True:
        try:
            reply = stub.RegionLeads(sync_pb2.RegionLeadsRequest(after=after, max_entries=page), timeout=timeout)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNIMPLEMENTED:  # type: ignore[attr-defined]
                raise Unsupported("the national node does not offer RegionLeads (an older release): the leads "
                                  "this restore lost cannot be listed") from exc
            raise
        result.national = reply.total
        with db.read() as session:
            here = _local_keys(session, sorted({f.listing_id for f in reply.leads}))
        missing.extend(f for f in reply.leads if (f.listing_id, f.right, f.type) not in here)
        if not reply.next or reply.next <= after:
            break
        after = reply.next
    result.missing = len(missing)
    result.sample = [(f.listing_id, f.right, f.type, f.listing_title) for f in missing[:SAMPLE]]
    with db.transaction() as session:
        result.local = session.scalar(sa.select(sa.func.count()).select_from(LeadRow)) or 0
        session.execute(sa.delete(NationalOnlyLead))
        if missing:
            session.execute(sa.insert(NationalOnlyLead), [
                {"uuid": f.uuid[:36], "listing_id": f.listing_id[:200], "right_number": f.right[:64],
                 "type": f.type[:32], "listing_title": f.listing_title[:1000] or None,
                 "detected_at": f.detected_at[:40] or None, "found_at": now} for f in missing])
        state.put(session, LAST, json.dumps({"at": now.isoformat(), "national": result.national,
                                             "local": result.local, "missing": result.missing}), now)
        state.put(session, NEEDED, 0, now)
        session.add(AuditEntry(at=now, actor=actor[:100], action="leads_only_national", detail={
            "national_leads": result.national, "local_leads": result.local, "missing_here": result.missing,
            "listing_ids": [f.listing_id for f in missing[:SAMPLE]]}))
    return result


def due(session: Session) -> bool:
    """Whether a check is owed (a restore asked for one and it has not run)."""
    return bool(state.get_int(session, NEEDED, 0))


@dataclass(frozen=True)
class MissingLead:
    """A lead the national node holds and this database still lacks, for the /sync page."""

    listing_id: str
    right_number: str
    type: str
    title: str | None
    detected_at: str | None
    listing_here: bool  # the listing is here again (imported anew) but no such lead was made from it


def still_missing(session: Session, limit: int = 200) -> tuple[int, list[MissingLead], dict[str, object] | None]:
    """(how many kept leads this database still lacks, the first `limit` of them, the last check's summary)."""
    lead = sa.orm.aliased(LeadRow)
    absent = (sa.select(NationalOnlyLead)
              .outerjoin(lead, sa.and_(lead.listing_id == NationalOnlyLead.listing_id,
                                       lead.right_number == NationalOnlyLead.right_number,
                                       sa.cast(lead.type, sa.String) == NationalOnlyLead.type))
              .where(lead.id.is_(None)))
    count = session.scalar(sa.select(sa.func.count()).select_from(absent.subquery())) or 0
    rows = list(session.scalars(absent.order_by(NationalOnlyLead.id).limit(limit))) if count else []
    present = set(session.scalars(sa.select(ListingRow.id).where(ListingRow.id.in_([r.listing_id for r in rows]))))\
        if rows else set()
    out = [MissingLead(r.listing_id, r.right_number, r.type, r.listing_title, r.detected_at, r.listing_id in present)
           for r in rows]
    raw = state.get(session, LAST)
    try:
        last = json.loads(raw) if raw else None
    except ValueError:
        last = None
    return count, out, last if isinstance(last, dict) else None


def all_missing(session: Session) -> list[MissingLead]:
    """Every kept lead this database still lacks (the CSV download)."""
    return still_missing(session, limit=10**9)[1]
