"""Runbook §3: `sudo -u hufu hufu regional import-registry FILE` — a file the service user cannot read.

The import runs as another user than the operator; when that user cannot read the file (or enter a directory
on the way to it), the command must name the file and the user (and the directory), not only say
"Permission denied", and never end in a traceback (a .xlsx or .zip in such a directory did).
Run as root, the command runs as `nobody` (setpriv); otherwise as the current user on a file made 0000.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.ansible

HUFU = Path(sys.executable).parent / "hufu"
AS_ROOT = os.geteuid() == 0


@pytest.fixture()
def place() -> Iterator[Path]:
    """A directory another user can enter (pytest's tmp_path is 0700 root's), with a regional data dir."""
    if AS_ROOT and not shutil.which("setpriv"):
        pytest.skip("needs util-linux's setpriv to run the import as another user")
    root = Path(tempfile.mkdtemp(prefix="ops23-import-"))
    try:
        root.chmod(0o755)
        subprocess.run([str(HUFU), "regional", "init", "--data-dir", str(root / "data"), "--region", "440000"],
                       check=True, capture_output=True, text=True, timeout=300)
        if AS_ROOT:
            for path in [root / "data", *(root / "data").rglob("*")]:
                os.chown(path, pwd.getpwnam("nobody").pw_uid, -1, follow_symlinks=False)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _import(place: Path, kind: str, file: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if AS_ROOT else []
    user = "nobody" if AS_ROOT else pwd.getpwuid(os.geteuid()).pw_name
    result = subprocess.run([*prefix, str(HUFU), "regional", f"import-{kind}", str(file),
                             "--data-dir", str(place / "data")],
                            cwd=place, capture_output=True, text=True, timeout=300)
    return result, user


def test_import_of_a_file_the_user_cannot_read_names_the_file_and_the_user(place: Path) -> None:
    registry = place / "registry.jsonl"
    registry.write_text(json.dumps({"number": "1"}) + "\n", encoding="utf-8")
    registry.chmod(0o600 if AS_ROOT else 0o000)
    result, user = _import(place, "registry", registry)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert f"the user {user} cannot read {registry}" in result.stderr, result.stderr
    assert f"make the file readable by {user}" in result.stderr, result.stderr
    # the refusal is in the audit log, as for any file that cannot be read
    audit = subprocess.run([sys.executable, "-c", f"""
import sqlalchemy as sa
from regional.config import RegionalConfig
from sync.db import Database
db = Database(RegionalConfig.load({str(place / 'data')!r}, must_exist=True).db_url)
with db.engine.connect() as c:
    print([r[0] for r in c.execute(sa.text("select action from audit_log"))])
"""], capture_output=True, text=True, timeout=120)
    assert "import_registry_unreadable" in audit.stdout, audit.stdout + audit.stderr


@pytest.mark.parametrize("name", ["listings.xlsx", "listings.zip", "listings.jsonl"])
def test_import_from_a_directory_the_user_cannot_enter_names_that_directory(place: Path, name: str) -> None:
    if not AS_ROOT:
        pytest.skip("a directory the current user cannot enter needs another user (run as root)")
    private = place / "operator-home"
    private.mkdir(mode=0o700)
    (private / name).write_bytes(b"x")
    result, user = _import(place, "listings", private / name)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert f"the user {user} cannot enter the directory {private}" in result.stderr, result.stderr
