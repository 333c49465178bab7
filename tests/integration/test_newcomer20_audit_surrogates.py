"""newcomer20 D1: a refused import whose record holds a lone surrogate (a JSON "\\ud800" escape), or a file name the
shell handed over undecoded, must not take the region's /sync and /audit pages down (they answered 500:
UnicodeEncodeError in the response). The refusal reads like any other, with the escape written out."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
import sqlalchemy as sa

from regional import services
from regional.config import RegionalConfig
from regional.formats.errors import describe_value, printable_text
from regional.models import AuditEntry
from sync.db import Database

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


def test_a_quoted_value_writes_a_lone_surrogate_as_its_escape() -> None:
    assert describe_value("x\ud800") == '"x\\ud800"'
    assert describe_value("康师傅") == '"康师傅"' and printable_text("康师傅") == "康师傅"
    assert printable_text("a\udcc4b") == "a\\udcc4b"
    describe_value("x\ud800").encode("utf-8")  # no UnicodeEncodeError


def test_a_refused_record_with_a_lone_surrogate_leaves_sync_and_audit_readable(
        node: RegionalConfig, tmp_path: Path) -> None:
    from regional.web import create_app
    from tests.conftest import web_client

    db = Database(node.db_url)
    bad = tmp_path / "listings.jsonl"
    # a good record, a title with a lone surrogate, and a record whose id holds one
    bad.write_text('{"id": "ok-1", "title": "保温杯"}\n{"id": "s-2", "title": "x\\ud800"}\n'
                   '{"id": "s-3\\udfff", "title": "水杯"}\n', encoding="utf-8")
    with pytest.raises(services.ImportRejected) as caught:
        services.import_listings(db, bad, actor="张三", now=NOW)
    assert "nothing was imported" in str(caught.value)
    assert '(got "x\\ud800")' in str(caught.value)
    with db.read() as s:
        (entry,) = s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import_listings_rejected")).all()
        assert entry.detail["records"] == 2
    # a file name the shell gave undecoded (GBK bytes on a UTF-8 system: surrogateescape), as an older entry holds
    with db.transaction() as s:
        s.add(AuditEntry(at=NOW, actor="张三", action="import_listings_unreadable", address=None, before=None,
                         after=None, detail={"file": "/tmp/\udcb5\udcbc\udcb3\udcf6.jsonl", "reason": "x\ud800"}))

    for role, pages in (("auditor", ("/audit", "/sync", "/audit?lang=en")), ("supervisor", ("/sync",))):
        client = web_client(create_app(node), role)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (role, page)
            text = html.unescape(response.get_data(as_text=True))
            assert "\\ud800" in text, (role, page)
            assert "s-2" in text and "\\udfff" in text, (role, page)
