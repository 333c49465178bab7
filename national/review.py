"""The regions' review outcomes at the national node: applied from filed records, summed into per-region figures.

`apply_review_outcome` is called by the lead projection (national/feed.py) for each filed
`review_outcome` record; it is idempotent by record uuid and keeps, per lead, the latest
outcome as current (a supervisor's override replaces the first decision).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import AuditEntry, RegionRow
from national.review_models import ReviewOutcomeRow
from sync.regions import region_name
from sync.v1 import sync_pb2

OUTCOMES = frozenset({"confirmed", "excluded"})


def _time(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def apply_review_outcome(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> bool:
    """Store one region's review outcome; False when it was already applied or cannot be used (audited)."""
    ro = record.review_outcome
    if session.scalar(sa.select(ReviewOutcomeRow.id).where(ReviewOutcomeRow.record_uuid == record.uuid)) is not None:
        return False
    decided = _time(ro.decided_at) or _time(record.created_at)
    if ro.outcome not in OUTCOMES or not ro.lead_uuid or decided is None:
        session.add(AuditEntry(at=now, actor=f"region:{region}", action="review_outcome_unusable",
                               detail={"record": record.uuid, "outcome": ro.outcome[:32], "lead": ro.lead_uuid[:36]}))
        return False
    detected = _time(ro.detected_at)
    latest = session.scalar(sa.select(ReviewOutcomeRow).where(ReviewOutcomeRow.region == region,
                                                             ReviewOutcomeRow.lead_uuid == ro.lead_uuid,
                                                             ReviewOutcomeRow.current))
    current = latest is None or latest.decided_at.replace(tzinfo=latest.decided_at.tzinfo or dt.UTC) <= decided
    if latest is not None and current:
        latest.current = False
    session.add(ReviewOutcomeRow(
        record_uuid=record.uuid, region=region, lead_uuid=ro.lead_uuid, outcome=ro.outcome,
        reason_code=ro.reason_code or None, reason=ro.reason[:2000] or None, officer=ro.officer[:100] or "?",
        second_reviewer=ro.second_reviewer[:100] or None, model_version=ro.model_version[:64] or None,
        decided_at=decided, detected_at=detected,
        seconds_to_judge=max(0.0, (decided - detected).total_seconds()) if detected else None,
        current=current, received_at=now))
    session.flush()
    return True


@dataclass(frozen=True)
class RegionFigures:
    """One region's review figures."""

    region: str
    name: str
    judged: int
    confirmed: int
    excluded: int
    median_seconds: float | None

    @property
    def confirmed_share(self) -> float | None:
        """Confirmed out of judged."""
        return self.confirmed / self.judged if self.judged else None


def figures(session: Session) -> list[RegionFigures]:
    """Judged, confirmed, excluded and the median time to judge, per region (current outcomes only)."""
    counts = {(r, o): int(n) for r, o, n in session.execute(
        sa.select(ReviewOutcomeRow.region, ReviewOutcomeRow.outcome, sa.func.count())
        .where(ReviewOutcomeRow.current).group_by(ReviewOutcomeRow.region, ReviewOutcomeRow.outcome))}
    regions = set(session.scalars(sa.select(RegionRow.code))) | {r for r, _o in counts}
    out = []
    for code in sorted(regions):
        confirmed, excluded = counts.get((code, "confirmed"), 0), counts.get((code, "excluded"), 0)
        out.append(RegionFigures(code, region_name(code), confirmed + excluded, confirmed, excluded,
                                 _median(session, code)))
    return out


def _median(session: Session, region: str) -> float | None:
    """The median time to judge, read through the (region, current, seconds) index: at most two rows."""
    base = sa.select(ReviewOutcomeRow.seconds_to_judge).where(
        ReviewOutcomeRow.region == region, ReviewOutcomeRow.current, ReviewOutcomeRow.seconds_to_judge.is_not(None))
    n = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    if n == 0:
        return None
    middle = [float(x or 0) for x in session.scalars(base.order_by(ReviewOutcomeRow.seconds_to_judge)
                                  .offset((n - 1) // 2).limit(2 if n % 2 == 0 else 1))]
    return sum(middle) / len(middle)


def lead_outcome(session: Session, region: str, lead_uuid: str) -> ReviewOutcomeRow | None:
    """The current outcome of one lead."""
    return session.scalar(sa.select(ReviewOutcomeRow).where(ReviewOutcomeRow.region == region,
                                                           ReviewOutcomeRow.lead_uuid == lead_uuid,
                                                           ReviewOutcomeRow.current))
