"""Issue 11, session 23 (tm23fp), trademark._ordinary_use: a well-known mark in the message of a warning sign (当心
熊出没 警示牌) on other goods is the phrase, not the mark; on a sign without a warning it stays a lead."""

from __future__ import annotations

import pytest

from regional.detection.engine import Engine
from regional.domain import Right, RightKind
from tests.unit.trademark_leads import SHOP, coded_leads

BEARS = Right(RightKind.TRADEMARK, "TM-XC", "熊出没", "深圳华强数字动漫有限公司", "registered", (9, 16, 28, 41),
              well_known=True)
ENGINE = Engine([BEARS], [])


def leads(title: str, classes: tuple[int, ...], seller: str = SHOP, price: float = 99.0) -> dict[str, list[str]]:
    return coded_leads(ENGINE, title, classes, seller, price)


@pytest.mark.parametrize("title, classes", [
    ("当心 熊出没 景区 警示牌 铝板", (6,)),
    ("熊出没 注意 户外 提示牌 反光", (20,)),
])
def test_a_well_known_mark_as_a_warning_signs_message_is_the_phrase(title: str, classes: tuple[int, ...]) -> None:
    assert "TM-XC" not in leads(title, classes, price=39.0)


def test_the_mark_on_a_sign_without_a_warning_stays_a_lead() -> None:
    assert "TM-XC" in leads("熊出没 熊大 熊二 卡通 门牌 标识牌 儿童房", (20,), price=39.0)
