"""The ninth hand-written trademark set (regional/data/eval/trademark_attack9.jsonl, session 16) loads, has the shape
docs/benchmarks.md reports, and registers no mark of another fixture. Shape only: the engine is not run here (the
set's figures are measured with `python -m regional.bench.realworld`)."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

from regional.bench.realworld import ATTACK9, listings_of, load


def test_the_ninth_set_loads_with_its_marks_and_listings() -> None:
    rights, cases = load(ATTACK9)
    assert len(rights) == 115 and len({r.number for r in rights}) == 115
    assert sum(r.well_known for r in rights) == 11
    positives = [c for c in cases if c["infringing"]]
    negatives = [c for c in cases if not c["infringing"]]
    assert (len(positives), len(negatives)) == (184, 96)
    assert 3 * len(negatives) >= len(cases)  # at least a third hard negatives
    numbers = {r.number for r in rights}
    assert all(c["right"] in numbers for c in positives) and all(c["right"] is None for c in negatives)
    assert all(c["style"].startswith("negative") for c in negatives)
    assert not any(c["style"].startswith("negative") for c in positives)
    assert Counter(c.get("issue_class") for c in positives if c.get("issue_class")) == {1: 60, 2: 37, 3: 23}
    assert all(listing.title and listing.nice_classes for listing in listings_of(cases))


def test_no_mark_of_the_ninth_set_is_registered_in_another_fixture() -> None:
    eval_dir = resources.files("regional").joinpath("data/eval")
    marks = {r.title.upper() for r in load(ATTACK9)[0]}
    elsewhere: set[str] = set()
    for path in eval_dir.iterdir():
        if path.name.endswith(".jsonl") and path.name != "trademark_attack9.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record.get("record") == "mark":
                    elsewhere.add(str(record["mark"]).upper())
    assert not marks & elsewhere
