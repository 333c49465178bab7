"""Issue 11, session 24 (tm24zh): a sound-alike of a Chinese mark that starts a title word and runs on into one more
character is the start of a longer name (布鲁克林, Brooklyn, beside the mark 布鲁可 in attack15; 好莱坞, Hollywood,
beside 好来), not the mark: kept only at a counterfeit's price (_runs_into_name in _judge). The sound-alike written as a
word of its own, or with a shop-name character (牌, 记 …), or with an ordinary word after it, stays a lead; a look-alike
that does not read as the mark is judged as before.

Hand-made marks. The tests named "still" are guards that pass on main df40f22 too; the others fail there.
"""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"

ENGINE = Engine([Right(RightKind.TRADEMARK, "R-BL", "布朗可", "某某集团有限公司", "registered", (28,))])


def got(title: str, classes: tuple[int, ...] = (28,), price: float | None = None) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP), price=price)
    return {f.right for f in ENGINE.run([listing]).findings}


def test_a_sound_alike_running_on_into_a_longer_name_is_no_lead() -> None:
    assert "R-BL" not in got("布朗克斯 滑板 双翘 初学者")


def test_still_the_sound_alike_as_a_word_of_its_own_or_as_a_shop_name_is_a_lead() -> None:
    assert "R-BL" in got("布朗克 滑板 双翘 初学者")
    assert "R-BL" in got("布朗克牌 滑板 双翘 初学者")
