"""national: the blocking keys of recently resolved sellers are appended to a small table, merged in bulk

`seller_keys` (key, lead_id) is clustered by key: a cycle's ~70k new keys of 10k leads land on random leaves of a
tree that grows with the table (8.2M rows at 1M leads), and the commit and WAL checkpoint write nearly every leaf
(issue 12: 0.38 CPU-s and 141 MB for 70k sorted rows at 1M vs 0.12 s and 18 MB at 100k). A cycle now appends its
keys to `seller_keys_recent` (same columns, small and hot) and moves them into `seller_keys` in one sorted bulk
insert once it holds `entities.RECENT_KEYS_MERGE` rows. Readers count and read a key's rows from both tables.

Revision ID: n_recent_seller_keys
Revises: n_cube_counted_by_writer
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_recent_seller_keys'
down_revision = 'n_cube_counted_by_writer'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "seller_keys_recent",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lead_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("key", "lead_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    """Revert this revision (the recent keys moved into seller_keys first)."""
    op.execute("INSERT INTO seller_keys (key, lead_id) SELECT key, lead_id FROM seller_keys_recent ORDER BY key, lead_id")
    op.execute("DELETE FROM node_state WHERE key = 'er_recent_keys'")
    op.drop_table("seller_keys_recent")
