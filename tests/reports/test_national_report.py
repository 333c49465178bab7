"""The national report compiles the regions' filings, flags the regions that have not reported, and is kept."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest

from national.models import CaseRow, NationalLead, RegionRow
from national.node import MIGRATIONS
from national.reports import service
from national.reports.figures import compile_month, national_report
from national.reports.filings import apply_monthly_report
from national.reports.models import CUBE
from regional.reports import cube, render
from regional.reports.figures import row, section
from regional.reports.periods import Month
from sync.db import Database, sqlite_url
from sync.migrate import run_migrations
from sync.v1 import sync_pb2
from tests.reports.fixture import cst

OCT = Month(2026, 10)


def _filing(region: str, leads: int, confirmed: int, revision: int = 1) -> sync_pb2.Record:
    figures = {"format": 1, "kind": "region", "region": region, "month": "2026-10", "sections": [
        {"key": "summary", "rows": [{"key": "leads", "value": leads}, {"key": "confirmed", "value": confirmed},
                                    {"key": "excluded", "value": 1}, {"key": "pending_end", "value": 3},
                                    {"key": "median_hours_to_judge", "value": 10.0}]},
        {"key": "routing", "rows": [{"agency": "某局", "agency_kind": "market_regulation", "routed": 2}]},
        {"key": "cases", "rows": [{"key": "cases_opened", "value": 2}, {"key": "cases_closed", "value": 1},
                                  {"key": "cases_open_end", "value": 4}, {"key": "cases_overdue_end", "value": 1}]},
        {"key": "case_steps", "rows": [{"key": "filed", "steps": 2, "mean_days": 3.0, "overdue_steps": 0}]}]}
    return sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, monthly_report=sync_pb2.MonthlyReport(
        month="2026-10", revision=revision, office="某省知识产权局", generated_at=cst(2026, 11, 1, 1).isoformat(),
        generated_by="worker", figures_json=json.dumps(figures)))


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """October's national data, shared by the tests that only read it or compile it again."""
    return _october(request, tmp_path_factory)


@pytest.fixture(params=BACKENDS)
def own_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The same data for a test of its own: a late filing must not change what the shared one's tests read."""
    return _october(request, tmp_path_factory)


def _october(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("national") / "national.db")
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(server.unique_name("national_report"))
    run_migrations(url, MIGRATIONS)
    database = Database(url)
    now = cst(2026, 11, 1, 2)
    with database.transaction() as s:
        for code in ("440000", "330000", "350000"):
            s.add(RegionRow(code=code, name=code))
        # leads received: Guangdong 3 in October (one at 2026-09-30 17:00 UTC), 1 in September; Zhejiang 2 in October
        for i, (region, when, typ, source) in enumerate([
                ("440000", cst(2026, 10, 1, 1), "trademark", "ecommerce"),
                ("440000", cst(2026, 10, 9), "trademark", "exhibition"),
                ("440000", cst(2026, 10, 30), "design", "ecommerce"),
                ("440000", cst(2026, 9, 30, 23), "trademark", "ecommerce"),
                ("330000", cst(2026, 10, 3), "trademark", "customs"),
                ("330000", cst(2026, 10, 4), "invention", "ecommerce")]):
            s.add(NationalLead(uuid=str(uuid.uuid4()), region=region, listing_id=f"L{i}", right_number="TM-1",
                               right_title="康师傅", type=typ, score=0.9, reasons=[], model_version="m",
                               seller_name="某商家", seller_uscc="91440305MA5DC0QX1L", received_at=when,
                               detected=when, source=source, industry=30))
        s.add(CaseRow(uuid=str(uuid.uuid4()), key="k1", right_number="TM-1", right_title="康师傅", type="trademark",
                      lead_region="440000", regions=["440000", "330000"], cross_region=True, supervised=True,
                      deadline=cst(2026, 10, 20), formed_at=cst(2026, 10, 5), updated_at=cst(2026, 10, 5)))
        s.add(CaseRow(uuid=str(uuid.uuid4()), key="k2", right_number="TM-2", right_title="雪碧", type="trademark",
                      lead_region="330000", regions=["440000", "330000"], cross_region=True, supervised=True,
                      deadline=cst(2026, 12, 20), formed_at=cst(2026, 10, 25), updated_at=cst(2026, 10, 25)))
        # a withdrawn case (a merge undone): never counted as formed or supervised, counted apart (newcomer16 N4)
        s.add(CaseRow(uuid=str(uuid.uuid4()), key="k3", right_number="TM-3", right_title="华美", type="trademark",
                      lead_region="440000", regions=["440000", "350000"], cross_region=True, supervised=True,
                      status="withdrawn", deadline=cst(2026, 10, 15), formed_at=cst(2026, 10, 6),
                      updated_at=cst(2026, 10, 7)))
        assert apply_monthly_report(s, "440000", _filing("440000", 3, 2), now)
        bad = _filing("350000", 1, 1)
        bad.monthly_report.figures_json = "[not json"
        assert not apply_monthly_report(s, "350000", bad, now)  # audited, not stored: 350000 has not reported
    return database


def test_missing_regions_are_flagged_and_filed_figures_are_compiled(db: Database) -> None:
    row_ = compile_month(db, month=OCT, now=cst(2026, 11, 1, 3), actor="test")
    f = row_.figures
    assert f["regions_reported"] == ["440000"] and f["regions_missing"] == ["330000", "350000"]
    filings = {r["region"]: r for r in section(f, "filings")["rows"]}
    assert filings["440000"]["status"] == "doc:reported" and filings["330000"]["status"] == "doc:missing"
    assert (filings["440000"]["filed_leads"], filings["440000"]["national_leads"], filings["440000"]["difference"]) \
        == (3, 3, 0)
    assert row(f, "summary", "regions_missing")["value"] == 2
    assert row(f, "summary", "confirmed")["value"] == 2 and row(f, "summary", "routed")["value"] == 2
    assert {r["agency_kind"]: r["routed"] for r in section(f, "routing")["rows"]} == {"market_regulation": 2}


def test_lead_counts_per_province_type_and_source_come_from_the_national_counts(db: Database) -> None:
    with db.read() as s:
        f = national_report(s, month=OCT, now=cst(2026, 11, 1, 3))
    assert row(f, "summary", "leads")["value"] == 5 and row(f, "summary", "leads")["previous"] == 1
    assert {r["key"]: r["value"] for r in section(f, "leads_by_area")["rows"] if r["value"]} == \
        {"440000": 3, "330000": 2}
    assert row(f, "leads_by_type", "trademark")["value"] == 3
    assert row(f, "leads_by_source", "customs")["value"] == 1
    with db.read() as s:
        direct = cube.totals(s, CUBE, OCT.start, OCT.end, by=("area",))
    assert sum(direct.values()) == 5


def test_supervision_board_puts_overdue_first_and_cross_cases_are_counted(db: Database) -> None:
    with db.read() as s:
        f = national_report(s, month=OCT, now=cst(2026, 11, 1, 3))
    board = section(f, "supervision")["rows"]
    assert [r["right"] for r in board] == ["TM-1", "TM-2"] and board[0]["overdue"] == "yes"
    assert row(f, "summary", "cross_formed")["value"] == 2 and row(f, "summary", "supervised_overdue")["value"] == 1
    assert row(f, "summary", "cross_withdrawn")["value"] == 1 and row(f, "summary", "supervised")["value"] == 2
    assert "withdrawn" not in {r["key"] for r in section(f, "cross_region")["rows"]}


def test_every_compilation_is_kept_and_rendered_for_download(db: Database, tmp_path) -> None:
    from openpyxl import load_workbook

    first = compile_month(db, month=OCT, now=cst(2026, 11, 1, 4), actor="test")
    second = compile_month(db, month=OCT, now=cst(2026, 11, 1, 5), actor="test")
    assert second.revision == first.revision + 1
    assert [r.month for r in service.kept(db)] == ["2026-10"]
    got = service.document(db, "2026-10", None, "xlsx", tmp_path)
    assert got is not None and got[1].revision == second.revision
    wb = load_workbook(io.BytesIO(got[0].read_bytes()))
    filings = {r[0]: r[1] for r in wb["各区域月报报送情况"].iter_rows(min_row=2, values_only=True)}
    assert filings == {"广东省": "已报送", "浙江省": "未报送", "福建省": "未报送"}
    assert service.document(db, "2026-09", None, "pdf", tmp_path) is None
    assert render.title_of(second.figures) == "国家知识产权局 2026年10月 全国知识产权保护月报"


def test_worker_compiles_last_month_and_again_after_a_late_filing(own_db: Database) -> None:
    # its own database: it ran after the shared one's compilations (and its late filing would change what they
    # read), so it failed when run alone or first
    db = own_db
    now = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert [str(m) for m in service.due_compilations(db, now)] == ["2026-10"]  # never compiled
    compile_month(db, month=OCT, now=cst(2026, 11, 1, 3), actor="worker")
    assert [str(m) for m in service.due_compilations(db, now)] == []  # compiled, nothing new
    with db.transaction() as s:
        assert apply_monthly_report(s, "330000", _filing("330000", 2, 1), now + dt.timedelta(hours=1))
    assert [str(m) for m in service.due_compilations(db, now + dt.timedelta(hours=2))] == ["2026-10"]


def test_the_daily_table_counts_the_regions_judgements_on_the_day_they_took_effect(own_db: Database) -> None:
    """newcomer13: the national report's 线索·逐日 said 确认侵权 0 on every day while its summary said 13 — the national
    leads table never changes when a region judges a lead, so its cube counted no judgement."""
    from national.review_models import ReviewOutcomeRow

    def outcome(lead: str, what: str, at: dt.datetime, current: bool = True) -> ReviewOutcomeRow:
        return ReviewOutcomeRow(record_uuid=str(uuid.uuid4()), region="440000", lead_uuid=lead, outcome=what,
                                officer="li", decided_at=at, current=current, received_at=at)

    with own_db.transaction() as s:
        s.add_all([outcome("a", "confirmed", cst(2026, 10, 9, 10)), outcome("b", "confirmed", cst(2026, 10, 9, 23)),
                   outcome("c", "excluded", cst(2026, 10, 10, 0)),  # 2026-10-09 16:00 UTC: the 10th in Beijing
                   outcome("d", "confirmed", cst(2026, 10, 12), current=False),  # later reversed:
                   outcome("d", "excluded", cst(2026, 10, 13)),
                   outcome("e", "confirmed", cst(2026, 11, 2))])  # another month
    with own_db.read() as s:
        days = {r["day"]: r for r in section(national_report(s, month=OCT, now=cst(2026, 11, 3)), "leads_by_day")["rows"]}
    assert (days["2026-10-09"]["confirmed"], days["2026-10-09"]["excluded"]) == (2, 0)
    assert (days["2026-10-10"]["confirmed"], days["2026-10-10"]["excluded"]) == (0, 1)
    assert (days["2026-10-12"]["confirmed"], days["2026-10-13"]["excluded"]) == (0, 1)
    assert sum(r["confirmed"] for r in days.values()) == 2 and sum(r["excluded"] for r in days.values()) == 2
    assert days["2026-10-09"]["detected"] == 1  # the leads received that day, as before


def test_a_region_that_has_not_reported_reads_as_unknown_not_zero(db: Database) -> None:
    """newcomer15 F18: the regions that had not filed their figures were printed as if they had nothing to report."""
    with db.read() as s:
        f = national_report(s, month=OCT, now=cst(2026, 11, 1, 3))
    for key, figures in (("judgements", ("confirmed", "excluded", "pending_end", "median_hours")),
                         ("cases", ("opened", "closed", "open_end", "overdue_end"))):
        rows = {r["region"]: r for r in section(f, key)["rows"]}
        assert set(rows) == {"440000", "330000", "350000"}, key  # every region that owes a report has its row
        for code in ("330000", "350000"):
            assert rows[code]["filing"] == "doc:missing" and all(rows[code][k] is None for k in figures), (key, code)
        assert rows["440000"]["filing"] == "doc:reported" and rows["440000"][figures[0]] == 2
    text = render.html(f, "zh", standalone=False)
    judged = text.split('data-section="judgements"', 1)[1].split("</table>", 1)[0]
    assert "浙江省</td><td class=\"label\">未报送</td><td class=\"int\">—</td>" in judged
    chart = text.split('id="section-judgements"', 1)[1].split("</svg>", 1)[0]
    assert "广东省" in chart and "浙江省" not in chart  # an unknown is not drawn as a bar of 0
    with db.read() as s:  # a month nobody filed: the summed figures are unknown, the national counts are counts
        sep = national_report(s, month=Month(2026, 9), now=cst(2026, 11, 1, 3))
    assert [row(sep, "summary", k)["value"] for k in ("confirmed", "excluded", "cases_opened", "routed")] == \
        [None, None, None, None]
    assert row(sep, "summary", "leads")["value"] == 1 and row(sep, "summary", "regions_reported")["value"] == 0


def test_the_sync_section_speaks_the_readers_language_and_keeps_to_the_month(own_db: Database) -> None:
    """fixes15 left the national report's 同步健康 with the raw English of the last error and of the reconciliation
    note, and today's state in any month's report (the regions' reports were fixed for newcomer14 F28)."""
    with own_db.transaction() as s:
        region = s.get(RegionRow, "440000")
        region.last_contact = cst(2026, 11, 1, 1)
        region.last_error = "2026-11-01T02:00:00+00:00 push: the national node refused this database: run `hufu x`"
        region.last_error_at = cst(2026, 11, 1, 2)
        region.last_reconcile = "2026-10-31T20:00:00+00:00 epoch 3: 12 range(s), 1 differ"
    with own_db.read() as s:
        f = national_report(s, month=OCT, now=cst(2026, 11, 1, 3))
        past = national_report(s, month=OCT, now=cst(2026, 12, 5))
    rows = {r["region"]: r for r in section(f, "sync")["rows"]}
    gd = rows["440000"]
    assert gd["standing"] == "refused" and gd["error_at"] == cst(2026, 11, 1, 2).isoformat()
    assert (gd["reconcile_ranges"], gd["reconcile_divergent"]) == (12, 1)
    assert gd["reconcile_at"] == "2026-10-31T20:00:00+00:00"
    for lang, words in (("zh", ("交换被拒绝，尚未恢复", "2026-11-01 04:00", "从未成功同步")), ("en", ("Refused, not recovered",))):
        text = render.html(f, lang, standalone=False).split('id="section-sync"', 1)[1]
        assert all(w in text for w in words), (lang, words)
        assert "push:" not in text and "hufu x" not in text and "range(s)" not in text and "epoch" not in text
    assert [r["key"] for r in section(past, "sync")["rows"]] == ["state_not_recorded"]
    assert "未留存" in render.html(past, "zh", standalone=False).split('id="section-sync"', 1)[1]
