"""national: regions.reported_leads — how many leads a region's database holds, as it says at each hello

A region restored from an older backup no longer holds leads it filed (newcomer16 N10: national 118, regional 115,
nothing said). The hello carries the region's lead count (sync.v1 Hello.lead_count, optional); the overview flags
a region holding fewer leads than it filed. Null for regions that do not report it.

Revision ID: n_reported_leads
Revises: n_downlink_bodies
Create Date: 2026-12-03 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_reported_leads'
down_revision = 'n_downlink_bodies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A nullable column (no table rewrite on either engine)."""
    op.add_column('regions', sa.Column('reported_leads', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('reported_leads')
