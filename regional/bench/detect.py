"""`hufu bench detect [--json]`: the detection engine and its fair baselines, in one run.

Generates (regional/bench/world.py) a registry of marks (mixed Chinese and Latin, some
well-known), patents and designs with images, and listings with planted infringements of
every kind; then, each tool charged only for its own work and timed `--repeats` times
(median, min, max), one process each unless stated:

- Hufu's trademark model alone (normalise, retrieve, verify, rules, score);
- (a) the hash-keyed peer (regional/bench/peers.py, written without Hufu's code);
- (b) brute force with the goods-class pre-filter and the same owner/licence/price rules
  (rapidfuzz partial_ratio against every mark of the listing's classes, on a sample);
- all four models end to end with `--workers` processes, leads written as JSON Lines.

Accuracy of each on the generated world and on the hand-built real-world sets of
look-alikes and hard negatives (regional/data/eval/, not produced by the code under test;
one table, REAL_WORLD_SETS, says which and the summary keys each gives), index build
time, and with `--scales` the trademark model's and the peer's speed at several registry
sizes. Machine load is printed before and after. Progress goes
to stderr; with --json the last stdout line is the summary object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regional.bench.world import World, WorldSize, build_world
from regional.domain import LeadFinding, LeadType

MODELS = {LeadType.TRADEMARK: "trademark", LeadType.COUNTERFEIT_PATENT: "patent-marking",
          LeadType.DESIGN: "design", LeadType.INVENTION: "invention"}


@dataclass(frozen=True)
class RealWorldSet:
    """One hand-built real-world trademark set `hufu bench detect` reports: its key in the details, the constant of its
    fixture in regional/bench/realworld.py, its table title and the summary figures it gives — Hufu's "recall", "fpr",
    "alerts_per_listing" as `<key>_<figure>`, and the baselines' recall as `peer_<key>_recall` and
    `prefilter_<key>_recall`."""

    key: str
    fixture: str
    title: str
    figures: tuple[str, ...]


_ALL = ("recall", "fpr", "alerts_per_listing", "peer", "prefilter")
# In report order; the figures of the older sets are the ones their summaries always had (keys kept as they were).
REAL_WORLD_SETS: tuple[RealWorldSet, ...] = (
    RealWorldSet("independent", "INDEPENDENT", "independent real-world set", _ALL),
    RealWorldSet("attack", "ATTACK", "attack set (look-alikes written after tuning)",
                 ("recall", "fpr", "peer", "prefilter")),
    RealWorldSet("attack2", "ATTACK2", "second attack set (written after the first's fixes)", ("recall", "fpr", "peer")),
    RealWorldSet("attack3", "ATTACK3", "third attack set (written before the component work)",
                 ("recall", "fpr", "alerts_per_listing", "peer")),
    RealWorldSet("attack11", "ATTACK11", "eleventh set (sealed until its one run, session 19)", _ALL),
    RealWorldSet("attack12", "ATTACK12", "twelfth set (sealed until its one run, session 20)", _ALL),
    RealWorldSet("attack13", "ATTACK13", "thirteenth set (sealed until its one run, session 21)", _ALL),
    RealWorldSet("attack14", "ATTACK14", "fourteenth set (sealed until its one run, session 22)", _ALL),
    RealWorldSet("attack15", "ATTACK15", "fifteenth set (sealed until its one run, session 23)", _ALL),
    RealWorldSet("attack16", "ATTACK16", "sixteenth set (sealed until its one run, session 24)", _ALL),
)


def real_world_summary(results: Mapping[str, dict[str, Any]],
                       sets: Sequence[RealWorldSet] = REAL_WORLD_SETS) -> dict[str, Any]:
    """The summary figures of the real-world sets from their `independent()` results, keyed by `RealWorldSet.key`."""
    out: dict[str, Any] = {}
    for one in sets:
        result = results[one.key]
        for figure in one.figures:
            if figure in ("peer", "prefilter"):
                out[f"{figure}_{one.key}_recall"] = result[figure]["recall"]
            else:
                out[f"{one.key}_{figure}"] = result["hufu"]["all"][figure]
    return out


def real_world_lines(details: Mapping[str, Any], sets: Sequence[RealWorldSet] = REAL_WORLD_SETS) -> list[str]:
    """The report's tables of the real-world sets: Hufu, the peer and the brute force, per style, the misses."""
    lines: list[str] = []
    for k, one in enumerate(sets):
        result = details[one.key]
        if k:
            lines.append("")
        lines.append(f"{one.title:<28}{'recall':>8}{'precision':>11}{'FPR':>7}{'alerts/listing':>16}")
        for name, m in (("Hufu", result["hufu"]["all"]), ("(a) hash-keyed peer", result["peer"]),
                        ("(b) prefiltered brute force", result["prefilter"])):
            lines.append(f"{name:<28}{m['recall']:>8.4f}{m['precision']:>11.4f}{m['fpr']:>7.4f}"
                         f"{m['alerts_per_listing']:>16.4f}")
        lines.append("Hufu per style: " + ", ".join(
            f"{style} {s['hits']}/{s['cases']}" if "recall" in s else f"{style} {s['false_leads']} false"
            for style, s in result["hufu"].items() if style != "all"))
        lines.append(f"Hufu misses: {result['hufu']['all']['misses']}")
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hufu bench detect`."""
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on the last line")
    parser.add_argument("--marks", type=int, default=100_000, help="trademarks in the registry (default 100000)")
    parser.add_argument("--patents", type=int, default=4_000, help="invention and utility-model patents (default 4000)")
    parser.add_argument("--designs", type=int, default=2_000, help="design patents, one view each (default 2000)")
    parser.add_argument("--listings", type=int, default=20_000, help="listings to screen (default 20000)")
    parser.add_argument("--baseline-listings", type=int, default=400,
                        help="listings the brute-force baseline screens (it compares each with every mark of its "
                             "classes; default 400)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (default 2026)")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes for the end-to-end run of all four models (default 2, the cores here)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each tool; median, min, max (default 3)")
    parser.add_argument("--scales", default="",
                        help="comma-separated registry sizes to time the trademark model and the peer at "
                             "(e.g. 10000,100000,300000; default: none)")
    parser.add_argument("--cpu", action="store_true",
                        help="only the trademark model and the hash-keyed peer, per CPU second of this process, "
                             "alternately, at each --scales size (else --marks); build CPU time split into "
                             "registry normalisation, keys and the automaton (regional/bench/detect_cpu.py)")
    parser.add_argument("--stages", action="store_true",
                        help="implies --cpu; also one pass through the trademark model's steps (normalise, retrieve, "
                             "verify, rules, score) timed in CPU microseconds per listing")
    parser.add_argument("--e2e", action="store_true",
                        help="only all four models end to end (--workers, --repeats): listings/s wall median (min-max), "
                             "per CPU-s, each model's CPU-s in one process, a SHA-256 of the leads, load "
                             "(regional/bench/detect_e2e.py)")
    parser.add_argument("--against", metavar="TREE", default=None,
                        help="with --e2e: this tree's engine against the Hufu tree at TREE (a checkout's root), "
                             "alternated fresh processes on one world, --repeats rounds: one-process CPU-s, workers' "
                             "CPU-s and wall, same leads (regional/bench/detect_ab.py)")


def _say(message: str) -> None:
    print(f"[bench detect] {message}", file=sys.stderr, flush=True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


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


@contextlib.contextmanager
def bench_world(args: argparse.Namespace, say: Callable[[str], None], prefix: str
                ) -> Iterator[tuple[World, Path, list[float]]]:
    """The prologue of every `hufu bench detect` mode: the machine's cores and load average said (and returned), then
    the world of `args`' sizes and seed generated with its images in a temporary folder that lives for the block."""
    load_before = _load()
    say(f"machine: {os.cpu_count()} cores, load average {load_before}")
    size = WorldSize(marks=args.marks, patents=args.patents, designs=args.designs, listings=args.listings)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        world = build_world(size, seed=args.seed, image_dir=root, progress=say)
        photos = sum(1 for x in world.listings if x.images)
        say(f"generated {len(world.rights)} rights, {len(world.listings)} listings ({photos} with a photo), "
            f"{len(world.truth)} planted in {time.perf_counter() - started:.1f}s")
        yield world, root, load_before


def _timed(run: Callable[[], Any], repeats: int) -> tuple[Any, dict[str, float]]:
    """The result of the last run and its seconds: wall clock median, min, max, and the median CPU seconds.

    CPU seconds (this process and the workers it waited for) say what the tool costs when the
    machine is shared; wall-clock seconds what an office waits.
    """
    times, cpu = [], []
    result = None
    for _ in range(max(1, repeats)):
        started, started_cpu = time.perf_counter(), _cpu()
        result = run()
        times.append(time.perf_counter() - started)
        cpu.append(_cpu() - started_cpu)
    return result, {"median": statistics.median(times), "min": min(times), "max": max(times),
                    "cpu": statistics.median(cpu)}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rate(count: int, seconds: dict[str, float]) -> dict[str, float]:
    """Listings per second from run times (median; min and max of the rate)."""
    return {"median": round(count / seconds["median"], 1), "min": round(count / seconds["max"], 1),
            "max": round(count / seconds["min"], 1), "per_cpu_s": round(count / max(seconds["cpu"], 1e-9), 1)}


def _trademark_pairs(findings: Sequence[LeadFinding]) -> set[tuple[str, str]]:
    return {(f.listing_id, f.right) for f in findings if f.type == LeadType.TRADEMARK}


def independent(fixture: str) -> dict[str, Any]:
    """Hufu, the peer and the pre-filtered brute force on a hand-built real-world set."""
    from regional.bench import peers, realworld
    from regional.detection.engine import Engine

    rights, cases = realworld.load(fixture)
    listings = realworld.listings_of(cases)
    hufu = realworld.score_cases(cases, listings, _trademark_pairs(Engine(rights, []).run(listings).findings))
    peer = realworld.score_cases(cases, listings, peers.HashPeer(rights, []).detect(listings))
    brute = realworld.score_cases(cases, listings, peers.PrefilterBrute(rights, []).detect(listings))
    return {"hufu": hufu, "peer": peer["all"], "prefilter": brute["all"]}


def scale_run(marks: int, listings: int, seed: int, repeats: int) -> dict[str, Any]:
    """Trademark-model and peer speed (one process each) and build times at one registry size."""
    from regional.bench.peers import HashPeer
    from regional.detection.trademark import TrademarkDetector

    world = build_world(WorldSize(marks=marks, patents=0, designs=0, listings=listings), seed=seed)
    started = time.perf_counter()
    tm = TrademarkDetector(world.rights, world.licences)
    build = time.perf_counter() - started
    started = time.perf_counter()
    peer = HashPeer(world.rights, world.licences)
    peer_build = time.perf_counter() - started
    found, tm_s = _timed(lambda: tm.detect(world.listings), repeats)
    peer_found, peer_s = _timed(lambda: peer.detect(world.listings), repeats)
    planted = world.planted(LeadType.TRADEMARK)
    return {"marks": marks, "index_build_s": round(build, 2), "peer_build_s": round(peer_build, 2),
            "trademark_listings_per_s": _rate(len(world.listings), tm_s),
            "peer_listings_per_s": _rate(len(world.listings), peer_s),
            "trademark": precision_recall(_trademark_pairs(found), planted),
            "peer": precision_recall(peer_found, planted)}


def run(args: argparse.Namespace) -> int:
    """Generate, screen, measure and report; 0 on success."""
    if args.e2e and args.against:
        from regional.bench import detect_ab

        return detect_ab.run(args)
    if args.e2e:
        from regional.bench import detect_e2e

        return detect_e2e.run(args)
    if args.cpu or args.stages:
        from regional.bench import detect_cpu

        return detect_cpu.run(args)
    from regional.bench import realworld
    from regional.bench.peers import HashPeer, PrefilterBrute
    from regional.detection.config import DetectionConfig
    from regional.detection.engine import Engine
    from regional.detection.trademark import TrademarkDetector

    size = WorldSize(marks=args.marks, patents=args.patents, designs=args.designs, listings=args.listings)
    with bench_world(args, _say, "hufu-bench-") as (world, root, load_before):
        listings = world.listings
        planted_tm = world.planted(LeadType.TRADEMARK)

        _say("trademark model alone, one process ...")
        started = time.perf_counter()
        tm = TrademarkDetector(world.rights, world.licences)
        tm_build = time.perf_counter() - started
        tm_found, tm_s = _timed(lambda: tm.detect(listings), args.repeats)
        tm_pr = precision_recall(_trademark_pairs(tm_found), planted_tm)

        _say("hash-keyed peer, one process ...")
        started = time.perf_counter()
        peer = HashPeer(world.rights, world.licences)
        peer_build = time.perf_counter() - started
        peer_found, peer_s = _timed(lambda: peer.detect(listings), args.repeats)
        peer_pr = precision_recall(peer_found, planted_tm)

        sample = listings[: args.baseline_listings]
        sample_ids = {x.id for x in sample}
        _say(f"brute force with the class pre-filter over {len(sample)} listings ...")
        brute = PrefilterBrute(world.rights, world.licences)
        brute_found, brute_s = _timed(lambda: brute.detect(sample), max(1, min(args.repeats, 2)))
        planted_sample = {p for p in planted_tm if p[0] in sample_ids}
        brute_pr = precision_recall(brute_found, planted_sample)
        tm_on_sample = precision_recall({p for p in _trademark_pairs(tm_found) if p[0] in sample_ids}, planted_sample)

        config = DetectionConfig(registry_images=root, listing_images=root)
        started = time.perf_counter()
        engine = Engine(world.rights, world.licences, config=config)
        build_s = time.perf_counter() - started
        _say(f"all four models end to end with {args.workers} worker process(es) ...")
        out_path = root / "leads.jsonl"

        def end_to_end() -> Any:
            result = engine.run(listings, workers=args.workers)
            with out_path.open("w", encoding="utf-8") as out:
                for lead in result.findings:
                    out.write(json.dumps(lead.to_json(with_codes=True), ensure_ascii=False) + "\n")
            return result

        result, e2e_s = _timed(end_to_end, args.repeats)
        findings = result.findings
        models = per_model(findings, world)
        found_all = {(f.listing_id, f.right, f.type) for f in findings}
        overall_hits = len(found_all & world.truth)

    _say("independent real-world sets ...")
    real = {one.key: independent(getattr(realworld, one.fixture)) for one in REAL_WORLD_SETS}
    first = realworld.evaluate(realworld.FIXTURE)["all"]
    from regional.bench import foreign as foreign_set

    _say("foreign-language set ...")
    foreign = foreign_set.evaluate()
    foreign2 = foreign_set.evaluate(foreign_set.SECOND)
    scales = []
    for marks in [int(s) for s in args.scales.split(",") if s.strip()]:
        _say(f"scale: {marks} marks ...")
        scales.append(scale_run(marks, min(args.listings, 20_000), args.seed, args.repeats))
    load_after = _load()

    e2e = _rate(len(listings), e2e_s)
    tm_rate = _rate(len(listings), tm_s)
    peer_rate = _rate(len(listings), peer_s)
    brute_rate = _rate(len(sample), brute_s)
    summary: dict[str, Any] = {
        "listings_per_s": e2e["median"],
        "baseline_listings_per_s": brute_rate["median"],
        "speedup": round(e2e["median"] / brute_rate["median"], 1) if brute_rate["median"] else None,
        "recall": models["trademark"]["recall"],
        "baseline_recall": brute_pr["recall"],
        "precision": models["trademark"]["precision"],
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "trademark_listings_per_s": tm_rate["median"],
        "peer_listings_per_s": peer_rate["median"],
        "peer_recall": peer_pr["recall"],
        "peer_precision": peer_pr["precision"],
        "prefilter_listings_per_s": brute_rate["median"],
        "prefilter_recall": brute_pr["recall"],
        "trademark_vs_peer": round(tm_rate["median"] / peer_rate["median"], 2) if peer_rate["median"] else None,
        "trademark_vs_peer_cpu": round(tm_rate["per_cpu_s"] / peer_rate["per_cpu_s"], 2),
        "trademark_per_cpu_s": tm_rate["per_cpu_s"], "peer_per_cpu_s": peer_rate["per_cpu_s"],
        "end_to_end_per_cpu_s": e2e["per_cpu_s"],
        "index_build_s": round(tm_build, 2),
        **real_world_summary(real),
        "foreign_recall": foreign["hufu"]["all"]["recall"], "foreign_precision": foreign["hufu"]["all"]["precision"],
        "foreign_fpr": foreign["hufu"]["all"]["fpr"],
        "foreign_en_recall": foreign["hufu"]["en"]["recall"], "foreign_es_recall": foreign["hufu"]["es"]["recall"],
        "foreign_without_counterparts_recall": foreign["without_counterparts"]["all"]["recall"],
        "peer_foreign_recall": foreign["peer"]["all"]["recall"], "peer_foreign_precision": foreign["peer"]["all"]["precision"],
        "foreign_nice_first": foreign["nice"]["first"],
        "foreign2_recall": foreign2["hufu"]["all"]["recall"], "foreign2_precision": foreign2["hufu"]["all"]["precision"],
        "foreign2_fpr": foreign2["hufu"]["all"]["fpr"],
        "peer_foreign2_recall": foreign2["peer"]["all"]["recall"],
        "peer_foreign2_precision": foreign2["peer"]["all"]["precision"],
        "load_before": load_before, "load_after": load_after,
    }
    details = {
        "size": size.__dict__, "workers": args.workers, "repeats": args.repeats,
        "engine_build_s": round(build_s, 2), "peer_build_s": round(peer_build, 2),
        "end_to_end_listings_per_s": e2e, "trademark_listings_per_s": tm_rate, "peer_listings_per_s": peer_rate,
        "prefilter_listings_per_s": brute_rate, "trademark": tm_pr, "peer": peer_pr,
        "prefilter_on_sample": brute_pr, "trademark_on_sample": tm_on_sample,
        "models": models, "all_models": {"precision": round(overall_hits / max(1, len(found_all)), 4),
                                         "recall": round(overall_hits / max(1, len(world.truth)), 4)},
        "registry_problems": len(engine.problems), "recall_by_style": _recall_by_style(findings, world),
        **real, "first_fixture": first, "scales": scales,
        "foreign": foreign, "foreign2": foreign2,
    }
    _report(summary, details, as_json=args.json)
    return 0


def _fmt(rate: dict[str, float]) -> str:
    return f"{rate['median']:>9.1f} ({rate['min']:.0f}-{rate['max']:.0f}) {rate['per_cpu_s']:>9.1f}"


def _report(summary: dict[str, Any], details: dict[str, Any], *, as_json: bool) -> None:
    size = details["size"]
    lines = [
        f"machine load (1/5/15 min): before {summary['load_before']}, after {summary['load_after']}; "
        f"{details['repeats']} runs each, listings/s as median (min-max)",
        f"registry: {size['marks']} marks, {size['patents']} patents, {size['designs']} designs; "
        f"{size['listings']} listings",
        f"index build: trademark {summary['index_build_s']} s, peer {details['peer_build_s']} s, "
        f"all four models {details['engine_build_s']} s",
        "",
        f"{'tool (generated world, trademark)':<44}{'listings/s wall (min-max) per CPU-s':>32}{'precision':>11}"
        f"{'recall':>8}",
        f"{'Hufu trademark model, 1 process':<44}{_fmt(details['trademark_listings_per_s']):>32}"
        f"{details['trademark']['precision']:>11.4f}{details['trademark']['recall']:>8.4f}",
        f"{'(a) hash-keyed peer, 1 process':<44}{_fmt(details['peer_listings_per_s']):>32}"
        f"{details['peer']['precision']:>11.4f}{details['peer']['recall']:>8.4f}",
        f"{'(b) class-prefiltered brute force, 1 proc':<44}{_fmt(details['prefilter_listings_per_s']):>32}"
        f"{details['prefilter_on_sample']['precision']:>11.4f}{details['prefilter_on_sample']['recall']:>8.4f}"
        f"  (sample; Hufu on it: {details['trademark_on_sample']['recall']:.4f})",
        f"{'Hufu, all four models end to end':<44}{_fmt(details['end_to_end_listings_per_s']):>32}"
        f"  ({details['workers']} workers)",
        f"trademark model vs peer: {summary['trademark_vs_peer']}x wall-clock, "
        f"{summary['trademark_vs_peer_cpu']}x per CPU second",
        "",
        *real_world_lines(details),
    ]
    lines.append(f"first fixture (realworld_lookalikes): recall {details['first_fixture']['recall']}, "
                 f"precision {details['first_fixture']['precision']}")
    from regional.bench import foreign as foreign_set

    lines.append("")
    lines.extend(foreign_set.lines(details["foreign"]))
    lines.extend(foreign_set.lines(details["foreign2"], "second foreign-language set"))
    lines.append("")
    lines.append(f"{'model (generated world)':<16}{'precision':>10}{'recall':>8}{'leads':>7}{'planted':>9}")
    for name, m in details["models"].items():
        lines.append(f"{name:<16}{m['precision']:>10.4f}{m['recall']:>8.4f}{m['leads']:>7}{m['planted']:>9}")
    lines.append(f"{'all models':<16}{details['all_models']['precision']:>10.4f}{details['all_models']['recall']:>8.4f}")
    for s in details["scales"]:
        lines.append(f"scale {s['marks']:>7} marks: build {s['index_build_s']} s; trademark "
                     f"{_fmt(s['trademark_listings_per_s'])} listings/s recall {s['trademark']['recall']}; peer "
                     f"{_fmt(s['peer_listings_per_s'])} recall {s['peer']['recall']}")
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


