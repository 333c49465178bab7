"""`hufu national dedup` and `hufu bench dedup` as a person runs them: real processes, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from regional.identifiers import uscc_check_char

CODE = "91440300MA5F12345" + uscc_check_char("91440300MA5F12345")


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[2])


def test_dedup_writes_one_cluster_line_per_id_and_reports_bad_lines(tmp_path: Path) -> None:
    entities = tmp_path / "E.jsonl"
    lines = [
        {"id": "a", "name": "深圳市华强电子有限公司", "uscc": CODE, "region": "440000"},
        {"id": "b", "name": "華強電子（深圳）有限公司", "uscc": CODE.lower(), "region": "110000"},
        "this is not json",
        {"id": "c", "name": "义乌市小商品贸易商行", "phone": 13900000000, "address": "浙江省金华市义乌市稠州北路1号"},
        {"id": "a", "name": "duplicate id"},
        {"name": "no id"},
        {"id": 42, "name": "华强电子旗舰店", "shop_url": "https://shop777.taobao.com/?spm=x", "uscc": CODE},
    ]
    entities.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
                        + "\n", encoding="utf-8")
    out = tmp_path / "C.jsonl"
    done = _run("national.dedup.cli", "--entities", str(entities), "--out", str(out), "--workers", "2")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in rows) == ["42", "a", "b", "c"]
    cluster = {r["id"]: r["cluster"] for r in rows}
    assert cluster["a"] == cluster["b"] == cluster["42"] != cluster["c"]
    assert f"{entities}:3: not valid JSON" in done.stderr
    assert f"{entities}:4: phone: expected a string, got int (field ignored)" in done.stderr
    assert f"{entities}:5: id: duplicate id 'a' (line skipped)" in done.stderr
    assert f"{entities}:6: id: missing" in done.stderr


def test_dedup_says_clearly_when_the_input_is_missing(tmp_path: Path) -> None:
    done = _run("national.dedup.cli", "--entities", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o"))
    assert done.returncode == 1
    assert "cannot read" in done.stderr and "nope.jsonl" in done.stderr


def test_bench_dedup_prints_the_summary_as_the_last_json_line() -> None:
    done = _run("national.bench.dedup", "--records", "4000", "--json", "--no-peer", "--repeats", "2")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(summary) >= {"records", "seconds", "f1", "baseline_f1", "peer_f1", "peer_seconds", "peak_rss_mb",
                            "cpu_seconds", "load", "repeats", "seconds_min", "seconds_max", "cpu_seconds_min",
                            "cpu_seconds_max", "peak_rss_mb_min", "baseline_seconds_max", "load_start"}
    assert summary["records"] == 4000 and summary["repeats"] == 2
    assert summary["seconds_min"] <= summary["seconds"] <= summary["seconds_max"]
    assert summary["f1"] > summary["baseline_f1"]
    assert "load average" in done.stdout and "2 run(s) of each tool" in done.stdout


def test_bench_dedup_runs_the_splink_peer_trained_once_on_other_records() -> None:
    """The peer (part of the Makefile's .venv) end to end on the independent sets: trained once on generated
    records, its predict-and-cluster time apart from training and normalisation, sane scores."""
    done = subprocess.run([sys.executable, "-m", "national.hufu", "bench", "dedup", "--set", "independent",
                           "--seeds", "11", "--entities", "200", "--peer-train-records", "3000", "--json"],
                          capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "peer skipped" not in done.stderr, done.stderr
    assert done.stderr.count("[peer] trained on 3,000 records") == 1  # once, for both sets
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    for figures in (summary, summary["independent2"]):
        assert 0 < figures["peer_f1"] <= 1 and 0 < figures["peer_precision_min"] <= 1
        assert figures["peer_seconds"] > 0 and figures["peer_total_seconds"] >= figures["peer_seconds"]
    assert summary["peer_train_seconds"] > 0 and summary["peer_train_records"] == 3000
    assert summary["peer_model_reused"] is False
    assert "splink training (once" in done.stdout


def test_bench_dedup_reports_both_independent_sets() -> None:
    done = _run("national.bench.dedup", "--set", "independent", "--seeds", "3", "--entities", "250", "--json",
                "--no-peer")
    assert done.returncode == 0, done.stderr
    assert "independent set" in done.stdout and "independent2 set" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["set"] == "independent" and summary["seeds"] == [3]
    second = summary["independent2"]
    for figures in (summary, second):
        assert {"f1", "precision", "recall", "baseline_f1"} <= set(figures)
        assert figures["f1"] > figures["baseline_f1"]


def test_bench_dedup_stages_prints_cpu_seconds_per_stage_that_add_up_to_the_total() -> None:
    done = _run("national.bench.dedup", "--stages", "--records", "3000", "--repeats", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert "normalize name" in done.stdout and "linking" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["records"] == 3000 and summary["runs"] == 2
    stages = summary["stages"]
    assert {"normalize name", "normalize address", "blocking", "comparison levels", "record facts", "linking",
            "labels", "total"} <= set(stages)
    assert all(v >= 0 for v in stages.values())
    assert summary["cpu_seconds_min"] <= summary["cpu_seconds"] <= summary["cpu_seconds_max"]
    assert summary["cpu_seconds"] > 0
