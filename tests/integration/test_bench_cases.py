"""`hufu bench cases` end to end on a small table: the JSON line carries what the issue names, and the
incremental cycles agree with a full re-resolve of the same leads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from national.bench import cases as bench


def test_bench_cases_reports_seconds_per_cycle_per_size_and_checks_against_a_full_re_resolve(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--sizes", "1200,2000", "--new", "300", "--repeats", "2", "--baseline-repeats", "1",
                       "--seed", "5", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "incremental vs full re-resolve" in "\n".join(out)
    line = json.loads(out[-1])
    assert set(line["seconds_per_cycle"]) == {"1200", "2000"}
    assert all(v > 0 for v in line["seconds_per_cycle"].values())
    assert all(v > 0 for v in line["baseline_seconds_per_cycle"].values())
    for size in ("1200", "2000"):
        check = line["check"][size]
        # the stored leads and those of both incremental cycles (a few new ones are quarantined by projection)
        assert int(size) + 500 <= check["leads"] <= int(size) + 600, check
        assert check["entity_pair_f1"] >= 0.98, check
        assert check["case_groups_identical_share"] >= 0.95, check


def test_bench_cases_reuses_the_state_kept_after_a_bootstrap(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    keep = str(tmp_path)
    common = ["--sizes", "900", "--new", "200", "--repeats", "1", "--baseline-repeats", "0", "--seed", "3",
              "--keep", keep, "--json"]
    assert bench.main(common) == 0
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert first["sizes"][0]["reused"] is False and first["sizes"][0]["bootstrap_seconds"] > 0
    assert bench.main([*common, "--reuse"]) == 0
    second = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    size = second["sizes"][0]
    assert size["reused"] is True and size["bootstrap_seconds"] == 0
    assert size["leads_resolved"][0] <= 200  # the cycle resolved the new leads only, not a rebuild
    assert {"normalize_cpu", "retrieve_cpu", "score_cpu", "plan_cases_cpu", "write_cases_cpu"} <= set(second["stages"]["900"])
    # more new leads than the kept base's world holds: they would not continue its stored leads
    with pytest.raises(SystemExit, match="was made for 200 new leads"):
        bench.main([*[a if a != "1" else "2" for a in common], "--reuse"])
    # the same leads as a run that stored and resolved them itself, and the cycle agrees with a full re-resolve
    assert size["check"]["leads"] == first["sizes"][0]["check"]["leads"]
    assert size["check"]["entity_pair_f1"] >= 0.98, size["check"]


def test_bench_cases_refuses_reuse_without_a_kept_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--sizes", "900", "--reuse"]) == 2
    assert "--reuse needs --keep" in capsys.readouterr().err


def test_bench_cases_refuses_a_kept_base_resolved_by_another_entity_resolution_version(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import sqlite3

    common = ["--sizes", "700", "--new", "100", "--repeats", "1", "--baseline-repeats", "0", "--no-check",
              "--seed", "4", "--keep", str(tmp_path)]
    assert bench.main(common) == 0
    conn = sqlite3.connect(tmp_path / "national-700-seed4-base.db")
    with conn:
        conn.execute("UPDATE node_state SET value = 'older' WHERE key = 'er_version'")
    conn.close()
    with pytest.raises(SystemExit, match="entity-resolution version older"):
        bench.main([*common, "--reuse"])
