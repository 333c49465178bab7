"""Issue 11, session 17: classes of miss and false lead read from the ninth held-out set (a tuning set since).

A Chinese mark of three or more characters with one character inserted inside it is a look-alike (as a
two-character one already was). Hand-made examples with brands of no fixture (regional/data/eval/)."""

from __future__ import annotations

import pytest

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False,
       owner: str = "某某集团有限公司") -> Right:
    return Right(RightKind.TRADEMARK, number, text, owner, "registered", classes, well_known=well_known)


CUILING = tm("R-CLF", "翠岭坊", (30,))
HEFENG = tm("R-HFY", "禾丰园", (29,))
QIYUN = tm("R-QYG", "栖云阁酱园", (30,))
ENGINE = Engine([CUILING, HEFENG, QIYUN])


def engine_leads(title: str, classes: tuple[int, ...], seller: str = "某某百货商行") -> dict[str, list[str]]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=seller))
    return {f.right: list(f.codes) for f in ENGINE.run([listing]).findings if f.score >= 0.5}


@pytest.mark.parametrize("title, classes, right", [
    ("翠岭老坊 绿茶 明前 250g", (30,), "R-CLF"),  # inserted after the second character
    ("翠之岭坊 绿茶 礼盒", (30,), "R-CLF"),  # ... after the first
    ("禾丰之园 腊肠 广式 500g", (29,), "R-HFY"),
    ("栖云阁老酱园 黄豆酱 瓶装", (30,), "R-QYG"),  # five characters
])
def test_a_character_inserted_inside_a_longer_chinese_mark_is_a_look_alike(title: str, classes: tuple[int, ...],
                                                                           right: str) -> None:
    got = engine_leads(title, classes)
    assert right in got and "tm.inserted_char" in got[right], got


@pytest.mark.parametrize("title, classes", [
    ("翠岭老坊 绿茶 明前 250g", (25,)),  # another goods class (the mark is not well known)
    ("翠岭 老坊 绿茶 明前", (30,)),  # two words of the title
])
def test_an_inserted_character_needs_the_marks_goods_and_one_word(title: str, classes: tuple[int, ...]) -> None:
    assert "R-CLF" not in engine_leads(title, classes)
