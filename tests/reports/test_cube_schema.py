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


RELEASED_NARROW = {"lead_counts_area": ("area", "type", "source"), "lead_counts_industry": ("industry", "type", "source"),
                   "lead_counts_time": ("type", "source")}


def _shape(engine: sa.Engine, table: str) -> tuple[object, ...]:
    seen = sa.inspect(engine)
    columns = [(c["name"], str(c["type"]), c["nullable"]) for c in seen.get_columns(table)]
    pk = seen.get_pk_constraint(table)
    sql = None
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).scalar_one()
    return columns, pk["name"], pk["constrained_columns"], sql


def test_the_shared_cube_ddl_recreates_the_released_narrow_cubes_and_refills_them(
        tree: str, migrated: sa.Engine) -> None:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from regional.reports.cube_ddl import create_narrow_cube, drop_narrow_cube

    with migrated.begin() as conn:  # some folded counts to refill from
        conn.execute(sa.text("INSERT INTO lead_counts (grain, bucket, measure, area, type, source, industry, n) "
                             "VALUES ('d', '2026-11-01', 'detected', '440100', 'trademark', 'ecommerce', 30, 2), "
                             "('d', '2026-11-01', 'detected', '440300', 'trademark', 'ecommerce', 30, 3), "
                             "('d', '2026-11-01', 'detected', '440300', 'patent', 'customs', 9, -1), "
                             "('d', '2026-11-01', 'detected', '440300', 'patent', 'customs', 10, 1)"))
    for table, dims in RELEASED_NARROW.items():
        released = _shape(migrated, table)
        with migrated.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            drop_narrow_cube(table)
        assert table not in sa.inspect(migrated).get_table_names()
        with migrated.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            create_narrow_cube(table, dims)
        assert _shape(migrated, table) == released, table
        with migrated.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT {', '.join(dims)}, n FROM {table}")).all()
        expected = {"lead_counts_area": {("440100", "trademark", "ecommerce", 2), ("440300", "trademark", "ecommerce", 3)},
                    "lead_counts_industry": {(30, "trademark", "ecommerce", 5), (9, "patent", "customs", -1),
                                             (10, "patent", "customs", 1)},
                    "lead_counts_time": {("trademark", "ecommerce", 5)}}[table]
        assert set(map(tuple, rows)) == expected, table  # the (patent, customs) sum of zero is left out
    with pytest.raises(ValueError):
        create_narrow_cube("lead_counts_bad", ("type", "colour"))
