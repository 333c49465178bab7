"""The trademark index built in numpy passes against the straightforward one: the first-written loop over
the marks (every key of every Chinese mark, one dict insertion per posting), compared key by key and
role by role, postings in order; the automaton over renumbered characters against one over the keys
as they are; the hashed key ids against a dict of the strings."""

from __future__ import annotations

from typing import Any

import ahocorasick_rs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import normalize as nz
from regional.detection import trademark as tm
from regional.detection.scoring import load_model
from regional.domain import Listing, Right, RightKind, Seller

# characters with close and strong look-alikes, with two readings, homophones of each other, and plain ones
_CHARS = "洽治冶沽拾己已巳日曰目自白百王玉主行长乐重还大太犬天夫人入八力刀一二康师傅华为的美"
_MODEL = None


def _detector(texts: list[str]) -> tm.TrademarkDetector:
    global _MODEL
    if _MODEL is None:
        _MODEL = load_model(tm.MODEL_NAME)
    rights = [Right(RightKind.TRADEMARK, f"TM-{k}", t, "某某公司", "registered", (25,)) for k, t in enumerate(texts)]
    return tm.TrademarkDetector(rights, model=_MODEL)


def _straightforward(detector: tm.TrademarkDetector) -> dict[tuple[str, int], list[tuple[int, int, int]]]:
    """(key, role) -> [(kind, position, mark), ...] made one posting at a time, as the index was first written."""
    close = tm._close_lookalikes()
    strong = tm._close_lookalikes(round(tm._BOTH_GLYPH * 100))
    out: dict[tuple[str, int], list[tuple[int, int, int]]] = {}

    def add(key: str, role: int, kind: int, position: int, i: int) -> None:
        out.setdefault((key, role), []).append((kind, position, i))

    for i, mark in enumerate(detector._marks):
        t, n = mark.text, len(mark.text)
        if not mark.cjk:
            continue
        add(t, tm._TEXT, tm._EXACT, 0, i)
        if n == 1:
            continue
        add(nz.sound_string(t), tm._SOUND, tm._EXACT, 0, i)
        if nz.sound_string_second(t) != nz.sound_string(t):
            add(nz.sound_string_second(t), tm._SOUND, tm._EXACT, 0, i)
        add(nz.shape_string(t), tm._SHAPE, tm._EXACT, 0, i)
        if n == 2:
            a, b = t[0], t[1]
            for other in close.get(a, ()):
                add(other + b, tm._TEXT, tm._VAR, 0, i)
            for other in close.get(b, ()):
                add(a + other, tm._TEXT, tm._VAR, 1, i)
            for x in strong.get(a, ()):
                for y in strong.get(b, ()):
                    add(x + y, tm._TEXT, tm._VAR, 2, i)
            if a == b:  # a doubled mark: each close look-alike doubled too (屋屋 for 喔喔, session 23)
                for x in close.get(a, ()):
                    if x not in strong.get(a, ()):
                        add(x + x, tm._TEXT, tm._VAR, 2, i)
            add(t, tm._SKIP, tm._INS, 0, i)  # a character inserted between the two (session 15)
            continue
        for j in range(0, n - 1, 2):
            add(t[j:j + 2], tm._TEXT, tm._PAIR, j, i)
        if n % 2:
            add(t[n - 2:], tm._TEXT, tm._PAIR, n - 2, i)
        if n == 3:
            add(t[0] + t[2], tm._SKIP, tm._EXACT, 0, i)
            add(t[0] + t[2], tm._TEXT, tm._SWP, 0, i)  # two adjacent characters swapped (session 15)
    return out


def _expected(detector: tm.TrademarkDetector) -> dict[tuple[str, int], list[tuple[int, int, int]]]:
    """_straightforward() less the texts of two or more characters that are the key of nothing else: those are
    found through their glyph-group keys (marked in _text_from_shape)."""
    out = _straightforward(detector)
    roles: dict[str, int] = {}
    for key, _role in out:
        roles[key] = roles.get(key, 0) + 1
    dropped = set()
    for (key, role), posts in list(out.items()):
        if role == tm._TEXT and len(key) >= 2 and roles[key] == 1 and len(posts) == 1 and posts[0][:2] == (tm._EXACT, 0):
            del out[(key, role)]
            dropped.add(posts[0][2])
    assert dropped == set(np.flatnonzero(detector._text_from_shape).tolist())
    return out


def _built(detector: tm.TrademarkDetector) -> dict[tuple[str, int], list[tuple[int, int, int]]]:
    """The detector's postings, keyed by each key written back in the characters it was made of."""
    back = {int(c): chr(int(u)) for c, u in zip(tm._dense_codes(len(detector._alphabet)), detector._alphabet,
                                                 strict=True)}
    out: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    for k, key in enumerate(detector._keys):
        original = "".join(back[ord(c)] for c in key)
        for role in range(4):
            lo, hi = detector._post_ptr[k * 4 + role], detector._post_ptr[k * 4 + role + 1]
            if hi > lo:
                assert (original, role) not in out  # one key, one id
                out[(original, role)] = [(int(detector._post_kind[e]), int(detector._post_position[e]),
                                          int(detector._post_mark[e])) for e in range(lo, hi)]
    return out


_MARK = st.text(alphabet=_CHARS, min_size=1, max_size=7)


@settings(max_examples=120, deadline=None)
@given(st.lists(_MARK, min_size=1, max_size=30, unique=True),
       st.lists(st.text(alphabet="NIKEnike", min_size=2, max_size=6), max_size=4))
def test_postings_equal_the_straightforward_loop(texts: list[str], latin: list[str]) -> None:
    detector = _detector(texts + latin)
    assert _built(detector) == _expected(detector)


def test_postings_of_a_generated_registry_equal_the_straightforward_loop() -> None:
    from regional.bench.world import WorldSize, build_world

    world = build_world(WorldSize(marks=3000, patents=0, designs=0, listings=0), seed=7)
    detector = tm.TrademarkDetector(world.rights, world.licences)
    assert _built(detector) == _expected(detector)
    assert detector._text_from_shape.sum() > 0.5 * sum(m.cjk and len(m.text) >= 2 for m in detector._marks)


@settings(max_examples=120, deadline=None)
@given(st.lists(_MARK, min_size=1, max_size=20, unique=True), st.lists(st.text(alphabet=_CHARS + "ab 1\x01\x02é", max_size=12),
                                                                     min_size=1, max_size=10))
def test_the_renumbered_automaton_finds_what_the_plain_one_finds(texts: list[str], titles: list[str]) -> None:
    detector = _detector(texts)
    back = {int(c): chr(int(u)) for c, u in zip(tm._dense_codes(len(detector._alphabet)), detector._alphabet,
                                                 strict=True)}
    plain = ahocorasick_rs.AhoCorasick(["".join(back[ord(c)] for c in k) for k in detector._keys])
    haystack = "\x02".join(t + "\x01" + nz.sound_string(t) + "\x01" + nz.shape_string(t) for t in titles)
    coded, units = detector._coded(haystack)
    assert len(coded) == len(haystack) and units.tolist() == [ord(c) for c in haystack]
    assert (detector._automaton.find_matches_as_indexes(coded, overlapping=True)
            == plain.find_matches_as_indexes(haystack, overlapping=True))


def _dict_ids(strings: list[str]) -> list[int]:
    known: dict[str, int] = {}
    return [known.setdefault(s, len(known)) for s in strings]


def _ids_of(strings: list[str]) -> tuple[list[int], list[int]]:
    units = np.array([ord(c) for s in strings for c in s], dtype=np.uint32)
    ids, first = tm._key_ids(units, np.array([len(s) for s in strings], dtype=np.int64))
    return ids.tolist(), first.tolist()


def _same_partition(ids: list[int], first: list[int], strings: list[str]) -> None:
    reference = _dict_ids(strings)
    # the same partition: equal ids exactly for equal strings
    assert len(set(ids)) == len(set(reference)) == len(first) == len(set(zip(ids, reference, strict=True)))
    for k, i in enumerate(first):
        assert ids[i] == k and strings.index(strings[i]) == i  # the first string of each id


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab康\U000f0001", min_size=1, max_size=5), max_size=40))
def test_key_ids_are_the_strings_equality(strings: list[str]) -> None:
    ids, first = _ids_of(strings)
    _same_partition(ids, first, strings)


def test_a_hash_collision_falls_back_to_the_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    # every character weighted 0: all strings of one length hash alike
    monkeypatch.setattr(tm, "_powers", lambda n: np.zeros(max(n, 1024), dtype=np.uint64))
    strings = ["ab", "ba", "ab", "康", "a", "b", "ba", "abc"]
    ids, first = _ids_of(strings)
    _same_partition(ids, first, strings)
    assert ids == [0, 1, 0, 2, 3, 4, 1, 5]


def test_dense_codes_skip_the_surrogates() -> None:
    codes = tm._dense_codes(60000)
    assert len(codes) == 60000 and codes[0] == 3 and len(set(codes.tolist())) == 60000
    assert not ((codes >= 0xD800) & (codes <= 0xDFFF)).any()


def test_detection_with_a_renumbered_alphabet_still_finds_marks() -> None:
    detector = _detector(["洽洽", "康师傅", "华为手机"])
    listings = [Listing(id=str(k), title=t, seller=Seller(name="某店"))
                for k, t in enumerate(["治治瓜子 特价", "康帅傅方便面", "华为 手机壳", "无关商品"])]
    found = [sorted({(i, o) for i, o, _d in c}) for c in detector._cjk_candidates_all(detector._prepare_all(listings))]
    texts = [{detector._marks[i].text for i, _o in c} for c in found]
    assert texts == [{"洽洽"}, {"康师傅"}, {"华为手机"}, set()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="rnvwclphsckqzxeyoaij0Іοα", min_size=1, max_size=10), max_size=25))
def test_latin_forms_of_a_batch_equal_one_text_at_a_time(texts: list[str]) -> None:
    assert tm._latin_forms_all(texts) == [tm._latin_forms(t) for t in texts]
    joined = "\x00".join(texts)
    assert not texts or nz.latin_phonetic_joined(joined).split("\x00") == [nz.latin_phonetic(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="a1 康\u3400\u4dbf\u4dc0\u9fff\ua000\uf900\ufaff\ufb00\U00020000\U0002ebef\U0002ebf0",
                        max_size=6), max_size=12))
def test_chinese_marks_are_told_in_one_pass(texts: list[str]) -> None:
    assert tm._has_cjk(texts) == [tm._CJK.search(t) is not None for t in texts]


def test_licensees_and_owners_are_keyed_as_compact_names() -> None:
    from regional.domain import Licence

    rights = [Right(RightKind.TRADEMARK, "TM-1", "康师傅", "頂新 （天津）食品", "registered", (30,)),
              Right(RightKind.TRADEMARK, "TM-2", "NIKE", "Nike, Inc.", "registered", (25,)),
              Right(RightKind.TRADEMARK, "TM-3", " ", "nobody", "registered", (25,))]
    licences = [Licence("TM-1", "Ｋａｎｇ Shi  Fu 食品 有限公司"), Licence("TM-1", "某 某", "91310000ab12 "),
                Licence("TM-2", "耐克（中国）")]
    detector = tm.TrademarkDetector(rights, licences, model=load_model(tm.MODEL_NAME))
    assert detector._licensees == {"TM-1": {"n:" + nz.compact("Ｋａｎｇ Shi  Fu 食品 有限公司"), "n:" + nz.compact("某 某"),
                                            "u:91310000AB12"},
                                   "TM-2": {"n:" + nz.compact("耐克（中国）")}}
    assert detector._owner_key == {"TM-1": nz.compact("頂新 （天津）食品"), "TM-2": nz.compact("Nike, Inc.")}
    assert [(m.text, m.cjk, m.forms) for m in detector._marks] == [("康师傅", True, ()),
                                                                   ("nike", False, tm._latin_forms("nike"))]
    assert detector._pinyin_of == {"kangshifu": 0}  # its pinyin: a Latin mark made when a title first uses it
    made = detector._marks[detector._pinyin_mark("kangshifu")]
    assert (made.text, made.pinyin_of, made.rights) == ("kangshifu", "康师傅", detector._marks[0].rights)


def _ordered_candidates(detector: tm.TrademarkDetector, listings: list[Listing]) -> list[list[tuple[int, int, int]]]:
    return [list(c) for c in detector._cjk_candidates_all(detector._prepare_all(listings))]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet=_CHARS, min_size=2, max_size=6), min_size=1, max_size=15, unique=True),
       st.lists(st.text(alphabet=_CHARS + " ", max_size=14), min_size=1, max_size=8), st.data())
def test_texts_found_through_glyph_groups_equal_texts_keyed(texts: list[str], titles: list[str],
                                                            data: st.DataObject) -> None:
    """Candidates, in order (the order breaks ties between equal matches), with the marks' texts left out of
    the automaton equal those with every text a key of its own."""
    fast = _detector(texts)
    tm._TEXT_FROM_SHAPE = False
    try:
        keyed = _detector(texts)
    finally:
        tm._TEXT_FROM_SHAPE = True
    assert not keyed._text_from_shape.any()  # (a text that is also its glyph groups stays a key: 主主)
    # titles holding the marks themselves, twice, next to each other and inside other marks
    for t in texts:
        other = data.draw(st.sampled_from(texts))
        titles += [t, t + t, other + t + other[::-1], t[::-1] + " " + t]
    listings = [Listing(id=str(k), title=t, seller=Seller(name="某店")) for k, t in enumerate(titles)]
    assert _ordered_candidates(fast, listings) == _ordered_candidates(keyed, listings)


@pytest.mark.parametrize("at_least", [0, 1, tm._RETRIEVE_GLYPH, round(tm._BOTH_GLYPH * 100), 90, 100, 101])
def test_lookalike_arrays_equal_the_lookalikes_read_one_at_a_time(at_least: int) -> None:
    close = sorted((ord(ch), others) for ch, others in tm._close_lookalikes(at_least).items() if others)
    chars, ptr, flat = tm._lookalike_csr(at_least)
    assert chars.dtype == np.int64 and ptr.dtype == np.int64 and flat.dtype == np.uint32
    assert chars.tolist() == [c for c, _ in close]
    assert ptr.tolist() == [0, *np.cumsum([len(o) for _, o in close]).tolist()]
    assert flat.tolist() == [ord(x) for _, others in close for x in others]  # each character's in the table's order


def test_glyph_pairs_equal_the_table_read_pair_by_pair() -> None:
    codes = [(ord(a) << 21) | ord(b) for a, near in nz.glyph_table().items() for b, score in near.items() if score]
    pairs = tm._glyph_pairs()
    assert pairs.dtype == np.int64 and len(codes) > 1000
    assert pairs.tolist() == sorted(set(codes))


def test_code_arrays_equal_the_character_by_character_loop() -> None:
    sound, second, shape = nz._code_arrays()
    want_sound = np.arange(nz._UNITS, dtype=np.uint32)
    want_second = want_sound.copy()
    for cp, raw in nz._pinyin_data().items():
        if not nz.is_cjk(chr(cp)):
            continue
        readings = nz.unique(r.translate(nz._TONES) for r in raw.split(","))
        # the second reading: the first other one read so in PHRASE_MIN phrases or more, or in one common word
        # (common_readings.tsv, session 22), else the first
        common = [r for r in readings[1:] if nz._phrase_count(chr(cp), r) >= nz.PHRASE_MIN
                  or {(chr(cp), r), (nz.t2s_table().get(cp, chr(cp)), r)} & nz._one_phrase_common()]
        want_sound[cp] = ord(nz._syllable_code(readings[0]))
        want_second[cp] = ord(nz._syllable_code(common[0] if common else readings[0]))
    want_shape = np.arange(nz._UNITS, dtype=np.uint32)
    for cp, rep in nz._lookalike_index().items():
        want_shape[cp] = ord(rep)
    assert np.array_equal(sound, want_sound) and np.array_equal(second, want_second)
    assert np.array_equal(shape, want_shape) and (sound != want_shape).any()
    assert (second != sound).sum() > 100  # characters of two common readings keep their second one


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.lists(st.text(alphabet="ab康\U000f0001", min_size=1, max_size=5), max_size=40, unique=True),
                 st.lists(st.text(alphabet="ab康\uffff", min_size=1, max_size=10), max_size=40, unique=True)))
def test_sorted_ids_rank_the_strings_in_order(strings: list[str]) -> None:
    # code points beyond 2^16 (one character a sort key) and below (four characters a key, strings longer than four)
    units = np.array([ord(c) for s in strings for c in s], dtype=np.uint32)
    rank = tm._sorted_ids(units, np.array([len(s) for s in strings], dtype=np.int64)).tolist()
    assert rank == [sorted(strings).index(s) for s in strings]


@settings(max_examples=120, deadline=None)
@given(st.lists(_MARK, min_size=1, max_size=20, unique=True), st.lists(st.text(alphabet=_CHARS + "ab 1\x01\x02é", max_size=12),
                                                                     min_size=1, max_size=10), st.randoms())
def test_the_keys_order_does_not_change_what_the_automaton_reports(texts: list[str], titles: list[str],
                                                                  rnd: Any) -> None:
    # the index numbers its keys in string order (a faster build); an automaton over the same keys in any
    # other order reports the same keys at the same places, in the same order
    detector = _detector(texts)
    assert detector._keys == sorted(detector._keys)
    shuffled = list(detector._keys)
    rnd.shuffle(shuffled)
    other = ahocorasick_rs.AhoCorasick(shuffled, implementation=ahocorasick_rs.Implementation.ContiguousNFA)
    coded, _units = detector._coded("\x02".join(t + "\x01" + nz.sound_string(t) + "\x01" + nz.shape_string(t)
                                                for t in titles))
    mine = detector._automaton.find_matches_as_indexes(coded, overlapping=True)
    theirs = other.find_matches_as_indexes(coded, overlapping=True)
    assert [(detector._keys[k], s, e) for k, s, e in mine] == [(shuffled[k], s, e) for k, s, e in theirs]
