"""Writes tests/checks/dedup23_blind.jsonl: dedup23's hand-written blind dedup check (session 23).

Written by hand from real-world Chinese market-entity naming, before any session-23 code change and without
running the resolver on it. Only the credit codes' check characters are computed (GB 32100). Each line:
{"id", "name", "uscc"?, "phone"?, "address"?, "shop_url"?, "entity"} — "entity" is the truth.
Score: `python -m national.bench.dedup22_blind tests/checks/dedup23_blind.jsonl`.
Classes: (1) individual businesses registered under the operator's name (刘磊（个体工商户）) in shared
(cluster-registration / virtual-office) buildings next to other persons and companies; (2) a company's sales office,
store or 门市部 (…有限公司宜昌经营部, …有限公司五一广场店) is a branch: not its head office, not an individual
business of the same trade name.
"""
from __future__ import annotations

from national.bench.blind_records import BlindRecords
from national.bench.blind_records import uscc as U

R = BlindRecords("d", "tests/checks/dedup23_blind.jsonl")
r = R.add


# --- (1) persons' individual businesses in a virtual-office building (Guangzhou Tianhe), with a company there too
B1 = "广东省广州市天河区黄埔大道西100号富力盈泰大厦A座1205房（仅限办公）"
B1s = "广州市天河区黄埔大道西100号1205房"
r("p01", "刘磊（个体工商户）", U("92", "440106", "MA9W3K7L2"), "13711112222", B1)
r("p01", "刘磊（个体工商户）", None, "137 1111 2222")
r("p01", "刘磊", None, "13711112222", B1s)
r("p02", "王芳（个体工商户）", U("92", "440106", "MA9W4D8N1"), "13822223333", B1)
r("p02", "王芳（个体工商户）", None, "138-2222-3333", B1s)
r("p03", "陈静（个体工商户）", U("92", "440106", "MA9X0P2R5"), None, B1)
r("p03", "陈静（个体工商户）", None, "15900001111", B1)
r("p04", "广州市悦享电子商务有限公司", U("91", "440106", "MA5CT6H3Y"), "020-38881234", B1)
r("p04", "悦享电子商务有限公司", None, "02038881234")
r("p04", "悦享电商旗舰店", None, "020-38881234")
r("p05", "张伟（个体工商户）", U("92", "440106", "MA9Y2B6Q8"), "13600001234", B1)
r("p05", "张伟（个体工商户）", None, "13600001234")
r("p06", "张伟（个体工商户）", U("92", "440305", "MA5H8M1T4"), "13922224444", "广东省深圳市南山区粤海街道科技园中区W1栋301")
r("p06", "张伟（个体工商户）", None, None, "深圳市南山区科技园中区W1栋301")
# --- (1b) Shanghai Chongming cluster registration: persons and a trading firm at one address
B2 = "上海市崇明区城桥镇西门路799号3幢（上海城桥经济开发区）"
r("p07", "赵敏（个体工商户）", U("92", "310151", "MA1G7N3K2"), "18621110000", B2)
r("p07", "赵敏（个体工商户）", None, "186 2111 0000", "上海市崇明区西门路799号")
r("p08", "孙丽（个体工商户）", U("92", "310151", "MA1G8P4L6"), None, B2)
r("p08", "孙丽", None, "18917773333", B2)
r("p09", "上海岚禾贸易有限公司", U("91", "310151", "MA1H9Q5M0"), "021-59612345", B2)
r("p09", "岚禾贸易有限公司", None, "021-59612345", "上海市崇明区城桥镇西门路799号")
# --- (1c) Yiwu market: named individual businesses with the new （个体工商户） suffix, neighbours in one market
B3 = "浙江省义乌市福田街道国际商贸城二区H3门"
r("p10", "义乌市稠城晨曦饰品商行（个体工商户）", U("92", "330782", "MA2EC4J7W"), "13858901234", B3 + "23156商位")
r("p10", "晨曦饰品商行", None, "13858901234")
r("p10", "晨曦饰品", None, None, B3 + "23156商位")
r("p11", "义乌市稠城佳艺饰品商行（个体工商户）", U("92", "330782", "MA2ED5K8X"), "13957912345", B3 + "23158商位")
r("p11", "佳艺饰品商行", None, "139 5791 2345")
# --- (2) a company's sales office in another city is a branch: apart from its head office and from an
#     individual business of the same trade name
r("b01", "四川蜀道香食品有限公司重庆经营部", U("91", "500103", "MA60R2T7K"), "023-63881122", "重庆市渝中区民权路28号")
r("b01", "蜀道香食品重庆经营部", None, "023-63881122")
r("b01", "四川蜀道香食品有限公司重庆经营部", None, None, "重庆市渝中区解放碑民权路28号")
r("b02", "四川蜀道香食品有限公司", U("91", "510100", "MA61F3U8L"), "028-86661234", "四川省成都市金牛区蜀汉路168号")
r("b02", "蜀道香食品有限公司", None, "02886661234")
r("b03", "成都市武侯区蜀道香经营部", U("92", "510107", "MA6D4W9M2"), "13688889999", "四川省成都市武侯区高升桥东路5号")
r("b03", "蜀道香经营部", None, "136 8888 9999")
r("b04", "宁波恒拓五金工具有限公司义乌门市部", U("91", "330782", "MA2F6X1N3"), "0579-85501122", "浙江省义乌市稠城街道宾王路99号")
r("b04", "恒拓五金义乌门市部", None, "0579-85501122")
r("b05", "宁波恒拓五金工具有限公司", U("91", "330201", "MA2G7Y2P4"), "0574-87651234", "浙江省宁波市鄞州区天童南路588号")
r("b05", "恒拓五金工具有限公司", None, "0574-87651234")
r("b05", "恒拓五金旗舰店", None, None, None, "https://hengtuowujin.tmall.com/")
r("b06", "山东鲁丰农业科技有限公司济南销售部", U("91", "370102", "MA3C8A3Q5"), "0531-88123456", "山东省济南市历下区经十路1号")
r("b06", "鲁丰农业科技济南销售部", None, "0531-88123456")
r("b07", "山东鲁丰农业科技有限公司", U("91", "370700", "MA3D9B4R6"), "0536-8201234", "山东省潍坊市奎文区胜利东街300号")
r("b07", "鲁丰农业科技有限公司", None, "0536-8201234", "潍坊市奎文区胜利东街300号")
# --- (2b) a restaurant company's stores: each store is its own registered branch
r("b08", "长沙湘厨餐饮管理有限公司五一广场店", U("91", "430102", "MA4L0C5T7"), "0731-85521111", "湖南省长沙市芙蓉区五一大道18号")
r("b08", "湘厨五一广场店", None, "0731-85521111")
r("b09", "长沙湘厨餐饮管理有限公司梅溪湖店", U("91", "430104", "MA4M1D6U8"), "0731-88902222", "湖南省长沙市岳麓区梅溪湖路66号")
r("b09", "湘厨梅溪湖店", None, "073188902222")
r("b10", "长沙湘厨餐饮管理有限公司", U("91", "430102", "MA4N2E7W9"), "0731-84443333", "湖南省长沙市芙蓉区韶山北路39号")
r("b10", "湘厨餐饮管理有限公司", None, "0731-84443333")


if __name__ == "__main__":
    raise SystemExit(R.main())
