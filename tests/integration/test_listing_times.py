"""A listing's capture time (observed_at) is stored in UTC and shown in Beijing time, on SQLite as on PostgreSQL.

newcomer13: `"observed_at": "2026-12-02T09:00:00+08:00"` was stored on SQLite as 09:00 without its offset, read back as
UTC and shown as 采集时间 17:00 — eight hours late and in the future, against the evidence package's 09:00+08:00.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from regional import services
from regional.models import ListingRow
from regional.web.i18n import localtime
from sync.db import Database, run_migrations, sqlite_url

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)


def test_a_capture_time_with_an_offset_is_shown_at_the_same_instant(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "r.db")
    run_migrations(url, REPO / "regional" / "migrations")
    db = Database(url)
    path = tmp_path / "l.jsonl"
    rows = [{"id": "beijing", "title": "娃哈哈 AD钙奶", "observed_at": "2026-12-02T09:00:00+08:00"},
            {"id": "naive", "title": "娃哈哈 AD钙奶", "observed_at": "2026-12-02T09:00:00"},  # Beijing time, as documented
            {"id": "utc", "title": "娃哈哈 AD钙奶", "observed_at": "2026-12-02T01:00:00Z"},
            {"id": "none", "title": "娃哈哈 AD钙奶"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    services.import_listings(db, path, actor="test", now=NOW)
    with db.read() as session:
        stored = {r.id: r for r in session.scalars(sa.select(ListingRow))}
        shown = {k: localtime(r.observed_at) if r.observed_at else None for k, r in stored.items()}
        read_back = {k: services._listing_of(r, None).observed_at for k, r in stored.items()}
    assert shown == {"beijing": "2026-12-02 09:00:00", "naive": "2026-12-02 09:00:00", "utc": "2026-12-02 09:00:00",
                     "none": None}
    instant = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)
    assert read_back == {"beijing": instant, "naive": instant, "utc": instant, "none": None}
    assert all(v is None or v.tzinfo is not None for v in read_back.values())
    db.dispose()
