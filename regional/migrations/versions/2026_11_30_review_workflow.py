"""officers' workflow: judgements, lead history, review-queue indexes and counts, routing, cases, intake, models

Revision ID: r20261130review
Revises: r0001
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'r20261130review'
down_revision = 'r0001'
branch_labels = None
depends_on = None

# Lead counts for the review queue: triggers append a +1/-1 delta per (state, type, source) on every
# insert, delete and change of those columns; they never update a row in place, so concurrent writers
# never wait on each other or deadlock. The worker folds the deltas (regional/review/queue.py).
SQLITE_TALLY = [
    """CREATE TRIGGER trg_leads_tally_insert AFTER INSERT ON leads BEGIN
         INSERT INTO lead_tallies(state, type, source, n) VALUES (NEW.state, NEW.type, NEW.source, 1);
       END""",
    """CREATE TRIGGER trg_leads_tally_delete AFTER DELETE ON leads BEGIN
         INSERT INTO lead_tallies(state, type, source, n) VALUES (OLD.state, OLD.type, OLD.source, -1);
       END""",
    """CREATE TRIGGER trg_leads_tally_update AFTER UPDATE OF state, type, source ON leads
       WHEN OLD.state IS NOT NEW.state OR OLD.type IS NOT NEW.type OR OLD.source IS NOT NEW.source BEGIN
         INSERT INTO lead_tallies(state, type, source, n) VALUES (OLD.state, OLD.type, OLD.source, -1);
         INSERT INTO lead_tallies(state, type, source, n) VALUES (NEW.state, NEW.type, NEW.source, 1);
       END""",
]
PG_TALLY = [
    """CREATE FUNCTION hufu_leads_tally() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.state IS NOT DISTINCT FROM NEW.state AND OLD.type IS NOT DISTINCT FROM NEW.type
            AND OLD.source IS NOT DISTINCT FROM NEW.source THEN
           RETURN NULL;
         END IF;
         IF TG_OP IN ('UPDATE', 'DELETE') THEN
           INSERT INTO lead_tallies(state, type, source, n) VALUES (OLD.state, OLD.type, OLD.source, -1);
         END IF;
         IF TG_OP IN ('UPDATE', 'INSERT') THEN
           INSERT INTO lead_tallies(state, type, source, n) VALUES (NEW.state, NEW.type, NEW.source, 1);
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_leads_tally AFTER INSERT OR DELETE OR UPDATE OF state, type, source ON leads
       FOR EACH ROW EXECUTE FUNCTION hufu_leads_tally()""",
]
# Search: SQLite keeps an FTS5 index over lead_search.terms (external content, kept by triggers);
# PostgreSQL a GIN index over the term array. Neither is in the models (a test names them).
SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE lead_search_fts USING fts5(terms, content='lead_search', content_rowid='lead_id',
       tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER trg_lead_search_insert AFTER INSERT ON lead_search BEGIN
         INSERT INTO lead_search_fts(rowid, terms) VALUES (NEW.lead_id, NEW.terms);
       END""",
    """CREATE TRIGGER trg_lead_search_delete AFTER DELETE ON lead_search BEGIN
         INSERT INTO lead_search_fts(lead_search_fts, rowid, terms) VALUES ('delete', OLD.lead_id, OLD.terms);
       END""",
    """CREATE TRIGGER trg_lead_search_update AFTER UPDATE ON lead_search BEGIN
         INSERT INTO lead_search_fts(lead_search_fts, rowid, terms) VALUES ('delete', OLD.lead_id, OLD.terms);
         INSERT INTO lead_search_fts(rowid, terms) VALUES (NEW.lead_id, NEW.terms);
       END""",
]
PG_SEARCH = ["CREATE INDEX ix_lead_search_terms ON lead_search USING gin (string_to_array(terms, ' '))"]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('ip_enforcement', 'market_regulation', 'rights_assistance', 'protection_centre', name='agency_kind', native_enum=False, length=32), nullable=False),
    sa.Column('level', sa.Enum('province', 'city', 'district', name='agency_level', native_enum=False, length=32), nullable=False),
    sa.Column('division', sa.String(length=6), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('contact', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_division'), ['division'], unique=False)

    op.create_table('cross_case_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_uuid', sa.String(length=36), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('step', sa.Enum('filed', 'investigating', 'handling', 'closed', name='case_state', native_enum=False, length=32), nullable=True),
    sa.Column('feedback', sa.String(length=16), nullable=False),
    sa.Column('finding', sa.Enum('confirmed', 'dismissed', name='case_finding', native_enum=False, length=32), nullable=True),
    sa.Column('result', sa.Enum('penalised', 'ordered_to_stop', 'mediated', 'transferred', 'no_violation', 'withdrawn', name='case_result', native_enum=False, length=32), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('officer', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_uuid')
    )
    with op.batch_alter_table('cross_case_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cross_case_steps_case_uuid'), ['case_uuid'], unique=False)

    op.create_table('detection_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('requester', sa.String(length=100), nullable=False),
    sa.Column('holder', sa.String(length=300), nullable=False),
    sa.Column('rights', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='request_status', native_enum=False, length=32), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.Column('lead_uuids', sa.JSON(), nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('detection_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_detection_requests_requester'), ['requester'], unique=False)
        batch_op.create_index(batch_op.f('ix_detection_requests_status'), ['status'], unique=False)

    op.create_table('intake_hits',
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('window', sa.BigInteger(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('client', 'window')
    )
    op.create_table('lead_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lead_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_lead_tallies_key', ['state', 'type', 'source', 'n'], unique=False)

    op.create_table('model_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('artifact', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('active', 'candidate', 'retired', name='model_status', native_enum=False, length=32), nullable=False),
    sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trained_by', sa.String(length=100), nullable=False),
    sa.Column('based_on', sa.String(length=64), nullable=True),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version')
    )
    with op.batch_alter_table('model_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_versions_model'), ['model'], unique=False)

    op.create_table('rights_holders',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('owner', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('agency_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agency_id', 'username', name='uq_agency_members')
    )
    with op.batch_alter_table('agency_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_members_username'), ['username'], unique=False)

    op.create_table('regional_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('state', sa.Enum('filed', 'investigating', 'handling', 'closed', name='case_state', native_enum=False, length=32), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('opened_by', sa.String(length=100), nullable=False),
    sa.Column('officer', sa.String(length=100), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('step_entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finding', sa.Enum('confirmed', 'dismissed', name='case_finding', native_enum=False, length=32), nullable=True),
    sa.Column('result', sa.Enum('penalised', 'ordered_to_stop', 'mediated', 'transferred', 'no_violation', 'withdrawn', name='case_result', native_enum=False, length=32), nullable=True),
    sa.Column('closing_reason', sa.String(length=2000), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('regional_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regional_cases_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_regional_cases_officer'), ['officer'], unique=False)
        batch_op.create_index(batch_op.f('ix_regional_cases_state'), ['state'], unique=False)

    op.create_table('case_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.Enum('filed', 'investigating', 'handling', 'closed', name='case_state', native_enum=False, length=32), nullable=True),
    sa.Column('to_state', sa.Enum('filed', 'investigating', 'handling', 'closed', name='case_state', native_enum=False, length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('seconds_in_step', sa.Double(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['regional_cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.create_index('ix_case_steps_case', ['case_id', 'id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_no', sa.String(length=32), nullable=False),
    sa.Column('listing_id', sa.String(length=200), nullable=False),
    sa.Column('what', sa.String(length=1000), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('who', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=100), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('right_hint', sa.String(length=200), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('screened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tracking_no')
    )
    op.create_table('case_leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['regional_cases.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lead_id')
    )
    with op.batch_alter_table('case_leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_leads_case_id'), ['case_id'], unique=False)

    op.create_table('judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('confirmed', 'excluded', 'need_info', name='decision', native_enum=False, length=32), nullable=False),
    sa.Column('reason_code', sa.Enum('licensed_seller', 'genuine_goods', 'different_goods', 'not_similar', 'other', name='exclusion_reason', native_enum=False, length=32), nullable=True),
    sa.Column('reason_text', sa.String(length=1000), nullable=True),
    sa.Column('officer', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('final', 'proposed', 'approved', 'refused', 'superseded', name='judgement_status', native_enum=False, length=32), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=True),
    sa.Column('reviewer', sa.String(length=100), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('judgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judgements_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_judgements_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_judgements_officer'), ['officer'], unique=False)

    op.create_table('lead_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('detected', 'assigned', 'unassigned', 'judged', 'proposed', 'approved', 'refused', 'overridden', 'routed', 'rerouted', 'case_opened', 'case_step', 'note', name='lead_event_kind', native_enum=False, length=32), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lead_events', schema=None) as batch_op:
        batch_op.create_index('ix_lead_events_lead', ['lead_id', 'id'], unique=False)

    op.create_table('lead_search',
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('lead_id')
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('right_number', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_right_number'), ['right_number'], unique=False)

    op.create_table('routes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.Enum('patent_assistance', 'patent_protection_centre', 'offender_site', 'several_cities', 'outside_province', 'no_location', 'manual', 'no_agency', name='route_rule', native_enum=False, length=32), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routes_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_routes_lead_id'), ['lead_id'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('route_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], ),
    sa.ForeignKeyConstraint(['route_id'], ['routes.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_agency', ['agency_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_lead_id'), ['lead_id'], unique=False)

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Enum('ecommerce', 'exhibition', 'customs', 'complaint', name='listing_source', native_enum=False, length=32), server_default='ecommerce', nullable=False))
        batch_op.add_column(sa.Column('seller_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_to', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('judged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('judged_by', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_leads_q_assigned', ['assigned_to', 'state', 'score', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_right', ['right_number', 'state', 'score', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_score', ['score', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_seller', ['seller_id', 'state', 'score', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_state_created', ['state', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_state_score', ['state', 'score', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_state_source', ['state', 'source', 'score', 'id'], unique=False)
        batch_op.create_index('ix_leads_q_state_type', ['state', 'type', 'score', 'id'], unique=False)
        batch_op.create_foreign_key('fk_leads_seller_id', 'sellers', ['seller_id'], ['id'])


    bind = op.get_bind()
    # leads made before this revision: copy source and seller from their listings, count them
    op.execute("UPDATE leads SET source = (SELECT listings.source FROM listings WHERE listings.id = leads.listing_id), "
               "seller_id = (SELECT listings.seller_id FROM listings WHERE listings.id = leads.listing_id)")
    op.execute("UPDATE leads SET state = 'excluded' WHERE state = 'dismissed'")
    op.execute("INSERT INTO lead_tallies(state, type, source, n) "
               "SELECT state, type, source, count(*) FROM leads GROUP BY state, type, source")
    for statement in (SQLITE_TALLY + SQLITE_SEARCH if bind.dialect.name == "sqlite" else PG_TALLY + PG_SEARCH):
        op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("trg_leads_tally_insert", "trg_leads_tally_delete", "trg_leads_tally_update",
                     "trg_lead_search_insert", "trg_lead_search_delete", "trg_lead_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS lead_search_fts")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_leads_tally ON leads")
        op.execute("DROP FUNCTION IF EXISTS hufu_leads_tally()")
        op.execute("DROP INDEX IF EXISTS ix_lead_search_terms")
    op.execute("UPDATE leads SET state = 'dismissed' WHERE state = 'excluded'")
    op.execute("UPDATE leads SET state = 'new' WHERE state IN ('need_info', 'pending_review')")
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_constraint('fk_leads_seller_id', type_='foreignkey')
        batch_op.drop_index('ix_leads_q_state_type')
        batch_op.drop_index('ix_leads_q_state_source')
        batch_op.drop_index('ix_leads_q_state_score')
        batch_op.drop_index('ix_leads_q_state_created')
        batch_op.drop_index('ix_leads_q_seller')
        batch_op.drop_index('ix_leads_q_score')
        batch_op.drop_index('ix_leads_q_right')
        batch_op.drop_index('ix_leads_q_assigned')
        batch_op.drop_column('judged_by')
        batch_op.drop_column('judged_at')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('assigned_to')
        batch_op.drop_column('seller_id')
        batch_op.drop_column('source')

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_lead_id'))
        batch_op.drop_index('ix_notices_agency')

    op.drop_table('notices')
    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routes_lead_id'))
        batch_op.drop_index(batch_op.f('ix_routes_agency_id'))

    op.drop_table('routes')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_right_number'))
        batch_op.drop_index(batch_op.f('ix_notifications_lead_id'))

    op.drop_table('notifications')
    op.drop_table('lead_search')
    with op.batch_alter_table('lead_events', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_events_lead')

    op.drop_table('lead_events')
    with op.batch_alter_table('judgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judgements_officer'))
        batch_op.drop_index(batch_op.f('ix_judgements_lead_id'))
        batch_op.drop_index(batch_op.f('ix_judgements_at'))

    op.drop_table('judgements')
    with op.batch_alter_table('case_leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_leads_case_id'))

    op.drop_table('case_leads')
    op.drop_table('complaints')
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_case_steps_case')

    op.drop_table('case_steps')
    with op.batch_alter_table('regional_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regional_cases_state'))
        batch_op.drop_index(batch_op.f('ix_regional_cases_officer'))
        batch_op.drop_index(batch_op.f('ix_regional_cases_deadline'))

    op.drop_table('regional_cases')
    with op.batch_alter_table('agency_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_members_username'))

    op.drop_table('agency_members')
    op.drop_table('rights_holders')
    with op.batch_alter_table('model_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_versions_model'))

    op.drop_table('model_versions')
    with op.batch_alter_table('lead_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_tallies_key')

    op.drop_table('lead_tallies')
    op.drop_table('intake_hits')
    with op.batch_alter_table('detection_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_detection_requests_status'))
        batch_op.drop_index(batch_op.f('ix_detection_requests_requester'))

    op.drop_table('detection_requests')
    with op.batch_alter_table('cross_case_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cross_case_steps_case_uuid'))

    op.drop_table('cross_case_steps')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_division'))

    op.drop_table('agencies')
