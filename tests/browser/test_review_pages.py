"""The review queue in the browser: a total past the node's count cap reads 超过 N 条线索, and the pager's
下一页 / 上一页 / 第一页 walk the same pages both ways (keyset cursors), in Chinese with no English."""

from __future__ import annotations

import pytest

from tests.browser.test_pages import shot

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-9-queue"


@pytest.fixture(scope="module")
def own_node(tmp_path_factory, node_web) -> str:  # type: ignore[no-untyped-def]
    """A regional node of its own with 40 leads and a count cap of 5 (regional.toml): its URL."""
    import datetime as dt

    from regional.accounts import service
    from regional.actors import Actor
    from regional.config import RegionalConfig
    from regional.models import ApiToken, AuditEntry, LoginAttempt, User
    from regional.node import init_node
    from sync.db import Database
    from sync.pki import init_ca, issue_region
    from tests.workflow_data import build

    root = tmp_path_factory.mktemp("queue-node")
    init_ca(root / "pki")
    creds = issue_region(root / "pki", "440000")
    cfg = RegionalConfig.load(root / "region", region="440000")
    init_node(cfg, creds.directory)
    toml = cfg.data_dir / RegionalConfig.file_name()
    toml.write_text(toml.read_text(encoding="utf-8") + "\nreview_count_cap = 5\n", encoding="utf-8")
    assert RegionalConfig.load(cfg.data_dir).review_count_cap == 5
    db = Database(cfg.db_url)
    build(db, 40)
    with db.transaction() as s:
        service.add_user(s, service.Tables(User, ApiToken, LoginAttempt, AuditEntry), "officer", "officer",
                         PASSWORD, actor=Actor("test"), now=dt.datetime.now(dt.UTC))
    db.dispose()
    return node_web("regional", cfg.data_dir)


def _uuids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#queue tbody tr[data-lead]").evaluate_all("rows => rows.map(r => r.dataset.lead)")


def test_a_capped_total_reads_more_than_and_previous_pages_retrace_the_next_pages(own_node: str, new_page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    page = new_page()
    sign_in(page, own_node, "officer", PASSWORD)
    page.goto(f"{own_node}/review?score_min=0&limit=15", wait_until="load")
    total = page.locator("#queue-total")
    assert total.inner_text().strip() == "超过 5 条线索" and total.get_attribute("data-exact") == "no"
    assert "缩小筛选范围" in (total.locator("span").get_attribute("title") or "")
    first = _uuids(page)
    assert len(first) == 15 and page.locator("#prev-page").count() == 0 and page.locator("#first-page").count() == 0
    page.locator("#next-page").click()
    page.wait_for_load_state("load")
    second = _uuids(page)
    page.locator("#next-page").click()
    page.wait_for_load_state("load")
    third = _uuids(page)
    assert len(second) == 15 and len(third) == 10 and page.locator("#next-page").count() == 0
    assert len(set(first + second + third)) == 40  # every lead once
    assert page.locator("#queue-total").inner_text().strip() == "超过 5 条线索"
    page.locator("#prev-page").click()
    page.wait_for_load_state("load")
    assert _uuids(page) == second
    assert page.locator("#prev-page").inner_text() == "上一页" and page.locator("#first-page").inner_text() == "第一页"
    shot(page, "review-queue-capped-total")
    page.locator("#prev-page").click()
    page.wait_for_load_state("load")
    assert _uuids(page) == first and page.locator("#prev-page").count() == 0
    page.locator("#next-page").click()
    page.wait_for_load_state("load")
    page.locator("#first-page").click()
    page.wait_for_load_state("load")
    assert _uuids(page) == first
    page.goto(f"{own_node}/review?limit=15", wait_until="load")  # the tallied total: exact
    assert page.locator("#queue-total").inner_text().strip() == "共 40 条线索"


def test_a_refused_judgement_lands_on_the_lead_page_and_its_language_link_works(own_node: str, new_page) -> None:  # type: ignore[no-untyped-def]
    """newcomer14 F44: a refused judgement was shown at the POST address …/judge; the English link there (?lang=en)
    answered 不支持该请求方式 (405). Now the page lands on the lead with the message and the form as filled."""
    from tests.conftest import sign_in

    page = new_page()
    sign_in(page, own_node, "officer", PASSWORD)
    page.goto(f"{own_node}/review?score_min=0&limit=15", wait_until="load")
    lead = _uuids(page)[0]
    page.goto(f"{own_node}/review/leads/{lead}", wait_until="load")
    page.select_option("#judge-form select[name=decision]", "excluded")
    page.click("#judge")
    page.wait_for_load_state("load")
    assert page.url.split("#")[0] == f"{own_node}/review/leads/{lead}"
    assert page.locator("p.flash[data-flash=error]").count() == 1
    assert page.locator("#judge-form select[name=decision]").input_value() == "excluded"
    page.click("header a.lang")
    page.wait_for_load_state("load")
    assert page.url.startswith(f"{own_node}/review/leads/{lead}?lang=en")
    assert "405" not in page.locator("main").inner_text() and page.locator("#judge-form").count() == 1
    page.goto(f"{own_node}/review/leads/{lead}?lang=zh_CN", wait_until="load")


_PLACEHOLDER_ROOM = """() => [...document.querySelectorAll('#queue-filters input[placeholder]')].map(i => {
  const cs = getComputedStyle(i);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const room = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  return [i.name, i.placeholder, Math.ceil(ctx.measureText(i.placeholder).width), Math.floor(room)];
})"""


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_queue_filters_placeholders_are_shown_whole(own_node: str, new_page, width: int) -> None:  # type: ignore[no-untyped-def]
    """newcomer24: at 1280 px the review queue's filter placeholders were cut (名称、信用代码或电话 in a 16-character
    box, the search box's 标题、卖家、商品编号 at the browser's default width); each is read whole, in both languages."""
    from tests.conftest import sign_in

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, own_node, "officer", PASSWORD)
    for lang in ("zh", "en"):
        page.goto(f"{own_node}/review?lang={lang}", wait_until="load")
        measured = page.evaluate(_PLACEHOLDER_ROOM)
        assert len(measured) == 3, measured
        cut = [(name, text, need, room) for name, text, need, room in measured if need > room]
        assert not cut, f"{lang} at {width} px: placeholder wider than its box: {cut}"
        shot(page, f"review-filters-{lang}-{width}")


def test_an_exhibits_listing_id_opened_from_the_show_page_is_shown_whole_in_the_search_box(own_node: str, new_page) -> None:  # type: ignore[no-untyped-def]
    """newcomer24: the show page links an exhibit's leads as /review?state=all&q=E:440000-2026:A1-01:A1-01-1; at
    1280 px the search box (default 20 characters) showed that id cut."""
    from tests.conftest import sign_in

    page = new_page()
    sign_in(page, own_node, "officer", PASSWORD)
    for lang in ("zh", "en"):
        page.goto(f"{own_node}/review?state=all&q=E:440000-2026:A1-01:A1-01-1&lang={lang}", wait_until="load")
        need, room = page.evaluate("""() => { const i = document.querySelector('#queue-filters input[name=q]');
          const cs = getComputedStyle(i); const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          return [Math.ceil(ctx.measureText(i.value).width),
                  Math.floor(i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight))]; }""")
        assert need <= room, f"{lang}: the exhibit's id needs {need} px, its box has {room}"
