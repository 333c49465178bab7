"""Seller dedup, issue 11 session 21 (dedup21): a shop-style name's goods word does not veto a pair that shares a
shop or a phone number.

Every name, number and address here is made up for the test (none comes from an evaluation set)."""

from __future__ import annotations

import numpy as np

from national.dedup.compare import VETO_WEIGHT, Comparer, apply_decisive, goods_word_conflict, shared_contact
from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.table import build_table

CFG = seller_config()
FIRM = {"id": "f", "name": "澜舟（成都）文化用品有限公司", "phone": "028-61234567",
        "address": "四川省成都市武侯区科华北路88号"}


def _weight(a: dict[str, str], b: dict[str, str]) -> float:
    table = build_table([a, b], CFG)
    comparer = Comparer(table, CFG)
    i, j = np.array([0], dtype=np.int32), np.array([1], dtype=np.int32)
    levels = comparer.levels(i, j)
    return float(apply_decisive(np.zeros(1), comparer, levels, i, j, np.zeros(1, dtype=bool))[0])


def test_a_shops_goods_word_does_not_veto_a_shared_phone() -> None:
    shop = {"id": "s", "name": "澜舟文具", "phone": "(028)61234567"}
    assert _weight(shop, FIRM) > VETO_WEIGHT  # on main: -60, a "different trade" under one trade name


def test_without_a_shared_shop_or_phone_the_goods_word_still_vetoes() -> None:
    shop = {"id": "s", "name": "澜舟文具", "phone": "13987654321"}
    assert _weight(shop, FIRM) == VETO_WEIGHT


def test_two_registered_names_of_different_trades_stay_apart_whatever_they_share() -> None:
    other = {"id": "o", "name": "成都市澜舟服饰有限公司", "phone": "028-61234567"}
    assert _weight(other, FIRM) == VETO_WEIGHT
    # a shop name against a firm of another city: the places conflict, the shared number does not lift it
    far = {"id": "g", "name": "杭州市澜舟文具店", "phone": "028-61234567"}
    assert _weight(far, FIRM) == VETO_WEIGHT


def test_goods_word_conflict_and_shared_contact() -> None:
    table = build_table([{"id": "s", "name": "澜舟文具", "phone": "02861234567"}, FIRM,
                         {"id": "o", "name": "成都市澜舟服饰有限公司", "phone": "13987654321"}], CFG)
    comparer = Comparer(table, CFG)
    i, j = np.array([0, 2], dtype=np.int32), np.array([1, 1], dtype=np.int32)
    assert goods_word_conflict(comparer, i, j).tolist() == [True, False]
    assert shared_contact(comparer, comparer.levels(i, j)).tolist() == [True, False]


def test_the_shop_sharing_the_firms_shop_joins_it() -> None:
    records = [
        FIRM,
        {"id": "f2", "name": "澜舟（成都）文化用品有限公司", "shop_url": "https://shop318204411.taobao.com/"},
        {"id": "s1", "name": "澜舟文具", "shop_url": "https://shop.m.taobao.com/shop/shop_index.htm?user_number_id=318204411"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels.tolist()
    assert labels[0] == labels[1] == labels[2]


def test_a_name_only_individual_against_a_company_goes_to_an_officer() -> None:
    from national.dedup.linking import FOR_REVIEW, FORM_CONFLICT, SOFT_FORM, EntityFacts, link_entities

    shop = EntityFacts(form="individual", strong=False)  # 澜舟经营部: the form from the name alone
    firm = EntityFacts(uscc="91510100MA0000000X", place="510100", form="company", anchored=True)
    linking = link_entities({0: 0, 1: 1}, {0: shop, 1: firm}, [(0, 1, -2.0)], weak=[0], firm_weight=4.0)
    assert linking.merges == []  # not joined ...
    assert [why for _a, _b, why in linking.refused] == [SOFT_FORM] and SOFT_FORM in FOR_REVIEW  # ... but reviewed
    # a strong link (a shared number, above the firm weight) across the two forms stays a plain contradiction
    linking = link_entities({0: 0, 1: 1}, {0: EntityFacts(form="individual"), 1: firm}, [(0, 1, 9.0)], firm_weight=4.0)
    assert linking.merges == [] and [why for _a, _b, why in linking.refused] == [FORM_CONFLICT]
