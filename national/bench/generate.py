"""Realistic seller records from 31 regions, with the entity behind each one as ground truth.

Each entity (a company or individual business) has a legal name, often a credit code, one or two
phones, an address in a real county, and sometimes online shops. Each record is what one region
filed: a subset of those details, written the way people write them — shop names instead of
legal names, typos, traditional characters, every phone format, tracking parameters — plus
traps: logistics agents' phones shared by hundreds of sellers, business-park addresses shared by
unrelated firms, same-named companies in other cities, sister companies in one building.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from national.dedup.divisions import SUPPLEMENT, division_index, prefectures_of
from regional.identifiers import USCC_CHARSET, org_code_check_char, uscc_check_char
from sync.regions import PROVINCES

_BRAND_CHARS = (
    "华强鑫盛达兴源泰丰恒瑞宏昌隆富祥和顺利发金银星光明辉晨阳新佳美优品博创智联讯通信德仁诚信义安康宁嘉"
    "荣耀腾飞扬帆远航东南西北中天海山川江河湖云龙凤鹏雁鸿鹰虎豹狮马骏驰力合众邦汇聚锦绣春秋冬夏朗润泽"
    "森林木青松柏竹梅兰菊桂芳雅静逸悦欣乐喜福禄寿吉庆万千百亿京沪粤浙苏闽鲁豫皖湘鄂赣川渝滇黔桂琼辽吉"
    "黑蒙陕甘宁青藏新港澳台尚品致远精工匠心铭志卓越领先锐意飞跃腾达广博深厚宏图伟业永恒久长乾坤"
)
_INDUSTRIES = (
    "电子", "科技", "贸易", "服饰", "食品", "日用品", "五金", "数码", "家居", "化妆品", "母婴", "玩具", "箱包",
    "鞋业", "纺织", "机电", "照明", "通讯", "网络", "文化传媒", "电器", "建材", "茶叶", "酒业", "医疗器械",
    "汽车用品", "体育用品", "办公用品", "工艺品", "珠宝", "眼镜", "钟表", "家纺", "厨具", "宠物用品", "户外用品",
    "农产品", "保健品", "印刷", "包装",
)
_LEGAL_FORMS = (("有限公司", 60), ("有限责任公司", 15), ("股份有限公司", 5), ("商行", 8), ("经营部", 7), ("厂", 5))
_SHOP_SUFFIXES = ("旗舰店", "专营店", "专卖店", "官方旗舰店", "企业店", "店", "小店")
_ROAD_SUFFIXES = ("路", "街", "大道", "大街", "巷")
_PLATFORMS = ("taobao", "tmall", "jd", "pdd", "douyin", "1688")
_MUNICIPAL_AREA_CODES = {"110000": "010", "120000": "022", "310000": "021", "500000": "023"}
# E-commerce heavy provinces file more leads and host more sellers.
_PROVINCE_WEIGHT = {"440000": 14, "330000": 12, "320000": 8, "350000": 6, "370000": 5, "310000": 5, "110000": 4,
                    "410000": 4, "510000": 3, "420000": 3, "430000": 3, "340000": 3, "130000": 3}


@dataclass
class Entity:
    """One real seller: the truth behind its records."""

    key: int
    province: str
    prefecture: str
    county: str
    brand: str
    industry: str
    form: str
    uscc: str | None
    phones: list[str]
    street: str
    shops: list[tuple[str, str, str]]  # (platform, shop id, shop name)


_SUPPLEMENTED = frozenset(d.code for d in SUPPLEMENT)  # the generated data stays what it was before they were added


@functools.cache
def _places() -> tuple[list[str], list[float], dict[str, list[tuple[str, list[str]]]]]:
    provinces = sorted(PROVINCES)
    weights = [float(_PROVINCE_WEIGHT.get(p, 1)) for p in provinces]
    index = division_index()
    tree: dict[str, list[tuple[str, list[str]]]] = {}
    for p in provinces:
        prefs = []
        for pref in prefectures_of(p):
            if pref in _SUPPLEMENTED:
                continue
            counties = sorted(set(index.children.get(pref, {}).values()) - _SUPPLEMENTED)
            prefs.append((pref, counties or [pref]))
        tree[p] = prefs or [(p, [p])]
    return provinces, weights, tree


def _name_of(code: str) -> str:
    d = division_index().by_code.get(code)
    return d.name if d else ""


def _area_code(province: str, prefecture: str) -> str:
    if province in _MUNICIPAL_AREA_CODES:
        return _MUNICIPAL_AREA_CODES[province]
    return "0" + str(300 + int(prefecture[:4]) % 600)


def _uscc(rng: random.Random, county: str, individual: bool) -> str:
    org8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    body = ("92" if individual else "91") + county + org8 + org_code_check_char(org8)
    if any(ch not in USCC_CHARSET for ch in body):  # org check 'X' is fine; guard anyway
        body = body[:16] + "0"
    return body + uscc_check_char(body)


class Generator:
    """Deterministic generator of (record, entity key) pairs."""

    def __init__(self, seed: int = 7) -> None:
        """A generator whose output depends only on `seed`."""
        self.rng = random.Random(seed)
        self._agent_phones = [self._mobile() for _ in range(300)]
        self._hot_agents = self._agent_phones[:8]  # a few agents shared by very many sellers
        self._parks: list[tuple[str, str, str, str]] = []
        self._s2t_cache: dict[str, str] = {}
        self._next_shop = 10_000_000
        self._entities: list[Entity] = []

    # ------------------------------------------------------------ entities

    def _mobile(self) -> str:
        rng = self.rng
        return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))

    def _landline(self, province: str, prefecture: str) -> str:
        rng = self.rng
        return _area_code(province, prefecture) + "-" + rng.choice("2345678") + "".join(
            rng.choice("0123456789") for _ in range(7))

    def _street(self) -> str:
        rng = self.rng
        road = rng.choice(_BRAND_CHARS) + rng.choice(_BRAND_CHARS) + rng.choice(_ROAD_SUFFIXES)
        tail = rng.choice(("", "", f"{rng.choice('ABCDE')}栋{rng.randint(1, 30)}0{rng.randint(1, 9)}",
                           f"{rng.randint(1, 30)}楼", f"{rng.randint(1, 20)}号楼{rng.randint(100, 999)}室"))
        return f"{road}{rng.randint(1, 999)}号{tail}"

    def new_entity(self, key: int) -> Entity:
        """A fresh entity; some copy a name from an earlier one (namesakes, sister companies)."""
        rng = self.rng
        provinces, weights, tree = _places()
        province = rng.choices(provinces, weights)[0]
        prefecture, counties = rng.choice(tree[province])
        county = rng.choice(counties)
        brand = rng.choice(_BRAND_CHARS) + rng.choice(_BRAND_CHARS) + (rng.choice(_BRAND_CHARS) if rng.random() < 0.3 else "")
        industry = rng.choice(_INDUSTRIES)
        street = self._street()
        trap = rng.random()
        if self._entities and trap < 0.03:  # namesake in another city
            other = rng.choice(self._entities)
            brand, industry = other.brand, other.industry
        elif self._entities and trap < 0.05:  # sister company: same brand and building, other trade
            other = rng.choice(self._entities)
            province, prefecture, county, street, brand = (other.province, other.prefecture, other.county,
                                                          other.street, other.brand)
        elif trap < 0.08:  # registered in a business park shared with many firms
            if not self._parks or rng.random() < 0.05:
                self._parks.append((province, prefecture, county, self._street()))
            province, prefecture, county, street = rng.choice(self._parks)
        form = rng.choices([f for f, _ in _LEGAL_FORMS], [w for _, w in _LEGAL_FORMS])[0]
        individual = form in ("商行", "经营部")
        uscc = _uscc(rng, county, individual) if rng.random() < 0.85 else None
        phones = [self._mobile() if rng.random() < 0.75 else self._landline(province, prefecture)
                  for _ in range(1 if rng.random() < 0.7 else 2)]
        shops = []
        for _ in range(rng.choices((0, 1, 2), (40, 45, 15))[0]):
            self._next_shop += rng.randint(1, 500)
            shop_brand = brand if rng.random() < 0.8 else rng.choice(_BRAND_CHARS) + rng.choice(_BRAND_CHARS)
            shop_name = shop_brand + (industry if rng.random() < 0.6 else "") + rng.choice(_SHOP_SUFFIXES)
            shops.append((rng.choice(_PLATFORMS), str(self._next_shop), shop_name))
        entity = Entity(key, province, prefecture, county, brand, industry, form, uscc, phones, street, shops)
        self._entities.append(entity)
        return entity

    # ------------------------------------------------------------ how people write things

    def _s2t(self, text: str) -> str:
        if text not in self._s2t_cache:
            import opencc

            if not hasattr(self, "_conv"):
                self._conv = opencc.OpenCC("s2t")
            self._s2t_cache[text] = self._conv.convert(text)
        return self._s2t_cache[text]

    def _typo(self, text: str) -> str:
        rng = self.rng
        if len(text) < 2:
            return text
        k = rng.randrange(len(text))
        return text[:k] + rng.choice(_BRAND_CHARS) + text[k + 1:]

    def _name(self, e: Entity) -> str:
        rng = self.rng
        if e.shops and rng.random() < 0.35:
            name = rng.choice(e.shops)[2]
            return self._s2t(name) if rng.random() < 0.05 else name
        core = e.brand + e.industry
        if rng.random() < 0.08:
            core = self._typo(core)
        form = e.form
        if form == "有限公司" and rng.random() < 0.1:
            form = "有限责任公司"
        city = _name_of(e.prefecture)
        roll = rng.random()
        if roll < 0.3:
            name = core + form
        elif roll < 0.4:
            name = _name_of(e.province) + city + core + form
        elif roll < 0.5:
            name = core + rng.choice(("（", "(")) + city.removesuffix("市") + rng.choice(("）", ")")) + form
        elif roll < 0.55:
            name = city.removesuffix("市") + core + form
        else:
            name = city + core + form
        if rng.random() < 0.08:
            name = self._s2t(name)
        if rng.random() < 0.03:
            name = name.replace("有限", " 有限 ")
        return name

    def _uscc_text(self, code: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.06:  # a typo: one character replaced, or two swapped
            k = rng.randrange(2, 18)
            if rng.random() < 0.7:
                code = code[:k] + rng.choice(USCC_CHARSET.replace(code[k], "")) + code[k + 1:]
            elif k < 17 and code[k] != code[k + 1]:
                code = code[:k] + code[k + 1] + code[k] + code[k + 2:]
        elif roll < 0.1:
            code = code.lower()
        elif roll < 0.14:
            code = " ".join((code[:2], code[2:8], code[8:17], code[17]))
        return code

    def _phone_text(self, phone: str) -> str:
        rng = self.rng
        if "-" in phone:
            area, local = phone.split("-")
            return rng.choice((phone, phone, f"({area}){local}", f"{area} {local[:4]} {local[4:]}",
                               f"+86 {area[1:]} {local}", f"{phone}转{rng.randint(100, 899)}", local))
        return rng.choice((phone, phone, f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}", f"0086{phone}",
                           f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"86-{phone}", f"+86{phone}"))

    def _address(self, e: Entity) -> str:
        rng = self.rng
        province, city, county = _name_of(e.province), _name_of(e.prefecture), _name_of(e.county)
        if e.county == e.prefecture:
            county = ""
        if province == city or e.province in _MUNICIPAL_AREA_CODES:
            city = ""
        roll = rng.random()
        street = e.street
        if rng.random() < 0.2:
            street = street.replace("号楼", "栋").replace("栋", "座")
        if roll < 0.35:
            text = province + city + county + street
        elif roll < 0.65:
            text = city + county + street
        elif roll < 0.8:
            text = province.removesuffix("省") + city.removesuffix("市") + county + street
        elif roll < 0.9:
            text = county + street if county else city + street
        else:
            text = province + " " + city + " " + county + " " + street
        if rng.random() < 0.05:
            text = self._s2t(text)
        return text

    def _shop_url(self, e: Entity) -> str:
        rng = self.rng
        platform, shop_id, _ = rng.choice(e.shops)
        spm = f"spm=a{rng.randint(1, 9)}z{rng.randint(10, 99)}.{rng.randint(1, 9)}-c.0.0.{rng.randint(1000, 9999)}"
        if platform == "taobao":
            return rng.choice((f"https://shop{shop_id}.taobao.com/?{spm}", f"shop{shop_id}.taobao.com",
                               f"https://shop.taobao.com/shop/view_shop.htm?shop_id={shop_id}&{spm}"))
        if platform == "tmall":
            return f"https://store.tmall.com/shop/view_shop.htm?shop_id={shop_id}&{spm}"
        if platform == "jd":
            return rng.choice((f"https://mall.jd.com/index-{shop_id}.html?from=pc",
                               f"https://shop.m.jd.com/?shopId={shop_id}&utm_source=weixin"))
        if platform == "pdd":
            return f"https://mobile.yangkeduo.com/mall_page.html?mall_id={shop_id}&refer_page_name=goods_detail"
        if platform == "douyin":
            return f"https://haohuo.jinritemai.com/views/shop/index?shop_id={shop_id}&origin_type=ad"
        return f"https://shop{shop_id}.1688.com/?{spm}"

    def record(self, e: Entity) -> dict[str, str]:
        """One region's filing about entity `e`."""
        rng = self.rng
        provinces, weights, _ = _places()
        region = e.province if rng.random() < 0.5 else rng.choices(provinces, weights)[0]
        rec = {"name": self._name(e), "region": region}
        if e.uscc and rng.random() < 0.55:
            rec["uscc"] = self._uscc_text(e.uscc)
        roll = rng.random()
        if roll < 0.03:  # a logistics or agency phone filed instead of the seller's own
            rec["phone"] = rng.choice(self._hot_agents if rng.random() < 0.3 else self._agent_phones)
        elif roll < 0.65:
            rec["phone"] = self._phone_text(rng.choice(e.phones))
        if rng.random() < 0.5:
            rec["address"] = self._address(e)
        if e.shops and rng.random() < 0.45:
            rec["shop_url"] = self._shop_url(e)
        if not ({"uscc", "phone", "address", "shop_url"} & rec.keys()):
            rec["address"] = self._address(e)
        return rec


def _cluster_size(rng: random.Random) -> int:
    return min(25, int(rng.paretovariate(1.5)))


def generate(records: int, seed: int = 7) -> Iterator[tuple[dict[str, str], int]]:
    """`records` shuffled (record, entity key) pairs; record ids are 'r0', 'r1', ..."""
    gen = Generator(seed)
    rows: list[tuple[dict[str, str], int]] = []
    key = 0
    while len(rows) < records:
        entity = gen.new_entity(key)
        for _ in range(min(_cluster_size(gen.rng), records - len(rows))):
            rows.append((gen.record(entity), key))
        key += 1
    gen.rng.shuffle(rows)
    for n, (rec, entity_key) in enumerate(rows):
        yield {"id": f"r{n}", **rec}, entity_key
