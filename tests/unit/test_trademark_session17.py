"""Issue 11, session 17: classes of miss and false lead read from the ninth held-out set (a tuning set since).

A Chinese mark of three or more characters with one character inserted inside it is a look-alike (as a
two-character one already was); a one-word Latin mark written in parts (U-GREEN for UGREEN) is a spacing variant;
-ite- inside a word sounds as -ight- (NIGHTGLO for NITEGLO); 8 is a look-alike of B (digits read as letters only among letters: 5L is five litres, not SL); au sounds like o; a radical beside or around the same phonetic part (话 for 适) is a
frame swap; a doubled two-character mark copied as a doubled homophone (丽丽 for 莉莉) is a sound-alike; 工厂货, 尾单 and 莆田货 beside a mark say the goods are copies. Not leads: a
two-character mark that is the start or end of a longer ordinary word (望远镜 for 望远), and a two-character look-alike
made of the end of one word of the title and the start of the next. Hand-made examples with brands of no fixture (regional/data/eval/)."""

from __future__ import annotations

import pytest

from regional.detection import wording
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False,
       owner: str = "某某集团有限公司") -> Right:
    return Right(RightKind.TRADEMARK, number, text, owner, "registered", classes, well_known=well_known)


CUILING = tm("R-CLF", "翠岭坊", (30,))
HEFENG = tm("R-HFY", "禾丰园", (29,))
QIYUN = tm("R-QYG", "栖云阁酱园", (30,))
VANTREK = tm("R-VTK", "VANTREK", (9,))
KOLBRANE = tm("R-KBR", "KOLBRANE", (3,))
BRIXO = tm("R-BRX", "BRIXO", (9,))
TAUVEX = tm("R-TVX", "TAUVEX", (25,))
HEYUE = tm("R-HY", "禾悦", (30,))
WANGYUAN = tm("R-WY", "望远", (9,))
XIANGRI = tm("R-XR", "向日", (31,))
HESHI = tm("R-HS", "禾适", (3,))
QINGSHI = tm("R-QSF", "青适坊", (3,))
SL = tm("R-SL", "SL", (16, 20))
BB = tm("R-BB", "BB", (16,))
ENGINE = Engine([CUILING, HEFENG, QIYUN, VANTREK, KOLBRANE, BRIXO, TAUVEX, HEYUE, WANGYUAN, XIANGRI, HESHI, QINGSHI,
                 SL, BB, tm("R-LL", "莉莉", (32,)), tm("R-NG", "NITEGLO", (11,)), tm("R-BV", "BRIGHTVOX", (9,))])


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


@pytest.mark.parametrize("title, classes, right, code", [
    ("VAN-TREK 扩展坞 USB-C 转接", (9,), "R-VTK", "tm.spacing"),
    ("Van Trek 扩展坞 拓展坞", (9,), "R-VTK", "tm.spacing"),
    ("KOL BRA NE 精华 水乳 套装", (3,), "R-KBR", "tm.spacing"),
    ("8RIXO 蓝牙 耳机 降噪", (9,), "R-BRX", "tm.latin_confusable"),
    ("TOVEX 跑步鞋 男 缓震", (25,), "R-TVX", "tm.latin_phonetic"),
    ("NIGHTGLO 强光手电 户外", (11,), "R-NG", "tm.latin_phonetic"),
    ("BRITEVOX 蓝牙音箱 便携", (9,), "R-BV", "tm.latin_phonetic"),
])
def test_latin_marks_in_parts_digit_look_alikes_and_sound_alikes(title: str, classes: tuple[int, ...], right: str,
                                                                code: str) -> None:
    got = engine_leads(title, classes)
    assert right in got and code in got[right], got


@pytest.mark.parametrize("title, classes", [
    ("VANTREK 扩展坞 USB-C 原装", (9,)),  # the mark itself: resale
    ("VAN-TREK 登山包 户外", (18,)),  # other goods (not well known)
    ("8 RIXO 耳机", (9,)),  # a number and a word
    ("5L 收纳盒 透明 带盖", (20,)),  # five litres, not SL
    ("8B 素描铅笔 12支", (16,)),  # a pencil grade, not BB
])
def test_no_lead_for_the_mark_itself_or_other_goods(title: str, classes: tuple[int, ...]) -> None:
    assert not engine_leads(title, classes), engine_leads(title, classes)


@pytest.mark.parametrize("title, classes, right", [
    ("VANTREK 扩展坞 工厂货", (9,), "R-VTK"),
    ("KOLBRANE 精华水 外贸尾单", (3,), "R-KBR"),
    ("TAUVEX 跑步鞋 莆田货 男", (25,), "R-TVX"),
])
def test_the_trades_words_for_copies_beside_the_mark_are_counterfeit_wording(title: str, classes: tuple[int, ...],
                                                                            right: str) -> None:
    got = engine_leads(title, classes)
    assert right in got and wording.CODE in got[right], got


@pytest.mark.parametrize("title, classes, right", [
    ("望远镜 高清 夜视 双筒", (9,), "R-WY"),  # 望远镜 (telescope) is a word
    ("向日葵种子 观赏 花卉", (31,), "R-XR"),  # 向日葵 (sunflower)
    ("青禾 月饼 礼盒", (30,), "R-HY"),  # 禾 ends one word, 月 starts the next: no 禾月 (禾悦) in the title
])
def test_a_two_character_mark_inside_a_longer_word_or_across_two_words_is_no_lead(
        title: str, classes: tuple[int, ...], right: str) -> None:
    assert right not in engine_leads(title, classes)


def test_the_same_look_alike_within_one_word_is_still_a_lead() -> None:
    assert "R-HY" in engine_leads("禾月 月饼 礼盒", (30,))


@pytest.mark.parametrize("title, right", [
    ("禾话 洗发水 去屑", "R-HS"),  # 话 a(讠,舌) for 适 sbl(辶,舌)
    ("青话坊 洗发水 去屑", "R-QSF"),
])
def test_another_radical_around_the_same_phonetic_part_is_a_look_alike(title: str, right: str) -> None:
    got = engine_leads(title, (3,))
    assert right in got and "tm.lookalike" in got[right], got
    assert right not in engine_leads(title.replace("洗发水 去屑", "T恤"), (25,))  # not on other goods


def test_a_doubled_mark_copied_as_a_doubled_homophone_is_a_sound_alike() -> None:
    got = engine_leads("丽丽 椰汁 整箱", (32,))
    assert "R-LL" in got and "tm.homophone" in got["R-LL"], got
    assert "R-LL" not in engine_leads("丽丽 T恤 纯棉", (25,))  # not on other goods
