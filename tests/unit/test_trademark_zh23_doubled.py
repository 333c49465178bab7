"""Issue 11, session 23 (tm23zh): a doubled two-character mark (喔喔) copied with both characters replaced by the same
close look-alike (屋屋: 口 dropped from each). _cjk_verdict already took a doubled mark copied doubled (璐璐 for 露露,
found by sound), but retrieval keyed a two-character mark's both-changed variants only from strong look-alikes
(_BOTH_GLYPH), so 屋屋 was never retrieved. A doubled mark is now also keyed by each close look-alike doubled.

Hand-made marks. The tests named "still" are guards that pass on main 81c5939 too; the others fail there.
"""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([tm("R-WW", "喔喔", (30,)), tm("R-WO", "喔佳", (30,))])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_a_doubled_mark_with_both_characters_dropping_a_part_is_a_lead() -> None:
    assert "R-WW" in got("屋屋 奶糖 怀旧 零食 500g", (30,))


def test_still_two_different_look_alikes_of_a_doubled_mark_are_no_lead() -> None:
    assert "R-WW" not in got("屋握 奶糖 怀旧 零食", (30,))


def test_still_a_doubled_look_alike_on_other_goods_or_of_an_undoubled_mark_is_no_lead() -> None:
    assert "R-WW" not in got("屋屋 收纳盒 桌面", (20,))
    assert "R-WO" not in got("屋屋 奶糖 零食", (30,))
