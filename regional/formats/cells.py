"""Exported table cells a spreadsheet must read as text, never as a formula (CSV/formula injection): text that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return. docs/formats.md, "Exports".

- .xlsx: the cell is a text cell (type `s`) with the "quote prefix" style — Excel's own mark of text typed with a
  leading `'` — so the value is kept exactly and nothing visible is added (newcomer23 C: the lists' and customs
  warnings' workbooks showed a leading `'` on such text).
- CSV has no types: a leading `'` is the only way to keep a spreadsheet from running it, so it is added there."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A CSV cell that cannot run as a formula in the reader's spreadsheet (a leading `'` when it could)."""
    return "'" + value if formula_like(value) else value


def as_text(cell: Any) -> Any:
    """An openpyxl cell (normal or write-only) holding formula-like text, made a text cell with the quote-prefix
    style: its value unchanged, shown as typed, never evaluated. Other cells are returned as they are."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
