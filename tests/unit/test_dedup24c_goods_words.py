"""Seller dedup, issue 11 session 24 (dedup24c): goods words (风筝, 腊味, 帐篷, 蜂蜜 …) are trade words of a seller name.

A name that writes its goods after its trade name (字号) — 云岫风筝, 云岫床垫 — names what it sells; two such names
of unrelated goods under one trade name are namesakes, not one seller. Every name, number and address here is made up
for the test (none comes from an evaluation set)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.linking import goods_related
from national.dedup.normalize import (
    _GOODS_TERMS,
    canonical_trade,
    normalize_name,
    trades_compatible,
)
from national.dedup.table import build_table

CFG = seller_config()


@pytest.mark.parametrize(("name", "brand", "trade"), [
    # foods and local specialities
    ("湘溪腊味旗舰店", "湘溪", "腊味"), ("郴州市湘溪腊味食品有限公司", "湘溪", "腊味食品"),
    ("福临酱菜", "福临", "酱菜"), ("桂香米粉专营店", "桂香", "米粉"), ("螺香螺蛳粉旗舰店", "螺香", "螺蛳粉"),
    ("林间菌菇", "林间", "菌菇"), ("森语木耳旗舰店", "森语", "木耳"), ("百岭蜂蜜专卖店", "百岭", "蜂蜜"),
    ("青禾枸杞", "青禾", "枸杞"), ("蜀香火锅底料", "蜀香", "火锅底料"),
    # drinks
    ("云岭普洱茶旗舰店", "云岭", "普洱茶"), ("九曲岩茶", "九曲", "岩茶"),
    # textiles and clothing
    ("青禾汉服旗舰店", "青禾", "汉服"), ("锦华旗袍", "锦华", "旗袍"), ("洁雅毛巾专营店", "洁雅", "毛巾"),
    # outdoor, toys, crafts
    ("野驰帐篷旗舰店", "野驰", "帐篷"), ("山岚风筝", "山岚", "风筝"), ("潍坊市山岚风筝有限公司", "山岚", "风筝"),
    ("巧手剪纸", "巧手", "剪纸"), ("陶然紫砂壶", "陶然", "紫砂壶"),
    # household goods and tools
    ("居安收纳用品专营店", "居安", "收纳用品"), ("固力锁具", "固力", "锁具"), ("锐锋电动工具", "锐锋", "电动工具"),
])
def test_goods_words_are_the_trade_not_the_trade_name(name: str, brand: str, trade: str) -> None:
    parts = normalize_name(name)
    assert parts is not None
    assert (parts.brand, parts.trade) == (brand, trade)


@pytest.mark.parametrize(("name", "brand"), [
    ("金种子酒业有限公司", "金种子"),  # a trade name of three characters keeps a goods word inside it (种子 is none)
    ("华丰风正", "华丰风正"),  # a homophone of a goods word (风正 / 风筝) is no goods word: no slip is read for one
    ("潍坊风筝有限公司", "潍坊"),  # only a place and goods: the place is the trade name (as 金华眼镜有限公司)
    ("天虹纺织", "天虹"),
])
def test_trade_names_are_not_eaten(name: str, brand: str) -> None:
    parts = normalize_name(name)
    assert parts is not None and parts.brand == brand


def test_unrelated_goods_under_one_trade_name_are_different_trades() -> None:
    kite, mattress = (canonical_trade(normalize_name(n).trade) for n in ("云岫风筝", "云岫床垫"))  # type: ignore[union-attr]
    assert not trades_compatible(kite, mattress)
    assert not goods_related(kite, mattress)
    # goods of one family: a shop of them fits a firm of the broad trade (帐篷 / 户外用品, 木耳 / 农产品)
    assert goods_related("帐篷", "户外用品") and goods_related("木耳", "农产品") and goods_related("腊味", "食品")
    # one kind of goods written two ways is one trade
    assert canonical_trade("腊肉") == canonical_trade("腊味") and canonical_trade("普洱茶") == canonical_trade("茶叶")
    assert canonical_trade("米线") == canonical_trade("米粉") and canonical_trade("腌菜") == canonical_trade("酱菜")


def test_namesakes_selling_kites_and_mattresses_stay_apart() -> None:
    records = [
        {"id": "k1", "name": "潍坊市云岫风筝有限公司", "phone": "0536-8236671", "address": "山东省潍坊市奎文区东风东街3号"},
        {"id": "k2", "name": "云岫风筝旗舰店", "phone": "0536-8236671"},
        {"id": "k3", "name": "云岫风筝", "phone": "05368236671"},
        {"id": "m1", "name": "云岫床垫专营店", "phone": "13926451178"},
        {"id": "m2", "name": "云岫床垫", "phone": "139 2645 1178"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels.tolist()
    assert labels[0] == labels[1] == labels[2]
    assert labels[0] not in (labels[3], labels[4])  # on main: one seller (风筝 was read as no trade, nothing told the two apart)


def test_a_firm_of_a_broad_trade_keeps_its_goods_shops() -> None:
    records = [
        {"id": "f", "name": "宁波市远岫户外用品有限公司", "phone": "0574-87126630", "address": "浙江省宁波市鄞州区天童南路588号"},
        {"id": "s1", "name": "远岫帐篷旗舰店", "phone": "0574-87126630"},
        {"id": "s2", "name": "远岫睡袋专营店", "phone": "0574-87126630"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels.tolist()
    assert labels[0] == labels[1] == labels[2]


@given(st.sampled_from(sorted(_GOODS_TERMS)), st.text(alphabet="云岫山岚青禾远野驰湘溪", min_size=2, max_size=3),
       st.sampled_from(["", "旗舰店", "专营店", "有限公司"]))
def test_any_goods_word_after_a_trade_name_is_read_as_its_trade(goods: str, brand: str, form: str) -> None:
    parts = normalize_name(brand + goods + form)
    assert parts is not None
    assert parts.brand == brand and parts.trade.endswith(goods)


def _name_level(a: str, b: str) -> int:
    import numpy as np

    from national.dedup.compare import Comparer

    table = build_table([{"id": "a", "name": a}, {"id": "b", "name": b}], CFG)
    comparer = Comparer(table, CFG)
    name_field = next(k for k, spec in enumerate(CFG.fields) if spec.name == "name")
    return int(comparer.levels(np.array([0], dtype=np.int32), np.array([1], dtype=np.int32))[0, name_field])


def test_a_goods_shop_of_the_family_of_a_firms_trade_is_no_trade_conflict() -> None:
    assert _name_level("远岫帐篷旗舰店", "宁波市远岫户外用品有限公司") > 1  # 帐篷 names a trade now: without the family rule, 1
    assert _name_level("远岫帐篷旗舰店", "远岫床垫专营店") == 1  # goods of two families: two trades
    assert _name_level("远岫体育", "远岫帐篷") == 1  # two shop or bare names naming two goods: two trades
    assert _name_level("远岫帐篷有限公司", "远岫户外用品有限公司") == 1  # two registered names: two trades
