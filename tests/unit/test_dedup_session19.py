"""Seller dedup, issue 11 session 19 (dedup19): negative evidence from where a firm is registered.

Every name, number and address here is made up for the test (none comes from an evaluation set)."""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.incremental import normalize_record, record_facts, registration_place, table_facts
from national.dedup.linking import FOR_REVIEW, OTHER_TRADE, EntityFacts, goods_related, link_entities
from national.dedup.table import build_table
from regional.identifiers import uscc_check_char

CFG = seller_config()


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def _labels(records: list[dict[str, str]]) -> list[int]:
    return resolve(build_table(records, CFG), CFG).labels.tolist()


def test_a_province_in_the_name_is_narrowed_by_the_credit_code() -> None:
    assert registration_place("130000", "130800") == "130800"  # 河北… with a code of 承德: 承德
    assert registration_place("130000", "410100") == "130000"  # a code of another province changes nothing
    assert registration_place("130500", "130800") == "130500"  # a prefecture in the name stays
    assert registration_place(None, "130800") == "130800"
    assert registration_place("130000", None) == "130000"


def test_record_and_table_facts_agree_on_the_narrowed_place() -> None:
    record = {"id": "a", "name": "河北澜舟体育用品有限公司", "uscc": _uscc("91130802MA0K7Q2C3")}
    facts, _weak = record_facts(normalize_record(record, CFG), CFG)
    assert facts.place == "130800"
    table = build_table([record], CFG)
    assert table_facts(table, CFG)[0][0].place == "130800"


def test_a_provincial_name_with_a_code_of_one_city_is_not_the_namesake_of_another_city() -> None:
    records = [
        {"id": "x1", "name": "邢台市澜舟体育用品有限公司", "phone": "0319-2345678",
         "address": "河北省邢台市襄都区中兴东大街1号"},
        {"id": "x2", "name": "邢台市澜舟体育用品有限公司", "phone": "13912345678",
         "address": "河北省邢台市襄都区中兴东大街1号"},
        {"id": "y1", "name": "河北澜舟体育用品有限公司", "uscc": _uscc("91130802MA0K7Q2C3"),
         "phone": "15812345678", "address": "承德市双桥区南营子大街9号"},
    ]
    labels = _labels(records)
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]


def test_goods_of_one_kind_and_broad_trades_are_related() -> None:
    assert goods_related("石材", "石业") and goods_related("蜂蜜", "蜂产品")
    assert goods_related("眼镜", "贸易") and goods_related("百货", "贸易")  # a trading firm sells anything
    assert goods_related("风筝", "风筝")
    assert not goods_related("眼镜", "风筝")
    assert not goods_related("茶业", "渔具")


def _attach(shop_trade: str) -> tuple[bool, list[tuple[int, int, str]]]:
    """A firm (records 1, 2: a credit code and its registered name, trade 渔具) and a shop-style record 3 without
    an identity whose only link to the firm is by name, below the firm weight."""
    firm = EntityFacts(uscc=_uscc("91330502MA2C8L1X4"), place="330500", form="company", trade="渔具",
                       anchored=True)
    shop = EntityFacts(strong=False, hint_trades=frozenset({shop_trade}))
    linking = link_entities({1: 1, 2: 2, 3: 3}, {1: firm, 2: firm, 3: shop}, [(1, 2, 20.0), (3, 1, 2.0)],
                            weak=[3], firm_weight=10.0)
    root = linking.survivor()
    return root.get(3, 3) == root.get(1, 1), linking.refused


def test_a_shop_name_of_unrelated_goods_does_not_join_a_firm_on_its_name_alone() -> None:
    joined, refused = _attach("眼镜")
    assert not joined
    assert [(a, b, why) for a, b, why in refused] == [(3, 1, OTHER_TRADE)]
    assert OTHER_TRADE in FOR_REVIEW  # the national node puts the link in the merge-review queue


def test_a_shop_name_of_the_firms_goods_or_of_a_broad_trade_still_joins() -> None:
    for trade in ("渔具", "百货", "渔具用品"):
        joined, refused = _attach(trade)
        assert joined and not refused, trade


def test_goods_of_one_family_are_related_without_a_common_character() -> None:
    assert goods_related("女装", "服饰")  # 服装 folds to 服饰; a women's-wear shop of a clothing firm
    assert goods_related("运动", "体育用品") and goods_related("数码", "电子")
    assert not goods_related("女装", "水产")
    assert not _attach("运动")[0]  # 渔具 is in no family with 运动: still refused
