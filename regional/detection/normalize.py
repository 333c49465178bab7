"""Text normalisation for mark matching: width, script, case, look-alikes and pinyin.

Everything here is pure and cheap to call; the OpenCC converter and the look-alike index
are built on first use, never at import time.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol

# Chinese characters that shoppers confuse at a glance, one group per line of confusion.
# Source: hand-made for the first detector from the look-alike pairs named in CNIPA and
# SAMR counterfeit-brand bulletins and press reports (康帅傅/康师傅, 雷碧/雪碧, 哇哈哈/娃哈哈,
# 大白免/大白兔, 粤利粤/奥利奥, 六个核排/六个核桃, 周住/雕牌 …) plus textbook 形近字 sets.
# Not exhaustive: the next issue replaces it with a glyph-similarity table.
LOOKALIKE_GROUPS: tuple[str, ...] = (
    "师帅",
    "雪雷",
    "康庚唐",
    "娃哇洼",
    "哈恰",
    "兔免",
    "奥粤澳",
    "桃排挑",
    "旺汪",
    "仔子",
    "吉古",
    "牛午",
    "鸟乌",
    "己已巳",
    "未末",
    "土士",
    "日曰",
    "大太犬",
    "人入八",
    "天夭",
    "千干于",
    "王玉主",
    "田由甲申",
    "贝见",
    "木本术",
    "白自",
    "力刀",
    "雕雖",
    "特持",
    "步涉",
    "宁丁",
    "美羡",
    "为办",
    "米来",
    "格恪",
    "安按",
    "踏蹋",
    "锐悦",
    "狼狠",
    "匹四",
    "碧璧",
    "李季",
    "达过",
    "晨辰",
    "传傅",
    "壳売",
    "爽夾",
)

_WORD_SEP = re.compile(r"\s+")

# Latin confusables, applied only by latin_skeleton(): multi-letter sequences first.
_LATIN_MULTI: tuple[tuple[str, str], ...] = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_LATIN_SINGLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "!": "l",
        "|": "l",
        "5": "s",
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
        "ο": "o",
        "ν": "v",
        "ι": "l",
        "κ": "k",
    }
)


class Converter(Protocol):
    """The part of an OpenCC converter we use."""

    def convert(self, text: str) -> str:
        """Converted text."""
        ...


@functools.cache
def _t2s() -> Converter:
    """The OpenCC traditional -> simplified converter, created once on first use."""
    import opencc

    return opencc.OpenCC("t2s")


def _is_separator(ch: str) -> bool:
    """Punctuation, symbols, whitespace and control characters separate words."""
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "PZC" or cat in ("Sk", "Sm", "So")


def _fold_once(s: str, simplify: bool) -> str:
    s = unicodedata.normalize("NFKC", s)
    if simplify:
        s = _t2s().convert(s)
    s = unicodedata.normalize("NFKC", s.casefold())
    s = "".join(" " if _is_separator(ch) else ch for ch in s)
    return _WORD_SEP.sub(" ", s).strip()


def fold_text(s: str, simplify: bool = True) -> str:
    """Width/case/punctuation folding, optionally traditional -> simplified; a fixed point."""
    # Casefold and NFKC do not always commute; iterate (it converges in one or two rounds).
    for _ in range(4):
        folded = _fold_once(s, simplify)
        if folded == s:
            break
        s = folded
    return s


def normalize_text(s: str) -> str:
    """NFKC, traditional -> simplified, casefold; punctuation and whitespace runs become one space."""
    return fold_text(s, simplify=True)


def compact(s: str) -> str:
    """normalize_text() without any spaces, the form marks are compared in."""
    return normalize_text(s).replace(" ", "")


def latin_skeleton(s: str) -> str:
    """normalize_text() with Latin confusables merged (0->o, 1/l/i->l, rn->m, vv->w)."""
    s = normalize_text(s)
    for seq, repl in _LATIN_MULTI:
        s = s.replace(seq, repl)
    return s.translate(_LATIN_SINGLE)


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


@functools.lru_cache(maxsize=65536)
def char_readings(ch: str) -> frozenset[str]:
    """Every toneless reading of one character (heteronyms included); the char itself if none."""
    if not is_cjk(ch):
        return frozenset((ch,))
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="default")
    flat = {r for group in readings for r in group if r}
    return frozenset(flat) or frozenset((ch,))


@functools.cache
def _lookalike_index() -> dict[str, str]:
    """Character -> representative of its look-alike class (groups sharing a char are merged)."""
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            ch = parent[ch]
        return ch

    for group in LOOKALIKE_GROUPS:
        # titles are compared after traditional -> simplified, so the table must be too (雖 -> 虽)
        members = unique(compact(ch) or ch for ch in group)
        for ch in members[1:]:
            parent[find(ch)] = find(members[0])
    return {ch: find(ch) for ch in parent}


def lookalike_canon(ch: str) -> str:
    """Representative of `ch`'s look-alike group, or `ch` itself."""
    return _lookalike_index().get(ch, ch)


def are_lookalikes(a: str, b: str) -> bool:
    """True when two different characters are listed as look-alikes of each other."""
    return a != b and lookalike_canon(a) == lookalike_canon(b)


@functools.lru_cache(maxsize=4096)
def lookalikes_of(ch: str) -> list[str]:
    """The other characters of `ch`'s look-alike class, in table order."""
    canon = lookalike_canon(ch)
    return unique(c for group in LOOKALIKE_GROUPS for c in group if c != ch and lookalike_canon(compact(c) or c) == canon)


def same_sound(a: str, b: str) -> bool:
    """True when two characters share a toneless reading."""
    return bool(char_readings(a) & char_readings(b))


def char_bigrams(s: str) -> set[str]:
    """Overlapping two-character substrings of `s` (the whole of `s` when shorter)."""
    if len(s) < 2:
        return {s} if s else set()
    return {s[i : i + 2] for i in range(len(s) - 1)}


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))
