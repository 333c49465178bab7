"""Issue 11, session 22 (tm22lat): a well-known place name in a title is not read through a confusable letter (Iowa as
LOWA: attack13's false lead, a tuning set) nor as a mark's beginning (Nepal for NEPA), and an ordinary English word
written as words are is not read as a mark's beginning (cloves — cl as d — for DOVE): that place or word, not the mark.
Place names: a short hand list (US states, cities, regions) and Babel's English names of territories. Short marks
written with l/I/1 or 0/O swapped (issue 11's class 2: NlKE, L0WA) stay look-alikes, and an English word through a
confusable letter is left to the gloss rules of session 19 (ARIA for ARLA, attack8, stays a lead; Lily 花茶 for LIIY).

On main c3154d9 the place list does not exist, Iowa/IOWA are LOWA leads and Nepal a NEPA candidate; Cloves and Clove
are no candidates there in this small registry (in a larger one cloves was a 0.99 DOVE lead), and the guards
pass there too."""

from __future__ import annotations

import pytest

from regional.detection import trademark
from regional.detection.engine import Engine
from regional.detection.trademark import TrademarkDetector
from tests.unit.trademark_leads import candidates, leads, tm

RIGHTS = [
    tm("R-LW", "LOWA", (25,)),
    tm("R-DV", "DOVE", (3,)),
    tm("R-NP", "NEPA", (25,)),
    tm("R-AR", "ARLA", (29,)),
    tm("R-NK", "NIKE", (25,)),
]
ENGINE = Engine(RIGHTS)
DETECTOR = TrademarkDetector(RIGHTS)


def test_place_names_cover_states_and_countries() -> None:
    places = trademark._latin_places()
    assert {"iowa", "idaho", "nepal", "italy", "bulgaria", "newzealand"} <= places
    assert "nike" not in places and "lowa" not in places


@pytest.mark.parametrize(("title", "classes", "right"), [
    ("Iowa Hawkeyes 棒球帽 NCAA 刺绣", (25,), "R-LW"),       # a US state, I read as l
    ("IOWA 州 纪念 T恤", (25,), "R-LW"),                     # a place in capitals is still the place
    ("Cloves 丁香 花苞 精油 10ml", (3,), "R-DV"),             # cl read as d, then the mark's beginning
    ("Clove 丁香 手工皂 100g", (3,), "R-DV"),                 # joined with the next word (clove100g)
    ("Nepal 尼泊尔 徒步 冲锋衣", (25,), "R-NP"),              # the mark's beginning: a country
])
def test_a_word_or_place_is_not_read_into_a_mark(title: str, classes: tuple[int, ...], right: str) -> None:
    assert right not in leads(ENGINE, title, classes, 9.9)  # at a knock-off's price
    assert right not in candidates(DETECTOR, title, classes, 9.9)  # not even a candidate


@pytest.mark.parametrize(("title", "classes", "right"), [
    ("L0WA 登山鞋 男 防水", (25,), "R-LW"),                   # 0 for O: no word
    ("1OWA 登山鞋 徒步", (25,), "R-LW"),                      # 1 for l
    ("NlKE 跑步鞋 气垫", (25,), "R-NK"),                      # l for I
    ("ARIA 全脂 牛奶 1L 进口", (29,), "R-AR"),                 # an English word through a confusable letter: a lead
])
def test_short_marks_with_confusable_letters_stay_found(title: str, classes: tuple[int, ...], right: str) -> None:
    assert right in leads(ENGINE, title, classes)
