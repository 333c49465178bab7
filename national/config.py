"""The national node's configuration."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from sync.config import NodeConfig


class NationalConfig(NodeConfig):
    """Settings of the national node (file: <data_dir>/national.toml, variables HUFU_*)."""

    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(default=0, ge=0, le=65535)
    pki_dir: Path | None = None
    case_interval_s: float = 2.0
    grpc_workers: int = 0  # 0: sized for every registered region (at least 31) plus headroom
    verify_processes: int = -1  # processes checking uplink batches beside the server; -1: one per core beyond
    # the first (at most 4), 0: in each stream's own thread (national.verifiers)
    feed_retention_days: float = 30.0
    silent_after_s: float = 300.0  # a region with no successful exchange for this long is flagged silent
    # the regions' sync interval (their sync_interval_s): a region says hello that often even with nothing to send,
    # so no exchange for late_after_intervals of them reads "late" (national/status.py) long before "silent"
    region_sync_interval_s: float = Field(default=2.0, gt=0, le=86400)
    late_after_intervals: float = Field(default=15.0, gt=0)
    supervision_days: float = 60.0  # time limit of a cross-province case under national supervision (督办)
    blacklist_cases: int = 2  # confirmed cases …
    blacklist_months: int = 12  # … within this many months put a seller on the national blacklist
    checkpoint_interval_s: float = 10.0  # how often the evidence log is extended and a checkpoint signed

    @field_validator("pki_dir")
    @classmethod
    def _absolute_pki(cls, value: Path | None) -> Path | None:
        # Stored absolute, so `serve` started from another directory finds the same PKI.
        return Path(os.path.abspath(value.expanduser())) if value is not None else None

    @classmethod
    def _resolve_file_paths(cls, values: dict[str, Any], base: Path) -> dict[str, Any]:
        pki = values.get("pki_dir")
        if isinstance(pki, str) and pki and not Path(pki).expanduser().is_absolute():
            values = {**values, "pki_dir": str(base / pki)}
        return values

    @property
    def late_after_s(self) -> float:
        """No successful exchange for this long reads "late": the regions' sync interval × late_after_intervals
        (at least 10 s, so a slow exchange under load is not called late)."""
        return max(10.0, self.region_sync_interval_s * self.late_after_intervals)

    @classmethod
    def file_name(cls) -> str:
        """The config file's name inside the data dir."""
        return "national.toml"

    @property
    def evidence_dir(self) -> Path:
        """The content-addressed store of evidence items uploaded by the regions (write-once)."""
        return self.data_dir / "evidence"

    @property
    def pki(self) -> Path:
        """The PKI directory: CA certificate, server certificate, regions.json."""
        return self.pki_dir if self.pki_dir is not None else self.data_dir / "pki"
