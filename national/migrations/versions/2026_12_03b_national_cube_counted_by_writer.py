"""national: the leads table's cube insert trigger can be muted by the lead projection, which counts its rows itself

The insert trigger (national/reports/models.py SPEC) appends three delta rows (day, week, month) for every lead
inserted: 60,000 rows and their index entries for 20,000 projected leads, ~6–9 µs of SQLite's ~25 µs a lead, and a
PL/pgSQL call with an INSERT a lead on PostgreSQL. The projection (national/feed.py `_insert_leads`) now mutes it
for its own bulk inserts and writes one delta row per key with the same sums. Every other writer (ingest does not
write leads; case formation updates them; tests, benches, tools) is counted by the trigger as before.

SQLite: the insert trigger fires unless the node_state key `cube_counted_by_writer` exists (the projection inserts
it inside its savepoint and deletes it before its own delta rows). PostgreSQL: the row trigger fires unless the
transaction-local setting `hufu.cube_counted` is 'on' (set_config(…, true) around the projection's INSERT).

Revision ID: n_cube_counted_by_writer
Revises: n_reported_leads
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = 'n_cube_counted_by_writer'
down_revision = 'n_reported_leads'
branch_labels = None
depends_on = None

_SQLITE_GUARD = "WHEN NOT EXISTS (SELECT 1 FROM node_state WHERE key = 'cube_counted_by_writer') "
_PG_GUARD = "WHEN (current_setting('hufu.cube_counted', true) IS DISTINCT FROM 'on') "


def _statements(guarded: bool) -> list[str]:
    from national.reports.models import SPEC

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        insert = next(s for s in SPEC.ddl("sqlite") if s.startswith(f"CREATE TRIGGER {SPEC.prefix}_insert "))
        if guarded:
            insert = insert.replace(" BEGIN ", f" {_SQLITE_GUARD}BEGIN ", 1)
        return [f"DROP TRIGGER IF EXISTS {SPEC.prefix}_insert", insert]
    trigger = SPEC.ddl("postgresql")[-1]  # CREATE TRIGGER … FOR EACH ROW EXECUTE FUNCTION …
    if guarded:
        trigger = trigger.replace("FOR EACH ROW EXECUTE", f"FOR EACH ROW {_PG_GUARD}EXECUTE", 1)
    return [f"DROP TRIGGER IF EXISTS {SPEC.prefix} ON {SPEC.table}", trigger]


def upgrade() -> None:
    """The insert trigger re-created with its guard (no table rewrite, no data touched)."""
    for statement in _statements(True):
        op.execute(statement)


def downgrade() -> None:
    """The insert trigger as before (counting every insert)."""
    for statement in _statements(False):
        op.execute(statement)
