"""Seller dedup, issue 11 session 24 (dedup24a): a credit code's second character says what kind of entity the
market regulator registered (GB 32100: 1 an enterprise, 2 an individual business). A bare name that reads like an
individual business's (禾丰经营部, no place) under a valid 91 code is no individual business — those get 92 — but how
an enterprise is called on a shelf; it named the record "individual" and kept the company's own records, with the
same code or the same phone, apart as "a company and an individual business". A registered name with its place
(晋江市陈埭镇福丰鞋业商行) under a 91 code is a sole proprietorship's (个人独资企业) and stays apart from a limited
company, as before. A shop name (鲜橙多水果旗舰店) under a 91 code names an enterprise: a company, or as well a sole
proprietorship named 商行/店 — it read as a company and was refused that proprietorship's own registered name with
the same phone.

Every name, number and address here is made up for the test (none comes from an evaluation set or a blind check)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from national.bench.independent4 import code_check
from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.incremental import coded_form, part_names, record_facts, table_facts
from national.dedup.normalize import is_valid_uscc
from national.dedup.table import build_table

CFG = seller_config()


def _code(body: str) -> str:
    code = body + code_check(body)
    assert is_valid_uscc(code)
    return code


COMPANY = _code("91330521MA2JK7P3R")  # 德清县: a limited company
SOLE = _code("91350582MA8TW4N2Q")  # 晋江市: a sole proprietorship
PERSON = _code("92350582MA8TX5P3R")  # 晋江市: an individual business


def test_the_code_reads_the_names_form() -> None:
    assert coded_form("individual", COMPANY, placed=False) is None  # on main: individual
    assert coded_form("individual", SOLE, placed=True) == "individual"  # a sole proprietorship's registered name
    assert coded_form("individual", PERSON, placed=False) == "individual"
    assert coded_form("shop", COMPANY, placed=False) == "shop"  # an enterprise, of either kind; on main: company
    assert coded_form("shop", PERSON, placed=False) == "individual"
    assert coded_form("company", COMPANY, placed=False) == "company"
    assert coded_form("individual", None, placed=False) == "individual"


@given(st.sampled_from(["company", "individual", "other", "shop", "", None]),
       st.sampled_from([COMPANY, SOLE, PERSON, None]), st.booleans())
def test_a_code_never_turns_a_form_into_its_opposite(form: str | None, code: str | None, placed: bool) -> None:
    out = coded_form(form, code, placed)
    if form in ("company", "individual"):
        assert out in (form, None)
    if code and code[1] == "2" and form != "company":
        assert out == "individual"


def _facts(records: list[dict[str, str]]) -> list:
    table = build_table(records, CFG)
    facts, _ = table_facts(table, CFG)
    names = part_names(CFG)
    for k in range(len(records)):  # the record-at-a-time path agrees with the table path
        parts = tuple(table.column(f, p).vocab[i] if (i := table.column(f, p).ids[k]) >= 0 else None
                      for f, p in names)
        assert record_facts(parts, CFG)[0] == facts[k]
    return [facts[k] for k in range(len(records))]


def test_a_bare_shop_like_name_under_a_companys_code_is_no_individual_business() -> None:
    bare, company, sole, limited = _facts([
        {"name": "禾丰经营部", "uscc": COMPANY},
        {"name": "德清县禾丰塑料制品有限公司"},
        {"name": "晋江市陈埭镇福丰鞋业商行", "uscc": SOLE},
        {"name": "晋江市福丰鞋业有限公司"}])
    assert bare.form is None  # on main: individual
    assert bare.conflicts(company) is None  # on main: a company and an individual business
    assert sole.form == "individual" and sole.conflicts(limited) is not None  # as before


def test_a_companys_records_with_a_bare_shop_like_name_are_one_seller() -> None:
    records = [
        {"id": "a1", "name": "禾丰经营部", "uscc": COMPANY, "phone": "13957231846"},
        {"id": "a2", "name": "德清县禾丰塑料制品有限公司", "uscc": COMPANY, "phone": "0572-8423117"},
        {"id": "a3", "name": "德清县禾丰塑料制品有限公司", "phone": "13957231846"},
        {"id": "a4", "name": "德清县禾丰塑料制品有限公司", "phone": "0572 8423117",
         "address": "浙江省湖州市德清县武康街道长虹中街88号"},
        # a sole proprietorship and a limited company of one trade name in one city stay two
        {"id": "b1", "name": "晋江市陈埭镇福丰鞋业商行", "uscc": SOLE, "phone": "0595-85176620"},
        {"id": "b2", "name": "晋江市陈埭镇福丰鞋业商行", "phone": "0595 8517 6620"},
        {"id": "c1", "name": "晋江市福丰鞋业有限公司", "phone": "0595-85693314"},
        {"id": "c2", "name": "福丰鞋业有限公司", "phone": "059585693314"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels.tolist()
    assert len(set(labels[:4])) == 1  # on main: the company's records without the code stayed apart
    assert labels[4] == labels[5] and labels[6] == labels[7] and labels[4] != labels[6]
    assert labels[0] not in (labels[4], labels[6])


def test_a_shop_name_under_a_91_code_meets_the_sole_proprietorships_registered_name() -> None:
    shop_code = _code("91430104MA4PX7R2T")  # 长沙市岳麓区
    records = [
        {"id": "s1", "name": "鲜橙多水果旗舰店", "uscc": shop_code, "phone": "13973156208"},
        {"id": "s2", "name": "长沙市岳麓区鲜橙多水果商行", "phone": "139 7315 6208",
         "address": "湖南省长沙市岳麓区桐梓坡路19号"},
        {"id": "s3", "name": "岳麓区鲜橙多水果商行", "address": "长沙市岳麓区桐梓坡路19号"},
    ]
    shop, registered, _ = _facts(records)
    assert shop.form is None and "company" in shop.hint_forms  # on main: company
    assert shop.conflicts(registered) is None  # on main: a company and an individual business
    others = [  # other sellers, so the model is fitted on more than one seller's records
        {"id": "a1", "name": "禾丰经营部", "uscc": COMPANY, "phone": "13957231846"},
        {"id": "a2", "name": "德清县禾丰塑料制品有限公司", "uscc": COMPANY, "phone": "0572-8423117"},
        {"id": "a3", "name": "德清县禾丰塑料制品有限公司", "phone": "13957231846"},
        {"id": "b1", "name": "晋江市陈埭镇福丰鞋业商行", "uscc": SOLE, "phone": "0595-85176620"},
        {"id": "b2", "name": "晋江市陈埭镇福丰鞋业商行", "phone": "0595 8517 6620"},
        {"id": "c1", "name": "晋江市福丰鞋业有限公司", "phone": "0595-85693314"},
        {"id": "c2", "name": "福丰鞋业有限公司", "phone": "059585693314"},
    ]
    labels = resolve(build_table(records + others, CFG), CFG).labels.tolist()
    assert len(set(labels[:3])) == 1  # on main: the shop apart
    assert not set(labels[:3]) & set(labels[3:])
