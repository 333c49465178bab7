"""newcomer22 D4: an office's workbook with merged cells (one seller, one category for several rows — 合并单元格, as
offices lay out lists) was imported with the value on the first row only: the other rows, which Excel shows with
that seller, were stored with no seller at all and no word said (a seller lost to entity resolution, routing and
the cross-region cases). Every cell of a merged range now reads as the range's value, as Excel shows it."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from tests.conftest import _subprocess_env, hufu_command


def hufu(*args: str | Path) -> str:
    done = subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True,
                          env=_subprocess_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_merged_seller_cell_belongs_to_every_row_it_spans(tmp_path: Path) -> None:
    from openpyxl import Workbook

    hufu("pki", "init", "--dir", tmp_path / "pki")
    hufu("pki", "issue-region", "440000", "--dir", tmp_path / "pki")
    node = tmp_path / "node"
    hufu("regional", "init", "--data-dir", node, "--region", "440000", "--pki", tmp_path / "pki/regions/440000",
         "--national", "127.0.0.1:9")
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "title", "price", "category", "seller.name"])
    sheet.append(["n22-m1", "雷碧 柠檬味汽水 500ml", 3.5, "饮料", "深圳市博鹏商贸有限公司"])
    sheet.append(["n22-m2", "雷碧 柠檬味汽水 2L", 6.5, None, None])
    sheet.append(["n22-m3", "雷碧 柠檬味汽水 1L", 4.5, None, "东莞市长安镇某商行"])
    sheet.append(["n22-m4", "康帅傅 红烧牛肉面", 9.9, "方便食品", "东莞市长安镇某商行"])
    sheet.merge_cells("E2:E3")  # one seller for the first two rows
    sheet.merge_cells("D2:D4")  # one category for the first three
    path = tmp_path / "listings.xlsx"
    book.save(path)

    assert "4 new" in hufu("regional", "import-listings", path, "--data-dir", node)
    with sqlite3.connect(node / "node.db") as db:
        rows = dict((i, (c, s)) for i, c, s in db.execute(
            "select l.id, l.category, s.name from listings l left join sellers s on s.id = l.seller_id"))
    assert rows == {"n22-m1": ("饮料", "深圳市博鹏商贸有限公司"), "n22-m2": ("饮料", "深圳市博鹏商贸有限公司"),
                    "n22-m3": ("饮料", "东莞市长安镇某商行"), "n22-m4": ("方便食品", "东莞市长安镇某商行")}
