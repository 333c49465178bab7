"""Issue 11, session 22 (tm22zh): a second reading met in one phrase only counts when that phrase is a common word.

wang21's filter (normalize.PHRASE_MIN: a reading read so in at least two phrases of pypinyin's phrase dictionary) also
dropped common readings whose one phrase is a common word: 咖 gā (咖喱), 秘 bì (秘鲁), 六 lù (六安), 番 pān (番禺).
regional/data/common_readings.tsv (build_common_readings: the one phrase counted at least JIEBA_MIN times in jieba's
dictionary) brings them back; 王 yù (no phrase), 万 mò (万俟, counted 5), 南 nā (南无, 0) stay out.

Hand-made marks. The tests named "still" are guards that pass on main c3154d9 too; the others fail there.
"""

from __future__ import annotations

from regional.detection import build_common_readings
from regional.detection import normalize as nz
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([
    tm("R-GL", "嘎乐", (30,)),   # 嘎 gā; 咖 kā, gā (咖喱)
    tm("R-LL", "鹿岭", (33,)),   # 鹿 lù; 六 liù, lù (六安)
    tm("R-PF", "攀峰", (9,)),    # 攀 pān; 番 fān, pān (番禺)
    tm("R-BX", "碧溪", (32,)),   # 碧 bì; 秘 mì, bì (秘鲁)
    tm("R-HW", "海王", (5,)),    # 王 wáng; yù in no phrase
    tm("R-MY", "莫宇", (9,)),    # 莫 mò; 万 wàn, mò (万俟 only, counted 5)
])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_a_reading_of_one_common_phrase_counts() -> None:
    assert nz.common_readings("咖") == {"ka", "ga"}
    assert nz.common_readings("秘") == {"mi", "bi"}
    assert nz.common_readings("六") == {"liu", "lu"}
    assert nz.common_readings("番") == {"fan", "pan"}
    assert nz.sound_string_second("六") == nz.sound_string("路")


def test_still_a_reading_of_no_phrase_or_of_a_rare_one_does_not() -> None:
    assert nz.common_readings("王") == {"wang"}
    assert nz.common_readings("万") == {"wan"}      # 万俟: counted 5 in jieba
    assert nz.common_readings("南") == {"nan"}      # 南无: 0
    assert nz.common_readings("和") == {"he", "huo"}  # hú (和了, 0) still out


def test_the_shipped_list_is_what_the_builder_keeps() -> None:
    rows = [line.split("\t") for line in
            nz.resources.files("regional").joinpath(nz.COMMON_READINGS).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert rows and all(int(n) >= build_common_readings.JIEBA_MIN for *_, n in rows)
    assert ["咖", "ga", "咖喱", "12"] in rows and not any(r[0] == "王" for r in rows)


def test_a_knock_off_through_a_common_one_phrase_reading_is_a_lead() -> None:
    assert "R-GL" in got("咖乐 夹心饼干 原味", (30,))
    assert "R-LL" in got("六岭 浓香型 白酒 500ml", (33,))
    assert "R-PF" in got("番峰 游戏 台式电脑 主机", (9,))
    assert "R-BX" in got("秘溪 天然 矿泉水 整箱", (32,))


def test_still_no_lead_through_a_rare_reading() -> None:
    assert "R-HW" not in got("深海鱼油 软胶囊 100粒", (5,))
    assert "R-MY" not in got("万宇 移动电源 20000毫安", (9,))
