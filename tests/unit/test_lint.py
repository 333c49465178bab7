"""`make lint`'s ruff check is part of the suite: an unsorted import or a shadowed fixture fails here, not
months later. (mypy stays in `make lint`: slower, and its scope is the pure core.)"""

from __future__ import annotations

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
