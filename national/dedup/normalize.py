"""Normalizers for seller identifiers: credit codes, phones, names, addresses and shop URLs.

All pure: they take what a region typed and return a canonical value, or None when nothing
identifying is left. They parse outside input, so they never raise on any string.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from national.dedup.divisions import _SUBDISTRICT_WORDS, ParsedAddress, division_index, names_subdistrict
from regional.identifiers import USCC_CHARSET, is_valid_uscc

__all__ = [
    "NameParts",
    "canonical_trade",
    "fold",
    "forms_compatible",
    "is_valid_uscc",
    "normalize_address",
    "normalize_name",
    "normalize_phone",
    "normalize_phones",
    "normalize_shop_url",
    "normalize_uscc",
    "phone_place",
    "places_compatible",
    "t2s",
    "trades_compatible",
    "uscc_distance",
    "uscc_place",
]

_SPACE_PUNCT = re.compile(r"[\s\u3000·・.,，。、;；:：'\"“”‘’!！?？~～`^_=+*&%$@|\\/<>《》-]+")


@functools.cache
def _t2s_table() -> dict[int, str]:
    """Character-level traditional -> simplified table from OpenCC's TSCharacters dictionary."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and first and first != trad:
            table[ord(trad)] = first
    return table


def t2s(text: str) -> str:
    """Traditional -> simplified Chinese, character by character with OpenCC's table (names need no phrases)."""
    return text.translate(_t2s_table())


def fold(text: str) -> str:
    """NFKC (full-width -> half-width), case-folded, simplified; whitespace and punctuation removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE_PUNCT.sub("", t2s(text))


# ------------------------------------------------------------------ credit codes (GB 32100)

# Letters GB 32100 never uses, read as the digits or letters people mistake them for.
_USCC_CONFUSABLES = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "V": "U"})
_USCC_JUNK = re.compile(r"[\s\-_./:：]+")


def normalize_uscc(raw: str | None) -> str | None:
    """18 upper-case GB 32100 characters (check character not enforced), or None."""
    if not raw:
        return None
    code = _USCC_JUNK.sub("", unicodedata.normalize("NFKC", raw)).upper()
    code = code.removeprefix("统一社会信用代码").translate(_USCC_CONFUSABLES)
    if len(code) != 18 or any(ch not in USCC_CHARSET for ch in code):
        return None
    return code


def uscc_distance(a: str, b: str) -> int:
    """Substitutions between two codes, counting one adjacent transposition as a single edit."""
    diffs = [i for i in range(min(len(a), len(b))) if a[i] != b[i]] + list(range(min(len(a), len(b)), max(len(a), len(b))))
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
        return 1
    return len(diffs)


# ------------------------------------------------------------------ phones

_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#|-{2})\s*\d{1,6}\s*$", re.IGNORECASE)
_THREE_DIGIT_AREAS = frozenset({"10", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29"})
_MOBILE = re.compile(r"1[3-9]\d{9}")


_PHONE_SEPARATORS = re.compile(r"[/,;、|]+|\s*(?:或|或者|及|和|\bor\b)\s*")  # after NFKC: ／ ， ； ｜ are these; 或: "or"
_HYPHEN_EXTENSION = re.compile(r"(\d{7,8})\s*-\s*\d{1,4}\s*$")  # 0755-81234567-801: an extension after a hyphen


def normalize_phone(raw: str | None) -> str | None:
    """'13812345678' for a mobile, '0755-81234567' for a landline, '-81234567' without area code; else None.

    A field holding several numbers (0771-3844743 / 13372774184, 138…，139…, two mobiles side by side) gives
    its first number (`normalize_phones` gives them all), and a landline with its extension after a hyphen
    (0755-81234567-801) the landline: read whole, such a field is a string of digits that is no number at all."""
    numbers = normalize_phones(raw)
    return numbers[0] if numbers else None


def normalize_phones(raw: str | None) -> tuple[str, ...]:
    """Every number a phone field holds, normalized as `normalize_phone`, in the order written, each once: a firm
    writes its landline and a mobile, or two staff mobiles, into one field (0771-3844743 / 13372774184)."""
    if not raw:
        return ()
    text = unicodedata.normalize("NFKC", raw).strip()
    whole = _one_phone(text)
    if whole is not None:
        return (whole,)
    pieces = [p for p in _PHONE_SEPARATORS.split(text) if p.strip()]
    if len(pieces) == 1:  # two numbers side by side, no separator but spaces, which may also be inside a number
        found = _grouped_phones(text.split())
        if found:
            return found
    if len(pieces) > 1:
        found = tuple(dict.fromkeys(n for n in map(_piece_phone, pieces) if n is not None))
        if found:
            return found
    number = _piece_phone(text)
    return (number,) if number is not None else ()


def _grouped_phones(words: list[str]) -> tuple[str, ...]:
    """Numbers written side by side with spaces between them and inside them (0471 2690110 +86 181 0835 0110): from
    left to right, the longest run of words (up to five) that reads as one number is one number."""
    found: list[str] = []
    k = 0
    while k < len(words):
        for end in range(min(len(words), k + 5), k, -1):
            number = _piece_phone(" ".join(words[k:end]))
            if number is not None:
                found.append(number)
                k = end
                break
        else:
            k += 1
    return tuple(dict.fromkeys(found))


def _piece_phone(text: str) -> str | None:
    """One number, or one landline with its extension after a hyphen (0571-88112233-12)."""
    number = _one_phone(text)
    if number is None and (extension := _HYPHEN_EXTENSION.search(text)) is not None:
        number = _one_phone(text[:extension.end(1)])
    return number


def _one_phone(text: str) -> str | None:
    text = _EXTENSION.sub("", text)
    international = text.startswith("+")
    digits = "".join(ch for ch in text if "0" <= ch <= "9")
    if digits.startswith("0086"):
        digits, international = digits[4:], True
    elif digits.startswith("86") and (international or len(digits) in (12, 13) and not digits.startswith("0")):
        digits, international = digits[2:], True
    if _MOBILE.fullmatch(digits):
        return digits
    if international and digits and not digits.startswith("0"):
        digits = "0" + digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area_len = 3 if digits[1:3] in _THREE_DIGIT_AREAS else 4
        local = digits[area_len:]
        if 7 <= len(local) <= 8 and not local.startswith(("0", "1")):
            return f"{digits[:area_len]}-{local}"
        return None
    if 7 <= len(digits) <= 8 and not digits.startswith(("0", "1")):
        return f"-{digits}"
    return None


# Landline area codes (the long-distance prefixes of the national numbering plan) and the place each one covers:
# a landline names its city as plainly as an address does. A code shared by several prefectures (长株潭 0731,
# 西安/咸阳 029, all of Hainan 0898, ...) or one whose extent we are not sure of names only its province.
# Mobile numbers name no place (a number keeps its owner anywhere).
_AREA_CODES = {
    "010": "北京市", "021": "上海市", "022": "天津市", "023": "重庆市",
    "020": "广东省广州市", "0755": "广东省深圳市", "0756": "广东省珠海市", "0754": "广东省汕头市", "0757": "广东省佛山市",
    "0751": "广东省韶关市", "0759": "广东省湛江市", "0758": "广东省肇庆市", "0750": "广东省江门市", "0668": "广东省茂名市",
    "0752": "广东省惠州市", "0753": "广东省梅州市", "0660": "广东省汕尾市", "0762": "广东省河源市", "0662": "广东省阳江市",
    "0763": "广东省清远市", "0769": "广东省东莞市", "0760": "广东省中山市", "0768": "广东省潮州市", "0663": "广东省揭阳市",
    "0766": "广东省云浮市",
    "0571": "浙江省杭州市", "0574": "浙江省宁波市", "0577": "浙江省温州市", "0573": "浙江省嘉兴市", "0572": "浙江省湖州市",
    "0575": "浙江省绍兴市", "0579": "浙江省金华市", "0570": "浙江省衢州市", "0580": "浙江省舟山市", "0576": "浙江省台州市",
    "0578": "浙江省丽水市",
    "025": "江苏省南京市", "0510": "江苏省无锡市", "0516": "江苏省徐州市", "0519": "江苏省常州市", "0512": "江苏省苏州市",
    "0513": "江苏省南通市", "0518": "江苏省连云港市", "0517": "江苏省淮安市", "0515": "江苏省盐城市", "0514": "江苏省扬州市",
    "0511": "江苏省镇江市", "0523": "江苏省泰州市", "0527": "江苏省宿迁市",
    "0531": "山东省济南市", "0532": "山东省青岛市", "0533": "山东省淄博市", "0632": "山东省枣庄市", "0546": "山东省东营市",
    "0535": "山东省烟台市", "0536": "山东省潍坊市", "0537": "山东省济宁市", "0538": "山东省泰安市", "0631": "山东省威海市",
    "0633": "山东省日照市", "0539": "山东省临沂市", "0534": "山东省德州市", "0635": "山东省聊城市", "0543": "山东省滨州市",
    "0530": "山东省菏泽市",
    "0591": "福建省福州市", "0592": "福建省厦门市", "0594": "福建省莆田市", "0598": "福建省三明市", "0595": "福建省泉州市",
    "0596": "福建省漳州市", "0599": "福建省南平市", "0597": "福建省龙岩市", "0593": "福建省宁德市",
    "0371": "河南省", "0379": "河南省洛阳市", "0373": "河南省新乡市", "0377": "河南省南阳市", "0372": "河南省安阳市",
    "0375": "河南省平顶山市", "0376": "河南省信阳市", "0391": "河南省焦作市", "0370": "河南省商丘市",
    "027": "湖北省武汉市", "0717": "湖北省宜昌市", "0710": "湖北省襄阳市", "0716": "湖北省荆州市", "0719": "湖北省十堰市",
    "0714": "湖北省黄石市",
    "0731": "湖南省", "0734": "湖南省衡阳市", "0730": "湖南省岳阳市", "0736": "湖南省常德市",
    "028": "四川省成都市", "0816": "四川省绵阳市", "0838": "四川省德阳市", "0831": "四川省宜宾市", "0817": "四川省南充市",
    "0833": "四川省乐山市", "0830": "四川省泸州市",
    "029": "陕西省", "024": "辽宁省", "0411": "辽宁省大连市", "0412": "辽宁省鞍山市",
    "0431": "吉林省长春市", "0432": "吉林省吉林市", "0451": "黑龙江省哈尔滨市", "0459": "黑龙江省大庆市",
    "0452": "黑龙江省齐齐哈尔市",
    "0311": "河北省石家庄市", "0315": "河北省唐山市", "0312": "河北省保定市", "0310": "河北省邯郸市", "0316": "河北省廊坊市",
    "0317": "河北省沧州市", "0319": "河北省邢台市", "0335": "河北省秦皇岛市", "0313": "河北省张家口市", "0314": "河北省承德市",
    "0318": "河北省衡水市",
    "0351": "山西省太原市", "0352": "山西省大同市", "0471": "内蒙古自治区呼和浩特市", "0472": "内蒙古自治区包头市",
    "0551": "安徽省合肥市", "0553": "安徽省芜湖市", "0552": "安徽省蚌埠市", "0556": "安徽省安庆市", "0555": "安徽省马鞍山市",
    "0791": "江西省南昌市", "0797": "江西省赣州市", "0792": "江西省九江市",
    "0771": "广西壮族自治区南宁市", "0772": "广西壮族自治区柳州市", "0773": "广西壮族自治区桂林市", "0898": "海南省",
    "0871": "云南省昆明市", "0851": "贵州省", "0931": "甘肃省兰州市", "0951": "宁夏回族自治区银川市",
    "0971": "青海省西宁市", "0991": "新疆维吾尔自治区乌鲁木齐市", "0891": "西藏自治区拉萨市",
}


@functools.cache
def _area_places() -> dict[str, str]:
    """Area code -> division code (a prefecture's, or a province's), read through the division index."""
    index = division_index()
    out = {}
    for area, place in _AREA_CODES.items():
        parsed = index.parse(place)
        if parsed.code is not None and not parsed.street:
            out[area] = parsed.prefecture or parsed.code
    return out


def phone_place(phone: str | None) -> str | None:
    """The place a normalized landline names by its area code ('0755-81234567' -> '440300'; a province's code
    for a code several prefectures share); None for a mobile, a number without area code or an unknown code."""
    if not phone or not phone.startswith("0"):
        return None
    area, _, _ = phone.partition("-")
    return _area_places().get(area)


# ------------------------------------------------------------------ names

# Legal forms (组织形式) by class: a company and an individual business are never one legal entity.
_COMPANY_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团有限公司", "集团公司", "集团", "分公司", "总公司",
                  "公司", "普通合伙", "有限合伙", "合伙企业", "企业")
_INDIVIDUAL_FORMS = ("个体工商户", "个体户", "商行", "贸易商行", "经营部", "门市部", "营业部", "工作室", "批发部",
                     "商贸部", "服务部", "销售部", "经销部", "小卖部", "便利店", "副食店", "杂货店")
_OTHER_FORMS = ("商店", "商社", "加工厂", "厂", "合作社", "专业合作社", "农民专业合作社", "股份经济合作社",
                "个人独资企业", "独资企业")  # factories, cooperatives: no class to conflict with
# Online shop descriptors: a shop name says little about the legal entity behind it.
_SHOP_FORMS = ("官方旗舰店", "旗舰店", "专营店", "专卖店", "企业店", "官方店", "自营店", "直营店", "工厂店", "品牌店",
               "授权店", "折扣店", "特卖店", "体验店", "优选店", "精品店", "严选店", "网店", "小店", "的小店", "的店",
               "店铺", "小铺", "铺子", "生活馆", "集合店", "严选", "优选", "甄选", "优品", "店",
               # platform shop styles that name no legal form either (1688/拼多多/抖音 shops)
               "直销店", "工厂直销店", "工厂直销", "源头工厂", "源头厂家", "好物", "好物店", "精选", "精选店", "甄选店",
               "精品馆", "品牌馆", "旗舰馆", "体验馆", "专营馆", "海外旗舰店", "海外专营店", "全球购", "官方商城", "商城",
               "臻选", "臻品", "臻选店", "优选馆", "严选馆", "好物馆",  # 臻 written for 甄 (臻选 = 甄选)
               # a shop or store named 馆/铺 as 店 (XX茶叶馆, XX腊味铺): online, or with a place a registered store
               "馆", "铺")
_ONLINE_SHOP = frozenset({"旗舰", "专营", "专卖", "企业", "官方", "自营", "直营", "工厂", "品牌", "授权", "折扣", "特卖",
                          "体验", "优选", "精品", "严选", "小", "的", "直销", "源头", "甄选", "精选", "好物", "海外",
                          "全球", "臻选", "臻品"})
# words that stack in front of a shop descriptor (官方企业店, 自营旗舰店, 品牌直销店): part of the shop style
_SHOP_WORDS = frozenset(w for w in _ONLINE_SHOP if len(w) >= 2)
_FORM_CLASS = {**{f: "company" for f in _COMPANY_FORMS}, **{f: "individual" for f in _INDIVIDUAL_FORMS},
               **{f: "other" for f in _OTHER_FORMS}, **{f: "shop" for f in _SHOP_FORMS}}
_SUFFIX_SET = frozenset(_FORM_CLASS)
_SUFFIX_LENGTHS = tuple(sorted({len(t) for t in _SUFFIX_SET}, reverse=True))
_BRACKETS = re.compile(r"[(\[【〔{「『]([^)\]】〕}」』]*)[)\]】〕}」』]?")
_BRACKET_OPENS = frozenset("([【〔{「『")  # the opening brackets of `_BRACKETS`
_QUOTED = re.compile(r"[「『]([\u4e00-\u9fff]{2,6})[」』]")  # a trade name in quotes at the start of a shop name


# Goods words (商品) that follow a trade name in shop names and in the names of small firms and stores: 字号 + goods
# (山岚风筝, 湘溪腊味, 野驰帐篷). Read as trade words, exactly as written only (no slip of a character is read as one
# of them: a trade name ending in a homophone of a goods word stays whole). By family, from the goods of e-commerce.
_GOODS_TERMS = frozenset({
    # meat, cured and cooked foods (腊味 卤味)
    "腊味", "腊肉", "腊肠", "香肠", "火腿", "熏肉", "腊鸭", "板鸭", "酱鸭", "卤味", "卤菜", "熟食", "肉干", "牛肉干",
    "肉脯", "肉松", "鸭脖", "烧鸡", "扒鸡", "烤鸭",
    # pickles, sauces, condiments
    "酱菜", "腌菜", "泡菜", "咸菜", "榨菜", "酱料", "酱油", "醋业", "香醋", "陈醋", "调料", "辣酱", "辣椒酱", "辣椒",
    "火锅底料", "底料", "豆瓣酱", "腐乳", "豆豉", "花椒", "香料", "干辣椒",
    # noodles, rice and flour foods
    "米粉", "米线", "粉丝", "粉条", "面条", "挂面", "螺蛳粉", "酸辣粉", "凉皮", "年糕", "粽子", "汤圆", "月饼",
    "糕饼", "饼业", "饼干", "点心", "蛋糕", "面包", "麻花", "馓子", "锅巴", "方便食品",
    # sweets, nuts, dried fruit
    "糖果", "巧克力", "蜜饯", "果脯", "果干", "坚果", "炒货", "瓜子", "花生", "核桃", "板栗", "红枣", "枸杞", "桂圆",
    "干果", "山核桃", "碧根果", "腰果", "开心果", "芝麻", "黑芝麻",
    # dried goods, mountain and sea produce
    "干货", "山货", "南北干货", "菌菇", "食用菌", "香菇", "木耳", "黑木耳", "银耳", "松茸", "竹笋", "笋干", "海带",
    "紫菜", "虾皮", "虾米", "鱼干", "海产", "海产品", "水产品", "海味", "鱿鱼", "鲍鱼", "海参", "干贝",
    # bee and tonic products
    "蜂蜜", "蜂产品", "蜂业", "蜂王浆", "燕窝", "阿胶", "人参", "参茸", "滋补品", "虫草", "石斛", "三七", "黄芪",
    # eggs and dairy
    "蛋品", "禽蛋", "鸡蛋", "鸭蛋", "咸鸭蛋", "皮蛋", "乳品", "乳制品", "奶粉", "牛奶", "酸奶", "奶酪", "冷饮",
    "冰淇淋", "雪糕",
    # grain, oil, farm produce
    "大米", "稻米", "香米", "杂粮", "五谷杂粮", "面粉", "玉米", "红薯", "土豆", "马铃薯", "山药", "茶油", "山茶油",
    "菜籽油", "花生油", "芝麻油", "香油", "橄榄油", "果品", "农副产品", "脐橙", "柑橘", "蜜柚", "猕猴桃", "葡萄",
    "荔枝", "芒果", "石榴", "樱桃", "草莓", "蓝莓", "苗木", "绿植", "盆景", "多肉", "花木",
    # tea and drinks (茶叶 茶业 饮料 are trade words already)
    "红茶", "绿茶", "白茶", "黑茶", "花茶", "普洱", "普洱茶", "乌龙茶", "龙井", "岩茶", "茶庄", "茶行", "茶饮",
    "奶茶", "果汁", "矿泉水", "饮用水", "纯净水", "黄酒", "米酒", "果酒", "酒庄", "酒坊", "咖啡豆",
    # clothing and footwear
    "汉服", "旗袍", "唐装", "婚纱", "礼服", "睡衣", "家居服", "羽绒服", "棉服", "毛衣", "羊毛衫", "衬衫", "西服",
    "西装", "裤业", "牛仔", "牛仔裤", "童鞋", "女鞋", "男鞋", "皮鞋", "布鞋", "拖鞋", "鞋袜", "丝巾",
    "围巾", "披肩", "手套", "领带", "泳衣", "泳装", "校服", "制服", "服装辅料", "辅料", "面料", "布料",
    "纱线", "棉纺", "麻纺",
    # home textiles
    "毛巾", "浴巾", "床单", "被业", "枕头", "蚊帐", "凉席", "地毯", "桌布", "抱枕", "棉被", "蚕丝被", "羽绒被",
    "四件套", "毛毯",
    # outdoor, fishing, sport
    "帐篷", "睡袋", "露营", "登山用品", "钓具", "鱼竿", "瑜伽", "滑板", "球拍", "羽毛球", "乒乓球",
    "篮球", "足球", "骑行",
    # toys, models, children's goods
    "风筝", "积木", "模型", "玩偶", "毛绒玩具", "公仔", "手办", "益智玩具", "童车", "婴童", "童品", "奶瓶",
    "纸尿裤", "尿不湿",
    # crafts, art and culture goods
    "剪纸", "年画", "泥塑", "木雕", "根雕", "竹编", "藤编", "草编", "编织品", "绣品", "蜀绣", "苏绣", "湘绣",
    "漆器", "景泰蓝", "紫砂", "紫砂壶", "陶器", "琉璃", "玉器", "玉石", "翡翠", "和田玉", "琥珀", "蜜蜡", "银饰",
    "金饰", "银器", "铜器", "香具", "线香", "沉香", "檀香", "佛具", "文房四宝", "笔墨", "宣纸", "毛笔", "砚台",
    "印章", "篆刻", "折扇", "纸扇", "灯笼", "中国结", "油纸伞", "雨伞", "伞具", "乐器行", "古筝", "二胡", "吉他",
    # household goods
    "牙刷", "纸巾", "湿巾", "卫生纸", "洗护", "洗护用品", "洗涤", "洗涤用品", "清洁用品", "收纳", "收纳用品",
    "保温杯", "水杯", "杯业", "餐具", "锅具", "炊具", "刀剪", "剪刀", "菜刀", "砧板", "一次性用品", "衣架",
    "拖把", "香薰", "蜡烛", "香皂", "洗发水", "牙膏", "相框", "花瓶", "装饰画", "墙纸", "壁纸", "墙布",
    "花盆", "小家电",
    # hardware, tools, building parts
    "电动工具", "手动工具", "扳手", "螺丝", "锁具", "锁业", "门锁", "合页", "拉手", "水暖", "管件",
    "龙头", "水龙头", "花洒", "焊材", "磨具", "磨料", "砂轮", "钻头", "锯片", "梯子", "门业", "木门", "防盗门",
    "铝材", "型材", "板材", "木材", "木业",
    # pets, aquarium
    "猫粮", "狗粮", "水族", "鱼缸",
    # beauty and care
    "护肤品", "护肤", "彩妆", "香水", "面膜", "假发", "发制品",
    # phone and computer accessories
    "耳机", "音响", "音箱", "充电器", "数据线", "移动电源", "手机壳",
    # stationery and office goods
    "笔业", "本册", "纸张", "耗材", "打印耗材", "办公耗材",
    # general food words
    "美食", "小吃", "食材", "特色食品", "地方特产", "山珍",
})


# Trade descriptors (行业) that follow the trade name (字号) in a registered name: 字号 + 行业 + 组织形式.
_INDUSTRY_TERMS = tuple(sorted({
    "电子", "科技", "贸易", "商贸", "工贸", "经贸", "服饰", "服装", "鞋服", "食品", "日用品", "日用百货", "日化",
    "五金", "数码", "家居", "化妆品", "美妆", "母婴", "孕婴", "玩具", "箱包", "皮具", "鞋业", "纺织", "纺织品",
    "机电", "照明", "通讯", "通信", "网络", "文化传媒", "传媒", "文化", "传播", "电器", "家电", "建材", "茶叶",
    "茶业", "酒业", "医疗器械", "器械", "汽车用品", "体育用品", "办公用品", "用品", "工艺品", "工艺", "珠宝", "首饰",
    "饰品", "眼镜", "钟表", "家纺", "厨具", "宠物", "农产品", "保健品", "营养品", "印刷", "包装", "实业", "投资",
    "发展", "信息技术", "信息", "技术", "电子商务", "商务", "进出口", "国际", "生物", "医药", "药业", "大药房",
    "药房", "化工", "塑料", "塑胶", "橡胶", "机械", "设备", "仪器", "制造", "物流", "供应链", "管理", "企业管理",
    "咨询", "服务", "餐饮", "百货", "超市", "便利店", "美容", "文具", "礼品", "灯饰", "灯具", "陶瓷", "家具",
    "汽车", "配件", "汽配", "智能", "新材料", "材料", "环保", "能源", "光电", "电气", "户外", "运动", "体育",
    "零食", "水果", "生鲜", "农业", "酒类", "烟酒", "副食", "副食品", "粮油", "电商", "网店", "软件", "设计",
    "装饰", "广告", "教育", "健康", "卫浴", "门窗", "工具", "金属", "物资", "贸易行", "乳业", "饮料", "调味品",
    "针织", "内衣", "童装", "女装", "男装", "渔具", "花卉", "园艺", "水产", "海鲜", "纸业", "石材", "钢材",
    # generic heads and common trades of registered names (企业名称 行业表述)
    "制品", "产品", "器材", "用具", "器具", "乐器", "皮革", "皮业", "美发", "美容美发", "美甲", "床上用品", "床品",
    "日杂", "杂品", "家用", "日用", "办公", "医疗", "卫生用品", "劳保用品", "劳保", "文化用品", "成人用品",
    "家政", "保洁", "物业", "租赁", "安装", "维修", "制衣", "制鞋", "鞋材", "布业", "布艺", "窗帘",
    "床垫", "寝具", "毛纺", "丝绸", "羊绒", "皮草", "箱包皮具", "袜业", "帽业", "伞业", "织造", "印染", "刺绣",
    "工艺美术", "艺术品", "字画", "文玩", "茶具", "瓷器", "玻璃", "玻璃制品", "五金制品", "五金交电", "交电",
    "电线电缆", "电缆", "线缆", "电子元件", "元器件", "电池", "电源", "电机", "泵业", "阀门", "管业", "管道",
    "紧固件", "标准件", "模具", "机床", "刀具", "量具", "轴承", "仪表", "自动化", "电力", "新能源", "太阳能",
    "光伏", "节能", "净水", "水处理", "空调", "制冷", "暖通", "厨卫", "橱柜", "地板", "瓷砖", "涂料", "油漆",
    "装修", "装饰工程", "建筑", "建设", "工程", "土木", "园林", "绿化", "景观", "种业", "种苗", "农资", "化肥",
    "农药", "饲料", "畜牧", "养殖", "林业", "果业", "蔬菜", "米业", "面业", "油脂", "粮食", "食用油", "糖业",
    "酒水", "啤酒", "白酒", "葡萄酒", "饮品", "咖啡", "烘焙", "糕点", "肉类", "肉制品", "冷链",
    "速冻食品", "休闲食品", "特产", "土特产", "保健", "健康科技", "生物技术", "医疗科技", "制药", "中药",
    "中药材", "药材", "药品", "医疗用品", "口腔", "眼科", "健身", "健身器材", "运动用品", "体育器材", "文体",
    "玩具礼品", "婚庆", "摄影", "影视", "动漫", "游戏", "出版", "图书", "音像", "电竞", "直播",
    "网络技术", "信息科技", "数据", "大数据", "云计算", "人工智能", "物联网", "区块链", "计算机", "电脑",
    "手机", "通讯器材", "安防", "监控", "消防", "消防器材", "环境", "环境科技", "检测", "认证", "人力资源",
    "劳务", "教育科技", "培训", "旅游", "酒店", "餐饮管理", "酒店管理", "物流科技", "快递", "货运", "运输",
    "仓储", "报关", "外贸", "国际贸易", "实业发展", "控股", "资产管理", "品牌管理", "营销", "营销策划",
    "策划", "会展", "展览", "标识", "标牌", "包装制品", "纸品", "纸制品", "塑料制品", "橡塑", "化纤", "纤维",
    "汽车配件", "汽车服务", "车业", "摩托车", "电动车", "自行车", "轮胎", "汽车销售", "二手车",
    "种植", "种植业", "养殖业", "农机", "农业科技",
} | _GOODS_TERMS, key=len, reverse=True))


# a town whose name ends in 镇 keeps it before the 镇 of its kind: 中山市古镇镇 (古镇 town), not 古镇 + a trade name 镇…
_LEADING_TOWN = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:镇镇|镇|街道)")
_TOWN = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}?(?:镇镇|镇|乡|街道)|[\u4e00-\u9fff]{0,4}?(?:开发区|工业园区|工业园|高新区|新区))")


@dataclass(frozen=True, slots=True)
class NameParts:
    """A seller name split per 企业名称登记管理规定: place, trade name (字号), trade (行业), legal form."""

    core: str  # trade name + trade: the name without place and form
    full: str
    shop: bool  # a shop-style name (旗舰店, 专营店…)
    brand: str = ""  # the trade name (字号)
    place: str | None = None  # the registration place named (prefecture or province code)
    trade: str = ""  # the trade words (行业) after the trade name
    form: str = ""  # "company", "individual", "other" (factory, cooperative), "shop" or "" (no form named)
    sound: str = ""  # the trade name read aloud (toneless pinyin): typing errors are mostly homophones

    @property
    def specific(self) -> bool:
        """A full registered name (place, trade name and legal form): it alone identifies an entity."""
        return self.place is not None and self.form in ("company", "individual", "other")


_INDUSTRY_SET = frozenset(_INDUSTRY_TERMS)
_SLIP_TERMS = tuple(t for t in _INDUSTRY_TERMS if t not in _GOODS_TERMS)  # words read through a typing slip too
_INDUSTRY_LENGTHS = tuple(sorted({len(t) for t in _INDUSTRY_TERMS}, reverse=True))


def _strip_suffixes(text: str, suffixes: frozenset[str], lengths: tuple[int, ...]) -> tuple[str, str]:
    """Repeatedly drop the longest listed suffix while two characters remain; return the rest and what went."""
    dropped = ""
    while True:
        for length in lengths:
            if len(text) - length >= 2 and text[-length:] in suffixes:
                dropped = text[-length:] + dropped
                text = text[:-length]
                break
        else:
            return text, dropped


def _slips(forms: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """One-character slips of the legal forms of three characters or more (有限司, 企亚店, 啇贸部): pattern with
    '?' for a mistyped character -> form, and form with one character left out or two neighbours swapped
    (作工室) -> form. A slip that could be
    two forms of different classes, or that is itself a form, is no evidence and is left out."""
    typed: dict[str, set[str]] = {}
    dropped: dict[str, set[str]] = {}
    for f in forms:
        if len(f) < 3:
            continue
        for k in range(len(f)):
            typed.setdefault(f[:k] + "?" + f[k + 1:], set()).add(f)
            if len(f) >= 4:
                dropped.setdefault(f[:k] + f[k + 1:], set()).add(f)
            if k + 1 < len(f) and f[k] != f[k + 1]:  # two neighbours swapped (作工室, 卖专店, 限有公司)
                dropped.setdefault(f[:k] + f[k + 1] + f[k] + f[k + 2:], set()).add(f)

    def one_class(table: dict[str, set[str]]) -> dict[str, str]:
        out = {}
        for slip, fs in table.items():
            if slip in forms or len({forms[f] for f in fs}) != 1:
                continue
            out[slip] = max(fs, key=len)
        return out

    return one_class(typed), one_class(dropped)


@functools.lru_cache(maxsize=1 << 16)
def _typed_slip(tail: str) -> str | None:
    """The legal form `tail` (itself no form) is a one-character slip of (`_TYPED_SLIPS`: the first masked position
    that is a slip pattern, left to right), found through the forms that share a half with `tail` (a form one character
    off shares its first or its second half exactly)."""
    length = len(tail)
    half = length // 2
    candidates = _FORMS_BY_HEAD.get(tail[:half], ()) + _FORMS_BY_TAIL.get(tail[half:], ())
    positions = sorted({k for f in candidates if len(f) == length
                        for k in [next((j for j in range(length) if f[j] != tail[j]), -1)]
                        if k >= 0 and f[k + 1:] == tail[k + 1:]})
    for k in positions:
        form = _TYPED_SLIPS.get(tail[:k] + "?" + tail[k + 1:])
        if form is not None:
            return form
    return None


def _strip_forms(text: str) -> tuple[str, str]:
    """`_strip_suffixes` for legal forms and shop descriptors, tolerating one missing character in a form of four
    characters or more (有限司, 限公司) and one mistyped character in a form of three or more (企亚店, 啇贸部) —
    a mistyped form must agree on a character before any shorter form written out in full (喵喵小店 is
    喵喵 + 小店, not 喵 + 的小店; 卓诺茂易商行 is 卓诺 + 贸易商行)."""
    dropped = ""
    while True:
        for length in _FUZZY_LENGTHS:
            if len(text) - length < 2:
                continue
            tail = text[-length:]
            form = tail if tail in _SUFFIX_SET else None
            if form is None and length >= 3:
                form = _DROPPED_SLIPS.get(tail)
                written = max((n for n in range(1, length) if tail[-n:] in _SUFFIX_SET), default=0) if form else 0
                if written and _ends_in_trade(text[:-written]):
                    form = None  # 恒雅曦户外专营店: 户外 + 专营店, not 恒雅曦户 + 海外专营店 with 海 left out
                elif form is None:
                    form = _typed_slip(tail)
                    if form is not None:  # the slip must agree with the form before any form written out in full
                        written = max((n for n in range(1, length) if tail[-n:] in _SUFFIX_SET), default=0)
                        if not any(tail[j] == form[j] for j in range(length - written)):
                            form = None
                        elif written and _ends_in_trade(text[:-written]):
                            form = None  # 华美化妆品店: 化妆品 + 店, not 华美化 + 精品店 mistyped
                    if form is not None and _DROPPED_SLIPS.get(tail[1:]) and _ends_in_trade(text[:-length + 1]):
                        form = None  # 天田服装限公司: a dropped 有 after a trade word, not 装 mistyped for 有
            if form is not None:
                dropped = form + dropped
                text = text[:-length]
                break
        else:
            return text, dropped


def _ends_in_trade(text: str) -> bool:
    return any(text[-n:] in _INDUSTRY_SET for n in _INDUSTRY_LENGTHS if len(text) > n)


def _form_class(dropped: str) -> str:
    """The class of the outermost legal form among the dropped suffixes (the last one written)."""
    for length in range(len(dropped), 0, -1):
        tail = dropped[-length:]
        if tail in _FORM_CLASS:
            return _FORM_CLASS[tail]
    return ""


_TYPED_SLIPS, _DROPPED_SLIPS = _slips(_FORM_CLASS)


def _by_half(first: bool) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for f in _FORM_CLASS:
        if len(f) >= 3:
            out.setdefault(f[:len(f) // 2] if first else f[len(f) // 2:], []).append(f)
    return {k: tuple(v) for k, v in out.items()}


_FORMS_BY_HEAD, _FORMS_BY_TAIL = _by_half(True), _by_half(False)
_FUZZY_LENGTHS = tuple(sorted(set(_SUFFIX_LENGTHS) | {n - 1 for n in _SUFFIX_LENGTHS if n >= 4}, reverse=True))


# trade words that mean the same for telling firms apart
_TRADE_SYNONYMS = {"商贸": "贸易", "工贸": "贸易", "经贸": "贸易", "贸易行": "贸易", "服装": "服饰", "鞋服": "服饰",
                   "茶叶": "茶业", "通讯": "通信", "电商": "电子商务", "美妆": "化妆品", "家电": "电器", "孕婴": "母婴",
                   "汽配": "汽车配件", "副食品": "副食", "营养品": "保健品", "纺织品": "纺织", "网店": "电子商务",
                   "床品": "床上用品", "寝具": "床上用品", "皮业": "皮革", "日用": "日用品", "制衣": "服饰",
                   # goods words (`_GOODS_TERMS`): one kind of goods written several ways
                   **dict.fromkeys(("腊肉", "腊肠", "熏肉", "腊鸭"), "腊味"), **dict.fromkeys(("卤菜",), "卤味"),
                   **dict.fromkeys(("腌菜", "咸菜", "泡菜", "榨菜"), "酱菜"), "食用菌": "菌菇", "米线": "米粉",
                   "粉丝": "粉条", "挂面": "面条", "蜂产品": "蜂蜜", "蜂业": "蜂蜜", "乳制品": "乳品",
                   **dict.fromkeys(("红茶", "绿茶", "白茶", "黑茶", "花茶", "普洱", "普洱茶", "乌龙茶", "龙井", "岩茶",
                                    "茶庄", "茶行"), "茶业"),
                   "酒庄": "酒业", "酒坊": "酒业", **dict.fromkeys(("大米", "稻米", "香米"), "米业"), "面粉": "面业",
                   "锁具": "锁业", "门锁": "锁业", "音箱": "音响", "护肤": "护肤品", "泳衣": "泳装", "西服": "西装",
                   "牛仔裤": "牛仔", "木材": "木业", "雨伞": "伞业", "伞具": "伞业", "水杯": "杯业"}


def canonical_trade(trade: str) -> str:
    """The trade words of a name with synonyms folded (商贸 = 贸易, 服装 = 服饰), each word once, in order."""
    words = []
    rest = trade
    while rest:
        for length in _INDUSTRY_LENGTHS:
            if rest[:length] in _INDUSTRY_SET:
                words.append(_TRADE_SYNONYMS.get(rest[:length], rest[:length]))
                rest = rest[length:]
                break
        else:
            words.append(rest)
            break
    return "".join(dict.fromkeys(words))


def trades_compatible(a: str | None, b: str | None) -> bool:
    """Can two canonical trades belong to one firm? (one missing, equal, or one containing the other)"""
    return not a or not b or a in b or b in a


def places_compatible(a: str | None, b: str | None) -> bool:
    """Can two places (province XX0000, prefecture XXXX00 or county codes) belong to one firm? Yes when one
    lies within the other; two different places of one level are two registration authorities."""
    if not a or not b or a == b:
        return True
    if a.endswith("0000") or b.endswith("0000"):
        return a[:2] == b[:2]
    if a.endswith("00") or b.endswith("00"):
        return a[:4] == b[:4]
    return False


def forms_compatible(a: str | None, b: str | None) -> bool:
    """A company and an individual business are never one legal entity; anything else may be."""
    return not (a == "company" and b == "individual" or a == "individual" and b == "company")


def uscc_place(code: str | None) -> str | None:
    """The registration prefecture of a credit code (its characters 3-8 name the registering authority)."""
    if not code or len(code) != 18 or not code[2:8].isdigit() or not 11 <= int(code[2:4]) <= 82:
        return None
    division = code[2:8]
    return division if division.endswith("0000") else division[:4] + "00"


@functools.cache
def _pinyin_readings() -> dict[int, str]:
    """Code point -> its readings, from pypinyin's single-character dictionary file (the data `lazy_pinyin` reads
    a single character from), loaded without importing pypinyin's phrase dictionaries (a third of a second per
    process); empty when the file is not there."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return {}
    try:
        data = json.loads((Path(spec.origin).parent / "pinyin_dict.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {int(k): v for k, v in data.items() if isinstance(v, str) and v}


@functools.cache
def _char_sound(ch: str) -> str:
    """The toneless pinyin of one character (`lazy_pinyin(ch)[0]`: first reading, tone marks off, ü as v)."""
    if not "\u4e00" <= ch <= "\u9fff":
        return ch
    readings = _pinyin_readings()
    if not readings:  # no dictionary file: ask pypinyin itself
        from pypinyin import lazy_pinyin

        return (lazy_pinyin(ch) or [ch])[0]
    reading = readings.get(ord(ch))
    if reading is None:
        return ch
    decomposed = unicodedata.normalize("NFD", reading.split(",")[0]).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sound_of(text: str) -> str:
    """Toneless pinyin of the Chinese characters of `text` (others kept), syllables joined by '-'."""
    return "-".join(_char_sound(ch) for ch in text)


_GLYPH_TABLE = Path(__file__).resolve().parents[2] / "regional" / "data" / "glyph_similar.tsv"
_LOOKALIKE_SCORE = 60  # a look-alike this close (of 100) is a plausible slip of the pen or of OCR


@functools.cache
def _lookalikes() -> dict[str, frozenset[str]]:
    """Chinese look-alike characters (形近字) of the characters of trade words, from the shipped glyph table
    (regional/data/glyph_similar.tsv): character -> its close look-alikes."""
    wanted = {ch for term in _SLIP_TERMS for ch in term}
    out: dict[str, set[str]] = {}
    try:
        lines = _GLYPH_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    for line in lines:
        if not line or line[0] not in wanted or line[1:2] != "\t":
            continue
        for item in line[2:].split():
            other, _, score = item.rpartition(":")
            if other and score.isdigit() and int(score) >= _LOOKALIKE_SCORE:
                out.setdefault(line[0], set()).add(other)
    return {ch: frozenset(v) for ch, v in out.items()}


def _slip_of(typed: str, meant: str) -> bool:
    """Is `typed` a plausible slip for `meant`: the same sound (pinyin input) or a close look-alike?"""
    return typed != meant and ("\u4e00" <= typed <= "\u9fff" and _char_sound(typed) == _char_sound(meant)
                               or typed in _lookalikes().get(meant, frozenset()))



def one_slip(typed: str, meant: str, shortest: int = 4) -> bool:
    """Is one of two written names (places already off) the other with one typing slip — two neighbours
    swapped (顺商辉行 for 顺辉商行), one character left out of a name of five or more (惠阳区林经营部 for 合林经营部),
    or one character typed as a homophone or close look-alike (久明尚行 for 久明商行)? Any other character
    changed (华美商行, 华新商行) is another name, not a slip. Names shorter than four characters are too short
    to tell (`shortest`: trade names alone, of three characters, are compared with 3)."""
    if typed == meant or min(len(typed), len(meant)) < shortest:
        return False
    if len(typed) == len(meant):
        diff = [k for k in range(len(typed)) if typed[k] != meant[k]]
        if len(diff) == 2:
            k, n = diff
            return n == k + 1 and typed[k] == meant[n] and typed[n] == meant[k]
        return len(diff) == 1 and (_slip_of(typed[diff[0]], meant[diff[0]]) or _slip_of(meant[diff[0]], typed[diff[0]]))
    short, long = (typed, meant) if len(typed) < len(meant) else (meant, typed)
    if len(long) - len(short) != 1 or len(long) < 5:
        return False
    k = next((n for n in range(len(short)) if short[n] != long[n]), len(short))
    return short[k:] == long[k + 1:]


def written_tail(full: str) -> str:
    """A folded name (`NameParts.full`) without its leading places: trade name, trade and legal form as written."""
    return _strip_places(full)[0]

@functools.cache
def _trade_slip_index() -> dict[str, tuple[str, ...]]:
    """'化妆?' -> ('化妆品',): each trade word of two characters or more with one character masked."""
    out: dict[str, list[str]] = {}
    for term in sorted(_SLIP_TERMS):  # a fixed order: the first word that fits is the word meant, every run
        if len(term) >= 2:
            for k in range(len(term)):
                out.setdefault(term[:k] + "?" + term[k + 1:], []).append(term)
    return {key: tuple(v) for key, v in out.items()}


@functools.cache
def _trade_swaps() -> dict[str, str]:
    """Trade words of three characters or more typed with two neighbours swapped -> the word (味调品 -> 调味品);
    a swap that is itself a trade word is left out."""
    out: dict[str, str] = {}
    for term in sorted(_SLIP_TERMS):
        for k in range(len(term) - 1) if len(term) >= 3 else ():
            swapped = term[:k] + term[k + 1] + term[k] + term[k + 2:]
            if swapped != term and swapped not in _INDUSTRY_SET:
                out.setdefault(swapped, term)
    return out


def _strip_trades(core: str) -> tuple[str, str]:
    """Trade words off the end of `core` (at least two characters stay): listed words, and a word typed with one
    homophone or look-alike character (化妆晶 for 化妆品, 鞋亚 for 鞋业, 商茂 for 商贸), or a word of three characters
    or more typed with two neighbours swapped (味调品), read as the word meant. A slipped word that could be
    either of two listed words (饬品: 饰品 or 饮品) is taken off but names no trade: it must not conflict with either."""
    dropped = ""
    while True:
        rest, exact = _strip_suffixes(core, _INDUSTRY_SET, _INDUSTRY_LENGTHS)
        if exact:
            core, dropped = rest, exact + dropped
            continue
        index = _trade_slip_index()
        for length in _INDUSTRY_LENGTHS:
            if length < 2 or len(core) - length < 2:
                continue
            tail = core[-length:]
            meant_all = {term for k in range(length) for term in index.get(tail[:k] + "?" + tail[k + 1:], ())
                         if _slip_of(tail[k], term[k])}
            meant = min(meant_all, default=None)  # a fixed choice among words of one trade (电噐: 电器 or 电气)
            if meant is not None and not all(trades_compatible(meant, other) for other in meant_all):
                core = core[:-length]  # 饬品: a look-alike of 饰品 and of 饮品 — a trade word, but which is unknown
                break
            if meant is None and length >= 3:  # two neighbours swapped (味调品 for 调味品)
                meant = _trade_swaps().get(tail)
            if meant is not None:
                core, dropped = core[:-length], meant + dropped
                break
        else:
            return core, dropped


def _trade_name(core: str) -> str:
    """The core without trailing trade descriptors: 华强电子科技 -> 华强 (kept whole if under two characters remain)."""
    return _strip_trades(core)[0]


@functools.cache
def _place_names() -> tuple[dict[str, frozenset[str]], dict[str, tuple[int, ...]]]:
    """Place name -> the division codes it may name (short forms only for prefectures and above)."""
    index = division_index()
    names: dict[str, set[str]] = {}
    for parent, bucket in index.children.items():
        for name, code in bucket.items():
            prefecture_or_above = parent is None or code.endswith("00")
            if name == index.by_code[code].name or prefecture_or_above:
                names.setdefault(name, set()).add(code)
    for name, code in index.bare_prefectures.items():  # 西双版纳 for 西双版纳傣族自治州
        names.setdefault(name, set()).add(code)
    frozen = {name: frozenset(codes) for name, codes in names.items()}
    lengths: dict[str, set[int]] = {}
    for name in frozen:
        lengths.setdefault(name[0], set()).add(len(name))
    return frozen, {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}


def _below(code: str, parent: str) -> bool:
    if code == parent:
        return False
    if parent.endswith("0000"):
        return code[:2] == parent[:2]
    return parent.endswith("00") and code[:4] == parent[:4]


_ADMIN_ENDS = frozenset("省市区县旗盟州")
_ADMIN_CHAR = re.compile("[省市区县旗盟州]")
_SWAPPED_ADMIN = re.compile("[省市区县]")
_SUBDIVISION = re.compile(r"^[\u4e00-\u9fff]{2,3}?[区县旗]")  # not 小区, 园区: two characters before 区 at least


@functools.cache
def _place_sounds() -> dict[str, frozenset[str]]:
    """Full place names (ending in 省/市/区/县…) by their sound: a place typed by pinyin input with a homophone
    (南倡市 for 南昌市, 天柠区 for 天宁区) is still that place."""
    out: dict[str, set[str]] = {}
    for name, codes in _place_names()[0].items():
        if len(name) >= 3 and name[-1] in _ADMIN_ENDS and all("\u4e00" <= ch <= "\u9fff" for ch in name):
            out.setdefault(sound_of(name), set()).update(codes)
    return {sound: frozenset(codes) for sound, codes in out.items()}


@functools.cache
def _place_swaps() -> dict[str, frozenset[str]]:
    """Full place names (ending in 省/市/区/县…, three characters or more) typed with two neighbours swapped
    (福市州 for 福州市, 阳揭市 for 揭阳市) or with one character left out (泉市 for 泉州市) -> the codes they name;
    a slip that is itself a place name is left out."""
    names = _place_names()[0]
    out: dict[str, set[str]] = {}
    for name, codes in names.items():
        if len(name) < 3 or name[-1] not in _ADMIN_ENDS:
            continue
        for k in range(len(name) - 1):
            if name[k] != name[k + 1]:
                swapped = name[:k] + name[k + 1] + name[k] + name[k + 2:]
                if swapped not in names:
                    out.setdefault(swapped, set()).update(codes)
            dropped = name[:k] + name[k + 1:]  # one character left out, the 市/区/县 kept (泉市 for 泉州市)
            if len(dropped) >= 2 and dropped not in names:
                out.setdefault(dropped, set()).update(codes)
    return {name: frozenset(codes) for name, codes in out.items()}


def _place_by_swap(text: str, previous: frozenset[str] | None) -> tuple[int, frozenset[str]] | None:
    """A full place name typed with two neighbours swapped at the start of `text` (below `previous`)."""
    if _ADMIN_CHAR.search(text, 0, 5) is None:  # no 市/区/县… near the start: no place written there
        return None
    swaps = _place_swaps()
    for length in (5, 4, 3, 2):
        if len(text) - length < 2:
            continue
        codes = swaps.get(text[:length])
        if codes and previous is not None:
            codes = frozenset(c for c in codes if any(_below(c, p) for p in previous))
        if codes and length == 2 and not _place_follows(text[2:], codes) and not (
                len(codes) == 1 and previous is not None and _one_below(text[1], previous)):
            # 泉市 only when a place below it follows (泉市丰泽区): two characters are too little alone — but right
            # below its prefecture a county with one character left out is that county (沈阳市铁区 for 铁西区), and
            # right below its province a prefecture (福建省泉市), when it is the only one it can be
            codes = None
        if codes:
            return length, codes
    return None


def _one_below(admin: str, previous: frozenset[str]) -> bool:
    """Is a place ending in `admin` the kind that lies right below all of `previous`: a county (区/县/旗) below
    prefectures, a prefecture (市) below provinces?"""
    if admin in "区县旗":
        return all(c.endswith("00") and not c.endswith("0000") for c in previous)
    return admin == "市" and all(c.endswith("0000") for c in previous)


def _place_follows(text: str, above: frozenset[str]) -> bool:
    """Does `text` begin with a place name that lies below one of `above`?"""
    places, lengths_by_first = _place_names()
    for length in lengths_by_first.get(text[:1], ()):
        codes = places.get(text[:length])
        if codes and any(_below(c, p) for c in codes for p in above):
            return True
    return False


def _place_by_sound(text: str, previous: frozenset[str] | None) -> tuple[int, frozenset[str]] | None:
    """A homophone of a full place name at the start of `text` (below `previous`), as (length, codes)."""
    sounds = _place_sounds()
    for length in (5, 4, 3):
        head = text[:length]
        if len(text) - length < 2 or head[-1] not in _ADMIN_ENDS:
            continue
        codes = sounds.get(sound_of(head))
        if codes and previous is not None:
            codes = frozenset(c for c in codes if any(_below(c, p) for p in previous))
        if codes:
            return length, codes
    return None


def _strip_places(text: str) -> tuple[str, str | None]:
    """Drop leading place names, each one below the last (广东省深圳市南山区…); return the rest and the most
    specific place named (province, prefecture or county code). A homophone of a full place name counts as
    that place (南倡市), and so does one typed with two neighbours swapped (福市州); below a prefecture, a district or county name that is not in the table (a slip:
    城惠区 for 惠城区, 城乡区 for 城厢区) is dropped as an unknown part of the place."""
    return _strip_places_counted(text)[:2]


def _strip_places_counted(text: str, limit: int = 99) -> tuple[str, str | None, int]:
    """`_strip_places`, stripping at most `limit` places; also returns how many were stripped."""
    places, lengths_by_first = _place_names()
    if text.startswith("中国"):
        text = text[2:]
    previous: frozenset[str] | None = None
    stripped = 0
    while True:
        if stripped >= limit:
            place = next(iter(previous)) if previous is not None and len(previous) == 1 else None
            return text, place, stripped
        for length in lengths_by_first.get(text[:1], ()):
            if length > len(text) - 2:
                continue
            codes = places.get(text[:length])
            if codes is not None and previous is not None:
                below = frozenset(c for c in codes if any(_below(c, p) for p in previous))
                if not below and all(p.endswith("0000") for p in previous):
                    # 安徽省安徽德隆…, 山东省宁夏金鼎集团…: a province written again, or a filing province before a name
                    # registered in another (a province's name is no trade name): the later one is the place
                    below = frozenset(c for c in codes if c.endswith("0000"))
                codes = below
            if codes and text.startswith(_SUBDISTRICT_WORDS, length):  # 东区街道: a subdistrict, not 攀枝花's 东区
                codes = frozenset(c for c in codes if not names_subdistrict(text, length, c))
            if codes:
                text, previous = text[length:], codes
                stripped += 1
                break
        else:
            heard = _place_by_sound(text, previous) or _place_by_swap(text, previous)
            if heard is not None:
                text, previous = text[heard[0]:], heard[1]
                stripped += 1
                continue
            short = _county_written_short(text, previous)
            if short is not None:
                text, previous = text[short[0]:], frozenset((short[1],))
                stripped += 1
                continue
            if previous is not None and all(not c.endswith("0000") and c.endswith("00") for c in previous) \
                    and (unknown := _SUBDIVISION.match(text)) is not None and len(text) - unknown.end() >= 2 \
                    and not text.startswith("旗舰", unknown.end() - 1):  # 泰安满美发旗舰店: a shop, no 旗 (banner)
                text = text[unknown.end():]  # a county below the prefecture, misspelt: the prefecture stays
            place = next(iter(previous)) if previous is not None and len(previous) == 1 else None
            return text, place, stripped


def _place_slip_across(full: str, core: str, place: str | None,
                       stripped: int) -> tuple[str, str, str | None, int]:
    """A 省/市/区/县 swapped with its neighbour across the boundary between two places or between the place and the
    trade name (江苏无省锡市顺阁 for 江苏省无锡市顺阁, 嘉兴喜市亮阁 for 嘉兴市喜亮阁, 未央淼区斋 for 未央区淼斋): when putting
    it back one to the left reads more of the name as places, with a trade name of two characters or more left,
    that is the name meant. Returns (full, core, place, stripped), repaired or as they were."""
    consumed = len(full) - len(core)
    for j in range(max(1, consumed), min(consumed + 4, len(full) - 2)):
        if full[j] not in "省市区县" or full[j - 1] in _ADMIN_ENDS:  # not 旗 (旗舰店), 盟, 州 (a trade name's 州)
            continue
        repaired = full[:j - 1] + full[j] + full[j - 1] + full[j + 1:]
        core2, place2, stripped2 = _strip_places_counted(repaired)
        if len(repaired) - len(core2) >= max(j, consumed + 1) and len(core2) >= 2 \
                and not _no_trade_name(core2, place2 is not None):
            return repaired, core2, place2, stripped2
    return full, core, place, stripped


@functools.cache
def _county_shorts() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(prefecture code, first character) -> (county name without its 区/县/市, county code), longest first: 红谷滩
    for 红谷滩区."""
    index = division_index()
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for parent, bucket in index.children.items():
        if parent is None or parent.endswith("0000") or not parent.endswith("00"):
            continue
        for name, code in bucket.items():
            if name == index.by_code[code].name and name[-1] in "区县市" and len(name) >= 3:
                out.setdefault((parent, name[0]), []).append((name[:-1], code))
    return {k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in out.items()}


def _county_written_short(text: str, previous: frozenset[str] | None) -> tuple[int, str] | None:
    """After a prefecture, one of its counties written without 区/县/市 (南昌市红谷滩安亮工作室, 株洲市天元通晨营业部):
    (its length, its code) — only when a trade name of two characters or more follows (株洲市天元电器有限公司: 天元
    is the trade name)."""
    if previous is None or len(previous) != 1:
        return None
    for short, code in _county_shorts().get((next(iter(previous)), text[:1]), ()):
        if text.startswith(short) and len(text) - len(short) >= 2:
            rest = text[len(short):]
            if rest[0] in _ADMIN_ENDS or _no_trade_name(rest, True) or _one_char_trade_name(rest, True):
                return None
            return len(short), code
    return None


# Platform names that records append to or put before a shop's name (华美服饰店-拼多多, 拼多多-华美服饰店,
# 华美旗舰店（抖音）, 华美服饰 抖音小店): an annotation of where the shop is, not part of its name.
_PLATFORM_NAMES = ("拼多多", "多多", "抖音", "抖店", "快手", "淘宝", "天猫", "京东", "阿里巴巴", "1688", "微店", "小红书",
                   "唯品会", "苏宁易购", "苏宁", "得物", "有赞", "视频号", "微信", "当当", "闲鱼", "美团", "饿了么")
_PLATFORM_WORD = "(?:" + "|".join(sorted(_PLATFORM_NAMES, key=len, reverse=True)) + ")" \
    + "(?:平台|店铺|小店|网店|商城|旗舰店|官方店|专营店|店|直播间)?"
_SEPARATOR = r"[\s\-_|·•—–/／:：~～]"
# after a separator, or written straight after a shop name (华美旗舰店抖音) or as a shop of its own (华美服饰拼多多店)
_PLATFORM_SUFFIX = re.compile(rf"(?:{_SEPARATOR}+{_PLATFORM_WORD}|(?<=[店铺馆])(?:{_PLATFORM_WORD})"
                              rf"|(?:{'|'.join(_PLATFORM_NAMES)})(?:小店|店铺|店|网店|直播间)){_SEPARATOR}*$")
_PLATFORM_PREFIX = re.compile(rf"^{_PLATFORM_WORD}{_SEPARATOR}+")
_PLATFORM_ANY = re.compile("|".join(_PLATFORM_NAMES))
_PLATFORM_ONLY = re.compile(_PLATFORM_WORD)


def _without_platform(text: str) -> str:
    """`text` without a platform annotation at its end or start (two characters of the name stay); a name that
    said it is a platform's shop (华美服饰 拼多多店) stays a shop-style name (华美服饰店)."""
    if _PLATFORM_ANY.search(text) is None:
        return text
    for pattern in (_PLATFORM_SUFFIX, _PLATFORM_PREFIX):
        m = pattern.search(text)
        if m is not None:
            rest = (text[:m.start()] + text[m.end():]).strip()
            if len(_SPACE_PUNCT.sub("", rest)) >= 2:
                said_shop = _SPACE_PUNCT.sub("", m.group()).endswith(("店", "铺", "直播间"))
                text = rest + "店" if said_shop and not rest.endswith(("店", "铺", "馆", "）", ")")) else rest
    return text


_BRANCH_WORDS = ("分公司", "分店", "分厂", "办事处", "分部", "分行", "分社", "分中心")
# a branch after a company's legal form: 华美电子有限公司广州分公司, 华美集团杭州办事处, 华美公司深圳营业部
_BRANCH_TAIL = re.compile(r"(?:公司|集团|厂)([\u4e00-\u9fffa-z0-9]{0,10}?(?:分公司|分店|分厂|办事处|分部|分行|分社|分中心|营业部))$")
_BRANCH_WORD = re.compile(r"分公司|分店|分厂|办事处|分部|分行|分社|分中心|营业部")
# a branch written short, without its parent's legal form: 湘味坊长沙分公司, 华美电子成都分公司 (湖南湘味坊食品有限公司长沙分公司)
_SHORT_BRANCH_WORDS = ("分公司", "分厂", "办事处", "分行", "分店")


def branch_place(brand: str | None) -> str | None:
    """Where a branch sits, read from its trade name as `normalize_name` gives it (恒泰盐城分公司 -> 盐城's code,
    华美杭州营业部 -> 杭州's): the place right before the branch word. None for a name that is no branch, or whose
    branch words name no place (华美五金城东分店)."""
    if not brand or not brand.endswith(_BRANCH_ENDS):
        return None
    return _branch_place_of(brand)


@functools.lru_cache(maxsize=1 << 12)
def _branch_place_of(brand: str) -> str | None:
    word = next(w for w in _BRANCH_ENDS if brand.endswith(w))
    for start in range(len(brand) - len(word) - 1):
        rest, place, stripped = _strip_places_counted(brand[start:])
        if stripped and place is not None and rest == word:
            return place
    return None


_BRANCH_ENDS = (*_BRANCH_WORDS, "营业部")


def _short_branch(name: str) -> tuple[str, str]:
    """(branch, the rest) of a name ending in a place and a branch word with no legal form before them (湘味坊长沙分公司
    -> 长沙分公司, 湘味坊): the branch words stay the branch's, as they do after a parent's legal form — else 分公司 reads
    as a legal form and 长沙 as part of the trade name, and the branch meets neither its full name nor its records.
    ("", name) when no place comes right before the branch word (华美五金城东分店)."""
    word = next(w for w in _SHORT_BRANCH_WORDS if name.endswith(w))
    head = name[:-len(word)]
    names = _place_names()[0]
    for k in range(min(len(head) - 2, 8), 1, -1):
        if head[-k:] in names:
            return head[-k:] + word, head[:-k]
    return "", name


# the parent's legal form between 集团 and the branch (华美集团有限公司杭州分公司, 华美集团有限责任公司杭州分公司) is
# the parent's, written out or not: the branch is 华美集团杭州分公司 either way
_PARENT_FORM = re.compile(r"^(?:股份有限公司|有限责任公司|有限公司|股份公司|总公司|公司)")


_PLACE_IN_BRACKETS = re.compile(r"\(([^()]{2,9})\)")


def _place_at(text: str, end: bool) -> int:
    """The length of the longest place name (two to six characters, one code) at the end (or start) of `text`."""
    places = _place_names()[0]
    for length in range(min(6, len(text)), 1, -1):
        name = text[-length:] if end else text[:length]
        codes = places.get(name)
        if codes is not None and len(codes) == 1 and (length > 2 or name[-1] not in _ADMIN_ENDS):
            return length  # not 东区, 城区: two characters with 区 are too little to move a bracket for
    return 0


def _bracket_slip(text: str) -> str:
    """A place in brackets written with a bracket one or two characters off (仁盈阳厨(具哈尔滨)有限公司 for
    仁盈阳厨具(哈尔滨)有限公司, 华美电子(深圳有)限公司) or with its opening bracket left out (信堂陶瓷昆明)有限公司): the
    bracket put where it belongs, so the place is read as the place and the trade words stay whole."""
    if "(" not in text:
        close = text.index(")")
        length = _place_at(text[:close], True)
        if length and close - length >= 2:
            return text[:close - length] + "(" + text[close - length:]
        return text
    m = _PLACE_IN_BRACKETS.search(text)
    if m is None:
        return text
    inner = m.group(1)
    if inner in _place_names()[0] or _place_at(inner, True) == len(inner):
        return text  # a place in brackets, as it should be (河东区: a county of two cities, still a place)
    head = _place_at(inner, True)
    if head and 1 <= len(inner) - head <= 2:  # (具哈尔滨): the characters before the place belong before the bracket
        return text[:m.start()] + inner[:-head] + "(" + inner[-head:] + ")" + text[m.end():]
    tail = _place_at(inner, False)
    if tail and 1 <= len(inner) - tail <= 2 and m.end() < len(text):  # (深圳有)限公司: they belong after it
        return text[:m.start()] + "(" + inner[:tail] + ")" + inner[tail:] + text[m.end():]
    return text


def _is_platform(part: str) -> bool:
    """Is a bracketed part only a platform's name (（抖音）, （拼多多店）)?"""
    return _PLATFORM_ONLY.fullmatch(part) is not None


def _no_trade_name(rest: str, placed: bool) -> bool:
    """Is `rest` (a name after its places) only legal forms, shop descriptors and trade words — no trade name?"""
    if rest in _SUFFIX_SET:  # 安阳源头工厂: the whole rest one shop style (a form is never stripped to nothing)
        return True
    core, brand = _name_tail(rest, placed, False)[:2]
    return core in _SUFFIX_SET or brand in _SUFFIX_SET or brand in _INDUSTRY_SET


def _one_char_trade_name(rest: str, placed: bool) -> bool:
    """Would `rest` (a name after a place written short) leave a trade name of one character, or none: 斋 of
    银川|斋厨具有限公司, 源 of 德阳|源家纺, 泉 of 安康|泉官方店, nothing of 信阳|自营店? A registered trade name has
    two characters or more, so the place is the start of the trade name there (银川斋, 德阳源, 安康泉)."""
    brand = _name_tail(rest, placed, False)[1]
    if brand in _SHOP_WORDS:
        return True
    if len(brand) < 2 or not "\u4e00" <= brand[0] <= "\u9fff":
        return False
    tail = brand[1:]
    return tail == "的" or tail in _SHOP_WORDS or _only_trade_words(tail)


@functools.lru_cache(maxsize=1 << 14)
def _only_trade_words(text: str) -> bool:
    """Is `text` nothing but trade words (厨具, 家纺, 日化)?"""
    return _strip_trades("〇〇" + text) == ("〇〇", text)


@functools.cache
def _admin_lookalikes() -> dict[str, tuple[str, int]]:
    """OCR look-alikes of 省/市/区/县 in the shipped glyph table (币 for 市, 叵 for 区, 具 for 县) -> (the character
    meant, how close of 100); a look-alike of two of them, or itself one of them, is left out."""
    meant: dict[str, dict[str, int]] = {}
    try:
        lines = _GLYPH_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    for line in lines:
        if not line or line[0] not in "省市区县" or line[1:2] != "\t":
            continue
        for item in line[2:].split():
            other, _, score = item.rpartition(":")
            if other and other not in _ADMIN_ENDS and score.isdigit() and int(score) >= _LOOKALIKE_SCORE:
                meant.setdefault(other, {})[line[0]] = int(score)
    return {ch: next(iter(by.items())) for ch, by in meant.items() if len(by) == 1}


@functools.cache
def _admin_lookalike_chars() -> frozenset[str]:
    return frozenset(_admin_lookalikes())


_CLOSE_LOOKALIKE = 70  # right after a place already read, only a look-alike this close (币 for 市): 广州丰华 is 丰华


def _lookalike_at(text: str, j: int) -> str | None:
    """`text` with its character at `j` read as the 省/市/区/县 it looks like, when that ends a known place name of three
    characters or more there; None when it is no look-alike, or only a loose one right after a place already read
    (广州丰华: 丰 also looks like 市), or when no place ends there. The one step of the name and the address repair."""
    found = _admin_lookalikes().get(text[j])
    if found is None or found[1] < _CLOSE_LOOKALIKE and _ends_place(text, j, 2):
        return None
    repaired = text[:j] + found[0] + text[j + 1:]
    return repaired if _ends_place(repaired, j + 1) else None


def _place_lookalike(full: str, core: str, place: str | None, stripped: int) -> tuple[str, str, str | None, int]:
    """A 省/市/区/县 read by OCR as a look-alike (恩施币 for 恩施市, 福田叵 for 福田区, 开具 for 开县): when putting the
    character meant there reads the name up to it and beyond as places, with a trade name of two characters or more
    left, that is the name meant. Returns (full, core, place, stripped), repaired or as they were."""
    consumed = len(full) - len(core)
    for j in range(2, min(consumed + 6, len(full) - 2)):
        repaired = _lookalike_at(full, j)
        if repaired is None:
            continue
        core2, place2, stripped2 = _strip_places_counted(repaired)
        if len(repaired) - len(core2) > j and (stripped2 > stripped or len(core2) < len(core)) and len(core2) >= 2 \
                and not _no_trade_name(core2, place2 is not None) and not _one_char_trade_name(core2, place2 is not None):
            return _place_lookalike(repaired, core2, place2, stripped2)  # 广州币天河叵: both
    return full, core, place, stripped


def _ends_place(text: str, end: int, shortest: int = 3) -> bool:
    """Does a place name of `shortest` characters or more (恩施市, 天河区; 广州 with 2) end at `end` in `text`?"""
    places = _place_names()[0]
    return any(text[start:end] in places for start in range(max(0, end - 8), end - shortest + 1))


def repair_address_lookalikes(text: str) -> str:
    """A folded address with a 省/市/区/县 that OCR read as a look-alike put right (恩施币舞阳坝街道… -> 恩施市…), when the
    character meant makes more of the address a place (`division_index().parse` reads further)."""
    if _admin_lookalike_chars().isdisjoint(text[2:14]):
        return text
    index = division_index()
    best = len(index.parse(text).street)
    for j in range(2, min(14, len(text) - 2)):
        repaired = _lookalike_at(text, j)
        if repaired is None:
            continue
        street = index.parse(repaired).street
        if len(text) - len(street) > j and len(street) < best:
            text, best = repaired, len(street)
    return text


# ------------------------------------------------------------------ names written in Latin letters

# Words of English (customs, platform) names that are no trade name: legal forms, shop styles and filler.
_LATIN_FILLER = frozenset({
    "co", "ltd", "limited", "company", "corp", "corporation", "inc", "llc", "group", "holding", "holdings", "the",
    "and", "of", "china", "prc", "branch", "shop", "store", "official", "flagship", "factory", "firm", "studio",
    "trading", "trade", "industrial", "industry", "industries", "enterprise", "enterprises", "international",
    "import", "export", "imp", "exp", "cooperative", "farmers", "farmer", "professional", "individual", "business",
})
_LATIN_WORD = re.compile(r"[a-z]+")


@functools.cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable with a vowel (from the single-character readings; not the bare m, n, ng, hm)."""
    return frozenset(s for s in (_char_sound(chr(code)) for code in _pinyin_readings())
                     if s.isascii() and s.isalpha() and any(v in s for v in "aeiouv"))


@functools.lru_cache(maxsize=1 << 14)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """A Latin word read as toneless pinyin syllables, fewest syllables first (xinqiao -> xin, qiao); None when it is
    no pinyin at all (dairy, supplies)."""
    syllables = _pinyin_syllables()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables and (
                    best[end] is None or len(head) + 1 < len(best[end] or ())):
                best[end] = head + (word[start:end],)
    return best[len(word)] if word else None


@functools.cache
def _place_sound_prefixes() -> frozenset[tuple[str, ...]]:
    """Places read aloud without 省/市/区/县 (shi-yan for 十堰, xin-jiang for 新疆, hai-ning for 海宁): the place that
    starts a pinyin name (ShiyanMuze, XINJIANGCHENBANG PET SUPPLIES, Haining Tengle)."""
    out = set()
    for name in _place_names()[0]:
        if len(name) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in name):
            short = name.rstrip("省市区县") if len(name.rstrip("省市区县")) >= 2 else name
            syllables = tuple(sound_of(short).split("-"))
            out.add(syllables)
            if (reading := _PLACE_READINGS.get(short[0])) is not None:
                out.add((reading,) + syllables[1:])  # Chongqing, Changsha, Xiamen: the reading places are written in
    return frozenset(out)


@functools.cache
def _city_sounds() -> frozenset[tuple[str, ...]]:
    """Provinces and prefecture-level cities read aloud (chong-qing, huang-shan): `_place_sound_prefixes` without the
    counties, whose names many trade names share."""
    out = set()
    for name, codes in _place_names()[0].items():
        if len(name) >= 2 and _is_cjk(name) and any(code.endswith("00") for code in codes):
            short = name.rstrip("省市区县") if len(name.rstrip("省市区县")) >= 2 else name
            syllables = tuple(sound_of(short).split("-"))
            out.add(syllables)
            if (reading := _PLACE_READINGS.get(short[0])) is not None:
                out.add((reading,) + syllables[1:])
    return frozenset(out)


# characters read otherwise at the start of place names than the dictionary's first reading (重庆 Chongqing, 长沙
# Changsha, 厦门 Xiamen, 蚌埠 Bengbu, 六安 Lu'an, 都江堰 Dujiangyan, 番禺 Panyu, 单县 Shanxian)
_PLACE_READINGS = {"重": "chong", "长": "chang", "厦": "xia", "蚌": "beng", "六": "lu", "都": "du", "番": "pan",
                   "单": "shan"}


def _latin_trade_name(text: str) -> tuple[str, ...] | None:
    """The trade name of a name written in Latin letters (customs and platform names: Shiyan Muze Fishing Tackle Co.,
    Ltd., XINQIAO, Feng Hang Tea) as pinyin syllables, read aloud like a Chinese trade name (mu-ze), so 沐择旗舰店 and
    Shiyan Muze Fishing Tackle Co., Ltd. sound alike: a place in front (Shiyan, Xi'an, Haining — also run together
    with the trade name, SHIYANMUZE) is left out; then the trade name is one word of two syllables or more, or a run
    of one-syllable words (Feng Hang). Legal forms and English words are no part of it (Tea is not te-a: it comes
    after the trade name). None when no two syllables of pinyin are found (Apple Store)."""
    words = [w for w in _LATIN_WORD.findall(text) if w not in _LATIN_FILLER]
    split = [pinyin_split(w) for w in words]
    places = _place_sound_prefixes()
    start = next((k for k, syllables in enumerate(split) if syllables is not None), None)
    if start is None:
        return None
    if start > 0 and split[start] in places and f"({words[start]})" in text.replace(" ", ""):
        return (words[start - 1],)  # Anderson (Tianjin) Optical: a foreign trade name, then its place in brackets
    skipped = start
    if len(split[start] or ()) == 1 and start + 1 < len(split) and len(split[start + 1] or ()) == 1 \
            and (split[start] or ()) + (split[start + 1] or ()) in places:
        start += 2  # Xi'an: the place written in two words
    elif (split[start] or ()) in places and start + 1 < len(split) and split[start + 1] is not None:
        start += 1  # Shiyan Muze
    if start >= len(split) or split[start] is None:
        return None
    first = split[start] or ()
    if start == skipped == 0 and first in _city_sounds():
        return None  # Chongqing Optical Co., Ltd.: a city (not a county: 巴彦, 会同 are trade names too), then goods
    if len(first) >= 2:
        for cut in (3, 2):  # a place run together with the trade name (SHIYANMUZE, XINJIANGCHENBANG)
            if len(first) - cut >= 2 and first[:cut] in places:
                return first[cut:]
        return first
    run = list(first)
    for syllables in split[start + 1:start + 4]:  # Feng Hang: one syllable a word
        if syllables is None or len(syllables) != 1:
            break
        run.extend(syllables)
    return tuple(run) if len(run) >= 2 else None


def normalize_name(raw: str | None) -> NameParts | None:
    """A company or shop name split into place, trade name, trade and legal form (brackets and punctuation gone)."""
    if not raw:
        return None
    text = _without_platform(t2s(unicodedata.normalize("NFKC", raw).casefold()).strip())
    latin = _latin_trade_name(text) if text.isascii() else None
    text = "".join(text.split())  # whitespace gone (str.split and re agree on what whitespace is)
    quoted = ""
    if ("「" in text or "『" in text) and (mark := _QUOTED.search(text)) is not None and mark.start() == 0 \
            and not _is_platform(mark.group(1)):
        quoted = mark.group(1)  # 「沐禾」汉服, 『岚屿』严选: the quoted words are the trade name, the rest what it sells
        text = quoted + text[mark.end():]
    if ")" in text:
        text = _bracket_slip(text)
    if _BRACKET_OPENS.isdisjoint(text):  # most names have no brackets
        inner, outside = [], _SPACE_PUNCT.sub("", text)
    else:
        inner = [x for x in (fold(x) for x in _BRACKETS.findall(text)) if not _is_platform(x)]
        outside = _SPACE_PUNCT.sub("", _BRACKETS.sub("", text))
    business = next((x for x in inner if len(x) >= 3 and _strip_suffixes(x, _SUFFIX_SET, _SUFFIX_LENGTHS)[1]), None)
    if business is not None and 2 <= len(outside) <= 3 and not _strip_suffixes(outside, _SUFFIX_SET,
                                                                                 _SUFFIX_LENGTHS)[1]:
        text, inner, outside = business, [], business  # 张伟（华美商行）: the operator, then the business
    # a branch (分公司, 分店, 办事处…) is its own registered entity: 深圳市华美电子有限公司广州分公司 and
    # 深圳市华美电子有限公司（广州分公司） are not 深圳市华美电子有限公司
    branch = next((x for x in inner if x.endswith(_BRANCH_WORDS)), "")
    shop_style = ""
    if not branch and ("分" in outside or "处" in outside or "营业部" in outside) \
            and (tail := _BRANCH_TAIL.search(outside)) is None:
        # a branch's shop (华美集团杭州分公司旗舰店): the branch, then the shop style
        ends = [m.end() for m in _BRANCH_WORD.finditer(outside)]
        if ends and (rest := outside[ends[-1]:]) and _strip_forms("华美" + rest) == ("华美", rest) \
                and _form_class(rest) == "shop":
            outside, shop_style = outside[:ends[-1]], rest
    if not branch and ("分" in outside or "处" in outside or "营业部" in outside) \
            and (tail := _BRANCH_TAIL.search(outside)) is not None and tail.start(1) >= 2:
        outside, branch = outside[:tail.start(1)] + shop_style, tail.group(1)
        if (parent_form := _PARENT_FORM.match(branch)) is not None and len(branch) - parent_form.end() >= 3:
            branch = branch[parent_form.end():]
    if not branch and outside.endswith(_SHORT_BRANCH_WORDS):
        branch, outside = _short_branch(outside)
    full = outside or _SPACE_PUNCT.sub("", text)
    if not full:
        return None
    core, place, stripped = _strip_places_counted(full)
    if _SWAPPED_ADMIN.search(full, max(1, len(full) - len(core)), len(full) - len(core) + 4) is not None:
        full, core, place, stripped = _place_slip_across(full, core, place, stripped)
    if not _admin_lookalike_chars().isdisjoint(full[2:len(full) - len(core) + 6]):
        full, core, place, stripped = _place_lookalike(full, core, place, stripped)
    if stripped and (_no_trade_name(core, place is not None) or _one_char_trade_name(core, place is not None)):
        # 金华眼镜有限公司, 安康经营部, 银川斋厨具有限公司: the place is (the start of) the 字号
        before, before_place, _ = _strip_places_counted(full, stripped - 1)
        if before.endswith(core) and before[:len(before) - len(core)][-1:] not in _ADMIN_ENDS:
            core, place = before, before_place  # written short (金华, not 金华市): a trade name
    if place is not None and (town := _TOWN.match(core)) is not None and len(core) - town.end() >= 2:
        core = core[town.end():]  # 东莞市虎门镇优畅商行: towns and subdistricts are below the division table
    elif place is None and (town := _LEADING_TOWN.match(core)) is not None and len(core) - town.end() >= 4:
        core = core[town.end():]  # 厚街镇峰云贸易商行: a town written without its city
    if place is None:
        for part in inner:  # 华强电子（深圳）有限公司
            codes = _place_names()[0].get(part)
            if codes is not None and len(codes) == 1:
                code = next(iter(codes))
                place = code if code.endswith("0000") else code[:4] + "00"
                break
    individual_hint = any(part in ("个体工商户", "个体户", "个体") for part in inner)  # 华美化妆品店（个体工商户）
    core, brand, trade, form, sound = _name_tail(core, place is not None, individual_hint)
    if quoted and brand != quoted and (brand + trade).startswith(quoted) and len(core) > len(quoted):
        rest = (brand + trade)[len(quoted):]
        brand, trade, sound = quoted, rest if _only_trade_words(rest) or rest == trade else "", sound_of(quoted)
    if branch:
        if not form and branch.endswith("分公司"):
            form = "company"  # 湘味坊食品长沙分公司: a company's branch
        core, brand = core + branch, brand + branch
        full = full[:len(full) - len(shop_style)] + branch + shop_style if shop_style and full.endswith(shop_style) \
            else full + branch
        sound = sound_of(brand)
    if latin is not None:  # Shiyan Muze Fishing Tackle Co., Ltd.: the trade name is mu-ze, as 沐择 reads aloud
        core, brand, sound = "".join(latin), "".join(latin), "-".join(latin)
    elif brand.isascii() and brand.isalpha() and (syllables := pinyin_split(brand)) is not None and len(syllables) >= 2:
        sound = "-".join(syllables)  # Haixiang 电子商务: a trade name in pinyin before Chinese trade words
    return NameParts(core=core, full=full, shop=form == "shop", brand=brand, place=place, trade=trade, form=form,
                     sound=sound)


# a group (企业集团) that names no trade: its name is 字号 + 集团, and the firms of the group carry the same 字号 with
# trades of their own (华美集团有限公司 and 深圳市华美电子有限公司 are two registered entities)
_GROUP = "集团"
_STORE_ENDS = ("店", "馆", "铺")  # a store's last character: with a place named, a registered store (个体工商户)


@functools.lru_cache(maxsize=1 << 16)
def _name_tail(core: str, placed: bool, individual_hint: bool) -> tuple[str, str, str, str, str]:
    """The part of a name after its places: (core, trade name, trade, form class, sound). Many names share it
    (one firm's names in several places and spellings), so it is worked out once per distinct part."""
    core, dropped = _strip_forms(core)
    form = _form_class(dropped)
    if form == "shop":  # 恒光官方企业店: descriptors stack in front of the shop style
        while len(core) >= 4 and core[-2:] in _SHOP_WORDS:
            core = core[:-2]
    if form == "shop" and placed and dropped.endswith(_STORE_ENDS) and dropped[-3:-1] not in _ONLINE_SHOP:
        form = "individual"  # 温州市鹿城区XX服装店: a registered physical store (个体工商户), not an online shop
    if individual_hint and (not form or form == "shop" and dropped.endswith(_STORE_ENDS)
                            and dropped[-3:-1] not in _ONLINE_SHOP):
        form = "individual"  # the name says it is an individual business, and no online-shop style denies it
    brand, trade = _strip_trades(core)
    if not trade and _GROUP in dropped:
        trade = _GROUP  # 华美集团有限公司: the group itself; its members carry the trade name with trades of their own
    if trade and not core.endswith(trade):
        core = brand + trade  # a slip in the trade words: the core reads as the words meant
    while goods := _goods_word(brand):  # 沐亭帐篷, 拾原酱菜: goods the trade list lacks, written after the trade name
        brand, before = _strip_trades(brand[:-len(goods)])  # 农业开发: listed trade words before them name the trade
        trade = before + trade
    return core, brand, trade, form, sound_of(brand)


_COMMON_WORDS = Path(__file__).resolve().parents[2] / "regional" / "data" / "chinese_common.tsv"


@functools.cache
def _common_words() -> frozenset[str]:
    """Ordinary Chinese words of two or three characters (the shipped jieba/pypinyin list regional uses)."""
    try:
        text = _COMMON_WORDS.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _goods_word(brand: str) -> str:
    """An ordinary word of two or three characters (goods: 帐篷, 酱菜, 腊味) that ends a trade name of four characters
    or more, after a trade name of two or more that is no ordinary word itself (沐亭帐篷 -> 帐篷; 华美时代 stays whole:
    华美 is a word); '' when none. It names goods the trade list lacks: taken off the trade name, but no trade (a
    word read this way must not make two firms' trades conflict)."""
    if len(brand) < 4 or not _is_cjk(brand):
        return ""
    words = _common_words()
    for length in (3, 2):
        head = brand[:-length]
        if len(head) >= 2 and brand[-length:] in words and head not in words:
            return brand[-length:]
    return ""


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


# ------------------------------------------------------------------ addresses

_ADDRESS_BRACKETS = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_ADDRESS_INNER = re.compile(r"[(\[【]([^)\]】]{2,6})[)\]】]")
_STREET_UNITS = (("号楼", "栋"), ("幢", "栋"), ("座", "栋"), ("#", "号"), ("号院", "号"), ("房", "室"))


_ROAD_WORDS = ("路", "街", "大道", "大街", "巷", "胡同")


def _road_named_for_place(text: str, parsed: ParsedAddress) -> ParsedAddress:
    """A place read right before 路/街/大道 without its 区/县/市 (玉泉大道197号（武陵区）, 临河街233号, 广州市天河路…) is the
    road's name, not that place: the parse of the text before it, the road kept whole in the street."""
    consumed = len(text) - len(parsed.street)
    if text[consumed - 1:consumed] in _ADMIN_ENDS:
        return parsed  # 天河区路… : the place was written out
    index = division_index()
    for length in (2, 3, 4):
        cut = consumed - length
        if cut < 0:
            break
        if cut == 0:
            return ParsedAddress(None, None, None, text)
        before = index.parse(text[:cut])
        if before.street == "" and before.code is not None:
            return ParsedAddress(before.code, before.province, before.prefecture, text[cut:])
    return parsed


def normalize_address(raw: str | None) -> ParsedAddress | None:
    """The address's division code (county when named, else prefecture or province) and a folded street part."""
    if not raw:
        return None
    text = fold(raw)
    if not text:
        return None
    text = repair_address_lookalikes(text)
    parsed = division_index().parse(text)
    if parsed.code is not None and parsed.street.startswith(_ROAD_WORDS) and not parsed.street.startswith("街道"):
        parsed = _road_named_for_place(text, parsed)
    if parsed.code is None and ("(" in text or "[" in text or "【" in text):
        # 鼓楼区太平南路266号（南京）: a county that several cities have, its city written after the street in brackets
        for inner in _ADDRESS_INNER.findall(text):
            placed = division_index().parse(inner + _ADDRESS_BRACKETS.sub("", text))
            if placed.code is not None and len(placed.street) < len(parsed.street):
                parsed = placed
                break
    street = _ADDRESS_BRACKETS.sub("", parsed.street) or parsed.street  # 宝洲街299号（泉州）: the city again
    for old, new in _STREET_UNITS:
        street = street.replace(old, new)
    return ParsedAddress(parsed.code, parsed.province, parsed.prefecture, street)


# ------------------------------------------------------------------ shop URLs

# Query parameters that name a shop (case-insensitive); values are digits or platform ids (Douyin's are letters too).
_ID_PARAMS = ("shop_id", "shopid", "sec_shop_id", "store_id", "storeid", "mall_id", "mallid", "venderid",
              "vender_id", "seller_id", "sellerid", "user_number_id", "userid", "kdt_id", "shop", "store")
_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{2,99}")  # Douyin's sec_uid (MS4wLjABAAAA…) is ~76 long
_HOST_ID = re.compile(r"^(?:shop|store|dian)(\d{3,})\.")
# a path segment that is itself a shop id (shop123456, store_88, mall-9x7k, index-1000001.html)
_SEGMENT_ID = re.compile(r"^(?:shop|store|mall|seller|vendor|dian|index)[-_]?([A-Za-z0-9]*\d[A-Za-z0-9]*)"
                         r"(?:\.s?html?|\.htm)?$", re.IGNORECASE)
# a path segment announcing that the next one is the shop id (/shop/123456, /store/ab12cd)
# (/user/profile/5f3a…, /profile/3xk9…: a platform seller's own page — Xiaohongshu, Kuaishou, Douyin — is the shop)
_SEGMENT_WORDS = frozenset({"shop", "store", "mall", "seller", "vendor", "dian", "shops", "stores", "profile", "user",
                            "merchant"})
_NOT_IDS = frozenset({"index", "view", "home", "detail", "list", "search", "views", "page", "item", "items", "goods",
                      "product", "m", "h5", "pc", "app", "share", "html", "shop", "store", "mall", "profile",
                      "user", "merchant"})
# Taobao and Tmall number their shops in one series (shop123.taobao.com is the Tmall shop with shop_id=123)
_SAME_SHOP_IDS = {"tmall": "taobao"}
_PLATFORMS = (
    ("tmall.com", "tmall"), ("tmall.hk", "tmall"), ("taobao.com", "taobao"), ("tb.cn", "taobao"),
    ("jd.com", "jd"), ("jd.hk", "jd"), ("yangkeduo.com", "pdd"), ("pinduoduo.com", "pdd"),
    ("jinritemai.com", "douyin"), ("douyin.com", "douyin"), ("iesdouyin.com", "douyin"), ("snssdk.com", "douyin"),
    ("1688.com", "1688"), ("kuaishou.com", "kuaishou"), ("kwaixiaodian.com", "kuaishou"), ("suning.com", "suning"),
    ("vip.com", "vip"), ("weidian.com", "weidian"), ("xiaohongshu.com", "xiaohongshu"), ("youzan.com", "youzan"),
    ("dangdang.com", "dangdang"), ("aliexpress.com", "aliexpress"), ("alibaba.com", "alibaba"),
)
# Platforms whose shops live on their own subdomain (nike.tmall.com, shop123.taobao.com, abc.1688.com).
_SUBDOMAIN_SHOPS = frozenset({"tmall", "taobao", "1688", "alibaba", "aliexpress"})
_GENERIC_SUBDOMAINS = frozenset({"www", "m", "h5", "detail", "item", "list", "shop", "mall", "mobile", "s", "store",
                                 "haohuo", "v", "app", "buyin", "api", "login", "search", "pages", "wap", "web", "h",
                                 "market", "global", "world", "trade", "cart", "buy", "img", "static", "shop.m"})
_SHORT_LINK_HOSTS = frozenset({"v.douyin.com", "m.tb.cn", "tb.cn", "v.kuaishou.com", "xhslink.com"})


def _host_key(host: str) -> str:
    for prefix in ("www.", "m.", "h5.", "wap."):
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def _path_id(path: str) -> str | None:
    segments = [seg for seg in path.split("/") if seg]
    for k, seg in enumerate(segments):
        if (m := _SEGMENT_ID.match(seg)) is not None:
            return m.group(1)
        if seg.lower() in _SEGMENT_WORDS and k + 1 < len(segments):
            nxt = segments[k + 1]
            stem = nxt.split(".")[0]
            if stem.lower() not in _NOT_IDS and _ID_VALUE.fullmatch(stem) and any(ch.isdigit() for ch in stem):
                return stem
    return None


_SHOP_HOST_LABELS = frozenset({"shop", "store", "mall", "dian"})  # a host that serves shops (shop.suning.com)
_NUMBER_SEGMENT = re.compile(r"^(\d{5,})(?:\.s?html?)?$")


def _first_number_segment(path: str) -> str | None:
    """The first path segment that is a number of five digits or more (a page name after it allowed): a shop id when
    the host is a shop host."""
    first = next((seg for seg in path.split("/") if seg), "")
    m = _NUMBER_SEGMENT.match(first)
    return m.group(1) if m is not None else None


def normalize_shop_url(raw: str | None) -> str | None:
    """'platform:shop-id' (or 'host:shop-id' off the big platforms) for a shop URL; tracking parameters ignored.

    None when the URL names no shop: a platform's front page or a product page never becomes a key
    shared by every shop of the platform.
    """
    if not raw:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    platform = next((name for suffix, name in _PLATFORMS if host == suffix or host.endswith("." + suffix)), None)
    owner = _SAME_SHOP_IDS.get(platform or "", platform) or _host_key(host)
    for key in _ID_PARAMS:
        values = query.get(key)
        if values and _ID_VALUE.fullmatch(value := values[0].strip()):
            return f"{owner}:{value}"
    if (m := _HOST_ID.match(host)) is not None:
        return f"{owner}:{m.group(1)}"
    path_id = _path_id(parts.path)
    if path_id is None and platform == "weidian" and parts.path.startswith("/s/"):  # weidian.com/s/1234567
        path_id = _path_id("/shop/" + parts.path[3:])
    if path_id is None and _SHOP_HOST_LABELS.intersection(host.split(".")[:-2]):
        path_id = _first_number_segment(parts.path)  # shop.suning.com/854644626/index.html, shop.m.x.com/123456.html
    if path_id is not None:
        return f"{owner}:{path_id}"
    values = query.get("id")
    if values and any(w in parts.path.lower() for w in ("shop", "store", "mall")) and _ID_VALUE.fullmatch(
            value := values[0].strip()):
        return f"{owner}:{value}"
    if host in _SHORT_LINK_HOSTS:  # a share link: the same link is the same shop, another link tells nothing
        code = parts.path.strip("/").split("/")[0]
        return f"{owner}:link:{code}" if _ID_VALUE.fullmatch(code) else None
    if platform is not None:
        sub = host.split(".")[0]
        if platform in _SUBDOMAIN_SHOPS and sub not in _GENERIC_SUBDOMAINS and host.count(".") >= 2:
            return f"{platform}:{sub}"
        return None
    path = parts.path.rstrip("/").lower()
    return f"web:{_host_key(host)}{path}"
