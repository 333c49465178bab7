"""The columns of the account tables, shared by both nodes' schemas (each declares them on its own Base)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

TS = sa.DateTime(timezone=True)
NAME_MAX = 64


class UserColumns:
    """A person who signs in: one role, a memory-hard password hash, a lock-out clock."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX), unique=True)
    display_name: Mapped[str | None] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(sa.String(32))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    password_changed_at: Mapped[dt.datetime] = mapped_column(TS)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(TS)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(TS)
    # bumped when the user is disabled or the password changes: older sessions stop working
    session_epoch: Mapped[int] = mapped_column(default=0)


class TokenColumns:
    """An API token of a user (a machine client acting as that user); only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(TS)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(TS)


class LoginAttemptColumns:
    """One sign-in attempt, for throttling by address and by account name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    ok: Mapped[bool]
