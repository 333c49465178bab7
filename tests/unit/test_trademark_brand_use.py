"""Issue 11, session 16: brand use against word use. A mark named to sell a copy of its goods (同款, 平替, dupe) is a
lead; a mark named to say what the goods fit (适用于, 专用, for), a place name on other goods, a name on printed
matter that says what the goods are about and a three-character mark inside a longer phrase are not; a Chinese mark's
pinyin split into syllables and a c/g letter swap are look-alikes. Hand-made examples with brands of no fixture
(regional/data/eval/)."""

from __future__ import annotations

import pytest

from regional.detection import wording
from regional.detection.engine import Engine
from regional.detection.trademark import TrademarkDetector, _classify_edit
from regional.domain import Listing, Right, RightKind, Seller


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False,
       owner: str = "某某集团有限公司") -> Right:
    return Right(RightKind.TRADEMARK, number, text, owner, "registered", classes, well_known=well_known)


ONITSUKA = tm("R-ONI", "ONITSUKA", (25,))
HUILI = tm("R-HUI", "回力", (25,), owner="回力鞋业有限公司")
DYSON = tm("R-DYS", "DYSON", (11,))
ENGINE = Engine([ONITSUKA, HUILI, DYSON])


def engine_leads(title: str, classes: tuple[int, ...], seller: str = "某某百货商行") -> dict[str, list[str]]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=seller))
    return {f.right: list(f.codes) for f in ENGINE.run([listing]).findings if f.score >= 0.5}


@pytest.mark.parametrize("title, classes, right", [
    ("ONITSUKA同款 复古 德训鞋 男女", (25,), "R-ONI"),
    ("回力 同款 高帮 帆布鞋", (25,), "R-HUI"),
    ("回力的平替 小白鞋 百搭", (25,), "R-HUI"),
    ("DYSON平替 高速 吹风机 负离子", (11,), "R-DYS"),
    ("平替 DYSON 吹风机 家用", (11,), "R-DYS"),
    ("DYSON替代款 吹风机 大功率", (11,), "R-DYS"),
    ("Onitsuka dupe sneakers retro", (25,), "R-ONI"),
    ("Dupe for Dyson hair dryer ionic", (11,), "R-DYS"),
    ("仿ONITSUKA 德训鞋 复古", (25,), "R-ONI"),
    ("回力平价替代 帆布鞋 百搭", (25,), "R-HUI"),
])
def test_a_mark_named_to_sell_a_copy_of_its_own_goods_is_a_lead(title: str, classes: tuple[int, ...],
                                                                  right: str) -> None:
    got = engine_leads(title, classes)
    assert right in got and wording.CODE in got[right], got


@pytest.mark.parametrize("title, classes", [
    ("男女同款 高帮 帆布鞋 白色", (25,)),  # 同款 with no mark beside it
    ("明星同款 复古 德训鞋", (25,)),
    ("适用于 DYSON 吹风机 替换 滤网 平替", (11,)),  # compatibility wording
    ("回力同款 鞋盒 收纳盒 透明", (20,)),  # the mark's goods are shoes, not boxes
    ("不是回力同款 原创设计 帆布鞋", (25,)),  # denied
    ("DYSONIC平替 吹风机", (11,)),  # another word
    ("回力 帆布鞋 经典 白色", (25,)),  # the exact name alone: resale
    ("仿真 回力 帆布鞋 模型 摆件", (25,)),  # 仿真 is a word (lifelike), not 仿 before the mark
])
def test_no_copy_reference_without_the_mark_beside_it_on_its_goods(title: str, classes: tuple[int, ...]) -> None:
    assert all(wording.CODE not in codes for codes in engine_leads(title, classes).values()), engine_leads(
        title, classes)


def test_the_owner_may_call_its_own_goods_the_same_style() -> None:
    assert "R-HUI" not in engine_leads("回力同款 帆布鞋 亲子", (25,), seller="回力鞋业有限公司")


def test_the_reference_reports_its_words() -> None:
    assert wording.reference("hoka平替 跑鞋", "HOKA") == "平替"
    assert wording.reference("ecco 同款 男鞋", "ECCO") == "同款"
    assert wording.reference("男女同款 ecco 男鞋", "ECCO") is None
    assert wording.reference("ecco同款 鞋油 适用", "ECCO") is None


def leads(rights: list[Right], listings: list[Listing]) -> set[tuple[str, str]]:
    return {(f.listing_id, f.right) for f in TrademarkDetector(rights).detect(listings)}


def test_compatibility_wording_beside_a_well_known_mark_is_no_lead() -> None:
    """A well-known mark on goods of another class is a lead; named to say what the goods fit it is not."""
    rights = [tm("WK-G", "格兰仕", (11,), well_known=True), tm("WK-B", "BOSCH", (7,), well_known=True)]
    listings = [Listing(id="cup", title="格兰仕 保温杯 大容量", nice_classes=(21,)),
                Listing(id="remote", title="适用于 格兰仕 微波炉 遥控器 通用", nice_classes=(9,)),
                Listing(id="plate", title="格兰仕专用 微波炉 玻璃转盘", nice_classes=(21,)),
                Listing(id="blade", title="Saw blade for Bosch jigsaw 5 pcs", nice_classes=(8,)),
                Listing(id="bosch_mug", title="BOSCH 马克杯 陶瓷", nice_classes=(21,))]
    assert leads(rights, listings) == {("cup", "WK-G"), ("bosch_mug", "WK-B")}


def test_a_place_name_mark_on_other_goods_names_the_place_unless_used_as_a_brand() -> None:
    rights = [tm("WK-E", "峨眉山", (33,), well_known=True)]
    listings = [Listing(id="tickets", title="峨眉山 金顶 一日游 门票", nice_classes=(39,)),
                Listing(id="hotel", title="峨眉山 脚下 民宿 双床房", nice_classes=(43,)),
                Listing(id="collab", title="峨眉山 联名 T恤 短袖", nice_classes=(25,)),
                Listing(id="souvenir", title="峨眉山 旅游 纪念品 钥匙扣", nice_classes=(26,)),
                Listing(id="edition", title="峨眉山 纪念版 钥匙扣", nice_classes=(26,)),
                Listing(id="liquor_gift", title="峨眉山 白酒 酒杯 套装", nice_classes=(21,))]
    assert leads(rights, listings) == {("collab", "WK-E"), ("edition", "WK-E"), ("liquor_gift", "WK-E")}


def test_a_name_on_printed_matter_that_says_what_it_is_about_is_its_subject() -> None:
    """全聚德 is no ordinary word nor a place: on a book about it, a story or a painting it is the subject; on a
    notebook with no such word, or with a claim of brand use, it stays a lead."""
    rights = [tm("WK-Q", "全聚德", (29, 43), well_known=True)]
    listings = [Listing(id="history", title="全聚德 烤鸭 百年 历史 图书", nice_classes=(16,)),
                Listing(id="tale", title="全聚德 老北京 民间 故事 连环画", nice_classes=(16,)),
                Listing(id="notebook", title="全聚德 笔记本 A5 横线", nice_classes=(16,)),
                Listing(id="official", title="全聚德 官方 文化 图书 礼盒", nice_classes=(16,))]
    assert leads(rights, listings) == {("notebook", "WK-Q"), ("official", "WK-Q")}


def test_a_three_character_mark_inside_a_longer_phrase_on_other_goods_is_the_phrase() -> None:
    """太阳神 inside 太阳神阿波罗 on a statue is the sun god; as a word of its own, with 牌 or with goods words of its
    own classes it stays a lead; in its own class nothing changes."""
    rights = [tm("WK-T", "太阳神", (5, 32), well_known=True)]
    listings = [Listing(id="phrase", title="太阳神阿波罗 石膏 雕塑 摆件", nice_classes=(20,)),
                Listing(id="alone", title="太阳神 石膏 雕塑 摆件", nice_classes=(20,)),
                Listing(id="pai", title="太阳神牌 石膏 摆件", nice_classes=(20,)),
                Listing(id="goods", title="太阳神饮料 造型 摆件", nice_classes=(20,)),
                Listing(id="own_class", title="太阳神阿波罗 口服液 10支", nice_classes=(5,))]
    got = leads(rights, listings)
    assert ("phrase", "WK-T") not in got
    assert {("alone", "WK-T"), ("pai", "WK-T"), ("goods", "WK-T")} <= got


def test_a_chinese_marks_pinyin_split_into_syllables_is_found_without_any_latin_mark() -> None:
    rights = [tm("C-D", "稻香村", (30,)), tm("C-S", "三全", (30,))]
    listings = [Listing(id="split", title="DAO XIANG CUN 月饼 蛋黄", nice_classes=(30,)),
                Listing(id="two", title="DAOXIANG CUN 月饼", nice_classes=(30,)),
                Listing(id="partial", title="DAO XIANG 月饼 蛋黄", nice_classes=(30,)),
                Listing(id="other_words", title="MA LA TANG 调料 火锅", nice_classes=(30,))]
    assert leads(rights, listings) == {("split", "C-D"), ("two", "C-D")}


def test_c_and_g_are_look_alike_letters() -> None:
    assert _classify_edit("egco", "ecco") == "visual"
    assert _classify_edit("crogs", "crocs") == "visual"
    rights = [tm("L-C", "CROCS", (25,))]
    listings = [Listing(id="g", title="GROCS 洞洞鞋 男 夏季", nice_classes=(25,)),
                Listing(id="other_goods", title="GROCS 保温杯", nice_classes=(21,))]
    assert leads(rights, listings) == {("g", "L-C")}


def test_only_a_well_known_mark_reaches_goods_of_another_class() -> None:
    """A mark that is not well known is protected on its own goods: its exact name or confusable letters on other
    goods (Aida on an opera DVD beside AlDA for cheese) are no candidate; a well-known one's are."""
    rights = [tm("P-A", "AIDA", (29,)), tm("P-W", "NESTOR", (29,), well_known=True)]
    detector = TrademarkDetector(rights)
    listings = [Listing(id="opera", title="AlDA 歌剧 精选 DVD", nice_classes=(9,)),
                Listing(id="own", title="AlDA 奶酪 切片 200g", nice_classes=(29,)),
                Listing(id="wk", title="NESTOR 马克杯 陶瓷", nice_classes=(21,))]
    got = {(c.listing.id, c.right.number) for c in detector.candidates(listings)}
    assert ("opera", "P-A") not in got
    assert {("own", "P-A"), ("wk", "P-W")} <= got
