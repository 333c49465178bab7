"""The count cube's schema statements for NEW Alembic revisions of both trees (regional and national).

Three pairs of released revisions spelled the same cube DDL once per tree (the narrow cubes,
2026_11_30d_*_narrow_cubes.py; the time cube, national 2026_11_30f_national_time_cube.py and regional
2026_11_30g_regional_dashboard_speed.py). Released revisions stay as they are; a new revision that adds a
cube over other dimensions calls this module from both trees instead of writing the DDL twice:

    from regional.reports.cube_ddl import create_narrow_cube, drop_narrow_cube

    def upgrade() -> None:
        create_narrow_cube("lead_counts_month_source", ("source",))  # filled from lead_counts

    def downgrade() -> None:
        drop_narrow_cube("lead_counts_month_source")

The column types are written out here, not read from the models: a migration must create tomorrow what it
created today, whatever the models become. `tests/reports/test_cube_schema.py` checks that this module
re-creates the released narrow cubes statement for statement.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

# the key columns every cube table starts with, then the dimensions, as the released revisions typed them
HEAD = ("grain", "bucket", "measure")
TYPES: dict[str, sa.types.TypeEngine[object]] = {
    "grain": sa.String(length=1), "bucket": sa.Date(), "measure": sa.String(length=16),
    "area": sa.String(length=6), "type": sa.String(length=32), "source": sa.String(length=16),
    "industry": sa.SmallInteger(),
}


def narrow_columns(dims: Sequence[str]) -> list[tuple[str, sa.types.TypeEngine[object]]]:
    """The key columns of a narrow cube over `dims` (grain, bucket, measure, then the dimensions in order)."""
    unknown = [d for d in dims if d not in TYPES or d in HEAD]
    if unknown or len(set(dims)) != len(dims):
        raise ValueError(f"not a list of distinct cube dimensions: {list(dims)!r}")
    return [(name, TYPES[name]) for name in (*HEAD, *dims)]


def fill_statement(table: str, dims: Sequence[str], source: str = "lead_counts") -> str:
    """The INSERT that fills a narrow cube from the folded full cube (zero sums left out)."""
    names = ", ".join(name for name, _ in narrow_columns(dims))
    return (f"INSERT INTO {table} ({names}, n) SELECT {names}, SUM(n) FROM {source} "
            f"GROUP BY {names} HAVING SUM(n) <> 0")


def create_narrow_cube(table: str, dims: Sequence[str], *, fill_from: str | None = "lead_counts") -> None:
    """Inside a revision's upgrade(): create the narrow cube `table` over `dims` (primary key `pk_<table>` on
    its key columns, clustered on SQLite: WITHOUT ROWID) and fill it from `fill_from` (None: leave it empty)."""
    from alembic import op

    columns = narrow_columns(dims)
    op.create_table(table, *(sa.Column(n, t, nullable=False) for n, t in columns),
                    sa.Column("n", sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint(*(n for n, _ in columns), name=f"pk_{table}"), sqlite_with_rowid=False)
    if fill_from is not None:
        op.execute(fill_statement(table, dims, fill_from))


def drop_narrow_cube(table: str) -> None:
    """Inside a revision's downgrade(): drop the narrow cube `table`."""
    from alembic import op

    op.drop_table(table)
