"""`hufu bench detect --cpu`: the trademark model and the hash-keyed peer per CPU second, with stage timers.

On a shared machine wall-clock rates swing with other people's work; CPU seconds of this
process (time.process_time) do not. For each registry size (`--scales`, else `--marks`) this
mode builds the generated world (trademarks only), builds each tool's index (CPU seconds,
Hufu's split into normalising the registry, making its keys and postings, and the
Aho-Corasick construction), then screens the same listings `--repeats` times with Hufu and
the peer alternately after one untimed warm-up on 500 listings (median, min, max listings
per CPU second), and with `--stages` makes
one extra, separately timed pass through Hufu's steps (microseconds per listing):

- normalise: titles to compact text, pinyin and glyph codes, Latin forms, the price reference;
- retrieve: the automaton pass over the batch and placing its hits (Chinese marks);
- verify: the batch's Latin words looked up (all at once), each candidate checked character by character
  or letter by letter;
- rules: owner, licence, class and price rules, then (for a mark with a right left) its best match made
  with its reason, and the features of each (listing, right);
- score: the calibrated model over the candidates and the reasons of the leads.

The staged pass must find the same leads as `detect()` (checked). Machine load is printed
before and after each size. Nothing here is in the default `hufu bench detect` run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from regional.bench.world import WorldSize, build_world
from regional.domain import LeadType


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _spread(count: int, seconds: list[float]) -> dict[str, float]:
    return {"median": round(count / statistics.median(seconds), 1), "min": round(count / max(seconds), 1),
            "max": round(count / min(seconds), 1)}


def build_stages(rights: Any, licences: Any) -> tuple[Any, dict[str, float]]:
    """Hufu's trademark index built, with CPU seconds: total, the index alone, the automaton alone."""
    import ahocorasick_rs

    from regional.detection import trademark

    clock = time.process_time
    started = clock()
    tm = trademark.TrademarkDetector(rights, licences)
    total = clock() - started
    with trademark._no_gc():  # the index again, on its own (the constructor's last step, same inputs)
        started = clock()
        tm._build_index()
        index = clock() - started
        started = clock()
        ahocorasick_rs.AhoCorasick(tm._keys, implementation=ahocorasick_rs.Implementation.ContiguousNFA)
        automaton = clock() - started
    return tm, {"total": round(total, 3), "normalise_registry": round(total - index, 3),
                "keys_and_postings": round(index - automaton, 3), "automaton": round(automaton, 3),
                "keys": len(tm._keys), "postings": len(tm._post_mark)}


def stages(tm: Any, listings: list[Any]) -> dict[str, float]:
    """One pass through the trademark model's steps, each timed in CPU microseconds per listing."""
    from regional.detection import trademark

    clock = time.process_time
    spent = dict.fromkeys(("normalise", "retrieve", "verify", "rules", "score"), 0.0)
    with trademark._no_gc():
        started = clock()
        batch = tm.prepare(listings)
        batch.prices.build()
        spent["normalise"] = clock() - started
        started = clock()
        cjk = tm._cjk_candidates_all(batch.prepared)
        spent["retrieve"] = clock() - started
        started = clock()
        tm._latin_cache = tm._latin_lookup_all(batch.prepared)  # as candidates() does: the batch's words at once
        tm._mixed_cache = tm._mixed_lookup_all(batch.prepared)  # ... and its words mixing Chinese and Latin
        tm._syllable_cache = tm._syllable_lookup_all(batch.prepared)  # ... and its long words' syllable keys
        spent["verify"] = clock() - started
        found = []
        for p, hits in zip(batch.prepared, cjk, strict=True):
            if not hits and not p.latin and not p.mixed:
                continue
            started = clock()
            winners = tm._winners(p, hits, None)  # as candidates() does: goods classes only for a candidate
            middle = clock()
            for i, reproduces, how in winners:  # as candidates() does
                mark = tm._marks[i]
                kept = tm._kept_rights(mark, p, reproduces)
                if kept:
                    found.extend(tm._judge(mark, tm._build(mark, p, how), p, batch.prices, False, kept))
            spent["verify"] += middle - started
            spent["rules"] += clock() - middle
        started = clock()
        leads = 0
        if found:
            scores = tm.model.probability(tm.model.rows([c.features for c in found]))
            for c, score in zip(found, scores, strict=True):
                if score >= tm.threshold:
                    tm._explain(c)
                    leads += 1
        spent["score"] = clock() - started
    n = max(1, len(listings))
    out = {k: round(v / n * 1e6, 2) for k, v in spent.items()}
    out["total"] = round(sum(spent.values()) / n * 1e6, 2)
    out["leads"] = leads
    return out


def scale(marks: int, listings: int, seed: int, repeats: int, with_stages: bool) -> dict[str, Any]:
    """Build times and listings per CPU second of Hufu's trademark model and the peer at one registry size."""
    from regional.bench.detect import _say, _trademark_pairs, precision_recall
    from regional.bench.peers import HashPeer
    from regional.detection.trademark import forget_seen_text

    _say(f"--cpu: {marks} marks, {listings} listings, load {_load()} ...")
    world = build_world(WorldSize(marks=marks, patents=0, designs=0, listings=listings), seed=seed)
    load_before = _load()
    tm, build = build_stages(world.rights, world.licences)
    started = time.process_time()
    peer = HashPeer(world.rights, world.licences)
    peer_build = time.process_time() - started
    warm = world.listings[:500]  # tables each tool loads on first use (model, glyphs, word lists) load here
    tm.detect(warm)
    peer.detect(warm)
    hufu_s, peer_s = [], []
    found: Any = None
    peer_found: Any = None
    for _ in range(max(1, repeats)):  # alternately, so both see the same machine
        forget_seen_text()  # Hufu's per-word caches start empty each run, as for unseen listings (the peer has none)
        started = time.process_time()
        found = tm.detect(world.listings)
        hufu_s.append(time.process_time() - started)
        started = time.process_time()
        peer_found = peer.detect(world.listings)
        peer_s.append(time.process_time() - started)
    n = len(world.listings)
    planted = world.planted(LeadType.TRADEMARK)
    out: dict[str, Any] = {
        "marks": marks, "listings": n, "build_cpu_s": build, "peer_build_cpu_s": round(peer_build, 3),
        "trademark_per_cpu_s": _spread(n, hufu_s), "peer_per_cpu_s": _spread(n, peer_s),
        "trademark_vs_peer_cpu": round(statistics.median(peer_s) / statistics.median(hufu_s), 2),
        "trademark": precision_recall(_trademark_pairs(found), planted),
        "peer": precision_recall(peer_found, planted),
    }
    if with_stages:
        forget_seen_text()
        staged = stages(tm, world.listings)
        if staged["leads"] != len(found):
            raise AssertionError(f"staged pass found {staged['leads']} leads, detect() {len(found)}")
        out["stages_us_per_listing"] = staged
    out["load_before"], out["load_after"] = load_before, _load()
    return out


def run(args: argparse.Namespace) -> int:
    """`hufu bench detect --cpu [--stages] [--scales ...]`: print a table and, with --json, one JSON line last."""
    import json

    sizes = [int(s) for s in args.scales.split(",") if s.strip()] or [args.marks]
    results = [scale(m, args.listings, args.seed, args.repeats, args.stages) for m in sizes]
    lines = [f"per CPU second (time.process_time of this process), {args.listings} listings, {args.repeats} runs "
             "each, Hufu and the peer alternately; listings per CPU-s as median (min-max)",
             f"{'marks':>8}{'build CPU-s (norm/keys/AC)':>30}{'Hufu /CPU-s':>24}{'peer /CPU-s':>24}{'Hufu/peer':>10}"
             f"{'recall H/peer':>15}  load before/after"]
    for r in results:
        b, h, p = r["build_cpu_s"], r["trademark_per_cpu_s"], r["peer_per_cpu_s"]
        lines.append(f"{r['marks']:>8}{b['total']:>9.2f} ({b['normalise_registry']:.2f}/{b['keys_and_postings']:.2f}/"
                     f"{b['automaton']:.2f}){h['median']:>12.0f} ({h['min']:.0f}-{h['max']:.0f})"
                     f"{p['median']:>10.0f} ({p['min']:.0f}-{p['max']:.0f}){r['trademark_vs_peer_cpu']:>8.2f}x"
                     f"{r['trademark']['recall']:>8.4f}/{r['peer']['recall']:.4f}  {r['load_before']} / {r['load_after']}")
    for r in results:
        if "stages_us_per_listing" in r:
            st = r["stages_us_per_listing"]
            lines.append(f"stages at {r['marks']} marks, CPU µs per listing: " + ", ".join(
                f"{k} {st[k]}" for k in ("normalise", "retrieve", "verify", "rules", "score", "total")))
    if len(results) > 1:
        first, last = results[0]["trademark_per_cpu_s"]["median"], results[-1]["trademark_per_cpu_s"]["median"]
        lines.append(f"Hufu {results[-1]['marks']} vs {results[0]['marks']} marks: {100 * (last / first - 1):+.1f} %")
    print("\n".join(lines))
    if args.json:
        print(json.dumps({"cpu_scales": results}, ensure_ascii=False))
    return 0
