"""restore.yml -e hufu_restore_from_store=true: which backup of the store is restored.

`hufu_restore_backup` is one backup's exact name or `latest`. A pattern matching several backups used to
restore the newest of them without a word; now it is refused with the matches named, and the play always
says which backup it restores (with `latest`, also the next newest there). The store's real task file, the
node and the store both this machine (connection local); the node's backup dir is a temporary directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE = ROOT / "ansible"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.ansible

BACKUPS = ("20261128T023000Z", "20261130T023000Z", "20261130T120000Z-manual", "20261201T023000Z")


def _restore_from_store(tmp_path: Path, backup: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    if os.geteuid() != 0:
        pytest.skip("the task file copies the backup to the node as owner root")
    store = tmp_path / "store"
    for name in BACKUPS:
        (store / "region-330000" / name).mkdir(parents=True)
        (store / "region-330000" / name / "MANIFEST").write_text(name + "\n", encoding="utf-8")
    node_backups = tmp_path / "node-backups"
    play = tmp_path / "play.yml"
    play.write_text(f"""
- hosts: region-330000
  gather_facts: false
  tasks:
    - ansible.builtin.include_tasks: {ANSIBLE / "tasks" / "restore-from-store.yml"}
    - ansible.builtin.debug:
        msg: "CHOSEN={{{{ _hufu_restore_chosen }}}}"
""", encoding="utf-8")
    local = f"ansible_connection=local ansible_python_interpreter={sys.executable}"
    hosts = tmp_path / "hosts.ini"
    hosts.write_text(f"[regional]\nregion-330000 {local}\n[backup_store]\nbackup-1 {local}\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
           "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "ANSIBLE_RETRY_FILES_ENABLED": "0",
           "ANSIBLE_BECOME": "false"}
    variables = {"hufu_backup_store_dir": str(store), "hufu_backup_dir": str(node_backups),
                 "hufu_restore_backup": backup, "ansible_become": False}
    result = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(hosts), str(play), "-e", json.dumps(variables)],
                            cwd=ANSIBLE, env=env, capture_output=True, text=True, timeout=300)
    return result, node_backups


def test_a_pattern_matching_several_backups_is_refused_with_their_names(tmp_path: Path) -> None:
    result, node_backups = _restore_from_store(tmp_path, "20261130*")
    out = " ".join(result.stdout.split())
    assert result.returncode != 0, out[-3000:]
    assert "hufu_restore_backup 20261130* matches 2 backups of region-330000 on backup-1: " \
           "20261130T023000Z, 20261130T120000Z-manual. Give one backup by its exact name" in out, out[-3000:]
    assert not node_backups.exists() or not any(node_backups.iterdir()), "nothing may be copied to the node"
    assert "CHOSEN=" not in out


def test_a_pattern_matching_one_backup_is_refused_too_with_its_name(tmp_path: Path) -> None:
    """hufu-restore on the node takes a name, not a pattern (and -e outranks the play's set_fact)."""
    result, _ = _restore_from_store(tmp_path, "20261201*")
    out = " ".join(result.stdout.split())
    assert result.returncode != 0, out[-3000:]
    assert "hufu_restore_backup 20261201* matches 1 backup of region-330000 on backup-1: 20261201T023000Z." in out, \
        out[-3000:]


def test_latest_says_which_backup_it_restores_and_names_the_next_ones(tmp_path: Path) -> None:
    result, node_backups = _restore_from_store(tmp_path, "latest")
    out = " ".join(result.stdout.split())
    assert result.returncode == 0, out[-3000:]
    assert "Restoring region-330000 from backup 20261201T023000Z on backup-1 (the newest of 4 there; the next: " \
           "20261130T120000Z-manual, 20261130T023000Z, 20261128T023000Z)." in out, out[-3000:]
    assert "CHOSEN=20261201T023000Z" in out
    assert (node_backups / "20261201T023000Z" / "MANIFEST").read_text(encoding="utf-8") == "20261201T023000Z\n"


def test_an_exact_name_restores_that_backup_and_says_so(tmp_path: Path) -> None:
    result, node_backups = _restore_from_store(tmp_path, "20261130T023000Z")
    out = " ".join(result.stdout.split())
    assert result.returncode == 0, out[-3000:]
    assert "Restoring region-330000 from backup 20261130T023000Z on backup-1." in out, out[-3000:]
    assert "CHOSEN=20261130T023000Z" in out
    assert (node_backups / "20261130T023000Z" / "MANIFEST").is_file()
