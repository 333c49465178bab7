"""A look-alike, sound-alike or left-out-character window of a Chinese mark of three or more characters that runs
from inside one word of the title into the next is no use of the mark (issue 12, session 18; the two-character rule
of session 17 for longer marks). A run of whole words (a mark written with a space) still is. Made-up marks."""

from __future__ import annotations

import pytest

from regional.detection.trademark import TrademarkDetector
from regional.domain import Listing, Right, RightKind


def _tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


DETECTOR = TrademarkDetector([_tm("A", "宸言先贝", (3,)), _tm("B", "派春森", (30,)), _tm("C", "奇凤梅妙", (30,)),
                              _tm("D", "斋阿宏庆", (9,))])


def _rights(title: str, classes: tuple[int, ...]) -> set[str]:
    return {f.right for f in DETECTOR.detect([Listing("x", title, price=30.0, nice_classes=classes)])}


@pytest.mark.parametrize("title, classes", [
    ("飞鑫宸言 洗衣粉 5斤装", (3,)),  # 宸言洗衣: the end of one word and the start of the next
    ("抢拍 春森脶 夹心饼干", (30,)),  # 拍春森 across 抢拍 | 春森脶
    ("凤梅 妙木 调制乳", (30,)),  # 凤梅妙 (奇凤梅妙 without 奇) runs into 妙木
    ("皇斋阿云 智能手表", (9,)),  # 斋阿云智
])
def test_a_window_across_two_words_of_the_title_is_no_lead(title: str, classes: tuple[int, ...]) -> None:
    assert _rights(title, classes) == set()


@pytest.mark.parametrize("title, classes, right", [
    ("拍春森 夹心饼干", (30,), "B"),  # within one word (拍 pāi; 卖 was a homophone of 派 only in its rare mài)
    ("斋阿云庆 智能手表", (9,), "D"),
    ("宸言先見 洗衣粉", (3,), "A"),
    ("宸言 先見 洗衣粉", (3,), "A"),  # whole words, written with a space
    ("奇凤妙 饼干", (30,), "C"),
    ("新品 奇凤 妙 饼干", (30,), "C"),
])
def test_a_window_within_a_word_or_of_whole_words_stays_a_lead(title: str, classes: tuple[int, ...],
                                                               right: str) -> None:
    assert _rights(title, classes) == {right}
