"""Issue 11, session 22 (tm22lat): the full pinyin of a well-known Chinese mark of three characters or more, written as
one Latin word on goods of another class (WEIPINHUI for 唯品会, BILIBILI for 哔哩哔哩: attack13's misses, a tuning
set), is the mark in another script — protected across classes as its traditional form or a whole syllable (饿了ME)
is. Before, a pinyin spelling never "reproduced" the mark, so a well-known mark's pinyin counted on its own goods only.

Why KUDI COFFEE (库迪) stays missed: a two-character mark's pinyin counts only as one word of six letters or more
(acc21: two syllables of four letters are ordinary words and names); that is unchanged, as is the two-character
and the not-well-known case across classes (guards below).

Made-up marks. On main c3154d9 the cross-class lead test fails (no lead); the guards pass there too."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"
RIGHTS = [
    Right(RightKind.TRADEMARK, "R-HY", "鸿运居", "鸿运居餐饮有限公司", "registered", (43,), well_known=True),
    Right(RightKind.TRADEMARK, "R-JX", "锦绣坊", "锦绣坊家纺有限公司", "registered", (24,)),
    Right(RightKind.TRADEMARK, "R-XC", "星驰", "星驰科技有限公司", "registered", (9,), well_known=True),
]
ENGINE = Engine(RIGHTS)


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, price=19.9, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_full_pinyin_of_a_well_known_mark_on_other_goods_is_a_lead() -> None:
    assert "R-HY" in got("HONGYUNJU 帆布 购物袋 环保袋", (18,))


def test_full_pinyin_on_the_marks_goods_stays_a_lead() -> None:
    assert "R-JX" in got("JINXIUFANG 纯棉 床单 四件套", (24,))


def test_pinyin_of_a_mark_not_well_known_on_other_goods_is_no_lead() -> None:
    assert "R-JX" not in got("JINXIUFANG 陶瓷 马克杯", (21,))


def test_two_character_pinyin_of_a_well_known_mark_on_other_goods_is_no_lead() -> None:
    assert "R-XC" not in got("XINGCHI 帆布 购物袋", (18,))
