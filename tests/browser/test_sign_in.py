"""Signing in on both nodes in Chromium: each role sees what it may use, the audit log reads as Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def region_url(demo_federation, node_web) -> str:  # type: ignore[no-untyped-def]
    return node_web("regional", demo_federation.region_dir("350000"))


@pytest.fixture(scope="module")
def national_url(demo_federation, node_web) -> str:  # type: ignore[no-untyped-def]
    return node_web("national", demo_federation.national_dir)


def test_an_anonymous_visitor_is_sent_to_the_sign_in_page_and_a_wrong_password_is_refused(
        new_page, region_url: str) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    page.goto(f"{region_url}/leads", wait_until="load")
    assert page.url.startswith(f"{region_url}/login?next=/leads")
    assert page.locator("main h2").inner_text() == "登录"
    page.fill("#login-form input[name=username]", "officer")
    page.fill("#login-form input[name=password]", "not-the-password")
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "账号或密码错误" in page.locator("#login-error").inner_text()
    assert page.context.request.get(f"{region_url}/api/leads").status == 401


@pytest.mark.parametrize(("role", "sees", "hidden"), [
    ("officer", ["线索", "跨区域案件"], ["审计日志", "账号管理"]),
    ("supervisor", ["线索"], ["审计日志", "账号管理"]),
    ("auditor", ["线索", "审计日志"], ["账号管理"]),
    ("admin", ["审计日志", "账号管理"], []),
])
def test_each_role_signs_in_on_both_nodes_and_sees_its_pages(signed_in_page, region_url: str, national_url: str,
                                                             role: str, sees: list[str],
                                                             hidden: list[str]) -> None:  # type: ignore[no-untyped-def]
    for url, node in ((region_url, "350000"), (national_url, "national")):
        page = signed_in_page(url, node, role)
        nav = page.locator("header nav a").all_inner_texts()
        assert all(item in nav for item in sees), nav
        assert not any(item in nav for item in hidden), nav
        assert role in page.locator("#signed-in").inner_text()
        if "审计日志" not in nav:
            assert page.goto(f"{url}/audit").status == 403
            assert "您无权执行此操作" in page.locator("main").inner_text() or "需要以下角色" in page.locator("main").inner_text()


def test_the_auditor_reads_the_audit_log_in_chinese(signed_in_page, region_url: str) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page(region_url, "350000", "auditor")
    page.goto(f"{region_url}/audit", wait_until="load")
    table = page.locator("table#audit")
    assert table.count() == 1
    text = table.inner_text()
    assert "新增账号" in text and "登录" in text and "导入商品数据" in text
    assert "{" not in text and '"' not in text, "raw JSON in the audit log"
    page.select_option("#audit-filters select[name=action]", "user_added")
    page.click("#audit-filters button")
    page.wait_for_load_state("load")
    rows = page.locator("table#audit tbody tr")
    assert rows.count() == 6  # officer, supervisor, admin, auditor, agency, and the demo rights holder
    assert all("新增账号" in r for r in rows.all_inner_texts())
    page.screenshot(path=str(_shots() / "regional-350000-audit-zh.png"), full_page=True)


def test_an_administrator_adds_a_user_who_then_signs_in(new_page, signed_in_page, demo_federation, node_web,  # type: ignore[no-untyped-def]
                                                         tmp_path) -> None:
    import shutil

    # a copy of the region: the shared demo keeps exactly its five accounts (the auditor's test counts them,
    # whichever order the tests run in, and this test can run again in the same session)
    data = tmp_path / "region-350000"
    shutil.copytree(demo_federation.region_dir("350000"), data, ignore=shutil.ignore_patterns("run"))
    region_url = node_web("regional", data)
    admin = signed_in_page(region_url, "350000", "admin")
    admin.goto(f"{region_url}/admin/users", wait_until="load")
    admin.fill("#add-user-form input[name=name]", "browser-li")
    admin.select_option("#add-user-form select[name=role]", "officer")
    admin.fill("#add-user-form input[name=password]", "Li-password-2026")
    admin.fill("#add-user-form input[name=again]", "Li-password-2026")
    admin.click("#add-user-form button[type=submit]")
    admin.wait_for_load_state("load")
    assert admin.locator("#users tr[data-user=browser-li]").count() == 1
    admin.screenshot(path=str(_shots() / "regional-350000-users-zh.png"), full_page=True)
    page = new_page()
    sign_in(page, region_url, "browser-li", "Li-password-2026")
    assert "browser-li" in page.locator("#signed-in").inner_text()


def _shots():  # type: ignore[no-untyped-def]
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
