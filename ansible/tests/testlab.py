"""Throwaway test hosts on this machine for `make deploy-test`.

Each host is a network namespace with its own sshd, its own addresses (inside the namespaces
only) and its own view of the file system: a mount namespace where /etc, /var, /opt, /srv,
/home, /root and /usr are overlays on the machine's own (writes land in the host's directory
under the lab root), /run and /tmp are fresh tmpfs, and PID, IPC and UTS namespaces of its own
(so `ps` shows the host's processes, and killing the host's first process ends all of them).

All hosts hang off a bridge in a "switch" namespace, where the control node (ansible-playbook
and the test's own ssh checks) runs: nothing is added to the machine's own network namespace.

Needs root, iproute2, util-linux's unshare, OpenSSH's sshd and an overlayfs-capable kernel.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

OVERLAID = ("etc", "var", "opt", "srv", "home", "root", "usr")


class LabError(RuntimeError):
    """The lab could not be built or a command in it failed."""


@dataclass
class Host:
    """One test host."""

    name: str
    index: int
    netns: str
    address: str
    root: Path
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    pid: int | None = None  # of its first process (attached labs have no Popen)


@dataclass
class Lab:
    """A switch namespace, hosts attached to it, and the SSH identity the control node uses."""

    root: Path
    run_id: str = field(default_factory=lambda: secrets.token_hex(2))
    hosts: dict[str, Host] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.switch = f"hufu{self.run_id}sw"
        octet = 16 + int(self.run_id, 16) % 200
        self.prefix = f"10.231.{octet}"
        self.control_address = f"{self.prefix}.1"
        self.key = self.root / "id_ed25519"
        self.known_hosts = self.root / "known_hosts"
        self._netns: list[str] = []

    # ------------------------------------------------------------------ building

    def create(self) -> None:
        """The switch namespace with its bridge, and the control node's SSH key."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._ip("netns", "add", self.switch)
        self._netns.append(self.switch)
        self._save()
        self._ip("-n", self.switch, "link", "set", "lo", "up")
        self._ip("-n", self.switch, "link", "add", "br0", "type", "bridge")
        self._ip("-n", self.switch, "addr", "add", f"{self.control_address}/24", "dev", "br0")
        self._ip("-n", self.switch, "link", "set", "br0", "up")
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hufu-deploy-test", "-f", str(self.key)])
        self.known_hosts.write_text("", encoding="utf-8")

    def add_host(self, name: str) -> Host:
        """Create and start host `name` (its sshd listens on its own address)."""
        index = len(self.hosts) + 1
        host = Host(name=name, index=index, netns=f"hufu{self.run_id}h{index}",
                    address=f"{self.prefix}.{10 + index}", root=self.root / "hosts" / name)
        host.root.mkdir(parents=True)
        self._ip("netns", "add", host.netns)
        self._netns.append(host.netns)
        inner, outer = f"eth0{self.run_id}"[:15], f"hf{self.run_id}h{index}"[:15]
        self._ip("link", "add", inner, "netns", host.netns, "type", "veth", "peer", "name", outer,
                 "netns", self.switch)
        self._ip("-n", self.switch, "link", "set", outer, "master", "br0", "up")
        self._ip("-n", host.netns, "link", "set", inner, "name", "eth0")
        self._ip("-n", host.netns, "addr", "add", f"{host.address}/24", "dev", "eth0")
        self._ip("-n", host.netns, "link", "set", "eth0", "up")
        self._ip("-n", host.netns, "link", "set", "lo", "up")

        # the host key where a Debian host has it (its /etc overlay): the backup role reads the
        # store host's /etc/ssh/ssh_host_ed25519_key.pub to pin it for the off-host copies
        etc = host.root / "upper" / "etc"
        (etc / "ssh").mkdir(parents=True)
        hostkey = etc / "ssh" / "ssh_host_ed25519_key"
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"root@{name}", "-f", str(hostkey)])
        with self.known_hosts.open("a", encoding="utf-8") as fh:
            fh.write(f"{host.address} {' '.join(hostkey.with_suffix('.pub').read_text().split()[:2])}\n")
        (host.root / "sshd_config").write_text(
            f"ListenAddress {host.address}\n"
            "HostKey /etc/ssh/ssh_host_ed25519_key\n"
            f"AuthorizedKeysFile .ssh/authorized_keys {self.key}.pub\n"
            "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "UsePAM no\nStrictModes no\nMaxSessions 50\nMaxStartups 50:30:100\n"
            "PidFile /run/sshd.pid\nSubsystem sftp internal-sftp\n", encoding="utf-8")
        # the host's own /etc/hosts and hostname, laid into its /etc overlay before it starts
        (etc / "hostname").write_text(f"{name}\n", encoding="utf-8")
        (etc / "hosts").write_text(self._hosts_file(extra={name: host.address}), encoding="utf-8")

        init = host.root / "init.sh"
        mounts = "\n".join(
            f"mkdir -p {host.root}/upper/{d} {host.root}/work/{d}\n"
            f"mount -t overlay overlay -o lowerdir=/{d},upperdir={host.root}/upper/{d},"
            f"workdir={host.root}/work/{d} /{d}" for d in OVERLAID)
        init.write_text(
            "#!/bin/sh\n# PID 1 of test host " + name + ": its own file system view, then sshd.\nset -e\n"
            f"{mounts}\n"
            "mount -t tmpfs -o mode=0755,size=512m tmpfs /run\n"
            "mount -t tmpfs -o mode=1777,size=2g tmpfs /tmp\n"
            "mkdir -p /run/sshd /run/lock && chmod 0755 /run/sshd\n"
            f"hostname {shlex.quote(name)}\n"
            f"exec /usr/sbin/sshd -D -e -f {host.root}/sshd_config\n", encoding="utf-8")
        init.chmod(0o755)
        host.log = host.root / "sshd.log"
        log = host.log.open("ab")
        host.proc = subprocess.Popen(
            ["ip", "netns", "exec", host.netns, "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork",
             "--mount-proc", "--kill-child", "--propagation", "private", str(init)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        host.pid = host.proc.pid
        self.hosts[name] = host
        self._save()
        self._wait_ssh(host)
        for other in self.hosts.values():  # every host knows every other by name
            self.ssh(other.name, "cat > /etc/hosts", input=self._hosts_file())
        return host

    def _save(self) -> None:
        state = {"run_id": self.run_id, "netns": self._netns,
                 "hosts": {h.name: {"index": h.index, "netns": h.netns, "address": h.address, "pid": h.pid}
                           for h in self.hosts.values()}}
        (self.root / "lab.json").write_text(json.dumps(state, indent=2), encoding="utf-8")

    @classmethod
    def attach(cls, root: Path) -> Lab:
        """The lab a previous run left running (--keep) in `root`."""
        state = json.loads((root / "lab.json").read_text(encoding="utf-8"))
        lab = cls(root, run_id=state["run_id"])
        lab._netns = list(state["netns"])
        for name, h in state["hosts"].items():
            lab.hosts[name] = Host(name=name, index=h["index"], netns=h["netns"], address=h["address"],
                                   root=lab.root / "hosts" / name, pid=h["pid"], log=lab.root / "hosts" / name / "sshd.log")
        return lab

    def _hosts_file(self, extra: dict[str, str] | None = None) -> str:
        entries = {h.name: h.address for h in self.hosts.values()} | (extra or {})
        return "127.0.0.1 localhost\n::1 localhost ip6-localhost\n" + "".join(
            f"{addr} {name}\n" for name, addr in entries.items())

    def _wait_ssh(self, host: Host, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            result = self.ssh(host.name, "true", check=False, timeout=10)
            if result.returncode == 0:
                return
            if host.proc is not None and host.proc.poll() is not None:
                raise LabError(f"test host {host.name} stopped at start (exit {host.proc.returncode}); "
                               f"see {host.log}:\n{_tail(host.log)}")
            if time.monotonic() > deadline:
                raise LabError(f"sshd of test host {host.name} did not answer within {timeout:.0f} s; see {host.log}:\n"
                               f"{_tail(host.log)}\n{result.stderr}")
            time.sleep(0.3)

    # ------------------------------------------------------------------ using

    def ssh_args(self) -> list[str]:
        """ssh options the control node uses for every test host."""
        return ["-i", str(self.key), "-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR"]

    def in_switch(self, argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        """Run a command on the control node (the switch namespace)."""
        return _run(["ip", "netns", "exec", self.switch, *argv], **kwargs)  # type: ignore[arg-type]

    def ssh(self, name: str, command: str, *, check: bool = True, input: str | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a shell command on test host `name` as root."""
        host = self.hosts[name]
        result = self.in_switch(["ssh", *self.ssh_args(), f"root@{host.address}", command], check=False,
                                input=input, timeout=timeout)
        if check and result.returncode != 0:
            raise LabError(f"on {name}: `{command}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result

    # ------------------------------------------------------------------ tearing down

    def destroy(self) -> None:
        """Stop every host (all their processes die with their PID namespace), delete namespaces and files."""
        for host in self.hosts.values():
            if host.proc is not None and host.proc.poll() is None:
                os.killpg(host.proc.pid, signal.SIGKILL)
            elif host.proc is None and host.pid:
                try:
                    os.killpg(host.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for host in self.hosts.values():
            if host.proc is not None:
                try:
                    host.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    pass
        for ns in reversed(self._netns):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)
        self._netns.clear()
        hosts_dir = self.root / "hosts"
        if hosts_dir.exists():
            # overlay work dirs hold root-owned, mode-000 entries: delete with the shell's rm
            subprocess.run(["rm", "-rf", "--one-file-system", str(hosts_dir)], check=False)

    @staticmethod
    def _ip(*args: str) -> None:
        _run(["ip", *args])


def _run(argv: list[str], *, check: bool = True, input: str | None = None,
         timeout: float | None = None, env: dict[str, str] | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout,
                            env=env, cwd=cwd, check=False)
    if check and result.returncode != 0:
        raise LabError(f"`{shlex.join(argv)}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def _tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def requirements_missing() -> list[str]:
    """What this machine lacks to build test hosts (empty when it has everything)."""
    problems = []
    if os.geteuid() != 0:
        problems.append("root (network and mount namespaces)")
    for tool, package in (("ip", "iproute2"), ("unshare", "util-linux"), ("ssh", "openssh-client"),
                          ("ssh-keygen", "openssh-client")):
        if shutil.which(tool) is None:
            problems.append(f"{tool} (Debian package {package})")
    if not Path("/usr/sbin/sshd").exists():
        problems.append("/usr/sbin/sshd (Debian package openssh-server)")
    return problems
