"""Seller dedup, issue 11 session 17 (dedup17): a group (XX集团有限公司) against the firms sharing its trade name, a
branch's name with or without its parent's legal form, two companies' registered names that differ in what they name
after the trade name, and Latin names whose only pinyin word is a place.

Every name, number and address here is made up for the test (none comes from an evaluation set)."""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.normalize import normalize_name
from national.dedup.table import build_table
from regional.identifiers import uscc_check_char

CFG = seller_config()


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def _parts(raw: str) -> tuple[str, str, str]:
    parts = normalize_name(raw)
    assert parts is not None, raw
    return parts.core, parts.brand, parts.trade


def _labels(records: list[dict[str, str]]) -> list[int]:
    return resolve(build_table(records, CFG), CFG).labels.tolist()


def test_a_group_name_names_the_group_as_its_trade() -> None:
    assert _parts("浙江沁岚集团有限公司")[1:] == ("沁岚", "集团")
    assert _parts("沁岚集团")[1:] == ("沁岚", "集团")  # the short name, as a shop or platform writes it
    assert _parts("沁岚集团旗舰店")[2] == "集团"
    # a group that names a trade of its own keeps it
    assert _parts("沁岚电子集团有限公司")[1:] == ("沁岚", "电子")


def test_a_group_and_a_company_of_its_trade_name_in_another_trade_are_two_sellers() -> None:
    records = [
        {"id": "g", "name": "浙江沁岚集团有限公司", "uscc": _uscc("91330000MA2B7K1Q3"), "phone": "400-812-3456"},
        {"id": "g2", "name": "沁岚集团", "phone": "4008123456"},
        {"id": "c", "name": "湖州市沁岚茶具有限公司", "phone": "0572-86612345",
         "address": "浙江省湖州市吴兴区凤凰路88号"},
        {"id": "c2", "name": "湖州市沁岚茶具有限公司", "shop_url": "https://shop51234567.taobao.com"},
    ]
    labels = _labels(records)
    assert labels[0] == labels[1]
    assert labels[2] == labels[3]
    assert labels[0] != labels[2]


def test_a_branch_reads_the_same_with_or_without_its_parents_legal_form() -> None:
    full = _parts("浙江沁岚集团有限公司湖州分公司")
    assert full == _parts("浙江沁岚集团有限责任公司湖州分公司")
    assert full[0] == _parts("沁岚集团湖州分公司")[0] == "沁岚集团湖州分公司"
    assert full[1] != _parts("浙江沁岚集团有限公司")[1]  # still not its parent
    assert _parts("杭州市沁岚电子有限公司宁波分公司")[0] == "沁岚电子宁波分公司"  # a company's branch as before


def test_a_branchs_shop_reads_as_the_branch_with_a_shop_style() -> None:
    shop = normalize_name("沁岚集团湖州分公司旗舰店")
    assert shop is not None and shop.form == "shop" and shop.full == "沁岚集团湖州分公司旗舰店"
    assert shop.core == _parts("浙江沁岚集团有限公司湖州分公司")[0] == "沁岚集团湖州分公司"
    assert _parts("杭州市沁岚电子有限公司宁波分公司专营店")[0] == "沁岚电子宁波分公司"
    assert _parts("沁岚集团旗舰店")[0] == "沁岚集团"  # no branch: the group's shop


def test_two_companies_of_one_place_naming_other_goods_after_one_trade_name_are_two_sellers() -> None:
    # 枸杞 is no listed trade word (goods), 灯饰 is: the names share only the trade name
    records = [
        {"id": "a", "name": "淄博市漫禾枸杞有限公司", "uscc": _uscc("91370300MA3Q1W2E4")},
        {"id": "b", "name": "淄博市漫禾灯饰有限公司", "phone": "186-7123-0452"},
        {"id": "b2", "name": "淄博市漫禾灯饰有限公司", "phone": "18671230452", "address": "山东省淄博市张店区华光路12号"},
    ]
    labels = _labels(records)
    assert labels[1] == labels[2]
    assert labels[0] != labels[1]


def test_a_company_name_written_twice_is_still_one_registered_name() -> None:
    records = [
        {"id": "a", "name": "淄博市漫禾枸杞有限公司", "uscc": _uscc("91370300MA3Q1W2E4")},
        {"id": "b", "name": "淄博市漫禾枸杞有限公司"},
    ]
    labels = _labels(records)
    assert labels[0] == labels[1]


def test_a_latin_name_whose_only_pinyin_word_is_a_place_has_no_trade_name() -> None:
    a = normalize_name("Chongqing Optical Co., Ltd.")
    b = normalize_name("Chongqing Luggage Co., Ltd.")
    assert a is not None and b is not None
    assert a.brand != b.brand  # the city is no trade name two firms could share
    assert normalize_name("Xiamen Qinlan Tea") is not None
    assert normalize_name("Xiamen Qinlan Tea").brand == "qinlan"  # type: ignore[union-attr]
    # a foreign trade name before its place in brackets is the trade name, not the place
    anderson = normalize_name("Morwen (Tianjin) Optical Co., Ltd.")
    assert anderson is not None and anderson.brand == "morwen"


def test_english_names_of_two_firms_in_one_city_are_not_one_seller() -> None:
    records = [
        {"id": "a", "name": "Chongqing Optical Co., Ltd."},  # a name alone: it points at no firm
        {"id": "b", "name": "Chongqing Luggage Co., Ltd.", "phone": "023-67654321",
         "uscc": _uscc("91500103MA5U7K2P1")},
    ]
    labels = _labels(records)
    assert labels[0] != labels[1]


def test_a_province_written_again_before_a_name_is_a_place_not_part_of_the_trade_name() -> None:
    # the filing region's province before a name that starts with its own province (or another's)
    assert _parts("安徽省安徽沁岚眼镜有限公司") == _parts("安徽沁岚眼镜有限公司") == ("沁岚眼镜", "沁岚", "眼镜")
    repeated = normalize_name("山东省宁夏沁岚集团有限公司泰安分公司")
    assert repeated is not None and repeated.place == "640000"  # registered in 宁夏, filed in 山东
    assert repeated.core == _parts("宁夏沁岚集团有限公司泰安分公司")[0] == "沁岚集团泰安分公司"
    assert _parts("广东省广州市沁岚电子有限公司")[:2] == ("沁岚电子", "沁岚")  # a city below its province as before

