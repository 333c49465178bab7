"""Stored times, one rule for every node: what the database hands back is UTC, aware or not.

SQLite keeps no offset, so a `DateTime(timezone=True)` column comes back naive (the nodes store UTC); PostgreSQL
hands back aware values. Comparing the two kinds raises, so every reader of a stored time goes through `aware`.
Every time a person reads (pages, reports, court-facing documents) is Beijing time to the second: `beijing_text`.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")  # China Standard Time: UTC+8, no daylight saving


@overload
def aware(value: dt.datetime) -> dt.datetime: ...


@overload
def aware(value: None) -> None: ...


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as timezone-aware UTC: a naive value is taken as UTC (SQLite), an aware one is kept as it is
    (PostgreSQL, or a time already converted); None stays None."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def beijing_text(value: dt.datetime | str | None) -> str:
    """A moment as people read it: Beijing time to the second, `2026-10-27 05:24:00`. A stored or ISO 8601 UTC text
    (`2026-10-26T21:24:00.000000Z`) is read first (naive means UTC); text that is not a moment is returned as it is,
    None as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    else:
        moment = value
    return aware(moment).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
