"""Session 16 (fixes16), in Chromium on copies of the demo's data: a withdrawn cross-region case reads as withdrawn on
the national case page, the overview and the region's case page (newcomer15 F21)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from sync.db import Database, sqlite_url
from tests.browser.test_pages import goto, shot

pytestmark = pytest.mark.browser
NOW = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("run"))
    return dst


def _withdraw(national: Path, region: Path, code: str) -> tuple[str, list[str]]:
    """Withdraw a cross-region case of `code` the way case formation does (national/cases.py `_withdraw`) and deliver
    the region its downlink item as its sync agent does (regional/sync_agent.py `_apply_item`)."""
    from national.cases import FormResult, _withdraw
    from national.models import CaseRow, DownlinkRow, NationalLead
    from regional.sync_agent import _apply_item
    from sync.v1 import sync_pb2

    with Database(sqlite_url(national / "node.db")).transaction() as s:
        case = next(c for c in s.scalars(sa.select(CaseRow).where(CaseRow.cross_region).order_by(CaseRow.id))
                    if code in (c.regions or []))
        listings = sorted(s.scalars(sa.select(NationalLead.listing_id).where(NationalLead.case_id == case.id)))
        _withdraw(s, case, NOW, FormResult())
        row = s.scalars(sa.select(DownlinkRow).where(DownlinkRow.uuid == case.uuid, DownlinkRow.region == code,
                                                     DownlinkRow.kind == "case_update")
                        .order_by(DownlinkRow.revision.desc())).first()
        assert row is not None
        item = sync_pb2.DownlinkItem(cursor=row.id, uuid=row.uuid, revision=row.revision,
                                     case_update=sync_pb2.CaseUpdate.FromString(row.body))
        uuid = case.uuid
    with Database(sqlite_url(region / "node.db")).transaction() as s:
        _apply_item(s, item, NOW)
    return uuid, listings


def test_a_withdrawn_case_reads_as_withdrawn_on_both_nodes(new_page, demo_federation, node_web, demo_accounts,
                                                           tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    national = _copy(demo_federation.national_dir, tmp_path / "national")
    region = _copy(demo_federation.region_dir("440000"), tmp_path / "region-440000")
    case, listings = _withdraw(national, region, "440000")
    assert listings
    url = node_web("national", national)
    pg = new_page()
    sign_in(pg, url, "supervisor", demo_accounts["national"]["supervisor"])
    goto(pg, f"{url}/cases/{case}")
    assert pg.locator("#case-status").inner_text() == "已撤回"
    assert "本案已于" in pg.locator("#case-withdrawn").inner_text()
    rows = pg.locator("#case-leads tbody tr")
    assert rows.count() == len(listings)  # the leads it had, each saying where it is now
    assert pg.locator("#case-leads td.lead-case-now").all_inner_texts() == ["未归入案件"] * len(listings)
    assert all(listing in pg.locator("#case-leads").inner_text() for listing in listings)
    history = pg.locator("#case-events tbody tr").last.inner_text()
    assert "国家节点" in history and "案件撤回" in history, history
    shot(pg, "national-case-withdrawn-zh")
    goto(pg, f"{url}/")
    assert "已撤回 1" in pg.locator("#n-cases-withdrawn").inner_text()  # apart, not counted (newcomer16 N4)
    goto(pg, f"{url}/cases/{case}?lang=en")
    assert "This case was withdrawn on" in pg.locator("#case-withdrawn").inner_text()
    assert "case withdrawn" in pg.locator("#case-events tbody tr").last.inner_text()

    region_url = node_web("regional", region)
    pg = new_page()
    sign_in(pg, region_url, "officer", demo_accounts["440000"]["officer"])
    goto(pg, f"{region_url}/cases/{case}")
    assert pg.locator("#case-status").inner_text() == "已撤回"
    assert pg.locator("#cross-part-closed").count() == 0
    assert "本案已由国家节点撤回" in pg.locator("#cross-withdrawn").inner_text()
    assert "案件撤回" in pg.locator("#case-events tbody tr").last.inner_text()
    # each region's progress, as on the national page (fixes15 left the region without the table)
    rows = pg.locator("#case-regions tbody tr")
    assert rows.count() >= 2 and rows.first.locator("td.region-role").inner_text().strip() == "主办"
    shot(pg, "regional-case-withdrawn-zh")


def test_a_month_is_chosen_and_compiled_on_the_national_reports_page(new_page, demo_federation, node_web,
                                                                     demo_accounts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """newcomer15 F18: the page compiled last month only; the month selector offers the months with data."""
    from regional.reports.periods import Month, local_day
    from tests.conftest import sign_in

    national = _copy(demo_federation.national_dir, tmp_path / "national")
    url = node_web("national", national)
    pg = new_page()
    sign_in(pg, url, "supervisor", demo_accounts["national"]["supervisor"])
    goto(pg, f"{url}/reports")
    current = Month.of(local_day(dt.datetime.now(dt.UTC)))
    offered = pg.locator("#report-month option").evaluate_all("els => els.map(e => e.value)")
    assert offered[0] == str(current) and str(current.previous) in offered
    assert pg.locator("#report-month").input_value() == str(current.previous)  # last month by default
    pg.select_option("#report-month", str(current))
    pg.click("#report-month-form button")
    pg.wait_for_load_state("load")
    assert f"month={current}" in pg.url
    pg.click(f"form[action='/reports/{current}/compile'] button")
    pg.wait_for_load_state("load")
    assert f"{current} 全国月报第 1 版已汇编。" in pg.locator("[data-flash=ok]").inner_text()
    assert pg.locator("#report-month").input_value() == str(current)  # back on the month compiled
    kept = pg.locator("#national-reports tbody tr").all_inner_texts()
    assert any(row.startswith(str(current)) for row in kept), kept
    shot(pg, "national-reports-month-chosen-zh")
