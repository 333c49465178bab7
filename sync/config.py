"""Typed node configuration: declared once, read from one TOML file plus HUFU_* variables."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

T = TypeVar("T", bound="NodeConfig")


class ConfigError(ValueError):
    """A setting that is missing or invalid; the message names it."""


class NodeConfig(BaseModel):
    """Settings common to both node kinds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path
    database_url: str | None = None
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=0, ge=0, le=65535)
    lang: str = "zh_CN"
    # web sign-in: a session ends after this many idle minutes, and in any case after session_max_hours
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=24 * 7)
    # send cookies only over HTTPS (set it when the web UI is served behind TLS)
    cookie_secure: bool = False
    # /metrics without signing in (for a Prometheus scraper on a private network)
    metrics_public: bool = True
    # reverse proxies in front of the web UI whose X-Forwarded-For/-Proto/-Host headers are trusted (werkzeug
    # ProxyFix): 0 (the default) trusts none, so a client cannot forge its address; 1 behind one nginx. With it
    # set, the audit, sign-in throttling and the complaint form's rate limit see the client's own address.
    trusted_proxies: int = Field(default=0, ge=0, le=5)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_count(cls, value: object) -> object:
        # a count, not addresses (newcomer15 F13: ["not-an-ip"] gave "Input should be a valid integer")
        if isinstance(value, (list, tuple, str)) and not (isinstance(value, str) and value.strip().isdigit()):
            raise ValueError("the number of reverse proxies in front of the web UI whose X-Forwarded-* headers are "
                             "trusted (0–5), not their addresses")
        return value
    # the office's name in reports' headers (default: 国家知识产权局, or the province's name + 知识产权局)
    office_name: str = Field(default="", max_length=100)

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

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        # Stored absolute: a web process started with `--data-dir demo-data/national` (README) served every file
        # under it from another folder (a monthly report download answered 500) — newcomer14
        return Path(os.path.abspath(Path(value).expanduser()))

    @classmethod
    def load(cls, data_dir: Path, env: dict[str, str] | None = None, *, must_exist: bool = False,
             **overrides: Any) -> Self:
        """Read `<data_dir>/<file_name>`, then HUFU_<SETTING> variables, then `overrides`; validate.

        An error names the setting and where its value came from (the file, an environment
        variable or the command line). With `must_exist`, a data directory that was never set
        up (no config file) is refused with the command that sets it up.
        """
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        path = Path(data_dir) / cls.file_name()
        if must_exist and not path.is_file():
            raise ConfigError(cls._not_set_up(Path(data_dir), path))
        if path.exists():
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot be read: {exc}") from exc
            sources.update({name: f"in {path}" for name in values})
            values = cls._resolve_file_paths(values, path.parent)
        for name in cls.model_fields:
            key = f"HUFU_{name.upper()}"
            if key in env:
                values[name] = env[key]
                sources[name] = f"from the environment variable {key}"
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
                sources[name] = "given on the command line"
        values["data_dir"] = Path(data_dir)
        try:
            return cls(**values)
        except ValidationError as exc:
            missing = [err for err in exc.errors() if err["type"] == "missing"]
            if missing and not path.exists():
                raise ConfigError(cls._not_set_up(Path(data_dir), path)) from exc
            problems = []
            for err in exc.errors():
                name = ".".join(str(p) for p in err["loc"])
                where = sources.get(str(err["loc"][0]) if err["loc"] else "", f"(not set in {path})")
                problems.append(f"setting '{name}' {where}: {_plain(err)}")
            raise ConfigError("invalid configuration: " + "; ".join(problems)) from exc

    @classmethod
    def _not_set_up(cls, data_dir: Path, path: Path) -> str:
        node = cls.file_name().removesuffix(".toml")
        if not data_dir.exists():
            what = f"{data_dir} does not exist"
        elif not data_dir.is_dir():
            what = f"{data_dir} is not a directory"
        else:
            what = f"{data_dir} has no {path.name}"
        return (f"{what}: it is not a {node} node's data directory; set one up with "
                f"`hufu {node} init --data-dir {data_dir} …` or pass the right --data-dir")

    @classmethod
    def _resolve_file_paths(cls, values: dict[str, Any], base: Path) -> dict[str, Any]:
        """Relative paths in the config file are relative to the file, not to the current directory."""
        return values

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


def _plain(err: Any) -> str:
    """pydantic's message, with the offending value when it is short."""
    msg = str(err.get("msg", "is not valid"))
    value = err.get("input")
    if isinstance(value, str | int | float | bool) and err.get("type") != "missing" and len(repr(value)) <= 60:
        msg += f" (got {value!r})"
    return msg


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
