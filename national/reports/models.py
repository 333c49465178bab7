"""National tables of reports and dashboards (declared on the national Base)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from national.models import Base
from regional.reports.cube import CubeSpec, Fact, count_models

# the five cube tables, declared by the factory both nodes share (the same tables, keys and indexes)
_COUNTS = count_models(Base, module=__name__, prefix="National", area="the filing region")
NationalLeadCount = _COUNTS.counts
NationalLeadCountByArea = _COUNTS.by_area
NationalLeadCountByIndustry = _COUNTS.by_industry
NationalLeadCountByTime = _COUNTS.by_time
NationalLeadCountDelta = _COUNTS.deltas


class RegionReport(Base):
    """A region's monthly report as filed (the latest revision of a month is the one compiled)."""

    __tablename__ = "region_reports"
    __table_args__ = (sa.UniqueConstraint("region", "month", "revision", name="uq_region_reports"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    month: Mapped[str] = mapped_column(sa.String(7), index=True)
    revision: Mapped[int]
    office: Mapped[str | None] = mapped_column(sa.String(100))
    generated_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    generated_by: Mapped[str | None] = mapped_column(sa.String(100))
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class NationalReport(Base):
    """A compiled national monthly report, kept for every month (each compilation a new revision)."""

    __tablename__ = "national_reports"
    __table_args__ = (sa.UniqueConstraint("month", "revision", name="uq_national_reports"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), index=True)
    revision: Mapped[int]
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    regions_reported: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    regions_missing: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    generated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    generated_by: Mapped[str] = mapped_column(sa.String(100))


CUBE = _COUNTS.cube

SPEC = CubeSpec(
    table="leads", counts="lead_counts", deltas="lead_count_deltas", prefix="trg_leads_cube",
    area="{row}region", type="{row}type",
    source="CASE WHEN {row}origin = 'holder_request' THEN 'holder_request' ELSE {row}source END",
    industry="{row}industry",
    facts=(Fact("'detected'", "{row}detected", watched=("detected",)),),
    watched=("region", "type", "source", "origin", "industry"),
)
