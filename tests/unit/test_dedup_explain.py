"""What two sellers' records share or contradict, as the merge-review queue shows it (national/dedup/explain.py)."""

from __future__ import annotations

from national.dedup.explain import Field, FieldCheck, Verdict, compare_sellers

SAME, DIFF = Verdict.SAME, Verdict.DIFFERENT


def _checks(a: dict[str, str | None], b: dict[str, str | None]) -> dict[Field, Verdict]:
    found = compare_sellers(a, b)
    assert [c.field for c in found] == sorted((c.field for c in found), key=list(Field).index), "Field order"
    return {c.field: c.verdict for c in found}


def test_one_firm_written_two_ways_shares_phone_shop_trade_name_place_and_address() -> None:
    a = {"name": "深圳市华强电子商贸有限公司", "phone": "0755-81234567", "address": "深圳市福田区华强北路1号",
         "shop_url": "https://shop123.taobao.com/?spm=a1z10.1"}
    b = {"name": "华强电子旗舰店", "phone": "075581234567", "address": "广东省深圳市福田区华强北路1号",
         "shop_url": "shop123.taobao.com"}
    assert _checks(a, b) == {Field.PHONE: SAME, Field.SHOP: SAME, Field.NAME: SAME, Field.PLACE: SAME,
                             Field.ADDRESS: SAME}


def test_two_cities_and_two_phones_under_one_trade_name_are_shown_as_contradictions() -> None:
    checks = _checks({"name": "广州市瑞飞百货有限公司", "phone": "13800138000"},
                     {"name": "深圳市瑞飞百货有限公司", "phone": "13900139000"})
    assert checks == {Field.PHONE: DIFF, Field.NAME: SAME, Field.PLACE: DIFF, Field.FORM: SAME}


def test_a_company_and_an_individual_business_and_two_valid_credit_codes() -> None:
    checks = _checks({"name": "杭州美美服饰有限公司", "uscc": "91330100MA2H0EXX0X"},
                     {"name": "杭州市西湖区美美服饰商行（个体工商户）", "uscc": "92330106MA2GXXXX1X"})
    assert checks[Field.FORM] is DIFF and checks[Field.NAME] is SAME and checks[Field.PLACE] is SAME
    assert checks[Field.USCC] is DIFF


def test_a_field_either_record_lacks_is_left_out() -> None:
    assert compare_sellers({"name": "瑞飞百货旗舰店"}, {"name": "深圳市瑞飞百货有限公司", "phone": "13800138000",
                                                  "address": "广东省深圳市福田区", "uscc": None}) == (
        FieldCheck(Field.NAME, SAME),)
    assert compare_sellers({}, {"name": "x"}) == ()
    assert compare_sellers({"name": "", "phone": "  "}, {"name": "", "phone": ""}) == ()
