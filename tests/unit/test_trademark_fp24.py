"""Issue 11, session 24 (fp24): a Chinese mark held inside a longer dictionary word or name of its own goods' title.

A two-character mark written exactly at the head of a longer word whose rest is no ordinary word (沱沱河, a river; 嘉陵江
in attack16) or inside a word CC-CEDICT lists as a whole English definition (莎士比亚, 多瑙河), and a look-alike or
homophone that is such a word or part of one (木乃伊 beside 木乃依; 天妇罗 beside 天福), is the word: the exact mark is
kept only at a counterfeit's price or with a firm sign of brand use (官方, 原厂 …), the look-alike not at all. Hand-made
marks of no fixture. The tests named "stays" / "keeps" are guards that pass on main df40f22 too; the others fail there."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import Listing, Right, RightKind, Seller


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([
    tm("R-TT", "沱沱", (32,)),      # a made-up mark for water; 沱沱河 is a river
    tm("R-SS", "莎士", (16,)),      # a made-up mark for notebooks; 莎士比亚 is Shakespeare
    tm("R-DN", "多瑙", (32,)),      # 多瑙河, the Danube
    tm("R-MN", "木乃依", (3,)),     # a made-up mark; 木乃伊 (mummy) is its homophone
])


def got(title: str, classes: tuple[int, ...], price: float | None = None) -> set[str]:
    listing = Listing(id="x", title=title, nice_classes=classes, price=price, seller=Seller(name="某某百货商行"))
    return {f.right for f in ENGINE.run([listing]).findings}


def test_an_exact_mark_at_the_head_of_a_name_the_dictionaries_lack_is_the_name() -> None:
    assert "R-TT" not in got("沱沱河 源头 冰川 矿泉水 550ml", (32,), 39.0)


def test_an_exact_mark_inside_a_dictionary_name_is_the_name() -> None:
    assert "R-SS" not in got("莎士比亚 语录 笔记本 a5 皮面", (16,), 39.0)
    assert "R-DN" not in got("多瑙河 风光 苏打水 330ml 整箱", (32,), 69.0)


def test_a_homophone_that_is_a_dictionary_word_is_the_word_at_any_price() -> None:
    assert "R-MN" not in got("木乃伊 面膜 万圣节 搞怪 补水", (3,), 29.0)
    assert "R-MN" not in got("木乃伊 面膜 万圣节 搞怪 补水", (3,), 0.5)


def test_the_exact_mark_with_ordinary_goods_words_stays_a_lead() -> None:
    assert "R-TT" in got("沱沱矿泉水 550ml 整箱", (32,), 39.0)


def test_a_firm_sign_of_brand_use_keeps_the_lead() -> None:
    assert "R-TT" in got("沱沱河 官方 矿泉水 550ml", (32,), 39.0)
    assert "R-TT" in got("沱沱河 原厂 矿泉水 550ml", (32,), 39.0)


def test_the_look_alike_written_as_no_word_stays_a_lead() -> None:
    assert "R-MN" in got("木乃衣 面膜 补水 保湿", (3,), 29.0)
