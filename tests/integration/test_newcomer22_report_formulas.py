"""newcomer22 D1: the monthly report's .xlsx wrote a seller name (listing data from a platform, untrusted) that starts
with "=" as a live spreadsheet formula: `=HYPERLINK("http://…","点此")` as a seller's name became a link in the
office's monthly report, opened by whoever it is sent to. Every text cell of a report workbook now reads as text
(the lists' exports already quoted such cells off: regional/web/exports.py `safe_cell`)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import _subprocess_env, hufu_command

REGISTRY = {"kind": "trademark", "reg_no": "TM-0012345", "mark": "康师傅", "owner": "顶益（开曼岛）控股有限公司",
            "nice_classes": [30, 32], "status": "registered", "valid_until": "2031-05-27"}
FORMULA = '=HYPERLINK("http://evil.example/","点此")'


def hufu(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=_subprocess_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("n22-report")
    hufu("pki", "init", "--dir", root / "pki", cwd=root)
    hufu("pki", "issue-region", "440000", "--dir", root / "pki", cwd=root)
    hufu("regional", "init", "--data-dir", root / "node", "--region", "440000", "--pki", root / "pki/regions/440000",
         "--national", "127.0.0.1:9", cwd=root)
    (root / "reg.jsonl").write_text(json.dumps(REGISTRY, ensure_ascii=False) + "\n", encoding="utf-8")
    listings = [{"id": f"n22-{i}", "title": f"康帅傅 {kind}牛肉面 五连包", "price": 9.9, "nice_classes": [30],
                 "category": "方便食品", "seller": {"name": name, "address": "广东省深圳市南山区科技园"}}
                for i, (kind, name) in enumerate([("红烧", FORMULA), ("香辣", "=1+1"), ("酸菜", "深圳市博鹏商贸有限公司")])]
    (root / "lst.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in listings),
                                    encoding="utf-8")
    hufu("regional", "import-registry", root / "reg.jsonl", "--data-dir", root / "node", cwd=root)
    hufu("regional", "import-listings", root / "lst.jsonl", "--data-dir", root / "node", cwd=root)
    assert "3 new lead(s)" in hufu("regional", "screen", "--data-dir", root / "node", cwd=root)
    return root


def test_a_seller_name_starting_with_equals_is_text_in_the_report_workbook(region: Path) -> None:
    from openpyxl import load_workbook

    month = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).strftime("%Y-%m")  # China Standard Time
    out = region / "report.xlsx"
    hufu("regional", "report", "--data-dir", region / "node", "--month", month, "--out", out, cwd=region)
    book = load_workbook(out)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    formulas = [(c.parent.title, c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == [], formulas
    texts = {c.value for c in cells if isinstance(c.value, str)}
    # the names are still there, whole, readable as text
    assert any(FORMULA in t for t in texts), sorted(texts)
    assert any(t.endswith("=1+1") for t in texts)
    assert "深圳市博鹏商贸有限公司" in texts  # an ordinary name is left as it is
