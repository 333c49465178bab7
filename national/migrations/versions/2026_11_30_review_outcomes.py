"""regions' review outcomes (per-region review figures); the officer behind each case-feedback step

Revision ID: n20261130review
Revises: n0001
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n20261130review'
down_revision = 'n0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('review_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('lead_uuid', sa.String(length=36), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.Column('officer', sa.String(length=100), nullable=False),
    sa.Column('second_reviewer', sa.String(length=100), nullable=True),
    sa.Column('model_version', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seconds_to_judge', sa.Double(), nullable=True),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_uuid')
    )
    with op.batch_alter_table('review_outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_review_outcomes_figures', ['region', 'current', 'seconds_to_judge'], unique=False)
        batch_op.create_index('ix_review_outcomes_lead', ['region', 'lead_uuid'], unique=False)

    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officer', sa.String(length=100), nullable=True))



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_column('officer')

    with op.batch_alter_table('review_outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_review_outcomes_lead')
        batch_op.drop_index('ix_review_outcomes_figures')

    op.drop_table('review_outcomes')
