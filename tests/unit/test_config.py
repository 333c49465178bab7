"""Typed configuration: file, environment, validation errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from regional.config import RegionalConfig
from sync.config import ConfigError


def test_settings_come_from_file_then_environment(tmp_path: Path) -> None:
    (tmp_path / "regional.toml").write_text('region = "440000"\nsync_interval_s = 5\n', encoding="utf-8")
    cfg = RegionalConfig.load(tmp_path, env={"HUFU_SYNC_INTERVAL_S": "3"})
    assert cfg.region == "440000" and cfg.sync_interval_s == 3.0
    assert cfg.db_url.endswith("node.db")


def test_a_bad_region_code_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="setting 'region'.*GB/T 2260"):
        RegionalConfig.load(tmp_path, env={}, region="999999")


def test_an_unknown_setting_is_an_error_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "regional.toml").write_text('region = "440000"\nsync_intervall_s = 5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="sync_intervall_s"):
        RegionalConfig.load(tmp_path, env={})


def test_saved_config_loads_back(tmp_path: Path) -> None:
    cfg = RegionalConfig.load(tmp_path, env={}, region="350000", national_target="127.0.0.1:5000")
    cfg.save()
    again = RegionalConfig.load(tmp_path, env={})
    assert again == cfg


def test_a_relative_data_dir_is_kept_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """newcomer14: `hufu national web --data-dir demo-data/national` (README) answered 500 for a monthly report's
    download: the web app looked for the file relative to its own package folder, not the working directory."""
    from national.config import NationalConfig
    from regional.config import RegionalConfig

    monkeypatch.chdir(tmp_path)
    assert NationalConfig.load(Path("demo-data/national"), env={}).data_dir == tmp_path / "demo-data" / "national"
    assert RegionalConfig.load(Path("r"), env={}, region="440000").data_dir == tmp_path / "r"
    assert NationalConfig(data_dir=Path("n")).data_dir.is_absolute()
