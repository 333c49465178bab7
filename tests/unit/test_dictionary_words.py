"""regional.detection.dictionary_words (session 24, fp24): the dictionary words that hold a title window."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from regional.detection.dictionary_words import dictionary_words, inside_dictionary_word


def test_the_dictionary_holds_names_and_idioms_of_three_characters_or_more() -> None:
    words = dictionary_words()
    assert {"莎士比亚", "多瑙河", "爱迪生", "天妇罗", "爱慕虚荣"} <= words
    assert all(len(w) >= 3 for w in words)


def test_a_window_inside_a_longer_word_of_one_title_word() -> None:
    assert inside_dictionary_word("莎士比亚语录", frozenset({0, 4}), 0, 2) == "莎士比亚"
    assert inside_dictionary_word("tempura天妇罗粉", frozenset({0, 7}), 7, 2) == "天妇罗"


def test_a_word_across_two_title_words_does_not_count() -> None:
    assert inside_dictionary_word("莎士比亚", frozenset({0, 2}), 0, 2) == ""


def test_strict_wants_a_longer_word() -> None:
    assert inside_dictionary_word("爱迪生", frozenset({0}), 0, 3) == ""
    assert inside_dictionary_word("爱迪生", frozenset({0}), 0, 3, strict=False) == "爱迪生"


@given(st.text(alphabet="莎士比亚多瑙河天妇罗粉爱迪生 ab", max_size=12), st.data())
def test_the_word_found_holds_the_window_and_lies_in_the_text(text: str, data: st.DataObject) -> None:
    if len(text) < 2:
        return
    offset = data.draw(st.integers(0, len(text) - 2))
    n = data.draw(st.integers(2, min(4, len(text) - offset)))
    starts = frozenset(i for i, ch in enumerate(text) if ch == " " or i == 0)
    word = inside_dictionary_word(text, starts, offset, n)
    if word:
        at = text.find(word, max(0, offset + n - len(word)))
        assert 0 <= at <= offset and at + len(word) >= offset + n and len(word) > n
        assert word in dictionary_words()
