"""national: downlink_bodies — a case revision's message stored once, not once per region it goes to

A cross-region case revision is the same message for every region concerned; the downlink stored it once per
region (3.2 copies per case at 100k leads, ~8.7 MB per case-formation cycle). The case writer now stores it once
in `downlink_bodies` under (uuid, revision) and the region's rows name it (`downlink.body_shared`, body empty).
Existing rows keep their own bodies (body_shared false): no rewrite of the downlink.

Revision ID: n_downlink_bodies
Revises: n_event_step_result
Create Date: 2026-12-02 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_downlink_bodies'
down_revision = 'n_event_step_result'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A new table and a column with a default (no table rewrite on either engine)."""
    op.create_table('downlink_bodies',
                    sa.Column('uuid', sa.String(length=36), nullable=False),
                    sa.Column('revision', sa.Integer(), nullable=False),
                    sa.Column('body', sa.LargeBinary(), nullable=False),
                    sa.PrimaryKeyConstraint('uuid', 'revision'))
    op.add_column('downlink', sa.Column('body_shared', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Put each shared body back on its rows, then drop the table and the column."""
    op.execute("UPDATE downlink SET body = (SELECT b.body FROM downlink_bodies b WHERE b.uuid = downlink.uuid "
               "AND b.revision = downlink.revision) WHERE body_shared")
    with op.batch_alter_table('downlink', schema=None) as batch_op:
        batch_op.drop_column('body_shared')
    op.drop_table('downlink_bodies')
