"""`hufu regional review list` as an officer at a terminal uses it: pages forward with --after, back with
--before, and clear refusals (exit 2, the flag named, no traceback) for what cannot be used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from regional.config import RegionalConfig
from sync.db import Database
from tests.workflow_data import build


def hufu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "national.cli", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("review-cli") / "node"
    init = hufu("regional", "init", "--data-dir", str(data), "--region", "440000")
    assert init.returncode == 0, init.stderr
    build(Database(RegionalConfig.load(data).db_url), 23)
    return data


def page(node: Path, *extra: str) -> dict:
    proc = hufu("regional", "review", "list", "--data-dir", str(node), "--state", "all", "--limit", "5",
                "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_paging_forward_then_back_shows_the_same_pages(node: Path) -> None:
    first = page(node)
    assert first["total"] == 23 and first["total_exact"] is True
    assert first["prev"] is None and first["next"]
    forward = [first]
    while forward[-1]["next"]:
        forward.append(page(node, "--after", forward[-1]["next"]))
    assert [len(p["leads"]) for p in forward] == [5, 5, 5, 5, 3]
    seen = [lead["uuid"] for p in forward for lead in p["leads"]]
    assert len(seen) == len(set(seen)) == 23
    back = forward[-1]
    for expected in reversed(forward[:-1]):  # --before the page's prev cursor gives the page before it
        assert back["prev"]
        back = page(node, "--before", back["prev"])
        assert [x["uuid"] for x in back["leads"]] == [x["uuid"] for x in expected["leads"]]
    assert back["prev"] is None


def test_the_text_output_prints_both_cursors(node: Path) -> None:
    second = page(node, "--after", page(node)["next"])
    proc = hufu("regional", "review", "list", "--data-dir", str(node), "--state", "all", "--limit", "5",
                "--after", page(node)["next"])
    assert proc.returncode == 0, proc.stderr
    assert "23 lead(s); showing 5" in proc.stdout
    assert f"previous page: --before {second['prev']}" in proc.stdout
    assert f"next page: --after {second['next']}" in proc.stdout


@pytest.mark.parametrize(("extra", "named"), [
    (("--after", "x", "--before", "y"), "before"),
    (("--before", "not-a-cursor"), "before"),
    (("--after", "not-a-cursor"), "after"),
    (("--limit", "0"), "limit"),
    (("--limit", "100000"), "limit"),
    (("--state", "sleeping"), "state"),
])
def test_what_cannot_be_used_is_refused_with_the_flag_named(node: Path, extra: tuple[str, ...], named: str) -> None:
    proc = hufu("regional", "review", "list", "--data-dir", str(node), *extra)
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr.startswith(f"hufu: {named}:"), proc.stderr
    assert "Traceback" not in proc.stderr
