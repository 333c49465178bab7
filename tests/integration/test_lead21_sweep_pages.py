"""The lead's session-21 pass: a nationwide sweep's leads page through every lead (the page showed the first 500 and
nothing after them), and a malformed sweep id is refused with 400 instead of being read as "the newest sweep"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from national.config import NationalConfig
from national.models import SweepLead, SweepRow
from national.node import MIGRATIONS
from sync.db import Database, run_migrations, sqlite_url
from sync.pki import init_ca

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def listing_ids(page: str) -> list[str]:
    return re.findall(r'<span class="muted">(sw-[0-9]+)</span>', page)


def test_a_sweeps_leads_page_through_every_lead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from national.web import create_app
    from national.web.blueprints import sweeps
    from tests.conftest import web_client

    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    init_ca(tmp_path / "pki")
    db = Database(url)
    with db.transaction() as s:
        older = SweepRow(name="早前", actor="张处长", rights=[], nice_classes=[], listings=3, leads=1, started_at=NOW)
        s.add(older)
        s.flush()
        s.add(SweepLead(sweep_id=older.id, listing_id="old-1", listing_title="旧", right_number="TM-1",
                        type="trademark", score=0.9, reasons=[], model_version="m"))
        row = SweepRow(name="专项", actor="张处长", rights=[], nice_classes=[], listings=50, leads=5, started_at=NOW)
        s.add(row)
        s.flush()
        for i in range(5):  # scores 0.95, 0.90 … : the page order is known
            s.add(SweepLead(sweep_id=row.id, listing_id=f"sw-{i}", listing_title=f"商品 {i}", right_number="TM-1",
                            type="trademark", score=0.95 - i * 0.05, reasons=[], model_version="m"))
        newest = row.id
    db.dispose()
    monkeypatch.setattr(sweeps, "SWEEP_LEAD_PAGE", 2)
    client = web_client(create_app(NationalConfig(data_dir=tmp_path, database_url=url, pki_dir=tmp_path / "pki")))
    first = client.get("/sweeps").get_data(as_text=True)  # the newest sweep by default
    assert listing_ids(first) == ["sw-0", "sw-1"] and "1 / 3" in first
    assert listing_ids(client.get("/sweeps?page=2").get_data(as_text=True)) == ["sw-2", "sw-3"]
    last = client.get(f"/sweeps?id={newest}&page=3").get_data(as_text=True)
    assert listing_ids(last) == ["sw-4"] and "3 / 3" in last and "page=2" in last
    assert "old-1" in client.get("/sweeps?id=1").get_data(as_text=True)
    for bad in ("/sweeps?id=x", "/sweeps?id=-1", "/sweeps?page=0", "/sweeps?page=x"):
        refused = client.get(bad)
        assert refused.status_code == 400, bad
