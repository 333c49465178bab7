"""Render a report's figures: HTML (the report page and the PDF's source), PDF (WeasyPrint) and XLSX (openpyxl).

The PDF is A4 with the office's name and the month in the header, page numbers in the footer,
SVG charts drawn as vectors and the CJK font embedded (subset) by WeasyPrint. The workbook has
one sheet per section; numbers are stored as numbers (percentages as ratios with a % format).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from regional.reports import charts
from regional.reports.labels import label, word
from regional.reports.periods import CST, Month

_INVALID_SHEET = re.compile(r"[\[\]:*?/\\]")


# a routing row's receiving body and its kind: empty for leads routed where no body of the directory fits (history
# confirmations without an agency), which the documents name as such rather than "—"
_AGENCY = ("agency", "label:agency_kind")


def cell_text(value: Any, kind: str, lang: str = "zh") -> str:
    """How a value of a column kind reads in the documents."""
    if kind in _AGENCY and value in (None, ""):  # leads routed where no body of the directory fits
        return word("no_agency", lang)
    if value is None or value == "":
        return "—"
    if kind.startswith("label:"):
        sub = kind.split(":", 1)[1]
        return label(sub, value, lang) if sub else word(str(value), lang)
    if kind == "int":
        return f"{int(value):,}"
    if kind == "num":
        return f"{float(value):,.1f}"
    if kind == "pct":
        return f"{float(value) * 100:+.1f}%"
    if kind == "time":
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M")
    return str(value)


def chart_svg(section: dict[str, Any], lang: str = "zh") -> str | None:
    """The section's chart as SVG, or None when it has none or nothing to draw."""
    spec = section.get("chart")
    # a row with none of the charted values is unknown (a region that has not reported), not a row of zeros
    rows = [r for r in section.get("rows") or [] if not spec or any(r.get(v) is not None for v in spec["values"])]
    if not spec or not rows:
        return None
    kinds = dict(section["columns"])
    label_kind = kinds.get(spec["label"], "text")
    labels = [cell_text(r.get(spec["label"]), label_kind, lang) for r in rows]
    if spec["kind"] == "line":
        labels = [str(r.get(spec["label"])) for r in rows]
    series = [(label("col", v, lang), [r.get(v) for r in rows]) for v in spec["values"]]
    if not any(x for _, vals in series for x in vals if x):
        return None
    if spec["kind"] == "line":
        return charts.line(labels, series)
    if spec["kind"] == "pie":
        return charts.pie(labels, [float(v or 0) for v in series[0][1]])
    return charts.bar(labels[:20], [(n, list(v)[:20]) for n, v in series])


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("regional.reports", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return env


def title_of(figures: dict[str, Any], lang: str = "zh") -> str:
    """'广东省知识产权局 2026年11月 知识产权保护月报'."""
    month = Month.parse(figures["month"])
    kind = "doc:title_national" if figures.get("kind") == "national" else "doc:title_region"
    when = month.label_zh if lang.startswith("zh") else str(month)
    return f"{figures.get('office', '')} {when} {word(kind, lang)}"


def html(figures: dict[str, Any], lang: str = "zh", *, standalone: bool = True) -> str:
    """The report as HTML: a whole document for the PDF, or (standalone=False) the body for a web page."""
    month = Month.parse(figures["month"])
    sections = []
    for s in figures["sections"]:
        svg = chart_svg(s, lang)
        sections.append({"key": s["key"], "title": label("section", s["key"], lang),
                         "headers": [label("col", name, lang) for name, _k in s["columns"]],
                         "kinds": [k for _n, k in s["columns"]],
                         "rows": [[(cell_text(r.get(name), k, lang), k) for name, k in s["columns"]]
                                  for r in s["rows"]],
                         "chart": Markup(svg) if svg else None})
    template = _env().get_template("report.html")
    return template.render(figures=figures, sections=sections, lang=lang, standalone=standalone,
                           title=title_of(figures, lang), office=figures.get("office", ""),
                           month=month.label_zh if lang.startswith("zh") else str(month),
                           generated=cell_text(figures.get("generated_at"), "time", lang),
                           word=lambda k: word(k, lang), page_words=word("doc:page", lang))


def pdf_bytes(figures: dict[str, Any], lang: str = "zh") -> bytes:
    """The report as an A4 PDF with the CJK font embedded."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the documents need

    return HTML(string=html(figures, lang)).write_pdf()  # type: ignore[no-any-return]


def xlsx_bytes(figures: dict[str, Any], lang: str = "zh") -> bytes:
    """The report as a workbook: one sheet per section, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from regional.formats.cells import as_text

    wb = Workbook()
    info = wb.active
    info.title = "报告信息" if lang.startswith("zh") else "About"
    month = Month.parse(figures["month"])
    for r in ([word("col:name", lang) if False else ("单位" if lang.startswith("zh") else "Office"),
               figures.get("office", "")],
              ["月份" if lang.startswith("zh") else "Month", str(month)],
              [word("doc:generated", lang), cell_text(figures.get("generated_at"), "time", lang)],
              ["报告" if lang.startswith("zh") else "Report", title_of(figures, lang)]):
        info.append(r)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 48
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE6F0")
    used: set[str] = set()
    for s in figures["sections"]:
        name = _INVALID_SHEET.sub(" ", label("section", s["key"], lang))[:31]
        base, k = name, 2
        while name in used:
            name = f"{base[:28]}({k})"
            k += 1
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([label("col", c, lang) for c, _kind in s["columns"]])
        for cell in ws[1]:
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in s["rows"]:
            values = []
            for c, kind in s["columns"]:
                v = row.get(c)
                if kind in _AGENCY:
                    values.append(cell_text(v, kind, lang))
                elif kind.startswith("label:"):
                    values.append(cell_text(v, kind, lang) if v not in (None, "") else "")
                elif kind in ("int", "num", "pct"):
                    values.append(None if v in (None, "") else (int(v) if kind == "int" else float(v)))
                elif kind == "time":
                    values.append(cell_text(v, kind, lang) if v else "")
                else:
                    values.append("" if v is None else v)
            ws.append(values)
            for cell in ws[ws.max_row]:
                # newcomer22 D1: a seller's name (platform data) such as =HYPERLINK(…) is text, never a formula
                # (a text cell with the quote-prefix style, as the lists' exports write it: regional/formats/cells.py)
                as_text(cell)
        for ci, (_c, kind) in enumerate(s["columns"], start=1):
            fmt = {"int": "#,##0", "num": "#,##0.0", "pct": "+0.0%;-0.0%;0.0%"}.get(kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=ci, max_col=ci):
                    cell.number_format = fmt
            ws.column_dimensions[get_column_letter(ci)].width = 26 if ci == 1 else 16
        ws.freeze_panes = "A2"
    wb.properties.title = title_of(figures, lang)
    wb.properties.creator = "Hufu"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


WRITERS: dict[str, Callable[[dict[str, Any], str], bytes]] = {".pdf": pdf_bytes, ".xlsx": xlsx_bytes}
MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def document(figures: dict[str, Any], fmt: str, lang: str = "zh") -> tuple[bytes, str]:
    """The report as a file's bytes in `fmt` (pdf or xlsx) and its media type (for a download)."""
    if fmt not in MIME:
        raise ValueError(f"a report is a pdf or an xlsx file, not {fmt!r}")
    return WRITERS[f".{fmt}"](figures, lang), MIME[fmt]


def write(figures: dict[str, Any], path: Path, lang: str = "zh") -> int:
    """Write the report in the format its file name's extension names (.pdf or .xlsx); returns the bytes written."""
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"{path}: the report is written as .pdf or .xlsx (the file's extension picks the format)")
    data = writer(figures, lang)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)  # never a half-written report under the real name
    return len(data)
