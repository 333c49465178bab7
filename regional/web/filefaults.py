"""Why an uploaded file could not be read, in the officer's language.

The readers (regional/formats) refuse a whole file with an `ImportFileError`: its reason is written for the command
line in English and carries its reason code and parameters (regional/formats/messages.py). A web upload used to
answer every such refusal with one sentence ("cannot be read as JSON Lines, CSV or .xlsx, or holds no record"), so an
officer holding a GBK-encoded CSV, a damaged workbook or an empty file could not tell which it was. Here the reason's
code is sorted into the kinds an officer can act on; the reader's own words stay as the technical detail. A code not
sorted still gets the general sentence, with the detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext

from regional.formats.errors import ImportFileError
from regional.web.importmsgs import message_text


@dataclass(frozen=True)
class FileFault:
    """What to tell the officer and the reader's own words (for the technical detail), both translated."""

    kind: str
    message: str
    detail: str


def _where(exc: ImportFileError) -> str:
    return gettext(" (line %(line)s)", line=exc.line) if exc.line else ""


# ImportFileError's codes (rules of regional/formats/messages.py) -> the kind of fault an officer can act on;
# a code not named here is "other" (tests/unit/test_import_rules.py checks every whole-file code is named)
KINDS: dict[str, str] = {
    "gbk": "gbk", "encoding": "encoding", "utf16": "utf16",
    "xlsx_invalid": "xlsx", "xlsx_unreadable": "xlsx", "xlsx_row": "xlsx",
    "gzip_name": "gzip", "gzip": "gzip",
    "zip": "binary", "xls": "binary", "pdf": "binary", "gzip_unnamed": "binary", "image": "binary",
    "binary": "binary",
    "no_records": "empty", "empty_file": "empty", "header_only": "empty", "blank_lines": "empty",
    "too_large": "size", "xlsx_unpacks": "size", "too_many_records": "records",
    "no_column": "header", "no_sheet_column": "header", "same_field": "header",
    "csv_as_jsonl": "format", "wrong_kind": "kind",
    "directory": "other", "no_such_file": "other", "cannot_open": "other", "cannot_read": "other",
    "upload_kind": "other",
    "bundle_unreadable": "other", "bundle_entries": "size", "bundle_size": "size", "bundle_outside": "other",
    "bundle_symlink": "other", "bundle_listings": "other",
}


def describe(exc: ImportFileError) -> FileFault:
    """The kind of fault (from the reader's reason code) and a message naming what to do about it."""
    params = exc.params
    where = _where(exc)
    kind = KINDS.get(exc.code, "other")
    if kind == "gbk":
        message = gettext(
            "The file is not UTF-8: it looks GBK/GB18030-encoded (common for CSV saved by Excel)%(where)s. "
            "Choose the encoding GB18030 and upload it again, or save it as CSV UTF-8.", where=where)
    elif kind == "encoding":
        message = gettext("The file is not valid %(encoding)s text%(where)s: choose its encoding, or save it as CSV "
                          "UTF-8.", encoding=params.get("enc", "?"), where=where)
    elif kind == "utf16":
        message = gettext("The file is UTF-16 text (Excel's \"Unicode text\"): save it as CSV UTF-8 or .xlsx.")
    elif kind == "xlsx":
        message = gettext(
            "The file is not a readable .xlsx workbook (damaged, or another format under an .xlsx name)%(where)s: "
            "open it in Excel and save it again as .xlsx or CSV UTF-8.", where=where)
    elif kind == "gzip":
        message = gettext("The file's name ends in .gz but it is not gzip-compressed.")
    elif kind == "binary":
        message = gettext("The file is not a table: it is a document, an archive or a picture (.xls, PDF, ZIP, "
                          "PNG …). Save it as .xlsx or CSV UTF-8.")
    elif kind == "empty":
        message = gettext("The file holds no record.")
    elif kind == "size":
        message = gettext("The file is too large to import: split it into several files.")
    elif kind == "records":
        message = gettext("The file holds too many records: split it into several files.")
    elif kind == "header" and exc.code == "same_field":
        message = gettext("Two columns of the header row name the same field.")
    elif kind == "header":
        message = gettext("The header row lacks a required column: %(names)s (see the import format).",
                          names=params.get("names", "?"))
    elif kind == "kind":
        message = gettext("This does not look like the kind of file this form takes: no record has any of the fields "
                          "it needs (%(names)s). Was another file chosen?", names=params.get("names", "?"))
    elif kind == "format":
        message = gettext("The file looks like CSV but its name ends in .jsonl: name it .csv.")
    else:
        message = gettext("The file cannot be read as JSON Lines, CSV or .xlsx, or holds no record.")
    # the reader's own words in the page's language (the rule through the catalogue, as every import problem), naming
    # the upload form's choices rather than the command line's flags
    return FileFault(kind, message, message_text(exc.on_the_web().problem))


# The encodings an upload form offers (the readers accept any Python codec; offices have these two).
ENCODINGS = ("utf-8", "gb18030")


def chosen_encoding(value: str | None) -> str:
    """The form's encoding field, or UTF-8 when absent or not one offered."""
    return value if value in ENCODINGS else "utf-8"


def saved_name(name: str) -> str:
    """The name an uploaded file is saved under to be read: its own suffixes (the last two, lower case: `.csv.gz`,
    `.xlsm`) after a short stem. The reader then decides its format exactly as `hufu regional … import` decides a
    file's (regional/formats/source.py `detect_format`: the name's suffix, else the content), so a page and the
    command line take and refuse the same files (newcomer16 N2: an .xlsm was read by the CLI, refused by the page)."""
    path = Path(name)
    suffix = "".join(path.suffixes[-2:]).lower()
    stem = path.name[:len(path.name) - len(suffix)] if suffix else path.name
    return f"{stem[:60] or 'upload'}{suffix[:20]}"
