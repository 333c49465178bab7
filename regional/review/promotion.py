"""Whether a retrained candidate may replace the model in use — one pure rule (no Flask, no database, no clock).

The same rule is asked three times, so the answer never depends on where it is asked:

1. up front, from the node's judgements alone (`readiness`): judgements that cannot give a held-out set large enough
   to compare on (at least MIN_HELD_OUT, with MIN_HELD_OUT_PER_LABEL confirmed and as many excluded) refuse the
   retraining before anything is fitted — the models page's button, the scheduled job and `hufu regional retrain`;
2. on the examples the judgements became (the same `readiness`, on the recomputed examples: a judged pair whose
   features cannot be recomputed any more drops out), still before fitting;
3. after fitting, on the held-out figures of the candidate and of the model in use (`compare`).

Every answer is an `Outcome`: a code and its numbers, stored as such (model_versions.outcome_code/outcome_params, the
audit entry's `outcome`), said in English by `english` (the command line, the worker's log) and in the reader's
language by the web UI's catalogues (regional/web/retrainmsgs.py) — never stored as a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# held-out judgements needed before a candidate may be promoted: in all, and of each label (confirmed, excluded).
# newcomer15 F15: a candidate was promoted on 8 held-out judgements (F1 0.6 vs 0.5455 — one judgement) and dropped
# clear look-alikes from an officer's queue; on so few, one judgement decides.
MIN_HELD_OUT = 20
MIN_HELD_OUT_PER_LABEL = 5
_EPS = 1e-9


class Code(StrEnum):
    """Why a retraining ended as it did."""

    NO_JUDGEMENTS = "no_judgements"  # nothing judged (confirmed or excluded) among this model's leads
    ONE_LABEL = "one_label"  # the training set holds only one label: nothing to learn a boundary from
    TOO_FEW_HELD_OUT = "too_few_held_out"  # the held-out set is too small to compare on: refused / not promoted
    NOT_WORSE = "not_worse"  # promoted
    LOWER_RECALL = "lower_recall"  # finds fewer of the confirmed held-out judgements
    LOWER_F1 = "lower_f1"
    WORSE_BRIER = "worse_brier"  # same F1, worse calibrated


# the outcomes that stop a retraining before anything is fitted
REFUSALS = frozenset({Code.NO_JUDGEMENTS, Code.ONE_LABEL, Code.TOO_FEW_HELD_OUT})


@dataclass(frozen=True)
class Outcome:
    """A code and the numbers that explain it (counts as int, figures as float)."""

    code: Code
    params: Mapping[str, int | float] = field(default_factory=dict)

    @property
    def promote(self) -> bool:
        """The candidate replaces the model in use."""
        return self.code is Code.NOT_WORSE

    @property
    def refused(self) -> bool:
        """Nothing is (or was) fitted: the judgements cannot support a comparison."""
        return self.code in REFUSALS

    def as_json(self) -> dict[str, Any]:
        """`{"code": …, <params>}`, as stored in an audit entry."""
        return {"code": self.code.value, **self.params}

    @classmethod
    def from_stored(cls, code: str | None, params: Mapping[str, Any] | None) -> Outcome | None:
        """A stored outcome, or None when there is none or its code is unknown to this version."""
        try:
            known = Code(code) if code else None
        except ValueError:
            return None
        if known is None:
            return None
        return cls(known, {k: v for k, v in (params or {}).items() if isinstance(v, int | float)
                           and not isinstance(v, bool)})

    @classmethod
    def from_json(cls, value: Any) -> Outcome | None:
        """The inverse of `as_json`; None for anything else."""
        if not isinstance(value, Mapping):
            return None
        return cls.from_stored(value.get("code"), {k: v for k, v in value.items() if k != "code"})

    def english(self) -> str:
        """The outcome in English (the command line and the log; the pages use the catalogues)."""
        p = self.params
        if self.code is Code.NO_JUDGEMENTS:
            return "no judgements of this model's leads yet"
        if self.code is Code.ONE_LABEL:
            return "the training set needs both confirmed and excluded examples"
        if self.code is Code.TOO_FEW_HELD_OUT:
            return (f"too few held-out judgements to compare: {p.get('held_out', 0)} ({p.get('confirmed', 0)} "
                    f"confirmed, {p.get('excluded', 0)} excluded); at least {p.get('minimum', MIN_HELD_OUT)}, with "
                    f"{p.get('per_label', MIN_HELD_OUT_PER_LABEL)} of each, are needed")
        if self.code is Code.NOT_WORSE:
            return f"not worse than the current model on the node's {p.get('held_out', 0)} held-out judgements"
        what = {Code.LOWER_RECALL: "recall", Code.LOWER_F1: "F1", Code.WORSE_BRIER: "Brier score"}[self.code]
        return (f"worse than the current model on the node's {p.get('held_out', 0)} held-out judgements: {what} "
                f"{p.get('candidate')} vs {p.get('current')}")


def held_out_shortfall(confirmed: int, excluded: int) -> Outcome | None:
    """Why a held-out set of `confirmed` + `excluded` judgements is too small to compare on, or None when it is not."""
    if confirmed < 0 or excluded < 0:
        raise ValueError(f"held-out counts must not be negative (confirmed {confirmed}, excluded {excluded})")
    total = confirmed + excluded
    if total >= MIN_HELD_OUT and min(confirmed, excluded) >= MIN_HELD_OUT_PER_LABEL:
        return None
    return Outcome(Code.TOO_FEW_HELD_OUT, {"held_out": total, "confirmed": confirmed, "excluded": excluded,
                                           "minimum": MIN_HELD_OUT, "per_label": MIN_HELD_OUT_PER_LABEL})


@dataclass(frozen=True)
class Split:
    """A node's judgements of one model split as training uses them: counts per side and label."""

    train_confirmed: int = 0
    train_excluded: int = 0
    held_confirmed: int = 0
    held_excluded: int = 0

    @classmethod
    def of(cls, labelled: Iterable[tuple[bool, int]]) -> Split:
        """From (held out?, label) pairs: label 1 confirmed, 0 excluded."""
        counts = [0, 0, 0, 0]
        for held, label in labelled:
            if label not in (0, 1):
                raise ValueError(f"a label is 1 (confirmed) or 0 (excluded), not {label!r}")
            counts[(2 if held else 0) + (0 if label else 1)] += 1
        return cls(*counts)

    @property
    def judgements(self) -> int:
        return self.train_confirmed + self.train_excluded + self.held_confirmed + self.held_excluded


def readiness(split: Split) -> Outcome | None:
    """Why this node's judgements of a model cannot be retrained on now (nothing should be fitted), or None when
    they can. The held-out side must be large enough to compare the candidate with the model in use."""
    if split.judgements == 0:
        return Outcome(Code.NO_JUDGEMENTS, {})
    return held_out_shortfall(split.held_confirmed, split.held_excluded)


def not_worse(candidate: Mapping[str, float], current: Mapping[str, float]) -> bool:
    """The figures' part of the rule: F1 not lower, and on a tie a Brier score not higher; and never a lower recall —
    a candidate that finds fewer of what officers confirmed takes true leads out of their queue (newcomer15 F15)."""
    return _figures(candidate, current).promote


def _figures(candidate: Mapping[str, float], current: Mapping[str, float]) -> Outcome:
    n = int(candidate.get("examples", 0))
    if "recall" in candidate and "recall" in current and candidate["recall"] < current["recall"] - _EPS:
        return Outcome(Code.LOWER_RECALL, {"held_out": n, "candidate": candidate["recall"],
                                           "current": current["recall"]})
    if candidate["f1"] > current["f1"] + _EPS:
        return Outcome(Code.NOT_WORSE, {"held_out": n})
    if abs(candidate["f1"] - current["f1"]) > _EPS:
        return Outcome(Code.LOWER_F1, {"held_out": n, "candidate": candidate["f1"], "current": current["f1"]})
    if candidate["brier"] <= current["brier"] + _EPS:
        return Outcome(Code.NOT_WORSE, {"held_out": n})
    return Outcome(Code.WORSE_BRIER, {"held_out": n, "candidate": candidate["brier"], "current": current["brier"]})


def compare(candidate: Mapping[str, float], current: Mapping[str, float]) -> Outcome:
    """The whole rule on held-out figures (evaluate()'s: examples, positives, recall, f1, brier) of the candidate
    and of the model in use on the same held-out judgements: first the size of the set, then the figures."""
    examples = int(candidate.get("examples", 0))
    confirmed = int(candidate.get("positives", 0))
    short = held_out_shortfall(confirmed, examples - confirmed)
    if short is not None:
        return short
    return _figures(candidate, current)
