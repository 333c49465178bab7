"""Excel workbooks (.xlsx): the first sheet read like a CSV file — a header row, then one record per row.

Read with openpyxl in read-only mode (rows are streamed, never the whole sheet in memory),
after checking the archive itself: its entries may not unpack to more than the file limit
(a zip bomb stops there). Cells become the text a CSV export of them would hold, so the
same column names, conversions and rules apply; "line" in messages is the sheet's row number.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from regional.formats.errors import ImportFileError
from regional.formats.messages import say
from regional.formats.source import ReadLimits

MAX_COLUMNS = 200  # columns read per row; a sheet's stray far-right cell does not widen every row
MAX_BLANK_ROWS = 10_000  # so many blank rows in a row end the sheet (formatting often reaches row 1,048,576)


def cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold (dates in ISO 8601, whole numbers without `.0`)."""
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


def xlsx_rows(path: Path, limits: ReadLimits,
              progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, list[str] | None]]:
    """`(row number, cell texts)` of the workbook's first sheet."""
    from openpyxl import load_workbook

    _check_archive(path, limits)
    name = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(name, say("xlsx_unreadable", why=f"{type(exc).__name__}: {exc}")) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        total = int(sheet.max_row or 0)
        blank = 0
        rowno = 0
        try:
            for rowno, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                if not cells:
                    blank += 1
                    if blank >= MAX_BLANK_ROWS:
                        break
                    continue
                blank = 0
                if progress is not None and rowno % 1000 == 0:
                    progress(rowno, max(total, rowno))
                yield rowno, cells
        except (ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError(name, say("xlsx_row", row=rowno, why=f"{type(exc).__name__}: {exc}"),
                                  line=rowno + 1) from exc
        if progress is not None:
            progress(max(total, rowno), max(total, rowno))
    finally:
        workbook.close()
