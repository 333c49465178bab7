"""Unified social credit codes (统一社会信用代码, GB 32100-2015) as the importers use them."""

from __future__ import annotations

from regional.identifiers import is_valid_uscc

USCC_LENGTH = 18


def uscc_check_character_ok(code: str) -> bool:
    """True when `code` is a well-formed code whose last character is the right check character.

    A code that fails is still kept as evidence (a clerk's typo does not clear a seller); callers
    use this as a flag, not as a validation rule.
    """
    return is_valid_uscc(code)
