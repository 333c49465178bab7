"""sync hardening: honest region status, split-brain marks, projection quarantine, one lead per natural key

Revision ID: n0002_sync
Revises: cases0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "n0002_sync"
down_revision = "cases0003"
branch_labels = None
depends_on = None

def _region_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("first_contact", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_batch_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("software", sa.String(length=100), nullable=True),
        sa.Column("copies_detected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("copies_detail", sa.String(length=1000), nullable=True),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=True),
    ]


def _merge_duplicate_leads() -> None:
    """Leads filed twice under new uuids (same region, listing, right, type): keep the first, alias the rest."""
    conn = op.get_bind()
    dupes = conn.execute(sa.text(
        "SELECT l.id, l.uuid, l.region, k.keep FROM leads l JOIN ("
        " SELECT region, listing_id, right_number, type, min(id) AS keep FROM leads"
        " GROUP BY region, listing_id, right_number, type HAVING count(*) > 1) k"
        " ON l.region = k.region AND l.listing_id = k.listing_id AND l.right_number = k.right_number"
        " AND l.type = k.type WHERE l.id <> k.keep")).all()
    if not dupes:
        return
    for lead_id, uuid, region, keep in dupes:
        conn.execute(sa.text("INSERT INTO lead_aliases (uuid, lead_id, region, at) "
                             "VALUES (:u, :k, :r, CURRENT_TIMESTAMP)"), {"u": uuid, "k": keep, "r": region})
        # merge reviews about the doubled lead: point them at the kept one, drop what becomes self or repeated
        for column, other in (("lead_a", "lead_b"), ("lead_b", "lead_a")):
            conn.execute(sa.text(f"DELETE FROM merge_reviews WHERE {column} = :d AND ({other} = :k OR EXISTS ("
                                 f"SELECT 1 FROM merge_reviews m WHERE m.{column} = :k AND m.{other} = "
                                 f"merge_reviews.{other}))"), {"d": lead_id, "k": keep})
            conn.execute(sa.text(f"UPDATE merge_reviews SET {column} = :k WHERE {column} = :d"),
                         {"d": lead_id, "k": keep})
        conn.execute(sa.text("DELETE FROM leads WHERE id = :d"), {"d": lead_id})


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("regions", schema=None) as batch_op:
        for column in _region_columns():
            batch_op.add_column(column)
    op.create_table(
        "lead_aliases",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"]),
        sa.PrimaryKeyConstraint("uuid"),
    )
    with op.batch_alter_table("lead_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_aliases_lead_id"), ["lead_id"], unique=False)
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uplink_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["uplink_id"], ["uplink_records.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uplink_id"),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarantine_region"), ["region"], unique=False)
    _merge_duplicate_leads()
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_leads_natural_key", ["region", "listing_id", "right_number", "type"])


def downgrade() -> None:
    """Revert this revision (merged duplicate leads stay merged)."""
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint("uq_leads_natural_key", type_="unique")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantine_region"))
    op.drop_table("quarantine")
    with op.batch_alter_table("lead_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_aliases_lead_id"))
    op.drop_table("lead_aliases")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        for column in reversed(_region_columns()):
            batch_op.drop_column(column.name)
