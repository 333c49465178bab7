"""Detection reasons as data: a stable code and its parameters, aligned with the English sentences.

A lead keeps both: `reasons` (English sentences, the interchange form of formats.md) and
`reason_codes` (`[{"code": "tm.lookalike", "window": "雷碧", "mark": "雪碧", …}, …]`, one per
reason, docs/detection.md lists the codes). Readers render the codes in their own language
(regional/web/reasons.py). Pure: values in, values out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MAX_CODES = 32
MAX_CODE_CHARS = 64
MAX_PARAMS_BYTES = 4096
BLACKLISTED = "bl.seller_blacklisted"  # added by the region when the seller is on the national blacklist


def _clean(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of a parameter value (strings, numbers, booleans, lists, flat objects)."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Mapping) and depth < 2:
        return {str(k): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, Iterable) and depth < 2:
        return [_clean(v, depth + 1) for v in value]
    return str(value)


def clean(value: Any) -> Any:
    """A JSON-safe copy of one parameter value, as `from_wire` keeps it (national/feed.py's fast path uses it)."""
    return _clean(value)


def structured(reasons: Sequence[str], codes: Sequence[str], params: Sequence[Mapping[str, Any]] = ()
               ) -> list[dict[str, Any]]:
    """The reason codes of a finding as stored: one {"code", **params} per reason, or [] when not aligned."""
    if not codes or len(codes) != len(reasons):
        return []
    out = []
    for i, code in enumerate(codes[:MAX_CODES]):
        given = params[i] if i < len(params) else {}
        entry = {k: _clean(v) for k, v in dict(given).items() if k != "code"}
        entry["code"] = str(code)[:MAX_CODE_CHARS]
        if len(json.dumps(entry, ensure_ascii=False).encode()) > MAX_PARAMS_BYTES:
            entry = {"code": entry["code"]}  # too big to carry: readers fall back to the sentence
        out.append(entry)
    return out


def of_finding(finding: Any) -> list[dict[str, Any]]:
    """The reason codes of a LeadFinding (codes and, where the engine gives them, parameters)."""
    return structured(tuple(finding.reasons), tuple(getattr(finding, "codes", ()) or ()),
                      tuple(getattr(finding, "params", ()) or ()))


def to_wire(entries: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(code, params_json) pairs for the sync record."""
    out = []
    for entry in entries[:MAX_CODES]:
        params = {k: v for k, v in entry.items() if k != "code"}
        out.append((str(entry.get("code", ""))[:MAX_CODE_CHARS],
                    json.dumps(params, ensure_ascii=False, sort_keys=True) if params else ""))
    return out


def from_wire(pairs: Iterable[tuple[str, str]], reasons: int) -> list[dict[str, Any]]:
    """Reason codes received over sync; [] unless they are well-formed and aligned with the reasons."""
    out: list[dict[str, Any]] = []
    for code, params_json in pairs:
        if not code or len(code) > MAX_CODE_CHARS or len(params_json.encode()) > MAX_PARAMS_BYTES:
            return []
        try:
            params = json.loads(params_json) if params_json else {}
        except (ValueError, RecursionError):  # nested deeper than the parser goes
            return []
        if not isinstance(params, dict):
            return []
        out.append({**{str(k): _clean(v) for k, v in params.items() if k != "code"}, "code": code})
        if len(out) > MAX_CODES:
            return []
    return out if len(out) == reasons else []
