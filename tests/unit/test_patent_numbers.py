"""Finding patent numbers in listing text, in all the forms sellers write them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection.patents import NumberForm, extract, registry_key
from regional.domain import RightKind
from regional.identifiers import patent_check_digit


def full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@pytest.mark.parametrize("text", [
    "ZL201910123456.X", "ZL 201910123456.X", "ZL 2019 1 0123456.X", "专利号：201910123456.X", "CN201910123456X",
    "专利号:ZL201910123456。X", full_width("ZL201910123456.X"), "zl201910123456.x", "patent no. 201910123456.X",
    "本品已获发明专利（ZL201910123456.X）",
])
def test_application_number_is_found_in_every_written_form(text: str) -> None:
    [m] = extract(text)
    assert (m.form, m.number, m.check, m.check_ok, m.kind) == (
        NumberForm.APPLICATION, "201910123456", "X", True, RightKind.INVENTION)
    assert m.canonical() == "ZL201910123456.X"


@pytest.mark.parametrize(("text", "kind", "letter"), [
    ("CN112345678A", RightKind.INVENTION, "A"), ("CN 112345678 B", RightKind.INVENTION, "B"),
    ("实用新型 CN212345678U", RightKind.UTILITY_MODEL, "U"), ("CN312345678S", RightKind.DESIGN, "S"),
    ("CN1234567C", RightKind.INVENTION, "C"),
])
def test_publication_numbers_carry_their_kind_letter(text: str, kind: RightKind, letter: str) -> None:
    [m] = extract(text)
    assert (m.form, m.kind, m.letter) == (NumberForm.PUBLICATION, kind, letter)


@pytest.mark.parametrize(("digit", "kind"), [("1", RightKind.INVENTION), ("2", RightKind.UTILITY_MODEL),
                                             ("3", RightKind.DESIGN), ("8", RightKind.INVENTION),
                                             ("9", RightKind.UTILITY_MODEL)])
def test_fifth_digit_gives_the_kind(digit: str, kind: RightKind) -> None:
    digits = f"2020{digit}0123456"
    assert extract(f"ZL{digits}.{patent_check_digit(digits)}")[0].kind == kind


def test_pre_2003_eight_digit_numbers_are_understood() -> None:
    [m] = extract(f"专利号 ZL98223456.{patent_check_digit('98223456')}")
    assert (m.form, m.kind, m.check_ok) == (NumberForm.APPLICATION, RightKind.UTILITY_MODEL, True)


@pytest.mark.parametrize(("text", "problem"), [
    ("专利号 ZL20191012345.6", "11 digits"), ("ZL201950123456.3", "kind digit 5"), ("ZL199910123456.1", "year 1999"),
])
def test_malformed_numbers_are_reported_with_why(text: str, problem: str) -> None:
    [m] = extract(text)
    assert m.form is NumberForm.MALFORMED and problem in (m.problem or "")


@pytest.mark.parametrize("text", ["专利 2 项", "型号CN-2000", "电话 13800000000", "5斤装 2026新款", "CN 1 号仓"])
def test_numbers_that_are_not_patent_numbers_are_ignored(text: str) -> None:
    assert extract(text) == []


def test_context_words_give_the_claimed_kind_and_honest_application_notices() -> None:
    [m] = extract("实用新型专利，专利号ZL201920123456.1")
    assert m.claimed_kind is RightKind.UTILITY_MODEL and not m.says_application
    [a] = extract("专利申请中，申请号201910123456.X")
    assert a.says_application


def test_the_same_number_twice_is_one_mention() -> None:
    assert len(extract("ZL201910123456.X 正品 专利号201910123456.X")) == 1


def test_registry_numbers_use_the_same_key() -> None:
    assert registry_key("ZL201910123456.X") == registry_key("201910123456.X") == "201910123456"
    assert registry_key("bogus") is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_extractor_never_fails_on_any_text(text: str) -> None:
    for m in extract(text):
        assert m.form in NumberForm
        assert m.raw


@settings(max_examples=150, deadline=None)
@given(
    year=st.integers(2003, 2026), kind=st.sampled_from("12389"), serial=st.integers(0, 9_999_999),
    prefix=st.sampled_from(["ZL", "CN", "专利号：", "专利号 ZL", "ZL "]), dot=st.sampled_from([".", "。", "．", " . ", ""]),
    wide=st.booleans(), filler=st.sampled_from(["", "正品 ", "保温杯 304不锈钢 "]),
)
def test_any_valid_number_in_any_style_round_trips(year: int, kind: str, serial: int, prefix: str, dot: str,
                                                   wide: bool, filler: str) -> None:
    digits = f"{year}{kind}{serial:07d}"
    written = f"{prefix}{digits}{dot}{patent_check_digit(digits)}"
    [m] = extract(filler + (full_width(written) if wide else written) + " 包邮")
    assert (m.number, m.check_ok) == (digits, True)


@settings(max_examples=100, deadline=None)
@given(year=st.integers(2003, 2026), kind=st.sampled_from("123"), serial=st.integers(0, 9_999_999),
       wrong=st.sampled_from("0123456789X"))
def test_any_wrong_check_digit_is_caught(year: int, kind: str, serial: int, wrong: str) -> None:
    digits = f"{year}{kind}{serial:07d}"
    [m] = extract(f"专利号 ZL{digits}.{wrong}")
    assert m.check_ok is (wrong == patent_check_digit(digits))


def test_may_mention_lists_every_character_that_folds_into_a_letter_digit_or_cue_character() -> None:
    """The pre-filter's list is exactly the characters of the BMP that fold() turns into a letter, a digit or a
    character of 专利/申请号 other than themselves (this Python's Unicode data); every character beyond the BMP is let
    through; and str.lower() turns every character that IGNORECASE matches to a cue's letter into that letter."""
    import re
    import sys

    from regional.detection import patents as pt

    wanted = re.compile(r"[\d专利申请号]|[a-z]", re.IGNORECASE)
    table = pt._FoldTable()
    folds = {chr(cp) for cp in range(0x10000) if (f := chr(cp).translate(table)) != chr(cp) and wanted.fullmatch(f)}
    assert {chr(cp) for cp in range(0x10000) if pt._MAY_FOLD_TO_CUE.fullmatch(chr(cp))} == folds
    assert {"Ｚ", "ｌ", "ℂ", "①", "²", "\uf9dd"} <= folds  # full-width, letterlike, circled, 利 compatibility form
    assert all(pt._MAY_FOLD_TO_CUE.fullmatch(chr(cp)) for cp in range(0x10000, sys.maxunicode + 1))
    letters = re.compile("[zlcnpate]", re.IGNORECASE)
    assert all(chr(cp).lower() in "zlcnpate" for cp in range(sys.maxunicode + 1) if letters.fullmatch(chr(cp)))


def test_may_mention_is_false_only_where_extract_finds_nothing() -> None:
    """On random texts made of cue words and their folded look-alikes, digits in every width, separators and plain
    words: whenever extract() finds a number the pre-filter lets the text through; and it does stop most texts."""
    import random

    from regional.detection import patents as pt

    pieces = ["ZL", "zl", "Ｚ", "L", "ℤ", "ｌ", "CN", "ｃ", "Ｎ", "ℂ", "专利", "专", "利", "\uf9dd", "申请号", "申请",
              "号", "patent", "PATENT no.", "𝐏𝐀𝐓𝐄𝐍𝐓", "发明", "：", ":", " ", ".", "。", "-", "X", "2019", "1",
              "0123456", "１２３", "201910123456", "２０１９１０１２３４５６", "²", "①", "新款", "2026", "包邮", "\n", "A"]
    rng = random.Random(11)
    stopped = found = 0
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        may = pt.may_mention(text)
        if pt.extract(text):
            found += 1
            assert may, text
        stopped += not may
    assert found > 1000 and stopped > 3000, (found, stopped)
    for cue in ("ZL", "CN", "专利号码", "专利号", "专利证号", "专利申请号", "申请号", "专利", "patent #", "Patent Number"):
        assert pt.extract(cue + "201910123456.X") and pt.may_mention(cue + "201910123456.X"), cue
    assert not pt.may_mention("2026新款 羽绒服 冬季加厚，批发价 550ml*24瓶") and not pt.may_mention(None)
