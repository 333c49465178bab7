"""Import refusals and warnings (regional/formats, regional/importers) in the reader's language.

The importers write English sentences — the command line's output (for operators) and the audit
entries (`first`, `first_warnings`, `reason` of import_* entries) keep them as they are. The web UI
reads a stored sentence back: its framing (`file:line (record) field 'f': …`) and each known rule
are message templates of context "import_problem" whose English id reproduces the stored text
exactly, so English reads as stored and Chinese comes from the catalogue (imports.po). A rule this
version does not know keeps its stored English words inside the translated framing; a text that is
not framed like an import message is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import pgettext

CONTEXT = "import_problem"


def _m(context: str, message: str) -> str:
    """Mark a message (with its context) for the catalogue; it is translated when rendered."""
    return message


def _t(template: str, params: dict[str, str] | None = None) -> str:
    text = pgettext(CONTEXT, template)
    return text % params if params else text


# --------------------------------------------------------------------------- framing

# `file:line (record) field 'name': message` (RecordError), `path:line: reason` / `path: reason` (ImportFileError)
_FRAME = re.compile(r"(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+))?(?: \((?P<record>[^()]*)\))?"
                    r"(?: field '(?P<field>[^']+)')?: (?P<message>.+)", re.DOTALL)

_FRAMES = {
    # (line, record, field)
    (True, True, True): _m("import_problem", "%(file)s:%(line)s (%(record)s) field '%(field)s': %(message)s"),
    (True, False, True): _m("import_problem", "%(file)s:%(line)s field '%(field)s': %(message)s"),
    (True, True, False): _m("import_problem", "%(file)s:%(line)s (%(record)s): %(message)s"),
    (True, False, False): _m("import_problem", "%(file)s:%(line)s: %(message)s"),
    (False, False, False): _m("import_problem", "%(file)s: %(message)s"),
}

# --------------------------------------------------------------------------- rules without parameters

_CONSTANTS = [
    # pydantic's errors in plain words (regional/formats/errors.py)
    _m("import_problem", "is required"),
    _m("import_problem", "must be text"),
    _m("import_problem", "must be a list"),
    _m("import_problem", "must be an object"),
    _m("import_problem", "must be a whole number"),
    _m("import_problem", "must be a number"),
    _m("import_problem", "must be a finite number"),
    _m("import_problem", "must be true or false"),
    # field rules (regional/formats/records.py: the validators, REGISTRY_HINTS, LISTING_HINTS)
    _m("import_problem", "must not contain NUL characters"),
    _m("import_problem", "contains an invalid character (an unpaired \\u surrogate escape)"),
    _m("import_problem", "must not be empty"),
    _m("import_problem", "must be an ISO 8601 date like 2031-05-27"),
    _m("import_problem", "must be an ISO 8601 date-time like 2026-11-02T10:00:00+08:00"),
    _m("import_problem", 'must be a Locarno class and subclass like "07-02"'),
    _m("import_problem", "must be a path relative to the registry file, not an absolute path or URL"),
    _m("import_problem", "must stay inside the registry file's folder ('..' is not allowed)"),
    _m("import_problem", "must be an http:// or https:// URL without spaces, like https://item.example/1"),
    _m("import_problem", "must be an http:// or https:// URL without spaces, or a relative path"),
    _m("import_problem", "must be an absolute http:// or https:// URL with a host, like https://shop.example.cn/item/1"),
    _m("import_problem", "must not be before valid_from"),
    _m("import_problem", "must be a list of integers 1..45"),
    _m("import_problem", "must be a list of the mark's forms in other scripts (text, at most 10)"),
    _m("import_problem", "must be a list of IPC symbols (text)"),
    _m("import_problem", "must be a list of image paths relative to the registry file"),
    _m("import_problem", "must be a number of at least 0"),
    _m("import_problem", "must be a list of image URLs (http/https) or relative paths"),
    _m("import_problem", "must be an object with name, uscc, phone, address, shop_url"),
    _m("import_problem", "must be the e-mark's text (at most 2,048 characters)"),
    _m("import_problem", "must not begin or end with spaces"),
    _m("import_problem", "must be a JSON object"),
    _m("import_problem", "check character does not match: the code may contain a typo; kept as given"),
    # JSON Lines (regional/formats/jsonl.py)
    _m("import_problem", "a control character (tab, line break …) inside a string must be escaped"),
    _m("import_problem", 'a string is not closed (missing ")'),
    _m("import_problem", "invalid backslash escape"),
    _m("import_problem", "more data after the end of the JSON object (one object per line)"),
    _m("import_problem", "expected a JSON value"),
    _m("import_problem", "nested too deeply"),
    # whole files (regional/formats/source.py, regional/importers.py)
    _m("import_problem", "is a directory, not a file"),
    _m("import_problem", "is not a valid gzip file (its name ends in .gz, its content is not gzip)"),
    _m("import_problem", "is UTF-16 text (Excel 'Unicode text'): save it as UTF-8 (CSV UTF-8 or JSON Lines)"),
    _m("import_problem", "cannot be opened (no such file)"),
    _m("import_problem", "is empty: it contains no records"),
    _m("import_problem", "contains no records (a header row and no data rows)"),
    _m("import_problem", "contains no records"),
    _m("import_problem", "line 1 looks like a CSV header row, not JSON: only JSON Lines and CSV are accepted; name the file "
                ".csv (or pass --format csv) to import it as CSV"),
]
_KNOWN = frozenset(_CONSTANTS)

# --------------------------------------------------------------------------- rules with parameters

Rule = tuple[re.Pattern[str], str, Callable[[dict[str, str]], dict[str, str]] | None]


def _inner(name: str) -> Callable[[dict[str, str]], dict[str, str]]:
    """A rule whose group `name` is itself a rule (translated in turn)."""
    return lambda groups: {**groups, name: message_text(groups[name])}


def _rule(pattern: str, template: str, convert: Callable[[dict[str, str]], dict[str, str]] | None = None) -> Rule:
    return re.compile(pattern, re.DOTALL), template, convert


_RULES: list[Rule] = [
    _rule(r"(?P<message>.+) \(got (?P<got>.*)\)", _m("import_problem", "%(message)s (got %(got)s)"), _inner("message")),
    _rule(r"(?P<message>.+) \(got (?P<got>.*)\); kept as given",
          _m("import_problem", "%(message)s (got %(got)s); kept as given"), _inner("message")),
    _rule(r"must be one of (?P<values>.+)", _m("import_problem", "must be one of %(values)s")),
    _rule(r"is required: one of (?P<values>.+)", _m("import_problem", "is required: one of %(values)s")),
    _rule(r"must be at least (?P<n>\S+)", _m("import_problem", "must be at least %(n)s")),
    _rule(r"must be at most (?P<n>\S+)", _m("import_problem", "must be at most %(n)s")),
    _rule(r"must be more than (?P<n>\S+)", _m("import_problem", "must be more than %(n)s")),
    _rule(r"must be less than (?P<n>\S+)", _m("import_problem", "must be less than %(n)s")),
    _rule(r"must be an (?P<n>\d+)-character unified social credit code",
          _m("import_problem", "must be an %(n)s-character unified social credit code")),
    _rule(r"is not a unified social credit code: (?P<n>\d+) character\(s\), a code has (?P<m>\d+)",
          _m("import_problem", "is not a unified social credit code: %(n)s character(s), a code has %(m)s")),
    _rule(r"must be an http:// or https:// URL, not a (?P<scheme>\S+): URL",
          _m("import_problem", "must be an http:// or https:// URL, not a %(scheme)s: URL")),
    _rule(r"must be an http:// or https:// URL or a relative path, not a (?P<scheme>\S+): URL",
          _m("import_problem", "must be an http:// or https:// URL or a relative path, not a %(scheme)s: URL")),
    _rule(r"is (?P<n>[\d,]+) characters long; at most (?P<max>[\d,]+) are allowed",
          _m("import_problem", "is %(n)s characters long; at most %(max)s are allowed")),
    _rule(r"is (?P<n>[\d,]+) bytes in UTF-8; at most (?P<max>[\d,]+) are allowed",
          _m("import_problem", "is %(n)s bytes in UTF-8; at most %(max)s are allowed")),
    _rule(r"has (?P<n>[\d,]+) items; at most (?P<max>[\d,]+) are allowed",
          _m("import_problem", "has %(n)s items; at most %(max)s are allowed")),
    _rule(r"item (?P<i>\d+) (?P<message>.+)", _m("import_problem", "item %(i)s %(message)s"), _inner("message")),
    _rule(r"is (?P<value>\S+); it must be from (?P<lo>\S+) to (?P<hi>\S+)",
          _m("import_problem", "is %(value)s; it must be from %(lo)s to %(hi)s")),
    _rule(r"contains the control character (?P<ch>U\+[0-9A-F]+) at character (?P<n>\d+) "
          r"\(this field is one line of text\)",
          _m("import_problem", "contains the control character %(ch)s at character %(n)s (this field is one line of text)")),
    _rule(r"contains the control character (?P<ch>U\+[0-9A-F]+) at character (?P<n>\d+)",
          _m("import_problem", "contains the control character %(ch)s at character %(n)s")),
    _rule(r"contains a NUL character \(U\+0000\) at character (?P<n>\d+)",
          _m("import_problem", "contains a NUL character (U+0000) at character %(n)s")),
    _rule(r"contains the invisible character (?P<ch>U\+[0-9A-F]+) at character (?P<n>\d+)",
          _m("import_problem", "contains the invisible character %(ch)s at character %(n)s")),
    _rule(r"is not valid UTF-8 \(an unpaired surrogate (?P<ch>U\+[0-9A-F]+) at character (?P<n>\d+)\)",
          _m("import_problem", "is not valid UTF-8 (an unpaired surrogate %(ch)s at character %(n)s)")),
    _rule(r"not valid JSON: (?P<reason>.+) \(column (?P<col>\d+)\)",
          _m("import_problem", "not valid JSON: %(reason)s (column %(col)s)"), _inner("reason")),
    _rule(r"not valid JSON: (?P<reason>.+)", _m("import_problem", "not valid JSON: %(reason)s"), _inner("reason")),
    _rule(r"(?P<constant>NaN|Infinity|-Infinity) is not allowed in JSON",
          _m("import_problem", "%(constant)s is not allowed in JSON")),
    _rule(r"not a valid CSV row: (?P<detail>.+)", _m("import_problem", "not a valid CSV row: %(detail)s")),
    _rule(r"has (?P<n>\d+) cells but the header row has (?P<m>\d+) columns \(a comma inside a cell must be quoted\)",
          _m("import_problem", "has %(n)s cells but the header row has %(m)s columns (a comma inside a cell must be quoted)")),
    _rule(r"has (?P<n>\d+) cells but the header row has (?P<m>\d+) columns",
          _m("import_problem", "has %(n)s cells but the header row has %(m)s columns")),
    _rule(r"record is (?P<size>.+?) long; at most (?P<max>.+?) are allowed per record",
          _m("import_problem", "record is %(size)s long; at most %(max)s are allowed per record")),
    _rule(r"line is (?P<size>.+?) long; a record may have at most (?P<max>.+?), so this line was not read",
          _m("import_problem", "line is %(size)s long; a record may have at most %(max)s, so this line was not read")),
    _rule(r"appears twice in this file \(line (?P<n>\d+)\)", _m("import_problem", "appears twice in this file (line %(n)s)")),
    _rule(r"duplicate id: already used on line (?P<n>\d+)", _m("import_problem", "duplicate id: already used on line %(n)s")),
    _rule(r"each line must be a JSON object, got (?P<got>.+)",
          _m("import_problem", "each line must be a JSON object, got %(got)s")),
    _rule(r"column '(?P<name>.*)' is not a field of this format and is ignored",
          _m("import_problem", "column '%(name)s' is not a field of this format and is ignored")),
    # whole files
    _rule(r"is not valid (?P<enc>[A-Z0-9-]+): byte (?P<byte>0x[0-9A-F]+) at column (?P<col>\d+) cannot be decoded; "
          r"the file looks GBK/GB18030-encoded \(common for CSV saved by Excel\): save it as UTF-8, or import it "
          r"with --encoding gb18030",
          _m("import_problem", "is not valid %(enc)s: byte %(byte)s at column %(col)s cannot be decoded; the file looks "
                      "GBK/GB18030-encoded (common for CSV saved by Excel): save it as UTF-8, or import it with "
                      "--encoding gb18030")),
    _rule(r"is not valid (?P<enc>[A-Z0-9-]+): byte (?P<byte>0x[0-9A-F]+) at column (?P<col>\d+) cannot be decoded; "
          r"save the file as UTF-8",
          _m("import_problem", "is not valid %(enc)s: byte %(byte)s at column %(col)s cannot be decoded; save the file as "
                      "UTF-8")),
    _rule(r"the header row has no (?P<names>.+) column: the first row of a CSV file names its columns "
          r"\(see docs/formats.md\); it has: (?P<has>.*)",
          _m("import_problem", "the header row has no %(names)s column: the first row of a CSV file names its columns "
                      "(see docs/formats.md); it has: %(has)s")),
    _rule(r"the header row has no (?P<names>.+) column: the first row of a sheet names its columns "
          r"\(see docs/formats.md\); it has: (?P<has>.*)",
          _m("import_problem", "the header row has no %(names)s column: the first row of a sheet names its columns "
                      "(see docs/formats.md); it has: %(has)s")),
    _rule(r"columns '(?P<a>.*)' and '(?P<b>.*)' of the header row both give the field '(?P<field>.*)'",
          _m("import_problem", "columns '%(a)s' and '%(b)s' of the header row both give the field '%(field)s'")),
    _rule(r"cannot be opened \((?P<why>.*)\)", _m("import_problem", "cannot be opened (%(why)s)")),
    _rule(r"cannot be read \((?P<why>.*)\)", _m("import_problem", "cannot be read (%(why)s)")),
    _rule(r"is not a valid gzip file \((?P<why>.*)\)", _m("import_problem", "is not a valid gzip file (%(why)s)")),
    _rule(r"is larger than (?P<size>.+?) \(uncompressed\): split it into several files",
          _m("import_problem", "is larger than %(size)s (uncompressed): split it into several files")),
    _rule(r"has more than (?P<n>[\d,]+) records: split it into several files",
          _m("import_problem", "has more than %(n)s records: split it into several files")),
    _rule(r"contains no records \((?P<n>\d+) blank line\(s\)\)",
          _m("import_problem", "contains no records (%(n)s blank line(s))")),
]


def message_text(message: str) -> str:
    """One rule (the part after the framing) in the reader's language; an unknown rule as stored."""
    if message in _KNOWN:
        return _t(message)
    for pattern, template, convert in _RULES:
        m = pattern.fullmatch(message)
        if m is None:
            continue
        groups = {k: v or "" for k, v in m.groupdict().items()}
        if convert is not None:
            groups = convert(groups)
        return _t(template, groups)
    return message


def problem_text(text: str) -> str | None:
    """A stored import problem or refusal (`file:line (record) field 'f': rule`) in the reader's language,
    or None when `text` is not framed like one."""
    m = _FRAME.fullmatch(text)
    if m is None:
        return None
    parts = {k: v or "" for k, v in m.groupdict().items()}
    shape = (bool(parts["line"]), bool(parts["record"]), bool(parts["field"]))
    template = _FRAMES.get(shape)
    if template is None:  # a record or field named without a line: not ours
        return None
    parts["message"] = message_text(parts["message"])
    return _t(template, parts)


# The audit keys whose values are such sentences (regional/services.py `_record_rejection`,
# `_record_unreadable`, import warnings).
KEYS = frozenset({"first", "first_warnings", "reason"})


def audit_value(key: str, value: object) -> str | None:
    """The value of an import audit key as text in the reader's language, or None when it is not one."""
    if key not in KEYS:
        return None
    if isinstance(value, str):
        return problem_text(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        texts = [problem_text(v) for v in value]
        if all(t is None for t in texts):
            return None
        return pgettext("import_problem", "; ").join(t if t is not None else v for t, v in zip(texts, value, strict=True))
    return None
