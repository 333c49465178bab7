"""registry: a trademark's registered counterparts in other scripts; the listing's language (issue 14)

Revision ID: r_counterparts
Revises: r_pilot_customs
Create Date: 2026-11-30 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r_counterparts"
down_revision = "r_pilot_customs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add registry_rights.counterparts (an empty list for every existing right) and listings.language."""
    with op.batch_alter_table("registry_rights") as batch:
        batch.add_column(sa.Column("counterparts", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("registry_rights") as batch:  # the default only fills existing rows (the model sets [])
        batch.alter_column("counterparts", existing_type=sa.JSON(), existing_nullable=False, server_default=None)
    with op.batch_alter_table("listings") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    op.create_index("ix_listings_language", "listings", ["language"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_listings_language", table_name="listings")
    with op.batch_alter_table("listings") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("registry_rights") as batch:
        batch.drop_column("counterparts")
