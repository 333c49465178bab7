"""Fixtures shared by the national case/entity integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from national import node as national_node
from sync.db import Database, run_migrations, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated national database, on SQLite and on the suite's throwaway PostgreSQL (`pg_url`). A module that
    defines its own `db` fixture keeps it (pytest's nearest definition wins)."""
    url = sqlite_url(tmp_path / "national.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    run_migrations(url, national_node.MIGRATIONS)
    database = Database(url)
    yield database
    database.dispose()
