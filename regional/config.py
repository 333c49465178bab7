"""The regional node's configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from sync.config import NodeConfig
from sync.regions import UnknownRegion, validate_region

# An interval or timeout: more than 0, at most a day.
Seconds = Annotated[float, Field(gt=0, le=86400)]


class RegionalConfig(NodeConfig):
    """Settings of one regional node (file: <data_dir>/regional.toml, variables HUFU_*)."""

    region: str
    national_target: str | None = None  # host:port of the national gRPC server
    national_server_name: str = "localhost"  # name the national certificate is checked against
    sync_interval_s: Seconds = 2.0
    screen_interval_s: Seconds = 5.0
    rpc_timeout_s: Seconds = 30.0
    core_nice_classes: list[int] = []  # the province's core industries (优势产业): goods classes …
    core_ipc_prefixes: list[str] = []  # … technical fields (IPC, e.g. "H04M", "A47J 31")
    core_locarno_classes: list[str] = []  # … and design classes (Locarno, e.g. "14", "02-04")
    # the officers' workflow (docs/officers.md)
    second_review: list[str] = ["excluded>=0.9"]  # decisions that need a supervisor's second review (复核)
    case_time_limits_days: dict[str, float] = {}  # days per case step: filed, investigating, handling
    intake_per_hour: int = Field(5, ge=1, le=10_000)  # public complaints accepted per client address and hour
    # the review queue counts a filter's matches up to this many, then shows "more than N" (tallied totals —
    # state, type, source — are always exact); a larger cap costs each page a longer count
    review_count_cap: int = Field(20_000, ge=1, le=10_000_000)
    retrain_interval_days: float = Field(7.0, gt=0, le=366)  # how often the worker retrains the models on judgements

    @field_validator("core_nice_classes")
    @classmethod
    def _nice_classes(cls, value: list[int]) -> list[int]:
        # newcomer15 F12: [99] was accepted ("is ready") and matched nothing, silently
        bad = [c for c in value if not 1 <= c <= 45]
        if bad:
            raise ValueError(f"Nice classes are 1–45, not {', '.join(map(str, bad))}")
        return list(dict.fromkeys(value))  # kept in the order given (the demo and reports list them so), once each

    @field_validator("second_review")
    @classmethod
    def _second_review(cls, value: list[str]) -> list[str]:
        from regional.review.core import Policy

        Policy.from_specs(value)  # raises ValueError naming the bad rule
        return value

    @field_validator("case_time_limits_days")
    @classmethod
    def _case_limits(cls, value: dict[str, float]) -> dict[str, float]:
        from regional.casework.core import TimeLimits

        TimeLimits.from_config(value)
        return value

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        try:
            return validate_region(str(value))
        except UnknownRegion as exc:
            raise ValueError(str(exc)) from exc

    @classmethod
    def file_name(cls) -> str:
        """The config file's name inside the data dir."""
        return "regional.toml"

    @property
    def evidence_dir(self) -> Path:
        """The content-addressed evidence store (write-once; the application never deletes from it)."""
        return self.data_dir / "evidence"

    @property
    def pki_dir(self) -> Path:
        """Where this region's certificate, keys and the national CA certificate live."""
        return self.data_dir / "pki"
