"""Reading and validating the interchange files (registry records and listings); pure, no database.

A bad record becomes a RecordError (file, line, record id, field, plain message) and reading
goes on; the caller decides what a batch with errors means (the node writes nothing, the
file-to-file detector skips the bad records). A file that cannot be read at all raises
ImportFileError.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from regional.domain import Licence, Listing, Right
from regional.formats.errors import (
    ImportFileError,
    RecordError,
    RecordValidationError,
    describe_value,
    from_pydantic,
)
from regional.formats.jsonl import iter_text_lines, parse_json_line, write_jsonl
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
from regional.formats.uscc import uscc_check_character_ok

__all__ = [
    "ImportFileError",
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

    `warnings` never block a batch: today they flag licensee codes whose check character is
    wrong (kept, because a typo'd code is still evidence).
    """

    rights: list[Right]
    licences: list[Licence]
    errors: list[RecordError]
    lines: int
    warnings: list[RecordError] = field(default_factory=list)


@dataclass
class ListingBatch:
    """What one listings file yielded: listings, errors, and the number of lines read."""

    listings: list[Listing]
    errors: list[RecordError]
    lines: int


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
    hints: Mapping[str, str],
) -> Any:
    try:
        return shape.model_validate(obj)
    except ValidationError as exc:
        errors = from_pydantic(exc, file=file, line=line, record_id=record_id, hints=hints)
        raise RecordValidationError(errors) from None


def _require_object(obj: object, *, file: str, line: int) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        names = {list: "a list", str: "text", bool: "true/false", type(None): "null"}
        got = names.get(type(obj), "a number")
        raise RecordValidationError(
            [RecordError(file, line, None, None, f"each line must be a JSON object, got {got}")]
        )
    return obj


def parse_registry_line(obj: dict[str, Any], *, file: str, line: int) -> Right | Licence:
    """Validate one registry record (`kind` picks the shape); raise RecordValidationError if it is bad."""
    obj = dict(_require_object(obj, file=file, line=line))
    kind = obj.get("kind")
    record_id = _record_id(obj, "right") if kind == "licence" else _record_id(obj)
    if kind is None:
        message = f"is required: one of {_KINDS}"
        raise RecordValidationError([RecordError(file, line, record_id, "kind", message)])
    if not isinstance(kind, str) or kind not in REGISTRY_SHAPES:
        message = f"must be one of {_KINDS} (got {describe_value(kind)})"
        raise RecordValidationError([RecordError(file, line, record_id, "kind", message)])
    record = _validate(
        REGISTRY_SHAPES[kind], obj, file=file, line=line, record_id=record_id, hints=REGISTRY_HINTS
    )
    return to_domain(kind, record)


def parse_listing_line(obj: dict[str, Any], *, file: str, line: int) -> Listing:
    """Validate one listing record; raise RecordValidationError if it is bad."""
    obj = dict(_require_object(obj, file=file, line=line))
    record = _validate(ListingIn, obj, file=file, line=line, record_id=_record_id(obj), hints=LISTING_HINTS)
    return listing_to_domain(record)


class _LineReader:
    """Decodes the non-blank lines of one file; lines that are not JSON become errors."""

    def __init__(self, path: Path, errors: list[RecordError]) -> None:
        self.path = path
        self.errors = errors
        self.lines = 0

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        for line, text in iter_text_lines(self.path):
            self.lines = line
            if not text.strip():
                continue
            try:
                yield line, parse_json_line(text)
            except ValueError as exc:
                self.errors.append(RecordError(self.path.name, line, None, None, f"not valid JSON: {exc}"))


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
        return RecordError(self.file, line, value, id_field, f"duplicate id: already used on line {first}")


def _right_id_field(obj: object) -> str | None:
    """The field that identifies a right in this record, or None for licences and unknown kinds."""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    if kind == "trademark":
        return "reg_no"
    if kind in ("invention", "utility_model", "design"):
        return "number"
    return None


def read_registry(path: Path) -> RegistryBatch:
    """Read a registry file (JSON Lines, .gz aware) into rights and licences, collecting record errors."""
    path = Path(path)
    batch = RegistryBatch(rights=[], licences=[], errors=[], lines=0)
    reader = _LineReader(path, batch.errors)
    # Leads name a right by reg_no or number alike, so they share one id space.
    duplicates = _Duplicates(path.name)
    for line, obj in reader:
        record: Right | Licence | None = None
        try:
            record = parse_registry_line(obj, file=path.name, line=line)
        except RecordValidationError as exc:
            batch.errors.extend(exc.errors)
        id_field = _right_id_field(obj)
        if id_field is not None:
            duplicate = duplicates.check(obj, line, id_field)
            if duplicate is not None:
                batch.errors.append(duplicate)
                continue
        if isinstance(record, Right):
            batch.rights.append(record)
        elif isinstance(record, Licence):
            batch.licences.append(record)
            if record.licensee_uscc and not uscc_check_character_ok(record.licensee_uscc):
                batch.warnings.append(
                    RecordError(
                        path.name,
                        line,
                        record.right,
                        "licensee_uscc",
                        "check character does not match: the code may contain a typo",
                    )
                )
    batch.lines = reader.lines
    return batch


def read_listings(path: Path) -> ListingBatch:
    """Read a listings file (JSON Lines, .gz aware) into listings, collecting record errors."""
    path = Path(path)
    batch = ListingBatch(listings=[], errors=[], lines=0)
    reader = _LineReader(path, batch.errors)
    duplicates = _Duplicates(path.name)
    for line, obj in reader:
        listing: Listing | None = None
        try:
            listing = parse_listing_line(obj, file=path.name, line=line)
        except RecordValidationError as exc:
            batch.errors.extend(exc.errors)
        if isinstance(obj, dict):
            duplicate = duplicates.check(obj, line, "id")
            if duplicate is not None:
                batch.errors.append(duplicate)
                continue
        if listing is not None:
            batch.listings.append(listing)
    batch.lines = reader.lines
    return batch
