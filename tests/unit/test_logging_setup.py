"""An operator's log: a node's start says what it migrates, not which Alembic plugins it loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import sys
from sync.serving import setup_logging
from sync.db import run_migrations
from regional.node import MIGRATIONS
setup_logging("INFO")
run_migrations("sqlite:///" + sys.argv[1], MIGRATIONS)
"""


def test_a_start_logs_migrations_but_not_alembic_plugin_chatter(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path / "r.db")], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Running upgrade" in done.stderr  # migrations are still reported
    assert "setup plugin" not in done.stderr, done.stderr[:2000]
