"""The hand-written held-out trademark sets (regional/data/eval/trademark_attack9.jsonl … attack16.jsonl, sessions 16 to
24) load, have the shape docs/benchmarks.md reports, are labelled consistently and register no mark of a fixture sealed
before them. Shape only: the engine is not run here (their figures: `python -m regional.bench.realworld`; attack10's
first-run figures are held by a floor test in test_detection_models.py).

One test per check, parametrised over _SETS (folded from test_realworld_attack9 … 14.py, session 23, read23; attack15 folded in by the lead; attack16 by heldout24t, session 24). To add a
set: one row in _SETS and its file in _SEALING_ORDER (a test fails until every fixture is there)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pytest

from regional.bench import realworld
from regional.bench.realworld import by_issue_class, listings_of, load
from regional.domain import Right

# The fixtures of regional/data/eval in the order they were sealed (committed), a group of fixtures written in
# parallel (each by a helper who never saw the other) as one tuple: a set's marks are checked only against the
# fixtures of the groups before its own (a set added later is checked against the earlier ones by its own row).
_SEALING_ORDER: tuple[tuple[str, ...], ...] = (
    ("realworld_lookalikes.jsonl",), ("trademark_independent.jsonl",), ("trademark_attack.jsonl",),
    ("trademark_attack2.jsonl",), ("foreign_listings.jsonl",), ("foreign_listings2.jsonl",),
    ("trademark_attack3.jsonl",), ("trademark_attack4.jsonl",), ("trademark_attack5.jsonl",),
    ("trademark_attack6.jsonl",), ("trademark_attack7.jsonl",), ("trademark_attack8.jsonl",),
    ("trademark_attack9.jsonl",), ("trademark_attack10.jsonl",), ("trademark_attack11.jsonl",),
    ("trademark_attack12.jsonl",),
    # phon21's own check was written in the same hour as attack13 by a helper who never saw it (nor it that one):
    # 11 famous Latin marks (CAMPARI, POWERADE, GLENLIVET …) happen to be in both; each set was sealed before its one
    # run, so the overlap is chance, not leakage (the lead, session 21)
    ("trademark_phon21check.jsonl", "trademark_attack13.jsonl"),
    # tm22zh's own check and attack14, session 22, likewise (one mark, 可复美, in both)
    ("trademark_zh22check.jsonl", "trademark_attack14.jsonl"),
    ("trademark_attack15.jsonl",),
    ("trademark_attack16.jsonl",),
)

# issue class -> the styles its look-alikes may carry
_ISSUE = {1: {"glyph"}, 2: {"latin_visual", "latin_swap", "latin_double"}, 3: {"latin_sound", "latin_insert"}}
_STYLES_12 = ("glyph", "latin_visual", "latin_swap", "latin_double", "latin_sound", "latin_insert", "homophone",
              "traditional", "pinyin", "char_split", "mixed_script", "counterfeit_wording", "official_claim",
              "wk_cross_class", "negative_word", "negative_english", "negative_shared_char", "negative_owner",
              "negative_reseller", "negative_compat", "negative_generic")
_STYLES_13 = ("glyph", "latin_visual", "latin_swap", "latin_double", "latin_sound", "latin_insert", "homophone",
              "traditional", "pinyin", "mixed_script", "char_split", "char_insert", "char_reorder", "spacing",
              "counterfeit_wording", "official_claim", "accessory_claim", "wk_cross_class", "tongkuan", "negative_word",
              "negative_english", "negative_shared_char", "negative_owner", "negative_reseller", "negative_compat",
              "negative_generic")


@dataclass(frozen=True)
class _Set:
    path: str  # the set's constant in regional.bench.realworld
    marks: int  # registered marks (numbers and titles all distinct)
    well_known: int
    positives: int
    negatives: int
    issue_classes: dict[int, int]  # labelled look-alikes per issue class
    named: int  # distinct marks the positives name (look-alikes spread over many marks)
    owner_listings: int  # negative_owner listings, each sold by a mark's owner
    sealed_before: int  # distinct marks in the fixtures sealed before it
    priced: bool = True  # every listing has a float price > 0 and a note
    goods: bool = True  # a positive names a mark registered for its goods, or a well-known one
    issue_shape: bool = True  # an issue-class look-alike has its style, its mark the class's shape, not written exactly
    styles: tuple[str, ...] = ()  # styles each represented by at least one listing
    same_class_negatives: tuple[int, int] | None = None  # (negatives in a class of their `near` mark, of them not
    # owner/reseller/compat listings more than)

    @property
    def file(self) -> str:
        return self.path.rsplit("/", 1)[1]


_SETS: dict[str, _Set] = {
    "attack9": _Set(realworld.ATTACK9, 115, 11, 184, 96, {1: 60, 2: 37, 3: 23}, named=115, owner_listings=7,
                    sealed_before=545, priced=False, issue_shape=False),
    "attack10": _Set(realworld.ATTACK10, 145, 14, 182, 100, {1: 57, 2: 35, 3: 34}, named=129, owner_listings=8,
                     sealed_before=660, goods=False, issue_shape=False),
    "attack11": _Set(realworld.ATTACK11, 154, 15, 186, 104, {1: 58, 2: 36, 3: 40}, named=135, owner_listings=6,
                     sealed_before=805, issue_shape=False),
    "attack12": _Set(realworld.ATTACK12, 168, 15, 178, 101, {1: 55, 2: 35, 3: 35}, named=149, owner_listings=6,
                     sealed_before=959, styles=_STYLES_12),
    "attack13": _Set(realworld.ATTACK13, 207, 12, 187, 110, {1: 44, 2: 44, 3: 44}, named=158, owner_listings=6,
                     sealed_before=1127, styles=_STYLES_13),
    "attack14": _Set(realworld.ATTACK14, 215, 10, 195, 136, {1: 47, 2: 47, 3: 47}, named=177, owner_listings=7,
                     sealed_before=1372, styles=_STYLES_13, same_class_negatives=(80, 45)),
    "attack15": _Set(realworld.ATTACK15, 193, 5, 187, 152, {1: 47, 2: 47, 3: 47}, named=153, owner_listings=7,
                     sealed_before=1620, styles=_STYLES_13, same_class_negatives=(128, 100)),
    "attack16": _Set(realworld.ATTACK16, 211, 7, 194, 184, {1: 50, 2: 50, 3: 50}, named=163, owner_listings=8,
                     sealed_before=1813, styles=_STYLES_13, same_class_negatives=(113, 80)),
}
_NAMES = list(_SETS)


@cache
def _load(name: str) -> tuple[list[Right], list[dict[str, Any]]]:
    rights, cases = load(_SETS[name].path)
    return list(rights), list(cases)


def _marks_of(files: list[str]) -> set[str]:
    marks: set[str] = set()
    for file in files:
        for line in resources.files("regional").joinpath("data/eval", file).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("record") == "mark":
                marks.add(str(record["mark"]).upper())
    return marks


def _sealed_before(file: str) -> list[str]:
    group = next(k for k, files in enumerate(_SEALING_ORDER) if file in files)
    return [f for files in _SEALING_ORDER[:group] for f in files]


@pytest.mark.parametrize("name", _NAMES)
def test_the_set_loads_with_its_marks_and_listings(name: str) -> None:
    spec = _SETS[name]
    rights, cases = _load(name)
    assert len(rights) == spec.marks and len({r.number for r in rights}) == spec.marks
    assert len({r.title.upper() for r in rights}) == spec.marks
    assert sum(r.well_known for r in rights) == spec.well_known
    assert all(r.nice_classes and all(1 <= c <= 45 for c in r.nice_classes) for r in rights)
    numbers = {r.number for r in rights}
    positives = [c for c in cases if c["infringing"]]
    negatives = [c for c in cases if not c["infringing"]]
    assert (len(positives), len(negatives)) == (spec.positives, spec.negatives)
    assert 3 * len(negatives) >= len(cases)  # at least a third hard negatives
    assert all(c["right"] in numbers for c in positives) and all(c["right"] is None for c in negatives)
    assert all(c["style"].startswith("negative") for c in negatives)
    assert not any(c["style"].startswith("negative") for c in positives)
    assert Counter(c.get("issue_class") for c in positives if c.get("issue_class")) == spec.issue_classes
    assert len({c["right"] for c in positives}) == spec.named  # look-alikes spread over many marks
    assert len({c["title"] for c in cases}) == len(cases)  # no listing written twice
    if spec.priced:
        assert all(isinstance(c["price"], float) and c["price"] > 0 and c["note"] for c in cases)
    assert all(listing.title and listing.nice_classes for listing in listings_of(cases))


@pytest.mark.parametrize(("name", "style"), [(n, s) for n in _NAMES for s in _SETS[n].styles])
def test_every_pattern_and_negative_kind_is_represented(name: str, style: str) -> None:
    assert any(c["style"] == style for c in _load(name)[1]), style


@pytest.mark.parametrize(("name", "issue_class"), [(n, k) for n in _NAMES if _SETS[n].issue_shape for k in (1, 2, 3)])
def test_an_issue_class_look_alike_has_its_style_and_its_mark_has_the_class_shape(name: str, issue_class: int) -> None:
    rights, cases = _load(name)
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


@pytest.mark.parametrize("name", [n for n in _NAMES if _SETS[n].goods])
def test_a_positive_names_a_mark_registered_for_the_listing_goods_or_well_known(name: str) -> None:
    rights, cases = _load(name)
    by_number = {r.number: r for r in rights}
    for case in cases:
        if case["infringing"]:
            right = by_number[case["right"]]
            assert right.well_known or set(case["nice_classes"]) & set(right.nice_classes), case["title"]


@pytest.mark.parametrize("name", [n for n in _NAMES if _SETS[n].same_class_negatives])
def test_more_than_half_of_the_hard_negatives_are_in_a_goods_class_of_the_mark_they_stand_beside(name: str) -> None:
    same_class, other_kinds = _SETS[name].same_class_negatives or (0, 0)
    rights, cases = _load(name)
    by_number = {r.number: r for r in rights}
    negatives = [c for c in cases if not c["infringing"]]
    assert all(c["near"] in by_number for c in negatives)
    same = [c for c in negatives if set(c["nice_classes"]) & set(by_number[c["near"]].nice_classes)]
    assert len(same) == same_class and 2 * len(same) > len(negatives)
    # apart from owners, resellers and 适用/兼容 listings, still more than a third of all negatives
    kinds = Counter(c["style"] for c in same)
    assert sum(n for k, n in kinds.items()
               if k not in {"negative_owner", "negative_reseller", "negative_compat"}) > other_kinds


@pytest.mark.parametrize("name", _NAMES)
def test_an_owner_listing_is_sold_by_the_owner_and_is_not_infringing(name: str) -> None:
    rights, cases = _load(name)
    owners = {r.owner for r in rights}
    own = [c for c in cases if c["style"] == "negative_owner"]
    assert len(own) == _SETS[name].owner_listings
    assert all(c.get("seller") in owners and not c["infringing"] for c in own)
    assert all(c.get("seller") not in owners for c in cases if c["infringing"])  # no positive is the owner's


@pytest.mark.parametrize("name", _NAMES)
def test_no_mark_of_the_set_is_registered_in_a_fixture_sealed_before_it(name: str) -> None:
    spec = _SETS[name]
    marks = {r.title.upper() for r in _load(name)[0]}
    elsewhere = _marks_of(_sealed_before(spec.file))
    assert marks and len(elsewhere) == spec.sealed_before and not marks & elsewhere


@pytest.mark.parametrize("file", [f for files in _SEALING_ORDER for f in files
                                  if f not in {s.file for s in _SETS.values()}
                                  and any(s.file in _sealed_before(f) for s in _SETS.values())])
def test_a_fixture_sealed_after_a_held_out_set_registers_none_of_its_marks(file: str) -> None:
    # a helper's own check sealed after a set of _SETS (and not one itself) is held apart from that set here
    sets = [s.file for s in _SETS.values() if s.file in _sealed_before(file)]
    assert sets and _marks_of([file]) and not _marks_of([file]) & _marks_of(sets)


def test_the_sealing_order_holds_every_fixture_once_and_every_set() -> None:
    files = [f for group in _SEALING_ORDER for f in group]
    on_disk = sorted(p.name for p in resources.files("regional").joinpath("data/eval").iterdir()
                     if p.name.endswith(".jsonl"))
    assert sorted(files) == on_disk, "put a new fixture of regional/data/eval in _SEALING_ORDER"
    assert all(s.file in files for s in _SETS.values())


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
