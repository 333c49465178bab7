"""Text normalisation used for mark matching."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection.normalize import (
    are_lookalikes,
    compact,
    latin_skeleton,
    lookalikes_of,
    normalize_text,
    pinyin_initials,
    pinyin_key,
    same_sound,
)


def test_full_width_letters_become_half_width_lower_case() -> None:
    assert normalize_text("ＮＩＫＥ　运动鞋") == "nike 运动鞋"


def test_traditional_characters_become_simplified() -> None:
    assert normalize_text("康師傅 紅燒牛肉麵") == "康师傅 红烧牛肉面"


def test_punctuation_and_whitespace_runs_become_one_space() -> None:
    assert normalize_text("  【正品】康师傅，，包邮!!  ") == "正品 康师傅 包邮"
    assert compact("康 师 傅！") == "康师傅"


def test_latin_confusables_are_merged_only_in_the_skeleton() -> None:
    assert normalize_text("Nlke") != normalize_text("NIKE")
    assert latin_skeleton("Nlke") == latin_skeleton("NIKE") == latin_skeleton("N1KE")
    assert latin_skeleton("rnoon") == latin_skeleton("m0on")
    assert latin_skeleton("HUAVVEI") == latin_skeleton("huawei")


def test_pinyin_key_is_toneless_and_keeps_latin() -> None:
    assert pinyin_key("康师傅") == "kang shi fu"
    assert pinyin_key("康師傅") == "kang shi fu"
    assert pinyin_key("小米 abc").split()[-1] == "abc"
    assert pinyin_initials("康帅傅") == pinyin_initials("康师傅") == "ksf"


def test_lookalike_table_pairs_characters_that_look_alike() -> None:
    # computed from glyphs and Unihan shape codes (build_glyph_table.py), not from a list of knock-offs
    for a, b in ("己已", "未末", "土士", "大犬", "拨拔", "候侯", "师帅", "兔免", "傅博"):
        assert are_lookalikes(a, b), (a, b)
        assert are_lookalikes(b, a), (b, a)
    assert not are_lookalikes("师", "师")
    assert not are_lookalikes("师", "雪")
    assert not are_lookalikes("河", "湖")  # only the narrow radical in common
    assert "帅" in lookalikes_of("师")


def test_lookalike_table_holds_only_characters_a_normalised_title_can_contain() -> None:
    from regional.detection.normalize import glyph_table, t2s_table

    traditional = t2s_table()
    table = glyph_table()
    assert len(table) > 7_000
    for ch, neighbours in table.items():
        assert traditional.get(ord(ch), ch) == ch
        assert all(traditional.get(ord(n), n) == n for n in neighbours)


def test_homophones_share_a_reading() -> None:
    assert same_sound("傅", "付")
    assert not same_sound("傅", "师")


def test_importing_the_module_builds_nothing() -> None:
    code = (
        "import regional.detection.normalize as n; "
        "assert n.t2s_table.cache_info().currsize == 0; "
        "assert n._fold_table.cache_info().currsize == 0; "
        "assert n.glyph_table.cache_info().currsize == 0; "
        "assert n._code_arrays.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_text_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    latin_skeleton(text)
    pinyin_key(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), max_size=8))
def test_batch_normalisation_gives_the_same_text_as_one_at_a_time(texts: list[str]) -> None:
    from regional.detection.normalize import (
        code_batch,
        fold_text,
        normalize_batch,
        normalize_batch_both,
        shape_string,
        sound_string,
    )

    assert normalize_batch(texts) == [normalize_text(t) for t in texts]
    assert normalize_batch_both(texts) == ([normalize_text(t) for t in texts],
                                           [fold_text(t, simplify=False) for t in texts])
    compacts = [compact(t) for t in texts]
    sounds, _seconds, shapes = code_batch(compacts)
    assert sounds == [sound_string(c) for c in compacts]
    assert shapes == [shape_string(c) for c in compacts]


# characters where batching could go wrong: combining marks (composition across the joints), full-width and
# compatibility forms, every kind of whitespace str.split() knows, casefold that breaks NFKC, traditional forms
_TRICKY = ("a\u0301\u0308\u0323e\u0302 \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000"
           "ＡＢｃ１２３．，ßẞİıΣσς\u0345ﬁ㍻①康師傅華為臺灣ｶﾞ\u3099\u309a\x00-_/·!")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_TRICKY, max_size=12), max_size=10))
def test_batch_normalisation_on_joints_and_spaces(texts: list[str]) -> None:
    from regional.detection.normalize import fold_text, normalize_batch, normalize_batch_both

    assert normalize_batch(texts) == [normalize_text(t) for t in texts]
    assert normalize_batch_both(texts) == ([normalize_text(t) for t in texts],
                                           [fold_text(t, simplify=False) for t in texts])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" ab康", max_size=10), min_size=1, max_size=8))
def test_spaces_collapsed_over_a_batch_as_one_at_a_time(texts: list[str]) -> None:
    from regional.detection.normalize import _spaces_only, _split_spaced

    expected = [" ".join(t.split()) for t in texts]
    assert _split_spaced("\x00".join(texts), True) == expected
    assert _split_spaced("\x00".join(texts), False) == expected
    assert _spaces_only("fold") and _spaces_only("case")  # the folded text's only whitespace is " "
