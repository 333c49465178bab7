"""Fixtures of the fault suite: a PKI per session, a federation of real processes per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fault.harness import Federation, Processes, make_pki

# Regions the fault tests push as; the refusal tests make their own PKI (they revoke and re-issue).
FAULT_REGIONS = ("440000", "330000", "310000", "370000", "420000")


@pytest.fixture(scope="session")
def fault_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A national CA with certificates for FAULT_REGIONS, made once per session by the CLI."""
    return make_pki(tmp_path_factory.mktemp("fault-pki") / "pki", FAULT_REGIONS)


@pytest.fixture
def federation(tmp_path: Path, fault_pki: Path) -> Iterator[Federation]:
    """Data dirs under tmp_path; every process and proxy it started is killed at teardown."""
    fed = Federation(root=tmp_path, pki=fault_pki, procs=Processes(tmp_path / "logs"))
    try:
        yield fed
    finally:
        fed.close()
