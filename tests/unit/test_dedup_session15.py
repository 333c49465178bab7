"""Seller dedup error classes of issue 11, session 15 (seen on the tuning sets, including the third independent set,
now a tuning set; every example here is hand-written, none copied from a set).

- A 省/市/区/县 read by OCR as a look-alike character (币 for 市, 具 for 县): the place is still read when the character
  meant makes a known place name end there, and a trade name of two characters or more stays; a character that only
  looks like 市 after a place already read (广州丰华: 丰) stays part of the trade name unless it is a very close
  look-alike, and a look-alike that would make an unknown place (家具 -> 家县) is no place.
- Names written in Latin letters (customs declarations, platform English names): the first run of words that read as
  pinyin is the trade name, read aloud like a Chinese one, so Wuhan Jinxiu Textile Co., Ltd. sounds like 锦绣.
  A place in front of it (Haining, also run together: GUANGZHOURUIDA) is no trade name; pinyin before Chinese trade
  words (Ruida 五金) is read the same way.
- Several numbers in one phone field separated by 或 (or), or only by spaces that also stand inside the numbers.
- 农民专业合作社 / 专业合作社 are legal forms (Law on Farmers' Specialized Cooperatives), not part of the trade name.
"""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.engine import resolve
from national.dedup.normalize import normalize_address, normalize_name, normalize_phones, pinyin_split
from national.dedup.table import build_table

CFG = seller_config()


def _name(raw: str):
    parts = normalize_name(raw)
    assert parts is not None
    return parts


def test_a_city_whose_shi_ocr_read_as_bi_is_still_the_city() -> None:
    slipped, clean = _name("武汉币江岸区恒达五金经营部"), _name("武汉市江岸区恒达五金经营部")
    assert slipped.place == clean.place == "420102"
    assert (slipped.brand, slipped.trade, slipped.form) == (clean.brand, clean.trade, clean.form) == ("恒达", "五金",
                                                                                                      "individual")


def test_a_city_written_short_then_a_look_alike_of_shi_is_read_as_the_city() -> None:
    parts = _name("成都币锦江区蓉辉茶叶有限公司")
    assert parts.place == "510104" and parts.brand == "蓉辉"


def test_a_trade_name_starting_with_a_loose_look_alike_after_a_short_city_stays_whole() -> None:
    assert _name("广州丰华贸易有限公司").brand == "丰华"  # 丰 looks like 市, but 广州丰华 is 广州 + 丰华
    assert _name("杭州布艺坊家纺有限公司").brand.startswith("布")


def test_a_look_alike_that_would_make_an_unknown_place_is_no_place() -> None:
    # 具 looks like 县, but 安晨家县 is no county: 家具 is the trade
    parts = _name("石家庄市安晨家具有限公司")
    assert (parts.brand, parts.trade) == ("安晨", "家具")
    assert _name("南京市禄轩医疗器械有限公司").brand == "禄轩"  # 医 looks like 区; 禄轩区 is no district


def test_an_address_with_a_look_alike_of_shi_is_read_to_the_district() -> None:
    slipped = normalize_address("湖北省武汉币江岸区解放大道1000号")
    clean = normalize_address("湖北省武汉市江岸区解放大道1000号")
    assert slipped is not None and clean is not None
    assert (slipped.code, slipped.street) == (clean.code, clean.street) == ("420102", "解放大道1000号")


def test_pinyin_words_are_split_into_syllables_and_english_is_not_pinyin() -> None:
    assert pinyin_split("jinxiu") == ("jin", "xiu")
    assert pinyin_split("textile") is None
    assert pinyin_split("supplies") is None


def test_a_latin_name_sounds_like_its_chinese_trade_name() -> None:
    latin = _name("Wuhan Jinxiu Textile Co., Ltd.")
    assert latin.sound == _name("锦绣家纺旗舰店").sound == "jin-xiu"
    assert _name("JINXIU").sound == "jin-xiu"
    assert _name("Xi'an Hongtai Trading Co., Ltd.").sound == "hong-tai"  # the city in front is no trade name
    # English words alone: no pinyin, the name stays as written
    apple = _name("Golden Apple Store")
    assert apple.brand == apple.full == "goldenapplestore"


def test_a_latin_name_and_a_chinese_shop_with_the_same_mobile_are_one_seller() -> None:
    records = [
        {"id": "a0", "name": "锦绣家纺旗舰店", "phone": "139 7123 4567", "region": "420000"},
        {"id": "a1", "name": "Wuhan Jinxiu Textile Co., Ltd.", "phone": "+86 13971234567", "region": "420000"},
        {"id": "a2", "name": "红星电器专营店", "phone": "13811112222", "region": "110000"},
        {"id": "a3", "name": "Beijing Hongxing Electric Co., Ltd.", "phone": "13855556666", "region": "110000"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels.tolist()
    assert labels[0] == labels[1]
    assert labels[2] != labels[3]  # the same sound, no shared number: a namesake is not enough


def test_farmers_cooperative_is_a_legal_form() -> None:
    parts = _name("昌吉市禾丰蔬菜种植农民专业合作社")
    assert (parts.brand, parts.form) == ("禾丰", "other")
    assert _name("禾丰蔬菜专业合作社").brand == "禾丰"


def test_latin_trade_names_in_other_spellings() -> None:
    assert _name("Feng Hang Tea Co., Ltd.").sound == "feng-hang"  # one syllable a word; Tea is no part of it
    assert _name("Yongkang Ruida Hardware Co., Ltd.").sound == "rui-da"  # a county-level city in front
    assert _name("GUANGZHOURUIDA TRADING CO., LTD.").sound == "rui-da"  # the city run together with the name
    assert _name("Ruida 五金").sound == _name("瑞达五金商行").sound == "rui-da"  # pinyin before Chinese trade words


def test_several_numbers_in_one_field_written_with_or_and_with_spaces_inside_them() -> None:
    assert normalize_phones("139 0571 2233 或 0571-8811 2233") == ("13905712233", "0571-88112233")
    assert normalize_phones("0571 88112233 +86 139 0571 2233") == ("0571-88112233", "13905712233")
    assert normalize_phones("+86 139 0571 2233 +86 571 88112233") == ("13905712233", "0571-88112233")
    assert normalize_phones("Tel 0571 88112233 Mobile 13905712233") == ("0571-88112233", "13905712233")
    assert normalize_phones("0571 8811 2233") == ("0571-88112233",)  # one number with spaces stays one
    assert normalize_phones("0571 88112233 801") == ("0571-88112233",)  # an extension after a space
