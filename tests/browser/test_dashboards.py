"""The dashboards and the monthly reports in headless Chromium against a demo with months of history
(`hufu demo --once`, its own small federation): every chart of the national and of a region's dashboard is
drawn from the vendored ECharts, none is empty where the data has leads, no JavaScript error (the
`new_page` fixture fails the test on one), each chart links to the list behind it with exactly the count it
shows (a click on a chart's point and on the tables' links), and last month's national report has every
region's filing and downloads as PDF and XLSX. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from national.demo import read_accounts
from regional.reports.periods import Month
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


def _since(history: DemoFederation) -> dt.date:
    """The first day of the demo's history, as the demo wrote it: this clock may be a day or a month further
    (a run crossing Beijing midnight, 16:00 UTC, on a month's last day would drop the history's first month)."""
    return dt.date.fromisoformat(history.summary["history_since"])


def _report_month(history: DemoFederation) -> Month:
    """The month whose national report the demo waited for (not this clock's last month: one may have begun)."""
    return Month.parse(history.summary["reports"]["month"])


def _drawn(pg, ids=CHARTS) -> dict[str, int]:  # type: ignore[no-untyped-def]
    for chart in ids:
        pg.wait_for_selector(f"#{chart}[data-state=drawn]", timeout=60_000)
        assert pg.locator(f"#{chart} canvas").count() >= 1, f"{chart} has no canvas"
    return {chart: int(pg.locator(f"#{chart}").get_attribute("data-points") or 0) for chart in ids}


def test_national_dashboard_draws_the_map_and_every_chart_over_the_history(page, base: str,
                                                                          history: DemoFederation) -> None:
    goto(page, f"{base}/dashboard?from={_since(history)}&grain=week")
    points = _drawn(page)
    assert points["chart-map"] == 3, points  # the three provinces of the demo
    assert all(n > 0 for n in points.values()), f"an empty chart where the demo has leads: {points}"
    total = int(page.locator("#dashboard-totals .card .n").first.inner_text())
    assert total == history.summary["leads"], "every lead of the demo is in the period"
    rows = page.locator("#by-region tbody tr")
    assert rows.count() == 3
    assert sum(int(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(3)) == total
    assert page.title() == "统计 · " + page.locator("header h1").inner_text().strip()  # the page's name first
    shot(page, "national-dashboard-charts-zh")
    # by month: one point per month of history and the current month, leads in more than one of them
    goto(page, f"{base}/dashboard?from={_since(history)}&grain=month")
    assert _drawn(page, ("chart-trend",))["chart-trend"] >= 5
    # a province's figure links to exactly the leads it counts
    first = page.locator("#by-region tbody tr").first
    count = int(first.locator("td").nth(1).inner_text())
    first.locator("td").first.locator("a").click()
    page.wait_for_load_state("load")
    assert "/leads?" in page.url and "region=" in page.url
    assert int(page.locator("#leads-total").get_attribute("data-total") or -1) == count


def test_national_dashboard_filters_and_refuses_a_bad_period(page, base: str, history: DemoFederation) -> None:
    goto(page, f"{base}/dashboard?from={_since(history)}&source=exhibition")
    assert _drawn(page, ("chart-sources",))["chart-sources"] <= 1
    response = page.goto(f"{base}/dashboard?from=2026-13-01", wait_until="load")
    assert response is not None and response.status == 400
    goto(page, f"{base}/dashboard?lang=en")
    _drawn(page, ("chart-map", "chart-trend"))
    assert "Trend" in page.locator("main").inner_text()
    assert page.title() == "Dashboard · " + page.locator("header h1").inner_text().strip()
    shot(page, "national-dashboard-en")


def test_last_months_national_report_has_every_filing_and_downloads(page, base: str, tmp_path: Path,
                                                                    history: DemoFederation) -> None:
    last = _report_month(history)
    goto(page, f"{base}/reports")
    assert page.locator("#filings tbody tr.missing").count() == 0, "a region's filing is missing"
    assert page.locator("#filings tbody tr").count() == 3
    shot(page, "national-reports-zh")
    with page.expect_download(timeout=180_000) as pdf:  # the PDF is rendered on request: slow under load
        page.locator("#national-reports a.download-pdf").first.click(no_wait_after=True)
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
    with page.expect_download(timeout=180_000) as xlsx:
        page.locator("#national-reports a.download-xlsx").first.click(no_wait_after=True)
    assert xlsx.value.suggested_filename.endswith(".xlsx")


REGION = "440000"
ENGLISH_LEFT = ("Dashboard", "Trend", "Leads", "By type", "By source", "By industry", "Review workload", "Officer",
                "Open cases", "Sync health", "Confirmed", "Awaiting")


def _click_point(pg, chart: str, series: int, index: int) -> None:  # type: ignore[no-untyped-def]
    """Click one data point of an ECharts chart, where ECharts itself says it is drawn."""
    x, y = pg.evaluate("""([id, s, i]) => {
        const el = document.getElementById(id);
        el.scrollIntoView({block: "center"});
        const c = echarts.getInstanceByDom(el);
        const value = c.getOption().series[s].data[i].value;
        const [px, py] = c.convertToPixel({seriesIndex: s}, [i, value]);
        const box = el.getBoundingClientRect();
        return [box.left + px, box.top + py];
    }""", [chart, series, index])
    pg.mouse.move(x, y)  # the tooltip follows the mouse; then the click on the point's symbol
    pg.mouse.click(x, y)
    pg.wait_for_url("**/leads?**", timeout=60_000)
    pg.wait_for_load_state("load")


def test_regional_dashboard_draws_its_province_by_city_and_every_link_gives_its_count(
        new_page, history: DemoFederation, node_web) -> None:  # type: ignore[no-untyped-def]
    rbase = node_web("regional", history.region_dir(REGION))
    pg = new_page()
    sign_in(pg, rbase, "supervisor", read_accounts(history.root)[REGION]["supervisor"])
    goto(pg, f"{rbase}/dashboard?from={_since(history)}&grain=week")
    points = _drawn(pg, (*CHARTS, "chart-workload"))
    assert all(n > 0 for n in points.values()), f"an empty chart where the demo has leads: {points}"
    main = pg.locator("main").inner_text()
    assert "数据看板" in main and "各审查员工作量" in main
    assert pg.title() == "数据看板 · " + pg.locator("header h1").inner_text().strip()
    assert not [w for w in ENGLISH_LEFT if w in main], "English left in the Chinese dashboard"
    shot(pg, "regional-dashboard-zh")
    total = int(pg.locator("#total-leads").inner_text())
    cities = pg.locator("#by-city tbody tr")
    assert sum(int(cities.nth(i).locator("td").nth(1).inner_text()) for i in range(cities.count())) == total
    # the map draws the cities' names of the province file (an unknown name would leave the map blank)
    drawn = pg.evaluate("""async () => {
        const root = document.getElementById('dashboard');
        const geo = await (await fetch(root.dataset.map, {credentials: 'same-origin'})).json();
        const known = new Set(geo.features.map(f => f.properties.name));
        return JSON.parse(root.dataset.figures).areas.filter(a => a.value > 0 && known.has(a.map_name)).length;
    }""")
    assert drawn >= 1, "no city of the dashboard is on the province map"
    # a click on the trend's busiest point opens exactly the leads it counts
    detected = pg.evaluate("() => JSON.parse(document.getElementById('dashboard').dataset.figures).trend.detected")
    busiest = max(range(len(detected)), key=lambda i: detected[i])
    _click_point(pg, "chart-trend", 0, busiest)
    assert int(pg.locator("#lead-count").get_attribute("data-total") or -1) == detected[busiest]
    shot(pg, "regional-leads-from-dashboard-zh")
    # a city, and an officer's judged leads, give exactly their counts
    goto(pg, f"{rbase}/dashboard?from={_since(history)}&grain=week")
    first = pg.locator("#by-city tbody tr").first
    count = int(first.locator("td").nth(1).inner_text())
    first.locator("a").click()
    pg.wait_for_load_state("load")
    assert "area=" in pg.url and int(pg.locator("#lead-count").get_attribute("data-total") or -1) == count
    goto(pg, f"{rbase}/dashboard?from={_since(history)}&grain=week")
    judged = pg.locator("#workload a.judged").first
    n = int(judged.inner_text())
    judged.click()
    pg.wait_for_load_state("load")
    assert "judged_by=" in pg.url and int(pg.locator("#lead-count").get_attribute("data-total") or -1) == n
    goto(pg, f"{rbase}/dashboard?lang=en")
    _drawn(pg, ("chart-trend", "chart-workload"))
    assert "Review workload per officer" in pg.locator("main").inner_text()
    shot(pg, "regional-dashboard-en")
