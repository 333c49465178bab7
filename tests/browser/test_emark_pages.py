"""E-marks in the browser (issue 14): an officer issues a mark and prints its QR code, anyone verifies it on
the public page without signing in, the officer revokes it and the page then says so; another region's public
page says revoked for the mark the demo revoked; the lead of a listing showing a forged mark gives its reason in
Chinese; no English on these pages."""

from __future__ import annotations

import urllib.parse

import pytest
import sqlalchemy as sa

from regional.emark.models import EmarkRow, MarkState
from sync.db import Database, sqlite_url
from tests.browser.test_pages import goto, national_url, page, region_url, shot  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_node(tmp_path_factory, node_web) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A regional node of its own (the shared demo federation must not gain outbox records): its URL and the
    officer's password."""
    import datetime as dt
    import json

    from regional import services
    from regional.accounts import service
    from regional.actors import Actor
    from regional.config import RegionalConfig
    from regional.models import ApiToken, AuditEntry, LoginAttempt, User
    from regional.node import init_node
    from sync.pki import init_ca, issue_region

    root = tmp_path_factory.mktemp("emark-node")
    init_ca(root / "pki")
    creds = issue_region(root / "pki", "440000")
    cfg = RegionalConfig.load(root / "region", region="440000")
    init_node(cfg, creds.directory)
    registry = root / "registry.jsonl"
    registry.write_text(json.dumps({"kind": "trademark", "reg_no": "12345678", "mark": "飞鹰",
                                    "owner": "广州飞鹰体育用品有限公司", "nice_classes": [25]},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    db = Database(cfg.db_url)
    now = dt.datetime.now(dt.UTC)
    services.import_registry(db, registry, actor="test", now=now)
    with db.transaction() as s:
        service.add_user(s, service.Tables(User, ApiToken, LoginAttempt, AuditEntry), "officer", "officer",
                         PASSWORD, actor=Actor("test"), now=now)
    db.dispose()
    return node_web("regional", cfg.data_dir), PASSWORD


PASSWORD = "Correct-horse-9-emark"


def test_an_officer_issues_a_mark_anyone_verifies_it_then_it_is_revoked(own_node, new_page) -> None:
    from tests.conftest import sign_in

    url, password = own_node
    page = new_page()  # noqa: F811 - a page of its own node, not the demo officer's
    sign_in(page, url, "officer", password)
    right, owner = "12345678", "广州飞鹰体育用品有限公司"
    region_url = url  # noqa: F811
    goto(page, f"{region_url}/emarks")
    assert page.locator("main h2").first.inner_text().startswith("知识产权电子标识")
    page.fill("#emark-issue-form input[name=right]", right)
    page.fill("#emark-issue-form input[name=product]", "浏览器测试产品 礼盒装")
    page.fill("#emark-issue-form input[name=batch]", "B-UI-1")
    page.click("#emark-issue")
    page.wait_for_load_state("load")
    assert "/emarks/440000-" in page.url and "已签发" in page.locator(".flash").first.inner_text()
    assert page.locator("#mark-qr").is_visible() and page.locator("#mark-state").get_attribute("data-state") == "active"
    payload = (page.locator("#mark-payload").text_content() or "").strip()
    assert payload.startswith("HFM1.")
    shot(page, "regional-emark-issued-zh")
    with page.expect_download() as info:
        page.locator("#qr-download").click()
    assert open(info.value.path(), "rb").read().lstrip().startswith((b"<?xml", b"<svg"))  # noqa: SIM115

    public = new_page()  # anyone: no sign-in
    goto(public, f"{region_url}/emark/verify")
    public.fill("#emark-text", payload)
    public.click("#emark-verify")
    public.wait_for_load_state("load")
    assert public.locator("#emark-result").get_attribute("data-status") == "genuine"
    assert public.locator("#emark-status").inner_text().strip() == "真品标识（验证通过）"
    assert public.locator("#emark-holder").inner_text().strip() == owner
    assert public.locator("#signed-in").count() == 0
    shot(public, "public-emark-genuine-zh")

    page.fill("#revoke-form input[name=reason]", "浏览器测试：标签作废")
    page.click("#revoke")
    page.wait_for_load_state("load")
    assert page.locator("#mark-state").get_attribute("data-state") == "revoked"
    assert "浏览器测试：标签作废" in page.locator("#revoked-at").inner_text()
    steps = page.locator("#mark-trace tbody tr").evaluate_all("rows => rows.map(r => r.dataset.step)")
    assert steps[0] == "registered" and "issued" in steps and "scan" in steps and steps[-1] == "revoked"

    public.reload(wait_until="load")
    assert public.locator("#emark-result").get_attribute("data-status") == "revoked"
    assert public.locator("#emark-status").inner_text().strip() == "标识已撤销"
    # a changed character: altered or damaged
    goto(public, f"{region_url}/emark/verify?m=" + urllib.parse.quote(payload[:-4] + "AAAA"))
    assert public.locator("#emark-result").get_attribute("data-status") in ("altered", "revoked")


def test_another_regions_public_page_says_revoked_for_the_mark_the_demo_revoked(new_page, demo_federation,
                                                                               node_web) -> None:
    db = Database(sqlite_url(demo_federation.region_dir("440000") / "node.db"))
    with db.read() as s:
        payload = s.scalar(sa.select(EmarkRow.payload).where(EmarkRow.state == MarkState.REVOKED, EmarkRow.local,
                                                             EmarkRow.revoked_reason == "该批次标签遗失，已作废"))
    url = node_web("regional", demo_federation.region_dir("330000"))
    public = new_page()
    goto(public, f"{url}/emark/verify?m=" + urllib.parse.quote(payload))
    assert public.locator("#emark-result").get_attribute("data-status") == "revoked"
    assert "签发机关已撤销该标识" in public.locator("#emark-explain").inner_text()
    shot(public, "public-emark-revoked-other-region-zh")


def test_the_lead_of_a_listing_with_a_forged_mark_says_why_in_chinese(page, region_url: str,  # noqa: F811
                                                                     demo_federation) -> None:
    from regional.models import LeadRow

    db = Database(sqlite_url(demo_federation.region_dir("440000") / "node.db"))
    with db.read() as s:
        uuid = s.scalar(sa.select(LeadRow.uuid).where(LeadRow.listing_id == "440000-EM-4"))
    goto(page, f"{region_url}/review/leads/{uuid}")
    text = page.locator("main").inner_text()
    assert "商品展示的电子标识验证未通过：伪造标识" in text
    shot(page, "regional-lead-forged-emark-zh")


def test_the_emark_pages_in_chinese_have_no_english_ui_text(signed_in_page, demo_federation,
                                                           node_web) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.test_translations import ACCOUNTS, _data_words, _walk

    url = node_web("regional", demo_federation.region_dir("440000"))
    db = Database(sqlite_url(demo_federation.region_dir("440000") / "node.db"))
    with db.read() as s:
        mark = s.scalar(sa.select(EmarkRow).where(EmarkRow.local).order_by(EmarkRow.id))
    pg = signed_in_page(url, "440000", "admin")
    allowed = _data_words(demo_federation.root) | ACCOUNTS | {"HFM1", "SVG", "nothing"}  # the format; the input echoed
    paths = ["/emarks", f"/emarks/{mark.mark_id}", "/emark/verify", "/emark/verify?m=" + urllib.parse.quote(mark.payload),
             "/emark/verify?m=nothing", "/emarks?state=revoked"]
    problems = _walk(pg, url, paths, allowed)
    assert not problems, problems
