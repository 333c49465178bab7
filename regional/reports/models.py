"""Tables of reports and dashboards at a region: the count cube and the monthly reports (declared on the regional Base)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from regional.models import Base
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


class LeadCount(CountColumns, Base):
    """Folded lead counts per grain, bucket, measure and dimensions."""

    __tablename__ = "lead_counts"
    # the key is the primary key; on SQLite the table is clustered on it (no rowid), so a read is one range scan
    __table_args__ = (sa.PrimaryKeyConstraint(*KEY, name="pk_lead_counts"),
                      # reads that need area and industry under an industry filter: that industry's keys only
                      sa.Index("ix_lead_counts_by_industry", "grain", "industry", "bucket", "measure", "area", "type",
                               "source", "n"),
                      {"sqlite_with_rowid": False})


class LeadCountByArea(AreaCountColumns, Base):
    """Folded lead counts per grain, bucket, measure, area (city), type and source (no industry)."""

    __tablename__ = "lead_counts_area"
    __table_args__ = (sa.PrimaryKeyConstraint(*narrow_key(AREA_DIMS), name="pk_lead_counts_area"),
                      {"sqlite_with_rowid": False})


class LeadCountByIndustry(IndustryCountColumns, Base):
    """Folded lead counts per grain, bucket, measure, industry, type and source (no area)."""

    __tablename__ = "lead_counts_industry"
    __table_args__ = (sa.PrimaryKeyConstraint(*narrow_key(INDUSTRY_DIMS), name="pk_lead_counts_industry"),
                      {"sqlite_with_rowid": False})


class LeadCountByTime(TimeCountColumns, Base):
    """Folded lead counts per grain, bucket, measure, type and source (the trend's cube)."""

    __tablename__ = "lead_counts_time"
    __table_args__ = (sa.PrimaryKeyConstraint(*narrow_key(TIME_DIMS), name="pk_lead_counts_time"),
                      {"sqlite_with_rowid": False})


class LeadCountDelta(CountColumns, Base):
    """+1/-1 rows the triggers on `leads` append; folded into `lead_counts` by the worker."""

    __tablename__ = "lead_count_deltas"
    __table_args__ = (sa.Index("ix_lead_count_deltas_bucket", "grain", "bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)


class MonthlyReport(Base):
    """A monthly report (月报) this region generated: its figures, and the filing that carried it up."""

    __tablename__ = "monthly_reports"
    __table_args__ = (sa.UniqueConstraint("month", "revision", name="uq_monthly_reports_month_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), index=True)  # YYYY-MM
    revision: Mapped[int] = mapped_column(default=1)
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    generated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    generated_by: Mapped[str] = mapped_column(sa.String(100))
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)  # the monthly filing in the outbox


CUBE = Cube(LeadCount, LeadCountDelta,
            narrow=((TIME_DIMS, LeadCountByTime),
                    (AREA_DIMS, LeadCountByArea), (INDUSTRY_DIMS, LeadCountByIndustry)))

SPEC = CubeSpec(
    table="leads", counts="lead_counts", deltas="lead_count_deltas", prefix="trg_leads_cube",
    area="{row}city", type="{row}type",
    source="CASE WHEN {row}origin = 'holder_request' THEN 'holder_request' ELSE {row}source END",
    industry="{row}industry",
    facts=(
        Fact("'detected'", "{row}created_at", watched=("created_at",)),
        Fact("{row}state", "{row}judged_at", "{row}state IN ('confirmed', 'excluded')", watched=("state", "judged_at")),
    ),
    watched=("type", "source", "origin", "city", "industry"),
)
