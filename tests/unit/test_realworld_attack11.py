"""The eleventh hand-written trademark set (regional/data/eval/trademark_attack11.jsonl, session 19, heldout19t) loads,
has the shape docs/benchmarks.md reports, is labelled consistently and registers no mark of another fixture. Shape
only: the engine is not run here. Also the issue-class split that `python -m regional.bench.realworld` prints."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

from regional.bench.realworld import ATTACK11, by_issue_class, listings_of, load


def test_the_eleventh_set_loads_with_its_marks_and_listings() -> None:
    rights, cases = load(ATTACK11)
    assert len(rights) == 154 and len({r.number for r in rights}) == 154
    assert len({r.title.upper() for r in rights}) == 154
    assert sum(r.well_known for r in rights) == 15
    assert all(r.nice_classes and all(1 <= c <= 45 for c in r.nice_classes) for r in rights)
    numbers = {r.number for r in rights}
    positives = [c for c in cases if c["infringing"]]
    negatives = [c for c in cases if not c["infringing"]]
    assert (len(positives), len(negatives)) == (186, 104)
    assert all(c["right"] in numbers for c in positives) and all(c["right"] is None for c in negatives)
    assert all(c["style"].startswith("negative") for c in negatives)
    assert not any(c["style"].startswith("negative") for c in positives)
    assert Counter(c.get("issue_class") for c in positives if c.get("issue_class")) == {1: 58, 2: 36, 3: 40}
    assert len({c["right"] for c in positives}) >= 130  # look-alikes spread over many marks
    assert len({c["title"] for c in cases}) == len(cases)  # no listing written twice
    assert all(isinstance(c["price"], float) and c["price"] > 0 and c["note"] for c in cases)
    assert all(listing.title and listing.nice_classes for listing in listings_of(cases))


def test_a_positive_names_a_mark_registered_for_the_listing_goods_or_well_known() -> None:
    rights, cases = load(ATTACK11)
    by_number = {r.number: r for r in rights}
    for case in cases:
        if case["infringing"]:
            right = by_number[case["right"]]
            assert right.well_known or set(case["nice_classes"]) & set(right.nice_classes), case["title"]


def test_no_mark_of_the_eleventh_set_is_registered_in_another_fixture() -> None:
    marks = {r.title.upper() for r in load(ATTACK11)[0]}
    elsewhere: set[str] = set()
    for path in resources.files("regional").joinpath("data/eval").iterdir():
        if path.name.endswith(".jsonl") and path.name != "trademark_attack11.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record.get("record") == "mark":
                    elsewhere.add(record["mark"].upper())
    assert marks and not marks & elsewhere


def test_issue_class_split_counts_hits_per_class_only_on_labelled_positives() -> None:
    cases = [{"title": "a", "nice_classes": [3], "infringing": True, "right": "R1", "style": "glyph", "issue_class": 1},
             {"title": "b", "nice_classes": [3], "infringing": True, "right": "R2", "style": "glyph", "issue_class": 1},
             {"title": "c", "nice_classes": [3], "infringing": True, "right": "R3", "style": "latin_sound",
              "issue_class": 3},
             {"title": "d", "nice_classes": [3], "infringing": True, "right": "R4", "style": "homophone"},
             {"title": "e", "nice_classes": [3], "infringing": False, "right": None, "style": "negative_word"}]
    listings = listings_of(cases)
    found = {(listings[0].id, "R1"), (listings[1].id, "R9"), (listings[3].id, "R4"), (listings[4].id, "R1")}
    split = by_issue_class(cases, listings, found)
    assert split == {1: {"cases": 2, "hits": 1, "recall": 0.5}, 3: {"cases": 1, "hits": 0, "recall": 0.0}}
