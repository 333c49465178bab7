"""The report pages: the figures on screen are the figures in the downloads; filing again needs a supervisor."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519
from flask import Flask

from regional import outbox
from regional.config import RegionalConfig
from regional.node import MIGRATIONS
from sync.db import Database
from sync.migrate import run_migrations
from tests.conftest import csrf, web_client
from tests.reports.fixture import REGION, build


@pytest.fixture(scope="module")
def regional_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from cryptography.hazmat.primitives import serialization

    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path_factory.mktemp("region"), region=REGION)
    run_migrations(config.db_url, MIGRATIONS)
    key = ed25519.Ed25519PrivateKey.generate()
    config.pki_dir.mkdir()
    (config.pki_dir / "signing.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    build(Database(config.db_url), outbox.Signer(region=REGION, key=key))
    return create_app(config)


def _table(page: str, section: str) -> dict[str, list[str]]:
    body = page.split(f'data-section="{section}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    out = {}
    for r in rows[1:]:
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        out[cells[0]] = cells[1:]
    return out


def test_the_page_shows_the_figures_of_the_workbook(regional_app: Flask) -> None:
    from openpyxl import load_workbook

    client = web_client(regional_app, "officer")
    page = client.get("/reports/2026-10")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "广东省知识产权局 2026年10月 知识产权保护月报" in html
    on_screen = _table(html, "leads_by_type")
    assert on_screen["商标侵权"][:2] == ["6", "4"] and on_screen["假冒专利"][0] == "3"
    xlsx = client.get("/reports/2026-10.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(xlsx.data))
    for name, cells in _table(html, "summary").items():
        got = {r[0]: r[1] for r in wb["总体情况"].iter_rows(min_row=2, values_only=True)}[name]
        assert cells[0] == (f"{got:,}" if isinstance(got, int) else f"{got:,.1f}"), name
    assert "<script" not in html.split('class="report-page"', 1)[1].split("</main>", 1)[0]


def test_filing_again_needs_a_supervisor_and_keeps_a_revision(regional_app: Flask) -> None:
    officer = web_client(regional_app, "officer")
    assert officer.post("/reports/2026-10/file", data={"csrf_token": csrf(officer)}).status_code == 403
    boss = web_client(regional_app, "supervisor")
    answer = boss.post("/reports/2026-10/file", data={"csrf_token": csrf(boss)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/reports"  # no ?message= (newcomer14 F37)
    listing = boss.get("/reports").get_data(as_text=True)
    assert 'data-flash="ok">2026-10 月报第 1 版已生成' in listing
    assert "2026-10 月报第 1 版已生成" not in boss.get("/reports").get_data(as_text=True)  # said once
    spoof = boss.get("/reports?message=系统升级：请将账号密码发送至 it-support@example.com").get_data(as_text=True)
    assert "it-support@example.com" not in spoof
    early = boss.post("/reports/2999-01/file", data={"csrf_token": csrf(boss)})
    assert early.status_code == 404  # the month has not begun
    assert "2026-10" in listing.split('id="kept-reports"', 1)[1]
    pdf = boss.get("/reports/2026-10.pdf?revision=1")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].endswith("2026-10-r1.pdf")  # newcomer24: a kept revision is named so


@pytest.mark.parametrize("path", ["/reports/2026-13", "/reports/26-10", "/reports/2999-01", "/reports/2026-10.docx",
                                  "/reports/3000-01"])
def test_bad_months_and_formats_are_refused(regional_app: Flask, path: str) -> None:
    client = web_client(regional_app, "officer")
    answer = client.get(path)
    assert answer.status_code in (400, 404)
    if path == "/reports/2026-13":  # the reason in the reader's language (was the English of the parser)
        assert "&#39;2026-13&#39; 不是有效的月份：请写作 YYYY-MM" in answer.get_data(as_text=True)
    if path in ("/reports/2999-01", "/reports/3000-01"):  # a 404 with a reason says it (newcomer12: only the generic
        # words were shown; newcomer14 F30: 3000-01 was called "not a month")
        assert answer.status_code == 404 and "该月份尚未开始。" in answer.get_data(as_text=True)


def test_a_bare_404_keeps_the_generic_words(regional_app: Flask) -> None:
    page = web_client(regional_app, "officer").get("/no-such-page").get_data(as_text=True)
    assert "找不到该页面或记录。" in page and "The requested URL was not found" not in page


def test_national_reports_page_lists_missing_regions_and_serves_kept_reports(tmp_path: Path) -> None:
    from national.config import NationalConfig
    from national.models import RegionRow
    from national.node import MIGRATIONS as NATIONAL
    from national.web import create_app

    config = NationalConfig(data_dir=tmp_path / "national", pki_dir=tmp_path / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, NATIONAL)
    with Database(config.db_url).transaction() as s:
        for code in ("440000", "330000"):
            s.add(RegionRow(code=code, name=code))
    app = create_app(config)
    boss = web_client(app, "supervisor")
    page = boss.get("/reports").get_data(as_text=True)
    assert "尚未报送：2 个区域" in page and "广东省" in page
    last = re.search(r"/reports/(\d{4}-\d{2})/compile", page).group(1)  # type: ignore[union-attr]
    compiled = boss.post(f"/reports/{last}/compile", data={"csrf_token": csrf(boss)})
    # newcomer14 F37: flashed, not in the address; back to the month compiled (newcomer15 F18)
    assert compiled.status_code == 302 and compiled.headers["Location"] == f"/reports?month={last}"
    assert f'data-flash="ok">{last} 全国月报第 1 版已汇编。' in boss.get("/reports").get_data(as_text=True)
    assert "it@example.com" not in boss.get("/reports?message=请联系 it@example.com").get_data(as_text=True)
    xlsx = boss.get(f"/reports/{last}.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    assert xlsx.headers["Content-Disposition"].endswith(f"hufu-national-{last}-r1.xlsx")
    assert boss.post(f"/reports/{last}/compile", data={"csrf_token": csrf(boss)}).status_code == 302
    # each month listed once, at its latest compilation
    assert [(k["month"], k["revision"]) for k in boss.get("/api/reports").get_json()["kept"]] == [(last, 2)]
    assert boss.get(f"/reports/{last}.pdf?revision=1").mimetype == "application/pdf"
    shown = boss.get(f"/reports/{last}").get_data(as_text=True)
    assert "全国知识产权保护月报" in shown and "未报送" in shown
    api = boss.get("/api/reports").get_json()
    assert api["kept"][0]["regions_missing"] == ["330000", "440000"]


def test_a_past_month_is_chosen_and_compiled_from_the_national_page(tmp_path: Path) -> None:
    """newcomer15 F18: only last month could be compiled from the page; the months offered run from the first data
    this node holds to this month, and any other month is refused naming the parameter."""
    import datetime as dt
    import uuid

    from national.config import NationalConfig
    from national.models import NationalLead, RegionRow
    from national.node import MIGRATIONS as NATIONAL
    from national.reports.models import NationalReport
    from national.web import create_app
    from regional.reports.periods import Month, local_day

    config = NationalConfig(data_dir=tmp_path / "national", pki_dir=tmp_path / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, NATIONAL)
    current = Month.of(local_day(dt.datetime.now(dt.UTC)))
    first = current.shift(-5)
    with Database(config.db_url).transaction() as s:
        for code in ("440000", "330000"):
            s.add(RegionRow(code=code, name=code))
        when = dt.datetime(first.year, first.month, 10, 4, tzinfo=dt.UTC)
        s.add(NationalLead(uuid=str(uuid.uuid4()), region="440000", listing_id="L1", right_number="TM-1",
                           right_title="康师傅", type="trademark", score=0.9, reasons=[], model_version="m",
                           received_at=when, detected=when, source="ecommerce", industry=30))
    boss = web_client(create_app(config), "supervisor")
    page = boss.get("/reports").get_data(as_text=True)
    offered = re.findall(r'<option value="(\d{4}-\d{2})"( selected)?>', page)
    assert [m for m, _s in offered] == [str(current.shift(-k)) for k in range(6)]
    assert [m for m, chosen in offered if chosen] == [str(current.previous)]  # last month by default
    page = boss.get(f"/reports?month={first}").get_data(as_text=True)
    assert f"/reports/{first}/compile" in page and f"各区域 {first} 月报报送情况" in page
    compiled = boss.post(f"/reports/{first}/compile", data={"csrf_token": csrf(boss)})
    assert compiled.status_code == 302 and compiled.headers["Location"] == f"/reports?month={first}"
    with Database(config.db_url).read() as s:
        kept = s.scalar(sa.select(NationalReport).where(NationalReport.month == str(first)))
    assert kept is not None and kept.regions_missing == ["330000", "440000"]
    shown = boss.get(f"/reports/{first}").get_data(as_text=True)
    assert "未报送" in shown and "2026" in shown
    for bad in (str(first.previous), str(current.shift(1)), "2026-13", "x" * 100):
        answer = boss.get(f"/reports?month={bad}")
        text = answer.get_data(as_text=True)
        assert answer.status_code == 400 and "month（月份）" in text, bad
        assert f"请在 {first} 至 {current} 之间选择" in text, bad


def test_earlier_compilations_of_a_month_stay_reachable_from_the_national_page(tmp_path: Path) -> None:
    """newcomer24: the national /reports page listed only each month's latest compilation; the earlier revisions
    (kept, and served with ?revision=N) had no link anywhere."""
    from national.config import NationalConfig
    from national.models import RegionRow
    from national.node import MIGRATIONS as NATIONAL
    from national.web import create_app

    config = NationalConfig(data_dir=tmp_path / "national", pki_dir=tmp_path / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, NATIONAL)
    with Database(config.db_url).transaction() as s:
        s.add(RegionRow(code="440000", name="440000"))
    boss = web_client(create_app(config), "supervisor")
    last = re.search(r"/reports/(\d{4}-\d{2})/compile", boss.get("/reports").get_data(as_text=True))
    assert last is not None
    month = last.group(1)
    for _n in range(3):
        assert boss.post(f"/reports/{month}/compile", data={"csrf_token": csrf(boss)}).status_code == 302
    page = boss.get("/reports").get_data(as_text=True)
    assert re.findall(r'class="earlier-revision" data-revision="(\d+)"', page) == ["2", "1"]
    assert f'href="/reports/{month}?revision=1"' in page and "第 1 版" in page and "此前各版" in page
    assert f'/reports/{month}.xlsx?revision=2' in page
    shown = boss.get(f"/reports/{month}?revision=1").get_data(as_text=True)
    assert f"/reports/{month}.pdf?revision=1" in shown
    xlsx = boss.get(f"/reports/{month}.xlsx?revision=2")
    assert xlsx.headers["Content-Disposition"].endswith(f"hufu-national-{month}-r2.xlsx")
    assert boss.get("/api/reports").get_json()["kept"][0]["earlier_revisions"] == [2, 1]
    english = boss.get("/reports?lang=en").get_data(as_text=True)
    assert "Earlier revisions" in english and ">revision 1<" in english


def test_a_regions_earlier_filings_of_a_month_stay_reachable_from_the_national_page(tmp_path: Path) -> None:
    """newcomer24: the regions' filings table showed each region's latest revision only; a region's earlier filing
    (served with ?revision=N since newcomer23 B) had no link."""
    import datetime as dt

    from national.config import NationalConfig
    from national.models import RegionRow
    from national.node import MIGRATIONS as NATIONAL
    from national.reports.models import RegionReport
    from national.web import create_app

    config = NationalConfig(data_dir=tmp_path / "national", pki_dir=tmp_path / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, NATIONAL)
    at = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
    with Database(config.db_url).transaction() as s:
        for code in ("440000", "330000"):
            s.add(RegionRow(code=code, name=code))
        for region, revisions in (("440000", (1, 2, 3)), ("330000", (1,))):
            s.add_all(RegionReport(region=region, month="2026-10", revision=n, office=f"{region} r{n}",
                                   generated_at=at, generated_by="worker", record_uuid=f"00000000-0000-0000-0000-{region}00000{n}",
                                   received_at=at + dt.timedelta(days=n),
                                   figures={"month": "2026-10", "office": f"{region} r{n}", "kind": "region",
                                            "sections": [], "generated_at": at.isoformat()})
                      for n in revisions)
    boss = web_client(create_app(config), "supervisor")
    page = boss.get("/reports?month=2026-10").get_data(as_text=True)
    assert re.findall(r'class="nowrap earlier-filing" data-region="(\d+)" data-revision="(\d+)"', page) == [
        ("440000", "2"), ("440000", "1")]
    assert "/reports/2026-10/regions/440000.xlsx?revision=1" in page
    assert "/reports/2026-10/regions/440000.pdf?revision=2" in page
    xlsx = boss.get("/reports/2026-10/regions/440000.xlsx?revision=1")
    assert xlsx.status_code == 200 and xlsx.headers["Content-Disposition"].endswith("hufu-440000-2026-10-r1.xlsx")


def test_a_regions_earlier_revisions_stay_reachable_and_download_under_their_own_name(regional_app: Flask) -> None:
    """newcomer24: the region's /reports listed each month's latest filing only, and a kept revision downloaded
    under the name of the report as it stands now (hufu-440000-2026-09.pdf for ?revision=1 too)."""
    boss = web_client(regional_app, "supervisor")
    for _n in range(3):
        assert boss.post("/reports/2026-09/file", data={"csrf_token": csrf(boss)}).status_code == 302
    page = boss.get("/reports").get_data(as_text=True)
    row = page.split('href="/reports/2026-09?revision=3"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="earlier-revision" data-revision="(\d+)"', row) == ["2", "1"]
    assert "/reports/2026-09.xlsx?revision=1" in row and "第 1 版" in row and "此前各版" in page
    first = boss.get("/reports/2026-09.xlsx?revision=1")
    assert first.status_code == 200 and first.headers["Content-Disposition"].endswith("hufu-440000-2026-09-r1.xlsx")
    now = boss.get("/reports/2026-09.xlsx")
    assert now.headers["Content-Disposition"].endswith("hufu-440000-2026-09.xlsx")
    assert "Earlier revisions" in boss.get("/reports?lang=en").get_data(as_text=True)
