"""Province-level administrative divisions (GB/T 2260), the identity of a regional node."""

from __future__ import annotations

import re

PROVINCES: dict[str, tuple[str, str]] = {
    "110000": ("北京市", "Beijing"),
    "120000": ("天津市", "Tianjin"),
    "130000": ("河北省", "Hebei"),
    "140000": ("山西省", "Shanxi"),
    "150000": ("内蒙古自治区", "Inner Mongolia"),
    "210000": ("辽宁省", "Liaoning"),
    "220000": ("吉林省", "Jilin"),
    "230000": ("黑龙江省", "Heilongjiang"),
    "310000": ("上海市", "Shanghai"),
    "320000": ("江苏省", "Jiangsu"),
    "330000": ("浙江省", "Zhejiang"),
    "340000": ("安徽省", "Anhui"),
    "350000": ("福建省", "Fujian"),
    "360000": ("江西省", "Jiangxi"),
    "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"),
    "420000": ("湖北省", "Hubei"),
    "430000": ("湖南省", "Hunan"),
    "440000": ("广东省", "Guangdong"),
    "450000": ("广西壮族自治区", "Guangxi"),
    "460000": ("海南省", "Hainan"),
    "500000": ("重庆市", "Chongqing"),
    "510000": ("四川省", "Sichuan"),
    "520000": ("贵州省", "Guizhou"),
    "530000": ("云南省", "Yunnan"),
    "540000": ("西藏自治区", "Tibet"),
    "610000": ("陕西省", "Shaanxi"),
    "620000": ("甘肃省", "Gansu"),
    "630000": ("青海省", "Qinghai"),
    "640000": ("宁夏回族自治区", "Ningxia"),
    "650000": ("新疆维吾尔自治区", "Xinjiang"),
}

_CODE = re.compile(r"^\d{6}$")


class UnknownRegion(ValueError):
    """A region code that is not a province-level GB/T 2260 code."""


def validate_region(code: str) -> str:
    """Return `code` if it names a province-level division, else raise UnknownRegion."""
    if not _CODE.match(code or ""):
        raise UnknownRegion(f"region code {code!r} must be six digits (GB/T 2260), e.g. 440000")
    if code not in PROVINCES:
        raise UnknownRegion(f"region code {code} is not a province-level division in GB/T 2260")
    return code


def region_name(code: str, lang: str = "zh") -> str:
    """The division's name in Chinese (default) or English; the code itself if unknown."""
    names = PROVINCES.get(code)
    if names is None:
        return code
    return names[0] if lang.startswith("zh") else names[1]


def region_of_address(address: str | None) -> str | None:
    """The province code an address starts with, if any (e.g. '广东省深圳市…' -> 440000)."""
    if not address:
        return None
    for code, (zh, _en) in PROVINCES.items():
        short = zh.removesuffix("省").removesuffix("市")
        for prefix in (zh, short) if len(short) >= 2 else (zh,):
            if address.startswith(prefix):
                return code
    return None
