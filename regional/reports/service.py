"""Generating and filing a region's monthly report: the worker's job on the first day of the month, and on demand.

`file_month` computes the figures, keeps them (a new revision each time the month is generated
again) and stages the monthly filing in the outbox in the same transaction, so the national
office receives exactly what the region keeps.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid as uuidlib
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from regional import outbox
from regional.models import AuditEntry
from regional.reports import cube
from regional.reports.figures import region_report
from regional.reports.models import CUBE, MonthlyReport
from regional.reports.periods import Month, local_day
from sync.db import Database
from sync.regions import region_name
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.regional.reports")


def office_of(region: str, configured: str = "") -> str:
    """The office's name in report headers: as configured, else 广东省知识产权局 style."""
    return configured.strip() or f"{region_name(region)}知识产权局"


def fold_counts(db: Database) -> int:
    """Fold the dashboard counts' deltas (the worker does it every few seconds)."""
    return cube.fold_all(db, CUBE)


def compute(db: Database, *, region: str, office: str, month: Month, now: dt.datetime, core: Sequence[int] = (),
            say: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The figures of `month` as they stand now (folds the counts first)."""
    if say:
        say("folding the lead counts")
    fold_counts(db)
    if say:
        say("computing the figures")
    with db.read() as session:
        return region_report(session, region=region, office=office, month=month, now=now, core=core)


def file_month(db: Database, signer: outbox.Signer, *, region: str, office: str, month: Month, now: dt.datetime,
               core: Sequence[int] = (), actor: str = "worker") -> MonthlyReport:
    """Generate `month`'s report, keep it and file it with the national office (outbox), in one transaction."""
    if month >= Month.of(local_day(now)):
        raise ValueError(f"the report of {month} can be filed once the month is over (from {month.end} on)")
    figures = compute(db, region=region, office=office, month=month, now=now, core=core)
    body = json.dumps(figures, ensure_ascii=False, separators=(",", ":"))
    with db.transaction() as session:
        revision = (session.scalar(sa.select(sa.func.max(MonthlyReport.revision))
                                   .where(MonthlyReport.month == str(month))) or 0) + 1
        record_uuid = str(uuidlib.uuid4())
        row = MonthlyReport(month=str(month), revision=revision, figures=figures, generated_at=now,
                            generated_by=actor[:100], record_uuid=record_uuid)
        session.add(row)
        outbox.append(session, signer, sync_pb2.Record(
            uuid=record_uuid, revision=1, created_at=now.isoformat(),
            monthly_report=sync_pb2.MonthlyReport(month=str(month), revision=revision, office=office[:100],
                                                  generated_at=now.isoformat(), generated_by=actor[:100],
                                                  figures_json=body)), now)
        session.add(AuditEntry(at=now, actor=actor[:100], action="monthly_report_filed",
                               detail={"month": str(month), "revision": revision, "record": record_uuid}))
    log.info("monthly report %s (revision %d) filed with the national office", month, revision)
    return row


def due_month(db: Database, now: dt.datetime) -> Month | None:
    """Last month, if its report has not been filed yet (the worker files it on the first day of the month)
    and the node was at work before that month ended (its first audit entry): a node set up this month has no
    report to file for last month."""
    month = Month.of(local_day(now)).previous
    with db.read() as session:
        done = session.scalar(sa.select(MonthlyReport.id).where(MonthlyReport.month == str(month)).limit(1))
        began = session.scalar(sa.select(sa.func.min(AuditEntry.at)))
    if done is not None or began is None:
        return None
    began = began if began.tzinfo else began.replace(tzinfo=dt.UTC)
    return month if began < month.utc_range()[1] else None


def latest(db: Database, month: Month) -> MonthlyReport | None:
    """The latest kept revision of a month's report."""
    with db.read() as session:
        return session.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == str(month))
                              .order_by(MonthlyReport.revision.desc()).limit(1))


def kept(db: Database) -> list[MonthlyReport]:
    """Every kept report, newest month first (latest revision of each)."""
    return latest_revisions(db, MonthlyReport)


def earlier_revisions(db: Database, model: Any) -> dict[str, list[int]]:
    """Month -> the revisions kept before its latest one, newest first, of a table of reports (`month`, `revision`):
    each stays reachable with ?revision=N."""
    with db.read() as session:
        rows = session.execute(sa.select(model.month, model.revision)
                               .order_by(model.month.desc(), model.revision.desc())).all()
    out: dict[str, list[int]] = {}
    for month, revision in rows:
        out.setdefault(month, []).append(int(revision))
    return {month: revisions[1:] for month, revisions in out.items() if len(revisions) > 1}


def latest_revisions(db: Database, model: Any) -> list[Any]:
    """The latest revision of every month of a table of reports (`month`, `revision`), newest month first."""
    with db.read() as session:
        rows = list(session.scalars(sa.select(model).order_by(model.month.desc(), model.revision.desc())))
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.month not in seen:
            seen.add(r.month)
            out.append(r)
    return out
