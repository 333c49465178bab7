"""Excel workbooks (.xlsx): the first sheet read like a CSV file — a header row, then one record per row.

Read with openpyxl in read-only mode (rows are streamed, never the whole sheet in memory),
after checking the archive itself: its entries may not unpack to more than the file limit
(a zip bomb stops there). Cells become the text a CSV export of them would hold, so the
same column names, conversions and rules apply; "line" in messages is the sheet's row number.

A cell that holds a formula is read as its calculated value, the one the saving program stored with it.
Excel stores one; openpyxl and many other tools that write workbooks do not. Such a cell is not empty:
it is read as a `Formula` (its text, e.g. `=A2*2`), which the table reader reports as the record's problem
with that field (newcomer16 N1: a filled required cell was called missing, an optional one dropped).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from regional.formats.errors import ImportFileError
from regional.formats.jsonl import NotFinite
from regional.formats.messages import say
from regional.formats.source import ReadLimits

MAX_COLUMNS = 200  # columns read per row; a sheet's stray far-right cell does not widen every row
MAX_BLANK_ROWS = 10_000  # so many blank rows in a row end the sheet (formatting often reaches row 1,048,576)


class Formula(str):
    """A cell holding a formula without a calculated value (its text is the formula, `=A2*2`): not empty, not a
    value either. Readers of sheet rows tell it apart by its type (`regional.formats.csvfile.TableRecords`)."""

    __slots__ = ()


def cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold (dates in ISO 8601, whole numbers without `.0`)."""
    if isinstance(value, Formula | NotFinite):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _check_archive(path: Path, limits: ReadLimits) -> None:
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(name, say("xlsx_invalid", why=exc)) from exc
    unpacked = sum(e.file_size for e in entries)
    if unpacked > limits.max_file_bytes:
        raise ImportFileError(name, say("xlsx_unpacks", size=f"{unpacked:,}", max=f"{limits.max_file_bytes:,}"))


def _calculated_empty(cell: Any, value: Any) -> bool:
    """Whether a formula cell's stored value is a calculated empty text (not a missing value)."""
    return value is not None and cell.get("t") in ("str", "s", "inlineStr")


def _parser_class() -> type:
    """openpyxl's sheet parser, reading a formula cell without a stored value as a `Formula` instead of None.

    openpyxl (read-only, `data_only`) gives the stored value of a formula cell, and None when there is none, the
    same as an empty cell; the `<f>` element that tells them apart is only seen here. A formula whose stored
    value is empty text (`=IF(A1="","",…)` saved by Excel: `t="str"` and `<v></v>`) is a calculated empty cell;
    openpyxl writes an empty `<v/>` under a formula of any other type, which is no value at all."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class FormulaAwareParser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            value = cell["value"]
            if isinstance(value, float) and value - value != 0:  # <v>1e400</v>: no float holds it (newcomer23 D)
                cell["value"] = NotFinite((element.findtext(VALUE_TAG) or "")[:100])
            elif value is None:
                formula = element.find(FORMULA_TAG)
                if formula is not None and not _calculated_empty(element, element.find(VALUE_TAG)):
                    cell["value"] = Formula("=" + (formula.text or "").strip()[:200])
            return cell

    return FormulaAwareParser


def xlsx_rows(path: Path, limits: ReadLimits,
              progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, list[str] | None]]:
    """`(row number, cell texts)` of the workbook's first sheet; a formula cell without a stored value is a
    `Formula`. A macro workbook (.xlsm) is read the same way."""
    _check_archive(path, limits)
    name = str(path)
    with open(path, "rb") as handle:  # a file, not a name: openpyxl would refuse names other than .xlsx/.xlsm
        yield from _rows(handle, name, limits, progress)


_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v>[^<]|is>|f[ >/])")  # a stored value, an inline text, a formula


def _row_past_limit(source: Any, limits: ReadLimits) -> int | None:
    """The row of record `max_records + 1` of a sheet (the first row with a value is the header), or None.

    A scan of the sheet's XML for rows holding a value, far faster than reading the cells: a sheet whose
    dimension claims more rows than the limit (formatting often reaches row 1,048,576) is counted before any is
    read (newcomer16 N3). The count can only be high by rows whose every value is blank text."""
    rows = -1  # the header is no record
    number = 0
    tail = b""
    while chunk := source.read(1 << 20):
        buffer = tail + chunk
        end = 0
        for match in _ROW.finditer(buffer):
            end = match.end()
            found = _ROW_NUMBER.search(match.group(1))
            number = int(found.group(1)) if found else number + 1
            if match.group(2) and _HAS_VALUE.search(match.group(2)):
                rows += 1
                if rows > limits.max_records:
                    return number
        tail = buffer[end:]
        if len(tail) > limits.max_line_bytes:  # one row this long is not a sheet the scan can count
            return None
    return None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Z]{1,3})\$?([0-9]+):\$?([A-Z]{1,3})\$?([0-9]+)"')


def _merged_ranges(source: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells as (first row, first column, last row, last column), ordered by first row.

    Excel shows a merged range's one value (its top-left cell's) across the whole range, and an office merges the
    seller or category cells of the rows that share them; the file stores the value in the top-left cell only
    (newcomer22 D4: the other rows were imported without it, in silence). The ranges come after the rows in the
    sheet's XML, so they are scanned for first."""
    from openpyxl.utils.cell import column_index_from_string

    found = []
    tail = b""
    while chunk := source.read(1 << 20):
        buffer = tail + chunk
        found.extend(_MERGE.findall(buffer))
        tail = buffer[-256:] if not buffer.endswith(b">") else b""
    out = {(int(r1), column_index_from_string(c1.decode()), int(r2), column_index_from_string(c2.decode()))
           for c1, r1, c2, r2 in found}
    return sorted((min(a, c), min(b, d), max(a, c), max(b, d)) for a, b, c, d in out
                  if (a, b) != (c, d))


def _fill_merged(rowno: int, values: dict[int, object], ranges: list[tuple[int, int, int, int]],
                 anchors: dict[tuple[int, int], object]) -> None:
    """Give every cell of a merged range in row `rowno` the range's value (its top-left cell's), as Excel shows it.
    `ranges`: the ranges covering this row; `anchors`: the top-left values seen so far."""
    for r1, c1, _r2, c2 in ranges:
        if rowno == r1:
            anchors[r1, c1] = values.get(c1)
        value = anchors.get((r1, c1))
        if value is None:
            continue
        for col in range(c1, min(c2, MAX_COLUMNS) + 1):
            if (rowno, col) != (r1, c1):
                values[col] = value


def _rows(handle: Any, name: str, limits: ReadLimits,
          progress: Callable[[int, int], None] | None) -> Iterator[tuple[int, list[str] | None]]:
    from openpyxl import load_workbook

    try:
        # a macro workbook (.xlsm) reads like an .xlsx: its macros (xl/vbaProject.bin) are never run nor kept
        workbook = load_workbook(handle, read_only=True, data_only=True, keep_vba=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(name, say("xlsx_unreadable", why=f"{type(exc).__name__}: {exc}")) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        total = int(sheet.max_row or 0)
        if total > limits.max_records + 1:  # it may be over the limit: count before reading (the reader counts too)
            with workbook._archive.open(sheet._worksheet_path) as source:  # noqa: SLF001
                over = _row_past_limit(source, limits)
            if over is not None:
                raise ImportFileError(name, say("too_many_records", n=f"{limits.max_records:,}"), line=over)
        last = 0  # the last row with a value
        rowno = 0
        try:
            # the sheet's rows as stored (openpyxl's private parser, so formula cells are seen: see _parser_class);
            # rows the file leaves out are blank, and the dimension the file claims does not cut the reading short
            with workbook._archive.open(sheet._worksheet_path) as source:  # noqa: SLF001
                merged = _merged_ranges(source)
            active: list[tuple[int, int, int, int]] = []  # the merged ranges reaching the current row
            anchors: dict[tuple[int, int], object] = {}
            with workbook._archive.open(sheet._worksheet_path) as source:  # noqa: SLF001
                parser = _parser_class()(source, sheet._shared_strings, data_only=True,  # noqa: SLF001
                                         epoch=workbook.epoch, date_formats=workbook._date_formats,  # noqa: SLF001
                                         timedelta_formats=workbook._timedelta_formats)  # noqa: SLF001
                for rowno, row in parser.parse():
                    if rowno - last > MAX_BLANK_ROWS:
                        break
                    values: dict[int, object] = {c["column"]: c["value"] for c in row if c["column"] <= MAX_COLUMNS}
                    if merged or active:
                        while merged and merged[0][0] <= rowno:
                            active.append(merged.pop(0))
                        active = [r for r in active if r[2] >= rowno]
                        _fill_merged(rowno, values, active, anchors)
                    cells = [cell_text(values.get(i)) for i in range(1, max(values, default=0) + 1)]
                    while cells and not cells[-1]:
                        cells.pop()
                    if not cells:
                        continue
                    last = rowno
                    if progress is not None and rowno % 1000 == 0:
                        progress(rowno, max(total, rowno))
                    yield rowno, cells
        except (ValueError, KeyError, TypeError, AttributeError, SyntaxError, zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError(name, say("xlsx_row", row=rowno, why=f"{type(exc).__name__}: {exc}"),
                                  line=rowno + 1) from exc
        if progress is not None:
            progress(max(total, rowno), max(total, rowno))
    finally:
        workbook.close()
