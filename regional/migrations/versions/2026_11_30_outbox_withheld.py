"""outbox_withheld: records that could never be sent, kept whole behind a signed tombstone

Revision ID: r0002_sync
Revises: r0002_well_known
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002_sync"
down_revision = "r0002_well_known"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "outbox_withheld",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record", sa.LargeBinary(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("withheld_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("epoch", "sequence", name="uq_outbox_withheld_epoch_sequence"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("outbox_withheld")
