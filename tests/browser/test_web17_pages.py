"""Session 17 (web17), in Chromium on copies of the demo's data: a withdrawn cross-region case (a merge undone) is
counted nowhere as a case formed or supervised and is listed apart (newcomer16 N4); the region's copy offers no
report form (N5); each table of a case page has its heading (N12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.test_fixes16_pages import _copy, _withdraw
from tests.browser.test_pages import goto, shot

pytestmark = pytest.mark.browser


def test_a_withdrawn_case_is_counted_apart_on_every_national_page(new_page, demo_federation, node_web, demo_accounts,
                                                                  tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    national = _copy(demo_federation.national_dir, tmp_path / "national")
    region = _copy(demo_federation.region_dir("440000"), tmp_path / "region-440000")
    formed = int(demo_federation.summary["cross_region_cases"])
    case, _listings = _withdraw(national, region, "440000")
    url = node_web("national", national)
    pg = new_page()
    sign_in(pg, url, "supervisor", demo_accounts["national"]["supervisor"])

    goto(pg, f"{url}/")
    assert int(pg.locator("#n-cases").inner_text()) == formed - 1
    assert "另有已撤回 1 件（不计入）" in pg.locator("#n-cases-withdrawn").inner_text()

    goto(pg, f"{url}/cases")
    assert pg.locator("#cases-total").get_attribute("data-total") == str(formed - 1)
    assert pg.locator("#cases tbody tr").count() == formed - 1
    assert pg.locator(f"#cases a[href='/cases/{case}']").count() == 0
    assert pg.locator(f"#cases-withdrawn a[href='/cases/{case}']").count() == 1
    assert "已撤回 1 件" in pg.locator("#cases-withdrawn-count").inner_text()
    shot(pg, "national-cases-withdrawn-apart-zh")

    goto(pg, f"{url}/supervision")
    assert pg.locator("#supervision tbody tr").count() == formed - 1
    assert pg.locator(f"#supervision a[href='/cases/{case}']").count() == 0
    assert "已撤回的案件不再督办" in pg.locator("#supervision-withdrawn").inner_text()

    goto(pg, f"{url}/dashboard")
    assert int(pg.locator("#cases-formed").inner_text()) == formed - 1
    assert "另有已撤回 1 件（不计入）" in pg.locator("#cases-withdrawn").inner_text()
    data = pg.request.get(f"{url}/api/dashboard").json()
    assert data["cases_total"] == formed - 1 and data["cases_withdrawn"] == 1
    assert case not in {c["uuid"] for c in data["supervision"]["cases"]}
    shot(pg, "national-dashboard-withdrawn-apart-zh")

    # a standing case's page: the progress table, then the leads under their own heading
    goto(pg, f"{url}/cases")
    pg.locator("#cases tbody tr a").first.click()
    pg.wait_for_load_state("load")
    assert "国家节点最近受理的步骤" in pg.locator("#case-regions thead").inner_text()
    assert re.fullmatch(r"本案线索 \d+", pg.locator("#case-leads-heading").inner_text().strip())
    order = pg.evaluate("() => [...document.querySelectorAll('#case-regions, #case-leads-heading, #case-leads')]"
                        ".map(e => e.id)")
    assert order == ["case-regions", "case-leads-heading", "case-leads"]

    region_url = node_web("regional", region)
    pg = new_page()
    sign_in(pg, region_url, "officer", demo_accounts["440000"]["officer"])
    goto(pg, f"{region_url}/cases/{case}")
    assert pg.locator("#cross-step-form").count() == 0  # no report form on a withdrawn case (newcomer16 N5)
    assert "本案不再成立" in pg.locator("#cross-withdrawn").inner_text()
    assert "本案撤回时所含的线索" in pg.locator("#case-leads-withdrawn").inner_text()
    assert "withdrawn" not in pg.locator("main").inner_text()
    assert "已结案" not in pg.locator("main").inner_text()
    shot(pg, "regional-case-withdrawn-no-form-zh")
