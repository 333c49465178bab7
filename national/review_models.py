"""National tables of the officers' workflow: the regions' review outcomes (declared on the national Base)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from national.models import Base


class ReviewOutcomeRow(Base):
    """A region's final judgement of one of its leads, as filed (人工判断结果回传)."""

    __tablename__ = "review_outcomes"
    __table_args__ = (sa.Index("ix_review_outcomes_figures", "region", "current", "seconds_to_judge"),
                      sa.Index("ix_review_outcomes_lead", "region", "lead_uuid"))

    id: Mapped[int] = mapped_column(primary_key=True)
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    region: Mapped[str] = mapped_column(sa.String(6))
    lead_uuid: Mapped[str] = mapped_column(sa.String(36))
    outcome: Mapped[str] = mapped_column(sa.String(16))
    reason_code: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str | None] = mapped_column(sa.String(2000))
    officer: Mapped[str] = mapped_column(sa.String(100))
    second_reviewer: Mapped[str | None] = mapped_column(sa.String(100))
    model_version: Mapped[str | None] = mapped_column(sa.String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    detected_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    seconds_to_judge: Mapped[float | None]
    current: Mapped[bool] = mapped_column(default=True)  # the latest outcome of its lead
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
