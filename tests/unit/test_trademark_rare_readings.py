"""Issue 11, session 21 (wang21): a character's second reading only when it is a real, common reading.

pypinyin's character dictionary lists every reading any source knows: 王 'wáng,wàng,yù' (yù as the 玉 radical),
万 'wàn,mò' (万俟), 南 'nán,nā' (南无). The code tables took the first other toneless reading as a character's second
reading, so every yu-character (鱼 玉 雨 域) was a homophone of 王 and a genuine fish-oil listing (深海鱼油) a 海王
look-alike "sounds like 'hai wang'". A second reading now counts only when pypinyin's phrase dictionary reads the
character so in at least normalize.PHRASE_MIN phrases (行 háng in 银行, 长 cháng, 重 chóng, 乐 yuè, 地 de).

Hand-made marks (海王 and 长城 are real brands, used here only for their readings). The tests named "still" are guards
that pass on main a3e46f4 too; the others fail there.
"""

from __future__ import annotations

import numpy as np

from regional.detection import code_tables
from regional.detection import normalize as nz
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([
    tm("R-HW", "海王", (5,)),    # 王: wáng, wàng, yù (rare)
    tm("R-WL", "王林", (30,)),
    tm("R-WY", "万宇", (9,)),    # 万: wàn, mò (万俟 only)
    tm("R-NM", "南木", (20,)),   # 南: nán, nā (南无 only)
    tm("R-CH", "长虹", (9,)),    # 长: zhǎng first, cháng (407 phrases)
    tm("R-CC", "长城", (33,)),
    tm("R-HJ", "行家", (21,)),   # 行: xíng first, háng (银行)
    tm("R-CY", "重阳", (33,)),   # 重: zhòng first, chóng
    tm("R-YF", "乐府", (33,)),   # 乐: lè first, yuè (音乐)
    tm("R-HB", "航邦", (12,)),   # the listing's character read its second way (行 as háng)
    tm("R-BC", "百草味", (29,)),  # 草: cǎo, zào (rare); 早 zǎo is its part
    tm("R-BH", "北大荒", (30,)),  # 荒 huāng; 芒 máng, huāng (rare) is its part
])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def second(ch: str) -> str:
    return nz.sound_string_second(ch)


def test_a_rare_reading_is_no_second_reading() -> None:
    assert second("王") == nz.sound_string("王")          # yù is no second reading of 王
    assert second("万") == nz.sound_string("万") and second("南") == nz.sound_string("南")
    assert second("于") == nz.sound_string("于")          # yú; wéi, xū in no phrase
    assert nz.common_readings("王") == {"wang"} and "yu" in nz.char_readings("王")
    assert nz.common_readings("和") == {"he", "huo"}      # hú (和了) in one phrase only: left out, huó kept
    assert nz.part_homophone("早", "草") and nz.part_homophone("荒", "芒")
    assert not nz.part_homophone("鱼", "王") and not nz.part_homophone("铝", "吕")   # no part / a common homophone
    assert all(r in nz.common_readings(ch) for ch, r in (("行", "hang"), ("长", "chang"), ("重", "chong"), ("地", "de")))


def test_common_second_readings_still_count() -> None:
    for ch, reading in (("行", "hang"), ("长", "chang"), ("重", "chong"), ("乐", "yue"), ("地", "de"), ("调", "tiao")):
        assert second(ch) == nz.sound_string({"hang": "航", "chang": "常", "chong": "崇", "yue": "悦", "de": "德",
                                              "tiao": "条"}[reading]), ch


def test_the_shipped_tables_hold_the_filtered_second_readings() -> None:
    tables = code_tables.shipped()
    assert tables is not None
    syllables = tables["syllables"].tobytes().decode().split("\n")
    at = {int(cp): k for k, cp in enumerate(tables["pinyin_cp"])}
    for ch, want in (("王", "wang"), ("于", "yu"), ("行", "hang"), ("长", "chang")):
        assert syllables[int(tables["pinyin_second"][at[ord(ch)]])] == want, ch
    sound, second_codes, _shape = nz._code_arrays()
    assert second_codes[ord("王")] == sound[ord("王")] and second_codes[ord("行")] != sound[ord("行")]
    assert np.count_nonzero(second_codes != sound) < 3000   # was 6,972 characters with a second reading


def test_a_genuine_fish_oil_listing_is_no_hai_wang_look_alike() -> None:
    assert got("深海鱼油 软胶囊 1000mg 100粒", (5,)) == set()
    assert got("BLACKMORES 澳佳宝 深海鱼油 1000mg 400粒", (5,)) == set()   # attack12's authorised reseller
    assert got("海域 深海鱼油 omega3", (5,)) == set()
    assert got("海雨 维生素C 咀嚼片", (5,)) == set()
    assert got("海YU 鱼油 软胶囊", (5,)) == set()                          # 王 written as yu: no common reading


def test_other_rare_readings_make_no_homophone() -> None:
    assert got("鱼林 饼干 散装", (30,)) == set()        # 鱼 yú / 王 yù
    assert got("墨宇 充电宝 20000毫安", (9,)) == set()   # 墨 mò / 万 mò (万俟)
    assert got("那木 实木家具 床头柜", (20,)) == set()   # 那 nà / 南 nā (南无)


def test_a_knock_off_in_the_marks_second_common_reading_is_still_a_lead() -> None:
    assert "R-CH" in got("常虹 液晶电视 55寸", (9,))
    assert "R-CC" in got("常城 干红 葡萄酒 750ml", (33,))
    assert "R-HJ" in got("航家 不锈钢 炒锅", (21,))
    assert "R-CY" in got("崇阳 白酒 500ml", (33,))
    assert "R-YF" in got("悦府 葡萄酒 礼盒", (33,))
    assert "R-HB" in got("行邦 汽车配件 刹车片", (12,))


def test_a_character_written_as_its_part_and_read_alike_in_a_rare_reading_is_still_a_lead() -> None:
    # were caught on main only through the rare reading (attack6 百早味, attack10 北大芒): now through the shape too
    assert "R-BC" in got("百早味 芒果干 蜜饯 果脯 500g", (29,))
    assert "R-BH" in got("北大芒 东北大米 长粒香 10kg", (30,))


def test_a_homophone_in_the_primary_reading_is_still_a_lead() -> None:
    assert "R-HW" in got("海望 维生素C片", (5,))
    assert "R-WY" in got("万玉 充电宝", (9,))            # 玉 yù / 宇 yǔ: the same toneless reading
