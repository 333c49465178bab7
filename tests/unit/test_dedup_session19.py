"""Seller dedup, issue 11 session 19 (dedup19): negative evidence from where a firm is registered.

Every name, number and address here is made up for the test (none comes from an evaluation set)."""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.incremental import normalize_record, record_facts, registration_place, table_facts
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
