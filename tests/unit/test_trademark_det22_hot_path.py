"""Hot-path costs cut without changing a lead (issue 12, session 22, det22): each cache or batch pass gives exactly
what the word-by-word path gives."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import normalize as nz
from regional.detection.trademark import TrademarkDetector, _Prepared
from regional.domain import Listing, Right, RightKind

# letters, the digits and accented letters the syllable fold maps, spaces, punctuation, capitals, a newline
_WORD_CHARS = string.ascii_lowercase + "aeiouyhcwv" + "0135 -'.\n" + "éüßæœçñøÿ" + "ABCXYZ"


def _tm(number: str, text: str, classes: tuple[int, ...], well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=_WORD_CHARS, max_size=14), max_size=40))
def test_syllable_keys_of_a_batch_equal_the_word_by_word_keys(words: list[str]) -> None:
    assert nz.latin_syllable_key_all(words) == [nz.latin_syllable_key(w) for w in words]


# pieces a Latin word is built of where the syllable rules look at a word's edges (read23): a first v or w, doubled
# letters (also across two pieces), consonant + silent e (+ plural s), -que/-ques/-ique, and short words (four letters
# and fewer keep their e)
_EDGE_START = st.sampled_from(["", "v", "w", "vv", "wh", "ww", "qu", "e", "y", "c"])
_EDGE_MIDDLE = st.lists(st.sampled_from(["a", "o", "i", "u", "e", "y", "ss", "ff", "nn", "ll", "tt", "ch", "sch", "ph",
                                         "ck", "x", "tz", "ee", "oo", "ea", "au", "gh", "igh", "r", "n", "m", "t", "d",
                                         "k", "b", "q", "qu", "h", "'", "-", "é", "1"]), max_size=5)
_EDGE_END = st.sampled_from(["", "e", "es", "que", "ques", "ique", "iques", "de", "des", "ke", "kes", "ve", "we", "ye",
                             "ee", "ees", "s", "ss", "ff", "uee", "qe"])
_EDGE_WORD = st.builds(lambda a, b, c: a + "".join(b) + c, _EDGE_START, _EDGE_MIDDLE, _EDGE_END)


@settings(max_examples=600, deadline=None)
@given(st.lists(_EDGE_WORD, max_size=30))
def test_syllable_keys_of_a_batch_equal_the_word_by_word_keys_at_words_edges(words: list[str]) -> None:
    assert nz.latin_syllable_key_all(words) == [nz.latin_syllable_key(w) for w in words]
    # a mark of one word read word by word (latin_syllable_key_words, the same silent e rule) has the word's key
    assert [nz.latin_syllable_key_words([w]) for w in words] == [nz.latin_syllable_key(w) for w in words]


def test_syllable_keys_of_a_batch_keep_the_rules_that_depend_on_a_word_s_edges() -> None:
    # a silent final e only in a word of more than four letters (also before a plural s), a first v or w, doubled
    # letters only within a word, empty words kept apart
    words = ["gatorade", "make", "blackmores", "takes", "voumai", "wodka", "ssmirnoff", "", "", "ff", "nivea", "ab",
             # -que / -ques (tm22lat's silent e after qu: FREDERIQUE as FREDERICK), and words too short for it
             "frederique", "boutiques", "unique", "xque", "ques", "aques", "tique", "quiche"]
    assert nz.latin_syllable_key_all(words) == [nz.latin_syllable_key(w) for w in words]
    assert nz.latin_syllable_key_all(["gatorade", "make"])[1] == nz.latin_syllable_key("make")
    assert nz.latin_syllable_key_all(["a\x00b", "gatorade"]) == [nz.latin_syllable_key("a\x00b"),
                                                                  nz.latin_syllable_key("gatorade")]


def _listings() -> list[Listing]:
    titles = ["SMIRNOV 伏特加 700ml", "GATORAID 运动 饮料", "TANKERAY 金酒", "BLACKMORES 鱼油 胶囊", "nice summer dress",
              "SHAMBORD 力娇酒", "campers 折叠椅", "Smirnoff 伏特加 正品", "宝MA 汽车 脚垫", "tanqueray tonic 套装"]
    return [Listing(f"x{k}", t, nice_classes=(33,) if k != 4 else (25,)) for k, t in enumerate(titles)]


def _detector() -> TrademarkDetector:
    return TrademarkDetector([_tm("S", "SMIRNOFF", (33,)), _tm("G", "GATORADE", (32,)), _tm("T", "TANQUERAY", (33,)),
                              _tm("B", "BLACKMORES", (5,)), _tm("C", "CHAMBORD", (33,)), _tm("M", "宝马", (12,))])


def test_a_batch_s_syllable_lookups_equal_one_word_at_a_time() -> None:
    d = _detector()
    batch = d.prepare(_listings())
    looked = d._syllable_lookup_all(batch.prepared)
    assert looked and all(len(w) >= 5 for w in looked)
    for word, ids in looked.items():
        assert ids == d._syllables.get(nz.latin_syllable_key(word), ())
    assert any(looked.values())  # some word is heard as a mark (SMIRNOV, GATORAID, TANKERAY, SHAMBORD)
    d._latin_cache = d._latin_lookup_all(batch.prepared)
    d._syllable_cache = {}
    alone = [d._latin_candidates(p) for p in batch.prepared]  # each word's key worked out on its own
    d._syllable_cache = looked
    together = [d._latin_candidates(p) for p in batch.prepared]
    d._syllable_cache = {}
    assert together == alone


def test_detect_gives_the_same_leads_batch_by_batch_as_listing_by_listing() -> None:
    d = _detector()
    listings = _listings()
    together = sorted((f.listing_id, f.right, f.score, f.reasons) for f in d.detect(listings))
    alone = sorted((f.listing_id, f.right, f.score, f.reasons) for x in listings for f in d.detect([x]))
    assert together == alone
    assert {("x0", "S"), ("x2", "T")} <= {(a, b) for a, b, _s, _r in together}
    assert d._syllable_cache == {}  # not kept after the batch


_TITLE_CHARS = "abcdefghijklmnopqrstuvwxyzABCKNOSZ0123456789    -'.&éüßçøαβжд宝马伏特加鱼油"
_PREPARE_DETECTOR: list[TrademarkDetector] = []


def _prepare_detector() -> TrademarkDetector:  # multi-word, spelt-out, joined and pinyin marks: every Latin path
    if not _PREPARE_DETECTOR:
        _PREPARE_DETECTOR.append(TrademarkDetector([
            _tm("S", "SMIRNOFF", (33,)), _tm("J", "JOHNNIE WALKER", (33,)), _tm("U", "UGREEN", (9,)),
            _tm("K", "KIMBO", (30,)), _tm("H", "HERSHEY'S", (30,)), _tm("W", "五芳斋", (30,)), _tm("D", "稻香村", (30,)),
            _tm("A", "SUL WHA SOO", (3,)), _tm("M", "宝马", (12,))]))
    return _PREPARE_DETECTOR[0]


def _prepared_alone(d: TrademarkDetector, p: _Prepared) -> _Prepared:
    return d._prepared(p.listing, p.normalised, p.text, p.unsimplified, p.sound, p.second, p.shape)


def test_a_batch_s_latin_forms_equal_each_title_s_own() -> None:
    d = _prepare_detector()
    titles = ["Johnny Walker 红方 700ml", "U-GREEN 数据线 2m", "K I M B O 咖啡", "Hershey's 巧克力", "WU FANG ZHAI 粽子",
              "daoxiang cun 糕点", "sul wha soo 雪花秀", "SMIRN0FF vodka vodka", "a b 1 22 333", "纯棉 T恤", "", "ÉCLAT été"]
    batch = d.prepare([Listing(f"x{k}", t) for k, t in enumerate(titles)])
    for p in batch.prepared:
        assert p.latin == _prepared_alone(d, p).latin
    assert sum(bool(p.latin) for p in batch.prepared) >= 9


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=_TITLE_CHARS, max_size=40), min_size=1, max_size=12))
def test_any_batch_s_latin_forms_equal_each_title_s_own(titles: list[str]) -> None:
    d = _prepare_detector()
    batch = d.prepare([Listing(f"x{k}", t) for k, t in enumerate(titles)])
    for p in batch.prepared:
        assert p.latin == _prepared_alone(d, p).latin
