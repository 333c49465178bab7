"""`hufu bench cases` end to end on a small table: the JSON line carries what the issue names, and the
incremental cycles agree with a full re-resolve of the same leads."""

from __future__ import annotations

import json

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
