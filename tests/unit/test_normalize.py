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


def test_lookalike_table_pairs_known_counterfeit_characters() -> None:
    assert are_lookalikes("师", "帅")
    assert are_lookalikes("雪", "雷")
    assert are_lookalikes("娃", "哇")
    assert not are_lookalikes("师", "师")
    assert not are_lookalikes("师", "雪")
    assert "帅" in lookalikes_of("师")


def test_lookalike_table_entries_survive_traditional_to_simplified() -> None:
    # 雖 is traditional for 虽; titles are compared after conversion, so 虽 must pair with 雕
    assert are_lookalikes("雕", "虽")


def test_homophones_share_a_reading() -> None:
    assert same_sound("傅", "付")
    assert not same_sound("傅", "师")


def test_importing_the_module_builds_nothing() -> None:
    code = (
        "import regional.detection.normalize as n; "
        "assert n._t2s.cache_info().currsize == 0; "
        "assert n._lookalike_index.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_text_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    latin_skeleton(text)
    pinyin_key(text)
