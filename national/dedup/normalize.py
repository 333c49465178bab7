"""Normalizers for seller identifiers: credit codes, phones, names, addresses and shop URLs.

All pure: they take what a region typed and return a canonical value, or None when nothing
identifying is left. They parse outside input, so they never raise on any string.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from national.dedup.divisions import ParsedAddress, division_index
from regional.identifiers import USCC_CHARSET, is_valid_uscc

__all__ = [
    "NameParts",
    "fold",
    "is_valid_uscc",
    "normalize_address",
    "normalize_name",
    "normalize_phone",
    "normalize_shop_url",
    "normalize_uscc",
    "t2s",
    "uscc_distance",
]

_SPACE_PUNCT = re.compile(r"[\s\u3000·・.,，。、;；:：'\"“”‘’!！?？~～`^_=+*&%$@|\\/<>《》-]+")


@functools.cache
def _t2s_table() -> dict[int, str]:
    """Character-level traditional -> simplified table from OpenCC's TSCharacters dictionary."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and first and first != trad:
            table[ord(trad)] = first
    return table


def t2s(text: str) -> str:
    """Traditional -> simplified Chinese, character by character with OpenCC's table (names need no phrases)."""
    return text.translate(_t2s_table())


def fold(text: str) -> str:
    """NFKC (full-width -> half-width), case-folded, simplified; whitespace and punctuation removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE_PUNCT.sub("", t2s(text))


# ------------------------------------------------------------------ credit codes (GB 32100)

# Letters GB 32100 never uses, read as the digits or letters people mistake them for.
_USCC_CONFUSABLES = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "V": "U"})
_USCC_JUNK = re.compile(r"[\s\-_./:：]+")


def normalize_uscc(raw: str | None) -> str | None:
    """18 upper-case GB 32100 characters (check character not enforced), or None."""
    if not raw:
        return None
    code = _USCC_JUNK.sub("", unicodedata.normalize("NFKC", raw)).upper()
    code = code.removeprefix("统一社会信用代码").translate(_USCC_CONFUSABLES)
    if len(code) != 18 or any(ch not in USCC_CHARSET for ch in code):
        return None
    return code


def uscc_distance(a: str, b: str) -> int:
    """Substitutions between two codes, counting one adjacent transposition as a single edit."""
    diffs = [i for i in range(min(len(a), len(b))) if a[i] != b[i]] + list(range(min(len(a), len(b)), max(len(a), len(b))))
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
        return 1
    return len(diffs)


# ------------------------------------------------------------------ phones

_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#|-{2})\s*\d{1,6}\s*$", re.IGNORECASE)
_THREE_DIGIT_AREAS = frozenset({"10", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29"})
_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_phone(raw: str | None) -> str | None:
    """'13812345678' for a mobile, '0755-81234567' for a landline, '-81234567' without area code; else None."""
    if not raw:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _EXTENSION.sub("", text)
    international = text.startswith("+")
    digits = "".join(ch for ch in text if "0" <= ch <= "9")
    if digits.startswith("0086"):
        digits, international = digits[4:], True
    elif digits.startswith("86") and (international or len(digits) in (12, 13) and not digits.startswith("0")):
        digits, international = digits[2:], True
    if _MOBILE.fullmatch(digits):
        return digits
    if international and digits and not digits.startswith("0"):
        digits = "0" + digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area_len = 3 if digits[1:3] in _THREE_DIGIT_AREAS else 4
        local = digits[area_len:]
        if 7 <= len(local) <= 8 and not local.startswith(("0", "1")):
            return f"{digits[:area_len]}-{local}"
        return None
    if 7 <= len(digits) <= 8 and not digits.startswith(("0", "1")):
        return f"-{digits}"
    return None


# ------------------------------------------------------------------ names

_LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "有限公司", "普通合伙", "有限合伙", "个体工商户", "集团", "分公司", "总公司",
    "公司", "商行", "经营部", "门市部", "营业部", "工作室", "合作社", "厂",
)
_SHOP_FORMS = (
    "官方旗舰店", "旗舰店", "专营店", "专卖店", "企业店", "官方店", "自营店", "网店", "小店", "店铺", "店",
)
_SUFFIX_SET = frozenset(_LEGAL_FORMS + _SHOP_FORMS)
_SUFFIX_LENGTHS = tuple(sorted({len(t) for t in _SUFFIX_SET}, reverse=True))
_BRACKETS = re.compile(r"[(\[【〔{「『]([^)\]】〕}」』]*)[)\]】〕}」』]?")


# Trade descriptors (行业) that follow the trade name (字号) in a registered name: 字号 + 行业 + 组织形式.
_INDUSTRY_TERMS = tuple(sorted({
    "电子", "科技", "贸易", "商贸", "工贸", "服饰", "服装", "食品", "日用品", "日化", "五金", "数码", "家居", "化妆品",
    "母婴", "玩具", "箱包", "皮具", "鞋业", "纺织", "机电", "照明", "通讯", "通信", "网络", "文化传媒", "传媒", "文化",
    "电器", "建材", "茶叶", "茶业", "酒业", "医疗器械", "器械", "汽车用品", "体育用品", "办公用品", "用品", "工艺品",
    "珠宝", "首饰", "眼镜", "钟表", "家纺", "厨具", "宠物", "农产品", "保健品", "印刷", "包装", "实业",
    "投资", "发展", "信息技术", "信息", "技术", "电子商务", "商务", "进出口", "国际", "生物", "医药", "药业",
    "化工", "塑料", "塑胶", "机械", "设备", "制造", "物流", "供应链", "餐饮", "百货", "超市", "美容", "文具",
    "礼品", "灯饰", "陶瓷", "家具", "汽车", "配件", "智能", "新材料", "材料", "环保", "能源", "光电", "电气",
    "户外", "运动", "体育", "零食", "水果", "生鲜", "农业", "酒类", "烟酒", "副食", "电商", "网店",
}, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class NameParts:
    """A seller name split per 企业名称登记管理规定: place prefix, trade name (字号) and trade, legal form."""

    core: str
    full: str
    shop: bool
    brand: str = ""
    place: str | None = None


_INDUSTRY_SET = frozenset(_INDUSTRY_TERMS)
_INDUSTRY_LENGTHS = tuple(sorted({len(t) for t in _INDUSTRY_TERMS}, reverse=True))


def _strip_suffixes(text: str, suffixes: frozenset[str], lengths: tuple[int, ...]) -> tuple[str, str]:
    """Repeatedly drop the longest listed suffix while two characters remain; return the rest and what went."""
    dropped = ""
    while True:
        for length in lengths:
            if len(text) - length >= 2 and text[-length:] in suffixes:
                dropped = text[-length:] + dropped
                text = text[:-length]
                break
        else:
            return text, dropped


def _trade_name(core: str) -> str:
    """The core without trailing trade descriptors: 华强电子科技 -> 华强 (kept whole if under two characters remain)."""
    return _strip_suffixes(core, _INDUSTRY_SET, _INDUSTRY_LENGTHS)[0]


@functools.cache
def _place_names() -> tuple[dict[str, frozenset[str]], dict[str, tuple[int, ...]]]:
    """Place name -> the division codes it may name (short forms only for prefectures and above)."""
    index = division_index()
    names: dict[str, set[str]] = {}
    for parent, bucket in index.children.items():
        for name, code in bucket.items():
            prefecture_or_above = parent is None or code.endswith("00")
            if name == index.by_code[code].name or prefecture_or_above:
                names.setdefault(name, set()).add(code)
    frozen = {name: frozenset(codes) for name, codes in names.items()}
    lengths: dict[str, set[int]] = {}
    for name in frozen:
        lengths.setdefault(name[0], set()).add(len(name))
    return frozen, {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}


def _below(code: str, parent: str) -> bool:
    if code == parent:
        return False
    if parent.endswith("0000"):
        return code[:2] == parent[:2]
    return parent.endswith("00") and code[:4] == parent[:4]


def _strip_places(text: str) -> tuple[str, str | None]:
    """Drop leading place names, each one below the last (广东省深圳市南山区…); return the rest and the place."""
    places, lengths_by_first = _place_names()
    if text.startswith("中国"):
        text = text[2:]
    previous: frozenset[str] | None = None
    while True:
        for length in lengths_by_first.get(text[:1], ()):
            if length > len(text) - 2:
                continue
            codes = places.get(text[:length])
            if codes is not None and (previous is None or any(_below(c, p) for c in codes for p in previous)):
                text, previous = text[length:], codes
                break
        else:
            place = None
            if previous is not None and len(previous) == 1:
                code = next(iter(previous))
                place = code if code.endswith("0000") else code[:4] + "00"
            return text, place


def normalize_name(raw: str | None) -> NameParts | None:
    """Core of a company or shop name: no place prefix, legal-form or shop suffix, brackets or punctuation."""
    if not raw:
        return None
    text = t2s(unicodedata.normalize("NFKC", raw).casefold())
    text = re.sub(r"\s+", "", text)
    full = _SPACE_PUNCT.sub("", _BRACKETS.sub("", text)) or _SPACE_PUNCT.sub("", text)
    if not full:
        return None
    core, place = _strip_places(full)
    if place is None:
        for inner in _BRACKETS.findall(text):  # 华强电子（深圳）有限公司
            codes = _place_names()[0].get(fold(inner))
            if codes is not None and len(codes) == 1:
                code = next(iter(codes))
                place = code if code.endswith("0000") else code[:4] + "00"
                break
    core, dropped = _strip_suffixes(core, _SUFFIX_SET, _SUFFIX_LENGTHS)
    shop = "店" in dropped
    return NameParts(core=core, full=full, shop=shop, brand=_trade_name(core), place=place)


# ------------------------------------------------------------------ addresses

_STREET_UNITS = (("号楼", "栋"), ("幢", "栋"), ("座", "栋"), ("#", "号"), ("号院", "号"), ("房", "室"))


def normalize_address(raw: str | None) -> ParsedAddress | None:
    """The address's division code (county when named, else prefecture or province) and a folded street part."""
    if not raw:
        return None
    text = fold(raw)
    if not text:
        return None
    parsed = division_index().parse(text)
    street = parsed.street
    for old, new in _STREET_UNITS:
        street = street.replace(old, new)
    return ParsedAddress(parsed.code, parsed.province, parsed.prefecture, street)


# ------------------------------------------------------------------ shop URLs

# Query parameters that name a shop (case-insensitive); values are digits or platform ids (Douyin's are letters too).
_ID_PARAMS = ("shop_id", "shopid", "sec_shop_id", "store_id", "storeid", "mall_id", "mallid", "venderid",
              "vender_id", "seller_id", "sellerid", "user_number_id", "userid", "kdt_id", "shop", "store")
_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{2,63}")
_HOST_ID = re.compile(r"^(?:shop|store|dian)(\d{3,})\.")
# a path segment that is itself a shop id (shop123456, store_88, mall-9x7k, index-1000001.html)
_SEGMENT_ID = re.compile(r"^(?:shop|store|mall|seller|vendor|dian|index)[-_]?([A-Za-z0-9]*\d[A-Za-z0-9]*)"
                         r"(?:\.s?html?|\.htm)?$", re.IGNORECASE)
# a path segment announcing that the next one is the shop id (/shop/123456, /store/ab12cd)
_SEGMENT_WORDS = frozenset({"shop", "store", "mall", "seller", "vendor", "dian", "shops", "stores"})
_NOT_IDS = frozenset({"index", "view", "home", "detail", "list", "search", "views", "page", "item", "items", "goods",
                      "product", "m", "h5", "pc", "app", "share", "html", "shop", "store", "mall"})
_PLATFORMS = (
    ("tmall.com", "tmall"), ("tmall.hk", "tmall"), ("taobao.com", "taobao"), ("tb.cn", "taobao"),
    ("jd.com", "jd"), ("jd.hk", "jd"), ("yangkeduo.com", "pdd"), ("pinduoduo.com", "pdd"),
    ("jinritemai.com", "douyin"), ("douyin.com", "douyin"), ("iesdouyin.com", "douyin"), ("snssdk.com", "douyin"),
    ("1688.com", "1688"), ("kuaishou.com", "kuaishou"), ("kwaixiaodian.com", "kuaishou"), ("suning.com", "suning"),
    ("vip.com", "vip"), ("weidian.com", "weidian"), ("xiaohongshu.com", "xiaohongshu"), ("youzan.com", "youzan"),
    ("dangdang.com", "dangdang"), ("aliexpress.com", "aliexpress"), ("alibaba.com", "alibaba"),
)
# Platforms whose shops live on their own subdomain (nike.tmall.com, shop123.taobao.com, abc.1688.com).
_SUBDOMAIN_SHOPS = frozenset({"tmall", "taobao", "1688", "alibaba", "aliexpress"})
_GENERIC_SUBDOMAINS = frozenset({"www", "m", "h5", "detail", "item", "list", "shop", "mall", "mobile", "s", "store",
                                 "haohuo", "v", "app", "buyin", "api", "login", "search", "pages", "wap", "web", "h",
                                 "market", "global", "world", "trade", "cart", "buy", "img", "static", "shop.m"})
_SHORT_LINK_HOSTS = frozenset({"v.douyin.com", "m.tb.cn", "tb.cn", "v.kuaishou.com", "xhslink.com"})


def _host_key(host: str) -> str:
    for prefix in ("www.", "m.", "h5.", "wap."):
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def _path_id(path: str) -> str | None:
    segments = [seg for seg in path.split("/") if seg]
    for k, seg in enumerate(segments):
        if (m := _SEGMENT_ID.match(seg)) is not None:
            return m.group(1)
        if seg.lower() in _SEGMENT_WORDS and k + 1 < len(segments):
            nxt = segments[k + 1]
            stem = nxt.split(".")[0]
            if stem.lower() not in _NOT_IDS and _ID_VALUE.fullmatch(stem) and any(ch.isdigit() for ch in stem):
                return stem
    return None


def normalize_shop_url(raw: str | None) -> str | None:
    """'platform:shop-id' (or 'host:shop-id' off the big platforms) for a shop URL; tracking parameters ignored.

    None when the URL names no shop: a platform's front page or a product page never becomes a key
    shared by every shop of the platform.
    """
    if not raw:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    platform = next((name for suffix, name in _PLATFORMS if host == suffix or host.endswith("." + suffix)), None)
    owner = platform or _host_key(host)
    for key in _ID_PARAMS:
        values = query.get(key)
        if values and _ID_VALUE.fullmatch(value := values[0].strip()):
            return f"{owner}:{value}"
    if (m := _HOST_ID.match(host)) is not None:
        return f"{owner}:{m.group(1)}"
    path_id = _path_id(parts.path)
    if path_id is not None:
        return f"{owner}:{path_id}"
    values = query.get("id")
    if values and any(w in parts.path.lower() for w in ("shop", "store", "mall")) and _ID_VALUE.fullmatch(
            value := values[0].strip()):
        return f"{owner}:{value}"
    if host in _SHORT_LINK_HOSTS:  # a share link: the same link is the same shop, another link tells nothing
        code = parts.path.strip("/").split("/")[0]
        return f"{owner}:link:{code}" if _ID_VALUE.fullmatch(code) else None
    if platform is not None:
        sub = host.split(".")[0]
        if platform in _SUBDOMAIN_SHOPS and sub not in _GENERIC_SUBDOMAINS and host.count(".") >= 2:
            return f"{platform}:{sub}"
        return None
    path = parts.path.rstrip("/").lower()
    return f"web:{_host_key(host)}{path}"
