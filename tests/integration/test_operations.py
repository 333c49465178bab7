"""Plain-spoken operations (issue 8 item 14): set-up and start-up say what is wrong and what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from national.cli import main
from national.config import NationalConfig
from regional.config import RegionalConfig
from sync.config import ConfigError
from sync.pki import init_ca, issue_region

REPO_ROOT = Path(__file__).resolve().parents[2]


def hufu(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI as a real process (what an operator runs)."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "national.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=cwd or REPO_ROOT, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pki") / "pki"
    init_ca(root)
    issue_region(root, "440000")
    issue_region(root, "330000")
    return root


def test_init_without_credentials_or_national_warns_instead_of_saying_ready(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regional", "init", "--data-dir", str(tmp_path / "r"), "--region", "440000"]) == 0
    out, err = capsys.readouterr()
    assert "ready in" not in out
    assert "NOT ready" in err
    assert "no credentials" in err and "--pki" in err
    assert "no national node configured" in err and "--national" in err


def test_init_with_credentials_and_national_says_ready(tmp_path: Path, pki: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["regional", "init", "--data-dir", str(tmp_path / "r"), "--region", "440000",
                 "--pki", str(pki / "regions" / "440000"), "--national", "127.0.0.1:7443"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "ready in" in out and "NOT ready" not in err


def test_init_refuses_another_regions_credentials_and_a_malformed_national_address(
        tmp_path: Path, pki: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["regional", "init", "--data-dir", str(tmp_path / "r"), "--region", "440000",
                 "--pki", str(pki / "regions" / "330000")])
    err = capsys.readouterr().err
    assert code == 1
    assert "issued to region 330000" in err and "440000" in err
    assert not (tmp_path / "r" / "pki" / "region.crt").exists()
    code = main(["regional", "init", "--data-dir", str(tmp_path / "r"), "--region", "440000",
                 "--national", "national.example"])
    assert code == 1 and "HOST:PORT" in capsys.readouterr().err


def test_a_worker_that_cannot_work_refuses_to_start_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "r"
    assert hufu("regional", "init", "--data-dir", str(data), "--region", "440000").returncode == 0
    proc = hufu("regional", "worker", "--data-dir", str(data), timeout=60)  # must exit, not run on
    assert proc.returncode == 1
    assert "cannot start" in proc.stderr
    assert "no credentials" in proc.stderr and "no national node configured" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_screen_without_credentials_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "r"
    main(["regional", "init", "--data-dir", str(data), "--region", "440000"])
    capsys.readouterr()
    assert main(["regional", "screen", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "no credentials" in err and "hufu pki issue-region 440000" in err
    assert "Errno" not in err


def test_a_data_dir_that_was_never_set_up_is_named_not_a_missing_setting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proc = hufu("regional", "web", "--data-dir", "/nonexistent/hufu")
    assert proc.returncode == 1
    assert "/nonexistent/hufu does not exist" in proc.stderr and "hufu regional init" in proc.stderr
    assert "Field required" not in proc.stderr and "Traceback" not in proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    for kind in ("regional", "national"):
        assert main([kind, "web", "--data-dir", "/nonexistent/hufu"]) == 1
        assert f"does not exist: it is not a {kind} node's data directory" in capsys.readouterr().err
        assert main([kind, "worker", "--data-dir", str(empty)]) == 1
        err = capsys.readouterr().err
        assert f"has no {kind}.toml" in err and f"hufu {kind} init" in err


def test_a_bad_environment_variable_is_blamed_on_the_variable(tmp_path: Path) -> None:
    RegionalConfig.load(tmp_path, env={}, region="440000").save()
    for bad in ("abc", "-1", "0"):
        with pytest.raises(ConfigError) as caught:
            RegionalConfig.load(tmp_path, env={"HUFU_SYNC_INTERVAL_S": bad}, must_exist=True)
        message = str(caught.value)
        assert "environment variable HUFU_SYNC_INTERVAL_S" in message
        assert "regional.toml" not in message
    (tmp_path / "regional.toml").write_text('region = "440000"\nsync_interval_s = "soon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sync_interval_s' in .*regional.toml.*soon"):
        RegionalConfig.load(tmp_path, env={})


def test_a_bad_environment_variable_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "r"
    assert main(["regional", "init", "--data-dir", str(data), "--region", "440000"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("HUFU_SYNC_INTERVAL_S", "two")
    assert main(["regional", "screen", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "HUFU_SYNC_INTERVAL_S" in err and "'two'" in err
    assert "regional.toml" not in err


def test_national_init_stores_a_relative_pki_path_as_absolute(tmp_path: Path, pki: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(pki.parent)
    assert main(["national", "init", "--data-dir", str(tmp_path / "n"), "--pki", pki.name]) == 0
    stored = (tmp_path / "n" / "national.toml").read_text(encoding="utf-8")
    assert f'pki_dir = "{pki}"' in stored
    # started from somewhere else, the node still finds its PKI
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = hufu("national", "form-cases", "--data-dir", str(tmp_path / "n"), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert NationalConfig.load(tmp_path / "n", env={}).pki == pki


def test_a_relative_pki_path_written_in_the_file_is_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "national.toml").write_text('pki_dir = "../pki"\n', encoding="utf-8")
    assert NationalConfig.load(tmp_path, env={}).pki == (tmp_path.parent / "pki").resolve()


def test_an_expired_certificate_is_installed_with_a_warning_and_the_worker_refuses_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from regional.readiness import worker_problems

    pki = tmp_path / "pki"
    init_ca(pki)
    issue_region(pki, "350000", days=1, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=10))
    data = tmp_path / "r"
    code = main(["regional", "init", "--data-dir", str(data), "--region", "350000",
                 "--pki", str(pki / "regions" / "350000"), "--national", "127.0.0.1:7443"])
    err = capsys.readouterr().err
    assert code == 0 and "NOT ready" in err and "expired" in err
    assert (data / "pki" / "region.crt").exists()
    problems = worker_problems(RegionalConfig.load(data, env={}))
    assert len(problems) == 1 and "expired" in problems[0]


def test_a_certificate_from_another_ca_is_refused_at_init(tmp_path: Path, pki: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    rogue = tmp_path / "rogue"
    init_ca(rogue)
    issue_region(rogue, "440000")
    shutil.copyfile(pki / "ca.crt", rogue / "regions" / "440000" / "ca.crt")
    code = main(["regional", "init", "--data-dir", str(tmp_path / "r"), "--region", "440000",
                 "--pki", str(rogue / "regions" / "440000")])
    assert code == 1 and "not issued by the national CA" in capsys.readouterr().err


def test_a_failing_job_logs_its_traceback_once_then_one_line_while_it_repeats(
        caplog: pytest.LogCaptureFixture) -> None:
    from regional.node import _logged

    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise FileNotFoundError("signing.key")

    job = _logged("screen", broken)
    with caplog.at_level("ERROR", logger="hufu.regional"):
        for _ in range(5):
            job()
    assert len(calls) == 5
    with_traceback = [r for r in caplog.records if r.exc_info]
    assert len(with_traceback) == 1
    assert sum("failed again" in r.getMessage() for r in caplog.records) == 4


def test_a_job_that_meets_a_locked_database_warns_without_a_traceback(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """newcomer14 F15: a large CLI import held SQLite's write lock; every job logged ERROR and an 80-line traceback."""
    import sqlite3

    import sqlalchemy as sa

    from regional.node import _logged

    path = tmp_path / "node.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")  # what the import's transaction holds
    holder.execute("INSERT INTO t VALUES (1)")
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})

    def sync() -> None:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO t VALUES (2)"))

    job = _logged("sync", sync)
    with caplog.at_level("WARNING", logger="hufu.regional"):
        job()
        job()
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING"]
    assert not any(r.exc_info for r in caplog.records)
    assert "database is busy" in caplog.records[0].getMessage()
    holder.execute("COMMIT")
    job()  # the lock is gone: the job runs
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 2
    engine.dispose()
    holder.close()


def test_a_worker_on_a_database_this_release_has_not_migrated_is_told_to_migrate(tmp_path: Path, pki: Path) -> None:
    from regional.node import MIGRATIONS
    from regional.readiness import worker_problems
    from sync.db import run_migrations

    data = tmp_path / "r"
    assert main(["regional", "init", "--data-dir", str(data), "--region", "440000",
                 "--pki", str(pki / "regions" / "440000"), "--national", "127.0.0.1:7443"]) == 0
    config = RegionalConfig.load(data, env={})
    assert worker_problems(config) == []
    run_migrations(config.db_url, MIGRATIONS, "base", downgrade=True)
    (problem,) = worker_problems(config)
    assert "schema" in problem and f"hufu regional migrate --data-dir {data}" in problem


def test_init_refuses_to_turn_one_regions_data_dir_into_another_regions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "r"
    assert main(["regional", "init", "--data-dir", str(data), "--region", "440000"]) == 0
    capsys.readouterr()
    assert main(["regional", "init", "--data-dir", str(data), "--region", "330000"]) == 1
    assert "data directory of region 440000, not 330000" in capsys.readouterr().err
    assert RegionalConfig.load(data, env={}).region == "440000"


def test_a_database_password_is_not_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from regional.readiness import database_problem

    config = RegionalConfig.load(tmp_path, env={}, region="440000",
                                 database_url="postgresql+psycopg://hufu:s3cret-pw@127.0.0.1:1/hufu")
    problem = database_problem(config)
    assert problem is not None and "cannot open the database" in problem
    assert "s3cret-pw" not in problem and "***" in problem


def test_check_says_whether_the_worker_could_start(tmp_path: Path, pki: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import json

    data = tmp_path / "r"
    main(["regional", "init", "--data-dir", str(data), "--region", "440000"])
    capsys.readouterr()
    assert main(["regional", "check", "--data-dir", str(data)]) == 1
    assert "NOT ready" in capsys.readouterr().err
    import socket

    with socket.socket() as listening:  # a national address where something answers
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        main(["regional", "init", "--data-dir", str(data), "--region", "440000",
              "--pki", str(pki / "regions" / "440000"), "--national", f"127.0.0.1:{port}"])
        capsys.readouterr()
        assert main(["regional", "check", "--data-dir", str(data), "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"region": "440000", "ready": True, "problems": [],
                                                       "warnings": []}
    # newcomer14: "ready" with nothing listening at the national address — still ready (the worker retries), but said
    assert main(["regional", "check", "--data-dir", str(data)]) == 0
    said = capsys.readouterr()
    assert "is ready" in said.out and f"the national node at 127.0.0.1:{port} does not answer now" in said.err


def test_national_serve_on_a_taken_port_says_so_in_one_line_and_an_out_of_range_port_is_refused(
        pki: Path, tmp_path: Path) -> None:
    """newcomer14 F39/F40: a 30-line grpc traceback for a port in use; grpc_port = 70000 listened on 70000 % 65536."""
    import socket

    data = tmp_path / "n"
    assert hufu("national", "init", "--data-dir", str(data), "--pki", str(pki)).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = hufu("national", "serve", "--data-dir", str(data), "--port", str(port))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in run.stderr

    toml = data / "national.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "grpc_port = 70000\n", encoding="utf-8")
    run = hufu("national", "serve", "--data-dir", str(data))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "grpc_port" in run.stderr and "65535" in run.stderr
    run = hufu("national", "serve", "--data-dir", str(data), "--port", "99999")
    assert run.returncode == 1 and "65535" in run.stderr and "Traceback" not in run.stderr


def test_national_serve_names_the_pki_dir_setting_when_its_files_are_gone(pki: Path, tmp_path: Path) -> None:
    data = tmp_path / "n"
    assert hufu("national", "init", "--data-dir", str(data), "--pki", str(pki)).returncode == 0
    run = hufu("national", "serve", "--data-dir", str(data), "--port", "0",
               env={"HUFU_PKI_DIR": str(tmp_path / "nonexistent")})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "pki_dir" in run.stderr and "national.key" in run.stderr


def test_a_region_pointed_at_an_out_of_range_port_hears_the_port_is_the_problem() -> None:
    from regional.readiness import target_problem

    assert "out of range" in (target_problem("127.0.0.1:70000") or "")
    assert "not HOST:PORT" in (target_problem("127.0.0.1") or "")
    assert target_problem("127.0.0.1:7443") is None


def test_national_status_says_when_its_own_grpc_server_does_not_answer(pki: Path, tmp_path: Path) -> None:
    """newcomer15 F10: with `hufu national serve` killed, status printed "ok" for every region and exited 0."""
    import json
    import socket

    data = tmp_path / "n"
    assert hufu("national", "init", "--data-dir", str(data), "--pki", str(pki)).returncode == 0
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]
        (data / "run").mkdir(exist_ok=True)
        (data / "run" / "grpc.json").write_text(json.dumps({"host": "127.0.0.1", "port": port, "pid": 1}),
                                                encoding="utf-8")
        up = hufu("national", "status", "--data-dir", str(data), "--json")
        assert json.loads(up.stdout)["grpc_server"] == {"answering": True, "problem": None}
        assert "ALERT" not in hufu("national", "status", "--data-dir", str(data)).stdout
    down = hufu("national", "status", "--data-dir", str(data))  # the recorded address: nothing listens now
    assert down.returncode == 1
    assert f"ALERT: this node's gRPC server does not answer at 127.0.0.1:{port}" in down.stdout
    (data / "run" / "grpc.json").unlink()
    never = json.loads(hufu("national", "status", "--data-dir", str(data), "--json").stdout)
    assert never["grpc_server"]["answering"] is False and "hufu national serve" in never["grpc_server"]["problem"]


def test_the_national_node_refuses_to_start_on_a_database_this_release_has_not_migrated(
        pki: Path, tmp_path: Path) -> None:
    """newcomer15 F14: an un-migrated national dir: serve listened, the worker logged 22 tracebacks in 20 s
    ("no such column: cases.prior_case_id"), form-cases printed an SQLAlchemy error and "0 case(s) formed", exit 0."""
    from national.node import MIGRATIONS
    from sync.db import migration_heads, run_migrations

    data = tmp_path / "n"
    assert hufu("national", "init", "--data-dir", str(data), "--pki", str(pki)).returncode == 0
    config = NationalConfig.load(data, env={})
    (head,) = migration_heads(MIGRATIONS)
    run_migrations(config.db_url, MIGRATIONS, "-1", downgrade=True)  # as the release before this one left it
    for command in (["serve", "--port", "0"], ["worker"], ["web", "--port", "0"], ["form-cases"]):
        run = hufu("national", *command, "--data-dir", str(data), timeout=60)
        assert run.returncode == 1, (command, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr
        assert f"this release needs {head}: run `hufu national migrate --data-dir {data}`" in run.stderr, run.stderr
    assert hufu("national", "migrate", "--data-dir", str(data)).returncode == 0
    assert hufu("national", "form-cases", "--data-dir", str(data)).returncode == 0
