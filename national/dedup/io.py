"""Entity files: JSON lines in, one `{"id", "cluster"}` line per input id out.

A line that cannot be parsed, or has no usable or a repeated id, is skipped and reported; a
field of the wrong type is reported and ignored, the record kept, so every readable id still
gets exactly one output line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ENTITY_FIELDS = ("name", "uscc", "phone", "address", "shop_url", "region")


@dataclass(frozen=True, slots=True)
class LineError:
    """One problem in an input file, located by file, line and field."""

    file: str
    line: int
    field: str | None
    message: str
    skipped: bool

    def __str__(self) -> str:
        """'file:line: field: message (line skipped)'."""
        where = f"{self.file}:{self.line}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.message}" + (" (line skipped)" if self.skipped else " (field ignored)")


@dataclass
class Loaded:
    """Records that passed, their ids in input order, and the problems found."""

    ids: list[str]
    records: list[dict[str, object]]
    errors: list[LineError]
    line_numbers: list[int]


def parse_lines(lines: Iterable[str], file: str, fields: Sequence[str] = ENTITY_FIELDS,
                required: Sequence[str] = ("name",)) -> Loaded:
    """Parse and check JSON lines of entities."""
    ids: list[str] = []
    line_numbers: list[int] = []
    records: list[dict[str, object]] = []
    errors: list[LineError] = []
    seen: set[str] = set()
    loads = json.loads
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError as exc:
            errors.append(LineError(file, number, None, f"not valid JSON ({exc.args[0] if exc.args else exc})", True))
            continue
        if not isinstance(obj, dict):
            errors.append(LineError(file, number, None, f"expected a JSON object, got {type(obj).__name__}", True))
            continue
        raw_id = obj.get("id")
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
            errors.append(LineError(file, number, "id", "missing or not a non-empty string/integer", True))
            continue
        rid = str(raw_id)
        if rid in seen:
            errors.append(LineError(file, number, "id", f"duplicate id {rid!r}", True))
            continue
        seen.add(rid)
        record: dict[str, object] = {}
        for name in fields:
            value = obj.get(name)
            if value is None:
                if name in required:
                    errors.append(LineError(file, number, name, "missing", False))
                continue
            if not isinstance(value, str):
                errors.append(LineError(file, number, name, f"expected a string, got {type(value).__name__}", False))
                continue
            record[name] = value
        ids.append(rid)
        line_numbers.append(number)
        records.append(record)
    return Loaded(ids, records, errors, line_numbers)


def read_entities(path: str | Path, fields: Sequence[str] = ENTITY_FIELDS,
                  required: Sequence[str] = ("name",)) -> Loaded:
    """Read an entities JSONL file (UTF-8)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return parse_lines(handle, str(path), fields, required)


def write_clusters(path: str | Path, ids: Sequence[str], labels: npt.NDArray[np.int64]) -> None:
    """One line per id: the cluster is named by the id of its first record."""
    encoded = [json.dumps(i, ensure_ascii=False) for i in ids]
    with open(path, "w", encoding="utf-8") as out:
        batch = []
        for k, label in enumerate(labels.tolist()):
            batch.append(f'{{"id": {encoded[k]}, "cluster": {encoded[label]}}}\n')
            if len(batch) >= 100_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
