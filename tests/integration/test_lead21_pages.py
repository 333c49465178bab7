"""The lead's session-21 pass over the region's pages: the notices list pages through every notice (it showed the
newest 200 and nothing older was reachable), and the case list refuses an unknown step instead of listing every
case as if no filter were given."""

from __future__ import annotations

import argparse
import html
import re
from typing import Any

import pytest
import sqlalchemy as sa

from national import demo
from regional.workflow_models import NoticeRow
from sync.db import Database


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Any:
    args = argparse.Namespace(data_dir=tmp_path_factory.mktemp("demo") / "demo", regions=["440000"], listings=40,
                              history_listings=120, seed=7)
    return demo.set_up(args).regions["440000"]


def notice_numbers(page: str) -> list[str]:
    return re.findall(r'<tr data-notice="[^"]+"><td><a href="[^"]+">([^<]+)</a>', page)


def test_the_notices_list_pages_through_every_notice(region: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from regional.web import create_app
    from regional.web.blueprints import routing
    from tests.conftest import web_client

    db = Database(region.db_url)
    try:
        with db.read() as s:
            every = list(s.scalars(sa.select(NoticeRow.number).order_by(NoticeRow.id.desc())))
    finally:
        db.dispose()
    assert len(every) >= 3, every
    size = (len(every) + 1) // 2  # two pages, the second possibly shorter
    monkeypatch.setattr(routing, "NOTICE_PAGE", size)
    client = web_client(create_app(region), "officer")  # officers see every body's notices
    first = client.get("/notices")
    assert first.status_code == 200
    page1 = html.unescape(first.get_data(as_text=True))
    assert notice_numbers(page1) == every[:size]
    assert "1 / 2" in page1 and "page=2" in page1
    page2 = html.unescape(client.get("/notices?page=2").get_data(as_text=True))
    assert notice_numbers(page2) == every[size:]
    assert "2 / 2" in page2 and "page=1" in page2
    assert notice_numbers(html.unescape(client.get("/notices?page=3").get_data(as_text=True))) == []
    assert client.get("/notices?page=0").status_code == 400
    assert client.get("/notices?page=x").status_code == 400


@pytest.mark.parametrize("lang, said", [("zh_CN", "未知的办案环节 bogus"), ("en", "Unknown case step bogus")])
def test_the_case_list_refuses_an_unknown_step(region: Any, lang: str, said: str) -> None:
    from regional.web import create_app
    from tests.conftest import web_client

    client = web_client(create_app(region), "officer")
    refused = client.get(f"/regional-cases?state=bogus&lang={lang}")
    assert refused.status_code == 400
    assert said in html.unescape(refused.get_data(as_text=True))
    for good in ("", "open", "filed", "closed"):
        assert client.get(f"/regional-cases?state={good}").status_code == 200, good
