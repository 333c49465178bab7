"""newcomer23 E: a 5-digit HS code (85171) was refused with "must be an HS code of 4 to 10 digits" — it has 5. HS
codes go in digit pairs (4, 6, 8 or 10 digits, the pattern the check has always used); the refusal now says so, in
English and Chinese (the customs upload page showed the same contradiction)."""

from __future__ import annotations

import pytest

from regional.customs.core import CustomsError, check_declaration, check_export_product

DECLARATION = {"declaration_no": "530120261234567890", "direction": "export", "port": "黄埔海关", "goods": "手机",
               "consignor": "深圳市博鹏商贸有限公司"}


@pytest.mark.parametrize("code", ["85171", "8517130", "851713000"])
def test_an_odd_length_hs_code_is_refused_with_the_lengths_that_exist(code: str) -> None:
    with pytest.raises(CustomsError) as refused:
        check_declaration({**DECLARATION, "hs_code": code})
    text = str(refused.value)
    assert "4, 6, 8 or 10 digits" in text and "4 to 10" not in text, text
    with pytest.raises(CustomsError) as product:
        check_export_product({"code": "P-1", "name": "手机", "destinations": "US", "hs_code": code})
    assert "4, 6, 8 or 10 digits" in str(product.value), str(product.value)


@pytest.mark.parametrize("code", ["8517", "851713", "85171300", "8517130000", "8517.13"])
def test_hs_codes_of_even_length_pass(code: str) -> None:
    assert check_declaration({**DECLARATION, "hs_code": code}).hs_code == code.replace(".", "")


def test_the_chinese_says_the_same() -> None:
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "regional/web/translations/zh_CN/LC_MESSAGES/imports.po").read_text(
        encoding="utf-8")
    assert 'msgstr "须为 4、6、8 或 10 位数字的商品编码（HS 编码，可含“.”）"' in po
    assert "4 至 10 位" not in po
