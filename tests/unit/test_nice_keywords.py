"""Goods classes found in a title by keyword: the one-pass automaton gives what a keyword-by-keyword scan gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.nice import CLASS_KEYWORDS, _keywords_longest_first, classes_in_text, infer_nice_classes


def _scan(text: str | None) -> tuple[int, ...]:
    """The reference: each keyword, longest first, found with str.find at every position."""
    if not text:
        return ()
    text = text.casefold()
    found: list[int] = []
    consumed: list[tuple[int, int]] = []
    for keyword, number in _keywords_longest_first():
        start = text.find(keyword)
        while start != -1:
            end = start + len(keyword)
            if not any(s <= start and end <= e for s, e in consumed):
                consumed.append((start, end))
                if number not in found:
                    found.append(number)
            start = text.find(keyword, start + 1)
    return tuple(found)


_PIECES = sorted({k for k, _ in _keywords_longest_first()} | {k[:1] for k in CLASS_KEYWORDS} | {k[1:] for k in
                 CLASS_KEYWORDS} | {"T恤", "U盘", " ", "新款", "正品", "ABC", "壳", "杯", "茶"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_classes_in_text_matches_the_keyword_by_keyword_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert classes_in_text(text) == _scan(text)


def test_a_keyword_inside_a_longer_matched_one_does_not_count_and_order_is_longest_first() -> None:
    assert classes_in_text("新款手机壳") == (9,)  # 手机壳 (9) holds 手机; 壳 alone names nothing here
    assert classes_in_text("保温杯 手机 T恤") == _scan("保温杯 手机 T恤")
    assert set(classes_in_text("保温杯 手机 T恤")) == {21, 9, 25}
    assert classes_in_text("") == () and classes_in_text(None) == ()
    assert classes_in_text("nothing to see") == ()
    assert infer_nice_classes("茶叶", "运动鞋") == (30,) and infer_nice_classes(None, "运动鞋") == (25,)
