"""Issue 11, session 19: coexisting registered marks, and counterfeit wording on a mark's text inside another mark.

A title word that is another registered mark written exactly is that mark's use, not a reading of a second mark with a
character left out, inserted or swapped inside it (the generated world at 300k marks: a reseller or owner of one
registered mark whose word is also a second mark with one character left out). Counterfeit wording (高仿, 同款) beside
a longer registered mark names that mark, not a shorter mark inside its text. A Latin word one edit or one sound from a
mark, written beside its own Chinese meaning (CC-CEDICT's glosses), is the word. An ordinary word that is a look-alike
of a Chinese mark and names goods of the mark's own class is their generic name (白酒 beside a liquor mark 自酒). Hand-made examples with brands of no
fixture (regional/data/eval/)."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False,
       owner: str = "某某集团有限公司") -> Right:
    return Right(RightKind.TRADEMARK, number, text, owner, "registered", classes, well_known=well_known)


ENGINE = Engine([
    tm("R-JHMX", "金澜木喜", (25,), owner="金澜木喜服饰有限公司"),
    tm("R-HMXK", "澜木喜可", (25,), owner="澜木喜可服饰有限公司"),
    tm("R-QMK", "青岫墨坊", (16,), owner="青岫墨坊文具有限公司"),
    tm("R-QMKJ", "岫墨坊轩", (21,), owner="岫墨坊轩瓷业有限公司"),
    tm("R-SLZ", "顺泓祥", (14,), owner="顺泓祥珠宝有限公司"), tm("R-LZ", "泓祥", (14,), owner="泓祥金行有限公司"),
    tm("R-PLC", "PELLICAN", (16,)), tm("R-PRT", "PIRAT", (28,)), tm("R-LY", "LIIY", (30,)),
    tm("R-ZJ", "自酒", (33,), owner="自酒酒业有限公司"), tm("R-KLK", "KLIPKLOP", (21,)), tm("R-PS", "啤洒", (32, 33), owner="啤洒饮品有限公司"),
])


def leads(*listings: Listing) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in ENGINE.run(list(listings)).findings:
        out.setdefault(f.listing_id, set()).add(f.right)
    return out


def listing(title: str, classes: tuple[int, ...], price: float | None = None, seller: str = SHOP,
            id: str = "x") -> Listing:
    return Listing(id=id, title=title, nice_classes=classes, price=price, seller=Seller(name=seller))


# -- 1. another registered mark written exactly over a left-out reading -------------------------------------------------

def test_another_registered_mark_written_exactly_is_no_left_out_reading() -> None:
    # 澜木喜 inside 澜木喜可 would be 金澜木喜 with 金 left out: 澜木喜可 is a registered mark of its own
    assert "R-JHMX" not in leads(listing("澜木喜可 运动卫衣 连帽", (25,))).get("x", set())
    assert "R-JHMX" not in leads(listing("澜木喜可 运动卫衣 连帽", (25,), seller="澜木喜可服饰有限公司")).get("x", set())


def test_the_same_registered_word_counts_when_registered_for_other_goods_only() -> None:
    # 岫墨坊轩 is registered for tableware only; on a notebook it is still another brand's name, not 青岫墨坊 less 青
    assert "R-QMK" not in leads(listing("岫墨坊轩 笔记本 A5", (16,))).get("x", set())


def test_the_left_out_reading_alone_is_still_a_lead() -> None:
    assert "R-JHMX" in leads(listing("澜木喜 运动卫衣 连帽", (25,))).get("x", set())
    assert "R-QMK" in leads(listing("岫墨坊 笔记本 A5", (16,))).get("x", set())


# -- 2. counterfeit wording reads the mark's text where it stands ----------------------------------------------------

def test_counterfeit_wording_beside_a_longer_mark_names_that_mark_only() -> None:
    got = leads(listing("顺泓祥 高仿 黄金手镯", (14,)))["x"]
    assert "R-SLZ" in got and "R-LZ" not in got
    assert "R-LZ" in leads(listing("泓祥 高仿 黄金手镯", (14,))).get("x", set())  # the shorter mark on its own


def test_counterfeit_wording_names_no_mark_the_runs_ordinary_words_cross() -> None:
    from regional.detection import wording
    index = wording.Index([tm("R-HT", "海天", (30,)), tm("R-XM", "小米", (9,))])
    assert index.marks_in("上海天气 高仿 海报") == []  # 上海 + 天气
    assert index.marks_in("大小米粒 同款") == []  # 大小 + 米粒
    assert [r.number for r, _f in index.marks_in("海天酱油 高仿")] == ["R-HT"]  # the mark then a goods word
    assert [r.number for r, _f in index.marks_in("小米 同款 手环")] == ["R-XM"]


# -- 3. an English word beside its own Chinese meaning ---------------------------------------------------------------

def test_the_gloss_list_reads_whole_definitions() -> None:
    from regional.detection import normalize as nz
    assert "鹈鹕" in nz.english_glosses()["pelican"] and "收音机" in nz.english_glosses()["radio"]
    assert nz.glossed("pelican", "pelican鹈鹕绘本") and not nz.glossed("pelican", "pelican钢笔")


def test_an_english_word_beside_its_chinese_meaning_is_the_word() -> None:
    # Pelican sounds like PELLICAN (a sound-alike stays a lead as an English word: session 18), but 鹈鹕 says what it is
    assert "R-PLC" not in leads(listing("Pelican 鹈鹕 海鸟 科普 绘本", (16,))).get("x", set())
    # Lily reads as LIIY with l for I (confusable letters), but 百合 says it is the flower
    assert "R-LY" not in leads(listing("Lily 百合花茶 干百合 50g", (30,))).get("x", set())


def test_the_same_word_without_its_meaning_or_a_misspelling_beside_it_is_still_a_lead() -> None:
    assert "R-PLC" in leads(listing("Pelican 钢笔 墨水 礼盒", (16,))).get("x", set())
    assert "R-LY" in leads(listing("Lily 花茶 50g", (30,))).get("x", set())
    # a spelling that is no English word, beside the same Chinese word: the gloss is not its meaning
    assert "R-PLC" in leads(listing("Pellikan 鹈鹕 钢笔 墨水", (16,))).get("x", set())


def test_a_word_that_spells_the_whole_mark_out_stays_a_lead_beside_its_meaning() -> None:
    # Pirate holds PIRAT letter for letter (a letter added): its gloss 海盗 may be the brand's own Chinese name
    # (ABSOLUTE 绝对 伏特加 in the eleventh set)
    assert "R-PRT" in leads(listing("Pirate 海盗 船 模型 玩具", (28,))).get("x", set())


def test_the_gloss_builder_keeps_one_word_definitions_of_chinese_words(tmp_path) -> None:
    from regional.detection import build_glosses
    source = tmp_path / "cedict.txt"
    source.write_text("# CC-CEDICT\n# License:\n"
                      "鵜鶘 鹈鹕 [ti2 hu2] /pelican/\n"
                      "蘇菲 苏菲 [Su1 fei1] /Sophie (name)/Sufi (Muslim mystic)/\n"
                      "熊 熊 [xiong2] /bear/\n"  # one character: too short to say what a title word means
                      "環保 环保 [huan2 bao3] /environmental protection/\n", encoding="utf-8")
    out = tmp_path / "glosses.tsv"
    assert build_glosses.main(["--cedict", str(source), "--out", str(out)]) == 0
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rows == ["pelican\t鹈鹕", "sophie\t苏菲", "sufi\t苏菲"]
    assert "# License:" in out.read_text(encoding="utf-8")


# -- 4. the goods' generic name beside a look-alike mark ----------------------------------------------------------------

def test_a_generic_name_of_the_marks_goods_is_no_look_alike() -> None:
    # 白酒 (liquor) looks like 自酒, 啤酒 (beer) like 啤洒: on liquor and beer they name the goods, not the marks
    assert "R-ZJ" not in leads(listing("白酒 52度 浓香型 500ml", (33,))).get("x", set())
    assert "R-PS" not in leads(listing("啤酒 500ml*12 罐装", (32,))).get("x", set())


def test_a_look_alike_that_is_no_goods_name_stays_a_lead() -> None:
    assert "R-ZJ" in leads(listing("目酒 52度 浓香型 500ml", (33,))).get("x", set())


# -- 5. compatibility wording before a brand written in two scripts ----------------------------------------------------

def test_compatibility_wording_before_the_brands_chinese_name_covers_its_latin_name() -> None:
    genuine = [listing(f"KLIPKLOP 保鲜盒 套装 {k}", (21,), 89.0 + k, id=f"g{k}") for k in range(6)]
    got = leads(*genuine, listing("兼容 扣扣 KLIPKLOP 保鲜盒 密封圈 替换 10个", (21,), 9.9, id="seal"),
                listing("扣扣 KLIPKLOP 保鲜盒 密封 1000ml", (21,), 9.9, id="cheap"))
    assert "R-KLK" not in got.get("seal", set())  # 兼容 before 扣扣 KLIPKLOP: seals that fit the brand's boxes
    assert "R-KLK" in got.get("cheap", set())  # the brand at a copy's price, no compatibility wording
