"""Why a retraining ended as it did (regional/review/promotion.Outcome: a code and its numbers), in the reader's
language: the models page's rows and notes, its button's refusal, and the audit log's `model_retrained` entries.

Entries written before outcomes were stored hold the English reason alone (`reason`); its few fixed sentences are
read back into the same outcome (`read_old_reason`), so an old entry reads like a new one.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext, pgettext

from regional.review.promotion import MIN_HELD_OUT, MIN_HELD_OUT_PER_LABEL, Code, Outcome


def _figure(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def reason_text(outcome: Outcome) -> str:
    """The reason alone (no verdict), in the reader's language."""
    p = {k: _figure(v) for k, v in outcome.params.items()}
    n = p.get("held_out", "0")
    code = outcome.code
    if code is Code.NO_JUDGEMENTS:
        return pgettext("retrain_outcome", "no judgements of this model's leads yet")
    if code is Code.ONE_LABEL:
        return pgettext("retrain_outcome", "the judgements are all confirmed or all excluded; training needs both")
    if code is Code.TOO_FEW_HELD_OUT:
        return pgettext("retrain_outcome",
                        "too few held-out judgements to compare: %(n)s (%(confirmed)s confirmed, %(excluded)s "
                        "excluded); at least %(minimum)s are needed, with at least %(per_label)s of each",
                        n=n, confirmed=p.get("confirmed", "0"), excluded=p.get("excluded", "0"),
                        minimum=p.get("minimum", str(MIN_HELD_OUT)),
                        per_label=p.get("per_label", str(MIN_HELD_OUT_PER_LABEL)))
    if code is Code.NOT_WORSE:
        return pgettext("retrain_outcome", "not worse than the model in use then on %(n)s held-out judgements", n=n)
    figures = {"n": n, "candidate": p.get("candidate", "—"), "current": p.get("current", "—")}
    if code is Code.LOWER_RECALL:
        return pgettext("retrain_outcome",
                        "on %(n)s held-out judgements it finds fewer of the confirmed ones than the model in use "
                        "then (recall %(candidate)s vs %(current)s)", **figures)
    if code is Code.LOWER_F1:
        return pgettext("retrain_outcome",
                        "a lower F1 than the model in use then on %(n)s held-out judgements (%(candidate)s vs "
                        "%(current)s)", **figures)
    return pgettext("retrain_outcome",
                    "the same F1 as the model in use then on %(n)s held-out judgements, but a worse Brier score "
                    "(%(candidate)s vs %(current)s)", **figures)


def verdict_text(outcome: Outcome) -> str:
    """A trained version's verdict and its reason: enabled, or kept as a candidate (not enabled) and why."""
    why = reason_text(outcome)
    if outcome.promote:
        return gettext("Enabled: %(why)s.", why=why)
    return gettext("Not enabled: %(why)s.", why=why)


def refusal_text(outcome: Outcome) -> str:
    """Why a model cannot be retrained now (the models page, its button)."""
    return gettext("Cannot be retrained yet: %(why)s.", why=reason_text(outcome))


# the English reasons of entries written before outcomes were stored (regional/review/retrain.py until session 17)
_OLD = [
    (re.compile(r"too few held-out judgements to compare: (\d+) \((\d+) confirmed, (\d+) excluded\); at least (\d+), "
                r"with (\d+) of each, are needed — kept as a candidate"),
     lambda m: Outcome(Code.TOO_FEW_HELD_OUT, {"held_out": int(m[1]), "confirmed": int(m[2]), "excluded": int(m[3]),
                                               "minimum": int(m[4]), "per_label": int(m[5])})),
    (re.compile(r"not worse than the current model on the node's (\d+) held-out judgements"),
     lambda m: Outcome(Code.NOT_WORSE, {"held_out": int(m[1])})),
    (re.compile(r"no judgements of this model's leads yet"), lambda m: Outcome(Code.NO_JUDGEMENTS, {})),
    (re.compile(r"the training set needs both confirmed and excluded examples"), lambda m: Outcome(Code.ONE_LABEL, {})),
]
_OLD_WORSE = re.compile(r"worse than the current model on the node's (\d+) held-out judgements \(F1, or it finds fewer "
                        r"of the confirmed ones\)")


def read_old_reason(text: str) -> str | None:
    """An old entry's English reason in the reader's language, or None when it is not one of those sentences."""
    for pattern, make in _OLD:
        m = pattern.fullmatch(text.strip())
        if m:
            return verdict_text(make(m))
    m = _OLD_WORSE.fullmatch(text.strip())
    if m:  # the old sentence did not say which figure was worse
        why = pgettext("retrain_outcome", "worse than the model in use then on %(n)s held-out judgements (a lower F1, "
                                          "or it finds fewer of the confirmed ones)", n=m[1])
        return gettext("Not enabled: %(why)s.", why=why)
    return None


def audit_outcome(value: Any) -> str | None:
    """A `model_retrained` entry's `outcome` (`{"code": …, <numbers>}`) in the reader's language (the entry is
    written for a fitted version alone); None when it is not one."""
    outcome = Outcome.from_json(value)
    return verdict_text(outcome) if outcome is not None else None


def audit_reason(value: Any) -> str | None:
    """An old `model_retrained` entry's English `reason` in the reader's language; None for any other reason."""
    return read_old_reason(value) if isinstance(value, str) else None
