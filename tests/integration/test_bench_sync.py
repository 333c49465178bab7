"""`hufu bench sync` end to end on a small outbox: the JSON line carries what issue 12 names, the checks
hold (nothing lost, doubled or altered, every lead projected) and `--stages` times every stage."""

from __future__ import annotations

import json
import subprocess
import sys

from national.bench import sync as bench


def test_bench_sync_reports_the_plain_insert_ratio_the_checks_and_each_stage() -> None:
    done = subprocess.run([sys.executable, "-m", "national.bench.sync", "--leads", "1200", "--repeats", "1",
                           "--engine", "sqlite", "--stages", "--json"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    line = json.loads(done.stdout.strip().splitlines()[-1])
    assert line["raw_insert_per_s"] > 0 and line["leads_per_s"] > 0 and 0 < line["ratio_raw"]
    assert (line["lost"], line["duplicated"], line["contents_differing"]) == (0, 0, 0)
    assert line["projection_complete"] is True
    # the projection's own CPU (this process) and whether it keeps up with ingest (projected / ingested per second)
    assert line["projection_cpu_s_per_10k"] > 0 and line["projection_vs_sync"] > 0
    assert "projection / sync leads/s" in done.stdout
    assert set(line["stages"]) == set(bench.STAGES)
    # every stage ran (each takes some CPU or wall time on 1,200 records); prepare covers its three parts
    assert all(t["cpu_s"] > 0 or t["wall_s"] > 0 for t in line["stages"].values()), line["stages"]
    prepare = line["stages"]["national: prepare (all of the above)"]["cpu_s"]
    assert prepare >= 0.5 * line["stages"]["national: check records"]["cpu_s"]
    assert "stage, one process, no gRPC" in done.stdout
    # the sync path's CPU split by process: the national server's own, its verifier processes', the regions'
    head = line["engines"]["sqlite"]
    split = [head["server_cpu_s_per_10k"], head["verifier_cpu_s_per_10k"], head["region_cpu_s_per_10k"]]
    assert min(split) >= 0 and head["region_cpu_s_per_10k"] > 0, split
    assert abs(sum(split) - head["sync_cpu_s_per_10k"]) <= 0.005, (split, head["sync_cpu_s_per_10k"])
    assert "national server's own process" in done.stdout and "its verifier processes" in done.stdout
