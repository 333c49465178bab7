"""The dashboards in headless Chromium against the data `hufu demo --once` leaves behind (months of history):
every chart is drawn from the vendored ECharts, none is empty where the data has leads, no JavaScript error
(the `new_page` fixture fails the test on one), each chart links to the list behind it. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest

from national.demo_history import start_of_history
from regional.reports.periods import local_day
from tests.browser.test_pages import goto, national_url, page, region_url, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

CHARTS = ("chart-map", "chart-trend", "chart-types", "chart-sources", "chart-industries")


def _drawn(pg, ids=CHARTS) -> dict[str, int]:  # type: ignore[no-untyped-def]
    for chart in ids:
        pg.wait_for_selector(f"#{chart}[data-state=drawn]", timeout=30_000)
        assert pg.locator(f"#{chart} canvas").count() >= 1, f"{chart} has no canvas"
    return {chart: int(pg.locator(f"#{chart}").get_attribute("data-points") or 0) for chart in ids}


def test_national_dashboard_draws_the_map_and_every_chart_over_the_demo_history(page, national_url,  # noqa: F811
                                                                               demo_federation) -> None:
    since = local_day(start_of_history(dt.datetime.now(dt.UTC)))
    goto(page, f"{national_url}/dashboard?from={since}&grain=week")
    points = _drawn(page)
    assert points["chart-map"] == 3, points  # the three provinces of the demo
    assert all(n > 0 for n in points.values()), f"an empty chart where the demo has leads: {points}"
    total = int(page.locator("#dashboard-totals .card .n").first.inner_text())
    assert total == demo_federation.summary["leads"], "every lead of the demo is in the period"
    rows = page.locator("#by-region tbody tr")
    assert rows.count() == 3
    assert sum(int(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(3)) == total
    shot(page, "national-dashboard-charts-zh")
    # the trend by month has one point per month of history and the current month
    goto(page, f"{national_url}/dashboard?from={since}&grain=month")
    assert _drawn(page, ("chart-trend",))["chart-trend"] >= 5
    # a province's figure links to exactly the leads it counts
    first = page.locator("#by-region tbody tr").first
    count = int(first.locator("td").nth(1).inner_text())
    first.locator("a").click()
    page.wait_for_load_state("load")
    assert "/leads?" in page.url and "region=" in page.url
    assert int(page.locator("#leads-total").get_attribute("data-total") or -1) == count


def test_national_dashboard_filters_and_refuses_a_bad_period(page, national_url, demo_federation) -> None:  # noqa: F811
    since = local_day(start_of_history(dt.datetime.now(dt.UTC)))
    goto(page, f"{national_url}/dashboard?from={since}&source=exhibition")
    points = _drawn(page, ("chart-sources",))
    assert points["chart-sources"] <= 1
    response = page.goto(f"{national_url}/dashboard?from=2026-13-01", wait_until="load")
    assert response is not None and response.status == 400
    goto(page, f"{national_url}/dashboard?lang=en")
    _drawn(page, ("chart-map", "chart-trend"))
    assert "Trend" in page.locator("main").inner_text()
    shot(page, "national-dashboard-en")
