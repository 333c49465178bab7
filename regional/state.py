"""Named sync values kept in the sync_state table, read and written inside a caller's transaction."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from regional.models import SyncState

EPOCH = "epoch"
ACKED = "acked_sequence"  # highest sequence the national node acknowledged as committed
DOWNLINK_CURSOR = "downlink_cursor"
LAST_PUSH_OK = "last_push_ok"
LAST_PULL_OK = "last_pull_ok"
LAST_ERROR = "last_error"
LAST_RECONCILE = "last_reconcile"
EPOCH_GRANT = "epoch_grant"  # hex of the national node's signature granting the current epoch (restore)


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


def _insert(session: Session):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](SyncState)


def ensure(session: Session, key: str, default: object, now: dt.datetime) -> None:
    """Create the row with `default` unless it exists; safe when two transactions race to create it."""
    session.execute(_insert(session).values(key=key, value=str(default), updated_at=now)
                    .on_conflict_do_nothing(index_elements=["key"]))


def put(session: Session, key: str, value: object, now: dt.datetime) -> None:
    """Insert or update a value in one statement (an upsert, so first writers never collide)."""
    stmt = _insert(session).values(key=key, value=str(value), updated_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                               set_={"value": stmt.excluded.value,
                                                     "updated_at": stmt.excluded.updated_at}))
