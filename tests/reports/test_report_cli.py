"""`hufu regional report` and `hufu national report` refuse what they cannot write, alike, before touching a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from national.config import NationalConfig
from national.hufu import main
from regional.config import RegionalConfig


@pytest.fixture(params=["regional", "national"])
def node(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    """A node kind and a data directory holding only its configuration file."""
    data_dir = tmp_path / request.param
    data_dir.mkdir()
    config = (RegionalConfig(data_dir=data_dir, region="440000") if request.param == "regional"
              else NationalConfig(data_dir=data_dir, pki_dir=tmp_path / "pki"))
    config.save()
    return str(request.param), data_dir


def test_the_report_command_refuses_a_bad_month_file_directory_or_a_month_to_come(
        node: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kind, data_dir = node
    out = tmp_path / "report.pdf"

    def run(*extra: str, month: str = "2026-10", data: Path = data_dir) -> tuple[int, str]:
        capsys.readouterr()
        code = main([kind, "report", "--month", month, "--out", str(out), "--data-dir", str(data), *extra])
        return code, capsys.readouterr().err

    code, err = run(month="2026-13")
    assert code == 2 and err.startswith("hufu: ") and "2026-13" in err
    capsys.readouterr()
    code = main([kind, "report", "--month", "2026-10", "--out", str(tmp_path / "r.docx"), "--data-dir", str(data_dir)])
    assert code == 2 and "the report is written as .pdf or .xlsx" in capsys.readouterr().err
    code = main([kind, "report", "--month", "2026-10", "--out", str(tmp_path / "no" / "r.pdf"),
                 "--data-dir", str(data_dir)])
    assert code == 2 and f"{tmp_path / 'no'} does not exist" in capsys.readouterr().err
    whose = "a regional node's" if kind == "regional" else "the national node's"
    code, err = run(data=tmp_path)
    assert code == 1 and f"{tmp_path} is not {whose} data directory (no " in err
    code, err = run(month="2999-01")
    assert code == 2 and "2999-01 has not begun yet" in err
    assert not out.exists()
