"""Counterfeit wording (regional/detection/wording.py): a mark's exact name next to words saying the goods are
copies is a lead; the same name alone (resale), with the words denied, with look-alike ordinary phrases (AAA
batteries, copy paper, imitation leather, copia de seguridad) or sold by its owner is not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import wording
from regional.detection.engine import Engine
from regional.domain import Licence, Listing, Right, RightKind, Seller

ROLEX = Right(RightKind.TRADEMARK, "TM-R", "ROLEX", "劳力士有限公司", "registered", (14,), well_known=True,
              counterparts=("劳力士",))
NIKE = Right(RightKind.TRADEMARK, "TM-N", "NIKE", "耐克创新有限合伙公司", "registered", (25, 28), well_known=True,
             counterparts=("耐克",))
HUAWEI = Right(RightKind.TRADEMARK, "TM-H", "华为", "华为技术有限公司", "registered", (9,), counterparts=("HUAWEI",))
SUPOR = Right(RightKind.TRADEMARK, "TM-S", "苏泊尔", "浙江苏泊尔股份有限公司", "registered", (21,), counterparts=("SUPOR",))
ENGINE = Engine([ROLEX, NIKE, HUAWEI, SUPOR], [Licence("TM-N", "Pou Chen Trading")])


def leads(title: str, seller: str = "Global Trading Store") -> dict[str, list[str]]:
    found = ENGINE.run([Listing(id="x", title=title, seller=Seller(name=seller))]).findings
    return {f.right: list(f.codes) for f in found if f.score >= 0.5}


@pytest.mark.parametrize("title, right", [
    ("Replica Rolex Submariner AAA quality watch", "TM-R"),
    ("1:1 Nike Dunk Low panda sneakers", "TM-N"),
    ("Réplica zapatillas Nike Air Force 1", "TM-N"),
    ("Reloj ROLEX imitación automático", "TM-R"),
    ("高仿 耐克 运动鞋 男", "TM-N"),
    ("Huawei Watch GT 4 high copy smartwatch", "TM-H"),
    ("HUAWEI FreeBuds mirror quality earphones", "TM-H"),
    ("Nike Air Max AAAA+ running shoes", "TM-N"),
    ("ＲＯＬＥＸ ＲＥＰＬＩＣＡ watch", "TM-R"),  # full-width letters
    ("Rolex re\u0301plica reloj", "TM-R"),  # a decomposed accent
])
def test_an_exact_mark_with_counterfeit_wording_is_a_lead(title: str, right: str) -> None:
    got = leads(title)
    assert right in got and "tm.counterfeit_wording" in got[right], got


@pytest.mark.parametrize("title", [
    "Rolex Submariner 126610LN watch",  # resale: the exact name alone
    "Nike Air Force 1 shoes, 100% original, no fakes",
    "Not a replica: genuine Rolex with papers",
    "Reloj Rolex original, sin imitaciones",
    "拒绝高仿 耐克 正品 运动鞋",
    "AAA batteries for Huawei remote control",
    "Huawei MateBook copy paper holder",
    "Phone case for Huawei P60 imitation leather",
    "Disco duro para Huawei copia de seguridad",
    "Nike anti-counterfeit label, authentic",
    "Replica of a vintage watch, no brand",  # the words without a mark
    "Super frying pan replica of a classic",  # SUPER is not SUPOR (exact marks only)
])
def test_resale_denials_and_ordinary_phrases_are_not_leads_by_this_signal(title: str) -> None:
    assert all("tm.counterfeit_wording" not in codes for codes in leads(title).values()), leads(title)


def test_the_owner_and_a_licensee_are_left_alone_and_other_goods_of_a_plain_mark_too() -> None:
    assert "TM-N" not in leads("Nike replica display shoes", seller="耐克创新有限合伙公司")
    assert "TM-N" not in leads("Nike replica display shoes", seller="Pou Chen Trading")
    # 苏泊尔 is not well known: a replica SUPOR toy car (class 28) is not its goods
    assert "TM-S" not in leads("SUPOR replica toy car 1:18 model")
    assert "TM-S" in leads("SUPOR replica frying pan non-stick 28cm")


def test_the_reason_names_the_mark_and_the_words() -> None:
    found = ENGINE.run([Listing(id="x", title="Replica Rolex watch", seller=Seller(name="Shop"))]).findings
    lead = next(f for f in found if f.right == "TM-R")
    assert lead.score >= wording.SCORE
    params = dict(zip(lead.codes, lead.params, strict=True))["tm.counterfeit_wording"]
    assert params == {"mark": "ROLEX", "words": "replica"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_read_without_error(text: str) -> None:
    wording.wording(text)
    index = wording.Index([ROLEX, NIKE, HUAWEI, SUPOR])
    assert all(r.number in {"TM-R", "TM-N", "TM-H", "TM-S"} for r, _ in index.marks_in(text))
