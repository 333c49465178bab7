"""A bad query parameter of a page (a filter of /leads, /dashboard, /cases …) said in the reader's language.

The parsers (regional/reports/dashboard.py, the blueprints) raise `PeriodError` with the parameter, the
value and what is wrong with it; `refuse(exc)` answers 400 with a sentence that names the parameter (as
written in the address, and by its label) and the values it takes, through the message catalogues —
never the parser's English sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from flask import abort
from flask_babel import get_locale, gettext
from flask_babel import lazy_pgettext as _p

from regional.reports.periods import PeriodError
from regional.web.labels import label, register

register("query_param", {
    "from": _p("query_param", "first day"), "to": _p("query_param", "last day"),
    "judged_from": _p("query_param", "first day judged"), "judged_to": _p("query_param", "last day judged"),
    "grain": _p("query_param", "time step"), "type": _p("query_param", "lead type"),
    "source": _p("query_param", "source"), "industry": _p("query_param", "industry (Nice class)"),
    "area": _p("query_param", "area"), "state": _p("query_param", "lead state"),
    "judged_by": _p("query_param", "judged by"), "region": _p("query_param", "region"),
    "right": _p("query_param", "right"), "seller": _p("query_param", "seller"),
    "case": _p("query_param", "cross-region case"),
})
register("lead_in_case", {"yes": _p("lead_in_case", "in a cross-region case"),
                          "no": _p("lead_in_case", "not in a cross-region case")})
register("grain", {"day": _p("grain", "by day"), "week": _p("grain", "by week"), "month": _p("grain", "by month")})

# the label kind of each parameter's values (regional/web/labels.py); a parameter not here lists its codes only
VALUE_KINDS = {"type": "lead_type", "state": "lead_state", "grain": "grain", "case": "lead_in_case"}


def _english() -> bool:
    return str(get_locale() or "zh").startswith("en")


def _value_label(param: str, value: str, kinds: Mapping[str, str]) -> str:
    if param == "source" and param not in kinds:
        from regional.reports.labels import label as report_label

        return report_label("source", value, "en" if _english() else "zh")
    kind = kinds.get(param)
    return str(label(kind, value)) if kind else ""


def allowed_values(param: str, values: Iterable[str], kinds: Mapping[str, str] = VALUE_KINDS) -> str:
    """The allowed values as written in the address, each with its label: trademark（商标侵权）、…"""
    parts = []
    for value in values:
        shown = _value_label(param, value, kinds)
        parts.append(f"{value} ({shown})" if _english() and shown and shown != value
                     else f"{value}（{shown}）" if shown and shown != value else value)
    return (", " if _english() else "、").join(parts)


def message(exc: PeriodError | Any, label_kind: str = "query_param", kinds: Mapping[str, str] = VALUE_KINDS) -> str:
    """The sentence for a bad query parameter (a PeriodError, or anything carrying the same attributes: the review
    queue's FilterError, whose parameters are labelled as `label_kind` "filter" and their values as `kinds`)."""
    param = exc.param or ""
    name = str(label(label_kind, param)) if param else ""
    value = exc.value or ""
    if exc.problem == "date":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not a date; write it as YYYY-MM-DD, "
                       "e.g. 2026-11-01.", param=param, label=name, value=value)
    if exc.problem == "choice" and param == "industry":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not allowed. Allowed values: a Nice class "
                       "number from 1 to 45, or 0 for unknown; several separated by commas.",
                       param=param, label=name, value=value)
    if exc.problem == "choice":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not allowed. Allowed values: %(allowed)s.",
                       param=param, label=name, value=value, allowed=allowed_values(param, exc.allowed, kinds))
    if exc.problem == "too_many":
        return gettext("Parameter %(param)s (%(label)s): at most %(n)s values at a time.",
                       param=param, label=name, n=exc.limit)
    if exc.problem == "order":
        other = exc.other or ""
        return gettext("Parameter %(param)s (%(label)s) %(value)s is after %(other)s (%(other_label)s) %(limit)s.",
                       param=param, label=name, value=value, other=other,
                       other_label=label(label_kind, other), limit=exc.limit)
    if exc.problem == "span":
        return gettext("Parameters %(param)s and %(other)s: a period of at most %(n)s days at a time.",
                       param=param, other=exc.other or "", n=exc.limit)
    if exc.problem == "area":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not allowed. Allowed values: a 6-digit "
                       "division code, or none (area unknown).", param=param, label=name, value=value)
    if exc.problem == "region":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not allowed. Allowed values: a 6-digit "
                       "region code, e.g. 440000.", param=param, label=name, value=value)
    if exc.problem == "name":
        return gettext("Parameter %(param)s (%(label)s): an account name of at most %(n)s characters, without "
                       "control characters.", param=param, label=name, n=exc.limit)
    if exc.problem == "score":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not allowed. Allowed values: a score from 0 "
                       "to 1, e.g. 0.8.", param=param, label=name, value=value)
    if exc.problem == "range":
        return gettext("Parameter %(param)s (%(label)s): “%(value)s” is not allowed. Allowed values: a whole number "
                       "from 1 to %(n)s.", param=param, label=name, value=value, n=exc.limit)
    if exc.problem == "control":
        return gettext("Parameter %(param)s (%(label)s): control characters are not allowed.", param=param,
                       label=name)
    if exc.problem == "text":
        return gettext("Parameter %(param)s (%(label)s): at most %(n)s characters.", param=param, label=name,
                       n=exc.limit)
    return gettext("The request is not valid.")


def refuse(exc: PeriodError) -> NoReturn:
    """Answer 400 with the sentence for a bad query parameter."""
    abort(400, message(exc))
