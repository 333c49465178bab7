"""Every page of both nodes in zh_CN, walked in Chromium as an administrator: no English UI text.

Latin words are allowed only where they are data or codes: words that occur in the demo's own
sample data (marks, shop names, titles), identifiers with digits (TM-0117642, model versions),
account names, and a short list of technical terms people read as they are (USCC, API, …).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-']*")
TECHNICAL = {"USCC", "SHA-256", "API", "Bearer", "TOKEN", "Authorization", "UTC", "English", "pHash", "dHash",
             "MiB", "JSON", "http", "https", "ZL", "CN", "TM", "IPC", "Locarno", "hufu_", "YYYY-MM-DD", "CSV",
             "GBK", "Excel", "xlsx", "gRPC"}  # the names offices use for the encoding, the program and the file kind
ACCOUNTS = {"officer", "supervisor", "admin", "auditor", "rights_holder", "agency"}  # the demo's account names


def _data_words(root: Path) -> set[str]:
    """Latin words of the demo's data, and the pinyin of its Chinese (reasons quote a mark's pinyin)."""
    from pypinyin import lazy_pinyin

    words: set[str] = set()
    for path in (root / "samples").rglob("*.jsonl"):
        text = path.read_text(encoding="utf-8")
        words |= set(WORD.findall(text))
        words |= {syllable for syllable in lazy_pinyin(re.sub(r"[^\u4e00-\u9fff]", "", text)) if syllable.isalpha()}
    return words


TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-']*")


def _english(text: str, allowed: set[str]) -> set[str]:
    found = set()
    # a token joined to digits (440000-LYBSQEJV, C:3300…, 1.7L) is an identifier or a quantity: data
    text = TOKEN.sub(lambda m: " " if any(ch.isdigit() for ch in m.group()) else m.group(), text)
    for word in WORD.findall(text):
        word = word.strip(".-'")
        if not word or any(ch.isdigit() for ch in word) or word in allowed or word in TECHNICAL:
            continue
        if len(word) == 1:  # a single letter: a class code, an axis, a unit
            continue
        found.add(word)
    return found


def _walk(page, base: str, paths: list[str], allowed: set[str]) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    problems: dict[str, set[str]] = {}
    for path in paths:
        response = page.goto(base + path, wait_until="load")
        assert response is not None and response.status in (200, 404), f"{path}: HTTP {response and response.status}"
        assert page.locator("html").get_attribute("lang") == "zh-CN", path
        # <code> and .code hold identifiers and commands; paths and URLs are data; <br> separates words on screen
        text = page.evaluate("""() => { const b = document.body.cloneNode(true);
            b.querySelectorAll('code, .code').forEach(e => e.remove());
            b.querySelectorAll('br').forEach(e => e.replaceWith(' '));  // a detached clone has no layout
            b.querySelectorAll('option').forEach(o => { o.textContent = ' ' + o.textContent + ' '; });
            return b.innerText; }""")
        text = re.sub(r"\S*[/\\]\S*", " ", text)
        # the language switch names the other language in that language, on purpose
        english = _english(text, allowed)
        if english:
            problems[path] = english
    return problems


def _first_case(page, base: str) -> str | None:  # type: ignore[no-untyped-def]
    page.goto(base + "/cases", wait_until="load")
    link = page.locator("table#cases tbody a[href^='/cases/']").first
    return link.get_attribute("href") if link.count() else None


def _first_link(page, base: str, path: str, selector: str) -> str | None:  # type: ignore[no-untyped-def]
    page.goto(base + path, wait_until="load")
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


# the officers' workflow (issue 9): queue, lead page, notices, directory, the region's own cases, models,
# the public complaint form and its tracking page
WORKFLOW_PAGES = ["/review", "/review?state=confirmed", "/notices", "/agencies", "/regional-cases",
                  "/regional-cases/quality", "/models", "/complaint", "/complaint/track?no=TS-0000-000000"]


def test_every_regional_page_in_chinese_has_no_english_ui_text(signed_in_page, demo_federation,
                                                               node_web) -> None:  # type: ignore[no-untyped-def]
    base = node_web("regional", demo_federation.region_dir("330000"))
    allowed = _data_words(demo_federation.root) | ACCOUNTS
    page = signed_in_page(base, "330000", "admin")
    paths = ["/leads", "/cases", "/sync", "/risk", "/blacklist", "/audit", "/admin/users", "/account", "/foreign-listings",
             "/no-such-page", "/leads?page=2", *WORKFLOW_PAGES]
    case = _first_case(page, base)
    if case:
        paths.append(case)
    lead = _first_link(page, base, "/review?state=all", "#queue tbody a[href^='/review/leads/']")
    assert lead, "the demo's queue has no lead"
    paths.append(lead)
    for listing, selector in (("/notices", "#notices tbody a[href^='/notices/']"),
                              ("/regional-cases", "#regional-cases tbody a[href^='/regional-cases/']")):
        found = _first_link(page, base, listing, selector)
        if found:
            paths.append(found)
    problems = _walk(page, base, paths, allowed)
    assert not problems, "English text on Chinese pages:\n" + "\n".join(f"{p}: {sorted(w)}" for p, w in problems.items())


def test_every_national_page_in_chinese_has_no_english_ui_text(signed_in_page, demo_federation,
                                                               node_web) -> None:  # type: ignore[no-untyped-def]
    base = node_web("national", demo_federation.national_dir)
    allowed = _data_words(demo_federation.root) | ACCOUNTS
    page = signed_in_page(base, "national", "admin")
    paths = ["/", "/leads", "/cases", "/supervision", "/merges", "/sweeps", "/blacklist", "/dashboard", "/audit",
             "/admin/users", "/account", "/no-such-page", "/review-figures"]
    case = _first_case(page, base)
    if case:
        paths.append(case)
    problems = _walk(page, base, paths, allowed)
    assert not problems, "English text on Chinese pages:\n" + "\n".join(f"{p}: {sorted(w)}" for p, w in problems.items())


def test_the_sign_in_page_is_chinese(new_page, demo_federation, node_web) -> None:  # type: ignore[no-untyped-def]
    base = node_web("regional", demo_federation.region_dir("330000"))
    page = new_page()
    assert _walk(page, base, ["/login"], set()) == {}


def test_the_rights_holder_portal_is_chinese(signed_in_page, demo_federation,
                                             node_web) -> None:  # type: ignore[no-untyped-def]
    base = node_web("regional", demo_federation.region_dir("330000"))
    allowed = _data_words(demo_federation.root) | ACCOUNTS
    page = signed_in_page(base, "330000", "rights_holder")
    problems = _walk(page, base, ["/holder", "/account"], allowed)
    assert not problems, "English text on Chinese pages:\n" + "\n".join(f"{p}: {sorted(w)}" for p, w in problems.items())
