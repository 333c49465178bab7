"""The runbook's playbooks (docs/operations.md) stop early and clearly when the operator gets something wrong.

These run the kit's real playbooks against an inventory whose hosts cannot be reached (127.0.0.1, port 1):
the checks under test happen before any host is contacted, so nothing is deployed anywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE = ROOT / "ansible"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.ansible

UNREACHABLE = "ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody"


def _run(tmp_path: Path, playbook: str, *args: str) -> subprocess.CompletedProcess[str]:
    hosts = tmp_path / "hosts.ini"
    hosts.write_text(
        f"[national]\nnational-1 {UNREACHABLE}\n"
        f"[regional]\nregion-440000 {UNREACHABLE} hufu_region=\"440000\"\n"
        f"region-330000 {UNREACHABLE} hufu_region=\"330000\"\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
           "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "ANSIBLE_RETRY_FILES_ENABLED": "0"}
    return subprocess.run([str(BIN / "ansible-playbook"), "-i", str(hosts), playbook, *args],
                          cwd=ANSIBLE, env=env, capture_output=True, text=True, timeout=300)


def test_add_region_with_a_bad_code_stops_at_the_code_check(tmp_path: Path) -> None:
    """A mistyped -e hufu_region is refused once, by name; the play must not go on to look for a host for it
    (which ended with the contradictory advice to add a host 'with hufu_region: "990000"')."""
    result = _run(tmp_path, "add-region.yml", "-e", "hufu_region=990000")
    assert result.returncode != 0
    assert "is '990000': set it (as a quoted string) to the province's six-digit GB/T 2260 code" in result.stdout
    assert "No regional host is free for region 990000" not in result.stdout, result.stdout[-3000:]
    assert "TASK [Look for a deployed regional node]" not in result.stdout, result.stdout[-3000:]
