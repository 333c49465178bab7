"""Writes tests/checks/dedup24a_blind.jsonl: dedup24a's hand-written blind dedup check (session 24).

Written by hand from real-world Chinese market-entity registration practice, before any session-24 code change of
dedup24a and without running the resolver on it. Only the credit codes' check characters are computed (GB 32100).
Each line: {"id", "name", "uscc"?, "phone"?, "address"?, "shop_url"?, "entity"} — "entity" is the truth.
Score: `python -m national.bench.dedup22_blind tests/checks/dedup24a_blind.jsonl`.

Classes:
(1) sole-proprietorship and partnership enterprises (个人独资企业, 合伙企业): registered by the market regulator as
    enterprises, so their credit code starts 91 (GB 32100: 2nd character 1 = enterprise), yet their names carry no
    有限公司 — they end in 经营部, 商行, 厂, 店, 工作室, 批发部 like an individual business's (个体工商户, code 92). Their
    records without the code (the same name, a shop-style name, the phone) are the same entity;
(2) traps next to them: an individual business (92) and a limited company (91, 有限公司) of the same trade name in
    the same city are two entities, and namesakes in other cities are others again;
(3) farmers' cooperatives (农民专业合作社, code 93) and their shop-style records.
"""
from __future__ import annotations

from national.bench.blind_records import BlindRecords
from national.bench.blind_records import uscc as U

R = BlindRecords("e", "tests/checks/dedup24a_blind.jsonl")
r = R.add


# --- (1) 个人独资企业 with 91 codes and shop-like names, and their records without the code
r("s01", "温州市鹿城区鑫达鞋材经营部", U("91", "330302", "MA2J8K3L4"), "13905771234", "浙江省温州市鹿城区双屿街道鞋都二期3号楼")
r("s01", "鑫达鞋材经营部", None, "139 0577 1234")
r("s01", "鹿城区鑫达鞋材经营部", None, None, "温州市鹿城区双屿街道鞋都二期3号楼")
r("s01", "鑫达鞋材旗舰店", None, "13905771234", None, "https://shop58120034.taobao.com/")
r("s02", "东莞市长安镇宏利五金制品厂", U("91", "441900", "MA4W2N7T8"), "0769-85331234", "广东省东莞市长安镇乌沙社区兴二路12号")
r("s02", "宏利五金制品厂", None, "0769-85331234")
r("s02", "宏利五金专营店", None, "076985331234", None, "https://mall.jd.com/index-10087712.html")
r("s03", "晋江市陈埭镇福兴鞋业商行", U("91", "350582", "MA8T4P1Q6"), "0595-85171234", "福建省晋江市陈埭镇江头村工业区8号")
r("s03", "福兴鞋业商行", None, "0595-85171234", "晋江市陈埭镇江头村工业区8号")
r("s03", "福兴鞋业官方店", U("91", "350582", "MA8T4P1Q6"))
r("s04", "杭州市余杭区青禾茶叶经营部", U("91", "330110", "MA2H1E6W3"), "15868101234", "浙江省杭州市余杭区径山镇径山村2组")
r("s04", "青禾茶叶经营部", None, "158-6810-1234")
r("s04", "青禾茶叶的小店", None, "15868101234", None, "https://shop103992871.taobao.com/?spm=a1z10.1")
r("s05", "昆山市花桥镇木子家居工作室", U("91", "320583", "MA1Y3R8C2"), "18051231234", "江苏省昆山市花桥镇绿地大道231弄8号")
r("s05", "木子家居工作室", None, "18051231234")
r("s05", "木子家居工作室", None, None, "昆山市花桥镇绿地大道231弄8号")
r("s06", "郑州市金水区鼎盛电子批发部", U("91", "410105", "MA9G5H2K7"), "0371-63881234", "河南省郑州市金水区经三路15号电子市场A218")
r("s06", "鼎盛电子批发部", None, "037163881234")
r("s06", "鼎盛电子批发部", None, None, "郑州市金水区经三路15号电子市场A218")
r("s07", "成都市锦江区蜀味干杂店", U("91", "510104", "MA6C7F3D9"), "028-84561234", "四川省成都市锦江区东大街下东大街段99号")
r("s07", "蜀味干杂店", None, "028 8456 1234")
r("s07", "锦江区蜀味干杂店", None, None, "成都市锦江区东大街99号")
# a partnership (合伙企业, 91 as well)
r("s08", "苏州工业园区鸿途贸易合伙企业（普通合伙）", U("91", "320594", "MA1T6M4N5"), "0512-62881234", "江苏省苏州市工业园区星湖街328号")
r("s08", "鸿途贸易合伙企业", None, "0512-62881234")
r("s08", "鸿途贸易旗舰店", None, "051262881234", None, "https://hongtumaoyi.tmall.com/")
# --- (2) traps: the same trade name as another legal form in the same city, and namesakes elsewhere
r("t01", "佛山市南海区美雅陶瓷经营部", U("92", "440605", "MA52D8Y1K"), "13702981234", "广东省佛山市南海区桂城街道南海大道北88号")
r("t01", "美雅陶瓷经营部", None, "137-0298-1234")
r("t01", "美雅陶瓷经营部", None, None, "佛山市南海区桂城街道南海大道北88号")
r("t02", "佛山市美雅陶瓷有限公司", U("91", "440605", "MA4U9B3W6"), "0757-86231234", "广东省佛山市南海区狮山镇罗村联和工业区")
r("t02", "美雅陶瓷有限公司", None, "0757-86231234")
r("t02", "佛山市美雅陶瓷有限公司", None, None, "佛山市南海区狮山镇罗村联和工业区")
r("t03", "温州市瓯海区鑫达鞋材店", U("92", "330304", "MA2K9L4M1"), "13957701234", "浙江省温州市瓯海区娄桥街道古岸头工业区")
r("t03", "瓯海区鑫达鞋材店", None, "13957701234")
r("t04", "郑州鼎盛电子科技有限公司", U("91", "410105", "MA3X1Q8R2"), "0371-65991234", "河南省郑州市金水区花园路39号")
r("t04", "鼎盛电子科技有限公司", None, "0371-65991234", "郑州市金水区花园路39号")
r("t05", "青禾茶叶（个体工商户）", U("92", "331002", "MA2A5C7E8"), "13506581234", "浙江省台州市椒江区中山西路100号")
r("t05", "青禾茶叶", None, "135 0658 1234", "台州市椒江区中山西路100号")
r("t06", "成都蜀味食品有限公司", U("91", "510107", "MA6E2G4H1"), "028-85221234", "四川省成都市武侯区武侯祠大街260号")
r("t06", "蜀味食品有限公司", None, "028-85221234")
r("t07", "晋江市福兴鞋业有限公司", U("91", "350582", "MA8U5Q2R3"), "0595-85681234", "福建省晋江市陈埭镇岸兜工业区")
r("t07", "福兴鞋业有限公司", None, "059585681234")
# persons' individual businesses (92), one with the 个体工商户 suffix
r("t08", "王建国（个体工商户）", U("92", "350503", "MA8W3T6U1"), "13860701234", "福建省泉州市丰泽区东海街道泉秀路1号")
r("t08", "丰泽区王建国日杂店", None, "13860701234")
r("t09", "王建国（个体工商户）", U("92", "420106", "MA4K8N2P5"), "13907151234", "湖北省武汉市武昌区中南路7号")
r("t09", "王建国", None, "139 0715 1234", "武汉市武昌区中南路7号")
# --- (3) farmers' cooperatives (93)
r("c01", "五常市民乐乡稻香米业专业合作社", U("93", "230184", "MA1B2C3D4"), "0451-57611234", "黑龙江省五常市民乐乡红光村")
r("c01", "稻香米业专业合作社", None, "0451-57611234")
r("c01", "稻香米业旗舰店", None, "045157611234", None, "https://daoxiangmiye.tmall.com/")
r("c02", "五常市稻香粮油有限公司", U("91", "230184", "MA1C3D4E5"), "0451-53521234", "黑龙江省五常市五常镇长山路18号")
r("c02", "稻香粮油有限公司", None, "0451-53521234")
r("c03", "平谷区峪口镇鲜桃种植专业合作社", U("93", "110117", "MA0D4E5F6"), "13801091234", "北京市平谷区峪口镇西营村")
r("c03", "鲜桃种植专业合作社", None, "13801091234")
r("c03", "峪口鲜桃种植专业合作社", None, None, "北京市平谷区峪口镇西营村")
# more sole proprietorships, with shop-style records carrying the 91 code
r("s09", "义乌市稠江永盛饰品商行", U("91", "330782", "MA2L6P8Q9"), "13600501234", "浙江省义乌市稠江街道杨村路100号")
r("s09", "永盛饰品旗舰店", U("91", "330782", "MA2L6P8Q9"), None, None, "https://yongshengshipin.tmall.com/")
r("s09", "义乌市稠江永盛饰品商行", None, "136 0050 1234")
r("s09", "永盛饰品", None, "13600501234")
r("s10", "昆明市呈贡区彩云花卉经营部", U("91", "530114", "MA6K2N4R7"), "0871-63151234", "云南省昆明市呈贡区斗南花卉市场5区")
r("s10", "彩云花卉经营部", None, "087163151234")
r("s10", "彩云花卉专营店", U("91", "530114", "MA6K2N4R7"), None, None, "https://mall.jd.com/index-20031188.html")
r("s10", "呈贡区彩云花卉经营部", None, None, "昆明市呈贡区斗南花卉市场5区")

# --- (1b) added after scoring (1)-(3) at 1.0 on main, still before any code change: the credit code (91) is shown
#     only on a platform shop's page (营业执照 shown by the shop), with a shop-style name; the legal name is elsewhere
r("s11", "鲜果多水果旗舰店", U("91", "430104", "MA4P7R2T5"), "13973101234", None, "https://xianguoduo.tmall.com/")
r("s11", "长沙市岳麓区鲜果多水果商行", None, "139 7310 1234", "湖南省长沙市岳麓区麓山南路88号")
r("s11", "岳麓区鲜果多水果商行", None, None, "长沙市岳麓区麓山南路88号")
r("s12", "老林记卤味专营店", U("91", "350203", "MA8X6Y3A1"), "0592-2101234", None, "https://mall.jd.com/index-30017762.html")
r("s12", "厦门市思明区老林记卤味店", None, "0592-2101234", "福建省厦门市思明区中山路156号")
r("s12", "老林记卤味店", None, "05922101234")
r("s13", "匠心木作的小店", U("91", "610113", "MA6W8B1C2"), "18691081234", None, "https://shop61200481.taobao.com/")
r("s13", "西安市雁塔区匠心木作工作室", None, "18691081234", "陕西省西安市雁塔区小寨东路66号")
# a trap: a limited company's flagship shop (91 code) and an individual business of its trade name in its district
r("t10", "南京绿源茶叶有限公司", U("91", "320115", "MA1R2T3U4"), "025-52101234", "江苏省南京市江宁区秣陵街道天元中路8号")
r("t10", "绿源茶叶旗舰店", U("91", "320115", "MA1R2T3U4"), None, None, "https://lvyuanchaye.tmall.com/")
r("t11", "南京市江宁区绿源茶叶经营部", U("92", "320115", "MA1P9Q8R7"), "13913801234", "江苏省南京市江宁区东山街道竹山路12号")
r("t11", "江宁区绿源茶叶经营部", None, "139 1380 1234")


if __name__ == "__main__":
    raise SystemExit(R.main())
