"""newcomer23 D: a number beyond a float's range in an imported file (`1e400`; 400 nines in a price cell) was read as
infinity and quoted back as "(got Infinity)" — not what the file holds — in every importer (listings, customs); in a
CSV class column 400 nines stopped the import with an OverflowError traceback. Such a number is now refused where it
is read, naming the record and the field, quoted as written; JSON Lines, CSV and .xlsx alike. Real `hufu`
processes on a fresh region."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.integration.fresh_nodes import fresh_region, run

NINES = "9" * 400


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_region(tmp_path_factory.mktemp("n23-finite"))


def _refused(node: Path, path: Path, *command: str) -> str:
    done = run(*(command or ("regional", "import-listings")), path, "--data-dir", node)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert "Infinity" not in done.stderr and "inf)" not in done.stderr, done.stderr
    return done.stderr


def test_json_lines(node: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    records = [{"id": "n23-p1", "title": "康帅傅 红烧牛肉面", "price": "PRICE"},
               {"id": "n23-p2", "title": "康帅傅 红烧牛肉面", "seller": {"name": "博鹏", "phone": "PRICE"}},
               {"id": "n23-p3", "title": "康帅傅 红烧牛肉面", "price": 9.9}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records).replace('"PRICE"', "-1e400"),
                    encoding="utf-8")
    err = _refused(node, path)
    assert "big.jsonl:1 (n23-p1) field 'price': is a number too large to be stored (got -1e400)" in err
    assert "big.jsonl:2 (n23-p2) field 'seller.phone': is a number too large to be stored (got -1e400)" in err
    assert "2 invalid record(s)" in err


def test_csv(node: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(f"id,title,price,nice_classes\nn23-c1,康帅傅,1e400,30\nn23-c2,康帅傅,{NINES},30\n"
                    f"n23-c3,康帅傅,9.9,{NINES}\n", encoding="utf-8")
    err = _refused(node, path)
    assert "big.csv:2 (n23-c1) field 'price': is a number too large to be stored (got 1e400)" in err
    assert f"big.csv:3 (n23-c2) field 'price': is a number too large to be stored (got {NINES[:40]}…)" in err
    assert "big.csv:4 (n23-c3) field 'nice_classes': must be a list of integers 1..45" in err  # no OverflowError


def test_xlsx(node: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "title", "price"])
    ws.append(["n23-x1", "康帅傅 红烧牛肉面", 12.5])
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():  # a number cell no float holds, as a hand-made or foreign workbook may carry
            data = src.read(item)
            out.writestr(item, data.replace(b"<v>12.5</v>", b"<v>1e400</v>") if "sheet1" in item.filename else data)
    assert b"1e400" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    err = _refused(node, path)
    assert "big.xlsx:2 (n23-x1) field 'price': is a number too large to be stored (got 1e400)" in err


def test_customs_declarations(node: Path, tmp_path: Path) -> None:
    path = tmp_path / "decl.jsonl"
    path.write_text(json.dumps({"declaration_no": "530120261234567890", "direction": "export", "port": "黄埔海关",
                                "hs_code": "8517130000", "goods": "手机", "quantity": "Q", "value": 12,
                                "consignor": "深圳市博鹏商贸有限公司"}, ensure_ascii=False).replace('"Q"', "1e400"),
                    encoding="utf-8")
    err = _refused(node, path, "regional", "customs", "import-declarations")
    assert "decl.jsonl:1 (530120261234567890) field 'quantity': is a number too large to be stored (got 1e400)" in err
