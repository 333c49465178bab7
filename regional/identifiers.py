"""Check characters of Chinese identifiers: unified social credit codes and patent numbers."""

from __future__ import annotations

import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code, chars 9-17 of a USCC
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_PATENT_NUMBER = re.compile(r"^(?:ZL|CN)?(\d{12}|\d{8})\.?([0-9X])$")


def uscc_check_char(code17: str) -> str:
    """The 18th (check) character of a unified social credit code from its first 17."""
    code17 = code17.upper()
    if len(code17) != 17 or any(ch not in USCC_CHARSET for ch in code17):
        raise ValueError(f"need 17 characters from {USCC_CHARSET!r}, got {code17!r}")
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(code17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str | None) -> bool:
    """True when `code` is 18 USCC characters ending in the right check character."""
    if not code or len(code) != 18:
        return False
    code = code.upper()
    if any(ch not in USCC_CHARSET for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def org_code_check_char(code8: str) -> str:
    """The 9th (check) character of a GB 11714 organisation code from its first 8 digits/letters."""
    if len(code8) != 8:
        raise ValueError(f"need 8 characters, got {code8!r}")
    total = sum(int(ch, 36) * w for ch, w in zip(code8.upper(), _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def patent_check_digit(digits12: str) -> str:
    """CNIPA application-number check digit: sum(d_i * w_i) mod 11, 10 written as 'X'.

    Takes the 12 digits of a number filed since 2003-10-01, or the 8 digits of an older one
    (weights 2..9 for both).
    """
    if len(digits12) not in (8, 12) or not digits12.isdigit():
        raise ValueError(f"need 12 (or, before 2003, 8) digits, got {digits12!r}")
    remainder = sum(int(d) * w for d, w in zip(digits12, _PATENT_WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


def format_patent_number(digits12: str) -> str:
    """'ZL' + 12 digits + '.' + check digit, e.g. ZL202020123456.X."""
    return f"ZL{digits12}.{patent_check_digit(digits12)}"


def is_valid_patent_number(number: str | None) -> bool:
    """True for 'ZL'/'CN' + 12 (or 8) digits + optional '.' + a correct check digit."""
    found = _PATENT_NUMBER.match((number or "").strip().upper())
    return found is not None and patent_check_digit(found.group(1)) == found.group(2)
