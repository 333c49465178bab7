"""The sixth independent seller set: ten provincial offices' records of real-style market entities, with ground truth.

Written in session 19 by heldout19d as an outside tester would: without reading the entity-resolution code, the
normaliser, or the vocabulary of the five earlier sets — only the record interface (`{"id", "name", "region"?,
"uscc"?, "phone"?, "address"?, "shop_url"?}`, region = a GB/T 2260 province code) and the bench's set table. It
imports nothing from the project; its places, trade-name characters (with their pinyin), industries, surnames and
URL shapes are typed here.

Its world:

* ten filing regions (浙江, 广东, 福建, 湖南, 四川, 辽宁, 山西, 广西, 云南, 甘肃) with 40 prefecture-level cities,
  their districts/counties, roads, area codes and division codes; real traps of the list itself: 铁西区 in both
  沈阳 and 鞍山, 长沙/株洲/湘潭 sharing the area code 0731, 东莞 without districts (towns), 麒麟区 as a place and
  麒 as a trade-name character, autonomous prefectures (大理白族自治州) whose short form is two characters;
* entities: companies (省?+市+字号+行业+有限公司), their branches in other cities (…有限公司XX分公司: separate
  entities, sharing the parent's 400 hotline and shop), individual businesses (区+字号/operator+行业+商行/经营部/店,
  sometimes written as 姓名（个体工商户）), farmers' cooperatives (县+字号+种植/养殖+农民专业合作社), and sellers known
  only by their web shops;
* writing variants: shop-style names (字号旗舰店, 字号官方旗舰店, 字号+品类+专营店, 字号企业店, 字号的小店), the legal name
  with 省/市 dropped, the place in brackets (字号（杭州）行业有限公司), 有限责任公司 / 有限公司 / 有限公司 written 有限公
  司 with a space, traditional characters, full-width Latin and digits, a homophone typo in the trade name, pinyin /
  English names (Hangzhou Yunxi Electronic Technology Co., Ltd.); phones with spaces, dashes, +86, full-width digits,
  landlines with and without area code, extensions, two numbers; addresses without province or city, with
  full-width or Chinese numerals, with room numbers; credit codes valid, spaced, labelled, lower-case, full-width,
  one character mistyped, O for 0 / I for 1, two characters swapped, or missing;
* shop URLs of Taobao, Tmall, JD, Pinduoduo, Douyin, Kuaishou and 1688 in many shapes (subdomain, path and query
  forms, mobile hosts, tracking parameters, upper-case hosts, http, share links that identify nothing);
* the traps: one trade name used by different entities in different cities (and provinces), sometimes in the same
  trade, sometimes under another legal form; the same trade name in the same city in another trade; a company and
  its branch; weak records with only a shop-style name; records with only the full legal name.

`independent6_sellers(entities, seed)` yields (record, entity key) per record, deterministic per seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

# --- credit codes (GB 32100-2015, with the GB 11714 organisation-code check) -------------------------------------

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def code_check(first17: str) -> str:
    """The check character of a unified social credit code."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_CHARS[(31 - total % 31) % 31]


def code_valid(code: str) -> bool:
    """True for 18 code characters with the right check character."""
    return len(code) == 18 and all(c in CODE_CHARS for c in code) and code_check(code[:17]) == code[17]


def org_code(rng: random.Random) -> str:
    """A nine-character organisation code with its check character."""
    alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice("0123456789") if k else rng.choice("MP3") for k in range(2)) + "".join(
        rng.choice(alnum if k < 2 else "0123456789") for k in range(6))

    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - 55

    check = 11 - sum(value(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


# --- places (typed from the GB/T 2260 list) ----------------------------------------------------------------------

# province code -> (full name, short name, English, [(city, area code, city code, English, [(district, code)],
#                                                   [roads])])
REGIONS: dict[str, tuple[str, str, str, list[tuple[str, str, str, str, list[tuple[str, str]], list[str]]]]] = {
    "330000": ("浙江省", "浙江", "Zhejiang", [
        ("杭州市", "0571", "330100", "Hangzhou", [("上城区", "330102"), ("拱墅区", "330105"), ("西湖区", "330106"),
                                                  ("滨江区", "330108"), ("余杭区", "330110")],
         ["文三路", "莫干山路", "江南大道", "天目山路", "教工路"]),
        ("宁波市", "0574", "330200", "Ningbo", [("海曙区", "330203"), ("江北区", "330205"), ("鄞州区", "330212")],
         ["中山西路", "天童南路", "药行街"]),
        ("温州市", "0577", "330300", "Wenzhou", [("鹿城区", "330302"), ("龙湾区", "330303"), ("瓯海区", "330304")],
         ["车站大道", "学院中路", "府东路"]),
        ("金华市", "0579", "330700", "Jinhua", [("婺城区", "330702"), ("义乌市", "330782"), ("永康市", "330784")],
         ["宾王路", "稠州北路", "福田路"]),
        ("湖州市", "0572", "330500", "Huzhou", [("吴兴区", "330502"), ("德清县", "330521"), ("长兴县", "330522")],
         ["红旗路", "凤凰路", "织里大道"]),
    ]),
    "440000": ("广东省", "广东", "Guangdong", [
        ("广州市", "020", "440100", "Guangzhou", [("越秀区", "440104"), ("天河区", "440106"), ("白云区", "440111"),
                                                  ("番禺区", "440113")],
         ["天河路", "环市东路", "广州大道北", "石井大道"]),
        ("深圳市", "0755", "440300", "Shenzhen", [("福田区", "440304"), ("南山区", "440305"), ("宝安区", "440306"),
                                                  ("龙岗区", "440307")],
         ["深南大道", "华强北路", "科苑南路", "布吉路"]),
        ("东莞市", "0769", "441900", "Dongguan", [("长安镇", "441900"), ("虎门镇", "441900"), ("厚街镇", "441900")],
         ["莲峰路", "康湖路", "双岗路"]),
        ("佛山市", "0757", "440600", "Foshan", [("禅城区", "440604"), ("南海区", "440605"), ("顺德区", "440606")],
         ["季华路", "桂澜路", "乐从大道"]),
        ("汕头市", "0754", "440500", "Shantou", [("金平区", "440511"), ("澄海区", "440515")],
         ["长平路", "玩具城路", "金砂路"]),
    ]),
    "350000": ("福建省", "福建", "Fujian", [
        ("福州市", "0591", "350100", "Fuzhou", [("鼓楼区", "350102"), ("台江区", "350103"), ("仓山区", "350104")],
         ["五四路", "工业路", "六一中路"]),
        ("厦门市", "0592", "350200", "Xiamen", [("思明区", "350203"), ("湖里区", "350206"), ("集美区", "350211")],
         ["湖滨南路", "嘉禾路", "杏林湾路"]),
        ("泉州市", "0595", "350500", "Quanzhou", [("鲤城区", "350502"), ("丰泽区", "350503"), ("石狮市", "350581"),
                                                  ("晋江市", "350582")],
         ["刺桐路", "田安路", "世纪大道"]),
        ("莆田市", "0594", "350300", "Putian", [("城厢区", "350302"), ("荔城区", "350304")],
         ["学园南路", "荔园路", "八二一街"]),
    ]),
    "430000": ("湖南省", "湖南", "Hunan", [
        ("长沙市", "0731", "430100", "Changsha", [("芙蓉区", "430102"), ("天心区", "430103"), ("岳麓区", "430104"),
                                                  ("雨花区", "430111")],
         ["五一大道", "芙蓉中路", "麓山南路", "劳动东路"]),
        ("株洲市", "0731", "430200", "Zhuzhou", [("芦淞区", "430203"), ("天元区", "430211")],
         ["建设中路", "珠江北路", "董家塅路"]),
        ("湘潭市", "0731", "430300", "Xiangtan", [("雨湖区", "430302"), ("岳塘区", "430304")],
         ["韶山中路", "建设北路", "河东大道"]),
        ("邵阳市", "0739", "430500", "Shaoyang", [("双清区", "430502"), ("大祥区", "430503"), ("邵东市", "430582")],
         ["宝庆中路", "敏州路", "红旗路"]),
        ("常德市", "0736", "430700", "Changde", [("武陵区", "430702"), ("鼎城区", "430703")],
         ["人民中路", "朗州路", "洞庭大道"]),
    ]),
    "510000": ("四川省", "四川", "Sichuan", [
        ("成都市", "028", "510100", "Chengdu", [("锦江区", "510104"), ("青羊区", "510105"), ("武侯区", "510107"),
                                                ("成华区", "510108"), ("郫都区", "510117")],
         ["春熙路", "蜀都大道", "人民南路", "二环路西一段", "建设路"]),
        ("绵阳市", "0816", "510700", "Mianyang", [("涪城区", "510703"), ("游仙区", "510704")],
         ["临园路", "剑南路", "跃进路"]),
        ("南充市", "0817", "511300", "Nanchong", [("顺庆区", "511302"), ("高坪区", "511303")],
         ["模范街", "北湖路", "江东中路"]),
        ("宜宾市", "0831", "511500", "Yibin", [("翠屏区", "511502"), ("叙州区", "511504")],
         ["人民路", "酒都路", "长江大道"]),
    ]),
    "210000": ("辽宁省", "辽宁", "Liaoning", [
        ("沈阳市", "024", "210100", "Shenyang", [("和平区", "210102"), ("沈河区", "210103"), ("铁西区", "210106"),
                                                ("浑南区", "210112")],
         ["中街路", "北京街", "兴华南街", "三好街"]),
        ("大连市", "0411", "210200", "Dalian", [("中山区", "210202"), ("西岗区", "210203"), ("沙河口区", "210204"),
                                                ("甘井子区", "210211")],
         ["人民路", "黄河路", "西安路"]),
        ("鞍山市", "0412", "210300", "Anshan", [("铁东区", "210302"), ("铁西区", "210303")],
         ["胜利路", "建国大道", "二一九路"]),
        ("锦州市", "0416", "210700", "Jinzhou", [("古塔区", "210702"), ("凌河区", "210703")],
         ["中央大街", "解放路", "士英街"]),
    ]),
    "140000": ("山西省", "山西", "Shanxi", [
        ("太原市", "0351", "140100", "Taiyuan", [("小店区", "140105"), ("迎泽区", "140106"), ("杏花岭区", "140107")],
         ["迎泽大街", "长风街", "亲贤北街"]),
        ("大同市", "0352", "140200", "Datong", [("平城区", "140213"), ("云冈区", "140214")],
         ["御河西路", "魏都大道", "同泉路"]),
        ("运城市", "0359", "140800", "Yuncheng", [("盐湖区", "140802"), ("永济市", "140881")],
         ["河东街", "解放路", "圣惠路"]),
        ("晋中市", "0354", "140700", "Jinzhong", [("榆次区", "140702"), ("平遥县", "140728")],
         ["顺城街", "迎宾街", "安宁街"]),
    ]),
    "450000": ("广西壮族自治区", "广西", "Guangxi", [
        ("南宁市", "0771", "450100", "Nanning", [("兴宁区", "450102"), ("青秀区", "450103"), ("西乡塘区", "450107")],
         ["民族大道", "朝阳路", "大学东路"]),
        ("柳州市", "0772", "450200", "Liuzhou", [("城中区", "450202"), ("鱼峰区", "450203")],
         ["五星街", "龙城路", "箭盘路"]),
        ("桂林市", "0773", "450300", "Guilin", [("秀峰区", "450302"), ("七星区", "450305")],
         ["中山中路", "解放西路", "漓江路"]),
        ("玉林市", "0775", "450900", "Yulin", [("玉州区", "450902")],
         ["人民东路", "教育中路", "城站路"]),
    ]),
    "530000": ("云南省", "云南", "Yunnan", [
        ("昆明市", "0871", "530100", "Kunming", [("五华区", "530102"), ("盘龙区", "530103"), ("官渡区", "530111")],
         ["东风西路", "北京路", "关上中路"]),
        ("大理白族自治州", "0872", "532900", "Dali", [("大理市", "532901"), ("宾川县", "532924")],
         ["人民路", "洱河南路", "苍山路"]),
        ("曲靖市", "0874", "530300", "Qujing", [("麒麟区", "530302"), ("沾益区", "530303")],
         ["南宁西路", "麒麟南路", "寥廓北路"]),
        ("西双版纳傣族自治州", "0691", "532800", "Xishuangbanna", [("景洪市", "532801"), ("勐海县", "532822")],
         ["勐泐大道", "宣慰大道", "嘎兰路"]),
    ]),
    "620000": ("甘肃省", "甘肃", "Gansu", [
        ("兰州市", "0931", "620100", "Lanzhou", [("城关区", "620102"), ("七里河区", "620103"), ("安宁区", "620105")],
         ["庆阳路", "西津西路", "安宁西路"]),
        ("天水市", "0938", "620500", "Tianshui", [("秦州区", "620502"), ("麦积区", "620503")],
         ["民主西路", "藉河南路", "商埠路"]),
        ("酒泉市", "0937", "620900", "Jiuquan", [("肃州区", "620902"), ("敦煌市", "620982")],
         ["富康路", "北大街", "鸣山路"]),
    ]),
}


def city_short(city: str) -> str:
    """杭州市 -> 杭州, 大理白族自治州 -> 大理, 西双版纳傣族自治州 -> 西双版纳."""
    for suffix in ("白族自治州", "傣族自治州", "市"):
        if city.endswith(suffix):
            return city[: -len(suffix)]
    return city


# --- trade names: characters with pinyin, some with traditional forms and homophones ------------------------------

TRADE_CHARS = {
    "禾": "he", "岚": "lan", "澄": "cheng", "栖": "qi", "砚": "yan", "棠": "tang", "柏": "bai", "枫": "feng",
    "桐": "tong", "溪": "xi", "泓": "hong", "朗": "lang", "悦": "yue", "沐": "mu", "芮": "rui", "蔚": "wei",
    "曜": "yao", "骏": "jun", "鹭": "lu", "鸿": "hong", "鹤": "he", "麒": "qi", "麟": "lin", "瑞": "rui",
    "锦": "jin", "绮": "qi", "纬": "wei", "拓": "tuo", "启": "qi", "恒": "heng", "晟": "sheng", "旭": "xu",
    "昊": "hao", "坤": "kun", "垣": "yuan", "嵘": "rong", "泽": "ze", "汇": "hui", "源": "yuan", "丰": "feng",
    "穗": "sui", "茗": "ming", "荟": "hui", "蕴": "yun", "萱": "xuan", "芸": "yun", "兰": "lan", "竹": "zhu",
    "松": "song", "珂": "ke", "琪": "qi", "璟": "jing", "瑜": "yu", "翔": "xiang", "航": "hang", "帆": "fan",
    "诺": "nuo", "诚": "cheng", "睿": "rui", "达": "da", "盛": "sheng", "隆": "long", "兴": "xing", "顺": "shun",
    "康": "kang", "嘉": "jia", "优": "you", "尚": "shang", "雅": "ya", "创": "chuang", "初": "chu", "森": "sen",
    "果": "guo", "蜜": "mi", "橙": "cheng", "柚": "you", "栗": "li", "麦": "mai", "禧": "xi", "乐": "le",
    "童": "tong", "趣": "qu", "萌": "meng", "辰": "chen", "云": "yun", "晴": "qing", "霁": "ji", "雪": "xue",
    "鑫": "xin", "淼": "miao", "犇": "ben", "璞": "pu", "臻": "zhen", "迈": "mai", "驰": "chi", "赫": "he",
}
TRADITIONAL = {
    "岚": "嵐", "鹭": "鷺", "鸿": "鴻", "鹤": "鶴", "锦": "錦", "绮": "綺", "纬": "緯", "启": "啟", "汇": "匯",
    "丰": "豐", "荟": "薈", "蕴": "蘊", "兰": "蘭", "诺": "諾", "诚": "誠", "达": "達", "顺": "順", "优": "優",
    "创": "創", "乐": "樂", "云": "雲", "骏": "駿", "枫": "楓", "泽": "澤", "兴": "興", "驰": "馳", "迈": "邁",
    "电": "電", "贸": "貿", "业": "業", "饰": "飾", "装": "裝", "发": "發", "农": "農", "织": "織", "产": "產",
    "经": "經", "营": "營", "专": "專", "贸易": "貿易", "责": "責", "务": "務", "网": "網", "络": "絡", "县": "縣", "区": "區", "东": "東",
    "广": "廣", "龙": "龍", "华": "華", "门": "門", "连": "連", "宁": "寧", "厦": "廈", "庆": "慶", "阳": "陽",
    "乡": "鄉", "镇": "鎮", "园": "園", "种": "種", "养": "養", "殖": "殖", "药": "藥", "材": "材", "动": "動",
    "具": "具", "鞋": "鞋", "茶": "茶", "酒": "酒", "灯": "燈", "饮": "飲", "体": "體", "育": "育", "玩": "玩",
    "妆": "妝", "婴": "嬰", "应": "應", "链": "鏈", "术": "術", "开": "開", "实": "實", "国": "國", "际": "際",
    "长": "長", "汕": "汕", "头": "頭", "莞": "莞", "佛": "佛", "顺德": "順德", "湾": "灣",
    "滨": "濱", "温": "溫", "义": "義", "乌": "烏", "鄞": "鄞", "湖": "湖", "兰州": "蘭州", "云南": "雲南", "沈阳": "瀋陽",
}
HOMOPHONES = {
    "锦": "金", "瑞": "锐", "鸿": "宏", "晟": "盛", "泽": "择", "源": "元", "汇": "惠", "岚": "兰", "枫": "峰",
    "溪": "希", "禾": "和", "璟": "景", "茗": "明", "萱": "宣", "骏": "俊", "翔": "祥", "鑫": "欣", "睿": "锐",
    "悦": "越", "恒": "衡", "琪": "棋", "芸": "云", "嘉": "佳", "诚": "成", "栗": "立", "晴": "清", "臻": "真",
}

# (industry in a company name, English, shop category, individual-business trade + form)
INDUSTRIES = [
    ("商贸", "Trading", "百货", "日用百货商行"), ("贸易", "Trade", "百货", "百货批发部"),
    ("电子商务", "E-commerce", "好物", "网店经营部"), ("电子科技", "Electronic Technology", "数码", "电子产品经营部"),
    ("网络科技", "Network Technology", "数码", "手机配件店"), ("服饰", "Apparel", "服饰", "服装店"),
    ("服装", "Garment", "女装", "服装店"), ("鞋业", "Shoes", "鞋类", "鞋店"), ("皮具", "Leather Goods", "箱包", "皮具店"),
    ("食品", "Food", "食品", "副食店"), ("茶业", "Tea", "茶叶", "茶叶店"), ("酒业", "Wine", "酒类", "烟酒商行"),
    ("家居用品", "Home Products", "家居", "家居用品店"), ("家具", "Furniture", "家具", "家具经营部"),
    ("日用品", "Daily Necessities", "日用", "日杂店"), ("化妆品", "Cosmetics", "美妆", "化妆品店"),
    ("母婴用品", "Maternal and Infant Products", "母婴", "母婴用品店"), ("玩具", "Toys", "玩具", "玩具店"),
    ("文化用品", "Stationery", "文具", "文具店"), ("五金", "Hardware", "五金", "五金经营部"),
    ("灯饰", "Lighting", "灯具", "灯饰店"), ("体育用品", "Sporting Goods", "运动", "体育用品店"),
    ("箱包", "Luggage", "箱包", "箱包店"), ("眼镜", "Eyewear", "眼镜", "眼镜店"),
    ("农业开发", "Agricultural Development", "生鲜", "农资经营部"), ("生物科技", "Biotechnology", "保健", "保健品店"),
    ("供应链管理", "Supply Chain Management", "百货", "百货批发部"), ("实业", "Industrial", "百货", "商行"),
]
COOP_TRADES = ["果蔬种植", "茶叶种植", "中药材种植", "生猪养殖", "水产养殖", "食用菌种植", "柑橘种植", "蜂业"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["秀芬", "建国", "丽娟", "志强", "海燕", "俊杰", "桂英", "晓东", "春梅", "国华", "红霞", "伟", "敏", "静", "磊",
         "军", "洋", "艳", "勇", "杰", "娜", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂兰", "小龙", "文斌", "雪梅"]
PLATFORMS = ["taobao", "tmall", "jd", "pdd", "douyin", "kuaishou", "1688"]


@dataclass
class Shop:
    """One web shop: its platform and the identifiers its URLs carry."""

    platform: str
    shop_id: str
    user_id: str
    sub: str
    name: str


@dataclass
class Seller:
    """One entity behind records."""

    key: int
    kind: str  # company, branch, person, coop, webshop
    province: str
    city: tuple[str, str, str, str, list[tuple[str, str]], list[str]]
    district: tuple[str, str]
    trade: str
    industry: tuple[str, str, str, str]
    legal: str
    code: str
    phones: list[str]
    address: str
    shops: list[Shop] = field(default_factory=list)
    operator: str = ""
    parent: Seller | None = None


def _pinyin(trade: str) -> str:
    return "".join(TRADE_CHARS.get(c, "") for c in trade).capitalize()


class World:
    """The entities of one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"independent6-world:{seed}")
        self.sellers: list[Seller] = []
        self.codes: set[str] = set()
        self.shop_ids: set[tuple[str, str]] = set()
        self.legals: set[object] = set()

    def _code(self, kind: str, division: str) -> str:
        while True:
            head = {"company": "91", "branch": "91", "person": "92", "coop": "93", "webshop": "92"}[kind]
            first = head + division + org_code(self.rng)
            code = first + code_check(first)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _trade(self) -> str:
        chars = list(TRADE_CHARS)
        length = 3 if self.rng.random() < 0.15 else 2
        return "".join(self.rng.sample(chars, length))

    def _place(self, province: str | None = None) -> tuple[str, tuple[str, str, str, str, list[tuple[str, str]],
                                                                         list[str]], tuple[str, str]]:
        province = province or self.rng.choice(list(REGIONS))
        city = self.rng.choice(REGIONS[province][3])
        return province, city, self.rng.choice(city[4])

    def _mobile(self) -> str:
        return self.rng.choice(["13", "15", "18", "17", "19"]) + "".join(self.rng.choice("0123456789")
                                                                         for _ in range(9))

    def _landline(self, city: tuple[str, str, str, str, list[tuple[str, str]], list[str]]) -> str:
        digits = 7 if city[1] in ("0691", "0937") else 8
        return f"{city[1]}-{self.rng.choice('2345678')}" + "".join(self.rng.choice("0123456789")
                                                                   for _ in range(digits - 1))

    def _address(self, province: str, city: tuple[str, str, str, str, list[tuple[str, str]], list[str]],
                 district: tuple[str, str]) -> str:
        road = self.rng.choice(city[5])
        number = self.rng.randint(1, 899)
        tail = ""
        r = self.rng.random()
        if r < 0.35:
            tail = f"{self.rng.randint(1, 28)}栋{self.rng.randint(1, 30)}{self.rng.randint(1, 9):02d}室"
        elif r < 0.55:
            tail = f"{self.rng.choice(['', '电商产业园', '创业大厦', '国际商贸城'])}{self.rng.randint(1, 9)}楼"
        elif r < 0.65:
            tail = f"{self.rng.randint(1, 5)}号铺"
        return f"{REGIONS[province][0]}{city[0]}{district[0]}{road}{number}号{tail}"

    def _shop(self, seller: Seller, platform: str) -> Shop:
        while True:
            shop_id = str(self.rng.randint(10**5, 10**9 - 1) if platform != "1688" else self.rng.randint(10**5, 10**8))
            if (platform, shop_id) not in self.shop_ids:
                self.shop_ids.add((platform, shop_id))
                break
        user_id = str(self.rng.randint(10**8, 10**10))
        sub = _pinyin(seller.trade).lower() + self.rng.choice(["", "", "jj", "sp", "fs", str(self.rng.randint(1, 99))])
        while (platform, sub) in self.shop_ids:  # a shop's own subdomain: taken ones get a number
            sub = _pinyin(seller.trade).lower() + str(self.rng.randint(1, 999))
        self.shop_ids.add((platform, sub))
        cat = seller.industry[2]
        if seller.kind == "person" or seller.kind == "webshop":
            name = self.rng.choice([f"{seller.trade}{cat}", f"{seller.trade}的小店", f"{seller.trade}{cat}小铺",
                                    f"{seller.operator[-1:] or seller.trade[0]}姐{cat}", f"{seller.trade}优选"])
        elif platform in ("tmall", "jd"):
            name = self.rng.choice([f"{seller.trade}旗舰店", f"{seller.trade}官方旗舰店", f"{seller.trade}{cat}旗舰店",
                                    f"{seller.trade}{cat}专营店"])
        elif platform == "1688":
            name = seller.legal
        else:
            name = self.rng.choice([f"{seller.trade}官方旗舰店", f"{seller.trade}企业店", f"{seller.trade}{cat}",
                                    f"{seller.trade}{cat}专营店", f"{seller.trade}旗舰店"])
        return Shop(platform, shop_id, user_id, sub, name)

    def make(self, kind: str, trade: str | None = None, province: str | None = None,
             industry: tuple[str, str, str, str] | None = None, parent: Seller | None = None,
             city_of: Seller | None = None) -> Seller:
        """One new entity of `kind` (in the city of `city_of` when given)."""
        rng = self.rng
        province, city, district = self._place(province)
        if city_of is not None:
            province, city, district = city_of.province, city_of.city, rng.choice(city_of.city[4])
        if parent is not None:  # a branch: in another city of the parent's province or elsewhere
            while city[0] == parent.city[0]:
                province, city, district = self._place(parent.province if rng.random() < 0.6 else None)
        trade = trade or self._trade()
        industry = industry or rng.choice(INDUSTRIES)
        operator = ""
        if kind == "company":
            legal = rng.choice([f"{city[0]}{trade}{industry[0]}有限公司"] * 4 + [
                f"{REGIONS[province][1]}{trade}{industry[0]}有限公司", f"{trade}（{city_short(city[0])}）{industry[0]}有限公司"])
        elif kind == "branch":
            assert parent is not None
            trade, industry = parent.trade, parent.industry
            legal = f"{parent.legal}{city_short(city[0])}分公司"
        elif kind == "person":
            operator = rng.choice(SURNAMES) + rng.choice(GIVEN)
            word = trade if rng.random() < 0.6 else operator
            prefix = district[0] if district[0].endswith("市") else city[0] + district[0]
            legal = f"{prefix}{word}{industry[3]}"
        elif kind == "coop":
            legal = f"{district[0]}{trade}{rng.choice(COOP_TRADES)}农民专业合作社"
        else:  # webshop: an unregistered person selling online
            operator = rng.choice(SURNAMES) + rng.choice(GIVEN)
            legal = ""
        names: set[object] = {legal}  # a registry never gives one name twice (however the place is written): go elsewhere
        if kind == "company":
            names = {(province if legal.startswith(REGIONS[province][1]) else city[0], trade, industry[0])}
        if legal and names & self.legals:
            return self.make(kind, trade if parent is None else None, None, None, parent)
        self.legals |= names
        code = self._code(kind, district[1]) if kind != "webshop" else ""
        phones = [self._mobile()] if kind in ("person", "webshop", "coop") else [self._landline(city)]
        if rng.random() < 0.4:
            phones.append(self._mobile() if phones[0][0] != "1" else self._landline(city))
        if parent is not None and rng.random() < 0.7:
            phones.append(parent.phones[-1])  # the group's hotline
        if kind == "company" and rng.random() < 0.25:
            phones.append("400" + "".join(rng.choice("0123456789") for _ in range(7)))
        seller = Seller(len(self.sellers), kind, province, city, district, trade, industry, legal, code, phones,
                        self._address(province, city, district), operator=operator, parent=parent)
        n_shops = {"company": [0, 1, 1, 2, 3], "branch": [0, 0, 1], "person": [0, 1, 1, 2], "coop": [0, 0, 1],
                   "webshop": [1, 1, 2]}[kind]
        open_to = PLATFORMS if kind in ("company", "branch") else [p for p in PLATFORMS if p not in ("tmall", "jd")]
        for platform in rng.sample(open_to, rng.choice(n_shops)):
            seller.shops.append(self._shop(seller, platform))
        self.sellers.append(seller)
        return seller

    def populate(self, n: int) -> list[Seller]:
        """`n` entities, with namesakes, branches and same-city different-trade pairs planted."""
        rng = self.rng
        while len(self.sellers) < n:
            r = rng.random()
            companies = [s for s in self.sellers if s.kind == "company"]
            if r < 0.07 and companies:
                self.make("branch", parent=rng.choice(companies))
            elif r < 0.17 and self.sellers:  # a namesake: the same trade name elsewhere, often the same trade
                other = rng.choice(self.sellers)
                same_province = rng.random() < 0.4
                self.make(rng.choice(["company", "company", "person", "coop"]), trade=other.trade,
                          province=other.province if same_province else None,
                          industry=other.industry if rng.random() < 0.6 else None)
            elif r < 0.21 and companies:  # the same trade name in the same city, another trade
                other = rng.choice(companies)
                industry = rng.choice([i for i in INDUSTRIES if i[0] != other.industry[0]])
                self.make("company", trade=other.trade, industry=industry, city_of=other)
            else:
                self.make(rng.choices(["company", "person", "coop", "webshop"], [0.5, 0.3, 0.07, 0.13])[0])
        return self.sellers[:n]


# --- writing one record -------------------------------------------------------------------------------------------

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
CN_DIGITS = "〇一二三四五六七八九"


def _full_width(text: str) -> str:
    return "".join(FULL_WIDTH.get(c, c) for c in text)


def _traditional(text: str) -> str:
    for simple, trad in sorted(TRADITIONAL.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(simple, trad)
    return text


def _english(s: Seller, rng: random.Random) -> str:
    city_en = s.city[3]
    if s.kind == "branch" and s.parent is not None:
        return f"{s.parent.city[3]} {_pinyin(s.trade)} {s.industry[1]} Co., Ltd. {city_en} Branch"
    if s.kind == "coop":
        return f"{city_en} {_pinyin(s.trade)} Farmers Cooperative"
    form = rng.choice(["Co., Ltd.", "Co.,Ltd", "CO., LTD.", "Company Limited"])
    return f"{city_en} {_pinyin(s.trade)} {s.industry[1]} {form}"


def _legal_variant(s: Seller, rng: random.Random) -> str:
    """The legal name as a clerk or a seller might type it."""
    name = s.legal
    r = rng.random()
    province_full, province_short = REGIONS[s.province][0], REGIONS[s.province][1]
    city, short = s.city[0], city_short(s.city[0])
    if r < 0.40:
        pass
    elif r < 0.52 and name.startswith(city):
        name = short + name[len(city):]  # 市 omitted
    elif r < 0.60 and name.startswith((city, short)):
        name = province_full + name if rng.random() < 0.5 else province_short + name
    elif r < 0.66 and name.startswith(city) and s.kind == "company":
        name = name[len(city):]  # no place at all
    elif r < 0.72 and s.kind in ("company", "branch"):
        name = name.replace("有限公司", "有限责任公司", 1)
    elif r < 0.77:
        name = _traditional(name)
    elif r < 0.81:
        name = name.replace("（", "(").replace("）", ")") if "（" in name else name.replace("有限公司", "有限 公司")
    elif r < 0.86 and any(c in HOMOPHONES for c in s.trade):
        c = next(c for c in s.trade if c in HOMOPHONES)
        name = name.replace(s.trade, s.trade.replace(c, HOMOPHONES[c], 1), 1)
    elif r < 0.90 and s.kind == "person":
        name = f"{name}（个体工商户）" if rng.random() < 0.5 else f"{s.operator}（个体工商户）"
    elif r < 0.93 and s.kind != "person":
        name = _english(s, rng)
        if rng.random() < 0.3:
            name = _full_width(name)
    elif r < 0.96 and s.kind == "company" and name.startswith(city):
        name = f"{s.trade}（{short}）{name[len(city) + len(s.trade):]}"
    return name


def _shop_style(s: Seller, rng: random.Random) -> str:
    """A shop-style name: weak evidence, shared by namesakes."""
    cat = s.industry[2]
    if s.kind in ("person", "webshop"):
        return rng.choice([f"{s.trade}{cat}", f"{s.trade}商行", f"{s.trade}经营部", f"{s.operator}",
                           f"{s.trade}{cat}店"])
    if s.kind == "branch":
        short = city_short(s.city[0])
        return rng.choice([f"{s.trade}{short}分公司", f"{s.trade}{short}经营部", f"{s.trade}（{short}）"])
    if s.kind == "coop":
        return rng.choice([f"{s.trade}合作社", f"{s.trade}农场", f"{s.trade}{cat}基地店"])
    return rng.choice([f"{s.trade}旗舰店", f"{s.trade}官方旗舰店", f"{s.trade}{cat}专营店", f"{s.trade}企业店",
                       f"{s.trade}{s.industry[0]}", f"{s.trade}经营部"])


def _code_variant(code: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return code
    if r < 0.62:
        return code.lower()
    if r < 0.68:
        return f"{code[:2]} {code[2:8]} {code[8:17]} {code[17]}"
    if r < 0.74:
        return rng.choice(["统一社会信用代码：", "信用代码:", "USCC "]) + code
    if r < 0.78:
        return _full_width(code)
    if r < 0.86:  # one character mistyped (never into a valid code)
        while True:
            k = rng.randrange(18)
            bad = code[:k] + rng.choice(CODE_CHARS.replace(code[k], "")) + code[k + 1:]
            if not code_valid(bad):
                return bad
    if r < 0.92 and ("0" in code[2:] or "1" in code[2:]):  # O for 0, I for 1
        k = next(k for k in range(2, 18) if code[k] in "01")
        return code[:k] + ("O" if code[k] == "0" else "I") + code[k + 1:]
    for _ in range(20):  # two neighbours swapped
        k = rng.randrange(17)
        bad = code[:k] + code[k + 1] + code[k] + code[k + 2:]
        if bad != code and not code_valid(bad):
            return bad
    return code


def _phone_variant(phone: str, s: Seller, rng: random.Random) -> str:
    r = rng.random()
    if phone.startswith("1") and len(phone) == 11:
        forms = [phone, phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
                 f"+86 {phone}", f"+86-{phone}", f"86{phone}", _full_width(phone)]
        return rng.choice(forms)
    if phone.startswith("400"):
        return rng.choice([phone, f"{phone[:3]}-{phone[3:6]}-{phone[6:]}", f"{phone[:4]}-{phone[4:]}"])
    area, local = phone.split("-")
    if r < 0.3:
        return phone
    if r < 0.45:
        return local  # no area code
    if r < 0.55:
        return f"({area}){local}"
    if r < 0.65:
        return f"{area} {local[:4]} {local[4:]}"
    if r < 0.75:
        return f"{phone}{rng.choice(['转', '-', ' ext.', '分机'])}{rng.randint(800, 8999)}"
    if r < 0.83:
        return f"+86-{area[1:]}-{local}"
    if r < 0.9:
        return _full_width(phone)
    if len(s.phones) > 1:
        other = next(p for p in s.phones if p != phone) if any(p != phone for p in s.phones) else phone
        return f"{phone} / {other}" if rng.random() < 0.5 else f"{phone}，{other}"
    return area + local


def _address_variant(address: str, s: Seller, rng: random.Random) -> str:
    province_full = REGIONS[s.province][0]
    r = rng.random()
    if r < 0.35:
        return address
    if r < 0.5:
        return address[len(province_full):]
    if r < 0.6:
        return address[len(province_full) + len(s.city[0]):]
    if r < 0.7:
        return address.replace(s.district[0], "", 1)
    if r < 0.78:
        return "".join(FULL_WIDTH.get(c, c) if c.isdigit() else c for c in address)
    if r < 0.84:
        return "".join(CN_DIGITS[int(c)] if c.isdigit() else c for c in address)
    if r < 0.9:
        return address.replace("栋", "幢").replace("号", "號") if "栋" in address else address.replace("号", "#", 1)
    if r < 0.95:
        return address[len(province_full):].replace(s.city[0], city_short(s.city[0]), 1)
    return f"{REGIONS[s.province][1]}{city_short(s.city[0])}{address[len(province_full) + len(s.city[0]):]}"


def _url(shop: Shop, rng: random.Random) -> str:
    spm = f"spm=a{rng.randint(200, 299)}r.{rng.randint(1000000, 9999999)}.0.0.{rng.randint(1000, 9999)}"
    token = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    sid, uid, sub = shop.shop_id, shop.user_id, shop.sub
    forms = {
        "taobao": [f"https://shop{sid}.taobao.com", f"https://shop{sid}.taobao.com/?{spm}",
                   f"http://shop{sid}.taobao.com/index.htm", f"https://shop{sid}.m.taobao.com/",
                   f"https://shop.m.taobao.com/shop/shop_index.htm?shop_id={sid}&{spm}",
                   f"https://{sub}.taobao.com/", f"https://SHOP{sid}.TAOBAO.COM/",
                   f"https://m.tb.cn/h.{token}?tk={token[:5]}"],
        "tmall": [f"https://{sub}.tmall.com", f"https://{sub}.tmall.com/shop/view_shop.htm?{spm}",
                  f"https://{sub}.m.tmall.com/", f"https://shop.m.tmall.com/shop/shop_index.htm?shop_id={sid}",
                  f"https://{sub}.tmall.com/?shop_id={sid}&user_number_id={uid}",
                  f"https://m.tb.cn/h.{token}"],
        "jd": [f"https://mall.jd.com/index-{sid}.html", f"https://mall.jd.com/index-{sid}.html?from=pc",
               f"http://mall.jd.com/index-{sid}.html", f"https://shop.m.jd.com/?shopId={sid}",
               f"https://shop.m.jd.com/shop/home?shopId={sid}&utm_source=androidapp",
               f"https://{sub}.jd.com/", f"https://3.cn/{token[:6]}-{token[6:]}"],
        "pdd": [f"https://mobile.yangkeduo.com/mall_page.html?mall_id={sid}",
                f"https://mobile.yangkeduo.com/mall_page.html?mall_id={sid}&refer_page_name=goods_detail"
                f"&_x_share_id={token}", f"https://mobile.pinduoduo.com/mall_page.html?mall_id={sid}",
                f"https://yangkeduo.com/mall_page.html?refer_share_channel=message&mall_id={sid}",
                f"http://mobile.yangkeduo.com/mall_page.html?mall_id={sid}"],
        "douyin": [f"https://haohuo.jinritemai.com/views/shop/index?id={sid}",
                   f"https://haohuo.jinritemai.com/views/shop/index?id={sid}&origin_type=604",
                   f"https://haohuo.jinritemai.com/ecommerce/trade/shop/index.html?shop_id={sid}",
                   f"https://www.douyin.com/user/MS4wLjABAAAA{uid}x{sub}",
                   f"https://v.douyin.com/{token}/"],
        "kuaishou": [f"https://app.kwaixiaodian.com/page/kwaishop-buyer-shop-home?shopId={sid}",
                     f"https://www.kuaishou.com/profile/3x{sub}{uid[-4:]}",
                     f"https://live.kuaishou.com/profile/3x{sub}{uid[-4:]}",
                     f"https://v.kuaishou.com/{token}"],
        "1688": [f"https://{sub}.1688.com/", f"https://shop{sid}.1688.com/page/index.htm",
                 f"https://shop{sid}.1688.com/page/creditdetail.htm?{spm}",
                 f"https://winport.m.1688.com/page/index.html?memberId=b2b-{uid}{sub[:3]}",
                 f"https://m.1688.com/winport/b2b-{uid}{sub[:3]}.html"],
    }[shop.platform]
    return rng.choice(forms)


def write_record(rng: random.Random, s: Seller) -> dict[str, str]:
    """One provincial office's record of seller `s` (without the id)."""
    region = s.province if rng.random() < 0.5 else rng.choice(list(REGIONS))
    record: dict[str, str] = {"region": region}
    shop = rng.choice(s.shops) if s.shops else None
    r = rng.random()
    if s.kind == "webshop":
        style = "shop"
    elif r < 0.13:
        style = "legal-only"  # the full legal name alone
    elif r < 0.24:
        style = "weak"  # a shop-style name alone
    elif r < 0.55 and shop is not None:
        style = "shop"
    else:
        style = "legal"
    if style == "legal-only":
        record["name"] = s.legal if rng.random() < 0.7 else _legal_variant(s, rng)
        return record
    if style == "weak":
        record["name"] = _shop_style(s, rng)
        return record
    if style == "shop":
        assert shop is not None
        record["name"] = shop.name if rng.random() < 0.7 else _shop_style(s, rng)
        record["shop_url"] = _url(shop, rng)
        if rng.random() < 0.45:
            record["phone"] = _phone_variant(rng.choice(s.phones), s, rng)
        if s.code and rng.random() < 0.25:
            record["uscc"] = _code_variant(s.code, rng)
        if rng.random() < 0.2:
            record["address"] = _address_variant(s.address, s, rng)
        return record
    record["name"] = _legal_variant(s, rng)
    if s.code and rng.random() < 0.6:
        record["uscc"] = _code_variant(s.code, rng)
    if rng.random() < 0.55:
        record["phone"] = _phone_variant(rng.choice(s.phones), s, rng)
    if rng.random() < 0.55:
        record["address"] = _address_variant(s.address, s, rng)
    if shop is not None and rng.random() < 0.3:
        record["shop_url"] = _url(shop, rng)
    return record


def _records_per_seller(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5, 6, 8, 11], [36, 20, 14, 10, 8, 5, 5, 2])[0]


def independent6_sellers(entities: int, seed: int) -> Iterator[tuple[dict[str, str], int]]:
    """`entities` sellers' records as (record, entity key); ids q0, q1, ... in output order."""
    world = World(seed)
    sellers = world.populate(entities)
    rng = random.Random(f"independent6-records:{seed}")
    rows: list[tuple[dict[str, str], int]] = []
    for s in sellers:
        for _ in range(_records_per_seller(rng)):
            rows.append((write_record(rng, s), s.key))
    rng.shuffle(rows)
    for n, (record, key) in enumerate(rows):
        yield {"id": f"q{n}", **record}, key


if __name__ == "__main__":
    import json
    import sys

    for rec, key in independent6_sellers(int(sys.argv[1]) if len(sys.argv) > 1 else 30, 11):
        print(key, json.dumps(rec, ensure_ascii=False))
