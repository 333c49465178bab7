"""regional: a time cube (type, source) for trends, and the judged-leads index covering the officers' workload

The dashboard's trend and its type/source figures read `lead_counts_time` (a few dozen keys a day instead of
city x type x source); the worker folds the same deltas into it. The workload's "judged in the period per
officer" reads (judged_at, state, judged_by) from the index alone instead of a table row per judged lead.

Revision ID: r_dash_speed
Revises: r_search_postings
Create Date: 2026-11-30 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'r_dash_speed'
down_revision = 'r_search_postings'
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
    op.drop_index('ix_leads_judged_at', table_name='leads')
    op.create_index('ix_leads_judged', 'leads', ['judged_at', 'state', 'judged_by'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index('ix_leads_judged', table_name='leads')
    op.create_index('ix_leads_judged_at', 'leads', ['judged_at'], unique=False)
    op.drop_table('lead_counts_time')
