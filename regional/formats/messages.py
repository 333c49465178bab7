"""Every rule an importer can break, written once: a key and its English sentence.

The readers (regional/formats, regional/importers.py, the pilot readers) say a record's problem or a
whole file's refusal as a `Problem`: a key of `RULES` and its parameters. Its English text (`str()`) is
what the command line prints and what `message` / `reason` hold, unchanged. The web UI translates the
key's sentence (a catalogue message of context "import_problem": regional/web/catalogue.py extracts this
file, the Chinese is in regional/web/translations/zh_CN/LC_MESSAGES/imports.po) and fills in the same
parameters, so a rule added here without a translation fails tests/unit/test_import_rules.py.

`read()` turns a stored English sentence back into a Problem by matching it against these same sentences:
only for audit entries written before the structured parts were stored (and for sentences from a module
outside the readers, sync.limits). It is built from `RULES`, so no rule is written twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

CONTEXT = "import_problem"


def _m(context: str, message: str) -> str:
    """Mark a message (with its context) for the catalogue; the web UI translates it when rendering."""
    return message


RULES: dict[str, str] = {
    # pydantic's errors in plain words (regional/formats/errors.py)
    "required": _m("import_problem", "is required"),
    "text": _m("import_problem", "must be text"),
    "list": _m("import_problem", "must be a list"),
    "object": _m("import_problem", "must be an object"),
    "whole_number": _m("import_problem", "must be a whole number"),
    "number": _m("import_problem", "must be a number"),
    "finite_number": _m("import_problem", "must be a finite number"),
    "boolean": _m("import_problem", "must be true or false"),
    "one_of": _m("import_problem", "must be one of %(values)s"),
    "required_one_of": _m("import_problem", "is required: one of %(values)s"),
    "at_least": _m("import_problem", "must be at least %(n)s"),
    "at_most": _m("import_problem", "must be at most %(n)s"),
    "more_than": _m("import_problem", "must be more than %(n)s"),
    "less_than": _m("import_problem", "must be less than %(n)s"),
    "got": _m("import_problem", "%(message)s (got %(got)s)"),
    "got_kept": _m("import_problem", "%(message)s (got %(got)s); kept as given"),
    # field rules (regional/formats/records.py: the validators, REGISTRY_HINTS, LISTING_HINTS)
    "nul": _m("import_problem", "must not contain NUL characters"),
    "surrogate_escape": _m("import_problem", "contains an invalid character (an unpaired \\u surrogate escape)"),
    "blank": _m("import_problem", "must not be empty"),
    "iso_date": _m("import_problem", "must be an ISO 8601 date like 2031-05-27"),
    "iso_datetime": _m("import_problem", "must be an ISO 8601 date-time like 2026-11-02T10:00:00+08:00"),
    "no_such_day": _m("import_problem", "names a day the calendar does not have: %(month)s has %(days)s days"),
    "locarno": _m("import_problem", 'must be a Locarno class and subclass like "07-02"'),
    "relative_path": _m("import_problem", "must be a path relative to the registry file, not an absolute path or URL"),
    "inside_folder": _m("import_problem", "must stay inside the registry file's folder ('..' is not allowed)"),
    "web_url": _m("import_problem", "must be an http:// or https:// URL without spaces, like https://item.example/1"),
    "web_url_scheme": _m("import_problem", "must be an http:// or https:// URL, not a %(scheme)s: URL"),
    "image_ref": _m("import_problem", "must be an http:// or https:// URL without spaces, or a relative path"),
    "image_ref_scheme": _m("import_problem",
                           "must be an http:// or https:// URL or a relative path, not a %(scheme)s: URL"),
    "absolute_url": _m("import_problem",
                       "must be an absolute http:// or https:// URL with a host, like https://shop.example.cn/item/1"),
    "not_before_valid_from": _m("import_problem", "must not be before valid_from"),
    "nice_classes": _m("import_problem", "must be a list of integers 1..45"),
    "counterparts": _m("import_problem", "must be a list of the mark's forms in other scripts (text, at most 10)"),
    "ipc": _m("import_problem", "must be a list of IPC symbols (text)"),
    "image_paths": _m("import_problem", "must be a list of image paths relative to the registry file"),
    "non_negative": _m("import_problem", "must be a number of at least 0"),
    "image_refs": _m("import_problem", "must be a list of image URLs (http/https) or relative paths"),
    "seller": _m("import_problem", "must be an object with name, uscc, phone, address, shop_url"),
    "emark": _m("import_problem", "must be the e-mark's text (at most 2,048 characters)"),
    "outer_spaces": _m("import_problem", "must not begin or end with spaces"),
    "uscc_length": _m("import_problem", "must be an %(n)s-character unified social credit code"),
    "uscc_warning_length": _m("import_problem",
                              "is not a unified social credit code: %(n)s character(s), a code has %(m)s"),
    "uscc_warning_check": _m("import_problem",
                             "check character does not match: the code may contain a typo; kept as given"),
    # field limits (sync/limits.py, read back: that module is shared with the national node)
    "too_long": _m("import_problem", "is %(n)s characters long; at most %(max)s are allowed"),
    "too_many_bytes": _m("import_problem", "is %(n)s bytes in UTF-8; at most %(max)s are allowed"),
    "too_many_items": _m("import_problem", "has %(n)s items; at most %(max)s are allowed"),
    "item": _m("import_problem", "item %(i)s %(message)s"),
    "out_of_range": _m("import_problem", "is %(value)s; it must be from %(lo)s to %(hi)s"),
    "control_one_line": _m("import_problem",
                           "contains the control character %(ch)s at character %(n)s (this field is one line of text)"),
    "control": _m("import_problem", "contains the control character %(ch)s at character %(n)s"),
    "nul_at": _m("import_problem", "contains a NUL character (U+0000) at character %(n)s"),
    "invisible": _m("import_problem", "contains the invisible character %(ch)s at character %(n)s"),
    "surrogate": _m("import_problem", "is not valid UTF-8 (an unpaired surrogate %(ch)s at character %(n)s)"),
    # the pilot customs readers (regional/customs/core.py)
    "control_chars": _m("import_problem", "holds control characters"),
    "number_range": _m("import_problem", "must be a number from 0 to %(max)s"),
    "required_date": _m("import_problem", "is required (YYYY-MM-DD)"),
    "date": _m("import_problem", "must be a date YYYY-MM-DD"),
    "country": _m("import_problem", "must be a two-letter ISO 3166 country code such as US or DE"),
    "party": _m("import_problem", "must be an object with name and uscc"),
    "declaration_no": _m("import_problem", "must be 6-30 letters, digits or '-' (报关单号, usually 18 digits)"),
    "direction": _m("import_problem", "must be import (进口) or export (出口)"),
    "hs_code": _m("import_problem", "must be an HS code of 4, 6, 8 or 10 digits (dots allowed)"),
    "hs_code_plain": _m("import_problem", "must be an HS code of 4, 6, 8 or 10 digits"),
    "currency": _m("import_problem", "must be a three-letter ISO 4217 code such as CNY or USD"),
    "domestic_consignor": _m("import_problem",
                             "the consignor of an export (the party in this province) needs a name or a credit code"),
    "domestic_consignee": _m("import_problem",
                             "the consignee of an import (the party in this province) needs a name or a credit code"),
    "right_number": _m("import_problem", "must be a right number of the registry"),
    "licensees": _m("import_problem", "must be a list of at most 200 {name, uscc}"),
    "country_required": _m("import_problem", "is required (ISO 3166 two-letter code)"),
    "right_kind": _m("import_problem", "must be trademark, invention, utility_model or design"),
    "ipc_list": _m("import_problem", "must be a list of at most 50 IPC symbols"),
    "nice_1_45": _m("import_problem", "must be Nice classes 1..45"),
    "product_code": _m("import_problem", "must be 1-40 letters, digits, '-', '_' or '.'"),
    "destinations": _m("import_problem", "name 1 to 60 destination markets (ISO country codes)"),
    # the exhibitions rules (regional/exhibitions/core.py, service.py: ExhibitionError and the filing's errors)
    "ex_wrong_state": _m("import_problem", "a complaint that is %(state)s cannot be given '%(action)s'"),
    "ex_resolution_needed": _m("import_problem", "say how it was resolved: %(values)s"),
    "ex_resolution_only": _m("import_problem", "a resolution is given only when resolving"),
    "ex_hours": _m("import_problem", "must be a whole number of hours from 1 to %(max)s"),
    "ex_code": _m("import_problem", "must be 1-40 letters, digits, '-' or '_', starting with a letter or digit"),
    "ex_booth": _m("import_problem", "must be 1-24 letters, digits or Chinese characters (and '-', '_', '.')"),
    "ex_region": _m("import_problem", "must be a six-digit province code such as 110000"),
    "ex_ends_before_start": _m("import_problem", "must not be before the first day"),
    "ex_show_days": _m("import_problem", "a show lasts at most %(n)s days"),
    "ex_halls_many": _m("import_problem", "at most %(n)s halls"),
    "ex_hall_name": _m("import_problem", "a hall's name has at most %(n)s characters"),
    "ex_hall_twice": _m("import_problem", "a hall is named twice"),
    "ex_phone": _m("import_problem", "must be a telephone number"),
    "ex_photos_many": _m("import_problem", "at most %(n)s photos"),
    "ex_photo": _m("import_problem", "each photo is an http(s) address or a relative path of at most 500 characters"),
    "ex_rights_many": _m("import_problem", "at most %(n)s rights"),
    "ex_right_number": _m("import_problem", "'%(right)s' is not a right number"),
    "ex_code_exists": _m("import_problem", "an exhibition with the code %(code)s exists already"),
    "ex_unknown_hall": _m("import_problem", "the show has no hall '%(hall)s' (it has %(halls)s)"),
    "ex_chars": _m("import_problem", "at most %(n)s characters"),
    "ex_no_booth_named": _m("import_problem", "name at least one booth"),
    "ex_booths_many": _m("import_problem", "a show has at most %(n)s booths"),
    "ex_unknown_booth": _m("import_problem", "the show has no booth %(booth)s"),
    "ex_booth_taken": _m("import_problem", "booth %(booth)s is registered to %(name)s already"),
    "ex_uscc_registered": _m("import_problem", "an exhibitor with this credit code is registered for this show already"),
    "ex_signer": _m("import_problem", "name who signs (at most 100 characters)"),
    "ex_no_exhibitor": _m("import_problem", "no exhibitor is registered for booth %(booth)s"),
    "ex_no_pledge": _m("import_problem", "the exhibitor at booth %(booth)s has not signed the non-infringement pledge"),
    "ex_filed_twice": _m("import_problem", "exhibit %(number)s is filed twice in this file (line %(line)s)"),
    "ex_other_booth": _m("import_problem", "exhibit %(number)s was filed for another booth"),
    "ex_exhibits_many": _m("import_problem", "an exhibitor files at most %(n)s exhibits"),
    "ex_unknown_complaint": _m("import_problem", "the show has no complaint %(number)s"),
    "ex_dismiss_note": _m("import_problem", "say why the complaint does not hold"),
    # a listing's evidence: images, page capture, attachments (regional/evidence/intake.py)
    "ev_path_text": _m("import_problem", "must be a path inside the import bundle (text)"),
    "ev_path_relative": _m("import_problem", "must be a path relative to the listings file inside the bundle "
                                             "(no absolute path, no '..')"),
    "ev_outside": _m("import_problem", "%(path)s leads outside the import bundle (a symbolic link?)"),
    "ev_missing": _m("import_problem", "file %(path)s is not in the import bundle (next to the listings file)"),
    "ev_file_large": _m("import_problem", "file %(path)s is larger than %(mib)s MiB"),
    "ev_base64_text": _m("import_problem", "must be base64 text"),
    "ev_inline_large_hint": _m("import_problem", "is larger than %(mib)s MiB once decoded; put the file in an import "
                                                 "bundle instead"),
    "ev_base64": _m("import_problem", "is not valid base64"),
    "ev_inline_large": _m("import_problem", "is larger than %(mib)s MiB once decoded"),
    "ev_media_type": _m("import_problem", "must be a media type like image/png"),
    "ev_inline_total": _m("import_problem", "the record's inline attachments add up to more than %(mib)s MiB; put the "
                                            "files in an import bundle instead"),
    "ev_images": _m("import_problem", "at most %(n)s images per record"),
    "ev_page": _m("import_problem", "must be an object with html and/or screenshot (paths in the bundle)"),
    "ev_page_empty": _m("import_problem", "names neither html nor screenshot"),
    "ev_attachments": _m("import_problem", "must be a list of {name, media_type, data_base64 | path}"),
    "ev_attachments_many": _m("import_problem", "at most %(n)s attachments per record"),
    "ev_attachment": _m("import_problem", "must be an object {name, media_type, data_base64 | path}"),
    "ev_attachment_one": _m("import_problem", "must carry exactly one of data_base64 (inline) or path (in the bundle)"),
    "ev_attachment_name": _m("import_problem", "must be a file name of 1–200 characters"),
    "ev_canonical": _m("import_problem", "cannot be kept as canonical JSON: %(why)s"),
    # records and lines (regional/formats/source.py, csvfile.py, checked.py, regional/importers.py)
    "json_object": _m("import_problem", "must be a JSON object"),
    "line_not_object": _m("import_problem", "each line must be a JSON object, got %(got)s"),
    "json": _m("import_problem", "not valid JSON: %(reason)s"),
    "json_at": _m("import_problem", "not valid JSON: %(reason)s (column %(col)s)"),
    "json_constant": _m("import_problem", "%(constant)s is not allowed in JSON"),
    "json_control": _m("import_problem", "a control character (tab, line break …) inside a string must be escaped"),
    "json_unclosed": _m("import_problem", 'a string is not closed (missing ")'),
    "json_escape": _m("import_problem", "invalid backslash escape"),
    "json_extra": _m("import_problem", "more data after the end of the JSON object (one object per line)"),
    "json_value": _m("import_problem", "expected a JSON value"),
    "json_deep": _m("import_problem", "nested too deeply"),
    "csv_row": _m("import_problem", "not a valid CSV row: %(detail)s"),
    "csv_cells": _m("import_problem",
                    "has %(n)s cells but the header row has %(m)s columns (a comma inside a cell must be quoted)"),
    "sheet_cells": _m("import_problem", "has %(n)s cells but the header row has %(m)s columns"),
    "number_too_large": _m("import_problem", "is a number too large to be stored (got %(got)s)"),
    "formula_no_value": _m("import_problem", "the cell is a formula without a calculated value: open the workbook in "
                                             "Excel and save it again, or paste the cells as values"),
    "record_too_big": _m("import_problem", "record is %(size)s long; at most %(max)s are allowed per record"),
    "line_too_big": _m("import_problem",
                       "line is %(size)s long; a record may have at most %(max)s, so this line was not read"),
    "twice_in_file": _m("import_problem", "appears twice in this file (line %(n)s)"),
    "duplicate_id": _m("import_problem", "duplicate id: already used on line %(n)s"),
    "unknown_right": _m("import_problem", "right %(right)s is not in this node's registry"),
    "unknown_column": _m("import_problem", "column '%(name)s' is not a field of this format and is ignored"),
    # whole files: ImportFileError's codes
    "directory": _m("import_problem", "is a directory, not a file"),
    "no_such_file": _m("import_problem", "cannot be opened (no such file)"),
    "cannot_open": _m("import_problem", "cannot be opened (%(why)s)"),
    "cannot_read": _m("import_problem", "cannot be read (%(why)s)"),
    "gzip_name": _m("import_problem", "is not a valid gzip file (its name ends in .gz, its content is not gzip)"),
    "gzip": _m("import_problem", "is not a valid gzip file (%(why)s)"),
    "gzip_unnamed": _m("import_problem",
                       "is gzip-compressed but its name does not end in .gz, not a text file: rename it to end in .gz"),
    "zip": _m("import_problem", "is a ZIP archive (an Excel .xlsx workbook? name it .xlsx to import its first sheet), "
                                "not a text file: save it as CSV UTF-8 (Excel: 另存为 → CSV UTF-8（逗号分隔）) or export "
                                "JSON Lines"),
    "xls": _m("import_problem", "is an old Excel/Office document (.xls), not a text file: save it as CSV UTF-8 "
                                "(Excel: 另存为 → CSV UTF-8（逗号分隔）) or export JSON Lines"),
    "pdf": _m("import_problem", "is a PDF document, not a text file: save it as CSV UTF-8 (Excel: 另存为 → CSV "
                                "UTF-8（逗号分隔）) or export JSON Lines"),
    "image": _m("import_problem", "is a picture (PNG, JPEG, GIF …), not a table: choose the CSV, .xlsx or JSON Lines "
                                  "file"),
    "binary": _m("import_problem", "is not a text file (it holds NUL bytes: a program's or a picture's data), not a "
                                   "table: choose the CSV, .xlsx or JSON Lines file"),
    "utf16": _m("import_problem", "is UTF-16 text (Excel 'Unicode text'): save it as UTF-8 (CSV UTF-8 or JSON Lines)"),
    "gbk": _m("import_problem", "is not valid %(enc)s: byte %(byte)s at column %(col)s cannot be decoded; the file "
                                "looks GBK/GB18030-encoded (common for CSV saved by Excel): save it as UTF-8, or "
                                "import it with --encoding gb18030"),
    # the same two, as the technical detail under a web upload's refusal (the form's choice, not the CLI's flags)
    "gbk_form": _m("import_problem", "is not valid %(enc)s: byte %(byte)s at column %(col)s cannot be decoded; the "
                                     "file looks GBK/GB18030-encoded (common for CSV saved by Excel): save it as "
                                     "UTF-8, or choose the encoding GB18030 on the upload form"),
    "csv_as_jsonl_form": _m("import_problem", "line 1 looks like a CSV header row, not JSON: only JSON Lines and CSV "
                                              "are accepted; name the file .csv to import it as CSV"),
    "encoding": _m("import_problem", "is not valid %(enc)s: byte %(byte)s at column %(col)s cannot be decoded; save "
                                     "the file as UTF-8"),
    "too_large": _m("import_problem", "is larger than %(size)s (uncompressed): split it into several files"),
    "too_many_records": _m("import_problem", "has more than %(n)s records: split it into several files"),
    "csv_as_jsonl": _m("import_problem", "line 1 looks like a CSV header row, not JSON: only JSON Lines and CSV are "
                                         "accepted; name the file .csv (or pass --format csv) to import it as CSV"),
    "no_column": _m("import_problem", "the header row has no %(names)s column: the first row of a CSV file names its "
                                      "columns (see docs/formats.md); it has: %(has)s"),
    "no_sheet_column": _m("import_problem", "the header row has no %(names)s column: the first row of a sheet names "
                                            "its columns (see docs/formats.md); it has: %(has)s"),
    "same_field": _m("import_problem", "columns '%(a)s' and '%(b)s' of the header row both give the field '%(field)s'"),
    "empty_file": _m("import_problem", "is empty: it contains no records"),
    "header_only": _m("import_problem", "contains no records (a header row and no data rows)"),
    "blank_lines": _m("import_problem", "contains no records (%(n)s blank line(s))"),
    "no_records": _m("import_problem", "contains no records"),
    "wrong_kind": _m("import_problem", "is not this kind of file: no record has any of the fields %(names)s (its "
                                       "records have: %(has)s) — was another file chosen?"),
    "xlsx_invalid": _m("import_problem", "is not a valid .xlsx workbook (%(why)s)"),
    "xlsx_unreadable": _m("import_problem", "cannot be read as an .xlsx workbook (%(why)s)"),
    "xlsx_row": _m("import_problem", "cannot be read past row %(row)s (%(why)s)"),
    "upload_kind": _m("import_problem", "is not a JSON Lines, CSV or .xlsx file (by its name)"),
    # a .zip bundle of listings with their evidence files (regional/evidence/intake.py)
    "bundle_unreadable": _m("import_problem", "is not a readable zip bundle (%(why)s)"),
    "bundle_entries": _m("import_problem", "holds %(n)s entries, more than the %(max)s a bundle may have"),
    "bundle_size": _m("import_problem", "unpacks to more than %(max)s GiB, more than a bundle may have"),
    "bundle_outside": _m("import_problem", "entry '%(entry)s' points outside the bundle"),
    "bundle_symlink": _m("import_problem", "entry '%(entry)s' is a symbolic link"),
    "bundle_listings": _m("import_problem", "must hold exactly one listings file (*.jsonl, *.csv or *.xlsx, optionally "
                                            ".gz); found %(found)s"),
    "xlsx_unpacks": _m("import_problem", "unpacks to %(size)s bytes, more than the %(max)s a file may have: split it "
                                         "into several workbooks or CSV files"),
}

# parameters that are themselves a rule (said, and translated, in turn)
NESTED: dict[str, str] = {"got": "message", "got_kept": "message", "item": "message", "json": "reason",
                          "json_at": "reason"}

# how a problem is framed: `file:line (record) field 'name': message` (RecordError), `path:line: reason`
FRAMES: dict[tuple[bool, bool, bool], str] = {  # (line, record, field)
    (True, True, True): _m("import_problem", "%(file)s:%(line)s (%(record)s) field '%(field)s': %(message)s"),
    (True, False, True): _m("import_problem", "%(file)s:%(line)s field '%(field)s': %(message)s"),
    (True, True, False): _m("import_problem", "%(file)s:%(line)s (%(record)s): %(message)s"),
    (True, False, False): _m("import_problem", "%(file)s:%(line)s: %(message)s"),
    (False, False, False): _m("import_problem", "%(file)s: %(message)s"),
}


@dataclass(frozen=True)
class Problem:
    """A rule (key of RULES) with its parameters (text, or a nested Problem for the keys of NESTED)."""

    key: str
    params: Mapping[str, Any]

    def __str__(self) -> str:
        return self.text(lambda template: template)

    def __hash__(self) -> int:
        return hash((self.key, str(self)))

    def text(self, translate: Callable[[str], str]) -> str:
        """The sentence, each template passed through `translate` (the web UI's catalogue; identity = English)."""
        template = translate(RULES[self.key])
        if not self.params:
            return template
        values = {k: v.text(translate) if isinstance(v, Problem) else v for k, v in self.params.items()}
        return template % values

    def as_json(self) -> dict[str, Any]:
        """Stored form (audit entries): {"key": …, "params": {…}} with nested problems likewise."""
        return {"key": self.key,
                "params": {k: v.as_json() if isinstance(v, Problem) else v for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, value: Any) -> Problem | None:
        """A stored problem, or None when `value` is not one this version knows (a newer node's key)."""
        if not isinstance(value, dict) or value.get("key") not in RULES or not isinstance(value.get("params"), dict):
            return None
        params: dict[str, Any] = {}
        for k, v in value["params"].items():
            if isinstance(v, dict):
                inner = cls.from_json(v)
                if inner is None:
                    return None
                params[k] = inner
            else:
                params[k] = str(v)
        return cls(value["key"], params)


def say(key: str, **params: Any) -> Problem:
    """The problem `key` with its parameters (numbers shown as given: format them first, e.g. f"{n:,}")."""
    if key not in RULES:
        raise KeyError(f"no import rule {key!r} (add it to regional/formats/messages.py RULES)")
    return Problem(key, {k: v if isinstance(v, Problem) else str(v) for k, v in params.items()})


# rules whose command-line words name a flag (--encoding, --format): said for a web upload (its refusal on the page
# and its audit entry, e.g. on /sync), the same rule naming the upload form's choice instead
ON_THE_WEB = {"gbk": "gbk_form", "csv_as_jsonl": "csv_as_jsonl_form"}


# --------------------------------------------------------------------------- reading stored English back

_PARAM = re.compile(r"%\((\w+)\)s")


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    pos = 0
    for m in _PARAM.finditer(template):
        parts.append(re.escape(template[pos:m.start()]))
        parts.append(f"(?P<{m.group(1)}>.+?)")
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    # a sentence around another rule first ("<rule> (got …)"), then the most specific: the most fixed words
    with_params = [(key, t) for key, t in RULES.items() if "%(" in t]
    with_params.sort(key=lambda kt: (kt[0] not in NESTED, -len(_PARAM.sub("", kt[1]))))
    return [(key, _pattern(t)) for key, t in with_params]


@cache
def _constants() -> dict[str, str]:
    return {t: key for key, t in RULES.items() if "%(" not in t}


def read(text: str) -> Problem | None:
    """The Problem whose English is `text`, or None when no rule says it (stored entries of old versions)."""
    key = _constants().get(text)
    if key is not None:
        return Problem(key, {})
    fallback: Problem | None = None
    for key, pattern in _patterns():
        m = pattern.fullmatch(text)
        if m is None:
            continue
        params: dict[str, Any] = dict(m.groupdict())
        inner = NESTED.get(key)
        if inner is not None:
            nested = read(params[inner])
            if nested is None:  # a rule around words no rule says: only when nothing else reads the whole
                fallback = fallback or Problem(key, params)
                continue
            params[inner] = nested
        return Problem(key, params)
    return fallback


_FRAME = re.compile(r"(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+))?(?: \((?P<record>[^()]*)\))?"
                    r"(?: field '(?P<field>[^']+)')?: (?P<message>.+)", re.DOTALL)


def read_framed(text: str) -> dict[str, Any] | None:
    """A stored `file:line (record) field 'f': rule` as its parts (`message` a Problem, or the stored words
    when no rule says them), or None when `text` is not framed like an import problem."""
    m = _FRAME.fullmatch(text)
    if m is None:
        return None
    parts: dict[str, Any] = {k: v or "" for k, v in m.groupdict().items()}
    if (bool(parts["line"]), bool(parts["record"]), bool(parts["field"])) not in FRAMES:
        return None  # a record or field named without a line: not ours
    parts["message"] = read(parts["message"]) or parts["message"]
    return parts
