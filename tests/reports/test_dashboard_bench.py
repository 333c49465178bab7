"""`hufu bench dashboard` at a small scale: both dashboards, both databases, every figure checked against a scan.

The bench refuses to time a dashboard whose figures differ from a scan of the leads (total, per
area, type, source, industry, every trend point, each officer's workload), so a run that ends
proves the bulk fill and the cube recount give the dashboards the right numbers. `--keep` reuses
the filled databases on a second run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from national.bench import dashboard


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, object], str]:
    parser = argparse.ArgumentParser()
    dashboard.add_arguments(parser)
    assert dashboard.run(parser.parse_args(["--leads", "3100", "--days", "120", "--repeats", "1", "--json", *argv])) == 0
    out = capsys.readouterr()
    return json.loads(out.out.strip().splitlines()[-1]), out.err


def _check(result: dict[str, object], database: str) -> None:
    rows = result["rows"]
    assert isinstance(rows, list)
    got = {(r["node"], r["period"], r["what"]) for r in rows if r["database"] == database}
    assert len(got) == 2 * 3 * 3, got
    for r in rows:
        assert r["figures_checked"] > 20 and r["median_ms"] > 0 and r["cpu_ms"] is not None
        assert r["leads"] == (3100 if r["node"] == "national" else 300)
        if r["period"] == "365 days by week":
            assert r["leads_in_period"] == r["leads"]


def test_bench_on_sqlite_checks_every_figure_and_reuses_kept_databases(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    first, err = _run(capsys, "--keep", str(tmp_path))
    _check(first, "SQLite")
    assert "figures equal a scan of the leads" in err and "reusing" not in err
    assert len(list(tmp_path.glob("*.db"))) == 2 and len(list(tmp_path.glob("*.json"))) == 2
    again, err = _run(capsys, "--keep", str(tmp_path), "--nodes", "regional")
    assert "SQLite regional: reusing the database" in err and "filling" not in err
    assert {r["node"] for r in again["rows"]} == {"regional"}  # type: ignore[union-attr]


@pytest.mark.postgres
def test_bench_on_postgresql_checks_every_figure(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _check(_run(capsys, "--skip-sqlite", "--postgres-url", pg_url)[0], "PostgreSQL")


def test_bench_refuses_an_unknown_node() -> None:
    parser = argparse.ArgumentParser()
    dashboard.add_arguments(parser)
    with pytest.raises(SystemExit, match="--nodes: capital"):
        dashboard.run(parser.parse_args(["--nodes", "national,capital"]))
