"""Errors the importers report, and the translation of pydantic's errors into clerk's sentences."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

# Error type used by our own validators: its message is already a plain sentence.
RULE = "hufu_rule"


@dataclass(frozen=True)
class RecordError:
    """One bad record: where it is, which record, which field, and what to fix."""

    file: str
    line: int
    record_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """`registry.jsonl:12 (TM-0012345) field 'nice_classes': must be a list of integers 1..45`."""
        where = f"{self.file}:{self.line}"
        if self.record_id:
            where += f" ({self.record_id})"
        if self.field:
            return f"{where} field '{self.field}': {self.message}"
        return f"{where}: {self.message}"


class RecordValidationError(ValueError):
    """A single record failed validation; `errors` says where and why."""

    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class ImportFileError(Exception):
    """A whole file cannot be read (missing, unreadable, bad gzip, bad UTF-8)."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        self.file = file
        self.reason = reason
        self.line = line
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")


_GENERIC: dict[str, str] = {
    "missing": "is required",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
}


def _generic_message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _GENERIC:
        return _GENERIC[kind]
    if kind == "enum":
        return f"must be one of {ctx.get('expected', 'the allowed values')}".replace("'", "")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        bound = next(iter(ctx.values()), "")
        return f"must be {words} {bound}"
    msg = str(err.get("msg", "is not valid"))
    return msg[:1].lower() + msg[1:]


def describe_value(value: object, limit: int = 40) -> str:
    """A short JSON rendering of an offending value, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_path(loc: tuple[int | str, ...]) -> str | None:
    """`('seller', 'uscc')` -> `seller.uscc`; list positions are dropped (the value is quoted instead)."""
    names = [str(part) for part in loc if isinstance(part, str)]
    return ".".join(names) or None


def from_pydantic(
    exc: ValidationError,
    *,
    file: str,
    line: int,
    record_id: str | None,
    hints: Mapping[str, str],
) -> list[RecordError]:
    """Turn a pydantic ValidationError into RecordErrors a clerk can act on.

    `hints` maps a field path to the rule that field follows; it replaces pydantic's wording
    for that field (except "is required", which is always clearer).
    """
    grouped: dict[tuple[str | None, str], list[str]] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = field_path(loc)
        if err["type"] == RULE:
            message = str(err["msg"])
        elif err["type"] == "missing":
            message = "is required"
        else:
            message = hints.get(path or "", "") or _generic_message(err)
        got = grouped.setdefault((path, message), [])
        value = err.get("input")
        if err["type"] != "missing" and (value is None or isinstance(value, str | int | float | bool)):
            got.append(describe_value(value))
    errors = []
    for (path, message), values in grouped.items():
        if values:
            shown = ", ".join(dict.fromkeys(values[:3]))
            more = ", …" if len(values) > 3 else ""
            message = f"{message} (got {shown}{more})"
        errors.append(RecordError(file, line, record_id, path, message))
    return errors


def invalid_records(items: Sequence[RecordError]) -> int:
    """How many records `items` name: a record (a file's line) with several problems counts once."""
    return len({(item.file, item.line) for item in items})


def count_text(items: Sequence[RecordError]) -> str:
    """`3 invalid record(s) (5 problems)`, or `3 invalid record(s)` when each has one problem."""
    records = invalid_records(items)
    text = f"{records:,} invalid record(s)"
    return text if records == len(items) else f"{text} ({len(items):,} problems)"


def summarise(items: list[RecordError], limit: int = 20) -> list[str]:
    """At most about `limit` lines: every item when few, else one line per kind of problem with its count."""
    if len(items) <= limit:
        return [str(item) for item in items]
    groups: dict[tuple[str | None, str], list[RecordError]] = {}
    for item in items:
        groups.setdefault((item.field, item.message.split(" (got ")[0]), []).append(item)
    out = []
    for (field, message), group in list(groups.items())[:limit]:
        first = group[0]
        where = f"{first.file}:{first.line}" + (f" ({first.record_id})" if first.record_id else "")
        subject = f" field '{field}'" if field else ""
        out.append(f"{len(group):,} record(s), the first {where}{subject}: {message}")
    if len(groups) > limit:
        out.append(f"… and {len(groups) - limit} more kinds of problem")
    return out
