"""Nice classification of goods and services: headings and inference from free text.

The headings ship with the node (regional/data/nice_classes.tsv); they are read on first
use, not at import time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class NiceClass:
    """One Nice class with the short headings officers use."""

    number: int
    zh_short: str
    en_short: str


# Keywords seen in listing categories and titles -> Nice class. Longer keywords win over
# shorter ones they contain (手机壳 is 9, not 21), so order does not matter here.
CLASS_KEYWORDS: dict[str, int] = {
    # 9 electronics
    "手机": 9, "数码": 9, "耳机": 9, "充电宝": 9, "充电器": 9, "数据线": 9, "电脑": 9, "平板": 9,
    "智能手表": 9, "手环": 9, "音箱": 9, "相机": 9, "键盘": 9, "鼠标": 9, "路由器": 9, "电子产品": 9,
    "手机壳": 9, "u盘": 9, "显示器": 9,
    # 11 appliances, lighting, cooking
    "家电": 11, "电器": 11, "空调": 11, "电饭煲": 11, "热水器": 11, "电风扇": 11, "空气炸锅": 11,
    "电热水壶": 11, "台灯": 11, "灯具": 11, "冰箱": 11, "吸油烟机": 11, "净水器": 11, "电暖器": 11,
    # 3 toiletries
    "洗衣粉": 3, "洗衣液": 3, "洗发水": 3, "化妆品": 3, "护肤": 3, "日化": 3, "牙膏": 3,
    # 16 stationery
    "文具": 16, "笔记本": 16, "中性笔": 16, "文件夹": 16, "便利贴": 16, "办公用品": 16, "画册": 16,
    # 18 leather, bags
    "箱包": 18, "双肩包": 18, "行李箱": 18, "钱包": 18, "雨伞": 18, "皮具": 18, "手提包": 18,
    # 21 kitchen and household
    "厨具": 21, "保温杯": 21, "收纳盒": 21, "陶瓷碗": 21, "玻璃杯": 21, "日用百货": 21, "厨房用品": 21,
    "水杯": 21, "茶具": 21,
    # 24 textiles
    "家纺": 24, "四件套": 24, "床单": 24, "毛巾": 24, "窗帘": 24, "被套": 24, "布料": 24,
    # 25 clothing, shoes
    "服装": 25, "服饰": 25, "鞋": 25, "t恤": 25, "卫衣": 25, "连衣裙": 25, "羽绒服": 25, "帽": 25,
    "袜": 25, "运动鞋": 25, "女装": 25, "男装": 25, "童装": 25, "衬衫": 25, "外套": 25,
    # 28 toys, sport
    "玩具": 28, "健身": 28, "球拍": 28,
    # 29 dairy, snacks
    "牛奶": 29, "奶粉": 29, "坚果": 29, "肉干": 29, "食用油": 29,
    # 30 tea, noodles, confectionery
    "茶叶": 30, "绿茶": 30, "红茶": 30, "乌龙茶": 30, "铁观音": 30, "大红袍": 30, "方便面": 30,
    "方便食品": 30, "饼干": 30, "糖果": 30, "奶糖": 30, "月饼": 30, "面包": 30, "咖啡": 30, "零食": 30,
    "牛肉面": 30, "调味": 30,
    # 32 soft drinks
    "饮料": 32, "饮品": 32, "汽水": 32, "矿泉水": 32, "果汁": 32, "核桃乳": 32, "凉茶": 32,
    "纯净水": 32,
    # 33 liquor
    "白酒": 33, "葡萄酒": 33, "黄酒": 33,
}


@functools.cache
def nice_classes() -> dict[int, NiceClass]:
    """All 45 classes keyed by number, read once from the packaged TSV."""
    text = resources.files("regional").joinpath("data/nice_classes.tsv").read_text(encoding="utf-8")
    out: dict[int, NiceClass] = {}
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        number, zh, en = line.split("\t")
        out[int(number)] = NiceClass(int(number), zh, en)
    return out


@functools.cache
def _keywords_longest_first() -> tuple[tuple[str, int], ...]:
    """Keywords plus each class's own short heading, longest first."""
    pairs = dict(CLASS_KEYWORDS)
    for cls in nice_classes().values():
        pairs.setdefault(cls.zh_short.casefold(), cls.number)
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


@functools.cache
def _keyword_automaton() -> Any:
    """One Aho-Corasick automaton over every keyword (C; a title is scanned once, not once per keyword)."""
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick([k for k, _ in _keywords_longest_first()],
                                      implementation=ahocorasick_rs.Implementation.ContiguousNFA)


def classes_in_text(text: str | None) -> tuple[int, ...]:
    """Nice classes whose keywords occur in `text`, longest keyword first, without repeats.

    Every occurrence of every keyword is found in one automaton pass and then taken in
    keyword order (longest first) and position, exactly as a scan keyword by keyword would.
    """
    if not text:
        return ()
    text = text.casefold()
    hits = _keyword_automaton().find_matches_as_indexes(text, overlapping=True)
    if not hits:
        return ()
    keywords = _keywords_longest_first()
    found: list[int] = []
    consumed: list[tuple[int, int]] = []
    for rank, start, end in sorted(hits):
        # a keyword inside a longer, already matched keyword does not count (壳 in 手机壳)
        if not any(s <= start and end <= e for s, e in consumed):
            consumed.append((start, end))
            number = keywords[rank][1]
            if number not in found:
                found.append(number)
    return tuple(found)


def infer_nice_classes(category: str | None, title: str | None) -> tuple[int, ...]:
    """Goods classes for a listing without declared ones: the category first, else the title."""
    return classes_in_text(category) or classes_in_text(title)


def class_label(number: int) -> str:
    """'第30类 方便食品' style label for display."""
    cls = nice_classes().get(number)
    return f"第{number}类 {cls.zh_short}" if cls else f"第{number}类"
