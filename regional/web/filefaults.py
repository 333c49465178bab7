"""Why an uploaded file could not be read, in the officer's language.

The readers (regional/formats) refuse a whole file with an `ImportFileError` whose reason is written for the
command line in English. A web upload used to answer every such refusal with one sentence ("cannot be read as JSON
Lines, CSV or .xlsx, or holds no record"), so an officer holding a GBK-encoded CSV, a damaged workbook or an empty
file could not tell which it was. Here the reason is sorted into the kinds an officer can act on; the reader's own
words stay as the technical detail. An unknown reason still gets the general sentence, with the detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext

from regional.formats.errors import ImportFileError


@dataclass(frozen=True)
class FileFault:
    """What to tell the officer (translated) and the reader's own words (for the technical detail)."""

    kind: str
    message: str
    detail: str


def _where(exc: ImportFileError) -> str:
    return gettext(" (line %(line)s)", line=exc.line) if exc.line else ""


def describe(exc: ImportFileError) -> FileFault:
    """The kind of fault and a message naming what to do about it."""
    reason = exc.reason
    where = _where(exc)
    if "looks GBK" in reason:
        return FileFault("gbk", gettext(
            "The file is not UTF-8: it looks GBK/GB18030-encoded (common for CSV saved by Excel)%(where)s. "
            "Choose the encoding GB18030 and upload it again, or save it as CSV UTF-8.", where=where), reason)
    found = re.match(r"is not valid ([\w-]+):", reason)
    if found:
        return FileFault("encoding", gettext(
            "The file is not valid %(encoding)s text%(where)s: choose its encoding, or save it as CSV UTF-8.",
            encoding=found.group(1), where=where), reason)
    if reason.startswith("is UTF-16"):
        return FileFault("utf16", gettext(
            "The file is UTF-16 text (Excel's \"Unicode text\"): save it as CSV UTF-8 or .xlsx."), reason)
    if "valid .xlsx workbook" in reason or "as an .xlsx workbook" in reason or "cannot be read past row" in reason:
        return FileFault("xlsx", gettext(
            "The file is not a readable .xlsx workbook (damaged, or another format under an .xlsx name)%(where)s: "
            "open it in Excel and save it again as .xlsx or CSV UTF-8.", where=where), reason)
    if "not a valid gzip" in reason:
        return FileFault("gzip", gettext("The file's name ends in .gz but it is not gzip-compressed."), reason)
    if ", not a text file" in reason:
        return FileFault("binary", gettext(
            "The file is not a table: it is a document or an archive (.xls, PDF, ZIP). Save it as .xlsx or CSV "
            "UTF-8."), reason)
    if reason == "contains no records":
        return FileFault("empty", gettext("The file holds no record."), reason)
    if reason.startswith(("is larger than", "unpacks to")):
        return FileFault("size", gettext("The file is too large to import: split it into several files."), reason)
    if reason.startswith("has more than"):
        return FileFault("records", gettext("The file holds too many records: split it into several files."),
                         reason)
    if "header row has no" in reason:
        found = re.search(r"has no (.+?) column", reason)
        return FileFault("header", gettext(
            "The header row lacks a required column: %(names)s (see the import format).",
            names=found.group(1) if found else "?"), reason)
    if "of the header row both" in reason:
        return FileFault("header", gettext("Two columns of the header row name the same field."), reason)
    if "looks like a CSV header row" in reason:
        return FileFault("format", gettext(
            "The file looks like CSV but its name ends in .jsonl: name it .csv."), reason)
    return FileFault("other", gettext("The file cannot be read as JSON Lines, CSV or .xlsx, or holds no record."),
                     reason)


# The encodings an upload form offers (the readers accept any Python codec; offices have these two).
ENCODINGS = ("utf-8", "gb18030")


def chosen_encoding(value: str | None) -> str:
    """The form's encoding field, or UTF-8 when absent or not one offered."""
    return value if value in ENCODINGS else "utf-8"
