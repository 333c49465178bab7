"""The trusted-proxy setting: behind nginx the audit records the client's address, and without the setting
a client cannot forge one with X-Forwarded-For. Real HTTP over a real socket (port 0), both node kinds."""

from __future__ import annotations

import datetime as dt
import http.client
import http.cookies
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from national.config import NationalConfig
from regional.accounts import service
from regional.actors import Actor
from regional.config import RegionalConfig
from sync.config import ConfigError
from sync.db import run_migrations

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-horse-9"


def _app(kind: str, data: Path, proxies: int) -> Any:
    if kind == "regional":
        from regional.web import create_app

        config: Any = RegionalConfig(data_dir=data, region="440000", trusted_proxies=proxies)
        run_migrations(config.db_url, REPO / "regional" / "migrations")
    else:
        from national.web import create_app  # type: ignore[assignment]

        config = NationalConfig(data_dir=data, pki_dir=data / "pki", trusted_proxies=proxies)
        run_migrations(config.db_url, REPO / "national" / "migrations")
    app = create_app(config)
    with app.extensions["hufu_db"].transaction() as s:
        service.add_user(s, app.extensions["hufu_accounts"], "admin", "admin", PASSWORD, actor=Actor("test"),
                         now=dt.datetime.now(dt.UTC))
    return app


@contextmanager
def _served(app: Any) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _sign_in(port: int, forwarded: dict[str, str]) -> int:
    """GET /login, then POST it with the CSRF token and cookie, every request carrying `forwarded` headers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/login", headers=forwarded)
        answer = conn.getresponse()
        page = answer.read().decode()
        cookie = http.cookies.SimpleCookie(answer.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page)
        assert token, "no CSRF token on the sign-in page"
        body = urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "csrf_token": token.group(1)})
        headers = {**forwarded, "Content-Type": "application/x-www-form-urlencoded",
                   "Cookie": "; ".join(f"{k}={m.value}" for k, m in cookie.items())}
        if "https" in forwarded.get("X-Forwarded-Proto", ""):  # a browser sends the page it came from over HTTPS
            headers["Referer"] = f"https://{forwarded['X-Forwarded-Host'].split(',')[0]}/login"
        conn.request("POST", "/login", body=body, headers=headers)
        answer = conn.getresponse()
        text = answer.read().decode(errors="replace")
        assert answer.status != 400, text
        return answer.status
    finally:
        conn.close()


def _login_addresses(app: Any) -> list[str]:
    audit = app.extensions["hufu_accounts"].audit
    with app.extensions["hufu_db"].read() as s:
        return [a for (a,) in s.execute(sa.select(audit.address).where(audit.action == "login").order_by(audit.id))]


# what nginx (ansible/roles/proxy) sends: the client's own claim first, then the address nginx saw
NGINX = {"X-Forwarded-For": "198.51.100.66, 203.0.113.7", "X-Forwarded-Proto": "https",
         "X-Forwarded-Host": "ipr.example.gov.cn", "X-Real-IP": "203.0.113.7"}


@pytest.mark.parametrize("kind", ["regional", "national"])
def test_without_the_setting_a_forged_forwarded_for_is_ignored(tmp_path: Path, kind: str) -> None:
    app = _app(kind, tmp_path, 0)
    with _served(app) as port:
        assert _sign_in(port, {"X-Forwarded-For": "203.0.113.7"}) == 302
    assert _login_addresses(app) == ["127.0.0.1"]


@pytest.mark.parametrize("kind", ["regional", "national"])
def test_behind_one_trusted_proxy_the_audit_records_the_clients_address(tmp_path: Path, kind: str) -> None:
    app = _app(kind, tmp_path, 1)
    with _served(app) as port:
        assert _sign_in(port, NGINX) == 302
    # only the value the trusted proxy appended counts; the client's own first value is not believed
    assert _login_addresses(app) == ["203.0.113.7"]


def test_two_trusted_proxies_take_the_address_the_outer_one_saw(tmp_path: Path) -> None:
    app = _app("regional", tmp_path, 2)
    with _served(app) as port:
        assert _sign_in(port, {**NGINX, "X-Forwarded-For": "198.51.100.66, 203.0.113.7, 10.0.0.5",
                               "X-Forwarded-Proto": "https,https",
                               "X-Forwarded-Host": "ipr.example.gov.cn,ipr.example.gov.cn"}) == 302
    assert _login_addresses(app) == ["203.0.113.7"]


def test_failed_sign_ins_are_throttled_per_client_behind_the_proxy(tmp_path: Path) -> None:
    """20 failures from one client behind nginx lock that client out, not everyone behind the same proxy."""
    app = _app("regional", tmp_path, 1)
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].transaction() as s:
        for i in range(service.ADDRESS_FAILURES):
            s.add(tables.attempt(at=dt.datetime.now(dt.UTC), address="203.0.113.7", name=f"guess{i}", ok=False))
    with _served(app) as port:
        assert _sign_in(port, NGINX) == 429
        other = {**NGINX, "X-Forwarded-For": "203.0.113.8", "X-Real-IP": "203.0.113.8"}
        assert _sign_in(port, other) == 302


@pytest.mark.parametrize("value", ["-1", "6", "many"])
def test_a_bad_trusted_proxies_setting_is_refused_by_name(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="trusted_proxies"):
        RegionalConfig.load(tmp_path, env={"HUFU_TRUSTED_PROXIES": value}, region="440000")


def test_the_setting_is_read_from_the_environment(tmp_path: Path) -> None:
    assert RegionalConfig.load(tmp_path, env={"HUFU_TRUSTED_PROXIES": "1"}, region="440000").trusted_proxies == 1
    assert RegionalConfig.load(tmp_path, env={}, region="440000").trusted_proxies == 0
