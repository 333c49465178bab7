"""Issue 11, session 22 (tm22zh): a mark's character with its radical added, where the decomposition data spells the
radical by another character (藩 for 潘: cjk-decomp writes 藩 = 卄 over 潘, and Unihan files 卄 under radical 1, not
艹's 140), so build_components never saw "藩 is 潘 with its radical added". build_components.radical_spellings finds
such spellings from the data itself (a component used in >= SPELLING_MIN characters, >= SPELLING_SHARE of them under
one radical): 卄 140, ⺮ 118, 王 96, ⻊ 157; glyph_components.tsv regenerated with it.

Hand-made marks. The tests named "still" are guards that pass on main c3154d9 too; the others fail there.
"""

from __future__ import annotations

from regional.detection import build_components as bc
from regional.detection import normalize as nz
from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([
    tm("R-PD", "潘达", (3,)),     # 藩 = 卄 over 潘 (fān / pān: no reading in common)
    tm("R-GY", "古越", (33,)),    # 苦 = 卄 over 古
    tm("R-GG", "古瓜", (29,)),
])


def got(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_a_component_the_data_uses_as_a_radical_counts_as_one() -> None:
    two = {f"X{i}": ("d", ("卄", f"P{i}")) for i in range(20)}
    two.update({f"Y{i}": ("a", ("夕", f"Q{i}")) for i in range(20)})
    radical_of = {f"X{i}": "140" for i in range(19)} | {"X19": "1", "=艹": "140"}
    radical_of |= {f"Y{i}": str(i % 3) for i in range(20)}          # 夕 under three radicals: no spelling
    assert bc.radical_spellings(two, radical_of) == {"卄": "140"}
    assert bc.radical_spellings(dict(list(two.items())[:19]), radical_of) == {}  # fewer than SPELLING_MIN


def test_the_shipped_table_relates_a_character_and_it_with_the_grass_top() -> None:
    table = nz.glyph_table()
    assert table["藩"].get("潘", 0) >= nz.LOOKALIKE_MIN_SCORE and table["潘"].get("藩", 0) >= nz.LOOKALIKE_MIN_SCORE
    assert table["苦"].get("古", 0) >= nz.LOOKALIKE_MIN_SCORE


def test_a_mark_character_inside_a_larger_one_is_a_lead() -> None:
    assert "R-PD" in got("藩达 护发素 柔顺 500ml", (3,))
    assert "R-GY" in got("苦越 绍兴 黄酒 500ml", (33,))


def test_still_an_ordinary_word_on_other_goods_is_no_lead() -> None:
    assert "R-GG" not in got("苦瓜 干 泡茶 250g", (30,))
    assert not got("藩篱 花园 护栏", (19,))
