"""newcomer22 D5: a list or an object where the contract wants text (a title given as ["康帅傅", "面"]) was refused
as `field 'title': must be text` with no "(got …)", unlike every other refusal: the clerk could not see what the
file held. The value is quoted now, shortened like any other."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import _subprocess_env, hufu_command


def hufu(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True,
                          env=_subprocess_env(), timeout=300)


def test_a_list_or_object_given_as_text_is_quoted_in_the_refusal(tmp_path: Path) -> None:
    assert hufu("pki", "init", "--dir", tmp_path / "pki").returncode == 0
    assert hufu("pki", "issue-region", "440000", "--dir", tmp_path / "pki").returncode == 0
    node = tmp_path / "node"
    assert hufu("regional", "init", "--data-dir", node, "--region", "440000", "--pki",
                tmp_path / "pki/regions/440000", "--national", "127.0.0.1:9").returncode == 0
    path = tmp_path / "lists.jsonl"
    path.write_text('{"id": "n22-l1", "title": ["康帅傅", "面"]}\n{"id": "n22-l2", "title": {"zh": "康帅傅"}}\n'
                    '{"id": "n22-l3", "title": "雷碧", "seller": ["深圳市博鹏商贸有限公司"]}\n', encoding="utf-8")
    done = hufu("regional", "import-listings", path, "--data-dir", node)
    assert done.returncode == 1
    err = done.stderr
    assert "lists.jsonl:1 (n22-l1) field 'title': must be text (got [\"康帅傅\", \"面\"])" in err, err
    assert "lists.jsonl:2 (n22-l2) field 'title': must be text (got {\"zh\": \"康帅傅\"})" in err, err
    assert "lists.jsonl:3 (n22-l3) field 'seller': " in err and "(got [\"深圳市博鹏商贸有限公司\"])" in err, err
    assert "nothing was imported" in err
