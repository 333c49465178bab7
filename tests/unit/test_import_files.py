"""Importing files as offices have them: encodings, CSV from spreadsheets, empty files, limits at the edge."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regional.domain import ListingSource, PatentStatus, RightKind
from regional.importers import (
    ImportFileError,
    ReadLimits,
    RecordError,
    check_listings,
    read_listings,
    read_registry,
)

VALID_USCC = "91350100M000100Y43"


def lines(path: Path, rows: list[Any], encoding: str = "utf-8") -> Path:
    text = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)
    data = text.encode(encoding)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def only(errors: list[RecordError]) -> RecordError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# --- encodings ---------------------------------------------------------------------------------


def test_a_gbk_file_is_refused_naming_the_line_and_suggesting_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "listings.jsonl"
    path.write_bytes(b'{"id": "a", "title": "ok"}\n' + '{"id": "b", "title": "你好"}\n'.encode("gbk"))

    with pytest.raises(ImportFileError) as caught:
        read_listings(path)

    assert caught.value.line == 2
    message = str(caught.value)
    assert message.startswith(f"{path}:2: ")
    assert "UTF-8" in message and "GBK" in message and "--encoding gb18030" in message


def test_a_gbk_file_is_read_when_its_encoding_is_given(tmp_path: Path) -> None:
    path = lines(tmp_path / "listings.jsonl", [{"id": "b", "title": "康帅傅 方便面"}], encoding="gbk")
    batch = read_listings(path, encoding="gbk")
    assert batch.errors == [] and batch.listings[0].title == "康帅傅 方便面"


@pytest.mark.parametrize(("data", "words"), [
    (b"PK\x03\x04" + b"\x00" * 40, "Excel .xlsx"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 40, ".xls"),
    ("id,title\n".encode("utf-16"), "UTF-16"),
    # newcomer15 F3: a PNG named .csv was called GBK, and read as GB18030 its header was '塒NG'
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40, "picture"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "picture"),
    (b"id,title\n1,\x00\x01\x02binary", "NUL bytes"),
])
def test_files_that_are_not_text_say_what_they_are(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "listings.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=words):
        read_listings(path)


def test_json_errors_read_as_one_sentence_without_a_doubled_word(tmp_path: Path) -> None:
    path = lines(tmp_path / "l.jsonl", ['{"id": "a", "title": "tab\there"}', '{"id": "b", "title": "open',
                                        '{"id": "c", "title": "t"}'])
    batch = read_listings(path)
    assert [e.line for e in batch.errors] == [1, 2]
    for error in batch.errors:
        assert "at at" not in str(error) and str(error).count("column") == 1
    assert "control character" in batch.errors[0].message and "not closed" in batch.errors[1].message


# --- empty files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "words"), [
    ("l.jsonl", b"", "is empty"),
    ("l.jsonl", b"\n  \n\n", "no records"),
    ("l.csv", b"id,title\n", "header row and no data rows"),
    ("l.jsonl.gz", gzip.compress(b""), "is empty"),
])
def test_a_file_without_records_is_an_error_not_a_silent_success(tmp_path: Path, name: str, content: bytes,
                                                                 words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    for read in (read_listings, read_registry) if name.endswith("jsonl") else (read_listings,):
        with pytest.raises(ImportFileError, match=words):
            read(path)


# --- CSV ------------------------------------------------------------------------------------


def test_a_listings_csv_with_english_headers_reads_like_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "listings.csv"
    path.write_text(
        "id,title,price,nice_classes,seller.name,seller.uscc,url,images,observed_at,source\n"
        f'tb-1,"康帅傅, 五连包",9.9,"30;32",某店,{VALID_USCC},https://item.example/1,'
        '"https://img.example/1.jpg;https://img.example/2.jpg",2026-11-02 10:00,ecommerce\n'
        "tb-2,保温杯,,,,,,,,\n", encoding="utf-8")

    batch = read_listings(path)

    assert batch.errors == [] and batch.warnings == []
    first, second = batch.listings
    assert first.title == "康帅傅, 五连包" and first.price == 9.9 and first.nice_classes == (30, 32)
    assert first.seller.name == "某店" and first.seller.uscc == VALID_USCC
    assert first.images == ("https://img.example/1.jpg", "https://img.example/2.jpg")
    assert first.observed_at is not None and first.observed_at.isoformat() == "2026-11-02T10:00:00+08:00"
    assert second.price is None and second.seller.name is None and second.source is ListingSource.ECOMMERCE


def test_a_csv_saved_by_excel_with_chinese_headers_bom_and_gbk_reads(tmp_path: Path) -> None:
    path = tmp_path / "商品.csv"
    text = ("编号,商品标题,价格,尼斯分类,店铺名称,统一社会信用代码,来源,采集时间\r\n"
            "tb-9,康帅傅 红烧牛肉面,\"￥1,299.00\",30、32,深圳某商行,,展会,2026/11/2 9:05\r\n")
    path.write_bytes(text.encode("gbk"))

    with pytest.raises(ImportFileError, match="--encoding gb18030"):
        read_listings(path)
    batch = read_listings(path, encoding="gb18030")

    assert batch.errors == []
    (listing,) = batch.listings
    assert (listing.id, listing.price, listing.nice_classes) == ("tb-9", 1299.0, (30, 32))
    assert listing.source is ListingSource.EXHIBITION and listing.seller.name == "深圳某商行"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # Excel's "CSV UTF-8"
    assert read_listings(path).listings == batch.listings


def test_a_registry_csv_takes_chinese_kinds_statuses_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_text(
        "类型,注册号,专利号,商标名称,名称,权利人,法律状态,核定类别,有效期至,届满日,被许可人,许可权利,被许可人信用代码,驰名商标\n"
        "商标,TM-1,,康师傅,,顶益公司,注册,30;32,2031/5/27,,,,,是\n"
        "发明专利,,ZL2019.1,,一种泡面碗,某公司,有效,,,2039-3-1,,,\n"
        f"许可,,,,,,,,,,某食品公司,TM-1,{VALID_USCC}\n", encoding="utf-8")

    batch = read_registry(path)

    assert batch.errors == [], [str(e) for e in batch.errors]
    trademark, invention = batch.rights
    assert (trademark.kind, trademark.status, trademark.nice_classes) == (RightKind.TRADEMARK, "registered", (30, 32))
    assert trademark.well_known
    assert trademark.valid_until is not None and trademark.valid_until.isoformat() == "2031-05-27"
    assert (invention.kind, invention.status) == (RightKind.INVENTION, PatentStatus.GRANTED)
    assert invention.valid_until is not None and invention.valid_until.isoformat() == "2039-03-01"
    assert batch.licences[0].licensee_uscc == VALID_USCC


def test_csv_errors_name_the_rows_first_line_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "listings.csv"
    path.write_text(
        "id,title,price,nice_classes,shelf\n"
        'a,"a title over\ntwo lines",1,30,x\n'  # lines 2-3
        "b,,abc,99,\n"  # line 4: no title, bad price, bad class
        "c,t,1,30,x,extra\n"  # line 5: one cell too many
        "d,t,1,30\n", encoding="utf-8")

    batch = read_listings(path)

    assert [x.id for x in batch.listings] == ["a", "d"]
    assert {(e.line, e.field) for e in batch.errors} == {(4, "title"), (4, "price"), (4, "nice_classes"), (5, None)}
    assert all(e.record_id == "b" for e in batch.errors if e.line == 4)
    assert "header row has 5 columns" in next(e for e in batch.errors if e.line == 5).message
    assert only(batch.warnings).message.startswith("column 'shelf' is not a field")


def test_a_csv_without_a_required_column_is_refused_at_its_header(tmp_path: Path) -> None:
    path = tmp_path / "listings.csv"
    path.write_text("\nid,name\na,b\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_listings(path)
    assert caught.value.line == 2 and "'title'" in str(caught.value)


def test_tab_separated_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "listings.tsv"
    path.write_text("id\ttitle\tprice\na\tt, with a comma\t3\n", encoding="utf-8")
    (listing,) = read_listings(path).listings
    assert listing.title == "t, with a comma" and listing.price == 3.0


def test_a_csv_named_jsonl_is_told_apart_from_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "listings.jsonl"
    path.write_text("id,title\na,b\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_listings(path)
    assert "CSV" in str(caught.value) and "--format csv" in str(caught.value)
    assert read_listings(path, fmt="csv").listings[0].title == "b"


def test_an_unknown_suffix_is_decided_by_the_first_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("id,title\na,b\n", encoding="utf-8")
    lines(tmp_path / "b.txt", [{"id": "a", "title": "b"}])
    assert read_listings(tmp_path / "a.txt").listings == read_listings(tmp_path / "b.txt").listings


# --- warnings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "words"), [("123", "is not a unified social credit code"),
                                             ("91350100M000100Y44", "check character does not match")])
def test_a_seller_credit_code_that_is_not_valid_is_kept_with_a_warning(tmp_path: Path, code: str,
                                                                       words: str) -> None:
    path = lines(tmp_path / "l.jsonl", [{"id": "ok", "title": "t", "seller": {"uscc": VALID_USCC}},
                                        {"id": "x", "title": "t", "seller": {"name": "店", "uscc": code}}])
    batch = read_listings(path)
    assert batch.errors == []
    assert batch.listings[1].seller.uscc == code
    warning = only(batch.warnings)
    assert (warning.file, warning.line, warning.record_id, warning.field) == ("l.jsonl", 2, "x", "seller.uscc")
    assert words in warning.message


# --- limits at the edge -----------------------------------------------------------------------


def test_a_huge_title_is_refused_naming_line_and_field_without_reading_it_into_detection(tmp_path: Path) -> None:
    path = lines(tmp_path / "l.jsonl", [{"id": "a", "title": "t"}, {"id": "big", "title": "仿" * 9_000_000},
                                        {"id": "c", "title": "t"}])  # a 27 MB line

    batch = read_listings(path)

    error = only(batch.errors)
    assert (error.line, error.record_id, error.field) == (2, "big", "title")
    assert "9,000,000 characters" in error.message and "at most 1,000" in error.message
    assert [x.id for x in batch.listings] == ["a", "c"]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("id", "x" * 201, "at most 200"),
    ("id", " padded ", "spaces"),
    ("description", "d" * 20_001, "at most 20,000"),
    ("platform", "p" * 101, "at most 100"),
    ("title", "bell\x07", "control character U+0007"),
    ("title", "nul\x00", "NUL"),
    ("url", "javascript:alert(1)", "not a javascript: URL"),
    ("url", "https://bad host/x", "http:// or https:// URL"),
    ("images", ["data:image/png;base64,xx"], "not a data: URL"),
    ("images", ["https://img.example/x.jpg"] * 51, "at most 50"),
    ("nice_classes", list(range(1, 46)) * 2, "at most 45"),
    ("price", 1e13, "from 0 to 1e+12"),
])
def test_every_listing_field_has_a_limit_that_names_it(field: str, value: object, words: str) -> None:
    record = {"id": "a", "title": "t", field: value}
    batch = check_listings([(7, record)], file="feed")
    error = only(batch.errors)
    assert (error.file, error.line, error.field) == ("feed", 7, field)
    assert words in error.message, error.message


@pytest.mark.parametrize(("field", "value", "words"), [
    ("name", "n" * 301, "at most 300"),
    ("uscc", "u" * 33, "at most 32"),
    ("phone", "1" * 65, "at most 64"),
    ("shop_url", "file:///etc/passwd", "not a file: URL"),
])
def test_seller_fields_have_limits_too(field: str, value: str, words: str) -> None:
    batch = check_listings([(1, {"id": "a", "title": "t", "seller": {field: value}})], file="l.jsonl")
    error = only(batch.errors)
    assert error.field == f"seller.{field}" and words in error.message


@pytest.mark.parametrize(("record", "field", "words"), [
    ({"kind": "trademark", "reg_no": "TM-1", "mark": "m" * 501, "owner": "o"}, "mark", "at most 500"),
    ({"kind": "trademark", "reg_no": "T" * 65, "mark": "m", "owner": "o"}, "reg_no", "at most 64"),
    ({"kind": "invention", "number": "ZL1", "title": "t", "owner": "o", "status": "granted",
      "claims": "c" * 100_001}, "claims", "at most 100,000"),
    ({"kind": "licence", "right": "TM-1", "licensee": "l" * 301}, "licensee", "at most 300"),
])
def test_registry_fields_have_limits(tmp_path: Path, record: dict[str, Any], field: str, words: str) -> None:
    batch = read_registry(lines(tmp_path / "r.jsonl", [record]))
    error = only(batch.errors)
    assert error.field == field and words in error.message


def test_a_line_over_the_line_limit_is_skipped_unread_and_reading_goes_on(tmp_path: Path) -> None:
    path = lines(tmp_path / "l.jsonl", [{"id": "a", "title": "t"}, {"id": "b", "title": "t" * 5000},
                                        {"id": "c", "title": "t"}])
    batch = read_listings(path, limits=ReadLimits(max_line_bytes=2000, max_record_bytes=1000))
    error = only(batch.errors)
    assert error.line == 2 and "was not read" in error.message
    assert [x.id for x in batch.listings] == ["a", "c"]


def test_a_record_over_the_record_limit_is_an_error_even_when_its_fields_are_fine(tmp_path: Path) -> None:
    path = lines(tmp_path / "l.jsonl", [{"id": "a", "title": "t", "unknown": "x" * 3000}])
    batch = read_listings(path, limits=ReadLimits(max_record_bytes=1000))
    error = only(batch.errors)
    assert (error.line, error.record_id) == (1, "a") and "at most 1000 bytes" in error.message


def test_too_many_records_or_bytes_refuse_the_file(tmp_path: Path) -> None:
    path = lines(tmp_path / "l.jsonl", [{"id": str(i), "title": "t"} for i in range(20)])
    with pytest.raises(ImportFileError, match="more than 10 records") as caught:
        read_listings(path, limits=ReadLimits(max_records=10))
    assert caught.value.line == 11
    with pytest.raises(ImportFileError, match="larger than 100 bytes"):
        read_listings(path, limits=ReadLimits(max_file_bytes=100))


def test_a_gzip_bomb_stops_at_the_file_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b" " * (50 << 20)))  # 50 MiB of blanks, about 50 KiB compressed
    with pytest.raises(ImportFileError, match="larger than 1 MiB"):
        read_listings(path, limits=ReadLimits(max_file_bytes=1 << 20, max_line_bytes=1 << 20))


# --- validation without a file: the path a platform feed or a form shares ----------------------


def test_records_from_any_source_are_validated_by_the_same_function() -> None:
    records = [(1, {"id": "a", "title": "t", "seller": {"uscc": "123"}}), (2, {"id": "a", "title": "t"}),
               (3, ["not", "an", "object"])]
    batch = check_listings(records, file="platform feed")
    assert [x.id for x in batch.listings] == ["a"]
    assert [(e.line, e.field) for e in batch.errors] == [(2, "id"), (3, None)]
    assert only(batch.warnings).field == "seller.uscc"


# --- fuzz ---------------------------------------------------------------------------------------

_fuzz = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_cells = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)


@_fuzz
@given(data=st.binary(max_size=300), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_arbitrary_bytes_as_csv_never_raise_anything_but_the_documented_errors(
        tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    for read in (read_listings, read_registry):
        try:
            batch = read(path, encoding=encoding)
        except ImportFileError as exc:
            assert exc.file == str(path)
            continue
        for error in [*batch.errors, *batch.warnings]:
            assert error.file == "fuzz.csv" and 1 <= error.line <= max(1, batch.lines)


@_fuzz
@given(header=st.lists(st.sampled_from(["id", "title", "price", "nice_classes", "seller.uscc", "images",
                                        "标题", "编号", "kind", "类型", "x"]), min_size=1, max_size=6),
       rows=st.lists(st.lists(_cells, max_size=7), max_size=6))
def test_arbitrary_csv_tables_are_read_or_refused_with_located_errors(tmp_path: Path, header: list[str],
                                                                     rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        batch = read_listings(path)
    except ImportFileError as exc:
        assert exc.file == str(path)
        return
    physical = buffer.getvalue().count("\n") + 1
    for error in batch.errors:
        assert 1 <= error.line <= physical
    assert len(batch.listings) <= len(rows)


# --- Excel workbooks -------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]], sheet_title: str = "商品") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_workbooks_first_sheet_reads_like_csv(tmp_path: Path) -> None:
    import datetime as dt

    path = _workbook(tmp_path / "商品.xlsx", [
        ["编号", "商品标题", "价格", "尼斯分类", "统一社会信用代码", "采集时间", "备注"],
        ["tb-1", "康帅傅 红烧牛肉面", 1299, "30、32", VALID_USCC, dt.datetime(2026, 11, 2, 9, 5), "x"],
        [None, None, None],
        [20231, "保温杯", 39.5, 21, None, dt.date(2026, 11, 3), None],
        ["tb-3", None, "abc", 99],
    ])

    batch = read_listings(path)

    assert [x.id for x in batch.listings] == ["tb-1", "20231"]
    first, second = batch.listings
    assert (first.price, first.nice_classes) == (1299.0, (30, 32))
    assert first.observed_at is not None and first.observed_at.isoformat() == "2026-11-02T09:05:00+08:00"
    assert (second.price, second.nice_classes) == (39.5, (21,))
    assert {(e.line, e.record_id, e.field) for e in batch.errors} == {
        (5, "tb-3", "title"), (5, "tb-3", "price"), (5, "tb-3", "nice_classes")}
    assert only(batch.warnings).message.startswith("column '备注'")
    assert batch.lines == 5


def test_a_workbook_without_records_or_with_a_bad_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no records"):
        read_listings(_workbook(tmp_path / "a.xlsx", [["id", "title"]]))
    with pytest.raises(ImportFileError, match="'title'"):
        read_listings(_workbook(tmp_path / "b.xlsx", [["id", "name"], ["a", "b"]]))


def test_a_damaged_or_oversized_workbook_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match="not a valid .xlsx"):
        read_listings(broken)
    big = _workbook(tmp_path / "big.xlsx", [["id", "title"]] + [[f"r{i}", "t" * 200] for i in range(200)])
    with pytest.raises(ImportFileError, match="unpacks to"):
        read_listings(big, limits=ReadLimits(max_file_bytes=20_000))
    with pytest.raises(ImportFileError, match="cannot be opened"):
        read_listings(tmp_path / "missing.xlsx")


def test_a_registry_workbook_reads(tmp_path: Path) -> None:
    import datetime as dt

    path = _workbook(tmp_path / "registry.xlsx", [
        ["类型", "注册号", "商标名称", "权利人", "核定类别", "有效期至"],
        ["商标", "TM-1", "康师傅", "顶益公司", 30, dt.datetime(2031, 5, 27)],
    ])
    (right,) = read_registry(path).rights
    assert (right.number, right.nice_classes, str(right.valid_until)) == ("TM-1", (30,), "2031-05-27")


def test_a_latin1_file_is_not_mistaken_for_gbk(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_bytes('{"id": "a", "title": "café"}\n'.encode("latin-1"))
    with pytest.raises(ImportFileError) as caught:
        read_listings(path)
    assert "GBK" not in str(caught.value) and "save the file as UTF-8" in str(caught.value)
