"""national: cases.prior_case_id — the closed case (前案) a new case of the same seller and right follows

New leads of a seller whose cross-region case is closed (已结案) used to join that closed case silently. They now
form a new case that names the closed one; the closed case stays as it was. NULL for every existing case.

Revision ID: n_prior_case
Revises: n_uplink_checked
Create Date: 2026-12-02 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_prior_case'
down_revision = 'n_uplink_checked'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add cases.prior_case_id (nullable and indexed, a cases.id like entity_id is a seller_entities.id: no foreign
    key, so no table rewrite on SQLite)."""
    op.add_column('cases', sa.Column('prior_case_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_cases_prior_case_id'), 'cases', ['prior_case_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f('ix_cases_prior_case_id'), table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('prior_case_id')
