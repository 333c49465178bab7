"""Seller dedup, issue 11 session 23 (dedup23): a branch (分公司, 办事处…) takes its business licence where it sits, so
its credit code names the branch's place, while the place its name starts with is its parent's. A branch is registered
where its branch words say (浙江禾川集团有限公司合肥分公司: 合肥), and its parent's place is kept apart (`parent`): before,
a branch's shop name with the branch's code (禾川集团合肥分公司旗舰店) read as "registered in 合肥" and was refused the
branch's own full name, read as "registered in 浙江".

Every name, number and address here is made up for the test (none comes from an evaluation set or a blind check)."""

from __future__ import annotations

from national.bench.independent4 import code_check
from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.incremental import part_names, record_facts, registration_place, table_facts
from national.dedup.normalize import branch_place, is_valid_uscc, normalize_name
from national.dedup.table import build_table

CFG = seller_config()


def _code(body: str) -> str:
    code = body + code_check(body)
    assert is_valid_uscc(code)
    return code


BRANCH_CODE = _code("91340104MA2TQ7K3X")  # 合肥市蜀山区
OTHER_BRANCH_CODE = _code("91340104MA2TR8L4Y")
PARENT_CODE = _code("91330106MA2GD5H1W")  # 杭州市西湖区


def _brand(name: str) -> str:
    parts = normalize_name(name)
    assert parts is not None
    return parts.brand


def test_a_branch_is_placed_by_its_branch_words() -> None:
    assert branch_place(_brand("浙江禾川集团有限公司合肥分公司")) == "340100"
    assert branch_place(_brand("禾川集团合肥分公司旗舰店")) == "340100"  # a branch's shop
    assert branch_place(_brand("浙江禾川集团有限公司蜀山区分公司")) == "340104"
    assert branch_place(_brand("禾川五金城东分店")) is None  # branch words that name no place
    assert branch_place(_brand("浙江禾川集团有限公司")) is None and branch_place(_brand("禾川旗舰店")) is None
    assert branch_place(None) is None


def test_a_branch_is_registered_where_it_sits_and_keeps_its_parents_place_apart() -> None:
    assert registration_place("330000", "340100") == "330000"  # a firm: the name's province, as before
    assert registration_place("340000", "340100") == "340100"  # ... narrowed by the code of that province
    assert registration_place("330000", "340100", branch="340100") == "340100"  # on main: 330000, the parent's
    assert registration_place(None, "340100", branch="340100") == "340100"
    records = [{"name": "禾川集团合肥分公司旗舰店", "uscc": BRANCH_CODE},
               {"name": "浙江禾川集团有限公司合肥分公司", "uscc": BRANCH_CODE},
               {"name": "浙江禾川集团有限公司合肥分公司"},
               {"name": "禾川旗舰店", "uscc": PARENT_CODE},
               {"name": "浙江禾川集团有限公司"}]
    table = build_table(records, CFG)
    facts, _ = table_facts(table, CFG)
    assert [(f.place, f.parent) for f in facts.values()] == [
        ("340100", None), ("340100", "330000"), ("340100", "330000"),  # on main: 340100, 330000, 330000
        ("330100", None), ("330000", None)]  # no branch: as before
    assert facts[0].conflicts(facts[2]) is None  # on main: registered in different places
    assert facts[2].conflicts(facts[4]) is not None  # a branch is not its head office
    other_parent = table_facts(build_table([{"name": "江苏禾川集团有限公司合肥分公司"}], CFG), CFG)[0][0]
    assert facts[2].conflicts(other_parent) is not None  # one county, two parents
    names = part_names(CFG)
    for k in range(len(records)):
        parts = tuple(table.column(f, p).vocab[i] if (i := table.column(f, p).ids[k]) >= 0 else None
                      for f, p in names)
        one, _ = record_facts(parts, CFG)
        assert one == facts[k]


def test_a_branchs_shop_with_the_branchs_code_meets_the_branchs_full_name() -> None:
    records = [
        {"id": "b1", "name": "浙江禾川集团有限公司合肥分公司", "phone": "0551-65430017",
         "address": "安徽省合肥市蜀山区长江西路101号"},
        {"id": "b2", "name": "禾川集团合肥分公司旗舰店", "uscc": BRANCH_CODE, "phone": "0551-65430017"},
        {"id": "h1", "name": "浙江禾川集团有限公司", "uscc": PARENT_CODE, "phone": "0571-88120034",
         "address": "浙江省杭州市西湖区文三路88号"},
        {"id": "h2", "name": "禾川集团有限公司", "phone": "0571-88120034"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels
    assert labels[0] == labels[1]  # on main: refused, "registered in different places" (浙江 against 合肥)
    assert labels[2] == labels[3]
    assert labels[0] != labels[2]  # a branch is not its head office


def test_branches_of_two_parents_in_one_county_stay_apart() -> None:
    records = [
        {"id": "z1", "name": "浙江禾川集团有限公司合肥分公司", "uscc": BRANCH_CODE, "phone": "0551-65430017"},
        {"id": "z2", "name": "禾川集团合肥分公司旗舰店", "phone": "0551-65430017"},
        {"id": "j1", "name": "江苏禾川集团有限公司合肥分公司", "uscc": OTHER_BRANCH_CODE, "phone": "0551-62990088"},
        {"id": "j2", "name": "江苏禾川集团有限公司合肥分公司", "address": "安徽省合肥市蜀山区潜山路9号"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert labels[0] != labels[2]  # the parents' places differ: two branches


def test_a_branchs_parent_place_survives_the_stored_facts() -> None:
    from national.entities import _facts, _facts_json

    facts = table_facts(build_table([{"name": "浙江禾川集团有限公司合肥分公司", "uscc": BRANCH_CODE}], CFG), CFG)[0][0]
    stored = _facts(1, facts.uscc, _facts_json(facts))
    assert stored.parent == "330000" and stored.place == "340100"
    assert _facts(1, None, '{"place": "340100"}').parent is None  # facts stored before ER_VERSION 17
