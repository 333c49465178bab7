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
  logged since (its captures get no inclusion proof until the region continues the chain);
* lateness: a region exchanges every few seconds (its sync interval) even with nothing to send, so
  no exchange for several intervals already means something is wrong (LATE) well before SILENT;
* leads it filed that its database no longer holds (it reports its lead count at each hello; fewer
  than it filed here: a database restored from an older backup, newcomer16 N10);
* this node's own gRPC server: when it does not answer, no region can reach it, so a region that
  would otherwise read OK is CUT_OFF (newcomer16 N8: with `serve` killed the overview said 正常).

`grpc_server_problem` is the one probe of this node's own gRPC server (one TCP connect to the address
`serve` recorded), used by `hufu national status` and, cached, by the web overview and /metrics.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import DownlinkRow, NationalLead, QuarantinedRecord, RegionRow, UplinkRecord

DEFAULT_SILENT_AFTER_S = 300.0


class Standing(StrEnum):
    """The one-word summary of a region's sync state, worst first."""

    SPLIT_BRAIN = "split_brain"  # two live copies of its database were detected
    REFUSED = "refused"  # its last exchange was refused and none succeeded since
    CUT_OFF = "cut_off"  # this node's gRPC server does not answer: the region cannot reach it
    SILENT = "silent"  # no successful exchange for longer than the threshold
    NEVER = "never"  # registered, refused or seen, but never exchanged successfully
    LATE = "late"  # no successful exchange for several sync intervals (not yet silent)
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
    report_stale: bool = False  # the backlog it last reported is out of date (late, silent, cut off, refused)
    reported_leads: int | None = None  # leads its database held at its last hello (None: it does not say)
    leads_missing_locally: int = 0  # leads filed here beyond what its database holds (restored from a backup?)

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
             stuck: StuckChain | None = None, late_after_s: float | None = None,
             server_answering: bool = True) -> RegionStatus:
    """A region's status from its row and counts, at `now` (pure).

    `late_after_s`: no successful exchange for longer than this reads LATE (None: never late, only silent);
    `server_answering`: False when this node's own gRPC server does not answer — no region can be OK then.
    """
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
    elif not server_answering:
        word = Standing.CUT_OFF
    elif late_after_s is not None and since_contact is not None and since_contact > late_after_s:
        word = Standing.LATE
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
        report_stale=word not in (Standing.OK, Standing.SPLIT_BRAIN),
        reported_leads=row.reported_leads,
        leads_missing_locally=max(0, leads - row.reported_leads) if row.reported_leads is not None else 0,
    )


def read_status(session: Session, now: dt.datetime,
                silent_after_s: float = DEFAULT_SILENT_AFTER_S, *, late_after_s: float | None = None,
                server_answering: bool = True) -> list[RegionStatus]:
    """Every known region's status, by code (see `standing` for the keyword arguments)."""
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
                     silent_after_s=silent_after_s, stuck=stuck.get(r.code), late_after_s=late_after_s,
                     server_answering=server_answering) for r in rows]


def quarantined_total(session: Session) -> int:
    """How many stored records the projection has set aside (0 when none: the alert is clear)."""
    return session.scalar(sa.select(sa.func.count()).select_from(QuarantinedRecord)) or 0


@dataclass(frozen=True)
class ServerProblem:
    """Why this node's own gRPC server does not answer."""

    kind: str  # "no_address": no port recorded or configured; "no_answer": nothing answers at the address
    host: str
    port: int
    detail: str  # the socket's words (English), e.g. "Connection refused"
    recorded: str  # the port file looked at

    def message(self) -> str:
        """The operator's sentence (English, as `hufu national status` prints it)."""
        if self.kind == "no_address":
            return (f"no gRPC server of this node has recorded its address ({self.recorded} is missing) and "
                    "grpc_port is 0: is `hufu national serve` running?")
        return (f"this node's gRPC server does not answer at {self.host}:{self.port} ({self.detail}): regions "
                "cannot sync; start `hufu national serve`")


def grpc_server_problem(run_dir: Path, host: str, port: int, timeout: float = 3.0) -> ServerProblem | None:
    """Why this node's own gRPC server does not answer (newcomer15 F10), or None: the address `serve` recorded in
    <run_dir>/grpc.json (else the configured host and port), one TCP connect bounded by `timeout`."""
    recorded = run_dir / "grpc.json"
    try:
        info = json.loads(recorded.read_text(encoding="utf-8"))
        host, port = str(info.get("host") or host), int(info.get("port") or port)
    except (OSError, ValueError, AttributeError):
        pass
    if not port:
        return ServerProblem("no_address", host, 0, "", str(recorded))
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return ServerProblem("no_answer", host, port, str(exc.strerror or exc), str(recorded))


class ServerProbe:
    """`grpc_server_problem` for pages: a short timeout, the answer kept for `ttl_s` seconds (one connect per
    few seconds however many pages, regions and /metrics scrapes ask), thread-safe."""

    def __init__(self, ttl_s: float = 5.0, timeout_s: float = 0.5,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s, self.timeout_s, self.monotonic = ttl_s, timeout_s, monotonic
        self._lock = threading.Lock()
        self._cached: dict[tuple[str, str, int], tuple[float, ServerProblem | None]] = {}
        self.probes = 0  # how many connects were made (for tests and curiosity)

    def problem(self, run_dir: Path, host: str, port: int) -> ServerProblem | None:
        """The cached answer for this address, probed again once it is older than ttl_s."""
        key = (str(run_dir), host, port)
        with self._lock:  # one prober at a time: concurrent pages wait for its answer instead of probing too
            hit = self._cached.get(key)
            at = self.monotonic()
            if hit is not None and at - hit[0] < self.ttl_s:
                return hit[1]
            answer = grpc_server_problem(run_dir, host, port, self.timeout_s)
            self.probes += 1
            self._cached[key] = (self.monotonic(), answer)
            return answer
