"""regional: narrow count cubes — (area, type, source) and (industry, type, source) — beside the full one

The dashboards read the narrow cubes unless a figure needs both area and industry; the full cube gets
an index led by industry for those reads. The worker folds the same deltas into all three (one
transaction), so they always agree; the upgrade fills the narrow cubes from the full one.

Revision ID: r_cubes_narrow
Revises: r_emarks
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'r_cubes_narrow'
down_revision = 'r_emarks'
branch_labels = None
depends_on = None

HEAD = [('grain', sa.String(length=1)), ('bucket', sa.Date()), ('measure', sa.String(length=16))]
NARROW = {
    'lead_counts_area': [('area', sa.String(length=6)), ('type', sa.String(length=32)),
                         ('source', sa.String(length=16))],
    'lead_counts_industry': [('industry', sa.SmallInteger()), ('type', sa.String(length=32)),
                             ('source', sa.String(length=16))],
}
INDUSTRY_INDEX = 'ix_lead_counts_by_industry'
INDUSTRY_INDEX_COLUMNS = ['grain', 'industry', 'bucket', 'measure', 'area', 'type', 'source', 'n']


def upgrade() -> None:
    """Apply this revision."""
    for table, dims in NARROW.items():
        columns = HEAD + dims
        key = [name for name, _ in columns]
        op.create_table(table, *(sa.Column(n, t, nullable=False) for n, t in columns),
                        sa.Column('n', sa.BigInteger(), nullable=False),
                        sa.PrimaryKeyConstraint(*key, name=f'pk_{table}'), sqlite_with_rowid=False)
        names = ', '.join(key)
        op.execute(f"INSERT INTO {table} ({names}, n) SELECT {names}, SUM(n) FROM lead_counts "
                   f"GROUP BY {names} HAVING SUM(n) <> 0")
    op.create_index(INDUSTRY_INDEX, 'lead_counts', INDUSTRY_INDEX_COLUMNS, unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(INDUSTRY_INDEX, table_name='lead_counts')
    for table in NARROW:
        op.drop_table(table)
