"""Session 18 (fixes18), in Chromium on copies of the demo's data: the region's list of cross-region cases counts the
standing ones and lists a withdrawn case apart (newcomer18 N5); the region's case page shows the regions' progress,
then the leads (N1), the host's leads tagged 主办 / "host region" (N6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_fixes16_pages import _copy, _withdraw
from tests.browser.test_pages import goto, shot

pytestmark = pytest.mark.browser


def test_the_regions_case_list_and_case_page(new_page, demo_federation, node_web, demo_accounts,
                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    national = _copy(demo_federation.national_dir, tmp_path / "national")
    region = _copy(demo_federation.region_dir("440000"), tmp_path / "region-440000")
    held = int(demo_federation.summary["delivered"]["440000"])
    case, _listings = _withdraw(national, region, "440000")
    url = node_web("regional", region)
    pg = new_page()
    sign_in(pg, url, "officer", demo_accounts["440000"]["officer"])
    goto(pg, f"{url}/cases")
    assert pg.locator("#cases-total").get_attribute("data-total") == str(held - 1)
    assert pg.locator(f"#cases a[href='/cases/{case}']").count() == 0
    assert pg.locator(f"#cases-withdrawn a[href='/cases/{case}']").count() == 1
    assert "已撤回 1 件" in pg.locator("#cases-withdrawn-count").inner_text()
    shot(pg, "regional-cases-withdrawn-apart-zh")
    if held > 1:
        pg.locator("#cases tbody tr a").first.click()
        pg.wait_for_load_state("load")
        order = pg.evaluate("() => [...document.querySelectorAll('#case-regions, #case-leads-heading, #case-leads')]"
                            ".map(e => e.id)")
        assert order == ["case-regions", "case-leads-heading", "case-leads"]
        assert pg.locator("#case-leads .tag.host").first.inner_text() == "主办"
        goto(pg, pg.url.split("?")[0] + "?lang=en")
        assert pg.locator("#case-leads .tag.host").first.inner_text() == "host region"
        shot(pg, "regional-case-progress-then-leads-en")
