"""Reasons as codes with parameters: stored aligned with the sentences, carried over sync, rendered in
the reader's language from the catalogue (never read back from the English sentence)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from regional import reasons
from regional.web import i18n
from regional.web.reasons import SIMPLE, SPECIAL, reason_texts, render_code

SAMPLES = {
    "tm.exact": {"mark": "雪碧"},
    "tm.traditional": {"window": "康師傅", "mark": "康师傅"},
    "tm.lookalike": {"window": "雷碧", "mark": "雪碧", "differ": 1, "detail": "shape"},
    "tm.homophone": {"window": "哇哈哈", "mark": "娃哈哈", "pinyin": "wa ha ha"},
    "tm.deleted_char": {"window": "鸿星克", "mark": "鸿星尔克"},
    "tm.inserted_char": {"window": "格之力", "mark": "格力"},
    "tm.reordered": {"window": "白大兔", "mark": "大白兔"},
    "tm.spacing": {"window": "STAR BUCKS", "mark": "STARBUCKS"},
    "tm.pinyin": {"window": "WAHAHA", "mark": "娃哈哈", "pinyin": "wa ha ha"},
    "tm.latin_confusable": {"window": "Nlke", "mark": "NIKE"},
    "tm.latin_phonetic": {"window": "Filips", "mark": "PHILIPS"},
    "tm.latin_letters": {"window": "Adidos", "mark": "ADIDAS", "differ": 1, "edit": "vowel"},
    "tm.latin_partial": {"window": "nikeair", "mark": "NIKE"},
    "tm.class_same": {"class": 30, "inferred_from": "category"},
    "tm.class_other": {"classes": [21], "mark_classes": [9, 11]},
    "tm.well_known": {"mark": "华为"},
    "tm.cheap": {"price": 3, "typical": 17.2},
    "pm.malformed": {"number": "ZL12", "problem": "too short"},
    "pm.bad_check_digit": {"number": "ZL201810001234.5", "expected": "7"},
    "pm.not_in_registry": {"number": "ZL201810001234.7"},
    "pm.application_only": {"number": "CN108000000A", "patent": "CN108000000A"},
    "pm.lapsed": {"number": "ZL1", "patent": "ZL201810001234.7"},
    "pm.expired": {"number": "ZL1", "patent": "ZL201810001234.7", "on": "2024-05-01"},
    "pm.invalidated": {"number": "ZL1", "patent": "ZL201810001234.7"},
    "pm.rejected": {"number": "ZL1", "patent": "201810001234.7"},
    "pm.wrong_kind": {"number": "ZL201820001234.5", "claimed": "invention", "actual": "utility_model"},
    "pm.not_owner_unlicensed": {"number": "ZL1", "owner": "美的集团", "seller": "某电器店"},
    "ds.image_similar": {"image": "a.png", "view": 1, "design": "ZL3", "phash_bits": 4, "dhash_bits": 6},
    "ds.same_class": {"locarno": "07-02"},
    "ds.title_shared": {"shared": "保温杯", "title": "真空保温杯"},
    "iv.claim_features": {"matched": 4, "total": 5, "patent": "ZL2", "features": ["双层", "真空"]},
    "iv.not_stated": {"features": ["温控"]},
    "iv.same_field": {"fields": ["A47J"]},
    "iv.examiner_review": {},
    "bl.seller_blacklisted": {},
    "tm.counterpart": {"counterpart": "HUAWEI", "mark": "华为"},
    "tm.counterfeit_wording": {"mark": "ROLEX", "words": "replica"},
    "tm.origin_claim": {"mark": "苏泊尔", "words": "官方旗舰"},
    "em.invalid": {"mark": "440000-23456777", "right": "TM-0095104", "status": "forged", "product": "雪碧 礼盒"},
    "em.other_product": {"mark": "440000-23456777", "right": "TM-0095104", "status": "genuine", "product": "雪碧 礼盒"},
    "em.genuine": {"mark": "440000-23456777", "right": "TM-0095104", "status": "genuine", "product": "雪碧 礼盒"},
    "cp.named_right": {"right": "TM-0095104"},
    "cu.recorded_brand_unlicensed": {"brand": "康师傅", "right": "TM-0012345", "recordation": "TM2019-00123",
                                     "party": "consignor", "name": "广州某贸易有限公司"},
    "cu.export_same_mark": {"brand": "雷碧", "mark": "雷碧", "country": "CN", "owner": "某某饮料公司"},
}
PARAM_TEXT = re.compile(r"[A-Za-z]+")
ALLOWED_LATIN = {"HUAWEI", "pHash", "dHash", "A", "J", "ZL", "Nlke", "NIKE", "Filips", "PHILIPS", "Adidos", "ADIDAS",
                 "nikeair", "wa", "ha", "ROLEX", "STAR", "BUCKS", "STARBUCKS", "WAHAHA", "replica", "CN", "a", "png", "too", "short", "TM"}


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    app.config["HUFU_DEFAULT_LANG"] = "zh_CN"
    i18n.init_app(app, "zh_CN")
    return app


@pytest.fixture
def zh(app: Flask) -> Iterator[None]:
    with app.test_request_context("/?lang=zh_CN"):
        yield


def test_every_known_code_has_a_sample() -> None:
    assert set(SAMPLES) == set(SIMPLE) | set(SPECIAL)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_code_renders_in_chinese_without_english_words(zh: None, code: str) -> None:
    text = render_code({"code": code, **SAMPLES[code]})
    assert text, code
    english = set(PARAM_TEXT.findall(text)) - ALLOWED_LATIN
    assert not english, f"{code}: {text!r} has English words {english}"


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_code_renders_in_english(app: Flask, code: str) -> None:
    with app.test_request_context("/?lang=en"):
        text = render_code({"code": code, **SAMPLES[code]})
    assert text
    values = [str(v) for v in SAMPLES[code].values() if not isinstance(v, list)]
    values += [str(x) for v in SAMPLES[code].values() if isinstance(v, list) for x in v]
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    assert not re.search(r"[\u4e00-\u9fff]", text), text


def test_parameters_are_shown_escaped_by_the_template_not_interpreted(zh: None) -> None:
    text = render_code({"code": "tm.exact", "mark": "<script>x</script>"})
    assert text == "与注册商标「<script>x</script>」完全相同"  # plain text; Jinja escapes it on output


def test_a_code_with_a_missing_parameter_or_unknown_code_falls_back_to_the_sentence(zh: None) -> None:
    sentences = ["exact mark '雪碧'", "same goods class 32"]
    shown = reason_texts(sentences, [{"code": "tm.exact"}, {"code": "tm.future_code", "x": 1}])
    assert shown == ["与注册商标「雪碧」完全相同", "同一商品类别 第32类 啤酒饮料"] or shown[0].startswith("与注册商标")
    assert "雪碧" in shown[0]


def test_codes_render_rather_than_the_sentence(zh: None) -> None:
    shown = reason_texts(["some sentence this version cannot parse"], [{"code": "tm.exact", "mark": "雪碧"}])
    assert shown == ["与注册商标「雪碧」完全相同"]


def test_misaligned_codes_are_ignored(zh: None) -> None:
    shown = reason_texts(["exact mark '雪碧'", "x"], [{"code": "tm.exact", "mark": "雪碧"}])
    assert shown[0] == "与注册商标「雪碧」完全相同" and shown[1] == "x"


def test_structured_codes_travel_over_the_wire_and_back() -> None:
    entries = reasons.structured(["r1", "r2"], ["tm.lookalike", "tm.cheap"],
                                 [{"window": "雷碧", "mark": "雪碧", "differ": 1, "detail": ""},
                                  {"price": 3.0, "typical": 17.2}])
    assert entries[0]["code"] == "tm.lookalike" and entries[1]["typical"] == 17.2
    assert reasons.from_wire(reasons.to_wire(entries), 2) == entries


def test_codes_without_alignment_are_not_stored_or_accepted() -> None:
    assert reasons.structured(["one reason"], ["a", "b"]) == []
    assert reasons.from_wire([("tm.exact", '{"mark": "x"}')], 2) == []
    assert reasons.from_wire([("tm.exact", "not json")], 1) == []
    assert reasons.from_wire([("tm.exact", '["a list"]')], 1) == []
    assert reasons.from_wire([("x" * 65, "")], 1) == []
    assert reasons.from_wire([("tm.exact", '{"m": "' + "x" * 5000 + '"}')], 1) == []


def test_received_parameters_are_cleaned_the_same_way_flat_or_nested_and_the_code_is_the_wire_code() -> None:
    pairs = [("tm.exact", '{"mark": "雪碧", "n": 3, "x": 1.5, "ok": true, "none": null}'),
             ("tm.nested", '{"a": {"b": {"c": [1, 2]}}, "l": [[1, [2, [3]]]], "s": "t"}'),
             ("tm.coded", '{"code": "forged", "mark": "x"}'),
             ("tm.empty", ""), ("tm.braces", "{}")]
    got = reasons.from_wire(pairs, 5)
    assert got == [{"mark": "雪碧", "n": 3, "x": 1.5, "ok": True, "none": None, "code": "tm.exact"},
                   {"a": {"b": {"c": "[1, 2]"}}, "l": [[1, "[2, [3]]"]], "s": "t", "code": "tm.nested"},
                   {"mark": "x", "code": "tm.coded"}, {"code": "tm.empty"}, {"code": "tm.braces"}]
    assert [list(entry) for entry in got][:3] == [["mark", "n", "x", "ok", "none", "code"], ["a", "l", "s", "code"],
                                                  ["mark", "code"]]  # the stored JSON's key order
    assert reasons.from_wire([("tm.exact", '{"m": "' + "é" * 2047 + '"}')], 1) == []  # 4,103 bytes, 2,056 chars
    assert reasons.from_wire([("tm.exact", '{"m": "' + "é" * 2040 + '"}')], 1) != []  # 4,089 bytes


def test_oversized_parameters_are_dropped_but_the_code_kept() -> None:
    entries = reasons.structured(["r"], ["tm.exact"], [{"mark": "x" * 10_000}])
    assert entries == [{"code": "tm.exact"}]


def test_look_alike_letters_are_named_so_the_officer_sees_how_the_marks_differ(zh: None) -> None:
    """"「NlKE」与「NIKE」近似" reads as two identical marks in most fonts: the differing characters are named."""
    shown = reason_texts(["mark 'NlKE' looks like 'NIKE' (confusable letters)"],
                         [{"code": "tm.latin_confusable", "window": "NlKE", "mark": "NIKE"}])
    assert shown == ["标识「NlKE」与「NIKE」近似（形近字母混淆）——第 2 个字符：商品为小写字母 l，商标为大写字母 I"], shown
    # the legacy path (a sentence without codes) too; digits and several places
    legacy = reason_texts(["mark 'ADlDAS0' looks like 'ADIDASO' (confusable letters)"])
    assert "第 3 个字符：商品为小写字母 l，商标为大写字母 I" in legacy[0]
    assert "第 7 个字符：商品为数字 0，商标为大写字母 O" in legacy[0]
    # Chinese look-alikes differ visibly and an inserted letter shows by itself: nothing is added
    assert reason_texts(["x"], [{"code": "tm.lookalike", "window": "雷碧", "mark": "雪碧", "differ": 1,
                                 "detail": "shape"}]) == [render_code({"code": "tm.lookalike", "window": "雷碧",
                                                                       "mark": "雪碧", "differ": 1, "detail": "shape"})]
    assert "——" not in reason_texts(["mark 'NIIKE' looks like 'NIKE' (1 letter(s) differ)"])[0]


def test_look_alike_letters_are_named_in_english_too(app: Flask) -> None:
    with app.test_request_context("/?lang=en"):
        english = reason_texts(["mark 'NlKE' looks like 'NIKE' (confusable letters)"],
                               [{"code": "tm.latin_confusable", "window": "NlKE", "mark": "NIKE"}])
    assert english == ["mark 'NlKE' looks like 'NIKE' (confusable letters) — character 2: lower-case l in the "
                       "listing, capital I in the mark"], english


def test_differing_characters_pairs_same_place_replacements_only() -> None:
    from regional.web.reasons import differing_characters

    assert differing_characters("NlKE", "NIKE") == [(2, "l", "I")]
    assert differing_characters("NIIKE", "NIKE") == []
    assert differing_characters("adidos", "adidas") == [(5, "o", "a")]
    assert differing_characters("same", "same") == []
    assert differing_characters("Nike", "NIKE") == []  # letter case is no difference
    assert differing_characters("Nlke", "NIKE") == [(2, "l", "I")]
