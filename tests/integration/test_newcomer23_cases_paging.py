"""newcomer23 A: the national list of cross-region cases (/cases) had no paging: every case (standing and withdrawn)
on one page, however many (newcomer22 left it: "fine at the demo's 7; thousands would be one big page"). It now
counts the cases in the database and pages through them (CASE_PAGE rows a page: the standing cases newest first,
then the withdrawn ones), with a region filter counted in SQL too; ?page= out of range or not a number is a 400 naming
the parameter. In Chromium, against a national web process."""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuidlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import sign_in, start_node_web
from tests.integration.fresh_nodes import PASSWORD, fresh_national

CASE_PAGE = 200  # national/web/blueprints/cases.py CASE_PAGE
STANDING, WITHDRAWN = CASE_PAGE + 31, 7
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from national.lifecycle import CaseStatus
    from national.models import CaseRow
    from sync.db import Database, sqlite_url

    root = tmp_path_factory.mktemp("n23-cases")
    fresh_national(root)
    with Database(sqlite_url(root / "national" / "node.db")).transaction() as s:
        s.add_all(CaseRow(uuid=str(uuidlib.UUID(int=k + 1)), key=f"TM-{k:07d}|seller{k}", right_number=f"TM-{k:07d}",
                          right_title=f"商标{k}", type="trademark", lead_region="440000",
                          regions=["440000", "350000" if k % 3 == 0 else "330000"], cross_region=True,
                          status=CaseStatus.WITHDRAWN if k >= STANDING else CaseStatus.FORMED,
                          formed_at=NOW + dt.timedelta(minutes=k), updated_at=NOW + dt.timedelta(minutes=k))
                  for k in range(STANDING + WITHDRAWN))
    web = start_node_web("national", root / "national")
    try:
        yield web.base_url
    finally:
        web.stop()


def _uuids(page: Any, table: str) -> list[str]:
    return re.findall(r"/cases/([0-9a-f-]{36})", " ".join(
        page.locator(f"#{table} a").evaluate_all("els => els.map(e => e.getAttribute('href'))")))


def test_the_national_case_list_is_counted_and_paged(national: str, new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, national, "officer", PASSWORD)
    page.goto(national + "/cases", wait_until="load")
    assert page.locator("#cases-total").get_attribute("data-total") == str(STANDING)
    assert f"已撤回 {WITHDRAWN} 件" in page.locator("#cases-withdrawn-count").inner_text()
    first = _uuids(page, "cases")
    assert len(first) == CASE_PAGE and page.locator("#cases-withdrawn").count() == 0
    assert first[0] == str(uuidlib.UUID(int=STANDING))  # newest standing case first
    assert "1 / 2" in page.locator("#cases-pager").inner_text()
    page.locator("#cases-pager a").last.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("page=2")
    second, withdrawn = _uuids(page, "cases"), _uuids(page, "cases-withdrawn")
    assert len(second) == STANDING - CASE_PAGE and len(withdrawn) == WITHDRAWN
    assert page.locator("#cases-total").get_attribute("data-total") == str(STANDING)  # the count, not the page's rows
    assert len(set(first) | set(second) | set(withdrawn)) == STANDING + WITHDRAWN  # every case reachable, once
    # the region filter is counted and paged too
    page.goto(national + "/cases?region=350000", wait_until="load")
    concerning = sum(1 for k in range(STANDING) if k % 3 == 0)
    assert page.locator("#cases-total").get_attribute("data-total") == str(concerning)
    assert len(_uuids(page, "cases")) == concerning and page.locator("#cases-pager").count() == 0
    page.goto(national + "/cases?page=2&lang=en", wait_until="load")
    assert "2 / 2" in page.locator("#cases-pager").inner_text() and "Previous" in page.locator("#cases-pager").inner_text()


def test_a_bad_page_is_a_400_naming_it(national: str, new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, national, "officer", PASSWORD)
    for value in ("0", "-1", "abc", "99999999999999999999"):
        answer = page.context.request.get(f"{national}/cases?page={value}", max_redirects=0)
        assert answer.status == 400, (value, answer.status)
        assert "page" in answer.text(), value
    assert page.context.request.get(f"{national}/cases?page=3").status == 200  # past the end: an empty page


@pytest.mark.postgres
def test_the_region_filter_counts_in_sql_on_postgresql(pg_url: str) -> None:
    """The region filter (a region among a case's regions, a JSON array) is a SQL clause on PostgreSQL too."""
    import sqlalchemy as sa

    from national import node as national_node
    from national.lifecycle import CaseStatus
    from national.models import CaseRow
    from national.web.blueprints.cases import _concerns
    from sync.db import Database, run_migrations

    run_migrations(pg_url, national_node.MIGRATIONS)
    database = Database(pg_url)
    with database.transaction() as s:
        s.add_all(CaseRow(uuid=str(uuidlib.UUID(int=k + 1)), key=f"k{k}", right_number=f"TM-{k:07d}",
                          type="trademark", lead_region="440000", cross_region=True, status=CaseStatus.FORMED,
                          regions=["440000", "350000" if k % 3 == 0 else "330000"], formed_at=NOW, updated_at=NOW)
                  for k in range(10))
    with database.read() as s:
        counted = {code: s.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(_concerns(s, code)))
                   for code in ("440000", "350000", "330000", "110000")}
    assert counted == {"440000": 10, "350000": 4, "330000": 6, "110000": 0}
