"""The fifth independent seller set: ten regions' records of real-style market entities, with ground truth.

Written in session 16 by heldout16 without reading the entity-resolution code (`national/dedup/**`) or the
vocabulary of the earlier sets — only the record interface of docs/dedup.md (`{"id", "name", "region"?, "uscc"?,
"phone"?, "address"?, "shop_url"?}`) and the bench's set table. It imports nothing from the project.

Its own world:

* places: ten filing regions (天津, 河北, 吉林, 江苏, 安徽, 山东, 重庆, 西藏, 宁夏, 青海, given as GB/T 2260 codes), 41
  of their smaller prefecture cities (邢台, 白山, 淮安, 亳州, 日照, 林芝, 中卫, 海东, ...) and the outer districts of the
  two municipalities, with districts, area codes and division codes; two cities sharing one area code (亳州 and 阜阳,
  0558), county-level cities that are their own district (延吉, 格尔木), and no place of the earlier sets;
* entities: companies (市+字号+行业+有限公司, 字号（城市）行业有限公司, 省+字号+行业+有限公司), groups with branches
  (XX集团有限公司 and XX集团有限公司YY分公司: separate entities sharing a 400 hotline), foreign-invested companies
  (字号（中国）/(城市) with （外商独资）/（中外合资） and an English name), individual businesses named after their
  operator (区+姓名+行业+店/商行/批发部/经营部, 姓名（个体工商户）), 工作室, and pure web shops;
* writing variants of one entity's records: shop-style names (XX旗舰店, XX专营店, XX的店, XX优选), the legal name
  without the city or with the province, the place in brackets, 有限公司 / 有限责任公司, full-width brackets,
  traditional characters, one character typed as a homophone or read as a look-alike, English names; phones as
  138 1234 5678, with full-width digits, +86, landlines with or without area code and with 转/分机/-ext extensions,
  two numbers joined; addresses with 号楼/单元/室, `3-2-501`, full-width digits, Chinese numerals, without the
  district, without province and city; credit codes spaced, labelled, full-width, lower-cased, one character
  mistyped or two swapped (never a valid check character), or the old 15-digit registration number;
* shop URLs of Pinduoduo (`mobile.yangkeduo.com/mall_page.html?mall_id=`, `pinduoduo.com/...`, share links), Kuaishou
  (`app.kwaixiaodian.com/...shopId=`, `/profile/3x...`), Xianyu (`goofish.com/personal?userId=`, `2.taobao.com/...`),
  Vipshop (`list.vip.com/autolist.html?brand_id=`, `m.vip.com/brand-N.html`), Dewu (`dewu.com/shop/N`, `dw4.co/t/...`),
  Taobao, JD and Douyin in several shapes, tracking parameters and share links, and platform home pages that identify
  nothing;
* the traps: namesakes (same trade name and trade) in other cities, sometimes under another legal form; the same trade
  name under another legal form in the same city; a parent and its branches; an operator's name that another
  operator in another city shares; weak records that carry nothing but a shop-style or short name; records that carry
  only the full legal name.

`independent5_sellers(entities, seed)` yields (record, entity key) per record, deterministic per seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

# ---------------------------------------------------------------- places
# region code: (province, short, [(city, area code, division of the city, [(district, division)], [roads], [buildings])])
REGIONS: dict[str, tuple[str, str, list[tuple[str, str, str, list[tuple[str, str]], list[str], list[str]]]]] = {
    "120000": ("天津市", "津", [
        ("天津市", "022", "120100", [("西青区", "120111"), ("武清区", "120114"), ("宝坻区", "120115"),
                                     ("静海区", "120118"), ("蓟州区", "120119")],
         ["雍阳西道", "胜利大街", "渔阳南路"], ["雍阳广场", "渔阳商厦"]),
    ]),
    "130000": ("河北省", "冀", [
        ("邢台市", "0319", "130500", [("信都区", "130503"), ("襄都区", "130502")],
         ["中兴东大街", "守敬北路"], ["邢台商厦"]),
        ("邯郸市", "0310", "130400", [("丛台区", "130403"), ("复兴区", "130404")],
         ["丛台路", "中华北大街"], ["邯郸之窗"]),
        ("衡水市", "0318", "131100", [("桃城区", "131102")], ["永兴西路"], ["衡水宝云"]),
        ("承德市", "0314", "130800", [("双桥区", "130802")], ["南营子大街", "车站路"], ["承德避暑城"]),
    ]),
    "220000": ("吉林省", "吉", [
        ("通化市", "0435", "220500", [("东昌区", "220502")], ["江南大街"], ["通化商城"]),
        ("白山市", "0439", "220600", [("浑江区", "220602")], ["浑江大街"], ["白山商厦"]),
        ("松原市", "0438", "220700", [("宁江区", "220702")], ["乌兰大街"], ["松原国际"]),
        ("白城市", "0436", "220800", [("洮北区", "220802")], ["中兴西大路"], ["白城广场"]),
        ("延吉市", "0433", "222401", [("延吉市", "222401")], ["光明街", "公园路"], ["延边大厦"]),
    ]),
    "320000": ("江苏省", "苏", [
        ("淮安市", "0517", "320800", [("清江浦区", "320812"), ("淮阴区", "320804")],
         ["翔宇大道"], ["清江浦商务中心"]),
        ("连云港市", "0518", "320700", [("海州区", "320706"), ("连云区", "320703")],
         ["海连中路", "通灌北路"], ["花果山大厦"]),
        ("泰州市", "0523", "321200", [("海陵区", "321202"), ("高港区", "321203")],
         ["鼓楼南路", "青年南路"], ["凤城河广场"]),
        ("宿迁市", "0527", "321300", [("宿城区", "321302")], ["发展大道", "洪泽湖路"], ["吾悦广场"]),
        ("盐城市", "0515", "320900", [("亭湖区", "320902"), ("盐都区", "320903")],
         ["开放大道", "建军中路"], ["宝龙广场"]),
        ("南通市", "0513", "320600", [("崇川区", "320613"), ("通州区", "320612")],
         ["工农路", "青年中路"], ["文峰大世界写字楼", "圆融广场"]),
    ]),
    "340000": ("安徽省", "皖", [
        ("淮南市", "0554", "340400", [("田家庵区", "340403")], ["朝阳中路", "国庆中路"], ["淮南新城"]),
        ("马鞍山市", "0555", "340500", [("雨山区", "340504"), ("花山区", "340503")],
         ["湖南西路", "雨山路"], ["马鞍山金鹰"]),
        ("铜陵市", "0562", "340700", [("铜官区", "340705")], ["义安大道"], ["铜陵国际"]),
        ("黄山市", "0559", "341000", [("屯溪区", "341002")], ["新安北路"], ["屯溪老街商铺"]),
        ("亳州市", "0558", "341600", [("谯城区", "341602")], ["魏武大道"], ["亳州国际"]),
        ("阜阳市", "0558", "341200", [("颍州区", "341202")], ["颍州中路"], ["华联大厦"]),
        ("芜湖市", "0553", "340200", [("镜湖区", "340202"), ("鸠江区", "340207")],
         ["赭山路", "北京东路"], ["苏宁广场", "芜湖之心"]),
    ]),
    "370000": ("山东省", "鲁", [
        ("泰安市", "0538", "370900", [("泰山区", "370902"), ("岱岳区", "370911")],
         ["东岳大街", "泰山大街"], ["岱宗大厦"]),
        ("日照市", "0633", "371100", [("东港区", "371102"), ("岚山区", "371103")],
         ["海曲中路", "烟台路"], ["日照国际"]),
        ("聊城市", "0635", "371500", [("东昌府区", "371502")], ["东昌路", "柳园南路"], ["聊城金鼎"]),
        ("潍坊市", "0536", "370700", [("奎文区", "370705"), ("潍城区", "370702"), ("寿光市", "370783")],
         ["东风东街", "胜利东街", "北海路"], ["泰华城写字楼", "风筝广场"]),
        ("淄博市", "0533", "370300", [("张店区", "370303")], ["柳泉路", "共青团西路"], ["华侨城写字楼"]),
        ("威海市", "0631", "371000", [("环翠区", "371002")], ["新威路", "青岛北路"], ["威高广场"]),
    ]),
    "500000": ("重庆市", "渝", [
        ("重庆市", "023", "500100", [("万州区", "500101"), ("涪陵区", "500102"), ("永川区", "500118"),
                                     ("江津区", "500116"), ("黔江区", "500114")],
         ["太白路", "兴华中路", "鼎山大道", "城西大道"], ["万州国际", "涪陵商城", "江津滨江"]),
    ]),
    "540000": ("西藏自治区", "藏", [
        ("拉萨市", "0891", "540100", [("堆龙德庆区", "540103"), ("达孜区", "540104")], ["金珠西路"], ["雪域大厦"]),
        ("日喀则市", "0892", "540200", [("桑珠孜区", "540202")], ["珠峰路"], ["神湖商厦"]),
        ("林芝市", "0894", "540400", [("巴宜区", "540402")], ["双拥路"], ["林芝广场"]),
    ]),
    "640000": ("宁夏回族自治区", "宁", [
        ("银川市", "0951", "640100", [("兴庆区", "640104"), ("金凤区", "640106")],
         ["解放西街", "正源北街"], ["新华百货写字楼", "建发大阅城"]),
        ("吴忠市", "0953", "640300", [("利通区", "640302")], ["利民街"], ["吴忠商城"]),
        ("石嘴山市", "0952", "640200", [("大武口区", "640202")], ["朝阳西街"], ["百货大楼"]),
        ("中卫市", "0955", "640500", [("沙坡头区", "640502")], ["鼓楼西街"], ["中卫大厦"]),
        ("固原市", "0954", "640400", [("原州区", "640402")], ["文化西街"], ["固原商城"]),
    ]),
    "630000": ("青海省", "青", [
        ("西宁市", "0971", "630100", [("城东区", "630102"), ("城西区", "630104")],
         ["五四大街", "海湖大道", "昆仑中路"], ["王府井写字楼", "万达中心"]),
        ("海东市", "0972", "630200", [("乐都区", "630202"), ("平安区", "630203")], ["平安大道"], ["海东商厦"]),
        ("格尔木市", "0979", "632801", [("格尔木市", "632801")], ["柴达木路"], ["盐湖大厦"]),
    ]),
}
# the English (pinyin) name of each city, for English-written records
PINYIN = {"天津市": "Tianjin", "邢台市": "Xingtai", "邯郸市": "Handan", "衡水市": "Hengshui", "承德市": "Chengde",
          "通化市": "Tonghua", "白山市": "Baishan", "松原市": "Songyuan", "白城市": "Baicheng", "延吉市": "Yanji",
          "淮安市": "Huai'an", "连云港市": "Lianyungang", "泰州市": "Taizhou", "宿迁市": "Suqian", "盐城市": "Yancheng",
          "南通市": "Nantong", "淮南市": "Huainan", "马鞍山市": "Ma'anshan", "铜陵市": "Tongling", "黄山市": "Huangshan",
          "亳州市": "Bozhou", "阜阳市": "Fuyang", "芜湖市": "Wuhu", "泰安市": "Tai'an", "日照市": "Rizhao",
          "聊城市": "Liaocheng", "潍坊市": "Weifang", "淄博市": "Zibo", "威海市": "Weihai", "重庆市": "Chongqing",
          "拉萨市": "Lhasa", "日喀则市": "Xigaze", "林芝市": "Nyingchi", "银川市": "Yinchuan", "吴忠市": "Wuzhong",
          "石嘴山市": "Shizuishan", "中卫市": "Zhongwei", "固原市": "Guyuan", "西宁市": "Xining", "海东市": "Haidong",
          "格尔木市": "Golmud"}

# ---------------------------------------------------------------- trades and names
TRADES = [  # (trade word, shop word, English)
    ("渔具", "渔具", "Fishing Tackle"), ("乐器", "琴行", "Musical Instruments"), ("灯饰", "灯饰", "Lighting"),
    ("卫浴洁具", "卫浴", "Sanitary Ware"), ("五金工具", "五金", "Hardware Tools"), ("汽车用品", "车品", "Auto Accessories"),
    ("宠物用品", "宠物", "Pet Supplies"), ("眼镜", "眼镜", "Optical"), ("箱包皮具", "箱包", "Luggage"),
    ("茶叶", "茶庄", "Tea"), ("体育用品", "体育", "Sporting Goods"), ("家纺", "家纺", "Home Textiles"),
    ("风筝", "风筝", "Kites"), ("枸杞", "枸杞", "Goji"), ("牛羊肉", "清真肉食", "Halal Meat"),
    ("手机配件", "数码", "Mobile Accessories"), ("园艺", "花卉园艺", "Gardening"), ("烘焙原料", "烘焙", "Baking Supplies"),
    ("日用杂品", "日杂", "Sundries"), ("床垫", "床垫", "Mattresses"),
]
TRADE_NAMES = ["瑞丰", "德顺", "恒泰", "鸿运", "聚源", "岱青", "同益", "信诚", "万隆", "益康", "永丰", "嘉信", "福临",
               "泰岳", "金鼎", "翔宇", "润通", "海曲", "立信", "兆丰", "宝盛", "安邦", "洮源", "鹤城", "汇通", "昌盛",
               "卫河", "金珠", "德隆", "华瑞", "珠峰", "淮泗", "利民", "富源", "广进", "彭泽", "东岳", "古泉", "春晖",
               "守敬", "雪域", "贺兰", "柴达", "邢襄", "彭祖", "运河", "黄山松", "鸢都", "海岱", "巴渝"]
FOREIGN = [("安德森", "Anderson"), ("喜多川", "Kitagawa"), ("韩美", "Hanmi"), ("博朗斯", "Brauns"), ("索菲特", "Sofit"),
           ("莱茵", "Rhein"), ("卡尔森", "Carlsen"), ("太平洋", "Pacific")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林冯韩白"
GIVEN = ["桂兰", "卫东", "德胜", "翠兰", "玉珍", "海军", "文斌", "素珍", "振华", "巧云", "福海", "永刚", "淑芬",
         "保国", "金花", "月娥", "长林", "学军", "凤英", "汤沟"]
# one character typed as a homophone or read as a look-alike (this set's own table)
SLIPS = {"锦": "绵", "瑞": "端", "恒": "桓", "泰": "秦", "鸿": "洪", "盛": "晟", "达": "迖", "益": "溢", "诚": "城",
         "隆": "龙", "康": "糠", "丰": "峰", "嘉": "佳", "福": "富", "宏": "弘", "鼎": "顶", "通": "同", "程": "成",
         "宝": "保", "安": "按", "贸": "贺", "营": "菅", "司": "思", "具": "俱", "顺": "须", "源": "原", "信": "言",
         "图": "途", "祥": "详", "润": "闰", "博": "搏", "华": "化", "昌": "唱", "裕": "浴", "利": "莉", "旺": "望"}
TRAD = str.maketrans({"贸": "貿", "丰": "豐", "达": "達", "华": "華", "兴": "興", "业": "業", "电": "電", "龙": "龍",
                      "发": "發", "东": "東", "鸿": "鴻", "顺": "順", "锦": "錦", "宝": "寶", "汇": "匯", "区": "區",
                      "饰": "飾", "灯": "燈", "乐": "樂", "体": "體", "纺": "紡", "渔": "漁", "车": "車", "杂": "雜",
                      "货": "貨", "园": "園", "艺": "藝", "限": "限", "责": "責", "务": "務", "团": "團", "盛": "盛",
                      "开": "開", "门": "門", "镜": "鏡", "卫": "衛", "浴": "浴", "洁": "潔", "箱": "箱", "皮": "皮",
                      "风": "風", "筝": "箏", "肉": "肉", "机": "機", "配": "配", "件": "件", "垫": "墊", "杞": "杞"})
FULLWIDTH = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, "-": "－", "(": "（", ")": "）"})
CN_NUM = "〇一二三四五六七八九"

# ---------------------------------------------------------------- credit codes (GB 32100, organization code GB 11714)
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def code_check(first17: str) -> str:
    """The check character of a credit code's first 17 characters."""
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(first17, _CODE_WEIGHTS, strict=True))
    return _CODE_CHARS[(31 - total % 31) % 31]


def code_valid(code: str) -> bool:
    """An 18-character code of the GB 32100 alphabet whose check character is right."""
    return (len(code) == 18 and all(c in _CODE_CHARS for c in code) and code_check(code[:17]) == code[17])


def _org_code(rng: random.Random) -> str:
    body = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    value = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - value % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_code(rng: random.Random, kind: str, division: str) -> str:
    """A valid credit code: 91 companies and their branches, 92 individual businesses."""
    first = ("92" if kind in ("person", "studio") else "91") + division + _org_code(rng)
    return first + code_check(first)


# ---------------------------------------------------------------- entities
@dataclass
class Seller:
    """One market entity: what its records are written from."""

    key: int
    kind: str  # company, group, branch, foreign, person, studio, webshop
    region: str
    province: str
    city: str
    district: str
    legal: str  # the full legal name
    short: str  # 字号+行业 or the operator's shop name
    trade_name: str
    trade: tuple[str, str, str]
    english: str
    code: str
    old_code: str
    phones: list[str]  # canonical digits: mobiles "1xxxxxxxxxx", landlines "area-number[-ext]"
    address: tuple[str, str, str, str, str]  # province, city, district, road+number, rest (building/unit/room)
    shops: list[tuple[str, str]]  # (platform, id)
    area: str = ""
    extras: dict[str, str] = field(default_factory=dict)


def _mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "150", "152", "158", "186", "187", "189", "199", "177", "133"]) + \
        "".join(rng.choice("0123456789") for _ in range(8))


def _landline(rng: random.Random, area: str) -> str:
    digits = 7 if area in ("0979", "0952", "0953", "0433") and rng.random() < 0.5 else 8
    return f"{area}-{rng.choice('2345678')}{''.join(rng.choice('0123456789') for _ in range(digits - 1))}"


def _shop(rng: random.Random) -> tuple[str, str]:
    platform = rng.choice(["pdd", "pdd", "kuaishou", "xianyu", "vip", "dewu", "taobao", "jd", "douyin"])
    if platform == "kuaishou":
        return platform, "3x" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(13))
    if platform == "xianyu":
        return platform, str(rng.randrange(10**9, 4 * 10**9))
    if platform == "douyin":
        return platform, "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz") for _ in range(8))
    return platform, str(rng.randrange(10**5, 10**8))


class World:
    """Sellers of one seed, with namesakes, branches and shared operator names planted."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"independent5:{seed}")
        self.sellers: list[Seller] = []
        self.places = [(code, prov, short, city)
                       for code, (prov, short, cities) in REGIONS.items() for city in cities]

    def _place(self) -> tuple[str, str, str, tuple[str, str, str, list[tuple[str, str]], list[str], list[str]]]:
        return self.rng.choice(self.places)

    def make(self, kind: str, *, like: Seller | None = None, parent: Seller | None = None,
             same_city: bool = False) -> Seller:
        """A new seller of `kind`; `like` gives a namesake (same trade name and trade, another entity), in the same
        city as `like` when `same_city` (then under another legal form)."""
        rng = self.rng
        place = self._place()
        if like is not None and same_city:
            place = next(p for p in self.places if p[3][0] == like.city)
        region, province, _short, (city, area, city_div, districts, roads, buildings) = place
        district, district_div = rng.choice(districts)
        trade = like.trade if like else rng.choice(TRADES)
        trade_name = like.trade_name if like else rng.choice(TRADE_NAMES)
        if kind in ("person",):
            operator = like.extras["operator"] if like and "operator" in like.extras else \
                rng.choice(SURNAMES) + rng.choice(GIVEN)
        else:
            operator = ""
        city_bare = city.removesuffix("市")
        prov_bare = province.removesuffix("省").removesuffix("市").removesuffix("回族自治区")
        english_city = ""
        if kind == "company":
            legal = rng.choice([f"{city}{trade_name}{trade[0]}有限公司", f"{trade_name}（{city_bare}）{trade[0]}有限公司",
                                f"{city}{trade_name}{trade[0]}有限公司", f"{prov_bare}{trade_name}{trade[0]}有限公司"])
            short = f"{trade_name}{trade[0]}"
        elif kind == "group":
            legal = f"{prov_bare}{trade_name}集团有限公司"
            short = f"{trade_name}集团"
        elif kind == "branch":
            assert parent is not None
            trade, trade_name = parent.trade, parent.trade_name
            where = city_bare if district == city else rng.choice([city_bare, district])
            legal = f"{parent.legal}{where}分公司"
            short = f"{trade_name}集团{where}分公司"
        elif kind == "foreign":
            cn, english_city = rng.choice(FOREIGN)
            trade_name = cn
            legal = rng.choice([f"{cn}（{city_bare}）{trade[0]}有限公司", f"{cn}（中国）{trade[0]}有限公司"])
            short = f"{cn}{trade[0]}"
        elif kind == "person":
            legal = f"{district}{operator}{trade[1]}{rng.choice(['店', '商行', '批发部', '经营部'])}"
            short = f"{operator}{trade[1]}"
        elif kind == "studio":
            legal = f"{district}{trade_name}{trade[1]}工作室"
            short = f"{trade_name}{trade[1]}工作室"
        else:  # webshop: an individual business run online
            legal = f"{city}{district}{trade_name}{trade[1]}网店"
            short = f"{trade_name}{trade[1]}"
        pinyin_city = PINYIN[city]
        english = (f"{english_city} ({pinyin_city}) {trade[2]} Co., Ltd." if kind == "foreign"
                   else f"{pinyin_city} {trade[2]} Co., Ltd.")
        division = district_div if rng.random() < 0.7 else city_div
        code = make_code(rng, kind, division)
        old_code = division + "".join(rng.choice("0123456789") for _ in range(9))
        phones: list[str] = []
        if kind == "branch" and parent is not None:
            phones.append(next((p for p in parent.phones if p.startswith("400")), _landline(rng, area)))
        if kind in ("group",):
            phones.append(f"400-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}")
        if kind in ("person", "studio", "webshop") or rng.random() < 0.6:
            phones.append(_mobile(rng))
        if kind not in ("webshop",) and rng.random() < 0.6:
            landline = _landline(rng, area)
            if kind in ("company", "group", "foreign", "branch") and rng.random() < 0.4:
                landline += f"-{rng.randrange(800, 899)}"
            phones.append(landline)
        if not phones:
            phones.append(_mobile(rng))
        number = rng.randrange(1, 1800)
        rest = ""
        roll = rng.random()
        if roll < 0.35:
            rest = f"{rng.choice(buildings)}{rng.randrange(2, 30)}层{rng.randrange(1, 40):02d}室"
        elif roll < 0.7:
            rest = f"{rng.randrange(1, 20)}号楼{rng.randrange(1, 6)}单元{rng.randrange(1, 26)}{rng.randrange(1, 4):02d}室"
        elif roll < 0.85:
            rest = f"{rng.randrange(1, 300)}号商铺"
        address = (province, city, district if district != city else "", f"{rng.choice(roads)}{number}号", rest)
        shops = [_shop(rng) for _ in range(rng.choice([0, 0, 1, 1, 1, 2]) if kind != "webshop" else rng.choice([1, 2]))]
        seller = Seller(len(self.sellers), kind, region, province, city, district, legal, short, trade_name, trade,
                        english, code, old_code, phones, address, shops, area,
                        {"operator": operator} if operator else {})
        self.sellers.append(seller)
        return seller

    def populate(self, n: int) -> list[Seller]:
        """n sellers: about one in five a namesake of an earlier one, groups with one to three branches."""
        rng = self.rng
        while len(self.sellers) < n:
            roll = rng.random()
            earlier = [s for s in self.sellers if s.kind in ("company", "person", "studio", "webshop")]
            if earlier and roll < 0.12:
                model = rng.choice(earlier)
                # a namesake elsewhere under the same or another legal form, or in the same city under another form
                if rng.random() < 0.3:
                    self.make(rng.choice([k for k in ("company", "studio", "webshop") if k != model.kind]),
                              like=model, same_city=True)
                else:
                    kind = model.kind if rng.random() < 0.5 else rng.choice(["company", "person", "studio", "webshop"])
                    self.make(kind, like=model)
            elif roll < 0.19 and len(self.sellers) < n - 3:
                parent = self.make("group")
                for _ in range(rng.choice([1, 1, 2, 3])):
                    self.make("branch", parent=parent)
            else:
                self.make(rng.choices(["company", "person", "studio", "webshop", "foreign"],
                                      weights=[40, 30, 8, 14, 8])[0])
        return self.sellers[:n]


# ---------------------------------------------------------------- writing one record
def _fw(text: str) -> str:
    return text.translate(FULLWIDTH)


def _slip(rng: random.Random, text: str) -> str:
    spots = [k for k, c in enumerate(text) if c in SLIPS]
    if not spots:
        return text
    k = rng.choice(spots)
    return text[:k] + SLIPS[text[k]] + text[k + 1:]


def write_name(rng: random.Random, s: Seller) -> str:
    """One record's name of the seller."""
    roll = rng.random()
    legal = s.legal
    if roll < 0.34:
        name = legal
    elif roll < 0.44:
        name = legal.replace("有限公司", "有限责任公司") if "有限公司" in legal else legal
    elif roll < 0.52:
        city_bare = s.city.removesuffix("市")
        name = legal.removeprefix(s.city) if legal.startswith(s.city) else legal.replace(f"（{city_bare}）", "")
        if name == legal and legal.startswith(s.district):
            name = legal.removeprefix(s.district)
    elif roll < 0.58:
        name = legal.replace("（", "(").replace("）", ")") if "（" in legal else s.province + legal.removeprefix(s.city)
    elif roll < 0.64:
        name = _slip(rng, legal)
    elif roll < 0.68:
        name = legal.translate(TRAD)
    elif roll < 0.72 and s.kind in ("company", "foreign", "group"):
        name = s.english
    elif roll < 0.74 and s.kind == "person":
        name = f"{s.extras['operator']}（个体工商户）"
    elif roll < 0.8 and s.kind in ("foreign",):
        name = legal + rng.choice(["（外商独资）", "（中外合资）"])
    else:
        style = rng.choice(["{x}旗舰店", "{x}专营店", "{x}的店", "{x}优选", "{x}官方店", "{x}", "{x}直营店"])
        name = style.format(x=s.short)
    return name


def write_phone(rng: random.Random, s: Seller) -> str:
    """One record's phone: one of the seller's numbers, written in one of several ways."""
    phone = rng.choice(s.phones)
    if phone.startswith("400"):
        return rng.choice([phone, phone.replace("-", ""), phone.replace("-", " ")])
    if phone.startswith("1"):
        roll = rng.random()
        text = [phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
                _fw(phone), f"+86 {phone}", f"+86-{phone}", f"手机：{phone}"][int(roll * 7)]
    else:
        parts = phone.split("-")
        area, number = parts[0], parts[1]
        ext = parts[2] if len(parts) > 2 else ""
        roll = rng.random()
        if roll < 0.25:
            text = f"{area}-{number}"
        elif roll < 0.4:
            text = f"({area}){number}"
        elif roll < 0.55:
            text = number  # without the area code
        elif roll < 0.7:
            text = f"{area} {number[:4]} {number[4:]}"
        elif roll < 0.82:
            text = _fw(f"{area}-{number}")
        else:
            text = f"+86-{area[1:]}-{number}"
        if ext:
            text += rng.choice([f"转{ext}", f"-{ext}", f" 分机{ext}", f" ext.{ext}"]) if rng.random() < 0.7 else ""
    if len(s.phones) > 1 and rng.random() < 0.15:
        other = next(p for p in s.phones if p != phone).split("-")
        text += rng.choice(["/", "；", " 或 ", "，"]) + "-".join(other[:2])
    return text


def write_address(rng: random.Random, s: Seller) -> str:
    """One record's address of the seller."""
    province, city, district, street, rest = s.address
    roll = rng.random()
    if rest and "号楼" in rest and rng.random() < 0.4:
        b, u, r = rest.replace("号楼", " ").replace("单元", " ").replace("室", "").split()
        rest = rng.choice([f"{b}-{u}-{r}", f"{b}栋{u}单元{r}", f"{b}#{u}-{r}", f"{CN_NUM[int(b)] if int(b) < 10 else b}号楼{u}单元{r}室"])
    city_part = "" if province == city else city
    if roll < 0.3:
        text = f"{province}{city_part}{district}{street}{rest}"
    elif roll < 0.5:
        text = f"{city}{district}{street}{rest}"
    elif roll < 0.65:
        text = f"{city}{street}{rest}"  # without the district
    elif roll < 0.75:
        text = f"{district}{street}{rest}" if district else f"{city}{street}{rest}"  # without province and city
    elif roll < 0.85:
        text = _fw(f"{city}{district}{street}{rest}")
    elif roll < 0.93:
        text = f"{province} {city_part} {district} {street} {rest}".replace("  ", " ").strip()
    else:
        text = f"{street}{rest}（{district or city}）"
    return text


def write_code(rng: random.Random, s: Seller) -> str:
    """One record's credit code: mostly right, sometimes written otherwise or mistyped."""
    code = s.code
    roll = rng.random()
    if roll < 0.5:
        return code
    if roll < 0.58:
        return f"{code[:6]} {code[6:12]} {code[12:]}"
    if roll < 0.64:
        return f"统一社会信用代码：{code}"
    if roll < 0.7:
        return _fw(code)
    if roll < 0.75:
        return code.lower()
    if roll < 0.87:  # one character mistyped: never a valid check character
        k = rng.randrange(2, 17)
        wrong = rng.choice([c for c in "0123456789" if c != code[k]])
        return code[:k] + wrong + code[k + 1:]
    if roll < 0.95:  # two neighbours swapped
        for _ in range(20):
            k = rng.randrange(8, 16)
            swapped = code[:k] + code[k + 1] + code[k] + code[k + 2:]
            if swapped != code and not code_valid(swapped):
                return swapped
        return code
    return s.old_code


def write_url(rng: random.Random, platform: str, ident: str) -> str:
    """One of the shapes a shop's URL takes on its platform."""
    tag = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
    shapes = {
        "pdd": [f"https://mobile.yangkeduo.com/mall_page.html?mall_id={ident}",
                f"https://mobile.yangkeduo.com/mall_page.html?mall_id={ident}&refer_page_name=goods_detail&_x_share_id={tag}",
                f"http://mobile.pinduoduo.com/mall_page.html?mall_id={ident}",
                f"https://p.pinduoduo.com/{tag[:6]}"],
        "kuaishou": [f"https://www.kuaishou.com/profile/{ident}", f"https://v.kuaishou.com/{tag[:6]}",
                     f"https://live.kuaishou.com/profile/{ident}?fid={tag}"],
        "xianyu": [f"https://www.goofish.com/personal?userId={ident}",
                   f"https://2.taobao.com/personal/index.htm?userId={ident}&spm={tag}",
                   f"https://m.tb.cn/h.{tag}"],
        "vip": [f"https://list.vip.com/autolist.html?brand_id={ident}",
                f"https://m.vip.com/brand-{ident}.html", f"https://m.vip.com/brand-{ident}.html?f={tag}"],
        "dewu": [f"https://www.dewu.com/shop/{ident}", f"https://m.dewu.com/router/shop/ShopHomePage?shopId={ident}",
                 f"https://dw4.co/t/A/{tag}"],
        "taobao": [f"https://shop{ident}.taobao.com", f"https://shop{ident}.taobao.com/?spm={tag}",
                   f"https://shop{ident}.m.taobao.com/"],
        "jd": [f"https://mall.jd.com/index-{ident}.html", f"https://shop.m.jd.com/?shopId={ident}",
               f"https://mall.jd.com/index-{ident}.html?from=pc&sid={tag}"],
        "douyin": [f"https://haohuo.jinritemai.com/views/shop/index?id={ident}",
                   f"https://haohuo.jinritemai.com/views/shop/index?id={ident}&origin_type={tag}",
                   f"https://v.douyin.com/{tag[:7]}/"],
    }
    return rng.choice(shapes[platform])


HOMEPAGES = ["https://www.pinduoduo.com", "https://www.kuaishou.com/", "https://www.goofish.com", "https://www.vip.com",
             "https://www.dewu.com/", "https://www.taobao.com"]


def _records_per_seller(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.40:
        return 1
    if roll < 0.62:
        return 2
    if roll < 0.75:
        return 3
    if roll < 0.84:
        return 4
    if roll < 0.95:
        return rng.randint(5, 7)
    return rng.randint(8, 12)


def write_record(rng: random.Random, s: Seller) -> dict[str, str]:
    """One record of the seller, its fields chosen as a region's filing would have them."""
    record: dict[str, str] = {}
    roll = rng.random()
    region = s.region if rng.random() < 0.78 else rng.choice(list(REGIONS))
    if roll < 0.13:  # weak: a shop-style or short name only
        style = rng.choice(["{x}旗舰店", "{x}专营店", "{x}", "{x}的小店", "{x}严选"])
        return {"name": style.format(x=s.short), "region": region}
    if roll < 0.20:  # only the full legal name
        return {"name": s.legal if rng.random() < 0.8 else write_name(rng, s), "region": region}
    record["name"] = write_name(rng, s)
    record["region"] = region
    if rng.random() < (0.55 if s.kind not in ("webshop",) else 0.35):
        record["uscc"] = write_code(rng, s)
    if rng.random() < 0.6:
        record["phone"] = write_phone(rng, s)
    if rng.random() < (0.55 if s.kind != "webshop" else 0.2):
        record["address"] = write_address(rng, s)
    if s.shops and rng.random() < 0.6:
        record["shop_url"] = write_url(rng, *rng.choice(s.shops))
    elif rng.random() < 0.03:
        record["shop_url"] = rng.choice(HOMEPAGES)  # a platform home page: identifies nothing
    return record


def independent5_sellers(entities: int, seed: int) -> Iterator[tuple[dict[str, str], int]]:
    """`entities` sellers' records as (record, entity key); ids h0, h1, ... in output order."""
    world = World(seed)
    sellers = world.populate(entities)
    rng = random.Random(f"independent5-records:{seed}")
    rows: list[tuple[dict[str, str], int]] = []
    for s in sellers:
        for _ in range(_records_per_seller(rng)):
            rows.append((write_record(rng, s), s.key))
    rng.shuffle(rows)
    for n, (record, key) in enumerate(rows):
        yield {"id": f"h{n}", **record}, key
