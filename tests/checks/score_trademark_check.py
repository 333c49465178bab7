"""Scores a trademark blind check of tests/checks (the fixture format of regional/data/eval) with the engine, as
`python -m regional.bench.realworld` scores a fixture (its `leads`, `score_cases`, `by_issue_class`): `PYTHONPATH=.
.venv/bin/python tests/checks/score_trademark_check.py tests/checks/trademark_lat24check.jsonl` (prints the file's
sha256 first)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from regional.bench.realworld import by_issue_class, leads, score_cases


def main(path: str) -> None:
    print(path, "sha256", hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16])
    cases, listings, found = leads(Path(path))
    for style, stats in score_cases(cases, listings, found).items():
        print(" ", style, stats)
    for issue_class, stats in by_issue_class(cases, listings, found).items():
        print("  issue class", issue_class, stats)
    flagged = sorted(c["title"] for listing, c in zip(listings, cases, strict=True)
                     if not c["infringing"] and any(lid == listing.id for lid, _ in found))
    print("  false leads on:", flagged)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/checks/trademark_lat24check.jsonl")
