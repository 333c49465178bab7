"""Deterministic demo material for a federation: registries, listings and planted infringements.

`generate_federation(["440000", "330000", "350000"])` gives each region a registry (well-known
national marks, invented local marks, patents, licences) and a day of marketplace listings:
mostly clean, some from owners, licensees and resellers, and ~9% planted infringements whose
ground truth is returned alongside. A few infringing sellers work in several regions with the
same credit code or phone, so the national node can build cross-region cases. No clock, no
network: the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regional.detection import normalize as nz
from regional.domain import Licence, Listing, ListingSource, Right, RightKind, Seller
from regional.identifiers import USCC_CHARSET, format_patent_number, org_code_check_char, uscc_check_char

BASE_TIME = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass(frozen=True, slots=True)
class City:
    """A prefecture-level city (or county-level city) where sellers sit."""

    name: str
    code: str  # GB/T 2260
    area_code: str  # landline prefix
    districts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Province:
    """A region of the demo federation and its core industries (优势产业) as Nice classes."""

    code: str
    name: str
    industries: tuple[int, ...]
    cities: tuple[City, ...]


PROVINCES: dict[str, Province] = {
    p.code: p
    for p in (
        Province("440000", "广东省", (9, 11), (
            City("深圳市", "440300", "0755", ("宝安区", "龙岗区", "南山区", "龙华区")),
            City("广州市", "440100", "020", ("白云区", "番禺区", "天河区")),
            City("东莞市", "441900", "0769", ("长安镇", "虎门镇", "松山湖")),
            City("佛山市", "440600", "0757", ("顺德区", "南海区")),
        )),
        Province("330000", "浙江省", (24, 25, 16, 21), (
            City("金华市", "330700", "0579", ("义乌市稠城街道", "义乌市北苑街道", "永康市")),
            City("杭州市", "330100", "0571", ("余杭区", "萧山区", "滨江区")),
            City("宁波市", "330200", "0574", ("鄞州区", "慈溪市")),
            City("绍兴市", "330600", "0575", ("柯桥区", "诸暨市")),
        )),
        Province("350000", "福建省", (25, 30, 18), (
            City("泉州市", "350500", "0595", ("晋江市", "石狮市", "安溪县")),
            City("福州市", "350100", "0591", ("鼓楼区", "仓山区")),
            City("厦门市", "350200", "0592", ("思明区", "湖里区")),
            City("莆田市", "350300", "0594", ("荔城区", "涵江区")),
        )),
        Province("320000", "江苏省", (24, 9, 11), (
            City("苏州市", "320500", "0512", ("吴江区", "昆山市", "常熟市")),
            City("南京市", "320100", "025", ("江宁区", "秦淮区")),
        )),
        Province("370000", "山东省", (11, 29, 30), (
            City("青岛市", "370200", "0532", ("崂山区", "黄岛区")),
            City("济南市", "370100", "0531", ("历下区", "槐荫区")),
        )),
        Province("510000", "四川省", (30, 32, 29), (
            City("成都市", "510100", "028", ("武侯区", "郫都区", "双流区")),
            City("宜宾市", "511500", "0831", ("翠屏区",)),
        )),
    )
}


@dataclass(frozen=True, slots=True)
class Product:
    """A generic product: title words, category and a plausible price range in CNY."""

    name: str
    category: str
    low: float
    high: float


PRODUCTS: dict[int, tuple[Product, ...]] = {
    3: (Product("洗衣粉 5斤装", "日化用品", 22, 49), Product("洗衣液 薰衣草香", "日化用品", 29, 69)),
    9: (
        Product("智能手机 5G全网通", "手机", 1699, 3999), Product("蓝牙耳机 无线降噪", "耳机", 129, 349),
        Product("充电宝 20000毫安", "数码配件", 69, 169), Product("Type-C数据线 快充", "数码配件", 15, 39),
        Product("智能手表 心率监测", "智能穿戴", 399, 999),
    ),
    11: (
        Product("电饭煲 4L 家用", "家用电器", 229, 599), Product("空气炸锅 大容量", "家用电器", 199, 459),
        Product("落地电风扇 静音", "家用电器", 139, 369), Product("电热水壶 304不锈钢", "家用电器", 69, 189),
        Product("LED护眼台灯", "灯具", 89, 239), Product("变频空调 1.5匹", "空调", 2399, 4599),
    ),
    16: (
        Product("笔记本 A5加厚", "文具", 12, 29), Product("中性笔 0.5mm 12支装", "文具", 12, 28),
        Product("文件夹 A4 多层", "办公用品", 15, 39), Product("便利贴 彩色", "文具", 6, 15),
    ),
    18: (
        Product("双肩包 大容量 通勤", "箱包", 119, 299), Product("行李箱 20寸 万向轮", "箱包", 229, 599),
        Product("真皮钱包 短款", "皮具", 99, 279), Product("折叠雨伞 晴雨两用", "雨伞", 35, 95),
    ),
    21: (
        Product("保温杯 316不锈钢", "厨房用品", 59, 159), Product("收纳盒 桌面", "日用百货", 22, 59),
        Product("陶瓷碗 套装", "厨房用品", 45, 129), Product("玻璃杯 耐热", "日用百货", 18, 49),
    ),
    24: (
        Product("纯棉四件套 1.8m床", "家纺", 189, 459), Product("毛巾 纯棉 3条装", "家纺", 22, 59),
        Product("遮光窗帘 卧室", "家纺", 99, 279), Product("夏凉被 空调被", "家纺", 109, 259),
    ),
    25: (
        Product("运动鞋 男款 跑步鞋", "运动鞋", 239, 699), Product("纯棉T恤 短袖", "服装", 49, 129),
        Product("连衣裙 夏季", "女装", 129, 359), Product("羽绒服 冬季加厚", "服装", 459, 1299),
        Product("休闲板鞋 百搭", "鞋靴", 149, 399), Product("运动卫衣 连帽", "服装", 149, 399),
    ),
    29: (Product("调制乳 250ml*12盒", "乳制品", 39, 69), Product("坚果礼盒 每日坚果", "坚果炒货", 69, 199)),
    30: (
        Product("铁观音 浓香型 500g", "茶叶", 138, 398), Product("大红袍 岩茶 礼盒", "茶叶", 198, 598),
        Product("红烧牛肉面 五连包", "方便食品", 12, 25), Product("苏打饼干 独立包装", "零食", 12, 29),
        Product("奶糖 500g 散装", "糖果", 22, 49), Product("夹心饼干 家庭装", "零食", 12, 29),
    ),
    32: (
        Product("柠檬味汽水 330ml*24罐", "饮料", 39, 69), Product("核桃乳 240ml*20罐", "饮料", 49, 89),
        Product("凉茶 310ml*24罐", "饮料", 49, 79), Product("纯净水 550ml*24瓶", "饮料", 22, 39),
    ),
    33: (Product("浓香型白酒 52度 500ml", "白酒", 199, 599),),
}

_QUALIFIERS = ("包邮", "厂家直销", "现货速发", "2026新款", "正品保障", "批发价", "顺丰发货", "热卖")

# Nationally well-known marks, present in every region's registry with the same reg_no.
NATIONAL_MARKS: tuple[tuple[str, str, str, tuple[int, ...]], ...] = (
    ("TM-0012345", "康师傅", "顶益（开曼岛）控股有限公司", (30, 32)),
    ("TM-0021874", "雪碧", "可口可乐公司", (32,)),
    ("TM-0030512", "娃哈哈", "杭州娃哈哈集团有限公司", (29, 30, 32)),
    ("TM-0044120", "六个核桃", "河北养元智汇饮品股份有限公司", (32,)),
    ("TM-0051377", "王老吉", "广州医药集团有限公司", (32,)),
    ("TM-0063291", "大白兔", "上海冠生园食品有限公司", (30,)),
    ("TM-0070418", "奥利奥", "亿滋国际公司", (30,)),
    ("TM-0082265", "旺仔", "宜兰食品工业股份有限公司", (29, 30, 32)),
    ("TM-0095103", "华为", "华为技术有限公司", (9,)),
    ("TM-0095104", "HUAWEI", "华为技术有限公司", (9,)),
    ("TM-0103388", "小米", "小米科技有限责任公司", (9,)),
    ("TM-0117642", "格力", "珠海格力电器股份有限公司", (11,)),
    ("TM-0121903", "美的", "美的集团股份有限公司", (11,)),
    ("TM-0136551", "安踏", "安踏（中国）有限公司", (25,)),
    ("TM-0142280", "李宁", "李宁（中国）体育用品有限公司", (25,)),
    ("TM-0159734", "特步", "特步（中国）有限公司", (25,)),
    ("TM-0160096", "NIKE", "耐克创新有限合伙公司", (25,)),
    ("TM-0171125", "ADIDAS", "阿迪达斯有限公司", (25,)),
    ("TM-0188460", "得力", "得力集团有限公司", (16,)),
    ("TM-0193317", "雕牌", "纳爱斯集团有限公司", (3,)),
)

# Characters for invented brand names; none of them occurs in the product vocabulary.
_BRAND_CHARS = "鑫宏鹏创联启瑞佳锦泰恒凯隆星龙飞诺森雅酷帆朗润晟睿柏琪骏翔豪逸尚致远辉耀宸霖曜铭"
_LATIN_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "gl")
_LATIN_VOWELS = ("a", "e", "i", "o", "u")
_TRADE_NAMES = "华达盛源德宏鹏创联启瑞佳锦泰丰恒凯隆星海龙飞优康乐美嘉诺森雅帆朗润晟博睿"
_INDUSTRY_WORDS = {
    3: "日化", 9: "电子科技", 11: "电器", 16: "文具", 18: "箱包皮具", 21: "日用品", 24: "家纺",
    25: "服饰", 29: "食品", 30: "食品", 32: "饮品", 33: "酒业",
}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英"
# Common characters grouped by reading, the source of planted sound-alikes.
_HOMOPHONE_POOL = (
    "付府夫服福富傅父师失诗施狮湿事市士示世是视时石识实食十拾史使始驶哇蛙挖娃瓦袜雪学穴血"
    "碧必毕闭币笔比彼壁避臂王往网忘望旺汪亡老劳牢捞吉级极即急集籍几机鸡基激积击姬迹"
    "大达答打白百柏拜败摆兔突图涂土吐途徒奥傲熬澳利力立丽理里礼李历例粒栗仔子紫字资姿"
    "华化花画话滑划哗为位围维伟未味卫谓魏小晓笑校效孝米迷密蜜谜觅格革隔各阁葛美每没媒梅眉"
    "安岸暗案按踏塔他她它宁凝柠拧特得德的泰步部布不补捕雕刁叼吊调牌派排拍"
    "核和合何河荷桃陶逃淘掏套六流留刘柳溜个各歌哥戈康抗扛亢糠"
    # sound-alikes of the invented brand characters
    "鑫新心欣辛宏红洪虹鸿鹏朋彭棚创窗闯联连廉莲启起企瑞锐睿蕊佳家加嘉锦金今紧泰太态丰风峰封"
    "恒衡横凯开楷隆笼星兴醒飞非菲诺糯森雅亚压鸭酷库裤帆凡繁朗浪郎润闰晟盛胜圣琪其奇齐骏俊峻"
    "翔祥详豪毫逸亦义益尚上商致智志远源元园辉灰挥耀要药宸晨辰陈霖林临铭明名鸣"
)
_PLATFORMS = (
    ("tb", "淘宝", "https://item.taobao.com/item.htm?id=", "https://shop{n}.taobao.com"),
    ("jd", "京东", "https://item.jd.com/", "https://mall.jd.com/index-{n}.html"),
    ("pdd", "拼多多", "https://mobile.yangkeduo.com/goods.html?goods_id=", "https://mobile.yangkeduo.com/mall_page.html?mall_id={n}"),
    ("1688", "1688", "https://detail.1688.com/offer/", "https://shop{n}.1688.com"),
)


@dataclass
class RegionSample:
    """One region's generated material (formats.md records) and its ground truth."""

    region: str
    registry: list[dict[str, Any]]
    listings: list[dict[str, Any]]
    planted: list[dict[str, Any]]


@dataclass
class _Seller:
    name: str
    uscc: str | None
    phone: str
    address: str
    shop_url: str
    platform: int = 0  # index into _PLATFORMS

    def record(self) -> dict[str, str | None]:
        return {"name": self.name, "uscc": self.uscc, "phone": self.phone, "address": self.address,
                "shop_url": self.shop_url}


@dataclass
class _Mark:
    reg_no: str
    mark: str
    owner: str
    classes: tuple[int, ...]
    national: bool
    licensees: list[_Seller] = field(default_factory=list)


# -- identifiers ------------------------------------------------------------------------


def make_uscc(rng: random.Random, division: str, individual: bool = False) -> str:
    """A valid-looking unified social credit code registered in `division` (6-digit GB/T 2260)."""
    org8 = "".join(rng.choice("0123456789") for _ in range(8))
    body = ("92" if individual else "91") + division + org8 + org_code_check_char(org8)
    assert all(ch in USCC_CHARSET for ch in body)
    return body + uscc_check_char(body)


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _landline(rng: random.Random, city: City) -> str:
    return f"{city.area_code}-{rng.choice('2345678')}" + "".join(rng.choice("0123456789") for _ in range(7))


def _address(rng: random.Random, province: Province, city: City, warehouse: bool = False) -> str:
    road = rng.choice(("工业大道", "人民路", "建设路", "创业路", "商贸城", "科技园路", "环城北路"))
    tail = f"{rng.randint(1, 12)}号仓库" if warehouse else f"{rng.randint(1, 9)}栋{rng.randint(1, 20)}0{rng.randint(1, 9)}室"
    return f"{province.name}{city.name}{rng.choice(city.districts)}{road}{rng.randint(1, 399)}号{tail}"


# -- names ------------------------------------------------------------------------------


def _code_distance(a: str, b: str) -> int:
    """Positions where two equal-length marks differ beyond look-alike or sound-alike."""
    return sum(1 for x, y in zip(a, b, strict=True) if x != y and not nz.are_lookalikes(x, y) and not nz.same_sound(x, y))


def _too_close(candidate: str, taken: Sequence[str]) -> bool:
    """True when a look-alike of one mark could read as the other (or a part of it)."""
    for other in taken:
        short, long_ = sorted((candidate, other), key=len)
        n = len(short)
        if any(_code_distance(long_[i : i + n], short) < 2 for i in range(len(long_) - n + 1)):
            return True
    return False


def _invent_cjk_marks(rng: random.Random, count: int, taken: list[str]) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        mark = "".join(rng.sample(_BRAND_CHARS, rng.choice((2, 3, 3))))
        if not _too_close(mark, taken):
            taken.append(mark)
            out.append(mark)
    return out


def _invent_latin_marks(rng: random.Random, count: int, taken: list[str]) -> list[str]:
    from rapidfuzz.distance import Levenshtein

    out: list[str] = []
    while len(out) < count:
        word = "".join(rng.choice(_LATIN_ONSETS) + rng.choice(_LATIN_VOWELS) for _ in range(rng.choice((3, 3, 4))))
        word = word[:7]
        skel = nz.latin_skeleton(word)
        if len(skel) < 5 or any(Levenshtein.distance(skel, nz.latin_skeleton(t)) < 3 for t in taken):
            continue
        taken.append(word)
        out.append(word.capitalize())
    return out


def _company(rng: random.Random, city: City, industry: int) -> str:
    trade = "".join(rng.sample(_TRADE_NAMES, 2))
    return f"{city.name}{trade}{_INDUSTRY_WORDS.get(industry, '贸易')}有限公司"


def _shop(rng: random.Random, city: City) -> str:
    person = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
    return f"{city.name.removesuffix('市')}{person}{rng.choice(('百货商行', '电子商行', '服饰店', '食品店', '贸易商行'))}"


# -- infringement variants --------------------------------------------------------------


@functools.cache
def _s2t() -> nz.Converter:
    import opencc

    return opencc.OpenCC("s2t")


@functools.cache
def _homophones() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for ch in nz.unique(_HOMOPHONE_POOL):
        reading = nz.pinyin_key(ch)
        groups.setdefault(reading, []).append(ch)
    return groups


def _variant(rng: random.Random, mark: str, kind: str) -> tuple[str, str] | None:
    """A look-alike of `mark` of the requested kind, or None when that kind does not apply."""
    if kind == "traditional":
        trad = _s2t().convert(mark)
        return (trad, kind) if trad != mark else None
    if not nz.has_cjk(mark):
        return _latin_variant(rng, mark)
    positions = list(range(len(mark)))
    rng.shuffle(positions)
    for j in positions:
        if kind == "lookalike":  # a close look-alike from the glyph table, as a counterfeiter would pick
            choices = [c for c in nz.lookalikes_of(mark[j]) if nz.glyph_score(mark[j], c) >= 60]
        else:
            choices = [c for c in _homophones().get(nz.pinyin_key(mark[j]), []) if c != mark[j]]
        if choices:
            return mark[:j] + rng.choice(choices) + mark[j + 1 :], kind
    return None


_LATIN_SWAPS = (("I", "l"), ("i", "l"), ("O", "0"), ("o", "0"), ("W", "VV"), ("m", "rn"), ("M", "RN"), ("l", "1"))


def _latin_variant(rng: random.Random, mark: str) -> tuple[str, str] | None:
    swaps = [(a, b) for a, b in _LATIN_SWAPS if a in mark]
    if swaps:
        a, b = rng.choice(swaps)
        return mark.replace(a, b, 1), "latin_confusable"
    if len(mark) >= 5:  # one letter changed: Adidas -> Adibas
        j = rng.randrange(1, len(mark))
        repl = {"d": "b", "b": "d", "n": "m", "e": "a", "a": "e"}.get(mark[j].lower(), "x")
        repl = repl.upper() if mark[j].isupper() else repl
        return mark[:j] + repl + mark[j + 1 :], "latin_letter"
    return None


# -- generation -------------------------------------------------------------------------


def _price(rng: random.Random, product: Product, factor: float = 1.0) -> float:
    value = rng.uniform(product.low, product.high) * factor
    return round(max(value, 1.0), 1) if value < 100 else float(round(value))


def _region_marks(rng: random.Random, province: Province, taken_cjk: list[str], taken_latin: list[str],
                  owners: list[_Seller]) -> list[_Mark]:
    marks = [_Mark(no, text, owner, classes, True) for no, text, owner, classes in NATIONAL_MARKS]
    names = _invent_cjk_marks(rng, 22, taken_cjk) + _invent_latin_marks(rng, 5, taken_latin)
    for k, text in enumerate(names):
        owner = owners[k % len(owners)]
        classes = tuple(sorted(rng.sample(province.industries, min(2, len(province.industries)))))
        marks.append(_Mark(f"TM-{province.code[:2]}{k + 1:05d}", text, owner.name, classes, False))
    return marks


def _patents(rng: random.Random, province: Province, owners: list[_Seller]) -> list[dict[str, Any]]:
    templates = {
        "invention": ("一种{}的控制方法", ("A47J 27/08", "H02J 7/00", "D06F 33/00")),
        "utility_model": ("一种便携式{}", ("A45C 11/00", "H04R 1/10", "F24F 13/20")),
        "design": ("{}（{}款）", ()),
    }
    things = ("蓝牙耳机充电仓", "电热水壶", "空气炸锅", "折叠雨伞", "保温杯", "运动鞋鞋底", "茶叶包装盒", "收纳盒")
    records: list[dict[str, Any]] = []
    for kind, digit in (("invention", "1"), ("invention", "1"), ("utility_model", "2"), ("utility_model", "2"), ("design", "3")):
        digits = f"{rng.randint(2018, 2024)}{digit}{rng.randint(0, 9_999_999):07d}"
        owner = rng.choice(owners).name
        thing = rng.choice(things)
        status = rng.choices(("granted", "lapsed", "expired"), (8, 1, 1))[0]
        expires = f"{int(digits[:4]) + (15 if kind == 'design' else 20 if kind == 'invention' else 10)}-{rng.randint(1, 12):02d}-01"
        if kind == "design":
            records.append({"kind": "design", "number": format_patent_number(digits),
                            "title": templates["design"][0].format(thing, rng.choice("ABC")), "owner": owner,
                            "status": status, "locarno": rng.choice(("07-02", "03-01", "14-03", "02-04")),
                            "images": [], "expires": expires})
        else:
            title = templates[kind][0].format(thing)
            records.append({"kind": kind, "number": format_patent_number(digits), "title": title, "owner": owner,
                            "status": status, "ipc": [rng.choice(templates[kind][1])],
                            "claims": f"1. {title}，其特征在于：包括壳体、设置于壳体内的控制模块……",
                            "expires": expires})
    return records


class _RegionBuilder:
    """Builds one region's sample; listings get ids only once the batch is shuffled."""

    def __init__(self, province: Province, seed: int, taken_cjk: list[str], taken_latin: list[str]) -> None:
        self.p = province
        self.rng = random.Random(f"{seed}-{province.code}")
        rng = self.rng
        self.companies = [self._seller(_company(rng, c, rng.choice(province.industries)), c, individual=False)
                          for c in (rng.choice(province.cities) for _ in range(24))]
        self.shops = [self._seller(_shop(rng, c), c, individual=True) for c in (rng.choice(province.cities) for _ in range(30))]
        self.marks = _region_marks(rng, province, taken_cjk, taken_latin, self.companies[:12])
        self.registry_records = self.registry()
        self.listings: list[dict[str, Any]] = []
        self.planted: list[tuple[dict[str, Any], str]] = []

    def _seller(self, name: str, city: City, individual: bool) -> _Seller:
        rng = self.rng
        n = rng.randint(10_000, 99_999_999)
        platform = rng.randrange(len(_PLATFORMS))
        phone = _mobile(rng) if individual or rng.random() < 0.4 else _landline(rng, city)
        return _Seller(name, make_uscc(rng, city.code, individual), phone, _address(rng, self.p, city),
                       _PLATFORMS[platform][3].format(n=n), platform)

    def registry(self) -> list[dict[str, Any]]:
        rng = self.rng
        records: list[dict[str, Any]] = []
        for m in self.marks:
            records.append({"kind": "trademark", "reg_no": m.reg_no, "mark": m.mark, "owner": m.owner,
                            "nice_classes": list(m.classes), "status": "registered",
                            "valid_until": f"{rng.randint(2027, 2035)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"})
        records.extend(_patents(rng, self.p, self.companies))
        distributors = self.companies[12:]
        for m in self.marks:
            if m.national or rng.random() < 0.3:
                m.licensees.append(rng.choice(distributors))
                for lic in m.licensees:
                    records.append({"kind": "licence", "right": m.reg_no, "licensee": lic.name,
                                    "licensee_uscc": lic.uscc, "valid_from": "2025-01-01", "valid_until": "2027-12-31"})
        return records

    def add(self, title: str, product: Product, price: float, seller: _Seller, planted: str | None = None,
            right: str | None = None) -> None:
        """Queue one listing (ids are assigned in `finish`)."""
        rng = self.rng
        classes = [c for c, ps in PRODUCTS.items() if product in ps]
        record = {
            "title": title, "price": price, "currency": "CNY", "category": product.category,
            "seller": seller.record(), "_platform": seller.platform,
            "observed_at": (BASE_TIME + dt.timedelta(minutes=rng.randint(0, 14 * 24 * 60))).isoformat(),
        }
        if rng.random() < 0.6:
            record["nice_classes"] = classes
        self.listings.append(record)
        if planted:
            self.planted.append((record, f"{right}|{planted}"))

    def product_for(self, mark: _Mark) -> Product:
        return self.rng.choice([p for c in mark.classes for p in PRODUCTS.get(c, ())])

    def finish(self) -> RegionSample:
        rng = self.rng
        rng.shuffle(self.listings)
        for k, record in enumerate(self.listings, start=1):
            platform_ix = int(str(record.pop("_platform")))
            source = "exhibition" if rng.random() < 0.04 else "ecommerce"
            if source == "exhibition":
                prefix, platform, url = "expo", f"{self.p.name}国际消费品博览会", None
            else:  # the platform the seller's shop is on
                prefix, platform, base, _ = _PLATFORMS[platform_ix]
                url = f"{base}{rng.randint(10**9, 10**10)}"
            ordered: dict[str, object] = {"id": f"{prefix}-{self.p.code}-{k:05d}", "source": source,
                                          "platform": platform, "url": url}
            ordered.update(record)
            ordered["description"] = f"{record['title']}，{rng.choice(_QUALIFIERS)}"
            ordered["images"] = []
            record.clear()
            record.update(ordered)
        planted = [{"listing_id": rec["id"], "right": tag.split("|")[0], "type": "trademark",
                    "variant": tag.split("|")[1]} for rec, tag in self.planted]
        return RegionSample(self.p.code, self.registry_records, self.listings, planted)


def _cross_region_sellers(rng: random.Random, regions: Sequence[str]) -> list[dict[str, Any]]:
    """Infringers working in 2-3 regions with the same credit code and phone."""
    if len(regions) < 2:
        return []
    plans = []
    by_mark = {m[1]: m for m in NATIONAL_MARKS}
    targets = [by_mark[t] for t in ("康师傅", "娃哈哈", "NIKE", "雪碧")]
    for k, (reg_no, text, _owner, _classes) in enumerate(targets):
        where = rng.sample(list(regions), min(len(regions), rng.choice((2, 3))))
        home = PROVINCES[where[0]]
        city = rng.choice(home.cities)
        trade = "".join(rng.sample(_TRADE_NAMES, 2))
        plans.append({
            "right": reg_no, "mark": text, "regions": where, "trade": trade,
            "uscc": make_uscc(rng, city.code, individual=False), "phone": _mobile(rng),
            "home_name": f"{city.name}{trade}商贸有限公司", "drop_uscc": k == 1,
            "kind": ("lookalike", "homophone", "lookalike", "lookalike")[k],
        })
    return plans


def generate_federation(regions: Sequence[str], seed: int = 7, listings_per_region: int = 300) -> dict[str, RegionSample]:
    """Deterministic demo samples for each region code, ~9% of listings being planted infringements."""
    fed_rng = random.Random(seed)
    cross = _cross_region_sellers(fed_rng, regions)
    taken_cjk = [m[1] for m in NATIONAL_MARKS if nz.has_cjk(m[1])]
    taken_latin = [m[1].lower() for m in NATIONAL_MARKS if not nz.has_cjk(m[1])]
    samples: dict[str, RegionSample] = {}
    for code in regions:
        if code not in PROVINCES:
            raise ValueError(f"no sample profile for region {code}; known: {', '.join(PROVINCES)}")
        b = _RegionBuilder(PROVINCES[code], seed, taken_cjk, taken_latin)
        _fill_region(b, cross, listings_per_region)
        samples[code] = b.finish()
    return samples


def _fill_region(b: _RegionBuilder, cross: list[dict[str, Any]], total: int) -> None:
    rng, p = b.rng, b.p
    marks_by_no = {m.reg_no: m for m in b.marks}
    # 1. cross-region infringers
    for plan in cross:
        if p.code not in plan["regions"]:
            continue
        mark = marks_by_no[plan["right"]]
        kind = "lookalike" if plan["kind"] == "latin" else plan["kind"]
        variant = _variant(random.Random(plan["uscc"]), mark.mark, kind) or _variant(rng, mark.mark, "lookalike")
        assert variant is not None
        city = rng.choice(p.cities)
        home = p.code == plan["regions"][0]
        name = plan["home_name"] if home else f"{plan['trade']}{rng.choice(('商贸', '百货'))}{rng.choice(('专营店', '批发部'))}"
        seller = _Seller(name, None if plan["drop_uscc"] and not home else plan["uscc"], plan["phone"],
                         _address(rng, p, city, warehouse=not home), f"https://shop{int(plan['uscc'][8:16])}.taobao.com")
        product = b.product_for(mark)
        b.add(f"{variant[0]} {product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product, 0.6), seller,
              planted=f"{variant[1]} cross_region", right=mark.reg_no)
    # 2. local planted infringements
    target = round(total * 0.09)
    while len(b.planted) < target:
        mark = rng.choice(b.marks)
        kind = rng.choices(("lookalike", "homophone", "traditional", "exact_cheap"), (4, 2, 2, 2))[0]
        product = b.product_for(mark)
        seller = rng.choice(b.shops)
        if kind == "exact_cheap":
            cheap = round(product.low * rng.uniform(0.12, 0.3), 1)  # well under the cheapest genuine offer
            b.add(f"{mark.mark} {product.name} {rng.choice(_QUALIFIERS)}", product, max(cheap, 1.0), seller,
                  planted="exact_cheap", right=mark.reg_no)
            for _ in range(3):  # the marketplace also carries the product at ordinary prices
                b.add(f"{product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product), rng.choice(b.companies))
            continue
        variant = _variant(rng, mark.mark, kind)
        if variant is None:
            continue
        b.add(f"{rng.choice(('', '', '新品 '))}{variant[0]} {product.name} {rng.choice(_QUALIFIERS)}", product,
              _price(rng, product, rng.uniform(0.4, 1.0)), seller, planted=variant[1], right=mark.reg_no)
    # 3. lawful brand listings: owners, licensees (some on clearance), resellers at ordinary prices
    lawful = round(total * 0.2)
    owners = {c.name: c for c in b.companies}
    for _ in range(lawful):
        mark = rng.choice(b.marks)
        product = b.product_for(mark)
        roll = rng.random()
        if mark.licensees and roll < 0.4:
            seller, factor = rng.choice(mark.licensees), (0.3 if rng.random() < 0.25 else 1.0)
        elif mark.owner in owners and roll < 0.7:
            seller, factor = owners[mark.owner], 1.0
        else:
            seller, factor = rng.choice(b.companies + b.shops), rng.uniform(0.85, 1.15)
        b.add(f"{mark.mark} {product.name} {rng.choice(_QUALIFIERS)}", product, _price(rng, product, factor), seller)
    # 4. everything else is clean generic goods, mostly from the region's core industries
    while len(b.listings) < total:
        classes = p.industries if rng.random() < 0.7 else tuple(PRODUCTS)
        product = rng.choice(PRODUCTS[rng.choice(classes)])
        prefix = rng.choice(("", "", "2026新款", "厂家直销"))
        suffix = rng.choice([q for q in _QUALIFIERS if q != prefix])
        b.add(f"{prefix} {product.name} {suffix}".strip(), product, _price(rng, product),
              rng.choice(b.companies + b.shops))


def write_sample(sample: RegionSample, directory: Path) -> tuple[Path, Path]:
    """Write registry.jsonl and listings.jsonl (UTF-8 JSON Lines) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = (directory / "registry.jsonl", directory / "listings.jsonl")
    for path, records in zip(paths, (sample.registry, sample.listings), strict=True):
        with path.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return paths


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def domain_objects(sample: RegionSample) -> tuple[list[Right], list[Licence], list[Listing]]:
    """The sample as domain values (a trusting converter for tests and demos, not an importer)."""
    rights: list[Right] = []
    licences: list[Licence] = []
    for r in sample.registry:
        if r["kind"] == "licence":
            licences.append(Licence(r["right"], r["licensee"], r.get("licensee_uscc"),
                                    _date(r.get("valid_from")), _date(r.get("valid_until"))))
        elif r["kind"] == "trademark":
            rights.append(Right(RightKind.TRADEMARK, r["reg_no"], r["mark"], r["owner"], r["status"],
                                tuple(r["nice_classes"]), valid_until=_date(r.get("valid_until"))))
        else:
            rights.append(Right(RightKind(r["kind"]), r["number"], r["title"], r["owner"], r["status"],
                                ipc=tuple(r.get("ipc", ())), locarno=r.get("locarno"), claims=r.get("claims"),
                                images=tuple(r.get("images", ())), valid_until=_date(r.get("expires"))))
    listings = [
        Listing(
            id=x["id"], title=x["title"], source=ListingSource(x.get("source", "ecommerce")),
            platform=x.get("platform"), url=x.get("url"), description=x.get("description"), price=x.get("price"),
            currency=x.get("currency"), nice_classes=tuple(x.get("nice_classes", ())), category=x.get("category"),
            seller=Seller(**x["seller"]) if x.get("seller") else Seller(), images=tuple(x.get("images", ())),
            observed_at=dt.datetime.fromisoformat(x["observed_at"]) if x.get("observed_at") else None,
        )
        for x in sample.listings
    ]
    return rights, licences, listings
