"""Full-width forms (全角) typed with a Chinese input method — ４４００, ８９．５, ＡＢ１２３, ２０２６／１１／０２ — as the
ASCII a number, a code or a date is written in.

NFKC (Unicode compatibility normalisation) at the edge where a value is read as a number, a code or a date;
never on free text (titles, names, descriptions, addresses), which is kept as typed. Pure.
"""

from __future__ import annotations

import unicodedata


def halfwidth(text: str) -> str:
    """`text` with full-width digits, Latin letters and punctuation (and the ideographic space) as ASCII."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)

