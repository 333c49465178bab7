"""Database plumbing shared by both node kinds: engines, sessions, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, *, immediate: bool = True, **kwargs: Any) -> sa.Engine:
    """An engine; SQLite gets WAL, foreign keys, a busy timeout and durable commits.

    With `immediate`, SQLite transactions take the write lock at BEGIN, so two
    read-then-write transactions queue instead of failing with "database is locked".
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = sa.create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # autocommit off by default in sqlite3: issue PRAGMAs outside a transaction
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # take the write lock at BEGIN so read-then-write transactions never deadlock
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        # let SQLAlchemy's "begin" event issue BEGIN itself
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        return engine
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def placeholder(dialect: sa.Dialect) -> str:
    """The DB-API parameter marker of a dialect's driver, for hand-written SQL: `?` (sqlite3) or `%s` (psycopg)."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


class Database:
    """An engine and its session factory; created by a node's factory, never at import."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if url.startswith("sqlite"):
            self.read_engine = make_engine(url, immediate=False)
        else:
            self.read_engine = self.engine
        self.read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only."""
        with self.read_sessions() as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        self.read_engine.dispose()


def run_migrations(url: str, script_location: Path, revision: str = "head", *, downgrade: bool = False) -> None:
    """Upgrade (or downgrade) the database at `url` with the Alembic tree at `script_location`."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if downgrade:
        command.downgrade(cfg, revision)
    else:
        command.upgrade(cfg, revision)


def migration_heads(script_location: Path) -> list[str]:
    """The head revisions of an Alembic tree (a healthy tree has exactly one)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    return list(ScriptDirectory.from_config(cfg).get_heads())
