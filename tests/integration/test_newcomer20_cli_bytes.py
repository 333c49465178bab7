"""newcomer20: an argument the shell hands over in bytes that are not UTF-8 (a GBK terminal, a pasted note) made
`hufu regional case-feedback --note …`, `launch --requested-by …` and `token add --label …` stop with
"hufu: 'utf-8' codec can't encode characters in position 0-1: surrogates not allowed", naming nothing. The command
now names the argument by its bytes and says what to do, and exits 1 without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from national.hufu import undecodable_argument

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-horse-9"


def hufu(*args: str | bytes, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "national.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=REPO)


def test_the_argument_in_other_bytes_is_named_by_them() -> None:
    exc = UnicodeEncodeError("utf-8", "\udcb5", 0, 1, "surrogates not allowed")
    said = undecodable_argument(["regional", "token", "add", "li", "--label", "\udcb5\udcbc"], exc)
    assert said.startswith("the argument b'\\xb5\\xbc' is not UTF-8 text")
    assert undecodable_argument(["regional", "sync"], exc) == str(exc)  # no such argument: the error as it was


def test_a_label_typed_in_a_gbk_terminal_is_named_and_nothing_is_stored(tmp_path: Path) -> None:
    data = tmp_path / "region"
    d = str(data)
    assert hufu("regional", "init", "--region", "440000", "--data-dir", d).returncode == 0
    assert hufu("regional", "user", "add", "li", "--role", "officer", "--data-dir", d,
                stdin=f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    done = hufu("regional", "token", "add", "li", "--label", "导出".encode("gbk"), "--data-dir", d)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "codec" not in done.stderr, done.stderr
    assert "hufu: the argument b'\\xb5\\xbc\\xb3\\xf6' is not UTF-8 text" in done.stderr, done.stderr
    engine = sa.create_engine(f"sqlite:///{data / 'node.db'}")
    with engine.connect() as conn:
        assert conn.scalar(sa.text("select count(*) from api_tokens")) == 0
    engine.dispose()
    # the same label in UTF-8 is taken
    assert hufu("regional", "token", "add", "li", "--label", "导出", "--data-dir", d).returncode == 0
