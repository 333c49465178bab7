"""Issue 11, session 21 (rev21): a two-character Chinese mark written with its two characters reversed.

光富 on a sports water cup for 富光, 泰索 on a graphics card for 索泰 (both missed by the sealed attack13, now a tuning set,
style "char_reorder"): retrieved by the reversed pair (a sorted array of reversed keys looked up from the title's
two-character windows) and judged as tm.reordered, on the mark's own goods only — never across classes, not when the
reversal is an ordinary word (统一 -> 一统, jieba's dictionary: nz.is_chinese_word) or another registered mark, and not
for the owner.

Hand-made rights (the two positives' texts are attack13's); the positive test fails on integ21 271b9af (checked),
the "stays quiet" ones are guards that pass there too."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.detection.normalize import is_chinese_word
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"
OWNER = "某某集团有限公司"


def tm(number: str, text: str, classes: tuple[int, ...], *, owner: str = OWNER, well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, owner, "registered", classes, well_known=well_known)


ENGINE = Engine([
    tm("R-FG", "富光", (21,)),                      # cups: 光富 is no word
    tm("R-ZT", "索泰", (9,)),                       # graphics cards: 泰索 is no word
    tm("R-TY", "统一", (30,), well_known=True),     # instant noodles: 一统 is an ordinary word
    tm("R-GC", "冠驰", (12,), well_known=True),     # a well-known mark: 驰冠 is no word
    tm("R-HX", "恒星", (9,)),                       # 星恒, its reversal, is registered to another owner
    tm("R-XH", "星恒", (12,), owner="另一家电池有限公司"),
])


def findings(title: str, classes: tuple[int, ...], seller: str = SHOP) -> list[tuple[str, tuple[str, ...]]]:
    listing = Listing(id="x", title=title, nice_classes=classes, price=None, seller=Seller(name=seller))
    return [(f.right, tuple(f.codes or ())) for f in ENGINE.run([listing]).findings]


def rights(title: str, classes: tuple[int, ...], seller: str = SHOP) -> set[str]:
    return {r for r, _codes in findings(title, classes, seller)}


def test_a_two_character_mark_reversed_on_its_goods_is_a_lead() -> None:
    assert [r for r, cs in findings("光富 运动 水杯 大容量 tritan", (21,)) if "tm.reordered" in cs] == ["R-FG"]
    assert "R-ZT" in rights("泰索 RTX4070 显卡 白色", (9,))
    assert "R-FG" in rights("316不锈钢 保温杯 光富 户外", (21,))
    assert "R-GC" in rights("驰冠 电动车 头盔 外卖", (12,))  # a well-known mark on its own goods


def test_a_reversed_mark_on_other_goods_stays_quiet() -> None:
    assert "R-FG" not in rights("光富 运动 T恤 速干", (25,))
    assert "R-ZT" not in rights("泰索 瑜伽垫 加厚", (28,))
    # a well-known mark is not protected across classes against a reversal either
    assert not is_chinese_word("驰冠")
    assert "R-GC" not in rights("驰冠 运动鞋 男款", (25,))
    assert "R-TY" not in rights("一统 牛肉面 5连包", (29,))


def test_a_reversal_that_is_an_ordinary_word_stays_quiet() -> None:
    assert is_chinese_word("一统") and not is_chinese_word("光富")  # the premise, from jieba's dictionary
    assert "R-TY" not in rights("一统 牛肉面 5连包", (30,))
    assert "R-TY" not in rights("大一统 老坛酸菜 方便面", (30,))


def test_a_reversal_that_is_another_registered_mark_stays_quiet() -> None:
    assert "R-HX" not in rights("星恒 锂电池 48V", (9,))


def test_the_owner_selling_the_reversed_form_is_no_lead() -> None:
    assert "R-FG" not in rights("光富 运动 水杯 大容量 tritan", (21,), seller=OWNER)


def test_the_mark_in_a_longer_name_or_a_pair_across_words_stays_quiet() -> None:
    assert "R-FG" not in rights("时光 富贵 水杯", (21,))       # 光 富 from two words
    assert "R-ZT" not in rights("泰索尼克 显卡 支架", (9,))    # inside a longer made-up name
