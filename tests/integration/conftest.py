"""Fixtures shared by the integration tests: a migrated national database (the case/entity tests) and an initialised
region 440000 with its credentials (a module that defines its own `pki` or `node` keeps it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from national import node as national_node
from regional.config import RegionalConfig
from regional.node import init_node
from sync.db import Database, run_migrations, sqlite_url
from sync.pki import init_ca, issue_region


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated national database, on SQLite and on the suite's throwaway PostgreSQL (`pg_url`). A module that
    defines its own `db` fixture keeps it (pytest's nearest definition wins)."""
    url = sqlite_url(tmp_path / "national.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    run_migrations(url, national_node.MIGRATIONS)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A national CA with region 440000's credentials, once a module."""
    root = tmp_path_factory.mktemp("pki") / "pki"
    init_ca(root)
    issue_region(root, "440000")
    return root


@pytest.fixture
def node(tmp_path: Path, pki: Path) -> RegionalConfig:
    """A fresh, initialised region 440000 (SQLite) whose national address answers nothing."""
    config = RegionalConfig.load(tmp_path / "node", env={}, region="440000", national_target="127.0.0.1:9")
    init_node(config, pki / "regions" / "440000")
    return config
