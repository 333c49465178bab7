"""Session 24's outside tester (newcomer24), in Chromium on nodes of their own: a text box holds its value whole at
1280 px — the administrators' page cut the rights holder's owner name (顶益（开曼岛）控股有限公 …); the national
regions table fits 1280 px in English with regions not OK; so does the audit log with a manifest digest."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_pages import shot

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-9-tester24"
OWNER = "顶益（开曼岛）控股有限公司"
DIGEST = "7fc87c901e6d29b4a1a5fa6df2915600d98e1fa833e9bca9b2dde55d3bcc8e1d"

_VALUE_ROOM = """(sel) => [...document.querySelectorAll(sel)].map(i => {
  const cs = getComputedStyle(i);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const room = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  return [i.value, Math.ceil(ctx.measureText(i.value).width), Math.floor(room)];
})"""


@pytest.fixture(scope="module")
def admin_node(tmp_path_factory, node_web) -> str:  # type: ignore[no-untyped-def]
    """A regional node with the workflow data, an admin and a rights-holder account tied to the owner OWNER."""
    import datetime as dt

    from regional.accounts import service
    from regional.actors import Actor
    from regional.config import RegionalConfig
    from regional.intake import requests
    from regional.models import ApiToken, AuditEntry, LoginAttempt, User
    from regional.node import init_node
    from sync.db import Database
    from sync.pki import init_ca, issue_region
    from tests.workflow_data import build

    root = tmp_path_factory.mktemp("admin24-node")
    init_ca(root / "pki")
    creds = issue_region(root / "pki", "440000")
    cfg = RegionalConfig.load(root / "region", region="440000")
    init_node(cfg, creds.directory)
    db = Database(cfg.db_url)
    build(db, 4)
    now = dt.datetime.now(dt.UTC)
    tables = service.Tables(User, ApiToken, LoginAttempt, AuditEntry)
    with db.transaction() as s:
        service.add_user(s, tables, "admin", "admin", PASSWORD, actor=Actor("test"), now=now)
        service.add_user(s, tables, "holder", "rights_holder", PASSWORD, actor=Actor("test"), now=now)
    with db.transaction() as s:
        requests.set_holder(s, "holder", OWNER, Actor("admin", roles=frozenset({"admin"})), now)
        # what 重新取证 writes (regional/web/blueprints/evidence.py): a lead and a 64-hex manifest digest
        s.add(AuditEntry(at=now, actor="officer", action="evidence_recapture", address="127.0.0.1",
                         detail={"lead": "b018757e-5ec3-4aea-8421-dccedc162a08", "manifest": DIGEST}))
    db.dispose()
    return node_web("regional", cfg.data_dir)


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_rights_holders_owner_name_is_shown_whole_in_its_box(admin_node: str, new_page, width: int) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, admin_node, "admin", PASSWORD)
    for lang in ("zh", "en"):
        page.goto(f"{admin_node}/admin/users?lang={lang}", wait_until="load")
        measured = page.evaluate(_VALUE_ROOM, "#holders input[name=owner]")
        assert [m[0] for m in measured] == [OWNER], measured
        cut = [m for m in measured if m[1] > m[2]]
        assert not cut, f"{lang} at {width} px: the owner name is wider than its box: {cut}"
        shot(page, f"admin-users-holders-{lang}-{width}")


@pytest.fixture(scope="module")
def late_national(tmp_path_factory) -> Any:  # type: ignore[no-untyped-def]
    """A national node whose three regions filed, two of them silent for ten minutes (late): its URL."""
    import datetime as dt
    import subprocess

    from national.models import RegionRow
    from sync.db import Database, sqlite_url
    from tests.conftest import _subprocess_env, hufu_command, start_node_web

    def hufu(*args: object, stdin: str | None = None) -> None:
        done = subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True, input=stdin,
                              env=_subprocess_env(), timeout=300)
        assert done.returncode == 0, done.stderr

    root = tmp_path_factory.mktemp("late24")
    hufu("pki", "init", "--dir", root / "pki")
    hufu("national", "init", "--data-dir", root / "national", "--pki", root / "pki")
    hufu("national", "user", "add", "admin", "--role", "admin", "--data-dir", root / "national", stdin=PASSWORD)
    now = dt.datetime.now(dt.UTC)
    with Database(sqlite_url(root / "national" / "node.db")).transaction() as s:
        for code, name, ago in (("440000", "广东省", 1), ("330000", "浙江省", 600), ("350000", "福建省", 600)):
            at = now - dt.timedelta(seconds=ago)
            s.add(RegionRow(code=code, name=name, high_water=199, records=199, reported_head=199, last_contact=at,
                            first_contact=at - dt.timedelta(hours=1), last_batch_at=at, software="hufu/0.1",
                            reported_leads=74))
    web = start_node_web("national", root / "national")
    try:
        yield web.base_url
    finally:
        web.stop()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_national_regions_table_fits_1280_px_with_late_regions(late_national: str, new_page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """newcomer24: in English at 1280 px the regions table ran past the page (the standing "Late (no contact for
    several sync intervals)" and the lag "not known now (last reported: …)" kept on one line each): the last
    contact and last error columns were cut off at the right edge."""
    from tests.conftest import sign_in

    page = new_page()
    sign_in(page, late_national, "admin", PASSWORD)
    page.goto(f"{late_national}/?lang={lang}", wait_until="load")
    assert page.locator("#regions tbody tr").count() == 3
    standings = page.locator("#regions tbody tr td:nth-child(2) .tag").all_inner_texts()
    assert len(standings) == 3 and sum(1 for t in standings if t not in ("OK", "正常")) >= 2, standings
    right, main_right = page.evaluate("() => [document.querySelector('#regions').getBoundingClientRect().right, "
                                      "document.querySelector('main').getBoundingClientRect().right]")
    assert right <= main_right + 1, f"{lang}: the regions table ends at {right} px, the page at {main_right} px"
    shot(page, f"national-overview-late-{lang}-1280")



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_audit_log_fits_1280_px_with_a_manifest_digest(admin_node: str, new_page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """newcomer24: in English at 1280 px the audit log ran 120 px past the page once it held a 重新取证 entry: the
    manifest digest (64 hex digits, no break) set the Detail column's width; it now breaks inside the cell."""
    from tests.conftest import sign_in

    page = new_page()
    sign_in(page, admin_node, "admin", PASSWORD)
    page.goto(f"{admin_node}/audit?lang={lang}", wait_until="load")
    assert page.locator("#audit tbody tr", has_text=DIGEST[:16]).count() == 1
    right, main_right = page.evaluate("() => [document.querySelector('#audit').getBoundingClientRect().right, "
                                      "document.querySelector('main').getBoundingClientRect().right]")
    assert right <= main_right + 1, f"{lang}: the audit table ends at {right} px, the page at {main_right} px"
    # what set the width: the digest's own narrowest rendering (min-content) was the whole 64 digits on one line
    narrowest = page.evaluate("""(digest) => { const dd = [...document.querySelectorAll('#audit dd')]
        .find(e => e.textContent.trim() === digest); const c = dd.cloneNode(true);
      c.style.cssText = 'position:absolute;visibility:hidden;width:min-content'; dd.parentElement.appendChild(c);
      const w = c.getBoundingClientRect().width; c.remove(); return w; }""", DIGEST)
    assert narrowest < 200, f"{lang}: the digest's cell cannot be narrower than {narrowest} px"
    assert DIGEST in page.locator("#audit").inner_text().replace("\n", "")  # whole, only wrapped
    shot(page, f"audit-digest-{lang}-1280")
