"""Foreign-language listings (外文商品) in Chromium, on a node of its own: the office imports marks with their
Latin counterparts and English and Spanish listings with the `hufu` CLI, the node screens them, and an officer
opens 外文商品 from the navigation, filters Spanish, follows a look-alike's lead to its page (reason in Chinese)
and confirms it; the page has no English UI text, and reads in English when switched."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.browser.test_pages import goto, shot
from tests.browser.test_translations import _english
from tests.conftest import _subprocess_env, hufu_command, sign_in, start_node_web

pytestmark = pytest.mark.browser
PASSWORD = "Correct-horse-9"
MARKS = [
    {"kind": "trademark", "reg_no": "TM-F1", "mark": "华为", "owner": "华为技术有限公司", "nice_classes": [9],
     "counterparts": ["HUAWEI"]},
    {"kind": "trademark", "reg_no": "TM-F2", "mark": "老干妈", "owner": "贵阳南明老干妈风味食品有限责任公司",
     "nice_classes": [30], "counterparts": ["LAOGANMA", "LAO GAN MA"]},
]
LISTINGS = [
    {"id": "en-1", "title": "Huawie FreeBuds wireless earphones", "description": "Bluetooth earbuds"},
    {"id": "es-1", "title": "Salsa picante Laoganmma aceite de chile", "description": "Condimento para la cocina"},
    {"id": "en-2", "title": "Wireless earbuds with charging case", "description": "In-ear headphones"},
    {"id": "zh-1", "title": "蓝牙耳机 降噪"},
    {"id": "en-3", "title": "Replica HUAWEI Watch GT 4 smartwatch 1:1", "description": "Smart watch"},
]


def _hufu(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run([*hufu_command(), *args], input=stdin, capture_output=True, text=True,
                          env=_subprocess_env(), timeout=300)
    assert done.returncode == 0, f"hufu {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def own_node(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("foreign")
    data = root / "region"
    _hufu("pki", "init", "--dir", str(root / "pki"))
    _hufu("pki", "issue-region", "440000", "--dir", str(root / "pki"))
    _hufu("regional", "init", "--region", "440000", "--pki", str(root / "pki" / "regions" / "440000"),
          "--data-dir", str(data))
    registry, listings = root / "registry.jsonl", root / "listings.jsonl"
    registry.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in MARKS), encoding="utf-8")
    listings.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in LISTINGS), encoding="utf-8")
    _hufu("regional", "import-registry", str(registry), "--data-dir", str(data))
    _hufu("regional", "import-listings", str(listings), "--data-dir", str(data))
    _hufu("regional", "screen", "--data-dir", str(data))
    for role in ("officer", "auditor"):
        _hufu("regional", "user", "add", role, "--role", role, "--data-dir", str(data), stdin=PASSWORD + "\n")
    web = start_node_web("regional", data)
    yield web.base_url, data
    web.stop()


def test_the_cli_lists_foreign_listings_with_their_leads(own_node) -> None:  # type: ignore[no-untyped-def]
    _, data = own_node
    rows = [json.loads(line) for line in _hufu("regional", "foreign", "listings", "--json",
                                               "--data-dir", str(data)).splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"en-1", "es-1", "en-2", "en-3"}  # the Chinese listing is not foreign
    assert by_id["en-1"]["language"] == "en" and by_id["es-1"]["language"] == "es"
    assert [x["right"] for x in by_id["en-1"]["leads"]] == ["TM-F1"]
    assert "tm.counterpart" in by_id["en-1"]["leads"][0]["codes"]
    assert [x["right"] for x in by_id["es-1"]["leads"]] == ["TM-F2"]
    assert by_id["en-2"]["leads"] == [] and 9 in by_id["en-2"]["nice_classes"]
    assert [x["right"] for x in by_id["en-3"]["leads"]] == ["TM-F1"]  # the exact name, but said to be a copy
    assert "tm.counterfeit_wording" in by_id["en-3"]["leads"][0]["codes"]
    spanish = _hufu("regional", "foreign", "listings", "--language", "es", "--data-dir", str(data))
    assert "es-1" in spanish and "en-1" not in spanish and "1 foreign-language listing(s) shown" in spanish
    assert json.loads(_hufu("regional", "foreign", "classify", "zapatillas de running para mujer", "--json")) == \
        {"language": "es", "nice_classes": [25]}
    bad = subprocess.run([*hufu_command(), "regional", "foreign", "listings", "--limit", "0", "--data-dir", str(data)],
                         capture_output=True, text=True, env=_subprocess_env(), timeout=120)
    assert bad.returncode == 2 and "--limit" in bad.stderr


def test_an_officer_finds_a_spanish_look_alike_and_confirms_it_in_chinese(new_page, own_node) -> None:  # type: ignore[no-untyped-def]
    base, _ = own_node
    page = new_page()
    sign_in(page, base, "officer", PASSWORD)
    page.locator("header nav a", has_text="外文商品").click()
    page.wait_for_load_state("load")
    assert page.locator("main h2").first.inner_text().startswith("外文商品")
    rows = page.locator("table#foreign-listings tbody tr[data-listing]")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.listing)")) == ["en-1", "en-2", "en-3", "es-1"]
    en1 = page.locator("tr[data-listing='en-1']")
    assert "英文" in en1.inner_text() and "第9类" in en1.inner_text()
    assert "「HUAWEI」是注册商标「华为」登记的对应形式" in en1.inner_text()
    assert "「HUAWEI」与“replica”字样一同出现（卖家自称仿品）" in page.locator("tr[data-listing='en-3']").inner_text()
    assert "无" in page.locator("tr[data-listing='en-2']").inner_text() or \
        page.locator("tr[data-listing='en-2'] .lead").count() == 0
    # no English UI text: only the listings' own words (data), identifiers and codes
    text = page.evaluate("""() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('code, .code, td[lang]').forEach(e => e.remove());
        return b.innerText; }""")
    data_words = {w for x in LISTINGS + MARKS for v in x.values() if isinstance(v, str)
                  for w in re.findall(r"[A-Za-z]+", v)} | {"HUAWEI", "LAOGANMA", "LAO", "GAN", "MA", "officer", "replica"}
    assert not _english(text, data_words), _english(text, data_words)
    shot(page, "foreign-listings-zh")

    page.select_option("#foreign-filter select[name=language]", "es")
    page.click("#foreign-filter button[type=submit]")
    page.wait_for_load_state("load")
    assert "language=es" in page.url
    assert page.locator("table#foreign-listings tbody tr[data-listing]").count() == 1
    es1 = page.locator("tr[data-listing='es-1']")
    assert "西班牙文" in es1.inner_text() and "第30类" in es1.inner_text()
    es1.locator(".lead a").first.click()
    page.wait_for_load_state("load")
    assert "/review/leads/" in page.url
    assert "「LAOGANMA」是注册商标「老干妈」登记的对应形式" in page.locator("#reasons").inner_text()
    page.select_option("#judge-form select[name=decision]", "confirmed")
    page.fill("#judge-form [name=reason]", "外文仿冒老干妈")
    page.click("#judge")
    page.wait_for_load_state("load")
    assert "确认侵权" in page.locator("#current-judgement").inner_text()

    # English on request: the same page reads in English
    goto(page, f"{base}/foreign-listings?language=es")
    page.locator("header a.lang").click()
    page.wait_for_load_state("load")
    assert "language=es" in page.url  # the switch keeps the filter
    assert page.locator("main h2").first.inner_text().startswith("Foreign-language listings")
    assert page.locator("table#foreign-listings tbody tr[data-listing]").count() == 1
    assert "Spanish" in page.locator("tr[data-listing='es-1']").inner_text()


def test_an_auditor_reads_a_signed_out_visitor_signs_in_and_a_bad_page_is_refused(new_page, own_node) -> None:  # type: ignore[no-untyped-def]
    base, _ = own_node
    page = new_page()
    response = page.goto(f"{base}/foreign-listings", wait_until="load")
    assert response is not None and "/login" in page.url
    sign_in(page, base, "auditor", PASSWORD)
    goto(page, f"{base}/foreign-listings?language=xx")  # an unknown language filters nothing out
    assert page.locator("table#foreign-listings tbody tr[data-listing]").count() == 4
    bad = page.goto(f"{base}/foreign-listings?page=abc", wait_until="load")  # a bad page number is a clear error
    assert bad is not None and bad.status == 400 and page.locator("html").get_attribute("lang") == "zh-CN"
