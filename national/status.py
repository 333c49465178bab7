"""Each region's sync standing as the national node sees it, from its own clock.

`read_status` gathers the rows; `standing` is pure (values in, values out) and decides what
the overview, /api/regions, /metrics and `hufu national status` all show:

* staleness from this node's clock: seconds since the region's last successful exchange and
  since its last acknowledged batch — a partitioned region grows stale here even though it
  cannot report anything;
* the backlog the region last reported, and how old that report is;
* its last refusal (every refusal is kept, with its time) and whether it still stands, i.e.
  no exchange succeeded after it;
* silence beyond a threshold, two live copies of its database (split brain), records it
  withheld behind tombstones and records the projection quarantined;
* a stuck evidence chain: the newest evidence manifest the region filed was refused and none was
  logged since (its captures get no inclusion proof until the region continues the chain).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import DownlinkRow, NationalLead, QuarantinedRecord, RegionRow, UplinkRecord

DEFAULT_SILENT_AFTER_S = 300.0


class Standing(StrEnum):
    """The one-word summary of a region's sync state, worst first."""

    SPLIT_BRAIN = "split_brain"  # two live copies of its database were detected
    REFUSED = "refused"  # its last exchange was refused and none succeeded since
    SILENT = "silent"  # no successful exchange for longer than the threshold
    NEVER = "never"  # registered, refused or seen, but never exchanged successfully
    OK = "ok"


@dataclass(frozen=True)
class RegionStatus:
    """What is shown about one region."""

    code: str
    name: str
    standing: Standing
    epoch: int
    high_water: int
    records: int
    conflicts: int
    leads: int
    feed_head: int
    last_contact: dt.datetime | None  # last successful hello
    last_batch_at: dt.datetime | None  # last acknowledged batch
    seconds_since_contact: float | None
    seconds_since_batch: float | None
    reported_backlog: int  # records the region said it had not yet delivered, at its last hello
    report_age_seconds: float | None  # how old that report is
    lag_records: int  # = reported_backlog (the historical name)
    lag_seconds: float  # age of the oldest undelivered record as reported, or the silence, whichever is longer
    last_error: str | None
    last_error_at: dt.datetime | None
    error_active: bool
    silent: bool
    copies_detected_at: dt.datetime | None
    copies_detail: str | None
    split_brain: bool
    restored_at: dt.datetime | None
    withheld: int  # tombstones the region sent for records it could never send
    quarantined: int  # stored records the projection could not apply
    last_reconcile: str | None
    software: str | None
    evidence_stuck: bool = False  # the newest manifest the region filed was refused, none logged since
    evidence_stuck_index: int | None = None  # its index in the region's evidence log
    evidence_stuck_kind: str | None = None  # region_log_gap | region_log_rewritten | bad_region_head | bad_manifest
    evidence_stuck_at: dt.datetime | None = None  # when it was refused
    evidence_stuck_reason: str | None = None  # the national node's reason (technical, English)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601)."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, dt.datetime):
                out[key] = value.isoformat()
        out["standing"] = self.standing.value
        return out


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _age(now: dt.datetime, then: dt.datetime | None) -> float | None:
    return None if then is None else max(0.0, (now - then).total_seconds())


@dataclass(frozen=True)
class StuckChain:
    """The refused manifest that stops a region's evidence chain (see national.evidence.stuck_chains)."""

    index: int
    kind: str
    at: dt.datetime | None
    reason: str | None


def standing(row: RegionRow, now: dt.datetime, *, leads: int = 0, feed_head: int = 0, withheld: int = 0,
             quarantined: int = 0, silent_after_s: float = DEFAULT_SILENT_AFTER_S,
             stuck: StuckChain | None = None) -> RegionStatus:
    """A region's status from its row and counts, at `now` (pure)."""
    last_contact, last_batch = _aware(row.last_contact), _aware(row.last_batch_at)
    error_at, copies_at, restored = _aware(row.last_error_at), _aware(row.copies_detected_at), _aware(row.restored_at)
    since_contact, since_batch = _age(now, last_contact), _age(now, last_batch)
    backlog = max(0, (row.reported_head or 0) - (row.high_water or 0))
    oldest = _aware(row.oldest_unsent_at)
    backlog_age = _age(now, oldest) if backlog and oldest is not None else 0.0
    lag_s = max(backlog_age or 0.0, since_contact or 0.0)
    error_active = bool(row.last_error) and (last_contact is None or error_at is None or error_at >= last_contact)
    silent = since_contact is None or since_contact > silent_after_s
    split = copies_at is not None and (restored is None or copies_at > restored)
    if split:
        word = Standing.SPLIT_BRAIN
    elif error_active:
        word = Standing.REFUSED
    elif last_contact is None:
        word = Standing.NEVER
    elif silent:
        word = Standing.SILENT
    else:
        word = Standing.OK
    return RegionStatus(
        code=row.code, name=row.name, standing=word, epoch=row.epoch, high_water=row.high_water or 0,
        records=row.records or 0, conflicts=row.conflicts or 0, leads=leads, feed_head=feed_head,
        last_contact=last_contact, last_batch_at=last_batch, seconds_since_contact=since_contact,
        seconds_since_batch=since_batch, reported_backlog=backlog, report_age_seconds=since_contact,
        lag_records=backlog, lag_seconds=round(lag_s, 1), last_error=row.last_error, last_error_at=error_at,
        error_active=error_active, silent=silent, copies_detected_at=copies_at, copies_detail=row.copies_detail,
        split_brain=split, restored_at=restored, withheld=withheld, quarantined=quarantined,
        last_reconcile=row.last_reconcile, software=row.software,
        evidence_stuck=stuck is not None, evidence_stuck_index=stuck.index if stuck else None,
        evidence_stuck_kind=stuck.kind if stuck else None, evidence_stuck_at=_aware(stuck.at) if stuck else None,
        evidence_stuck_reason=stuck.reason if stuck else None,
    )


def read_status(session: Session, now: dt.datetime,
                silent_after_s: float = DEFAULT_SILENT_AFTER_S) -> list[RegionStatus]:
    """Every known region's status, by code."""
    rows = list(session.scalars(sa.select(RegionRow).order_by(RegionRow.code)))
    leads = dict(session.execute(sa.select(NationalLead.region, sa.func.count()).group_by(NationalLead.region)).all())
    feed = dict(session.execute(sa.select(DownlinkRow.region, sa.func.max(DownlinkRow.id))
                                .group_by(DownlinkRow.region)).all())
    withheld = dict(session.execute(sa.select(UplinkRecord.region, sa.func.count())
                                    .where(UplinkRecord.kind == "tombstone").group_by(UplinkRecord.region)).all())
    quarantined = dict(session.execute(sa.select(QuarantinedRecord.region, sa.func.count())
                                       .group_by(QuarantinedRecord.region)).all())
    from national.evidence import stuck_chains
    from sync.evidence import refusal_kind

    stuck = {code: StuckChain(index=m.region_index, kind=refusal_kind(m.reason), at=m.logged_at, reason=m.reason)
             for code, m in stuck_chains(session).items()}
    return [standing(r, now, leads=leads.get(r.code, 0), feed_head=feed.get(r.code, 0) or 0,
                     withheld=withheld.get(r.code, 0), quarantined=quarantined.get(r.code, 0),
                     silent_after_s=silent_after_s, stuck=stuck.get(r.code)) for r in rows]


def quarantined_total(session: Session) -> int:
    """How many stored records the projection has set aside (0 when none: the alert is clear)."""
    return session.scalar(sa.select(sa.func.count()).select_from(QuarantinedRecord)) or 0
