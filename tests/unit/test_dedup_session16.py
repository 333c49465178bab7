"""Seller dedup, issue 11 session 16 (dedup16): goods words the trade list lacks, 馆/铺 stores, quoted trade names,
shop hosts with a numbered path, roads named after a place, and the look-alike repair shared by names and addresses.

Every name, number and address here is made up for the test (none comes from an evaluation set)."""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.normalize import (
    _lookalike_at,
    canonical_trade,
    normalize_address,
    normalize_name,
    normalize_shop_url,
    repair_address_lookalikes,
)
from national.dedup.table import build_table
from regional.identifiers import uscc_check_char

CFG = seller_config()


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def _name(raw: str) -> tuple[str, str, str]:
    parts = normalize_name(raw)
    assert parts is not None, raw
    return parts.brand, parts.trade, parts.form


def test_an_ordinary_goods_word_after_a_made_up_trade_name_leaves_the_trade_name() -> None:
    assert _name("沁朵酱菜")[0] == "沁朵"
    assert _name("漫岚腊肉店")[:1] == ("漫岚",)
    # since dedup24c a listed goods word (national/dedup/normalize.py _GOODS_TERMS) names the trade; one kind of
    # goods written two ways folds to one trade (腊肉 and 腊味 of one shop do not conflict)
    assert canonical_trade(_name("漫岚腊肉店")[1]) == canonical_trade(_name("漫岚腊味店")[1]) == "腊味"
    # listed trade words before it still name the trade
    assert _name("沁朵科技研发有限公司") == ("沁朵", "科技", "company")


def test_a_trade_name_that_is_itself_ordinary_words_stays_whole() -> None:
    assert _name("华美时代")[0] == "华美时代"  # 华美 is a word: 时代 is not read off as goods
    assert _name("金龙鱼")[0] == "金龙鱼"  # three characters: no two-character trade name would be left


def test_guan_and_pu_end_a_store_name_as_dian_does() -> None:
    assert _name("杭州市西湖区沁朵茶具馆") == ("沁朵", "茶具", "individual")  # with a place: a registered store
    assert _name("宁波市海曙区漫岚腊肉铺")[::2] == ("漫岚", "individual")
    assert _name("漫岚腊肉铺")[2] == "shop"  # without a place: a shop name
    assert _name("漫岚生活馆")[::2] == ("漫岚", "shop")  # the longer shop style still wins


def test_a_quoted_trade_name_at_the_start_of_a_shop_name_is_the_trade_name() -> None:
    assert _name("「沁朵」科技") == ("沁朵", "科技", "")  # was 科技 as the trade name
    assert _name("「沁朵」国风")[0] == "沁朵"
    assert _name("『漫岚』严选")[::2] == ("漫岚", "shop")
    assert _name("「淘宝」漫岚旗舰店")[0] == "漫岚"  # a platform in brackets is no trade name


def test_a_quoted_shop_name_and_its_firm_on_one_phone_are_one_seller() -> None:
    records = [
        {"id": "a", "name": "成都市沁朵科技有限公司", "uscc": _uscc("91510100MA6C2T8K4"), "phone": "13812340001"},
        {"id": "b", "name": "「沁朵」科技", "phone": "138 1234 0001"},
        {"id": "c", "name": "杭州市漫岚服饰有限公司", "phone": "13912340002"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels.tolist()
    assert labels[0] == labels[1] != labels[2]


def test_a_shop_host_with_a_numbered_path_names_the_shop() -> None:
    assert normalize_shop_url("https://shop.suning.com/70012345/index.html?from=share") == "suning:70012345"
    assert normalize_shop_url("shop.m.suning.com/70012345.html") == "suning:70012345"
    assert normalize_shop_url("https://shop.example-mall.cn/556677/") == "shop.example-mall.cn:556677"
    # no shop host, or no number of five digits: nothing (a product page or the front page is no shop)
    assert normalize_shop_url("https://www.suning.com/") is None
    assert normalize_shop_url("https://product.suning.com/0070012345/101112131.html") is None
    assert normalize_shop_url("https://shop.suning.com/123/index.html") is None


def test_a_place_read_right_before_a_road_word_is_the_roads_name() -> None:
    bracketed = normalize_address("静安路8号（徐汇区）")  # was 静安区 with the street 路8号
    assert bracketed is not None and (bracketed.code, bracketed.street) == ("310104", "静安路8号")
    other_city = normalize_address("海淀路8号（朝阳区）")  # not 海淀区; 朝阳区 is in several cities: no county
    assert other_city is not None and other_city.code is None and other_city.street == "海淀路8号"
    in_city = normalize_address("南京市中山路100号")
    assert in_city is not None and (in_city.code, in_city.street) == ("320100", "中山路100号")
    written_out = normalize_address("广州市天河区天河路385号")  # the county written out, then its road
    assert written_out is not None and (written_out.code, written_out.street) == ("440106", "天河路385号")
    alone = normalize_address("中山路100号")  # no place at all: not the city of 中山
    assert alone is not None and alone.code is None and alone.street == "中山路100号"


def test_the_lookalike_step_is_shared_by_names_and_addresses() -> None:
    assert _lookalike_at("恩施币舞阳坝街道", 2) == "恩施市舞阳坝街道"
    assert _lookalike_at("家具城", 1) is None  # 具 looks like 县, but 家县 ends no place
    assert repair_address_lookalikes("恩施币舞阳坝街道88号") == "恩施市舞阳坝街道88号"
    parts = normalize_name("恩施币沁朵茶具有限公司")
    assert parts is not None and parts.place is not None and parts.brand == "沁朵"


def test_zhen_xuan_written_with_its_homophone_is_a_shop_style() -> None:
    assert _name("沁朵臻选")[::2] == ("沁朵", "shop")  # 臻选 for 甄选, as 严选/优选
    assert _name("杭州市西湖区沁朵臻选店")[::2] == ("沁朵", "shop")  # an online shop style even with a place
