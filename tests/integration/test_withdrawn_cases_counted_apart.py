"""A withdrawn cross-region case (a merge undone) is not a case: no national page, figure or report counts it as
formed or supervised (督办); where cases are counted it is listed apart, 已撤回 N (newcomer16 N4).

One national node with three cross-region cases formed in October 2026: one open and supervised, one closed
(supervised, decided), one withdrawn (it had been supervised). Every page and the monthly report (figures and XLSX)
is read; a region's own report leaves its withdrawn copy out the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from pathlib import Path

import pytest
from flask import Flask

from national.config import NationalConfig
from national.lifecycle import CaseStatus
from national.models import CaseRow, NationalLead, RegionRow
from national.node import MIGRATIONS
from national.reports.models import CUBE
from regional.reports import cube
from regional.reports.figures import row, section
from regional.reports.periods import Month
from sync.db import Database, run_migrations, sqlite_url
from tests.conftest import web_client
from tests.reports.fixture import cst

OCT = Month(2026, 10)
OPEN, CLOSED, WITHDRAWN = (str(uuid.UUID(int=n)) for n in (101, 102, 103))


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, Database]:
    from national.web import create_app

    root = tmp_path_factory.mktemp("withdrawn")
    config = NationalConfig(data_dir=root / "national", pki_dir=root / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, MIGRATIONS)
    db = Database(config.db_url)
    with db.transaction() as s:
        for code in ("440000", "330000", "350000"):
            s.add(RegionRow(code=code, name=code))
        for case_uuid, regions, status, formed, decided, title in [
                (OPEN, ["440000", "330000"], CaseStatus.INVESTIGATING, cst(2026, 10, 5), None, "康师傅"),
                (CLOSED, ["330000", "350000"], CaseStatus.CLOSED, cst(2026, 10, 8), cst(2026, 10, 20), "雪碧"),
                (WITHDRAWN, ["440000", "350000"], CaseStatus.WITHDRAWN, cst(2026, 10, 12), None, "华美")]:
            s.add(CaseRow(uuid=case_uuid, key=case_uuid, right_number="TM-0012345", right_title=title,
                          type="trademark", lead_region=regions[0], regions=regions, cross_region=True,
                          supervised=True, status=status, deadline=formed + dt.timedelta(days=30),
                          decided_at=decided, formed_at=formed, updated_at=formed))
        when = cst(2026, 10, 5)
        s.add(NationalLead(uuid=str(uuid.uuid4()), region="440000", listing_id="L1", right_number="TM-0012345",
                           type="trademark", score=0.9, reasons=[], model_version="m", received_at=when,
                           detected=when, source="ecommerce", industry=30))
    cube.fold_all(db, CUBE)
    return create_app(config), db


def _text(client, path: str) -> str:  # type: ignore[no-untyped-def]
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def test_overview_counts_standing_cases_and_lists_the_withdrawn_apart(national: tuple[Flask, Database]) -> None:
    page = _text(web_client(national[0], "officer", "li"), "/")
    assert re.search(r'id="n-cases">2<', page)
    assert "办理中 1 · 已结案 1" in page and "另有已撤回 1 件（不计入）" in page


def test_cases_list_header_counts_standing_cases_and_the_withdrawn_are_apart(national: tuple[Flask, Database]) -> None:
    client = web_client(national[0], "officer", "li")
    page = _text(client, "/cases")
    assert 'data-total="2"' in page and "已撤回 1 件：不计入跨区域案件" in page
    counted, apart = page.split('id="cases-withdrawn"')
    assert OPEN in counted and CLOSED in counted and WITHDRAWN not in counted
    assert WITHDRAWN in apart and "已撤回" in apart
    # the dashboard's per-region link (a region concerned only by the withdrawn case's pair) counts the same way
    assert 'data-total="1"' in _text(client, "/cases?region=350000&from=2026-10-01&to=2026-10-31")


def test_dashboard_formed_supervised_and_per_region_leave_the_withdrawn_out(national: tuple[Flask, Database]) -> None:
    client = web_client(national[0], "officer", "li")
    data = client.get("/api/dashboard?from=2026-10-01&to=2026-10-31").get_json()
    assert data["cases_total"] == 2 and data["cases_withdrawn"] == 1
    assert {a["code"]: a["cases"] for a in data["areas"]} == {"440000": 1, "330000": 2, "350000": 1}
    assert data["supervision"]["total"] == 2  # the open and the closed case; never the withdrawn one
    assert WITHDRAWN not in {c["uuid"] for c in data["supervision"]["cases"]}
    page = _text(client, "/dashboard?from=2026-10-01&to=2026-10-31")
    assert re.search(r'id="cases-formed">2<', page) and "另有已撤回 1 件（不计入）" in page


def test_supervision_board_lists_no_withdrawn_case(national: tuple[Flask, Database]) -> None:
    page = _text(web_client(national[0], "officer", "li"), "/supervision")
    board = page.split('id="supervision"')[1]
    assert OPEN in board and CLOSED in board and WITHDRAWN not in board
    assert "已撤回 1 件：已撤回的案件不再督办" in page
    # the withdrawn case's own page shows no supervision deadline
    case_page = _text(web_client(national[0], "officer", "li"), f"/cases/{WITHDRAWN}")
    assert "期限" not in case_page.split('id="case-status"')[1].split("</p>")[0]


def test_monthly_report_and_its_xlsx_count_the_withdrawn_apart(national: tuple[Flask, Database],
                                                              tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from national.reports import service
    from national.reports.figures import compile_month

    db = national[1]
    f = compile_month(db, month=OCT, now=cst(2026, 11, 1, 3), actor="test").figures
    assert row(f, "summary", "cross_formed")["value"] == 2
    assert row(f, "summary", "cross_withdrawn")["value"] == 1
    assert row(f, "summary", "supervised")["value"] == 1  # open at month end: the investigating one only
    assert {r["key"] for r in section(f, "cross_region")["rows"]} == {"investigating", "closed"}
    assert all(r["right_title"] != "华美" for r in section(f, "supervision")["rows"])
    got = service.document(db, "2026-10", None, "xlsx", tmp_path)
    assert got is not None
    summary = {r[0]: r[1] for r in load_workbook(io.BytesIO(got[0].read_bytes()))["总体情况"]
               .iter_rows(min_row=2, values_only=True)}
    assert summary["本月形成跨区域案件"] == 2 and summary["本月形成后已撤回的跨区域案件（不计入）"] == 1


def test_a_regions_report_leaves_its_withdrawn_copy_out(tmp_path: Path) -> None:
    from regional.models import ReceivedCase
    from regional.node import MIGRATIONS as REGIONAL
    from regional.reports.figures import cross_region_section

    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, REGIONAL)
    db = Database(url)
    with db.transaction() as s:
        for n, status in enumerate(("investigating", "withdrawn", "closed")):
            s.add(ReceivedCase(case_uuid=str(uuid.UUID(int=n + 1)), feed_cursor=n + 1, right_number="TM-1",
                               lead_region="440000", regions=["440000", "330000"], status=status,
                               payload={"supervised": True}, received_at=cst(2026, 10, 5 + n)))
    with db.read() as s:
        got = {r["key"]: r["value"] for r in cross_region_section(s, OCT)["rows"]}
    assert got == {"cross_cases_received": 2, "cross_cases_held": 2, "cross_steps_reported": 0, "supervised": 2,
                   "cross_cases_withdrawn": 1}


def test_the_case_pages_tables_each_have_their_heading(national: tuple[Flask, Database]) -> None:
    """newcomer16 N12: the regions' progress table ran into the leads table (a second header row, no heading), and
    the header 最近一步（已受理） read like a sample value."""
    page = _text(web_client(national[0], "officer", "li"), f"/cases/{OPEN}")
    progress, leads = page.index('id="case-regions"'), page.index('id="case-leads-heading"')
    assert progress < leads and "</table>" in page[progress:leads]
    assert "本案线索" in page[leads:leads + 200] and "本案目前没有线索。" in page
    assert "国家节点最近受理的步骤" in page and "最近一步（已受理）" not in page
