"""Seller dedup error classes of issue 11, session 12 (seen on tuning seeds 1-10, hand-written here, not generated
by the code under test).

- A landline names its city by its area code (0571 is Hangzhou, 0755 Shenzhen) as plainly as an address does. A
  record whose only identifier is such a phone, with a shop-style name that several firms in different cities carry
  (华美电子旗舰店), belongs to the namesake in the phone's city — and never to a namesake registered in another city
  on its name alone: "a city in one record and another city in the other is evidence against a match".
  Mobile numbers name no place.
"""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.incremental import part_names, record_facts, table_facts
from national.dedup.normalize import phone_place, places_compatible
from national.dedup.table import build_table
from regional.identifiers import uscc_check_char

CFG = seller_config()


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


SZ = _uscc("91440300MA5G7K2L3")  # registered in Shenzhen (440300)
HZ = _uscc("91330100MA2H8Q4R5")  # registered in Hangzhou (330100)


def _resolve(records: list[dict[str, str]]) -> tuple[list[int], set[tuple[int, int]]]:
    resolution = resolve(build_table(records, CFG), CFG)
    return resolution.labels.tolist(), {(min(a, b), max(a, b)) for a, b, _ in resolution.refused}


def _firms() -> list[dict[str, str]]:
    return [
        {"name": "深圳市华美电子有限公司", "uscc": SZ, "phone": "0755-86001234", "address": "深圳市南山区科技南十二路8号"},
        {"name": "杭州市华美电子有限公司", "uscc": HZ, "phone": "0571-88112233", "address": "杭州市滨江区江南大道100号"},
    ]


def test_a_landline_names_the_city_of_its_area_code() -> None:
    assert phone_place("0571-88112233") == "330100"
    assert phone_place("0755-86001234") == "440300"
    assert phone_place("020-38001234") == "440100"
    assert phone_place("010-62001234") == "110000"  # a municipality: its own code
    assert places_compatible(phone_place("021-51234567"), "310115")  # 上海市浦东新区 lies in Shanghai
    # a code several prefectures share (长沙/株洲/湘潭) names only the province
    assert phone_place("0731-84001234") == "430000"
    assert phone_place("13812345678") is None  # a mobile keeps its number anywhere
    assert phone_place("-86001234") is None  # no area code written
    assert phone_place("0999-8123456") is None  # a code we do not know
    assert phone_place(None) is None


def test_a_shop_record_with_a_landline_joins_the_namesake_in_the_phones_city() -> None:
    records = [*_firms(), {"name": "华美电子旗舰店", "phone": "0571-66778899"}]  # not the firm's own number
    labels, _refused = _resolve(records)
    assert labels[0] != labels[1]
    assert labels[2] == labels[1]
    # the same record with a Shenzhen number goes to Shenzhen, with a mobile to neither (an officer decides)
    records[2]["phone"] = "(0755)26601234"
    labels, _refused = _resolve(records)
    assert labels[2] == labels[0] != labels[1]
    records[2]["phone"] = "13905710001"
    labels, refused = _resolve(records)
    assert labels[2] not in (labels[0], labels[1])
    assert {(0, 2), (1, 2)} <= refused


def test_a_landline_of_another_city_keeps_a_shop_record_from_the_only_namesake_with_an_identity() -> None:
    firm = _firms()[0]  # Shenzhen
    records = [firm, {"name": "华美电子专营店", "phone": "+86-571-66778899"}]  # a Hangzhou landline
    labels, refused = _resolve(records)
    assert labels[1] != labels[0]
    assert (0, 1) in refused  # sent to an officer, not dropped
    records[1]["phone"] = "+86-755-26601234"  # a Shenzhen landline: the firm
    labels, _refused = _resolve(records)
    assert labels[1] == labels[0]


def test_record_facts_and_table_facts_both_read_the_phones_place() -> None:
    records = [
        {"name": "华美电子旗舰店", "phone": "0571-66778899"},
        {"name": "华美电子旗舰店", "phone": "13905710001"},
        {"name": "深圳市华美电子有限公司", "phone": "0571-66778899"},
    ]
    table = build_table(records, CFG)
    facts, _weak = table_facts(table, CFG)
    assert facts[0].hint_places == frozenset({"330100"})
    assert facts[1].hint_places == frozenset()
    assert facts[2].hint_places == frozenset({"440300", "330100"})
    assert facts[2].place == "440300"  # the registration place stays the name's: a phone is only a hint
    names = part_names(CFG)
    for k in range(len(records)):
        parts = tuple(table.column(f, p).vocab[i] if (i := table.column(f, p).ids[k]) >= 0 else None
                      for f, p in names)
        one, _ = record_facts(parts, CFG)
        assert one.hint_places == facts[k].hint_places and one.place == facts[k].place


def test_a_long_province_name_written_short_or_slipped_is_still_the_province_and_its_places_follow() -> None:
    from national.dedup.normalize import normalize_address

    want = normalize_address("广西壮族自治区南宁市西乡塘区和平南路8号")
    assert want is not None and want.code == "450107" and want.street == "和平南路8号"
    for written in ("广西壮族自治南宁西乡塘区和平南路8号",  # 自治区 without its 区
                    "广西壮自治区南宁市西乡塘区和平南路8号",  # a character left out
                    "广西壮自族治区南宁西乡塘区和平南路8号"):  # two neighbours swapped
        assert normalize_address(written) == want, written
    inner = normalize_address("内蒙古自治呼和浩特市新城区新华大街1号")
    assert inner is not None and inner.code == "150102" and inner.street == "新华大街1号"
    # one character of the tail alone is no name written short: left as it is
    lone = normalize_address("广西区南宁市1号")
    assert lone is not None and lone.code == "450000"
