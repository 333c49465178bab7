"""Seller dedup error classes of issue 11, session 11 (seen on tuning seeds 1-10, hand-written here, not generated
by the code under test).

- A phone field that holds several numbers (0771-3844743 / 13372774184, two mobiles with a comma or a space
  between them) or a landline with its extension after a hyphen (0755-81234567-801) was read whole, as one string
  of digits that is no number: the record lost its phone, often its only identifier, and became a "weak" record
  that may join nobody holding an identity of its own.
"""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.incremental import table_facts
from national.dedup.normalize import normalize_phone
from national.dedup.table import build_table

CFG = seller_config()


def test_a_field_with_several_numbers_gives_its_first_number() -> None:
    assert normalize_phone("0771-3844743 / 13372774184") == "0771-3844743"
    assert normalize_phone("17856662875 / 0760-3321515") == "17856662875"
    assert normalize_phone("13812345678，13912345678") == "13812345678"  # full-width comma
    assert normalize_phone("13812345678；0755-81234567") == "13812345678"
    assert normalize_phone("13812345678 13912345678") == "13812345678"  # side by side
    assert normalize_phone("手机：13812345678 / 微信同号") == "13812345678"
    assert normalize_phone("暂无 / 13812345678") == "13812345678"  # the first piece that is a number
    # one number written with spaces or with a slash in its label stays one number
    assert normalize_phone("138 1234 5678") == "13812345678"
    assert normalize_phone("0755 8123 4567") == "0755-81234567"
    assert normalize_phone("手机/微信同号 13231227438") == "13231227438"
    assert normalize_phone("12345 / 678") is None


def test_a_landline_with_its_extension_after_a_hyphen_is_the_landline() -> None:
    assert normalize_phone("0755-81234567-801") == "0755-81234567"
    assert normalize_phone("(0755)81234567-12") == "0755-81234567"
    assert normalize_phone("0755-8123-4567") == "0755-81234567"  # a local number in two groups is no extension


def test_a_record_whose_phone_field_holds_two_numbers_is_not_weak_and_shares_the_number() -> None:
    records = [
        {"id": "a", "name": "宁斋堂鞋服官方店", "phone": "19392937265 / 13778734141"},
        {"id": "b", "name": "长春市宁斋堂鞋服有限公司", "phone": "手机/微信同号 19392937265"},
        {"id": "c", "name": "宁斋堂鞋服旗舰店", "phone": "0771-3844743-12"},
        {"id": "d", "name": "南宁市宁斋堂鞋服有限公司", "phone": "0771-3844743"},
    ]
    table = build_table(records, CFG)
    _facts, weak = table_facts(table, CFG)
    assert weak == {0: False, 1: False, 2: False, 3: False}
    phones = table.column("phone", "value")
    assert phones.ids[0] == phones.ids[1] >= 0 and phones.ids[2] == phones.ids[3] >= 0
    assert table.column("phone", "local").ids[2] == table.column("phone", "local").ids[3] >= 0
