"""Import refusals and warnings (regional/formats, regional/importers, the pilot readers) in the reader's language.

The readers say each problem as a rule of regional/formats/messages.py (a key and its parameters): the English
sentence the command line prints is that rule's text, and the audit entries of an import keep, beside the English
(`first`, `first_warnings`, `reason`), the structured parts (`first_parts`, `first_warnings_parts`, `reason_parts`:
file, line, record, field, rule key + params). The web UI renders those parts through the catalogue (context
"import_problem", the Chinese in imports.po), so English reads as stored and a rule is never parsed from its words.

Entries written before the parts were stored (an old database) hold the English alone: it is read back into the
same parts by regional.formats.messages.read_framed, whose patterns are made from the same sentences. A rule this
version does not know keeps its stored words inside the translated framing; a text that is not framed like an
import message is shown as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import pgettext

from regional.formats.messages import CONTEXT, FRAMES, Problem, read, read_framed


def _translate(template: str) -> str:
    return pgettext(CONTEXT, template)


def message_text(message: Problem | str) -> str:
    """One rule in the reader's language; words no rule says, as they are."""
    return message.text(_translate) if isinstance(message, Problem) else message


# the temporary directories the web uploads and the feed API copied a file into (tempfile's default prefix "tmp")
_UPLOAD_DIRS = ("tmp", "hufu-feed-")


def shown_file(name: str) -> str:
    """A file named in an audit entry, as an officer reads it: a web upload's temporary copy on the server (entries
    written before the upload's own name was stored: /tmp/tmpXXXXXXXX/name.csv) by its name alone; any other name
    (a path the command line was given) as stored."""
    import tempfile
    from pathlib import PurePath

    path = PurePath(name)
    copy = path.parent.parent == PurePath(tempfile.gettempdir()) and path.parent.name.startswith(_UPLOAD_DIRS)
    return path.name if copy else name


def framed_text(parts: Mapping[str, Any]) -> str | None:
    """`file:line (record) field 'f': rule` in the reader's language, from its parts (`message` a Problem or
    words); None when the parts are not shaped like an import problem."""
    shape = (bool(parts.get("line")), bool(parts.get("record")), bool(parts.get("field")))
    template = FRAMES.get(shape)
    if template is None or not parts.get("file"):
        return None
    values = {"file": shown_file(str(parts["file"])), "line": str(parts.get("line") or ""), "record": str(parts.get("record") or ""),
              "field": str(parts.get("field") or ""), "message": message_text(parts["message"])}
    return _translate(template) % values


def stored_parts_text(parts: Any) -> str | None:
    """A problem stored as parts (RecordError.parts(), ImportFileError.parts()) in the reader's language, or None
    when `parts` is not such a thing or its rule is unknown to this version (then the stored English is shown)."""
    if not isinstance(parts, dict):
        return None
    if "rule" in parts:
        message: Problem | str | None = Problem.from_json(parts["rule"])
    else:
        message = parts.get("message") if isinstance(parts.get("message"), str) else None
    if message is None:
        return None
    return framed_text({**parts, "message": message})


def problem_text(text: str) -> str | None:
    """A stored import problem in English (an entry of an old version) in the reader's language, or None when
    `text` is not framed like one."""
    parts = read_framed(text)
    return framed_text(parts) if parts is not None else None


def rule_text(text: str) -> str:
    """A rule's English sentence alone (no framing) in the reader's language; unknown words as they are."""
    return message_text(read(text) or text)


# The audit keys whose values are such sentences (regional/services.py `_record_rejection`, `record_unreadable`,
# import warnings; the pilot services), and the suffix of the key holding their structured parts.
KEYS = frozenset({"first", "first_warnings", "reason"})
PARTS = "_parts"


def _joined(texts: list[str]) -> str:
    return pgettext("import_problem", "; ").join(texts)


def audit_value(key: str, value: object) -> str | None:
    """The English value of an import audit key (an old entry) in the reader's language, or None when it is not
    one."""
    if key not in KEYS:
        return None
    if isinstance(value, str):
        return problem_text(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        texts = [problem_text(v) for v in value]
        if all(t is None for t in texts):
            return None
        return _joined([t if t is not None else v for t, v in zip(texts, value, strict=True)])
    return None


def audit_texts(detail: Mapping[str, Any]) -> dict[str, str | None]:
    """The import keys of an audit entry's detail as text in the reader's language (from the structured parts when
    stored, else from the English), and the parts' own keys mapped to None (not shown: they are the same facts)."""
    out: dict[str, str | None] = {}
    for key in KEYS:
        if key not in detail:
            continue
        value, parts = detail[key], detail.get(key + PARTS)
        text: str | None = None
        if isinstance(parts, list) and isinstance(value, list) and len(parts) == len(value):
            texts = [stored_parts_text(p) for p in parts]
            if any(t is not None for t in texts):
                text = _joined([t if t is not None else str(v) for t, v in zip(texts, value, strict=True)])
        elif isinstance(parts, dict):
            text = stored_parts_text(parts)
        if text is None:
            text = audit_value(key, value)
        if text is not None:
            out[key] = text
        if key + PARTS in detail:
            out[key + PARTS] = None
    return out
