"""Named sync values kept in the sync_state table, read and written inside a caller's transaction."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.models import SyncState

EPOCH = "epoch"
ACKED = "acked_sequence"  # highest sequence the national node acknowledged as committed
DOWNLINK_CURSOR = "downlink_cursor"
LAST_PUSH_OK = "last_push_ok"
LAST_PULL_OK = "last_pull_ok"
LAST_ERROR = "last_error"


def get(session: Session, key: str, default: str | None = None, *, for_update: bool = False) -> str | None:
    """A value, or `default`; `for_update` locks the row on PostgreSQL."""
    stmt = sa.select(SyncState.value).where(SyncState.key == key)
    if for_update:
        stmt = stmt.with_for_update()
    value = session.scalar(stmt)
    return default if value is None else value


def get_int(session: Session, key: str, default: int = 0, *, for_update: bool = False) -> int:
    """An integer value."""
    value = get(session, key, None, for_update=for_update)
    return default if value is None else int(value)


def put(session: Session, key: str, value: object, now: dt.datetime) -> None:
    """Insert or update a value."""
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=str(value), updated_at=now))
    else:
        row.value = str(value)
        row.updated_at = now
