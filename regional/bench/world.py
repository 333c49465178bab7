"""A synthetic registry and marketplace with planted infringements of every kind, and their ground truth.

Used by `hufu bench detect` (100,000 marks, 20,000 listings) and, at a smaller scale and
other seeds, to generate the models' training sets (regional/detection/train.py). What is
planted, per model:

- trademark: look-alike characters, homophones, traditional forms, Latin confusables and
  one-letter changes of registered marks, and exact marks at a fraction of the going price;
  lawful listings by owners, licensees and resellers at ordinary prices are the negatives;
- counterfeit patent marking: one listing per reason code (malformed, bad check digit,
  absent, lapsed, expired, invalidated, application only, rejected, wrong kind, someone
  else's unlicensed patent), plus owners citing their own patents, honest "专利申请中"
  and owners' check-digit typos as negatives;
- design: listing photos that are perturbed copies of a design's view (shifted, rescaled,
  brightened, noisy) in the same Locarno class; same-class products with other shapes are
  the negatives;
- invention / utility model: descriptions that state most features of a claim in the same
  field; descriptions naming one or two common features are the negatives.

Deterministic for a given seed; images are written only when an image folder is given.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from regional.detection import normalize as nz
from regional.detection.design import LOCARNO_KEYWORDS
from regional.domain import LeadType, Licence, Listing, Right, RightKind, Seller
from regional.identifiers import format_patent_number, patent_check_digit
from regional.sampledata import NATIONAL_MARKS, PRODUCTS, Product

# Brand-like characters for invented Chinese marks; product words are filtered out below.
_CJK_POOL = (
    "鑫宏鹏创联启瑞佳锦泰恒凯隆星龙飞诺森雅酷帆朗润晟睿柏琪骏翔豪逸尚致远辉耀宸霖曜铭华达盛源德丰海优乐嘉"
    "博安康福祥吉庆美和顺通宝金银玉虹蓝青紫彩云霞雪月阳光明晶亮新时代天地人山川江河湖泉林木花草竹梅兰菊松"
    "鹤凤麟虎豹鹰鸿燕雀蝶贝珠琳琅璐瑶琦瑾璇瑜珂玲珑欣怡悦喜爱心意诚信仁义礼智勇毅坚强力量精品匠艺工坊尊享"
    "御皇帝王冠首领先锋驰骋腾跃奔翼航舟帆舰港湾桥城都邦国际环球宇宙星辰永久恒久长春秋冬夏晨曦朝霞晚枫叶"
    "格调派族度界域野趣奇妙幻梦想思维念语言歌舞诗画墨书香茗韵致雅逸轩阁亭楼台榭苑园庭院府第堂斋居舍宅"
    "佰仟万亿兆京垓秭穰沟涧正载极恒沙阿僧祇那由他不可思议无量大数"
)
_LATIN_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "gl", "pl", "st", "cr")
_LATIN_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CITIES = ("深圳", "广州", "东莞", "佛山", "义乌", "杭州", "宁波", "泉州", "福州", "厦门", "苏州", "青岛", "成都")
_INDUSTRY = {3: "日化", 9: "电子科技", 11: "电器", 16: "文具", 18: "箱包", 21: "日用品", 24: "家纺", 25: "服饰",
             29: "食品", 30: "食品", 32: "饮品", 33: "酒业"}
_QUALIFIERS = ("包邮", "厂家直销", "现货速发", "2026新款", "正品保障", "批发价", "顺丰发货", "热卖")

DESIGN_THINGS = LOCARNO_KEYWORDS  # the design model's class table doubles as the generator's product list
# Technical fields: IPC subclass -> (product words, claim feature phrases)
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "A47J": (("电热水壶", "空气炸锅", "电饭煲"), (
        "温控器", "防干烧保护装置", "304不锈钢内胆", "加热盘", "蒸汽感应开关", "双层防烫外壳", "触控面板",
        "定时模块", "热风循环风道", "不粘涂层内锅", "液晶显示屏", "温度传感器", "压力阀", "密封圈", "蜂窝底盘",
        "可拆卸滤网", "负离子发生器", "保温层", "电源底座", "旋转连接器")),
    "H04R": (("蓝牙耳机", "音箱"), (
        "主动降噪芯片", "骨传导振子", "充电仓", "磁吸触点", "入耳检测传感器", "石墨烯振膜", "双麦克风阵列",
        "触控感应区", "低延迟编码模块", "防水硅胶套", "低音导管", "锂聚合物电池", "无线充电线圈", "指示灯",
        "音量旋钮", "金属网罩", "阻尼结构", "声腔", "分频器", "蓝牙模组")),
    "A45C": (("双肩包", "行李箱", "钱包"), (
        "万向轮", "铝合金拉杆", "TSA海关锁", "防盗拉链", "USB充电接口", "减压背带", "防泼水面料", "扩展夹层",
        "透气背垫", "隐形口袋", "防刮外壳", "静音轴承", "可拆卸肩带", "卡位隔层", "磁吸扣", "加固包角",
        "防割网层", "反光条", "侧边水杯袋", "RFID屏蔽层")),
    "A43B": (("运动鞋", "板鞋"), (
        "气垫中底", "碳板", "防滑橡胶大底", "飞织鞋面", "记忆海绵鞋垫", "TPU稳定片", "回弹缓震层",
        "透气网眼", "后跟护套", "快速系带", "防扭转片", "耐磨鞋头", "减震凝胶", "足弓支撑", "抗菌内里",
        "一体成型鞋底", "反光鞋带", "加宽鞋楦", "轻量化发泡", "双密度中底")),
}
# Claim features are "modifier + component" (可拆卸式温控器), so that claims of one field differ.
_MODIFIERS = ("双层", "可拆卸式", "一体式", "智能", "高密度", "防水型", "环形", "磁吸式", "折叠式", "嵌入式")
_ALL_CLASSES = tuple(PRODUCTS)


@dataclass
class World:
    """Registry, licences and listings, with what was planted."""

    rights: list[Right]
    licences: list[Licence]
    listings: list[Listing]
    truth: set[tuple[str, str, LeadType]] = field(default_factory=set)
    styles: dict[tuple[str, str, LeadType], str] = field(default_factory=dict)  # planted pair -> style
    negatives: dict[str, str] = field(default_factory=dict)  # listing id -> hard-negative style
    image_dir: Path | None = None

    def planted(self, lead_type: LeadType) -> set[tuple[str, str]]:
        """(listing_id, right) pairs planted for one model."""
        return {(lid, right) for lid, right, t in self.truth if t == lead_type}


@dataclass
class _Mark:
    number: str
    text: str
    owner: str
    classes: tuple[int, ...]
    licensee: Seller | None = None
    well_known: bool = False


def _cjk_pool() -> str:
    product_chars = set("".join(p.name + p.category for ps in PRODUCTS.values() for p in ps) + "".join(_QUALIFIERS))
    national = set("".join(m[1] for m in NATIONAL_MARKS))
    return "".join(nz.unique(ch for ch in _CJK_POOL if ch not in product_chars and ch not in national))


def _neighbour_keys(text: str) -> set[tuple[str, ...]]:
    """Keys two marks share when they are one character (sound) or one letter apart."""
    if nz.has_cjk(text):
        sounds = [nz.pinyin_key(ch) or ch for ch in nz.compact(text)]
        return {("c", *sounds[:j], "*", *sounds[j + 1 :]) for j in range(len(sounds))}
    skel = nz.latin_skeleton(text)
    return {("l", skel)} | {("l", skel[:j] + skel[j + 1 :]) for j in range(len(skel))}


def _latin_word(rng: random.Random) -> str:
    word = "".join(rng.choice(_LATIN_ONSETS) + rng.choice(_LATIN_VOWELS) for _ in range(rng.choice((2, 3, 3, 4))))
    return word[: rng.choice((4, 5, 6, 7, 8, 9))].capitalize()


class _Builder:
    def __init__(self, seed: int, image_dir: Path | None) -> None:
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.image_dir = image_dir
        self.rights: list[Right] = []
        self.licences: list[Licence] = []
        self.listings: list[Listing] = []
        self.truth: set[tuple[str, str, LeadType]] = set()
        self.styles: dict[tuple[str, str, LeadType], str] = {}
        self.negatives: dict[str, str] = {}
        self.marks: list[_Mark] = []
        self.mark_texts: set[str] = set()
        self.companies = [self._company(i) for i in range(2000)]
        self.shops = [self._shop(i) for i in range(300)]
        self.serials: set[str] = set()
        self.next_id = 0

    # -- parties -------------------------------------------------------------------------

    def _company(self, i: int) -> Seller:
        rng = self.rng
        name = f"{rng.choice(_CITIES)}市{''.join(rng.sample(_CJK_POOL[:80], 2))}{rng.choice(list(_INDUSTRY.values()))}有限公司{i}号"
        return Seller(name=name, uscc=f"91{rng.randint(10**15, 10**16 - 1)}", phone=f"0755-{rng.randint(2000000, 8999999)}")

    def _shop(self, i: int) -> Seller:
        rng = self.rng
        return Seller(name=f"{rng.choice(_CITIES)}{rng.choice('王李张刘陈杨黄赵')}{rng.choice('伟芳娜敏静丽强磊')}商行{i}",
                      uscc=f"92{rng.randint(10**15, 10**16 - 1)}", phone=f"13{rng.randint(10**8, 10**9 - 1)}")

    def _id(self, prefix: str) -> str:
        self.next_id += 1
        return f"{prefix}-{self.next_id:06d}"

    # -- registry ------------------------------------------------------------------------

    def trademarks(self, count: int) -> None:
        rng = self.rng
        pool = _cjk_pool()
        for no, text, owner, classes in NATIONAL_MARKS:
            self._add_mark(_Mark(no, text, owner, classes, well_known=True))
        k = 0
        taken: set[tuple[str, ...]] = set()
        for mark in self.marks:
            taken.update(_neighbour_keys(mark.text))
        while len(self.marks) < count:
            if rng.random() < 0.7:
                text = "".join(rng.choices(pool, k=rng.choices((2, 3, 4), (5, 55, 40))[0]))
            else:
                text = _latin_word(rng)
            keys = _neighbour_keys(text)
            # an examiner would refuse a mark one character (or letter) away from a registered one
            if nz.compact(text) in self.mark_texts or not keys.isdisjoint(taken):
                continue
            taken.update(keys)
            k += 1
            owner = self.companies[rng.randrange(len(self.companies))].name or ""
            classes = tuple(sorted(rng.sample(_ALL_CLASSES, rng.choice((1, 1, 2)))))
            self._add_mark(_Mark(f"TM-{k:07d}", text, owner, classes, well_known=rng.random() < 0.05))
        for mark in self.marks:
            if rng.random() < 0.2:
                mark.licensee = rng.choice(self.companies)
                self.licences.append(Licence(mark.number, mark.licensee.name or "", mark.licensee.uscc,
                                             dt.date(2025, 1, 1), dt.date(2027, 12, 31)))

    def _add_mark(self, mark: _Mark) -> None:
        self.marks.append(mark)
        self.mark_texts.add(nz.compact(mark.text))
        self.rights.append(Right(RightKind.TRADEMARK, mark.number, mark.text, mark.owner, "registered", mark.classes,
                                 valid_until=dt.date(2032, 1, 1), well_known=mark.well_known))

    def _serial(self, year: int, kind_digit: str) -> str:
        while True:
            digits = f"{year}{kind_digit}{self.rng.randint(0, 9_999_999):07d}"
            if digits not in self.serials:
                self.serials.add(digits)
                return digits

    def patent(self, kind: RightKind, status: str = "granted", owner: str | None = None,
               field_code: str | None = None) -> Right:
        """One invention or utility-model patent with claims from a technical field."""
        rng = self.rng
        field_code = field_code or rng.choice(list(FIELDS))
        things, phrases = FIELDS[field_code]
        thing = rng.choice(things)
        features = [rng.choice(_MODIFIERS) + c for c in rng.sample(phrases, rng.randint(4, 6))]
        digit = "1" if kind is RightKind.INVENTION else "2"
        number = format_patent_number(self._serial(rng.randint(2015, 2024), digit))
        claims = (f"1. 一种{thing}，包括{'、'.join(features[:-2])}，其特征在于：还包括{features[-2]}和{features[-1]}。")
        right = Right(kind, number, f"一种{'带' + features[0] + '的' if rng.random() < 0.5 else ''}{thing}",
                      owner or rng.choice(self.companies).name or "", status,
                      ipc=(f"{field_code} {rng.randint(1, 99)}/{rng.randint(0, 99):02d}",), claims=claims,
                      valid_until=dt.date(2040, 1, 1))
        self.rights.append(right)
        return right

    def design(self, status: str = "granted") -> tuple[Right, int]:
        """One design patent with one view; returns it and the seed of its shape."""
        rng = self.rng
        locarno = rng.choice(list(DESIGN_THINGS))
        thing = rng.choice(DESIGN_THINGS[locarno])
        number = format_patent_number(self._serial(rng.randint(2016, 2024), "3"))
        shape = rng.randrange(2**31)
        path = f"designs/{number[2:14]}-1.png"
        self._write_image(path, shape, perturb=False)
        right = Right(RightKind.DESIGN, number, f"{thing}（{rng.choice('ABCDEFG')}{rng.randint(1, 99)}款）",
                      rng.choice(self.companies).name or "", status, locarno=locarno, images=(path,),
                      valid_until=dt.date(2038, 1, 1))
        self.rights.append(right)
        return right, shape

    def _write_image(self, path: str, shape: int, *, perturb: bool) -> None:
        if self.image_dir is None:
            return
        from PIL import Image

        pixels = shape_image(shape)
        size = 64
        if perturb:
            r = random.Random(shape ^ self.rng.randrange(2**31))
            dx, dy = r.randint(-2, 2), r.randint(-2, 2)
            pixels = np.roll(np.roll(pixels, dx, axis=1), dy, axis=0)
            pixels = np.clip(pixels.astype(np.int16) + r.randint(-25, 25)
                             + self.np_rng.normal(0, 6, pixels.shape).astype(np.int16), 0, 255).astype(np.uint8)
            size = r.choice((56, 64, 80, 96))
        target = self.image_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels, mode="L").resize((size, size)).save(target, optimize=False, compress_level=1)

    # -- listings ------------------------------------------------------------------------

    def listing(self, title: str, product: Product | None, price: float, seller: Seller, *,
                description: str | None = None, images: tuple[str, ...] = (), prefix: str = "tb",
                classes: bool = True) -> Listing:
        rng = self.rng
        nice = tuple(c for c, ps in PRODUCTS.items() if product in ps) if product and classes and rng.random() < 0.6 else ()
        listing = Listing(id=self._id(prefix), title=title, description=description or f"{title}，{rng.choice(_QUALIFIERS)}",
                          price=price, currency="CNY", nice_classes=nice,
                          category=product.category if product else None, seller=seller, images=images)
        self.listings.append(listing)
        return listing

    def plant(self, listing: Listing, right: str, lead_type: LeadType, style: str) -> None:
        key = (listing.id, right, lead_type)
        self.truth.add(key)
        self.styles[key] = style


def shape_image(seed: int) -> npt.NDArray[np.uint8]:
    """A 64x64 grey picture of a few filled ellipses and rectangles, fixed by `seed`."""
    rng = np.random.default_rng(seed)
    img = np.full((64, 64), int(rng.integers(170, 250)), dtype=np.uint8)
    yy, xx = np.mgrid[0:64, 0:64]
    for _ in range(int(rng.integers(3, 6))):
        cy, cx, ry, rx = rng.integers(8, 56), rng.integers(8, 56), rng.integers(5, 22), rng.integers(5, 22)
        tone = int(rng.integers(0, 140))
        if rng.random() < 0.5:
            mask = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
        else:
            mask = (abs(yy - cy) <= ry) & (abs(xx - cx) <= rx)
        img[mask] = tone
    return img


def _price(rng: random.Random, product: Product, factor: float = 1.0) -> float:
    value = rng.uniform(product.low, product.high) * factor
    return round(max(value, 1.0), 1)


def _products_for(classes: tuple[int, ...]) -> list[Product]:
    return [p for c in classes for p in PRODUCTS.get(c, ())]


@dataclass(frozen=True)
class WorldSize:
    """How much of everything to generate."""

    marks: int = 100_000
    patents: int = 4_000
    designs: int = 2_000
    listings: int = 20_000


def build_world(size: WorldSize, *, seed: int = 2026, image_dir: Path | None = None,
                progress: Callable[[str], None] | None = None) -> World:
    """Generate a registry and listings with planted infringements of every kind (deterministic)."""
    say = progress or (lambda _msg: None)
    b = _Builder(seed, image_dir)
    rng = b.rng
    say(f"registry: {size.marks} marks")
    b.trademarks(size.marks)
    say(f"registry: {size.patents} patents, {size.designs} designs")
    statuses = ("granted",) * 16 + ("lapsed", "expired", "invalidated", "pending", "rejected")
    patents = [b.patent(rng.choice((RightKind.INVENTION, RightKind.UTILITY_MODEL)), rng.choice(statuses))
               for _ in range(size.patents)]
    designs = [b.design() for _ in range(size.designs)]
    n = size.listings
    plan: list[Callable[[], None]] = []
    plan += [lambda: _trademark_case(b)] * round(n * 0.08)
    plan += [lambda: _lawful_brand(b)] * round(n * 0.10)
    plan += [lambda: _marking_case(b, patents)] * round(n * 0.03)
    plan += [lambda: _design_case(b, designs)] * round(n * 0.03)
    plan += [lambda: _invention_case(b, patents)] * round(n * 0.03)
    rng.shuffle(plan)
    say(f"listings: {n} ({len(plan)} brand, patent and design listings)")
    for make in plan:
        make()
        if len(b.listings) >= n:
            break
    while len(b.listings) < n:
        _clean(b, designs)
    order = list(range(len(b.listings)))
    rng.shuffle(order)
    listings = [b.listings[i] for i in order][:n]
    kept = {x.id for x in listings}
    truth = {t for t in b.truth if t[0] in kept}
    return World(b.rights, b.licences, listings, truth, {k: v for k, v in b.styles.items() if k in truth},
                 {k: v for k, v in b.negatives.items() if k in kept}, image_dir)


# -- trademark ---------------------------------------------------------------------------------


_VISUAL_SWAPS = {"b": "d", "d": "b", "p": "q", "q": "p", "m": "n", "n": "m", "u": "v", "v": "u", "c": "e",
                 "e": "c", "h": "n", "g": "q", "t": "f", "f": "t"}
_SOUND_SWAPS = (("ph", "f"), ("f", "ph"), ("c", "k"), ("k", "c"), ("s", "z"), ("z", "s"), ("ck", "k"), ("i", "y"),
                ("y", "i"), ("v", "w"), ("w", "v"), ("q", "k"), ("x", "ks"))
_VOWEL_SET = "aeiou"


def _latin_variant(rng: random.Random, text: str) -> tuple[str, str] | None:
    """A knock-off spelling of a Latin mark: confusable, look-alike letter, vowel, doubled, swapped, sound-alike."""
    swaps = [(a, c) for a, c in (("I", "l"), ("i", "l"), ("O", "0"), ("o", "0"), ("W", "VV"), ("w", "vv"),
                                 ("m", "rn"), ("M", "RN"), ("l", "1"), ("d", "cl"), ("a", "а"), ("e", "е"))
             if a in text]
    styles = ["latin_visual", "latin_vowel", "latin_double", "latin_swap", "latin_sound", "latin_insert"]
    if len(text) >= 6:
        styles.append("latin_other")
    if swaps:
        styles += ["latin_confusable"] * 2
    for _ in range(6):
        style = rng.choice(styles)
        low = text.lower()
        n = len(low)
        if style == "latin_confusable":
            a, c = rng.choice(swaps)
            return text.replace(a, c, 1), style
        if style == "latin_visual":
            spots = [j for j in range(1, n) if low[j] in _VISUAL_SWAPS]
            if spots:
                j = rng.choice(spots)
                return low[:j] + _VISUAL_SWAPS[low[j]] + low[j + 1:], style
        elif style == "latin_vowel":
            spots = [j for j in range(1, n) if low[j] in _VOWEL_SET]
            if spots:
                j = rng.choice(spots)
                return low[:j] + rng.choice([v for v in _VOWEL_SET if v != low[j]]) + low[j + 1:], style
        elif style == "latin_double":
            j = rng.randrange(1, n)
            return low[:j] + low[j] + low[j:], style
        elif style == "latin_swap" and n >= 4:
            j = rng.randrange(1, n - 1)
            if low[j] != low[j + 1]:
                return low[:j] + low[j + 1] + low[j] + low[j + 2:], style
        elif style == "latin_sound":
            options = [(a, c) for a, c in _SOUND_SWAPS if a in low[1:]]
            if options:
                a, c = rng.choice(options)
                j = low.index(a, 1)
                return low[:j] + c + low[j + len(a):], style
        elif style == "latin_insert" and n >= 6:
            j = rng.randrange(1, n)
            return low[:j] + rng.choice("aehnrs") + low[j:], style
        elif style == "latin_other":  # any one letter changed, dropped or added in a longer mark
            j = rng.randrange(1, n)
            letter = rng.choice([c for c in "bcdfghklmnprstvwxz" if c != low[j]])
            how = rng.randrange(3)
            if how == 0:
                return low[:j] + letter + low[j + 1:], style
            if how == 1 and n >= 7:
                return low[:j] + low[j + 1:], style
            return low[:j] + letter + low[j:], style
    return None


def trademark_variant(rng: random.Random, text: str) -> tuple[str, str] | None:
    """A look-alike of a mark: (variant, style).

    Chinese: a glyph look-alike with another sound (the shipped glyph table), a homophone, a
    traditional form, two look-alike characters in a longer mark, one character left out of
    a long mark. Latin: see _latin_variant.
    """
    from regional.sampledata import _homophones, _s2t

    if not nz.has_cjk(text):
        return _latin_variant(rng, text)
    n = len(text)
    style = rng.choices(("lookalike", "homophone", "traditional", "lookalike2", "deleted", "extended"),
                        (5, 3, 2, 1 if n >= 3 else 0, 1 if n >= 4 else 0, 1))[0]
    if style == "extended":  # the mark inside a coined longer word (六个核桃仁)
        extra = rng.choice("仁王记坊牌家源堂")
        return (text + extra, style) if rng.random() < 0.7 else (extra + text, style)
    if style == "traditional":
        trad = _s2t().convert(text)
        if trad != text:
            return trad, style
        style = "lookalike"
    if style == "deleted":
        j = rng.randrange(1, n - 1)
        return text[:j] + text[j + 1:], style
    positions = list(range(n))
    rng.shuffle(positions)

    def glyph(ch: str) -> list[str]:
        return [c for c, sc in nz.glyph_table().get(ch, {}).items() if sc >= 45 and not nz.same_sound(c, ch)]

    if style == "lookalike2":
        picked = [j for j in positions if glyph(text[j])][:2]
        if len(picked) == 2:
            chars = list(text)
            for j in picked:
                chars[j] = rng.choice(glyph(text[j]))
            return "".join(chars), style
        style = "lookalike"
    for kind in (style, "homophone") if style == "lookalike" else (style,):
        for j in positions:
            if kind == "lookalike":
                choices = glyph(text[j])
            else:
                choices = [c for c in _homophones().get(nz.pinyin_key(text[j]), []) if c != text[j]]
            if choices:
                return text[:j] + rng.choice(choices) + text[j + 1:], kind
    return None


def _trademark_case(b: _Builder) -> None:
    rng = b.rng
    for _ in range(20):
        mark = b.marks[rng.randrange(len(b.marks))] if rng.random() < 0.9 else b.marks[rng.randrange(len(NATIONAL_MARKS))]
        products = _products_for(mark.classes)
        if not products:
            continue
        product = rng.choice(products)
        seller = rng.choice(b.shops)
        if mark.well_known and rng.random() < 0.3:  # a well-known mark on goods of another class
            others = [p for c in _ALL_CLASSES if c not in mark.classes for p in PRODUCTS.get(c, ())]
            product = rng.choice(others)
            listing = b.listing(f"{mark.text} {product.name} {rng.choice(_QUALIFIERS)}", product,
                                _price(rng, product), seller)
            b.plant(listing, mark.number, LeadType.TRADEMARK, "well_known_other_class")
            return
        if rng.random() < 0.2:  # exact mark at a fraction of the going price, among ordinary offers
            for _ in range(3):
                b.listing(f"{product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product), rng.choice(b.companies))
            listing = b.listing(f"{mark.text} {product.name} {rng.choice(_QUALIFIERS)}", product,
                                max(1.0, round(product.low * rng.uniform(0.12, 0.3), 1)), seller)
            b.plant(listing, mark.number, LeadType.TRADEMARK, "exact_cheap")
            return
        variant = trademark_variant(rng, mark.text)
        # a variant must not be another registered mark (a traditional form normalises to its own mark)
        if variant is None or (nz.compact(variant[0]) in b.mark_texts and nz.compact(variant[0]) != nz.compact(mark.text)):
            continue
        lead = rng.choice(("", "", "新品 ", "热卖 "))
        listing = b.listing(f"{lead}{variant[0]} {product.name} {rng.choice(_QUALIFIERS)}", product,
                            _price(rng, product, rng.uniform(0.4, 1.0)), seller)
        b.plant(listing, mark.number, LeadType.TRADEMARK, variant[1])
        return


@functools.cache
def _ordinary_words_by_deletion() -> dict[str, tuple[str, ...]]:
    """Each ordinary English word (regional/data/english_common.tsv) under itself and its one-letter deletions."""
    index: dict[str, list[str]] = {}
    for word in sorted(nz.common_english_words()):
        for key in {word} | {word[:k] + word[k + 1:] for k in range(len(word))}:
            index.setdefault(key, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _ordinary_word_list() -> tuple[str, ...]:
    return tuple(sorted(nz.common_english_words()))


def _ordinary_neighbours(low: str) -> list[str]:
    """Ordinary English words one letter changed, added, dropped or swapped away from `low` (not `low` itself)."""
    from rapidfuzz.distance import OSA

    index = _ordinary_words_by_deletion()
    near = {w for key in {low} | {low[:k] + low[k + 1:] for k in range(len(low))} for w in index.get(key, ())}
    return sorted(w for w in near if w != low and OSA.distance(w, low) == 1)


def _lawful_brand(b: _Builder) -> None:
    rng = b.rng
    mark = b.marks[rng.randrange(len(b.marks))]
    products = _products_for(mark.classes)
    if not products:
        return
    product = rng.choice(products)
    roll = rng.random()
    if not nz.has_cjk(mark.text) and len(mark.text) <= 5 and rng.random() < 0.3:
        # an ordinary word one unremarkable letter away from a short Latin mark, same goods (nice / NIKE)
        low = mark.text.lower()
        j = rng.randrange(1, len(low))
        from regional.detection.trademark import _PHONETIC_PAIRS, _VISUAL_PAIRS

        plain = [c for c in "bcfghkrstwxz" if c != low[j] and frozenset((c, low[j])) not in _VISUAL_PAIRS | _PHONETIC_PAIRS]
        word = low[:j] + rng.choice(plain) + low[j + 1:]
        ordinary = _ordinary_neighbours(low)
        if ordinary:  # a real ordinary English word one letter away when there is one (milk / MILKA, bell / DELL)
            word = ordinary[j % len(ordinary)]
        if nz.compact(word) not in b.mark_texts:
            listing = b.listing(f"{word} {product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product),
                                rng.choice(b.companies + b.shops))
            b.negatives[listing.id] = "trademark_near_word"
            return
    if not mark.well_known and rng.random() < 0.25:  # the same word on goods of another class: another brand
        others = [p for c in _ALL_CLASSES if c not in mark.classes for p in PRODUCTS.get(c, ())]
        product = rng.choice(others)
        listing = b.listing(f"{mark.text} {product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product),
                            rng.choice(b.companies + b.shops))
        b.negatives[listing.id] = "trademark_other_class"
        return
    if mark.licensee and roll < 0.4:
        seller, factor, style = mark.licensee, (0.3 if rng.random() < 0.25 else 1.0), "licensee"
    elif roll < 0.6:
        seller, factor, style = Seller(name=mark.owner), 1.0, "owner"
    else:
        seller, factor, style = rng.choice(b.companies + b.shops), rng.uniform(0.85, 1.15), "reseller"
    listing = b.listing(f"{mark.text} {product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product, factor), seller)
    b.negatives[listing.id] = f"trademark_{style}"


# -- patent marking ----------------------------------------------------------------------------

MARKING_STYLES = ("malformed", "bad_check_digit", "not_in_registry", "lapsed", "expired", "invalidated",
                  "application_only", "rejected", "wrong_kind", "not_owner_unlicensed")
_WRITINGS = ("专利号：{n}", "专利号{n}", "{n}", "专利产品 {n}", "本品已获{k}，专利号 {n}", "{k}（{n}）", "patent no. {n}")


def _cite(rng: random.Random, number: str, kind_word: str = "专利") -> str:
    """The number as a seller might write it: with ZL/CN or none, spaces, full-width."""
    digits, check = number[2:14], number[-1]
    style = rng.randrange(6)
    if style == 0:
        shown = f"ZL{digits}.{check}"
    elif style == 1:
        shown = f"ZL {digits[:4]} {digits[4]} {digits[5:]}.{check}"
    elif style == 2:
        shown = f"CN{digits}{check}"
    elif style == 3:
        shown = "ＺＬ" + "".join(chr(ord(c) + 0xFEE0) for c in digits) + "．" + chr(ord(check) + 0xFEE0)
    elif style == 4:
        shown = f"ZL{digits}。{check}"
    else:
        shown = f"专利号:{digits}.{check}"
    writing = rng.choice(_WRITINGS)
    if shown.startswith("专利号") and "专利号" in writing:
        writing = "{n}"
    return writing.format(n=shown, k=kind_word)


def _marking_case(b: _Builder, patents: list[Right]) -> None:
    rng = b.rng
    field_code = rng.choice(list(FIELDS))
    product = rng.choice([p for ps in PRODUCTS.values() for p in ps if any(t in p.name for t in FIELDS[field_code][0])]
                         or [p for ps in PRODUCTS.values() for p in ps])
    seller = rng.choice(b.shops + b.companies)
    style = rng.choice((*MARKING_STYLES, "own_patent", "honest_application", "owner_typo"))
    kind_word = "专利"
    right: Right | None = None
    if style in ("malformed", "bad_check_digit", "not_in_registry"):
        digits = b._serial(rng.randint(2015, 2024), rng.choice("12"))
        if style == "malformed":
            cited = rng.choice((f"ZL{digits[:-1]}.{patent_check_digit(digits)}", f"ZL{digits[:4]}5{digits[5:]}.3",
                                f"专利号：{digits}{digits[:2]}"))
        number = format_patent_number(digits)
        if style == "bad_check_digit":
            good = patent_check_digit(digits)
            number = f"ZL{digits}.{rng.choice([c for c in '0123456789X' if c != good])}"
            cited = _cite(rng, number)
        elif style == "not_in_registry":
            cited = _cite(rng, number)
        if style == "malformed":
            from regional.detection.patents import extract

            found = extract(cited)
            number = found[0].canonical() if found else cited
    else:
        status = {"lapsed": "lapsed", "expired": "expired", "invalidated": "invalidated", "application_only": "pending",
                  "honest_application": "pending", "rejected": "rejected"}.get(style, "granted")
        owner = seller.name if style in ("own_patent", "owner_typo", "wrong_kind", "honest_application") else None
        right = b.patent(rng.choice((RightKind.INVENTION, RightKind.UTILITY_MODEL)), status, owner, field_code)
        number = right.number
        cited = _cite(rng, number)
        if style == "wrong_kind":
            kind_word = "发明专利" if right.kind is RightKind.UTILITY_MODEL else "外观设计专利"
            cited = f"本品已获{kind_word}，专利号 {number}"
        elif style == "honest_application":
            cited = f"专利申请中，申请号{number[2:]}"
        elif style == "owner_typo":
            good = number[-1]
            cited = f"专利号 ZL{number[2:14]}.{rng.choice([c for c in '0123456789' if c != good])}"
        elif style == "not_owner_unlicensed":
            pass
    title = f"{product.name} {rng.choice(_QUALIFIERS)}"
    if rng.random() < 0.3:
        title, description = f"{title} {cited}", None
    else:
        description = f"{product.name}，{cited}，{rng.choice(_QUALIFIERS)}"
    listing = b.listing(title, product, _price(rng, product), seller, description=description)
    if style in MARKING_STYLES:
        b.plant(listing, number, LeadType.COUNTERFEIT_PATENT, style)
    else:
        b.negatives[listing.id] = f"marking_{style}"
    del patents  # planted patents are made per case so that their status fits the style


# -- design --------------------------------------------------------------------------------------


def _design_case(b: _Builder, designs: list[tuple[Right, int]]) -> None:
    rng = b.rng
    if not designs:
        return
    right, shape = rng.choice(designs)
    thing = right.title.split("（")[0]
    product = next((p for ps in PRODUCTS.values() for p in ps if thing in p.name), None)
    seller = rng.choice(b.shops)
    k = b.next_id + 1
    path = f"listings/img-{k:06d}.png"
    if rng.random() < 0.55:
        b._write_image(path, shape, perturb=True)
        title = f"{thing} {rng.choice(('同款', '新款', '网红款', ''))} {rng.choice(_QUALIFIERS)}".replace("  ", " ")
        listing = b.listing(title, product, _price(rng, product) if product else 59.0, seller, images=(path,))
        b.plant(listing, right.number, LeadType.DESIGN, "perturbed_view")
    else:  # same kind of product, its own shape
        b._write_image(path, rng.randrange(2**31), perturb=True)
        listing = b.listing(f"{thing} {rng.choice(_QUALIFIERS)}", product, _price(rng, product) if product else 59.0,
                            seller, images=(path,))
        b.negatives[listing.id] = "design_other_shape"


# -- invention / utility model -------------------------------------------------------------------


def _invention_case(b: _Builder, patents: list[Right]) -> None:
    rng = b.rng
    live = [p for p in patents if p.status == "granted"]
    if not live:
        return
    right = rng.choice(live)
    claims = right.claims or ""
    from regional.detection.invention import claim_features

    features = claim_features(claims)[1]
    thing = right.title.split("的")[-1].removeprefix("一种")
    product = next((p for ps in PRODUCTS.values() for p in ps if thing in p.name), None)
    if rng.random() < 0.55:
        shown = rng.sample(features, max(len(features) - rng.choice((0, 0, 1)), 3))
        description = f"{thing}，采用{'，'.join(shown)}，{rng.choice(_QUALIFIERS)}"
        listing = b.listing(f"{thing} {rng.choice(_QUALIFIERS)}", product, _price(rng, product) if product else 99.0,
                            rng.choice(b.shops), description=description)
        b.plant(listing, right.number, LeadType.INVENTION, "claim_features")
    else:
        phrases = FIELDS[right.ipc[0][:4]][1]
        shown = [rng.choice(_MODIFIERS) + c for c in rng.sample(phrases, 3)]
        description = f"{thing}，带{'，'.join(shown)}，{rng.choice(_QUALIFIERS)}"
        listing = b.listing(f"{thing} {rng.choice(_QUALIFIERS)}", product, _price(rng, product) if product else 99.0,
                            rng.choice(b.shops), description=description)
        b.negatives[listing.id] = "invention_few_features"


# -- clean ---------------------------------------------------------------------------------------


def _clean(b: _Builder, designs: list[tuple[Right, int]]) -> None:
    rng = b.rng
    product = rng.choice([p for ps in PRODUCTS.values() for p in ps])
    prefix = rng.choice(("", "", "2026新款 ", "厂家直销 ", "word"))
    if prefix == "word":  # an ordinary English word in the title (Milk 软糖, Idea 收纳盒), never a mark itself
        word = rng.choice(_ordinary_word_list())
        prefix = "" if nz.compact(word) in b.mark_texts else word.capitalize() + " "
    images: tuple[str, ...] = ()
    if designs and rng.random() < 0.05:
        path = f"listings/img-{b.next_id + 1:06d}.png"
        b._write_image(path, rng.randrange(2**31), perturb=True)
        images = (path,)
    b.listing(f"{prefix}{product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product),
              rng.choice(b.companies + b.shops), images=images)
