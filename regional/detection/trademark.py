"""Trademark-infringement detector (商标侵权): look-alike, sound-alike and counterfeit marks.

Pipeline: normalise -> retrieve candidate marks through an inverted index of "codes"
(look-alike class and pinyin of each character, confusable-folded Latin tokens) -> score
each candidate on the best-matching window of the title -> apply goods class, price,
owner and licence rules -> LeadFinding with reasons an officer can read.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from regional.detection import normalize as nz
from regional.domain import LeadFinding, LeadType, Licence, Listing, Right, RightKind
from regional.nice import infer_nice_classes

MODEL_VERSION = "trademark-2026.11.0"

# Statuses under which a mark no longer protects anything.
_DEAD_STATUSES = frozenset({"invalidated", "cancelled", "revoked", "expired", "rejected", "lapsed"})

# Per-character credit when comparing a title window with a mark.
_SAME, _LOOKALIKE, _HOMOPHONE = 1.0, 0.9, 0.85
# Goods-class factor applied to the text similarity.
_SAME_CLASS, _UNKNOWN_CLASS, _OTHER_CLASS = 1.0, 0.9, 0.7
_EXACT_ORDINARY = 0.5  # an exact mark at an ordinary price: a reseller, not a lead by itself
_EXACT_CHEAP = 0.92
_TRADITIONAL = 0.93
_CHEAP_RATIO = 0.4  # price below 40% of typical = counterfeit suspicion
_LATIN_TOKEN = re.compile(r"[0-9a-z\u0370-\u03ff\u0400-\u04ff]+")


@dataclass(slots=True)
class _Mark:
    text: str  # compact normalised mark
    display: str
    cjk: bool
    skeleton: str  # Latin-confusable skeleton (Latin marks only)
    rights: list[Right] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Match:
    window: str  # the matching part of the title, as displayed
    norm: str  # the same part in normalised form
    similarity: float
    exact: bool
    reason: str | None  # None for an exact mark


@dataclass(slots=True)
class _Prepared:
    listing: Listing
    text: str  # compact normalised title
    folded: str  # compact title without traditional -> simplified (same length as text, or "")
    latin: list[tuple[str, str]]  # (normalised token, skeleton) of each Latin run
    classes: tuple[int, ...]
    classes_inferred: bool


@functools.lru_cache(maxsize=16384)
def _compact(name: str) -> str:
    return nz.compact(name)


def _allowed_differences(n: int) -> int:
    """How many characters of an n-character mark may differ and still look alike."""
    return 0 if n < 2 else 1 if n <= 4 else 2


@functools.lru_cache(maxsize=65536)
def _codes(ch: str) -> frozenset[str]:
    """Index codes of one character: its look-alike class and each of its readings."""
    if not nz.is_cjk(ch):
        return frozenset((ch,))
    return frozenset({"c" + nz.lookalike_canon(ch)} | {"p" + r for r in nz.char_readings(ch)})


def _code_bigrams(text: str) -> set[tuple[str, str]]:
    """Pairs of codes of adjacent characters; a single character gives (code, '')."""
    if len(text) == 1:
        return {(c, "") for c in _codes(text)}
    codes = [_codes(ch) for ch in text]
    return {(a, b) for i in range(len(text) - 1) for a in codes[i] for b in codes[i + 1]}


def _latin_tokens(normalised: str) -> list[tuple[str, str]]:
    """Latin runs of a normalised title with their skeletons, plus adjacent pairs joined."""
    tokens = _LATIN_TOKEN.findall(normalised)
    runs = list(tokens) + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]
    return [(t, nz.latin_skeleton(t)) for t in runs]


class TrademarkDetector:
    """Finds listings that use a registered mark, or one confusingly like it, without right."""

    MODEL_VERSION = MODEL_VERSION

    def __init__(
        self,
        rights: Sequence[Right],
        licences: Sequence[Licence] = (),
        *,
        threshold: float = 0.75,
        as_of: dt.date | None = None,
    ) -> None:
        """Index the live trademarks among `rights`; `as_of` (optional) drops expired rights and licences."""
        self.threshold = threshold
        self.as_of = as_of
        self._marks: list[_Mark] = []
        by_text: dict[str, _Mark] = {}
        for right in rights:
            if right.kind != RightKind.TRADEMARK or right.status.casefold() in _DEAD_STATUSES:
                continue
            if as_of and right.valid_until and right.valid_until < as_of:
                continue
            text = nz.compact(right.title)
            if not text:
                continue
            mark = by_text.get(text)
            if mark is None:
                cjk = nz.has_cjk(text)
                mark = _Mark(text, right.title.strip(), cjk, "" if cjk else nz.latin_skeleton(text))
                by_text[text] = mark
                self._marks.append(mark)
            mark.rights.append(right)
        self._licensees: dict[str, set[str]] = defaultdict(set)
        for lic in licences:
            if as_of and ((lic.valid_from and lic.valid_from > as_of) or (lic.valid_until and lic.valid_until < as_of)):
                continue
            self._licensees[lic.right].add("n:" + nz.compact(lic.licensee))
            if lic.licensee_uscc:
                self._licensees[lic.right].add("u:" + lic.licensee_uscc.strip().upper())
        self._build_index()

    # -- index -------------------------------------------------------------------------

    def _build_index(self) -> None:
        self._cjk_index: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._latin_exact: dict[str, list[int]] = defaultdict(list)
        self._latin_bigrams: dict[str, list[int]] = defaultdict(list)
        for i, mark in enumerate(self._marks):
            if mark.cjk:
                for key in _code_bigrams(mark.text):
                    self._cjk_index[key].append(i)
            else:
                self._latin_exact[mark.skeleton].append(i)
                if len(mark.skeleton) >= 5:  # short Latin marks only match through confusables
                    for bg in nz.char_bigrams(mark.skeleton):
                        self._latin_bigrams[bg].append(i)

    def _candidates(self, p: _Prepared) -> set[int]:
        found: set[int] = set()
        keys = _code_bigrams(p.text) if p.text else set()
        keys.update((code, "") for ch in set(p.text) for code in _codes(ch))  # one-character marks
        for key in keys:
            found.update(self._cjk_index.get(key, ()))
        for _token, skel in p.latin:
            found.update(self._latin_exact.get(skel, ()))
            hits: dict[int, int] = defaultdict(int)
            for bg in nz.char_bigrams(skel):
                for i in self._latin_bigrams.get(bg, ()):
                    hits[i] += 1
            found.update(i for i, h in hits.items() if h * 2 >= len(self._marks[i].skeleton) - 1)
        return found

    # -- matching ----------------------------------------------------------------------

    @staticmethod
    def _prepare(listing: Listing) -> _Prepared:
        normalised = nz.normalize_text(listing.title)
        text = normalised.replace(" ", "")
        folded = nz.fold_text(listing.title, simplify=False).replace(" ", "")
        if len(folded) != len(text):
            folded = ""
        classes, inferred = listing.nice_classes, False
        if not classes:
            classes, inferred = infer_nice_classes(listing.category, listing.title), True
        return _Prepared(listing, text, folded, _latin_tokens(normalised), tuple(classes), inferred)

    def _match_cjk(self, mark: _Mark, p: _Prepared) -> _Match | None:
        m, t = mark.text, p.text
        n = len(m)
        allowed = _allowed_differences(n)
        best: _Match | None = None
        for start in range(len(t) - n + 1):
            window = t[start : start + n]
            if window == m:
                original = p.folded[start : start + n] if p.folded else window
                if original != window:  # the title spells it in traditional characters
                    reason = f"mark '{original}' is a traditional-character form of '{mark.display}'"
                    return _Match(original, window, _TRADITIONAL, False, reason)
                return _Match(window, window, 1.0, True, None)
            if allowed == 0:
                continue
            credit, lookalike, homophone, other = 0.0, 0, 0, 0
            for a, b in zip(window, m, strict=True):
                if a == b:
                    credit += _SAME
                elif nz.is_cjk(a) and nz.are_lookalikes(a, b):
                    credit += _LOOKALIKE
                    lookalike += 1
                elif nz.is_cjk(a) and nz.same_sound(a, b):
                    credit += _HOMOPHONE
                    homophone += 1
                else:
                    other += 1
                if lookalike + homophone + other > allowed or (other and n < 4):
                    break
            else:
                similarity = credit / n
                if best is None or similarity > best.similarity:
                    best = _Match(window, window, similarity, False,
                                  self._cjk_reason(window, mark, lookalike, homophone, other))
        return best

    @staticmethod
    def _cjk_reason(window: str, mark: _Mark, lookalike: int, homophone: int, other: int) -> str:
        differing = lookalike + homophone + other
        if homophone and not lookalike and not other:
            return f"mark '{window}' sounds like '{mark.display}' (same pinyin '{nz.pinyin_key(mark.text)}')"
        plural = "character differs" if differing == 1 else "characters differ"
        if nz.pinyin_key(window) == nz.pinyin_key(mark.text):
            detail = ", same pinyin"
        elif nz.pinyin_initials(window) == nz.pinyin_initials(mark.text):
            detail = ", same pinyin initials"
        else:
            detail = ""
        return f"mark '{window}' looks like '{mark.display}' ({differing} {plural}{detail})"

    def _match_latin(self, mark: _Mark, p: _Prepared) -> _Match | None:
        best: _Match | None = None
        for token, skel in p.latin:
            if token == mark.text:
                return _Match(self._display_token(token, p.listing.title), token, 1.0, True, None)
            if skel == mark.skeleton:
                shown = self._display_token(token, p.listing.title)
                match = _Match(shown, token, 0.95, False, f"mark '{shown}' looks like '{mark.display}' (confusable letters)")
            elif len(mark.skeleton) >= 5:
                distance = Levenshtein.distance(skel, mark.skeleton, score_cutoff=2)
                if distance > (1 if len(mark.skeleton) < 8 else 2):
                    continue
                shown = self._display_token(token, p.listing.title)
                plural = "letter differs" if distance == 1 else "letters differ"
                similarity = 1.0 - 0.6 * distance / len(mark.skeleton)
                match = _Match(shown, token, similarity, False, f"mark '{shown}' looks like '{mark.display}' ({distance} {plural})")
            else:
                continue
            if best is None or match.similarity > best.similarity:
                best = match
        return best

    @staticmethod
    def _display_token(token: str, title: str) -> str:
        """The token as written in the title (case kept) when it can be found there."""
        found = re.search(re.escape(token), unicodedata.normalize("NFKC", title), re.IGNORECASE)
        return found.group(0) if found else token

    # -- rules -------------------------------------------------------------------------

    def _entitled(self, right: Right, listing: Listing) -> bool:
        """The owner or a licensee selling under the mark is not a lead."""
        seller = listing.seller
        name = _compact(seller.name) if seller.name else ""
        if name and name == _compact(right.owner):
            return True
        allowed = self._licensees.get(right.number, set())
        if name and "n:" + name in allowed:
            return True
        return seller.uscc is not None and "u:" + seller.uscc.strip().upper() in allowed

    @staticmethod
    def _class_rule(right: Right, p: _Prepared) -> tuple[float, str | None]:
        if not right.nice_classes or not p.classes:
            return _UNKNOWN_CLASS, None
        shared = [c for c in p.classes if c in right.nice_classes]
        if shared:
            where = ""
            if p.classes_inferred:
                source = f"category '{p.listing.category}'" if p.listing.category else "title"
                where = f" (inferred from {source})"
            return _SAME_CLASS, f"same goods class {shared[0]}{where}"
        return _OTHER_CLASS, None

    # -- driver ------------------------------------------------------------------------

    def detect(self, listings: Iterable[Listing]) -> list[LeadFinding]:
        """Leads for every listing that uses a protected mark, or a look-alike, without right."""
        prepared = [self._prepare(listing) for listing in listings]
        prices = _PriceReference(prepared)
        findings: list[LeadFinding] = []
        for p in prepared:
            for i in sorted(self._candidates(p)):
                mark = self._marks[i]
                match = self._match_cjk(mark, p) if mark.cjk else self._match_latin(mark, p)
                if match is None:
                    continue
                findings.extend(self._judge(mark, match, p, prices))
        return findings

    def _judge(self, mark: _Mark, match: _Match, p: _Prepared, prices: _PriceReference) -> list[LeadFinding]:
        listing = p.listing
        cheap_reason: str | None = None
        if listing.price is not None:
            typical = prices.typical(p, match)
            if typical and listing.price < _CHEAP_RATIO * typical:
                cheap_reason = (
                    f"price {listing.price:g} is far below the typical {typical:g} (counterfeit suspicion)"
                )
        if match.exact:
            base = _EXACT_CHEAP if cheap_reason else _EXACT_ORDINARY
            text_reason = f"exact mark '{mark.display}'"
        else:
            base = min(1.0, match.similarity + (0.03 if cheap_reason else 0.0))
            text_reason = match.reason or ""
        out: list[LeadFinding] = []
        for right in mark.rights:
            if self._entitled(right, listing):
                continue
            factor, class_reason = self._class_rule(right, p)
            score = round(base * factor, 4)
            if score < self.threshold:
                continue
            reasons = [text_reason]
            if class_reason:
                reasons.append(class_reason)
            if cheap_reason:
                reasons.append(cheap_reason)
            out.append(LeadFinding(listing.id, right.number, LeadType.TRADEMARK, score, tuple(reasons), MODEL_VERSION))
        return out


class _PriceReference:
    """Typical price of a listing's product, from the most similar other titles in the batch.

    Similarity is the IDF-weighted count of shared character bigrams (the mark itself left
    out), so words every shop adds ("包邮", "正品") weigh little against product words.
    """

    _MIN_NEIGHBOURS = 3
    _NEIGHBOURS = 7

    def __init__(self, prepared: list[_Prepared]) -> None:
        self._prepared = prepared
        self._index: dict[str, list[int]] | None = None
        self._idf: dict[str, float] = {}
        self._cache: dict[tuple[int, str], float | None] = {}

    def _build(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self._prepared):
            if p.listing.price is not None and p.listing.price > 0:
                for bg in nz.char_bigrams(p.text):
                    index[bg].append(i)
        total = max(1, len(self._prepared))
        # bigrams in more than 10% of the batch ("包邮", "正品") are stop words: they say nothing
        # about the product and their long postings would dominate the run time
        limit = max(50, total // 10)
        index = {bg: ids for bg, ids in index.items() if len(ids) <= limit}
        self._idf = {bg: math.log1p(total / len(ids)) for bg, ids in index.items()}
        return index

    def typical(self, p: _Prepared, match: _Match) -> float | None:
        """Median price of the nearest titles, or None when too few are about the same product."""
        key = (id(p), match.norm)
        if key not in self._cache:
            self._cache[key] = self._typical(p, match.norm)
        return self._cache[key]

    def _typical(self, p: _Prepared, mark_text: str) -> float | None:
        if self._index is None:
            self._index = self._build()
        rest = p.text.replace(mark_text, " ")
        weight: dict[int, float] = defaultdict(float)
        information = 0.0
        for bg in nz.char_bigrams(rest):
            if " " in bg or bg not in self._idf:
                continue
            information += self._idf[bg]
            for i in self._index.get(bg, ()):
                if self._prepared[i] is not p:
                    weight[i] += self._idf[bg]
        # a neighbour must share at least half of what the title says about the product
        near = sorted((i for i, w in weight.items() if w >= 0.5 * information and w > 0), key=lambda i: (-weight[i], i))
        chosen = near[: self._NEIGHBOURS]
        if len(chosen) < self._MIN_NEIGHBOURS:
            return None
        return float(statistics.median(self._prepared[i].listing.price or 0.0 for i in chosen))
