"""`hufu national|regional migrate`: what the Ansible roles and upgrade.yml run on every node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from national.hufu import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _regional_dir(tmp_path: Path, db_url: str | None = None) -> Path:
    data = tmp_path / "region"
    data.mkdir()
    text = 'region = "440000"\n# managed by a template: migrate must never rewrite this file\n'
    if db_url:
        text += f'database_url = "{db_url}"\n'
    (data / "regional.toml").write_text(text, encoding="utf-8")
    return data


def _migrate_cycle(capsys: pytest.CaptureFixture[str], data: Path, kind: str) -> None:
    config = data / f"{kind}.toml"
    before = config.read_bytes()
    code, out, _ = _run(capsys, kind, "migrate", "--data-dir", str(data), "--check")
    assert code == 3, out
    assert "needs upgrade" in out
    code, out, _ = _run(capsys, kind, "migrate", "--data-dir", str(data), "--json")
    assert code == 0
    result = json.loads(out.strip().splitlines()[-1])
    assert result["changed"] is True and result["before"] == [] and result["after"] == result["heads"]
    assert result["node"] == kind
    code, out, _ = _run(capsys, kind, "migrate", "--data-dir", str(data), "--json")
    assert code == 0
    again = json.loads(out.strip().splitlines()[-1])
    assert again["changed"] is False and "nothing to do" in out
    code, out, _ = _run(capsys, kind, "migrate", "--data-dir", str(data), "--check")
    assert code == 0 and "at head" in out
    assert config.read_bytes() == before, "migrate rewrote the node's configuration file"


def test_regional_migrate_upgrades_once_and_leaves_config_alone(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    _migrate_cycle(capsys, _regional_dir(tmp_path), "regional")


def test_national_migrate_upgrades_once_and_leaves_config_alone(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "national"
    data.mkdir()
    (data / "national.toml").write_text("grpc_port = 50051\n", encoding="utf-8")
    _migrate_cycle(capsys, data, "national")


@pytest.mark.postgres
def test_regional_migrate_on_postgresql(tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _migrate_cycle(capsys, _regional_dir(tmp_path, pg_url), "regional")


def test_migrate_refuses_a_database_a_newer_release_migrated(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = _regional_dir(tmp_path)
    assert _run(capsys, "regional", "migrate", "--data-dir", str(data))[0] == 0
    engine = sa.create_engine(f"sqlite:///{data / 'node.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'zz_from_the_future'"))
    engine.dispose()
    code, _, err = _run(capsys, "regional", "migrate", "--data-dir", str(data))
    assert code == 1
    assert "zz_from_the_future" in err and "newer release" in err
    code, _, err = _run(capsys, "regional", "migrate", "--data-dir", str(data), "--check")
    assert code == 1 and "newer than this release" in err


def test_migrate_names_an_unreachable_database_without_its_password(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "national"
    data.mkdir()
    (data / "national.toml").write_text(
        'database_url = "postgresql+psycopg://hufu:s3cret@127.0.0.1:1/hufu"\n', encoding="utf-8")
    code, out, err = _run(capsys, "national", "migrate", "--data-dir", str(data))
    assert code == 1
    assert "cannot reach the national database" in err and "127.0.0.1:1" in err
    assert "s3cret" not in err + out
