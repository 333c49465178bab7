"""A throwaway PostgreSQL cluster for the benchmarks (initdb in a temp dir, pg_ctl start/stop).

Durable like production (fsync and synchronous_commit on): both the tool and its baseline
pay the same commit. Under root the server runs as the `postgres` system user. Set
HUFU_BENCH_PG_URL to use an existing server instead (a database is created and dropped).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV_URL = "HUFU_BENCH_PG_URL"
SUPERUSER = "hufu"


class ClusterError(RuntimeError):
    """The cluster could not be provided; the message says what to do."""


def _bindir() -> Path:
    candidates = []
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True, timeout=10)
        candidates.append(Path(out.stdout.strip()))
    except (OSError, subprocess.SubprocessError):
        pass
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=lambda p: [int(x) for x in re.findall(r"\d+", p)], reverse=True)]
    for path in candidates:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    raise ClusterError("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql, "
                       f"or set {ENV_URL} to an existing server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database() -> Iterator[str]:
    """The SQLAlchemy URL of an empty database on a durable server, removed afterwards."""
    import sqlalchemy as sa

    url = os.environ.get(ENV_URL)
    if url:
        name = f"hufu_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        try:
            yield sa.make_url(url).set(drivername="postgresql+psycopg", database=name).render_as_string(False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
        return
    bindir = _bindir()
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="hufu-bench-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else \
            ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}", "--init-groups", "--"]
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, log = root / "data", root / "server.log"

    def run(argv: list[str]) -> None:
        done = subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=120, cwd=root)
        if done.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"{' '.join(argv)} failed: {done.stdout}{done.stderr}{tail}")

    port = _free_port()
    try:
        run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER, "--encoding=UTF8",
             "--no-locale"])
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{root}'\n"
                       "max_connections = 200\nshared_buffers = 256MB\n")
        run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start"])
        import sqlalchemy as sa

        admin = sa.create_engine(f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres",
                                 isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE bench ENCODING 'UTF8' TEMPLATE template0")
        admin.dispose()
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/bench"
    finally:
        if (data / "postmaster.pid").exists():
            try:
                run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
            except ClusterError:
                pass
        shutil.rmtree(root, ignore_errors=True)
