"""An ordinary English word one letter from a short Latin mark is not a knock-off of it.

The trademark model has the feature `latin_word` (the title's token is one of the ~10,000
most common English words, regional/data/english_common.tsv from SCOWL), learnt from the
generated world like every other feature (its clean listings carry ordinary English words
in their titles). Milk is not MILKA, Bell is not DELL, nice is not NIKE — while Cannon
(CANON), Sonny (SONY) and Prado (PRADA), words too rare to be "ordinary", stay leads.
"""

from __future__ import annotations

import datetime as dt

import pytest

from regional.detection import normalize as nz
from regional.detection.engine import detect
from regional.detection.trademark import FEATURES, TrademarkDetector
from regional.detection.train import untrained
from regional.domain import Listing, Right, RightKind

AS_OF = dt.date(2026, 11, 1)


def _right(mark: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, "TM-1", mark, f"{mark} owner", "registered", classes)


def test_the_word_list_holds_common_words_only() -> None:
    words = nz.common_english_words()
    assert {"milk", "bell", "nice", "idea", "guest"} <= words
    assert not {"cannon", "sonny", "prado", "nike", "dell"} & words
    assert 8_000 < len(words) < 15_000


@pytest.mark.parametrize(("mark", "classes", "title"), [
    ("MILKA", (30,), "Milk 牛奶 软糖 儿童"),
    ("DELL", (9,), "Bell 无线 门铃 家用"),
    ("NIKE", (25,), "nice 运动鞋 百搭 小白鞋"),
    ("BEATS", (9,), "Beast 电竞 鼠标 RGB"),
    ("IKEA", (20,), "Idea 创意 收纳盒 桌面"),
])
def test_an_ordinary_word_near_a_short_mark_is_not_a_lead(mark: str, classes: tuple[int, ...], title: str) -> None:
    assert detect([_right(mark, classes)], [], [Listing(id="x", title=title, nice_classes=classes)], as_of=AS_OF) == []


@pytest.mark.parametrize(("mark", "classes", "title"), [
    ("CANON", (9,), "Cannon 数码相机 微单"),
    ("SONY", (9,), "Sonny 随身听 磁带机"),
    ("PRADA", (18,), "Prado 手提包 女"),
    ("DELL", (9,), "De1l 笔记本电脑 14寸"),
    ("MILKA", (30,), "Mllka 牛奶巧克力 100g"),
])
def test_a_rare_word_or_a_misspelling_near_a_mark_is_still_a_lead(mark: str, classes: tuple[int, ...],
                                                                   title: str) -> None:
    found = detect([_right(mark, classes)], [], [Listing(id="x", title=title, nice_classes=classes)], as_of=AS_OF)
    assert [f.listing_id for f in found] == ["x"]


def test_the_feature_marks_ordinary_words_only() -> None:
    tm = TrademarkDetector([_right("DELL", (9,))], [], model=untrained("trademark", FEATURES))
    # read on the matches: since session 18 an English word that does not sound like the mark is a candidate only
    # at a knock-off's price (test_trademark_session18.py), so Bell at no price is none
    batch = tm.prepare([Listing(id="bell", title="Bell 门铃", nice_classes=(9,)),
                        Listing(id="deil", title="Deil 显示器", nice_classes=(9,))])
    got = {p.listing.id: match.latin["latin_word"] for p in batch.prepared for _mark, match in tm.matches(p)}
    assert got == {"bell": 1.0, "deil": 0.0}
    assert [c.listing.id for c in tm.candidates(batch, explain=False)] == ["deil"]
