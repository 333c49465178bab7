"""Build the list of ordinary Chinese words of two and three characters (regional/data/chinese_common.tsv) once, offline.

    pip download --no-deps jieba==0.42.1 -d /tmp/jieba && tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
    python -m regional.detection.build_chinese_words --jieba /tmp/jieba/jieba-0.42.1/jieba/dict.txt

(dict.txt of that sdist: 349,046 lines, sha256 7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8;
the shipped list was made from it with pypinyin 0.55.0.)

Two inputs, both MIT-licensed:

- jieba 0.42.1's main dictionary (dict.txt: 349,046 words with a corpus count and a part-of-speech tag;
  Copyright (c) 2013 Sun Junyi, MIT licence, as shipped in the PyPI package jieba 0.42.1): the words of two or
  three Chinese characters counted at least MIN_COUNT times; those with a proper-noun tag (nr person, nrt/nrfg
  transliterated or foreign names, ns place, nt organisation, nz other proper noun) only when counted at least
  PROPER_MIN_COUNT times — a brand is a proper noun, so 华为 (373) or 安踏 is no "ordinary word" here, while the
  tagger's many common words under those tags (海洋 ns 4,068, 福利, 沙发, 过敏) and very common place names
  are. jieba's tags are a tagger's, not a lexicographer's: some brands slip through as common nouns (茅台, 格力),
  which does no harm for what the list is used for (below).
- pypinyin's phrase dictionary (pypinyin.constants.PHRASES_DICT, installed with the project; MIT): its two- and
  three-character phrases. It holds only phrases whose reading differs from character-by-character lookup
  (~47,000 of all lengths), so many ordinary words (海洋, 每天, 公主) are missing from it alone.

Words are folded to simplified characters (titles are compared after folding) and kept only when every
character is in the CJK unified block. The trademark model reads the list through
`normalize.is_chinese_word`: a title window that is an ordinary word and differs from a two- or
three-character registered mark by a look-alike or frame swap (洋酒 beside 洋河, 每天 beside 海天) is weak
evidence of imitation — kept only when the listing is in the mark's goods class (and, for a frame swap, also
priced far below the typical price): docs/detection.md, "Ordinary words". No brand or knock-off was added or
removed by hand.

The same run writes regional/data/chinese_phrases.tsv (session 18): ordinary phrases **longer** than the word list's
— four-character words of jieba's dictionary (idioms, tag i, counted at least IDIOM_MIN_COUNT times; other words
counted at least MIN_COUNT times, not tagged nr/nrt/nrfg/nt/nz: persons, organisations and other proper nouns, where
brands sit; place-tagged words are kept, as the tagger files titles and set phrases such as 英雄本色 there) and
pypinyin's four-character phrases — and the three-character idioms (tag i, counted at least IDIOM_MIN_COUNT times)
the word list leaves out for their low counts (喜临门, 3). `normalize.is_chinese_phrase` reads it: a mark that starts
or ends such a phrase in one title word is that phrase (英雄本色 is no use of 英雄), a mark the title's ordinary words
cross is none (周六福利: 周六 + 福利), and a well-known mark that is an idiom is an ordinary phrase on goods that carry
words (喜临门 on couplets): docs/detection.md, "Longer words and registered names (session 18)".
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "chinese_common.tsv"
MIN_COUNT = 20
PROPER_MIN_COUNT = 500
PROPER_NOUN_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
PHRASES_OUT = OUT.parent / "chinese_phrases.tsv"
IDIOM_MIN_COUNT = 3
PHRASE_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "nt", "nz"})
_FOUR = re.compile(r"^[\u4e00-\u9fff]{4}$")
_THREE = re.compile(r"^[\u4e00-\u9fff]{3}$")
_NOTICE = """jieba: The MIT License (MIT). Copyright (c) 2013 Sun Junyi.
pypinyin: The MIT License (MIT). Copyright (c) 2016 mozillazg, 闲耘 <hotoo.cn@gmail.com>.
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions: The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY
KIND, EXPRESS OR IMPLIED."""


def jieba_words(path: Path, min_count: int = MIN_COUNT) -> set[str]:
    """jieba dictionary words of two or three CJK characters, counted >= min_count (proper nouns >= PROPER_MIN_COUNT)."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        word, count, tag = parts
        if _WORD.match(word) and int(count) >= (PROPER_MIN_COUNT if tag in PROPER_NOUN_TAGS else min_count):
            out.add(word)
    return out


def jieba_phrases(path: Path, min_count: int = MIN_COUNT) -> set[str]:
    """jieba dictionary phrases: four-character words (idioms from IDIOM_MIN_COUNT, others from min_count, not
    person, organisation or other proper nouns) and three-character idioms from IDIOM_MIN_COUNT."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        word, count, tag = parts
        idiom = tag == "i" and int(count) >= IDIOM_MIN_COUNT
        if _FOUR.match(word) and (idiom or (tag not in PHRASE_PROPER_TAGS and int(count) >= min_count)):
            out.add(word)
        elif _THREE.match(word) and idiom:
            out.add(word)
    return out


def pypinyin_phrases() -> set[str]:
    """pypinyin's phrases of four CJK characters."""
    from pypinyin.constants import PHRASES_DICT

    return {w for w in PHRASES_DICT if _FOUR.match(w)}


def pypinyin_words() -> set[str]:
    """pypinyin's phrases of two or three CJK characters."""
    from pypinyin.constants import PHRASES_DICT

    return {w for w in PHRASES_DICT if _WORD.match(w)}


def fold(words: set[str], shape: re.Pattern[str] = _WORD) -> list[str]:
    """The words in simplified characters (traditional folded as titles are), sorted, each once."""
    from regional.detection.normalize import t2s_table

    table = t2s_table()
    return sorted({w.translate(table) for w in words if shape.match(w.translate(table))})


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jieba", type=Path, required=True, help="jieba 0.42.1's dict.txt (from its PyPI sdist)")
    parser.add_argument("--min-count", type=int, default=MIN_COUNT, help="least corpus count of a jieba word")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the list (default: the package's)")
    parser.add_argument("--phrases-out", type=Path, default=None,
                        help="where to write the longer phrases (default: chinese_phrases.tsv beside --out)")
    args = parser.parse_args(argv)
    found = fold(jieba_words(args.jieba, args.min_count) | pypinyin_words())
    from regional.detection.build_wordlist import write_word_list

    write_word_list(args.out, [
        f"# Ordinary Chinese words of 2-3 characters: jieba 0.42.1 dict.txt (count >= {args.min_count}, proper-noun",
        f"# tags >= {PROPER_MIN_COUNT}) and pypinyin's phrase dictionary, folded to simplified; generated by",
        "# regional/detection/build_chinese_words.py — do not edit. One word a line."], _NOTICE, found)
    common = set(found)
    phrases = [w for w in fold(jieba_phrases(args.jieba, args.min_count) | pypinyin_phrases(),
                               re.compile(r"^[\u4e00-\u9fff]{3,4}$")) if w not in common]
    write_word_list(args.phrases_out or args.out.with_name(PHRASES_OUT.name), [
        f"# Ordinary Chinese phrases: jieba 0.42.1 dict.txt four-character words (idioms, tag i, count >= "
        f"{IDIOM_MIN_COUNT}; others",
        f"# count >= {args.min_count}, not tagged nr/nrt/nrfg/nt/nz), three-character idioms (count >= "
        f"{IDIOM_MIN_COUNT}) not in",
        "# chinese_common.tsv, and pypinyin's four-character phrases, folded to simplified; generated by",
        "# regional/detection/build_chinese_words.py — do not edit. One phrase a line."], _NOTICE, phrases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
