"""A file over the record limit is refused before its records are parsed (newcomer16 N3: 600,001 records were
refused after 4 minutes of parsing the first 500,000), with the message and line the count while reading gives;
that count stays as the backstop."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regional.formats import source, xlsx
from regional.importers import ImportFileError, ReadLimits, read_listings

LIMIT = ReadLimits(max_records=10)


def _refusal(path: Path, limits: ReadLimits = LIMIT) -> tuple[str, int | None]:
    with pytest.raises(ImportFileError) as caught:
        read_listings(path, limits=limits)
    return str(caught.value), caught.value.line


def _late(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the count while reading (as before the early count)."""
    monkeypatch.setattr(source, "_record_past_limit", lambda *_args: None)
    monkeypatch.setattr(xlsx, "_row_past_limit", lambda *_args: None)


def _unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing a record fails the test: the refusal must come before."""
    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a record was parsed")

    monkeypatch.setattr(source, "parse_json_line", never)
    monkeypatch.setattr("regional.formats.csvfile.read_cell", never)
    monkeypatch.setattr(xlsx, "_parser_class", never)


def _jsonl(path: Path, n: int, blank_every: int = 3) -> Path:
    text = "".join(("\n" if i % blank_every == 0 else "") + json.dumps({"id": f"r{i}", "title": "t"}) + "\n"
                   for i in range(n))
    data = text.encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


@pytest.mark.parametrize("name", ["l.jsonl", "l.jsonl.gz", "l.txt"])
def test_json_lines_over_the_limit_are_refused_unparsed_as_the_reading_count_refuses_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = _jsonl(tmp_path / name, 25)
    with monkeypatch.context() as patched:
        _late(patched)
        late = _refusal(path)
    with monkeypatch.context() as patched:
        _unparsed(patched)
        early = _refusal(path)
    assert early == late and early[1] == 15  # record 11 is on line 15 (blank lines before records 0, 3, 6, 9)
    assert early[0].endswith(":15: has more than 10 records: split it into several files")


def test_a_csv_over_the_limit_counts_rows_as_csv_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["id", "title", "description"]] + [[f"r{i}", "t", "two\nlines" if i % 2 else ""] for i in range(14)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / "l.csv"
    path.write_text("\n" + buffer.getvalue().replace("r4,", ",,\nr4,"), encoding="utf-8")  # a blank row too
    with monkeypatch.context() as patched:
        _late(patched)
        late = _refusal(path)
    with monkeypatch.context() as patched:
        _unparsed(patched)
        early = _refusal(path)
    assert early == late and early[1] is not None and early[1] > 12, (early, late)


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    rows = [["id", "title", "description"]] + [[f"r{i}", "t", "a\nb\nc"] for i in range(10)]  # 31 lines, 10 rows
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / "l.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert len(read_listings(path, limits=LIMIT).listings) == 10
    assert len(read_listings(_jsonl(tmp_path / "l.jsonl", 10), limits=LIMIT).listings) == 10


def _workbook(path: Path, n: int) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "title", "price"])
    for i in range(n):
        if i % 4 == 0:
            sheet.append([None, None, None])  # blank rows do not count
        sheet.append([f"r{i}", "t", "=1+1" if i % 3 else 5])  # a formula (no value) is a filled cell
    book.save(path)
    return path


def test_a_workbook_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "l.xlsx", 25)
    with monkeypatch.context() as patched:
        _late(patched)
        late = _refusal(path)
    with monkeypatch.context() as patched:
        _unparsed(patched)
        early = _refusal(path)
    assert early == late and early[1] == 15, (early, late)  # row 15: record 11 after 3 blank rows and the header
    assert len(read_listings(_workbook(tmp_path / "ok.xlsx", 10), limits=LIMIT).errors) == 6  # at the limit: read


_fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_line = st.one_of(st.just(""), st.just("   "), st.text("ab,\n\"", min_size=1, max_size=6))


@_fuzz
@given(cells=st.lists(_line, min_size=1, max_size=30), limit=st.integers(1, 8),
       fmt=st.sampled_from(["jsonl", "csv"]))
def test_the_early_count_agrees_with_the_reading_count(tmp_path: Path, cells: list[str], limit: int,
                                                     fmt: str) -> None:
    """Whatever the blank lines and quoted line breaks: refused at the same line with the same words, or read."""
    if fmt == "jsonl":
        text = "".join((json.dumps({"id": f"r{i}", "title": c}) if c.strip() else c) + "\n"
                       for i, c in enumerate(cells))
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "title"])
        for i, c in enumerate(cells):
            writer.writerow([f"r{i}" if c.strip() else "", c])
        text = buffer.getvalue()
    path = tmp_path / f"fuzz.{fmt}"
    path.write_text(text, encoding="utf-8")
    limits = ReadLimits(max_records=limit)
    outcomes = []
    for early in (True, False):
        with pytest.MonkeyPatch.context() as patched:
            if not early:
                _late(patched)
            try:
                batch = read_listings(path, limits=limits)
            except ImportFileError as exc:
                outcomes.append((str(exc), exc.line))
            else:
                outcomes.append((len(batch.listings), len(batch.errors)))
    assert outcomes[0] == outcomes[1]
