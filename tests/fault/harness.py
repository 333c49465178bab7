"""Real processes for the fault suite: the `hufu` CLI, national and regional nodes, and checks.

Everything here goes through the stable black-box interfaces: the CLI, `regional.outbox.append`
(`append_many` when offered) to fill an outbox fast, and plain SQL (sqlite3) on the nodes'
databases — never ORM classes, so the sync internals can change underneath the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

REPO_ROOT = Path(__file__).resolve().parents[2]
# Liveness guards, not speed limits (speed lives in `hufu bench`): a CLI run or a node start that overruns them is
# hung. On a loaded 2-core machine a Python process importing grpc + SQLAlchemy alone can take 10-20 s.
CLI_TIMEOUT_S = 240.0
START_TIMEOUT_S = 120.0
STOP_GRACE_S = 8.0
POLL_S = 0.05
FILL_CHUNK = 2000

Row = tuple[int, int, str]  # (epoch, sequence, uuid)


# ------------------------------------------------------------------------------------ basics


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A loopback port nobody uses right now, below the kernel's ephemeral range.

    The national node keeps its port across kill -9 and restarts (the regions are configured with it). A port
    from bind(("127.0.0.1", 0)) is an ephemeral one: any outgoing connection on the machine (the regions'
    own reconnects, PostgreSQL clients, Chromium, other suites) may be given it as its local port while the
    node is down, and the restart then fails with "address in use". Below the ephemeral range only an explicit
    bind can take it."""
    import random

    low, high = 20000, min(_ephemeral_start(), 32768)
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(low, high)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(1.0)
            if s.connect_ex(("127.0.0.1", port)) != 0:  # nobody listens there on another address either
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:  # a crowded machine: any free port
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def node_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every process the suite starts: this checkout, unbuffered output."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra or {})
    return env


def tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log file, for failure messages."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until(predicate: Callable[[], bool], timeout: float, what: str,
               diagnose: Callable[[], str] | None = None) -> None:
    """Poll `predicate` until it holds; fail naming `what` (and the diagnosis) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            detail = f"\n{diagnose()}" if diagnose else ""
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(POLL_S)


def cli(args: Sequence[str | Path], *, timeout: float = CLI_TIMEOUT_S,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m national.cli ARGS` to completion (process group killed if it overruns)."""
    cmd = [sys.executable, "-m", "national.cli", *map(str, args)]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=node_env(env), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(f"`{' '.join(cmd[2:])}` did not finish within {timeout:.0f} s:\n{err}") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def cli_ok(args: Sequence[str | Path], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`cli`, failing the test with the command's output unless it exits 0."""
    done = cli(args, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"`hufu {' '.join(map(str, args))}` exited {done.returncode}:\n"
                             f"{done.stderr.strip()}\n{done.stdout.strip()}")
    return done


# ------------------------------------------------------------------------------- processes


class Processes:
    """Every long-running process a test starts; all of them die at teardown (process groups)."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._all: list[subprocess.Popen[bytes]] = []
        self._count = 0

    def start(self, name: str, args: Sequence[str | Path],
              env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], Path]:
        """Start `hufu ARGS` in its own session, output to a fresh log file."""
        self._count += 1
        log_path = self.log_dir / f"{self._count:02d}-{name}.log"
        cmd = [sys.executable, "-m", "national.cli", *map(str, args)]
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=node_env(env), stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._all.append(proc)
        return proc, log_path

    @staticmethod
    def kill9(proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process's whole group and reap it."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=STOP_GRACE_S)

    @classmethod
    def stop(cls, proc: subprocess.Popen[bytes]) -> None:
        """SIGTERM, a short grace, then SIGKILL of the group."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=STOP_GRACE_S)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        cls.kill9(proc)

    def stop_all(self) -> None:
        """Teardown: nothing the test started survives it."""
        for proc in reversed(self._all):
            try:
                self.kill9(proc)
            except Exception:  # noqa: BLE001 - keep killing the others
                pass


# ----------------------------------------------------------------------------------- nodes


@dataclass
class NationalNode:
    """A national data dir with its gRPC server (and optionally its worker) as real processes."""

    data_dir: Path
    port: int
    procs: Processes
    serve: subprocess.Popen[bytes] | None = None
    serve_log: Path | None = None
    worker: subprocess.Popen[bytes] | None = None
    worker_log: Path | None = None
    starts: int = 0

    @property
    def address(self) -> str:
        """host:port of the gRPC server."""
        return f"127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "node.db"

    def start(self) -> None:
        """Start `national serve` on the node's fixed port; return once run/grpc.json names it."""
        port_file = self.data_dir / "run" / "grpc.json"
        port_file.unlink(missing_ok=True)
        self.starts += 1
        self.serve, self.serve_log = self.procs.start(
            f"national-serve-{self.starts}", ["national", "serve", "--data-dir", self.data_dir, "--port", self.port])
        proc = self.serve

        def listening() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"national serve exited with {proc.returncode}:\n{tail(self.serve_log)}")
            try:
                info = json.loads(port_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return False
            return info.get("pid") == proc.pid and int(info.get("port", 0)) == self.port

        wait_until(listening, START_TIMEOUT_S, f"national serve to listen on {self.address}",
                   lambda: tail(self.serve_log))

    def start_worker(self) -> None:
        """Start `national worker` (case formation, lead projection)."""
        self.worker, self.worker_log = self.procs.start(
            f"national-worker-{self.starts}", ["national", "worker", "--data-dir", self.data_dir])

    def kill9(self) -> None:
        """kill -9 the server (and the worker, if it runs): the node dies mid-whatever."""
        for proc in (self.serve, self.worker):
            if proc is not None:
                Processes.kill9(proc)

    def stop(self) -> None:
        """Stop the node's processes politely."""
        for proc in (self.worker, self.serve):
            if proc is not None:
                Processes.stop(proc)
        self.worker = None

    def stop_worker(self) -> None:
        if self.worker is not None:
            Processes.stop(self.worker)
            self.worker = None

    def log_tails(self) -> str:
        parts = []
        for label, path in (("serve", self.serve_log), ("worker", self.worker_log)):
            if path is not None:
                parts.append(f"--- national {label} log ({path}) ---\n{tail(path)}")
        return "\n".join(parts)


@dataclass
class RegionalNode:
    """A regional data dir: outbox filled in-process, synced by the real CLI or worker."""

    code: str
    data_dir: Path
    procs: Processes
    worker: subprocess.Popen[bytes] | None = None
    worker_log: Path | None = None
    written: int = 0

    @property
    def db_path(self) -> Path:
        return self.data_dir / "node.db"

    def fill(self, count: int) -> list[str]:
        """Append `count` leads to the outbox, 2,000 per transaction; returns their uuids."""
        from regional import outbox
        from sync.db import Database, sqlite_url
        from sync.v1 import sync_pb2

        db = Database(sqlite_url(self.db_path))
        signer = outbox.Signer.from_file(self.code, self.data_dir / "pki" / "signing.key")
        append_many = getattr(outbox, "append_many", None)  # one numbering query per chunk, when offered
        uuids: list[str] = []
        try:
            while len(uuids) < count:
                now = dt.datetime.now(dt.UTC)
                chunk = []
                for _ in range(min(FILL_CHUNK, count - len(uuids))):
                    self.written += 1
                    chunk.append(sync_pb2.Record(uuid=str(uuid4()), revision=1, lead=sync_pb2.Lead(
                        listing_id=f"{self.code}-{self.written}", right="TM-1", type="trademark", score=0.9,
                        seller=sync_pb2.Seller(name="x", uscc="91440300MA5F12345X"))))
                with db.transaction() as s:
                    if append_many is not None:
                        append_many(s, signer, chunk, now)
                    else:
                        for record in chunk:
                            outbox.append(s, signer, record, now)
                uuids.extend(r.uuid for r in chunk)
        finally:
            db.dispose()
        return uuids

    def sync(self, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        """`hufu regional sync` once (one push, one pull); the caller checks the exit code."""
        return cli(["regional", "sync", "--data-dir", self.data_dir], timeout=timeout)

    def sync_ok(self, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        done = self.sync(timeout)
        if done.returncode != 0:
            raise AssertionError(f"`hufu regional sync` of {self.code} exited {done.returncode}: "
                                 f"{done.stderr.strip()} {done.stdout.strip()}")
        return done

    def sync_loop(self) -> SyncLoop:
        """`hufu regional sync` over and over in a background thread, until stopped."""
        return SyncLoop(self)

    def start_worker(self, interval_s: float = 0.5) -> None:
        """`hufu regional worker`, pushing every `interval_s` seconds."""
        self.worker, self.worker_log = self.procs.start(
            f"regional-{self.code}-worker", ["regional", "worker", "--data-dir", self.data_dir],
            env={"HUFU_SYNC_INTERVAL_S": str(interval_s)})

    def stop_worker(self) -> None:
        if self.worker is not None:
            Processes.stop(self.worker)
            self.worker = None

    def log_tail(self) -> str:
        return f"--- regional {self.code} worker log ---\n{tail(self.worker_log)}" if self.worker_log else ""


class SyncLoop:
    """A loop of `hufu regional sync` runs (each one push, one pull) in a daemon thread."""

    PAUSE_S = 0.2

    def __init__(self, region: RegionalNode) -> None:
        self.region = region
        self.exits: list[int] = []
        self.last_stderr = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sync-loop-{region.code}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                done = self.region.sync()
            except AssertionError as exc:  # an overrunning sync was killed: count it, carry on
                self.exits.append(-1)
                self.last_stderr = str(exc)
                continue
            self.exits.append(done.returncode)
            if done.returncode != 0:
                self.last_stderr = done.stderr
                self._stop.wait(self.PAUSE_S)

    def stop(self) -> None:
        """Let the current run finish, then end the loop."""
        self._stop.set()
        self._thread.join(CLI_TIMEOUT_S + 10)

    def describe(self) -> str:
        return (f"--- regional {self.region.code} sync loop: exits {Counter(self.exits)}; last failure ---\n"
                f"{self.last_stderr.strip()}")


# ------------------------------------------------------------------------------ databases


def query(db_path: Path, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    """Plain SQL on a node's SQLite database (short-lived connection, safe beside the node)."""
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return [tuple(row) for row in conn.execute(sql, tuple(params))]
    finally:
        conn.close()


def outbox_rows(region: RegionalNode) -> list[Row]:
    """The region's outbox as (epoch, sequence, uuid), in order."""
    return [(int(e), int(s), str(u)) for e, s, u in
            query(region.db_path, "SELECT epoch, sequence, uuid FROM outbox ORDER BY epoch, sequence")]


def outbox_count(region: RegionalNode) -> int:
    """How many records the region's outbox holds (committed)."""
    return int(query(region.db_path, "SELECT count(*) FROM outbox")[0][0])


def national_rows(national: NationalNode, code: str) -> list[Row]:
    """What the national node holds for `code` as (epoch, sequence, uuid), in order."""
    return [(int(e), int(s), str(u)) for e, s, u in query(
        national.db_path, "SELECT epoch, sequence, uuid FROM uplink_records WHERE region = ? "
                          "ORDER BY epoch, sequence", (code,))]


def national_count(national: NationalNode, code: str | None = None) -> int:
    """How many uplink records the national node holds (for one region, or in all)."""
    if code is None:
        return int(query(national.db_path, "SELECT count(*) FROM uplink_records")[0][0])
    return int(query(national.db_path, "SELECT count(*) FROM uplink_records WHERE region = ?", (code,))[0][0])


def national_applied(national: NationalNode, code: str) -> Counter[str]:
    """How often each uuid of `code` was *applied* by the national node.

    Rows the node keeps but did not apply (status `duplicate` or `conflict`, e.g. records a region
    staged again in a new epoch) do not count: held twice is fine, applied twice is not.
    """
    rows = query(national.db_path, "SELECT uuid FROM uplink_records WHERE region = ? AND status = 'applied'", (code,))
    return Counter(str(u) for (u,) in rows)


def national_lead_uuids(national: NationalNode, code: str | None = None) -> list[str]:
    """uuids in the national `leads` table (one row per lead once projected)."""
    if code is None:
        return [str(u) for (u,) in query(national.db_path, "SELECT uuid FROM leads ORDER BY uuid")]
    return [str(u) for (u,) in query(national.db_path, "SELECT uuid FROM leads WHERE region = ? ORDER BY uuid",
                                     (code,))]


def national_record_bytes(national: NationalNode, code: str) -> dict[tuple[int, int], bytes]:
    """The stored record bytes per (epoch, sequence) of a region: what 'nothing overwritten' compares."""
    return {(int(e), int(s)): bytes(b) for e, s, b in query(
        national.db_path, "SELECT epoch, sequence, record FROM uplink_records WHERE region = ?", (code,))}


def difference(label: str, expected: Sequence[Row], got: Sequence[Row]) -> str:
    """A short account of how two record lists differ: lost, doubled, foreign, first divergence."""
    if list(expected) == list(got):
        return ""
    exp_uuids, got_uuids = Counter(r[2] for r in expected), Counter(r[2] for r in got)
    lost = [u for u in exp_uuids if u not in got_uuids]
    extra = [u for u in got_uuids if u not in exp_uuids]
    doubled = [u for u, n in got_uuids.items() if n > 1]
    first = next((i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
                 min(len(expected), len(got)))
    return (f"{label}: region outbox has {len(expected)} records, national node {len(got)}; "
            f"lost {len(lost)} {lost[:3]}, doubled {len(doubled)} {doubled[:3]}, "
            f"not in the outbox {len(extra)} {extra[:3]}; first divergence at index {first}: "
            f"outbox {expected[first:first + 2]} vs national {got[first:first + 2]}")


def in_sync(region: RegionalNode, national: NationalNode) -> bool:
    """True once the national node holds exactly the region's outbox."""
    return outbox_rows(region) == national_rows(national, region.code)


def assert_in_sync(region: RegionalNode, national: NationalNode) -> None:
    """The invariant of every fault test: national records == region outbox, none lost, none doubled."""
    expected, got = outbox_rows(region), national_rows(national, region.code)
    assert expected == got, difference(f"region {region.code}", expected, got)


def wait_in_sync(region: RegionalNode, national: NationalNode, timeout: float, *, extra: str = "") -> None:
    """Wait until the region's outbox has arrived exactly; fail with what differs and the logs."""
    wait_until(lambda: in_sync(region, national), timeout,
               f"the national node to hold exactly region {region.code}'s outbox {extra}".strip(),
               lambda: "\n".join([difference(f"region {region.code}", outbox_rows(region),
                                             national_rows(national, region.code)),
                                  region.log_tail(), national.log_tails()]))


def wait_leads_projected(national: NationalNode, code: str, expected_uuids: Iterable[str], timeout: float) -> None:
    """Wait until the national `leads` table has exactly one row per lead uuid of the region."""
    want = sorted(expected_uuids)

    def projected() -> bool:
        return national_lead_uuids(national, code) == want

    def why() -> str:
        have = national_lead_uuids(national, code)
        doubled = [u for u, n in Counter(have).items() if n > 1]
        return (f"leads of {code}: want {len(want)}, have {len(have)} rows "
                f"({len(set(want) - set(have))} missing, {len(doubled)} doubled)\n{national.log_tails()}")

    wait_until(projected, timeout, f"one national lead row per lead of region {code}", why)


# ----------------------------------------------------------------------------- backups


def backup(db_path: Path, dest: Path) -> None:
    """A consistent copy of a live SQLite database (sqlite3 backup API; reads through the WAL)."""
    dest.unlink(missing_ok=True)
    src = sqlite3.connect(db_path, timeout=30)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def restore(copy: Path, db_path: Path) -> None:
    """Put a copy back in place of a stopped node's database (its WAL and shm go with the old one)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    backup(copy, db_path)


# ---------------------------------------------------------------------------- federation


@dataclass
class Federation:
    """One test's federation: a PKI shared by the session, data dirs of its own, its processes."""

    root: Path
    pki: Path
    procs: Processes
    proxies: list[Any] = field(default_factory=list)

    def national(self, name: str = "national") -> NationalNode:
        """`hufu national init` a fresh national data dir on a fixed free port (not started)."""
        data_dir = self.root / name
        cli_ok(["national", "init", "--data-dir", data_dir, "--pki", self.pki])
        # regions here exchange when a test says so (`hufu regional sync`), not every sync interval: do not call
        # them late (national/status.py) for the minutes a test spends between two syncs
        with (Path(data_dir) / "national.toml").open("a", encoding="utf-8") as toml:
            toml.write("late_after_intervals = 100000\n")
        return NationalNode(data_dir=data_dir, port=free_port(), procs=self.procs)

    def region(self, code: str, national_address: str, name: str | None = None) -> RegionalNode:
        """`hufu regional init` a fresh region pointed at `national_address` (node or proxy)."""
        data_dir = self.root / (name or f"region-{code}")
        cli_ok(["regional", "init", "--data-dir", data_dir, "--region", code,
                "--pki", self.pki / "regions" / code, "--national", national_address])
        return RegionalNode(code=code, data_dir=data_dir, procs=self.procs)

    def proxy(self, national: NationalNode) -> Any:
        """A TCP proxy in front of the national node, closed at teardown."""
        from tests.fault.proxy import TcpProxy

        proxy = TcpProxy(national.port)
        self.proxies.append(proxy)
        return proxy

    def close(self) -> None:
        for proxy in self.proxies:
            proxy.close()
        self.procs.stop_all()


def make_pki(pki: Path, codes: Iterable[str]) -> Path:
    """`hufu pki init` and `hufu pki issue-region` for each code (sequential: they share regions.json)."""
    cli_ok(["pki", "init", "--dir", pki])
    for code in codes:
        cli_ok(["pki", "issue-region", code, "--dir", pki])
    return pki
