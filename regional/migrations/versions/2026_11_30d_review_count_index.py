"""review queue: an index for totals of type x source x score filters

Revision ID: r_review_counts
Revises: r_reports
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "r_review_counts"
down_revision = "r_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ix_leads_q_counts (type, source, state, score): such a total is then counted from the index alone."""
    op.create_index("ix_leads_q_counts", "leads", ["type", "source", "state", "score"], unique=False)


def downgrade() -> None:
    """Drop ix_leads_q_counts."""
    op.drop_index("ix_leads_q_counts", table_name="leads")
