"""`make lint` is part of the suite: an unsorted import, a shadowed fixture or a type error in the pure core fails
here, not months later (`make lint` itself once failed on main for a session: mypy was not in the suite)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert exe, "ruff is a pinned dev dependency (pyproject.toml): it must be installed with the suite"
    proc = subprocess.run([exe, "check", "--no-cache", "sync", "regional", "national", "tests", "protos"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_finds_nothing_in_make_lints_scope(tmp_path: Path) -> None:
    """The paths `make lint` gives mypy, read from the Makefile so the two cannot drift apart."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^\t\$\(BIN\)/mypy (.+)$", makefile, re.M)
    assert match, "the Makefile's lint target runs mypy on the pure core"
    paths = match.group(1).split()
    assert "national/dedup" in paths and "sync" in paths, paths
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), *paths], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
