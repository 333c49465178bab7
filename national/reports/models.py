"""National tables of reports and dashboards (declared on the national Base)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from national.models import Base
from regional.reports.cube import (
    AREA_DIMS,
    INDUSTRY_DIMS,
    KEY,
    TIME_DIMS,
    AreaCountColumns,
    CountColumns,
    Cube,
    CubeSpec,
    Fact,
    IndustryCountColumns,
    TimeCountColumns,
    narrow_key,
)


class NationalLeadCount(CountColumns, Base):
    """Folded lead counts per grain, bucket, measure and dimensions (area = the filing region)."""

    __tablename__ = "lead_counts"
    __table_args__ = (sa.PrimaryKeyConstraint(*KEY, name="pk_lead_counts"),
                      # reads that need area and industry under an industry filter: that industry's keys only
                      sa.Index("ix_lead_counts_by_industry", "grain", "industry", "bucket", "measure", "area", "type",
                               "source", "n"),
                      {"sqlite_with_rowid": False})


class NationalLeadCountByArea(AreaCountColumns, Base):
    """Folded lead counts per grain, bucket, measure, area (filing region), type and source (no industry)."""

    __tablename__ = "lead_counts_area"
    __table_args__ = (sa.PrimaryKeyConstraint(*narrow_key(AREA_DIMS), name="pk_lead_counts_area"),
                      {"sqlite_with_rowid": False})


class NationalLeadCountByIndustry(IndustryCountColumns, Base):
    """Folded lead counts per grain, bucket, measure, industry, type and source (no area)."""

    __tablename__ = "lead_counts_industry"
    __table_args__ = (sa.PrimaryKeyConstraint(*narrow_key(INDUSTRY_DIMS), name="pk_lead_counts_industry"),
                      {"sqlite_with_rowid": False})


class NationalLeadCountByTime(TimeCountColumns, Base):
    """Folded lead counts per grain, bucket, measure, type and source (the trend's cube)."""

    __tablename__ = "lead_counts_time"
    __table_args__ = (sa.PrimaryKeyConstraint(*narrow_key(TIME_DIMS), name="pk_lead_counts_time"),
                      {"sqlite_with_rowid": False})


class NationalLeadCountDelta(CountColumns, Base):
    """+1/-1 rows the triggers on `leads` append; folded into `lead_counts` by the worker."""

    __tablename__ = "lead_count_deltas"
    __table_args__ = (sa.Index("ix_lead_count_deltas_bucket", "grain", "bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)


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


CUBE = Cube(NationalLeadCount, NationalLeadCountDelta,
            narrow=((TIME_DIMS, NationalLeadCountByTime),
                    (AREA_DIMS, NationalLeadCountByArea), (INDUSTRY_DIMS, NationalLeadCountByIndustry)))

SPEC = CubeSpec(
    table="leads", counts="lead_counts", deltas="lead_count_deltas", prefix="trg_leads_cube",
    area="{row}region", type="{row}type",
    source="CASE WHEN {row}origin = 'holder_request' THEN 'holder_request' ELSE {row}source END",
    industry="{row}industry",
    facts=(Fact("'detected'", "{row}detected", watched=("detected",)),),
    watched=("region", "type", "source", "origin", "industry"),
)
