"""When the national worker compiles a month's report, and the kept reports offered for download."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from national.reports.models import NationalReport, RegionReport
from regional.reports import render
from regional.reports.periods import Month, local_day
from regional.reports.service import earlier_revisions as _earlier_revisions
from regional.reports.service import latest_revisions
from sync.db import Database
from sync.times import aware as _aware


def due_compilations(db: Database, now: dt.datetime) -> list[Month]:
    """Last month if never compiled, and any month a region filed for after its last compilation."""
    last_month = Month.of(local_day(now)).previous
    with db.read() as session:
        compiled = dict(session.execute(sa.select(NationalReport.month, sa.func.max(NationalReport.generated_at))
                                        .group_by(NationalReport.month)).all())
        filed = dict(session.execute(sa.select(RegionReport.month, sa.func.max(RegionReport.received_at))
                                     .group_by(RegionReport.month)).all())
    due = set()
    if str(last_month) not in compiled:
        due.add(str(last_month))
    for month, received in filed.items():
        at = compiled.get(month)
        if at is None or _aware(received) > _aware(at):
            due.add(month)
    current = str(Month.of(local_day(now)))
    return [Month.parse(m) for m in sorted(due) if m < current]


def kept(db: Database) -> list[NationalReport]:
    """The latest compilation of every month, newest month first."""
    return latest_revisions(db, NationalReport)


def earlier_revisions(db: Database) -> dict[str, list[int]]:
    """Month -> the revisions compiled before its latest one, newest first (each stays reachable: ?revision=N)."""
    return _earlier_revisions(db, NationalReport)


def document(db: Database, month: str, revision: int | None, fmt: str, cache: Path, lang: str = "zh",
             ) -> tuple[Path, NationalReport] | None:
    """The kept report of a month as a file (.pdf or .xlsx), rendered once and cached; None if never compiled."""
    with db.read() as session:
        stmt = sa.select(NationalReport).where(NationalReport.month == month)
        stmt = stmt.where(NationalReport.revision == revision) if revision else stmt
        row = session.scalar(stmt.order_by(NationalReport.revision.desc()).limit(1))
    if row is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"national-{row.month}-r{row.revision}-{lang}.{fmt}"
    if not path.exists():
        render.write(row.figures, path, lang)
    return path, row
