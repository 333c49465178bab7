"""Reading and validating the interchange files (registry records and listings); pure, no database.

A bad record becomes a RecordError (file, line, record id, field, plain message) and reading
goes on; the caller decides what a batch with errors means (the node writes nothing, the
file-to-file detector skips the bad records). A file that cannot be read at all (or is too
big, or holds no record) raises ImportFileError.

`check_listings` / `check_registry` validate records however they arrived (a file, a web
form, a platform feed); `read_listings` / `read_registry` read a file (JSON Lines or CSV)
and call them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from regional.domain import Licence, Listing, Right
from regional.formats.csvfile import LISTING_COLUMNS, REGISTRY_COLUMNS
from regional.formats.errors import (
    ImportFileError,
    RecordError,
    RecordValidationError,
    describe_value,
    from_pydantic,
)
from regional.formats.jsonl import write_jsonl
from regional.formats.limits import LISTING as LISTING_LIMITS
from regional.formats.limits import REGISTRY as REGISTRY_LIMITS
from regional.formats.limits import limit_errors
from regional.formats.messages import Problem, say
from regional.formats.records import (
    LISTING_HINTS,
    REGISTRY_HINTS,
    REGISTRY_SHAPES,
    ListingIn,
    licence_to_json,
    listing_to_domain,
    listing_to_json,
    right_to_json,
    to_domain,
)
from regional.formats.source import (
    DEFAULT_LIMITS,
    ENCODINGS,
    FORMATS,
    Progress,
    ReadLimits,
    RecordReader,
    besides,
)
from regional.formats.uscc import USCC_LENGTH, uscc_check_character_ok
from regional.formats.width import halfwidth
from sync.limits import Spec

__all__ = [
    "DEFAULT_LIMITS",
    "ENCODINGS",
    "FORMATS",
    "ImportFileError",
    "ReadLimits",
    "check_listings",
    "check_registry",
    "ListingBatch",
    "RecordError",
    "RecordValidationError",
    "RegistryBatch",
    "licence_to_json",
    "listing_to_json",
    "parse_listing_line",
    "parse_registry_line",
    "read_listings",
    "read_registry",
    "right_to_json",
    "uscc_check_character_ok",
    "write_jsonl",
]

_KINDS = ", ".join(REGISTRY_SHAPES)
_ID_FIELDS = ("reg_no", "number", "id")


@dataclass
class RegistryBatch:
    """What one registry file yielded: rights, licences, errors, and the number of lines read.

    `warnings` never block a batch: licensee codes that are not valid codes (kept, because a
    typo'd code is still evidence), an unknown CSV column.
    """

    rights: list[Right]
    licences: list[Licence]
    errors: list[RecordError]
    lines: int
    warnings: list[RecordError] = field(default_factory=list)


@dataclass
class ListingBatch:
    """What one listings file yielded: listings, errors, and the number of lines read.

    `warnings` never block a batch: a seller credit code that is not a valid code, an unknown
    CSV column.
    """

    listings: list[Listing]
    errors: list[RecordError]
    lines: int
    warnings: list[RecordError] = field(default_factory=list)
    raw: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, record as received): evidence


def _record_id(obj: Mapping[str, Any], *fallbacks: str) -> str | None:
    for key in (*_ID_FIELDS, *fallbacks):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value if len(value) <= 60 else value[:59] + "…"
        if isinstance(value, int) and not isinstance(value, bool):
            return describe_value(value)
    return None


def _validate(
    shape: type[BaseModel],
    obj: Mapping[str, Any],
    *,
    file: str,
    line: int,
    record_id: str | None,
    hints: Mapping[str, Problem],
    spec: Spec,
) -> Any:
    """The record in its shape (types, formats) and within its limits (lengths, characters, schemes)."""
    errors: list[RecordError] = []
    record = None
    try:
        record = shape.model_validate(obj)
    except ValidationError as exc:
        errors = from_pydantic(exc, file=file, line=line, record_id=record_id, hints=hints)
    errors += limit_errors(spec, obj, file=file, line=line, record_id=record_id,
                           reported={e.field for e in errors})
    if errors:
        raise RecordValidationError(errors)
    return record


def _require_object(obj: object, *, file: str, line: int) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        names = {list: "a list", str: "text", bool: "true/false", type(None): "null"}
        got = names.get(type(obj), "a number")
        raise RecordValidationError([RecordError.of(file, line, None, None, say("line_not_object", got=got))])
    return obj


def parse_registry_line(obj: dict[str, Any], *, file: str, line: int) -> Right | Licence:
    """Validate one registry record (`kind` picks the shape); raise RecordValidationError if it is bad."""
    obj = dict(_require_object(obj, file=file, line=line))
    kind = obj.get("kind")
    record_id = _record_id(obj, "right") if kind == "licence" else _record_id(obj)
    if kind is None:
        raise RecordValidationError([RecordError.of(file, line, record_id, "kind", say("required_one_of", values=_KINDS))])
    if not isinstance(kind, str) or kind not in REGISTRY_SHAPES:
        message = say("got", message=say("one_of", values=_KINDS), got=describe_value(kind))
        raise RecordValidationError([RecordError.of(file, line, record_id, "kind", message)])
    record = _validate(
        REGISTRY_SHAPES[kind], obj, file=file, line=line, record_id=record_id, hints=REGISTRY_HINTS,
        spec=REGISTRY_LIMITS[kind],
    )
    return to_domain(kind, record)


def parse_listing_line(obj: dict[str, Any], *, file: str, line: int) -> Listing:
    """Validate one listing record; raise RecordValidationError if it is bad."""
    obj = dict(_require_object(obj, file=file, line=line))
    record = _validate(ListingIn, obj, file=file, line=line, record_id=_record_id(obj), hints=LISTING_HINTS,
                       spec=LISTING_LIMITS)
    return listing_to_domain(record)


class _Duplicates:
    """Remembers which line first used each id, and reports later uses."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.first_line: dict[str, int] = {}

    def check(self, obj: Mapping[str, Any], line: int, id_field: str) -> RecordError | None:
        value = obj.get(id_field)
        if not isinstance(value, str) or not value.strip():
            return None
        first = self.first_line.setdefault(value, line)
        if first == line:
            return None
        return RecordError.of(self.file, line, value, id_field, say("duplicate_id", n=first))


def _right_id_field(obj: object) -> str | None:
    """The field that identifies a right in this record, or None for licences and unknown kinds."""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    if kind == "trademark":
        return "reg_no"
    if kind in ("invention", "utility_model", "design"):
        return "number"
    return None


def _uscc_warning(code: str | None, *, file: str, line: int, record_id: str | None,
                  field_name: str) -> RecordError | None:
    """A warning for a credit code that is not a valid one (kept: a typo'd code is still evidence). A code typed in
    full width (９１４４…) is kept as given but is not a typo: it is checked as its ASCII."""
    if not code:
        return None
    code = halfwidth(code)
    if len(code) != USCC_LENGTH:
        message = say("got_kept", message=say("uscc_warning_length", n=len(code), m=USCC_LENGTH),
                      got=describe_value(code))
    elif not uscc_check_character_ok(code):
        message = say("uscc_warning_check")
    else:
        return None
    return RecordError.of(file, line, record_id, field_name, message)


RecordCheck = Callable[[int, "str | None"], "RecordError | None"]
CellCheck = Callable[[int, "str | None"], "list[RecordError]"]


def check_registry(records: Iterable[tuple[int, Any]], *, file: str,
                   record_check: RecordCheck | None = None, cell_check: CellCheck | None = None) -> RegistryBatch:
    """Validate registry records, however they arrived: `(line or position, JSON-like value)` pairs.

    The plain-function path every source shares (files, web forms, feeds): nothing is read
    or stored here. `record_check` adds a source's own check of a record that passed (its size);
    `cell_check` the problems of cells no value was read from (RecordReader.cell_errors), which make
    any record invalid and replace its other errors of those fields.
    """
    batch = RegistryBatch(rights=[], licences=[], errors=[], lines=0)
    # Leads name a right by reg_no or number alike, so they share one id space.
    duplicates = _Duplicates(file)
    for line, obj in records:
        batch.lines = max(batch.lines, line)
        record: Right | Licence | None = None
        cells = _cells(cell_check, line, obj, "right")
        batch.errors.extend(cells)
        try:
            record = parse_registry_line(obj, file=file, line=line)
        except RecordValidationError as exc:
            batch.errors.extend(besides(exc.errors, cells))
        if cells:
            record = None
        id_field = _right_id_field(obj)
        if id_field is not None:
            duplicate = duplicates.check(obj, line, id_field)
            if duplicate is not None:
                batch.errors.append(duplicate)
                continue
        if record is not None and record_check is not None:
            problem = record_check(line, record.number if isinstance(record, Right) else record.right)
            if problem is not None:
                batch.errors.append(problem)
                continue
        if isinstance(record, Right):
            batch.rights.append(record)
        elif isinstance(record, Licence):
            batch.licences.append(record)
            warning = _uscc_warning(record.licensee_uscc, file=file, line=line, record_id=record.right,
                                    field_name="licensee_uscc")
            if warning is not None:
                batch.warnings.append(warning)
    return batch


def check_listings(records: Iterable[tuple[int, Any]], *, file: str,
                   record_check: RecordCheck | None = None, cell_check: CellCheck | None = None) -> ListingBatch:
    """Validate listing records, however they arrived: `(line or position, JSON-like value)` pairs.

    The plain-function path every source shares (files, web forms, a platform feed): nothing
    is read or stored here. Warnings (a seller credit code that is not a valid code) never
    block a batch. `record_check` and `cell_check` as for `check_registry`.
    """
    batch = ListingBatch(listings=[], errors=[], lines=0)
    duplicates = _Duplicates(file)
    for line, obj in records:
        batch.lines = max(batch.lines, line)
        listing: Listing | None = None
        cells = _cells(cell_check, line, obj)
        batch.errors.extend(cells)
        try:
            listing = parse_listing_line(obj, file=file, line=line)
        except RecordValidationError as exc:
            batch.errors.extend(besides(exc.errors, cells))
        if cells:
            listing = None
        if isinstance(obj, dict):
            duplicate = duplicates.check(obj, line, "id")
            if duplicate is not None:
                batch.errors.append(duplicate)
                continue
        if listing is None:
            continue
        if record_check is not None:
            problem = record_check(line, listing.id)
            if problem is not None:
                batch.errors.append(problem)
                continue
        batch.listings.append(listing)
        batch.raw.append((line, obj))
        warning = _uscc_warning(listing.seller.uscc, file=file, line=line, record_id=listing.id,
                                field_name="seller.uscc")
        if warning is not None:
            batch.warnings.append(warning)
    return batch


def _cells(cell_check: CellCheck | None, line: int, obj: object, *fallbacks: str) -> list[RecordError]:
    if cell_check is None:
        return []
    return cell_check(line, _record_id(obj, *fallbacks) if isinstance(obj, dict) else None)


def _by_line(errors: list[RecordError]) -> list[RecordError]:
    return sorted(errors, key=lambda e: e.line)


def _no_records(path: Path, reader: RecordReader) -> ImportFileError:
    if reader.lines == 0:
        why = say("empty_file")
    elif reader.format == "csv":
        why = say("header_only")
    else:
        why = say("blank_lines", n=reader.lines)
    return ImportFileError(str(path), why)


def read_registry(path: Path, *, fmt: str | None = None, encoding: str = "utf-8",
                  limits: ReadLimits = DEFAULT_LIMITS, progress: Progress | None = None) -> RegistryBatch:
    """Read a registry file (JSON Lines or CSV, .gz aware) into rights and licences, collecting record errors.

    Raises ImportFileError when the file cannot be read, is too big, or holds no records.
    """
    path = Path(path)
    errors: list[RecordError] = []
    reader = RecordReader(path, errors, fmt=fmt, encoding=encoding, limits=limits, progress=progress,
                          columns=REGISTRY_COLUMNS)
    batch = check_registry(reader, file=path.name, record_check=reader.oversize_error, cell_check=reader.cell_errors)
    batch.errors = _by_line(errors + batch.errors)
    batch.warnings = reader.warnings + batch.warnings
    batch.lines = reader.lines
    if not (batch.rights or batch.licences or batch.errors):
        raise _no_records(path, reader)
    return batch


def read_listings(path: Path, *, fmt: str | None = None, encoding: str = "utf-8",
                  limits: ReadLimits = DEFAULT_LIMITS, progress: Progress | None = None) -> ListingBatch:
    """Read a listings file (JSON Lines or CSV, .gz aware) into listings, collecting record errors.

    Raises ImportFileError when the file cannot be read, is too big, or holds no records.
    """
    path = Path(path)
    errors: list[RecordError] = []
    reader = RecordReader(path, errors, fmt=fmt, encoding=encoding, limits=limits, progress=progress,
                          columns=LISTING_COLUMNS)
    batch = check_listings(reader, file=path.name, record_check=reader.oversize_error, cell_check=reader.cell_errors)
    batch.errors = _by_line(errors + batch.errors)
    batch.warnings = reader.warnings + batch.warnings
    batch.lines = reader.lines
    if not (batch.listings or batch.errors):
        raise _no_records(path, reader)
    return batch
