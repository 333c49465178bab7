"""Forms that create outbox records check every field's limit first (issue 8 item 2, region side)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519

from regional import outbox, services
from regional.forms import FormError
from regional.models import AuditEntry, OutboxRow, ReceivedCase
from regional.node import MIGRATIONS
from sync.db import Database, run_migrations, sqlite_url

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
CASE = str(uuid.UUID(int=7))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    database = Database(url)
    with database.transaction() as s:
        s.add(ReceivedCase(case_uuid=CASE, feed_cursor=1, right_number="TM-1", lead_region="440000",
                           regions=["440000", "330000"], received_at=NOW))
    return database


@pytest.fixture
def signer() -> outbox.Signer:
    return outbox.Signer(region="440000", key=ed25519.Ed25519PrivateKey.generate())


def rows(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.mark.parametrize(("note", "officer", "field", "words"), [
    ("x" * 15_000_000, "王科长", "note", "15,000,000 characters long; at most 5,000"),
    ("bad\x00byte", "王科长", "note", "NUL"),
    ("ok", "王" * 101, "officer", "at most 100"),
    ("ok", "王科长\n李", "officer", "one line"),
])
def test_case_feedback_over_a_limit_is_refused_naming_the_field_and_nothing_is_queued(
        db: Database, signer: outbox.Signer, note: str, officer: str, field: str, words: str) -> None:
    with pytest.raises(FormError) as caught:
        services.case_feedback(db, signer, CASE, "investigating", note, actor=officer, now=NOW)
    assert list(caught.value.fields) == [field]
    assert words in caught.value.fields[field] and f"field {field}" in str(caught.value)
    assert len(str(caught.value)) < 300  # the message does not carry the value back
    assert rows(db, OutboxRow) == 0 and rows(db, AuditEntry) == 0


def test_case_feedback_within_its_limits_is_queued(db: Database, signer: outbox.Signer) -> None:
    services.case_feedback(db, signer, CASE, "investigating", "样" * 5000, actor="王科长", now=NOW)
    assert rows(db, OutboxRow) == 1


def test_the_feedback_form_says_in_chinese_which_field_is_too_long(tmp_path: Path) -> None:
    import shutil

    from regional.config import RegionalConfig
    from regional.web import create_app
    from sync.pki import init_ca, issue_region
    from tests.conftest import csrf, web_client

    init_ca(tmp_path / "ca")
    creds = issue_region(tmp_path / "ca", "440000")
    config = RegionalConfig(data_dir=tmp_path / "region", region="440000")
    shutil.copytree(creds.directory, config.pki_dir)
    run_migrations(config.db_url, MIGRATIONS)
    app = create_app(config)
    db = app.extensions["hufu_db"]
    with db.transaction() as s:
        s.add(ReceivedCase(case_uuid=CASE, feed_cursor=1, right_number="TM-1", lead_region="440000",
                           regions=["440000", "330000"], received_at=NOW))
    client = web_client(app, "officer")

    answer = client.post(f"/cases/{CASE}/step", data={"step": "investigating", "note": "查" * 6000,
                                                      "csrf_token": csrf(client, f"/cases/{CASE}")},
                         follow_redirects=True)

    page = answer.get_data(as_text=True)
    assert "备注过长：最多 2000 个字，现有 6000 个字。" in page and "characters" not in page  # the limit said
    assert rows(db, OutboxRow) == 0
    client.post(f"/cases/{CASE}/step", data={"step": "investigating", "note": "已派员核查",
                                             "csrf_token": csrf(client, f"/cases/{CASE}")})
    assert rows(db, OutboxRow) == 1
