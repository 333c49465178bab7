"""Tables of the exhibitions field (大型展会): shows, booths, exhibitors, filed exhibits, station complaints,
and the exhibitors flagged by other regions (delivered through the national node).

Declared on the regional `Base` (regional/models.py imports this module); the Alembic tree creates them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from regional.exhibitions.core import ComplaintState, Resolution
from regional.models import Base, _enum

TS = sa.DateTime(timezone=True)


class Exhibition(Base):
    """A large exhibition hosted in (or screened by) this region."""

    __tablename__ = "exhibitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    venue: Mapped[str] = mapped_column(sa.String(300))
    organiser: Mapped[str] = mapped_column(sa.String(300))
    region: Mapped[str] = mapped_column(sa.String(6))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    halls: Mapped[list[Any]] = mapped_column(default=list)
    deadline_hours: Mapped[int] = mapped_column(default=24)
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    created_by: Mapped[str] = mapped_column(sa.String(100))


class Booth(Base):
    """A booth of a show, in a hall."""

    __tablename__ = "exhibition_booths"
    __table_args__ = (sa.UniqueConstraint("exhibition_id", "code", name="uq_exhibition_booths_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitions.id"), index=True)
    hall: Mapped[str | None] = mapped_column(sa.String(40))
    code: Mapped[str] = mapped_column(sa.String(24))


class Exhibitor(Base):
    """An exhibitor registered for a booth of a show, with its pledge (参展方不侵权承诺)."""

    __tablename__ = "exhibitors"
    __table_args__ = (sa.UniqueConstraint("exhibition_id", "booth_id", name="uq_exhibitors_booth"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitions.id"), index=True)
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibition_booths.id"))
    name: Mapped[str] = mapped_column(sa.String(300))
    uscc: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact: Mapped[str | None] = mapped_column(sa.String(100))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    registered_at: Mapped[dt.datetime] = mapped_column(TS)
    registered_by: Mapped[str] = mapped_column(sa.String(100))
    pledge_signer: Mapped[str | None] = mapped_column(sa.String(100))
    pledge_signed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    # infringements confirmed at shows of other regions, as flagged through the national node when it registered
    flags: Mapped[list[Any]] = mapped_column(default=list)
    # how many infringements at this show were last filed with the national node (the flag's revision)
    reported: Mapped[int] = mapped_column(default=0)


class Exhibit(Base):
    """A filed exhibit (展品报备): the product, photos, the rights relied on or the licence; screened as a listing."""

    __tablename__ = "exhibits"
    __table_args__ = (sa.UniqueConstraint("exhibition_id", "number", name="uq_exhibits_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitions.id"), index=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    number: Mapped[str] = mapped_column(sa.String(40))
    product: Mapped[str] = mapped_column(sa.String(500))
    brand: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    nice_classes: Mapped[list[Any]] = mapped_column(default=list)
    images: Mapped[list[Any]] = mapped_column(default=list)
    rights: Mapped[list[Any]] = mapped_column(default=list)
    licence: Mapped[str | None] = mapped_column(sa.String(1000))
    listing_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    filed_at: Mapped[dt.datetime] = mapped_column(TS)
    filed_by: Mapped[str] = mapped_column(sa.String(100))


class StationComplaint(Base):
    """A complaint logged at the show's on-site station (举报投诉维权援助工作站) against a booth."""

    __tablename__ = "station_complaints"
    __table_args__ = (sa.UniqueConstraint("exhibition_id", "number", name="uq_station_complaints_number"),
                      sa.Index("ix_station_complaints_open", "exhibition_id", "state", "deadline_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitions.id"))
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibition_booths.id"), index=True)
    exhibitor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exhibitors.id"))
    number: Mapped[str] = mapped_column(sa.String(24))
    complainant: Mapped[str] = mapped_column(sa.String(300))
    contact: Mapped[str | None] = mapped_column(sa.String(200))
    right_number: Mapped[str | None] = mapped_column(sa.String(64))
    what: Mapped[str] = mapped_column(sa.String(1000))
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    deadline_at: Mapped[dt.datetime] = mapped_column(TS)
    state: Mapped[ComplaintState] = mapped_column(_enum(ComplaintState, "station_complaint_state"),
                                                  default=ComplaintState.OPEN)
    handler: Mapped[str | None] = mapped_column(sa.String(100))
    resolution: Mapped[Resolution | None] = mapped_column(_enum(Resolution, "station_resolution"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    logged_by: Mapped[str] = mapped_column(sa.String(100))
    events: Mapped[list[Any]] = mapped_column(default=list)  # [{at, actor, action, note}]


class ExhibitorFlag(Base):
    """An exhibitor with infringements confirmed at a show in some region, delivered by the national node."""

    __tablename__ = "exhibitor_flags"
    __table_args__ = (sa.UniqueConstraint("flag_uuid", name="uq_exhibitor_flags_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_uuid: Mapped[str] = mapped_column(sa.String(64))
    uscc: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    region: Mapped[str] = mapped_column(sa.String(6))
    exhibition: Mapped[str] = mapped_column(sa.String(200))
    exhibition_code: Mapped[str] = mapped_column(sa.String(40))
    ends_on: Mapped[dt.date | None]
    infringements: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str | None] = mapped_column(sa.String(1000))
    active: Mapped[bool] = mapped_column(default=True)
    received_at: Mapped[dt.datetime] = mapped_column(TS)
