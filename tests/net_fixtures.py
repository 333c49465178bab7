"""The national gRPC server fixture shared by the sync tests (registered in tests/conftest.py as a plugin).

Every test that takes `net` runs twice: batches checked in the stream's thread, and in verifier processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from national.grpc_server import build_server
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from national.verifiers import Verifiers
from sync.db import Database, run_migrations, sqlite_url
from sync.pki import init_ca, issue_region

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return NOW


@dataclass
class Net:
    pki: Path
    target: str
    national: Database
    tmp: Path


@pytest.fixture(scope="module")
def verifier_pool() -> Iterator[Verifiers]:
    """Two real verifier processes (national.verifiers), shared by the servers of this module's tests."""
    pool = Verifiers(2)
    pool.warm()
    yield pool
    pool.close()


@pytest.fixture(params=["checked-in-stream", "checked-in-verifier-processes"])
def net(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Net]:
    """A national server; every test runs twice: batches checked in the stream's thread, and in verifier processes."""
    verifiers = request.getfixturevalue("verifier_pool") if request.param == "checked-in-verifier-processes" else None
    pki = tmp_path / "pki"
    init_ca(pki)
    for code in ("440000", "330000"):
        issue_region(pki, code)
    url = sqlite_url(tmp_path / "national.db")
    run_migrations(url, NATIONAL_MIGRATIONS)
    db = Database(url)
    server, port = build_server(db, pki, "127.0.0.1", 0, workers=4, clock=clock, verifiers=verifiers)
    server.start()
    try:
        yield Net(pki=pki, target=f"127.0.0.1:{port}", national=db, tmp=tmp_path)
    finally:
        server.stop(grace=None)
        db.dispose()
