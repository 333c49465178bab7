"""national: case_events.step and case_events.result — the region's step (立案 调查 处理 结案) and closing result

The regions' copies of a case's history showed the step and the result a region reported (e.g. 结案 · 行政处罚);
the national node kept neither, so its case page showed 已受理 for 立案 and no result. NULL for existing events
(their page shows the feedback, as before).

Revision ID: n_event_step_result
Revises: n_prior_case
Create Date: 2026-12-02 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_event_step_result'
down_revision = 'n_prior_case'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add two nullable columns (no table rewrite)."""
    op.add_column('case_events', sa.Column('step', sa.String(length=16), nullable=True))
    op.add_column('case_events', sa.Column('result', sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_column('result')
        batch_op.drop_column('step')
