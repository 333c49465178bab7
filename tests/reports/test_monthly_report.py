"""A region's monthly report over a fixture with known counts: every figure, the workbook and the PDF's text."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from regional import outbox
from regional.node import MIGRATIONS
from regional.reports import render, service
from regional.reports.figures import row, section
from regional.reports.periods import Month
from sync.db import Database, sqlite_url
from sync.migrate import run_migrations
from tests.reports.fixture import OCTOBER, REGION, build, cst

OFFICE = "广东省知识产权局"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("report") / "node.db")
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(server.unique_name("monthly_report"))
    run_migrations(url, MIGRATIONS)
    database = Database(url)
    build(database, outbox.Signer(region=REGION, key=ed25519.Ed25519PrivateKey.generate()))
    return database


@pytest.fixture(scope="module")
def figures(db: Database) -> dict:
    return service.compute(db, region=REGION, office=OFFICE, month=Month(2026, 10), now=cst(2026, 11, 1, 9),
                           core=[30, 9])


def _compare(figures: dict, key: str, expected: dict) -> None:
    for k, (value, previous, year_ago) in expected.items():
        r = row(figures, key, k)
        assert (r["value"], r["previous"], r["year_ago"]) == (value, previous, year_ago), (key, k, r)


def test_lead_counts_by_type_source_industry_and_city_with_their_changes(figures: dict) -> None:
    _compare(figures, "leads_by_type", OCTOBER["by_type"])
    _compare(figures, "leads_by_source", OCTOBER["by_source"])
    _compare(figures, "leads_by_industry", OCTOBER["by_industry"])
    _compare(figures, "leads_by_area", OCTOBER["by_area"])
    leads = row(figures, "summary", "leads")
    assert (leads["value"], leads["previous"], leads["year_ago"]) == OCTOBER["leads"]
    assert leads["mom"] == pytest.approx((12 - 6) / 6) and leads["yoy"] == pytest.approx((12 - 2) / 2)
    assert row(figures, "leads_by_type", "invention")["mom"] is None  # nothing last month to compare with
    assert row(figures, "leads_by_industry", 30)["core"] == "yes"
    assert row(figures, "leads_by_industry", 21)["core"] == "no"


def test_days_are_china_standard_time_days(figures: dict) -> None:
    days = {r["day"]: r for r in section(figures, "leads_by_day")["rows"]}
    assert len(days) == 31
    assert days["2026-10-01"]["detected"] == 1  # 2026-09-30 17:00 UTC
    assert days["2026-10-31"]["detected"] == 1  # 23:00 CST; the 04:00 CST lead of 1 November is not October's
    assert sum(r["detected"] for r in days.values()) == 12
    assert sum(r["confirmed"] for r in days.values()) == 4 and sum(r["excluded"] for r in days.values()) == 3


def test_judgements_pending_and_median_time_to_judge(figures: dict) -> None:
    for t in ("trademark", "counterfeit_patent", "design", "invention"):
        r = row(figures, "judgements", t)
        assert r["confirmed"] == OCTOBER["confirmed"].get(t, 0), t
        assert r["excluded"] == OCTOBER["excluded"].get(t, 0), t
    assert row(figures, "summary", "confirmed")["value"] == 4
    assert row(figures, "summary", "confirmed")["previous"] == OCTOBER["confirmed_previous"]
    assert row(figures, "summary", "excluded")["value"] == 3
    assert row(figures, "summary", "pending_end")["value"] == OCTOBER["pending_end"]
    assert sum(r["pending_end"] for r in section(figures, "judgements")["rows"]) == OCTOBER["pending_end"]
    assert row(figures, "summary", "median_hours_to_judge")["value"] == OCTOBER["median_hours"]


def test_routing_cases_steps_and_results(figures: dict) -> None:
    assert {r["agency"]: r["routed"] for r in section(figures, "routing")["rows"]} == OCTOBER["routed"]
    assert row(figures, "summary", "routed")["value"] == 4 and row(figures, "summary", "routed")["previous"] == 1
    assert {r["key"]: r["value"] for r in section(figures, "cases")["rows"]} == OCTOBER["cases"]
    steps = {r["key"]: (r["steps"], r["median_days"]) for r in section(figures, "case_steps")["rows"] if r["steps"]}
    assert steps == OCTOBER["steps"]
    assert {r["key"]: r["cases"] for r in section(figures, "case_results")["rows"]} == OCTOBER["results"]


def test_cross_region_blacklist_top_lists_and_sync(figures: dict) -> None:
    assert len(section(figures, "blacklist")["rows"]) == OCTOBER["blacklist"]
    assert row(figures, "summary", "blacklist_added")["value"] == 2
    assert row(figures, "cross_region", "cross_cases_received")["value"] == OCTOBER["cross_received"]
    top = section(figures, "top_rights")["rows"][0]
    assert (top["right"], top["leads"]) == OCTOBER["top_right"] and top["right_title"] == "康师傅"
    seller = section(figures, "top_sellers")["rows"][0]
    assert (seller["seller"], seller["leads"]) == OCTOBER["top_seller"]
    assert row(figures, "sync", "records_filed")["value"] == OCTOBER["records_filed"]
    assert row(figures, "sync", "backlog")["value"] == 2  # nothing was ever acknowledged here


def test_workbook_has_one_sheet_per_section_with_real_numbers(figures: dict) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render.xlsx_bytes(figures)))
    sheets = wb.sheetnames
    assert len(sheets) == 1 + len(figures["sections"])
    types = wb["线索·按侵权类型"]
    assert [c.value for c in types[1]] == ["项目", "本月", "上月", "环比", "去年同月", "同比"]
    got = {r[0]: r[1:] for r in types.iter_rows(min_row=2, values_only=True)}
    assert got["商标侵权"][:2] == (6, 4) and isinstance(got["商标侵权"][0], int)
    assert got["商标侵权"][2] == pytest.approx(0.5)  # month on month, as a number with a % format
    assert types["D2"].number_format.startswith("+0.0%")
    summary = {r[0]: r[1] for r in wb["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert summary["线索总数"] == 12 and summary["月末待判断"] == 11 and summary["判断用时中位数（小时）"] == 24.0
    cases = {r[0]: r[1] for r in wb["案件办理"].iter_rows(min_row=2, values_only=True)}
    assert cases == {"立案": 2, "结案": 1, "月末在办案件": 2, "月末超期案件": 1}


def test_pdf_is_a4_with_header_page_numbers_charts_and_embedded_chinese_font(figures: dict, tmp_path: Path) -> None:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is missing: `make test` installs it (.ci/system-deps)"
    out = tmp_path / "report.pdf"
    render.write(figures, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{OFFICE} 2026年10月 知识产权保护月报" in text
    assert "2026年10月" in text and OFFICE in text.split("\n", 3)[0]  # the running header
    flat = "".join(text.split())
    pages = int(subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
                .stdout.split("Pages:")[1].split()[0])
    assert pages >= 2 and f"第1页/共{pages}页" in flat and f"第{pages}页/共{pages}页" in flat
    for words in ("线索·按侵权类型", "商标侵权", "假冒专利", "权利人申请检测", "深圳市", "月末超期案件", "同步健康"):
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk), fonts  # embedded, subset
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info.replace("595.28", "595.276")  # A4 in points
    assert data.count(b"/Subtype /Image") == 0  # charts are vector drawings, not pictures of tables


def test_unknown_extension_and_bad_month_are_refused(figures: dict, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.pdf or \.xlsx"):
        render.write(figures, tmp_path / "r.docx")
    from regional.reports.periods import PeriodError

    for bad in ("2026-13", "2026/11", "11-2026", ""):
        with pytest.raises(PeriodError, match="YYYY-MM"):
            Month.parse(bad)


def test_the_worker_files_last_month_once_and_only_if_the_node_was_at_work_before_it_ended(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from regional.models import AuditEntry, OutboxRow

    def node(name: str, began: object) -> Database:
        url = sqlite_url(tmp_path / f"{name}.db")
        run_migrations(url, MIGRATIONS)
        database = Database(url)
        if began is not None:
            with database.transaction() as s:
                s.add(AuditEntry(at=began, actor="demo", action="import_registry", detail={}))
        return database

    first_of_december = cst(2026, 12, 1, 9)
    assert service.due_month(node("empty", None), first_of_december) is None, "a node that never worked"
    assert service.due_month(node("new", cst(2026, 12, 1, 1)), first_of_december) is None, "set up in December"
    db = node("old", cst(2026, 11, 30, 23))  # at work before November ended (China Standard Time)
    assert service.due_month(db, first_of_december) == Month(2026, 11)
    signer = outbox.Signer(region=REGION, key=ed25519.Ed25519PrivateKey.generate())
    row = service.file_month(db, signer, region=REGION, office=OFFICE, month=Month(2026, 11), now=first_of_december)
    assert row.revision == 1
    assert service.due_month(db, first_of_december) is None, "filed once"
    with db.read() as s:
        kinds = list(s.scalars(sa.select(OutboxRow.kind)))
    assert kinds == ["monthly_report"]
    with pytest.raises(ValueError, match="once the month is over"):
        service.file_month(db, signer, region=REGION, office=OFFICE, month=Month(2026, 12), now=first_of_december)


def test_sync_times_are_written_in_beijing_time_like_every_time_in_the_report() -> None:
    """newcomer13: 同步健康 printed "2026-12-02T07:29:29.650254+00:00" under a footer saying times are Beijing time."""
    from regional.reports.figures import beijing_time

    assert beijing_time("2026-12-02T07:29:29.650254+00:00") == "2026-12-02 15:29:29"
    assert beijing_time("2026-12-01T17:00:00") == "2026-12-02 01:00:00"  # a naive stamp is stored UTC
    assert beijing_time("2026-12-02T07:29:29+00:00 push: UNAVAILABLE") == "2026-12-02 15:29:29 push: UNAVAILABLE"
    assert beijing_time("") == "" and beijing_time("never") == "never"


def test_a_past_months_report_does_not_show_todays_sync_state_and_never_the_raw_error(db: Database) -> None:
    """newcomer14 F28: /reports/2026-10 on 2 December showed December's sync error — English, with a shell
    command — and "最近对账 … 1 / 0". A month that ended more than two days ago says its month-end state is not
    recorded; a current report shows an unresolved error by its time only, and the reconciliation's figures named."""
    import datetime as dt

    from regional import state
    from regional.reports.labels import label

    error = "2026-12-02T11:49:17+00:00 push: the national node refused this database: … run `hufu regional restore`"
    with db.transaction() as s:
        state.put(s, state.LAST_PUSH_OK, "2026-12-02T11:40:00+00:00", dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
        state.put(s, state.LAST_ERROR, error, dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
        state.put(s, state.LAST_RECONCILE, '{"at": "2026-12-02T11:00:00+00:00", "ranges": 1, "divergent": 0}',
                  dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
    past = service.compute(db, region=REGION, office=OFFICE, month=Month(2026, 10), now=cst(2026, 12, 2, 20),
                           core=[30, 9])
    keys = [r["key"] for r in section(past, "sync")["rows"]]
    assert keys == ["records_filed", "reconciliations", "divergent", "state_not_recorded"]
    assert row(past, "sync", "records_filed")["value"] == OCTOBER["records_filed"]  # the month's own figure stays
    assert "未留存" in label("sync", "state_not_recorded", "zh")
    now = service.compute(db, region=REGION, office=OFFICE, month=Month(2026, 12), now=cst(2026, 12, 2, 20),
                          core=[30, 9])
    assert row(now, "sync", "last_error")["value"] == "2026-12-02 19:49:17"  # Beijing time, no English, no command
    assert (row(now, "sync", "last_reconcile_ranges")["value"], row(now, "sync", "last_reconcile_divergent")["value"]) \
        == (1, 0)
    text = render.html(now, "zh", standalone=False)
    assert "hufu regional" not in text and "refused" not in text and "未恢复的同步错误" in text
    assert "（报告生成时）" in text
    with db.transaction() as s:  # the sync recovered: the error is no longer reported
        state.put(s, state.LAST_PUSH_OK, "2026-12-02T12:00:00+00:00", dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
    recovered = service.compute(db, region=REGION, office=OFFICE, month=Month(2026, 12), now=cst(2026, 12, 2, 21),
                                core=[30, 9])
    assert "last_error" not in [r["key"] for r in section(recovered, "sync")["rows"]]
