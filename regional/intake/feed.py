"""The platform feed API: a machine client posts listings, with the file import's validation, all or nothing.

The body is JSON Lines (one listing per line, formats.md) or one JSON array of listings, at
most MAX_BYTES; it goes through exactly the import path of `hufu regional import-listings`
(regional/services.py `import_listings`): every record is validated, one bad record rejects the
whole post with errors that name the line and the field, and a good post is stored in one
transaction with an import run and an audit entry naming the token's user.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from regional import services
from regional.formats.errors import ImportFileError
from sync.db import Database

MAX_BYTES = 2 * 1024 * 1024  # the web apps refuse larger bodies before any view runs
MAX_RECORDS = 10_000


class FeedError(ValueError):
    """A post that cannot be read at all (size, encoding, shape)."""


def _as_lines(body: bytes) -> bytes:
    """JSON Lines as posted, or a JSON array turned into JSON Lines."""
    text = body.lstrip()
    if text.startswith(b"["):
        try:
            items = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FeedError(f"the body starts like a JSON array but is not one ({exc})") from None
        if not isinstance(items, list):
            raise FeedError("a JSON body must be an array of listings")
        if len(items) > MAX_RECORDS:
            raise FeedError(f"{len(items)} listings; at most {MAX_RECORDS} per post")
        return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode("utf-8")
    if body.count(b"\n") > MAX_RECORDS + 1:
        raise FeedError(f"more than {MAX_RECORDS} lines; at most {MAX_RECORDS} listings per post")
    return body


def post_listings(db: Database, body: bytes, *, actor: str, now: dt.datetime) -> services.ImportResult:
    """Validate and store posted listings (raises services.ImportRejected naming line and field, or FeedError)."""
    if len(body) > MAX_BYTES:
        raise FeedError(f"the post is {len(body)} bytes; at most {MAX_BYTES}")
    if not body.strip():
        raise FeedError("the post holds no listing")
    lines = _as_lines(body)
    with tempfile.TemporaryDirectory(prefix="hufu-feed-") as tmp:
        path = Path(tmp) / f"feed-{now:%Y%m%dT%H%M%S}.jsonl"
        path.write_bytes(lines)
        try:
            return services.import_listings(db, path, actor=actor, now=now)
        except ImportFileError as exc:  # unreadable as a whole (encoding, shape): the platform hears why
            where = f"line {exc.line}: " if exc.line is not None else ""
            raise FeedError(f"{where}{exc.reason}") from exc
