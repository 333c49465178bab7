"""review queue: PostgreSQL search through a posting table (term, lead_id) read index-only

Revision ID: r_search_postings
Revises: r_counterparts
Create Date: 2026-11-30 19:30:00

The GIN index over lead_search's term array found a common word's 28,663 leads (of 1,000,000) in
30 ms, but every match then cost a visit to lead_search's heap (the array's `@>` always rechecks):
15,894 pages, 370 ms - 1.5 s for the total and the page. A posting table with a btree on
(term, lead_id) answers the same question from the index alone (PostgreSQL's index-only scan;
the table is append-mostly, so its visibility map stays set), and several terms join on lead_id.

It is kept in the same transaction as lead_search by statement-level triggers (insert, update,
delete — a lead's delete cascades to lead_search and from there here), so every write path
(detection, complaints, imports, a bulk COPY with triggers on) stays consistent without Python.
Terms longer than 200 characters are not posted (a query is at most 100 characters; a btree entry
must stay under ~2.7 kB). SQLite keeps its FTS5 index: nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "r_search_postings"
down_revision = "r_counterparts"
branch_labels = None
depends_on = None

MAX_TERM = 200  # characters of a posted term

# the terms of some lead_search rows (a transition table), one row per distinct (term, lead), in the rows' order:
# each lead's terms made distinct on their own (no sort or hash of the whole set), so a bulk fill writes the
# postings in lead order like everyday inserts do, and an index-only scan of one term visits the visibility map
# in order (a fill in hash order made every posting a visibility-map lookup of its own: 21,610 buffers for 28,663)
_TERMS_OF = ("SELECT t.term, r.lead_id FROM {rows} r CROSS JOIN LATERAL "
             "(SELECT DISTINCT u.term FROM unnest(string_to_array(r.terms, ' ')) AS u(term) "
             "WHERE char_length(u.term) BETWEEN 1 AND " + str(MAX_TERM) + ") AS t")

PG_UP = [
    """CREATE OR REPLACE FUNCTION hufu_lead_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO lead_terms (term, lead_id) """ + _TERMS_OF.format(rows="new_rows") + """
           ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION hufu_lead_terms_drop() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         DELETE FROM lead_terms p USING (""" + _TERMS_OF.format(rows="old_rows") + """) d
           WHERE p.term = d.term AND p.lead_id = d.lead_id;
         RETURN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION hufu_lead_terms_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         DELETE FROM lead_terms p USING (""" + _TERMS_OF.format(rows="old_rows") + """) d
           WHERE p.term = d.term AND p.lead_id = d.lead_id;
         INSERT INTO lead_terms (term, lead_id) """ + _TERMS_OF.format(rows="new_rows") + """
           ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_lead_terms_insert AFTER INSERT ON lead_search REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION hufu_lead_terms_add()""",
    """CREATE TRIGGER trg_lead_terms_delete AFTER DELETE ON lead_search REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION hufu_lead_terms_drop()""",
    """CREATE TRIGGER trg_lead_terms_update AFTER UPDATE ON lead_search
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION hufu_lead_terms_change()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS trg_lead_terms_insert ON lead_search",
    "DROP TRIGGER IF EXISTS trg_lead_terms_delete ON lead_search",
    "DROP TRIGGER IF EXISTS trg_lead_terms_update ON lead_search",
    "DROP FUNCTION IF EXISTS hufu_lead_terms_add()",
    "DROP FUNCTION IF EXISTS hufu_lead_terms_drop()",
    "DROP FUNCTION IF EXISTS hufu_lead_terms_change()",
    "DROP TABLE IF EXISTS lead_terms",
]


def fill_sql() -> str:
    """Post every lead's terms (for a table without its primary key yet: the key is built once, sorted, after)."""
    return "INSERT INTO lead_terms (term, lead_id) " + _TERMS_OF.format(rows="lead_search")


def upgrade() -> None:
    """PostgreSQL: create lead_terms, post the existing leads' terms, add the triggers, drop the GIN index."""
    if op.get_bind().dialect.name != "postgresql":
        return
    # no primary key while the existing terms go in: one sorted build afterwards is far cheaper than
    # millions of inserts into a growing btree
    op.execute("CREATE TABLE lead_terms (term text COLLATE \"C\" NOT NULL, lead_id integer NOT NULL)")
    op.execute(fill_sql())
    op.execute("ALTER TABLE lead_terms ADD CONSTRAINT pk_lead_terms PRIMARY KEY (term, lead_id)")
    # vacuumed often enough for index-only scans (the visibility map), and a statistics target that puts a
    # common word's frequency in the planner's list (at 100 it guessed 2,896 leads for 28,663)
    op.execute("ALTER TABLE lead_terms SET (autovacuum_vacuum_insert_scale_factor = 0.02)")
    op.execute("ALTER TABLE lead_terms ALTER COLUMN term SET STATISTICS 1000")
    for statement in PG_UP:
        op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_lead_search_terms")
    op.execute("ANALYZE lead_terms")


def downgrade() -> None:
    """PostgreSQL: back to the GIN index over lead_search's term array."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in PG_DOWN:
        op.execute(statement)
    op.execute("CREATE INDEX IF NOT EXISTS ix_lead_search_terms ON lead_search USING gin (string_to_array(terms, ' '))")
