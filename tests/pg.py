"""A throwaway PostgreSQL server for the test suite: initdb in a temp dir, pg_ctl start, pg_ctl stop.

PostgreSQL refuses to run as root, so under root (as here and in CI) the server binaries run as
the `postgres` system user that Debian's package creates. `HUFU_TEST_PG_URL` points the suite at
an existing server instead; the per-test databases are then created with a session prefix and
dropped at the end of the session.
"""

from __future__ import annotations

import glob
import itertools
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
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

ENV_URL = "HUFU_TEST_PG_URL"
INSTALL_COMMAND = "apt-get install -y postgresql"
SERVICE_USER = "postgres"
SUPERUSER = "hufu"
START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """The throwaway server cannot be provided; the message says what to do about it."""


@dataclass
class PgServer:
    """A PostgreSQL server the tests may create databases on."""

    base_url: URL
    prefix: str = "hufu_test_"
    created: list[str] = field(default_factory=list)
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    def url_for(self, dbname: str) -> str:
        """The SQLAlchemy (psycopg 3) URL of database `dbname` on this server."""
        return self.base_url.set(database=dbname).render_as_string(hide_password=False)

    def unique_name(self, hint: str = "") -> str:
        """A database name no other test of this session uses (at most 63 bytes, as PostgreSQL allows)."""
        slug = re.sub(r"[^a-z0-9]+", "_", hint.lower()).strip("_")
        return f"{self.prefix}{next(self._counter):04d}_{slug}"[:63].rstrip("_")

    def create_database(self, name: str) -> str:
        """Create an empty database `name` (UTF-8, from template0) and return its URL."""
        with self._admin() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {_quote(name)} ENCODING 'UTF8' TEMPLATE template0")
        self.created.append(name)
        return self.url_for(name)

    def drop_created(self) -> None:
        """Drop every database this session created (used on a shared server)."""
        with self._admin() as conn:
            for name in reversed(self.created):
                # FORCE (PostgreSQL 13+): a test that leaked a pooled connection must not block clean-up
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
        self.created.clear()

    @contextmanager
    def _admin(self) -> Iterator[sa.Connection]:
        # CREATE/DROP DATABASE cannot run inside a transaction block
        engine = sa.create_engine(self.base_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def server_from_env(url: str) -> PgServer:
    """A PgServer on the existing server at `url`; its own database is used only for administration."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise PostgresUnavailable(f"{ENV_URL}={url!r} is not a postgresql:// URL")
    base = parsed.set(drivername="postgresql+psycopg", database=parsed.database or "postgres")
    return PgServer(base_url=base, prefix=f"hufu_test_{uuid.uuid4().hex[:8]}_")


def find_bindir() -> Path:
    """The directory of initdb/pg_ctl: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True,
                             timeout=10)
        candidates.append(Path(out.stdout.strip()))
    except (OSError, subprocess.SubprocessError):
        pass

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", Path(path).parent.name))

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)]
    for bindir in candidates:
        # pg_config may come from libpq-dev alone, whose bindir holds no server binaries
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresUnavailable(
        "the PostgreSQL server binaries (initdb, pg_ctl) were not found: neither `pg_config --bindir` nor "
        f"/usr/lib/postgresql/*/bin has them. Install them with:\n\n    {INSTALL_COMMAND}\n\n"
        f"or set {ENV_URL}=postgresql://user@host:port/postgres to use an existing server."
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalCluster:
    """A cluster created by initdb in a temp dir, run as the current user or, under root, as `postgres`."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = 0
        self._as_user: list[str] = []
        owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            owner = _service_user()
            self._as_user = _drop_privileges_prefix(owner.pw_name)
        self.root = Path(tempfile.mkdtemp(prefix="hufu-pg-", dir=_base_dir()))
        self.datadir = self.root / "data"
        self.sockdir = self.root / "sock"
        self.logfile = self.root / "server.log"
        self.sockdir.mkdir(mode=0o700)
        if owner is not None:
            # the server user must own the dirs it writes: the cluster, its socket and its log
            for path in (self.root, self.sockdir):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def start(self) -> PgServer:
        """initdb, then start the server on a free port; return its PgServer."""
        self._initdb()
        for attempt in range(3):
            self.port = free_port()
            self._configure()
            try:
                self._run([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.logfile),
                           "-w", "-t", str(START_TIMEOUT_S), "start"], "start the server")
                break
            except PostgresUnavailable:
                # another process may have taken the port between free_port() and bind()
                if attempt == 2 or "could not bind" not in self.log_tail():
                    raise
        base = URL.create("postgresql+psycopg", username=SUPERUSER, host="127.0.0.1", port=self.port,
                          database="postgres")
        return PgServer(base_url=base)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its directory."""
        try:
            if (self.datadir / "postmaster.pid").exists():
                self._run([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"],
                          "stop the server")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server log ('' if there is none yet)."""
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _initdb(self) -> None:
        base = [str(self.bindir / "initdb"), "-D", str(self.datadir), "-A", "trust", "-U", SUPERUSER,
                "--encoding=UTF8", "--no-sync"]
        try:
            self._run([*base, "--locale=C.UTF-8"], "initialise the cluster")
        except PostgresUnavailable as exc:
            if "locale" not in str(exc).lower():
                raise
            # C.UTF-8 is missing on this system (e.g. a minimal image): fall back to the C locale
            self._run(["rm", "-rf", str(self.datadir)], "remove the failed cluster")
            self._run([*base, "--no-locale"], "initialise the cluster")

    def _configure(self) -> None:
        # appended settings override the defaults above them; the file stays owned by the server user
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.sockdir}'",
            "fsync": "off",  # throwaway data: durability is not needed, speed is
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
        }
        with (self.datadir / "postgresql.conf").open("a") as conf:
            conf.write("\n# hufu test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _run(self, argv: list[str], what: str) -> None:
        try:
            proc = subprocess.run([*self._as_user, *argv], cwd=self.root, capture_output=True, text=True,
                                  timeout=START_TIMEOUT_S + 30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostgresUnavailable(f"could not {what}: {' '.join(argv)}: {exc}") from exc
        if proc.returncode != 0:
            output = (proc.stdout + proc.stderr).strip()
            tail = self.log_tail()
            raise PostgresUnavailable(
                f"could not {what} (exit {proc.returncode}): {' '.join([*self._as_user, *argv])}\n{output}"
                + (f"\n--- last lines of {self.logfile} ---\n{tail}" if tail else "")
            )


def _service_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root, but there is no '{SERVICE_USER}' system user to run the server as "
            f"(PostgreSQL refuses to run as root). Install the server package, which creates it:\n\n"
            f"    {INSTALL_COMMAND}"
        ) from None


def _drop_privileges_prefix(user: str) -> list[str]:
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--"]
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--"]
    raise PostgresUnavailable("running as root, but neither runuser nor setpriv is there to drop privileges")


def _base_dir() -> str:
    """A temp dir whose ancestors the server user can traverse (root's TMPDIR may be private)."""
    base = tempfile.gettempdir()
    if os.geteuid() != 0:
        return base
    for candidate in (base, "/tmp"):
        path = Path(candidate).resolve()
        if all(p.stat().st_mode & 0o001 for p in (path, *path.parents)):
            return str(path)
    raise PostgresUnavailable(
        f"neither {base} nor /tmp is traversable by the '{SERVICE_USER}' user; set TMPDIR to a directory "
        "whose parents all have the o+x bit"
    )


@contextmanager
def throwaway_server() -> Iterator[PgServer]:
    """The server of a test session: `HUFU_TEST_PG_URL`'s, or a local cluster removed afterwards."""
    env_url = os.environ.get(ENV_URL)
    if env_url:
        server = server_from_env(env_url)
        try:
            yield server
        finally:
            server.drop_created()
        return
    cluster = LocalCluster(find_bindir())
    try:
        server = cluster.start()
        yield server
    finally:
        cluster.stop()
