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


@pytest.mark.parametrize(("line", "named", "said"), [
    ("core_nice_classes = [25, 99]", "core_nice_classes", "Nice classes are 1–45, not 99"),
    ("intake_per_hour = -1", "intake_per_hour", "greater than or equal to 1"),
    ("retrain_interval_days = 0", "retrain_interval_days", "greater than 0"),
    ("case_time_limits_days = {filed = 0}", "case_time_limits_days", "must be more than 0 and at most 3650"),
    ('trusted_proxies = ["10.0.0.1"]', "trusted_proxies", "number of reverse proxies"),
    ("grpc_port = 70000", None, None),
])
def test_values_out_of_their_range_are_refused_naming_the_setting(tmp_path: Path, line: str, named: str | None,
                                                                    said: str | None) -> None:
    """newcomer15 F12/F13: core_nice_classes = [99] and intake_per_hour = -1 were accepted ("is ready")."""
    from national.config import NationalConfig

    if named is None:  # the national node's port (newcomer14 F39)
        (tmp_path / "national.toml").write_text(line + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="grpc_port.*65535"):
            NationalConfig.load(tmp_path, env={})
        return
    (tmp_path / "regional.toml").write_text(f'region = "440000"\n{line}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        RegionalConfig.load(tmp_path, env={})
    assert named in str(refused.value) and said in str(refused.value), str(refused.value)


def test_core_nice_classes_in_range_are_kept_once_in_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "regional.toml").write_text('region = "440000"\ncore_nice_classes = [25, 9, 25]\n', encoding="utf-8")
    assert RegionalConfig.load(tmp_path, env={}).core_nice_classes == [25, 9]
