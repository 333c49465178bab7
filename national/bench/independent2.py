"""A second independent seller-dedup set, written from another view than `independent.py`.

Written by a different engineer (dedup5, session 5) BEFORE any change to the engine, from what
market-supervision and platform seller records look like rather than from the normalizer. It
imports nothing from `national.dedup` and shares no table with `independent.py` or
`generate.py`: other provinces and cities (inland and northern ones, and district names that
exist in several cities: 鼓楼区, 西湖区, 朝阳区, 新华区), other trade names (three-character
coinages, old-shop names ending in 记/坊/堂/阁, Latin and pinyin names written in mixed case),
other trades and legal forms (个人独资企业, 合伙企业, 厂, 经销部, 营业部, 超市, X行), other shop
styles (trade word + 旗舰店, 源头工厂, 甄选, 好物), its own typo model (pinyin-input homophones,
look-alikes, swapped neighbours, a dropped character, an inserted space, full-width Latin
letters) and its own URL shapes (Tmall sub-domains, `view_shop.htm?user_number_id=`, mobile
Taobao `shop_index.htm?shop_id=`, JD `shopId=`, Pinduoduo `mall_id=`, Douyin `id=` /
`shop_id=`, Kuaishou `?id=`, Weidian `userid=`, 1688 sub-domains, upper-case hosts, `http:`,
fragments and trailing slashes).

The error classes of issue 11 are planted:

* shop-style names only (XX旗舰店, XX经营部, XX家居专营店), no place, no identifier, including trade
  names several entities in different cities share;
* only the full legal name with city and legal form (XX市YY商贸有限公司) — it must meet the
  entity's records carrying identifiers;
* conflicting cities: a name with one city against the same trade name with another city;
* conflicting valid credit codes on near names (two firms, one-character-apart trade names);
* the same trade name under different legal forms in different places (a company in one city,
  an individual business in another);
* platform shop URLs of many shapes; short share links (m.tb.cn, v.douyin.com) that identify
  nothing by themselves;
* one firm filed under several mobiles (staff numbers), and agents' phones filed for many firms;
* sister companies of one group in the same building.

Truth is the entity behind each record.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

# city -> (province, area code, division code, districts)
CITY: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "长沙": ("湖南省", "0731", "430100", ("岳麓区", "芙蓉区", "天心区", "开福区", "雨花区")),
    "株洲": ("湖南省", "0731", "430200", ("天元区", "芦淞区", "荷塘区")),
    "南昌": ("江西省", "0791", "360100", ("西湖区", "东湖区", "青山湖区", "红谷滩区")),
    "合肥": ("安徽省", "0551", "340100", ("蜀山区", "包河区", "庐阳区", "瑶海区")),
    "西安": ("陕西省", "029", "610100", ("雁塔区", "碑林区", "未央区", "新城区")),
    "重庆": ("重庆市", "023", "500000", ("渝中区", "江北区", "九龙坡区", "南岸区")),
    "天津": ("天津市", "022", "120000", ("和平区", "河西区", "南开区", "滨海新区")),
    "昆明": ("云南省", "0871", "530100", ("五华区", "盘龙区", "官渡区")),
    "南宁": ("广西壮族自治区", "0771", "450100", ("青秀区", "兴宁区", "西乡塘区")),
    "石家庄": ("河北省", "0311", "130100", ("长安区", "桥西区", "新华区", "裕华区")),
    "保定": ("河北省", "0312", "130600", ("竞秀区", "莲池区")),
    "济南": ("山东省", "0531", "370100", ("历下区", "市中区", "槐荫区", "天桥区")),
    "沈阳": ("辽宁省", "024", "210100", ("和平区", "沈河区", "皇姑区", "铁西区")),
    "大连": ("辽宁省", "0411", "210200", ("中山区", "西岗区", "沙河口区", "甘井子区")),
    "哈尔滨": ("黑龙江省", "0451", "230100", ("道里区", "南岗区", "香坊区")),
    "长春": ("吉林省", "0431", "220100", ("朝阳区", "南关区", "宽城区")),
    "贵阳": ("贵州省", "0851", "520100", ("南明区", "云岩区", "观山湖区")),
    "福州": ("福建省", "0591", "350100", ("鼓楼区", "台江区", "仓山区", "晋安区")),
    "莆田": ("福建省", "0594", "350300", ("城厢区", "荔城区", "秀屿区")),
    "徐州": ("江苏省", "0516", "320300", ("鼓楼区", "云龙区", "泉山区")),
    "无锡": ("江苏省", "0510", "320200", ("梁溪区", "滨湖区", "新吴区")),
    "常州": ("江苏省", "0519", "320400", ("天宁区", "钟楼区", "武进区")),
    "嘉兴": ("浙江省", "0573", "330400", ("南湖区", "秀洲区")),
    "金华": ("浙江省", "0579", "330700", ("婺城区", "金东区")),
    "中山": ("广东省", "0760", "442000", ("石岐街道", "东区街道", "小榄镇", "古镇镇")),
    "珠海": ("广东省", "0756", "440400", ("香洲区", "斗门区", "金湾区")),
    "惠州": ("广东省", "0752", "441300", ("惠城区", "惠阳区")),
    "揭阳": ("广东省", "0663", "445200", ("榕城区", "揭东区")),
}
MUNICIPALITIES = ("重庆", "天津")
PROVINCE_REGION = {"湖南省": "430000", "江西省": "360000", "安徽省": "340000", "陕西省": "610000",
                   "重庆市": "500000", "天津市": "120000", "云南省": "530000", "广西壮族自治区": "450000",
                   "河北省": "130000", "山东省": "370000", "辽宁省": "210000", "黑龙江省": "230000",
                   "吉林省": "220000", "贵州省": "520000", "福建省": "350000", "江苏省": "320000",
                   "浙江省": "330000", "广东省": "440000"}
FILERS = sorted(set(PROVINCE_REGION.values()))
STREET_WORDS = ("人民", "解放", "建设", "中山", "新华", "胜利", "文化", "和平", "青年", "光明", "长江", "黄河",
                "银河", "迎宾", "工业", "科技", "商业", "学府", "滨江", "体育")
BUILDINGS = ("国际大厦", "商务中心", "电商产业园", "创业园", "时代广场", "金融中心", "小商品城", "服装城", "物流园",
             "科技园")

# a different vocabulary: syllables combined into coinages of two or three characters
HEADS = "金银玉宝福禄寿喜祥瑞恒久昌隆兴旺泰康宁安顺达通汇聚鑫森淼焱垚晶鼎诚信德仁义礼智和合"
TAILS = "源泉海川峰岭林木禾田丰盈满盛茂荣华辉耀光明亮星月阳晨曦雅韵轩阁苑居坊堂斋"
OLD_SHOP = ("记", "坊", "堂", "阁", "斋", "轩")
LATIN = ("MOKA", "Nordy", "VIVIKA", "Tansy", "lemo", "Ouzen", "Kyrie", "ZAZA", "Bobbi", "Cofo", "Dreamy", "Epoq",
         "Fitto", "Gelu", "Hoko", "Ivio", "Joya", "Kamo", "Lulus", "Mimo")
PINYIN = ("Xinyuan", "Jiahe", "Ruixiang", "Hengtai", "Longsheng", "Baifu", "Jinpeng", "Tianyi")
FAMILY = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
TRADE = ("农业科技", "建材", "灯饰", "陶瓷", "茶叶", "美容美发", "医疗器械", "宠物用品", "办公用品", "珠宝", "钟表",
         "乐器", "床上用品", "卫浴", "厨具", "渔具", "调味品", "文具", "皮革", "针织", "家纺", "塑料制品",
         "包装材料", "机械设备", "光电", "信息技术", "软件", "电子科技", "商贸", "贸易", "服饰", "鞋服", "化妆品",
         "食品", "日化", "母婴", "家具", "照明", "汽车用品", "户外")
# how people shorten a trade word in a shop name
TRADE_SHORT = {"床上用品": "床品", "美容美发": "美发", "医疗器械": "医疗", "宠物用品": "宠物", "办公用品": "办公",
               "汽车用品": "汽车", "塑料制品": "塑料", "包装材料": "包装", "机械设备": "机械", "信息技术": "信息",
               "农业科技": "农业", "电子科技": "电子"}
COMPANY = (("有限公司", 60), ("有限责任公司", 14), ("股份有限公司", 3), ("个人独资企业", 4),
           ("合伙企业（有限合伙）", 2), ("厂", 5))
SOLE = ("经销部", "营业部", "经营部", "商行", "批发部", "门市部", "超市", "便利店", "工作室", "店")
SHOP = ("旗舰店", "官方旗舰店", "专营店", "专卖店", "官方企业店", "品牌店", "自营店", "源头工厂", "工厂直销店", "甄选",
        "好物店", "的店", "小店", "精品馆")

# pinyin-input slips (same reading, other character) and look-alikes: this author's own table
SLIP = {"金": "今", "银": "很", "玉": "王", "宝": "保", "福": "富", "禄": "录", "寿": "受", "喜": "嘻", "祥": "详",
        "瑞": "锐", "恒": "横", "久": "九", "昌": "倡", "隆": "龙", "兴": "星", "旺": "望", "泰": "太", "康": "慷",
        "宁": "柠", "安": "案", "顺": "瞬", "达": "答", "通": "同", "汇": "会", "聚": "巨", "鑫": "新", "森": "深",
        "晶": "精", "鼎": "顶", "诚": "城", "信": "心", "德": "得", "仁": "人", "义": "意", "智": "志", "和": "合",
        "源": "元", "泉": "全", "海": "每", "川": "州", "峰": "锋", "林": "琳", "禾": "和", "田": "甜", "丰": "风",
        "盈": "赢", "满": "蛮", "盛": "圣", "茂": "贸", "荣": "容", "华": "化", "辉": "挥", "光": "广", "明": "名",
        "星": "新", "阳": "洋", "晨": "辰", "雅": "亚", "轩": "宣", "阁": "格", "苑": "园", "坊": "房", "堂": "唐",
        "贸": "茂", "商": "尚", "科": "料", "技": "枝", "饰": "式", "鞋": "蛙", "品": "晶", "具": "俱", "器": "噐"}
TRAD = {"华": "華", "贸": "貿", "丰": "豐", "龙": "龍", "兴": "興", "汇": "匯", "达": "達", "宝": "寶", "银": "銀",
        "业": "業", "电": "電", "饰": "飾", "灯": "燈", "陶": "陶", "钟": "鐘", "乐": "樂", "厨": "廚", "纺": "紡",
        "装": "裝", "设": "設", "备": "備", "软": "軟", "件": "件", "鞋": "鞋", "发": "發", "顺": "順", "寿": "壽",
        "禄": "祿", "泰": "泰", "荣": "榮", "辉": "輝", "阳": "陽", "门": "門", "经": "經", "销": "銷", "营": "營",
        "责": "責", "任": "任", "贸易": "貿易", "长": "長", "沙": "沙", "庆": "慶", "广": "廣", "东": "東"}
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHT = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(body17: str) -> str:
    """GB 32100 check character of the first 17 characters (computed here, not imported)."""
    s = sum(CHARSET.index(c) * w for c, w in zip(body17, WEIGHT, strict=True))
    return CHARSET[(31 - s % 31) % 31]


@dataclass
class Firm:
    """The truth behind a group of records."""

    key: int
    kind: str  # company | sole (individual business) | online (operates shops only, registered as a company)
    city: str
    district: str
    brand: str
    trade: str
    form: str
    code: str | None
    mobiles: list[str]
    landline: str | None
    address: str
    shops: list[tuple[str, str]] = field(default_factory=list)  # (shop name, canonical url maker seed)
    owner: str = ""

    def legal(self) -> str:
        if self.kind == "sole":
            if self.form in ("店", "超市", "便利店"):
                return f"{self.city}市{self.district}{self.brand}{self.trade}{self.form}"
            return f"{self.city}市{self.district}{self.brand}{self.form}"
        if self.form == "厂":
            return f"{self.city}市{self.brand}{self.trade}{self.form}"
        return f"{self.city}{'' if self.city in MUNICIPALITIES else '市'}{self.brand}{self.trade}{self.form}"


class Market:
    """Firms of a market and the records eighteen provincial offices file about them."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed * 7919 + 3)
        self.codes: set[str] = set()
        self.agents = [self.mobile() for _ in range(30)]
        self.building: dict[str, tuple[str, str]] = {}

    # --- identifiers
    def mobile(self) -> str:
        return self.r.choice(("13", "15", "17", "18", "19")) + "".join(self.r.choice(string.digits) for _ in range(9))

    def landline(self, city: str) -> str:
        area = CITY[city][1]
        n = 7 if len(area) == 4 else 8
        return f"{area}-{self.r.choice('3568')}{''.join(self.r.choice(string.digits) for _ in range(n - 1))}"

    def code(self, city: str, sole: bool) -> str:
        while True:
            body = ("92" if sole else "91") + CITY[city][2] + "".join(self.r.choice(CHARSET) for _ in range(9))
            full = body + check_character(body)
            if full not in self.codes:
                self.codes.add(full)
                return full

    def near_code(self, code: str) -> str:
        """Another VALID code two characters away (a different firm whose code reads nearly the same)."""
        while True:
            chars = list(code[:17])
            for k in self.r.sample(range(8, 17), 2):
                chars[k] = self.r.choice([c for c in CHARSET if c != chars[k]])
            body = "".join(chars)
            full = body + check_character(body)
            if full not in self.codes:
                self.codes.add(full)
                return full

    def street_address(self, city: str, district: str) -> str:
        r = self.r
        road = r.choice(STREET_WORDS) + r.choice(("路", "大道", "街", "东路", "西路", "北路", "南路"))
        roll = r.random()
        if roll < 0.4:
            tail = f"{r.randint(1, 888)}号"
        elif roll < 0.7:
            tail = f"{r.randint(1, 300)}号{r.choice(BUILDINGS)}{r.randint(2, 30)}楼{r.randint(1, 30):02d}室"
        elif roll < 0.85:
            tail = f"{r.randint(1, 200)}号{r.choice('ABCDEF')}栋{r.randint(101, 1999)}"
        else:
            tail = f"{r.randint(1, 99)}号{r.choice(BUILDINGS)}{r.choice('一二三四')}楼{r.randint(1, 400)}号铺位"
        return f"{district}{road}{tail}"

    # --- names
    def brand(self, kind: str) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.05:
            return r.choice(LATIN)
        if roll < 0.08:
            return r.choice(PINYIN)
        if roll < 0.16 and kind == "sole":
            return r.choice(FAMILY) + r.choice(("记", "家", "氏", "大姐", "师傅"))
        if roll < 0.22:
            return r.choice(HEADS) + r.choice(TAILS) + r.choice(OLD_SHOP)
        if roll < 0.40:  # three characters
            return r.choice(HEADS) + r.choice(HEADS + TAILS) + r.choice(TAILS)
        return r.choice(HEADS) + r.choice(TAILS)

    def shop_name(self, f: Firm) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.35:
            return f.brand + r.choice(SHOP)
        if roll < 0.65:  # 品牌 + short trade word + shop style: 金源家纺旗舰店
            return f.brand + TRADE_SHORT.get(f.trade, f.trade) + r.choice(("旗舰店", "专营店", "专卖店", "官方店"))
        if roll < 0.80:
            return f"{f.brand}{r.choice(('官方', '自营', '企业'))}{r.choice(('旗舰店', '店'))}"
        if roll < 0.90:
            return f.brand + r.choice(("源头工厂", "工厂店", "甄选", "好物"))
        return f.brand + r.choice(("的店", "小店", "小铺"))

    def firm(self, key: int, brand: str | None = None, city: str | None = None, kind: str | None = None) -> Firm:
        r = self.r
        kind = kind or r.choices(("company", "sole", "online"), (55, 33, 12))[0]
        city = city or r.choice(list(CITY))
        district = r.choice(CITY[city][3])
        brand = brand or self.brand(kind)
        trade = r.choice(TRADE)
        if kind == "sole":
            form = r.choice(SOLE)
        else:
            form = r.choices([x for x, _ in COMPANY], [w for _, w in COMPANY])[0]
        code = self.code(city, kind == "sole") if r.random() < (0.55 if kind == "sole" else 0.8) else None
        mobiles = [self.mobile() for _ in range(r.choice((1, 1, 1, 2, 3)))]
        landline = self.landline(city) if r.random() < 0.45 else None
        address = self.street_address(city, district)
        f = Firm(key, kind, city, district, brand, trade, form, code, mobiles, landline, address,
                 owner=r.choice(FAMILY) + "".join(r.choice("建国志强秀英丽华文军海燕红梅小明晓东") for _ in range(r.choice((1, 2)))))
        shops = 0 if kind == "sole" and r.random() < 0.5 else r.choice((1, 1, 2, 3) if kind == "online" else (1, 1, 2))
        for _ in range(shops):
            f.shops.append((self.shop_name(f), self.shop_url_id()))
        return f

    def shop_url_id(self) -> str:
        r = self.r
        platform = r.choices(("tmall", "taobao", "jd", "pdd", "douyin", "kuaishou", "weidian", "1688"),
                             (18, 22, 14, 14, 14, 6, 6, 6))[0]
        if platform in ("tmall", "1688"):
            ident = "".join(r.choice(string.ascii_lowercase) for _ in range(r.randint(4, 9))) + r.choice(("", "jj", "sm", "88"))
        elif platform == "douyin":
            ident = "".join(r.choice(string.ascii_letters) for _ in range(8))
        else:
            ident = str(r.randint(10_000, 2_999_999_999))
        return f"{platform}|{ident}|{r.randint(10_000_000, 3_999_999_999)}"

    def url_text(self, shop_id: str) -> str:
        """One of several URL shapes a person copies for the same shop."""
        r = self.r
        platform, ident, number = shop_id.split("|")
        tail = r.choice(("", "", f"?spm=a1z10.{r.randint(1, 9)}.0.0", f"?from=share&share_id={r.randint(1, 99999)}",
                         f"?utm_campaign=cps{r.randint(1, 999)}", "#/", "/"))
        scheme = r.choice(("https://", "https://", "http://"))
        if platform == "tmall":
            url = r.choice((f"{ident}.tmall.com", f"{ident}.tmall.com/shop/view_shop.htm",
                            f"{ident}.m.tmall.com", f"{ident}.tmall.com/index.htm"))
        elif platform == "taobao":
            url = r.choice((f"shop{ident}.taobao.com", f"shop{ident}.taobao.com/index.htm",
                            f"shop.m.taobao.com/shop/shop_index.htm?shop_id={ident}",
                            f"shop{ident}.m.taobao.com"))
        elif platform == "jd":
            url = r.choice((f"mall.jd.com/index-{ident}.html", f"shop.m.jd.com/?shopId={ident}",
                            f"shop.m.jd.com/shop/home?shopId={ident}", f"mall.jd.com/view_search-{ident}-0-0-1-24-1.html"))
        elif platform == "pdd":
            url = r.choice((f"mobile.yangkeduo.com/mall_page.html?mall_id={ident}",
                            f"mobile.pinduoduo.com/mall_page.html?mall_id={ident}",
                            f"yangkeduo.com/mall_page.html?mall_id={ident}&refer_page_name=goods_detail"))
        elif platform == "douyin":
            url = r.choice((f"haohuo.jinritemai.com/views/shop/index?id={ident}",
                            f"haohuo.jinritemai.com/ecommerce/trade/shop/index.html?shop_id={ident}",
                            f"haohuo.jinritemai.com/views/shop/index?shop_id={ident}&origin_type=pc"))
        elif platform == "kuaishou":
            url = r.choice((f"shop.kwaixiaodian.com/shop?id={ident}", f"app.kwaixiaodian.com/page/kwaishop-c-shop?sellerId={ident}"))
        elif platform == "weidian":
            url = r.choice((f"weidian.com/?userid={ident}", f"shop{ident}.v.weidian.com/", f"weidian.com/s/{ident}"))
        else:  # 1688
            url = r.choice((f"{ident}.1688.com", f"{ident}.1688.com/page/index.htm", f"shop{ident}.1688.com"))
        if r.random() < 0.08:  # somebody typed the host in capitals
            host, _, rest = url.partition("/")
            url = host.upper() + ("/" + rest if rest else "")
        if "?" in url and tail == "/":
            tail = ""
        sep = "&" if "?" in url and tail.startswith("?") else ""
        return scheme + url + ((sep + tail[1:]) if sep else tail)

    def share_link(self) -> str:
        """A short share link: each share gets its own; it identifies nothing by itself."""
        r = self.r
        code = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(r.randint(6, 9)))
        return r.choice((f"https://m.tb.cn/h.{code}", f"https://v.douyin.com/{code}/", f"https://u.jd.com/{code}"))

    # --- how records get written
    def slip(self, text: str) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.05:  # a pinyin-input or look-alike slip in the trade name or trade
            positions = [k for k, c in enumerate(text) if c in SLIP]
            if positions:
                k = r.choice(positions)
                return text[:k] + SLIP[text[k]] + text[k + 1:]
            return text
        if roll < 0.07 and len(text) >= 6:  # two neighbours swapped
            k = r.randrange(len(text) - 1)
            return text[:k] + text[k + 1] + text[k] + text[k + 2:]
        if roll < 0.09 and len(text) >= 8:  # a character left out
            k = r.randrange(2, len(text) - 1)
            return text[:k] + text[k + 1:]
        if roll < 0.14:  # traditional characters (a Hong Kong/Taiwan style form, or a copy from an old licence)
            for s, t in TRAD.items():
                text = text.replace(s, t)
            return text
        if roll < 0.18:  # spaces and full-width letters
            text = text.translate({ord(c): ord(c) + 0xFEE0 for c in string.ascii_letters}) if r.random() < 0.5 else text
            k = r.randrange(1, max(2, len(text)))
            return text[:k] + r.choice((" ", "　")) + text[k:]
        if roll < 0.21:  # Latin case
            return text.lower() if r.random() < 0.5 else text.upper()
        return text

    def name(self, f: Firm) -> str:
        r = self.r
        province = CITY[f.city][0]
        legal = f.legal()
        choices: list[tuple[str, float]] = [(legal, 30)]
        if f.kind != "sole":
            bare_city = f.city
            choices += [
                (f"{province}{legal}" if f.city not in MUNICIPALITIES else legal, 5),
                (f"{bare_city}{f.brand}{f.trade}{f.form}", 6),           # 长沙金源商贸有限公司 (no 市)
                (f"{f.brand}{f.trade}（{bare_city}）{f.form}" if f.form != "厂" else legal, 4),  # place after the trade
                (f"{f.brand}（{bare_city}）{f.trade}{f.form}" if f.form != "厂" else legal, 3),
                (f"{f.brand}{f.trade}{f.form}", 10),                   # no place
                (f"{f.brand}{f.trade}", 3),
                (f"{f.brand}{'公司' if f.form != '厂' else '厂'}", 2),  # 金源公司
            ]
        else:
            choices += [(f"{f.brand}{f.form}" if f.form not in ("店", "超市", "便利店") else f"{f.brand}{f.trade}{f.form}", 12),
                        (f"{f.district}{f.brand}{f.form}", 4),
                        (f"{legal}（个体工商户）", 3),
                        (f"{f.owner}", 1),  # only the operator's name
                        (f"{f.city}市{f.district}{f.brand}{f.form}（{f.owner}）", 2)]
        if f.shops:
            choices.append((r.choice(f.shops)[0], 24))
        text = r.choices([c for c, _ in choices], [w for _, w in choices])[0]
        return self.slip(text)

    def code_text(self, code: str) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.05:  # one character mistyped
            k = r.randrange(18)
            return code[:k] + r.choice([c for c in CHARSET if c != code[k]]) + code[k + 1:]
        if roll < 0.08:  # two neighbours swapped
            k = r.randrange(17)
            return code[:k] + code[k + 1] + code[k] + code[k + 2:]
        if roll < 0.12:
            return code.lower()
        if roll < 0.16:
            return " ".join(code[k:k + 4] for k in range(0, 18, 4))
        if roll < 0.19:
            return "信用代码:" + code
        if roll < 0.22:
            return code.translate({ord(c): ord(c) + 0xFEE0 for c in code})  # full width
        return code

    def phone_text(self, number: str) -> str:
        r = self.r
        if "-" in number:
            area, local = number.split("-")
            return r.choice((number, f"{area}{local}", f"（{area}）{local}", f"+86 {area[1:]} {local}",
                             f"{area}-{local[:4]}-{local[4:]}", local, f"电话：{number}", f"{number}-{r.randint(1, 99)}"))
        return r.choice((number, f"{number[:3]} {number[3:7]} {number[7:]}", f"{number[:3]}-{number[3:7]}-{number[7:]}",
                         f"+86{number}", f"+86-{number}", f"手机/微信同号 {number}", f"0086 {number}"))

    def address_text(self, f: Firm) -> str:
        r = self.r
        province = CITY[f.city][0]
        city = f"{f.city}市"
        if f.city in MUNICIPALITIES:
            return r.choice((f"{city}{f.address}", f"{f.city}{f.address}", f.address if r.random() < 0.3 else f"{city}{f.address}"))
        return r.choice((f"{province}{city}{f.address}", f"{city}{f.address}", f"{province[:-1]}{f.city}{f.address}",
                         f"{province} {city}{f.address}", f"{f.city}{f.address}"))

    def record(self, f: Firm, filer: str) -> dict[str, str]:
        r = self.r
        rec = {"name": self.name(f), "region": filer}
        if f.code and r.random() < 0.55:
            rec["uscc"] = self.code_text(f.code)
        roll = r.random()
        if roll < 0.05:
            rec["phone"] = self.phone_text(r.choice(self.agents))
        elif roll < 0.45:
            rec["phone"] = self.phone_text(r.choice(f.mobiles))
        elif roll < 0.62 and f.landline:
            rec["phone"] = self.phone_text(f.landline)
        elif roll < 0.66:
            numbers = f.mobiles + ([f.landline] if f.landline else [])
            rec["phone"] = " / ".join(r.sample(numbers, min(2, len(numbers))))
        if r.random() < 0.5:
            rec["address"] = self.slip(self.address_text(f)) if r.random() < 0.3 else self.address_text(f)
        if f.shops and r.random() < 0.5:
            rec["shop_url"] = self.share_link() if r.random() < 0.1 else self.url_text(r.choice(f.shops)[1])
        return rec

    def shop_only(self, f: Firm, filer: str) -> dict[str, str]:
        """Only a shop-style or trade name: no place, no identifier."""
        r = self.r
        if f.shops:
            name = r.choice(f.shops)[0]
        else:
            name = f.brand + r.choice(("经营部", "商行", "批发部")) if f.kind == "sole" else f.brand + TRADE_SHORT.get(f.trade, f.trade)
        return {"name": self.slip(name), "region": filer}

    def legal_only(self, f: Firm, filer: str) -> dict[str, str]:
        """Only the full legal name with city and legal form."""
        return {"name": f.legal(), "region": filer}


def independent2_sellers(entities: int = 1850, seed: int = 21) -> Iterator[tuple[dict[str, str], int]]:
    """Records filed about `entities` firms, shuffled, each with its firm's key (the truth)."""
    m = Market(seed)
    r = m.r
    firms: list[Firm] = []
    key = 0

    def add(f: Firm) -> Firm:
        nonlocal key
        firms.append(f)
        key += 1
        return f

    while len(firms) < entities:
        base = add(m.firm(key))
        roll = r.random()
        if len(firms) >= entities:
            break
        if roll < 0.08:  # the same trade name elsewhere, often under another legal form
            for _ in range(r.choice((1, 1, 2, 3))):
                if len(firms) >= entities:
                    break
                city = r.choice([c for c in CITY if c != base.city])
                add(m.firm(key, base.brand, city, r.choice(("company", "sole", "online"))))
        elif roll < 0.11:  # a sister company: same group name and building, another trade
            sister = add(m.firm(key, base.brand, base.city, "company"))
            sister.district, sister.address = base.district, base.address
            if base.landline:
                sister.landline = base.landline
        elif roll < 0.14:  # a near name with its own valid code (one character apart), same city
            twin_brand = base.brand[:-1] + r.choice([c for c in TAILS if c != base.brand[-1]]) \
                if len(base.brand) >= 2 and not base.brand.isascii() else base.brand + "s"
            twin = add(m.firm(key, twin_brand, base.city, base.kind))
            twin.trade = base.trade
            if base.code:
                twin.code = m.near_code(base.code)
        elif roll < 0.17:  # a building shared by firms that have nothing else in common
            place = m.building.setdefault(base.city, (base.address, m.landline(base.city)))
            base.address = place[0]
            base.landline = place[1]
    rows: list[tuple[dict[str, str], int]] = []
    for f in firms:
        home = PROVINCE_REGION[CITY[f.city][0]]
        n = min(10, max(1, int(r.paretovariate(1.25))))
        for _ in range(n):
            filer = home if r.random() < 0.35 else r.choice(FILERS)
            rows.append((m.record(f, filer), f.key))
        if r.random() < 0.22:
            rows.append((m.shop_only(f, r.choice(FILERS)), f.key))
        if f.kind != "online" and r.random() < 0.22:
            rows.append((m.legal_only(f, r.choice(FILERS)), f.key))
    r.shuffle(rows)
    for n, (rec, truth) in enumerate(rows):
        yield {"id": f"j{n}", **rec}, truth
