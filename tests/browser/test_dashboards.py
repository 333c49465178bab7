"""The dashboards and the monthly reports in headless Chromium against a demo with months of history
(`hufu demo --once`, its own small federation): every chart is drawn from the vendored ECharts, none is
empty where the data has leads, no JavaScript error (the `new_page` fixture fails the test on one), each
chart links to the list behind it, and last month's national report has every region's filing and
downloads as PDF and XLSX. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from national.demo import read_accounts
from national.demo_history import start_of_history
from regional.reports.periods import Month, local_day
from tests.browser.test_pages import goto, shot
from tests.conftest import DemoFederation, run_demo_once, sign_in

pytestmark = pytest.mark.browser

CHARTS = ("chart-map", "chart-trend", "chart-types", "chart-sources", "chart-industries")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> DemoFederation:
    root = tmp_path_factory.mktemp("hufu-demo-history") / "federation"
    return run_demo_once(root, extra_args=["--listings", "100", "--history-listings", "300"])


@pytest.fixture(scope="module")
def base(history: DemoFederation, node_web) -> str:  # type: ignore[no-untyped-def]
    return node_web("national", history.national_dir)


@pytest.fixture
def page(new_page, base: str, history: DemoFederation):  # type: ignore[no-untyped-def]
    pg = new_page()
    sign_in(pg, base, "officer", read_accounts(history.root)["national"]["officer"])
    return pg


def _since() -> dt.date:
    return local_day(start_of_history(dt.datetime.now(dt.UTC)))


def _drawn(pg, ids=CHARTS) -> dict[str, int]:  # type: ignore[no-untyped-def]
    for chart in ids:
        pg.wait_for_selector(f"#{chart}[data-state=drawn]", timeout=30_000)
        assert pg.locator(f"#{chart} canvas").count() >= 1, f"{chart} has no canvas"
    return {chart: int(pg.locator(f"#{chart}").get_attribute("data-points") or 0) for chart in ids}


def test_national_dashboard_draws_the_map_and_every_chart_over_the_history(page, base: str,
                                                                          history: DemoFederation) -> None:
    goto(page, f"{base}/dashboard?from={_since()}&grain=week")
    points = _drawn(page)
    assert points["chart-map"] == 3, points  # the three provinces of the demo
    assert all(n > 0 for n in points.values()), f"an empty chart where the demo has leads: {points}"
    total = int(page.locator("#dashboard-totals .card .n").first.inner_text())
    assert total == history.summary["leads"], "every lead of the demo is in the period"
    rows = page.locator("#by-region tbody tr")
    assert rows.count() == 3
    assert sum(int(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(3)) == total
    shot(page, "national-dashboard-charts-zh")
    # by month: one point per month of history and the current month, leads in more than one of them
    goto(page, f"{base}/dashboard?from={_since()}&grain=month")
    assert _drawn(page, ("chart-trend",))["chart-trend"] >= 5
    # a province's figure links to exactly the leads it counts
    first = page.locator("#by-region tbody tr").first
    count = int(first.locator("td").nth(1).inner_text())
    first.locator("a").click()
    page.wait_for_load_state("load")
    assert "/leads?" in page.url and "region=" in page.url
    assert int(page.locator("#leads-total").get_attribute("data-total") or -1) == count


def test_national_dashboard_filters_and_refuses_a_bad_period(page, base: str) -> None:
    goto(page, f"{base}/dashboard?from={_since()}&source=exhibition")
    assert _drawn(page, ("chart-sources",))["chart-sources"] <= 1
    response = page.goto(f"{base}/dashboard?from=2026-13-01", wait_until="load")
    assert response is not None and response.status == 400
    goto(page, f"{base}/dashboard?lang=en")
    _drawn(page, ("chart-map", "chart-trend"))
    assert "Trend" in page.locator("main").inner_text()
    shot(page, "national-dashboard-en")


def test_last_months_national_report_has_every_filing_and_downloads(page, base: str, tmp_path: Path) -> None:
    last = Month.of(local_day(dt.datetime.now(dt.UTC))).previous
    goto(page, f"{base}/reports")
    assert page.locator("#filings tbody tr.missing").count() == 0, "a region's filing is missing"
    assert page.locator("#filings tbody tr").count() == 3
    shot(page, "national-reports-zh")
    with page.expect_download() as pdf:
        page.locator("#national-reports a.download-pdf").first.click()
    path = tmp_path / "national.pdf"
    pdf.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is missing: `make test` installs it"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"{last.year}年{last.month}月" in text and "广东省" in text and "浙江省" in text and "福建省" in text
    # the report's lead total of the month is the dashboard's over the same days
    reported = int(re.search(r"线索总数\s+(\d+)", text).group(1))  # type: ignore[union-attr]
    goto(page, f"{base}/dashboard?from={last.start}&to={last.end - dt.timedelta(days=1)}")
    assert int(page.locator("#dashboard-totals .card .n").first.inner_text()) == reported
    assert reported > 0, "the demo's history has leads last month"
    goto(page, f"{base}/reports")
    with page.expect_download() as xlsx:
        page.locator("#national-reports a.download-xlsx").first.click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
