"""Counterfeit wording (issue 14, foreign-language listings): a mark's exact name next to words that say the
goods are copies — "replica", "1:1", "AAA quality", "mirror quality", "réplica", "imitación", 高仿, A货. Pure.

The trademark model treats a mark's exact name on a third party's listing as resale of genuine goods (not a
lead by itself); the seller's own words saying the goods are copies turn it into a strong one. The mark is
found as whole words (Latin, accents and case folded) or as a run of Chinese characters, in its registered
form or one of its registered counterparts (华为 ↔ HUAWEI); the listing's goods classes (declared, or read
from the text) must meet the mark's, unless no class could be read or the mark is well known; the owner and
licensees are left alone (the trademark model's own rule).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from regional.domain import LeadFinding, LeadType, Listing, Right, RightKind

CODE = "tm.counterfeit_wording"
SCORE = 0.9
MAX_WORDS = 4  # the longest Latin mark looked up, in words
MAX_CJK = 8  # the longest Chinese mark looked up, in characters
_TEXT = 2000  # characters of title + description read

# Each phrase says the goods are copies in itself; ordinary words that only do so next to others
# ("copy", "AAA", "clone", "inspired") are only taken in those phrases (AAA batteries, copy paper, clone trooper).
_MATERIAL = r"(?!\s+(?:leather|fur|suede|wood|flowers?|plants?|grass|eyelash(?:es)?|nails?|snow|cuero|piel|madera))"
_PHRASES = (
    # English
    r"replicas?", r"fakes?" + _MATERIAL, r"knock[- ]?offs?", r"counterfeits?(?!\s+(?:detector|check|money|pen))",
    r"imitations?" + _MATERIAL,
    r"1\s?[:：]\s?1(?!\d)", r"1\s?to\s?1\s+(?:copy|quality|replica)", r"one\s+to\s+one\s+copy",
    r"(?:high|super|top|perfect|best)\s+copy", r"copy\s+version", r"mirror\s+(?:quality|copy|grade)",
    r"a{3,5}\+?\s*(?:quality|grade|replica|copy)", r"(?:quality|grade)\s*a{3,5}\+?", r"a{4,5}\+?", r"aaa\+",
    r"unauthori[sz]ed\s+copy",
    # Spanish, Portuguese, French ("copia de seguridad" is a backup: only copy phrases)
    r"r[ée]plicas?", r"imitaci[óo]n(?:es)?" + _MATERIAL, r"imita[çc][ãa]o", r"falsificad[oa]s?",
    r"copias?\s+(?:exacta|aaa|1\s?[:：]\s?1|espejo)", r"calidad\s+(?:aaa|espejo|1\s?[:：]\s?1)", r"qualidade\s+aaa",
    r"r[ée]pliques?", r"contrefa[çc]ons?",
    # Chinese (not 复刻: a brand's own retro re-issue is sold as 复刻)
    r"高仿", r"仿品", r"仿制", r"精仿", r"超a", r"a货", r"一比一", r"1比1", r"原单", r"山寨",
)
_WORDING = re.compile(r"(?<![0-9a-z\u00c0-\u024f])(?:" + "|".join(_PHRASES) + r")(?![0-9a-z\u00c0-\u024f])")
# "no fakes", "not a replica", "anti-counterfeit", "sin imitaciones", 拒绝高仿: the seller denies it
_NEGATED = re.compile(r"(?:(?<![a-z])(?:no|not(?:\s+an?)?|never|zero|non|anti|sin|nunca|nada\s+de|jamais|pas\s+de)"
                      r"[\s\-]*|(?:非|不是|拒绝|绝非|杜绝|谨防|无)\s*)$")
_LATIN_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+(?:['’][0-9a-z\u00c0-\u024f]+)?")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _fold(text: str) -> str:
    """Case and accents folded (NFKC first, so full-width letters and digits read as ASCII)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    if unicodedata.is_normalized("NFD", text):  # nothing to take apart (Chinese, plain Latin)
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def wording(text: str | None) -> str | None:
    """The first counterfeit phrase in the text, as written there (folded), or None."""
    folded = _fold((text or "")[:_TEXT])
    for found in _WORDING.finditer(folded):
        if not _NEGATED.search(folded[max(0, found.start() - 16):found.start()]):
            return found.group(0)
    return None


class Index:
    """The registry's trademarks by their folded forms: Latin forms as word tuples, Chinese forms as strings."""

    def __init__(self, rights: Iterable[Right]) -> None:
        self.latin: dict[tuple[str, ...], list[tuple[Right, str]]] = {}
        self.cjk: dict[str, list[tuple[Right, str]]] = {}
        for right in rights:
            if right.kind is not RightKind.TRADEMARK:
                continue
            for form in dict.fromkeys((right.title, *right.counterparts)):
                form = form.strip()
                folded = _fold(form)
                if _CJK_RUN.fullmatch(folded) and 2 <= len(folded) <= MAX_CJK:
                    self.cjk.setdefault(folded, []).append((right, form))
                    continue
                words = tuple(_LATIN_WORD.findall(folded))
                # one- and two-letter marks are in every title (LI, AN); only whole forms of 3+ letters count
                if words and len(words) <= MAX_WORDS and len("".join(words)) >= 3:
                    self.latin.setdefault(words, []).append((right, form))

    def marks_in(self, text: str) -> list[tuple[Right, str]]:
        """Every (right, form) whose form occurs in the text, each right once (the first form found)."""
        folded = _fold(text[:_TEXT])
        found: dict[str, tuple[Right, str]] = {}
        words = _LATIN_WORD.findall(folded)
        for i in range(len(words)):
            for n in range(1, MAX_WORDS + 1):
                for right, form in self.latin.get(tuple(words[i:i + n]), ()):
                    found.setdefault(right.number, (right, form))
        for run in _CJK_RUN.findall(folded):
            for i in range(len(run)):
                for n in range(2, min(MAX_CJK, len(run) - i) + 1):
                    for right, form in self.cjk.get(run[i:i + n], ()):
                        found.setdefault(right.number, (right, form))
        return list(found.values())


def classes_meet(right: Right, classes: Sequence[int]) -> bool:
    """The listing's goods classes meet the mark's (or none could be read, or the mark is well known)."""
    return not classes or not right.nice_classes or right.well_known or bool(set(classes) & set(right.nice_classes))


def apply(findings: list[LeadFinding], listings: Sequence[Listing], index: Index,
          classes_of: Callable[[Listing], Sequence[int]], entitled: Callable[[Right, Listing], bool],
          model_version: str) -> list[LeadFinding]:
    """The findings with counterfeit wording added: a lead on each right whose exact mark the listing shows next
    to such words (raised to SCORE when one was found already, with the reason added)."""
    if not index.latin and not index.cjk:
        return findings
    held = {(f.listing_id, f.right): k for k, f in enumerate(findings) if f.type is LeadType.TRADEMARK}
    out = list(findings)
    for listing in listings:
        text = f"{listing.title} {listing.description or ''}"
        phrase = wording(text)
        if phrase is None:
            continue
        marks = index.marks_in(text)
        if not marks:
            continue
        classes = classes_of(listing)
        for right, form in marks:
            if not classes_meet(right, classes) or entitled(right, listing):
                continue
            reason = f"'{form}' is offered with the words '{phrase}' (the seller says the goods are copies)"
            params = {"mark": form, "words": phrase}
            k = held.get((listing.id, right.number))
            if k is None:
                held[(listing.id, right.number)] = len(out)
                out.append(LeadFinding(listing.id, right.number, LeadType.TRADEMARK, SCORE, (reason,), model_version,
                                       codes=(CODE,), params=(params,)))
                continue
            f = out[k]
            codes = tuple(f.codes or ())
            if codes and len(codes) == len(f.reasons):
                f = replace(f, reasons=(*f.reasons, reason), codes=(*codes, CODE), params=(*(f.params or ()), params))
            else:
                f = replace(f, reasons=(*f.reasons, reason))
            out[k] = replace(f, score=max(f.score, SCORE))
    return out
