"""Issue 11, session 21 (wang21): attack12's "Latin letter for the last character" misses (肯德G, 饿了ME).

acc20 (session 19) reads a title word that is a mark with one character written as its pinyin (宝MA) or, as a capital,
its pinyin initial (奥D). Two forms were still missed:
- a capital read aloud by its letter name, which is the character's syllable (肯德G for 肯德基: G is jī), under the same
  conditions as an initial (a mark of three characters or more, or a well-known one);
- a well-known mark with one character written as its whole syllable on goods of another class (饿了ME on a delivery
  box): the whole syllable reproduces the mark in another script, as a traditional form does, and a well-known mark
  is protected against that across classes (a mere sound-alike on other goods still is not).

Hand-made marks of no fixture. The tests named "still" are guards that pass on main a3e46f4 too; the others fail there.
"""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


ENGINE = Engine([
    tm("R-FD", "福德基", (43,)),                     # 基 jī: the letter G
    tm("R-TB", "泰安比", (9,)),                      # 比 bǐ: the letter B
    tm("R-AB", "安比", (9,)),                        # two characters, not well known: no initial, no letter name
    tm("R-LL", "乐了么", (35, 43), well_known=True),
    tm("R-BL", "饱了么", (35, 43)),                  # not well known
])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, price=89.0, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_a_capital_read_as_its_letter_name_is_the_character() -> None:
    assert "R-FD" in got("福德G 炸鸡 汉堡 加盟", (43,))
    assert "R-TB" in got("泰安B 蓝牙耳机", (9,))


def test_a_capital_of_another_name_or_a_short_mark_is_still_no_lead() -> None:
    assert "R-FD" not in got("福德Q 炸鸡 汉堡", (43,))     # Q is no jī
    assert "R-FD" not in got("福德g 炸鸡 汉堡", (43,))     # a lower-case letter is no capital read aloud
    assert "R-AB" not in got("安B 蓝牙耳机", (9,))         # two characters, not well known (K歌, U盘, T恤)


def test_a_well_known_mark_with_a_whole_syllable_is_protected_on_other_goods() -> None:
    assert "R-LL" in got("乐了ME 外卖 骑手 保温箱 48升", (21,))


def test_a_mark_not_well_known_is_still_protected_on_its_goods_only() -> None:
    assert "R-BL" not in got("饱了ME 外卖 骑手 保温箱 48升", (21,))
    assert "R-BL" in got("饱了ME 外卖 订餐", (43,))
    assert "R-LL" not in got("乐了M 外卖 保温箱", (21,))     # an initial on other goods: a mere sound-alike
