"""Audit entries as readable text: the action's name, each changed field with its old and new value.

Field names are labels of kind "audit_field" (regional/web/labels.py); an area that audits
fields of its own registers their names with `labels.register("audit_field", {...})`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from flask_babel import gettext
from markupsafe import Markup

from regional.formats.errors import printable_text
from regional.web import importmsgs
from regional.web.i18n import localtime
from regional.web.labels import LABELS, label

# fields whose values are structured (a code and its numbers) and said by a function of the area that writes them:
# key -> functions(value) -> text in the reader's language, or None (not theirs: the next one, else shown as stored)
TEXTS: dict[str, list[Callable[[Any], str | None]]] = {}


def add_text(key: str, said: Callable[[Any], str | None]) -> None:
    """Say the values of field `key` with `said` (it returns None for a value that is not its own)."""
    TEXTS.setdefault(key, []).append(said)


def _said(key: str, value: Any) -> str | None:
    for said in TEXTS.get(key, ()):
        text = said(value)
        if text is not None:
            return text
    return None

# fields whose values are themselves stored codes with labels of their own
VALUE_KINDS = {"role": "role", "status": "case_status", "status_before": "case_status", "feedback": "feedback", "type": "lead_type",
               "state": "lead_state", "decision": "decision"}
MAX_TEXT = 300
# an ISO 8601 time with its zone as the nodes store them (UTC): shown in Beijing time like every other time
_STORED_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@dataclass(frozen=True)
class Field:
    """One line of an entry: a field's name, and its value (or its old and new value)."""

    name: str
    old: str | None
    new: str | None
    changed: bool


def value_text(value: Any, key: str | None = None) -> str:
    """A stored value as text for people: yes/no, lists joined, nested objects as name: value."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key in VALUE_KINDS and isinstance(value, str):
        return label(VALUE_KINDS[key], value)
    if isinstance(value, str) and value in LABELS["audit_value"]:
        return label("audit_value", value)
    if isinstance(value, list | tuple):
        return gettext(", ").join(value_text(v) for v in value[:20]) + ("…" if len(value) > 20 else "")
    if isinstance(value, dict):
        return gettext("; ").join(f"{field_name(k)}{gettext(': ')}{value_text(v, k)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value)
    if isinstance(value, str) and _STORED_TIME.fullmatch(text):
        return localtime(text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def field_name(key: str) -> str:
    """A field's display name."""
    return label("audit_field", key)


def printable(value: Any) -> Any:
    """A stored value with every lone surrogate in its text written as its escape (`\\ud800`): a page cannot encode
    one as UTF-8, and an entry may hold one from a refused file's record or a file name the shell gave undecoded
    (newcomer20 D1: one such entry made /sync and /audit answer 500)."""
    if isinstance(value, str):
        return printable_text(value)
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def changes(before: Any, after: Any) -> list[Field]:
    """The fields of before/after: changed ones first, each with old and new value."""
    before, after = printable(before), printable(after)
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [Field(gettext("Value"), value_text(before) if before is not None else None,
                      value_text(after) if after is not None else None, before != after)]
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    out = []
    for key in dict.fromkeys([*b, *a]):
        old = value_text(b[key], key) if key in b else None
        new = value_text(a[key], key) if key in a else None
        out.append(Field(field_name(key), old, new, key in b and key in a and b[key] != a[key]))
    out.sort(key=lambda f: not f.changed)
    return out


def details(detail: Any, paths: bool = True) -> list[tuple[str, str]]:
    """The other facts of an entry as (name, value) pairs. `paths=False` (an officer's page, not the audit log) names
    an imported file by its name alone, never by the server path the command line was given."""
    detail = printable(detail)
    if not isinstance(detail, dict):
        return [] if detail in (None, "", {}) else [(gettext("Detail"), value_text(detail))]
    out: list[tuple[str, str]] = []
    imports = importmsgs.audit_texts(detail)  # an import's refusals or warnings, said in the reader's language
    for k, v in detail.items():
        if k in imports and imports[k] is None:
            continue  # the structured parts of a refusal shown beside it
        text = _said(k, v)  # an area's own structured value (or its own old English) before the generic readers
        if text is None:
            text = imports.get(k)
        if text is None and k == "file" and isinstance(v, str):
            # never an upload's temporary copy; on an officer's page the name alone, shown as an identifier
            text = importmsgs.shown_file(v) if paths else Markup('<span class="code">{}</span>').format(PurePath(v).name)
        out.append((field_name(k), text if text is not None else _linked(k, v) or value_text(v, k)))
    return out


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _linked(key: str, value: Any) -> Markup | None:
    """A lead named by its uuid, as a link to its page (on a node that has lead pages); else None."""
    from flask import url_for
    from werkzeug.routing import BuildError

    if key != "lead" or not isinstance(value, str) or not _UUID.fullmatch(value):
        return None
    try:
        href = url_for("review.lead_page", lead_uuid=value)
    except BuildError:  # the national node: no regional lead pages
        return None
    return Markup('<a href="{}" class="code">{}</a>').format(href, value)
