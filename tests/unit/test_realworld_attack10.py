"""The tenth hand-written trademark set (regional/data/eval/trademark_attack10.jsonl, session 18) loads, has the shape
docs/benchmarks.md reports, and registers no mark of another fixture. Shape only: the engine is not run here (its
first-run figures are held by a floor test in test_detection_models.py)."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

from regional.bench.realworld import ATTACK10, listings_of, load


def test_the_tenth_set_loads_with_its_marks_and_listings() -> None:
    rights, cases = load(ATTACK10)
    assert len(rights) == 145 and len({r.number for r in rights}) == 145
    assert sum(r.well_known for r in rights) == 14
    positives = [c for c in cases if c["infringing"]]
    negatives = [c for c in cases if not c["infringing"]]
    assert (len(positives), len(negatives)) == (182, 100)
    numbers = {r.number for r in rights}
    assert all(c["right"] in numbers for c in positives) and all(c["right"] is None for c in negatives)
    assert all(c["style"].startswith("negative") for c in negatives)
    assert not any(c["style"].startswith("negative") for c in positives)
    assert Counter(c.get("issue_class") for c in positives if c.get("issue_class")) == {1: 57, 2: 35, 3: 34}
    named = {c["right"] for c in positives}
    assert len(named) >= 120  # look-alikes spread over many marks, not a few
    assert all(listing.title and listing.nice_classes for listing in listings_of(cases))


def test_no_mark_of_the_tenth_set_is_registered_in_another_fixture() -> None:
    eval_dir = resources.files("regional").joinpath("data/eval")
    marks = {r.title.upper() for r in load(ATTACK10)[0]}
    elsewhere: set[str] = set()
    for path in eval_dir.iterdir():
        if path.name.endswith(".jsonl") and path.name != "trademark_attack10.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record.get("record") == "mark":
                    elsewhere.add(str(record["mark"]).upper())
    assert marks and not marks & elsewhere
