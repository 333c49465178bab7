"""Read a file of records through a rule that checks one record: the read both pilot importers share.

Customs (declarations, recordations, foreign rights, key export products) and the exhibit filing read
JSON Lines / CSV / .xlsx with Chinese or English headers, hand each record to their pure core's check,
and want every bad record named (line, record, field) with a reason code the web UI explains; none of
them stops at the first bad record, and the caller stores nothing when any record is bad.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from regional.formats.csvfile import Column
from regional.formats.errors import ImportFileError, RecordError
from regional.formats.messages import say
from regional.formats.source import ReadLimits, RecordReader, besides


class Refusal(Protocol):
    """What a pure core's check raises for a bad record (CustomsError, ExhibitionError); optionally `problem`, the
    rule broken (regional/formats/messages.py), and `errors`, every refusal of the record (CustomsError)."""

    field: str | None
    message: str
    reason: str


@dataclass
class CheckedFile:
    """The records `check` accepted (line, value), and the bad ones: errors in line order, a reason code each."""

    items: list[tuple[int, Any]] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # aligned with errors
    warnings: list[RecordError] = field(default_factory=list)


def text_id(value: Any) -> str | None:
    """A record named by its key when the key is text (cut to 60 characters)."""
    return value[:60] if isinstance(value, str) and value else None


def text_or_number_id(value: Any) -> str | None:
    """A record named by its key when the key is text or a whole number (cut to 60 characters)."""
    return str(value)[:60] if isinstance(value, str | int) and not isinstance(value, bool) else None


def read_checked(path: Path, columns: Mapping[str, Column], check: Callable[[Mapping[str, Any]], Any],
                 refusal: type[Exception], *, key: str, fmt: str | None, encoding: str, limits: ReadLimits,
                 name: Callable[[Any], str | None] = text_or_number_id,
                 identity: Callable[[Any], str] | None = None) -> CheckedFile:
    """Every record of `path` through `check` (which raises `refusal`, a `Refusal`, for a bad one).

    A record is named by `name(record[key])`. With `identity`, a second record of the same identity in
    the file is an error (reason `duplicate`, field `key`) naming the line of the first. A line that is no
    record is `unreadable`, one over the size limit `too_big`. A file with no record at all (nor any error)
    is refused whole (ImportFileError)."""
    path = Path(path)
    unreadable: list[RecordError] = []
    reader = RecordReader(path, unreadable, fmt=fmt, encoding=encoding, limits=limits, columns=columns)
    out = CheckedFile()
    mine: list[tuple[RecordError, str]] = []
    seen: dict[str, int] = {}
    records: list[frozenset[str]] = []  # the top-level fields of the first records (is it this kind of file?)
    for line, obj in reader:
        if isinstance(obj, dict) and len(records) < 50:
            records.append(frozenset(k.split(".")[0] for k in obj))
        problem = reader.oversize_error(line, None)
        if problem is not None:
            mine.append((problem, "too_big"))
            continue
        if not isinstance(obj, dict):
            mine.append((RecordError.of(path.name, line, None, None, say("json_object")), "unreadable"))
            continue
        rid = name(obj.get(key))
        # cells no value was read from (a formula without a calculated value): the record is bad, and its own
        # check's errors of those fields ("required") are left out
        cells = reader.cell_errors(line, rid)
        mine.extend((cell, "formula") for cell in cells)
        try:
            item = check(obj)
        except refusal as exc:
            bad: Refusal = exc  # type: ignore[assignment]
            every: list[Refusal] = getattr(bad, "errors", None) or [bad]  # a core may report every bad field
            found = [RecordError(path.name, line, rid, each.field, each.message, getattr(each, "problem", None))
                     for each in every]
            kept = {id(error) for error in besides(found, cells)}
            mine.extend((error, each.reason) for error, each in zip(found, every, strict=True) if id(error) in kept)
            continue
        if cells:
            continue
        if identity is not None:
            ident = identity(item)
            if ident in seen:
                mine.append((RecordError.of(path.name, line, rid, key, say("twice_in_file", n=seen[ident])),
                             "duplicate"))
                continue
            seen[ident] = line
        out.items.append((line, item))
    both = sorted([(e, "unreadable") for e in unreadable] + mine, key=lambda pair: pair[0].line)
    if not out.items and not both:
        raise ImportFileError(str(path), say("no_records"))
    if not out.items and records and _fields_of(columns) and not any(_fields_of(columns) & keys for keys in records):
        # not one record has a field of this kind of file: the wrong file, said once instead of every missing
        # field of every record (newcomer14 F51: a listings file uploaded as customs declarations)
        wanted = ", ".join(sorted(_fields_of(columns)))
        has = ", ".join(sorted(set().union(*records)))[:300]
        raise ImportFileError(str(path), say("wrong_kind", names=wanted, has=has))
    out.errors, out.reasons = [e for e, _ in both], [r for _, r in both]
    out.warnings = list(reader.warnings)
    return out


def _fields_of(columns: Mapping[str, Column]) -> set[str]:
    """The top-level fields a record of this kind must have (its required columns)."""
    return {c.path.split(".")[0] for c in columns.values() if c.required}
