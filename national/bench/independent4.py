"""A fourth independent seller-dedup set, written blind: its author never read the normalizer or the comparison rules.

Written in session 15 (heldout15) knowing only the record interface (`{"id", "name", "region", "uscc"?,
"phone"?, "address"?, "shop_url"?}`, one entity key per record) and the shape of the third set's module. It
imports nothing from `national`, `regional` or `sync`, and shares no table with `generate.py` or the three
earlier independent sets (places, trades, syllables, person names, roads and URL hosts were checked against
them by grep):

* other places: ten filing regions of the north-east, centre, south-west and north-west (辽宁, 黑龙江, 福建,
  江西, 河南, 湖南, 广西, 四川, 贵州, 陕西), 37 prefecture cities such as 鞍山, 佳木斯, 鹤岗, 三明, 景德镇,
  许昌, 衡阳, 玉林, 宜宾, 六盘水, 宝鸡 and 榆林; district names two cities share (向阳区 in 佳木斯 and 鹤岗),
  near-identical ones (七星区 in 桂林, 七星关区 in 毕节), and the one area code of all Guizhou (0851);
* other trades (蜂产品, 竹编, 刺绣, 石材, 菌菇, 轴承, 酱菜, 米粉, 辣椒制品, 油茶, 帐篷, 假发, 汉服, 腊味, ...),
  trade names from syllable pools of the "new-consumer" style (沐禾, 岚屿, 栖野, 拾川) with homophone pairs
  (岚/澜, 栖/启, 墨/陌) so that sound-alike names of different firms occur, and operator names for individual
  businesses;
* other name patterns: 市+字号+行业+有限公司, 字号+（市）+行业+有限公司, 股份有限公司, 合伙企业（有限合伙）,
  个人独资企业 ending in 厂/坊, individual businesses 区+字号+行业+店/馆/铺 and 区+operator+行业+经营部,
  branches (XX有限公司佳木斯分公司, XX有限公司向阳区营业部) that are separate entities, and shop-style names
  (XX旗舰店, XX官方店, XX严选, 「XX」生活馆, XX的小店, XX工厂直营);
* its own error model: names with one character read as another (OCR: 贸→资, 营→宫, 限→很, 司→可, 品→晶,
  业→亚, ...), 市 dropped or 省 added, 有限公司 vs 有限责任公司, full- or half-width brackets, the place in
  brackets or in front, a pinyin-English name (`Jiamusi Muhe Bee Products Co., Ltd.`); addresses with the
  province or the city dropped, 省/市/区 suffixes dropped, Chinese numerals, 栋/幢/号楼/座, 室 dropped, the
  district after the road in brackets, English word order (`No.88 Panchi Rd, Xiangyang Dist, Jiamusi`);
  phones as 138-1234-5678, 138 1234 5678, +86 / 0086 / (+86), landlines with or without the area code, with
  `转` or `ext.` extensions, several numbers joined by / ； 、 or labelled 电话/手机/Tel, full-width digits;
  credit codes lower-cased, split by spaces or hyphens, with a label, O for 0 or I for 1 (invalid), or the
  older 15-digit registration number;
* its own URL shapes besides the common ones: Youzan (`shopN.youzan.com/v2/showcase/homepage?kdt_id=N`,
  `h5.youzan.com/...?kdt_id=N`), Suning (`shop.suning.com/N/index.html`), JD global (`mall.jd.hk/index-N.html`),
  Tmall global (`slug.tmall.hk`), Taobao `shopN.world.taobao.com`, the path form `https://host/shopN?…` on
  regional mall hosts, share links that identify nothing, and platform home pages filed for many sellers.

The error classes of issue 11 are planted: records with only a shop-style or trade name and no place or
identifier that several entities in different cities share; records carrying only the full legal name (place +
form); namesakes (same trade name and trade) in other cities; the same trade name under other legal forms;
parent and branch (分公司/营业部) with the parent's hotline; neighbours in one office building (other rooms); an
accounting agent's phone filed for unrelated firms.

Truth is the entity behind each record. `independent4_sellers(entities, seed)` yields (record, entity key);
record ids are 'q0', 'q1', ... in output order.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

# --- GB 32100 credit codes and GB 11714 organisation codes (written here, not imported) ---------------------

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def code_check(first17: str) -> str:
    """The GB 32100 check character."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_CHARS[(31 - total % 31) % 31]


def code_valid(code: str) -> bool:
    return len(code) == 18 and all(c in CODE_CHARS for c in code) and code_check(code[:17]) == code[17]


def org_check(first8: str) -> str:
    """The GB 11714 check character of an organisation code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(first8, weights, strict=True))
    rest = 11 - total % 11
    return "X" if rest == 10 else "0" if rest == 11 else str(rest)


# --- places: province -> (filing region, short, pinyin); city -> (province, pinyin, area code, code prefix, districts)

PROVINCES = {
    "辽宁省": ("210000", "辽宁", "Liaoning"), "黑龙江省": ("230000", "黑龙江", "Heilongjiang"),
    "福建省": ("350000", "福建", "Fujian"), "江西省": ("360000", "江西", "Jiangxi"),
    "河南省": ("410000", "河南", "Henan"), "湖南省": ("430000", "湖南", "Hunan"),
    "广西壮族自治区": ("450000", "广西", "Guangxi"), "四川省": ("510000", "四川", "Sichuan"),
    "贵州省": ("520000", "贵州", "Guizhou"), "陕西省": ("610000", "陕西", "Shaanxi"),
}
REGIONS = tuple(v[0] for v in PROVINCES.values())

CITIES: dict[str, tuple[str, str, str, str, tuple[tuple[str, str], ...]]] = {
    "鞍山市": ("辽宁省", "Anshan", "0412", "2103", (("铁东区", "Tiedong"), ("立山区", "Lishan"))),
    "营口市": ("辽宁省", "Yingkou", "0417", "2108", (("站前区", "Zhanqian"), ("鲅鱼圈区", "Bayuquan"))),
    "锦州市": ("辽宁省", "Jinzhou", "0416", "2107", (("古塔区", "Guta"), ("凌河区", "Linghe"))),
    "丹东市": ("辽宁省", "Dandong", "0415", "2106", (("元宝区", "Yuanbao"), ("振安区", "Zhen'an"))),
    "齐齐哈尔市": ("黑龙江省", "Qiqihar", "0452", "2302", (("龙沙区", "Longsha"), ("建华区", "Jianhua"))),
    "牡丹江市": ("黑龙江省", "Mudanjiang", "0453", "2310", (("东安区", "Dong'an"), ("爱民区", "Aimin"))),
    "佳木斯市": ("黑龙江省", "Jiamusi", "0454", "2308", (("向阳区", "Xiangyang"), ("前进区", "Qianjin"))),
    "鹤岗市": ("黑龙江省", "Hegang", "0468", "2304", (("向阳区", "Xiangyang"), ("工农区", "Gongnong"))),
    "三明市": ("福建省", "Sanming", "0598", "3504", (("三元区", "Sanyuan"), ("沙县区", "Shaxian"))),
    "龙岩市": ("福建省", "Longyan", "0597", "3508", (("新罗区", "Xinluo"), ("永定区", "Yongding"))),
    "南平市": ("福建省", "Nanping", "0599", "3507", (("延平区", "Yanping"), ("建阳区", "Jianyang"))),
    "宁德市": ("福建省", "Ningde", "0593", "3509", (("蕉城区", "Jiaocheng"), ("东侨开发区", "Dongqiao"))),
    "赣州市": ("江西省", "Ganzhou", "0797", "3607", (("章贡区", "Zhanggong"), ("南康区", "Nankang"))),
    "景德镇市": ("江西省", "Jingdezhen", "0798", "3602", (("珠山区", "Zhushan"), ("昌江区", "Changjiang"))),
    "九江市": ("江西省", "Jiujiang", "0792", "3604", (("浔阳区", "Xunyang"), ("濂溪区", "Lianxi"))),
    "洛阳市": ("河南省", "Luoyang", "0379", "4103", (("涧西区", "Jianxi"), ("西工区", "Xigong"))),
    "许昌市": ("河南省", "Xuchang", "0374", "4110", (("魏都区", "Weidu"), ("建安区", "Jian'an"))),
    "南阳市": ("河南省", "Nanyang", "0377", "4113", (("宛城区", "Wancheng"), ("卧龙区", "Wolong"))),
    "商丘市": ("河南省", "Shangqiu", "0370", "4114", (("梁园区", "Liangyuan"), ("睢阳区", "Suiyang"))),
    "衡阳市": ("湖南省", "Hengyang", "0734", "4304", (("雁峰区", "Yanfeng"), ("蒸湘区", "Zhengxiang"))),
    "岳阳市": ("湖南省", "Yueyang", "0730", "4306", (("岳阳楼区", "Yueyanglou"), ("云溪区", "Yunxi"))),
    "常德市": ("湖南省", "Changde", "0736", "4307", (("武陵区", "Wuling"), ("鼎城区", "Dingcheng"))),
    "邵阳市": ("湖南省", "Shaoyang", "0739", "4305", (("双清区", "Shuangqing"), ("大祥区", "Daxiang"))),
    "柳州市": ("广西壮族自治区", "Liuzhou", "0772", "4502", (("城中区", "Chengzhong"), ("鱼峰区", "Yufeng"))),
    "桂林市": ("广西壮族自治区", "Guilin", "0773", "4503", (("秀峰区", "Xiufeng"), ("七星区", "Qixing"))),
    "玉林市": ("广西壮族自治区", "Yulin", "0775", "4509", (("玉州区", "Yuzhou"), ("福绵区", "Fumian"))),
    "绵阳市": ("四川省", "Mianyang", "0816", "5107", (("涪城区", "Fucheng"), ("游仙区", "Youxian"))),
    "宜宾市": ("四川省", "Yibin", "0831", "5115", (("翠屏区", "Cuiping"), ("叙州区", "Xuzhou"))),
    "南充市": ("四川省", "Nanchong", "0817", "5113", (("顺庆区", "Shunqing"), ("高坪区", "Gaoping"))),
    "乐山市": ("四川省", "Leshan", "0833", "5111", (("沙湾区", "Shawan"), ("五通桥区", "Wutongqiao"))),
    "遵义市": ("贵州省", "Zunyi", "0851", "5203", (("红花岗区", "Honghuagang"), ("汇川区", "Huichuan"))),
    "六盘水市": ("贵州省", "Liupanshui", "0851", "5202", (("钟山区", "Zhongshan"), ("水城区", "Shuicheng"))),
    "毕节市": ("贵州省", "Bijie", "0851", "5205", (("七星关区", "Qixingguan"), ("金海湖新区", "Jinhaihu"))),
    "铜仁市": ("贵州省", "Tongren", "0851", "5206", (("碧江区", "Bijiang"), ("万山区", "Wanshan"))),
    "宝鸡市": ("陕西省", "Baoji", "0917", "6103", (("渭滨区", "Weibin"), ("金台区", "Jintai"))),
    "咸阳市": ("陕西省", "Xianyang", "029", "6104", (("秦都区", "Qindu"), ("渭城区", "Weicheng"))),
    "榆林市": ("陕西省", "Yulin", "0912", "6108", (("榆阳区", "Yuyang"), ("横山区", "Hengshan"))),
}

ROADS = {"泮池": "Panchi", "望湖": "Wanghu", "榕荫": "Rongyin", "棠梨": "Tangli", "枫林": "Fenglin",
         "聚宝": "Jubao", "嵩阳": "Songyang", "金桥": "Jinqiao", "玉泉": "Yuquan", "丹霞": "Danxia",
         "银杏": "Yinxing", "翠微": "Cuiwei", "临河": "Linhe", "凤鸣": "Fengming", "云杉": "Yunshan",
         "朝晖": "Zhaohui", "鹭洲": "Luzhou", "登高": "Denggao", "鹤鸣": "Heming", "砚池": "Yanchi"}
ROAD_KINDS = (("路", "Rd"), ("街", "St"), ("大道", "Ave"), ("北路", "North Rd"), ("南街", "South St"))
BUILDINGS = ("直播电商基地", "竹木交易市场", "国际商务中心", "创客大厦", "农产品物流园", "小微企业孵化基地", "财富广场",
             "汇金大厦", "食品工业园", "五金机电市场")

TRADES = {  # trade: (English, shop words, general?)
    "蜂产品": ("Bee Products", ("蜂蜜", "蜂业"), False), "竹编": ("Bamboo Weaving", ("竹编", "竹艺"), False),
    "刺绣": ("Embroidery", ("绣坊", "刺绣"), False), "石材": ("Stone", ("石材", "石业"), False),
    "菌菇": ("Mushroom", ("菌菇", "山珍"), False), "轴承": ("Bearing", ("轴承",), False),
    "酱菜": ("Pickles", ("酱菜", "腌菜"), False), "米粉": ("Rice Noodles", ("米粉", "粉店"), False),
    "辣椒制品": ("Chili Products", ("辣酱", "辣椒"), False), "油茶": ("Camellia Oil", ("茶油", "油茶"), False),
    "帐篷": ("Tents", ("户外", "帐篷"), False), "假发": ("Wigs", ("假发", "发制品"), False),
    "汉服": ("Hanfu", ("汉服", "国风"), False), "腊味": ("Cured Meat", ("腊味", "腊肉"), False),
    "商贸": ("Trading", ("百货", "优选"), True), "电子商务": ("E-commerce", ("网店", "优品"), True),
    "农业开发": ("Agricultural Development", ("农场", "生态"), True), "科技": ("Technology", ("科技", "数码"), True),
}
GENERAL = tuple(t for t, v in TRADES.items() if v[2])

HEAD = {"沐": "mu", "岚": "lan", "澜": "lan", "栖": "qi", "启": "qi", "禾": "he", "拾": "shi", "初": "chu",
        "朴": "pu", "屿": "yu", "橙": "cheng", "柚": "you", "麦": "mai", "芒": "mang", "枫": "feng", "槿": "jin",
        "蔚": "wei", "墨": "mo", "陌": "mo", "素": "su", "苒": "ran", "鹿": "lu", "鲸": "jing", "叮": "ding",
        "悦": "yue", "晨": "chen", "曦": "xi", "笛": "di", "谷": "gu", "野": "ye", "雁": "yan", "溪": "xi"}
TAIL = {"禾": "he", "森": "sen", "屿": "yu", "宸": "chen", "熙": "xi", "原": "yuan", "桥": "qiao", "田": "tian",
        "坊": "fang", "岭": "ling", "泉": "quan", "湾": "wan", "渡": "du", "亭": "ting", "苑": "yuan", "塘": "tang",
        "野": "ye", "川": "chuan", "舟": "zhou", "谷": "gu", "集": "ji", "记": "ji", "匠": "jiang", "间": "jian"}

SURNAMES = ("覃", "韦", "蒙", "黎", "龚", "谭", "邹", "廖", "贺", "卢", "段", "侯", "邵", "孟", "龙", "万", "滕", "牟")
GIVEN = ("春燕", "志刚", "丽娟", "凤霞", "秀兰", "海涛", "少华", "国庆", "玉芬", "德明", "小军", "宏伟", "永福",
         "秋菊", "金凤", "世平", "兰芳", "亚军")

OCR = {"贸": "资", "营": "宫", "限": "很", "司": "可", "品": "晶", "业": "亚", "商": "啇", "公": "仑", "科": "料",
       "技": "枝", "电": "由", "制": "剃", "茶": "荼", "发": "友", "服": "眼", "材": "村", "林": "材", "农": "衣",
       "开": "井", "店": "庄", "部": "郎", "经": "径", "沐": "沭", "岚": "风", "禾": "木", "拾": "恰",
       "屿": "峙", "橙": "澄", "墨": "黑", "鹿": "麂", "鲸": "惊", "溪": "漢", "森": "淼", "宸": "辰", "熙": "照",
       "桥": "侨", "坊": "访", "岭": "玲", "泉": "皋", "湾": "弯", "渡": "度", "亭": "亮", "苑": "宛", "塘": "糖",
       "舟": "丹", "集": "隼", "匠": "近", "间": "问", "原": "源", "川": "州", "谷": "各"}
FULL = {str(d): chr(0xFF10 + d) for d in range(10)} | {"(": "（", ")": "）", "-": "－"}
HALF = {"（": "(", "）": ")"}
CN_DIGIT = "零一二三四五六七八九"

PLATFORMS = ("taobao", "tmall", "jd", "pdd", "douyin", "kuaishou", "xhs", "weidian", "1688", "youzan", "suning",
             "path")
PATH_HOSTS = ("m.longjiangmall.cn", "www.xiangnongtong.com", "h5.guizhoushangcheng.cn", "www.qinshangyun.com")
HOME_PAGES = ("https://www.taobao.com/", "https://www.jd.com", "https://www.youzan.com/", "https://www.pinduoduo.com/")
SHARE = ("https://m.tb.cn/h.{s}", "https://v.douyin.com/{s}/", "https://u.jd.com/{s}", "https://v.kuaishou.com/{s}",
         "https://xhslink.com/a/{s}", "https://youzan.com/s/{s}")
SHOP_WORDS = ("旗舰店", "官方店", "严选", "生活馆", "的小店", "工厂直营", "专营店", "臻选")


@dataclass
class Seller:
    key: int
    kind: str  # company, share, partner, sole, single (个体工商户), online, branch
    city: str
    district: tuple[str, str]
    trade: str
    trade_name: str
    legal: str
    code: str
    reg15: str
    mobile: str
    landline: str
    road: tuple[str, str, int, int]  # road, kind index, number, building index (-1: none)
    room: str
    shops: list[tuple[str, str]] = field(default_factory=list)
    shop_name: str = ""
    operator: str = ""
    hotline: str = ""
    parent: Seller | None = None


class World:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed * 7919 + 4)
        self.sellers: list[Seller] = []
        self.codes: set[str] = set()
        self.ids: set[tuple[str, str]] = set()
        self.names: set[str] = set()
        self.agent_phones = [self.new_mobile() for _ in range(5)]  # accounting agents filing for many firms

    # identifiers -------------------------------------------------------------------------------------
    def new_mobile(self) -> str:
        r = self.r
        return r.choice(("13", "15", "17", "18", "19")) + str(r.randint(0, 9)) + "".join(
            r.choice(string.digits) for _ in range(8))

    def new_code(self, city: str, kind: str) -> str:
        r = self.r
        while True:
            head = "92" if kind in ("single", "online") else "91"
            area = CITIES[city][3] + f"{r.randint(0, 9)}{r.randint(1, 9)}"
            org8 = "MA" + "".join(r.choice(ORG_CHARS) for _ in range(6)) if r.random() < 0.7 else \
                "".join(r.choice(string.digits) for _ in range(8))
            first17 = head + area + org8 + (org_check(org8) if org8.isdigit() else r.choice(ORG_CHARS))
            code = first17 + code_check(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def new_shop_id(self, platform: str) -> str:
        r = self.r
        while True:
            if platform in ("tmall", "1688") and r.random() < 0.5:
                sid = "".join(r.choice(string.ascii_lowercase) for _ in range(r.randint(5, 9)))
            elif platform == "xhs":
                sid = "".join(r.choice("0123456789abcdef") for _ in range(24))
            elif platform == "douyin":
                sid = "".join(r.choice(string.ascii_letters) for _ in range(8))
            else:
                sid = str(r.randint(10**6, 10**9))
            if (platform, sid) not in self.ids:
                self.ids.add((platform, sid))
                return sid

    # sellers -----------------------------------------------------------------------------------------
    def new_trade_name(self) -> str:
        """Two characters (head + tail) or three (head + head or tail + tail), not used before."""
        r = self.r
        while True:
            middle = r.choice(list(HEAD) + list(TAIL)) if r.random() < 0.55 else ""
            name = r.choice(list(HEAD)) + middle + r.choice(list(TAIL))
            if len(set(name)) == len(name) and name not in self.names:
                self.names.add(name)
                return name

    def legal_name(self, kind: str, city: str, district: str, trade: str, tn: str, operator: str,
                   parent: Seller | None) -> str:
        r = self.r
        c = city.removesuffix("市")
        if kind == "branch" and parent is not None:
            return parent.legal + r.choice((f"{c}分公司", f"{district}营业部", f"{c}{district}分公司"))
        if kind == "company":
            form = r.choice(("有限公司", "有限公司", "有限公司", "股份有限公司"))
            return f"{city}{tn}{trade}{form}" if r.random() < 0.6 else f"{tn}（{c}）{trade}{form}"
        if kind == "partner":
            return f"{city}{tn}{trade}合伙企业（有限合伙）"
        if kind == "sole":
            return f"{city}{district}{tn}{trade}{r.choice(('厂', '坊', '加工厂'))}"
        if kind == "single":
            if operator and r.random() < 0.4:
                return f"{city}{district}{operator}{trade}经营部"
            return f"{city}{district}{tn}{trade}{r.choice(('店', '馆', '铺', '商行'))}"
        return f"{city}{district}{tn}{trade}网店"  # online: registered as an individual web shop

    def make(self, kind: str, city: str | None = None, tn: str | None = None, trade: str | None = None,
             parent: Seller | None = None) -> Seller:
        r = self.r
        city = city or r.choice(list(CITIES))
        district = r.choice(CITIES[city][4])
        trade = trade or r.choice(list(TRADES))
        tn = tn or self.new_trade_name()
        operator = r.choice(SURNAMES) + r.choice(GIVEN)
        legal = self.legal_name(kind, city, district[0], trade, tn, operator, parent)
        reg15 = CITIES[city][3] + "00" + "".join(r.choice(string.digits) for _ in range(9))
        road = (r.choice(list(ROADS)), r.randrange(len(ROAD_KINDS)), r.randint(1, 399),
                r.randrange(len(BUILDINGS)) if r.random() < 0.45 else -1)
        room = f"{r.randint(1, 28)}{r.randint(1, 20):02d}" if road[3] >= 0 else ""
        s = Seller(len(self.sellers), kind, city, district, trade, tn, legal, self.new_code(city, kind), reg15,
                   self.new_mobile(), f"{r.randint(2, 8)}{r.randint(0, 9999999):07d}"[:7 if r.random() < 0.3 else 8],
                   road, room, operator=operator, parent=parent)
        s.shop_name = tn + r.choice(SHOP_WORDS) if r.random() < 0.7 else f"「{tn}」{r.choice(TRADES[trade][1])}"
        self.sellers.append(s)
        return s

    def add_shops(self, s: Seller, n: int) -> None:
        for platform in self.r.sample(PLATFORMS, n):
            s.shops.append((platform, self.new_shop_id(platform)))

    # written forms -----------------------------------------------------------------------------------
    def name_text(self, s: Seller, p: float = 0.35) -> str:
        r = self.r
        name = s.legal
        if r.random() >= p:
            return name
        roll = r.random()
        province = CITIES[s.city][0]
        if roll < 0.3:  # one character read as another
            spots = [i for i, c in enumerate(name) if c in OCR and OCR[c] != c]
            if spots:
                i = r.choice(spots)
                name = name[:i] + OCR[name[i]] + name[i + 1:]
        elif roll < 0.45 and name.startswith(s.city):
            name = s.city.removesuffix("市") + name[len(s.city):]
        elif roll < 0.55 and name.startswith(s.city):
            name = province + name
        elif roll < 0.7 and "有限公司" in name and "股份" not in name:
            name = name.replace("有限公司", "有限责任公司", 1)
        elif roll < 0.8:
            name = "".join(HALF.get(c, c) for c in name) if "（" in name else name + r.choice(("", " ", "。"))
        elif roll < 0.9 and name.startswith(s.city) and s.kind == "company":
            c = s.city.removesuffix("市")
            name = name[len(s.city):].replace(s.trade_name, f"{s.trade_name}（{c}）", 1)
        else:
            name = name.replace(" ", "") + r.choice(("（个体工商户）", "")) if s.kind == "single" else name
        return name

    def english_name(self, s: Seller) -> str:
        if s.kind == "branch" and s.parent is not None:
            return f"{self.english_name(s.parent)} {CITIES[s.city][1]} Branch"
        pin = "".join(HEAD.get(c) or TAIL.get(c) or "" for c in s.trade_name)
        city = CITIES[s.city][1]
        form = {"company": "Co., Ltd.", "partner": "Partnership (L.P.)", "sole": "Factory"}.get(s.kind, "Store")
        return f"{city} {pin.capitalize()} {TRADES[s.trade][0]} {form}"

    def shop_text(self, s: Seller) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.5:
            return s.shop_name
        if roll < 0.75:
            return s.trade_name + r.choice(TRADES[s.trade][1]) + r.choice(("", "店", "馆"))
        if roll < 0.9:
            return s.trade_name + r.choice(SHOP_WORDS)
        return s.trade_name

    def address_text(self, s: Seller) -> str:
        r = self.r
        province = CITIES[s.city][0]
        district = s.district[0]
        road, kind, number, building = s.road
        road_text = road + ROAD_KINDS[kind][0]
        num = f"{number}号"
        bld = BUILDINGS[building] if building >= 0 else ""
        unit = ""
        if building >= 0:
            unit = r.choice((f"{s.room}室", f"{s.room}", f"{int(s.room[:-2])}楼{s.room}", f"{s.room}号"))
            bld = bld + r.choice(("", f"{1 + number % 5}栋", f"{1 + number % 5}幢", f"{1 + number % 5}号楼"))
        roll = r.random()
        if roll < 0.12:  # English word order
            e_road = ROADS[road] + " " + ROAD_KINDS[kind][1]
            return f"No.{number} {e_road}, {s.district[1]} Dist, {CITIES[s.city][1]}, {PROVINCES[province][2]}"
        if roll < 0.3:
            return f"{road_text}{num}{bld}{unit}（{district}）"
        parts = [province if r.random() < 0.4 else "", s.city if r.random() < 0.8 else "", district, road_text]
        if r.random() < 0.15:
            parts = [p.removesuffix("省").removesuffix("市").removesuffix("区") if p != road_text else p for p in parts]
        if r.random() < 0.15 and number < 100:
            num = self.cn_number(number) + "号"
        text = "".join(parts) + num + bld + (unit if r.random() < 0.8 else "")
        if r.random() < 0.08:
            text = "".join(FULL.get(c, c) for c in text)
        return text

    @staticmethod
    def cn_number(n: int) -> str:
        tens, ones = divmod(n, 10)
        return ("" if tens == 0 else "十" if tens == 1 else CN_DIGIT[tens] + "十") + (CN_DIGIT[ones] if ones else "")

    def mobile_text(self, m: str) -> str:
        r = self.r
        return r.choice((m, m, f"{m[:3]}-{m[3:7]}-{m[7:]}", f"{m[:3]} {m[3:7]} {m[7:]}", f"+86 {m}", f"+86-{m}",
                         f"0086{m}", f"(+86){m}", f"86-{m[:3]}-{m[3:]}"))

    def landline_text(self, s: Seller) -> str:
        r = self.r
        area, num = CITIES[s.city][2], s.landline
        text = r.choice((f"{area}-{num}", f"({area}){num}", f"{area} {num}", f"{area}{num}", num,
                         f"+86-{area[1:]}-{num}", f"（{area}）{num}"))
        if r.random() < 0.12:
            text += r.choice(("转", "-", " ext.", "#")) + str(r.randint(800, 8999))
        return text

    def phone_text(self, s: Seller) -> str:
        r = self.r
        roll = r.random()
        if s.hotline and roll < 0.25:
            return s.hotline
        if roll < 0.55:
            text = self.mobile_text(s.mobile)
        elif roll < 0.8:
            text = self.landline_text(s)
        else:
            one, two = self.mobile_text(s.mobile), self.landline_text(s)
            text = r.choice((f"{two}/{one}", f"{one}；{two}", f"{two}、{one}", f"电话：{two} 手机：{one}",
                             f"Tel: {two}, Mobile: {one}"))
        if r.random() < 0.06:
            text = "".join(FULL.get(c, c) for c in text)
        return text

    def code_text(self, s: Seller) -> str:
        r = self.r
        code = s.code
        roll = r.random()
        if roll < 0.55:
            return code
        if roll < 0.63:
            return code.lower()
        if roll < 0.71:
            return " ".join((code[:6], code[6:12], code[12:]))
        if roll < 0.76:
            return "-".join((code[:2], code[2:8], code[8:17], code[17]))
        if roll < 0.84:
            return r.choice(("统一社会信用代码：", "信用代码:", "社会信用代码 ")) + code
        if roll < 0.92:  # OCR: O for 0, I for 1 (no longer a code)
            spots = [i for i, c in enumerate(code) if c in "01"]
            if spots:
                i = r.choice(spots)
                return code[:i] + ("O" if code[i] == "0" else "I") + code[i + 1:]
            return code
        return s.reg15  # the older 15-digit registration number

    def url_text(self, platform: str, sid: str) -> str:
        r = self.r
        q = r.choice(("", "", "spm=a1z10.1-c.0.0", "from=share", "share_token=" + str(r.randint(10**5, 10**6)),
                      "utm_source=wechat"))
        tail, amp = (f"?{q}", f"&{q}") if q else ("", "")
        if platform == "taobao":
            url = r.choice((f"https://shop{sid}.taobao.com/{tail}", f"https://shop{sid}.world.taobao.com/",
                            f"https://shop{sid}.taobao.com/search.htm{tail}",
                            f"https://shop.m.taobao.com/shop/shop_index.htm?shop_id={sid}{amp}"))
        elif platform == "tmall":
            url = (r.choice((f"https://{sid}.tmall.com/", f"https://{sid}.tmall.hk/{tail}", f"https://{sid}.m.tmall.com/"))
                   if not sid.isdigit() else f"https://shop{sid}.tmall.com/{tail}")
        elif platform == "jd":
            url = r.choice((f"https://mall.jd.com/index-{sid}.html{tail}", f"https://mall.jd.hk/index-{sid}.html",
                            f"https://shop.m.jd.com/?shopId={sid}{amp}"))
        elif platform == "pdd":
            url = r.choice((f"https://mobile.yangkeduo.com/mall_page.html?mall_id={sid}{amp}",
                            f"https://mobile.pinduoduo.com/mall_page.html?mall_id={sid}&msn=x{r.randint(100, 999)}"))
        elif platform == "douyin":
            url = r.choice((f"https://haohuo.jinritemai.com/views/shop/index?id={sid}{amp}",
                            f"https://haohuo.jinritemai.com/ecommerce/trade/shop/index.html?shop_id={sid}"))
        elif platform == "kuaishou":
            url = f"https://app.kwaixiaodian.com/page/kwaishop-buyer-shop?sellerId={sid}{amp}"
        elif platform == "xhs":
            url = r.choice((f"https://www.xiaohongshu.com/user/profile/{sid}{tail}",
                            f"https://www.xiaohongshu.com/user/profile/{sid}?xsec_source=pc_search"))
        elif platform == "weidian":
            url = r.choice((f"https://weidian.com/?userid={sid}{amp}", f"https://shop{sid}.v.weidian.com/{tail}"))
        elif platform == "1688":
            url = (r.choice((f"https://{sid}.1688.com/", f"https://{sid}.1688.com/page/offerlist.htm{tail}"))
                   if not sid.isdigit() else f"https://shop{sid}.1688.com/{tail}")
        elif platform == "youzan":
            url = r.choice((f"https://shop{sid}.youzan.com/v2/showcase/homepage?kdt_id={sid}{amp}",
                            f"https://h5.youzan.com/v2/showcase/homepage?kdt_id={sid}{amp}",
                            f"https://h5.youzan.com/wscshop/home?kdt_id={sid}"))
        elif platform == "suning":
            url = r.choice((f"https://shop.suning.com/{sid}/index.html{tail}", f"https://shop.m.suning.com/{sid}.html"))
        else:
            url = f"https://{PATH_HOSTS[int(sid) % len(PATH_HOSTS)]}/shop{sid}?" + (q or "src=app")
        roll = r.random()
        if roll < 0.06:
            url = url.split("://", 1)[1]
        elif roll < 0.1:
            url = url.replace("https://", "http://", 1)
        elif roll < 0.13:
            url = url.rstrip("/") + "/#/home"
        return url

    def share_link(self) -> str:
        s = "".join(self.r.choice(string.ascii_letters + string.digits) for _ in range(self.r.choice((6, 8, 10))))
        return self.r.choice(SHARE).format(s=s)

    # records -----------------------------------------------------------------------------------------
    def record(self, s: Seller) -> dict[str, str]:
        r = self.r
        rec: dict[str, str] = {}
        home = PROVINCES[CITIES[s.city][0]][0]
        source = r.choices(("registry", "platform", "complaint", "inspection"),
                           (3, 4 if s.shops else 0.5, 2, 1.5))[0]
        if source == "registry":  # market-supervision register: legal name, usually the code
            rec["name"] = self.name_text(s)
            if r.random() < 0.7:
                rec["uscc"] = self.code_text(s)
            if r.random() < 0.55:
                rec["address"] = self.address_text(s)
            if r.random() < 0.45:
                rec["phone"] = self.phone_text(s)
        elif source == "platform":  # a platform's seller file: shop name or legal name, URL, phone
            rec["name"] = self.shop_text(s) if r.random() < 0.55 else self.name_text(s)
            if s.shops and r.random() < 0.85:
                rec["shop_url"] = self.share_link() if r.random() < 0.07 else self.url_text(*r.choice(s.shops))
            if r.random() < 0.4:
                rec["phone"] = self.mobile_text(s.mobile)
            if r.random() < 0.3:
                rec["uscc"] = self.code_text(s)
        elif source == "complaint":  # a buyer's complaint: whatever name the buyer saw, one detail
            rec["name"] = r.choice((self.shop_text(s), s.trade_name + TRADES[s.trade][1][0], self.name_text(s, 0.6)))
            roll = r.random()
            if roll < 0.4:
                rec["phone"] = self.phone_text(s)
            elif roll < 0.65 and s.shops:
                rec["shop_url"] = self.share_link() if r.random() < 0.3 else self.url_text(*r.choice(s.shops))
            elif roll < 0.8:
                rec["address"] = self.address_text(s)
        else:  # an inspection or sampling record: the name as on the licence and the premises
            rec["name"] = self.name_text(s, 0.5) if r.random() < 0.7 else self.english_name(s)
            rec["address"] = self.address_text(s)
            if r.random() < 0.3:
                rec["uscc"] = self.code_text(s)
        if r.random() < 0.03:
            rec["phone"] = self.mobile_text(r.choice(self.agent_phones))
        if "shop_url" not in rec and r.random() < 0.012:
            rec["shop_url"] = r.choice(HOME_PAGES)
        rec["region"] = home if r.random() < 0.7 else r.choice(REGIONS)
        return rec

    def weak(self, s: Seller) -> dict[str, str]:
        """A shop-style or bare trade name only: no place, no identifier."""
        r = self.r
        name = r.choice((s.shop_name, s.trade_name + r.choice(SHOP_WORDS), s.trade_name + TRADES[s.trade][1][0],
                         s.trade_name))
        return {"name": name, "region": r.choice(REGIONS)}

    def legal_only(self, s: Seller) -> dict[str, str]:
        """The full legal name (place + form) only."""
        return {"name": self.name_text(s, 0.2), "region": PROVINCES[CITIES[s.city][0]][0]
                if self.r.random() < 0.6 else self.r.choice(REGIONS)}


def independent4_sellers(entities: int = 1850, seed: int = 41) -> Iterator[tuple[dict[str, str], int]]:
    """Records filed by ten regions about `entities` sellers, shuffled, each with its seller's key (the truth)."""
    w = World(seed)
    r = w.r
    kinds = ("company",) * 40 + ("single",) * 26 + ("online",) * 16 + ("sole",) * 8 + ("partner",) * 4
    buildings: list[Seller] = []
    while len(w.sellers) < entities:
        base = w.make(r.choice(kinds))
        w.add_shops(base, r.choice((0, 1, 1, 1, 2, 2, 3)) if base.kind != "partner" else r.choice((0, 1)))
        if base.kind == "online" and not base.shops:
            w.add_shops(base, 1)
        if base.road[3] >= 0:
            buildings.append(base)
        room = entities - len(w.sellers)
        roll = r.random()
        if room <= 0:
            break
        if roll < 0.13:  # namesakes: the same trade name and trade in other cities, often the same shop style
            for _ in range(min(room, r.choice((1, 1, 2, 3)))):
                city = r.choice([c for c in CITIES if c != base.city])
                other = w.make(r.choice(("company", "single", "online", "sole")), city, base.trade_name,
                               base.trade if r.random() < 0.7 else None)
                w.add_shops(other, r.choice((0, 1, 1, 2)))
                if r.random() < 0.6:
                    other.shop_name = base.shop_name
        elif roll < 0.2 and base.kind == "company":  # branches: separate entities with the parent's hotline
            base.hotline = f"400-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
            for _ in range(min(room, r.choice((1, 2, 2, 3)))):
                branch = w.make("branch", r.choice(list(CITIES)) if r.random() < 0.7 else base.city,
                                base.trade_name, base.trade, parent=base)
                branch.hotline = base.hotline
                branch.shop_name = base.shop_name if r.random() < 0.3 else branch.shop_name
        elif roll < 0.27:  # the same trade name under another legal form, same city (a different firm)
            kind = r.choice([k for k in ("company", "single", "sole", "partner") if k != base.kind])
            other = w.make(kind, base.city, base.trade_name, base.trade if r.random() < 0.5 else r.choice(GENERAL))
            w.add_shops(other, r.choice((0, 1)))
        elif roll < 0.31 and buildings:  # a neighbour in the same office building, another room
            host = r.choice(buildings)
            other = w.make(r.choice(("company", "single")), host.city)
            other.district = host.district
            other.road = host.road
            other.room = f"{int(host.room[:-2])}{(int(host.room[-2:]) % 19) + 1:02d}"
            w.add_shops(other, r.choice((0, 1)))
    rows: list[tuple[dict[str, str], int]] = []
    for s in w.sellers:
        n = min(11, max(1, int(r.paretovariate(1.3))))
        for _ in range(n):
            rows.append((w.record(s), s.key))
        if r.random() < 0.22:
            rows.append((w.weak(s), s.key))
        if s.kind != "online" and r.random() < 0.2:
            rows.append((w.legal_only(s), s.key))
    r.shuffle(rows)
    for n, (rec, key) in enumerate(rows):
        yield {"id": f"q{n}", **rec}, key
