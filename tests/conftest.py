"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# Hypothesis: no per-example deadline. The suite runs on a shared, loaded 2-core machine, where a
# 0.2 ms example can take 250 ms once; speed lives in benchmarks, not in timed tests.
from hypothesis import settings as _hypothesis_settings

from tests.pg import PgServer, PostgresUnavailable, throwaway_server

# `net` (a real national gRPC server, run with and without verifier processes) and `verifier_pool`.
pytest_plugins = ["tests.net_fixtures"]

_hypothesis_settings.register_profile("hufu", deadline=None)
_hypothesis_settings.load_profile("hufu")

# ---------------------------------------------------------------------------------------------
# PostgreSQL: one throwaway server per session, one fresh database per test (see tests/pg.py).
# A missing server FAILS the tests that need it rather than skipping them: a skipped PostgreSQL
# suite would hide exactly the bugs it exists to catch.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (local throwaway cluster, or HUFU_TEST_PG_URL's)."""
    problem = None
    try:
        with throwaway_server() as server:
            yield server
    except PostgresUnavailable as exc:
        problem = str(exc)
    if problem:  # failed outside the except block, so the report is the message alone
        pytest.fail(f"PostgreSQL is needed by this test: {problem}", pytrace=False)


@pytest.fixture
def pg_url(pg_server: PgServer, request: pytest.FixtureRequest) -> str:
    """The postgresql+psycopg:// URL of a fresh, empty database for this test."""
    return pg_server.create_database(pg_server.unique_name(request.node.name))


# --- end of PostgreSQL fixtures ------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# The demo federation and node web UIs (used by tests/e2e and tests/browser).
# `demo_federation` runs `hufu demo --once` once per session as a real subprocess and leaves every
# node's data dir behind; `node_web` serves a node's web UI from such a data dir on a free port.
# ---------------------------------------------------------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
# How long the tests let a demo take to converge (its own --timeout, which names what it still waits for when it
# gives up), and a guard against a hung demo process. Correctness, not speed, is tested here (speed lives in
# `hufu bench`): on a loaded 2-core CI machine a history demo's set-up alone can take minutes.
DEMO_CONVERGE_S = 600.0
DEMO_TIMEOUT_S = 1200.0
WEB_START_TIMEOUT_S = 60.0


def hufu_command() -> list[str]:
    """How to run the `hufu` CLI: the console script next to this interpreter, else `python -m`."""
    script = Path(sys.executable).with_name("hufu")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "national.cli"]


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # the CLI must import this checkout even without an editable install
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _file_tail(path: Path, lines: int = 20) -> str:
    try:
        return _tail(path.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError:
        return ""


def _stop_process(proc: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM the process, wait `grace` seconds, then SIGKILL its whole process group."""
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            pass
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # started with start_new_session: pgid == pid
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(timeout=10)


@dataclass(frozen=True)
class DemoFederation:
    """What `hufu demo --once` left behind."""

    summary: dict[str, Any]
    root: Path
    stderr: str = ""

    @property
    def national_dir(self) -> Path:
        return self.root / "national"

    def region_dir(self, code: str) -> Path:
        return self.root / f"region-{code}"

    @property
    def region_codes(self) -> list[str]:
        return sorted(p.name.removeprefix("region-") for p in self.root.glob("region-*") if p.is_dir())


def _demo_failure(message: str, root: Path, stdout: str, stderr: str) -> str:
    parts = [message, f"data dir: {root}", "--- stderr (tail) ---", _tail(stderr)]
    if stdout.strip():
        parts += ["--- stdout (tail) ---", _tail(stdout, 10)]
    for log in sorted((root / "logs").glob("*.log")) if (root / "logs").is_dir() else []:
        parts += [f"--- {log.name} (tail) ---", _file_tail(log, 10)]
    return "\n".join(parts)


def run_demo_once(root: Path, timeout: float = DEMO_TIMEOUT_S, extra_args: list[str] | None = None) -> DemoFederation:
    """Run `hufu demo --once --data-dir root`; fail the test with the demo's stderr if it does not succeed."""
    extra = list(extra_args or [])
    if "--timeout" not in extra:
        extra += ["--timeout", str(DEMO_CONVERGE_S)]
    cmd = [*hufu_command(), "demo", "--once", "--data-dir", str(root), *extra]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=_subprocess_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            errors="replace", start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # SIGTERM lets the demo stop its own node processes; then make sure nothing is left
        proc.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
        pytest.fail(_demo_failure(f"`{' '.join(cmd)}` did not finish within {timeout:.0f} s", root,
                                  stdout, stderr), pytrace=False)
    if proc.returncode != 0:
        pytest.fail(_demo_failure(f"`{' '.join(cmd)}` exited with code {proc.returncode}", root, stdout, stderr),
                    pytrace=False)
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        pytest.fail(_demo_failure("hufu demo --once printed nothing on stdout", root, stdout, stderr), pytrace=False)
    try:
        summary = json.loads(lines[-1])
    except json.JSONDecodeError as exc:
        pytest.fail(_demo_failure(f"the last stdout line of hufu demo is not JSON ({exc}): {lines[-1]!r}",
                                  root, stdout, stderr), pytrace=False)
    if not isinstance(summary, dict):
        pytest.fail(_demo_failure(f"the demo summary is not a JSON object: {lines[-1]!r}", root, stdout, stderr),
                    pytrace=False)
    data_dir = Path(summary.get("data_dir") or root)
    return DemoFederation(summary=summary, root=data_dir.resolve(), stderr=stderr)


@pytest.fixture(scope="session")
def demo_federation(tmp_path_factory: pytest.TempPathFactory) -> DemoFederation:
    """One `hufu demo --once` per session; its processes are stopped, its data dirs stay for inspection.
    Without the months of history (tests/browser/test_dashboards.py runs a demo with them)."""
    root = tmp_path_factory.mktemp("hufu-demo") / "federation"
    return run_demo_once(root, extra_args=["--history-listings", "0"])


@dataclass
class NodeWeb:
    """A running `hufu <kind> web` process."""

    kind: str
    data_dir: Path
    proc: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def stop(self) -> None:
        _stop_process(self.proc)


def start_node_web(kind: str, data_dir: Path, timeout: float = WEB_START_TIMEOUT_S) -> NodeWeb:
    """Start `hufu {regional|national} web --port 0` on `data_dir`; return once it answers /healthz."""
    if kind not in ("regional", "national"):
        raise ValueError(f"kind must be 'regional' or 'national', not {kind!r}")
    data_dir = Path(data_dir).resolve()
    port_file = data_dir / "run" / "web.json"
    port_file.unlink(missing_ok=True)  # a stale one from an earlier process would point at a dead port
    log_path = data_dir / "run" / f"test-web-{os.getpid()}-{time.monotonic_ns()}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*hufu_command(), kind, "web", "--data-dir", str(data_dir), "--port", "0", "--workers", "1"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=_subprocess_env(), stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        base_url = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"`{' '.join(cmd)}` exited with code {proc.returncode}:\n{_file_tail(log_path)}")
            if base_url is None and port_file.exists():
                try:
                    info = json.loads(port_file.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError):
                    info = {}
                if info.get("pid") == proc.pid and info.get("port"):
                    host = info.get("host") or "127.0.0.1"
                    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
                    host = f"[{host}]" if ":" in host else host
                    base_url = f"http://{host}:{int(info['port'])}"
            if base_url is not None:
                try:
                    with urllib.request.urlopen(base_url + "/healthz", timeout=5) as resp:
                        if resp.status == 200:
                            return NodeWeb(kind, data_dir, proc, base_url, log_path)
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"`{' '.join(cmd)}` was not ready within {timeout:.0f} s:\n{_file_tail(log_path)}")
    except BaseException:
        _stop_process(proc)
        raise


@pytest.fixture(scope="session")
def node_web() -> Iterator[Callable[[str, Path], str]]:
    """A factory: `node_web("regional", data_dir)` -> base URL (no trailing slash) of that node's web UI.

    One process per (kind, data dir) for the whole session; all are stopped (SIGTERM, then SIGKILL)
    at the end of the session.
    """
    running: dict[tuple[str, Path], NodeWeb] = {}

    def start(kind: str, data_dir: Path) -> str:
        key = (kind, Path(data_dir).resolve())
        web = running.get(key)
        if web is not None and web.proc.poll() is not None:
            running.pop(key)
            web = None
        if web is None:
            try:
                web = start_node_web(kind, key[1])
            except RuntimeError as exc:
                pytest.fail(str(exc), pytrace=False)
            running[key] = web
        return web.base_url

    yield start
    for web in running.values():
        web.stop()


# --- end of demo federation / node web fixtures --------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Signing in (tests/browser, tests/e2e): the demo creates the accounts officer, supervisor, admin
# and auditor on every node (passwords in <demo data dir>/accounts.txt).
#
#   signed_in_page(base_url, node, role)  -> a Playwright page signed in as that role
#   api_token(node, role)                 -> an API token acting as that role's account
#   demo_accounts[node][role]             -> the password ("national" or a region code as node)
# ---------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium fonts-noto-cjk"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROLES = ("officer", "supervisor", "admin", "auditor")
BROWSER_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (Playwright never downloads a browser of its own)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; install it with: {CHROMIUM_INSTALL}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        pytest.fail(f"the playwright Python package is missing ({exc}); run `pip install -e '.[dev]'`",
                    pytrace=False)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """A factory of fresh pages (each its own browser context); page and console errors fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(locale: str = "zh-CN") -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        # a liveness guard, not a speed limit: a page rendered by one web worker on a loaded 2-core machine
        # (the dashboards over months of history, a PDF) can take longer than 15 s; no test waits for a timeout
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        contexts.append(context)
        pg = context.new_page()

        def on_console(msg: Any) -> None:
            # failed sub-resources are reported (with their URL) by on_response below
            if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
                errors.append(f"console error: {msg.text}")

        def on_response(resp: Any) -> None:
            # 401/403/404 answers a test provokes on purpose are checked by the test itself
            if resp.status >= 500 or (resp.status >= 400 and resp.request.resource_type != "document"
                                      and not resp.url.endswith("/favicon.ico")):
                errors.append(f"HTTP {resp.status} for {resp.url}")

        pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        pg.on("console", on_console)
        pg.on("response", on_response)
        return pg

    yield make
    for context in contexts:
        context.close()
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def demo_accounts(demo_federation: DemoFederation) -> dict[str, dict[str, str]]:
    """node ("national" or a region code) -> account name (= role) -> password, as the demo made them."""
    from national.demo import read_accounts

    return read_accounts(demo_federation.root)


def sign_in(page: Any, base_url: str, name: str, password: str) -> None:
    """Sign in through the login form; fails the test if the node does not accept it."""
    response = page.goto(f"{base_url}/login", wait_until="load")
    assert response is not None and response.status == 200, f"GET {base_url}/login"
    if page.locator("#login-form").count() == 0 and page.locator("#logout-form").count() == 1:
        page.click("#logout-form button")  # signed in already (as someone): sign out first
        page.wait_for_load_state("load")
    page.fill("#login-form input[name=username]", name)
    page.fill("#login-form input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#signed-in").count() == 1, \
        f"signing in as {name} at {base_url} failed: {page.locator('#login-error').all_inner_texts()}"


@pytest.fixture
def signed_in_page(new_page: Callable[..., Any],
                   demo_accounts: dict[str, dict[str, str]]) -> Callable[..., Any]:
    """A factory: `signed_in_page(base_url, node, role="officer")` -> a new page signed in at that node."""

    def make(base_url: str, node: str, role: str = "officer", locale: str = "zh-CN") -> Any:
        pg = new_page(locale)
        sign_in(pg, base_url, role, demo_accounts[node][role])
        return pg

    return make


@pytest.fixture(scope="session")
def api_token(demo_federation: DemoFederation) -> Callable[[str, str], str]:
    """A factory: `api_token(node, role)` -> an API token acting as that node's `role` account (cached)."""
    issued: dict[tuple[str, str], str] = {}

    def make(node: str, role: str = "officer") -> str:
        if (node, role) not in issued:
            kind, data_dir = (("national", demo_federation.national_dir) if node == "national"
                              else ("regional", demo_federation.region_dir(node)))
            done = subprocess.run([*hufu_command(), kind, "token", "add", role, "--data-dir", str(data_dir),
                                   "--label", "tests"], capture_output=True, text=True, env=_subprocess_env(),
                                  timeout=120)
            assert done.returncode == 0, done.stderr
            issued[(node, role)] = done.stdout.strip().splitlines()[-1]
        return issued[(node, role)]

    return make


# --- end of signing-in fixtures --------------------------------------------------------------------


TEST_PASSWORD = "Correct-horse-9"


def web_client(app: Any, role: str = "officer", name: str | None = None) -> Any:
    """A Flask test client of `app` signed in (through the login form, with its CSRF token) as a user of
    `role`, created on first use; `csrf(client)` gives a token for the forms it posts."""
    import datetime as dt
    import re

    import sqlalchemy as sa

    from regional.accounts import service
    from regional.actors import Actor

    tables = app.extensions["hufu_accounts"]
    name = name or f"{role}-user"
    with app.extensions["hufu_db"].transaction() as s:
        if s.scalar(sa.select(tables.user.id).where(tables.user.name == name)) is None:
            service.add_user(s, tables, name, role, TEST_PASSWORD, actor=Actor("test"), now=dt.datetime.now(dt.UTC))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    answer = client.post("/login", data={"username": name, "password": TEST_PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)[-500:]
    return client


def csrf(client: Any, path: str = "/account") -> str:
    """The CSRF token of `client`'s session (read from a page's form)."""
    import re

    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)
