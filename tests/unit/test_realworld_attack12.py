"""The twelfth hand-written trademark set (regional/data/eval/trademark_attack12.jsonl, session 20, heldout20t) loads,
has the shape docs/benchmarks.md reports, is labelled consistently and registers no mark of another fixture. Shape
only: the engine is not run here."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

from regional.bench.realworld import ATTACK12, listings_of, load

_OWN = "trademark_attack12.jsonl"


def test_the_twelfth_set_loads_with_its_marks_and_listings() -> None:
    rights, cases = load(ATTACK12)
    assert len(rights) == 168 and len({r.number for r in rights}) == 168
    assert len({r.title.upper() for r in rights}) == 168
    assert sum(r.well_known for r in rights) == 15
    assert all(r.nice_classes and all(1 <= c <= 45 for c in r.nice_classes) for r in rights)
    numbers = {r.number for r in rights}
    positives = [c for c in cases if c["infringing"]]
    negatives = [c for c in cases if not c["infringing"]]
    assert (len(positives), len(negatives)) == (178, 101)
    assert all(c["right"] in numbers for c in positives) and all(c["right"] is None for c in negatives)
    assert all(c["style"].startswith("negative") for c in negatives)
    assert not any(c["style"].startswith("negative") for c in positives)
    assert Counter(c.get("issue_class") for c in positives if c.get("issue_class")) == {1: 55, 2: 35, 3: 35}
    assert len({c["right"] for c in positives}) == 149  # look-alikes spread over many marks
    assert len({c["title"] for c in cases}) == len(cases)  # no listing written twice
    assert all(isinstance(c["price"], float) and c["price"] > 0 and c["note"] for c in cases)
    assert all(listing.title and listing.nice_classes for listing in listings_of(cases))


def test_every_issue_class_and_negative_kind_is_represented() -> None:
    _, cases = load(ATTACK12)
    styles = Counter(c["style"] for c in cases)
    for style in ("glyph", "latin_visual", "latin_swap", "latin_double", "latin_sound", "latin_insert", "homophone",
                  "traditional", "pinyin", "char_split", "mixed_script", "counterfeit_wording", "official_claim",
                  "wk_cross_class", "negative_word", "negative_english", "negative_shared_char", "negative_owner",
                  "negative_reseller", "negative_compat", "negative_generic"):
        assert styles[style] > 0, style
    issue = {1: {"glyph"}, 2: {"latin_visual", "latin_swap", "latin_double"}, 3: {"latin_sound", "latin_insert"}}
    for case in cases:
        if case.get("issue_class"):
            assert case["style"] in issue[case["issue_class"]], case["title"]


def test_a_positive_names_a_mark_registered_for_the_listing_goods_or_well_known() -> None:
    rights, cases = load(ATTACK12)
    by_number = {r.number: r for r in rights}
    for case in cases:
        if case["infringing"]:
            right = by_number[case["right"]]
            assert right.well_known or set(case["nice_classes"]) & set(right.nice_classes), case["title"]


def test_an_owner_listing_is_sold_by_the_owner_and_is_not_infringing() -> None:
    rights, cases = load(ATTACK12)
    owners = {r.owner for r in rights}
    own = [c for c in cases if c["style"] == "negative_owner"]
    assert len(own) == 6 and all(c.get("seller") in owners and not c["infringing"] for c in own)


def test_no_mark_of_the_twelfth_set_is_registered_in_another_fixture() -> None:
    marks = {r.title.upper() for r in load(ATTACK12)[0]}
    elsewhere: set[str] = set()
    for path in resources.files("regional").joinpath("data/eval").iterdir():
        if path.name.endswith(".jsonl") and path.name != _OWN:
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record.get("record") == "mark":
                    elsewhere.add(record["mark"].upper())
    assert marks and elsewhere and not marks & elsewhere
