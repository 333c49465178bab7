"""The web UIs in headless Chromium, against the data `hufu demo --once` leaves behind.

Full-page screenshots go to test-artifacts/screenshots/ at the repository root, for a human to
look at (Chinese must render as glyphs, not tofu boxes).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sync.regions import region_name

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
REGIONS = ("440000", "330000", "350000")
CASE_PATH = re.compile(r"^/cases/[0-9a-fA-F-]{32,36}$")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def page(new_page, region_url: str, national_url: str, demo_accounts):  # type: ignore[no-untyped-def]
    """A fresh page signed in as the officer of region 440000 and of the national node."""
    from tests.conftest import sign_in

    pg = new_page()
    sign_in(pg, region_url, "officer", demo_accounts["440000"]["officer"])
    sign_in(pg, national_url, "officer", demo_accounts["national"]["officer"])
    return pg


@pytest.fixture(scope="module")
def region_url(demo_federation, node_web) -> str:  # type: ignore[no-untyped-def]
    return node_web("regional", demo_federation.region_dir("440000"))


@pytest.fixture(scope="module")
def national_url(demo_federation, node_web) -> str:  # type: ignore[no-untyped-def]
    return node_web("national", demo_federation.national_dir)


def goto(pg, url: str):  # type: ignore[no-untyped-def]
    response = pg.goto(url, wait_until="load")
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"GET {url} -> HTTP {response.status}"
    return response


def shot(pg, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def nav_texts(pg) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in pg.locator("header nav a").all_inner_texts()]


# --------------------------------------------------------------------------- regional node


def test_regional_leads_page_in_chinese_then_english(page, region_url: str) -> None:
    goto(page, f"{region_url}/leads")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "虎符" in page.locator("header h1").inner_text()
    assert nav_texts(page) == ["人工判断", "线索", "案件办理", "跨区域案件", "移送函", "同步状态", "风险名录", "失信名单", "数据看板",
                               "月报", "电子标识", "展会", "进出口", "外文商品"]
    heading = page.locator("main h2").first.inner_text()
    assert "侵权线索" in heading
    assert page.title() == "侵权线索 · " + page.locator("header h1").inner_text().strip()
    assert re.search(r"共 \d+ 条线索", page.locator("#lead-count").inner_text())
    rows = page.locator("table#leads tbody tr[data-lead]")
    assert rows.count() >= 1, "no lead rows on the regional leads page"
    total = int(re.search(r"\d+", page.locator("#lead-count").inner_text()).group())
    assert rows.count() == min(total, 100)
    first = rows.first
    reasons = first.locator("ul.reasons li")
    assert reasons.count() >= 1, "the top lead shows no reasons"
    assert all(r.strip() for r in reasons.all_inner_texts())
    assert first.locator("td.score").inner_text().strip()
    assert "待研判" in first.inner_text()  # state of a freshly screened lead
    header_cells = page.locator("table#leads thead th").all_inner_texts()
    assert header_cells == ["商品/展品", "权利", "类型", "评分", "理由", "经营者", "状态"]
    shot(page, "regional-440000-leads-zh")

    page.locator("header a.lang").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav_texts(page) == ["Review queue", "Leads", "Case handling", "Cross-region cases", "Notices", "Sync status", "Risk lists",
                              "Blacklist", "Dashboard", "Monthly reports", "E-marks", "Exhibitions", "Import and export",
                              "Foreign-language listings"]
    assert "Infringement leads" in page.locator("main h2").first.inner_text()
    assert page.title() == "Infringement leads · " + page.locator("header h1").inner_text().strip()
    assert re.search(r"\d+ leads", page.locator("#lead-count").inner_text())
    assert page.locator("table#leads thead th").all_inner_texts() == [
        "Listing", "Right", "Type", "Score", "Reasons", "Seller", "State"]
    assert "Awaiting review" in page.locator("table#leads tbody tr[data-lead]").first.inner_text()
    assert page.locator("header a.lang").inner_text().strip() == "中文"
    shot(page, "regional-440000-leads-en")

    # the choice is remembered in a cookie: a plain URL stays English
    goto(page, f"{region_url}/cases")
    assert nav_texts(page) == ["Review queue", "Leads", "Case handling", "Cross-region cases", "Notices", "Sync status", "Risk lists",
                              "Blacklist", "Dashboard", "Monthly reports", "E-marks", "Exhibitions", "Import and export",
                              "Foreign-language listings"]
    assert "Cross-region cases from the national node" in page.locator("main h2").first.inner_text()
    # and switching back works
    page.locator("header a.lang").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "国家节点下发的跨区域案件" in page.locator("main h2").first.inner_text()


def test_regional_cases_page_and_one_case(page, region_url: str, demo_federation) -> None:
    goto(page, f"{region_url}/cases")
    assert "国家节点下发的跨区域案件" in page.locator("main h2").first.inner_text()
    rows = page.locator("table#cases tbody tr")
    assert rows.count() == demo_federation.summary["delivered"]["440000"] >= 1
    links = page.locator("table#cases tbody a[href^='/cases/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs and all(CASE_PATH.match(h or "") for h in hrefs), hrefs
    # every case concerns 广东省 and at least one other region
    for text in rows.all_inner_texts():
        assert "广东省" in text
    # rows of the same right are told apart by their seller, and each shows its status
    sellers = page.locator("table#cases tbody td.case-seller").all_inner_texts()
    assert len(sellers) == rows.count() and all(t.strip() not in {"", "—"} for t in sellers), sellers
    statuses = page.locator("table#cases tbody td.case-status").all_inner_texts()
    assert len(statuses) == rows.count() and all(t.strip() and not t.strip().isascii() for t in statuses), statuses
    shot(page, "regional-440000-cases-zh")

    links.first.click()
    page.wait_for_load_state("load")
    assert CASE_PATH.match(page.url.split(region_url, 1)[1]), page.url
    assert "案件详情" in page.locator("main h2").first.inner_text()
    body_rows = page.locator("main table tbody tr")
    assert body_rows.count() >= 2, "a cross-region case should list at least two leads"
    # the first cell is the region's name, followed by a "主办" tag on the lead region's rows
    first_cells = page.locator("#case-leads tbody tr td:first-child").all_inner_texts()
    regions_shown = {cell.split()[0] for cell in first_cells}
    names = {region_name(c) for c in REGIONS}
    assert len(regions_shown & names) >= 2, f"leads from fewer than two regions: {regions_shown}"
    assert page.locator("#case-leads .tag").count() >= 1, "the lead region is marked"
    shot(page, "regional-440000-case-zh")

    goto(page, page.url + "?lang=en")
    assert "Case" in page.locator("main h2").first.inner_text()
    shot(page, "regional-440000-case-en")


def test_regional_sync_page(page, region_url: str) -> None:
    goto(page, f"{region_url}/sync")
    assert "与国家节点的同步" in page.locator("main h2").first.inner_text()
    cards = page.locator(".cards .card .n").all_inner_texts()
    assert len(cards) == 5 and all(c.strip().isdigit() for c in cards), cards
    outbox, acked, backlog = (int(c) for c in cards[:3])
    assert outbox >= 1 and acked == outbox and backlog == 0
    # the evidence log's own backlog has a card of its own (newcomer15 F11)
    assert "待国家节点日志见证的取证" in page.locator("#evidence-backlog").inner_text()
    assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
    shot(page, "regional-440000-sync-zh")
    goto(page, f"{region_url}/sync?lang=en")
    assert "Sync with the national node" in page.locator("main h2").first.inner_text()
    shot(page, "regional-440000-sync-en")


def test_unknown_regional_case_is_404(page, region_url: str) -> None:
    response = page.request.get(f"{region_url}/cases/00000000-0000-0000-0000-000000000000")
    assert response.status == 404


# --------------------------------------------------------------------------- national node


def test_national_overview_lists_three_regions(page, national_url: str, demo_federation) -> None:
    summary = demo_federation.summary
    goto(page, f"{national_url}/")
    assert "国家节点" in page.locator("header h1").inner_text()
    assert nav_texts(page) == ["区域", "线索", "跨区域案件", "督办", "主体合并审核", "全国专项检测", "失信名单", "统计",
                              "人工判断统计", "证据日志", "月报"]
    assert page.locator("#n-regions").inner_text().strip() == "3"
    assert int(page.locator("#n-leads").inner_text()) == summary["leads"]
    assert int(page.locator("#n-cases").inner_text()) == summary["cross_region_cases"]
    rows = page.locator("table#regions tbody tr")
    assert rows.count() == 3
    text = "\n".join(rows.all_inner_texts())
    for code in REGIONS:
        assert code in text and region_name(code) in text
    assert "".join(page.locator("table#regions td.error").all_inner_texts()).strip() == ""
    shot(page, "national-overview-zh")

    goto(page, f"{national_url}/?lang=en")
    assert nav_texts(page) == ["Regions", "Leads", "Cross-region cases", "Supervision", "Merge review", "Nationwide sweeps",
                              "Blacklist", "Dashboard", "Review figures", "Evidence log", "Monthly reports"]
    assert "Regional nodes" in page.locator("main h2").first.inner_text()
    text = "\n".join(page.locator("table#regions tbody tr").all_inner_texts())
    assert "Guangdong" in text
    shot(page, "national-overview-en")


def test_national_leads_page(page, national_url: str, demo_federation) -> None:
    goto(page, f"{national_url}/leads")
    assert "侵权线索" in page.locator("main h2").first.inner_text()
    assert page.title() == "侵权线索 · " + page.locator("header h1").inner_text().strip()
    rows = page.locator("table#leads tbody tr")
    assert rows.count() == min(demo_federation.summary["leads"], 100)
    shot(page, "national-leads-zh")
    goto(page, f"{national_url}/leads?region=440000")
    text = "\n".join(page.locator("table#leads tbody tr").all_inner_texts())
    assert "广东省" in text and "浙江省" not in text and "福建省" not in text
    # newcomer14 F26: the list has its own filter form (region, type, right, seller, case), not only the dashboard's links
    goto(page, f"{national_url}/leads")
    form = page.locator("form#lead-filters")
    form.locator("select[name=region]").select_option("330000")
    form.locator("select[name=case]").select_option("no")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "region=330000" in page.url and "case=no" in page.url
    text = "\n".join(page.locator("table#leads tbody tr").all_inner_texts())
    assert "浙江省" in text and "广东省" not in text
    assert page.locator("form#lead-filters select[name=region]").input_value() == "330000"
    assert page.locator("#lead-filters-clear").inner_text() == "全部线索"


def test_national_cases_and_case_detail(page, national_url: str, demo_federation) -> None:
    goto(page, f"{national_url}/cases")
    assert "跨区域案件" in page.locator("main h2").first.inner_text()
    rows = page.locator("table#cases tbody tr")
    assert rows.count() == demo_federation.summary["cross_region_cases"] >= 1
    sellers = page.locator("table#cases tbody td.case-seller").all_inner_texts()
    assert len(sellers) == rows.count() and all(t.strip() not in {"", "—"} for t in sellers), sellers
    statuses = page.locator("table#cases tbody td.case-status").all_inner_texts()
    assert len(statuses) == rows.count() and all(t.strip() and not t.strip().isascii() for t in statuses), statuses
    # no two rows look the same: right, seller and regions together tell the cases apart
    assert len(set(rows.all_inner_texts())) == rows.count(), rows.all_inner_texts()
    shot(page, "national-cases-zh")

    links = page.locator("table#cases tbody a[href^='/cases/']")
    assert links.count() == rows.count()
    links.first.click()
    page.wait_for_load_state("load")
    assert CASE_PATH.match(page.url.split(national_url, 1)[1]), page.url
    assert "案件详情" in page.locator("main h2").first.inner_text()
    lead_rows = page.locator("table#case-leads tbody tr")
    assert lead_rows.count() >= 2
    first_cells = [lead_rows.nth(i).locator("td").first.inner_text() for i in range(lead_rows.count())]
    names = {region_name(c) for c in REGIONS}
    shown = {n for n in names if any(n in cell for cell in first_cells)}
    assert len(shown) >= 2, f"the case shows leads from fewer than two regions: {first_cells}"
    assert page.locator("table#case-leads .tag").count() >= 1, "the lead region is not marked"
    for i in range(lead_rows.count()):
        assert lead_rows.nth(i).locator("ul.reasons li").count() >= 1
    shot(page, "national-case-zh")

    goto(page, page.url + "?lang=en")
    assert "Case" in page.locator("main h2").first.inner_text()
    cells = page.locator("table#case-leads tbody tr td:first-child").all_inner_texts()
    assert any("Guangdong" in c or "Zhejiang" in c or "Fujian" in c for c in cells), cells
    shot(page, "national-case-en")


# --------------------------------------------------------------------------- casework pages


def test_an_officer_reports_a_result_on_a_case_through_the_form(page, demo_federation, node_web, demo_accounts,
                                                                tmp_path: Path) -> None:
    import shutil

    import sqlalchemy as sa

    from regional.models import AuditEntry, OutboxRow
    from sync.db import Database, sqlite_url

    # a copy of the region, so the shared demo data (checked by the e2e tests) stays as the demo left it
    data = tmp_path / "region-440000"
    shutil.copytree(demo_federation.region_dir("440000"), data, ignore=shutil.ignore_patterns("run"))
    region_url = node_web("regional", data)
    from tests.conftest import sign_in

    sign_in(page, region_url, "officer", demo_accounts["440000"]["officer"])
    goto(page, region_url + "/cases")
    page.locator("#cases tbody tr a").first.click()
    assert page.locator("#case-status").inner_text() == "已下发"
    # the same four steps as the region's own cases (立案 → 调查 → 处理 → 结案)
    page.select_option("#cross-step-form select[name=step]", "investigating")
    page.fill("#cross-step-form input[name=note]", "已派员核查线下仓库")
    assert page.locator("#cross-step-form input[name=officer]").count() == 0, "the signed-in user reports it"
    page.click("#cross-step-form button[type=submit]")
    page.wait_for_selector("#cross-steps tr[data-answer=pending]")
    assert "officer" in page.locator("#cross-steps").inner_text()
    options = page.locator("#cross-step-form select[name=step] option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["handling", "closed", "note"], options  # only the steps that can come next (newcomer14)
    shot(page, "regional-440000-case-feedback-zh")
    db = Database(sqlite_url(data / "node.db"))
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OutboxRow).where(OutboxRow.kind == "case_feedback")) == 1
        audit = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "case_feedback"))
    assert audit is not None and audit.actor == "officer" and audit.detail["note"] == "已派员核查线下仓库"


def test_national_supervision_queue_and_dashboard(page, national_url: str, demo_federation) -> None:
    goto(page, national_url + "/supervision")
    rows = page.locator("#supervision tbody tr")
    assert rows.count() == demo_federation.summary["cross_region_cases"]
    assert "剩余天数" in page.locator("#supervision thead").inner_text()
    for cell in page.locator("#supervision tbody tr td:last-child").all_inner_texts():  # whole days, not "60.0"
        assert cell.strip().isdigit() or cell.strip() in {"—", "已逾期"}, cell
    shot(page, "national-supervision-zh")
    goto(page, national_url + "/dashboard")
    period = page.locator("#dashboard-period").inner_text()  # why its totals differ from the overview's
    assert "期间发现的线索" in period and re.search(r"\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}", period), period
    bars = page.locator("#by-region tbody tr")
    assert bars.count() == 3
    assert "广东省" in page.locator("#by-region").inner_text()
    shot(page, "national-dashboard-zh")
    goto(page, national_url + "/blacklist")
    assert "全国失信名单" in page.locator("main h2").inner_text()
    goto(page, national_url + "/merges")
    assert "经营主体合并审核" in page.locator("main h2").inner_text()
    shot(page, "national-merges-zh")
    goto(page, national_url + "/sweeps")
    assert "全国专项检测" in page.locator("main h2").inner_text()


def test_regional_risk_lists_page(page, region_url: str) -> None:
    goto(page, region_url + "/risk")
    assert "实时监测名录" in page.locator("main h2").first.inner_text()
    assert page.locator("main h2").count() == 4
    # newcomer14: a right was named by its number twice and its count of sellers read "7.0" as a score
    rights = page.locator("#risk-exposed_right tbody tr")
    assert rights.count() >= 1 and "涉及经营者数" in page.locator("#risk-exposed_right thead").inner_text()
    for row in rights.all()[:10]:
        name, count = row.locator("td.name").inner_text().split("\n"), row.locator("td.score").inner_text()
        assert len(name) == 2 and name[0] != name[1] and re.fullmatch(r"[A-Z]{2}-\S+", name[1]), name
        assert count.isdigit(), count
