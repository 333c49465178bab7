"""Monitoring lists: high-risk sellers, price anomalies, rights most exposed to infringement."""

from __future__ import annotations

from regional.domain import Right, RightKind
from regional.monitoring import LeadFact, PriceFact, exposed_rights, high_risk_sellers, price_anomalies
from regional.services import Scope


def test_a_seller_with_repeated_leads_or_on_the_blacklist_is_high_risk() -> None:
    leads = [LeadFact("TM-1", "uscc:A", "甲商行", 0.9), LeadFact("TM-2", "uscc:A", "甲商行", 0.8),
             LeadFact("TM-1", "uscc:A", "甲商行", 0.7), LeadFact("TM-1", "uscc:B", "乙店", 0.9),
             LeadFact("TM-3", "uscc:C", "丙店", 0.6, blacklisted=True)]
    entries = high_risk_sellers(leads, min_leads=3)
    assert [e.key for e in entries] == ["uscc:C", "uscc:A"]
    assert "blacklist" in entries[0].reasons[-1] and entries[1].reasons[0] == "3 leads on 2 right(s)"


def test_rights_infringed_by_many_distinct_sellers_are_most_exposed() -> None:
    leads = [LeadFact("TM-1", f"uscc:{s}", None, 0.9) for s in "ABC"] + [LeadFact("TM-2", "uscc:A", None, 0.9)] * 5
    entries = exposed_rights(leads, min_sellers=2)
    assert [(e.key, e.label, e.score) for e in entries] == [("TM-1", "TM-1", 3.0)]
    # newcomer14: the list named each right by its number twice; the registry's title is its name
    titled = exposed_rights(leads, min_sellers=2, titles={"TM-1": "康师傅", "TM-2": "雪碧"})
    assert [(e.key, e.label) for e in titled] == [("TM-1", "康师傅")]


def test_a_price_far_below_its_category_median_is_an_anomaly() -> None:
    items = [PriceFact(f"l{i}", "保温杯", "日用品", 40.0 + i) for i in range(6)] + [
        PriceFact("cheap", "保温杯 特价", "日用品", 9.9), PriceFact("lonely", "x", "稀有类目", 1.0)]
    entries = price_anomalies(items)
    assert [e.key for e in entries] == ["cheap"] and "median" in entries[0].reasons[0]


def test_core_industry_scope_selects_rights_by_class_field_and_design_class() -> None:
    scope = Scope(nice_classes=(9,), ipc_prefixes=("H04M",), locarno_classes=("14",))
    tm9 = Right(kind=RightKind.TRADEMARK, number="T9", title="x", owner="o", status="registered", nice_classes=(9,))
    tm30 = Right(kind=RightKind.TRADEMARK, number="T30", title="x", owner="o", status="registered",
                 nice_classes=(30,))
    inv = Right(kind=RightKind.INVENTION, number="ZL1", title="x", owner="o", status="granted", ipc=("H04M 1/02",))
    des = Right(kind=RightKind.DESIGN, number="ZL2", title="x", owner="o", status="granted", locarno="14-03")
    assert [r.number for r in (tm9, tm30, inv, des) if scope.selects(r)] == ["T9", "ZL1", "ZL2"]
    assert Scope(rights=("T30",)).selects(tm30) and not Scope(rights=("T30",)).selects(tm9)
