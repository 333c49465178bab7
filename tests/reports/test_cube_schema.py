"""The count cube's tables as declared (one factory for both nodes) are exactly what the released migrations made.

`tests/integration/test_migrations.py` compares every table through Alembic's autogenerate; this file pins
what autogenerate does not compare: the primary key constraints' names, the column order, and on SQLite
the statement itself (`WITHOUT ROWID`, the clustered key), on both trees and both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable

import national.models
import national.node
import regional.models
import regional.node
from national.reports import models as national_reports
from regional.reports import models as regional_reports
from sync.db import make_engine, run_migrations, sqlite_url

CUBE_TABLES = ("lead_counts", "lead_counts_area", "lead_counts_industry", "lead_counts_time", "lead_count_deltas")
TREES = {"regional": (regional.node.MIGRATIONS, regional.models.Base.metadata),
         "national": (national.node.MIGRATIONS, national.models.Base.metadata)}


@pytest.fixture(params=sorted(TREES))
def tree(request: pytest.FixtureRequest) -> str:
    """Each node's tree in turn."""
    return str(request.param)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def migrated(request: pytest.FixtureRequest, tree: str, tmp_path: Path) -> Iterator[sa.Engine]:
    """A database the tree's migrations brought to head."""
    url = sqlite_url(tmp_path / "node.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    run_migrations(url, TREES[tree][0])
    engine = make_engine(url, poolclass=sa.NullPool)
    yield engine
    engine.dispose()


def test_cube_tables_have_the_migrated_columns_keys_and_indexes(tree: str, migrated: sa.Engine) -> None:
    metadata = TREES[tree][1]
    seen = sa.inspect(migrated)
    for name in CUBE_TABLES:
        table = metadata.tables[name]
        assert [c["name"] for c in seen.get_columns(name)] == [c.name for c in table.columns], name
        assert [c["nullable"] for c in seen.get_columns(name)] == [c.nullable for c in table.columns], name
        pk = seen.get_pk_constraint(name)
        if migrated.dialect.name == "postgresql":  # SQLite's reflection does not return a primary key's name
            assert pk["name"] == (table.primary_key.name or f"{name}_pkey"), name  # unnamed: PostgreSQL's default
        assert pk["constrained_columns"] == [c.name for c in table.primary_key.columns], name
        assert sorted((ix["name"], tuple(ix["column_names"])) for ix in seen.get_indexes(name)) == sorted(
            (ix.name, tuple(c.name for c in ix.columns)) for ix in table.indexes), name


def test_cube_tables_compile_to_the_statements_the_sqlite_migrations_ran(tree: str, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, TREES[tree][0])
    engine = make_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            dialect = conn.dialect
            for name in CUBE_TABLES:
                table = TREES[tree][1].tables[name]
                ran = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                           (name,)).scalar_one()
                assert ran.strip() == str(CreateTable(table).compile(dialect=dialect)).strip()
                indexes = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                               "AND sql IS NOT NULL ORDER BY name", (name,)).scalars().all()
                assert indexes == [str(CreateIndex(ix).compile(dialect=dialect)).strip()
                                   for ix in sorted(table.indexes, key=lambda ix: ix.name or "")]
    finally:
        engine.dispose()
    assert "WITHOUT ROWID" in str(CreateTable(TREES[tree][1].tables["lead_counts"]).compile(dialect=dialect))


def test_each_node_keeps_its_class_names_and_both_declare_the_same_tables() -> None:
    regional_names = {m.__name__: m.__table__.name for m in (
        regional_reports.LeadCount, regional_reports.LeadCountByArea, regional_reports.LeadCountByIndustry,
        regional_reports.LeadCountByTime, regional_reports.LeadCountDelta)}
    national_names = {m.__name__: m.__table__.name for m in (
        national_reports.NationalLeadCount, national_reports.NationalLeadCountByArea,
        national_reports.NationalLeadCountByIndustry, national_reports.NationalLeadCountByTime,
        national_reports.NationalLeadCountDelta)}
    assert regional_names == {"LeadCount": "lead_counts", "LeadCountByArea": "lead_counts_area",
                              "LeadCountByIndustry": "lead_counts_industry", "LeadCountByTime": "lead_counts_time",
                              "LeadCountDelta": "lead_count_deltas"}
    assert national_names == {f"National{k}": v for k, v in regional_names.items()}
    assert regional_reports.LeadCount.__module__ == "regional.reports.models"
    assert national_reports.NationalLeadCount.__module__ == "national.reports.models"
    for name in CUBE_TABLES:  # the same DDL on both nodes (the two trees' released revisions are the same too)
        for dialect in (sa.dialects.sqlite.dialect(), sa.dialects.postgresql.dialect()):
            assert (str(CreateTable(regional.models.Base.metadata.tables[name]).compile(dialect=dialect))
                    == str(CreateTable(national.models.Base.metadata.tables[name]).compile(dialect=dialect)))
    assert regional_reports.CUBE.model_for(("area",)) is regional_reports.LeadCountByArea
    assert national_reports.CUBE.model_for(("industry",)) is national_reports.NationalLeadCountByIndustry
    assert national_reports.CUBE.deltas is national_reports.NationalLeadCountDelta
