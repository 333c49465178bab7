"""seller_entities.facts: registration place, legal form, trade and strength of an entity

Issue 11: linking refuses contradictions beyond credit codes (places, legal forms, trades) and
keeps weak records from bridging entities, so each stored entity keeps these facts. The stored
state is rebuilt once on the next worker start (`entities.ER_VERSION` changed with them).

Revision ID: cases0003
Revises: cases0002
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cases0003"
down_revision = "cases0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("seller_entities") as batch_op:
        batch_op.add_column(sa.Column("facts", sa.Text(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("seller_entities") as batch_op:
        batch_op.drop_column("facts")
