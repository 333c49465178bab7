"""Tables of the import/export field (进出口): declarations, customs recordations, foreign rights, key export products.

Declared on the regional `Base` (regional/models.py imports this module); the Alembic tree creates them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from regional.customs.core import Direction
from regional.domain import RightKind
from regional.models import Base, _enum

TS = sa.DateTime(timezone=True)


class CustomsDeclaration(Base):
    """A customs declaration (报关单) as imported; screened as the record `C:NUMBER`."""

    __tablename__ = "customs_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(30), unique=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "customs_direction"))
    port: Mapped[str] = mapped_column(sa.String(100))
    hs_code: Mapped[str] = mapped_column(sa.String(10), index=True)
    goods: Mapped[str] = mapped_column(sa.String(500))
    brand: Mapped[str | None] = mapped_column(sa.String(200))
    quantity: Mapped[float | None]
    unit: Mapped[str | None] = mapped_column(sa.String(16))
    value: Mapped[float | None]
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    consignor_name: Mapped[str | None] = mapped_column(sa.String(300))
    consignor_uscc: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    consignee_name: Mapped[str | None] = mapped_column(sa.String(300))
    consignee_uscc: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    origin_country: Mapped[str | None] = mapped_column(sa.String(2))
    destination_country: Mapped[str | None] = mapped_column(sa.String(2))
    declared_on: Mapped[dt.date | None] = mapped_column(index=True)
    listing_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(TS)


class CustomsRecordation(Base):
    """A right recorded for customs protection (知识产权海关备案): part of the registry."""

    __tablename__ = "customs_recordations"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    right_number: Mapped[str] = mapped_column(sa.String(64), index=True)
    holder: Mapped[str] = mapped_column(sa.String(300))
    mark: Mapped[str | None] = mapped_column(sa.String(200))
    valid_until: Mapped[dt.date | None]
    licensees: Mapped[list[Any]] = mapped_column(default=list)  # [{name, uscc}]
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))


class ForeignRightRow(Base):
    """A right registered in a foreign market (境外权利), for export risk warnings."""

    __tablename__ = "foreign_rights"
    __table_args__ = (sa.UniqueConstraint("country", "number", name="uq_foreign_rights_country_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    kind: Mapped[RightKind] = mapped_column(_enum(RightKind, "foreign_right_kind"))
    number: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(500))
    owner: Mapped[str] = mapped_column(sa.String(300))
    nice_classes: Mapped[list[Any]] = mapped_column(default=list)
    ipc: Mapped[list[Any]] = mapped_column(default=list)
    claims: Mapped[str | None] = mapped_column(sa.Text)
    valid_until: Mapped[dt.date | None]
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))


class ExportProductRow(Base):
    """One of the province's key export products (重点出口产品) and its destination markets."""

    __tablename__ = "export_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    brand: Mapped[str | None] = mapped_column(sa.String(200))
    hs_code: Mapped[str | None] = mapped_column(sa.String(10))
    nice_classes: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(sa.Text)
    exporter: Mapped[str | None] = mapped_column(sa.String(300))
    destinations: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(TS)
