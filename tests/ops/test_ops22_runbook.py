"""The runbook's playbooks (docs/operations.md) stop early and clearly when the operator gets something wrong.

These run the kit's real playbooks against an inventory whose hosts cannot be reached (127.0.0.1, port 1):
the checks under test happen before any host is contacted, so nothing is deployed anywhere.
"""

from __future__ import annotations

import json
import os
import shutil
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
    # named as what the operator typed (-e), not as if it were region-440000's inventory value
    assert "-e hufu_region is '990000': set it (as a quoted string) to the province's six-digit GB/T 2260 code" \
        in result.stdout, result.stdout[-3000:]
    assert "No regional host is free for region 990000" not in result.stdout, result.stdout[-3000:]
    assert "TASK [Look for a deployed regional node]" not in result.stdout, result.stdout[-3000:]



def test_add_region_names_the_hosts_it_could_not_reach_when_none_is_free(tmp_path: Path) -> None:
    """The new host is in the inventory but unreachable: 'add its host to the inventory' alone sends the operator
    the wrong way; the message must name the hosts not considered. (And the play must get that far: with
    any_errors_fatal on the whole play, the first unreachable host ended it silently.)"""
    result = _run(tmp_path, "add-region.yml", "-e", "hufu_region=320000", "-e", "hufu_database=sqlite")
    assert result.returncode != 0
    assert "No regional host is free for region 320000" in result.stdout, result.stdout[-3000:]
    assert "Not reachable over SSH, so not considered: region-440000, region-330000" in result.stdout, \
        result.stdout[-3000:]


def _render_restore_script(tmp_path: Path, backup_dir: Path) -> Path:
    """hufu-restore as the backup role writes it for a region (the template, rendered by Ansible)."""
    script = tmp_path / "hufu-restore"
    play = tmp_path / "render.yml"
    play.write_text(f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.template:
        src: {ANSIBLE / "roles" / "backup" / "templates" / "hufu-restore.j2"}
        dest: {script}
        mode: "0755"
""", encoding="utf-8")
    variables = {"_hufu_backup_kind": "regional", "_hufu_backup_data_dir": str(tmp_path / "data"),
                 "_hufu_backup_ca_dir": "", "_hufu_backup_services": ["hufu-regional-web"],
                 "hufu_backup_dir": str(backup_dir), "hufu_group": "hufu", "hufu_user": "hufu",
                 "hufu_region": "330000", "hufu_database": "postgresql", "hufu_postgresql_db": "hufu_region_330000",
                 "hufu_postgresql_user": "hufu_region_330000", "hufu_postgresql_port": 5432,
                 "hufu_process_manager": "supervisor"}
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
           "ANSIBLE_HOME": str(tmp_path / "ansible-home")}
    subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play),
                    "-e", f"ansible_python_interpreter={sys.executable}", "-e", json.dumps(variables)],
                   cwd=ANSIBLE, env=env, check=True, capture_output=True, text=True, timeout=300)
    return script


def test_hufu_restore_of_a_backup_that_does_not_exist_says_so_and_lists_the_ones_there(tmp_path: Path) -> None:
    """`restore.yml -e hufu_restore_backup=<typo>` (or `hufu-restore <typo>` by hand): the message must say the
    backup does not exist and name the ones on the host, not call it 'not a hufu-backup backup'."""
    backups = tmp_path / "backups"
    for name in ("20261130T023000Z", "20261201T023000Z-manual"):
        (backups / name).mkdir(parents=True)
    script = _render_restore_script(tmp_path, backups)
    result = subprocess.run([str(script), "20261130T023000Z-manual", "--yes"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert f"there is no backup {backups}/20261130T023000Z-manual on this host" in result.stderr, result.stderr
    assert "the backups here: 20261130T023000Z 20261201T023000Z-manual" in result.stderr, result.stderr
    assert "not a hufu-backup backup" not in result.stderr
    # an existing directory without a MANIFEST is still refused as what it is
    result = subprocess.run([str(script), "20261130T023000Z", "--yes"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "is not a hufu-backup backup" in result.stderr, result.stderr


def test_build_bundle_names_a_ref_that_does_not_exist_without_a_traceback(tmp_path: Path) -> None:
    """The runbook's first command, `build-bundle.py --ref v0.1.0`, on a clone without that tag."""
    result = subprocess.run([sys.executable, str(ANSIBLE / "build-bundle.py"), "--ref", "v9.9.9-no-such-tag",
                             "--out", str(tmp_path / "dist")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "--ref v9.9.9-no-such-tag is not a commit, tag or branch of this repository" in result.stderr


def test_upgrade_yml_touches_no_region_when_the_national_host_cannot_be_reached(tmp_path: Path) -> None:
    """The runbook: national first, and the first node that fails stops the rollout. The real upgrade.yml, its
    per-node work and the release preflight replaced by a marker (so nothing is installed on this machine), a
    national host that cannot be reached and a regional host that can (this machine, connection local)."""
    kit = tmp_path / "ansible"
    shutil.copytree(ANSIBLE, kit, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    (kit / "tasks" / "upgrade-node.yml").write_text(
        "- name: Marker\n  ansible.builtin.debug:\n    msg: UPGRADING-{{ inventory_hostname }}\n", encoding="utf-8")
    (kit / "roles" / "hufu_release" / "tasks" / "preflight.yml").write_text(
        "- name: Marker\n  ansible.builtin.debug:\n    msg: preflight\n", encoding="utf-8")
    hosts = tmp_path / "hosts.ini"
    hosts.write_text(f"[national]\nnational-1 {UNREACHABLE}\n"
                     f"[regional]\nregion-440000 ansible_connection=local ansible_python_interpreter={sys.executable} "
                     "hufu_region=\"440000\"\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_CONFIG": str(kit / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
           "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "ANSIBLE_RETRY_FILES_ENABLED": "0",
           "ANSIBLE_BECOME": "false"}
    result = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(hosts), "upgrade.yml", "-e", "ansible_become=false"],
                            cwd=kit, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "UNREACHABLE" in result.stdout, result.stdout[-3000:]
    assert "UPGRADING-region-440000" not in result.stdout, result.stdout[-3000:]


def test_restore_from_the_store_names_the_backups_there_when_the_one_asked_for_is_missing(tmp_path: Path) -> None:
    """`restore.yml -e hufu_restore_from_store=true -e hufu_restore_backup=<typo>`: the store's task file, with
    the node and the store both this machine (connection local)."""
    store = tmp_path / "store"
    for name in ("20261130T023000Z", "20261201T023000Z-manual"):
        (store / "region-330000" / name).mkdir(parents=True)
    play = tmp_path / "play.yml"
    play.write_text(f"""
- hosts: region-330000
  gather_facts: false
  tasks:
    - ansible.builtin.include_tasks: {ANSIBLE / "tasks" / "restore-from-store.yml"}
""", encoding="utf-8")
    local = f"ansible_connection=local ansible_python_interpreter={sys.executable}"
    hosts = tmp_path / "hosts.ini"
    hosts.write_text(f"[regional]\nregion-330000 {local}\n[backup_store]\nbackup-1 {local}\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
           "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "ANSIBLE_RETRY_FILES_ENABLED": "0"}
    result = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(hosts), str(play), "-e",
                             json.dumps({"hufu_backup_store_dir": str(store), "hufu_restore_backup": "20261129T023000Z"})],
                            cwd=ANSIBLE, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "No backup 20261129T023000Z of region-330000 on backup-1; the backups of region-330000 there: " \
        "20261130T023000Z, 20261201T023000Z-manual." in " ".join(result.stdout.split()), result.stdout[-3000:]
