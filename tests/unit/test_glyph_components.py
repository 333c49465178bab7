"""Characters related by their components (regional/data/glyph_components.tsv) are look-alikes.

The shape table alone missed 形近字 that share one component and differ in the other half
(很 for 银: same 艮, another radical), characters it does not hold (盻 for 盼), a radical
added (涉 for 步) and kana drawn like a character (カ for 力). The component table, built by
`python -m regional.detection.build_components` from the CJK Decomposition Data, closes
those; a shared radical alone (洋酒 beside 洋河) stays apart.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest

from regional.detection import normalize as nz
from regional.detection.build_components import relatives
from regional.detection.engine import detect
from regional.domain import LeadType, Listing, Right, RightKind

AS_OF = dt.date(2026, 11, 1)


@pytest.mark.parametrize(("mark_char", "other", "how"), [
    ("银", "很", "same phonetic 艮, another radical"),
    ("盼", "盻", "same 目, look-alike other half, outside the shape table"),
    ("园", "囩", "same enclosure, look-alike inside"),
    ("步", "涉", "radical added"),
    ("孚", "浮", "radical added"),
    ("力", "カ", "katakana drawn like the character"),
])
def test_component_relatives_are_look_alikes(mark_char: str, other: str, how: str) -> None:
    assert nz.glyph_score(mark_char, other) >= 45, how
    assert nz.glyph_score(other, mark_char) == nz.glyph_score(mark_char, other)


def test_sharing_only_a_radical_does_not_make_a_look_alike() -> None:
    assert nz.glyph_score("酒", "河") == 0  # 氵 + 酉 / 氵 + 可
    assert nz.glyph_score("林", "马") == 0


@pytest.mark.parametrize(("mark", "classes", "title"), [
    ("银鹭", (29,), "很鹭 八宝粥 360g*12罐"),
    ("盼盼", (30,), "盻盼 法式小面包 整箱"),
    ("达利园", (30,), "达利囩 法式软面包 整箱"),
    ("步步高", (9,), "涉步高 点读机 英语"),
    ("健力宝", (32,), "健カ宝 橙蜜 罐装 24罐"),
    ("南孚", (9,), "南浮 7号 电池 玩具"),
])
def test_component_look_alikes_of_short_marks_are_leads(mark: str, classes: tuple[int, ...], title: str) -> None:
    rights = [Right(RightKind.TRADEMARK, "TM-1", mark, "品牌方有限公司", "registered", classes)]
    found = detect(rights, [], [Listing(id="x", title=title, nice_classes=classes)], as_of=AS_OF)
    assert [(f.listing_id, f.right, f.type) for f in found] == [("x", "TM-1", LeadType.TRADEMARK)]


def test_a_shared_radical_with_another_half_is_not_a_lead() -> None:
    rights = [Right(RightKind.TRADEMARK, "TM-1", "洋河", "江苏洋河酒厂股份有限公司", "registered", (33,))]
    listings = [Listing(id="a", title="洋酒 威士忌 700ml 进口", nice_classes=(33,)),
                Listing(id="b", title="洋洒 蓝色经典 52度", nice_classes=(33,))]
    found = {f.listing_id for f in detect(rights, [], listings, as_of=AS_OF)}
    assert "a" not in found


def test_the_builder_relates_by_shared_phonetic_swapped_radical_and_added_radical() -> None:
    decomp = {"银": ("a", ("钅", "艮")), "很": ("a", ("彳", "艮")), "酒": ("a", ("氵", "酉")),
              "河": ("a", ("氵", "可")), "步": ("d", ("止", "少")), "涉": ("a", ("氵", "步"))}
    radical_of = {"银": "167", "=钅": "167", "很": "60", "=彳": "60", "酒": "164", "河": "85", "=氵": "85",
                  "步": "77", "涉": "85"}
    found = relatives(decomp, {}, set(decomp), radical_of)
    assert found["银"]["很"][1] == "swapped"
    assert found["步"]["涉"][1] == "added"
    assert "河" not in found.get("酒", {})


@pytest.mark.parametrize(("name", "writer"), [("glyph_similar.tsv", "build_glyph_table"),
                                              ("glyph_components.tsv", "build_components")])
def test_the_shipped_character_tables_are_what_their_build_scripts_write(
        name: str, writer: str, tmp_path: Path) -> None:
    shipped = Path(nz.__file__).resolve().parent.parent / "data" / name
    table: dict[str, list[tuple[str, int]]] = {}
    for line in shipped.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        ch, _, rest = line.partition("\t")
        table[ch] = [(other, int(score)) for other, _, score in (x.rpartition(":") for x in rest.split())]
    assert len(table) > 1000
    out = tmp_path / name
    importlib.import_module(f"regional.detection.{writer}").write(table, out)
    assert out.read_bytes() == shipped.read_bytes()
