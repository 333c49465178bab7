"""Normalizers of seller identifiers: credit codes, phones, names, addresses, shop URLs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from national.dedup.normalize import (
    fold,
    is_valid_uscc,
    normalize_address,
    normalize_name,
    normalize_phone,
    normalize_shop_url,
    normalize_uscc,
    uscc_distance,
)
from regional.identifiers import uscc_check_char

VALID = "914403001922038216"


@pytest.mark.parametrize("raw", ["914403001922038216", " 91 4403 0019 2203 8216 ", "91440300-1922038216",
                                 "９１４４０３００１９２２０３８２１６"])
def test_credit_code_separators_and_width_are_ignored(raw: str) -> None:
    assert normalize_uscc(raw) == VALID


def test_credit_code_with_letters_never_used_by_gb32100_reads_them_as_lookalikes() -> None:
    assert normalize_uscc("9144O3OO1922O38216") == VALID


def test_typo_d_credit_code_is_kept_but_fails_its_check() -> None:
    typo = VALID[:10] + "3" + VALID[11:]
    assert normalize_uscc(typo) == typo
    assert not is_valid_uscc(typo)
    assert uscc_distance(typo, VALID) == 1


def test_swapped_characters_are_one_edit() -> None:
    assert uscc_distance("91440300AB22038216", "91440300BA22038216") == 1


def test_single_substitution_always_breaks_the_check_character() -> None:
    body = VALID[:17]
    for pos in range(17):
        for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if ch != body[pos]:
                changed = body[:pos] + ch + body[pos + 1:]
                assert uscc_check_char(changed) != VALID[17] or changed == body


@pytest.mark.parametrize("raw", ["", "123", "91440300192203821", "9144030019220382160"])
def test_malformed_credit_codes_normalize_to_none(raw: str) -> None:
    assert normalize_uscc(raw) is None


@pytest.mark.parametrize("raw, expected", [
    ("13812345678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("86-13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("0755-81234567", "0755-81234567"),
    ("(0755)8123 4567", "0755-81234567"),
    ("+86 755 81234567", "0755-81234567"),
    ("0755-81234567转808", "0755-81234567"),
    ("010-62345678 ext. 12", "010-62345678"),
    ("81234567", "-81234567"),
    ("12345", None),
    ("", None),
])
def test_phone_formats_reduce_to_one_canonical_form(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["深圳市华强电子有限公司", "华强电子有限责任公司", "廣東省深圳市華強電子有限公司",
                                 "华强电子（深圳）有限公司", "华强电子(深圳)股份有限公司", "华强电子旗舰店",
                                 "深圳华强电子专营店", "  深圳市 华强电子 有限公司 "])
def test_company_and_shop_names_share_one_core(raw: str) -> None:
    parts = normalize_name(raw)
    assert parts is not None
    assert parts.core == "华强电子"
    assert parts.brand == "华强"


def test_place_prefix_is_recorded_so_namesakes_in_other_cities_can_be_told_apart() -> None:
    sz, gz = normalize_name("深圳市华强电子有限公司"), normalize_name("广州市华强电子有限公司")
    assert sz is not None and gz is not None
    assert sz.place == "440300" and gz.place == "440100"


def test_a_brand_that_is_a_place_name_is_not_stripped_twice() -> None:
    parts = normalize_name("中山市中山电器厂")
    assert parts is not None and parts.core == "中山电器"


def test_shop_suffix_marks_a_shop_name() -> None:
    shop, legal = normalize_name("华强电子旗舰店"), normalize_name("华强电子有限公司")
    assert shop is not None and shop.shop
    assert legal is not None and not legal.shop


@pytest.mark.parametrize("raw", ["广东省深圳市南山区科技园路18号", "深圳市南山区科技园路18号", "广东深圳南山区科技园路18号",
                                 "中国广东省深圳市南山区科技园路18号", "廣東省深圳市南山區科技園路18號", "广东省 深圳市 南山区 科技园路18号"])
def test_addresses_resolve_to_a_county_code_and_a_street(raw: str) -> None:
    parsed = normalize_address(raw)
    assert parsed is not None
    assert (parsed.code, parsed.prefecture, parsed.street) == ("440305", "440300", "科技园路18号")


def test_an_ambiguous_county_name_alone_gives_no_code() -> None:
    parsed = normalize_address("南山区科技园路18号")  # 南山区 is in Shenzhen and in Hegang
    assert parsed is not None and parsed.code is None


def test_municipality_districts_resolve() -> None:
    parsed = normalize_address("北京市海淀区中关村大街1号")
    assert parsed is not None and parsed.code == "110108" and parsed.province == "110000"


def test_unknown_place_keeps_the_street_without_a_code() -> None:
    parsed = normalize_address("某某路1号")
    assert parsed is not None and parsed.code is None and parsed.street == "某某路1号"


@pytest.mark.parametrize("raw, expected", [
    ("https://shop123456.taobao.com/?spm=a1z10.1-c.0.0.xx", "taobao:123456"),
    ("shop123456.taobao.com", "taobao:123456"),
    ("https://shop.taobao.com/shop/view_shop.htm?shop_id=123456&spm=x", "taobao:123456"),
    ("http://mall.jd.com/index-1000001.html?from=pc", "jd:1000001"),
    ("https://shop.m.jd.com/?shopId=1000001&utm_source=wx", "jd:1000001"),
    ("https://mobile.yangkeduo.com/mall_page.html?mall_id=998877&refer=x", "pdd:998877"),
    ("https://huaqiang.tmall.com/?spm=1", "tmall:huaqiang"),
    ("https://haohuo.jinritemai.com/views/shop/index?shop_id=5566&origin=ad", "douyin:5566"),
    ("https://www.example.com/store/?utm_source=x", "web:example.com/store"),
    ("not a url", None),
    # the path form: https://host/shopNNNN?...
    ("https://shop.taobao.com/shop123456?spm=a1z10", "taobao:123456"),
    ("https://mall.jd.com/shop1000012345?from=pc", "jd:1000012345"),
    ("https://www.somemall.cn/shop8899?utm_source=wx", "somemall.cn:8899"),
    ("https://www.somemall.cn/shop/8899/index.html", "somemall.cn:8899"),
    ("https://shop.kwaixiaodian.com/store_20331?share=1", "kuaishou:20331"),
    ("https://weidian.com/?userid=1234567&wfr=c", "weidian:1234567"),
    # Douyin: one key per shop, never one for the whole platform
    ("https://haohuo.jinritemai.com/views/shop/index?id=aGhXKzJ3&origin_type=604", "douyin:aGhXKzJ3"),
    ("https://haohuo.jinritemai.com/ecommerce/trade/shop/index.html?sec_shop_id=Xy7kLmN2", "douyin:Xy7kLmN2"),
    ("https://haohuo.jinritemai.com/views/product/item2?id=3589012&origin=ad", None),
    ("https://haohuo.jinritemai.com/", None),
    ("https://v.douyin.com/iRNBho6u/", "douyin:link:iRNBho6u"),
    ("https://www.douyin.com/", None),
    ("https://detail.tmall.com/item.htm?id=6123", None),
    # a seller's own page on the content platforms is its shop; Weidian's short form; Taobao and Tmall share ids
    ("https://www.xiaohongshu.com/user/profile/5f3a1b2c0000000001006e7d?xsec_token=AB", "xiaohongshu:5f3a1b2c0000000001006e7d"),
    ("https://www.xiaohongshu.com/vendor/5f3a1b2c0000000001006e7d", "xiaohongshu:5f3a1b2c0000000001006e7d"),
    ("https://www.kuaishou.com/profile/3xk9abc2def", "kuaishou:3xk9abc2def"),
    ("https://live.kuaishou.com/profile/3xk9abc2def?fid=1", "kuaishou:3xk9abc2def"),
    ("https://www.douyin.com/user/MS4wLjABAAAAv7iSuuXDJVDvJ_HAuEIlHDIbs0h6V2OxhVpZa1mSJQg?from_tab_name=main",
     "douyin:MS4wLjABAAAAv7iSuuXDJVDvJ_HAuEIlHDIbs0h6V2OxhVpZa1mSJQg"),
    ("https://weidian.com/s/1234567?wfr=c", "weidian:1234567"),
    ("https://shop1234567.v.weidian.com/", "weidian:1234567"),
    ("https://shop.m.tmall.com/shop/shop_index.htm?shop_id=123456", "taobao:123456"),
    ("https://www.example.com/user/login", "web:example.com/user/login"),
])
def test_shop_urls_reduce_to_platform_and_shop_id(raw: str, expected: str | None) -> None:
    assert normalize_shop_url(raw) == expected


def test_fold_removes_width_case_punctuation_and_traditional_script() -> None:
    assert fold("ＡＢＣ　華強·電子！") == "abc华强电子"


# ---------------------------------------------------------------- fuzzing: outside input never crashes us

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_normalizers_never_raise_on_any_text(text: str) -> None:
    normalize_uscc(text)
    normalize_phone(text)
    normalize_name(text)
    normalize_address(text)
    normalize_shop_url(text)
    fold(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789+-() 转ext#", max_size=30))
def test_phone_output_is_canonical_and_idempotent(text: str) -> None:
    phone = normalize_phone(text)
    if phone is not None:
        assert normalize_phone(phone if not phone.startswith("-") else phone[1:]) == phone


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYabc -IOSZV", max_size=24))
def test_credit_code_output_is_18_gb32100_characters_and_idempotent(text: str) -> None:
    code = normalize_uscc(text)
    if code is not None:
        assert len(code) == 18 and normalize_uscc(code) == code


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_name_core_is_a_fixed_point(text: str) -> None:
    parts = normalize_name(text)
    if parts is not None and parts.core:
        again = normalize_name(parts.core)
        assert again is not None and len(again.core) <= len(parts.core)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["https://", "http://", ""]), st.sampled_from(["shop42.taobao.com", "mall.jd.com/index-42.html"]),
       st.dictionaries(st.sampled_from(["spm", "utm_source", "from", "scm"]), st.text("abc123", max_size=6), max_size=3))
def test_tracking_parameters_never_change_the_shop(scheme: str, base: str, params: dict[str, str]) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = scheme + base + ("?" + query if query else "")
    assert normalize_shop_url(url) == normalize_shop_url(scheme + base)


def test_a_characters_sound_is_what_pypinyin_reads_for_every_common_chinese_character() -> None:
    from pypinyin import lazy_pinyin

    from national.dedup.normalize import _char_sound

    differ = [chr(c) for c in range(0x4E00, 0xA000) if _char_sound(chr(c)) != (lazy_pinyin(chr(c)) or [chr(c)])[0]]
    assert differ == []
    assert _char_sound("绿") == "lv" and _char_sound("a") == "a"


_FORM_CHARS = "".join(sorted({ch for f in ("有限公司", "商行", "经营部", "旗舰店", "专营店", "企业店", "贸易商行", "合伙企业",
                                            "个体工商户", "工作室", "股份有限公司", "有限责任公司") for ch in f})) + "华美电子亚茂"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_FORM_CHARS, min_size=3, max_size=8))
def test_a_mistyped_legal_form_is_found_as_by_trying_every_masked_position(tail: str) -> None:
    from national.dedup.normalize import _SUFFIX_SET, _TYPED_SLIPS, _typed_slip

    if tail in _SUFFIX_SET:
        return
    brute = next((f for k in range(len(tail)) if (f := _TYPED_SLIPS.get(tail[:k] + "?" + tail[k + 1:]))), None)
    assert _typed_slip(tail) == brute


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["深圳市", "广州", "华美", "電子", "有限公司", "商行", "旗舰店", "（个体工商户）", "南山区",
                                 "服装店", "科技", "化妆晶", " ", "官方"]), min_size=1, max_size=6))
def test_a_names_parts_do_not_depend_on_what_was_normalized_before(parts: list[str]) -> None:
    from national.dedup.normalize import _name_tail

    raw = "".join(parts)
    _name_tail.cache_clear()
    first = normalize_name(raw)
    again = normalize_name(raw)  # from the per-part cache
    _name_tail.cache_clear()
    assert first == again == normalize_name(raw)
