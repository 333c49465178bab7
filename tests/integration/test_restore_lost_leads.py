"""newcomer16 N10: after a region's database was restored from a backup, the leads it had filed after the backup
(held nationally: 118 there, 115 here) were reported nowhere the region looks. Over a real national gRPC server with
mutual TLS and real SQLite databases (the fixtures of test_evidence_log):

* `hufu regional restore`'s check reads back the region's leads from the national node (RegionLeads) and keeps the
  ones this database lacks; the /sync page, /api/sync and a CSV list them by listing id, until they are back;
* the region's hello carries its lead count, and the national overview flags the gap;
* the resync and check audit rows read in Chinese;
* an older national node without the RPC is told apart (no crash, a sentence).
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent import futures
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa

from national import feed
from regional import lostleads, services, sync_agent
from regional.models import LeadRow
from sync.db import Database, sqlite_url
from sync.v1 import sync_pb2_grpc
from tests.integration.test_evidence_log import NOW, Fed, Region, clock, cycle, fed, region, screen
from tests.integration.test_evidence_resync import _backup

__all__ = ["fed"]  # the fixture, imported


def _import(r: Region, fed: Fed, ids: list[str]) -> None:
    path = fed.tmp / f"more-{ids[0]}.jsonl"
    path.write_text("".join(json.dumps({"id": i, "title": f"康帅傅 红烧牛肉面 {i}", "url": f"https://shop.example/{i}"},
                                       ensure_ascii=False) + "\n" for i in ids), encoding="utf-8")
    services.import_listings(r.db, path, actor="t", now=NOW, evidence_dir=r.store.root)
    screen(r)


def _web(fed: Fed, r: Region):  # type: ignore[no-untyped-def]
    from regional.config import RegionalConfig
    from regional.web import create_app
    from tests.conftest import web_client

    cfg = RegionalConfig(data_dir=fed.tmp / f"{r.code}-web", region=r.code, database_url=r.db.url)
    if not cfg.data_dir.exists():
        cfg.data_dir.mkdir()
        (cfg.data_dir / "pki").symlink_to(r.pki)
        (cfg.data_dir / "evidence").symlink_to(r.store.root)
    return web_client(create_app(cfg), role="admin")


def _national_overview(fed: Fed) -> str:
    from national.config import NationalConfig
    from national.web import create_app
    from tests.conftest import web_client

    (fed.tmp / "national-web").mkdir(exist_ok=True)
    config = NationalConfig(data_dir=fed.tmp / "national-web", database_url=fed.ncfg.db_url, pki_dir=fed.pki)
    return web_client(create_app(config)).get("/").get_data(as_text=True)


def test_a_restored_region_is_told_which_leads_it_lost_and_the_national_overview_flags_the_gap(fed: Fed) -> None:
    gd = region(fed, "440000")
    screen(gd)
    cycle(fed, gd)
    path, copy = fed.tmp / "region-440000.db", fed.tmp / "backup.db"
    _backup(gd.db, path, copy)  # the nightly backup: 3 leads
    _import(gd, fed, ["bk-1", "bk-2"])  # two more, filed nationally, then lost with the database
    cycle(fed, gd)
    feed.project_pending(fed.national, clock)
    page = _national_overview(fed)
    assert 'id="leads-gap-alert"' not in page and "data-leads-gap" not in page, "no gap while the region has them"

    gd.db.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, path)
    gd.db = Database(sqlite_url(path))
    sync_agent.restore(gd.db, gd.channel(fed.target), gd.signer, operator="ops", reason="drill", clock=clock)
    with gd.db.read() as s:
        assert lostleads.due(s), "the restore asks for the check (the worker runs it when the command could not)"
    found = lostleads.check(gd.db, sync_pb2_grpc.FederationSyncStub(gd.channel(fed.target)), now=NOW, actor="ops",
                            page=2)  # pages of 2: the paging is exercised
    assert (found.national, found.local, found.missing) == (5, 3, 2)
    assert sorted(x[0] for x in found.sample) == ["bk-1", "bk-2"]
    with gd.db.read() as s:
        assert not lostleads.due(s)

    client = _web(fed, gd)
    sync_page = client.get("/sync").get_data(as_text=True)
    assert 'id="national-only-leads"' in sync_page and "已报送国家节点但本地缺少的线索：2 条" in sync_page
    assert 'data-listing="bk-1"' in sync_page and 'data-listing="bk-2"' in sync_page
    assert "国家节点 5 条，本地 3 条" in sync_page
    assert "与国家节点核对线索（恢复备份后）" in sync_page  # the audit row, in Chinese
    api = client.get("/api/sync").get_json()
    assert api["national_only_leads"] == 2 and {m["listing_id"] for m in api["national_only"]} == {"bk-1", "bk-2"}
    csv = client.get("/sync/national-only-leads.csv").get_data(as_text=True)
    assert "bk-1" in csv and "bk-2" in csv and "商品已重新导入" in csv.splitlines()[0]
    # newcomer18 N7: Beijing time as every other table (not UTC ISO text), the type in words as the leads export
    row = next(line for line in csv.splitlines() if "bk-1" in line)
    assert "商标侵权" in row and "trademark" not in row and "+00:00" not in row, row
    assert re.search(r"\b20\d\d-\d\d-\d\d \d\d:\d\d:\d\d\b", row) and "T" not in row.split(",")[4], row
    listed = sync_page[sync_page.index('data-listing="bk-1"'):]
    listed = listed[:listed.index("</tr>")]
    assert "+00:00" not in listed and re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d<", listed), listed
    audit = client.get("/audit").get_data(as_text=True)
    shown = re.sub(r"<select.*?</select>", "", audit, flags=re.S)  # the action filter's values are codes
    assert "与国家节点核对线索（恢复备份后）" in shown and "国家节点所存线索数" in shown
    assert "leads_only_national" not in shown and "national_leads" not in shown

    # the region's next hello says it holds 3: the national overview flags the 2 it lacks
    sync_agent.push_once(gd.db, gd.channel(fed.target), gd.signer, clock=clock)
    page = _national_overview(fed)
    assert 'id="leads-gap-alert"' in page and 'data-leads-gap="2"' in page and "区域本地缺 2 条" in page
    assert "已报送 5 条，本地现有 3 条（缺 2 条）" in page

    # the officers import the listings again: the leads are back (new uuids, the same listing/right/type)
    _import(gd, fed, ["bk-1", "bk-2"])
    sync_page = client.get("/sync").get_data(as_text=True)
    assert 'id="national-only-leads"' not in sync_page and 'id="national-only-none"' in sync_page
    cycle(fed, gd)
    feed.project_pending(fed.national, clock)
    page = _national_overview(fed)
    assert "data-leads-gap" not in page and 'id="leads-gap-alert"' not in page
    with gd.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(LeadRow)) == 5


def test_a_partly_reimported_listing_is_shown_as_back_without_its_lead(fed: Fed) -> None:
    gd = region(fed, "440000", listings=1)
    screen(gd)
    cycle(fed, gd)
    path, copy = fed.tmp / "region-440000.db", fed.tmp / "backup.db"
    _backup(gd.db, path, copy)
    _import(gd, fed, ["bk-9"])
    cycle(fed, gd)
    feed.project_pending(fed.national, clock)
    gd.db.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, path)
    gd.db = Database(sqlite_url(path))
    sync_agent.restore(gd.db, gd.channel(fed.target), gd.signer, operator="ops", reason="drill", clock=clock)
    lostleads.check(gd.db, sync_pb2_grpc.FederationSyncStub(gd.channel(fed.target)), now=NOW)
    path = fed.tmp / "again.jsonl"  # imported again but not screened yet: the listing is back, its lead is not
    path.write_text(json.dumps({"id": "bk-9", "title": "康帅傅 9", "url": "https://shop.example/9"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    services.import_listings(gd.db, path, actor="t", now=NOW, evidence_dir=gd.store.root)
    with gd.db.read() as s:
        count, rows, last = lostleads.still_missing(s)
    assert count == 1 and rows[0].listing_id == "bk-9" and rows[0].listing_here and last and last["missing"] == 1
    assert "是（尚未生成线索）" in _web(fed, gd).get("/sync").get_data(as_text=True)


def test_a_national_node_of_an_older_release_is_told_apart(fed: Fed) -> None:
    """A national node without RegionLeads answers UNIMPLEMENTED: a sentence, not a crash."""
    gd = region(fed, "440000", listings=1)
    old = grpc.server(futures.ThreadPoolExecutor(max_workers=2))  # no handler for the new RPC
    port = old.add_insecure_port("127.0.0.1:0")
    old.start()
    try:
        stub = sync_pb2_grpc.FederationSyncStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
        with pytest.raises(lostleads.Unsupported, match="older release"):
            lostleads.check(gd.db, stub, now=NOW)
    finally:
        old.stop(grace=None)


def test_a_region_that_does_not_report_its_lead_count_shows_no_gap(fed: Fed) -> None:
    """Regions of an earlier release send no lead_count: nothing is flagged for them."""
    from national import ingest
    from national.models import RegionRow
    from sync.v1 import sync_pb2

    with fed.national.transaction() as s:
        ingest.hello(s, sync_pb2.Hello(region="330000", epoch=1, software="hufu/old"), "330000", NOW)
        assert s.get(RegionRow, "330000").reported_leads is None  # type: ignore[union-attr]
        ingest.hello(s, sync_pb2.Hello(region="330000", epoch=1, lead_count=0), "330000", NOW)
        assert s.get(RegionRow, "330000").reported_leads == 0  # type: ignore[union-attr]
