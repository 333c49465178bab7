"""Where seller dedup goes wrong, by how the clusters went wrong:
`python -m national.bench.dedup_errors --set independent4 --seeds 11,12`.

Resolves one independent set per seed (in process, as `hufu bench dedup` does in a child) and splits the wrong
pairs by cluster:

- false pairs (two entities in one cluster): each pair of entity groups in a cluster is charged to the smaller
  group, by what its records are — weak records only (a shop-style or bare name, no place, no identifier),
  records with identifiers but no identity (a phone, a shop URL, an address, no valid credit code and no
  registered name with its place), or records with an identity (then: joined to a cluster that has one too, or
  to a cluster without one);
- missed pairs (one entity over several clusters): each pair of pieces is charged to the smaller piece, by the
  same kinds, and by why the links between the pieces were refused (a weak record linked to several entities,
  a contradiction, ...), or "no link" when nothing linked them.

The counts are pairs, so they add up to the false and missed pairs of `hufu bench dedup`. A diagnostic: it
changes nothing.
"""

from __future__ import annotations

import argparse
import importlib
import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

WEAK, UNANCHORED, ANCHORED = "weak", "identifiers, no identity", "identity"
NO_LINK = "no link"


def _groups(keys: Sequence[object], members: Sequence[int]) -> list[list[int]]:
    """`members` grouped by their key, largest group first (ties: smallest member first)."""
    out: dict[object, list[int]] = defaultdict(list)
    for i in members:
        out[keys[i]].append(i)
    return sorted(out.values(), key=lambda g: (-len(g), g[0]))


def _kind(group: Sequence[int], kinds: Sequence[str]) -> str:
    present = {kinds[i] for i in group}
    if ANCHORED in present:
        return ANCHORED
    return UNANCHORED if UNANCHORED in present else WEAK


def breakdown(labels: Sequence[int], truth: Sequence[object], kinds: Sequence[str],
              refused: Mapping[tuple[int, int], str]) -> tuple[Counter[str], Counter[str]]:
    """(false pairs by class, missed pairs by class) of a clustering `labels` against `truth`.

    `kinds`: per record WEAK, UNANCHORED or ANCHORED; `refused`: (smaller record, larger record) -> why the
    link between them was not taken."""
    false: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    by_label: dict[int, list[int]] = defaultdict(list)
    by_truth: dict[object, list[int]] = defaultdict(list)
    for i, (label, entity) in enumerate(zip(labels, truth, strict=True)):
        by_label[label].append(i)
        by_truth[entity].append(i)
    for members in by_label.values():
        groups = _groups(truth, members)
        for a, big in enumerate(groups):
            for small in groups[a + 1:]:
                kind, other = _kind(small, kinds), _kind(big, kinds)
                if kind == ANCHORED:
                    kind = ("identity joined to a cluster with an identity" if other == ANCHORED
                            else "identity joined to a cluster without one")
                elif kind == WEAK:
                    kind = "weak records joined to another entity"
                else:
                    kind = "records with identifiers, no identity, joined to another entity"
                false[kind] += len(small) * len(big)
    for members in by_truth.values():
        pieces = _groups(labels, members)
        for a, big in enumerate(pieces):
            for small in pieces[a + 1:]:
                reasons = sorted({why for x in small for y in big
                                  if (why := refused.get((min(x, y), max(x, y)))) is not None})
                missed[f"{_kind(small, kinds)} piece apart: {', '.join(reasons) or NO_LINK}"] += len(small) * len(big)
    return false, missed


def _run(name: str, seed: int, entities: int) -> tuple[int, int, Counter[str], Counter[str]]:
    from national.bench.dedup import INDEPENDENT_SETS
    from national.dedup.config import seller_config
    from national.dedup.engine import resolve
    from national.dedup.incremental import table_facts
    from national.dedup.pipeline import load_table

    module, function = INDEPENDENT_SETS[name]
    rows = list(getattr(importlib.import_module(module), function)(entities, seed))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r, _ in rows), encoding="utf-8")
        table = load_table(path, seller_config(), workers=1).table
    resolution = resolve(table, seller_config())
    facts, weak = table_facts(table, seller_config())
    kinds = [WEAK if weak[i] else (ANCHORED if facts[i].anchored else UNANCHORED) for i in range(table.size)]
    refused: dict[tuple[int, int], str] = {}
    for a, b, why in resolution.refused:
        refused.setdefault((min(a, b), max(a, b)), why)
    false, missed = breakdown([int(x) for x in resolution.labels], [e for _, e in rows], kinds, refused)
    return sum(false.values()), sum(missed.values()), false, missed


def main(argv: list[str] | None = None) -> int:
    """Print the breakdown per seed and summed, and a JSON line of the sums."""
    parser = argparse.ArgumentParser(prog="python -m national.bench.dedup_errors", description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="independent4", help="an independent set of `hufu bench dedup` "
                        "(independent, independent2 … independent6)")
    parser.add_argument("--seeds", default="11", help="comma-separated seeds (default 11)")
    parser.add_argument("--entities", type=int, default=1850, help="sellers per seed (default 1,850)")
    args = parser.parse_args(argv)
    total_false: Counter[str] = Counter()
    total_missed: Counter[str] = Counter()
    for seed in (int(s) for s in args.seeds.split(",")):
        fp, fn, false, missed = _run(args.set, seed, args.entities)
        print(f"{args.set} seed {seed}: {fp} false pairs, {fn} missed pairs")
        total_false.update(false)
        total_missed.update(missed)
    for title, counts in (("false pairs", total_false), ("missed pairs", total_missed)):
        print(f"{title}: {sum(counts.values())}")
        for kind, n in counts.most_common():
            print(f"  {n:6d}  {kind}")
    print(json.dumps({"set": args.set, "seeds": args.seeds, "false": dict(total_false.most_common()),
                      "missed": dict(total_missed.most_common())}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
