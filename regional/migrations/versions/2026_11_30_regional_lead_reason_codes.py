"""regional: leads keep their reasons as codes with parameters (reason_codes), aligned with the sentences

Revision ID: r_reason_codes
Revises: r_accounts_audit
Create Date: 2026-11-30 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'r_reason_codes'
down_revision = 'r_accounts_audit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_codes', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('reason_codes')
