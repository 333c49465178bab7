"""A value written like a date whose day its month does not have (2026-02-30, 2026-04-31): the readers say so instead
of "must be a date like …" (the format is right; an officer reading that looks for a typo in vain). Pure."""

from __future__ import annotations

import calendar
import re

from regional.formats.messages import Problem, say

_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")


def no_such_day(text: str) -> Problem | None:
    """The problem `no_such_day` when `text` begins YYYY-MM-DD with a real month but a day past its last, else None."""
    m = _DAY.match(text.strip())
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    if year < 1 or not 1 <= month <= 12 or day < 1:
        return None
    days = calendar.monthrange(year, month)[1]
    return say("no_such_day", month=f"{year:04d}-{month:02d}", days=days) if day > days else None
