"""The hand-written blind dedup checks are written by their *_src.py scripts through national/bench/blind_records.py
(session 24; each script had its own copy of the credit-code check and the record writer): every script still writes
its committed file byte for byte, and every credit code in them has a valid check character by the importers' own check (regional/formats/uscc.py)."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import pytest

from national.bench.blind_records import uscc
from regional.formats.uscc import uscc_check_character_ok as uscc_valid

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [("national/bench/dedup22_blind_src.py", "national/bench/data/dedup22_blind.jsonl"),
          ("tests/checks/dedup23_blind_src.py", "tests/checks/dedup23_blind.jsonl"),
          ("tests/checks/dedup24a_blind_src.py", "tests/checks/dedup24a_blind.jsonl"),
          ("tests/checks/dedup24b_blind_src.py", "tests/checks/dedup24b_blind.jsonl"),
          ("tests/checks/dedup24c_blind_src.py", "tests/checks/dedup24c_blind.jsonl")]


@pytest.mark.parametrize("src, written", CHECKS)
def test_each_check_script_writes_its_committed_file(src: str, written: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(sys, "argv", [src, str(out)])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / src), run_name="__main__")
    assert done.value.code == 0
    assert out.read_bytes() == (ROOT / written).read_bytes()
    codes = [row["uscc"] for row in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if "uscc" in row]
    assert codes and all(uscc_valid(code) for code in codes), [c for c in codes if not uscc_valid(c)]


def test_a_code_gets_the_check_character_of_the_standard() -> None:
    assert uscc("91", "350100", "M000100Y4") == "91350100M000100Y43"  # GB 32100's own example
    with pytest.raises(AssertionError):
        uscc("91", "35010", "M000100Y4")  # 16 characters
