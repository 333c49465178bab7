"""`hufu bench detect --e2e --against TREE`: this tree's four models against another tree's, alternated, same world.

Under a shared machine's load one run of each tree says little; this mode gives the comparison earlier sessions made
with scripts outside the repository. It generates the world of `--e2e` once (photos hashed as at import), pickles it,
then for `--repeats` rounds starts one fresh process per tree, the other tree first, each with `PYTHONPATH` set to its
tree (TREE: a checkout's root, e.g. `git worktree add --detach /tmp/base main`; this tree: the one this module is in).
The child is this file's `_child` run with `runpy` under the tree's own `regional`: it builds the engine, screens 500
listings untimed, then times `Engine.run` once in one process (CPU-s) and once with `--workers` (parent and
workers' CPU-s, wall), and writes the SHA-256 of the leads. The summary gives per tree the median, min and max over
the rounds, the one-process CPU ratio (this / other; below 1 is faster) and whether both trees found the same leads.
Both trees must read the pickled world (the same `regional.domain` classes).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

THIS_TREE = Path(__file__).resolve().parents[2]


def _say(message: str) -> None:
    print(f"[bench detect --against] {message}", file=sys.stderr, flush=True)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _child(world_path: str, workers: int) -> dict[str, Any]:
    """In the tree under test: build, warm, one timed run in one process and one with `workers` (fresh process)."""
    import hashlib
    import resource

    from regional.detection.config import DetectionConfig
    from regional.detection.engine import Engine

    with open(world_path, "rb") as handle:
        rights, licences, listings, root = pickle.load(handle)  # noqa: S301 - our own temporary file

    def digest(findings: list[Any]) -> str:
        text = "".join(json.dumps(f.to_json(with_codes=True), ensure_ascii=False) + "\n" for f in findings)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def split() -> tuple[float, float]:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime

    started = time.process_time()
    engine = Engine(rights, licences, config=DetectionConfig(registry_images=Path(root), listing_images=Path(root)))
    build = time.process_time() - started
    engine.run(listings[:500])  # untimed: lazy tables
    started = time.process_time()
    one = engine.run(listings)
    one_cpu = time.process_time() - started
    wall, (own, children) = time.perf_counter(), split()
    many = engine.run(listings, workers=workers)
    wall = time.perf_counter() - wall
    own_after, children_after = split()
    return {"build_cpu_s": round(build, 3), "one_process_cpu_s": round(one_cpu, 3),
            "workers_parent_cpu_s": round(own_after - own, 3),
            "workers_children_cpu_s": round(children_after - children, 3), "workers_wall_s": round(wall, 3),
            "leads": len(one.findings), "leads_sha256": digest(one.findings),
            "same_leads_with_workers": digest(many.findings) == digest(one.findings), "load": _load()}


def _run_tree(tree: Path, world_path: Path, workers: int) -> dict[str, Any]:
    code = ("import json, runpy, sys; "
            f"out = runpy.run_path({str(Path(__file__).resolve())!r})['_child']({str(world_path)!r}, {workers}); "
            "print(json.dumps(out))")
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tempfile.gettempdir(), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tree {tree}: child failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}


def summarise(runs: dict[str, list[dict[str, Any]]], listings: int, workers: int) -> dict[str, Any]:
    """Per tree ("this", "other"): medians/min/max of the children's figures; the one-process CPU ratio this/other."""
    from regional.bench.detect_e2e import critical_path

    out: dict[str, Any] = {}
    for name, rows in runs.items():
        one = [r["one_process_cpu_s"] for r in rows]
        total = [r["workers_parent_cpu_s"] + r["workers_children_cpu_s"] for r in rows]
        path = [critical_path(r["workers_parent_cpu_s"], r["workers_children_cpu_s"], workers) for r in rows]
        out[name] = {
            "one_process_cpu_s": _spread(one),
            "one_process_per_cpu_s": round(listings / statistics.median(one), 1),
            "workers_parent_cpu_s": _spread([r["workers_parent_cpu_s"] for r in rows]),
            "workers_per_cpu_s": round(listings / statistics.median(total), 1),
            "workers_critical_path_listings_per_s": round(listings / statistics.median(path), 1),
            "workers_wall_listings_per_s": round(listings / statistics.median([r["workers_wall_s"] for r in rows]), 1),
            "build_cpu_s": _spread([r["build_cpu_s"] for r in rows]),
            "leads": sorted({r["leads"] for r in rows}),
            "leads_sha256": sorted({r["leads_sha256"] for r in rows}),
            "same_leads_with_workers": all(r["same_leads_with_workers"] for r in rows),
        }
    this, other = out["this"], out["other"]
    out["one_process_cpu_ratio"] = round(this["one_process_cpu_s"]["median"] / other["one_process_cpu_s"]["median"], 3)
    out["same_leads"] = len(this["leads_sha256"]) == 1 and this["leads_sha256"] == other["leads_sha256"]
    return out


def run(args: argparse.Namespace) -> int:
    """Print a short table and, with --json, one JSON object on the last line."""
    from regional.bench.detect import bench_world
    from regional.detection.perceptual import parse_stored, stored_hashes

    other = Path(args.against).resolve()
    if not (other / "regional" / "detection" / "engine.py").is_file():
        raise SystemExit(f"--against {other}: not a Hufu tree (no regional/detection/engine.py)")
    _say(f"this tree {THIS_TREE}, other {other}")
    runs: dict[str, list[dict[str, Any]]] = {"other": [], "this": []}
    with bench_world(args, _say, "hufu-bench-ab-") as (world, root, load_before):
        listings = [replace(x, image_hashes=parse_stored(stored_hashes(x.images, root), len(x.images)))
                    if x.images else x for x in world.listings]  # hashed as at import
        world_path = root / "world.pickle"
        with world_path.open("wb") as handle:
            pickle.dump((world.rights, world.licences, listings, str(root)), handle, protocol=pickle.HIGHEST_PROTOCOL)
        for round_ in range(max(1, args.repeats)):
            for name, tree in (("other", other), ("this", THIS_TREE)):
                row = _run_tree(tree, world_path, args.workers)
                runs[name].append(row)
                _say(f"round {round_ + 1} {name}: one process {row['one_process_cpu_s']} CPU-s; {args.workers} "
                     f"workers parent {row['workers_parent_cpu_s']} + workers {row['workers_children_cpu_s']} CPU-s, "
                     f"wall {row['workers_wall_s']} s; leads {row['leads']} {row['leads_sha256'][:16]}; "
                     f"load {row['load']}")
    n = len(listings)
    summary: dict[str, Any] = {"against": str(other), "this_tree": str(THIS_TREE), "listings": n,
                               "marks": args.marks, "workers": args.workers, "rounds": len(runs["this"]),
                               **summarise(runs, n, args.workers), "load_before": load_before, "load_after": _load()}
    print(f"machine load (1/5/15 min): before {load_before}, after {summary['load_after']}")
    print(f"{n} listings, {args.marks} marks, photo hashes stored; {summary['rounds']} alternated rounds, a fresh "
          "process per tree and round (other tree first)")
    for name in ("other", "this"):
        t = summary[name]
        one = t["one_process_cpu_s"]
        print(f"  {name:5}: one process {one['median']} CPU-s ({one['min']}-{one['max']}) = "
              f"{t['one_process_per_cpu_s']:.0f} listings per CPU-s; {args.workers} workers {t['workers_per_cpu_s']:.0f} "
              f"per CPU-s, parent {t['workers_parent_cpu_s']['median']} CPU-s, critical path "
              f"{t['workers_critical_path_listings_per_s']:.0f}/s, wall {t['workers_wall_listings_per_s']:.0f}/s; "
              f"build {t['build_cpu_s']['median']} CPU-s")
    print(f"one-process CPU this/other: {summary['one_process_cpu_ratio']}; same leads: {summary['same_leads']}")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 0
