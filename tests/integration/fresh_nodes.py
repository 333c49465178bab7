"""Fresh nodes made by real `hufu` processes, as an operator makes them (session 24; the set-up was copied in
test_newcomer23_cases_paging / _filing_revision / _export_text_cells / _import_not_finite and
test_lead23_bundle_refusals): a PKI, a national node or one region, and officers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import _subprocess_env, hufu_command

PASSWORD = "Pw-Xq7-2026-zz"


def run(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """One `hufu` command in its own process, its output captured."""
    return subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True, input=stdin,
                          env=_subprocess_env(), timeout=300)


def hufu(*args: str | Path, stdin: str | None = None) -> str:
    """One `hufu` command that must succeed; its standard output."""
    done = run(*args, stdin=stdin)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def fresh_region(root: Path, region: str = "440000", officer: str | None = None) -> Path:
    """A PKI under root/pki and an initialised regional node in root/node (its national address a closed port),
    with an officer signed in by PASSWORD if `officer` names one; the node's data directory."""
    hufu("pki", "init", "--dir", root / "pki")
    hufu("pki", "issue-region", region, "--dir", root / "pki")
    node = root / "node"
    hufu("regional", "init", "--data-dir", node, "--region", region, "--pki", root / "pki" / "regions" / region,
         "--national", "127.0.0.1:9")
    if officer:
        hufu("regional", "user", "add", officer, "--role", "officer", "--data-dir", node, stdin=PASSWORD)
    return node


def fresh_national(root: Path, officer: str | None = "officer") -> Path:
    """A PKI under root/pki and an initialised national node in root/national, with an officer of PASSWORD; the
    node's data directory."""
    hufu("pki", "init", "--dir", root / "pki")
    node = root / "national"
    hufu("national", "init", "--data-dir", node, "--pki", root / "pki")
    if officer:
        hufu("national", "user", "add", officer, "--role", "officer", "--data-dir", node, stdin=PASSWORD)
    return node
