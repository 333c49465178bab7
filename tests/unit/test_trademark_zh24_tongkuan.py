"""Issue 11, session 24 (tm24zh): a mark's hotel between the mark and 同款 (宝格丽 酒店 同款 洗发水 in attack15: the
amenities of the brand's hotel copied and sold on its name) is a knock-off reference like 宝格丽 同款. Still right after
the name and on the mark's own goods (wording._REFERENCE_AFTER); 五星级 酒店 同款 names no mark.

Hand-made marks. The tests named "still" are guards that pass on main df40f22 too; the others fail there.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import wording
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"

ENGINE = Engine([Right(RightKind.TRADEMARK, "R-LX", "澜溪", "某某集团有限公司", "registered", (3,))])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_the_marks_hotel_before_tongkuan_is_a_reference() -> None:
    assert wording.reference("澜溪 酒店 同款 洗发水", "澜溪") == "酒店 同款"
    assert wording.reference("澜溪酒店同款 沐浴露", "澜溪") == "酒店同款"
    assert "R-LX" in got("澜溪 酒店 同款 洗发水 沐浴露 套装", (3,))


def test_still_a_hotel_tongkuan_without_the_mark_beside_it_or_on_other_goods_is_no_lead() -> None:
    assert wording.reference("五星级 酒店 同款 洗发水 澜溪 香型", "澜溪") is None
    assert "R-LX" not in got("五星级 酒店 同款 洗发水 沐浴露", (3,))
    assert "R-LX" not in got("澜溪 酒店 同款 浴袍 纯棉", (25,))


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="澜溪酒店同款平替仿 -·的非不是适用", max_size=20))
def test_any_text_gives_a_reference_or_none(text: str) -> None:
    found = wording.reference(text, "澜溪")
    assert found is None or "澜溪" not in found
