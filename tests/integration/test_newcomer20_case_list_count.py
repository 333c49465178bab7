"""newcomer20 D3: the region's case list (/regional-cases) listed the newest 500 cases and called that the total
(共 500 件 for a province with 502); the heading now counts every case the filters match and says only the newest
500 are listed."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from pathlib import Path

import pytest

from regional.casework.core import CaseState
from regional.config import RegionalConfig
from regional.node import init_node
from regional.workflow_models import CaseRecord
from sync.db import Database
from sync.pki import init_ca, issue_region

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> RegionalConfig:
    root = tmp_path_factory.mktemp("pki") / "pki"
    init_ca(root)
    issue_region(root, "440000")
    config = RegionalConfig.load(tmp_path_factory.mktemp("region") / "node", env={}, region="440000",
                                 national_target="127.0.0.1:9")
    init_node(config, root / "regions" / "440000")
    return config


def add_cases(db: Database, n: int, state: CaseState, first: int) -> None:
    with db.transaction() as s:
        for i in range(first, first + n):
            s.add(CaseRecord(uuid=str(uuid.uuid4()), number=f"AJ-440000-2026-{i:06d}", title=f"案件 {i}",
                             state=state, opened_by="officer", officer="officer", opened_at=NOW,
                             step_entered_at=NOW, deadline=NOW + dt.timedelta(days=30)))


def heading(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, path
    page = html.unescape(response.get_data(as_text=True))
    start = page.index("<h2>")
    return page[start:page.index("</h2>", start)]


def test_the_case_list_counts_every_matching_case_not_the_500_it_lists(node: RegionalConfig, tmp_path: Path) -> None:
    from regional.web import create_app
    from regional.web.blueprints.casework import CASE_LIST_LIMIT
    from tests.conftest import web_client

    db = Database(node.db_url)
    add_cases(db, 3, CaseState.CLOSED, 1)
    client = web_client(create_app(node), "officer")
    assert "共 3 件" in heading(client, "/regional-cases")

    add_cases(db, CASE_LIST_LIMIT - 1, CaseState.FILED, 10)  # 502 in all, 499 filed and 3 closed
    assert "共 502 件，列出最新的 500 件" in heading(client, "/regional-cases")
    assert "共 499 件" in heading(client, "/regional-cases?state=filed")
    assert "共 3 件" in heading(client, "/regional-cases?state=closed")
    page = client.get("/regional-cases").get_data(as_text=True)
    assert page.count("AJ-440000-2026-") == CASE_LIST_LIMIT
    assert "AJ-440000-2026-000508" in page and "AJ-440000-2026-000001" not in page  # the newest listed
    english = heading(client, "/regional-cases?lang=en")
    assert "502 cases; the newest 500 listed" in english
