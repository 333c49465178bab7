"""national: monthly reports and dashboards — lead report columns, the count cube and its triggers, filings

Revision ID: n_reports
Revises: n0002_evidence
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n_reports'
down_revision = 'n0002_evidence'
branch_labels = None
depends_on = None

COUNT_COLUMNS = [
    ('grain', sa.String(length=1)), ('bucket', sa.Date()), ('measure', sa.String(length=16)),
    ('area', sa.String(length=6)), ('type', sa.String(length=32)), ('source', sa.String(length=16)),
    ('industry', sa.SmallInteger()),
]
KEY = [name for name, _ in COUNT_COLUMNS]


def _backfill_columns(bind: sa.Connection) -> None:
    """Report columns of the leads already there, from the filed records (national/reports/filings.py)."""
    import datetime as dt

    from national.reports.filings import lead_columns
    from sync.v1 import sync_pb2

    rows = bind.execute(sa.text(
        "SELECT l.id, u.record, l.received_at FROM leads l JOIN uplink_records u ON u.uuid = l.uuid "
        "AND u.kind = 'lead' AND u.status = 'applied'")).all()
    updates = []
    for lead_id, body, received in rows:
        record = sync_pb2.Record()
        record.ParseFromString(body)
        if isinstance(received, str):
            received = dt.datetime.fromisoformat(received)
        if received.tzinfo is None:
            received = received.replace(tzinfo=dt.UTC)
        updates.append({"i": lead_id, **lead_columns(record.lead, received)})
    for start in range(0, len(updates), 5000):
        bind.execute(sa.text("UPDATE leads SET detected = :detected, source = :source, origin = :origin, "
                             "industry = :industry, city = :city WHERE id = :i"), updates[start:start + 5000])


def upgrade() -> None:
    """Apply this revision."""
    from national.reports.models import SPEC

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detected', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('industry', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=6), nullable=True))
    op.create_index('ix_leads_detected', 'leads', ['detected'], unique=False)
    op.create_table('lead_counts', *(sa.Column(n, t, nullable=False) for n, t in COUNT_COLUMNS),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint(*KEY, name='pk_lead_counts'), sqlite_with_rowid=False)
    op.create_table('lead_count_deltas', sa.Column('id', sa.Integer(), nullable=False),
                    *(sa.Column(n, t, nullable=False) for n, t in COUNT_COLUMNS),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_lead_count_deltas_bucket', 'lead_count_deltas', ['grain', 'bucket'], unique=False)
    op.create_table('region_reports',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('region', sa.String(length=6), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('revision', sa.Integer(), nullable=False),
                    sa.Column('office', sa.String(length=100), nullable=True),
                    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=True),
                    sa.Column('generated_by', sa.String(length=100), nullable=True),
                    sa.Column('figures', sa.JSON(), nullable=False),
                    sa.Column('record_uuid', sa.String(length=36), nullable=False),
                    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('region', 'month', 'revision', name='uq_region_reports'),
                    sa.UniqueConstraint('record_uuid'))
    op.create_index('ix_region_reports_month', 'region_reports', ['month'], unique=False)
    op.create_table('national_reports',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('revision', sa.Integer(), nullable=False),
                    sa.Column('figures', sa.JSON(), nullable=False),
                    sa.Column('regions_reported', sa.JSON(), nullable=False),
                    sa.Column('regions_missing', sa.JSON(), nullable=False),
                    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('generated_by', sa.String(length=100), nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('month', 'revision', name='uq_national_reports'))
    op.create_index('ix_national_reports_month', 'national_reports', ['month'], unique=False)
    bind = op.get_bind()
    _backfill_columns(bind)
    dialect = bind.dialect.name
    for statement in SPEC.backfill(dialect) + SPEC.ddl(dialect):
        op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    from national.reports.models import SPEC

    for statement in SPEC.drop(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_national_reports_month', table_name='national_reports')
    op.drop_table('national_reports')
    op.drop_index('ix_region_reports_month', table_name='region_reports')
    op.drop_table('region_reports')
    op.drop_index('ix_lead_count_deltas_bucket', table_name='lead_count_deltas')
    op.drop_table('lead_count_deltas')
    op.drop_table('lead_counts')
    op.drop_index('ix_leads_detected', table_name='leads')
    for column in ('city', 'industry', 'origin', 'source', 'detected'):
        op.execute(f"ALTER TABLE leads DROP COLUMN {column}")
