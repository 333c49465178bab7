"""A third independent seller-dedup set, written blind: its author never read the normalizer or the comparison rules.

Since session 15 this is a **tuning set**: its records were read to find the causes of its misses (docs/benchmarks.md,
"Issue 11, session 15 (dedup15)"), so its score no longer tells how the rules carry over to unseen data.

Written in session 14 (dedupset14) from what market-supervision, platform and customs seller records look
like, knowing only the record interface (`{"id", "name", "region", "uscc"?, "phone"?, "address"?,
"shop_url"?}`, one entity key per record). It imports nothing from `national`, `regional` or `sync`, and
shares no table with `generate.py`, `independent.py` or `independent2.py`:

* other places: ten filing regions that are mostly frontier and island provinces (内蒙古, 新疆, 甘肃, 海南,
  山西, 湖北, 云南) besides 上海 (districts only: 松江/青浦/嘉定/闵行/奉贤), 浙江 and 广东 (county-level
  cities and industrial towns: 温岭, 诸暨, 永康, 海宁, 普宁, 揭阳, 潮州, ...); 盟 (锡林郭勒盟, 兴安盟),
  地区 (喀什地区), 自治州 (伊犁, 临夏, 恩施, 大理, 西双版纳), provincial-level county cities (琼海, 仙桃), 兰州新区;
  district names several cities share (新城区, 城关区, 青山区);
* other trades (乳业, 羊绒制品, 汽摩配件, 袜业, 皮革制品, 玉器, 陶瓷, 渔具, ...), trade names from its own
  syllable pools, person-name individual businesses (张伟（个体工商户）), Latin brand names;
* other name patterns: 字号（地名）行业有限公司, 集团/股份, branches that are separate entities (XX有限公司包头分公司,
  XX有限公司赛罕区门市部), 门市部/商行/批发部/经营部/工作室/网店, 农民专业合作社, English customs names
  (`Inner Mongolia Tuoling Dairy Co., Ltd.`), pinyin;
* its own error model: OCR look-alikes (形近字), input-method homophones, traditional characters, dropped
  省/市, province abbreviations (沪/浙/粤/蒙/新/甘/琼/晋/鄂/滇), full/half-width brackets and digits,
  有限责任公司 vs 有限公司, 股份有限公司 vs 股份公司; addresses with 号/弄/栋/幢/座/室 variants, `18#`,
  `18-3-501`, Chinese numerals, English addresses; phones with +86, dashes, spaces, extensions (转/-/ext),
  several numbers with different separators, landlines without area code, full-width digits; credit codes
  lower-cased, spaced, with a label, OCR-damaged or transposed (invalid check character), or the old
  15-digit registration number;
* its own URL shapes: Taobao/Tmall/JD/PDD/Douyin/Kuaishou/Xiaohongshu/1688/Weidian shops in PC and mobile
  forms, the path form `https://host/shopNNNN?…`, Douyin shop pages (`views/shop/index?id=`,
  `shop_id=`, `/user/MS4wLjABAAAA…`), Kuaishou (`sellerId=`, `/profile/3x…`), Xiaohongshu (`/user/profile/`,
  `/shop/`), short share links (v.douyin.com, v.kuaishou.com, xhslink.com, m.tb.cn, 3.cn, p.pinduoduo.com)
  that identify nothing, and platform home pages filed for many unrelated sellers.

The error classes of issue 11 are planted: weak shop-style names without place or identifier that several
entities in different cities share; records with only the full legal name (place + legal form); namesakes
in other cities; near names with their own valid credit codes; one trade name under different legal forms
in different places; branches and sister companies; cluster-registration addresses (集群注册) and
accounting agents' phones filed for many unrelated sellers.

Truth is the entity behind each record. `independent3_sellers(entities, seed)` yields (record, entity key);
record ids are 'k0', 'k1', ... in output order (the bench reads the index after the first letter).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

# --- GB 32100 unified social credit codes (computed here) -------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organization code


def uscc_check(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    """True when `code` is 18 characters of the alphabet with a correct check character."""
    return (len(code) == 18 and all(c in USCC_ALPHABET for c in code)
            and uscc_check(code[:17]) == code[17])


def _org_check(first8: str) -> str:
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


# --- places -------------------------------------------------------------------------------------------------

# province: (filing region, abbreviation, short name, pinyin)
PROVINCES = {
    "上海市": ("310000", "沪", "上海", "Shanghai"),
    "浙江省": ("330000", "浙", "浙江", "Zhejiang"),
    "广东省": ("440000", "粤", "广东", "Guangdong"),
    "内蒙古自治区": ("150000", "蒙", "内蒙古", "Inner Mongolia"),
    "新疆维吾尔自治区": ("650000", "新", "新疆", "Xinjiang"),
    "甘肃省": ("620000", "甘", "甘肃", "Gansu"),
    "海南省": ("460000", "琼", "海南", "Hainan"),
    "山西省": ("140000", "晋", "山西", "Shanxi"),
    "湖北省": ("420000", "鄂", "湖北", "Hubei"),
    "云南省": ("530000", "滇", "云南", "Yunnan"),
}
REGIONS = [v[0] for v in PROVINCES.values()]


@dataclass(frozen=True)
class Place:
    """A city or county-level city: where an entity is registered."""

    name: str  # 温岭市, 上海市
    province: str
    area: str  # telephone area code
    parent: str  # the prefecture it belongs to ('' when none): 台州市, 锡林郭勒盟
    parent_short: str  # 台州, 锡林郭勒盟, 大理州
    pinyin: str
    districts: tuple[tuple[str, str], ...]  # (district/town, admin code)

    @property
    def short(self) -> str:
        return self.name[:-1] if self.name.endswith("市") and len(self.name) > 2 else self.name


def _p(name: str, province: str, area: str, parent: str, parent_short: str, pinyin: str,
       *districts: tuple[str, str]) -> Place:
    return Place(name, province, area, parent, parent_short, pinyin, tuple(districts))


PLACES = [
    _p("上海市", "上海市", "021", "", "", "Shanghai", ("松江区", "310117"), ("青浦区", "310118"), ("嘉定区", "310114"),
       ("闵行区", "310112"), ("奉贤区", "310120")),
    _p("台州市", "浙江省", "0576", "", "", "Taizhou", ("路桥区", "331004"), ("椒江区", "331002"), ("黄岩区", "331003")),
    _p("温岭市", "浙江省", "0576", "台州市", "台州", "Wenling", ("城东街道", "331081"), ("泽国镇", "331081"),
       ("大溪镇", "331081")),
    _p("诸暨市", "浙江省", "0575", "绍兴市", "绍兴", "Zhuji", ("暨阳街道", "330681"), ("大唐街道", "330681"),
       ("山下湖镇", "330681")),
    _p("永康市", "浙江省", "0579", "金华市", "金华", "Yongkang", ("东城街道", "330784"), ("古山镇", "330784")),
    _p("湖州市", "浙江省", "0572", "", "", "Huzhou", ("吴兴区", "330502"), ("南浔区", "330503")),
    _p("海宁市", "浙江省", "0573", "嘉兴市", "嘉兴", "Haining", ("海洲街道", "330481"), ("许村镇", "330481")),
    _p("揭阳市", "广东省", "0663", "", "", "Jieyang", ("榕城区", "445202"), ("揭东区", "445203")),
    _p("普宁市", "广东省", "0663", "揭阳市", "揭阳", "Puning", ("流沙东街道", "445281"), ("流沙西街道", "445281"),
       ("军埠镇", "445281")),
    _p("潮州市", "广东省", "0768", "", "", "Chaozhou", ("湘桥区", "445102"), ("潮安区", "445103")),
    _p("江门市", "广东省", "0750", "", "", "Jiangmen", ("蓬江区", "440703"), ("江海区", "440704")),
    _p("惠州市", "广东省", "0752", "", "", "Huizhou", ("惠城区", "441302"), ("惠阳区", "441303")),
    _p("呼和浩特市", "内蒙古自治区", "0471", "", "", "Hohhot", ("新城区", "150102"), ("回民区", "150103"),
       ("赛罕区", "150105")),
    _p("包头市", "内蒙古自治区", "0472", "", "", "Baotou", ("昆都仑区", "150203"), ("青山区", "150204")),
    _p("锡林浩特市", "内蒙古自治区", "0479", "锡林郭勒盟", "锡林郭勒盟", "Xilinhot", ("宝力根街道", "152502"),
       ("杭盖街道", "152502")),
    _p("乌兰浩特市", "内蒙古自治区", "0482", "兴安盟", "兴安盟", "Ulanhot", ("和平街道", "152201")),
    _p("鄂尔多斯市", "内蒙古自治区", "0477", "", "", "Ordos", ("东胜区", "150602"), ("康巴什区", "150603")),
    _p("乌鲁木齐市", "新疆维吾尔自治区", "0991", "", "", "Urumqi", ("天山区", "650102"), ("沙依巴克区", "650103"),
       ("新市区", "650104")),
    _p("喀什市", "新疆维吾尔自治区", "0998", "喀什地区", "喀什地区", "Kashgar", ("恰萨街道", "653101")),
    _p("伊宁市", "新疆维吾尔自治区", "0999", "伊犁哈萨克自治州", "伊犁州", "Yining", ("墩买里街道", "654002")),
    _p("霍尔果斯市", "新疆维吾尔自治区", "0999", "伊犁哈萨克自治州", "伊犁州", "Khorgos", ("卡拉苏街道", "654004")),
    _p("兰州市", "甘肃省", "0931", "", "", "Lanzhou", ("城关区", "620102"), ("七里河区", "620103"),
       ("兰州新区", "620121")),
    _p("天水市", "甘肃省", "0938", "", "", "Tianshui", ("秦州区", "620502"), ("麦积区", "620503")),
    _p("临夏市", "甘肃省", "0930", "临夏回族自治州", "临夏州", "Linxia", ("城南街道", "622901")),
    _p("海口市", "海南省", "0898", "", "", "Haikou", ("龙华区", "460106"), ("美兰区", "460108"), ("秀英区", "460105")),
    _p("三亚市", "海南省", "0898", "", "", "Sanya", ("吉阳区", "460203"), ("天涯区", "460204")),
    _p("琼海市", "海南省", "0898", "", "", "Qionghai", ("嘉积镇", "469002")),
    _p("儋州市", "海南省", "0898", "", "", "Danzhou", ("那大镇", "460400")),
    _p("太原市", "山西省", "0351", "", "", "Taiyuan", ("小店区", "140105"), ("迎泽区", "140106"), ("万柏林区", "140109")),
    _p("大同市", "山西省", "0352", "", "", "Datong", ("平城区", "140213"), ("云冈区", "140214")),
    _p("晋中市", "山西省", "0354", "", "", "Jinzhong", ("榆次区", "140702")),
    _p("运城市", "山西省", "0359", "", "", "Yuncheng", ("盐湖区", "140802")),
    _p("宜昌市", "湖北省", "0717", "", "", "Yichang", ("西陵区", "420502"), ("伍家岗区", "420503")),
    _p("襄阳市", "湖北省", "0710", "", "", "Xiangyang", ("樊城区", "420606"), ("襄城区", "420602")),
    _p("恩施市", "湖北省", "0718", "恩施土家族苗族自治州", "恩施州", "Enshi", ("舞阳坝街道", "422801")),
    _p("仙桃市", "湖北省", "0728", "", "", "Xiantao", ("干河街道", "429004")),
    _p("十堰市", "湖北省", "0719", "", "", "Shiyan", ("茅箭区", "420302"), ("张湾区", "420303")),
    _p("大理市", "云南省", "0872", "大理白族自治州", "大理州", "Dali", ("下关街道", "532901")),
    _p("景洪市", "云南省", "0691", "西双版纳傣族自治州", "西双版纳州", "Jinghong", ("允景洪街道", "532801")),
    _p("曲靖市", "云南省", "0874", "", "", "Qujing", ("麒麟区", "530302")),
]
# the trades each place is known for (half of its firms pick one of these)
LOCAL_TRADES = {
    "台州市": ("汽摩配件", "塑料制品"), "温岭市": ("汽摩配件", "鞋业"), "诸暨市": ("袜业", "珠宝"),
    "永康市": ("五金制品", "电动工具"), "湖州市": ("童装", "竹木制品"), "海宁市": ("皮革制品", "家纺"),
    "普宁市": ("服饰", "针织"), "揭阳市": ("玉器", "五金制品"), "潮州市": ("陶瓷", "食品"), "江门市": ("灯饰", "卫浴"),
    "惠州市": ("电子", "户外用品"), "呼和浩特市": ("乳业", "牧业"), "包头市": ("牧业", "羊绒制品"),
    "锡林浩特市": ("牧业", "食品"), "乌兰浩特市": ("农业开发", "食品"), "鄂尔多斯市": ("羊绒制品", "能源科技"),
    "乌鲁木齐市": ("果业", "进出口"), "喀什市": ("果业", "进出口"), "伊宁市": ("果业", "蜂业"),
    "霍尔果斯市": ("进出口", "供应链管理"), "兰州市": ("食品", "药业"), "天水市": ("果业", "食品"),
    "临夏市": ("食品", "皮革制品"), "海口市": ("化妆品", "供应链管理"), "三亚市": ("化妆品", "食品"),
    "琼海市": ("食品", "农业开发"), "儋州市": ("农业开发", "食品"), "太原市": ("食品", "药业"),
    "大同市": ("食品", "农业开发"), "晋中市": ("食品", "茶业"), "运城市": ("果业", "农业开发"),
    "宜昌市": ("茶业", "食品"), "襄阳市": ("汽摩配件", "食品"), "恩施市": ("茶业", "农业开发"),
    "仙桃市": ("无纺布制品", "食品"), "十堰市": ("汽摩配件", "茶业"), "大理市": ("茶业", "文化传媒"),
    "景洪市": ("茶业", "果业"), "曲靖市": ("食品", "农业开发"), "上海市": ("电子商务", "供应链管理"),
}

ROADS = (("解放", "Jiefang"), ("团结", "Tuanjie"), ("振兴", "Zhenxing"), ("迎宾", "Yingbin"), ("幸福", "Xingfu"),
         ("育才", "Yucai"), ("腾飞", "Tengfei"), ("友谊", "Youyi"), ("康乐", "Kangle"), ("兴业", "Xingye"),
         ("开元", "Kaiyuan"), ("金海", "Jinhai"), ("创业", "Chuangye"), ("滨海", "Binhai"), ("椰林", "Yelin"),
         ("草原", "Caoyuan"), ("天山", "Tianshan"), ("北京", "Beijing"), ("延安", "Yan'an"), ("新华", "Xinhua"),
         ("光华", "Guanghua"), ("商城", "Shangcheng"), ("丝路", "Silu"), ("沿江", "Yanjiang"), ("南湖", "Nanhu"))
ROAD_KINDS = (("路", "Road"), ("大街", "Street"), ("街", "Street"), ("大道", "Avenue"), ("东路", "East Road"),
              ("西路", "West Road"), ("北路", "North Road"))
COMPLEXES = ("国际商贸城", "电商产业园", "小微企业园", "综合市场", "农贸市场", "物流港", "跨境电商园", "创客空间",
             "商务大厦", "汽配城", "五金城", "袜业城", "玉器街", "陶瓷城", "皮革城", "童装城", "批发市场")
CN_DIGITS = "〇一二三四五六七八九"

# --- trade names -----------------------------------------------------------------------------------------

HEAD = {"鑫": "xin", "恒": "heng", "瑞": "rui", "宏": "hong", "佳": "jia", "顺": "shun", "德": "de", "汇": "hui",
        "锦": "jin", "荣": "rong", "凯": "kai", "骏": "jun", "永": "yong", "金": "jin", "华": "hua", "天": "tian",
        "广": "guang", "众": "zhong", "博": "bo", "新": "xin", "鸿": "hong", "隆": "long", "昌": "chang",
        "万": "wan", "百": "bai", "千": "qian", "星": "xing", "晨": "chen", "聚": "ju", "合": "he", "益": "yi",
        "惠": "hui", "尚": "shang", "安": "an", "远": "yuan", "腾": "teng", "东": "dong", "北": "bei", "西": "xi",
        "润": "run", "清": "qing", "绿": "lv", "青": "qing", "驼": "tuo", "塞": "sai", "漠": "mo", "雪": "xue",
        "椰": "ye", "黎": "li", "滇": "dian", "陇": "long", "汾": "fen", "楚": "chu", "瓯": "ou", "蒙": "meng",
        "牧": "mu", "丝": "si", "云": "yun", "海": "hai", "鹿": "lu", "峡": "xia", "沐": "mu", "岚": "lan",
        "澜": "lan", "桦": "hua", "榆": "yu", "槐": "huai", "枫": "feng", "柏": "bai", "芸": "yun", "苗": "miao"}
TAIL = {"源": "yuan", "达": "da", "丰": "feng", "盛": "sheng", "禾": "he", "祥": "xiang", "通": "tong",
        "信": "xin", "泰": "tai", "利": "li", "业": "ye", "兴": "xing", "桥": "qiao", "茂": "mao", "诚": "cheng",
        "辰": "chen", "裕": "yu", "运": "yun", "家": "jia", "川": "chuan", "禧": "xi", "成": "cheng", "泽": "ze",
        "野": "ye", "香": "xiang", "韵": "yun", "缘": "yuan", "光": "guang", "途": "tu", "航": "hang",
        "铃": "ling", "岭": "ling", "原": "yuan", "林": "lin", "峰": "feng", "语": "yu", "悦": "yue", "乐": "le",
        "驰": "chi", "邦": "bang", "晟": "sheng", "昊": "hao", "琪": "qi", "珑": "long", "坊": "fang", "谷": "gu"}
DOUBLES = (("喵喵", "Miaomiao"), ("糖糖", "Tangtang"), ("豆豆", "Doudou"), ("乐乐", "Lele"), ("嘟嘟", "Dudu"),
           ("朵朵", "Duoduo"), ("果果", "Guoguo"), ("棉棉", "Mianmian"))
LATIN = ("NOMADA", "Yeela", "KUMUL", "Saiyo", "Orchi", "Tinla", "Vastu", "Melo", "Zenko", "Aurum", "Bayan",
         "Tengri", "Oasira", "Lanzo", "Huxi", "Koko Nor", "Sandu", "Velo", "Mirai", "Arslan")
SURNAMES = (("张", "Zhang"), ("王", "Wang"), ("李", "Li"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("马", "Ma"), ("吐尔逊", "Tursun"), ("阿不都", "Abdu"), ("巴特尔", "Bater"), ("黄", "Huang"), ("吴", "Wu"))
GIVEN = (("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("强", "Qiang"),
         ("磊", "Lei"), ("军", "Jun"), ("丽", "Li"), ("艳", "Yan"), ("建国", "Jianguo"), ("海燕", "Haiyan"))

# trade word: (English, individual-business store words)
TRADES = {
    "商贸": ("Trading", ("商行", "门市部", "经营部")), "贸易": ("Trade", ("商行", "经营部")),
    "实业": ("Industrial", ("门市部",)), "电子商务": ("E-commerce", ("工作室", "网店", "电子商务经营部")),
    "网络科技": ("Network Technology", ("工作室",)), "供应链管理": ("Supply Chain Management", ("经营部",)),
    "食品": ("Food", ("食品店", "副食批发部", "特产店")), "农业开发": ("Agricultural Development", ("农资店",)),
    "生物科技": ("Biotechnology", ("经营部",)), "文化传媒": ("Culture Media", ("工作室",)),
    "进出口": ("Import and Export", ("商行",)), "乳业": ("Dairy", ("奶食品店", "乳制品经营部")),
    "牧业": ("Animal Husbandry", ("牛羊肉店", "牛肉干店")), "羊绒制品": ("Cashmere Products", ("羊绒衫专卖店", "羊绒店")),
    "茶业": ("Tea", ("茶庄", "茶叶店", "茶行")), "果业": ("Fruit", ("干果店", "干果批发部")),
    "蜂业": ("Apiculture", ("蜂蜜店",)), "五金制品": ("Hardware Products", ("五金店", "五金批发部")),
    "电动工具": ("Power Tools", ("工具经营部",)), "汽摩配件": ("Auto and Motorcycle Parts", ("汽配商行", "汽配门市部")),
    "塑料制品": ("Plastic Products", ("塑料制品厂",)), "鞋业": ("Footwear", ("鞋店", "鞋业商行")),
    "袜业": ("Hosiery", ("袜业商行", "袜子批发部")), "珠宝": ("Jewelry", ("珍珠饰品店", "珠宝工作室")),
    "竹木制品": ("Bamboo and Wood Products", ("竹木制品店",)), "童装": ("Children's Wear", ("童装店", "童装批发部")),
    "皮革制品": ("Leather Products", ("皮具店", "皮草商行")), "家纺": ("Home Textiles", ("家纺店",)),
    "服饰": ("Apparel", ("服装店", "内衣商行")), "针织": ("Knitting", ("针织内衣厂", "针织商行")),
    "玉器": ("Jade", ("玉器行", "玉器工作室")), "陶瓷": ("Ceramics", ("陶瓷商行", "茶具店")),
    "灯饰": ("Lighting", ("灯饰店",)), "卫浴": ("Sanitary Ware", ("卫浴经营部",)), "电子": ("Electronics", ("电子商行",)),
    "户外用品": ("Outdoor Products", ("户外用品店",)), "能源科技": ("Energy Technology", ("经营部",)),
    "化妆品": ("Cosmetics", ("美妆店", "化妆品商行")), "药业": ("Pharmaceutical", ("药材店",)),
    "渔具": ("Fishing Tackle", ("渔具店",)), "宠物用品": ("Pet Supplies", ("宠物用品店",)),
    "母婴用品": ("Maternal and Infant Products", ("母婴店",)), "无纺布制品": ("Non-woven Products", ("无纺布商行",)),
}
GENERAL_TRADES = ("商贸", "贸易", "实业", "电子商务", "网络科技", "食品", "生物科技", "文化传媒", "进出口",
                  "户外用品", "宠物用品", "母婴用品", "渔具", "化妆品", "服饰")
SHOP_STYLES = ("{t}旗舰店", "{t}官方旗舰店", "{t}{w}专营店", "{t}企业店", "{t}的小店", "{t}工厂店", "{t}源头工厂",
               "{t}优选", "{t}{w}专卖店", "{t}经营部", "{t}{w}店", "{t}甄品馆")

# --- the error model -------------------------------------------------------------------------------------

HOMOPHONES = {"鑫": "新欣心", "恒": "衡横", "瑞": "锐睿", "宏": "鸿弘红", "佳": "嘉家", "顺": "舜", "德": "得",
              "汇": "惠会", "锦": "金", "荣": "融容", "凯": "铠楷", "骏": "俊峻", "华": "骅", "隆": "龙",
              "昌": "常", "晨": "辰", "源": "元园原", "达": "大", "丰": "峰风", "盛": "胜晟", "祥": "翔详",
              "泰": "太", "利": "力立", "兴": "星", "茂": "贸", "诚": "成城", "辰": "晨", "裕": "玉", "运": "韵",
              "川": "船", "禧": "喜", "泽": "择", "韵": "运", "缘": "源", "航": "杭", "岭": "领", "峰": "锋",
              "悦": "越", "驰": "池", "琪": "棋", "珑": "龙", "绿": "律", "塞": "赛", "椰": "耶", "柏": "百",
              "沐": "木", "澜": "兰", "岚": "兰", "枫": "风", "榆": "渝", "雪": "学", "蒙": "萌", "坊": "芳"}
LOOKALIKES = {"己": "已", "未": "末", "土": "士", "日": "曰", "天": "夭", "千": "干", "王": "玉", "大": "太",
              "木": "本", "白": "自", "贝": "见", "汇": "江", "锦": "绵", "永": "水", "金": "全", "万": "方",
              "百": "白", "合": "台", "益": "盖", "清": "请", "青": "青", "雪": "雷", "达": "迭", "祥": "样",
              "泰": "秦", "业": "亚", "桥": "侨", "诚": "城", "远": "运", "裕": "浴", "泽": "择", "香": "杳",
              "缘": "绿", "途": "涂", "航": "舫", "铃": "玲", "林": "材", "峰": "锋", "乐": "东", "驰": "弛",
              "昊": "吴", "琪": "棋", "市": "币", "商": "啇", "贸": "资", "限": "恨", "司": "可", "部": "郜",
              "博": "搏", "辰": "展", "漠": "摸", "驼": "陀", "丝": "丛", "邦": "帮", "晟": "最"}
TRADITIONAL = dict(zip(
    "恒汇锦荣凯骏华广众鸿万东绿驼陇丝云峡岚澜桦枫达丰业兴桥润诚远运泽韵缘铃岭语乐驰珑贸电务网络实进农开发饰门经营厂个体户"
    "绒制袜针织装宝灯婴宠妆纺渔药责团伙专销舰应链术产区县镇楼号层单园场湾龙内尔鲁齐兰晋阳头锡乌临亚闵贤乡书车机长"
    "庄行质鸟风马鱼鸡虾时红为东义",
    "恆匯錦榮凱駿華廣眾鴻萬東綠駝隴絲雲峽嵐瀾樺楓達豐業興橋潤誠遠運澤韻緣鈴嶺語樂馳瓏貿電務網絡實進農開發飾門經營廠個體戶"
    "絨製襪針織裝寶燈嬰寵妝紡漁藥責團夥專銷艦應鏈術產區縣鎮樓號層單園場灣龍內爾魯齊蘭晉陽頭錫烏臨亞閔賢鄉書車機長"
    "莊行質鳥風馬魚雞蝦時紅為東義", strict=True))
OCR_CODE = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "Q": "0", "U": "V", "G": "6", "D": "0", "B": "8"}
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_letters + "()-#,"}

# --- shops ---------------------------------------------------------------------------------------------

PLATFORMS = ("taobao", "tmall", "jd", "pdd", "douyin", "kuaishou", "xiaohongshu", "1688", "weidian", "path")
PATH_HOSTS = ("m.dianpu365.cn", "www.shangjiatong.com", "mall.youxuanhui.cn", "h5.weishangquan.net",
              "shop.xiaochengxu.cn", "www.kuajingmall.com")
SHORT_LINK = ("https://v.douyin.com/{s}/", "https://v.kuaishou.com/{s}", "http://xhslink.com/{s}",
              "https://m.tb.cn/h.{s}", "https://3.cn/{s}", "https://p.pinduoduo.com/{s}", "https://u.jd.com/{s}")
HOME_PAGES = ("https://www.taobao.com/", "https://haohuo.jinritemai.com/", "https://www.douyin.com/",
              "https://www.kuaishou.com/", "https://www.xiaohongshu.com/explore", "https://www.1688.com/",
              "https://mobile.yangkeduo.com/")
TRACKING = ("spm=a1z10.1-c.0.0", "from=share", "share_token=9f2c", "utm_source=copy", "sec_uid=MS4wLjAB",
            "scene=2", "xsec_source=app_share", "tt_from=copy_link", "fxz=1", "ali_trackid=2:mm_26632258")


@dataclass
class Entity:
    """One market entity: the truth behind its records."""

    key: int
    kind: str  # company | branch | individual | person | online | coop
    place: Place
    district: str
    trade_name: str
    trade_pinyin: str
    trade: str
    legal: str  # the registered name
    english: str = ""
    code: str = ""
    old_reg: str = ""  # 15-digit registration number of before 2016
    mobiles: list[str] = field(default_factory=list)
    landline: str = ""  # area-code-number
    extension: str = ""
    hotline: str = ""  # 400 number of a group
    address: tuple[str, ...] = ()  # (road, number, building, room) pieces
    address_en: str = ""
    shops: list[tuple[str, str]] = field(default_factory=list)  # (platform, shop id)
    shop_names: list[str] = field(default_factory=list)
    parent: int = -1


class World:
    """Entities and the records ten regions file about them (deterministic per seed)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(f"independent3:{seed}")
        self.entities: list[Entity] = []
        self.used_trade: set[str] = set()
        self.used_codes: set[str] = set()
        self.used_mobiles: set[str] = set()
        self.used_shops: set[tuple[str, str]] = set()
        r = self.r
        # accounting agents and registration agents: their phones go on many unrelated firms' filings
        self.agent_phones = [self._mobile() for _ in range(4)] + [f"0898-{r.randint(6000000, 6999999)}",
                                                                  f"0991-{r.randint(3000000, 3999999)}"]
        # cluster registration addresses (集群注册): one address, many unrelated firms
        self.cluster = [(p, d, f"{road}{kind}{r.randint(1, 300)}号{r.choice(COMPLEXES)}{r.randint(2, 12)}楼"
                         f"{r.randint(1, 30):02d}{r.randint(1, 40):02d}室（集群注册）")
                        for p, d, road, kind in ((PLACES[24], "龙华区", "滨海", "大道"), (PLACES[20], "卡拉苏街道", "丝路", "大街"),
                                                 (PLACES[0], "奉贤区", "金海", "路"), (PLACES[25], "吉阳区", "迎宾", "路"))]

    # identifiers ----------------------------------------------------------------------------------
    def _mobile(self) -> str:
        r = self.r
        while True:
            m = r.choice(("13", "15", "17", "18", "19")) + str(r.randint(0, 9)) + f"{r.randint(0, 99999999):08d}"
            if m not in self.used_mobiles:
                self.used_mobiles.add(m)
                return m

    def new_code(self, kind: str, admin: str) -> str:
        """A fresh valid credit code: 91 companies, 92 individual businesses, 93 cooperatives."""
        r = self.r
        head = {"individual": "92", "person": "92", "online": "92", "coop": "93"}.get(kind, "91")
        while True:
            if r.random() < 0.6:  # registered since 2016: MA + 6 characters
                body = "MA" + "".join(r.choice(USCC_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            else:
                body = f"{r.randint(10000000, 99999999)}"
            org = body + _org_check(body)
            if any(c not in USCC_ALPHABET for c in org):
                continue
            first17 = head + admin + org
            code = first17 + uscc_check(first17)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def near_code(self, code: str) -> str:
        """Another valid code one or two characters away (a different firm filed next door)."""
        r = self.r
        while True:
            chars = list(code[:17])
            k = r.randrange(10, 16)
            chars[k] = r.choice([c for c in "0123456789" if c != chars[k]])
            first17 = "".join(chars)
            new = first17 + uscc_check(first17)
            if new not in self.used_codes:
                self.used_codes.add(new)
                return new

    def damaged_code(self, code: str) -> str:
        """The code as an OCR or a typist broke it: never passes the check."""
        r = self.r
        while True:
            chars = list(code)
            roll = r.random()
            if roll < 0.5:
                spots = [k for k, c in enumerate(chars) if c in OCR_CODE]
                if not spots:
                    continue
                k = r.choice(spots)
                chars[k] = OCR_CODE[chars[k]]
            elif roll < 0.8:
                k = r.randrange(2, 17)
                chars[k], chars[k + 1] = chars[k + 1], chars[k]
            else:
                k = r.randrange(2, 18)
                chars[k] = r.choice([c for c in USCC_ALPHABET if c != chars[k]])
            damaged = "".join(chars)
            if not uscc_valid(damaged):
                return damaged

    # names -----------------------------------------------------------------------------------------
    def trade_name(self) -> tuple[str, str]:
        r = self.r
        while True:
            roll = r.random()
            if roll < 0.8:
                a, b = r.choice(list(HEAD.items())), r.choice(list(TAIL.items()))
                if a[0] == b[0]:
                    continue
                name, pinyin = a[0] + b[0], (a[1] + b[1]).capitalize()
            elif roll < 0.9:
                a, b, c = r.choice(list(HEAD.items())), r.choice(list(HEAD.items())), r.choice(list(TAIL.items()))
                name, pinyin = a[0] + b[0] + c[0], (a[1] + b[1] + c[1]).capitalize()
            elif roll < 0.95:
                name, pinyin = r.choice(DOUBLES)
                name, pinyin = name + r.choice("家坊屋铺记"), pinyin + "jia"
            else:
                name = r.choice(LATIN)
                pinyin = name.title()
            if name not in self.used_trade:
                self.used_trade.add(name)
                return name, pinyin

    def make(self, kind: str, place: Place | None = None, trade_name: tuple[str, str] | None = None,
             trade: str | None = None, parent: Entity | None = None, district: str | None = None) -> Entity:
        r = self.r
        place = place or r.choice(PLACES)
        district, admin = next((d for d in place.districts if d[0] == district), None) or r.choice(place.districts)
        tname, tpin = trade_name or self.trade_name()
        if trade is None:
            trade = r.choice(LOCAL_TRADES.get(place.name, GENERAL_TRADES)) if r.random() < 0.5 \
                else r.choice(GENERAL_TRADES)
        province = place.province
        pshort, ppin = PROVINCES[province][2], PROVINCES[province][3]
        en_trade = TRADES[trade][0]
        if kind == "company":
            where = r.random()
            form = r.choice(("有限公司",) * 6 + ("有限责任公司", "有限责任公司", "股份有限公司", "集团有限公司"))
            if where < 0.45:
                legal = f"{place.name}{tname}{trade}{form}"
                en_place = place.pinyin
            elif where < 0.6 and place.parent:
                legal = f"{place.parent}{tname}{trade}{form}"
                en_place = place.pinyin
            elif where < 0.75:
                legal = f"{pshort}{tname}{trade}{form}"
                en_place = ppin
            elif where < 0.9:
                legal = f"{tname}（{place.short}）{trade}{form}"
                en_place = place.pinyin
            else:
                legal = f"{place.short}{tname}{trade}{form}"
                en_place = place.pinyin
            en_form = {"有限公司": "Co., Ltd.", "有限责任公司": "Co., Ltd.", "股份有限公司": "Stock Co., Ltd.",
                       "集团有限公司": "Group Co., Ltd."}[form]
            english = f"{en_place} {tpin} {en_trade} {en_form}"
        elif kind == "branch":
            assert parent is not None
            unit = r.choice(("分公司", "分公司", "分公司", "门市部", "经营部"))
            spot = place.short if place.name != parent.place.name else district
            legal = f"{parent.legal}{spot}{unit}"
            english = f"{parent.english} {place.pinyin} Branch"
            tname, tpin, trade = parent.trade_name, parent.trade_pinyin, parent.trade
        elif kind == "individual":
            word = r.choice(TRADES[trade][1])
            legal = f"{place.name}{district if r.random() < 0.6 else ''}{tname}{word}"
            english = ""
        elif kind == "person":
            (s, spin), (g, gpin) = r.choice(SURNAMES), r.choice(GIVEN)
            tname, tpin = s + g, spin + " " + gpin
            legal = r.choice((f"{tname}（个体工商户）", f"{place.name}{district}{tname}{r.choice(TRADES[trade][1])}"))
            english = ""
        elif kind == "online":
            word = r.choice(("电子商务商行", "网店", "电子商务工作室", "网络科技工作室", "电子商务经营部"))
            legal = f"{place.name}{district}{tname}{word}"
            english = ""
        else:  # coop
            product = r.choice(("牛羊养殖", "瓜果种植", "茶叶种植", "蜂蜜", "核桃种植", "椰子种植", "中药材种植"))
            legal = f"{place.name}{tname}{product}农民专业合作社"
            english = f"{place.pinyin} {tpin} Farmers' Cooperative"
        e = Entity(len(self.entities), kind, place, district, tname, tpin, trade, legal, english)
        if parent is not None:
            e.parent = parent.key
        e.code = self.new_code(kind, admin)
        if r.random() < 0.15 and kind in ("company", "individual", "person"):
            e.old_reg = admin + f"{r.randint(0, 999999999):09d}"
        e.mobiles = [self._mobile() for _ in range(r.choice((1, 1, 1, 2, 2, 3)))]
        if kind in ("company", "branch", "coop") or r.random() < 0.4:
            digits = 7 if place.area in ("021", "0898") else 6  # 8-digit numbers in Shanghai and Hainan
            e.landline = f"{place.area}-{r.randint(2, 8)}{r.randint(0, 10**digits - 1):0{digits}d}"
            if kind == "company" and r.random() < 0.3:
                e.extension = str(r.randint(800, 8999))
        road, road_en = r.choice(ROADS)
        rkind, rkind_en = r.choice(ROAD_KINDS)
        number = r.randint(1, 999)
        if r.random() < 0.5:
            building = r.choice(COMPLEXES)
            block, room = r.randint(1, 20), f"{r.randint(1, 25)}{r.randint(1, 30):02d}"
        else:
            building, block, room = "", r.randint(1, 12), f"{r.randint(1, 9)}{r.randint(1, 12):02d}"
        lane = r.randint(10, 2000) if place.name == "上海市" and r.random() < 0.6 else 0
        e.address = (district, f"{road}{rkind}", str(number), building, str(block), room, str(lane))
        e.address_en = (f"Room {room}, Building {block}, No.{number} {road_en} {rkind_en}, "
                        f"{district_pinyin(district)}, {place.pinyin}, {ppin}, China")
        self.entities.append(e)
        return e

    def add_shops(self, e: Entity, count: int) -> None:
        r = self.r
        for _ in range(count):
            platform = r.choice(PLATFORMS)
            if platform in ("douyin",):
                sid = "".join(r.choice(string.ascii_letters) for _ in range(8))
            elif platform == "kuaishou":
                sid = str(r.randint(10**8, 10**10))
            elif platform == "xiaohongshu":
                sid = "".join(r.choice("0123456789abcdef") for _ in range(24))
            elif platform in ("tmall", "1688") and e.trade_pinyin.isascii() and r.random() < 0.6:
                sid = (e.trade_pinyin.lower().replace(" ", "").replace("'", "") + r.choice(("", "sp", "gf", "jj", "888")))
            else:
                sid = str(r.randint(10**6, 10**9))
            if (platform, sid) in self.used_shops:  # one shop, one seller
                continue
            self.used_shops.add((platform, sid))
            e.shops.append((platform, sid))
            word = r.choice((e.trade[:2], e.trade[-2:]))
            style = r.choice(SHOP_STYLES)
            if e.kind == "person" and r.random() < 0.5:
                e.shop_names.append(f"{e.trade_name}的店")
            else:
                e.shop_names.append(style.format(t=e.trade_name, w=word))

    # writing things down ------------------------------------------------------------------------------
    def vary_name(self, text: str, severity: float = 0.35) -> str:
        r = self.r
        if r.random() > severity:
            return text
        roll = r.random()
        chars = list(text)
        cjk = [k for k, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
        if roll < 0.2:  # input-method homophone
            spots = [k for k in cjk if chars[k] in HOMOPHONES]
            if spots:
                k = r.choice(spots)
                chars[k] = r.choice(HOMOPHONES[chars[k]])
        elif roll < 0.35:  # OCR look-alike
            spots = [k for k in cjk if chars[k] in LOOKALIKES]
            if spots:
                k = r.choice(spots)
                chars[k] = LOOKALIKES[chars[k]]
        elif roll < 0.5:  # traditional characters (a Hong Kong / Taiwan / customs form)
            chars = [TRADITIONAL.get(c, c) for c in chars]
        elif roll < 0.62:  # brackets and legal forms written otherwise
            out = "".join(chars)
            out = r.choice((out.replace("（", "(").replace("）", ")"), out.replace("有限责任公司", "有限公司"),
                            out.replace("有限公司", "有限责任公司") if "股份" not in out else out.replace("股份有限公司", "股份公司"),
                            out.replace("（", " (").replace("）", ") "), out.replace("集团有限公司", "集团公司")))
            return out.strip()
        elif roll < 0.74:  # place written otherwise: 省/市 dropped, or the province abbreviation
            out = "".join(chars)
            for p in PLACES:
                if out.startswith(p.name):
                    return r.choice((p.short + out[len(p.name):], out[len(p.name):],
                                     PROVINCES[p.province][1] + p.short + out[len(p.name):],
                                     PROVINCES[p.province][2] + out))
            for _, abbr, short, _ in PROVINCES.values():
                if out.startswith(short):
                    return r.choice((out[len(short):], abbr + out[len(short):]))
            return out
        elif roll < 0.84 and len(cjk) > 4:  # a character dropped or doubled
            k = r.choice(cjk[1:-1])
            if r.random() < 0.6:
                del chars[k]
            else:
                chars.insert(k, chars[k])
        elif roll < 0.92:  # spaces and full-width
            out = "".join(chars)
            if r.random() < 0.5 and len(out) > 4:
                k = r.randrange(2, len(out) - 1)
                return out[:k] + r.choice((" ", "  ", "\u3000")) + out[k:]
            return "".join(FULLWIDTH.get(c, c) for c in out)
        else:  # a common suffix added or the form dropped
            out = "".join(chars)
            for form in ("有限责任公司", "股份有限公司", "有限公司"):
                if out.endswith(form):
                    return out[: -len(form)] if r.random() < 0.5 else out
            return out + r.choice(("（个体工商户）", "(个体)", ""))
        return "".join(chars)

    def english_name(self, e: Entity) -> str:
        r = self.r
        name = e.english
        roll = r.random()
        if roll < 0.3:
            name = name.upper()
        if r.random() < 0.4:
            name = name.replace("Co., Ltd.", r.choice(("Co.,Ltd", "CO., LTD", "Company Limited", "Co. Ltd.",
                                                         "Co.,Ltd.")))
        if r.random() < 0.15:
            name = name.replace(" ", "", 1)
        return name

    def shop_name(self, e: Entity) -> str:
        r = self.r
        if e.shop_names:
            return self.vary_name(r.choice(e.shop_names), 0.2)
        word = r.choice((e.trade[:2], e.trade[-2:]))
        return self.vary_name(r.choice(SHOP_STYLES).format(t=e.trade_name, w=word), 0.2)

    def any_name(self, e: Entity) -> str:
        r = self.r
        roll = r.random()
        if e.english and roll < 0.06:
            return self.english_name(e)
        if roll < 0.1 and e.trade_pinyin.isascii() and e.kind in ("company", "individual", "online"):
            return r.choice((e.trade_pinyin, e.trade_pinyin.upper(), f"{e.trade_pinyin} {e.trade}"))
        return self.vary_name(e.legal)

    def code_text(self, e: Entity) -> str:
        r = self.r
        roll = r.random()
        if e.old_reg and roll < 0.1:
            return e.old_reg
        if roll < 0.18:
            return self.damaged_code(e.code)
        code = e.code
        form = r.random()
        if form < 0.07:
            return code.lower()
        if form < 0.13:
            return f"{code[:2]} {code[2:8]} {code[8:17]} {code[17]}"
        if form < 0.18:
            return r.choice(("统一社会信用代码：", "信用代码:", "USCC ")) + code
        if form < 0.21:
            return "".join(FULLWIDTH.get(c, c) for c in code)
        if form < 0.24:
            return f"{code[8:16]}-{code[16]}"  # the organization code inside it
        return code

    def phone_one(self, number: str, e: Entity | None = None) -> str:
        r = self.r
        if number.startswith(("13", "15", "17", "18", "19")) and "-" not in number:
            m = number
            return r.choice((m, m, m, f"{m[:3]}-{m[3:7]}-{m[7:]}", f"{m[:3]} {m[3:7]} {m[7:]}", f"+86 {m}",
                             f"+86-{m}", f"86{m}", f"+86 {m[:3]} {m[3:7]} {m[7:]}", f"(+86){m}",
                             "".join(FULLWIDTH.get(c, c) for c in m), f"{m[:3]}****{m[7:]}" if r.random() < 0.1 else m))
        area, local = number.split("-", 1)
        ext = e.extension if e is not None and e.extension else ""
        text = r.choice((f"{area}-{local}", f"{area}-{local}", f"({area}){local}", f"（{area}）{local}",
                         f"{area} {local}", f"{area}{local}", f"+86-{area[1:]}-{local}", f"+86 {area[1:]} {local}",
                         local, local))
        if ext and r.random() < 0.5:
            text += r.choice((f"-{ext}", f"转{ext}", f" ext.{ext}", f"#{ext}", f" 分机{ext}"))
        return text

    def phone_text(self, e: Entity) -> str:
        r = self.r
        roll = r.random()
        numbers = list(e.mobiles) + ([e.landline] if e.landline else [])
        if roll < 0.15 and len(numbers) > 1:
            picked = r.sample(numbers, min(len(numbers), r.choice((2, 2, 3))))
            sep = r.choice(("/", " / ", ",", "，", "；", ";", " ", "、", "|", " 或 "))
            return sep.join(self.phone_one(n, e) for n in picked)
        if roll < 0.22 and e.hotline:
            return e.hotline if r.random() < 0.5 else e.hotline.replace("-", "")
        if roll < 0.5 and e.landline:
            return self.phone_one(e.landline, e)
        return self.phone_one(r.choice(e.mobiles), e)

    def address_text(self, e: Entity) -> str:
        r = self.r
        district, road, number, building, block, room, lane = e.address
        p = e.place
        pfull, (_, abbr, pshort, _) = p.province, PROVINCES[p.province]
        num = number
        if number and r.random() < 0.08 and int(number) < 100:
            num = chinese_number(int(number))
        if not number:  # a cluster-registration address: written one way
            street = road
        elif lane != "0":
            street = f"{road}{lane}弄{num}号"
        else:
            street = f"{road}{num}号"
        if not number:
            rest = ""
        elif building:
            rest = r.choice((f"{building}{block}栋{room}室", f"{building}{block}幢{room}", f"{building}{block}号楼{room}室",
                             f"{building}{block}#{room}", f"{building}{block}座{room}室", f"{building}{room}"))
        else:
            rest = r.choice((f"{block}栋{room}室", f"{block}幢{room}室", f"{block}号楼{room}", f"{block}-{room}",
                             f"{block}#楼{room}室", ""))
        body = f"{district}{street}{rest}" if number else f"{district}{street}"
        if number and r.random() < 0.06:
            body = f"{district}{road}{num}-{block}-{room}"
        if r.random() < 0.1:
            body = body.replace("号", "#", 1) if r.random() < 0.5 else body.replace("号", "", 1)
        if p.name == "上海市":
            head = r.choice(("上海市", "上海市", "上海", "沪", ""))
        else:
            parent = p.parent
            city = r.choice((p.name, p.name, p.short)) if len(p.short) > 1 else p.name
            choices = [f"{pfull}{parent}{city}", f"{pfull}{city}", f"{pshort}{city}", f"{city}", f"{abbr}{city}",
                       f"{pfull} {city}"]
            if parent:
                choices.append(f"{p.parent_short}{city}")
            head = r.choice(choices)
        text = head + body
        roll = r.random()
        if roll < 0.06:
            text = "".join(TRADITIONAL.get(c, c) for c in text)
        elif roll < 0.12:
            text = "".join(FULLWIDTH.get(c, c) for c in text)
        elif roll < 0.18:
            k = r.randrange(1, len(text) - 1)
            text = text[:k] + " " + text[k:]
        return text

    def url_text(self, platform: str, sid: str) -> str:
        r = self.r
        q = "&".join(r.sample(TRACKING, r.randint(0, 2)))
        tail = f"?{q}" if q else ""
        amp = f"&{q}" if q else ""
        digits = sid.isdigit()
        if platform == "taobao":
            url = r.choice((f"https://shop{sid}.taobao.com/" + tail, f"https://shop{sid}.taobao.com/index.htm{tail}",
                            f"https://shop.m.taobao.com/shop/shop_index.htm?shop_id={sid}{amp}",
                            f"https://store.taobao.com/shop/view_shop.htm?user_number_id={sid}{amp}"))
        elif platform == "tmall":
            url = (r.choice((f"https://{sid}.tmall.com/", f"https://{sid}.tmall.com/shop/view_shop.htm{tail}",
                             f"https://{sid}.m.tmall.com/{tail}")) if not digits
                   else r.choice((f"https://shop{sid}.tmall.com/{tail}", f"https://store.tmall.com/shop/view_shop.htm?shop_id={sid}{amp}")))
        elif platform == "jd":
            url = r.choice((f"https://mall.jd.com/index-{sid}.html{tail}", f"https://shop.m.jd.com/?shopId={sid}{amp}",
                            f"https://shop.m.jd.com/shop/home?shopId={sid}", f"http://mall.jd.com/index-{sid}.html"))
        elif platform == "pdd":
            url = r.choice((f"https://mobile.yangkeduo.com/mall_page.html?mall_id={sid}{amp}",
                            f"https://mobile.pinduoduo.com/mall_page.html?mall_id={sid}",
                            f"https://mobile.yangkeduo.com/mall_page.html?refer_page_name=goods_detail&mall_id={sid}"))
        elif platform == "douyin":
            url = r.choice((f"https://haohuo.jinritemai.com/views/shop/index?id={sid}{amp}",
                            f"https://haohuo.jinritemai.com/ecommerce/trade/shop/index.html?shop_id={sid}{amp}",
                            f"https://haohuo.jinritemai.com/views/shop/index?origin_type=604&id={sid}",
                            f"https://www.douyin.com/user/MS4wLjABAAAA{sid}{sid[::-1]}{tail}",
                            f"https://ec.snssdk.com/shop/index?shop_id={sid}"))
        elif platform == "kuaishou":
            url = r.choice((f"https://app.kwaixiaodian.com/page/kwaishop-buyer-shop?sellerId={sid}{amp}",
                            f"https://www.kuaishou.com/profile/3x{int(sid):x}{tail}",
                            f"https://live.kuaishou.com/profile/3x{int(sid):x}",
                            f"https://s.kwaixiaodian.com/shop?sellerId={sid}"))
        elif platform == "xiaohongshu":
            url = r.choice((f"https://www.xiaohongshu.com/user/profile/{sid}{tail}",
                            f"https://www.xiaohongshu.com/vendor/{sid}", f"https://pages.xiaohongshu.com/shop/{sid}{tail}"))
        elif platform == "1688":
            url = (r.choice((f"https://{sid}.1688.com/", f"https://{sid}.1688.com/page/index.htm{tail}"))
                   if not digits else r.choice((f"https://shop{sid}.1688.com/{tail}",
                                                f"https://winport.m.1688.com/page/index.html?memberId=b2b-{sid}{amp}")))
        elif platform == "weidian":
            url = r.choice((f"https://weidian.com/?userid={sid}{amp}", f"https://shop{sid}.v.weidian.com/{tail}",
                            f"https://weidian.com/s/{sid}{tail}"))
        else:  # the path form
            host = PATH_HOSTS[int(sid) % len(PATH_HOSTS)]
            url = f"https://{host}/shop{sid}?" + (q or "from=h5")
        roll = r.random()
        if roll < 0.05:
            url = url.replace("https://", "http://", 1)
        elif roll < 0.09:
            scheme, rest = url.split("://", 1)
            host, _, path = rest.partition("/")
            url = f"{scheme}://{host.upper()}/{path}"
        elif roll < 0.14:
            url = url.split("://", 1)[1]
        elif roll < 0.17:
            url = url + "#/"
        return url

    def share_link(self) -> str:
        r = self.r
        s = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(r.choice((7, 8, 11))))
        return r.choice(SHORT_LINK).format(s=s)

    # records ------------------------------------------------------------------------------------------
    def record(self, e: Entity) -> dict[str, str]:
        """One filing: a market-supervision, platform, customs or complaint record."""
        r = self.r
        home = PROVINCES[e.place.province][0]
        rec: dict[str, str] = {}
        sources = ["regulator", "complaint"] + ["platform"] * (3 if e.shops else 0) + ["customs"] * (1 if e.english else 0)
        source = r.choice(sources) if r.random() < 0.6 else "regulator" if r.random() < 0.6 else "complaint"
        if source == "regulator":  # market supervision: the registered name, often the code and the address
            rec["name"] = self.vary_name(e.legal)
            if r.random() < 0.65:
                rec["uscc"] = self.code_text(e)
            if r.random() < 0.6:
                rec["address"] = self.address_text(e)
            if r.random() < 0.5:
                rec["phone"] = self.phone_text(e)
            if e.shops and r.random() < 0.2:
                rec["shop_url"] = self.url_text(*r.choice(e.shops))
        elif source == "platform":  # a platform's seller record
            rec["name"] = self.shop_name(e) if r.random() < 0.55 else self.any_name(e)
            if e.shops and r.random() < 0.8:
                rec["shop_url"] = self.share_link() if r.random() < 0.08 else self.url_text(*r.choice(e.shops))
            if r.random() < 0.35:
                rec["uscc"] = self.code_text(e)
            if r.random() < 0.45:
                rec["phone"] = self.phone_text(e)
            if r.random() < 0.15:
                rec["address"] = self.address_text(e)
        elif source == "customs":  # customs: English or Chinese name, nearly always the code
            rec["name"] = self.english_name(e) if r.random() < 0.6 else self.vary_name(e.legal)
            if r.random() < 0.9:
                rec["uscc"] = self.code_text(e)
            if r.random() < 0.5:
                rec["address"] = e.address_en if e.address_en and r.random() < 0.5 else self.address_text(e)
            if r.random() < 0.4:
                rec["phone"] = self.phone_text(e)
        else:  # a complaint or inspection: some name and one or two details
            rec["name"] = self.any_name(e) if r.random() < 0.6 else self.shop_name(e)
            if r.random() < 0.5:
                rec["phone"] = self.phone_text(e)
            if r.random() < 0.35:
                rec["address"] = self.address_text(e)
            if e.shops and r.random() < 0.3:
                rec["shop_url"] = self.share_link() if r.random() < 0.25 else self.url_text(*r.choice(e.shops))
            if r.random() < 0.15:
                rec["uscc"] = self.code_text(e)
        # noise shared by unrelated firms
        if r.random() < 0.03:
            rec["phone"] = self.phone_one(r.choice(self.agent_phones))
        if "shop_url" not in rec and r.random() < 0.01:
            rec["shop_url"] = r.choice(HOME_PAGES)
        rec["region"] = home if r.random() < 0.4 else r.choice(REGIONS)
        return rec

    def weak(self, e: Entity) -> dict[str, str]:
        """Only a shop-style or trade name: no place, no identifier."""
        r = self.r
        word = r.choice(TRADES[e.trade][1]) if r.random() < 0.4 else r.choice(("旗舰店", "经营部", "专卖店", "商行",
                                                                                 "工厂店", "官方店"))
        name = r.choice((f"{e.trade_name}{word}", self.shop_name(e), e.trade_name))
        return {"name": name, "region": r.choice(REGIONS)}

    def legal_only(self, e: Entity) -> dict[str, str]:
        """Only the registered name with its place and legal form."""
        return {"name": self.vary_name(e.legal, 0.15), "region": self.r.choice(REGIONS)}


DISTRICT_PINYIN = {
    "松江区": "Songjiang District", "青浦区": "Qingpu District", "嘉定区": "Jiading District",
    "闵行区": "Minhang District", "奉贤区": "Fengxian District", "路桥区": "Luqiao District",
    "椒江区": "Jiaojiang District", "黄岩区": "Huangyan District", "城东街道": "Chengdong Subdistrict",
    "泽国镇": "Zeguo Town", "大溪镇": "Daxi Town", "暨阳街道": "Jiyang Subdistrict", "大唐街道": "Datang Subdistrict",
    "山下湖镇": "Shanxiahu Town", "东城街道": "Dongcheng Subdistrict", "古山镇": "Gushan Town",
    "吴兴区": "Wuxing District", "南浔区": "Nanxun District", "海洲街道": "Haizhou Subdistrict", "许村镇": "Xucun Town",
    "榕城区": "Rongcheng District", "揭东区": "Jiedong District", "流沙东街道": "Liushadong Subdistrict",
    "流沙西街道": "Liushaxi Subdistrict", "军埠镇": "Junbu Town", "湘桥区": "Xiangqiao District",
    "潮安区": "Chao'an District", "蓬江区": "Pengjiang District", "江海区": "Jianghai District",
    "惠城区": "Huicheng District", "惠阳区": "Huiyang District", "新城区": "Xincheng District",
    "回民区": "Huimin District", "赛罕区": "Saihan District", "昆都仑区": "Kundulun District",
    "青山区": "Qingshan District", "宝力根街道": "Baoligen Subdistrict", "杭盖街道": "Hanggai Subdistrict",
    "和平街道": "Heping Subdistrict", "东胜区": "Dongsheng District", "康巴什区": "Kangbashi District",
    "天山区": "Tianshan District", "沙依巴克区": "Saybagh District", "新市区": "Xinshi District",
    "恰萨街道": "Qiasa Subdistrict", "墩买里街道": "Dunmaili Subdistrict", "卡拉苏街道": "Kalasu Subdistrict",
    "城关区": "Chengguan District", "七里河区": "Qilihe District", "兰州新区": "Lanzhou New Area",
    "秦州区": "Qinzhou District", "麦积区": "Maiji District", "城南街道": "Chengnan Subdistrict",
    "龙华区": "Longhua District", "美兰区": "Meilan District", "秀英区": "Xiuying District",
    "吉阳区": "Jiyang District", "天涯区": "Tianya District", "嘉积镇": "Jiaji Town", "那大镇": "Nada Town",
    "小店区": "Xiaodian District", "迎泽区": "Yingze District", "万柏林区": "Wanbailin District",
    "平城区": "Pingcheng District", "云冈区": "Yungang District", "榆次区": "Yuci District",
    "盐湖区": "Yanhu District", "西陵区": "Xiling District", "伍家岗区": "Wujiagang District",
    "樊城区": "Fancheng District", "襄城区": "Xiangcheng District", "舞阳坝街道": "Wuyangba Subdistrict",
    "干河街道": "Ganhe Subdistrict", "茅箭区": "Maojian District", "张湾区": "Zhangwan District",
    "下关街道": "Xiaguan Subdistrict", "允景洪街道": "Yunjinghong Subdistrict", "麒麟区": "Qilin District",
}


def district_pinyin(district: str) -> str:
    """The district's name in English addresses."""
    return DISTRICT_PINYIN.get(district, district)


def pinyin_of(name: str) -> str:
    """The pinyin of a trade name made of the syllable pools."""
    return "".join(HEAD.get(c) or TAIL.get(c) or "" for c in name).capitalize()


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (十八, 二十三)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else CN_DIGITS[tens] + "十"
    return head + (CN_DIGITS[ones] if ones else "")


def independent3_sellers(entities: int = 1850, seed: int = 31) -> Iterator[tuple[dict[str, str], int]]:
    """Records filed by ten regions about `entities` sellers, shuffled, each with its entity's key (the truth)."""
    w = World(seed)
    r = w.r
    kinds = ("company",) * 46 + ("individual",) * 24 + ("online",) * 14 + ("person",) * 8 + ("coop",) * 4 \
        + ("branch",) * 4
    while len(w.entities) < entities:
        kind = r.choice(kinds)
        if kind == "branch":
            kind = "company"
        clustered = r.random() < 0.05  # registered at a cluster-registration address shared with unrelated firms
        if clustered:
            place, district, text = r.choice(w.cluster)
            base = w.make(kind, place, district=district)
            base.address, base.address_en = (district, text, "", "", "", "", "0"), ""
        else:
            base = w.make(kind)
        w.add_shops(base, r.choice((0, 0, 1, 1, 1, 2, 3)) if kind != "coop" else r.choice((0, 0, 1)))
        if kind == "online" and not base.shops:
            w.add_shops(base, 1)
        roll = r.random()
        room = entities - len(w.entities)
        if room <= 0:
            break
        if roll < 0.12:  # namesakes: the same trade name in other cities, often other legal forms
            for _ in range(min(room, r.choice((1, 1, 2, 3)))):
                place = r.choice([p for p in PLACES if p.name != base.place.name])
                other = w.make(r.choice(("company", "company", "individual", "online")), place,
                               (base.trade_name, base.trade_pinyin), base.trade if r.random() < 0.6 else None)
                w.add_shops(other, r.choice((0, 1, 1, 2)))
                if other.shops and base.shop_names and r.random() < 0.5:
                    other.shop_names[0] = base.shop_names[0]  # the same shop-style name on another platform
        elif roll < 0.18 and kind == "company":  # a group: branches in other places (separate entities)
            base.hotline = f"400-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
            for _ in range(min(room, r.choice((1, 2, 2, 3)))):
                place = r.choice(PLACES) if r.random() < 0.7 else base.place
                branch = w.make("branch", place, parent=base)
                branch.hotline = base.hotline
                if r.random() < 0.3:
                    branch.landline = base.landline
        elif roll < 0.24:  # a near name one character apart with its own valid code, same city
            tail = r.choice([c for c in TAIL if c != base.trade_name[-1]])
            twin_name = base.trade_name[:-1] + tail
            if twin_name not in w.used_trade and not base.trade_name.isascii():
                w.used_trade.add(twin_name)
                twin = w.make(base.kind, base.place, (twin_name, pinyin_of(twin_name)), base.trade)
                if r.random() < 0.5:
                    twin.code = w.near_code(base.code)
                w.add_shops(twin, r.choice((0, 1)))
        elif roll < 0.29 and kind == "company":  # a sister company: same group name, other trade, same building
            trade = r.choice([t for t in GENERAL_TRADES if t != base.trade])
            sister = w.make("company", base.place, (base.trade_name, base.trade_pinyin), trade)
            sister.address, sister.address_en, sister.district = base.address, base.address_en, base.district
            sister.landline, sister.extension = base.landline, str(r.randint(800, 8999))
    rows: list[tuple[dict[str, str], int]] = []
    for e in w.entities:
        n = min(12, max(1, int(r.paretovariate(1.35))))
        for _ in range(n):
            rows.append((w.record(e), e.key))
        if r.random() < 0.2:
            rows.append((w.weak(e), e.key))
        if e.kind in ("company", "branch", "coop", "individual") and r.random() < 0.2:
            rows.append((w.legal_only(e), e.key))
    r.shuffle(rows)
    for n, (rec, key) in enumerate(rows):
        yield {"id": f"k{n}", **rec}, key
