"""regional: monthly reports and dashboards — lead origin/city/industry, the count cube and its triggers, reports

Revision ID: r_reports
Revises: r0002_evidence
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'r_reports'
down_revision = 'r0002_evidence'
branch_labels = None
depends_on = None

COUNT_COLUMNS = [
    ('grain', sa.String(length=1)), ('bucket', sa.Date()), ('measure', sa.String(length=16)),
    ('area', sa.String(length=6)), ('type', sa.String(length=32)), ('source', sa.String(length=16)),
    ('industry', sa.SmallInteger()),
]
KEY = [name for name, _ in COUNT_COLUMNS]


def _backfill_dimensions(bind: sa.Connection) -> None:
    """City and industry of the leads already there, computed as new leads get them (regional/reports/dims.py)."""
    from regional.reports.dims import industry_of, seller_city

    rows = bind.execute(sa.text(
        "SELECT l.id, li.nice_classes, li.category, li.title, s.address, s.uscc FROM leads l "
        "JOIN listings li ON li.id = l.listing_id LEFT JOIN sellers s ON s.id = l.seller_id")).all()
    import json

    updates = []
    for lead_id, classes, category, title, address, uscc in rows:
        if isinstance(classes, str):
            try:
                classes = json.loads(classes)
            except ValueError:
                classes = []
        updates.append({"i": lead_id, "c": seller_city(address, uscc) if (address or uscc) else None,
                        "n": industry_of(classes, category, title)})
    for start in range(0, len(updates), 5000):
        bind.execute(sa.text("UPDATE leads SET city = :c, industry = :n WHERE id = :i"), updates[start:start + 5000])


def upgrade() -> None:
    """Apply this revision."""
    from regional.reports.models import SPEC

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.Enum('monitoring', 'launch', 'holder_request', name='lead_origin',
                                                        native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('industry', sa.SmallInteger(), nullable=True))
    op.create_index('ix_leads_judged_at', 'leads', ['judged_at'], unique=False)
    op.create_table('lead_counts', *(sa.Column(n, t, nullable=False) for n, t in COUNT_COLUMNS),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint(*KEY, name='pk_lead_counts'), sqlite_with_rowid=False)
    op.create_table('lead_count_deltas', sa.Column('id', sa.Integer(), nullable=False),
                    *(sa.Column(n, t, nullable=False) for n, t in COUNT_COLUMNS),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_lead_count_deltas_bucket', 'lead_count_deltas', ['grain', 'bucket'], unique=False)
    op.create_table('monthly_reports',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('revision', sa.Integer(), nullable=False),
                    sa.Column('figures', sa.JSON(), nullable=False),
                    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('generated_by', sa.String(length=100), nullable=False),
                    sa.Column('record_uuid', sa.String(length=36), nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('month', 'revision', name='uq_monthly_reports_month_revision'),
                    sa.UniqueConstraint('record_uuid'))
    op.create_index('ix_monthly_reports_month', 'monthly_reports', ['month'], unique=False)
    bind = op.get_bind()
    _backfill_dimensions(bind)
    dialect = bind.dialect.name
    for statement in SPEC.backfill(dialect) + SPEC.ddl(dialect):
        op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    from regional.reports.models import SPEC

    for statement in SPEC.drop(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_monthly_reports_month', table_name='monthly_reports')
    op.drop_table('monthly_reports')
    op.drop_index('ix_lead_count_deltas_bucket', table_name='lead_count_deltas')
    op.drop_table('lead_count_deltas')
    op.drop_table('lead_counts')
    op.drop_index('ix_leads_judged_at', table_name='leads')
    for column in ('industry', 'city', 'origin'):
        op.execute(f"ALTER TABLE leads DROP COLUMN {column}")
