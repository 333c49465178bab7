"""Issue 11, session 23 (tm23fp), regional/detection/wording.py: 复刻 ("replica") next to the exact mark is counterfeit
wording (PIAGET 复刻 戒指, ALPINA 复刻 飞行员), unless the title names a re-issue of a past model (its year before 2000,
初代, 周年, the national warranty 国行/行货) or the owner sells it (复刻版 by the brand itself)."""

from __future__ import annotations

import pytest

from regional.detection import wording
from regional.detection.engine import Engine
from regional.domain import Right, RightKind
from tests.unit.trademark_leads import SHOP, coded_leads

ROLEX = Right(RightKind.TRADEMARK, "TM-RO", "ROLEX", "Rolex SA", "registered", (14,))
PATEK = Right(RightKind.TRADEMARK, "TM-PP", "百达翡丽", "百达翡丽公司", "registered", (14,))
SEIKO = Right(RightKind.TRADEMARK, "TM-SE", "SEIKO", "Seiko Watch Kabushiki Kaisha", "registered", (14,))
WARRIOR = Right(RightKind.TRADEMARK, "TM-HL", "回力", "上海回力鞋业有限公司", "registered", (25,))
ENGINE = Engine([ROLEX, PATEK, SEIKO, WARRIOR], [])


def leads(title: str, classes: tuple[int, ...], seller: str = SHOP, price: float = 99.0) -> dict[str, list[str]]:
    return coded_leads(ENGINE, title, classes, seller, price)


@pytest.mark.parametrize("title, right", [
    ("ROLEX 复刻 日志型 36mm 自动 机械表", "TM-RO"),
    ("ROLEX 宇宙计时 复刻版 熊猫盘", "TM-RO"),
    ("复刻 百达翡丽 鹦鹉螺 蓝盘 机械表", "TM-PP"),
])
def test_replica_wording_next_to_the_exact_mark_is_a_lead(title: str, right: str) -> None:
    got = leads(title, (14,), price=1280.0)
    assert right in got and wording.CODE in got[right], got


@pytest.mark.parametrize("title, classes, seller", [
    ("SEIKO 精工 1970 复刻 潜水表 国行", (14,), SHOP),  # a re-issue names its original's year
    ("SEIKO 精工 初代 复刻 潜水表", (14,), SHOP),  # ... or its first generation
    ("SEIKO 精工 55周年 复刻 腕表", (14,), SHOP),  # ... or the anniversary
    ("SEIKO 精工 复刻 潜水表 行货", (14,), SHOP),  # ... or the national warranty
    ("回力 经典 复刻版 帆布鞋", (25,), "上海回力鞋业有限公司"),  # the owner's own retro re-issue
    ("ROLEX 非复刻 正品 二手 腕表", (14,), SHOP),  # denied
])
def test_a_re_issue_or_the_owners_retro_is_no_replica(title: str, classes: tuple[int, ...], seller: str) -> None:
    got = leads(title, classes, seller, price=4999.0)
    assert not any(wording.CODE in codes for codes in got.values()), got


def test_replica_words() -> None:
    assert wording.wording("ROLEX 复刻 黑水鬼") == "复刻"
    assert wording.wording("CHATEAU X 2015 复刻 酒标") == "复刻"  # a vintage is no original's year
    assert wording.wording("SEIKO 1965 复刻") is None
    assert wording.wording("1:1 复刻 1965") == "1:1"  # another phrase still counts
