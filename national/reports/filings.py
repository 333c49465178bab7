"""The regions' monthly filings at the national node, and what each projected lead is counted under."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import AuditEntry
from national.reports.models import RegionReport
from regional.reports.dims import industry_of
from regional.reports.periods import Month, PeriodError
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.national.reports")
SOURCES = frozenset({"ecommerce", "exhibition", "customs", "complaint"})
ORIGINS = frozenset({"monitoring", "launch", "holder_request"})


def _moment(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def lead_columns(lead: sync_pb2.Lead, received: dt.datetime) -> dict[str, Any]:
    """The report columns of a projected lead (regions before these fields: inferred from the title)."""
    detected = _moment(lead.detected_at) or received
    industry = lead.industry if 1 <= lead.industry <= 45 else industry_of((), None, lead.listing_title)
    city = lead.city if len(lead.city) == 6 and lead.city.isdigit() else None
    return {"detected": detected.astimezone(dt.UTC), "source": lead.source if lead.source in SOURCES else None,
            "origin": lead.origin if lead.origin in ORIGINS else None, "industry": industry, "city": city}


def apply_monthly_report(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> bool:
    """Store a region's monthly filing; False (audited) when it was already stored or cannot be used."""
    mr = record.monthly_report
    if session.scalar(sa.select(RegionReport.id).where(RegionReport.record_uuid == record.uuid)) is not None:
        return False
    problem = None
    try:
        Month.parse(mr.month)
        figures = json.loads(mr.figures_json)
        if not isinstance(figures, dict):
            problem = "figures are not a JSON object"
    except (PeriodError, ValueError) as exc:
        problem = str(exc)[:200]
    if problem is None and session.scalar(sa.select(RegionReport.id).where(
            RegionReport.region == region, RegionReport.month == mr.month,
            RegionReport.revision == (mr.revision or 1))) is not None:
        problem = f"revision {mr.revision or 1} of {mr.month} was filed before under another record"
    if problem is not None:
        session.add(AuditEntry(at=now, actor=f"region:{region}", action="monthly_report_unusable",
                               detail={"record": record.uuid, "month": mr.month[:7], "problem": problem}))
        log.warning("monthly report %s from %s not used: %s", record.uuid, region, problem)
        return False
    session.add(RegionReport(region=region, month=mr.month, revision=mr.revision or 1, office=mr.office[:100] or None,
                             generated_at=_moment(mr.generated_at), generated_by=mr.generated_by[:100] or None,
                             figures=figures, record_uuid=record.uuid, received_at=now))
    session.add(AuditEntry(at=now, actor=f"region:{region}", action="monthly_report_received",
                           detail={"month": mr.month, "revision": mr.revision or 1, "record": record.uuid}))
    session.flush()
    return True


def latest_filings(session: Session, month: Month) -> dict[str, RegionReport]:
    """Each region's latest revision of its report for `month`."""
    out: dict[str, RegionReport] = {}
    for row in session.scalars(sa.select(RegionReport).where(RegionReport.month == str(month))
                               .order_by(RegionReport.region, RegionReport.revision)):
        out[row.region] = row
    return out
