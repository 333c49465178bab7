"""CSV files (as offices save them from spreadsheets): a header row, then one record per row.

A header cell names a field, in English as in JSON Lines (`id`, `title`, `seller.name`) or by
one of its Chinese column names (`标题`, `店铺名称`); docs/formats.md lists them. A row becomes
the same dict a JSON line would be, so one set of rules validates both: empty cells mean
absent, lists are separated by `;` (Nice classes also by `,` or `、`), numbers and dates are
read the way spreadsheets write them (`¥1,299.00`, `2031/5/27`) and then checked as usual.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regional.formats.errors import ImportFileError, RecordError
from regional.formats.jsonl import NotFinite, finite_or_marked
from regional.formats.messages import say
from regional.formats.source import ReadLimits
from regional.formats.width import halfwidth
from regional.formats.xlsx import Formula


@dataclass(frozen=True)
class Column:
    """One field a CSV column may hold: its dotted path, how a cell is read, its header names."""

    path: str
    kind: str = "text"  # text | int_list | list | number | date | datetime | bool | kind | source
    aliases: tuple[str, ...] = ()
    required: bool = False


def _header_key(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def _index(columns: list[Column]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for col in columns:
        for name in (col.path, col.path.replace(".", "_"), *col.aliases):
            key = _header_key(name)
            assert key not in out or out[key] == col, f"CSV header {name!r} is used twice"
            out[key] = col
    return out


LISTING_COLUMNS = _index([
    Column("id", aliases=("编号", "商品编号", "商品id", "记录编号"), required=True),
    Column("title", aliases=("标题", "商品标题", "商品名称", "展品名称"), required=True),
    Column("source", "source", ("来源", "数据来源")),
    Column("platform", aliases=("平台", "电商平台")),
    Column("url", aliases=("链接", "商品链接", "网址")),
    Column("description", aliases=("描述", "商品描述")),
    Column("price", "number", ("价格", "售价")),
    Column("currency", aliases=("币种",)),
    Column("nice_classes", "int_list", ("尼斯分类", "商品类别", "类别号")),
    Column("category", aliases=("品类", "商品品类")),
    Column("seller.name", aliases=("店铺名称", "卖家", "卖家名称", "经营者", "经营者名称")),
    Column("seller.uscc", aliases=("统一社会信用代码", "信用代码")),
    Column("seller.phone", aliases=("电话", "联系电话")),
    Column("seller.address", aliases=("地址", "经营地址")),
    Column("seller.shop_url", aliases=("店铺链接", "店铺网址")),
    Column("images", "list", ("图片", "图片链接")),
    Column("observed_at", "datetime", ("采集时间", "发现时间")),
    Column("emark", aliases=("电子标识", "电子标识码")),
])

REGISTRY_COLUMNS = _index([
    Column("kind", "kind", ("类型", "权利类型"), required=True),
    Column("reg_no", aliases=("注册号", "商标注册号")),
    Column("mark", aliases=("商标", "商标名称")),
    Column("number", aliases=("专利号",)),
    Column("title", aliases=("名称", "专利名称", "外观设计名称")),
    Column("owner", aliases=("权利人", "注册人", "专利权人")),
    Column("status", aliases=("状态", "法律状态")),
    Column("nice_classes", "int_list", ("尼斯分类", "核定类别", "类别")),
    Column("valid_until", "date", ("有效期至", "专用权期限")),
    Column("ipc", "list", ("ipc分类", "分类号")),
    Column("claims", aliases=("权利要求",)),
    Column("expires", "date", ("届满日", "期限届满日")),
    Column("locarno", aliases=("洛迦诺分类",)),
    Column("images", "list", ("图片",)),
    Column("right", aliases=("许可权利", "权利号")),
    Column("licensee", aliases=("被许可人",)),
    Column("licensee_uscc", aliases=("被许可人信用代码", "被许可人统一社会信用代码")),
    Column("valid_from", "date", ("许可起始日", "起始日")),
    Column("well_known", "bool", ("驰名商标", "是否驰名商标")),
    Column("counterparts", "list", ("对应外文", "外文商标", "对应标识")),
])

_KINDS = {"商标": "trademark", "注册商标": "trademark", "发明": "invention", "发明专利": "invention",
          "实用新型": "utility_model", "实用新型专利": "utility_model", "外观设计": "design",
          "外观设计专利": "design", "许可": "licence", "许可备案": "licence", "商标许可": "licence",
          "专利许可": "licence", "license": "licence"}
_SOURCES = {"电商": "ecommerce", "电子商务": "ecommerce", "展会": "exhibition", "展览": "exhibition",
            "海关": "customs", "进出口": "customs", "投诉": "complaint", "举报": "complaint"}
_PATENT_STATUS = {"有效": "granted", "授权": "granted", "专利权维持": "granted", "失效": "lapsed",
                  "终止": "lapsed", "未缴年费终止": "lapsed", "届满": "expired", "期限届满": "expired",
                  "无效": "invalidated", "宣告无效": "invalidated", "全部无效": "invalidated",
                  "审中": "pending", "在审": "pending", "实审": "pending", "驳回": "rejected"}
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "y": True, "n": False,
          "是": True, "否": False, "驰名": True, "√": True, "✓": True}
_TRADEMARK_STATUS = {"注册": "registered", "已注册": "registered", "有效": "registered"}

_INT_SPLIT = re.compile(r"[\s,;，；、]+")
_LIST_SPLIT = re.compile(r"\s*[;；\n]\s*")
_INTEGER = re.compile(r"[0-9]+(\.0+)?")
_NUMBER_NOISE = re.compile(r"^[¥￥$]|元$")
# a comma only groups thousands (1,299.50): "12,5" or "1.234,50" (a decimal comma) is refused, not read as 125
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_DATE = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_DATETIME = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")


_HALFWIDTH = frozenset({"int_list", "number", "date", "datetime", "bool", "kind", "source"})


def _whole(text: str) -> int | str:
    value = finite_or_marked(text)
    return text if isinstance(value, NotFinite) else int(value)


def read_cell(kind: str, text: str) -> Any:
    """A cell's value for a column of `kind`; text that does not convert is passed on for validation to name.

    A number, date, class list or code cell typed in full width (８９．５, ２０３１／５／２７, ９、３５) is read as its
    ASCII; text cells are kept as typed."""
    if kind in _HALFWIDTH:
        text = halfwidth(text)
    if kind == "int_list":
        parts = [p for p in _INT_SPLIT.split(text) if p]
        # 400 nines is no class either: beyond a float it is kept as written (was an OverflowError, newcomer23 D)
        return [_whole(p) if _INTEGER.fullmatch(p) else p for p in parts]
    if kind == "list":
        return [p for p in _LIST_SPLIT.split(text) if p]
    if kind == "number":
        cleaned = _NUMBER_NOISE.sub("", text).strip()
        if "," in cleaned:
            if not _GROUPED.fullmatch(cleaned):
                return text  # refused by validation, naming the field (newcomer14: "12,5" was stored as 125)
            cleaned = cleaned.replace(",", "")
        try:
            if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?", cleaned):
                return text
            value = finite_or_marked(cleaned)
            return NotFinite(text) if isinstance(value, NotFinite) else value  # 1e400: refused as written
        except ValueError:
            return text
    if kind == "date":
        m = _DATE.fullmatch(text)
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text
    if kind == "datetime":
        m = _DATETIME.fullmatch(text)
        if m is None:
            return text
        return (f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}T{int(m[4]):02d}:{int(m[5]):02d}:"
                f"{int(m[6] or 0):02d}")
    if kind == "bool":
        return _BOOLS.get(text.lower(), text)
    if kind == "kind":
        return _KINDS.get(text, text.lower() if text.isascii() else text)
    if kind == "source":
        return _SOURCES.get(text, text.lower() if text.isascii() else text)
    return text


def _put(record: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if rest:
        inner = record.setdefault(head, {})
        inner[rest] = value
    else:
        record[head] = value


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Feeder:
    """Gives csv.reader one line at a time and counts them, so each row knows its first line."""

    def __init__(self, lines: Iterator[tuple[int, str | None]]) -> None:
        self.lines = lines
        self.count = 0
        self.peeked: list[tuple[int, str | None]] = []

    def peek_first(self) -> str | None:
        for lineno, text in self.lines:
            self.peeked.append((lineno, text))
            if text is not None and text.strip():
                return text
        return None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.peeked:
            lineno, text = self.peeked.pop(0)
        else:
            lineno, text = next(self.lines)
        self.count = lineno
        return "\n" if text is None else text  # an unread (over-long) line was reported already


class TableRecords:
    """Rows of a table (CSV or a spreadsheet sheet) as `(row's first line, record dict)`.

    The first non-blank row is the header; `rows` yields `(line or row number, cells)`, and
    None for a row that could not be read (already reported).
    """

    what = "CSV file"

    def __init__(self, path: Path, errors: list[RecordError], warnings: list[RecordError],
                 columns: Mapping[str, Column], limits: ReadLimits, oversized: dict[int, int],
                 formulas: dict[int, list[str]] | None = None,
                 too_large: dict[int, list[tuple[str, str]]] | None = None) -> None:
        self.path = str(path)  # file-level errors name the path, record errors the file name
        self.file = path.name
        self.errors = errors
        self.warnings = warnings
        self.columns = columns
        self.limits = limits
        self.oversized = oversized
        # row -> the fields whose cell is a formula without a calculated value (a sheet's `Formula` cells): not put
        # in the record, reported by the reader of the records as that record's problem (RecordReader.cell_errors)
        self.formulas = formulas if formulas is not None else {}
        # row -> (field, text) of numbers beyond a float's range (`NotFinite`): reported the same way (newcomer23 D)
        self.too_large = too_large if too_large is not None else {}

    def _header(self, row: list[str], lineno: int) -> list[Column | None]:
        header: list[Column | None] = []
        seen: dict[str, str] = {}
        unknown = []
        for cell in row:
            name = cell.strip()
            col = self.columns.get(_header_key(name))
            if col is None:
                if name:
                    unknown.append(name)
                header.append(None)
                continue
            if col.path in seen:
                raise ImportFileError(self.path, say("same_field", a=seen[col.path], b=name, field=col.path),
                                      line=lineno)
            seen[col.path] = name
            header.append(col)
        missing = sorted({c.path for c in self.columns.values() if c.required} - set(seen))
        if missing:
            aliases = {c.path: c.aliases for c in self.columns.values()}
            # the accepted header names too: a file with Chinese headers is told the Chinese ones
            names = ", ".join(f"'{m}' ({'/'.join(aliases[m])})" if aliases[m] else f"'{m}'" for m in missing)
            has = ", ".join(repr(c.strip()) for c in row[:12])
            raise ImportFileError(self.path, say("no_column" if self.what == "CSV file" else "no_sheet_column",
                                                 names=names, has=has), line=lineno)
        for name in unknown:
            self.warnings.append(RecordError.of(self.file, lineno, None, None, say("unknown_column", name=name[:60])))
        return header

    def records(self, rows: Iterator[tuple[int, list[str] | None]]) -> Iterator[tuple[int, dict[str, Any]]]:
        header: list[Column | None] | None = None
        for start, row in rows:
            if row is None or not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = self._header(row, start)
                continue
            if len(row) > len(header):
                extra = row[len(header):]
                if any(cell.strip() for cell in extra):
                    self.errors.append(RecordError.of(
                        self.file, start, None, None,
                        say("csv_cells" if self.what == "CSV file" else "sheet_cells", n=len(row), m=len(header))))
                    continue
            record: dict[str, Any] = {}
            size = 0
            for cell, col in zip(row, header, strict=False):
                size += len(cell)
                if col is not None and isinstance(cell, Formula):
                    self.formulas.setdefault(start, []).append(col.path)
                    continue
                if col is not None and isinstance(cell, NotFinite):  # a workbook's number cell beyond a float
                    self.too_large.setdefault(start, []).append((col.path, str.__str__(cell)))
                    continue
                value = cell.strip()
                if col is None or not value:
                    continue
                read = read_cell(col.kind, value)
                if isinstance(read, NotFinite):
                    self.too_large.setdefault(start, []).append((col.path, str.__str__(read)))
                    continue
                _put(record, col.path, read)
            _map_status(record)
            if size > self.limits.max_record_bytes // 4:
                size = sum(len(c.encode("utf-8")) for c in row)
                if size > self.limits.max_record_bytes:
                    self.oversized[start] = size
            yield start, record


class CsvRecords(TableRecords):
    """The rows of a CSV file as `(first line of the row, record dict)`."""

    def __init__(self, path: Path, lines: Iterator[tuple[int, str | None]], errors: list[RecordError],
                 warnings: list[RecordError], columns: Mapping[str, Column], limits: ReadLimits,
                 oversized: dict[int, int], too_large: dict[int, list[tuple[str, str]]] | None = None) -> None:
        super().__init__(path, errors, warnings, columns, limits, oversized, too_large=too_large)
        self.feeder = _Feeder(lines)

    def _rows(self) -> Iterator[tuple[int, list[str] | None]]:
        first = self.feeder.peek_first()
        if first is None:
            return
        csv.field_size_limit(max(csv.field_size_limit(), self.limits.max_line_bytes))
        reader = csv.reader(self.feeder, delimiter=_delimiter(first), strict=True)
        while True:
            start = self.feeder.peeked[0][0] if self.feeder.peeked else self.feeder.count + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.errors.append(RecordError.of(self.file, start, None, None, say("csv_row", detail=exc)))
                row = None
            yield start, row

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return self.records(self._rows())


def _map_status(record: dict[str, Any]) -> None:
    status = record.get("status")
    if not isinstance(status, str):
        return
    kind = record.get("kind")
    if kind in ("invention", "utility_model", "design"):
        record["status"] = _PATENT_STATUS.get(status, status.lower() if status.isascii() else status)
    elif kind == "trademark":
        record["status"] = _TRADEMARK_STATUS.get(status, status)
