"""regional: national_only_leads — leads filed nationally that a restored database no longer holds

After `hufu regional restore` the region reads back its own leads from the national node (sync.v1 RegionLeads)
and keeps here the ones this database lacks (newcomer16 N10: national 118, regional 115, nothing said), so the
/sync page can list them (listing ids) for officers to import again.

Revision ID: r_national_only_leads
Revises: r_model_outcomes
Create Date: 2026-12-03 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r_national_only_leads"
down_revision = "r_model_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A new table."""
    op.create_table("national_only_leads",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("uuid", sa.String(length=36), nullable=False),
                    sa.Column("listing_id", sa.String(length=200), nullable=False),
                    sa.Column("right_number", sa.String(length=64), nullable=False),
                    sa.Column("type", sa.String(length=32), nullable=False),
                    sa.Column("listing_title", sa.String(length=1000), nullable=True),
                    sa.Column("detected_at", sa.String(length=40), nullable=True),
                    sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_national_only_leads_listing_id", "national_only_leads", ["listing_id"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_national_only_leads_listing_id", table_name="national_only_leads")
    op.drop_table("national_only_leads")
