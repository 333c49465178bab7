"""Scores a trademark blind check of tests/checks (the fixture format of regional/data/eval) with the engine, as
`python -m regional.bench.realworld` scores a fixture: `PYTHONPATH=. .venv/bin/python
tests/checks/score_trademark_check.py tests/checks/trademark_lat24check.jsonl` (prints the file's sha256 first)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from regional.bench.realworld import by_issue_class, listings_of, score_cases
from regional.detection.engine import Engine
from regional.domain import LeadType, Right, RightKind


def main(path: str) -> None:
    raw = Path(path).read_bytes()
    print(path, "sha256", hashlib.sha256(raw).hexdigest()[:16])
    rights, cases = [], []
    for line in raw.decode("utf-8").splitlines():
        record = json.loads(line)
        if record["record"] == "mark":
            rights.append(Right(RightKind.TRADEMARK, record["reg_no"], record["mark"], record["owner"], "registered",
                                tuple(record["nice_classes"]), well_known=bool(record.get("well_known"))))
        else:
            cases.append(record)
    listings = listings_of(cases)
    found = {(f.listing_id, f.right) for f in Engine(rights, []).run(listings).findings
             if f.type == LeadType.TRADEMARK}
    for style, stats in score_cases(cases, listings, found).items():
        print(" ", style, stats)
    for issue_class, stats in by_issue_class(cases, listings, found).items():
        print("  issue class", issue_class, stats)
    flagged = sorted(c["title"] for listing, c in zip(listings, cases, strict=True)
                     if not c["infringing"] and any(lid == listing.id for lid, _ in found))
    print("  false leads on:", flagged)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/checks/trademark_lat24check.jsonl")
