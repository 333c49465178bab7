"""Seller dedup error classes of issue 11, session 9 (seen on tuning seeds 1-10, hand-written here, not generated
by the code under test):

- a trade name that starts with a city's name written short (银川斋厨具有限公司, 德阳源家纺, 安康泉官方店, 信阳自营店):
  read as a place it left a one-character trade name (斋, 源, 泉) or none, and the city as the registration
  place — a conflict with the firm's real city (嘉兴市银川斋厨具有限公司) that kept records sharing a phone and a
  shop apart. A registered trade name has two characters or more, so there the city is part of it;
- two names registered in one place one typing slip apart (沈阳市沈河区宁亮尚行 / 沈阳市沈河区宁亮商行) are one
  registered name typed twice: weak evidence (level 4) like a shared trade name, and such pairs are found by a
  blocking key of the name's city and the first two characters of its trade name (they share no exact name part).
"""

from __future__ import annotations

import numpy as np

from national.dedup.blocking import candidate_pairs
from national.dedup.compare import Comparer
from national.dedup.config import seller_config
from national.dedup.normalize import normalize_name
from national.dedup.table import build_table

CFG = seller_config()


def _name_level(a: str, b: str) -> int:
    table = build_table([{"name": a}, {"name": b}], CFG)
    levels = Comparer(table, CFG).levels(np.array([0], np.int32), np.array([1], np.int32))
    return int(levels[0, [s.name for s in CFG.fields].index("name")])


def test_a_city_name_before_a_one_character_trade_name_is_part_of_the_trade_name() -> None:
    for raw, brand in (("银川斋厨具有限公司", "银川斋"), ("德阳源家纺股份有限公司", "德阳源"), ("安康泉官方店", "安康泉"),
                       ("信阳自营店", "信阳")):
        parts = normalize_name(raw)
        assert parts is not None and parts.brand == brand and parts.place is None, (raw, parts)
    parts = normalize_name("嘉兴市银川斋厨具有限公司")
    assert parts is not None and (parts.brand, parts.place, parts.trade) == ("银川斋", "330400", "厨具")
    # a city written short before a trade name of two characters stays the place
    parts = normalize_name("深圳华美电子有限公司")
    assert parts is not None and (parts.brand, parts.place) == ("华美", "440300")
    # written with its 市 it is a place whatever follows
    assert normalize_name("德阳市源家纺有限公司").place == "510600"  # type: ignore[union-attr]


def test_a_city_in_the_trade_name_is_no_conflict_with_the_firms_city() -> None:
    assert _name_level("嘉兴市银川斋厨具有限公司", "银川斋厨具有限公司") >= 4
    assert _name_level("合肥市信阳卫浴有限公司", "信阳自营店") >= 4


def test_one_slip_between_names_registered_in_one_place_is_weak_evidence() -> None:
    assert _name_level("沈阳市沈河区宁亮尚行", "沈阳市沈河区宁亮商行") == 4  # homophone in the legal form
    assert _name_level("惠州市寿泉乐厂器", "惠州市寿泉乐器厂") == 4  # neighbours swapped
    # one place missing: only similar
    assert _name_level("宁亮尚行", "沈阳市沈河区宁亮商行") == 3
    # another character in one place: another firm
    assert _name_level("沈阳市沈河区华新商行", "沈阳市沈河区华美商行") <= 2
    # one slip apart but registered in different cities: a conflict
    assert _name_level("大连市宁亮尚行", "沈阳市宁亮商行") == 1


def test_names_of_one_city_one_slip_apart_are_candidates() -> None:
    records = [{"name": "惠州市寿泉乐厂器", "phone": "0752-8259622"}, {"name": "惠州市寿泉乐器厂"},
               {"name": "沈阳市沈河区宁亮尚行"}, {"name": "沈阳市沈河区宁亮商行", "phone": "13178888711"},
               {"name": "广州市寿泉乐器厂"}]
    cand = candidate_pairs(build_table(records, CFG), CFG)
    pairs = set(zip(cand.left.tolist(), cand.right.tolist(), strict=True))
    assert (0, 1) in pairs and (2, 3) in pairs
    assert (2, 4) not in pairs


def test_a_trade_word_slipped_towards_two_trades_names_no_trade() -> None:
    # 饬 is a look-alike of 饰 and of 饮: 饬品 may be 饰品 or 饮品; read as either it made a "different trades"
    # conflict with the firm's other records (饰品) that kept one firm in two
    parts = normalize_name("青岛市龙康鼎饬品股份有限公司")
    assert parts is not None and (parts.brand, parts.trade) == ("龙康鼎", "")
    assert _name_level("青岛市龙康鼎饬品股份有限公司", "青岛市龙康鼎饰品股份有限公司") == 6
    assert _name_level("佛山市慕然饬品有限公司", "慕然饰晶有限公司") >= 4
    # a slip towards one trade only is still read as that trade (化妆晶 for 化妆品)
    parts = normalize_name("华美化妆晶有限公司")
    assert parts is not None and parts.trade == "化妆品"
    assert _name_level("青岛市华美化妆晶有限公司", "青岛市华美服饰有限公司") == 1


def test_a_county_written_without_its_suffix_is_the_county_when_a_trade_name_follows() -> None:
    # 南昌市红谷滩安亮工作室 for 南昌市红谷滩区安亮工作室: read as the trade name 红谷滩安亮 it kept the records apart
    a, b = normalize_name("南昌市红谷滩安亮工作室"), normalize_name("南昌市红谷滩区安亮工作室")
    assert a is not None and b is not None and (a.brand, a.place) == (b.brand, b.place) == ("安亮", "360113")
    parts = normalize_name("株洲市天元通晨营业部")
    assert parts is not None and (parts.brand, parts.place) == ("通晨", "430211")
    # no trade name would follow: the county's name is the trade name (天元电器)
    parts = normalize_name("株洲市天元电器有限公司")
    assert parts is not None and (parts.brand, parts.place) == ("天元", "430200")


def test_a_shop_style_is_not_read_as_a_place_or_a_form() -> None:
    # 旗 of 旗舰店 is no banner (旗, a county of Inner Mongolia) misspelt after a prefecture
    parts = normalize_name("泰安满美发旗舰店")
    assert parts is not None and (parts.brand, parts.trade, parts.form) == ("泰安满", "美发", "shop")
    parts = normalize_name("赤峰市巴林右旗华美商行")
    assert parts is not None and (parts.brand, parts.place) == ("华美", "150423")
    # the whole name after the city is one shop style (源头工厂): the city is the trade name, as in 安康经营部
    parts = normalize_name("安阳源头工厂")
    assert parts is not None and (parts.brand, parts.place, parts.form) == ("安阳", None, "shop")
