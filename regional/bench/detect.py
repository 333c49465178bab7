"""`hufu bench detect [--json]`: the detection engine end to end on a generated registry and marketplace.

Generates (regional/bench/world.py) 100,000 marks (mixed Chinese and Latin), invention and
utility-model patents, designs with images, and 20,000 listings with planted infringements
of every kind; builds the engine; screens every listing (normalise -> retrieve -> score ->
write leads as JSON Lines); reports listings per second, peak memory, and precision and
recall per model against what was planted. In the same run, the brute-force baseline:
rapidfuzz `process.cdist` (partial_ratio) between the normalised titles of a sample of
listings and every mark, its listings per second and trademark recall on that sample.
Progress goes to stderr; with --json the last stdout line is the summary object.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from regional.bench.world import World, WorldSize, build_world
from regional.domain import LeadFinding, LeadType, Listing, RightKind

MODELS = {LeadType.TRADEMARK: "trademark", LeadType.COUNTERFEIT_PATENT: "patent-marking",
          LeadType.DESIGN: "design", LeadType.INVENTION: "invention"}
BASELINE_CUTOFF = 66  # partial_ratio: a 3-character mark with one character changed scores 66.7


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hufu bench detect`."""
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on the last line")
    parser.add_argument("--marks", type=int, default=100_000, help="trademarks in the registry (default 100000)")
    parser.add_argument("--patents", type=int, default=4_000, help="invention and utility-model patents (default 4000)")
    parser.add_argument("--designs", type=int, default=2_000, help="design patents, one view each (default 2000)")
    parser.add_argument("--listings", type=int, default=20_000, help="listings to screen (default 20000)")
    parser.add_argument("--baseline-listings", type=int, default=400,
                        help="listings the brute-force baseline screens (it compares each with every mark)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (default 2026)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for screening (default 2, the cores here)")


def _say(message: str) -> None:
    print(f"[bench detect] {message}", file=sys.stderr, flush=True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def precision_recall(found: set[tuple[str, str]], planted: set[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and counts of found pairs against planted pairs."""
    hits = len(found & planted)
    return {"precision": round(hits / max(1, len(found)), 4), "recall": round(hits / max(1, len(planted)), 4),
            "leads": len(found), "planted": len(planted), "hits": hits}


def per_model(findings: Sequence[LeadFinding], world: World, ids: set[str] | None = None) -> dict[str, dict[str, float]]:
    """Precision and recall of each model on the planted cases (optionally of some listings only)."""
    out = {}
    for lead_type, name in MODELS.items():
        found = {(f.listing_id, f.right) for f in findings if f.type == lead_type and (ids is None or f.listing_id in ids)}
        planted = {p for p in world.planted(lead_type) if ids is None or p[0] in ids}
        out[name] = precision_recall(found, planted)
    return out


def _recall_by_style(findings: Sequence[LeadFinding], world: World) -> dict[str, float]:
    """Recall of each planted style (look-alike, homophone, lapsed, …) over all models."""
    found = {(f.listing_id, f.right, f.type) for f in findings}
    totals: dict[str, list[int]] = {}
    for key, style in world.styles.items():
        counts = totals.setdefault(style, [0, 0])
        counts[0] += 1
        counts[1] += int(key in found)
    return {style: round(hit / n, 4) for style, (n, hit) in sorted(totals.items())}


def baseline(world: World, listings: Sequence[Listing]) -> tuple[set[tuple[str, str]], float]:
    """Brute force: cdist(partial_ratio) of every listing title with every mark; flagged pairs and seconds."""
    from rapidfuzz import fuzz, process

    from regional.detection import normalize as nz
    from regional.nice import infer_nice_classes

    started = time.perf_counter()
    marks = [r for r in world.rights if r.kind == RightKind.TRADEMARK]
    mark_texts = [nz.compact(r.title) for r in marks]
    titles = [nz.compact(x.title) for x in listings]
    scores = process.cdist(titles, mark_texts, scorer=fuzz.partial_ratio, score_cutoff=BASELINE_CUTOFF,
                           dtype=np.uint8, workers=-1)
    flagged: set[tuple[str, str]] = set()
    for i, j in zip(*np.nonzero(scores), strict=True):
        listing, mark = listings[int(i)], marks[int(j)]
        classes = listing.nice_classes or infer_nice_classes(listing.category, listing.title)
        if len(mark_texts[j]) >= 2 and (not classes or set(classes) & set(mark.nice_classes)):
            flagged.add((listing.id, mark.number))
    return flagged, time.perf_counter() - started


def run(args: argparse.Namespace) -> int:
    """Generate, screen, measure and report; 0 on success."""
    from regional.detection.config import DetectionConfig
    from regional.detection.engine import Engine

    size = WorldSize(marks=args.marks, patents=args.patents, designs=args.designs, listings=args.listings)
    with tempfile.TemporaryDirectory(prefix="hufu-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        world = build_world(size, seed=args.seed, image_dir=root, progress=_say)
        _say(f"generated {len(world.rights)} rights, {len(world.listings)} listings, {len(world.truth)} planted "
             f"in {time.perf_counter() - started:.1f}s")
        config = DetectionConfig(registry_images=root, listing_images=root)
        started = time.perf_counter()
        engine = Engine(world.rights, world.licences, config=config)
        build_s = time.perf_counter() - started
        _say(f"engine built (indexes, design hashes) in {build_s:.1f}s")
        started = time.perf_counter()
        out_path = root / "leads.jsonl"
        _say(f"screening {len(world.listings)} listings with {args.workers} worker process(es) ...")
        result = engine.run(world.listings, workers=args.workers)
        findings = result.findings
        with out_path.open("w", encoding="utf-8") as out:
            for lead in findings:
                out.write(json.dumps(lead.to_json(with_codes=True), ensure_ascii=False) + "\n")
        _say(f"screened {len(world.listings)} listings: {len(findings)} leads, {len(result.errors)} listing error(s)")
        screen_s = time.perf_counter() - started
        listings_per_s = len(world.listings) / screen_s
        models = per_model(findings, world)
        sample = world.listings[: args.baseline_listings]
        _say(f"baseline: rapidfuzz cdist over {len(sample)} listings x {args.marks} marks ...")
        flagged, base_s = baseline(world, sample)
        sample_ids = {x.id for x in sample}
        base_tm = precision_recall(flagged, {p for p in world.planted(LeadType.TRADEMARK) if p[0] in sample_ids})
        ours_on_sample = per_model(findings, world, sample_ids)["trademark"]
        base_lps = len(sample) / base_s if base_s else 0.0
        found_all = {(f.listing_id, f.right, f.type) for f in findings}
        overall_hits = len(found_all & world.truth)
        summary: dict[str, Any] = {
            "listings_per_s": round(listings_per_s, 1),
            "baseline_listings_per_s": round(base_lps, 2),
            "speedup": round(listings_per_s / base_lps, 1) if base_lps else None,
            "recall": models["trademark"]["recall"],
            "baseline_recall": base_tm["recall"],
            "precision": models["trademark"]["precision"],
            "peak_rss_mb": round(_peak_rss_mb(), 1),
        }
        details = {
            "size": size.__dict__, "workers": args.workers, "engine_build_s": round(build_s, 2), "screen_s": round(screen_s, 2),
            "models": models, "all_models": {"precision": round(overall_hits / max(1, len(found_all)), 4),
                                             "recall": round(overall_hits / max(1, len(world.truth)), 4)},
            "trademark_on_baseline_sample": ours_on_sample, "baseline": {**base_tm, "seconds": round(base_s, 2)},
            "registry_problems": len(engine.problems), "recall_by_style": _recall_by_style(findings, world),
        }
    _report(summary, details, as_json=args.json)
    return 0


def _report(summary: dict[str, Any], details: dict[str, Any], *, as_json: bool) -> None:
    lines = [
        f"registry: {details['size']['marks']} marks, {details['size']['patents']} patents, "
        f"{details['size']['designs']} designs; {details['size']['listings']} listings",
        f"engine build: {details['engine_build_s']} s; screening: {details['screen_s']} s "
        f"-> {summary['listings_per_s']} listings/s; peak RSS {summary['peak_rss_mb']} MB",
        f"baseline (rapidfuzz cdist, partial_ratio >= {BASELINE_CUTOFF}): {summary['baseline_listings_per_s']} "
        f"listings/s, trademark recall {summary['baseline_recall']} "
        f"(ours on the same sample: {details['trademark_on_baseline_sample']['recall']}); speedup {summary['speedup']}x",
        f"{'model':<16}{'precision':>10}{'recall':>8}{'leads':>7}{'planted':>9}",
    ]
    for name, m in details["models"].items():
        lines.append(f"{name:<16}{m['precision']:>10.4f}{m['recall']:>8.4f}{m['leads']:>7}{m['planted']:>9}")
    lines.append(f"{'all models':<16}{details['all_models']['precision']:>10.4f}{details['all_models']['recall']:>8.4f}")
    print("\n".join(lines))
    if as_json:
        print(json.dumps({"details": details}, ensure_ascii=False))
        print(json.dumps(summary))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m regional.bench.detect [--json]`."""
    parser = argparse.ArgumentParser(prog="hufu bench detect", description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
