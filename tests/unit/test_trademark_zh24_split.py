"""Issue 11, session 24 (tm24zh): a mark's character written as its two side-by-side parts (日月 for 明, 女子 for 好,
石页 for 硕; nz.split_forms, from glyph_frames.tsv), turning an n-character mark into n + 1 characters (良月科 for 朗科
in attack15). Session 23 covered a character made of one part twice (林 → 木木) through the look-alike table; a window
that keeps the part that is the radical (古月悦 for 胡悦: 月 is 胡's radical, 古 alone no look-alike of it) was never matched.
A title's three-character windows are looked up by the two parts and the mark's next (or previous) character
(_split_index); _split_verdict checks the whole window: the rest exact, within one word, and a two-character mark so
written a word of its own.

Hand-made marks. The tests named "still" are guards that pass on main df40f22 too; the others fail there.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import normalize as nz
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([tm("R-HY", "胡悦", (3,)), tm("R-JO", "佳欧利", (11,)), tm("R-KS", "科硕", (9,)),
                 tm("R-HC", "活灿", (9,))])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_the_split_forms_are_side_by_side_parts_that_are_characters() -> None:
    forms = nz.split_forms()
    assert forms["明"] == ("日", "月") and forms["好"] == ("女", "子") and forms["硕"] == ("石", "页")
    assert "英" not in forms  # 卄 over 央: not side by side


def test_a_first_middle_or_last_character_written_as_its_parts_is_a_lead() -> None:
    assert "R-HY" in got("古月悦 保湿 面霜 50g", (3,))
    assert "R-JO" in got("佳区欠利 电风扇 落地扇 家用", (11,))
    assert "R-KS" in got("科石页 机械 键盘 青轴", (9,))


def test_still_the_parts_in_the_other_order_or_on_other_goods_are_no_lead() -> None:
    assert "R-HY" not in got("月古悦 保湿 面霜", (3,))
    assert "R-HY" not in got("古月悦 数据线 快充", (9,))


def test_still_a_two_character_mark_so_written_inside_a_longer_word_is_no_lead() -> None:
    assert "R-HY" not in got("古月悦动 保湿 面霜", (3,))
    assert "R-HY" not in got("古月 悦 保湿 面霜", (3,))


def test_still_a_split_form_that_is_an_ordinary_word_is_no_lead() -> None:
    assert "R-HC" not in got("活火山 地质 科普 投影仪", (9,))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="古月悦胡佳区欠利欧石页科硕 ·", max_size=12))
def test_any_title_of_parts_and_mark_characters_is_judged_without_error(title: str) -> None:
    got(title or "x", (3,))
