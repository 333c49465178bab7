"""Session 24's outside tester (newcomer24), in Chromium on a node of its own: a text box holds its value whole at
1280 px — the administrators' page cut the rights holder's owner name (顶益（开曼岛）控股有限公 …)."""

from __future__ import annotations

import pytest

from tests.browser.test_pages import shot

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-9-tester24"
OWNER = "顶益（开曼岛）控股有限公司"

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
