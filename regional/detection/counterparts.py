"""Registered counterparts of a mark in another script (issue 14: foreign-language listings). Pure.

The registry may link a mark to its forms in other scripts — 华为 ↔ HUAWEI, 大白兔 ↔ WHITE RABBIT,
NIKE ↔ 耐克 (formats.md, trademark `counterparts`). Detection screens each counterpart as a mark of
the same right: an English or Spanish listing using HUAWEI (or Huawie) is a lead on 华为's right, and
says through which counterpart (`tm.counterpart`). Only linked forms count: a Chinese mark's pinyin
is not guessed (short pinyin such as "li" or "an" is in every English title).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from regional.domain import LeadFinding, Right, RightKind

CODE = "tm.counterpart"
MAX_COUNTERPARTS = 10


def expand(rights: Sequence[Right]) -> list[Right]:
    """The rights, then one trademark per registered counterpart (same number, owner, classes, term)."""
    out = list(rights)
    for right in rights:
        if right.kind is not RightKind.TRADEMARK:
            continue
        seen = {right.title.strip().casefold()}
        for form in right.counterparts[:MAX_COUNTERPARTS]:
            key = form.strip().casefold()
            if key and key not in seen:
                seen.add(key)
                out.append(replace(right, title=form.strip(), counterparts=()))
    return out


def merge(findings: Iterable[LeadFinding], rights: Mapping[str, Right]) -> list[LeadFinding]:
    """One finding per (listing, right, type): the strongest; found through a counterpart, it says so."""
    best: dict[tuple[str, str, str], LeadFinding] = {}
    for f in findings:
        key = (f.listing_id, f.right, f.type.value)
        held = best.get(key)
        if held is None or f.score > held.score:
            best[key] = f
    out = []
    for f in best.values():
        right = rights.get(f.right)
        via = _matched_mark(f)
        if right is not None and right.counterparts and via is not None and \
                via.strip().casefold() != right.title.strip().casefold() and \
                via.strip().casefold() in {c.strip().casefold() for c in right.counterparts}:
            f = _with_reason(f, f"'{via}' is the registered counterpart of the mark '{right.title}'",
                             {"counterpart": via, "mark": right.title})
        out.append(f)
    out.sort(key=lambda f: (f.listing_id, f.right, f.type.value))
    return out


def _matched_mark(f: LeadFinding) -> str | None:
    for p in f.params or ():
        mark = p.get("mark") if isinstance(p, Mapping) else None
        if isinstance(mark, str) and mark:
            return mark
    return None


def _with_reason(f: LeadFinding, reason: str, params: Mapping[str, object]) -> LeadFinding:
    codes = tuple(f.codes or ())
    if codes and len(codes) == len(f.reasons):
        return replace(f, reasons=(*f.reasons, reason), codes=(*codes, CODE),
                       params=(*(f.params or ({},) * len(codes)), dict(params)))
    return replace(f, reasons=(*f.reasons, reason))
