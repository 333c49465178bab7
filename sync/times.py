"""Stored times, one rule for every node: what the database hands back is UTC, aware or not.

SQLite keeps no offset, so a `DateTime(timezone=True)` column comes back naive (the nodes store UTC); PostgreSQL
hands back aware values. Comparing the two kinds raises, so every reader of a stored time goes through `aware`.
"""

from __future__ import annotations

import datetime as dt
from typing import overload


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
