"""Finding patent numbers in free text, in every form sellers write them.

Recognised (after full-width -> half-width folding, case-insensitive):

- application numbers, 12 digits since 2003-10-01 (year, kind digit, 7-digit serial) or 8
  before (2-digit year, kind digit, 5-digit serial), with or without the check character
  and the dot before it: ZL201910123456.7, ZL 2019 1 0123456.7, CN2019101234567, 专利号：201910123456.X;
- publication numbers: CN + 9 (or, before 2010, 7) digits + kind letter: CN112345678A,
  CN 212345678 U, CN1234567C;
- anything that follows a patent cue (ZL, CN, 专利号, patent no.) and looks like an
  attempt at one of those becomes a MALFORMED mention, so the rules can flag it.

Kind: the 5th digit of a 12-digit (3rd of an 8-digit) application number is 1 invention,
2 utility model, 3 design, 8/9 a PCT application (invention/utility model) entering China;
publication letters A/B/C are inventions, U/Y utility models, S/D designs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from regional.domain import RightKind
from regional.identifiers import patent_check_digit


class NumberForm(StrEnum):
    """What kind of number a mention is."""

    APPLICATION = "application"
    PUBLICATION = "publication"
    MALFORMED = "malformed"


_KIND_DIGITS = {"1": RightKind.INVENTION, "8": RightKind.INVENTION, "2": RightKind.UTILITY_MODEL,
                "9": RightKind.UTILITY_MODEL, "3": RightKind.DESIGN}
_PUBLICATION_LETTERS = {"A": RightKind.INVENTION, "B": RightKind.INVENTION, "C": RightKind.INVENTION,
                        "U": RightKind.UTILITY_MODEL, "Y": RightKind.UTILITY_MODEL,
                        "S": RightKind.DESIGN, "D": RightKind.DESIGN}
KIND_NAMES_ZH = {RightKind.INVENTION: "发明专利", RightKind.UTILITY_MODEL: "实用新型专利",
                 RightKind.DESIGN: "外观设计专利"}

# Words that tell which kind of patent the seller claims, nearest one wins.
_CLAIM_WORDS: tuple[tuple[str, RightKind], ...] = (
    ("发明专利", RightKind.INVENTION), ("发明", RightKind.INVENTION),
    ("实用新型", RightKind.UTILITY_MODEL), ("新型专利", RightKind.UTILITY_MODEL),
    ("外观设计", RightKind.DESIGN), ("外观专利", RightKind.DESIGN),
    ("invention patent", RightKind.INVENTION), ("utility model", RightKind.UTILITY_MODEL),
    ("design patent", RightKind.DESIGN),
)
_APPLICATION_WORDS = ("申请号", "申请中", "已申请", "专利申请", "受理", "patent pending", "pending", "application")

_CUE = re.compile(
    r"(?P<cue>ZL|CN|专利号码|专利号|专利证号|专利申请号|申请号|专利|PATENT\s*(?:NO\b\.?|NUMBER|#)?)"
    r"[\s:：#=\-]{0,3}(?=\d)",
    re.IGNORECASE,
)
# A bare 12+check number with its dot is unambiguous enough to be taken without a cue.
_BARE = re.compile(r"(?<![\dA-Za-z])(\d{12}\s?\.\s?[\dXx])(?![\dA-Za-z])")
_SEPARATORS = " .-"
_DOTS = str.maketrans({"。": ".", "·": ".", "•": ".", "．": ".", "，": ",", "\u3000": " "})
_MAX_DIGITS = 13


@dataclass(frozen=True, slots=True)
class PatentMention:
    """One patent number found in a text, parsed."""

    raw: str  # as it stands in the (width-folded) text
    start: int
    form: NumberForm
    number: str  # application: 12/8 digits; publication: digits; malformed: the cleaned attempt
    check: str | None = None  # the check character as written (applications)
    kind: RightKind | None = None
    letter: str | None = None  # publication kind letter
    problem: str | None = None  # why a MALFORMED mention is malformed
    claimed_kind: RightKind | None = None  # what the surrounding words claim
    says_application: bool = False  # the text itself says it is only applied for

    @property
    def check_ok(self) -> bool | None:
        """True/False for an application number with a check character, else None."""
        if self.form is not NumberForm.APPLICATION or self.check is None:
            return None
        return patent_check_digit(self.number) == self.check

    @property
    def expected_check(self) -> str | None:
        """The check character an application number should carry."""
        return patent_check_digit(self.number) if self.form is NumberForm.APPLICATION else None

    @property
    def key(self) -> str:
        """The registry lookup key: application digits, 'CN'+digits+letter, or the raw text."""
        if self.form is NumberForm.APPLICATION:
            return self.number
        if self.form is NumberForm.PUBLICATION:
            return f"CN{self.number}{self.letter}"
        return self.raw

    def canonical(self) -> str:
        """ZL201910123456.7 / CN112345678A / the raw text, for display and as a lead's `right`."""
        if self.form is NumberForm.APPLICATION:
            return f"ZL{self.number}.{self.check or self.expected_check}"
        return self.key


class _FoldTable(dict[int, str]):
    """Chinese dots -> '.', then NFKC of each character when that stays one character; learned per character."""

    def __missing__(self, cp: int) -> str:
        ch = _DOTS.get(cp, chr(cp))
        ch = chr(ch) if isinstance(ch, int) else ch
        folded = unicodedata.normalize("NFKC", ch)
        value = folded if len(folded) == 1 else ch
        self[cp] = value
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Full-width -> half-width and Chinese dots -> '.', keeping one character per input character."""
    return text.translate(_FOLD)


# Every character of the Basic Multilingual Plane that fold() turns into a letter, a digit or a character of a cue
# (专利, 申请号) other than itself, as of Unicode 14.0.0 (full-width letters and digits, superscripts, letterlike and
# circled forms, 利 U+F9DD, ...); another Unicode version lists them from its own data.
_FOLDS_TO_CUE_14 = ("\u00aa\u00b2-\u00b3\u00b9-\u00ba\u017f\u02b0\u02b2-\u02b3\u02b7-\u02b8\u02e1-\u02e3\u1d2c\u1d2e"
                    "\u1d30-\u1d31\u1d33-\u1d3a\u1d3c\u1d3e-\u1d43\u1d47-\u1d49\u1d4d\u1d4f-\u1d50\u1d52\u1d56-\u1d58"
                    "\u1d5b\u1d62-\u1d65\u1d9c\u1da0\u1dbb\u2070-\u2071\u2074-\u2079\u207f-\u2089\u2090-\u2093"
                    "\u2095-\u209c\u2102\u210a-\u210e\u2110-\u2113\u2115\u2119-\u211d\u2124\u2128\u212a\u212c-\u212d"
                    "\u212f-\u2131\u2133-\u2134\u2139\u2145-\u2149\u2160\u2164\u2169\u216c-\u2170\u2174\u2179"
                    "\u217c-\u217f\u2460-\u2468\u24b6-\u24ea\u2c7c-\u2c7d\ua7f2-\ua7f4\uf9dd\uff10-\uff19"
                    "\uff21-\uff3a\uff41-\uff5a")


def _folds_to_cue() -> str:
    if unicodedata.unidata_version == "14.0.0":
        return _FOLDS_TO_CUE_14
    wanted = re.compile(r"[\d专利申请号]|[a-z]", re.IGNORECASE)
    table = _FoldTable()  # fold()'s rule, without filling its table with every code point
    return "".join(re.escape(chr(cp)) for cp in range(0x10000)
                   if (folded := chr(cp).translate(table)) != chr(cp) and wanted.fullmatch(folded))


# A character that may fold into a letter, digit or cue character: those above, or any beyond the BMP (mathematical
# letters and digits, squared 申, ... and emoji: a superset, so one plain class that the regex engine scans fast)
_MAY_FOLD_TO_CUE = re.compile(f"[{_folds_to_cue()}\U00010000-\U0010ffff]")
_TWELVE_DIGITS = re.compile(r"\d{12}")


def may_mention(text: str | None) -> bool:
    """Cheap pre-filter of extract(): False only for a text in which extract() finds nothing.

    extract() needs, in the folded text, the letters of a cue (every alternative of _CUE holds ZL, CN, 专利, 申请号
    or PATENT, any case) or twelve digits in a row (_BARE). A text without them and without a character that folds
    into a letter, a digit or a cue character reads the same there folded or not, so it mentions no number.
    str.lower() makes every character IGNORECASE takes for one of those letters that letter (tested).
    """
    if text is None:
        return False
    lower = text.lower()
    return ("zl" in lower or "cn" in lower or "patent" in lower or "专利" in text or "申请号" in text
            or _TWELVE_DIGITS.search(text) is not None or _MAY_FOLD_TO_CUE.search(text) is not None)


def registry_key(number: str) -> str | None:
    """Lookup key of a registry record's number (same rules as in text), or None if unparseable."""
    found = extract(number if re.match(r"\s*(ZL|CN)", number, re.I) else "ZL" + number)
    return found[0].key if found and found[0].form is not NumberForm.MALFORMED else None


def _x_allowed(group: str, body: str, digits: int) -> bool:
    """An X is a check character only right after the digits or the dot that precede it."""
    if group:
        return group[-1] in "0123456789."
    return body.endswith(".") or digits in (8, 12)


def _scan_body(text: str, pos: int) -> tuple[str, int]:
    """The digits, dots and X of a number starting at `pos`, and where it ends."""
    end = pos
    digits = 0
    body = ""
    i = pos
    while i < len(text):
        # a space-separated group joins the number only while the total stays plausible
        j = i
        group = ""
        while j < len(text) and (text[j].isdigit() and text[j].isascii() or text[j] in ".-"
                                 or (text[j] in "Xx" and _x_allowed(group, body, digits))):
            group += text[j]
            j += 1
        count = sum(ch.isdigit() or ch in "Xx" for ch in group)
        if not group or (body and digits + count > _MAX_DIGITS):
            break
        body += group
        digits += count
        end = j
        if "x" in group.lower():
            break
        k = j
        while k < len(text) and text[k] == " " and k - j < 2:
            k += 1
        if k == j or k >= len(text) or not (text[k].isdigit() or text[k] == "." or (text[k] in "Xx" and digits in (8, 12))):
            break
        i = k
    return body.rstrip(".-"), end - (len(body) - len(body.rstrip(".-")))


def _letter_after(text: str, end: int) -> tuple[str | None, int]:
    k = end + (1 if end < len(text) and text[end] == " " else 0)
    if k < len(text) and text[k].upper() in _PUBLICATION_LETTERS and not (k + 1 < len(text) and text[k + 1].isascii()
                                                                            and text[k + 1].isalpha()):
        return text[k].upper(), k + 1
    return None, end


def _parse(cue: str, body: str, letter: str | None) -> tuple[NumberForm, str, str | None, RightKind | None, str | None]:
    """(form, number, check, kind, problem) of one candidate."""
    digits = "".join(ch for ch in body.upper() if ch.isdigit() or ch == "X")
    if letter and cue.upper() != "ZL" and "X" not in digits and "." not in body and len(digits) in (7, 9):
        kind = _PUBLICATION_LETTERS[letter]
        if len(digits) == 9 and _KIND_DIGITS.get(digits[0]) not in (kind, None):
            return NumberForm.MALFORMED, digits, None, None, f"kind letter {letter} does not fit a number starting {digits[0]}"
        return NumberForm.PUBLICATION, digits, None, kind, None
    if "." in body:
        head, _, tail = body.rpartition(".")
        number = "".join(ch for ch in head if ch.isdigit())
        check: str | None = tail.upper()
        if len(check or "") != 1:
            return NumberForm.MALFORMED, digits, None, None, "a single check character must follow the dot"
    elif len(digits) in (9, 13):
        number, check = digits[:-1], digits[-1]
    else:
        number, check = digits, None
    if "X" in number or len(number) not in (8, 12):
        return NumberForm.MALFORMED, digits, None, None, f"{len(number)} digits where an application number has 12 (or 8)"
    kind_digit = number[4] if len(number) == 12 else number[2]
    if kind_digit not in _KIND_DIGITS:
        return NumberForm.MALFORMED, digits, None, None, f"kind digit {kind_digit} is not 1, 2, 3, 8 or 9"
    if len(number) == 12 and not 2003 <= int(number[:4]) <= 2099:
        return NumberForm.MALFORMED, digits, None, None, f"year {number[:4]} cannot start a 12-digit number"
    return NumberForm.APPLICATION, number, check, _KIND_DIGITS[kind_digit], None


def _context(text: str, start: int, end: int) -> tuple[RightKind | None, bool]:
    """The kind claimed by nearby words, and whether they say the number is only an application."""
    before = text[max(0, start - 16) : start].casefold()
    after = text[end : end + 8].casefold()
    claimed: RightKind | None = None
    best = -1
    for word, kind in _CLAIM_WORDS:
        at = before.rfind(word)
        if at > best:  # the nearest word before the number
            best, claimed = at, kind
    if claimed is None:
        for word, kind in _CLAIM_WORDS:
            if word in after:
                claimed = kind
                break
    applied = any(w in before[-10:] or w in after for w in _APPLICATION_WORDS)
    return claimed, applied


def extract(text: str | None) -> list[PatentMention]:
    """Every patent number mentioned in `text`, in order, each once."""
    if not text:
        return []
    folded = fold(text)
    found: list[PatentMention] = []
    taken: list[tuple[int, int]] = []
    for m in _CUE.finditer(folded):
        start = m.end()
        if any(s <= m.start() < e for s, e in taken):
            continue
        body, end = _scan_body(folded, start)
        if sum(ch.isdigit() for ch in body) < 6:
            continue  # "专利 2 项", "CN 1 号": not an attempt at a number
        letter, end_all = _letter_after(folded, end)
        form, number, check, kind, problem = _parse(m.group("cue"), body, letter)
        if form is not NumberForm.PUBLICATION:
            letter, end_all = None, end
        claimed, applied = _context(folded, m.start(), end_all)
        if m.group("cue") in ("专利申请号", "申请号"):
            applied = True
        found.append(PatentMention(folded[m.start() : end_all].strip(), m.start(), form, number, check, kind, letter,
                                   problem, claimed, applied))
        taken.append((m.start(), end_all))
    for m in _BARE.finditer(folded):
        if any(s <= m.start() < e for s, e in taken):
            continue
        form, number, check, kind, problem = _parse("", m.group(1), None)
        if form is NumberForm.APPLICATION:
            claimed, applied = _context(folded, m.start(), m.end())
            found.append(PatentMention(m.group(1), m.start(), form, number, check, kind, None, None, claimed, applied))
            taken.append((m.start(), m.end()))
    unique: dict[str, PatentMention] = {}
    for mention in sorted(found, key=lambda x: x.start):
        unique.setdefault(mention.key, mention)
    return list(unique.values())
