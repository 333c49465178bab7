"""Across regions (展会执法维权协作): exhibitors with infringements confirmed at this region's shows go up to the
national node as `exhibitor_infringement` records; flags from every region come down as `exhibitor_flag`
items and are matched when an exhibitor registers (regional/exhibitions/service.py: register).

An exhibitor's infringements at a show: its resolved station complaints (every resolution confirms an
infringement; a complaint that does not hold is dismissed) plus the confirmed leads on its exhibits.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import outbox
from regional.actors import ADMIN, OFFICER, SUPERVISOR, Actor, audit
from regional.domain import LeadState
from regional.exhibitions.core import ComplaintState
from regional.exhibitions.models import Exhibit, Exhibition, Exhibitor, ExhibitorFlag, StationComplaint
from regional.models import LeadRow
from sync.times import aware as _aware
from sync.v1 import sync_pb2

NAMESPACE = uuidlib.UUID("5f1c7a52-3c0e-4e55-9d0b-14a1d0e2c914")


def infringements(session: Session, exhibitor: Exhibitor) -> int:
    """Resolved station complaints against the exhibitor plus confirmed leads on its exhibits."""
    complaints = session.scalar(sa.select(sa.func.count()).select_from(StationComplaint).where(
        StationComplaint.exhibitor_id == exhibitor.id, StationComplaint.state == ComplaintState.RESOLVED)) or 0
    leads = session.scalar(sa.select(sa.func.count()).select_from(LeadRow).join(
        Exhibit, Exhibit.listing_id == LeadRow.listing_id).where(
        Exhibit.exhibitor_id == exhibitor.id, LeadRow.state == LeadState.CONFIRMED)) or 0
    return int(complaints) + int(leads)


def record_uuid(region: str, show: Exhibition, exhibitor: Exhibitor) -> str:
    """One record identity per (region, show, exhibitor): later counts are new revisions of it."""
    return str(uuidlib.uuid5(NAMESPACE, f"{region}:{show.code}:{exhibitor.uscc or exhibitor.name}"))


def file_exhibitor(session: Session, signer: outbox.Signer, show: Exhibition, exhibitor: Exhibitor,
                   now: dt.datetime) -> bool:
    """File the exhibitor's infringements with the national node if the count grew; True when filed."""
    count = infringements(session, exhibitor)
    if count <= exhibitor.reported:
        return False
    summary = f"{count} infringement(s) confirmed at {show.name} ({show.starts_on}..{show.ends_on})"
    record = sync_pb2.Record(
        uuid=record_uuid(signer.region, show, exhibitor), revision=count, created_at=now.isoformat(),
        exhibitor_infringement=sync_pb2.ExhibitorInfringement(
            exhibitor=exhibitor.name, uscc=exhibitor.uscc or "", exhibition=show.name, exhibition_code=show.code,
            ends_on=show.ends_on.isoformat(), infringements=count, summary=summary[:1000]))
    outbox.append(session, signer, record, now)
    exhibitor.reported = count
    return True


def report_show(db: Any, signer: outbox.Signer, code: str, actor: Actor, now: dt.datetime) -> int:
    """File every exhibitor of the show whose confirmed infringements grew since last filed; returns how many."""
    from regional.exhibitions.service import get

    actor.require(OFFICER, SUPERVISOR, ADMIN)
    filed = 0
    with db.transaction() as session:
        show = get(session, code)
        for exhibitor in session.scalars(sa.select(Exhibitor).where(Exhibitor.exhibition_id == show.id)):
            filed += int(file_exhibitor(session, signer, show, exhibitor, now))
        if filed:
            audit(session, actor, "exhibitors_reported", now, exhibition=show.code, exhibitors=filed)
    return filed


def apply_flag(session: Session, flag_uuid: str, revision: int, msg: sync_pb2.ExhibitorInfringement,
               now: dt.datetime) -> None:
    """Keep a flag delivered by the national node (a later revision updates it)."""
    row = session.scalar(sa.select(ExhibitorFlag).where(ExhibitorFlag.flag_uuid == flag_uuid))
    if row is None:
        row = ExhibitorFlag(flag_uuid=flag_uuid, received_at=now, infringements=-1)
        session.add(row)
    if msg.infringements < row.infringements:
        return  # an older revision arriving late
    try:
        ends_on = dt.date.fromisoformat(msg.ends_on) if msg.ends_on else None
    except ValueError:
        ends_on = None
    row.uscc = msg.uscc.upper()[:18] or None
    row.name = msg.exhibitor[:300]
    row.region = msg.region[:6]
    row.exhibition = msg.exhibition[:200]
    row.exhibition_code = msg.exhibition_code[:40]
    row.ends_on = ends_on
    row.infringements = int(msg.infringements)
    row.summary = msg.summary[:1000] or None
    row.active = msg.infringements > 0
    row.received_at = now


# ---------------------------------------------------------------- the monthly report (月报)


def report_section(session: Session, lo: dt.datetime, hi: dt.datetime) -> dict[str, Any]:
    """The shows held in the month [lo, hi) (any day in it), each summed up: filings, screening, leads,
    the complaint station. A section of the regional monthly report (regional/reports/figures.py)."""
    from regional.exhibitions.core import OPEN_STATES, due
    from regional.models import ListingRow

    first, last = (lo + dt.timedelta(hours=8)).date(), (hi + dt.timedelta(hours=8)).date() - dt.timedelta(days=1)
    rows = []
    for show in session.scalars(sa.select(Exhibition).where(Exhibition.starts_on <= last, Exhibition.ends_on >= first)
                                .order_by(Exhibition.starts_on, Exhibition.code)):
        exhibits = session.execute(sa.select(Exhibit.listing_id).where(Exhibit.exhibition_id == show.id)).scalars().all()
        screened = leads = confirmed = 0
        for offset in range(0, len(exhibits), 900):
            chunk = list(exhibits[offset:offset + 900])
            screened += int(session.scalar(sa.select(sa.func.count()).select_from(ListingRow).where(
                ListingRow.id.in_(chunk), ListingRow.screened_at.is_not(None))) or 0)
            for state, n in session.execute(sa.select(LeadRow.state, sa.func.count()).where(
                    LeadRow.listing_id.in_(chunk)).group_by(LeadRow.state)):
                leads += int(n)
                confirmed += int(n) if state == LeadState.CONFIRMED else 0
        complaints = list(session.execute(sa.select(StationComplaint.state, StationComplaint.deadline_at,
                                                    StationComplaint.closed_at)
                                          .where(StationComplaint.exhibition_id == show.id)))
        on_time = sum(1 for st, dl, closed in complaints
                      if st not in OPEN_STATES and due(st, _aware(dl), hi, _aware(closed) if closed else None).value
                      == "closed_on_time")
        flagged = int(session.scalar(sa.select(sa.func.count()).select_from(Exhibitor).where(
            Exhibitor.exhibition_id == show.id, Exhibitor.reported > 0)) or 0)
        rows.append({"code": show.code, "name": show.name, "dates": f"{show.starts_on}–{show.ends_on}",
                     "exhibits": len(exhibits), "screened": screened, "leads": leads, "confirmed": confirmed,
                     "complaints": len(complaints),
                     "resolved": sum(1 for st, _d, _c in complaints if st == ComplaintState.RESOLVED),
                     "dismissed": sum(1 for st, _d, _c in complaints if st == ComplaintState.DISMISSED),
                     "open": sum(1 for st, _d, _c in complaints if st in OPEN_STATES),
                     "on_time": on_time, "reported": flagged})
    columns = [["code", "text"], ["name", "text"], ["dates", "text"], ["exhibits", "int"], ["screened", "int"],
               ["leads", "int"], ["confirmed", "int"], ["complaints", "int"], ["resolved", "int"],
               ["dismissed", "int"], ["open", "int"], ["on_time", "int"], ["reported", "int"]]
    return {"key": "exhibitions", "columns": columns, "rows": rows}
