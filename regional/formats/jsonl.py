"""JSON Lines: parsing one line (reading files is regional.formats.source), and writing files atomically."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import uuid
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any


def is_gzip(path: Path) -> bool:
    """True when the file name says gzip."""
    return path.name.lower().endswith(".gz")


def parse_json_line(text: str) -> Any:
    """Parse one line of strict JSON (no NaN or Infinity); raise ValueError with a plain reason."""

    def _reject(constant: str) -> Any:
        raise ValueError(f"{constant} is not allowed in JSON")

    try:
        return json.loads(text, parse_constant=_reject)
    except json.JSONDecodeError as exc:
        raise ValueError(_json_reason(exc)) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


_JSON_REASONS = {
    "Invalid control character at": "a control character (tab, line break …) inside a string must be escaped",
    "Unterminated string starting at": "a string is not closed (missing \")",
    "Invalid \\escape": "invalid backslash escape",
    "Extra data": "more data after the end of the JSON object (one object per line)",
    "Expecting value": "expected a JSON value",
}


def _json_reason(exc: json.JSONDecodeError) -> str:
    """json's message in plain words, with the column once ("…at" + " at column" read "at at")."""
    msg = exc.msg.removesuffix(" at").strip()
    reason = _JSON_REASONS.get(exc.msg) or _JSON_REASONS.get(msg) or msg[:1].lower() + msg[1:]
    return f"{reason} (column {exc.colno})"


def _json_default(value: object) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows as UTF-8 JSON Lines (gzip if the name ends in .gz), atomically; return the row count."""
    path = Path(path)
    # A uniquely named sibling, so readers never see a half-written file and permissions follow umask.
    tmp_name = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    count = 0
    try:
        with open(tmp_name, "xb") as raw:
            # No name or mtime in the header keeps gzip output byte-for-byte reproducible.
            sink: io.BufferedIOBase = (
                gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) if is_gzip(path) else raw
            )
            with sink:
                for row in rows:
                    line = json.dumps(row, ensure_ascii=False, allow_nan=False, default=_json_default)
                    sink.write(line.encode("utf-8") + b"\n")
                    count += 1
        os.replace(tmp_name, path)
    except BaseException:
        tmp_name.unlink(missing_ok=True)
        raise
    return count
