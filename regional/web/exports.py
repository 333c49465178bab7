"""Lists as files an office can send on (CSV for any tool, .xlsx for Excel): the header row in the page's language,
cells that would start a spreadsheet formula kept as text (regional/formats/cells.py), every export audited (newcomer14 F47: an office sending a
weekly list of leads to its bureau had to copy the table by hand)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Response

from regional.formats.cells import as_text, csv_cell, formula_like

MAX_EXPORT_ROWS = 50_000  # one file; a wider period is exported in parts (the page says so)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """A CSV cell that cannot run as a formula in the reader's spreadsheet (CSV injection: a leading `'`)."""
    return csv_cell(value)


def table_bytes(fmt: str, sheet: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
                decimals: Mapping[int, int] | None = None) -> tuple[bytes, str]:
    """(file content, media type) of a table as CSV (UTF-8 with BOM, so Excel opens Chinese right) or .xlsx.

    `decimals`: column index -> places a number in it is written with, as the page shows it (newcomer16 N13: the
    page said 1.00, the file 0.9999): rounded, written "1.00" in CSV, a number with the format 0.00 in .xlsx."""
    places = dict(decimals or {})
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(sheet[:31])
        ws.append(list(header))
        for row in rows:
            out: list[Any] = []
            for k, c in enumerate(row):
                if k in places and _number(c):
                    cell = WriteOnlyCell(ws, value=round(float(c), places[k]))
                    cell.number_format = "0." + "0" * places[k] if places[k] else "0"
                    out.append(cell)
                elif formula_like(c):  # a text cell, value exact: nothing visible added (newcomer23 C)
                    out.append(as_text(WriteOnlyCell(ws, value=c)))
                else:
                    out.append(c)
            ws.append(out)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue(), XLSX
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{float(c):.{places[k]}f}" if k in places and _number(c) else safe_cell(c)
                         for k, c in enumerate(row)])
    return ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def download(data: bytes, media_type: str, name: str) -> Response:
    """The file as an attachment named `name` (ASCII: every browser keeps it)."""
    # content_type, not mimetype: werkzeug appends "; charset=utf-8" to a text/* mimetype, and ours has it already
    return Response(data, content_type=media_type, headers={"Content-Disposition": f"attachment; filename={name}"})
