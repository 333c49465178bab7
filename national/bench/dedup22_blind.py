"""dedup22's blind dedup check: `python -m national.bench.dedup22_blind [FILE]` resolves the hand-written records of
national/bench/data/dedup22_blind.jsonl (written by national/bench/dedup22_blind_src.py, before any session-22 code
change and without running the resolver on them) and prints pairwise precision, recall and F1 and the wrong pairs."""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.pipeline import load_table

DEFAULT = Path(__file__).parent / "data" / "dedup22_blind.jsonl"


def _pairs(labels: Sequence[object]) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return {p for g in groups.values() for p in itertools.combinations(g, 2)}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    rows = [json.loads(line) for line in Path(args[0] if args else DEFAULT).read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "e.jsonl"
        path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "entity"}, ensure_ascii=False) + "\n"
                                for r in rows), encoding="utf-8")
        table = load_table(path, seller_config(), workers=1).table
    labels = [int(x) for x in resolve(table, seller_config()).labels]
    truth, found = _pairs([r["entity"] for r in rows]), _pairs(labels)
    tp = len(truth & found)
    p, rec = tp / max(1, len(found)), tp / max(1, len(truth))
    f1 = 2 * p * rec / max(1e-9, p + rec)
    for tag, wrong in (("FP", found - truth), ("FN", truth - found)):
        for a, b in sorted(wrong):
            print(f"{tag} {rows[a]['entity']}/{rows[b]['entity']}: {rows[a]['name']} | {rows[b]['name']}")
    print(json.dumps({"records": len(rows), "entities": len({r["entity"] for r in rows}), "precision": round(p, 4),
                      "recall": round(rec, 4), "f1": round(f1, 4), "fp": len(found - truth),
                      "fn": len(truth - found)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
