"""Tables of electronic IP marks at a region (declared on the regional Base): the register and the scans."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from regional.models import Base, _enum


class MarkState(StrEnum):
    """Where a mark stands in this node's register."""

    ACTIVE = "active"
    REVOKED = "revoked"


class ScanChannel(StrEnum):
    """Where a verification came from."""

    WEB = "web"  # the public verification page
    API = "api"  # the public verification API
    CLI = "cli"  # `hufu regional emark verify`
    DETECTION = "detection"  # a screened listing showing the mark
    OFFICER = "officer"  # an officer checking it on the mark's page


class EmarkRow(Base):
    """A mark this region issued, or a revocation of another region's mark received by downlink."""

    __tablename__ = "emarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[str] = mapped_column(sa.String(24), unique=True)  # region-unique id, e.g. 440000-7QK3M2XW9D
    region: Mapped[str] = mapped_column(sa.String(6), index=True)  # the issuing region
    local: Mapped[bool] = mapped_column(default=True)  # issued by this node (False: known from the downlink)
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    holder: Mapped[str] = mapped_column(sa.String(300))
    licensee: Mapped[str | None] = mapped_column(sa.String(300))
    product: Mapped[str] = mapped_column(sa.String(200))
    batch: Mapped[str | None] = mapped_column(sa.String(64))
    serial: Mapped[str | None] = mapped_column(sa.String(64))
    issued_on: Mapped[dt.date | None]
    payload: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[MarkState] = mapped_column(_enum(MarkState, "emark_state"))
    issued_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    issued_by: Mapped[str | None] = mapped_column(sa.String(100))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(sa.String(100))
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(500))


class EmarkScan(Base):
    """One verification of a mark: every scan is recorded, genuine or not."""

    __tablename__ = "emark_scans"
    __table_args__ = (sa.Index("ix_emark_scans_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    channel: Mapped[ScanChannel] = mapped_column(_enum(ScanChannel, "emark_scan_channel"))
    status: Mapped[str] = mapped_column(sa.String(16), index=True)  # core.Status
    mark_id: Mapped[str | None] = mapped_column(sa.String(24), index=True)  # what the payload claims, if readable
    right_number: Mapped[str | None] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.String(500))
    payload_sha256: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str | None] = mapped_column(sa.String(64))  # who asked (public scans: for the rate limit)
    listing_id: Mapped[str | None] = mapped_column(sa.String(200))  # the listing showing it (detection)
    actor: Mapped[str | None] = mapped_column(sa.String(100))
