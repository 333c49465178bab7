"""The Splink peer's own normalisation of seller records — what a competent engineer using Splink writes.

It imports nothing from `national.dedup` (a test checks): the peer must not get Hufu's normalisers for
free, nor be charged for them. It is deliberately plain: Unicode NFKC (full-width letters, digits and
brackets to half-width), traditional to simplified characters by OpenCC's character table, a short list
of legal forms and shop descriptors stripped from the end of a name, bracketed parts and a leading place
(省/市/区/县 within a few characters) taken off, digits-only phones without the country code, upper-case
credit codes, a shop key from the URL's host and path or its shop-id query parameter, and province /
city / district cut from the address by one regular expression.

No trade-word lists, no homophone or look-alike tables, no place gazetteer: those are Hufu's work.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

# Longest first; stripped repeatedly from the end of a name (官方旗舰店 then nothing; 贸易有限公司 keeps 贸易).
SUFFIXES = tuple(sorted((
    "股份有限公司", "有限责任公司", "有限公司", "集团有限公司", "公司", "分公司", "个人独资企业", "合伙企业",
    "有限合伙", "个体工商户", "个体户",
    "官方旗舰店", "旗舰店", "专营店", "专卖店", "企业店", "官方店", "直营店", "工厂店", "小店", "网店", "店铺",
    "商行", "经营部", "批发部", "经销部", "营业部", "门市部", "工作室", "商店", "超市", "便利店", "店", "厂",
), key=len, reverse=True))

_HAN = "\u4e00-\u9fff"
# A leading place in a name: 广东省 / 深圳市 / 南山区 / 涡阳县, each optional, a few characters each.
_NAME_PLACE = re.compile(rf"^(?:[{_HAN}]{{2,3}}(?:省|自治区))?(?P<city>[{_HAN}]{{2,3}}市)?(?:[{_HAN}]{{2,3}}市)?(?:[{_HAN}]{{1,3}}(?:区|县))?")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_NOT_WORD = re.compile(r"[^\w]+")
_ADDRESS = re.compile(
    rf"^(?P<province>[{_HAN}]{{2,7}}?(?:省|自治区))?"
    rf"(?P<city>[{_HAN}]{{2,7}}?(?:市|自治州|地区|盟))?"
    rf"(?P<district>[{_HAN}]{{1,7}}?(?:区|县|市|旗))?"
    r"(?P<rest>.*)$")
_DIGITS = re.compile(r"\D+")
_PHONE_SPLIT = re.compile(r"[/,;、，；]| or ")
_ALNUM = re.compile(r"[^0-9A-Z]+")
# Query parameters that name a shop or seller on the big platforms.
SHOP_ID_PARAMS = frozenset({"id", "shop_id", "shopid", "seller_id", "sellerid", "user_id", "userid", "mall_id",
                            "mallid", "user_number_id", "store_id", "storeid", "vendorid", "vender_id"})


def _t2s_table() -> dict[int, str]:
    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        if len(trad) == 1 and simp:
            table[ord(trad)] = simp.split(" ")[0]
    return table


_T2S: dict[int, str] | None = None


def plain(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified, no spaces."""
    global _T2S
    if _T2S is None:
        _T2S = _t2s_table()
    return unicodedata.normalize("NFKC", text).translate(_T2S).replace(" ", "").replace("\u3000", "")


def _strip_suffixes(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)]
                changed = True
                break
    return name


def _place_key(token: str | None) -> str | None:
    """广东省 -> 广东, 深圳市 -> 深圳 (so a place with and without its level word is one value)."""
    if not token:
        return None
    for level in ("自治区", "自治州", "地区", "省", "市", "盟"):
        if token.endswith(level) and len(token) > len(level) + 1:
            return token[: -len(level)]
    return token


@lru_cache(maxsize=1 << 18)
def name_parts(raw: str) -> tuple[str | None, str | None]:
    """(core, place) of a name: core without brackets, place prefix and legal form / shop descriptor."""
    text = _BRACKETS.sub("", plain(raw))
    place = None
    match = _NAME_PLACE.match(text)
    if match and match.end() and len(text) - match.end() >= 2 and not match.group(0).endswith(("超市", "门市")):
        place = match.group(0)
        text = text[match.end():]
    core = _NOT_WORD.sub("", _strip_suffixes(text)).lower()
    city = _place_key(match.group("city")) if place and match else None  # 南山区 alone names no city
    return core or None, city


@lru_cache(maxsize=1 << 18)
def address_parts(raw: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(province, city, district, rest) by one regular expression; parts not found are None."""
    text = _NOT_WORD.sub("", plain(raw).replace("#", "号"))
    match = _ADDRESS.match(text)
    if match is None:
        return None, None, None, text or None
    province = _place_key(match.group("province"))
    city = _place_key(match.group("city"))
    if province is None and city is None and match.group("district") is None:
        return None, None, None, text or None
    return province, city, match.group("district"), match.group("rest") or None


def phone(raw: str) -> str | None:
    """The first number of the field, digits only, without +86/0086/86 before a mobile."""
    first = _PHONE_SPLIT.split(unicodedata.normalize("NFKC", raw))[0]
    digits = _DIGITS.sub("", first)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 10:
            digits = digits[len(prefix):]
            break
    return digits if len(digits) >= 7 else None


def credit_code(raw: str) -> str | None:
    """Upper-case, letters and digits only; None unless 18 characters remain."""
    code = _ALNUM.sub("", unicodedata.normalize("NFKC", raw).upper())
    return code if len(code) == 18 else None


def shop_key(raw: str) -> str | None:
    """host + shop-id parameter when the URL has one, else host + path (no www./m., no index page)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    if not host:
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in SHOP_ID_PARAMS and value:
            return f"{host}?{key.lower()}={value}"
    path = parts.path
    for index in ("/index.htm", "/index.html"):
        if path.endswith(index):
            path = path[: -len(index)]
    return host + path.rstrip("/")


COLUMNS = ("name_core", "uscc", "phone", "province", "city", "district", "street", "shop")


def normalise(record: dict[str, object]) -> dict[str, str | None]:
    """One seller record (the bench's JSON fields) as the peer's columns; a field of the wrong type is None."""
    def text(field: str) -> str | None:
        value = record.get(field)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value))
        return value if isinstance(value, str) and value.strip() else None

    name, code, tel, address, url = (text(f) for f in ("name", "uscc", "phone", "address", "shop_url"))
    core, name_city = name_parts(name) if name else (None, None)
    province, city, district, street = address_parts(address) if address else (None, None, None, None)
    return {"name_core": core, "uscc": credit_code(code) if code else None, "phone": phone(tel) if tel else None,
            "province": province, "city": city or name_city, "district": district, "street": street,
            "shop": shop_key(url) if url else None}
