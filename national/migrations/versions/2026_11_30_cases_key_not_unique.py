"""cases.key is a description, not an identity; case_failures

A case's identity is its uuid. `cases.key` (right | seller identifier) stays for people and
the blacklist, but two sellers sharing a phone number made two cases with one key and the
unique constraint stopped case formation for everyone (issue 8, item 1). It becomes a plain
index. `case_failures` keeps each group of leads whose case could not be formed. The downlink
gets an index on uuid: a case's next revision is looked up by it.

Revision ID: cases0001
Revises: n_reason_codes
Create Date: 2026-11-30 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cases0001"
down_revision = "n_reason_codes"
branch_labels = None
depends_on = None

# SQLite reflects the baseline's unnamed UNIQUE(key) without a name; this convention names it for batch mode
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_key_name(bind: sa.engine.Connection) -> str | None:
    for uc in sa.inspect(bind).get_unique_constraints("cases"):
        if uc["column_names"] == ["key"]:
            return uc["name"] or "uq_cases_key"
    return None


def upgrade() -> None:
    """Apply this revision."""
    bind = op.get_bind()
    name = _unique_key_name(bind)
    with op.batch_alter_table("cases", naming_convention=_SQLITE_NAMES) as batch_op:
        if name is not None:
            batch_op.drop_constraint(name, type_="unique")
        batch_op.create_index("ix_cases_key", ["key"], unique=False)
    op.create_table(
        "case_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("right_number", sa.String(length=64), nullable=False),
        sa.Column("lead_ids", sa.JSON(), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject"),
    )
    op.create_index("ix_case_failures_resolved_at", "case_failures", ["resolved_at"], unique=False)
    op.create_index("ix_downlink_uuid", "downlink", ["uuid"], unique=False)


def downgrade() -> None:
    """Revert this revision (fails, as it should, if two cases now share a key)."""
    op.drop_index("ix_downlink_uuid", table_name="downlink")
    op.drop_index("ix_case_failures_resolved_at", table_name="case_failures")
    op.drop_table("case_failures")
    with op.batch_alter_table("cases", naming_convention=_SQLITE_NAMES) as batch_op:
        batch_op.drop_index("ix_cases_key")
        batch_op.create_unique_constraint("uq_cases_key", ["key"])
