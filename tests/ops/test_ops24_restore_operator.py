"""restore.yml records who declared a restored region live. Its default operator was the control node's $USER: under
`sudo ansible-playbook` that is root (not the person), under cron or `docker exec` it is unset and the play stopped
asking for -e hufu_restore_operator (ops23). The default is now $SUDO_USER, else $USER, else $LOGNAME. The
expression is taken from restore.yml itself and evaluated by a real ansible-playbook under each environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ANSIBLE = Path(__file__).resolve().parents[2] / "ansible"
BIN = Path(sys.executable).parent


def _operator(tmp_path: Path, env: dict[str, str]) -> str:
    (play,) = yaml.safe_load((ANSIBLE / "restore.yml").read_text(encoding="utf-8"))
    probe = [{"hosts": "localhost", "gather_facts": False,
              "vars": {"hufu_restore_operator": play["vars"]["hufu_restore_operator"]},
              "tasks": [{"ansible.builtin.debug": {"msg": "OPERATOR=[{{ hufu_restore_operator | trim }}]"}}]}]
    (tmp_path / "probe.yml").write_text(json.dumps(probe), encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k not in ("SUDO_USER", "USER", "LOGNAME")}
    done = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(tmp_path / "probe.yml"),
         "-e", f"ansible_python_interpreter={sys.executable}"],
        env={**base, **env, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "ANSIBLE_NOCOLOR": "1",
             "ANSIBLE_LOCAL_TEMP": str(tmp_path / "t"), "ANSIBLE_HOME": str(tmp_path / "h")},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return done.stdout.split("OPERATOR=[", 1)[1].split("]", 1)[0]


@pytest.mark.parametrize("env, operator", [
    ({"SUDO_USER": "ops-wang", "USER": "root", "LOGNAME": "root"}, "ops-wang"),  # sudo ansible-playbook
    ({"USER": "ops-li", "LOGNAME": "ops-li"}, "ops-li"),  # an operator's own shell
    ({"LOGNAME": "cron-ops"}, "cron-ops"),  # cron sets LOGNAME only
    ({}, ""),  # nothing known: the play's check stops it and asks for -e hufu_restore_operator
])
def test_the_default_operator_is_the_person_behind_the_play(tmp_path: Path, env: dict[str, str],
                                                             operator: str) -> None:
    assert _operator(tmp_path, env) == operator
