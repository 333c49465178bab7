"""Issue 11, session 23 (tm23fp), regional/detection/wording.py: 原厂/原装 on a badge of the exact mark (车标, 立标,
轮毂中心盖 …) by a shop that is neither owner nor licensee is a false claim of origin (SAAB 原厂 车标 at 19.9), unless
the maker's part number is named, the claim is denied or the title is compatibility wording; other 原厂 parts stay
resale (session 21's rule)."""

from __future__ import annotations

import pytest

from regional.detection import wording
from regional.detection.engine import Engine
from regional.domain import Right, RightKind
from tests.unit.trademark_leads import SHOP, coded_leads

SAAB = Right(RightKind.TRADEMARK, "TM-SA", "SAAB", "Saab AB", "registered", (12,))
BUICK = Right(RightKind.TRADEMARK, "TM-BU", "别克", "通用汽车公司", "registered", (12,))
ENGINE = Engine([SAAB, BUICK], [])


def leads(title: str, classes: tuple[int, ...], seller: str = SHOP, price: float = 99.0) -> dict[str, list[str]]:
    return coded_leads(ENGINE, title, classes, seller, price)


@pytest.mark.parametrize("title, right", [
    ("SAAB 萨博 原厂 车标 后备箱 标", "TM-SA"),
    ("SAAB 原装 轮毂中心盖 4个装", "TM-SA"),
    ("别克 原厂 LOGO 车标 英朗", "TM-BU"),
    ("别克 立标 引擎盖 改装 原厂配件", "TM-BU"),  # 配件 here is the claim (原厂配件), no compatibility
])
def test_an_original_badge_claimed_by_another_shop_is_a_lead(title: str, right: str) -> None:
    got = leads(title, (12,), price=19.9)
    assert right in got and wording.CLAIM_CODE in got[right], got


@pytest.mark.parametrize("title, seller", [
    ("别克 原厂 中网 英朗 正品", SHOP),  # a 原厂 part that is no badge: resale
    ("别克 原厂 车标 英朗 26282530 正品", SHOP),  # a parts dealer names the maker's part number
    ("SAAB 车标 贴 非原厂", SHOP),  # denied
    ("适用于 SAAB 车标 原厂 尺寸", SHOP),  # compatibility wording
    ("别克 原厂 车标 英朗", "通用汽车公司"),  # the owner
])
def test_genuine_parts_a_part_number_a_denial_and_the_owner_stay_quiet(title: str, seller: str) -> None:
    got = leads(title, (12,), seller, price=19.9)
    assert not any(wording.CLAIM_CODE in codes for codes in got.values()), got


def test_badge_words() -> None:
    assert wording.badge("saab 原厂 车标") == "原厂 车标"
    assert wording.badge("标致 408 原厂 雾灯") is None  # 标致 (Peugeot) is no badge
    assert wording.badge("原厂 前后标配 雨刮") is None  # 标配 "standard equipment"
    assert wording.badge("茅台 原装 正品 防伪标志 飞天") is None  # an anti-counterfeit label, no badge
    assert wording.badge("原装 进口 数字标牌 显示器") is None  # 标牌 "signage"
    assert wording.badge("saab 原装 轮毂 标 4只") == "原装 轮毂 标"
    assert wording.badge("bmw 原厂 车标 51148132375") is None
