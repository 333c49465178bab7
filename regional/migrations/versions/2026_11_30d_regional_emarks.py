"""electronic IP marks (issue 14): the register, the scans, the e-mark a listing shows

Revision ID: r_emarks
Revises: r_review_counts
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r_emarks"
down_revision = "r_review_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create emarks and emark_scans; add listings.emark."""
    op.create_table(
        "emarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mark_id", sa.String(length=24), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("right_number", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=300), nullable=False),
        sa.Column("licensee", sa.String(length=300), nullable=True),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=True),
        sa.Column("serial", sa.String(length=64), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("state", sa.Enum("active", "revoked", name="emark_state", native_enum=False, length=32),
                  nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mark_id"),
    )
    op.create_index("ix_emarks_region", "emarks", ["region"])
    op.create_index("ix_emarks_right_number", "emarks", ["right_number"])
    op.create_table(
        "emark_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.Enum("web", "api", "cli", "detection", "officer", name="emark_scan_channel",
                                     native_enum=False, length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("mark_id", sa.String(length=24), nullable=True),
        sa.Column("right_number", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("listing_id", sa.String(length=200), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_emark_scans_at", "emark_scans", ["at"])
    op.create_index("ix_emark_scans_status", "emark_scans", ["status"])
    op.create_index("ix_emark_scans_mark_id", "emark_scans", ["mark_id"])
    op.create_index("ix_emark_scans_address_at", "emark_scans", ["address", "at"])
    with op.batch_alter_table("listings") as batch:
        batch.add_column(sa.Column("emark", sa.String(length=2048), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("listings") as batch:
        batch.drop_column("emark")
    op.drop_index("ix_emark_scans_address_at", table_name="emark_scans")
    op.drop_index("ix_emark_scans_mark_id", table_name="emark_scans")
    op.drop_index("ix_emark_scans_status", table_name="emark_scans")
    op.drop_index("ix_emark_scans_at", table_name="emark_scans")
    op.drop_table("emark_scans")
    op.drop_index("ix_emarks_right_number", table_name="emarks")
    op.drop_index("ix_emarks_region", table_name="emarks")
    op.drop_table("emarks")
