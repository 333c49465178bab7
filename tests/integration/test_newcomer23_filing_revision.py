"""newcomer23 B: a region's filed monthly report downloaded from the national node
(/reports/<month>/regions/<region>.<fmt>) ignored ?revision=: the latest filing was sent under any revision asked
for (and `?revision=abc` was dropped in silence), while the national report page and its downloads honour it
(newcomer22 D2). It now sends the revision asked for, 404 when the region never filed it, 400 naming the parameter
when it is not a revision number. Against a national web process, through Chromium's request context."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import sign_in, start_node_web
from tests.integration.fresh_nodes import PASSWORD, fresh_national

MONTH = "2026-10"
OFFICES = {1: "广东省知识产权局（第一版）", 2: "广东省知识产权局（更正版）"}


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from national.reports.models import RegionReport
    from sync.db import Database, sqlite_url

    root = tmp_path_factory.mktemp("n23-filing")
    fresh_national(root)
    at = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
    with Database(sqlite_url(root / "national" / "node.db")).transaction() as s:
        s.add_all(RegionReport(region="440000", month=MONTH, revision=revision, office=office, generated_at=at,
                               generated_by="worker", record_uuid=f"00000000-0000-0000-0000-00000000000{revision}",
                               received_at=at + dt.timedelta(days=revision),
                               figures={"month": MONTH, "office": office, "kind": "region", "sections": [],
                                        "generated_at": at.isoformat()})
                  for revision, office in OFFICES.items())
    web = start_node_web("national", root / "national")
    try:
        yield web.base_url
    finally:
        web.stop()


def _office(body: bytes) -> str:
    from openpyxl import load_workbook

    return str(load_workbook(io.BytesIO(body)).worksheets[0]["B1"].value)


def test_a_regions_filing_is_downloaded_at_the_revision_asked_for(national: str,
                                                                   new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, national, "officer", PASSWORD)
    path = f"{national}/reports/{MONTH}/regions/440000.xlsx"
    latest = page.context.request.get(path)
    assert latest.status == 200 and "r2.xlsx" in latest.headers["content-disposition"]
    assert _office(latest.body()) == OFFICES[2]
    first = page.context.request.get(path + "?revision=1")
    assert first.status == 200, first.status
    assert "r1.xlsx" in first.headers["content-disposition"] and _office(first.body()) == OFFICES[1]
    assert page.context.request.get(path + "?revision=2").status == 200
    never = page.context.request.get(path + "?revision=3")
    assert never.status == 404 and "3" in never.text()
    for value in ("abc", "0", "1.5", "99999999999999999999"):
        answer = page.context.request.get(f"{path}?revision={value}", max_redirects=0)
        assert answer.status == 400, (value, answer.status)
        assert "revision" in answer.text(), value


def test_the_reports_page_links_each_filing_at_the_revision_it_lists(national: str,
                                                                      new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, national, "officer", PASSWORD)
    page.goto(f"{national}/reports?month={MONTH}", wait_until="load")
    links = page.locator("a[href*='/regions/440000.']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # the latest filing's row first, at its revision; since newcomer24 (session 24) the month's earlier filing of the
    # region is listed after it, at its own revision
    assert links == [f"/reports/{MONTH}/regions/440000.pdf?revision=2",
                     f"/reports/{MONTH}/regions/440000.xlsx?revision=2",
                     f"/reports/{MONTH}/regions/440000.pdf?revision=1",
                     f"/reports/{MONTH}/regions/440000.xlsx?revision=1"], links
