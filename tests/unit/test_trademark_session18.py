"""Issue 11, session 18: classes of false lead read from the tenth held-out set (a tuning set since).

An English word one edit from a Latin mark that does not sound like it (Hilt for HILTO) is the word unless the listing
is priced like a knock-off; a word that sounds like the mark (Cannon for KANON) stays a lead. A two-character mark
that starts a four-character idiom or title (和颜悦色 for 和颜) is that phrase; a mark the title word's ordinary words
cross (周期福利: 周期 + 福利) is none. A look-alike reading inside another registered mark written exactly (顺大祥 is
not 顺六祥 through 大/六) and a shorter mark inside a longer one at its place (六祥 in 顺穴祥 for 顺六祥) give no lead.
A well-known mark that is an idiom (锦上添花) is an ordinary phrase on couplets. Hand-made examples with brands of no
fixture (regional/data/eval/)."""

from __future__ import annotations

import pytest

from regional.detection import normalize as nz
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False,
       owner: str = "某某集团有限公司") -> Right:
    return Right(RightKind.TRADEMARK, number, text, owner, "registered", classes, well_known=well_known)


ENGINE = Engine([
    tm("R-HLT", "HILTO", (8,)), tm("R-KNN", "KANON", (9,)), tm("R-MSK", "MOSKAT", (9,)),
    tm("R-HY", "和颜", (21,)), tm("R-ZQF", "周期福", (14,)), tm("R-QF", "期福", (14,), owner="期福珠宝有限公司"),
    tm("R-SDX", "顺大祥", (14,), owner="顺大祥珠宝有限公司"), tm("R-SLX", "顺六祥", (14,), owner="顺六祥珠宝有限公司"),
    tm("R-LX", "六祥", (14,), owner="顺六祥珠宝有限公司"),
    tm("R-JSH", "锦上添花", (24,), well_known=True),
    tm("R-QLG", "栖岚阁", (21,), owner="栖岚阁瓷业有限公司"), tm("R-QLGY", "栖岚阁苑", (21,)),
])


def leads(*listings: Listing) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for f in ENGINE.run(list(listings)).findings:
        out.setdefault(f.listing_id, {})[f.right] = list(f.codes)
    return out


def listing(title: str, classes: tuple[int, ...], price: float | None = None, seller: str = SHOP,
            id: str = "x") -> Listing:
    return Listing(id=id, title=title, nice_classes=classes, price=price, seller=Seller(name=seller))


# -- 1. English words one edit from a Latin mark -------------------------------------------------------------------

def test_the_word_lists_hold_words_beyond_the_ten_thousand_commonest() -> None:
    assert nz.is_english_word("hilt") and nz.is_english_word("mascot") and nz.is_english_word("belly")
    assert nz.is_english_word("radio")  # levels 10 and 20 too
    assert not nz.is_english_word("hilto") and not nz.is_english_word("moskat")


@pytest.mark.parametrize("title, classes", [
    ("Hilt 刀柄 户外 折叠刀 配件", (8,)),  # one letter left out, another sound
    ("Mascot 吉祥物 卡通 防蓝光 眼镜", (9,)),  # a vowel and a letter: MOSKAT
])
def test_an_english_word_that_does_not_sound_like_the_mark_is_the_word(title: str, classes: tuple[int, ...]) -> None:
    assert leads(listing(title, classes)) == {}


def test_the_same_word_priced_like_a_knock_off_is_still_a_lead() -> None:
    genuine = [listing(f"HILTO 专业 刀具 {k}", (8,), 1200.0 + k, id=f"g{k}") for k in range(6)]
    got = leads(*genuine, listing("Hilt 刀具 专业 户外", (8,), 39.0, id="cheap"))
    assert "R-HLT" in got.get("cheap", {}) and "tm.cheap" in got["cheap"]["R-HLT"], got


def test_an_english_word_that_sounds_like_the_mark_stays_a_lead() -> None:
    got = leads(listing("Cannon 数码相机 微单", (9,)))  # said aloud, KANON: no price needed
    assert "R-KNN" in got.get("x", {}), got


def test_a_misspelling_that_is_no_word_is_still_a_lead() -> None:
    got = leads(listing("Hiltto 刀具 专业 户外", (8,)))
    assert "R-HLT" in got.get("x", {}), got


# -- 2. Longer ordinary words and phrases --------------------------------------------------------------------------

def test_a_two_character_mark_that_starts_an_idiom_is_the_idiom() -> None:
    assert leads(listing("和颜悦色 陶瓷 马克杯", (21,))) == {}
    assert "R-HY" in leads(listing("和颜 高仿 陶瓷 马克杯", (21,))).get("x", {})  # the mark as a word of its own (a copy: 高仿)


@pytest.mark.parametrize("title", ["周期福利 秒杀 925银 项链", "限时周期福利 手链"])
def test_a_mark_crossed_by_the_title_words_ordinary_words_is_none(title: str) -> None:
    got = leads(listing(title, (14,)))
    assert "R-ZQF" not in got.get("x", {}) and "R-QF" not in got.get("x", {}), got


def test_the_mark_then_a_goods_word_is_still_the_mark() -> None:
    got = leads(listing("周期福黄金 高仿 项链 足金", (14,)))
    assert "R-ZQF" in got.get("x", {}), got


# -- 3. Registered names and longer marks over the same span ------------------------------------------------------

def test_another_registered_mark_written_exactly_is_no_look_alike() -> None:
    owner = leads(listing("顺大祥 足金 黄金 手链", (14,), seller="顺大祥珠宝有限公司"))
    assert owner == {}, owner  # its owner's listing: neither 顺六祥 nor 六祥 through 大/六
    shop = leads(listing("顺大祥 高仿 足金 黄金 手链", (14,)))
    assert set(shop.get("x", {})) == {"R-SDX"}, shop  # a shop's: the exact mark only


def test_a_shorter_mark_inside_a_longer_ones_reading_gives_no_second_lead() -> None:
    got = leads(listing("顺穴祥 黄金 耳钉 足金", (14,)))
    assert set(got.get("x", {})) == {"R-SLX"}, got  # not 六祥 through 穴祥 as well
    genuine = [listing(f"顺六祥 足金 黄金 耳钉 {k}", (14,), 3000.0 + k, seller="顺六祥珠宝有限公司", id=f"g{k}")
               for k in range(6)]
    exact = leads(*genuine, listing("顺六祥 黄金 耳钉 足金", (14,), 199.0))
    assert set(exact.get("x", {})) == {"R-SLX"}, exact  # the exact longer mark at a knock-off's price: not 六祥 too
    alone = leads(listing("六祥 高仿 黄金 耳钉", (14,)))
    assert set(alone.get("x", {})) == {"R-LX"}, alone


# -- 4. A well-known mark that is an idiom ------------------------------------------------------------------------

def test_a_well_known_idiom_mark_on_couplets_is_the_phrase() -> None:
    assert leads(listing("锦上添花 春联 对联 2027 新年 大门", (16,))) == {}
    assert "R-JSH" in leads(listing("锦上添花 高仿 四件套 床上用品", (24,))).get("x", {})  # its own goods
    assert "R-JSH" in leads(listing("锦上添花 官方 春联 礼盒", (16,))).get("x", {})  # a sign of brand use


def test_a_shorter_mark_written_exactly_is_not_covered_by_a_longer_marks_weaker_reading() -> None:
    """栖岚阁 written exactly, then 瓷: a one-character change of 栖岚阁苑 at best, which does not explain away the exact
    shorter mark (the generated world's 首宇穰 in 首宇穰陶 beside 首宇穰紫)."""
    genuine = [listing(f"栖岚阁 陶瓷碗 套装 {k}", (21,), 300.0 + k, seller="栖岚阁瓷业有限公司", id=f"g{k}")
               for k in range(6)]
    got = leads(*genuine, listing("栖岚阁瓷 陶瓷碗 套装", (21,), 19.0))
    assert "R-QLG" in got.get("x", {}), got
