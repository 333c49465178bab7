"""national: a time cube (type, source) for the dashboard's trend and its type/source figures

A few dozen keys a day instead of region x type x source; the worker folds the same deltas into it.

Revision ID: n_time_cube
Revises: n_cubes_narrow
Create Date: 2026-11-30 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_time_cube'
down_revision = 'n_cubes_narrow'
branch_labels = None
depends_on = None

COLUMNS = [('grain', sa.String(length=1)), ('bucket', sa.Date()), ('measure', sa.String(length=16)),
           ('type', sa.String(length=32)), ('source', sa.String(length=16))]


def upgrade() -> None:
    """Apply this revision."""
    key = [name for name, _ in COLUMNS]
    op.create_table('lead_counts_time', *(sa.Column(n, t, nullable=False) for n, t in COLUMNS),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint(*key, name='pk_lead_counts_time'), sqlite_with_rowid=False)
    names = ', '.join(key)
    op.execute(f"INSERT INTO lead_counts_time ({names}, n) SELECT {names}, SUM(n) FROM lead_counts "
               f"GROUP BY {names} HAVING SUM(n) <> 0")


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('lead_counts_time')
