"""The batch form of the counterfeit-wording check (`wording.wordings`) gives what `wording.wording` gives text by
text: the NFKC pre-mapping keeps every text's NFKC, and the strings derived from the phrase pattern (`_REQUIRED`)
are in every match of it, so skipping the texts without one skips no phrase."""

from __future__ import annotations

import random
import re
import re._constants as c
import re._parser as parser
import unicodedata

from regional.detection import normalize as nz
from regional.detection import wording

# Pieces texts are made of: the phrases' own parts, their look-alike neighbours, negations, marks, full-width and
# decomposed forms, separators, digits, Chinese.
PIECES = (
    "replica", "réplica", "re\u0301plica", "ＲＥＰＬＩＣＡ", "fake", "fakes leather", "knock-off", "knockoffs",
    "counterfeit", "counterfeit detector", "imitation", "imitación", "imitação", "1:1", "1 : 1", "1：1", "１：１",
    "1:10", "1 to 1 copy", "1to1 quality", "one to one copy", "high copy", "top copy", "copy version", "copy",
    "mirror quality", "mirror grade", "aaa", "AAA", "ＡＡＡ", "aaaa+", "aaa+", "quality aaa", "grade aaaaa",
    "unauthorized copy", "unauthorised copy", "falsificado", "copia exacta", "copias 1:1", "calidad espejo",
    "qualidade aaa", "répliques", "contrefaçon", "contrefacons", "高仿", "仿品", "仿制", "精仿", "超a", "超Ａ", "a货",
    "Ａ货", "一比一", "1比1", "原单", "山寨", "复刻", "no ", "not a ", "anti-", "sin ", "拒绝", "非", " ", "  ", ",",
    "，", "(", "（", ")", "\n", "\t", "\u3000", "rolex", "nike", "华为", "耐克", "x", "9", "0", "2024", "ｶﾞ", "ﾊﾟ",
    "e\u0301", "\u0301", "ﬁ", "㈱", "…", "Ⅻ", "①", "ß", "İ", "ǅ", "\x00", "\x01", "a", "e", "o", "1",
)


def texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 9))) for _ in range(n)]


def test_batch_equals_one_at_a_time_on_mixed_texts() -> None:
    corpus = texts(1, 6000)
    expected = [wording.wording(t) for t in corpus]
    assert wording.wordings(corpus) == expected
    assert sum(x is not None for x in expected) > 500  # the corpus does hold phrases, negated or not


def test_batch_equals_one_at_a_time_on_listing_like_texts() -> None:
    corpus = [f"{t} 运动鞋 男款，现货速发 {u}" for t, u in zip(texts(2, 2000), texts(3, 2000), strict=True)]
    corpus += ["", "Réplica zapatillas Nike", "ＲＯＬＥＸ ＲＥＰＬＩＣＡ watch", "Rolex re\u0301plica reloj", "拒绝高仿 耐克"]
    assert wording.wordings(corpus) == [wording.wording(t) for t in corpus]
    assert wording.wordings([None, "高仿 耐克"]) == [None, "高仿"]


def test_a_text_holding_the_batch_delimiter_is_folded_alone() -> None:
    corpus = ["高仿\x00耐克", "fake\x00", "\x00", "replica"]
    assert wording.wordings(corpus) == [wording.wording(t) for t in corpus]
    assert wording.wordings([]) == []


def test_premapping_keeps_nfkc_for_every_character_of_the_blocks() -> None:
    for lo, hi in nz._NFKC_PREMAP_BLOCKS:
        chars = "".join(chr(cp) for cp in range(lo, hi + 1))
        mapped = nz.nfkc_premapped(chars)
        assert len(mapped) == len(chars)
        for a, b in zip(chars, mapped, strict=True):
            assert unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b), hex(ord(a))
    rng = random.Random(4)
    marks = "\u0301\u0308\u3099\u309a\uff9e\uff9f\u0327\u20dd"
    for _ in range(3000):  # composition across neighbours: half-width kana with voicing marks, accents after forms
        text = "".join(rng.choice("ｶｷﾊﾋＡｅe\u00c5Å，ﾞﾟ" + marks) for _ in range(rng.randint(1, 8)))
        assert unicodedata.normalize("NFKC", nz.nfkc_premapped(text)) == unicodedata.normalize("NFKC", text), text
    assert nz.nfkc_premapped("ｶﾞ，\x00Ａ") == "カ\u3099,\x00A"


def _sample(items: list[tuple[object, object]], rng: random.Random) -> str:
    """A random string matched by the parsed pattern `items` with its look-arounds left out."""
    out = []
    for op, av in items:
        if op is c.LITERAL:
            out.append(chr(av))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            least, most, item = av  # type: ignore[misc]
            count = rng.randint(least, min(most, least + 3))
            out.extend(_sample(item, rng) for _ in range(count))
        elif op is c.SUBPATTERN:
            out.append(_sample(av[3], rng))  # type: ignore[index]
        elif op is c.BRANCH:
            out.append(_sample(rng.choice(av[1]), rng))  # type: ignore[index]
        elif op is c.IN:
            kind, value = rng.choice(av)  # type: ignore[arg-type]
            if kind is c.LITERAL:
                out.append(chr(value))
            elif kind is c.RANGE:
                out.append(chr(rng.randint(*value)))
            elif kind is c.CATEGORY:
                out.append({c.CATEGORY_SPACE: rng.choice(" \t\u3000"), c.CATEGORY_DIGIT: rng.choice("07")}[value])
            else:
                raise AssertionError(f"no sample for {kind}")
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        else:
            raise AssertionError(f"no sample for {op}")
    return "".join(out)


def test_every_match_of_every_phrase_holds_a_required_string() -> None:
    required = wording._REQUIRED
    assert required and wording._ANCHORS is not None  # the fast path is really taken
    rng = random.Random(7)
    parsed = parser.parse(wording._WORDING.pattern).data
    for _ in range(5000):
        sample = _sample(parsed, rng)
        assert any(r in sample for r in required), sample
    for phrase in wording._PHRASES:  # each phrase on its own, and its samples are matches of it
        items = parser.parse(phrase).data
        for _ in range(200):
            sample = _sample(items, rng)
            if "(?" not in phrase.replace("(?:", ""):  # no look-around: the sample is a match of the phrase
                assert re.fullmatch(phrase, sample), (phrase, sample)
            assert any(r in sample for r in required), (phrase, sample)


def test_required_strings_of_small_patterns() -> None:
    def req(pattern: str) -> set[str] | None:
        return wording._required(parser.parse(pattern).data)

    assert req("abc") == {"abc"}
    assert req("ab?c") == {"a"} or req("ab?c") == {"c"}
    assert req("x(?:foo|barbaz)y") == {"foo", "barbaz"}
    assert req("(?:foo|b?)") is None  # an alternative that can be empty requires nothing
    assert req("qa{3,5}") == {"qaaa"}
    assert req("qa{3}z") == {"qaaaz"}
    assert req("1\\s?[:：]\\s?1") == {":", "："}  # not the digit: listings are full of them
    assert req("(?<![a-z])ab(?![a-z])cd") == {"abcd"}  # look-arounds take no characters
    assert req("[a-z]+") is None
