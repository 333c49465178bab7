"""registry: well-known marks (驰名商标) flag

Revision ID: r0002_well_known
Revises: r_reason_codes
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002_well_known"
down_revision = "r_reason_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add registry_rights.well_known (false for every existing right)."""
    with op.batch_alter_table("registry_rights") as batch:
        batch.add_column(sa.Column("well_known", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Drop registry_rights.well_known."""
    with op.batch_alter_table("registry_rights") as batch:
        batch.drop_column("well_known")
