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
import re
import tempfile
import uuid
from pathlib import Path
from typing import Any

from regional import services
from regional.formats.errors import ImportFileError
from regional.formats.jsonl import NotFinite, finite_or_marked
from sync.db import Database

MAX_BYTES = 2 * 1024 * 1024  # the web apps refuse larger bodies before any view runs
MAX_RECORDS = 10_000


class FeedError(ValueError):
    """A post that cannot be read at all (size, encoding, shape); `rule` is the file reader's reason as
    `{"key", "params"}` (a key of regional/formats/messages.py) when it refused the body, for a client that
    branches on it."""

    def __init__(self, message: str, rule: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.rule = rule


_SEND = "send UTF-8 JSON Lines (one listing per line) or one JSON array of listings"
# The file reader's words name a file, its name and the CLI's flags; a platform posting to the API has none of
# those: what it is told instead, by the reader's reason code (regional/formats/messages.py).
_FEED_WORDS = {
    "gbk": "the body is not UTF-8 (byte {byte} at column {col} cannot be decoded; it looks GBK/GB18030-encoded): "
           + _SEND,
    "encoding": "the body is not UTF-8 (byte {byte} at column {col} cannot be decoded): " + _SEND,
    "utf16": "the body is UTF-16 text: " + _SEND,
    "csv_as_jsonl": "the body looks like a CSV header row, not JSON: the feed takes no CSV; " + _SEND,
    "zip": "the body is a ZIP archive (an .xlsx workbook?), not JSON: " + _SEND,
    "xls": "the body is an Excel/Office document, not JSON: " + _SEND,
    "pdf": "the body is a PDF document, not JSON: " + _SEND,
    "gzip_unnamed": "the body is gzip-compressed: post it uncompressed; " + _SEND,
}


def _feed_words(exc: ImportFileError) -> str:
    words = _FEED_WORDS.get(exc.code)
    if words is not None:
        try:
            return words.format(**exc.params)
        except (KeyError, IndexError):
            pass
    where = f"line {exc.line}: " if exc.line is not None else ""
    return f"{where}{exc.reason}"


def _as_lines(body: bytes) -> bytes:
    """JSON Lines as posted, or a JSON array turned into JSON Lines."""
    text = body.lstrip()
    if text.startswith(b"["):
        # a number no float holds (1e400) is kept as written, so the reader refuses it naming record and field
        # (newcomer23 D: it was read as infinity and written back as `Infinity`, refused as "not valid JSON")
        token, kept = uuid.uuid4().hex, []

        def keep(literal: str) -> Any:
            value = finite_or_marked(literal)
            if isinstance(value, NotFinite):
                kept.append(literal)
                return f"{token}:{len(kept) - 1}"
            return value

        try:
            items = json.loads(body.decode("utf-8"), parse_float=keep)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FeedError(f"the body starts like a JSON array but is not one ({exc})") from None
        if not isinstance(items, list):
            raise FeedError("a JSON body must be an array of listings")
        if len(items) > MAX_RECORDS:
            raise FeedError(f"{len(items)} listings; at most {MAX_RECORDS} per post")
        lines = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
        if kept:
            lines = re.sub(f'"{token}:([0-9]+)"', lambda m: kept[int(m.group(1))], lines)
        return lines.encode("utf-8")
    if body.count(b"\n") >= MAX_RECORDS and sum(1 for line in body.splitlines() if line.strip()) > MAX_RECORDS:
        # records, not line breaks: 10,001 listings each ending in a newline got through (newcomer15 F19)
        raise FeedError(f"more than {MAX_RECORDS} listings; at most {MAX_RECORDS} per post")
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
            raise FeedError(_feed_words(exc), rule=exc.problem.as_json()) from exc
