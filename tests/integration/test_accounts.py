"""Accounts on both nodes: sign-in, roles checked on the server, API tokens, CSRF, throttling,
session expiry, the append-only audit trail, and the user/token commands."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from national.config import NationalConfig
from regional.accounts import service
from regional.actors import Actor
from regional.config import RegionalConfig
from sync.db import Database, run_migrations, sqlite_url

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-horse-9"
ROLES = ("officer", "supervisor", "admin", "auditor")
NOW = dt.datetime.now(dt.UTC)


def _add_users(app: Flask) -> None:
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].transaction() as s:
        for role in ROLES:
            service.add_user(s, tables, role, role, PASSWORD, actor=Actor("test"), now=NOW)


@pytest.fixture(scope="module")
def regional_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from regional.web import create_app

    data = tmp_path_factory.mktemp("region")
    config = RegionalConfig(data_dir=data, region="440000")
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    app = create_app(config)
    _add_users(app)
    return app


@pytest.fixture(scope="module")
def national_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from national.web import create_app

    data = tmp_path_factory.mktemp("national")
    config = NationalConfig(data_dir=data, pki_dir=data / "pki")
    run_migrations(config.db_url, REPO / "national" / "migrations")
    app = create_app(config)
    _add_users(app)
    return app


@pytest.fixture(params=["regional", "national"])
def app(request: pytest.FixtureRequest) -> Flask:
    return request.getfixturevalue(f"{request.param}_app")


def csrf_of(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(app: Flask, name: str, password: str = PASSWORD, expect: int = 302) -> FlaskClient:
    client = app.test_client()
    answer = client.post("/login", data={"username": name, "password": password, "csrf_token": csrf_of(client)})
    assert answer.status_code == expect, answer.get_data(as_text=True)[-500:]
    return client


def token_for(app: Flask, name: str) -> str:
    with app.extensions["hufu_db"].transaction() as s:
        return service.add_token(s, app.extensions["hufu_accounts"], name, "tests", actor=Actor("test"), now=NOW)


def api_get_routes(app: Flask) -> list[str]:
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if r.rule.startswith("/api/") and "GET" in r.methods and not r.arguments
                  and not getattr(app.view_functions[r.endpoint], "_hufu_public", False))  # public e-mark check


def page_get_routes(app: Flask) -> list[str]:
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if not r.rule.startswith(("/api/", "/static")) and "GET" in r.methods and not r.arguments
                  and r.endpoint not in ("account.login", "status.healthz", "overview.healthz", "status.metrics",
                                         "overview.metrics")
                  and not getattr(app.view_functions[r.endpoint], "_hufu_public", False))  # public intake forms


# ------------------------------------------------------------------ anonymous


def test_anonymous_api_requests_answer_401_and_pages_redirect_to_login(app: Flask) -> None:
    client = app.test_client()
    assert api_get_routes(app), "no /api/ routes found"
    for path in api_get_routes(app):
        answer = client.get(path)
        assert answer.status_code == 401, path
        assert answer.is_json and answer.json["status"] == 401, path
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    for path in page_get_routes(app):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/login?next="), path


def test_health_and_metrics_stay_open_and_metrics_can_be_closed(tmp_path: Path) -> None:
    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path, region="440000")
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    open_app = create_app(config)
    assert open_app.test_client().get("/healthz").status_code == 200
    assert open_app.test_client().get("/metrics").status_code == 200
    # newcomer24: one charset (a text/* mimetype made werkzeug add a second: "…; charset=utf-8; charset=utf-8")
    assert open_app.test_client().get("/metrics").headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    closed = create_app(config.model_copy(update={"metrics_public": False}))
    assert closed.test_client().get("/metrics").status_code == 302
    assert closed.test_client().get("/healthz").status_code == 200


# ------------------------------------------------------------------ tokens


def test_a_bearer_token_works_on_every_api_route(app: Flask) -> None:
    token = token_for(app, "auditor")
    client = app.test_client()
    for path in api_get_routes(app):
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, (path, answer.get_data(as_text=True)[:300])
    assert "Set-Cookie" not in client.get(api_get_routes(app)[0], headers={"Authorization": f"Bearer {token}"}).headers


def test_wrong_revoked_and_disabled_users_tokens_are_refused(app: Flask) -> None:
    client = app.test_client()
    path = api_get_routes(app)[0]
    assert client.get(path, headers={"Authorization": "Bearer hufu_not-a-token"}).status_code == 401
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].transaction() as s:
        service.add_user(s, tables, "feed-bot", "officer", PASSWORD, actor=Actor("test"), now=NOW)
    token = token_for(app, "feed-bot")
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.extensions["hufu_db"].transaction() as s:
        service.set_active(s, tables, "feed-bot", False, actor=Actor("test"), now=NOW)
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with app.extensions["hufu_db"].transaction() as s:
        service.set_active(s, tables, "feed-bot", True, actor=Actor("test"), now=NOW)
        row = s.scalar(sa.select(tables.token).where(tables.token.digest == service.secrets.token_digest(token)))
        service.revoke_token(s, tables, row.id, actor=Actor("test"), now=NOW)
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_tokens_and_passwords_are_stored_hashed(app: Flask) -> None:
    token = token_for(app, "officer")
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].read() as s:
        hashes = list(s.scalars(sa.select(tables.user.password_hash)))
        digests = list(s.scalars(sa.select(tables.token.digest)))
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert token not in digests and service.secrets.token_digest(token) in digests


# ------------------------------------------------------------------ sessions


def test_sign_in_and_out(app: Flask) -> None:
    client = sign_in(app, "officer")
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "退出" in home.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_of(client, "/account")})
    assert client.get("/account").status_code == 302


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(regional_app: Flask, tmp_path: Path) -> None:
    client = regional_app.test_client()
    answer = client.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": csrf_of(client)})
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("hufu_440000="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie and "Expires=" in cookie
    from regional.web import create_app

    config = regional_app.config["HUFU"].model_copy(update={"cookie_secure": True})
    secure = create_app(config).test_client()
    answer = secure.post("/login", base_url="https://localhost",
                         data={"username": "officer", "password": PASSWORD,
                               "csrf_token": csrf_of_https(secure)})
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("hufu_440000="))
    assert "Secure" in cookie


def csrf_of_https(client: FlaskClient) -> str:
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_session_ends_after_its_maximum_age(regional_app: Flask) -> None:
    client = sign_in(regional_app, "officer")
    assert client.get("/leads").status_code == 200
    with client.session_transaction() as sess:
        sess["hufu_signed_in_at"] = dt.datetime.now(dt.UTC).timestamp() - 13 * 3600
    assert client.get("/leads").status_code == 302


def test_disabling_a_user_ends_their_session(regional_app: Flask) -> None:
    tables = regional_app.extensions["hufu_accounts"]
    with regional_app.extensions["hufu_db"].transaction() as s:
        service.add_user(s, tables, "temp", "officer", PASSWORD, actor=Actor("test"), now=NOW)
    client = sign_in(regional_app, "temp")
    assert client.get("/leads").status_code == 200
    with regional_app.extensions["hufu_db"].transaction() as s:
        service.set_active(s, tables, "temp", False, actor=Actor("test"), now=NOW)
    assert client.get("/leads").status_code == 302
    sign_in(regional_app, "temp", expect=401)


def test_next_after_sign_in_stays_on_this_site(regional_app: Flask) -> None:
    client = regional_app.test_client()
    for target, expected in (("/sync", "/sync"), ("//evil.example/x", "/"), ("https://evil.example/", "/")):
        answer = client.post("/login", data={"username": "officer", "password": PASSWORD, "next": target,
                                             "csrf_token": csrf_of(client)})
        assert answer.headers["Location"] == expected
        client.post("/logout", data={"csrf_token": csrf_of(client, "/account")})


# ------------------------------------------------------------------ CSRF and roles


def test_posts_without_a_csrf_token_are_refused(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 400
    client = sign_in(app, "admin")
    answer = client.post("/admin/users", data={"name": "x1", "role": "officer", "password": PASSWORD,
                                               "again": PASSWORD})
    assert answer.status_code == 400
    assert "安全令牌" in answer.get_data(as_text=True)
    with app.extensions["hufu_db"].read() as s:
        assert s.scalar(sa.select(app.extensions["hufu_accounts"].user).where(
            app.extensions["hufu_accounts"].user.name == "x1")) is None


def test_every_state_changing_route_declares_its_roles(app: Flask) -> None:
    """A POST/PUT/PATCH/DELETE route without @roles_required (or @public) is a hole."""
    exempt = {"account.login", "account.logout", "account.account"}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"} and rule.endpoint not in exempt:
            view = app.view_functions[rule.endpoint]
            if not getattr(view, "_hufu_roles", None) and not getattr(view, "_hufu_public", False):
                missing.append(f"{rule.rule} ({rule.endpoint})")
    assert not missing, "state-changing routes without a role check:\n" + "\n".join(missing)


@pytest.mark.parametrize(("role", "status"), [("officer", 403), ("supervisor", 403), ("auditor", 200), ("admin", 200)])
def test_the_audit_page_is_for_auditors_and_administrators(app: Flask, role: str, status: int) -> None:
    assert sign_in(app, role).get("/audit").status_code == status


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor"])
def test_only_administrators_manage_users(app: Flask, role: str) -> None:
    client = sign_in(app, role)
    assert client.get("/admin/users").status_code == 403
    token = csrf_of(client, "/account")
    answer = client.post("/admin/users", data={"name": "intruder", "role": "admin", "password": PASSWORD,
                                               "again": PASSWORD, "csrf_token": token})
    assert answer.status_code == 403
    assert "管理员" in answer.get_data(as_text=True)


def test_an_auditor_cannot_change_anything(regional_app: Flask, national_app: Flask) -> None:
    client = sign_in(regional_app, "auditor")
    answer = client.post("/cases/some-case/step", data={"step": "filed",
                                                            "csrf_token": csrf_of(client, "/account")})
    assert answer.status_code == 403
    client = sign_in(national_app, "auditor")
    answer = client.post("/merges/1", data={"decision": "merge", "csrf_token": csrf_of(client, "/account")})
    assert answer.status_code == 403
    token = token_for(regional_app, "auditor")
    answer = regional_app.test_client().post("/cases/x/step", data={"step": "filed"},
                                             headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403


def test_an_administrator_adds_and_disables_a_user_through_the_page(regional_app: Flask) -> None:
    client = sign_in(regional_app, "admin")
    token = csrf_of(client, "/admin/users")
    answer = client.post("/admin/users", data={"name": "zhang", "role": "officer", "password": "short",
                                               "again": "short", "csrf_token": token})
    assert answer.status_code == 400 and "密码：至少 10 个字符" in answer.get_data(as_text=True)
    answer = client.post("/admin/users", data={"name": "zhang", "role": "officer", "password": PASSWORD,
                                               "again": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302
    sign_in(regional_app, "zhang")
    client.post("/admin/users/zhang/active", data={"active": "0", "csrf_token": token})
    sign_in(regional_app, "zhang", expect=401)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "已停用" in page


# ------------------------------------------------------------------ throttling


def test_five_wrong_passwords_lock_the_account_for_a_while(tmp_path: Path) -> None:
    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path, region="440000")
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    app = create_app(config)
    _add_users(app)
    for _ in range(4):
        sign_in(app, "officer", "wrong-password", expect=401)
    sign_in(app, "officer", "wrong-password", expect=429)
    answer = app.test_client()
    client = app.test_client()
    answer = client.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": csrf_of(client)})
    assert answer.status_code == 429 and "锁定" in answer.get_data(as_text=True)
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].read() as s:
        actions = [a for (a,) in s.execute(sa.select(tables.audit.action).order_by(tables.audit.id))]
    assert actions.count("login_failed") == 5 and "login_refused_locked" in actions


def test_an_administrator_resets_a_password_and_unlocks_an_account_on_the_page(app: Flask) -> None:
    """newcomer14 F35: 账号管理 had no 重置密码 form (the route existed) and no way to lift a lock: a locked-out
    officer waited 15 minutes or called ops. Both nodes share the page."""
    admin = sign_in(app, "admin")
    token = csrf_of(admin, "/admin/users")
    admin.post("/admin/users", data={"name": "wu", "role": "officer", "password": PASSWORD, "again": PASSWORD,
                                     "csrf_token": token})
    page = admin.get("/admin/users").get_data(as_text=True)
    row = re.search(r'<tr data-user="wu">.*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
    assert "重置密码" in row and 'action="/admin/users/wu/password"' in row and "解除锁定" not in row
    for _ in range(4):
        sign_in(app, "wu", "wrong-password", expect=401)
    sign_in(app, "wu", "wrong-password", expect=429)
    sign_in(app, "wu", PASSWORD, expect=429)
    page = admin.get("/admin/users").get_data(as_text=True)
    row = re.search(r'<tr data-user="wu">.*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
    assert "已锁定" in row and 'action="/admin/users/wu/unlock"' in row and "解除锁定" in row
    officer = sign_in(app, "officer")
    assert officer.post("/admin/users/wu/unlock", data={"csrf_token": csrf_of(officer, "/account")}).status_code == 403
    answer = admin.post("/admin/users/wu/unlock", data={"csrf_token": token}, follow_redirects=True)
    assert "账号已解除锁定" in answer.get_data(as_text=True)
    sign_in(app, "wu", PASSWORD)
    answer = admin.post("/admin/users/wu/unlock", data={"csrf_token": token})
    assert answer.status_code == 400 and "未被锁定" in answer.get_data(as_text=True)
    # 重置密码: typed twice, the policy of a new account, the old password stops working
    new = "Lantern-river-42"
    answer = admin.post("/admin/users/wu/password", data={"password": new, "again": new + "x", "csrf_token": token})
    assert answer.status_code == 400 and "两次" in answer.get_data(as_text=True)
    answer = admin.post("/admin/users/wu/password", data={"password": "short", "again": "short", "csrf_token": token})
    assert answer.status_code == 400 and "至少 10 个字符" in answer.get_data(as_text=True)
    answer = admin.post("/admin/users/wu/password", data={"password": new, "again": new, "csrf_token": token},
                        follow_redirects=True)
    assert "新密码已设置" in answer.get_data(as_text=True)
    sign_in(app, "wu", PASSWORD, expect=401)
    sign_in(app, "wu", new)
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].read() as s:
        entries = [(a, d) for a, d in s.execute(sa.select(tables.audit.action, tables.audit.detail)
                                                 .where(tables.audit.actor == "admin").order_by(tables.audit.id))]
    assert [a for a, _d in entries if a in ("user_unlocked", "password_changed")] == ["user_unlocked",
                                                                                      "password_changed"]
    assert new not in str(entries)
    audit = admin.get("/audit").get_data(as_text=True)
    assert "解除登录锁定" in audit


def test_an_unknown_name_locks_like_an_account_so_the_message_does_not_tell_which_names_exist(
        tmp_path: Path) -> None:
    """newcomer14 F35: "登录失败次数过多，账号已锁定" came for an existing account, "账号或密码错误" forever for
    "nobody" — which told an attacker which names exist."""
    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path, region="440000")
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    app = create_app(config)
    _add_users(app)
    pages = {}
    for name in ("officer", "nobody"):
        for _ in range(4):
            sign_in(app, name, "wrong-password", expect=401)
        client = app.test_client()
        answer = client.post("/login", data={"username": name, "password": "wrong-password",
                                             "csrf_token": csrf_of(client)})
        assert answer.status_code == 429, name
        pages[name] = re.search(r'<p class="error"[^>]*>(.*?)</p>', answer.get_data(as_text=True), re.S)
    assert pages["officer"] is not None and pages["nobody"] is not None
    assert pages["officer"].group(1) == pages["nobody"].group(1) and "锁定" in pages["nobody"].group(1)


def test_many_failures_from_one_address_are_throttled(tmp_path: Path) -> None:
    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path, region="440000")
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    app = create_app(config)
    tables = app.extensions["hufu_accounts"]
    with app.extensions["hufu_db"].transaction() as s:  # failures spread over names none of which exist
        for i in range(service.ADDRESS_FAILURES):
            s.add(tables.attempt(at=dt.datetime.now(dt.UTC), address="127.0.0.1", name=f"guess{i}", ok=False))
    _add_users(app)
    answer = sign_in(app, "officer", PASSWORD, expect=429)
    assert answer is not None


# ------------------------------------------------------------------ audit trail


def test_audit_entries_name_the_signed_in_user_address_and_before_after(regional_app: Flask) -> None:
    client = sign_in(regional_app, "admin")
    token = csrf_of(client, "/admin/users")
    client.post("/admin/users", data={"name": "wu", "role": "officer", "password": PASSWORD, "again": PASSWORD,
                                      "csrf_token": token})
    client.post("/admin/users/wu/role", data={"role": "supervisor", "csrf_token": token},
                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    tables = regional_app.extensions["hufu_accounts"]
    with regional_app.extensions["hufu_db"].read() as s:
        entry = s.scalar(sa.select(tables.audit).where(tables.audit.action == "user_role_changed")
                         .order_by(tables.audit.id.desc()))
    assert entry.actor == "admin" and entry.address == "10.1.2.3"
    assert entry.before["role"] == "officer" and entry.after["role"] == "supervisor"
    page = sign_in(regional_app, "auditor").get("/audit?action=user_role_changed").get_data(as_text=True)
    assert "变更角色" in page and "审核员" in page and "科室负责人" in page and "10.1.2.3" in page
    table = page[page.index('<table id="audit"'):]
    assert "{" not in table and '"role"' not in table, "raw JSON on the audit page"


def test_the_audit_page_filters_by_person_action_and_day(regional_app: Flask) -> None:
    sign_in(regional_app, "admin")  # an admin's sign-in of its own: the filter below must find one in any order
    client = sign_in(regional_app, "auditor")
    everything = client.get("/audit").get_data(as_text=True)
    assert "登录" in everything
    only_admin = client.get("/audit?actor=admin&action=login").get_data(as_text=True)
    rows = re.findall(r'<tr data-entry="\d+">.*?</tr>', only_admin, re.S)
    assert rows and all(">admin<" in r for r in rows)
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert "没有记录" in client.get(f"/audit?to={today - dt.timedelta(days=3)}").get_data(as_text=True)
    assert client.get("/audit?from=yesterday").status_code == 400


@pytest.mark.parametrize("kind", ["regional", "national"])
def test_audit_entries_cannot_be_changed_or_deleted_on_sqlite(tmp_path: Path, kind: str) -> None:
    url = sqlite_url(tmp_path / "node.db")
    _append_only(url, kind)


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["regional", "national"])
def test_audit_entries_cannot_be_changed_or_deleted_on_postgresql(pg_url: str, kind: str) -> None:
    _append_only(pg_url, kind)


def _append_only(url: str, kind: str) -> None:
    run_migrations(url, REPO / kind / "migrations")
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO audit_log (at, actor, action, detail) "
                                 "VALUES (:at, 'li', 'login', '{}')"), {"at": NOW})
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
                conn.execute(sa.text(statement))
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT actor FROM audit_log")).scalar_one() == "li"
    finally:
        db.dispose()


# ------------------------------------------------------------------ command line


def hufu(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "national.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=REPO)


@pytest.fixture
def region_dir(tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "region"
    done = hufu("regional", "init", "--region", "440000", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    yield data


def test_user_add_reads_the_password_from_stdin_and_token_add_prints_the_token_last(region_dir: Path) -> None:
    d = str(region_dir)
    assert hufu("regional", "user", "add", "li", "--role", "officer", "--data-dir", d,
                stdin=f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    assert hufu("regional", "user", "add", "wang", "--role", "supervisor", "--data-dir", d,
                stdin=f"{PASSWORD}\n").returncode == 0
    differ = hufu("regional", "user", "add", "zhao", "--role", "officer", "--data-dir", d,
                  stdin=f"{PASSWORD}\nsomething-else-1\n")
    assert differ.returncode == 1 and "differ" in differ.stderr
    weak = hufu("regional", "user", "add", "zhao", "--role", "officer", "--data-dir", d, stdin="short\n")
    assert weak.returncode == 1 and "at least 10" in weak.stderr
    bad_role = hufu("regional", "user", "add", "zhao", "--role", "boss", "--data-dir", d, stdin=f"{PASSWORD}\n")
    assert bad_role.returncode == 2
    issued = hufu("regional", "token", "add", "li", "--data-dir", d)
    assert issued.returncode == 0
    token = issued.stdout.strip().splitlines()[-1]
    assert token.startswith("hufu_") and len(token) > 40
    listing = hufu("regional", "user", "list", "--data-dir", d).stdout
    assert "li" in listing and "supervisor" in listing
    assert hufu("regional", "user", "disable", "li", "--data-dir", d).returncode == 0
    assert "disabled" in hufu("regional", "user", "list", "--data-dir", d).stdout
    assert hufu("regional", "user", "enable", "li", "--data-dir", d).returncode == 0

    from regional.web import create_app

    app = create_app(RegionalConfig.load(region_dir))
    answer = app.test_client().get("/api/leads", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json["total"] == 0
    sign_in(app, "wang")
    with Database(sqlite_url(region_dir / "node.db")).read() as s:
        actors = set(s.scalars(sa.text("SELECT actor FROM audit_log WHERE action = 'user_added'")))
    assert all(a.startswith("cli:") for a in actors)


def test_national_user_commands(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    assert hufu("pki", "init", "--dir", str(pki)).returncode == 0
    d = str(tmp_path / "national")
    assert hufu("national", "init", "--data-dir", d, "--pki", str(pki)).returncode == 0
    assert hufu("national", "user", "add", "zhao", "--role", "supervisor", "--data-dir", d,
                stdin=f"{PASSWORD}\n").returncode == 0
    token = hufu("national", "token", "add", "zhao", "--data-dir", d).stdout.strip().splitlines()[-1]
    from national.web import create_app

    app = create_app(NationalConfig.load(Path(d)))
    assert app.test_client().get("/api/regions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert app.test_client().get("/api/regions").status_code == 401


def test_two_web_uis_on_one_host_do_not_share_a_gunicorn_control_socket(region_dir: Path, tmp_path: Path) -> None:
    """gunicorn's default control socket is one per user (~/.gunicorn/gunicorn.ctl): every node's web UI would
    bind the same path. The nodes switch it off."""
    from tests.conftest import _stop_process, start_node_web

    other = tmp_path / "region-2"
    assert hufu("regional", "init", "--region", "330000", "--data-dir", str(other)).returncode == 0
    webs = [start_node_web("regional", region_dir), start_node_web("regional", other)]
    try:
        for web in webs:
            log = web.log_path.read_text(errors="replace")
            assert "listening on http" in log, log
            assert "ontrol socket" not in log and "gunicorn.ctl" not in log, log
    finally:
        for web in webs:
            _stop_process(web.proc)


def test_an_administrator_cannot_change_their_own_role(app: Flask) -> None:
    """newcomer11: the only admin set their own row to 审核员 and the node was left with no administrator."""
    client = sign_in(app, "admin")
    token = csrf_of(client, "/admin/users")
    answer = client.post("/admin/users/admin/role", data={"role": "auditor", "csrf_token": token},
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "不能更改自己的角色" in page
    tables = app.extensions["hufu_accounts"]
    node = tables.node  # each node names its own command (newcomer12: the national page named the regional one)
    assert f"hufu {node} user role" in page and f"hufu {({'regional', 'national'} - {node}).pop()}" not in page
    with app.extensions["hufu_db"].read() as s:
        assert s.scalar(sa.select(tables.user.role).where(tables.user.name == "admin")) == "admin"
    assert client.get("/admin/users").status_code == 200  # still signed in, still an administrator
