"""Refused outside input on the pages, in the reader's language: which field, what is wrong, which record.

The customs and exhibitions pages (and any page that takes a file of records) explain a refusal the same
way: a reason code from the pure core's error, looked up in the page's own reasons, after the field's
name from the page's own field names; a file's bad records are flashed one a line, at most 20.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from regional.formats.errors import ImportFileError, RecordError
from regional.formats.messages import Problem

RULE = _l("the value is missing or not valid")  # a reason the page has no words for
READING = {  # the reasons of regional/formats/checked.read_checked itself
    "unreadable": _l("the line is not a record (see the file format)"),
    "too_big": _l("the record is too long"),
}
SHOWN = 20  # bad records flashed one by one; the rest are counted


def explain(field: str | None, reason: str, fields: Mapping[str, Any], reasons: Mapping[str, Any]) -> str:
    """A refusal in the reader's language: the field's name (when `fields` names it) and what is wrong."""
    why = reasons.get(reason, RULE)
    if field and field in fields:
        return gettext("%(field)s: %(why)s", field=fields[field], why=why)
    return str(why)


def explain_rule(field: str | None, problem: Problem, fields: Mapping[str, Any]) -> str:
    """A refusal said as the rule the reader broke (regional/formats/messages.py, naming the value given and what is
    allowed), after the field's name when `fields` names it."""
    from regional.web.importmsgs import message_text

    why = message_text(problem)
    if field and field in fields:
        return gettext("%(field)s: %(why)s", field=fields[field], why=why)
    return why


def flash_record_errors(errors: Sequence[RecordError], reasons: Sequence[str],
                        say: Callable[[RecordError, str], str], category: str = "error") -> None:
    """Flash the first `SHOWN` bad records, each as `say(error, reason)`, then how many more there are
    (`category` "warning" for what was stored all the same)."""
    for error, reason in list(zip(errors, reasons, strict=False))[:SHOWN]:
        flash(say(error, reason), category)
    if len(errors) > SHOWN:
        flash(gettext("… and %(n)s more.", n=len(errors) - SHOWN), category)


def flash_file_fault(exc: ImportFileError) -> None:
    """Flash why a whole uploaded file was refused, in the UI language, and the reader's words as the detail."""
    from regional.web.filefaults import describe

    fault = describe(exc)
    flash(fault.message, "error")
    flash(gettext("Technical detail") + gettext(": ") + fault.detail[:300], "error")
