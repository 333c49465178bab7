"""A false claim of origin or authorisation (session 21, regional/detection/wording.py): the exact mark on its own goods
with 官方, 旗舰店, 专柜, 授权, 官网, 直营 or "official"/"authorised", by a shop that is neither the owner nor a
licensee, is a lead (tm.origin_claim); the owner, a licensee, a reseller that claims nothing (原装/原厂 "genuine" included),
a denied claim (非官方) and compatibility wording (适用, 兼容, "for") stay quiet."""

from __future__ import annotations

import pytest

from regional.detection import wording
from regional.detection.engine import Engine
from regional.domain import Licence, Listing, Right, RightKind, Seller

SUPOR = Right(RightKind.TRADEMARK, "TM-S", "苏泊尔", "浙江苏泊尔股份有限公司", "registered", (21,))
KINGSTON = Right(RightKind.TRADEMARK, "TM-K", "金士顿", "金士顿科技公司", "registered", (9,))
SHIMANO = Right(RightKind.TRADEMARK, "TM-SH", "SHIMANO", "株式会社岛野", "registered", (12,))
EPSON = Right(RightKind.TRADEMARK, "TM-E", "爱普生", "精工爱普生株式会社", "registered", (2, 9))
BUICK = Right(RightKind.TRADEMARK, "TM-B", "别克", "通用汽车公司", "registered", (12,))
ENGINE = Engine([SUPOR, KINGSTON, SHIMANO, EPSON, BUICK], [Licence("TM-S", "杭州苏泊尔厨具专卖有限公司")])
SHOP = "某某百货商行"


def leads(title: str, seller: str = SHOP, classes: tuple[int, ...] = ()) -> dict[str, list[str]]:
    listing = Listing(id="x", title=title, seller=Seller(name=seller), price=99.0, nice_classes=classes)
    return {f.right: list(f.codes) for f in ENGINE.run([listing]).findings if f.score >= 0.5}


@pytest.mark.parametrize("title, classes, right", [
    ("苏泊尔 官方旗舰 不粘锅 炒锅 正品", (21,), "TM-S"),
    ("金士顿 官方 正品 U盘 1TB 高速", (9,), "TM-K"),
    ("SHIMANO 官方 正品 套件 105 变速 全套", (12,), "TM-SH"),
    ("Shimano official 105 groupset", (12,), "TM-SH"),
    ("别克 官方 授权 车标 英朗", (12,), "TM-B"),
    ("爱普生 官方直营 墨盒 T6721 黑色", (2,), "TM-E"),
])
def test_an_exact_mark_claimed_official_by_another_shop_is_a_lead(title: str, classes: tuple[int, ...],
                                                                  right: str) -> None:
    got = leads(title, classes=classes)
    assert right in got and wording.CLAIM_CODE in got[right], got


@pytest.mark.parametrize("title, seller, classes", [
    ("苏泊尔 官方旗舰 不粘锅 炒锅", "浙江苏泊尔股份有限公司", (21,)),  # the owner
    ("苏泊尔 官方授权 电饭煲 4L", "杭州苏泊尔厨具专卖有限公司", (21,)),  # a licensee
    ("苏泊尔 不粘锅 炒锅 30cm", SHOP, (21,)),  # a reseller that claims nothing: resale, as before
    ("苏泊尔 授权 经销商 电饭煲 4L", SHOP, (21,)),  # an authorised dealer says so (no registry licence): resale
    ("苏泊尔 专柜 同步 电饭煲 4L", SHOP, (21,)),
    ("authorised dealer shimano 105 groupset", SHOP, (12,)),
    ("原装 爱普生 墨盒 T6721 黑色", SHOP, (2,)),  # 原装 "genuine": a reseller of genuine goods says so
    ("别克 原厂 中网 英朗 正品", SHOP, (12,)),  # a 原厂 part; a 原厂 badge is a claim since session 23 (tm23fp)
    ("适用 爱普生 官方 墨盒 T6721", SHOP, (2,)),  # compatible consumables
    ("兼容 爱普生 墨盒 官方 品质", SHOP, (2,)),
    ("官方品质 墨盒 for 爱普生 L805", SHOP, (2,)),
    ("别克 英朗 非官方 授权 保险杠", SHOP, (12,)),  # the claim denied
    ("金士顿 非官方授权 U盘", SHOP, (9,)),
    ("苏泊尔 官方 电饭煲 说明书 图书", SHOP, (16,)),  # another class: no claim of the mark's goods
])
def test_the_owner_a_licensee_a_plain_reseller_and_compatible_goods_stay_quiet(title: str, seller: str,
                                                                                classes: tuple[int, ...]) -> None:
    got = leads(title, seller, classes)
    assert not any(wording.CLAIM_CODE in codes for codes in got.values()), got


@pytest.mark.parametrize("text, claim", [
    ("苏泊尔 官方旗舰", "官方"), ("shimano official 105", "official"), ("authorised dealer nike", None),
    ("苏泊尔 授权 专卖", None), ("专柜 同步 正品", None),
    ("unofficial nike fan shirt", None), ("not official nike", None), ("非官方 墨盒", None), ("适用 官方", None),
    ("原装 墨盒", None),
    ("苏泊尔 炒锅", None),
])
def test_claim_words(text: str, claim: str | None) -> None:
    assert wording.claim(text) == claim


# --- a capital read by its English letter name (肯德G: G is said "ji" = 基) --------------------------------------------
KFC = Right(RightKind.TRADEMARK, "TM-KFC", "肯德基", "肯德基国际控股有限公司", "registered", (43, 29, 30), well_known=True)
SPRITE = Right(RightKind.TRADEMARK, "TM-SP", "雪碧", "可口可乐公司", "registered", (32,))
FRAGRANT = Right(RightKind.TRADEMARK, "TM-FR", "香飘飘", "香飘飘食品股份有限公司", "registered", (30,))
LETTERS = Engine([KFC, SPRITE, FRAGRANT], [])


def letter_leads(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, seller=Seller(name=SHOP), price=100.0, nice_classes=classes)
    return {f.right for f in LETTERS.run([listing]).findings if f.score >= 0.5}


def test_a_capital_read_by_its_letter_name_writes_the_marks_character() -> None:
    assert "TM-KFC" in letter_leads("肯德G 炸鸡 汉堡 加盟 全套 技术", (43,))


@pytest.mark.parametrize("title, classes", [
    ("雪B 汽水 330ml 24罐", (32,)),  # two characters, not well known: a letter says too little (as for initials)
    ("肯德g 炸鸡 汉堡 加盟", (43,)),  # not a capital
    ("香飘W 奶茶 冲饮 10杯", (30,)),  # W is no "piao"
])
def test_letter_names_only_for_capitals_of_longer_or_well_known_marks(title: str, classes: tuple[int, ...]) -> None:
    assert not letter_leads(title, classes)


# --- a Latin mark spelt out letter by letter (K I M B O, L.E.K.I) ------------------------------------------------------
KIMBO = Right(RightKind.TRADEMARK, "TM-KI", "KIMBO", "Cafe do Brasil S.p.A.", "registered", (30,))
LEKI = Right(RightKind.TRADEMARK, "TM-LE", "LEKI", "LEKI Lenhart GmbH", "registered", (28,))
SPELT = Engine([KIMBO, LEKI], [])


def spelt_leads(title: str, classes: tuple[int, ...]) -> dict[str, list[str]]:
    listing = Listing(id="x", title=title, seller=Seller(name=SHOP), price=60.0, nice_classes=classes)
    return {f.right: list(f.codes) for f in SPELT.run([listing]).findings if f.score >= 0.5}


@pytest.mark.parametrize("title, classes, right", [
    ("K I M B O 意式 咖啡豆 1kg", (30,), "TM-KI"),
    ("K.I.M.B.O 咖啡豆 深烘", (30,), "TM-KI"),
    ("L.E.K.I 登山杖 碳素 伸缩", (28,), "TM-LE"),
    ("户外 L E K I 登山杖", (28,), "TM-LE"),
])
def test_a_latin_mark_spelt_out_letter_by_letter_is_the_mark_written_apart(title: str, classes: tuple[int, ...],
                                                                           right: str) -> None:
    got = spelt_leads(title, classes)
    assert right in got and "tm.spacing" in got[right], got


@pytest.mark.parametrize("title, classes", [
    ("KIMBO 意式 咖啡豆 1kg", (30,)),  # the exact mark alone: resale, as before
    ("LE KI 登山杖", (28,)),  # a four-letter mark in two parts: not spelt out
    ("K I M B O 马克杯 陶瓷", (21,)),  # other goods
    ("S M L XL 码 T恤", (25,)),  # sizes: no mark spelt
])
def test_letters_apart_need_the_whole_mark_letter_by_letter_on_its_goods(title: str, classes: tuple[int, ...]) -> None:
    assert not spelt_leads(title, classes)
