"""newcomer23 C: the lists' .xlsx exports (leads, customs warnings) kept formula-like text (a seller named
`=HYPERLINK(…)`, `-50%特价店`, `+86…`, `@…`) from running by writing a leading `'` into the value: the workbook showed
`'=HYPERLINK(…)`, a name that is not the seller's. The cell is now a text cell (type `s`, quote-prefix style) with
the value exactly as stored; the CSV, which has no types, keeps the leading `'` (docs/formats.md, "Exports").
The leads export is downloaded from a regional web process with Chromium's request context."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import sign_in, start_node_web
from tests.integration.fresh_nodes import PASSWORD, fresh_region, hufu

REGISTRY = {"kind": "trademark", "reg_no": "TM-0012345", "mark": "康师傅", "owner": "顶益（开曼岛）控股有限公司",
            "nice_classes": [30, 32], "status": "registered", "valid_until": "2031-05-27"}
FORMULA_LIKE = ['=HYPERLINK("http://evil.example/","点此")', "-50%特价店", "+86 康帅傅专卖", "@康帅傅旗舰店"]
PLAIN = "深圳市博鹏商贸有限公司"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("n23-export")
    node = fresh_region(root, officer="officer")
    (root / "reg.jsonl").write_text(json.dumps(REGISTRY, ensure_ascii=False) + "\n", encoding="utf-8")
    listings = [{"id": f"n23-{i}", "title": f"康帅傅 {kind}牛肉面 五连包", "price": 9.9, "nice_classes": [30],
                 "category": "方便食品", "seller": {"name": name, "address": "广东省深圳市南山区科技园"}}
                for i, (kind, name) in enumerate(zip(["红烧", "香辣", "酸菜", "番茄", "葱香"], [*FORMULA_LIKE, PLAIN],
                                                     strict=True))]
    (root / "lst.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in listings),
                                    encoding="utf-8")
    hufu("regional", "import-registry", root / "reg.jsonl", "--data-dir", node)
    hufu("regional", "import-listings", root / "lst.jsonl", "--data-dir", node)
    assert "5 new lead(s)" in hufu("regional", "screen", "--data-dir", node)
    web = start_node_web("regional", node)
    try:
        yield web.base_url
    finally:
        web.stop()


def _seller_cells(book: Any) -> dict[str, Any]:
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    col = header.index("经营者") if "经营者" in header else header.index("Seller")
    return {str(row[col].value): row[col] for row in ws.iter_rows(min_row=2)}


def test_formula_like_text_is_an_exact_text_cell_in_the_xlsx_and_quoted_in_the_csv(
        region: str, new_page: Callable[..., Any]) -> None:
    from openpyxl import load_workbook

    page = new_page()
    sign_in(page, region, "officer", PASSWORD)
    answer = page.context.request.get(region + "/leads/export.xlsx")
    assert answer.status == 200, answer.status
    book = load_workbook(io.BytesIO(answer.body()))
    assert not [c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    cells = _seller_cells(book)
    for name in FORMULA_LIKE:
        assert name in cells, sorted(cells)  # exactly as stored: no leading ' added
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name
    assert PLAIN in cells and not cells[PLAIN].quotePrefix
    assert not any(value.startswith("'") for value in cells)
    # the CSV has no cell types: a leading ' is the only way to keep a spreadsheet from running it
    text = page.context.request.get(region + "/leads/export.csv").body().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    sellers = {row[rows[0].index("经营者")] for row in rows[1:]}
    assert sellers == {"'" + name for name in FORMULA_LIKE} | {PLAIN}


def test_the_customs_warnings_workbook_keeps_formula_like_text_exact() -> None:
    from openpyxl import load_workbook

    from regional.customs.service import EXPORT_HEADER, export_csv, export_xlsx

    row = [FORMULA_LIKE[0], "-1", PLAIN] + [""] * (len(EXPORT_HEADER) - 3)
    ws = load_workbook(io.BytesIO(export_xlsx([row]))).worksheets[0]
    cells = list(ws.iter_rows(min_row=2, max_row=2))[0]
    assert [c.value for c in cells[:3]] == [FORMULA_LIKE[0], "-1", PLAIN]
    assert [c.data_type for c in cells[:2]] == ["s", "s"] and cells[0].quotePrefix and cells[1].quotePrefix
    assert not cells[2].quotePrefix
    got = list(csv.reader(io.StringIO(export_csv([row]).decode("utf-8-sig"))))[1]
    assert got[:3] == ["'" + FORMULA_LIKE[0], "'-1", PLAIN]
