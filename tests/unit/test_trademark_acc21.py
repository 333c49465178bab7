"""Issue 11, session 20 (acc21): retrieval gaps for classes of knock-offs the verification already describes.

- A sound-alike spelling with one more change of a Latin mark of seven letters or more (CADBERRY for CADBURY: the
  phonetic keys kadberl / kadburl are one vowel apart; LOXITANE for L'OCCITANE: x sounds as ks): retrieved by the
  phonetic key's one-letter deletions and judged a sound-alike (`tm.latin_letters`, edit "sound"), also for the words
  of a mark of several words joined (ISSEI MIYAKI, CHRISTIAN LABOUTIN).
- A one-word mark of letters then digits written with a break between them (INSTA 360 for INSTA360): other spacing.
- The pinyin of a two-character Chinese mark written as one Latin word of six letters or more (WEIXIN for 微信) on the
  mark's goods, not in parts (two short syllables) and not when the word is an English word (change = chang e).

Beyond the letters a one-edit match allows, an English word is the word whatever its price (marvel is not MARVELLA).

Hand-made brands of no fixture (regional/data/eval/). The tests named "stays", "not", "only" and "is the word" are
precision guards that pass on main 89471e7 too (the English-word one failed on this branch's first commit 4732f32, the
coined-name KOUVABRI case on its second, 2eb3af2: the 100k generated world had gained 24 false leads of that kind);
the other three fail on main."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


ENGINE = Engine([
    tm("R-VB", "VELBURY", (30,)),               # made-up Latin marks of seven letters and more
    tm("R-LC", "LOCCIRANE", (3,)),
    tm("R-ML", "MARIETTE LOUBERTIN", (25,)),    # two words
    tm("R-KR", "KRAUN", (8,)),                  # short: not extended
    tm("R-MV", "MARVELLA", (25,)),              # the English word marvel is two letters away
    tm("R-KV", "KAVABRI", (32,)),               # a coined name of seven letters
    tm("R-MO", "MORTLEY'S", (30,)),             # a possessive mark
    tm("R-VS", "VISTA270", (9,)),               # letters then digits
    tm("R-CW", "翠微", (9,), well_known=True),   # cuiwei: six letters of pinyin
    tm("R-CE", "嫦娥", (3,)),                    # chang e: the English word change
])


def got(title: str, classes: tuple[int, ...], price: float | None = None) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, price=price, seller=Seller(name=SHOP))
    return {f.right for f in ENGINE.run([listing]).findings}


def codes(title: str, classes: tuple[int, ...]) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, seller=Seller(name=SHOP))
    return {c for f in ENGINE.run([listing]).findings for c in (f.codes or ())}


# -- 1. a sound-alike spelling with one more change ----------------------------------------------------------------------

def test_a_sound_alike_spelling_with_one_more_change_of_a_long_mark_is_a_lead() -> None:
    assert "R-VB" in got("VELBERRY 牛奶 巧克力 排块 200g", (30,))          # u -> e and a doubled r: kadberl-like
    assert "R-LC" in got("LOXIRANE 乳木果 护手霜 150ml", (3,))             # x sounds as ks (cc before i)
    assert "R-ML" in got("MARIETTE LABERTIN 红底 高跟鞋", (25,))          # two words, a for ou
    found = ENGINE.run([Listing(id="x", title="MARIETTE LABERTIN 红底 高跟鞋", nice_classes=(25,),
                                seller=Seller(name=SHOP))]).findings
    assert any("'MARIETTE LABERTIN' looks like" in r for f in found for r in f.reasons)  # the words as written
    assert any(p.get("edit") == "sound" for f in found for p in (f.params or ()) if isinstance(p, dict))


def test_two_changes_that_do_not_keep_the_sound_stay_no_lead() -> None:
    assert "R-VB" not in got("VOLBARY 牛奶 巧克力", (30,))     # two vowels: the sound moves twice
    assert "R-KR" not in got("KRAWNE 剃须刀", (8,))            # a short mark: one edit only, as before
    assert "R-VB" not in got("VELBERRY 牛奶 巧克力", (25,))    # on other goods (not well known): nothing
    # a vowel and a second change of a seven-letter coined name is another coined name (ou for a: two letters)
    assert "R-KV" not in got("KOUVABRI 柠檬味汽水 330ml*24罐", (32,))


def test_an_english_word_two_letters_from_a_mark_is_the_word_even_at_a_knock_offs_price() -> None:
    market = [Listing(id=f"m{k}", title=f"男士 夹克 外套 {k}", nice_classes=(25,), price=300.0,
                      seller=Seller(name=SHOP)) for k in range(8)]
    word = Listing(id="x", title="Marvel 印花 T恤 男 短袖", nice_classes=(25,), price=19.9, seller=Seller(name=SHOP))
    copy = Listing(id="y", title="MARVELLO 印花 T恤 男 短袖", nice_classes=(25,), price=19.9, seller=Seller(name=SHOP))
    found = {(f.listing_id, f.right) for f in ENGINE.run([*market, word, copy]).findings}
    assert ("x", "R-MV") not in found     # marvel: an English word (sounds near MARVELLA, two letters off)
    assert ("y", "R-MV") in found         # MARVELLO: no word, one letter off, a knock-off's price


# -- 2. letters and digits written apart --------------------------------------------------------------------------------

def test_a_letters_and_digits_mark_written_apart_is_other_spacing() -> None:
    assert "tm.spacing" in codes("VISTA 270 同款 自拍杆 隐形", (9,))


def test_a_letters_and_digits_mark_written_as_registered_is_not_a_spacing_variant() -> None:
    assert "tm.spacing" not in codes("VISTA270 全景 相机 原装", (9,))
    assert "R-VS" not in got("VISTA 27 全景 相机 配件", (9,))     # another number


# -- 3. the pinyin of a two-character mark ------------------------------------------------------------------------------

def test_the_pinyin_of_a_two_character_mark_as_one_word_is_a_lead() -> None:
    assert "R-CW" in got("CUIWEI 蓝牙耳机 无线 运动", (9,))
    assert "tm.pinyin" in codes("CUIWEI 蓝牙耳机 无线 运动", (9,))


def test_two_character_pinyin_only_as_one_word_on_the_marks_goods_and_not_an_english_word() -> None:
    assert "R-CW" not in got("CUI WEI 蓝牙耳机 无线", (9,))          # two short syllables apart: ordinary pinyin
    assert "R-CW" not in got("CUIWEI 保温杯 不锈钢", (21,))           # the pinyin does not reproduce the mark
    assert "R-CE" not in got("Change 面霜 保湿 补水", (3,))           # an English word: change, not chang e


# -- 4. possessives written with the apostrophe ---------------------------------------------------------------------------

def test_a_possessive_mark_written_as_registered_is_the_exact_mark_and_a_misspelt_one_a_look_alike() -> None:
    assert "tm.exact" in {c for f in ENGINE.models["trademark"].candidates(
        [Listing(id="x", title="Mortley's 黄油 饼干 礼盒", nice_classes=(30,), seller=Seller(name=SHOP))])
        for c in (f.codes or ())}
    assert "R-MO" not in got("Mortley's 黄油 饼干 礼盒", (30,))     # the name as registered: resale, no lead
    assert "R-MO" in got("Mortly's 黄油 饼干 礼盒", (30,))          # one letter left out, the apostrophe kept
    assert "R-MO" in got("Mortly’s 黄油 饼干", (30,))               # a curly apostrophe reads the same
