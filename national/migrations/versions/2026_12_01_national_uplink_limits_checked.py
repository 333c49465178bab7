"""national: uplink_records.limits_checked — the field limits national ingest checked a record against

The lead projection re-checked every lead's limits, although ingest refuses a batch with a record over
any limit before it is stored. Ingest now stores the fingerprint of the limits it checked
(sync.limits.LIMITS_FINGERPRINT) with each record; the projection re-checks only records without it
(stored before this revision) or checked under other limits. NULL for every existing row: they are
re-checked, as before.

Revision ID: n_uplink_checked
Revises: n_time_cube
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_uplink_checked'
down_revision = 'n_time_cube'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision (a nullable column: no table rewrite on SQLite or PostgreSQL)."""
    op.add_column('uplink_records', sa.Column('limits_checked', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('uplink_records', schema=None) as batch_op:
        batch_op.drop_column('limits_checked')
