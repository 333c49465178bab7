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

from regional.formats.messages import Problem, say


class JsonLineError(ValueError):
    """A line that is not JSON: why (a rule of regional/formats/messages.py, or json's own words) and where."""

    def __init__(self, reason: Problem | str, column: int | None = None) -> None:
        self.problem = (say("json_at", reason=reason, col=column) if column is not None
                        else say("json", reason=reason))  # "not valid JSON: <reason> (column <n>)"
        super().__init__(f"{reason} (column {column})" if column is not None else str(reason))


def is_gzip(path: Path) -> bool:
    """True when the file name says gzip."""
    return path.name.lower().endswith(".gz")


class NotFinite(str):
    """A number written in a file that no float holds (`1e400`, `-1e400`, 400 nines in a number cell), as written:
    not a value (json and float() read it as infinity, which was then quoted "(got Infinity)" and could not be
    stored faithfully: newcomer23 D). Readers put it where the value was; the reader of the records refuses the
    record naming the field (RecordReader.cell_errors), with the text as given."""

    __slots__ = ()


def finite_or_marked(text: str) -> float | NotFinite:
    """`text` (a number's literal) as a float, or as NotFinite when it is beyond a float's range."""
    value = float(text)
    return value if value - value == 0 else NotFinite(text)


def not_finite_fields(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, text) of every NotFinite in a parsed record (list positions are not part of a field path)."""
    if isinstance(value, NotFinite):
        return [(path, str.__str__(value))]
    if isinstance(value, dict):
        return [found for k, v in value.items()
                for found in not_finite_fields(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [found for v in value for found in not_finite_fields(v, path)]
    return []


def parse_json_line(text: str, found: list[str] | None = None) -> Any:
    """Parse one line of strict JSON (no NaN or Infinity); raise ValueError with a plain reason. A number beyond a
    float's range (1e400) is read as a NotFinite holding its text (appended to `found` when given)."""

    def _reject(constant: str) -> Any:
        raise JsonLineError(say("json_constant", constant=constant))

    def _float(literal: str) -> Any:
        value = finite_or_marked(literal)
        if found is not None and isinstance(value, NotFinite):
            found.append(value)
        return value

    try:
        return json.loads(text, parse_constant=_reject, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise _json_reason(exc) from None
    except RecursionError:
        raise JsonLineError(say("json_deep")) from None


_JSON_REASONS = {
    "Invalid control character at": "json_control",
    "Unterminated string starting at": "json_unclosed",
    "Invalid \\escape": "json_escape",
    "Extra data": "json_extra",
    "Expecting value": "json_value",
}


def _json_reason(exc: json.JSONDecodeError) -> JsonLineError:
    """json's message in plain words, with the column once ("…at" + " at column" read "at at")."""
    msg = exc.msg.removesuffix(" at").strip()
    key = _JSON_REASONS.get(exc.msg) or _JSON_REASONS.get(msg)
    reason: Problem | str = say(key) if key else msg[:1].lower() + msg[1:]  # json's own words: no rule says them
    return JsonLineError(reason, exc.colno)


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
