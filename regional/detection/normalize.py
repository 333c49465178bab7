"""Text normalisation for mark matching: width, script, case, look-alikes and pinyin.

Everything here is pure. The tables (traditional -> simplified, case and punctuation folding,
glyph look-alikes, pinyin codes) are built on first use, never at import time, and applying
them is `str.translate` — one pass in C per string, so a listing is normalised in a few
microseconds.

- Traditional -> simplified is a character table taken from OpenCC's own TSCharacters
  dictionary (shipped in the opencc-python-reimplemented wheel; Apache-2.0): marks are
  compared character by character, so OpenCC's phrase layer adds nothing here and the
  table lookup is two orders of magnitude faster than a converter call.
- Chinese look-alike characters (形近字) come from regional/data/glyph_similar.tsv, computed
  from the glyphs of Noto Sans CJK and Unihan's shape codes by
  `python -m regional.detection.build_glyph_table` (see that module).
  Characters related by their components (很/银: same 艮, another radical; 盻/盼; 涉/步) and
  kana drawn like a character (カ/力) are merged in from regional/data/glyph_components.tsv,
  built by `python -m regional.detection.build_components` from the CJK Decomposition Data.
- Latin confusables: visual (0/o, 1/l/i, rn/m, vv/w, cl/d, Cyrillic and Greek look-alike
  letters) in `latin_skeleton`; phonetic (ph/f, c/k/s, z/s, q/k, x/ks, doubled letters) in
  `latin_phonetic`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt


class _Table(dict[int, str]):
    """A translate table that learns the identity of every character it does not map.

    `str.translate` looks each character up; a miss raises and clears a KeyError inside
    CPython, which costs more than the lookup itself. Storing the identity on the first miss
    makes every later lookup a hit.
    """

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        self[cp] = ch
        return ch


class _FoldTable(_Table):
    """A case-folding table: a character outside the scanned ranges (an astral script such as Adlam) learns its
    case fold on first sight, as `str.casefold` — which the batch path applies to whole texts — folds it."""

    def __missing__(self, cp: int) -> str:
        folded = chr(cp).casefold()
        self[cp] = folded
        return folded


def _table(mapping: dict[int, str] | dict[str, str]) -> _Table:
    out = _Table()
    for k, v in mapping.items():
        out[ord(k) if isinstance(k, str) else k] = v
    return out


GLYPH_TABLE = "data/glyph_similar.tsv"
# Characters related by their components (shared part + look-alike other part, a radical swapped or
# added) and kana drawn like a character; merged into the glyph table (see build_components).
COMPONENT_TABLE = "data/glyph_components.tsv"
# Each character's configuration and two components (see build_frames): a "frame" is one component at its
# place (锅 and 锣 share 钅 on the left, 室 and 宝 宀 on top); used only for frame swaps in short marks.
FRAME_TABLE = "data/glyph_frames.tsv"
# A glyph pair scoring at least this (0-100, see build_glyph_table) is a look-alike.
LOOKALIKE_MIN_SCORE = 35
# Shape groups (a partition used as an index key) join only pairs at least this alike.
_GROUP_MIN_SCORE = 70
_GROUP_MAX_SIZE = 4

# Latin confusables, applied only by latin_skeleton(): multi-letter sequences first.
_LATIN_MULTI: tuple[tuple[str, str], ...] = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_LATIN_SINGLE_MAP = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "!": "l",
        "|": "l",
        "5": "s",
        "8": "b",
        "$": "s",
        # Cyrillic and Greek letters that render like Latin ones
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "х": "x",
        "у": "y",
        "к": "k",
        "м": "m",
        "т": "t",
        "і": "l",
        "ѕ": "s",
        "ј": "j",
        "ο": "o",
        "ν": "v",
        "ι": "l",
        "κ": "k",
        "α": "a",
        "β": "b",
        "ε": "e",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
    }
)
# Sound-alike spellings, applied by latin_phonetic() in this order on the skeleton.
_PHONETIC_MULTI: tuple[tuple[str, str], ...] = (
    ("sch", "sh"), ("tch", "ch"), ("tech", "tek"), ("ph", "f"), ("ck", "k"), ("qu", "kv"), ("ce", "se"), ("cy", "sy"), ("cl", "kl"), ("x", "ks"),
    ("lght", "lt"), ("gh", "g"), ("wh", "v"), ("th", "t"), ("ee", "i"), ("ea", "i"), ("oo", "u"), ("ou", "u"), ("au", "o"),
)
_DOUBLED = re.compile(r"(.)\1+")
_INNER_ITE = re.compile(r"lte(?=[bcdfgkmnpqrstvwxz])")  # -ite- before a consonant, inside a word
_PHONETIC_SINGLE = _table({"c": "k", "q": "k", "z": "s", "w": "v", "y": "l", "j": "g"})

_TONES_MAP = str.maketrans({
    "ā": "a", "á": "a", "ǎ": "a", "à": "a", "ē": "e", "é": "e", "ě": "e", "è": "e", "ō": "o", "ó": "o", "ǒ": "o",
    "ò": "o", "ī": "i", "í": "i", "ǐ": "i", "ì": "i", "ū": "u", "ú": "u", "ǔ": "u", "ù": "u", "ǖ": "v", "ǘ": "v",
    "ǚ": "v", "ǜ": "v", "ü": "v", "ń": "n", "ň": "n", "ǹ": "n", "ḿ": "m", "ê": "e", "ế": "e", "ề": "e",
})


_LATIN_SINGLE = _table(_LATIN_SINGLE_MAP)
_TONES = _table(_TONES_MAP)


class Converter(Protocol):
    """The part of an OpenCC converter we use."""

    def convert(self, text: str) -> str:
        """Converted text."""
        ...


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block or extensions A-F)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2EBEF
        or 0xF900 <= cp <= 0xFAFF
    )


def has_cjk(s: str) -> bool:
    """True when `s` holds at least one CJK ideograph."""
    return any(is_cjk(ch) for ch in s)


def _is_separator(ch: str) -> bool:
    """Punctuation, symbols, whitespace and control characters separate words."""
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "PZC" or cat in ("Sk", "Sm", "So")


@functools.cache
def t2s_table() -> _Table:
    """Traditional -> simplified, one character to one, from OpenCC's TSCharacters dictionary."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table = _Table()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            simple = parts[1].split(" ")[0]
            if len(simple) == 1 and simple != parts[0]:
                table[ord(parts[0])] = simple
    return table


def _scanned_ranges() -> Iterable[int]:
    yield from range(0x10000)  # the BMP
    yield from range(0x1F000, 0x20000)  # emoji and pictographs
    yield from range(0xE0000, 0xE0080)  # tag characters


@functools.cache
def _fold_table() -> _Table:
    """One translate table: case folding, traditional -> simplified, separators -> space."""
    table = _FoldTable()
    for cp in _scanned_ranges():
        ch = chr(cp)
        if _is_separator(ch):
            table[cp] = " "
        else:
            folded = ch.casefold()
            if folded != ch:
                table[cp] = folded
    table.update(t2s_table())
    return table


@functools.cache
def _case_table() -> _Table:
    """The fold table without traditional -> simplified."""
    t2s = t2s_table()
    out = _FoldTable()
    out.update({cp: v for cp, v in _fold_table().items() if t2s.get(cp, chr(cp)) == chr(cp)})
    return out


def _translate(s: str, table: dict[int, str]) -> str:
    s = unicodedata.normalize("NFKC", s).translate(table)
    for _ in range(3):  # casefold and NFKC do not always commute; rare, converges at once
        if unicodedata.is_normalized("NFKC", s):
            break
        s = unicodedata.normalize("NFKC", s).translate(table)
    return s


def fold_text(s: str, simplify: bool = True) -> str:
    """Width/case/punctuation folding, optionally traditional -> simplified; a fixed point."""
    return " ".join(_translate(s, _fold_table() if simplify else _case_table()).split())


def normalize_text(s: str) -> str:
    """NFKC, traditional -> simplified, casefold; punctuation and whitespace runs become one space."""
    return " ".join(_translate(s, _fold_table()).split())


def compact(s: str) -> str:
    """normalize_text() without any spaces, the form marks are compared in."""
    return "".join(_translate(s, _fold_table()).split())


def normalized_and_traditional(s: str) -> tuple[str, str]:
    """(normalize_text(s), the same without traditional -> simplified) in one pass (same lengths)."""
    unsimplified = " ".join(_translate(s, _case_table()).split())
    return unsimplified.translate(t2s_table()), unsimplified


# -- whole batches at once -----------------------------------------------------------------
#
# str.translate costs ~0.1-0.3 µs a character; a batch is instead encoded once as UTF-32
# and mapped through lookup arrays in numpy (nanoseconds a character), then split again.

_UNITS = 0x110000
_DELIM = "\x00"  # joins a batch; mapped to itself, never produced by a mapping


@functools.cache
def _fold_array() -> npt.NDArray[np.uint32]:
    """Code point -> code point: separators -> space, traditional -> simplified (after NFKC and casefold)."""
    arr = np.arange(_UNITS, dtype=np.uint32)
    for cp, value in _fold_table().items():
        if len(value) == 1:
            arr[cp] = ord(value)
    arr[0] = 0
    return arr


_SPACES = re.compile(r"\s+")  # the characters str.split() splits on (both use Py_UNICODE_ISSPACE)

# Blocks whose characters' NFKC forms are single other characters (full-width forms, the ideographic space,
# CJK compatibility ideographs, circled and parenthesised forms that map to one character, ...).
_NFKC_PREMAP_BLOCKS = ((0x00A0, 0x33FF), (0xF900, 0xFFEF))


@functools.cache
def _nfkc_single_array() -> npt.NDArray[np.uint32]:
    """Code point -> its NFKC form where that is one other character (in _NFKC_PREMAP_BLOCKS), else itself.

    Replacing a character by its NFKC form never changes a text's NFKC: both have the same compatibility
    decomposition, so the text's NFKD (and hence NFKC) is the same. It only spares `unicodedata.normalize` its
    slow path: a title with one full-width comma fails the quick check and is decomposed and recomposed whole
    (~150 ns a character); mapped first, it passes the check.
    """
    arr = np.arange(_UNITS, dtype=np.uint32)
    for lo, hi in _NFKC_PREMAP_BLOCKS:
        for cp in range(lo, hi + 1):
            value = unicodedata.normalize("NFKC", chr(cp))
            if len(value) == 1 and value != chr(cp):
                arr[cp] = ord(value)
    return arr


def nfkc_premapped(joined: str) -> str:
    """`joined` with every character whose NFKC form is one other character replaced by it (the same NFKC, a
    string mostly through the quick check); a whole batch at a time, in numpy. _DELIM stays itself."""
    return _map_joined(joined, _nfkc_single_array())



def _nfkc_casefold_joined(texts: Sequence[str]) -> str | None:
    """NFKC then casefold of every text, joined by _DELIM; None when a text holds the delimiter.

    Normalised one text at a time: the delimiter is a starter nothing composes with, so this is the
    joined batch normalised at once, but a title that is already NFKC (nearly all) costs only the
    quick check instead of the whole batch being decomposed and recomposed for one full-width title.
    """
    joined = _DELIM.join([unicodedata.normalize("NFKC", t) for t in texts]).casefold()
    return joined if joined.count(_DELIM) == len(texts) - 1 else None


def _map_joined(joined: str, array: npt.NDArray[np.uint32]) -> str:
    units = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return array[units].tobytes().decode("utf-32-le", "surrogatepass")


@functools.cache
def _spaces_only(which: str) -> bool:
    """True when the mapping array (`fold` or `case`) turns every whitespace character into a plain space and
    makes no other whitespace: then its output's only whitespace is " " (no regex needed to collapse it)."""
    array = _fold_array() if which == "fold" else _case_array()
    # every whitespace character of Unicode lies below U+3001 (U+3000 IDEOGRAPHIC SPACE is the last)
    spaces = np.array([cp for cp in range(0x3001) if chr(cp).isspace()], dtype=np.uint32)
    return bool((array[spaces] == 32).all() and not np.isin(array, spaces[spaces != 32]).any())


def _split_spaced(joined: str, spaces_only: bool) -> list[str]:
    """`" ".join(part.split())` of every _DELIM-separated part, in a few passes over the whole batch."""
    if spaces_only:
        single = joined
        while "  " in single:
            single = single.replace("  ", " ")
    else:
        single = _SPACES.sub(" ", joined)
    single = single.replace(" " + _DELIM, _DELIM).replace(_DELIM + " ", _DELIM)
    return single.strip(" ").split(_DELIM)


def normalize_batch(texts: Sequence[str]) -> list[str]:
    """normalize_text() of every text (the same results), a whole batch at a time."""
    if not texts:
        return []
    folded = _nfkc_casefold_joined(texts)
    if folded is None:
        return [normalize_text(t) for t in texts]
    mapped = _map_joined(folded, _fold_array())
    if unicodedata.is_normalized("NFKC", mapped):
        return _split_spaced(mapped, _spaces_only("fold"))
    out = []
    for original, m in zip(texts, mapped.split(_DELIM), strict=True):
        if not unicodedata.is_normalized("NFKC", m):
            out.append(normalize_text(original))  # casefold broke NFKC: rare, take the careful path
        else:
            out.append(" ".join(m.split()))
    return out


@functools.cache
def _case_array() -> npt.NDArray[np.uint32]:
    """_fold_array() without traditional -> simplified."""
    arr = np.arange(_UNITS, dtype=np.uint32)
    for cp, value in _case_table().items():
        if len(value) == 1:
            arr[cp] = ord(value)
    arr[0] = 0
    return arr


def normalize_batch_both(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """(normalize_batch(texts), the same without traditional -> simplified) — same lengths, one pass each."""
    if not texts:
        return [], []
    folded = _nfkc_casefold_joined(texts)
    if folded is None:
        return ([normalize_text(t) for t in texts],
                [" ".join(_translate(t, _case_table()).split()) for t in texts])
    simple, kept = _map_joined(folded, _fold_array()), _map_joined(folded, _case_array())
    if unicodedata.is_normalized("NFKC", simple):  # every part is (the delimiter is a stable starter)
        return _split_spaced(simple, _spaces_only("fold")), _split_spaced(kept, _spaces_only("case"))
    out_s, out_k = [], []
    for original, a, b in zip(texts, simple.split(_DELIM), kept.split(_DELIM), strict=True):
        if not unicodedata.is_normalized("NFKC", a):
            out_s.append(normalize_text(original))
            out_k.append(" ".join(_translate(original, _case_table()).split()))
        else:
            out_s.append(" ".join(a.split()))
            out_k.append(" ".join(b.split()))
    return out_s, out_k


@functools.cache
def _code_arrays() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Code point -> pinyin code (primary reading), -> pinyin code (second reading), -> glyph group (from the
    shipped tables, see code_tables; computed when they do not match the installed sources)."""
    from regional.detection import code_tables

    tables = code_tables.shipped()
    if tables is None:
        return _code_arrays_computed()
    sound = np.arange(_UNITS, dtype=np.uint32)
    second = sound.copy()
    # the syllables' codes assigned here, in the order the computation first meets them: the same codes
    codes = np.array([ord(_syllable_code(s)) for s in tables["syllables"].tobytes().decode().split("\n")],
                     dtype=np.uint32)
    where = tables["pinyin_cp"].astype(np.int64)
    sound[where] = codes[tables["pinyin_first"]]
    second[where] = codes[tables["pinyin_second"]]
    shape = np.arange(_UNITS, dtype=np.uint32)
    shape[tables["shape_cp"].astype(np.int64)] = tables["shape_rep"]
    return sound, second, shape


def _code_arrays_computed() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """_code_arrays() from the pinyin dictionary and the glyph tables."""
    sound = np.arange(_UNITS, dtype=np.uint32)
    second = sound.copy()
    # syllables get their codes in the order the characters first bring them; the arrays filled in one assignment each
    cps: list[int] = []
    firsts: list[int] = []
    seconds: list[int] = []
    for cp, first, second_reading in reading_pairs():
        cps.append(cp)
        firsts.append(ord(_syllable_code(first)))
        seconds.append(ord(_syllable_code(second_reading)))
    where = np.array(cps, dtype=np.int64)
    sound[where] = np.array(firsts, dtype=np.uint32)
    second[where] = np.array(seconds, dtype=np.uint32)
    shape = np.arange(_UNITS, dtype=np.uint32)
    groups = _lookalike_index()
    shape[np.fromiter(groups.keys(), dtype=np.int64, count=len(groups))] = np.fromiter(
        (ord(rep) for rep in groups.values()), dtype=np.uint32, count=len(groups))
    return sound, second, shape


def code_batch(compacts: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """sound_string(), sound_string_second() and shape_string() of every text, a whole batch at a time."""
    sound, second, shape = _code_arrays()
    joined = _DELIM.join(compacts)
    if not compacts or joined.count(_DELIM) != len(compacts) - 1:
        return ([sound_string(t) for t in compacts], [sound_string_second(t) for t in compacts],
                [shape_string(t) for t in compacts])
    units = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    def through(array: npt.NDArray[np.uint32]) -> list[str]:
        return array[units].tobytes().decode("utf-32-le", "surrogatepass").split(_DELIM)

    return through(sound), through(second), through(shape)


def latin_skeleton_of(normalised: str) -> str:
    """The visual skeleton of already normalised text (see latin_skeleton)."""
    s = normalised
    for seq, repl in _LATIN_MULTI:
        if seq in s:
            s = s.replace(seq, repl)
    return s.translate(_LATIN_SINGLE)


def latin_skeleton_single(normalised: str) -> str:
    """The visual skeleton with single-letter confusables only (no rn->m, vv->w, cl->d)."""
    return normalised.translate(_LATIN_SINGLE)


def latin_skeleton(s: str) -> str:
    """normalize_text() with Latin confusables merged (0->o, 1/l/i->l, rn->m, vv->w)."""
    return latin_skeleton_of(normalize_text(s))


def latin_phonetic(skeleton: str) -> str:
    """A sound-alike key of a skeleton: ph->f, c/q->k (c before e/y -> s), z->s, doubled letters once."""
    s = _phonetic_letters(skeleton)
    if len(s) > 3 and s[-1] == "e":  # a silent final e (Nestle / Nestl)
        s = s[:-1]
    return s


def _phonetic_letters(s: str) -> str:
    for seq, repl in _PHONETIC_MULTI:
        if seq in s:
            s = s.replace(seq, repl)
    if "lte" in s:  # -ite- inside a word sounds as -ight- (NITECORE / NIGHTCORE; the skeleton's i is l)
        s = _INNER_ITE.sub("lt", s)
    return _DOUBLED.sub(r"\1", s.translate(_PHONETIC_SINGLE))


def latin_phonetic_joined(skeletons: str) -> str:
    """latin_phonetic() of each non-empty part of `skeletons` joined by "\\x00" (no pattern holds it; the
    letters of one part are never doubled with the next's), the parts joined the same way."""
    return "\x00".join(s[:-1] if len(s) > 3 and s[-1] == "e" else s
                        for s in _phonetic_letters(skeletons).split("\x00"))


# -- pinyin ------------------------------------------------------------------------------


@functools.cache
def _pinyin_data() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@functools.lru_cache(maxsize=65536)
def char_readings(ch: str) -> frozenset[str]:
    """Every toneless reading of one character (heteronyms included); the char itself if none."""
    if len(ch) != 1 or not is_cjk(ch):
        return frozenset((ch,))
    raw = _pinyin_data().get(ord(ch))
    if not raw:
        return frozenset((ch,))
    return frozenset(r.translate(_TONES) for r in raw.split(","))


@functools.lru_cache(maxsize=65536)
def primary_reading(ch: str) -> str:
    """The most common toneless reading of a character (the first pypinyin lists), or the char."""
    if len(ch) != 1 or not is_cjk(ch):
        return ch
    raw = _pinyin_data().get(ord(ch))
    return raw.split(",")[0].translate(_TONES) if raw else ch


# A character's other readings count (as its "second reading" in the code tables, and as a reading a title may write
# in Latin letters) only when they are real, common readings: read so in at least this many phrases of pypinyin's
# phrase dictionary. pypinyin's character dictionary lists every reading any source knows — 王 'wáng,wàng,yù' (yù as
# the 玉 radical), 于 'yú,wéi,yū,xū', 万 'wàn,mò' — and a rare one made every yu-character a homophone of 王 (深海鱼油
# "sounds like" 海王). The phrase dictionary (pypinyin.phrases_dict, ~47,000 phrases; it holds the phrases whose
# reading differs from character-by-character lookup) reads 行 as háng in 111 phrases (银行), 长 as cháng in 407,
# 重 as chóng in 185, 乐 as yuè in 74, 地 as de in 2 (一步步地); 王 as yù in none. A reading met in one phrase only is
# nearly always a name, a transliteration or a classical one-off (万俟, 南无, 冒顿), so two phrases — or one phrase that
# is a common word (COMMON_READINGS, session 22: 咖 gā of 咖喱, 秘 bì of 秘鲁, 六 lù of 六安, 番 pān of 番禺; the one
# phrase counted at least build_common_readings.JIEBA_MIN times in jieba's dictionary). A reading no phrase holds (王
# yù) never counts.
PHRASE_MIN = 2
COMMON_READINGS = "data/common_readings.tsv"


@functools.cache
def _one_phrase_common() -> frozenset[tuple[str, str]]:
    """(character, toneless reading) pairs read so in one phrase only, a common word (common_readings.tsv)."""
    text = resources.files("regional").joinpath(COMMON_READINGS).read_text(encoding="utf-8")
    return frozenset(tuple(line.split("\t")[:2]) for line in text.splitlines()  # type: ignore[misc]
                     if line and not line.startswith("#"))


@functools.cache
def _phrase_reading_counts() -> dict[tuple[str, str], int]:
    """(character, toneless reading) -> the number of phrases of pypinyin's phrase dictionary that read it so."""
    from pypinyin.phrases_dict import phrases_dict

    counts: dict[tuple[str, str], int] = {}
    for phrase, readings in phrases_dict.items():
        if len(phrase) != len(readings):
            continue
        for ch, options in zip(phrase, readings, strict=True):
            for reading in {o.translate(_TONES) for o in options}:
                counts[ch, reading] = counts.get((ch, reading), 0) + 1
    return counts


def _phrase_count(ch: str, reading: str) -> int:
    """How many phrases read `ch` (or its simplified form) as `reading`."""
    counts = _phrase_reading_counts()
    simple = t2s_table().get(ord(ch), ch)
    return counts.get((ch, reading), 0) + (counts.get((simple, reading), 0) if simple != ch else 0)


def _is_common(ch: str, reading: str) -> bool:
    """`reading` of `ch` (or of its simplified form) counts: read so in at least PHRASE_MIN phrases, or in one phrase
    that is a common word (COMMON_READINGS)."""
    if _phrase_count(ch, reading) >= PHRASE_MIN:
        return True
    extra = _one_phrase_common()
    return (ch, reading) in extra or (t2s_table().get(ord(ch), ch), reading) in extra


def _common_readings_of(ch: str, raw: str) -> list[str]:
    """The toneless readings of `ch` (pypinyin's raw reading list `raw`) that count: the primary one first, then every
    other one that is common (_is_common), in pypinyin's order."""
    readings = unique(r.translate(_TONES) for r in raw.split(","))
    return readings[:1] + [r for r in readings[1:] if _is_common(ch, r)]


@functools.lru_cache(maxsize=65536)
def common_readings(ch: str) -> frozenset[str]:
    """char_readings() without the rare ones (see PHRASE_MIN): the primary reading and every common other one."""
    if len(ch) != 1 or not is_cjk(ch):
        return frozenset((ch,))
    raw = _pinyin_data().get(ord(ch))
    return frozenset(_common_readings_of(ch, raw)) if raw else frozenset((ch,))


def _first_and_second(cp: int, raw: str) -> tuple[str, str]:
    """A character's primary toneless reading and its second one: the first other reading that counts (see
    PHRASE_MIN), else the primary again."""
    if "," not in raw:
        first = raw.translate(_TONES)
        return first, first
    readings = _common_readings_of(chr(cp), raw)
    return readings[0], readings[1] if len(readings) > 1 else readings[0]


def reading_pairs() -> Iterable[tuple[int, str, str]]:
    """(code point, primary reading, second reading) of every Chinese character of the pinyin dictionary, in its
    order — what the code tables hold (normalize._code_arrays, code_tables)."""
    for cp, raw in _pinyin_data().items():
        if is_cjk(chr(cp)):
            yield (cp, *_first_and_second(cp, raw))


def pinyin_syllables(s: str) -> list[str]:
    """Toneless pinyin, one syllable per Chinese character; Latin runs kept as single tokens."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for token in lazy_pinyin(normalize_text(s), errors="default"):
        out.extend(t for t in token.split(" ") if t)
    return out


def pinyin_key(s: str) -> str:
    """Toneless pinyin of `s`, syllables joined by spaces (e.g. '康师傅' -> 'kang shi fu')."""
    return " ".join(pinyin_syllables(s))


def pinyin_initials(s: str) -> str:
    """First letter of each pinyin syllable (e.g. '康师傅' -> 'ksf')."""
    return "".join(syl[0] for syl in pinyin_syllables(s) if syl)


def same_sound(a: str, b: str) -> bool:
    """True when two characters share a toneless reading."""
    return bool(char_readings(a) & char_readings(b))


_SYLLABLES: dict[str, str] = {}


def _syllable_code(syllable: str) -> str:
    found = _SYLLABLES.get(syllable)
    if found is None:
        found = _SYLLABLES[syllable] = chr(0xF0000 + len(_SYLLABLES))  # plane-15 private use
    return found


class _SoundCodes(dict[int, str]):
    """Lazy translate table: a CJK character -> the code of its primary (or its second) toneless reading."""

    def __init__(self, second: bool = False) -> None:
        super().__init__()
        self.second = second

    def code(self, syllable: str) -> str:
        return _syllable_code(syllable)

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        if not is_cjk(ch) or cp not in _pinyin_data():
            value = ch
        elif self.second:
            value = _syllable_code(_first_and_second(cp, _pinyin_data()[cp])[1])
        else:
            value = _syllable_code(primary_reading(ch))
        self[cp] = value
        return value


def nz_unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@functools.cache
def _sound_codes(second: bool = False) -> _SoundCodes:
    return _SoundCodes(second)


def sound_string(text: str) -> str:
    """`text` with each Chinese character replaced by a code of its primary reading (same length)."""
    return text.translate(_sound_codes())


def sound_string_second(text: str) -> str:
    """sound_string() with each character of several common readings read its second way (地 as de, 长 as chang; 王
    stays wang: its yù is no common reading, see PHRASE_MIN)."""
    return text.translate(_sound_codes(True))


def sound_variants(text: str, limit: int = 8) -> list[str]:
    """sound_string() of every combination of readings of `text`'s characters (at most `limit`)."""
    codes = _sound_codes()
    out = [""]
    for ch in text:
        options = [codes.code(r) for r in sorted(char_readings(ch), key=lambda r: r != primary_reading(ch))] \
            if is_cjk(ch) else [ch]
        out = [o + c for o in out for c in options][:limit]
    return out


# -- glyph look-alikes ----------------------------------------------------------------------


@functools.cache
def glyph_table() -> dict[str, dict[str, int]]:
    """Character -> {look-alike: score 0-100} from the shipped tables (glyph shapes, then components; symmetric)."""
    traditional = t2s_table()
    table: dict[str, dict[str, int]] = {}
    for name in (GLYPH_TABLE, COMPONENT_TABLE):
        text = resources.files("regional").joinpath(name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            ch, _, rest = line.partition("\t")
            if traditional.get(ord(ch), ch) != ch:
                continue  # titles are compared after traditional -> simplified: this form never appears
            neighbours = table.setdefault(ch, {})
            for item in rest.split():
                other, _, score = item.rpartition(":")
                if int(score) >= LOOKALIKE_MIN_SCORE and traditional.get(ord(other), other) == other:
                    neighbours[other] = max(int(score), neighbours.get(other, 0))
    return table


_RADICAL_KINDS = frozenset({"a", "sbl", "stl"})  # left | right, 辶 廴 around the bottom left, 广 疒 厂 over the top left


@functools.cache
def glyph_frames() -> dict[str, tuple[int, int]]:
    """Character -> (frame id of its first component at its place, of its second), ids from 1 (glyph_frames.tsv).

    Two characters share a frame when one of the ids is the same: the same configuration and the same
    component at the same place (锅 a(钅,呙) / 锣 a(钅,罗)). Traditional forms are left out (titles are folded)."""
    traditional = t2s_table()
    ids: dict[tuple[str, int, str], int] = {}
    out: dict[str, tuple[int, int]] = {}
    text = resources.files("regional").joinpath(FRAME_TABLE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        ch, kind, first, second = line.split("\t")
        if traditional.get(ord(ch), ch) != ch:
            continue
        # a radical beside or around the same phonetic part (话 a(讠,舌) / 适 sbl(辶,舌)): one frame, any of the
        # three ways a radical holds it
        side = "radical" if kind in _RADICAL_KINDS else kind
        out[ch] = (ids.setdefault((kind, 0, first), len(ids) + 1), ids.setdefault((side, 1, second), len(ids) + 1))
    return out


@functools.cache
def split_forms() -> dict[str, tuple[str, str]]:
    """Character -> its two components side by side, when the character is drawn as one beside the other and both are
    characters of their own (明 → 日 月, 好 → 女 子, 硕 → 石 页; glyph_frames.tsv, configuration a): a mark's character
    a title writes as two (日月治 for 明治, 女子丽友 for 好丽友). Traditional forms are left out (titles are folded)."""
    traditional = t2s_table()
    out: dict[str, tuple[str, str]] = {}
    text = resources.files("regional").joinpath(FRAME_TABLE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        ch, kind, first, second = line.split("\t")
        if kind == "a" and traditional.get(ord(ch), ch) == ch and len(first) == 1 == len(second) \
                and is_cjk(first) and is_cjk(second):
            out[ch] = (first, second)
    return out


def share_frame(a: str, b: str) -> bool:
    """Two different characters built the same way with the same component at the same place (锅/锣, 室/宝)."""
    if a == b:
        return False
    frames = glyph_frames()
    fa, fb = frames.get(a), frames.get(b)
    return fa is not None and fb is not None and (fa[0] == fb[0] or fa[1] == fb[1])


@functools.cache
def part_homophones() -> frozenset[tuple[str, str]]:
    """Every (character, character) pair, both ways, of one character and a first-level component of it (as
    glyph_frames.tsv decomposes it: 草 -> 卄, 早; 荒 -> 芒, …) that share a reading of pypinyin's character
    dictionary only through a rare one (草 zào, 芒 huāng; pairs of a common reading in common, 铝 吕, are homophones
    anyway).

    Written as its own part and read as one of its readings, a character is a sound-alike by its shape (百早味 for
    百草味, 北大芒 for 北大荒), where a rare reading alone is none (王 yù, 鱼 yú: see PHRASE_MIN)."""
    out: set[tuple[str, str]] = set()
    text = resources.files("regional").joinpath(FRAME_TABLE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        ch, _kind, first, second = line.split("\t")
        for part in (first, second):
            if len(part) == 1 and part != ch and is_cjk(part) and char_readings(ch) & char_readings(part) \
                    and not common_readings(ch) & common_readings(part):  # (铝 吕: homophones already)
                out.update(((ch, part), (part, ch)))
    return frozenset(out)


def part_homophone(a: str, b: str) -> bool:
    """`a` written as a component of `b`, or `b` of `a`, with a reading in common (see part_homophones)."""
    return (a, b) in part_homophones()


CHINESE_WORDS = "data/chinese_common.tsv"


@functools.cache
def chinese_words() -> frozenset[str]:
    """About 61,000 ordinary Chinese words of two or three characters, simplified (jieba's dictionary without
    proper nouns, and pypinyin's phrases; see build_chinese_words)."""
    text = resources.files("regional").joinpath(CHINESE_WORDS).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_chinese_word(text: str) -> bool:
    """`text` is an ordinary word of two or three characters (洋酒, 海洋, 每天), not a made-up name."""
    return text in chinese_words()


CHINESE_PHRASES = "data/chinese_phrases.tsv"


@functools.cache
def chinese_phrases() -> frozenset[str]:
    """About 38,000 ordinary phrases longer than chinese_words' — four-character words, idioms and titles (英雄本色,
    和颜悦色) — and three-character idioms it leaves out (喜临门); see build_chinese_words."""
    text = resources.files("regional").joinpath(CHINESE_PHRASES).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@functools.cache
def _words_and_phrases() -> frozenset[str]:
    return chinese_words() | chinese_phrases()


def is_chinese_phrase(text: str) -> bool:
    """`text` is an ordinary word or phrase of two to four characters (chinese_words or chinese_phrases)."""
    return text in _words_and_phrases()


def glyph_score(a: str, b: str) -> int:
    """How alike two characters look, 0-100 (0: not listed as look-alikes; 100 for the same character)."""
    if a == b:
        return 100
    return glyph_table().get(a, {}).get(b, 0)


@functools.cache
def _lookalike_index() -> _Table:
    """Translate table: character -> representative of its shape group (a small, tight partition); from the
    shipped tables (code_tables) when they match the installed sources."""
    from regional.detection import code_tables

    tables = code_tables.shipped()
    if tables is None:
        return _lookalike_index_computed()
    return _table(dict(zip(tables["shape_cp"].tolist(), map(chr, tables["shape_rep"].tolist()), strict=True)))


def _lookalike_index_computed() -> _Table:
    """_lookalike_index() from the glyph tables."""
    table = glyph_table()
    pairs = sorted(((s, a, b) for a, ns in table.items() for b, s in ns.items() if a < b and s >= _GROUP_MIN_SCORE),
                   reverse=True)
    parent: dict[str, str] = {}
    size: dict[str, int] = {}

    def find(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    for _s, a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb and size.get(ra, 1) + size.get(rb, 1) <= _GROUP_MAX_SIZE:
            if ra > rb:
                ra, rb = rb, ra
            parent[rb] = ra
            size[ra] = size.get(ra, 1) + size.get(rb, 1)
    return _table({ord(ch): find(ch) for ch in parent if find(ch) != ch})


def shape_string(text: str) -> str:
    """`text` with each character replaced by its shape group's representative (same length)."""
    return text.translate(_lookalike_index())


def lookalike_canon(ch: str) -> str:
    """Representative of `ch`'s shape group, or `ch` itself."""
    return _lookalike_index().get(ord(ch), ch)


def are_lookalikes(a: str, b: str) -> bool:
    """True when two different characters look alike (listed in the glyph table)."""
    return a != b and glyph_score(a, b) > 0


@functools.lru_cache(maxsize=8192)
def lookalikes_of(ch: str) -> list[str]:
    """The look-alikes of `ch`, most alike first."""
    return [c for c, _s in sorted(glyph_table().get(ch, {}).items(), key=lambda x: (-x[1], x[0]))]


# -- ordinary English words -----------------------------------------------------------------

WORD_LIST = "data/english_common.tsv"


@functools.cache
def common_english_words() -> frozenset[str]:
    """About 10,000 ordinary English words (SCOWL levels 10 and 20; see build_wordlist), lower case."""
    text = resources.files("regional").joinpath(WORD_LIST).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


MORE_WORDS = "data/english_more.tsv"


@functools.cache
def more_english_words() -> frozenset[str]:
    """About 32,000 further English words (SCOWL levels 35 and 40 without 10 and 20: belly, mascot, cannon)."""
    text = resources.files("regional").joinpath(MORE_WORDS).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_english_word(token: str) -> bool:
    """`token` (lower case) is an English word of SCOWL levels 10 to 40."""
    return token in common_english_words() or token in more_english_words()


GLOSSES = "data/english_glosses.tsv"


@functools.cache
def english_glosses() -> dict[str, tuple[str, ...]]:
    """About 21,000 English words -> the Chinese words CC-CEDICT gives them as a whole definition (pelican: 鹈鹕, radio:
    收音机); see build_glosses."""
    text = resources.files("regional").joinpath(GLOSSES).read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, chinese = line.partition("\t")
            out[word] = tuple(chinese.split())
    return out


def glossed(token: str, text: str) -> bool:
    """The Latin word `token` (lower case) is written with its own Chinese meaning somewhere in `text` (Pelican 鹈鹕)."""
    return any(word in text for word in english_glosses().get(token, ()))


# -- misc -----------------------------------------------------------------------------------


def char_bigrams(s: str) -> set[str]:
    """Overlapping two-character substrings of `s` (the whole of `s` when shorter)."""
    if len(s) < 2:
        return {s} if s else set()
    return {s[i : i + 2] for i in range(len(s) - 1)}


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))


def _t2s() -> Converter:
    """A converter object over the table (kept for callers that want `.convert`)."""

    class _Table:
        def convert(self, text: str) -> str:
            return text.translate(t2s_table())

    return _Table()


# -- syllable sound key (Latin marks) ------------------------------------------------------
# A Double-Metaphone-like key of a whole Latin word, made from its letters (not the skeleton: i and l are told apart)
# by a small hand-written table: spellings of one sound merged syllable by syllable — ff/v/ph/f (a first v or w kept
# apart from f), ck/c/q/qu/kw/k, x/ks, z/tz/s, j/g, th/t, sh/sch/tch, silent h and final e, doubled letters — and vowel
# spellings merged into six classes: A (a ai ay ei ey ae), E (e), I (i y ee ea ie), O (o oa oe, oo before r),
# U (u oo ew eu), W (au aw ou ow). SMIRNOV and
# SMIRNOFF, GATORAID and GATORADE, TANKERAY and TANQUERAY share one key; ch is sh or k (CHAMBORD, BIANCHI): a mark has
# both keys (latin_syllable_keys), a word the sh one.
_SYLLABLE_FOLD = str.maketrans({
    "0": "o", "1": "i", "3": "e", "5": "s", "à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a", "æ": "ae",
    "ç": "s", "è": "e", "é": "e", "ê": "e", "ë": "e", "ì": "i", "í": "i", "î": "i", "ï": "i", "ñ": "n", "ò": "o",
    "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o", "ù": "u", "ú": "u", "û": "u", "ü": "u", "ý": "y", "ÿ": "y",
    "ß": "ss", "œ": "oe",
})
_SYLLABLE_CONSONANTS: tuple[tuple[str, str], ...] = (
    ("sch", "X"), ("tch", "X"), ("sh", "X"), ("igh", "i"), ("ph", "f"), ("gh", "g"), ("ck", "k"), ("cq", "k"),
    ("qu", "k"), ("kw", "k"), ("cw", "k"), ("x", "ks"), ("tz", "z"), ("dg", "g"), ("th", "t"), ("wh", "w"),
    ("ce", "se"), ("ci", "si"), ("cy", "sy"),
)
_SYLLABLE_VOWELS: tuple[tuple[str, str], ...] = (
    # ai/ei + a weak e before r is the one vowel (German -aier, -eier: DALLMAIER, MEIER as DALLMAYR, MAYR); -wear sounds
    # as -ware (RUFFWARE for RUFFWEAR, footwear, software) (tm24lat)
    ("aie", "A"), ("eie", "A"), ("wear", "wAr"),
    ("eau", "O"), ("oor", "Or"), ("aw", "W"), ("au", "W"), ("ow", "W"), ("ou", "W"), ("oo", "U"), ("ew", "U"),
    ("eu", "U"), ("ee", "I"), ("ea", "I"), ("ie", "I"), ("ai", "A"), ("ay", "A"), ("ei", "A"), ("ey", "A"),
    ("ae", "A"), ("oa", "O"), ("oe", "O"),
)
_SYLLABLE_SINGLE = str.maketrans({"c": "k", "j": "g", "z": "s", "h": None, "w": "f", "v": "f", "a": "A", "e": "E",
                                  "i": "I", "y": "I", "o": "O", "u": "U"})
_SYLLABLE_Y = re.compile(r"y(?=[aeiou])")
_SYLLABLE_DROP = re.compile(r"[^a-zA-Z]")


# The rules that look at a word's edges, written once for one word or for many words joined by NUL (a batch's title
# words: latin_syllable_key_all), so the word-by-word key and the batch pass cannot drift apart (they did once: the
# -que rule, 5a28d26). A word's start is the string's start or a NUL, its end a NUL or the string's end.
_WORD_START = r"(?:^|(?<=\x00))"
_WORD_END = r"(?:\x00|$)"
_SYLLABLE_DROP_JOINED = re.compile(r"[^a-zA-Z\x00]")
# a silent final e, also before a plural s (GATORADE, BLACKMORES), in a word of at least _SILENT_E_MIN_LETTERS letters
# (MAKE keeps its e), after one of these (pattern, letters it spans): a consonant, or qu (French -ique, -que:
# FREDERIQUE as FREDERICK)
_SILENT_E_MIN_LETTERS = 5
_SILENT_E_AFTER: tuple[tuple[str, int], ...] = (("[b-df-hj-np-tv-z]", 1), ("qu", 2))


def _silent_e_pattern() -> re.Pattern[str]:
    """_SILENT_E_AFTER as one regex over words joined by NUL: each context and each ending (e, es) one alternative whose
    fixed-width look-behind also holds the rest of the word's minimum length (letters only, so never across a NUL)."""
    alternatives = []
    for context, width in _SILENT_E_AFTER:
        for plural in ("", "s"):
            before = _SILENT_E_MIN_LETTERS - 1 - width - len(plural)  # the letters before the context
            alternatives.append(rf"(?<=[a-zA-Z]{{{before}}}{context}e)(?={plural}{_WORD_END})")
    return re.compile("e(?:" + "|".join(alternatives) + ")")  # the e first: the regex engine looks for it quickly


_SYLLABLE_SILENT_E = _silent_e_pattern()
_SYLLABLE_FIRST_VW = re.compile(_WORD_START + "[vw]")  # a first v or w is not f (Voumai is not Fouma)
_SYLLABLE_DOUBLED = re.compile(r"([^\x00])\1+")  # doubled letters, only within a word


def _syllable_rules(s: str, ch: str) -> str:
    """The syllable sound key of letters (after _SYLLABLE_FOLD and _SYLLABLE_DROP): one word, or words joined by NUL
    (then the keys joined by NUL: no rule writes or removes a NUL, none reaches across one)."""
    if len(s) >= _SILENT_E_MIN_LETTERS:
        s = _SYLLABLE_SILENT_E.sub("", s)
    if "ch" in s:
        if ch == "X":  # sch and tch are one sound, as sh (SHLEICH for SCHLEICH): before ch alone is read
            s = s.replace("sch", "X").replace("tch", "X")
        s = s.replace("ch", ch)
    for seq, repl in _SYLLABLE_CONSONANTS:
        if seq in s:
            s = s.replace(seq, repl)
    if "y" in s:  # y before a vowel is a consonant (YONEX, MAYA)
        s = _SYLLABLE_Y.sub("Y", s)
    for seq, repl in _SYLLABLE_VOWELS:
        if seq in s:
            s = s.replace(seq, repl)
    if "v" in s or "w" in s:
        s = _SYLLABLE_FIRST_VW.sub("V", s)
    return _SYLLABLE_DOUBLED.sub(r"\1", s.translate(_SYLLABLE_SINGLE))


def _syllable_letters(word: str) -> str:
    return _SYLLABLE_DROP.sub("", word.translate(_SYLLABLE_FOLD))


def _syllable_key(word: str, ch: str) -> str:
    return _syllable_rules(_syllable_letters(word), ch)


def latin_syllable_key_words(words: Sequence[str]) -> str:
    """The syllable sound key of a Latin mark of several words read as one word, each word's silent final e (and
    -que's) dropped first (FREDERIQUE CONSTANT as FREDERICK CONSTANT): the key a title's adjacent words joined into
    one token have (latin_syllable_key)."""
    joined = "\x00".join(_syllable_letters(word) for word in words)
    return _syllable_key(_SYLLABLE_SILENT_E.sub("", joined).replace("\x00", ""), "X")


@functools.lru_cache(maxsize=65536)
def latin_syllable_key(word: str) -> str:
    """The syllable sound key of a normalised Latin word (ch read as sh); see latin_syllable_keys."""
    return _syllable_key(word, "X")


def latin_syllable_key_all(words: Sequence[str]) -> list[str]:
    """latin_syllable_key() of every word, the rules applied once to the words joined by NUL (a batch's distinct title
    words: one pass instead of ~45 string operations per word); same keys, word by word (_syllable_rules)."""
    joined = "\x00".join(words)
    if len(words) < 2 or joined.count("\x00") != len(words) - 1:
        return [latin_syllable_key(w) for w in words]
    keys = _syllable_rules(_SYLLABLE_DROP_JOINED.sub("", joined.translate(_SYLLABLE_FOLD)), "X").split("\x00")
    if len(keys) != len(words):  # cannot happen (no step writes or removes a NUL): word by word then
        return [latin_syllable_key(w) for w in words]
    return keys


def latin_syllable_keys(word: str) -> tuple[str, ...]:
    """The syllable sound keys of a normalised Latin mark: ch read as sh (CHAMBORD: SHAMBORD) and, where it holds a ch,
    also as k (BIANCHI: BIANKI); where it holds an eu, also with eu read as oy, and a j also read as y, as German
    does (NEUHAUS: NOYHAUS, EUCERIN: OYSERIN — a title word's oy and oi key as OI —, JAGERMEISTER: YAGERMEISTER), and
    a zz also as ts, as Italian does (LAVAZZA: LAVATSA)."""
    spellings = [word]
    if "eu" in word:
        spellings.append(word.replace("eu", "oi"))
    if "zz" in word:  # Italian zz is ts (LAVATSA for LAVAZZA, PITSA for PIZZA)
        spellings += [w.replace("zz", "ts") for w in spellings]
    if "j" in word:
        spellings += [w.replace("j", "y") for w in spellings]
    readings = ("X", "k") if "ch" in word else ("X",)
    return tuple(dict.fromkeys(_syllable_key(w, ch) for ch in readings for w in spellings))
