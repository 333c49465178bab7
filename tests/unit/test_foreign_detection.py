"""Foreign-language listings (issue 14): language, goods classes from English and Spanish text, marks linked
to their counterparts in other scripts, and the hand-built evaluation set's floor."""

from __future__ import annotations

import pytest

from regional.detection import counterparts
from regional.detection.engine import Engine
from regional.detection.foreign import language, latin_classes
from regional.domain import LeadFinding, LeadType, Listing, Right, RightKind, Seller

HUAWEI = Right(RightKind.TRADEMARK, "TM-1", "华为", "华为技术有限公司", "registered", (9,), well_known=True,
               counterparts=("HUAWEI",))


@pytest.mark.parametrize(("text", "code"), [
    ("Wireless earbuds with charging case for men", "en"),
    ("Auriculares inalámbricos con estuche de carga para hombre", "es"),
    ("Zapatillas deportivas para correr", "es"),
    ("zapatillas deportivas adidas originales", "es"),  # no function word: Spanish goods and adjectives
    ("Cerveza Tsingtao lata 330ml", "es"),
    ("Tienda oficial Xiaomi Redmi Buds 5", "es"),
    ("Adidas originals hoodie black", "en"),
    ("Nike running shoes original pack of 2", "en"),
    ("华为 蓝牙耳机 降噪", "zh"),
    ("华为 Mate 60 手机壳", "zh"),
    ("Беспроводные наушники", "ru"),
    ("ワイヤレスイヤホン", "ja"),
    ("", ""),
])
def test_the_language_of_a_listing(text: str, code: str) -> None:
    assert language(text) == code


@pytest.mark.parametrize(("text", "classes"), [
    ("Men's running shoes breathable mesh sneakers", (25,)),
    ("Wireless earbuds Bluetooth 5.3", (9,)),
    ("Organic green tea loose leaf 250g", (30,)),
    ("Stainless steel frying pan 28cm", (21,)),
    ("Zapatillas deportivas para correr hombre", (25,)),
    ("Auriculares inalámbricos bluetooth", (9,)),
    ("Cerveza rubia lata 330ml", (32,)),
    ("Steam mop for floors", ()),  # 'tea' is not in 'steam'
    ("Panda poster", (16,)),  # 'pan' is not in 'panda'; the poster is paper goods
])
def test_goods_classes_from_english_and_spanish_words(text: str, classes: tuple[int, ...]) -> None:
    assert latin_classes(text)[:len(classes) or None] == classes if classes else latin_classes(text) == ()


def test_the_english_nice_headings_are_keywords_too() -> None:
    assert latin_classes("fireworks") == (13,) or 13 in latin_classes("firearms and fireworks")
    assert latin_classes("musical instruments") == (15,)


def test_a_counterpart_is_screened_as_the_same_right_and_the_lead_says_through_which() -> None:
    listing = Listing(id="L1", title="Huawie FreeBuds wireless earphones", description="Bluetooth earbuds",
                      seller=Seller(name="Global Trading Store"))
    findings = Engine([HUAWEI]).run([listing]).findings
    assert [(f.listing_id, f.right) for f in findings] == [("L1", "TM-1")]
    assert findings[0].codes[-1] == counterparts.CODE
    assert findings[0].params[-1] == {"counterpart": "HUAWEI", "mark": "华为"}
    # without the registry's link the Latin spelling is not compared with the Chinese mark
    bare = Right(**{**{f: getattr(HUAWEI, f) for f in HUAWEI.__slots__}, "counterparts": ()})
    assert Engine([bare]).run([listing]).findings == []


def test_the_owners_shop_is_no_lead_through_a_counterpart_either() -> None:
    own = Listing(id="L2", title="Huawie official store earphones", seller=Seller(name="华为技术有限公司"))
    assert Engine([HUAWEI]).run([own]).findings == []


def test_merge_keeps_one_finding_per_listing_right_and_type() -> None:
    a = LeadFinding("L", "TM-1", LeadType.TRADEMARK, 0.7, ("exact mark '华为'",), "m", codes=("tm.exact",),
                    params=({"mark": "华为"},))
    b = LeadFinding("L", "TM-1", LeadType.TRADEMARK, 0.9, ("mark 'Huawie' looks like 'HUAWEI'",), "m",
                    codes=("tm.latin_letters",), params=({"window": "Huawie", "mark": "HUAWEI"},))
    merged = counterparts.merge([a, b], {"TM-1": HUAWEI})
    assert len(merged) == 1 and merged[0].score == 0.9 and merged[0].codes == ("tm.latin_letters", counterparts.CODE)
    assert counterparts.expand([HUAWEI])[1].title == "HUAWEI" and counterparts.expand([HUAWEI])[1].number == "TM-1"


def test_the_hand_built_foreign_set_keeps_its_floor() -> None:
    from regional.bench.foreign import evaluate

    result = evaluate()
    hufu, without = result["hufu"]["all"], result["without_counterparts"]["all"]
    assert hufu["recall"] >= 0.85 and hufu["precision"] >= 0.9 and hufu["fpr"] <= 0.1
    assert result["hufu"]["en"]["recall"] >= 0.85 and result["hufu"]["es"]["recall"] >= 0.8
    assert without["recall"] < hufu["recall"] - 0.5  # what the registry's links buy
    assert result["nice"]["any"] >= 0.95


def test_the_second_hand_built_set_keeps_its_floor_with_counterfeit_wording() -> None:
    from regional.bench.foreign import SECOND, evaluate

    result = evaluate(SECOND)
    hufu = result["hufu"]
    assert hufu["all"]["recall"] >= 0.9 and hufu["all"]["precision"] >= 0.95 and hufu["all"]["fpr"] <= 0.06
    assert hufu["styles"]["en_counterfeit_wording"]["hits"] == hufu["styles"]["en_counterfeit_wording"]["cases"]
    assert hufu["styles"]["es_counterfeit_wording"]["hits"] == hufu["styles"]["es_counterfeit_wording"]["cases"]
    for negative in ("negative_resale", "negative_compat", "negative_owner", "negative_generic"):
        assert hufu["styles"][negative]["false_leads"] == 0, negative
