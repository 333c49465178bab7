"""The release bundle's name: what build-bundle.py writes, what the example inventory says, what the play says.

build-bundle.py writes dist/hufu-<version>-<commit>.tar; the example inventory said dist/hufu-0.1.0.tar, so a
federation set up from it stopped with "does not exist; build it" right after the operator had built it. Now
the example names the bundle the way build-bundle.py does, and the release preflight names the file it
expected and the bundles that are there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE = ROOT / "ansible"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.ansible


def _preflight(tmp_path: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    play = tmp_path / "play.yml"
    play.write_text("""
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role: {name: hufu_release, tasks_from: preflight}
""", encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
           "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "ANSIBLE_RETRY_FILES_ENABLED": "0",
           "ANSIBLE_ROLES_PATH": str(ANSIBLE / "roles")}
    return subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play),
                           "-e", json.dumps({"ansible_python_interpreter": sys.executable,
                                             "hufu_release_bundle": str(bundle)})],
                          cwd=ANSIBLE, env=env, capture_output=True, text=True, timeout=300)


def test_a_missing_bundle_is_named_with_the_bundles_that_are_there(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    for age, name in enumerate(("hufu-0.1.0-81c5939bad.tar", "hufu-0.1.0-aa0ccc6f82.tar")):
        (dist / name).write_bytes(b"x")
        os.utime(dist / name, (1_700_000_000 - age * 100, 1_700_000_000 - age * 100))
    (dist / "notes.txt").write_text("not a bundle", encoding="utf-8")
    result = _preflight(tmp_path, dist / "hufu-0.1.0.tar")
    out = " ".join(result.stdout.split())
    assert result.returncode != 0, out[-3000:]
    assert f"hufu_release_bundle is {dist}/hufu-0.1.0.tar, which does not exist on the control node. " \
           f"Bundles in {dist}: hufu-0.1.0-81c5939bad.tar, hufu-0.1.0-aa0ccc6f82.tar (newest first)." in out, \
        out[-3000:]
    assert "notes.txt" not in out
    assert "it names a bundle hufu-<version>-<commit>.tar" in out


def test_a_missing_bundle_in_a_directory_without_bundles_says_so(tmp_path: Path) -> None:
    result = _preflight(tmp_path, tmp_path / "no-dist" / "hufu-0.1.0.tar")
    out = " ".join(result.stdout.split())
    assert result.returncode != 0, out[-3000:]
    assert f"There is no bundle (hufu-*.tar) in {tmp_path}/no-dist." in out, out[-3000:]
    assert f"ansible/build-bundle.py --ref <tag, branch or commit> --out {tmp_path}/no-dist" in out


def test_an_existing_bundle_passes_the_preflight(tmp_path: Path) -> None:
    bundle = tmp_path / "hufu-0.1.0-81c5939bad.tar"
    bundle.write_bytes(b"x")
    result = _preflight(tmp_path, bundle)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_example_inventory_names_the_bundle_as_build_bundle_writes_it() -> None:
    """build-bundle.py: f"hufu-{version}-{commit[:10]}.tar" (version: the hufu wheel's, i.e. pyproject's)."""
    source = (ANSIBLE / "build-bundle.py").read_text(encoding="utf-8")
    assert 'name = f"hufu-{version}-{commit[:10]}{\'-dirty\' if dirty else \'\'}.tar"' in source
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    example = yaml.safe_load((ANSIBLE / "inventories" / "example" / "group_vars" / "all" / "main.yml")
                             .read_text(encoding="utf-8"))["hufu_release_bundle"]
    name = example.rsplit("/", 1)[-1]
    assert re.fullmatch(rf"hufu-{re.escape(version)}-(<commit>|[0-9a-f]{{10}})\.tar", name), name
