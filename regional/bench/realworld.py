"""Precision and recall of the trademark model on real-world look-alike styles (regional/data/eval/).

The fixture lists real marks and knock-off spellings reported in the press and in court
cases (山寨 marks such as 康帅傅, 雷碧, 粤利粤, 六个核排; Latin knock-offs such as Adidos,
Abibas, Nlke; traditional forms; homophones), plus generic titles that share characters with
a mark and must not become leads. The registry numbers are placeholders.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from typing import Any

from regional.domain import LeadType, Listing, Right, RightKind, Seller

FIXTURE = "data/eval/realworld_lookalikes.jsonl"


def load() -> tuple[list[Right], list[dict[str, Any]]]:
    """The fixture's marks (as rights) and its cases."""
    rights: list[Right] = []
    cases: list[dict[str, Any]] = []
    text = resources.files("regional").joinpath(FIXTURE).read_text(encoding="utf-8")
    for line in text.splitlines():
        record = json.loads(line)
        if record["record"] == "mark":
            rights.append(Right(RightKind.TRADEMARK, record["reg_no"], record["mark"], record["owner"], "registered",
                                tuple(record["nice_classes"])))
        else:
            cases.append(record)
    return rights, cases


def evaluate() -> dict[str, dict[str, float]]:
    """Per-style and overall precision/recall of the engine's trademark leads on the fixture."""
    from regional.detection.engine import detect

    rights, cases = load()
    shop = Seller(name="某某百货商行")
    listings = [Listing(id=f"rw-{k}", title=c["title"], nice_classes=tuple(c["nice_classes"]), seller=shop)
                for k, c in enumerate(cases)]
    found = {(f.listing_id, f.right) for f in detect(rights, [], listings) if f.type == LeadType.TRADEMARK}
    by_style: dict[str, dict[str, float]] = defaultdict(lambda: {"cases": 0, "hits": 0, "false_leads": 0})
    for listing, case in zip(listings, cases, strict=True):
        stats = by_style[case["style"]]
        stats["cases"] += 1
        leads = {r for lid, r in found if lid == listing.id}
        if case["infringing"]:
            stats["hits"] += int(case["right"] in leads)
            stats["false_leads"] += len(leads - {case["right"]})
        else:
            stats["false_leads"] += len(leads)
    positives = sum(1 for c in cases if c["infringing"])
    hits = sum(s["hits"] for s in by_style.values())
    false = sum(s["false_leads"] for s in by_style.values())
    out = {style: {**s, "recall": round(s["hits"] / s["cases"], 4) if style not in ("negative", "exact") else 0.0}
           for style, s in sorted(by_style.items())}
    out["all"] = {"cases": len(cases), "hits": hits, "false_leads": false,
                  "recall": round(hits / max(1, positives), 4), "precision": round(hits / max(1, hits + false), 4)}
    return out


if __name__ == "__main__":
    for style, stats in evaluate().items():
        print(style, stats)
