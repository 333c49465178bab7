"""A wheel carries every data file the detection engine reads (deployments install the wheel, not the tree)."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_file_under_regional_data_is_package_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["*"]
    package = ROOT / "regional"
    shipped = {p for pattern in patterns for p in glob.glob(pattern, root_dir=package)}
    files = {str(p.relative_to(package)) for p in (package / "data").rglob("*") if p.is_file()}
    assert files, "no data files found"
    assert files <= shipped, sorted(files - shipped)
