"""An evaluation set for seller dedup that the normalizer's authors did not shape: its own vocabulary.

`national/bench/generate.py` shares its trade words, name structure and URL shapes with the
normalizer, which flatters the engine (issue 11: F1 0.975 there, 0.914 on outside data). This
generator was written separately and imports nothing from `national.dedup`: its own city table
and area codes, its own trade names (two-character words and Latin brand names, plus person-name
shops), its own trade words and legal forms — several of which the normalizer does not list —
its own typo model (homophones and look-alikes from a hand table, dropped and swapped
characters), its own traditional-character table, and its own URL shapes (the path form
`https://host/shopNNNN?…`, Douyin shop pages with letter ids, share links, mini-programs).

It also plants the error classes the outside audit named:

* weak records — only a shop-style name (XX旗舰店, XX经营部), no place, no identifier — of trade
  names that several entities in different cities share;
* records with only a full legal name with city and legal form (XX市YY商贸有限公司) that must meet
  the same entity's records carrying identifiers;
* namesakes: one trade name, different cities (and often different legal forms);
* different entities whose valid credit codes conflict but whose names are near;
* sister companies (same group trade name, other trade, same building and switchboard);
* logistics agents' and business parks' phones filed for many unrelated sellers;
* shop URLs of the path form and Douyin shops with letter ids.

Truth is the entity behind each record. Ten regions file, as in the outside audit.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

# city -> (province, province short, area code, [districts], [streets])
CITIES: dict[str, tuple[str, str, str, list[str], list[str]]] = {
    "深圳": ("广东省", "广东", "0755", ["福田区", "南山区", "宝安区", "龙岗区", "龙华区"], ["深南大道", "华强北路", "科技南十二路", "民治大道", "布吉路"]),
    "广州": ("广东省", "广东", "020", ["天河区", "白云区", "番禺区", "越秀区"], ["天河路", "广园中路", "市桥街", "环市东路"]),
    "东莞": ("广东省", "广东", "0769", ["长安镇", "虎门镇", "厚街镇", "南城街道"], ["长青路", "虎门大道", "康乐南路", "鸿福路"]),
    "佛山": ("广东省", "广东", "0757", ["顺德区", "南海区", "禅城区"], ["大良街道", "桂城南海大道", "季华五路"]),
    "汕头": ("广东省", "广东", "0754", ["澄海区", "龙湖区", "潮阳区"], ["莲下镇玩具城", "长平路", "棉城大道"]),
    "杭州": ("浙江省", "浙江", "0571", ["余杭区", "萧山区", "滨江区", "西湖区"], ["文一西路", "市心中路", "江南大道", "天目山路"]),
    "义乌": ("浙江省", "浙江", "0579", ["稠城街道", "北苑街道", "福田街道"], ["工人北路", "春晗路", "福田路", "宾王路"]),
    "温州": ("浙江省", "浙江", "0577", ["鹿城区", "瓯海区", "乐清市"], ["车站大道", "温瑞大道", "柳市镇长虹路"]),
    "宁波": ("浙江省", "浙江", "0574", ["鄞州区", "海曙区", "慈溪市"], ["天童南路", "中山西路", "三北大街"]),
    "苏州": ("江苏省", "江苏", "0512", ["工业园区", "吴中区", "常熟市", "昆山市"], ["星湖街", "东吴北路", "招商城大道", "前进西路"]),
    "南京": ("江苏省", "江苏", "025", ["鼓楼区", "江宁区", "秦淮区"], ["中山北路", "双龙大道", "太平南路"]),
    "泉州": ("福建省", "福建", "0595", ["晋江市", "石狮市", "丰泽区"], ["世纪大道", "灵秀镇", "宝洲街"]),
    "厦门": ("福建省", "福建", "0592", ["思明区", "湖里区", "集美区"], ["嘉禾路", "湖里大道", "杏林湾路"]),
    "临沂": ("山东省", "山东", "0539", ["兰山区", "罗庄区", "河东区"], ["通达路", "沂蒙路", "解放路"]),
    "青岛": ("山东省", "山东", "0532", ["市南区", "即墨区", "黄岛区"], ["香港中路", "鹤山路", "长江中路"]),
    "郑州": ("河南省", "河南", "0371", ["金水区", "管城回族区", "中原区"], ["花园路", "紫荆山路", "建设西路"]),
    "武汉": ("湖北省", "湖北", "027", ["江汉区", "洪山区", "汉阳区"], ["解放大道", "珞喻路", "汉阳大道"]),
    "成都": ("四川省", "四川", "028", ["武侯区", "金牛区", "锦江区"], ["人民南路", "一环路北", "春熙路"]),
    "北京": ("北京市", "北京", "010", ["朝阳区", "海淀区", "丰台区"], ["建国路", "中关村大街", "南三环西路"]),
    "上海": ("上海市", "上海", "021", ["浦东新区", "闵行区", "徐汇区"], ["张杨路", "七莘路", "漕溪北路"]),
}
MUNICIPAL = {"北京", "上海"}
PROVINCE_CODES = {"广东省": "440000", "浙江省": "330000", "江苏省": "320000", "福建省": "350000",
                  "山东省": "370000", "河南省": "410000", "湖北省": "420000", "四川省": "510000",
                  "北京市": "110000", "上海市": "310000"}
REGIONS = sorted(PROVINCE_CODES.values())  # ten filing regions
CITY_CODES = {"深圳": "440300", "广州": "440100", "东莞": "441900", "佛山": "440600", "汕头": "440500",
              "杭州": "330100", "义乌": "330782", "温州": "330300", "宁波": "330200", "苏州": "320500",
              "南京": "320100", "泉州": "350500", "厦门": "350200", "临沂": "371300", "青岛": "370200",
              "郑州": "410100", "武汉": "420100", "成都": "510100", "北京": "110105", "上海": "310115"}

TRADE_WORDS = (
    "鼎盛", "华美", "金鹰", "宏达", "锦程", "恒信", "永辉", "佳和", "瑞祥", "卓凡", "欧诺", "优品", "聚鑫", "博远",
    "汇丰", "盛世", "天成", "嘉禾", "润泽", "名匠", "艾尚", "慕然", "乐途", "麦田", "星河", "蓝鲸", "橙果", "木子",
    "初见", "拾光", "素然", "青禾", "朗逸", "凯旋", "德润", "中鼎", "金穗", "红蜻", "百纳", "千禧", "万象", "九州",
    "安信", "昌荣", "晨曦", "东方", "丰源", "富康", "光华", "海纳", "和畅", "吉庆", "佳美", "骏马", "康桥", "雷霆",
    "力诚", "龙腾", "美华", "明珠", "宁远", "启航", "睿思", "三和", "顺意", "泰和", "天虹", "同创", "沃野", "希望",
    "祥云", "欣悦", "雅致", "亿家", "云帆", "正邦", "智创", "众信", "卓越", "尚品", "梵诺", "米朵", "喵喵", "小熊",
)
LATIN_TRADE = ("Aoxin", "Vanlee", "Kiwa", "Lumio", "Yotta", "Mocco", "Zenbo", "Orvi", "Pinzo", "Qumi", "Bellmo",
               "Dufey", "Gorra", "Hanvi", "Jolly", "Keemo", "Lanvo", "Nuvia", "Plumo", "Sevin")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
TRADES = (
    "网络科技", "电子商务", "实业发展", "商贸", "服装", "服饰", "鞋业", "化妆品", "日用百货", "食品", "酒业", "茶业",
    "母婴用品", "箱包皮具", "户外用品", "家居用品", "五金机电", "数码科技", "生物科技", "进出口", "供应链管理",
    "文化传播", "工艺礼品", "玩具", "汽车配件", "贸易", "电器", "眼镜", "饰品", "体育用品", "纺织品", "企业管理",
)
COMPANY_FORMS = (("有限公司", 70), ("有限责任公司", 15), ("股份有限公司", 3), ("分公司", 2))
INDIVIDUAL_FORMS = ("商行", "经营部", "商贸部", "批发部", "门市部", "工作室", "贸易商行", "百货店", "服装店", "小卖部")
SHOP_FORMS = ("旗舰店", "官方旗舰店", "专营店", "专卖店", "企业店", "工厂店", "直营店", "的小店", "优选店", "精品店",
              "小铺", "生活馆", "严选", "官方店")
PLATFORM_HOSTS = ("shop.taobao.com", "mall.jd.com", "www.pinduoduo.com", "shop.kwaixiaodian.com", "weidian.com")

# a hand table of homophones / look-alikes used in typos (not derived from any library)
TYPOS = {"鑫": "金", "盛": "胜", "华": "化", "美": "每", "达": "大", "信": "新", "祥": "翔", "辉": "晖", "程": "城",
         "泽": "择", "润": "闰", "品": "晶", "优": "忧", "源": "原", "康": "唐", "龙": "笼", "明": "朋", "云": "芸",
         "和": "禾", "丰": "峰", "宏": "弘", "博": "搏", "远": "园", "嘉": "佳", "瑞": "端", "德": "得", "安": "按",
         "科": "料", "贸": "茂", "商": "啇", "业": "亚", "电": "甸", "服": "眼", "饰": "饬", "网": "冈", "络": "洛"}
# simplified -> traditional for characters common in names (hand table)
TRADITIONAL = {"华": "華", "贸": "貿", "东": "東", "电": "電", "业": "業", "广": "廣", "门": "門", "网": "網",
               "络": "絡", "实": "實", "发": "發", "展": "展", "汇": "匯", "龙": "龍", "丰": "豐", "达": "達",
               "兴": "興", "国": "國", "际": "際", "进": "進", "书": "書", "鞋": "鞋", "饰": "飾", "务": "務",
               "圳": "圳", "杭": "杭", "苏": "蘇", "州": "州", "区": "區", "镇": "鎮", "号": "號", "楼": "樓",
               "厦": "廈", "经": "經", "营": "營", "乐": "樂", "鸟": "鳥", "马": "馬", "宁": "寧"}
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(rng: random.Random, city: str, individual: bool) -> str:
    """A valid unified social credit code (GB 32100) registered in `city` (computed here, independently)."""
    head = "92" if individual else "91"
    body = head + CITY_CODES[city] + "".join(rng.choice(CODE_CHARS) for _ in range(9))
    total = sum(CODE_CHARS.index(ch) * w for ch, w in zip(body, CODE_WEIGHTS, strict=True))
    return body + CODE_CHARS[(31 - total % 31) % 31]


@dataclass
class Seller:
    """One market entity: the truth behind its records."""

    key: int
    kind: str  # company | individual | shop
    city: str
    district: str
    trade_name: str
    trade: str
    form: str
    code: str | None
    phones: list[str]
    address: str
    shop_names: list[str] = field(default_factory=list)
    shop_urls: list[str] = field(default_factory=list)
    owner: str = ""

    @property
    def legal_name(self) -> str:
        if self.kind == "individual" and self.owner and self.form.endswith("店"):
            return f"{self.city}市{self.district}{self.trade_name}{self.form}"
        return f"{self.city}市{self.trade_name}{self.trade}{self.form}" if self.kind != "individual" \
            else f"{self.city}市{self.district}{self.trade_name}{self.form}"


class IndependentSellers:
    """Sellers and the records ten regions file about them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_codes: set[str] = set()
        self.agents = [self._mobile() for _ in range(25)]  # logistics / agency numbers filed for many sellers
        self.parks: dict[str, tuple[str, str]] = {}  # city -> (park address, switchboard)

    def _mobile(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice(string.digits) for _ in range(9))

    def _landline(self, city: str) -> str:
        area = CITIES[city][2]
        return f"{area}-{self.rng.choice('2345678')}{''.join(self.rng.choice(string.digits) for _ in range(7))}"

    def _code(self, city: str, individual: bool) -> str:
        while True:
            code = credit_code(self.rng, city, individual)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def _address(self, city: str, district: str) -> str:
        rng = self.rng
        street = rng.choice(CITIES[city][4])
        tail = rng.choice((f"{rng.randint(1, 999)}号", f"{rng.randint(1, 300)}号{rng.randint(1, 30)}栋{rng.randint(101, 2308)}室",
                           f"{rng.randint(1, 88)}号{rng.choice('ABCDE')}座{rng.randint(2, 28)}楼",
                           f"{rng.randint(1, 500)}号{rng.randint(1, 6)}楼{rng.randint(1, 60)}号铺"))
        return f"{district}{street}{tail}"

    def _shop_url(self, rng: random.Random) -> str:
        roll = rng.random()
        track = rng.choice(("spm=a21n57.1.0.0", "from=share", "utm_source=wechat&utm_medium=c", "ref=search",
                            "sourceType=other&suid=9a3c", "share_token=" + "".join(rng.choice(string.ascii_letters)
                                                                                     for _ in range(10))))
        if roll < 0.45:  # the path form
            host = rng.choice(PLATFORM_HOSTS + ("www.haoshop.cn", "mall.91mall.com", "m.youpin.cn"))
            return f"https://{host}/shop{rng.randint(10_000, 99_999_999)}?{track}"
        if roll < 0.7:  # Douyin shop pages, ids with letters
            sid = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(8, 12)))
            return rng.choice((f"https://haohuo.jinritemai.com/views/shop/index?id={sid}&{track}",
                               f"https://haohuo.jinritemai.com/ecommerce/trade/shop/index.html?sec_shop_id={sid}",
                               f"https://www.douyin.com/shop/{sid}?{track}"))
        if roll < 0.85:
            return f"https://shop{rng.randint(100_000, 999_999_999)}.taobao.com/index.htm?{track}"
        if roll < 0.93:
            return f"https://mall.jd.com/index-{rng.randint(1_000_000, 19_999_999)}.html?{track}"
        return f"https://mobile.yangkeduo.com/mall_page.html?mall_id={rng.randint(100_000, 999_999_999)}&{track}"

    def seller(self, key: int, trade_name: str | None = None, city: str | None = None,
               kind: str | None = None) -> Seller:
        """A new entity (optionally with a given trade name, city and kind: namesakes)."""
        rng = self.rng
        kind = kind or rng.choices(("company", "individual", "shop"), (60, 30, 10))[0]
        city = city or rng.choice(list(CITIES))
        district = rng.choice(CITIES[city][3])
        if trade_name is None:
            roll = rng.random()
            if roll < 0.03:
                trade_name = rng.choice(LATIN_TRADE)
            elif roll < 0.08 and kind == "individual":
                trade_name = rng.choice(SURNAMES) + rng.choice(("记", "氏", "家", "师傅"))
            elif roll < 0.16:  # a common word: unrelated sellers share it by chance
                trade_name = rng.choice(TRADE_WORDS)
            else:  # most trade names are rarer coinages
                trade_name = rng.choice(TRADE_WORDS)[0] + rng.choice(TRADE_WORDS)[1] + (
                    rng.choice(TRADE_WORDS)[0] if rng.random() < 0.15 else "")
        trade = rng.choice(TRADES)
        if kind == "company" or kind == "shop":
            form = rng.choices([f for f, _ in COMPANY_FORMS], [w for _, w in COMPANY_FORMS])[0]
        else:
            form = rng.choice(INDIVIDUAL_FORMS)
        code = self._code(city, kind == "individual") if rng.random() < (0.85 if kind != "individual" else 0.6) else None
        phones = [self._mobile()] + ([self._landline(city)] if rng.random() < 0.5 else [])
        address = self._address(city, district)
        if rng.random() < 0.08:  # a business park: many firms, one address and one switchboard
            park = self.parks.setdefault(city, (self._address(city, district), self._landline(city)))
            address = park[0]
            phones.append(park[1])
        s = Seller(key, kind, city, district, trade_name, trade, form, code, phones, address,
                   owner=rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else ""))
        if kind != "individual" or rng.random() < 0.5:
            for _ in range(rng.choice((1, 1, 1, 2))):
                s.shop_names.append(trade_name + rng.choice(SHOP_FORMS))
                s.shop_urls.append(self._shop_url(rng))
        return s

    # --- how people write things

    def _noisy(self, text: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            chars = [c for c in text]
            idx = [k for k, c in enumerate(chars) if c in TYPOS]
            if idx:
                k = rng.choice(idx)
                chars[k] = TYPOS[chars[k]]
            return "".join(chars)
        if roll < 0.07 and len(text) > 6:
            k = rng.randrange(1, len(text) - 1)
            return text[:k] + text[k + 1:]
        if roll < 0.12:
            return "".join(TRADITIONAL.get(c, c) for c in text)
        if roll < 0.16:
            return text.replace("（", "(").replace("）", ")") + rng.choice((" ", "　", ""))
        return text

    def _name(self, s: Seller) -> str:
        rng = self.rng
        province, short = CITIES[s.city][0], CITIES[s.city][1]
        options = [(s.legal_name, 30)]
        if s.kind != "individual":
            options += [(f"{s.trade_name}（{s.city}）{s.trade}{s.form}", 6),
                        (f"{province}{s.city}市{s.trade_name}{s.trade}{s.form}" if s.city not in MUNICIPAL
                         else s.legal_name, 4),
                        (f"{short}{s.trade_name}{s.trade}{s.form}", 3),
                        (f"{s.trade_name}{s.trade}{s.form}", 10),
                        (f"{s.trade_name}{s.trade}", 4)]
        else:
            options += [(f"{s.trade_name}{s.form}", 14), (f"{s.district}{s.trade_name}{s.form}", 6),
                        (f"{s.legal_name}（个体工商户）", 3), (f"{s.owner}（{s.trade_name}{s.form}）", 2)]
        if s.shop_names:
            options.append((rng.choice(s.shop_names), 25))
        name = rng.choices([o for o, _ in options], [w for _, w in options])[0]
        return self._noisy(name)

    def _code_text(self, code: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.06:  # one character mistyped
            k = rng.randrange(18)
            return code[:k] + rng.choice([c for c in CODE_CHARS if c != code[k]]) + code[k + 1:]
        if roll < 0.12:
            return code.lower()
        if roll < 0.17:
            return f"{code[:6]} {code[6:12]} {code[12:]}"
        if roll < 0.2:
            return code.replace("0", "O", 1)
        if roll < 0.23:
            return "统一社会信用代码：" + code
        return code

    def _phone_text(self, phone: str) -> str:
        rng = self.rng
        if "-" in phone:
            area, local = phone.split("-")
            return rng.choice((phone, f"({area}){local}", f"{area} {local}", f"+86-{area[1:]}-{local}", local,
                               f"{phone} 转 {rng.randint(800, 899)}", f"{area}{local}"))
        return rng.choice((phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", f"+86 {phone}", f"86{phone}",
                           f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"手机：{phone}", f"(+86){phone}"))

    def _address_text(self, s: Seller) -> str:
        rng = self.rng
        province, short = CITIES[s.city][0], CITIES[s.city][1]
        city = "" if s.city in MUNICIPAL else f"{s.city}市"
        prov = province if s.city not in MUNICIPAL else f"{s.city}市"
        text = rng.choice((f"{prov}{city}{s.address}", f"{city}{s.address}", f"{short}{s.city}{s.address}",
                           f"{prov} {city} {s.address}", f"{s.address}（{s.city}）"))
        return self._noisy(text) if rng.random() < 0.5 else text

    def record(self, s: Seller, region: str) -> dict[str, str]:
        """What one region files about `s`."""
        rng = self.rng
        rec = {"name": self._name(s), "region": region}
        if s.code and rng.random() < 0.6:
            rec["uscc"] = self._code_text(s.code)
        roll = rng.random()
        if roll < 0.04:
            rec["phone"] = self._phone_text(rng.choice(self.agents))
        elif roll < 0.68:
            rec["phone"] = self._phone_text(rng.choice(s.phones))
        if rng.random() < 0.55:
            rec["address"] = self._address_text(s)
        if s.shop_urls and rng.random() < 0.45:
            rec["shop_url"] = rng.choice(s.shop_urls)
        return rec

    def weak(self, s: Seller, region: str) -> dict[str, str]:
        """A record with only a shop-style name: no place, no identifier."""
        name = self.rng.choice(s.shop_names) if s.shop_names else f"{s.trade_name}{self.rng.choice(INDIVIDUAL_FORMS)}"
        return {"name": self._noisy(name), "region": region}

    def legal_only(self, s: Seller, region: str) -> dict[str, str]:
        """A record with only the full legal name (city + trade name + trade + form)."""
        return {"name": s.legal_name, "region": region}


def independent_sellers(entities: int = 1850, seed: int = 11) -> Iterator[tuple[dict[str, str], int]]:
    """Records filed by ten regions about `entities` sellers, shuffled, with the entity of each."""
    gen = IndependentSellers(seed)
    rng = gen.rng
    sellers: list[Seller] = []
    key = 0
    while len(sellers) < entities:
        base = gen.seller(key)
        sellers.append(base)
        key += 1
        roll = rng.random()
        if roll < 0.1 and len(sellers) < entities:  # a namesake elsewhere, maybe of another legal form
            other_city = rng.choice([c for c in CITIES if c != base.city])
            sellers.append(gen.seller(key, base.trade_name, other_city, kind=rng.choice(("company", "individual"))))
            key += 1
        elif roll < 0.13 and len(sellers) < entities:  # a sister company: same group name, other trade, same place
            sister = gen.seller(key, base.trade_name, base.city, kind="company")
            sister.address, sister.phones = base.address, base.phones[-1:] + sister.phones[:1]
            sister.district = base.district
            sellers.append(sister)
            key += 1
    rows: list[tuple[dict[str, str], int]] = []
    for s in sellers:
        home = PROVINCE_CODES[CITIES[s.city][0]]
        n = min(9, max(1, int(rng.paretovariate(1.3))))
        for _ in range(n):
            region = home if rng.random() < 0.4 else rng.choice(REGIONS)
            rows.append((gen.record(s, region), s.key))
        if s.shop_names and rng.random() < 0.2:
            rows.append((gen.weak(s, rng.choice(REGIONS)), s.key))
        if s.kind != "shop" and rng.random() < 0.2:
            rows.append((gen.legal_only(s, rng.choice(REGIONS)), s.key))
    rng.shuffle(rows)
    for n, (rec, entity) in enumerate(rows):
        yield {"id": f"i{n}", **rec}, entity
