"""Tables of reports and dashboards at a region: the count cube and the monthly reports (declared on the regional Base)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from regional.models import Base
from regional.reports.cube import CubeSpec, Fact, count_models

# the five cube tables, declared by the factory both nodes share (the same tables, keys and indexes)
_COUNTS = count_models(Base, module=__name__, prefix="", area="a city")
LeadCount = _COUNTS.counts
LeadCountByArea = _COUNTS.by_area
LeadCountByIndustry = _COUNTS.by_industry
LeadCountByTime = _COUNTS.by_time
LeadCountDelta = _COUNTS.deltas


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


CUBE = _COUNTS.cube

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
