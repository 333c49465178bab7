"""Each node's Alembic tree: one head, a clean round trip, and a schema equal to the models.

Every check runs on SQLite (a file, as deployed) and on a real PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import national.models
import national.node
import regional.models
import regional.node
from sync.db import make_engine, migration_heads, run_migrations, sqlite_url

VERSION_TABLE = "alembic_version"
# Search indexes of the review queue that SQLAlchemy cannot model: SQLite's FTS5 table and its shadow
# tables, PostgreSQL's posting table kept by triggers (regional/migrations/versions/2026_11_30_review_workflow.py,
# 2026_11_30f_review_search_postings.py; the GIN expression index before the latter).
NOT_MODELLED_TABLES = frozenset({"lead_search_fts", "lead_search_fts_data", "lead_search_fts_idx",
                                 "lead_search_fts_docsize", "lead_search_fts_config", "lead_terms"})
NOT_MODELLED_INDEXES = frozenset({"ix_lead_search_terms"})


@dataclass(frozen=True)
class Node:
    """A node kind: its migration tree and the models the tree must produce."""

    name: str
    migrations: Path
    metadata: sa.MetaData


NODES = [
    Node("regional", regional.node.MIGRATIONS, regional.models.Base.metadata),
    Node("national", national.node.MIGRATIONS, national.models.Base.metadata),
]


@pytest.fixture(params=NODES, ids=lambda node: node.name)
def node(request: pytest.FixtureRequest) -> Node:
    """Each node kind in turn."""
    return request.param


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "node.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    """An engine on `db_url` for inspecting what the migrations did."""
    engine = make_engine(db_url, poolclass=sa.NullPool)
    yield engine
    engine.dispose()


def table_names(engine: sa.Engine) -> set[str]:
    """The tables in the database's default schema (the search index's own tables left out)."""
    return set(sa.inspect(engine).get_table_names()) - NOT_MODELLED_TABLES


def current_revisions(engine: sa.Engine) -> set[str]:
    """The revisions recorded in the version table."""
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def schema_differences(engine: sa.Engine, metadata: sa.MetaData) -> list[object]:
    """What autogenerate would put in a new migration to make the database match `metadata`."""
    with engine.connect() as conn:
        opts = {"compare_type": True, "compare_server_default": True}
        context = MigrationContext.configure(conn, opts=opts)
        return [diff for diff in compare_metadata(context, metadata) if not _not_modelled(diff)]


def _not_modelled(diff: object) -> bool:
    """A difference that is only one of the search objects no model declares."""
    if isinstance(diff, tuple) and len(diff) >= 2:
        item = diff[1]
        name = getattr(item, "name", None)
        table = getattr(getattr(item, "table", None), "name", None)
        return name in NOT_MODELLED_TABLES or name in NOT_MODELLED_INDEXES or table in NOT_MODELLED_TABLES
    return False


def leftover_postgres_objects(engine: sa.Engine) -> list[str]:
    """Sequences and enum types left behind; DROP TABLE does not drop a native enum type."""
    with engine.connect() as conn:
        sequences = sa.inspect(conn).get_sequence_names()
        enums = conn.exec_driver_sql(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE t.typtype = 'e' AND n.nspname = current_schema()"
        ).scalars().all()
    return [f"sequence {name}" for name in sequences] + [f"enum type {name}" for name in enums]


def test_each_migration_tree_has_exactly_one_head(node: Node) -> None:
    heads = migration_heads(node.migrations)
    assert len(heads) == 1, f"{node.name} has heads {heads}: merge them with `alembic merge heads`"


def test_upgrade_downgrade_upgrade_round_trips(node: Node, db_url: str, engine: sa.Engine) -> None:
    (head,) = migration_heads(node.migrations)
    model_tables = set(node.metadata.tables)

    run_migrations(db_url, node.migrations)
    assert table_names(engine) == model_tables | {VERSION_TABLE}
    assert current_revisions(engine) == {head}

    run_migrations(db_url, node.migrations, "base", downgrade=True)
    assert table_names(engine) <= {VERSION_TABLE}, "downgrade to base left application tables behind"
    assert current_revisions(engine) == set()
    if engine.dialect.name == "postgresql":
        assert leftover_postgres_objects(engine) == []

    run_migrations(db_url, node.migrations)
    assert table_names(engine) == model_tables | {VERSION_TABLE}
    assert current_revisions(engine) == {head}


def test_migrated_schema_matches_the_models(node: Node, db_url: str, engine: sa.Engine) -> None:
    run_migrations(db_url, node.migrations)
    # No filtering: today autogenerate reports nothing on either backend, SQLite's type affinities
    # included. If a difference turns up that is only noise, exclude that one difference by name here
    # and say why; a model changed without a migration must keep failing this test.
    assert schema_differences(engine, node.metadata) == []


def test_schema_check_notices_a_model_changed_without_a_migration(tmp_path: Path) -> None:
    # guards the test above against passing vacuously (e.g. compare_metadata comparing nothing)
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, regional.node.MIGRATIONS)
    changed = sa.MetaData()
    for table in regional.models.Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["outbox"].append_column(sa.Column("unmigrated", sa.Integer))
    engine = make_engine(url, poolclass=sa.NullPool)
    try:
        differences = schema_differences(engine, changed)
    finally:
        engine.dispose()
    assert [(diff[0], diff[3].name) for diff in differences] == [("add_column", "unmigrated")]  # type: ignore[index]
