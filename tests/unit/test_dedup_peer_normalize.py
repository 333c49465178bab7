"""The Splink peer's own normalisation (national/bench/peer_normalize.py): plain rules of its own, nothing of
Hufu's engine, and blocking keys capped so no value can explode into millions of pairs."""

from __future__ import annotations

import ast
from pathlib import Path

import national.bench.peer_normalize as peer_normalize
import national.bench.splink_peer as splink_peer
from national.bench.peer_normalize import credit_code, name_parts, normalise, phone, shop_key


def _imports(module) -> set[str]:  # type: ignore[no-untyped-def]
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def test_the_peer_imports_nothing_from_the_engine() -> None:
    for module in (peer_normalize, splink_peer):
        imported = _imports(module)
        assert not any(name.startswith(("national.dedup", "regional", "sync")) for name in imported), imported


def test_names_lose_place_brackets_and_legal_form_and_read_the_same_in_both_scripts() -> None:
    assert name_parts("華強電子（深圳）有限公司") == ("华强电子", None)
    assert name_parts("广东省深圳市南山区华强电子有限公司") == ("华强电子", "深圳")
    assert name_parts("温州市乐清市三帆泰批发部") == ("三帆泰", "温州")
    assert name_parts("ＡＢＣ贸易旗舰店")[0] == "abc贸易"  # full-width letters, case
    assert name_parts("家乐超市有限公司")[0] == "家乐"  # 超市 is not a city
    assert name_parts("有限公司")[0] and name_parts("商店")[0] == "商店"  # never stripped to nothing


def test_identifiers_phones_and_shop_urls_reduce_to_one_key() -> None:
    assert credit_code(" 91440300ma5f12345x ") == credit_code("91440300MA5F12345X") == "91440300MA5F12345X"
    assert credit_code("9144030") is None
    assert phone("+86 138-0013-8000") == phone("0086 13800138000") == phone("13800138000 / 13900000000")
    assert phone("12345") is None
    assert shop_key("https://shop1234.taobao.com/index.htm?spm=a1") == shop_key("shop1234.taobao.com")
    assert shop_key("https://haohuo.jinritemai.com/views/shop/index?shop_id=77&origin_type=ad") == \
        shop_key("https://haohuo.jinritemai.com/views/shop/index?origin_type=pc&shop_id=77")
    assert shop_key("https://www.example.com/a?shopId=9") != shop_key("https://www.example.com/a?shopId=8")


def test_a_record_with_wrong_types_or_no_address_parts_still_normalises() -> None:
    row = normalise({"id": "x", "name": "上海市闵行区红禾小卖部", "phone": 13800138000, "uscc": ["bad"],
                     "address": "上海市  闵行区七莘路12号"})
    assert row["uscc"] is None and row["phone"] == "13800138000"
    assert (row["city"], row["district"], row["street"]) == ("上海", "闵行区", "七莘路12号")
    assert normalise({"name": "康满文具"})["city"] is None


def test_blocking_keys_shared_by_more_records_than_the_cap_are_nulled_but_compared_values_kept() -> None:
    records = [{"name": f"商{i}贸易有限公司", "phone": "13800138000" if i < 5 else f"1390000{i:04d}"}
               for i in range(12)]
    data, capped = splink_peer.columns(records, max_block=4)
    assert capped["bk_phone"] == 1
    assert data["bk_phone"][:5] == [None] * 5 and data["bk_phone"][5] == "13900000005"
    assert data["phone"][:5] == ["13800138000"] * 5  # the comparison still sees the shared phone
    data, capped = splink_peer.columns(records, max_block=5)
    assert capped["bk_phone"] == 0 and data["bk_phone"][0] == "13800138000"
