"""Issue 11, session 22 (tm22lat): Latin marks of several words with ONE word altered.

- a word respelt by sound while the other word is exact (FREDERICK CONSTANT for FREDERIQUE CONSTANT: attack13's miss,
  a tuning set): the syllable sound key (nz.latin_syllable_key) is also made word by word for a mark of several words
  (each word's silent final e, now also after qu: -ique as -ick), the keys joined as a title's adjacent words are;
- one letter that leaves the sound alone (STUART WEIZMAN: tz as z) is a sound-alike spelling, not "another letter";
- the altered word an ordinary English word of another sound (RED WINE for RED WING, PLAY DOG for PLAY-DOH) makes
  another phrase: no lead — but a word that sounds as the mark's (JOHNNY for JOHNNIE) or its plural stays the mark.

Made-up marks of no fixture. On main c3154d9 the key test and the two DOMINI(C)K cases fail (no lead), and the two
"other phrase" cases are leads; KRANZMAN (one letter) and the guards pass there too."""

from __future__ import annotations

import pytest

from regional.detection import normalize as nz
from regional.detection.engine import Engine
from tests.unit.trademark_leads import leads, tm

RIGHTS = [
    tm("R-DM", "DOMINIQUE VARNEL", (14,)),
    tm("R-HK", "HELMUT KRANTZMAN", (25,)),
    tm("R-ST", "SUNNY TIKES", (28,)),
    tm("R-CB", "CORAL BEAM", (33,)),
    tm("R-JW", "JOHNNIE WARLOCK", (33,)),
    tm("R-LR", "LAND RAPTOR", (12,)),
]
ENGINE = Engine(RIGHTS)


def test_que_is_a_silent_e_and_tz_is_z() -> None:
    assert nz.latin_syllable_key("dominique") == nz.latin_syllable_key("dominick")
    assert nz.latin_syllable_key("krantzman") == nz.latin_syllable_key("kranzman")
    assert nz.latin_syllable_key_words(["dominique", "varnel"]) == nz.latin_syllable_key("dominickvarnel")


@pytest.mark.parametrize(("title", "classes", "right"), [
    ("DOMINICK VARNEL 自动 机械表 男", (14,), "R-DM"),      # -ique -> -ick, the other word exact
    ("DOMINIK VARNEL 石英 女表", (14,), "R-DM"),            # -ique -> -ik
    ("HELMUT KRANZMAN 过膝靴 弹力", (25,), "R-HK"),          # tz -> z in one word
])
def test_one_word_respelt_is_found(title: str, classes: tuple[int, ...], right: str) -> None:
    assert right in leads(ENGINE, title, classes)


@pytest.mark.parametrize(("title", "classes", "right"), [
    ("SUNNY BIKES 儿童 平衡车 滑步车", (28,), "R-ST"),      # bikes: another word, another sound
    ("CORAL BEAN 伏特加 预调 鸡尾酒", (33,), "R-CB"),        # bean
])
def test_one_word_changed_into_an_english_word_is_another_phrase(title: str, classes: tuple[int, ...],
                                                                   right: str) -> None:
    assert right not in leads(ENGINE, title, classes, 9.9)  # at a knock-off's price


@pytest.mark.parametrize(("title", "classes", "right"), [
    ("SUNNY TYKES 儿童 滑板车", (28,), "R-ST"),              # the same sound (i/y)
    ("JOHNNY WARLOCK 威士忌 700ml", (33,), "R-JW"),          # johnny: an English word of the mark's word's sound
    ("LAND RAPTORS 汽车 脚垫", (12,), "R-LR"),               # the mark's word in the plural
    ("CORAL BEEM 伏特加 700ml", (33,), "R-CB"),              # no word
])
def test_the_mark_with_one_word_altered_stays_found(title: str, classes: tuple[int, ...], right: str) -> None:
    assert right in leads(ENGINE, title, classes)
