"""A workbook's formula cells (newcomer16 N1): a formula with a stored (calculated) value is read as that value; one
without (as openpyxl and many tools other than Excel write them) is the record's problem, named by row, record and
field, for required and optional cells alike, in every importer that reads workbooks (the shared sheet reader)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regional.customs import core as customs
from regional.customs.service import DECLARATION_COLUMNS
from regional.exhibitions.service import read_exhibits_with_reasons
from regional.formats.checked import read_checked
from regional.formats.source import DEFAULT_LIMITS
from regional.importers import read_listings, read_registry

FORMULA = "the cell is a formula without a calculated value"


def workbook(path: Path, rows: list[list[object]], cached: dict[str, tuple[str | None, str]] | None = None) -> Path:
    """An .xlsx as openpyxl writes it (a formula cell `=…` with no stored value); `cached` gives cells (by
    coordinate, `B3`) the stored value a spreadsheet program writes after calculating: (type attribute, value)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    if cached:
        with zipfile.ZipFile(path) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist()}
        xml = entries["xl/worksheets/sheet1.xml"].decode("utf-8")
        for ref, (kind, value) in cached.items():
            cell = re.compile(rf'<c r="{ref}"( [^>]*)?><f>(.*?)</f><v\s*/>')
            kind_attr = f' t="{kind}"' if kind else ""
            xml, n = cell.subn(lambda m, r=ref, k=kind_attr, v=value: f'<c r="{r}"{k}><f>{m[2]}</f><v>{v}</v>', xml)
            assert n == 1, ref
        entries["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
    return path


def test_a_formula_without_a_value_is_named_in_a_required_and_an_optional_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path / "商品.xlsx", [
        ["编号", "商品标题", "价格", "尼斯分类"],
        ["a-1", "红烧牛肉面", 9.9, 30],
        ["a-2", '=CONCATENATE("雷","碧")', 9.9, 32],  # required: was "is required" (the cell is filled)
        ["a-3", "柠檬汽水", "=1+1", 32],  # optional: was dropped without a word
        ["a-4", "=A4", "=-1", 99],  # the other fields are still checked
    ])

    batch = read_listings(path)

    assert [x.id for x in batch.listings] == ["a-1"]
    assert [(e.line, e.record_id, e.field, e.message.split(":")[0]) for e in batch.errors] == [
        (3, "a-2", "title", FORMULA), (4, "a-3", "price", FORMULA), (5, "a-4", "title", FORMULA),
        (5, "a-4", "price", FORMULA), (5, "a-4", "nice_classes", "must be a list of integers 1..45 (got 99)")]
    assert str(batch.errors[0]).startswith(f"商品.xlsx:3 (a-2) field 'title': {FORMULA}: open the workbook in Excel")
    assert batch.errors[0].key == "formula_no_value"


def test_a_formula_with_a_stored_value_is_read_as_that_value(tmp_path: Path) -> None:
    path = workbook(tmp_path / "calc.xlsx", [
        ["id", "title", "price", "category"],
        ["b-1", '=CONCATENATE("雷","碧")', "=1+1", '=IF(1=1,"","x")'],
    ], cached={"B2": ("str", "雷碧"), "C2": (None, "2"), "D2": ("str", "")})

    batch = read_listings(path)

    assert not batch.errors, [str(e) for e in batch.errors]
    (listing,) = batch.listings
    assert (listing.title, listing.price, listing.category) == ("雷碧", 2.0, None)  # a calculated "" is empty


def test_a_formula_in_the_id_cell_names_the_field_though_the_record_has_no_name(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", [["类型", "注册号", "商标名称", "权利人"], ["商标", '="TM-"&1', "康师傅", "顶益"]])
    batch = read_registry(path)
    assert not batch.rights
    assert [(e.line, e.record_id, e.field, e.key) for e in batch.errors] == [(2, None, "reg_no", "formula_no_value")]


def test_customs_declarations_name_every_formula_cell_and_store_nothing(tmp_path: Path) -> None:
    path = workbook(tmp_path / "报关单.xlsx", [
        ["报关单号", "进出口", "申报口岸", "商品编码", "商品名称", "品牌", "数量", "总价", "收货人"],
        ["530020261277000001", "进口", "深圳海关", "2106909090", "方便面", "康帅傅", "=1+1", "=G2*2", "某商行"],
        ["530020261277000002", "进口", "深圳海关", "2106909090", '=HYPERLINK("http://x","点我")', None, 1, 2,
         "=A1"],
    ])
    read = read_checked(path, DECLARATION_COLUMNS, customs.check_declaration, customs.CustomsError,
                        key="declaration_no", fmt=None, encoding="utf-8", limits=DEFAULT_LIMITS)
    assert read.items == []  # quantity and value were stored as NULL before
    assert [(e.line, e.record_id, e.field, e.key) for e in read.errors] == [
        (2, "530020261277000001", "quantity", "formula_no_value"),
        (2, "530020261277000001", "value", "formula_no_value"),
        (3, "530020261277000002", "goods", "formula_no_value"),
        (3, "530020261277000002", "consignee.name", "formula_no_value")]  # not also "the consignee is missing"
    assert set(read.reasons) == {"formula"}


def test_an_exhibit_filing_names_a_formula_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path / "展品.xlsx", [["展品编号", "展位号", "展品名称", "尼斯分类"],
                                            ["E1", "A1-01", "=B2", 30], ["E2", "A1-01", "汽水", "=30+2"]])
    items, errors, _warnings, reasons = read_exhibits_with_reasons(path)
    assert items == []
    assert [(e.line, e.record_id, e.field, e.key) for e in errors] == [
        (2, "E1", "product", "formula_no_value"), (3, "E2", "nice_classes", "formula_no_value")]
    assert reasons == ["formula", "formula"]


_fuzz = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_cell = st.one_of(st.none(), st.integers(0, 99), st.text("ab 1", min_size=1, max_size=4),
                  st.sampled_from(["=1+1", "=A1", '="x"&"y"', "=SUM(C1:C3)"]))


@_fuzz
@given(rows=st.lists(st.lists(_cell, min_size=4, max_size=4), min_size=1, max_size=6),
       stored=st.lists(st.booleans(), min_size=24, max_size=24))
def test_any_sheet_of_formulas_names_every_uncalculated_cell_once_and_reads_the_calculated(
        tmp_path: Path, rows: list[list[object]], stored: list[bool]) -> None:
    header = ["id", "title", "price", "description"]
    rows = [[f"r{i}", *row[1:]] for i, row in enumerate(rows)]  # each row a record of its own id
    cached: dict[str, tuple[str | None, str]] = {}
    uncalculated: set[tuple[int, str]] = set()
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and cell.startswith("="):
                if stored[(i * 4 + j) % 24]:
                    cached[f"{'ABCD'[j]}{i + 2}"] = (None, "7") if header[j] == "price" else ("str", "v")
                else:
                    uncalculated.add((i + 2, header[j]))
    path = workbook(tmp_path / "fuzz.xlsx", [header, *rows], cached)

    batch = read_listings(path)

    named = [(e.line, e.field) for e in batch.errors if e.key == "formula_no_value"]
    assert sorted(named) == sorted(uncalculated)  # every one, once
    bad_lines = {line for line, _ in uncalculated}
    for error in batch.errors:  # a formula cell is never also "required" or "not a number"
        assert (error.line, error.field) not in uncalculated or error.key == "formula_no_value"
    stored_ids = {x.id for x in batch.listings}
    assert not stored_ids & {f"r{line - 2}" for line in bad_lines}
    for listing in batch.listings:
        i = int(listing.id[1:])
        if f"C{i + 2}" in cached:
            assert listing.price == 7.0
        if f"B{i + 2}" in cached:
            assert listing.title == "v"


def test_a_sheet_whose_dimension_claims_fewer_rows_is_read_whole(tmp_path: Path) -> None:
    """openpyxl's read-only rows stop at the <dimension> the file claims (some tools write `A1:B1`): every row was
    lost and the file called empty. The reader goes by the rows stored."""
    path = workbook(tmp_path / "d.xlsx", [["id", "title"], ["a", "t1"], ["b", "t2"]])
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    entries["xl/worksheets/sheet1.xml"] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B1"',
                                                 entries["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert [x.id for x in read_listings(path).listings] == ["a", "b"]
