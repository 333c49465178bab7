"""Schema migrations as an operator runs them: where the database stands, and an upgrade that says what it did.

`hufu national migrate` and `hufu regional migrate` (the Ansible roles and upgrade.yml call them)
bring a node's database to the release's Alembic head and nothing else: they never touch the
node's configuration file, so a configuration managed by a template stays exactly as rendered.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sync.db import make_engine, migration_heads, run_migrations


@dataclass(frozen=True)
class MigrationState:
    """Where a database stands against its Alembic tree."""

    url: str  # with the password hidden
    current: tuple[str, ...]  # revisions stamped in the database (empty: never migrated)
    heads: tuple[str, ...]  # the tree's heads in this release

    @property
    def pending(self) -> bool:
        """Whether an upgrade would change the schema."""
        return set(self.current) != set(self.heads)

    @property
    def ahead(self) -> tuple[str, ...]:
        """Revisions in the database this release does not know (a newer release migrated it)."""
        return tuple(r for r in self.current if r not in self.known)

    known: frozenset[str] = field(default=frozenset(), repr=False)  # every revision of this release's tree


def redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(unparsable database URL)"


def _known_revisions(script_location: Path) -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    return frozenset(rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions())


def state(url: str, script_location: Path) -> MigrationState:
    """Read the revisions stamped in the database at `url` (no changes made)."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url, immediate=False, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    finally:
        engine.dispose()
    return MigrationState(url=redact(url), current=current, heads=tuple(sorted(migration_heads(script_location))),
                          known=_known_revisions(script_location))


def require_current(url: str, script_location: Path, migrate_command: str) -> None:
    """Refuse (ConfigError) to run on a database not at this release's schema, naming the command that brings it
    there — instead of serving and logging "no such column" on every job (newcomer15 F14: a release unpacked and
    restarted without `migrate` looked up and did nothing)."""
    from sync.config import ConfigError

    try:
        now = state(url, script_location)
    except sa.exc.SQLAlchemyError as exc:
        raise ConfigError(f"cannot open the database {redact(url)}: {exc.__class__.__name__}: "
                          f"{str(exc).splitlines()[0]}") from None
    if now.ahead:
        raise ConfigError(f"the database {now.url} is at revision {', '.join(now.ahead)}, which this release does "
                          "not know: a newer release migrated it; run that release")
    if set(now.current) != set(now.heads):
        raise ConfigError(f"the database schema is at {', '.join(now.current) or 'nothing'}, this release needs "
                          f"{', '.join(now.heads)}: run `{migrate_command}`")


class NewerDatabase(RuntimeError):
    """The database was migrated by a newer release than the one running."""


def upgrade(url: str, script_location: Path) -> tuple[MigrationState, MigrationState]:
    """Upgrade to head; return the state before and after. Refuses a database a newer release migrated."""
    before = state(url, script_location)
    if before.ahead:
        raise NewerDatabase(
            f"database {before.url} is at revision {', '.join(before.ahead)}, which this release does not know: "
            "a newer release migrated it; install that release (or restore a backup taken before the upgrade)")
    if before.pending:
        run_migrations(url, script_location)
    return before, state(url, script_location)


# ---------------------------------------------------------------- the `migrate` command of both nodes

EXIT_PENDING = 3  # `migrate --check`: the database needs an upgrade


def add_parser(sub: Any, kind: str, func: Callable[[argparse.Namespace], int]) -> None:
    """Add `migrate` to a node's command group (`hufu national` or `hufu regional`)."""
    x = sub.add_parser("migrate", help=f"upgrade the {kind} database to this release's schema (Alembic); "
                                       "configuration is left as it is",
                       description=f"Apply the pending Alembic migrations of the {kind} database named by the "
                                   "node's configuration. Prints what changed; with --check changes nothing "
                                   f"and exits {EXIT_PENDING} when an upgrade is pending.")
    x.add_argument("--data-dir", type=Path, required=True,
                   help=f"the {kind} node's data directory (its config file, database, keys and logs)")
    x.add_argument("--check", action="store_true",
                   help=f"only report; exit {EXIT_PENDING} when migrations are pending, 1 when the database is newer")
    x.add_argument("--json", action="store_true", help="also print one JSON line last (for scripts)")
    x.set_defaults(func=func)


def run_command(kind: str, label: str, args: argparse.Namespace, db_url: str, script_location: Path) -> int:
    """`hufu <kind> migrate`: upgrade (or with --check, report); errors name the database, never its password."""
    try:
        return _run(kind, label, args, db_url, script_location)
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"hufu: cannot reach the {label} database {redact(db_url)}: {reason}", file=sys.stderr)
        return 1


def _run(kind: str, label: str, args: argparse.Namespace, db_url: str, script_location: Path) -> int:
    if args.check:
        st = state(db_url, script_location)
        if st.ahead:
            print(f"hufu: {label} database {st.url} is at {', '.join(st.ahead)}, newer than this release "
                  f"(head {', '.join(st.heads)})", file=sys.stderr)
            code = 1
        elif st.pending:
            print(f"{label} database {st.url}: at {', '.join(st.current) or '(empty)'}, "
                  f"needs upgrade to {', '.join(st.heads)}")
            code = EXIT_PENDING
        else:
            print(f"{label} database {st.url}: at head {', '.join(st.heads)}; nothing to do")
            code = 0
        if args.json:
            print(json.dumps({"node": kind, "database": st.url, "current": list(st.current),
                              "heads": list(st.heads), "pending": st.pending}))
        return code
    try:
        before, after = upgrade(db_url, script_location)
    except NewerDatabase as exc:
        print(f"hufu: {exc}", file=sys.stderr)
        return 1
    changed = before.current != after.current
    if changed:
        print(f"{label} database {after.url}: upgraded from {', '.join(before.current) or '(empty)'} "
              f"to {', '.join(after.current)}")
    else:
        print(f"{label} database {after.url}: at head {', '.join(after.current)}; nothing to do")
    if args.json:
        print(json.dumps({"node": kind, "database": after.url, "before": list(before.current),
                          "after": list(after.current), "heads": list(after.heads), "changed": changed}))
    return 0
