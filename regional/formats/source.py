"""Reading an interchange file into records: JSON Lines or CSV, plain or gzip, with limits at the edge.

A file becomes a stream of `(line number, record)` pairs, the record being what one JSON line
or one CSV row says (a dict, or whatever JSON value the line holds). Lines that cannot become a
record (not JSON, too long, a CSV row with extra cells) are reported as RecordErrors and reading
goes on; a file that cannot be read at all (missing, wrong encoding, not a format we read, too
big) raises ImportFileError naming the file and, where there is one, the line.

What the records mean is decided elsewhere (`regional.importers`): this module knows bytes,
lines, encodings and cells, not listings or rights.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from regional.formats.errors import ImportFileError, RecordError
from regional.formats.jsonl import JsonLineError, not_finite_fields, parse_json_line
from regional.formats.messages import say

if TYPE_CHECKING:
    from regional.formats.csvfile import Column

# What `--encoding` accepts; GB18030 is a superset of GBK and GB2312, so it reads all three.
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030"}
FORMATS = ("jsonl", "csv", "xlsx")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")
_CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")  # a macro workbook reads like any other: its macros are never run
# the names a file picker offers (the upload forms' accept=): the suffixes whose name decides the format
NAMED_SUFFIXES = tuple(dict.fromkeys(s.removesuffix(".gz") for s in (*_JSONL_SUFFIXES, *_CSV_SUFFIXES,
                                                                      *_XLSX_SUFFIXES))) + (".gz",)

Progress = Callable[[int, int], None]  # (bytes read, total bytes of the file as stored)


@dataclass(frozen=True)
class ReadLimits:
    """Size limits of one file; over them a line is an error, or the file is refused."""

    max_file_bytes: int = 1 << 30  # decompressed: also what stops a gzip bomb
    max_line_bytes: int = 64 << 20  # a longer line is not even parsed
    max_record_bytes: int = 1 << 20  # a line (or CSV row) longer than this is an error once parsed
    max_records: int = 500_000  # records per file (all are held until stored): split larger exports


DEFAULT_LIMITS = ReadLimits()


def _size(n: int) -> str:
    for unit, step in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= step:
            value = n / step
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def detect_format(path: Path, fmt: str | None) -> str | None:
    """`jsonl`, `csv`, or None when only the content can tell (an unknown file suffix)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        return fmt
    name = path.name.lower()
    if name.endswith(_CSV_SUFFIXES):
        return "csv"
    if name.endswith(_XLSX_SUFFIXES):
        return "xlsx"
    if name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    return None


def _is_gzip_name(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


_MAGIC = (  # a file that is no text, by its first bytes -> the rule it breaks (regional/formats/messages.py)
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "xls"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip_unnamed"),
    # pictures (newcomer15 F3: a PNG named .csv was called GBK, and choosing GB18030 then gave a header of '塒NG')
    (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"),
)


def _reads_as_chinese(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 decode as GB18030 into text with Chinese characters in it."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class Lines:
    """The decoded lines of one file, with their numbers; enforces the byte limits.

    Yields `(line number, text)`; `text` is None for a line over `max_line_bytes` (skipped
    unread, recorded in `errors`). `bytes_read` and `total` feed progress.
    """

    def __init__(self, path: Path, errors: list[RecordError], *, encoding: str = "utf-8",
                 limits: ReadLimits = DEFAULT_LIMITS, progress: Progress | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.errors = errors
        key = encoding.lower().replace("_", "-")
        if key not in ENCODINGS:
            raise ValueError(f"encoding must be one of utf-8, gb18030 (gbk), not {encoding!r}")
        self.encoding = ENCODINGS[key]
        self.limits = limits
        self.progress = progress
        self.count = 0  # lines read
        self.bytes_read = 0  # decompressed bytes
        self.total = 0

    def _open(self) -> tuple[BinaryIO, BinaryIO]:
        name = str(self.path)
        try:
            raw: BinaryIO = open(self.path, "rb")  # noqa: SIM115 (closed by __iter__)
        except IsADirectoryError:
            raise ImportFileError(name, say("directory")) from None
        except OSError as exc:
            raise ImportFileError(name, say("cannot_open", why=exc.strerror or exc)) from exc
        try:
            self.total = max(1, raw.seek(0, io.SEEK_END))
            raw.seek(0)
            head = raw.read(8)
            raw.seek(0)
        except OSError as exc:
            raw.close()
            raise ImportFileError(name, say("cannot_read", why=exc.strerror or exc)) from exc
        if _is_gzip_name(self.path):
            if not head.startswith(b"\x1f\x8b"):
                raw.close()
                raise ImportFileError(name, say("gzip_name"))
            return raw, gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        for magic, key in _MAGIC:
            if head.startswith(magic):
                raw.close()
                raise ImportFileError(name, say(key))
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raw.close()
            raise ImportFileError(name, say("utf16"))
        try:
            start = raw.read(4096)
            raw.seek(0)
        except OSError as exc:
            raw.close()
            raise ImportFileError(name, say("cannot_read", why=exc.strerror or exc)) from exc
        if b"\x00" in start:  # no text encoding offices use (UTF-8, GB18030) has NUL bytes; UTF-16 is caught above
            raw.close()
            raise ImportFileError(name, say("binary"))
        return raw, raw

    def _decode(self, data: bytes, lineno: int) -> str:
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError as exc:
            bad = data[exc.start:exc.start + 1].hex().upper()
            # the column in characters, counted over what decoded cleanly before the bad byte
            column = len(data[:exc.start].decode(self.encoding, errors="replace")) + 1
            key = "gbk" if self.encoding == "utf-8" and _reads_as_chinese(data) else "encoding"
            raise ImportFileError(str(self.path), say(key, enc=self.encoding.upper(), byte=f"0x{bad}", col=column),
                                  line=lineno) from exc
        if lineno == 1:
            text = text.removeprefix("\ufeff")  # exports from Windows tools often start with a BOM
        return text

    def __iter__(self) -> Iterator[tuple[int, str | None]]:
        raw, stream = self._open()
        limits = self.limits
        name = str(self.path)
        lineno = 0
        with raw, stream:
            try:
                while True:
                    data = stream.readline(limits.max_line_bytes + 1)
                    if not data:
                        break
                    lineno += 1
                    self.count = lineno
                    size = len(data)
                    self._account(size, lineno)
                    if size > limits.max_line_bytes and not data.endswith(b"\n"):
                        while True:  # skip the rest of the line unread
                            more = stream.readline(1 << 20)
                            size += len(more)
                            self._account(len(more), lineno)
                            if not more or more.endswith(b"\n"):
                                break
                        self.errors.append(RecordError.of(
                            self.name, lineno, None, None,
                            say("line_too_big", size=_size(size), max=_size(limits.max_record_bytes))))
                        yield lineno, None
                        continue
                    yield lineno, self._decode(data, lineno)
                    if self.progress is not None and lineno % 1000 == 0:
                        self.progress(self._position(raw), self.total)
            except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
                key = "gzip" if _is_gzip_name(self.path) else "cannot_read"
                raise ImportFileError(name, say(key, why=exc), line=lineno + 1) from exc
            if self.progress is not None:
                self.progress(self.total, self.total)

    def _account(self, size: int, lineno: int) -> None:
        self.bytes_read += size
        if self.bytes_read > self.limits.max_file_bytes:
            raise ImportFileError(str(self.path), say("too_large", size=_size(self.limits.max_file_bytes)),
                                  line=lineno)

    @staticmethod
    def _position(raw: BinaryIO) -> int:
        try:
            return raw.tell()
        except OSError:
            return 0


class RecordReader:
    """The records of one file, JSON Lines or CSV, as `(line, value)` pairs; errors collected.

    `format` is `jsonl`, `csv` or None (decided by the file name, else by the first line).
    After iteration, `lines` is the number of lines read and `warnings` holds remarks that
    do not block an import (an unknown CSV column).
    """

    def __init__(self, path: Path, errors: list[RecordError], *, fmt: str | None = None,
                 encoding: str = "utf-8", limits: ReadLimits = DEFAULT_LIMITS,
                 progress: Progress | None = None, columns: Mapping[str, Column] | None = None) -> None:
        self.path = Path(path)
        self.errors = errors
        self.warnings: list[RecordError] = []
        self.format = detect_format(self.path, fmt)
        self.limits = limits
        self.source = Lines(self.path, errors, encoding=encoding, limits=limits, progress=progress)
        self.columns = columns or {}
        self.records = 0
        self.oversized: dict[int, int] = {}  # line -> bytes, for records over max_record_bytes
        self.formulas: dict[int, list[str]] = {}  # row -> fields whose cell is a formula without a calculated value
        # line -> (field, text) of numbers beyond a float's range (1e400: read as infinity, newcomer23 D)
        self.too_large: dict[int, list[tuple[str, str]]] = {}
        self.rows = 0  # rows read of a workbook

    @property
    def lines(self) -> int:
        return self.rows if self.format == "xlsx" else self.source.count

    def _xlsx(self) -> Iterator[tuple[int, Any]]:
        from regional.formats.csvfile import TableRecords
        from regional.formats.xlsx import xlsx_rows

        size = max(1, self.path.stat().st_size) if self.path.is_file() else 1
        progress = self.source.progress
        on_rows = (lambda done, total: progress(size * done // max(1, total), size)) if progress else None

        def counted() -> Iterator[tuple[int, list[str] | None]]:
            for rowno, cells in xlsx_rows(self.path, self.limits, on_rows):
                self.rows = rowno
                yield rowno, cells

        table = TableRecords(self.path, self.errors, self.warnings, self.columns, self.limits, self.oversized,
                             self.formulas, self.too_large)
        table.what = "sheet"
        return table.records(counted())

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        fmt = self.format
        if fmt == "xlsx":
            if not self.path.is_file():
                next(iter(self.source), None)  # the same "cannot be opened" as any other file
                raise ImportFileError(str(self.path), say("no_such_file"))
            body = self._xlsx()
        else:
            body = self._text(fmt)
        if fmt != "xlsx":  # a workbook checks its rows itself (regional/formats/xlsx.py), once it is open
            self._refuse_early()
        for lineno, value in body:
            self.records += 1
            if self.records > self.limits.max_records:  # the backstop: what the early count could not know
                raise ImportFileError(str(self.path), say("too_many_records", n=f"{self.limits.max_records:,}"),
                                      line=lineno)
            yield lineno, value

    def _refuse_early(self) -> None:
        """Refuse a text file of more than `max_records` records before parsing any (newcomer16 N3: 600,001 records
        were refused after 4 minutes of parsing the first 500,000), with the same message and line as the count
        while reading. A fast newline count says whether it can be over at all; only then are the records counted
        (non-blank lines of JSON Lines, non-blank rows of CSV after the header, quoted line breaks inside cells
        read as the CSV reader reads them). A file this count cannot read is left to the reader, which says why."""
        line = _record_past_limit(self.path, self.format, self.source.encoding, self.limits)
        if line is not None:
            raise ImportFileError(str(self.path), say("too_many_records", n=f"{self.limits.max_records:,}"),
                                  line=line)

    def _text(self, fmt: str | None) -> Iterator[tuple[int, Any]]:
        lines = iter(self.source)
        pending: list[tuple[int, str | None]] = []
        if fmt is None:  # an unknown suffix: the first non-blank line decides
            for lineno, text in lines:
                pending.append((lineno, text))
                if text is not None and text.strip():
                    fmt = "jsonl" if text.lstrip().startswith(("{", "[")) else "csv"
                    break
            fmt = fmt or "jsonl"
            self.format = fmt
        stream = _chain(pending, lines)
        yield from self._jsonl(stream) if fmt == "jsonl" else self._csv(stream)

    def oversize_error(self, lineno: int, record_id: str | None) -> RecordError | None:
        """The error of a record whose line is over `max_record_bytes` (when its fields did not say so)."""
        size = self.oversized.get(lineno)
        if size is None:
            return None
        return RecordError.of(self.path.name, lineno, record_id, None,
                              say("record_too_big", size=_size(size), max=_size(self.limits.max_record_bytes)))

    def cell_errors(self, lineno: int, record_id: str | None) -> list[RecordError]:
        """The problems of a record's cells that no value could be read from: a workbook's formula cells without a
        calculated value (one per field, required or optional alike), and numbers beyond a float's range (`1e400`,
        quoted as written: newcomer23 D, was "(got Infinity)"). The record is then invalid, whatever its other
        fields say; the reader of the records drops its own errors of these fields (`besides`)."""
        return [*(RecordError.of(self.path.name, lineno, record_id, field, say("formula_no_value"))
                  for field in self.formulas.get(lineno, ())),
                *(RecordError.of(self.path.name, lineno, record_id, field or None, say("number_too_large", got=text if len(text) <= 40 else text[:40] + "…"))
                  for field, text in self.too_large.get(lineno, ()))]

    def _jsonl(self, lines: Iterator[tuple[int, str | None]]) -> Iterator[tuple[int, Any]]:
        first = True
        for lineno, text in lines:
            if text is None or not text.strip():
                continue
            found: list[str] = []
            try:
                value = parse_json_line(text.rstrip("\r\n"), found)
            except JsonLineError as exc:
                if first and _looks_like_csv_header(text, self.columns):
                    raise ImportFileError(str(self.path), say("csv_as_jsonl"), line=lineno) from None
                self.errors.append(RecordError.of(self.path.name, lineno, None, None, exc.problem))
                first = False
                continue
            first = False
            if found:
                self.too_large[lineno] = not_finite_fields(value)
            if len(text) * 4 > self.limits.max_record_bytes:
                size = len(text.encode("utf-8"))
                if size > self.limits.max_record_bytes:
                    self.oversized[lineno] = size
            yield lineno, value

    def _csv(self, lines: Iterator[tuple[int, str | None]]) -> Iterator[tuple[int, Any]]:
        from regional.formats.csvfile import CsvRecords

        yield from CsvRecords(self.path, lines, self.errors, self.warnings, self.columns, self.limits,
                              self.oversized, self.too_large)


def _record_past_limit(path: Path, fmt: str | None, encoding: str, limits: ReadLimits) -> int | None:
    """The line of record `max_records + 1` of a JSON Lines or CSV file, or None when it has no more records (or
    cannot be read here: the reader then says why)."""
    gz = _is_gzip_name(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as raw:
            head = raw.read(4096)
    except OSError:
        return None
    if not gz and (size < 2 * (limits.max_records + 1)  # a record takes two bytes at least: a character, a newline
                   or any(head.startswith(magic) for magic, _key in _MAGIC) or b"\x00" in head):
        return None
    if gz and not head.startswith(b"\x1f\x8b"):
        return None
    try:
        with open(path, "rb") as raw:
            stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw  # type: ignore[assignment]
            newlines = read = 0
            while chunk := stream.read(1 << 20):
                newlines += chunk.count(b"\n")
                read += len(chunk)
                if read > limits.max_file_bytes:
                    return None  # refused for its size by the reader
        if newlines < limits.max_records:  # at most max_records lines: not over, whatever they hold
            return None
        with open(path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw  # type: ignore[assignment]
            return _count_records(stream, fmt, encoding, limits)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, ValueError):
        return None


def _count_records(stream: BinaryIO, fmt: str | None, encoding: str, limits: ReadLimits) -> int | None:
    import csv

    def lines() -> Iterator[tuple[int, bytes]]:
        lineno = 0
        while data := stream.readline(limits.max_line_bytes + 1):
            lineno += 1
            while len(data) > limits.max_line_bytes and not data.endswith(b"\n"):  # an over-long line: its end
                data = stream.readline(1 << 20) or b"\n"
            yield lineno, data

    numbered = lines()
    first_line, data = next(((n, d) for n, d in numbered if d.strip()), (0, b""))
    if not first_line:
        return None
    if fmt is None:  # the first non-blank line decides an unknown format, as the reader does
        fmt = "jsonl" if data.lstrip().removeprefix(b"\xef\xbb\xbf").startswith((b"{", b"[")) else "csv"
    if fmt == "jsonl":
        count = 1
        for lineno, data in numbered:
            if data.strip():
                count += 1
                if count > limits.max_records:
                    return lineno
        return None
    # CSV: rows as csv reads them (a quoted cell may span lines); the first non-blank row is the header
    first = data.decode(encoding).removeprefix("\ufeff")
    where = [first_line]

    def text() -> Iterator[str]:
        yield first
        for number, more in numbered:
            where[0] = number
            yield more.decode(encoding)

    from regional.formats.csvfile import _delimiter

    csv.field_size_limit(max(csv.field_size_limit(), limits.max_line_bytes))
    reader = csv.reader(text(), delimiter=_delimiter(first))
    rows = -1  # the header is no record
    start = first_line
    for row in reader:
        if any(cell.strip() for cell in row):
            rows += 1
            if rows > limits.max_records:
                return start
        start = where[0] + 1
    return None


def besides(errors: list[RecordError], cells: list[RecordError]) -> list[RecordError]:
    """`errors` of a record without those about the fields `cells` (RecordReader.cell_errors) already explain: a
    formula cell read as no value is not also "required" (nor is its object, `consignee` of `consignee.name`)."""
    if not cells:
        return errors
    fields = [c.field for c in cells if c.field]

    def covered(name: str | None) -> bool:
        return name is not None and any(name == f or f.startswith(name + ".") or name.startswith(f + ".")
                                        for f in fields)

    return [e for e in errors if not covered(e.field)]


def _chain(first: list[tuple[int, str | None]],
           rest: Iterator[tuple[int, str | None]]) -> Iterator[tuple[int, str | None]]:
    yield from first
    yield from rest


def _looks_like_csv_header(text: str, columns: Mapping[str, Column]) -> bool:
    cells = [c.strip().strip('"').lower() for c in text.replace("\t", ",").split(",")]
    return len(cells) > 1 and any(c in columns for c in cells)
