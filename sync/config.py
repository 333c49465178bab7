"""Typed node configuration: declared once, read from one TOML file plus HUFU_* variables."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

T = TypeVar("T", bound="NodeConfig")


class ConfigError(ValueError):
    """A setting that is missing or invalid; the message names it."""


class NodeConfig(BaseModel):
    """Settings common to both node kinds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path
    database_url: str | None = None
    web_host: str = "127.0.0.1"
    web_port: int = 0
    lang: str = "zh_CN"
    # web sign-in: a session ends after this many idle minutes, and in any case after session_max_hours
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=24 * 7)
    # send cookies only over HTTPS (set it when the web UI is served behind TLS)
    cookie_secure: bool = False
    # /metrics without signing in (for a Prometheus scraper on a private network)
    metrics_public: bool = True

    @property
    def db_url(self) -> str:
        """The database URL; embedded SQLite in the data dir by default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'node.db').resolve()}"

    @property
    def run_dir(self) -> Path:
        """Where a running process writes its bound ports."""
        return self.data_dir / "run"

    @classmethod
    def load(cls, data_dir: Path, env: dict[str, str] | None = None, **overrides: Any) -> Self:
        """Read `<data_dir>/<file_name>`, then HUFU_<SETTING> variables, then `overrides`; validate."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        path = Path(data_dir) / cls.file_name()
        if path.exists():
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        for name in cls.model_fields:
            key = f"HUFU_{name.upper()}"
            if key in env:
                values[name] = env[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_dir"] = Path(data_dir)
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"setting '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
            )
            raise ConfigError(f"invalid configuration ({path}): {problems}") from exc

    @classmethod
    def file_name(cls) -> str:
        """The config file's name inside the data dir."""
        return "node.toml"

    def save(self) -> Path:
        """Write the settings that differ from the defaults to the node's TOML file."""
        path = self.data_dir / self.file_name()
        lines = []
        for name, value in self.model_dump(exclude={"data_dir"}, exclude_defaults=True).items():
            lines.append(f"{name} = {_toml_value(value)}")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
