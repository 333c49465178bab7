"""Limits of web-form and CLI input that becomes an outbox record, checked before anything is stored.

Every form field is checked against the declared limit of the synced field it fills
(sync/limits.py), so an officer learns at once which field is too long or holds characters
that cannot be sent, instead of a record that the national node would refuse.

    check_form("case feedback", {"note": ("CaseFeedback.note", note), "officer": ("ReviewOutcome.officer", who)})
"""

from __future__ import annotations

from collections.abc import Mapping

from sync import limits


class FormError(ValueError):
    """Form fields over their limits; `fields` maps each form field to what is wrong with it.

    `limits` holds each failing field's declared limit, so a page can word the rule in the
    officer's language (`max_chars`, one line or free text) rather than show the English phrase.
    """

    def __init__(self, what: str, fields: dict[str, str],
                 field_limits: dict[str, limits.FieldLimit] | None = None) -> None:
        self.what = what
        self.fields = fields
        self.limits = field_limits or {}
        super().__init__(f"{what}: " + "; ".join(f"field {name} {problem}" for name, problem in fields.items()))


def check_form(what: str, values: Mapping[str, tuple[str, object]]) -> None:
    """Raise FormError naming every field of `values` (form name -> (limit path, value)) over its limit."""
    problems: dict[str, str] = {}
    found: dict[str, limits.FieldLimit] = {}
    for name, (path, value) in values.items():
        limit = limits.field_limit(path)
        problem = limits.check(limit, value)
        if problem is not None:
            problems[name] = problem
            found[name] = limit
    if problems:
        raise FormError(what, problems, found)
