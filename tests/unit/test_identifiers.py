"""Check characters of credit codes and patent numbers."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regional.identifiers import (
    USCC_CHARSET,
    format_patent_number,
    is_valid_patent_number,
    is_valid_uscc,
    org_code_check_char,
    patent_check_digit,
    uscc_check_char,
)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "914403001922038216"])
def test_published_credit_codes_are_valid(code: str) -> None:
    assert is_valid_uscc(code)
    assert org_code_check_char(code[8:16]) == code[16]


def test_credit_code_with_wrong_check_character_is_invalid() -> None:
    assert not is_valid_uscc("91350100M000100Y44")


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100I000100Y43", "91350100O000100Y43"])
def test_malformed_credit_codes_are_invalid(code: str) -> None:
    assert not is_valid_uscc(code)


def test_credit_code_check_of_31_is_written_as_zero() -> None:
    # find a body whose weighted sum is a multiple of 31: 31 - 0 = 31 -> '0'
    for tail in itertools.product("0123456789", repeat=3):
        body = "91440300MA5" + "000" + "".join(tail)
        weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
        if sum(USCC_CHARSET.index(c) * w for c, w in zip(body, weights, strict=True)) % 31 == 0:
            assert uscc_check_char(body) == "0"
            return
    pytest.fail("no body with a zero remainder found")


def test_credit_code_check_rejects_characters_outside_the_charset() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("9144030000000000S")


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_any_body_plus_its_check_character_is_valid_and_others_are_not(body: str) -> None:
    check = uscc_check_char(body)
    assert is_valid_uscc(body + check)
    assert all(not is_valid_uscc(body + other) for other in USCC_CHARSET if other != check)


def test_patent_check_digit_of_ten_is_written_as_x() -> None:
    # 2*2+0*3+1*4+9*5+1*6+0*7+1*8+2*9+3*2+4*3+5*4+6*5 = 153 = 13*11 + 10
    assert patent_check_digit("201910123456") == "X"
    assert format_patent_number("201910123456") == "ZL201910123456.X"


def test_patent_numbers_are_checked() -> None:
    assert format_patent_number("202020123456") == "ZL202020123456.8"
    assert is_valid_patent_number("ZL202020123456.8")
    assert is_valid_patent_number("CN2020201234568")
    assert not is_valid_patent_number("ZL202020123456.1")
    assert not is_valid_patent_number("ZL20202012345.8")
    assert not is_valid_patent_number(None)
