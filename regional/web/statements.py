"""Readable text for the few statements other parts of the system store as English sentences.

Case feedback outcomes (national/lifecycle.py `Decision.reason`) and blacklist reasons
(national/casework.py) are produced by our own code from a small, fixed set of forms; until
they are stored as codes too, this module turns each form into the reader's language, with
the stored enum values shown through their labels. An unknown sentence is shown as stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from flask_babel import pgettext

from regional.web.labels import label


def _status(value: str) -> str:
    return label("case_status", value)


def _region(code: str) -> str:
    """A province-level region by its name in the reader's language (浙江省 / Zhejiang), not its code."""
    from regional.web.i18n import current_lang
    from sync.regions import region_name

    return region_name(code, current_lang())


def _regions(codes: str) -> str:
    """Comma-separated region codes as names in the reader's language (、 between them in Chinese)."""
    from regional.web.i18n import current_lang

    names = [_region(c) for c in codes.split(",")]
    return ", ".join(names) if current_lang() == "en" else "、".join(names)


OUTCOMES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^region (\d{6}) is not concerned by this case$"),
     lambda m: pgettext("statement", "region %(region)s is not concerned by this case") % {"region": _region(m.group(1))}),
    (re.compile(r"^note recorded$"), lambda m: pgettext("statement", "note recorded")),
    (re.compile(r"^recorded as the assisting region's result; the lead region (\d{6}) decides the case$"),
     lambda m: pgettext("statement", "recorded as the assisting region's result; the lead region %(region)s decides the case")
     % {"region": _region(m.group(1))}),
    (re.compile(r"^the case is already (\w+)$"),
     lambda m: pgettext("statement", "the case is already %(status)s") % {"status": _status(m.group(1))}),
    (re.compile(r"^a (\w+) case cannot become (\w+)$"),
     lambda m: pgettext("statement", "a case that is %(from)s cannot become %(to)s") % {"from": _status(m.group(1)),
                                                                      "to": _status(m.group(2))}),
    (re.compile(r"^this region's part is already (\w+)$"),
     lambda m: pgettext("statement", "this region's part is already %(status)s") % {"status": _status(m.group(1))}),
    (re.compile(r"^this region's part is (\w+); it cannot become (\w+)$"),
     lambda m: pgettext("statement", "this region's part is %(from)s; it cannot become %(to)s") % {
         "from": _status(m.group(1)), "to": _status(m.group(2))}),
    (re.compile(r"^(\w+) -> (\w+)$"),
     lambda m: pgettext("statement", "%(from)s -> %(to)s") % {"from": _status(m.group(1)), "to": _status(m.group(2))}),
    (re.compile(r"^new leads after a closed case of the same seller$"),  # national/cases.py FOLLOW_UP_OUTCOME
     lambda m: pgettext("statement", "new leads after a closed case of the same seller: a new case is opened")),
    # national/cases.py WITHDRAWN_*_OUTCOME; a bare "withdrawn" is what a withdrawal said before session 16
    (re.compile(r"^withdrawn: its leads now belong to another case of the same seller$"),
     lambda m: pgettext("statement", "case withdrawn: its leads now belong to another case of the same seller")),
    (re.compile(r"^withdrawn: its sellers are not one entity \(a merge was reversed\)$"),
     lambda m: pgettext("statement", "case withdrawn: its sellers are not one entity (the merge was reversed)")),
    (re.compile(r"^withdrawn$"), lambda m: pgettext("statement", "case withdrawn")),
    # national/cases.py host_change_outcome (newcomer16 N15)
    (re.compile(r"^lead region changed from (\d{6}) to (\d{6}): \1 is no longer concerned by the case$"),
     lambda m: pgettext("statement", "the lead region moved from %(from)s to %(to)s: %(from)s is no longer concerned "
                                     "by the case") % {"from": _region(m.group(1)), "to": _region(m.group(2))}),
    # national/cases.py regions_left_outcome (newcomer18 N8)
    (re.compile(r"^no longer concerned by the case: (\d{6}(?:,\d{6})*) \(their leads left it: the sellers are not one "
                r"entity\)$"),
     lambda m: pgettext("statement", "%(regions)s no longer concerned by the case: their leads left it (an officer "
                                     "decided the sellers are not one entity)")
     % {"regions": _regions(m.group(1))}),
    (re.compile(r"^concerned by the case again: (\d{6}(?:,\d{6})*) \(their leads joined it again\)$"),
     lambda m: pgettext("statement", "%(regions)s concerned by the case again: their leads joined it again")
     % {"regions": _regions(m.group(1))}),
    (re.compile(r"^(\d+) confirmed cross-region cases within (\d+) months$"),
     lambda m: pgettext("statement", "%(n)s confirmed cross-region cases within %(months)s months") % {"n": m.group(1),
                                                                                      "months": m.group(2)}),
]


def statement(text: object) -> str:
    """A stored outcome or blacklist reason in the reader's language."""
    value = "" if text is None else str(text)
    for pattern, render in OUTCOMES:
        m = pattern.match(value)
        if m:
            return render(m)
    return value


def reconciliation(raw: object) -> str:
    """The region's last reconciliation (stored as JSON) as a sentence."""
    from regional.web.i18n import localtime

    try:
        data = json.loads(str(raw))
    except ValueError:
        return str(raw)
    if not isinstance(data, dict):
        return str(raw)
    return pgettext("statement", "%(at)s, epoch %(epoch)s: %(ranges)s range(s) compared, %(divergent)s differ") % {
        "at": localtime(data.get("at")), "epoch": data.get("epoch", "—"), "ranges": data.get("ranges", 0),
        "divergent": data.get("divergent", 0)}
