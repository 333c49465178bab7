"""`hufu bench detect --e2e`: all four models end to end, alone, with repeats, load and a digest of the leads.

Generates the world of `hufu bench detect` (registry with design views and listing photos written to a
temporary folder), builds the engine once (CPU seconds), screens the listings once untimed (500 of them,
to load lazy tables), then `--repeats` times `Engine.run(listings, workers=--workers)` with the leads
written as JSON Lines, as the default run's end-to-end step does: listings per second of wall clock
(median, min, max) and per CPU second (this process and the workers it waited for). Then one pass per
model in this process (CPU seconds each, the trademark model's batch preparation apart). The SHA-256 of the
leads file (listing, right, type, score, reasons, codes, params) lets two trees be compared for identical
output. Machine load is printed before and after. Nothing else of the default run is done.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any


def _say(message: str) -> None:
    print(f"[bench detect --e2e] {message}", file=sys.stderr, flush=True)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cpu() -> float:
    own, children = _cpu_split()
    return own + children


def _cpu_split() -> tuple[float, float]:
    """CPU seconds of this process, and of the worker processes it waited for."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def critical_path(parent_cpu: float, workers_cpu: float, workers: int) -> float:
    """Seconds a run can take at least on `workers` idle cores: no less than the parent's CPU (one thread: its serial
    part and the slice it screens itself) nor than all the CPU shared evenly between the cores (wall can only be
    longer: waits, unequal slices, other processes)."""
    return max(parent_cpu, (parent_cpu + workers_cpu) / max(1, workers))


def model_parts(engine: Any, listings: list[Any]) -> dict[str, float]:
    """CPU seconds of each model over the batch in this process (trademark: preparation + price reference apart)."""
    from regional.detection.trademark import TrademarkDetector

    clock = time.process_time
    parts: dict[str, float] = {}
    started = clock()
    model = engine.models.get("trademark")
    tm_batch = model.prepare(listings) if isinstance(model, TrademarkDetector) else None  # normalised whole, now
    if tm_batch is not None:
        tm_batch.warm()
    parts["trademark_prepare"] = round(clock() - started, 3)
    for name, model in engine.models.items():
        started = clock()
        if isinstance(model, TrademarkDetector) and tm_batch is not None:
            model.detect(tm_batch, 0, len(listings))
        else:
            model.detect(listings)
        parts[name] = round(clock() - started, 3)
    return parts


def _timed_runs(engine: Any, listings: list[Any], args: argparse.Namespace, out_path: Path,
                label: str, paths: list[float] | None = None) -> tuple[list[float], list[float], set[str], Any]:
    """Screen `listings` `args.repeats` times with `args.workers`: wall and CPU seconds of each run, the sha256 of
    the leads each run wrote (one value when the runs agree), and the last run's result. `paths` receives each
    run's critical_path() seconds."""
    walls: list[float] = []
    cpus: list[float] = []
    digests: set[str] = set()
    result = None
    for k in range(max(1, args.repeats)):
        started, (own, children) = time.perf_counter(), _cpu_split()
        result = engine.run(listings, workers=args.workers)
        with out_path.open("w", encoding="utf-8") as out:
            for lead in result.findings:
                out.write(json.dumps(lead.to_json(with_codes=True), ensure_ascii=False) + "\n")
        walls.append(time.perf_counter() - started)
        own_after, children_after = _cpu_split()
        cpus.append(own_after - own + children_after - children)
        path = critical_path(own_after - own, children_after - children, args.workers)
        if paths is not None:
            paths.append(path)
        digests.add(hashlib.sha256(out_path.read_bytes()).hexdigest())
        _say(f"{label} {k + 1}: {len(listings) / walls[-1]:.0f} listings/s wall, {len(listings) / cpus[-1]:.0f} per "
             f"CPU-s (parent {own_after - own:.2f}, workers {children_after - children:.2f} CPU-s; "
             f"critical path {path:.2f} s), load {_load()}")
    return walls, cpus, digests, result


def run(args: argparse.Namespace) -> int:
    """Print a short table and, with --json, one JSON object on the last line."""
    from regional.bench.detect import bench_world, per_model
    from regional.detection.config import DetectionConfig
    from regional.detection.engine import Engine
    from regional.detection.perceptual import parse_stored, stored_hashes

    with bench_world(args, _say, "hufu-bench-e2e-") as (world, root, load_before):
        listings = world.listings
        photos = sum(1 for x in listings if x.images)
        config = DetectionConfig(registry_images=root, listing_images=root)
        started = time.process_time()
        engine = Engine(world.rights, world.licences, config=config)
        build_cpu = time.process_time() - started
        engine.run(listings[:500])  # untimed: lazy tables loaded once per process
        load_start = _load()
        out_path = root / "leads.jsonl"
        walls, cpus, digests, result = _timed_runs(engine, listings, args, out_path, "run")
        load_end = _load()
        parts = model_parts(engine, listings)
        # the node stores each photo's hashes at import (regional.services.store_listings): the same listings with
        # them, made here once (CPU-s charged apart, as an import would pay them), screened again the same way
        started = time.process_time()
        imported = [replace(x, image_hashes=parse_stored(stored_hashes(x.images, root), len(x.images)))
                    if x.images else x for x in listings]
        import_cpu = time.process_time() - started
        stored_paths: list[float] = []
        stored_walls, stored_cpus, stored_digests, _ = _timed_runs(engine, imported, args, out_path,
                                                                   "hashes stored at import, run", stored_paths)
        load_stored_end = _load()
        models = per_model(result.findings, world)
    n = len(listings)
    summary: dict[str, Any] = {
        "e2e_listings_per_s": round(n / statistics.median(walls), 1),
        "e2e_listings_per_s_min": round(n / max(walls), 1), "e2e_listings_per_s_max": round(n / min(walls), 1),
        "e2e_per_cpu_s": round(n / statistics.median(cpus), 1),
        "workers": args.workers, "repeats": len(walls), "listings": n, "listings_with_photo": photos,
        "marks": args.marks, "engine_build_cpu_s": round(build_cpu, 2),
        "leads": len(result.findings), "leads_sha256": sorted(digests)[0] if len(digests) == 1 else sorted(digests),
        "stored_hashes_listings_per_s": round(n / statistics.median(stored_walls), 1),
        "stored_hashes_listings_per_s_min": round(n / max(stored_walls), 1),
        "stored_hashes_listings_per_s_max": round(n / min(stored_walls), 1),
        "stored_hashes_per_cpu_s": round(n / statistics.median(stored_cpus), 1),
        # n / critical_path(): what idle cores would allow at most (not a measured wall)
        "stored_hashes_critical_path_listings_per_s": round(n / statistics.median(stored_paths), 1),
        "stored_hashes_same_leads": stored_digests == digests and len(digests) == 1,
        "import_hash_cpu_s": round(import_cpu, 3), "import_hash_us_per_photo": round(import_cpu / max(1, photos) * 1e6, 1),
        "load_stored_end": load_stored_end,
        "one_process_cpu_s": parts, "recall": {name: m["recall"] for name, m in models.items()},
        "precision": {name: m["precision"] for name, m in models.items()},
        "load_before": load_before, "load_timed_start": load_start, "load_timed_end": load_end, "load_after": _load(),
    }
    print(f"machine load (1/5/15 min): before {load_before}, timed runs {load_start} -> {load_end}, "
          f"after {summary['load_after']}")
    print(f"registry: {args.marks} marks, {args.patents} patents, {args.designs} designs; {n} listings "
          f"({photos} with a photo); engine build {build_cpu:.2f} CPU-s")
    print(f"all four models end to end, {args.workers} worker(s), {len(walls)} runs: "
          f"{summary['e2e_listings_per_s']:.0f} listings/s wall median ({summary['e2e_listings_per_s_min']:.0f}-"
          f"{summary['e2e_listings_per_s_max']:.0f}), {summary['e2e_per_cpu_s']:.0f} per CPU-s")
    print(f"the same with each photo's hashes stored at import: {summary['stored_hashes_listings_per_s']:.0f} listings/s "
          f"wall median ({summary['stored_hashes_listings_per_s_min']:.0f}-{summary['stored_hashes_listings_per_s_max']:.0f}),"
          f" {summary['stored_hashes_per_cpu_s']:.0f} per CPU-s, same leads: {summary['stored_hashes_same_leads']}; "
          f"hashing at import {summary['import_hash_cpu_s']} CPU-s ({summary['import_hash_us_per_photo']} µs a photo)")
    print(f"  critical path (the larger of the parent's CPU-s and all CPU-s / {args.workers}; an upper bound for idle "
          f"cores, not a measured wall): {summary['stored_hashes_critical_path_listings_per_s']:.0f} listings/s")
    print("one process, CPU-s: " + ", ".join(f"{k} {v}" for k, v in parts.items()))
    print(f"leads {summary['leads']}, sha256 {summary['leads_sha256']}")
    print("recall per model: " + ", ".join(f"{k} {v}" for k, v in summary["recall"].items()))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 0
