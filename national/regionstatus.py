"""Each region's sync standing as the national node sees it (read by the overview page, the API and /metrics).

The standing itself is decided in national/status.py (from this node's clock, refusals, silence and
split-brain detection); this module turns it into rows for the page and gauges for /metrics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from national.config import NationalConfig
from national.status import ServerProbe, ServerProblem
from sync.db import Database
from sync.metrics import Gauge

# One probe of this node's gRPC server per process, its answer kept a few seconds: every page, region and scrape
# in those seconds reads the same answer (a 0.5 s connect at most, never one per region or per request).
PROBE = ServerProbe(ttl_s=5.0, timeout_s=0.5)


def server_problem(config: NationalConfig) -> ServerProblem | None:
    """Why this node's own gRPC server does not answer (cached), or None — the check `hufu national status` makes."""
    return PROBE.problem(config.run_dir, config.grpc_host, config.grpc_port)


def region_status(db: Database, silent_after_s: float, *, late_after_s: float | None = None,
                  server_answering: bool = True) -> list[dict[str, Any]]:
    """Per-region sync standing: staleness from this node's clock, refusals, silence, split brain, lag."""
    from national.status import read_status

    with db.read() as session:
        rows = read_status(session, dt.datetime.now(dt.UTC), silent_after_s, late_after_s=late_after_s,
                           server_answering=server_answering)
    return [asdict(r) | {"standing": r.standing.value, "late": r.standing.value in ("late", "cut_off")}
            for r in rows]


def quarantined(db: Database) -> int:
    """Stored records the projection set aside (alert when > 0)."""
    from national.status import quarantined_total

    with db.read() as session:
        return quarantined_total(session)


def gauges(db: Database, silent_after_s: float, *, late_after_s: float | None = None,
           server_answering: bool = True) -> list[Gauge]:
    """The per-region gauges of /metrics (and whether this node's gRPC server answers)."""
    regions = region_status(db, silent_after_s, late_after_s=late_after_s, server_answering=server_answering)

    def g(name: str, help_: str, key: str) -> Gauge:
        return Gauge(name, help_, ("region",), [((r["code"],), float(r[key])) for r in regions])

    def flag(name: str, help_: str, key: str) -> Gauge:
        return Gauge(name, help_, ("region",), [((r["code"],), 1.0 if r[key] else 0.0) for r in regions])

    def age(name: str, help_: str, key: str) -> Gauge:
        return Gauge(name, help_, ("region",), [((r["code"],), float(r[key])) for r in regions if r[key] is not None])

    return [
        g("hufu_sync_high_water", "Highest sequence durably committed per region (current epoch)", "high_water"),
        g("hufu_sync_lag_records", "Records the region last reported as not yet delivered", "lag_records"),
        g("hufu_sync_lag_seconds", "Age of the oldest undelivered record as reported, or the region's silence "
                                   "(this node's clock), whichever is longer", "lag_seconds"),
        g("hufu_sync_records_total", "Records filed by the region", "records"),
        g("hufu_sync_conflicts_total", "Records kept as conflicts (same uuid and revision, other payload)",
          "conflicts"),
        g("hufu_leads", "Leads filed by the region", "leads"),
        age("hufu_sync_last_contact_age_seconds", "Seconds since the region last exchanged successfully",
            "seconds_since_contact"),
        age("hufu_sync_last_batch_age_seconds", "Seconds since the region's last acknowledged batch",
            "seconds_since_batch"),
        age("hufu_sync_report_age_seconds", "Age of the backlog the region last reported", "report_age_seconds"),
        flag("hufu_sync_error", "1 when the region's last exchange was refused and none succeeded since",
             "error_active"),
        flag("hufu_sync_silent", "1 when the region has not exchanged successfully for longer than silent_after_s",
             "silent"),
        flag("hufu_sync_split_brain", "1 when two live copies of the region's database were detected", "split_brain"),
        flag("hufu_evidence_chain_stuck", "1 when the newest evidence manifest the region filed was refused and none "
                                          "was logged since", "evidence_stuck"),
        g("hufu_sync_withheld_total", "Records the region could never send (tombstones received)", "withheld"),
        g("hufu_projection_quarantined", "Stored records of the region the projection could not apply",
          "quarantined"),
        flag("hufu_sync_late", "1 when the region has not exchanged successfully for several sync intervals "
                               "(national config region_sync_interval_s x late_after_intervals)", "late"),
        Gauge("hufu_grpc_server_up", "1 when this node's own gRPC server answers a TCP connect (the check of "
                                     "`hufu national status`)", (), [((), 1.0 if server_answering else 0.0)]),
        Gauge("hufu_projection_quarantined_total", "Stored records the projection set aside (alert when > 0)", (),
              [((), float(quarantined(db)))]),
    ]
