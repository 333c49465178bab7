"""incremental entity resolution: stored seller records, keys, entities, links

The national node resolves sellers incrementally (issue 12): each new lead's seller is compared
with the stored records sharing a blocking key, and entities are merged or split in place. These
tables hold that state; `merge_reviews.applied` records which decision the resolver applied;
`cases.entity_id` ties a case to its seller entity; `leads.seller_shop_url`
keeps the seller's shop URL filed with the lead.

Revision ID: cases0002
Revises: cases0001
Create Date: 2026-11-30 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cases0002"
down_revision = "cases0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("leads") as batch_op:
        batch_op.add_column(sa.Column("seller_shop_url", sa.String(length=1000), nullable=True))
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("entity_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_cases_entity_id", ["entity_id"], unique=False)
    with op.batch_alter_table("merge_reviews") as batch_op:
        batch_op.add_column(sa.Column("applied", sa.String(length=16), nullable=True))
    op.create_table(
        "seller_records",
        sa.Column("lead_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Text(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("lead_id"),
    )
    op.create_index("ix_seller_records_entity_id", "seller_records", ["entity_id"], unique=False)
    op.create_table(
        "seller_entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "seller_keys",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lead_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("key", "lead_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "seller_links",
        sa.Column("lead_a", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("lead_b", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("officer", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("lead_a", "lead_b"),
    )
    op.create_index("ix_seller_links_lead_b", "seller_links", ["lead_b"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_seller_links_lead_b", table_name="seller_links")
    op.drop_table("seller_links")
    op.drop_table("seller_keys")
    op.drop_table("seller_entities")
    op.drop_index("ix_seller_records_entity_id", table_name="seller_records")
    op.drop_table("seller_records")
    with op.batch_alter_table("merge_reviews") as batch_op:
        batch_op.drop_column("applied")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_entity_id")
        batch_op.drop_column("entity_id")
    with op.batch_alter_table("leads") as batch_op:
        batch_op.drop_column("seller_shop_url")
