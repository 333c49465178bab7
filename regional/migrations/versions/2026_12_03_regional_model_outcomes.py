"""regional: why each retrained model version was (not) promoted, as a code and its numbers (newcomer16 N7)

`model_versions.outcome_code` is a code of regional/review/promotion.Code (`not_worse`, `too_few_held_out`,
`lower_recall`, `lower_f1`, `worse_brier`, …) and `outcome_params` its numbers (held-out counts and minimums, the
two figures compared). The models page says it in the reader's language; before, the reason was an English
sentence in the audit log alone. Versions trained before this revision keep null: the page asks the same rule
again on their stored held-out figures.

Revision ID: r_model_outcomes
Revises: r_image_hashes
Create Date: 2026-12-03 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r_model_outcomes"
down_revision = "r_image_hashes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add model_versions.outcome_code and outcome_params."""
    with op.batch_alter_table("model_versions") as batch:
        batch.add_column(sa.Column("outcome_code", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("outcome_params", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("model_versions") as batch:
        batch.drop_column("outcome_params")
        batch.drop_column("outcome_code")
