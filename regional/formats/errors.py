"""Errors the importers report, and the translation of pydantic's errors into clerk's sentences."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from pydantic import ValidationError

from regional.formats.messages import Problem, read, say

# Error type used by our own validators: its message is already a plain sentence.
RULE = "hufu_rule"


@dataclass(frozen=True)
class RecordError:
    """One bad record: where it is, which record, which field, and what to fix."""

    file: str
    line: int
    record_id: str | None
    field: str | None
    message: str
    # the rule and its parameters (regional/formats/messages.py); `message` is its English. A RecordError made
    # from a sentence alone (sync.limits, a pilot core) finds its rule when asked (`rule`).
    said: Problem | None = dataclass_field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, file: str, line: int, record_id: str | None, field_name: str | None, problem: Problem) -> RecordError:
        """The error `problem` of a record (its message the rule's English)."""
        return cls(file, line, record_id, field_name, str(problem), problem)

    @property
    def rule(self) -> Problem | None:
        """The rule broken, with its parameters; None for a sentence no rule says."""
        return self.said if self.said is not None else read(self.message)

    @property
    def key(self) -> str | None:
        rule = self.rule
        return rule.key if rule is not None else None

    @property
    def params(self) -> dict[str, Any]:
        rule = self.rule
        return dict(rule.params) if rule is not None else {}

    def parts(self) -> dict[str, Any]:
        """Stored form (audit entries): where, and the rule as key + params (or the message when no rule says it)."""
        rule = self.rule
        return {"file": self.file, "line": self.line, "record": self.record_id, "field": self.field,
                **({"rule": rule.as_json()} if rule is not None else {"message": self.message})}

    def __str__(self) -> str:
        """`registry.jsonl:12 (TM-0012345) field 'nice_classes': must be a list of integers 1..45`."""
        where = f"{self.file}:{self.line}"
        if self.record_id:
            where += f" ({self.record_id})"
        if self.field:
            return f"{where} field '{self.field}': {self.message}"
        return f"{where}: {self.message}"


class RecordValidationError(ValueError):
    """A single record failed validation; `errors` says where and why."""

    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class ImportFileError(Exception):
    """A whole file cannot be read (missing, unreadable, bad gzip, bad UTF-8).

    `problem` says why as a rule of regional/formats/messages.py: `code` (its key) and `params`; `reason` is
    its English (the command line's words)."""

    def __init__(self, file: str, reason: Problem, line: int | None = None) -> None:
        self.file = str(file)
        self.problem = reason
        self.reason = str(reason)
        self.line = line
        file = self.file
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")

    @property
    def code(self) -> str:
        return self.problem.key

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.problem.params)

    def parts(self) -> dict[str, Any]:
        """Stored form (audit entries): the file, the line and the reason as key + params."""
        return {"file": self.file, "line": self.line, "rule": self.problem.as_json()}

    def on_the_web(self) -> ImportFileError:
        """The same refusal of a web upload: a rule that names a command-line flag (--encoding gb18030) names the
        upload form's choice instead (messages.ON_THE_WEB); any other refusal as it is."""
        from regional.formats.messages import ON_THE_WEB

        key = ON_THE_WEB.get(self.code)
        return self if key is None else ImportFileError(self.file, say(key, **self.problem.params), self.line)


_GENERIC: dict[str, str] = {  # pydantic's error type -> rule key (regional/formats/messages.py)
    "missing": "required",
    "string_type": "text",
    "list_type": "list",
    "tuple_type": "list",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "int_type": "whole_number",
    "int_parsing": "whole_number",
    "int_from_float": "whole_number",
    "float_type": "number",
    "float_parsing": "number",
    "finite_number": "finite_number",
    "bool_type": "boolean",
}
_BOUNDS = {"greater_than_equal": "at_least", "less_than_equal": "at_most", "greater_than": "more_than",
           "less_than": "less_than"}


def _generic_message(err: Mapping[str, Any]) -> Problem | str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _GENERIC:
        return say(_GENERIC[kind])
    if kind == "enum":
        return say("one_of", values=str(ctx.get("expected", "the allowed values")).replace("'", ""))
    if kind in _BOUNDS:
        return say(_BOUNDS[kind], n=next(iter(ctx.values()), ""))
    msg = str(err.get("msg", "is not valid"))  # pydantic's own words: no rule of ours says them
    return msg[:1].lower() + msg[1:]


def rule_error(message: str, key: str | None = None, params: Mapping[str, Any] | None = None) -> Any:
    """The pydantic error a validator raises for a rule of ours: its text, and the rule in its context."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(RULE, "{text}", {"text": message, "hufu_key": key, "hufu_params": dict(params or {})})


def describe_value(value: object, limit: int = 40) -> str:
    """A short JSON rendering of an offending value, for messages: a whole number read as a float (a CSV or
    workbook cell "-5") as it was written, -5, not -5.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    # a lone surrogate (a JSON "\ud800" escape) is quoted as its escape: the message is stored in the audit log and
    # shown on pages, which cannot encode it as UTF-8 (newcomer20 D1: /sync and /audit answered 500)
    text = printable_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def holds_lone_surrogate(value: object) -> bool:
    """Whether a decoded JSON value (text, or lists and objects of them, keys included) holds a lone surrogate: a
    "\\ud800" escape JSON allows and no UTF-8 store or page can take."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(holds_lone_surrogate(k) or holds_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_lone_surrogate(v) for v in value)
    return False


def printable_text(text: str) -> str:
    """`text` with every lone surrogate written as its escape (`\\ud800`), so it can be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def field_path(loc: tuple[int | str, ...]) -> str | None:
    """`('seller', 'uscc')` -> `seller.uscc`; list positions are dropped (the value is quoted instead)."""
    names = [str(part) for part in loc if isinstance(part, str)]
    return ".".join(names) or None


def from_pydantic(
    exc: ValidationError,
    *,
    file: str,
    line: int,
    record_id: str | None,
    hints: Mapping[str, Problem],
) -> list[RecordError]:
    """Turn a pydantic ValidationError into RecordErrors a clerk can act on.

    `hints` maps a field path to the rule that field follows; it replaces pydantic's wording
    for that field (except "is required", which is always clearer).
    """
    grouped: dict[tuple[str | None, Problem | str], list[str]] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = field_path(loc)
        message: Problem | str
        if err["type"] == RULE:
            ctx = err.get("ctx") or {}
            key = ctx.get("hufu_key")
            message = say(key, **ctx.get("hufu_params", {})) if key else str(err["msg"])
        elif err["type"] == "missing":
            message = say("required")
        else:
            message = hints.get(path or "") or _generic_message(err)
        got = grouped.setdefault((path, message), [])
        value = err.get("input")
        # a list or an object where text was wanted is quoted too (newcomer22 D5: `must be text` named nothing)
        if err["type"] != "missing" and (value is None or isinstance(value, str | int | float | bool | list | dict)):
            got.append(describe_value(value))
    errors = []
    for (path, message), values in grouped.items():
        if values:
            shown = ", ".join(dict.fromkeys(values[:3]))
            more = ", …" if len(values) > 3 else ""
            message = say("got", message=message, got=f"{shown}{more}")
        problem = message if isinstance(message, Problem) else None
        errors.append(RecordError(file, line, record_id, path, str(message), problem))
    return errors


def invalid_records(items: Sequence[RecordError]) -> int:
    """How many records `items` name: a record (a file's line) with several problems counts once."""
    return len({(item.file, item.line) for item in items})


def count_text(items: Sequence[RecordError]) -> str:
    """`3 invalid record(s) (5 problems)`, or `3 invalid record(s)` when each has one problem."""
    records = invalid_records(items)
    text = f"{records:,} invalid record(s)"
    return text if records == len(items) else f"{text} ({len(items):,} problems)"


def summarise(items: list[RecordError], limit: int = 20) -> list[str]:
    """At most about `limit` lines: every item when few, else one line per kind of problem with its count."""
    if len(items) <= limit:
        return [str(item) for item in items]
    groups: dict[tuple[str | None, str], list[RecordError]] = {}
    for item in items:
        groups.setdefault((item.field, item.message.split(" (got ")[0]), []).append(item)
    out = []
    for (field, message), group in list(groups.items())[:limit]:
        first = group[0]
        where = f"{first.file}:{first.line}" + (f" ({first.record_id})" if first.record_id else "")
        subject = f" field '{field}'" if field else ""
        out.append(f"{len(group):,} record(s), the first {where}{subject}: {message}")
    if len(groups) > limit:
        out.append(f"… and {len(groups) - limit} more kinds of problem")
    return out
