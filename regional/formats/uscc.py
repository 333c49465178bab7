"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

USCC_LENGTH = 18
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character_ok(code: str) -> bool:
    """True when `code` is 18 characters from the USCC alphabet and its last one is the right check character.

    A code that fails is still kept as evidence (a clerk's typo does not clear a seller); callers
    use this as a flag, not as a validation rule.
    """
    if len(code) != USCC_LENGTH or any(ch not in _ALPHABET for ch in code):
        return False
    total = sum(_ALPHABET.index(ch) * w for ch, w in zip(code[:17], _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31] == code[17]
