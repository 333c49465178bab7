"""The retraining rule (regional/review/promotion.py): one pure rule refuses up front and decides the comparison;
its answers are codes and numbers (newcomer16 N7)."""

from __future__ import annotations

import datetime as dt

import pytest

from regional.review.promotion import (
    MIN_HELD_OUT,
    MIN_HELD_OUT_PER_LABEL,
    Code,
    Outcome,
    Split,
    compare,
    held_out_shortfall,
    not_worse,
    readiness,
)


def test_a_held_out_set_needs_the_minimum_in_all_and_of_each_label() -> None:
    assert held_out_shortfall(MIN_HELD_OUT - MIN_HELD_OUT_PER_LABEL, MIN_HELD_OUT_PER_LABEL) is None
    short = held_out_shortfall(7, 2)
    assert short is not None and short.code is Code.TOO_FEW_HELD_OUT and short.refused and not short.promote
    assert dict(short.params) == {"held_out": 9, "confirmed": 7, "excluded": 2, "minimum": MIN_HELD_OUT,
                                  "per_label": MIN_HELD_OUT_PER_LABEL}
    assert held_out_shortfall(40, MIN_HELD_OUT_PER_LABEL - 1) is not None  # enough in all, too few excluded
    assert held_out_shortfall(MIN_HELD_OUT_PER_LABEL, MIN_HELD_OUT_PER_LABEL) is not None  # each label, too few
    with pytest.raises(ValueError, match="negative"):
        held_out_shortfall(-1, 30)


def test_readiness_counts_only_the_held_out_side_and_says_when_nothing_was_judged() -> None:
    assert readiness(Split()).code is Code.NO_JUDGEMENTS  # type: ignore[union-attr]
    # many judgements, but the held-out fifth is small: refused before anything is fitted
    many = Split(train_confirmed=60, train_excluded=30, held_confirmed=7, held_excluded=2)
    refusal = readiness(many)
    assert refusal is not None and refusal.code is Code.TOO_FEW_HELD_OUT and refusal.params["held_out"] == 9
    assert readiness(Split(0, 0, 15, 5)) is None
    split = Split.of([(True, 1), (True, 0), (False, 1), (False, 1)])
    assert split == Split(train_confirmed=2, train_excluded=0, held_confirmed=1, held_excluded=1)
    with pytest.raises(ValueError, match="not 2"):
        Split.of([(True, 2)])


def test_the_comparison_asks_the_same_size_rule_first_then_the_figures() -> None:
    cur = {"examples": 30, "positives": 15, "f1": 0.8, "recall": 0.8, "brier": 0.1}
    small = {"examples": 9, "positives": 7, "f1": 0.95, "recall": 1.0, "brier": 0.01}
    assert compare(small, cur) == held_out_shortfall(7, 2)  # better figures do not matter on 9 judgements
    better = {"examples": 30, "positives": 15, "f1": 0.9, "recall": 0.9, "brier": 0.2}
    assert compare(better, cur) == Outcome(Code.NOT_WORSE, {"held_out": 30})
    fewer = {**better, "recall": 0.7}
    assert compare(fewer, cur) == Outcome(Code.LOWER_RECALL, {"held_out": 30, "candidate": 0.7, "current": 0.8})
    lower = {**better, "f1": 0.7, "recall": 0.8}
    assert compare(lower, cur).code is Code.LOWER_F1
    tie_worse = {**better, "f1": 0.8, "recall": 0.8, "brier": 0.3}
    assert compare(tie_worse, cur) == Outcome(Code.WORSE_BRIER, {"held_out": 30, "candidate": 0.3, "current": 0.1})
    assert compare({**tie_worse, "brier": 0.1}, cur).promote
    assert not_worse(better, cur) and not not_worse(fewer, cur)


def test_an_outcome_is_stored_as_a_code_and_numbers_and_read_back() -> None:
    outcome = held_out_shortfall(7, 2)
    assert outcome is not None
    stored = outcome.as_json()
    assert stored["code"] == "too_few_held_out" and all(isinstance(v, int) for k, v in stored.items() if k != "code")
    assert Outcome.from_json(stored) == outcome
    assert Outcome.from_stored(outcome.code.value, dict(outcome.params)) == outcome
    assert Outcome.from_json({"code": "from_a_later_version"}) is None and Outcome.from_json("text") is None
    assert Outcome.from_stored(None, None) is None
    assert outcome.english() == ("too few held-out judgements to compare: 9 (7 confirmed, 2 excluded); at least 20, "
                                 "with 5 of each, are needed")


def test_a_version_is_named_after_its_day_in_beijing_time() -> None:
    from regional.review.retrain import version_name

    evening_utc = dt.datetime(2026, 12, 2, 19, 0, 41, tzinfo=dt.UTC)  # 2026-12-03 03:00:41 Beijing time
    assert version_name("trademark", "330000", evening_utc, 1) == "trademark-330000-20261203.1"
    assert version_name("trademark", "330000", dt.datetime(2026, 12, 2, 15, 59), 2) == "trademark-330000-20261202.2"
