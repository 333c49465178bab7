"""The fifteenth hand-written trademark set (regional/data/eval/trademark_attack15.jsonl, session 23, heldout23t) loads,
has the shape docs/benchmarks.md reports, is labelled consistently and registers no mark of a set sealed before it.
Shape only: the engine is not run here."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest

from regional.bench.realworld import ATTACK15, listings_of, load

# issue class -> the styles its look-alikes may carry
_ISSUE = {1: {"glyph"}, 2: {"latin_visual", "latin_swap", "latin_double"}, 3: {"latin_sound", "latin_insert"}}
# the fixtures sealed before this one (main 81c5939); a set added later is checked against this one by its own test
_SEALED_BEFORE = ("foreign_listings.jsonl", "foreign_listings2.jsonl", "realworld_lookalikes.jsonl",
                  "trademark_attack.jsonl", "trademark_attack2.jsonl", "trademark_attack3.jsonl",
                  "trademark_attack4.jsonl", "trademark_attack5.jsonl", "trademark_attack6.jsonl",
                  "trademark_attack7.jsonl", "trademark_attack8.jsonl", "trademark_attack9.jsonl",
                  "trademark_attack10.jsonl", "trademark_attack11.jsonl", "trademark_attack12.jsonl",
                  "trademark_attack13.jsonl", "trademark_attack14.jsonl", "trademark_independent.jsonl",
                  "trademark_phon21check.jsonl", "trademark_zh22check.jsonl")


def test_the_fifteenth_set_loads_with_its_marks_and_listings() -> None:
    rights, cases = load(ATTACK15)
    assert len(rights) == 193 and len({r.number for r in rights}) == 193
    assert len({r.title.upper() for r in rights}) == 193
    assert sum(r.well_known for r in rights) == 5
    assert all(r.nice_classes and all(1 <= c <= 45 for c in r.nice_classes) for r in rights)
    numbers = {r.number for r in rights}
    positives = [c for c in cases if c["infringing"]]
    negatives = [c for c in cases if not c["infringing"]]
    assert (len(positives), len(negatives)) == (187, 152)
    assert all(c["right"] in numbers for c in positives) and all(c["right"] is None for c in negatives)
    assert all(c["style"].startswith("negative") for c in negatives)
    assert not any(c["style"].startswith("negative") for c in positives)
    assert Counter(c.get("issue_class") for c in positives if c.get("issue_class")) == {1: 47, 2: 47, 3: 47}
    assert len({c["right"] for c in positives}) == 153  # look-alikes spread over many marks
    assert len({c["title"] for c in cases}) == len(cases)  # no listing written twice
    assert all(isinstance(c["price"], float) and c["price"] > 0 and c["note"] for c in cases)
    assert all(listing.title and listing.nice_classes for listing in listings_of(cases))


@pytest.mark.parametrize("style", ["glyph", "latin_visual", "latin_swap", "latin_double", "latin_sound",
                                   "latin_insert", "homophone", "traditional", "pinyin", "mixed_script", "char_split",
                                   "char_insert", "char_reorder", "spacing", "counterfeit_wording", "official_claim",
                                   "accessory_claim", "wk_cross_class", "tongkuan", "negative_word", "negative_english",
                                   "negative_shared_char", "negative_owner", "negative_reseller", "negative_compat",
                                   "negative_generic"])
def test_every_pattern_and_negative_kind_is_represented(style: str) -> None:
    _, cases = load(ATTACK15)
    assert any(c["style"] == style for c in cases), style


@pytest.mark.parametrize("issue_class", [1, 2, 3])
def test_an_issue_class_look_alike_has_its_style_and_its_mark_has_the_class_shape(issue_class: int) -> None:
    rights, cases = load(ATTACK15)
    by_number = {r.number: r for r in rights}
    ours = [c for c in cases if c.get("issue_class") == issue_class]
    assert ours and all(c["infringing"] and c["style"] in _ISSUE[issue_class] for c in ours)
    for case in ours:
        mark = by_number[case["right"]].title
        letters = re.sub(r"[^A-Za-z]", "", mark)
        if issue_class == 1:  # a two- or three-character Chinese mark
            assert 2 <= len(mark) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in mark), mark
        elif issue_class == 2:  # a short Latin mark
            assert letters == mark and 4 <= len(mark) <= 6, mark
        else:  # a long Latin mark
            assert len(letters) >= 7 and not re.search(r"[\u4e00-\u9fff]", mark), mark
        exact = mark if issue_class == 1 else r"(?<![A-Z0-9])" + re.escape(mark.upper()) + r"(?![A-Z0-9])"
        assert not re.search(exact, case["title"].upper()), case["title"]  # not the mark written exactly


def test_a_positive_names_a_mark_registered_for_the_listing_goods_or_well_known() -> None:
    rights, cases = load(ATTACK15)
    by_number = {r.number: r for r in rights}
    for case in cases:
        if case["infringing"]:
            right = by_number[case["right"]]
            assert right.well_known or set(case["nice_classes"]) & set(right.nice_classes), case["title"]


def test_more_than_half_of_the_hard_negatives_are_in_a_goods_class_of_the_mark_they_stand_beside() -> None:
    rights, cases = load(ATTACK15)
    by_number = {r.number: r for r in rights}
    negatives = [c for c in cases if not c["infringing"]]
    assert all(c["near"] in by_number for c in negatives)
    same = [c for c in negatives if set(c["nice_classes"]) & set(by_number[c["near"]].nice_classes)]
    assert len(same) == 128 and 2 * len(same) > len(negatives)
    # apart from owners, resellers and 适用/兼容 listings, still more than two thirds of all negatives
    kinds = Counter(c["style"] for c in same)
    assert sum(n for k, n in kinds.items() if k not in {"negative_owner", "negative_reseller", "negative_compat"}) > 100


def test_an_owner_listing_is_sold_by_the_owner_and_is_not_infringing() -> None:
    rights, cases = load(ATTACK15)
    owners = {r.owner for r in rights}
    own = [c for c in cases if c["style"] == "negative_owner"]
    assert len(own) == 7 and all(c.get("seller") in owners and not c["infringing"] for c in own)
    assert all(c.get("seller") not in owners for c in cases if c["infringing"])  # no positive is the owner's


def test_no_mark_of_the_fifteenth_set_is_registered_in_a_set_sealed_before_it() -> None:
    marks = {r.title.upper() for r in load(ATTACK15)[0]}
    elsewhere: set[str] = set()
    for name in _SEALED_BEFORE:
        for line in resources.files("regional").joinpath("data/eval", name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("record") == "mark":
                elsewhere.add(record["mark"].upper())
    assert marks and len(elsewhere) > 1000 and not marks & elsewhere
