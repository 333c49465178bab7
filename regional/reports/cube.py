"""The count cube behind dashboards and reports: lead counts per day, week and month, kept by SQL.

Database triggers on the leads table append a +1/-1 row per bucket (day, week, month) to a deltas
table whenever a lead is inserted, deleted, judged or has a counted column changed; they never
update a row in place, so concurrent writers never wait on each other. The worker folds the
deltas into one row per key (`fold`). A read sums the folded counts and the deltas not folded
yet, so a figure is exact at every moment, folded or not; a long period reads whole months from
the month grain and only its edges from the day grain, so no read scans the leads.

Dimensions: `area` (a city's division code at a region, a region's code at the national node; ''
when unknown), lead `type`, `source` (ecommerce, exhibition, customs, complaint, holder_request),
`industry` (the Nice class of the goods; 0 when unknown). Measures: `detected` (by the time the
lead was made), `confirmed` and `excluded` (by the time the judgement took effect).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from regional.reports.periods import Grain, buckets, split
from regional.reports.periods import bucket as bucket_of

DIMENSIONS = ("area", "type", "source", "industry")
# Narrow cubes folded from the same deltas: a read that needs no industry (or no area) reads one of them, so a
# day holds a few hundred keys instead of area x type x source x industry (~28,000 at a national node).
AREA_DIMS = ("area", "type", "source")
INDUSTRY_DIMS = ("industry", "type", "source")
TIME_DIMS = ("type", "source")  # trends and the type/source figures: a few dozen keys a day


class Measure(StrEnum):
    """What the cube counts."""

    DETECTED = "detected"
    CONFIRMED = "confirmed"
    EXCLUDED = "excluded"


class CountColumns:
    """Columns of both cube tables (declared on each node's Base)."""

    grain: Mapped[str] = mapped_column(sa.String(1))
    bucket: Mapped[dt.date] = mapped_column(sa.Date)
    measure: Mapped[str] = mapped_column(sa.String(16))
    area: Mapped[str] = mapped_column(sa.String(6))
    type: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[str] = mapped_column(sa.String(16))
    industry: Mapped[int] = mapped_column(sa.SmallInteger)
    n: Mapped[int] = mapped_column(sa.BigInteger)


class AreaCountColumns:
    """Columns of the (area, type, source) cube."""

    grain: Mapped[str] = mapped_column(sa.String(1))
    bucket: Mapped[dt.date] = mapped_column(sa.Date)
    measure: Mapped[str] = mapped_column(sa.String(16))
    area: Mapped[str] = mapped_column(sa.String(6))
    type: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[str] = mapped_column(sa.String(16))
    n: Mapped[int] = mapped_column(sa.BigInteger)


class TimeCountColumns:
    """Columns of the (type, source) cube."""

    grain: Mapped[str] = mapped_column(sa.String(1))
    bucket: Mapped[dt.date] = mapped_column(sa.Date)
    measure: Mapped[str] = mapped_column(sa.String(16))
    type: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[str] = mapped_column(sa.String(16))
    n: Mapped[int] = mapped_column(sa.BigInteger)


class IndustryCountColumns:
    """Columns of the (industry, type, source) cube."""

    grain: Mapped[str] = mapped_column(sa.String(1))
    bucket: Mapped[dt.date] = mapped_column(sa.Date)
    measure: Mapped[str] = mapped_column(sa.String(16))
    industry: Mapped[int] = mapped_column(sa.SmallInteger)
    type: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[str] = mapped_column(sa.String(16))
    n: Mapped[int] = mapped_column(sa.BigInteger)


def narrow_key(dims: Sequence[str]) -> tuple[str, ...]:
    """The primary key of a narrow cube over `dims`."""
    return ("grain", "bucket", "measure", *dims)


@dataclass(frozen=True)
class Fact:
    """One thing a trigger counts: a measure (SQL over the row), when it happened, when it applies."""

    measure: str  # SQL expression over {row}. columns, or a quoted literal
    moment: str  # the timestamp column
    condition: str = "1=1"  # SQL over {row}. columns
    watched: tuple[str, ...] = ()  # columns (besides the dimensions') whose change moves the fact


@dataclass(frozen=True)
class CubeSpec:
    """How a node's leads table feeds its cube."""

    table: str  # the leads table
    counts: str  # folded counts
    deltas: str  # trigger-appended deltas
    prefix: str  # names of triggers and functions
    area: str  # SQL over {row}.
    type: str
    source: str
    industry: str
    facts: tuple[Fact, ...]
    watched: tuple[str, ...]  # columns the dimensions are made of: a change moves a lead between keys

    def _row(self, expr: str, row: str) -> str:
        return expr.replace("{row}", row)

    def _bucket(self, dialect: str, moment: str) -> str:
        if dialect == "sqlite":
            return (f"CASE g.grain WHEN 'd' THEN date({moment}, '+8 hours') "
                    f"WHEN 'w' THEN date({moment}, '+8 hours', 'weekday 0', '-6 days') "
                    f"ELSE date({moment}, '+8 hours', 'start of month') END")
        local = f"(({moment}) AT TIME ZONE 'UTC' + interval '8 hours')"
        return (f"CASE g.grain WHEN 'd' THEN ({local})::date WHEN 'w' THEN date_trunc('week', {local})::date "
                f"ELSE date_trunc('month', {local})::date END")

    def _insert(self, dialect: str, fact: Fact, row: str, sign: int) -> str:
        grains = ("(SELECT 'd' AS grain UNION ALL SELECT 'w' UNION ALL SELECT 'm') g" if dialect == "sqlite"
                  else "(VALUES ('d'), ('w'), ('m')) AS g(grain)")
        r = lambda e: self._row(e, row)  # noqa: E731
        return (f"INSERT INTO {self.deltas}(grain, bucket, measure, area, type, source, industry, n) "
                f"SELECT g.grain, {self._bucket(dialect, r(fact.moment))}, {r(fact.measure)}, "
                f"COALESCE({r(self.area)}, ''), {r(self.type)}, COALESCE({r(self.source)}, ''), "
                f"COALESCE({r(self.industry)}, 0), {sign} FROM {grains} "
                f"WHERE {r(fact.moment)} IS NOT NULL AND ({r(fact.condition)})")

    def ddl(self, dialect: str) -> list[str]:
        """The statements that create the triggers (SQLite or PostgreSQL)."""
        p, t = self.prefix, self.table
        if dialect == "sqlite":
            ins = ";\n".join(self._insert(dialect, f, "NEW.", 1) for f in self.facts)
            dele = ";\n".join(self._insert(dialect, f, "OLD.", -1) for f in self.facts)
            out = [f"CREATE TRIGGER {p}_insert AFTER INSERT ON {t} BEGIN {ins}; END",
                   f"CREATE TRIGGER {p}_delete AFTER DELETE ON {t} BEGIN {dele}; END"]
            for i, f in enumerate(self.facts):
                cols = (*self.watched, *f.watched)
                changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols)
                out.append(f"CREATE TRIGGER {p}_update{i} AFTER UPDATE OF {', '.join(cols)} ON {t} WHEN {changed} "
                           f"BEGIN {self._insert(dialect, f, 'OLD.', -1)}; {self._insert(dialect, f, 'NEW.', 1)}; END")
            return out
        parts = []
        for f in self.facts:
            cols = (*self.watched, *f.watched)
            changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in cols)
            parts.append(f"""
              IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ({changed})) THEN
                {self._insert(dialect, f, 'OLD.', -1)};
              END IF;
              IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND ({changed})) THEN
                {self._insert(dialect, f, 'NEW.', 1)};
              END IF;""")
        every = sorted({c for f in self.facts for c in (*self.watched, *f.watched)})
        return [
            f"""CREATE FUNCTION {p}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN{''.join(parts)}
              RETURN NULL;
            END $$""",
            f"CREATE TRIGGER {p} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(every)} ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION {p}()",
        ]

    def drop(self, dialect: str) -> list[str]:
        """The statements that remove the triggers."""
        if dialect == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {self.prefix}_{e}"
                    for e in ("insert", "delete", *(f"update{i}" for i in range(len(self.facts))))]
        return [f"DROP TRIGGER IF EXISTS {self.prefix} ON {self.table}", f"DROP FUNCTION IF EXISTS {self.prefix}()"]

    def recount(self, dialect: str, narrow: Sequence[tuple[Sequence[str], str]] = ()) -> list[str]:
        """Statements that rebuild the folded counts from the leads table at once, for a bulk load (a restore,
        a migration of old data, a benchmark's fill) made with the triggers off: empty the deltas and the
        counts, count every fact by INSERT … SELECT … GROUP BY over the leads (the rows the triggers and the
        fold would have produced: the same bucket, dimension and measure expressions, zero sums left out),
        then each narrow cube (dimensions, table) from the folded counts. Run them in one transaction with
        no writer on the table."""
        grains = ("(SELECT 'd' AS grain UNION ALL SELECT 'w' UNION ALL SELECT 'm') g" if dialect == "sqlite"
                  else "(VALUES ('d'), ('w'), ('m')) AS g(grain)")
        out = [f"DELETE FROM {self.deltas}", f"DELETE FROM {self.counts}"]
        out += [f"DELETE FROM {table}" for _dims, table in narrow]
        for f in self.facts:
            r = lambda e: self._row(e, "x.")  # noqa: E731
            out.append(f"INSERT INTO {self.counts}(grain, bucket, measure, area, type, source, industry, n) "
                       f"SELECT g.grain, {self._bucket(dialect, r(f.moment))}, {r(f.measure)}, "
                       f"COALESCE({r(self.area)}, ''), {r(self.type)}, COALESCE({r(self.source)}, ''), "
                       f"COALESCE({r(self.industry)}, 0), count(*) FROM {self.table} x CROSS JOIN {grains} "
                       f"WHERE {r(f.moment)} IS NOT NULL AND ({r(f.condition)}) GROUP BY 1, 2, 3, 4, 5, 6, 7")
        for dims, table in narrow:
            key = ", ".join(narrow_key(dims))
            out.append(f"INSERT INTO {table}({key}, n) SELECT {key}, sum(n) FROM {self.counts} "
                       f"GROUP BY {key} HAVING sum(n) <> 0")
        return out

    def backfill(self, dialect: str) -> list[str]:
        """Statements that count the leads already in the table (run once, where the triggers are created)."""
        out = []
        grains = ("(SELECT 'd' AS grain UNION ALL SELECT 'w' UNION ALL SELECT 'm') g" if dialect == "sqlite"
                  else "(VALUES ('d'), ('w'), ('m')) AS g(grain)")
        for f in self.facts:
            r = lambda e: self._row(e, "x.")  # noqa: E731
            out.append(f"INSERT INTO {self.deltas}(grain, bucket, measure, area, type, source, industry, n) "
                       f"SELECT g.grain, {self._bucket(dialect, r(f.moment))}, {r(f.measure)}, "
                       f"COALESCE({r(self.area)}, ''), {r(self.type)}, COALESCE({r(self.source)}, ''), "
                       f"COALESCE({r(self.industry)}, 0), 1 FROM {self.table} x CROSS JOIN {grains} "
                       f"WHERE {r(f.moment)} IS NOT NULL AND ({r(f.condition)})")
        return out


@dataclass(frozen=True)
class Cube:
    """A node's cube tables: folded counts over every dimension, the narrow cubes, the deltas."""

    counts: Any  # the mapped class of folded counts (every dimension)
    deltas: Any  # the mapped class of deltas (every dimension)
    narrow: tuple[tuple[tuple[str, ...], Any], ...] = ()  # (dimensions, mapped class), smallest first

    def model_for(self, dims: Iterable[str]) -> Any:
        """The smallest folded table that holds every dimension in `dims`."""
        need = set(dims)
        for have, model in self.narrow:
            if need <= set(have):
                return model
        return self.counts


@dataclass(frozen=True)
class CountModels:
    """A node's cube tables as mapped classes (see `count_models`)."""

    counts: Any  # every dimension: lead_counts
    by_area: Any  # (area, type, source): lead_counts_area
    by_industry: Any  # (industry, type, source): lead_counts_industry
    by_time: Any  # (type, source): lead_counts_time
    deltas: Any  # the trigger-appended deltas: lead_count_deltas

    @property
    def cube(self) -> Cube:
        """The node's `Cube`: the narrow tables smallest first."""
        return Cube(self.counts, self.deltas, narrow=((TIME_DIMS, self.by_time), (AREA_DIMS, self.by_area),
                                                     (INDUSTRY_DIMS, self.by_industry)))


def count_models(base: Any, *, module: str, prefix: str = "", area: str) -> CountModels:
    """Declare the five cube tables on a node's declarative `base`, as classes named `{prefix}LeadCount`,
    `{prefix}LeadCountByArea`, `…ByIndustry`, `…ByTime`, `…Delta` in `module` (the module that holds them).

    Both nodes get the same tables, keys and indexes (their released migrations create them alike); `area`
    says what the area dimension is at that node, for the docstrings."""

    def declare(name: str, columns: type, doc: str, table: str, args: tuple[Any, ...],
                extra: dict[str, Any] | None = None) -> Any:
        return type(f"{prefix}{name}", (columns, base), {
            "__module__": module, "__qualname__": f"{prefix}{name}", "__doc__": doc,
            "__tablename__": table, "__table_args__": args, **(extra or {})})

    no_rowid = {"sqlite_with_rowid": False}  # on SQLite the table is clustered on its key: a read is one range scan
    return CountModels(
        counts=declare("LeadCount", CountColumns,
                       f"Folded lead counts per grain, bucket, measure and dimensions (area = {area}).",
                       "lead_counts", (
                           sa.PrimaryKeyConstraint(*KEY, name="pk_lead_counts"),
                           # reads that need area and industry under an industry filter: that industry's keys only
                           sa.Index("ix_lead_counts_by_industry", "grain", "industry", "bucket", "measure", "area",
                                    "type", "source", "n"),
                           no_rowid)),
        by_area=declare("LeadCountByArea", AreaCountColumns,
                        f"Folded lead counts per grain, bucket, measure, area ({area}), type and source "
                        "(no industry).", "lead_counts_area",
                        (sa.PrimaryKeyConstraint(*narrow_key(AREA_DIMS), name="pk_lead_counts_area"), no_rowid)),
        by_industry=declare("LeadCountByIndustry", IndustryCountColumns,
                            "Folded lead counts per grain, bucket, measure, industry, type and source (no area).",
                            "lead_counts_industry",
                            (sa.PrimaryKeyConstraint(*narrow_key(INDUSTRY_DIMS), name="pk_lead_counts_industry"),
                             no_rowid)),
        by_time=declare("LeadCountByTime", TimeCountColumns,
                        "Folded lead counts per grain, bucket, measure, type and source (the trend's cube).",
                        "lead_counts_time",
                        (sa.PrimaryKeyConstraint(*narrow_key(TIME_DIMS), name="pk_lead_counts_time"), no_rowid)),
        deltas=declare("LeadCountDelta", CountColumns,
                       "+1/-1 rows the triggers on `leads` append; folded into `lead_counts` by the worker.",
                       "lead_count_deltas", (sa.Index("ix_lead_count_deltas_bucket", "grain", "bucket"),),
                       {"__annotations__": {"id": Mapped[int]}, "id": mapped_column(primary_key=True)}),
    )


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](table)


KEY = ("grain", "bucket", "measure", "area", "type", "source", "industry")


def fold(session: Session, cube: Cube, limit: int = 200_000) -> int:
    """Fold up to `limit` deltas into the counts (exact under concurrent writers); returns how many were folded."""
    d = cube.deltas
    top = session.scalar(sa.select(d.id).order_by(d.id).offset(limit - 1).limit(1)) if limit else None
    stmt = sa.delete(d)
    if top is not None:
        stmt = stmt.where(d.id <= top)
    rows = session.execute(stmt.returning(*(getattr(d, k) for k in KEY), d.n)).all()
    if not rows:
        return 0
    sums: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in rows:
        sums[tuple(row[:-1])] += row[-1]
    connection = session.connection()
    _upsert(session, connection, cube.counts, KEY, sums)
    for dims, model in cube.narrow:  # the narrow cubes, folded from the same deltas in the same transaction
        key = narrow_key(dims)
        at = [KEY.index(k) for k in key]
        narrow: dict[tuple[Any, ...], int] = defaultdict(int)
        for full, n in sums.items():
            narrow[tuple(full[i] for i in at)] += n
        _upsert(session, connection, model, key, narrow)
    return len(rows)


def _upsert(session: Session, connection: Any, model: Any, key: Sequence[str], sums: Mapping[tuple[Any, ...], int],
            ) -> None:
    values = [dict(zip(key, k, strict=True), n=n) for k, n in sums.items() if n]
    ins = _insert(session, model.__table__)
    upsert = ins.on_conflict_do_update(index_elements=list(key), set_={"n": ins.table.c.n + ins.excluded.n})
    for start in range(0, len(values), 5000):  # one compiled statement, executed many times
        connection.execute(upsert, values[start:start + 5000])


def fold_all(db: Any, cube: Cube, limit: int = 200_000) -> int:
    """Fold every delta, one transaction per `limit` rows."""
    total = 0
    while True:
        with db.transaction() as session:
            n = fold(session, cube, limit)
        total += n
        if n < limit:
            return total


Filters = Mapping[str, Sequence[Any]]


def _where(model: Any, filters: Filters) -> list[Any]:
    out = []
    for dim, values in filters.items():
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dim!r}")
        if values:
            out.append(getattr(model, dim).in_(list(values)))
    return out


def _read(session: Session, cube: Cube, measures: Iterable[str], segments: list[tuple[Grain, dt.date, dt.date]],
          by: Sequence[str], filters: Filters, with_bucket: bool) -> dict[tuple[Any, ...], int]:
    """One statement: the folded table that holds the dimensions, and the deltas not folded yet, over every
    (grain, bucket range) segment, summed by (measure, [bucket], *by)."""
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    measures = list(measures)
    if not segments:
        return out
    folded = cube.model_for([*by, *(d for d, v in filters.items() if v)])
    parts = []
    for model in (folded, cube.deltas):
        cols = ([model.measure.label("measure")] + ([model.bucket.label("bucket")] if with_bucket else [])
                + [getattr(model, b).label(b) for b in by])
        for grain, start, end in segments:
            parts.append(sa.select(*cols, model.n.label("n"))
                         .where(model.grain == grain.value, model.bucket >= start, model.bucket < end,
                                model.measure.in_(measures), *_where(model, filters)))
    rows = sa.union_all(*parts).subquery()
    keys = [rows.c.measure] + ([rows.c.bucket] if with_bucket else []) + [rows.c[b] for b in by]
    for row in session.execute(sa.select(*keys, sa.func.sum(rows.c.n)).group_by(*keys)):
        key = tuple(row[:-1])
        if with_bucket and isinstance(key[1], str):  # SQLite through a compound select: a date as text
            key = (key[0], dt.date.fromisoformat(key[1]), *key[2:])
        out[key] += int(row[-1] or 0)
    return out


def totals(session: Session, cube: Cube, start: dt.date, end: dt.date, *, by: Sequence[str] = (),
           measures: Iterable[str] = (Measure.DETECTED,), filters: Filters | None = None) -> dict[tuple[Any, ...], int]:
    """Counts over [start, end) keyed by (measure, *by) — whole months from the month grain, edges by day."""
    for b in by:
        if b not in DIMENSIONS:
            raise ValueError(f"unknown dimension {b!r}")
    return {k: v for k, v in _read(session, cube, measures, split(start, end), by, filters or {}, False).items() if v}


def trend(session: Session, cube: Cube, start: dt.date, end: dt.date, grain: Grain, *,
          measures: Iterable[str] = (Measure.DETECTED,), filters: Filters | None = None,
          ) -> dict[str, list[tuple[dt.date, int]]]:
    """Counts per bucket of `grain` for every bucket overlapping [start, end), per measure (zeros included).

    A bucket cut by the period's edge counts only its days inside the period (read from the day grain),
    so every point equals the list of leads behind it."""
    measures = list(measures)
    keys = buckets(start, end, grain)
    if not keys:
        return {m: [] for m in measures}
    filters = filters or {}
    whole = [b for b in keys if b >= start and _after(b, grain) <= end]
    segments = [(grain, whole[0], _after(whole[-1], grain))] if whole else []
    segments += [(Grain.DAY, max(b, start), min(_after(b, grain), end)) for b in keys if b not in whole]
    got: dict[tuple[Any, ...], int] = defaultdict(int)
    for (m, day), n in _read(session, cube, measures, segments, (), filters, True).items():
        got[(m, bucket_of(day, grain))] += n  # a whole bucket is its own first day; an edge's days join theirs
    series: dict[str, list[tuple[dt.date, int]]] = {}
    for m in measures:
        series[m] = [(b, got.get((m, b), 0)) for b in keys]
    return series


def _after(b: dt.date, grain: Grain) -> dt.date:
    from regional.reports.periods import next_bucket

    return next_bucket(b, grain)


def recount(session: Session, spec: CubeSpec, cube: Cube) -> None:
    """Rebuild `cube`'s folded counts from the leads table in this transaction (see `CubeSpec.recount`)."""
    dialect = session.get_bind().dialect.name
    narrow = [(dims, model.__tablename__) for dims, model in cube.narrow]
    for statement in spec.recount(dialect, narrow):
        session.execute(sa.text(statement))
