"""Writes tests/checks/dedup24b_blind.jsonl: dedup24b's hand-written blind dedup check (session 24).

Written by hand from real-world Chinese market-entity naming, before any session-24 linking change and without
running the resolver on it. Only the credit codes' check characters are computed (GB 32100). Each line:
{"id", "name", "uscc"?, "phone"?, "address"?, "shop_url"?, "entity"} — "entity" is the truth.
Score: `python -m national.bench.dedup22_blind tests/checks/dedup24b_blind.jsonl`.
Classes are clustering errors: (1) one trade name used by unrelated firms selling unrelated goods (a tea house and
an electronics firm both called 蜀韵; a mattress maker and a kite maker both called 嘉信), each with its own
identifiers, must stay apart, and a shop-style record naming the goods belongs to the firm of those goods;
(2) a bare shop name (XX旗舰店, no place, no identifier) that fits two such firms must bridge neither;
(3) a firm's own short-name and shop records, with its phone or shop URL, still join it.
"""
from __future__ import annotations

from national.bench.blind_records import BlindRecords
from national.bench.blind_records import uscc as U

R = BlindRecords("d", "tests/checks/dedup24b_blind.jsonl")
r = R.add


# --- (1) one trade name, unrelated goods, often one city: apart
r("s01", "成都市锦江区蜀韵茶庄", U("92", "510104", "MA6AB1C2D"), "13808001234", "四川省成都市锦江区春熙路南段8号")
r("s01", "蜀韵茶庄旗舰店", None, "138 0800 1234", None, "https://shuyuncha.tmall.com/")
r("s01", "蜀韵茶叶专营店", None, None, None, "https://shuyuncha.tmall.com/shop/view_shop.htm")
r("s02", "成都蜀韵数码科技有限公司", U("91", "510107", "MA6CD2E3F"), "028-85551234", "四川省成都市武侯区科华北路65号")
r("s02", "蜀韵数码专营店", None, "02885551234", None, "https://mall.jd.com/index-10023456.html")
r("s02", "蜀韵手机配件店", None, None, None, "https://mall.jd.com/index-10023456.html")
r("s03", "宿迁市嘉信床垫有限公司", U("91", "321302", "MA1XY3R4A"), "0527-84561234", "江苏省宿迁市宿城区洪泽湖路18号")
r("s03", "嘉信床垫旗舰店", None, "0527 8456 1234")
r("s03", "嘉信家居床垫", None, None, "宿迁市宿城区洪泽湖路18号")
r("s04", "潍坊嘉信风筝有限公司", U("91", "370705", "MA3EF4G5H"), "0536-8223456", "山东省潍坊市奎文区鸢飞路200号")
r("s04", "嘉信风筝厂家直销店", None, "05368223456", None, "https://shop57881234.taobao.com/")
r("s04", "嘉信风筝", None, None, None, "https://shop57881234.taobao.com/?spm=a1z10")
r("s05", "义乌市稠城金鹰渔具商行", U("92", "330782", "MA2HJ6K7L"), "13905791111", "浙江省义乌市国际商贸城五区12街")
r("s05", "金鹰渔具旗舰店", None, "139-0579-1111")
r("s06", "义乌市金鹰母婴用品有限公司", U("91", "330782", "MA2KL7M8N"), "0579-85112222", "浙江省义乌市稠江街道杨村路300号")
r("s06", "金鹰母婴专营店", None, "0579-85112222", None, "https://shop60112222.taobao.com/")
r("s06", "金鹰婴童用品", None, None, None, "https://shop60112222.taobao.com/")
r("s07", "广州市白云区长青五金店", U("92", "440111", "MA5PQ8R9T"), "13500002222", "广东省广州市白云区石井大道45号")
r("s07", "长青五金工具店", None, "135 0000 2222")
r("s08", "广州长青茶叶贸易有限公司", U("91", "440104", "MA5RT9U0W"), "020-83334444", "广东省广州市越秀区芳村大道中茶叶市场B区")
r("s08", "长青茶叶官方旗舰店", None, "020-83334444", None, "https://changqingcha.tmall.com/")
r("s09", "泉州市丰泽区华美服饰商行", U("92", "350503", "MA3UW0X1Y"), "15959001111", "福建省泉州市丰泽区丰泽街100号")
r("s09", "华美服饰店", None, "159 5900 1111", None, "https://mobile.yangkeduo.com/mall_page.html?mall_id=88001122")
r("s10", "泉州华美石材有限公司", U("91", "350583", "MA3XY1R2A"), "0595-86881234", "福建省南安市水头镇石材城")
r("s10", "华美石业专营店", None, "0595-86881234")
# --- (2) a bare shop name that fits two namesakes: it belongs to one, but nothing says which
r("s01", "蜀韵旗舰店")  # truth: the tea house (its own records call it so), yet a name alone proves nothing
r("s03", "嘉信官方店")
r("s06", "金鹰专营店")
# --- (1b) same trade name, same goods family, different cities: apart (place decides)
r("s11", "杭州市余杭区云朵女装店", U("92", "330110", "MA2BC2D3E"), "13700571111", "浙江省杭州市余杭区临平街道星光街9号")
r("s11", "云朵女装旗舰店", None, "137 0057 1111", None, "https://yunduonz.tmall.com/")
r("s12", "广州市海珠区云朵服装店", U("92", "440105", "MA5DE3F4G"), "13922203333", "广东省广州市海珠区中大布匹市场3楼")
r("s12", "云朵服装批发", None, "13922203333", "广州市海珠区中大布匹市场3楼")
r("s12", "云朵服装店", None, "139 2220 3333")
# --- (3) a firm's own records: short names, shop names with its phone or URL: one entity
r("s13", "温州市瓯海区锦程眼镜有限公司", U("91", "330304", "MA2FG4H5J"), "0577-86661111", "浙江省温州市瓯海区娄桥街道眼镜城")
r("s13", "锦程眼镜有限公司", None, "0577-86661111")
r("s13", "锦程眼镜旗舰店", None, "057786661111", None, "https://jinchengyj.tmall.com/")
r("s13", "锦程眼镜", None, None, None, "https://jinchengyj.tmall.com/")
r("s14", "深圳市南山区星途电子商务有限公司", U("91", "440305", "MA5GH5J6K"), "0755-26661234", "广东省深圳市南山区科技园中区W2栋501")
r("s14", "星途电子商务有限公司", None, "0755-26661234")
r("s14", "星途数码旗舰店", None, "075526661234", None, "https://xingtusm.tmall.com/")
r("s15", "青岛市黄岛区海之韵海产品店", U("92", "370211", "MA3JK6L7M"), "18653201111", "山东省青岛市黄岛区海港路66号")
r("s15", "海之韵海鲜干货", None, "186 5320 1111")
r("s15", "海之韵海产品", None, None, "青岛市黄岛区海港路66号")
# --- (1c) a tea house and a stone firm both called 福源, in one county, each with a shop record naming its goods
r("s16", "安溪县福源茶叶专业合作社", U("93", "350524", "MA3LM7N8P"), "0595-23231111", "福建省泉州市安溪县凤城镇茶叶大观园")
r("s16", "福源铁观音旗舰店", None, "0595-23231111", None, "https://fuyuantea.tmall.com/")
r("s16", "福源茶叶", None, None, None, "https://fuyuantea.tmall.com/")
r("s17", "安溪县福源石材加工厂", U("92", "350524", "MA3MN8P9Q"), "13859001234", "福建省泉州市安溪县官桥镇工业区")
r("s17", "福源石材厂", None, "138 5900 1234")
r("s17", "福源石材", None, None, "安溪县官桥镇工业区")
r("s16", "福源专营店")
# --- (1d) a hotpot seasoning firm and a furniture firm called 巴蜀人家, different cities
r("s18", "重庆巴蜀人家食品有限公司", U("91", "500106", "MA60P9Q0R"), "023-65551234", "重庆市沙坪坝区土主镇食品工业园")
r("s18", "巴蜀人家火锅底料旗舰店", None, "02365551234", None, "https://bashurenjia.tmall.com/")
r("s19", "成都巴蜀人家家具有限公司", U("91", "510182", "MA6QR0T1U"), "028-83551234", "四川省彭州市家具产业园")
r("s19", "巴蜀人家家具专营店", None, "028-83551234")
r("s19", "巴蜀人家实木家具", None, None, None, "https://shop70223344.taobao.com/")
r("s19", "巴蜀人家家具", None, None, None, "https://shop70223344.taobao.com/")

# --- (4) a storefront that shows its business licence (a credit code) under a shop-style name, and a namesake firm
#     of unrelated goods known by its registered name: both have an identity, nothing shared but the trade name
r("s20", "鸿运风筝专营店", U("91", "370705", "MA3NP9Q0R"), None, None, "https://shop58991234.taobao.com/")
r("s20", "鸿运风筝", None, None, None, "https://shop58991234.taobao.com/")
r("s21", "潍坊市鸿运五金有限公司", None, "0536-8667788", "山东省潍坊市奎文区北海路300号")
r("s21", "鸿运五金", None, "0536-8667788")
r("s22", "百草园枸杞旗舰店", U("91", "640521", "MA7RT1U2W"), None, None, "https://baicaoyuangq.tmall.com/")
r("s23", "中宁县百草园花卉园艺店", None, "13995501111", "宁夏回族自治区中卫市中宁县宁安大街88号")
r("s23", "百草园花卉", None, "139 9550 1111")
r("s24", "立达手机配件专营店", U("91", "440307", "MA5TU2W3X"), None, None, "https://mall.jd.com/index-10087654.html")
r("s25", "深圳市立达体育用品有限公司", None, "0755-28881111", "广东省深圳市龙岗区坂田街道五和大道100号")
# the same pattern for one firm: its licence on the storefront, its registered name elsewhere, same goods: one entity
r("s26", "竹韵竹制品旗舰店", U("91", "330523", "MA2WX3Y4A"), None, None, "https://zhuyunzzp.tmall.com/")
r("s26", "安吉县竹韵竹制品有限公司", None, "0572-5123456", "浙江省湖州市安吉县递铺街道竹业园")


if __name__ == "__main__":
    raise SystemExit(R.main())
