"""newcomer23 D (the platform feed): a JSON array posted to /api/feed/listings was parsed, then written back as JSON
Lines: a price of 1e400 became `Infinity` and the post was refused as "Infinity is not allowed in JSON" on a line, no
record or field named. It is now refused like a file's, naming the record and the field, quoted as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regional import services
from regional.intake import feed
from regional.node import MIGRATIONS
from sync.db import Database, run_migrations, sqlite_url
from tests.workflow_data import NOW, World, build


@pytest.fixture
def world(tmp_path: Path) -> World:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    return build(Database(url), 8, agencies=False)


@pytest.mark.parametrize("shape", ["array", "lines"])
def test_a_number_no_float_holds_is_refused_naming_record_and_field(world: World, shape: str) -> None:
    records = [{"id": "feed-n23-1", "title": "康帅傅 红烧牛肉面", "price": 9.9},
               {"id": "feed-n23-2", "title": "康帅傅 红烧牛肉面", "price": "BIG"}]
    body = (json.dumps(records, ensure_ascii=False) if shape == "array"
            else "\n".join(json.dumps(r, ensure_ascii=False) for r in records)).replace('"BIG"', "1e400")
    with pytest.raises(services.ImportRejected) as refused:
        feed.post_listings(world.db, body.encode("utf-8"), actor="token:taobao", now=NOW)
    [error] = refused.value.errors
    assert (error.line, error.record_id, error.field) == (2, "feed-n23-2", "price"), error
    assert error.message == "is a number too large to be stored (got 1e400)", error.message


def test_ordinary_numbers_in_an_array_are_unchanged(world: World) -> None:
    body = json.dumps([{"id": "feed-n23-3", "title": "保温杯", "price": 12.5, "description": "1e400 in text"}],
                      ensure_ascii=False)
    result = feed.post_listings(world.db, body.encode("utf-8"), actor="token:taobao", now=NOW)
    assert result.created == 1
