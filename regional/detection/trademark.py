"""Trademark-infringement detector (商标侵权): look-alike, sound-alike and counterfeit marks.

Pipeline: normalise -> retrieve candidate marks through an inverted index of "codes"
(look-alike class and pinyin of each character, confusable-folded Latin tokens; never all
pairs) -> match each candidate on the best-matching window of the title -> owner and
licence rules -> features (FEATURES) -> calibrated probability from the shipped model
(regional/data/models/trademark-*.json) -> LeadFinding with reasons an officer can read.
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
from regional.detection.config import DetectionConfig
from regional.detection.scoring import CalibratedModel, load_model
from regional.domain import LeadFinding, LeadType, Licence, Listing, Right, RightKind
from regional.nice import infer_nice_classes

MODEL_NAME = "trademark"

# Statuses under which a mark no longer protects anything.
_DEAD_STATUSES = frozenset({"invalidated", "cancelled", "revoked", "expired", "rejected", "lapsed"})

# Per-character credit when comparing a title window with a mark.
_SAME, _LOOKALIKE, _HOMOPHONE = 1.0, 0.9, 0.85
_TRADITIONAL = 0.93
_CHEAP_RATIO = 0.4  # price below 40% of typical = counterfeit suspicion

FEATURES: tuple[str, ...] = (
    "similarity", "exact", "traditional", "cjk", "mark_len", "lookalike_chars", "homophone_chars", "other_chars",
    "latin_confusable", "latin_letters", "class_same", "class_unknown", "class_other", "class_inferred",
    "cheap", "price_ratio", "price_known", "window_is_other_mark", "title_share",
)
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
    lookalike: int = 0
    homophone: int = 0
    other: int = 0
    traditional: bool = False
    confusable: bool = False  # Latin: same skeleton
    letters: int = 0  # Latin: letters changed


@dataclass(frozen=True, slots=True)
class TrademarkCandidate:
    """One (listing, right) pair that passed matching and the licence rules, before scoring."""

    listing: Listing
    right: Right
    features: dict[str, float]
    reasons: tuple[str, ...]


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


def _positioned_code_bigrams(text: str) -> set[tuple[tuple[str, str], int]]:
    """((code, code), position) of each adjacent character pair; a single character gives ((code, ''), 0)."""
    if len(text) == 1:
        return {((c, ""), 0) for c in _codes(text)}
    codes = [_codes(ch) for ch in text]
    return {((a, b), i) for i in range(len(text) - 1) for a in codes[i] for b in codes[i + 1]}


@functools.lru_cache(maxsize=65536)
def _deletions(word: str, depth: int) -> frozenset[str]:
    """`word` and every string made by deleting up to `depth` of its letters."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:j] + w[j + 1 :] for w in frontier for j in range(len(w))}
        out |= frontier
    return frozenset(out)


def _pairs_needed(n: int) -> int:
    """Character pairs of an n-character mark a title must share (at one offset) to be worth matching.

    Look-alike and sound-alike characters share a code, so only "other" differences break
    pairs, and each breaks at most two: marks up to 3 characters allow none (all pairs
    needed), 4 characters one, longer ones two (see _allowed_differences and _match_cjk).
    """
    if n <= 1:
        return 1
    others = 0 if n < 4 else 1 if n == 4 else 2
    return max(1, (n - 1) - 2 * others)


def _latin_tokens(normalised: str) -> list[tuple[str, str]]:
    """Latin runs of a normalised title with their skeletons, plus adjacent pairs joined."""
    tokens = _LATIN_TOKEN.findall(normalised)
    runs = list(tokens) + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]
    return [(t, nz.latin_skeleton(t)) for t in runs]


class TrademarkDetector:
    """Finds listings that use a registered mark, or one confusingly like it, without right."""

    def __init__(
        self,
        rights: Sequence[Right],
        licences: Sequence[Licence] = (),
        *,
        threshold: float | None = None,
        as_of: dt.date | None = None,
        config: DetectionConfig | None = None,
        model: CalibratedModel | None = None,
    ) -> None:
        """Index the live trademarks among `rights`; `as_of` (optional) drops expired rights and licences."""
        self.model = model or load_model(MODEL_NAME)
        self.model_version = self.model.version
        self.threshold = threshold if threshold is not None else (config or DetectionConfig()).threshold(
            MODEL_NAME, self.model.threshold)
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
        self._by_text = by_text
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
        # (code, code) of each adjacent character pair -> (mark, position of the pair in the mark)
        self._cjk_index: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self._latin_exact: dict[str, list[int]] = defaultdict(list)
        # symmetric-delete index: a token within edit distance d of a mark shares one of its d-deletions
        self._latin_deletes: dict[str, list[int]] = defaultdict(list)
        self._need: list[int] = []
        self._has_single = any(m.cjk and len(m.text) == 1 for m in self._marks)
        for i, mark in enumerate(self._marks):
            self._need.append(_pairs_needed(len(mark.text)))
            if mark.cjk:
                for key, pos in _positioned_code_bigrams(mark.text):
                    self._cjk_index[key].append((i, pos))
            else:
                self._latin_exact[mark.skeleton].append(i)
                if len(mark.skeleton) >= 5:  # short Latin marks only match through confusables
                    for shorter in _deletions(mark.skeleton, 1 if len(mark.skeleton) < 8 else 2):
                        self._latin_deletes[shorter].append(i)

    def _candidates(self, p: _Prepared) -> dict[int, list[int]]:
        """Candidate marks -> title offsets where enough of their characters share a look/sound code.

        Two stages, neither over all marks: the pair index gives (mark, offset) pairs sharing a
        character pair; each is then checked character by character at that offset only.
        """
        found: dict[int, list[int]] = {}
        aligned: dict[tuple[int, int], set[int]] = defaultdict(set)  # (mark, offset) -> matched pair positions
        for key, t in _positioned_code_bigrams(p.text) if p.text else ():
            for i, pos in self._cjk_index.get(key, ()):
                aligned[(i, t - pos)].add(pos)
        title_codes = [_codes(ch) for ch in p.text]
        if self._has_single:
            for t, codes in enumerate(title_codes):
                for code in codes:
                    for i, _pos in self._cjk_index.get((code, ""), ()):
                        aligned[(i, t)].add(0)
        for (i, offset), positions in aligned.items():
            if len(positions) < self._need[i]:
                continue
            text = self._marks[i].text
            n = len(text)
            if offset < 0 or offset + n > len(title_codes):
                continue
            same = sum(1 for j in range(n) if title_codes[offset + j] & _codes(text[j]))
            if same >= n - (0 if n < 4 else _allowed_differences(n)):
                found.setdefault(i, []).append(offset)
        for _token, skel in p.latin:
            if len(skel) >= 3:
                for shorter in _deletions(skel, 1 if len(skel) < 6 else 2):
                    for i in self._latin_deletes.get(shorter, ()):
                        found.setdefault(i, [])
            for i in self._latin_exact.get(skel, ()):
                found.setdefault(i, [])
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

    def _match_cjk(self, mark: _Mark, p: _Prepared, offsets: Iterable[int] | None = None) -> _Match | None:
        m, t = mark.text, p.text
        n = len(m)
        allowed = _allowed_differences(n)
        best: _Match | None = None
        for start in sorted(set(offsets)) if offsets is not None else range(len(t) - n + 1):
            window = t[start : start + n]
            if window == m:
                original = p.folded[start : start + n] if p.folded else window
                if original != window:  # the title spells it in traditional characters
                    reason = f"mark '{original}' is a traditional-character form of '{mark.display}'"
                    return _Match(original, window, _TRADITIONAL, False, reason, traditional=True)
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
                                  self._cjk_reason(window, mark, lookalike, homophone, other),
                                  lookalike, homophone, other)
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
                match = _Match(shown, token, 0.95, False, f"mark '{shown}' looks like '{mark.display}' (confusable letters)",
                               confusable=True)
            elif len(mark.skeleton) >= 5:
                distance = Levenshtein.distance(skel, mark.skeleton, score_cutoff=2)
                if distance > (1 if len(mark.skeleton) < 8 else 2):
                    continue
                shown = self._display_token(token, p.listing.title)
                plural = "letter differs" if distance == 1 else "letters differ"
                similarity = 1.0 - 0.6 * distance / len(mark.skeleton)
                match = _Match(shown, token, similarity, False,
                               f"mark '{shown}' looks like '{mark.display}' ({distance} {plural})", letters=distance)
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
    def _class_rule(right: Right, p: _Prepared) -> tuple[str, str | None]:
        """'same' / 'unknown' / 'other' goods class, and the reason to show for 'same'."""
        if not right.nice_classes or not p.classes:
            return "unknown", None
        shared = [c for c in p.classes if c in right.nice_classes]
        if shared:
            where = ""
            if p.classes_inferred:
                source = f"category '{p.listing.category}'" if p.listing.category else "title"
                where = f" (inferred from {source})"
            return "same", f"same goods class {shared[0]}{where}"
        return "other", None

    # -- driver ------------------------------------------------------------------------

    def prepare(self, listings: Iterable[Listing]) -> TrademarkBatch:
        """Normalise a batch and set up its price reference (the batch is the market prices are judged in)."""
        prepared = [self._prepare(listing) for listing in listings]
        return TrademarkBatch(prepared, _PriceReference(prepared))

    def candidates(self, listings: Iterable[Listing] | TrademarkBatch, start: int = 0,
                   end: int | None = None) -> list[TrademarkCandidate]:
        """Every (listing, right) pair that matches and is not excused by ownership or licence, with features."""
        batch = listings if isinstance(listings, TrademarkBatch) else self.prepare(listings)
        out: list[TrademarkCandidate] = []
        for p in batch.prepared[start:end]:
            for i, offsets in sorted(self._candidates(p).items()):
                mark = self._marks[i]
                match = self._match_cjk(mark, p, offsets) if mark.cjk else self._match_latin(mark, p)
                if match is None:
                    continue
                out.extend(self._judge(mark, match, p, batch.prices))
        return out

    def detect(self, listings: Iterable[Listing] | TrademarkBatch, start: int = 0,
               end: int | None = None) -> list[LeadFinding]:
        """Leads for every listing that uses a protected mark, or a look-alike, without right."""
        found = self.candidates(listings, start, end)
        if not found:
            return []
        scores = self.model.probability([self.model.row(c.features) for c in found])
        return [LeadFinding(c.listing.id, c.right.number, LeadType.TRADEMARK, float(score), c.reasons,
                            self.model_version, codes=(_code(c.features),))
                for c, score in zip(found, scores, strict=True) if score >= self.threshold]

    def _judge(self, mark: _Mark, match: _Match, p: _Prepared, prices: _PriceReference) -> list[TrademarkCandidate]:
        listing = p.listing
        rights = [r for r in mark.rights if not self._entitled(r, listing)]
        if not rights:
            return []
        cheap_reason: str | None = None
        ratio, known = 1.0, 0.0
        if listing.price is not None:
            typical = prices.typical(p, match)
            if typical:
                ratio, known = min(2.0, listing.price / typical), 1.0
                if listing.price < _CHEAP_RATIO * typical:
                    cheap_reason = (
                        f"price {listing.price:g} is far below the typical {typical:g} (counterfeit suspicion)"
                    )
        text_reason = f"exact mark '{mark.display}'" if match.exact else (match.reason or "")
        other_mark = self._by_text.get(match.norm)
        base = {
            "similarity": match.similarity, "exact": float(match.exact), "traditional": float(match.traditional),
            "cjk": float(mark.cjk), "mark_len": min(len(mark.text), 8) / 8, "lookalike_chars": float(match.lookalike),
            "homophone_chars": float(match.homophone), "other_chars": float(match.other),
            "latin_confusable": float(match.confusable), "latin_letters": float(match.letters),
            "cheap": float(cheap_reason is not None), "price_ratio": ratio, "price_known": known,
            "window_is_other_mark": float(other_mark is not None and other_mark is not mark),
            "title_share": min(1.0, len(match.norm) / max(1, len(p.text))),
        }
        out: list[TrademarkCandidate] = []
        for right in rights:
            where, class_reason = self._class_rule(right, p)
            features = dict(base)
            features[f"class_{where}"] = 1.0
            features["class_inferred"] = float(p.classes_inferred and where == "same")
            reasons = [text_reason]
            if class_reason:
                reasons.append(class_reason)
            elif where == "other":
                reasons.append(f"goods class {', '.join(map(str, p.classes))} differs from the mark's "
                               f"{', '.join(map(str, right.nice_classes))}")
            if cheap_reason:
                reasons.append(cheap_reason)
            out.append(TrademarkCandidate(listing, right, features, tuple(reasons)))
        return out


def _code(features: dict[str, float]) -> str:
    """The reason code of a trademark lead: which kind of likeness it rests on."""
    if features["exact"]:
        return "exact_cheap" if features["cheap"] else "exact"
    if features["traditional"]:
        return "traditional"
    if features["latin_confusable"]:
        return "latin_confusable"
    if features["latin_letters"]:
        return "latin_letter"
    if features["lookalike_chars"]:
        return "lookalike"
    if features["homophone_chars"]:
        return "homophone"
    return "similar"


@dataclass(slots=True)
class TrademarkBatch:
    """A normalised batch and its price reference, shareable by worker processes screening parts of it."""

    prepared: list[_Prepared]
    prices: _PriceReference

    def warm(self) -> None:
        """Build the price index now (before forking workers, so they share it)."""
        if self.prices._index is None:
            self.prices._index = self.prices._build()


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
        # bigrams in more than 2% of the batch ("包邮", "正品") are stop words: they say nothing
        # about the product and their long postings would dominate the run time
        limit = max(50, total // 50)
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
                if self._prepared[i].listing.id != p.listing.id:
                    weight[i] += self._idf[bg]
        # a neighbour must share at least half of what the title says about the product
        near = sorted((i for i, w in weight.items() if w >= 0.5 * information and w > 0), key=lambda i: (-weight[i], i))
        chosen = near[: self._NEIGHBOURS]
        if len(chosen) < self._MIN_NEIGHBOURS:
            return None
        return float(statistics.median(self._prepared[i].listing.price or 0.0 for i in chosen))
