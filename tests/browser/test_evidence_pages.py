"""Evidence in the browser: from the leads list to a lead's evidence and its package; the case page's
evidence per region; the national evidence log. Chinese by default, English on request."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.browser.test_pages import goto, national_url, page, region_url, shot  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_officer_opens_a_leads_evidence_and_downloads_its_package(page, region_url: str) -> None:  # noqa: F811
    goto(page, f"{region_url}/leads")
    link = page.locator("a.evidence-link").first
    assert link.inner_text().strip() == "证据"
    link.click()
    page.wait_for_load_state("load")
    assert "/evidence" in page.url
    assert page.locator("#evidence h2").inner_text().strip() == "证据"
    status = page.locator(".evidence-status").first
    assert status.get_attribute("data-status") == "logged" and "已记入全国证据日志" in status.inner_text()
    assert "商品记录原文" in page.locator("table.evidence-capture").first.inner_text()
    shot(page, "regional-lead-evidence-zh")
    with page.expect_download() as info:
        page.locator("#evidence-download").click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "摘要.html" in zf.namelist() and "keys/trust.note" in zf.namelist()
    # 重新取证 is offered to an officer (the shared demo federation is not changed here: tests/integration
    # test_evidence_log.py posts it)
    assert page.locator("#recapture-form button").is_visible()
    goto(page, page.url.split("?")[0] + "?lang=en")
    assert page.locator("#evidence h2").inner_text().strip() == "Evidence"
    assert "in the national log" in page.locator(".evidence-status").first.inner_text()


def test_the_case_page_shows_each_regions_evidence_and_the_log_page_its_witnesses(page, national_url: str) -> None:  # noqa: F811
    goto(page, f"{national_url}/cases")
    page.locator("table#cases tbody a[href^='/cases/']").first.click()
    page.wait_for_load_state("load")
    rows = page.locator("table#case-evidence tbody tr")
    assert rows.count() >= 2
    assert all(r == "witnessed" for r in [rows.nth(i).get_attribute("data-status") for i in range(rows.count())])
    assert "检查点经" in rows.first.inner_text()
    assert page.locator("#case-evidence-download").is_visible()
    shot(page, "national-case-evidence-zh")
    goto(page, f"{national_url}/evidence")
    assert int(page.locator("#evlog-size").inner_text()) > 0
    assert page.locator("#evlog-no-alarms").is_visible()
    assert page.locator("table#evlog-checkpoints tbody tr").count() >= 1
    shot(page, "national-evidence-log-zh")


def test_the_evidence_pages_in_chinese_have_no_english_ui_text(signed_in_page, demo_federation,  # noqa: F811
                                                               node_web) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.test_translations import ACCOUNTS, _data_words, _walk

    allowed = _data_words(demo_federation.root) | ACCOUNTS
    base = node_web("regional", demo_federation.region_dir("440000"))
    rpage = signed_in_page(base, "440000", "auditor")
    goto(rpage, f"{base}/leads")
    href = rpage.locator("a.evidence-link").first.get_attribute("href")
    problems = _walk(rpage, base, [href, "/audit"], allowed)
    nbase = node_web("national", demo_federation.national_dir)
    npage = signed_in_page(nbase, "national", "auditor")
    problems |= _walk(npage, nbase, ["/evidence", "/leads"], allowed)
    assert not problems, "English text on Chinese pages:\n" + "\n".join(f"{p}: {sorted(w)}" for p, w in problems.items())
