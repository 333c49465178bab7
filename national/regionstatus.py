"""Each region's sync standing as the national node sees it (read by the overview page, the API and /metrics)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from national.models import DownlinkRow, NationalLead, RegionRow
from sync.db import Database
from sync.metrics import Gauge


def region_status(db: Database) -> list[dict[str, Any]]:
    """Per-region sync state: acknowledged sequence, lag in records and seconds, leads, last contact and error."""
    with db.read() as session:
        rows = list(session.scalars(sa.select(RegionRow).order_by(RegionRow.code)))
        leads = dict(session.execute(sa.select(NationalLead.region, sa.func.count())
                                     .group_by(NationalLead.region)).all())
        feed = dict(session.execute(sa.select(DownlinkRow.region, sa.func.max(DownlinkRow.id))
                                    .group_by(DownlinkRow.region)).all())
    now = dt.datetime.now(dt.UTC)
    out = []
    for r in rows:
        lag = max(0, r.reported_head - r.high_water)
        oldest = r.oldest_unsent_at
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        lag_s = (now - oldest).total_seconds() if lag and oldest is not None else 0.0
        last = r.last_contact.replace(tzinfo=dt.UTC) if r.last_contact and r.last_contact.tzinfo is None \
            else r.last_contact
        out.append({"code": r.code, "name": r.name, "epoch": r.epoch, "high_water": r.high_water,
                    "records": r.records, "lag_records": lag, "lag_seconds": round(lag_s, 1),
                    "conflicts": r.conflicts, "leads": leads.get(r.code, 0), "feed_head": feed.get(r.code, 0),
                    "last_contact": last, "last_error": r.last_error, "last_reconcile": r.last_reconcile})
    return out


def gauges(db: Database) -> list[Gauge]:
    """The per-region gauges of /metrics."""
    regions = region_status(db)
    now = dt.datetime.now(dt.UTC)

    def g(name: str, help_: str, key: str) -> Gauge:
        return Gauge(name, help_, ("region",), [((r["code"],), float(r[key])) for r in regions])

    return [
        g("hufu_sync_high_water", "Highest sequence durably committed per region (current epoch)", "high_water"),
        g("hufu_sync_lag_records", "Records the region has written but the national node has not committed",
          "lag_records"),
        g("hufu_sync_lag_seconds", "Age of the oldest record not yet committed nationally", "lag_seconds"),
        g("hufu_sync_records_total", "Records filed by the region", "records"),
        g("hufu_sync_conflicts_total", "Records kept as conflicts (same uuid and revision, other payload)",
          "conflicts"),
        g("hufu_leads", "Leads filed by the region", "leads"),
        Gauge("hufu_sync_last_contact_age_seconds", "Seconds since the region last connected", ("region",),
              [((r["code"],), (now - r["last_contact"]).total_seconds()) for r in regions if r["last_contact"]]),
        Gauge("hufu_sync_error", "1 when the region's last exchange was refused", ("region",),
              [((r["code"],), 1.0 if r["last_error"] else 0.0) for r in regions]),
    ]
