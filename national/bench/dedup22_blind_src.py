"""Writes national/bench/data/dedup22_blind.jsonl: dedup22's hand-written blind dedup check (session 22).

Every record below is written by hand from real-world seller patterns, before any code change and without
running the resolver on it. Only the credit codes' check characters are computed (GB 32100). Each line:
{"id", "name", "uscc"?, "phone"?, "address"?, "shop_url"?, "entity"} — "entity" is the truth.
"""
from __future__ import annotations

from national.bench.blind_records import BlindRecords
from national.bench.blind_records import uscc as U

R = BlindRecords("b")
r = R.add


# --- namesakes in two cities; name-only shop records whose goods word / landline / address points at one
r("e01", "杭州市悦禾茶业有限公司", U("91", "330106", "MA2GQ7K3X"), "0571-87961234", "浙江省杭州市西湖区龙井路18号")
r("e01", "悦禾茶业有限公司", None, "0571 8796 1234", "杭州西湖区龙井路18号")
r("e01", "悦禾茶叶旗舰店")
r("e01", "悦禾旗舰店", None, "0571-86012345")
r("e01", "悦禾龙井茶专营店", None, None, "浙江省杭州市西湖区梅家坞村52号")
r("e02", "广州市悦禾服饰有限公司", U("91", "440111", "MA59KD1U7"), "020-36251188", "广东省广州市白云区机场路1108号")
r("e02", "悦禾服饰（广州）有限公司", None, "02036251188")
r("e02", "悦禾女装旗舰店")
r("e02", "悦禾官方旗舰店", None, None, "广州市白云区三元里大道33号")
r("e03", "福州市瑞丰茶业有限公司", U("91", "350102", "MA31XB6P2"), "0591-87553321", "福建省福州市鼓楼区五四路120号")
r("e03", "瑞丰茶业有限公司", None, "0591-87553321")
r("e03", "瑞丰茶业旗舰店")  # two tea firms of this name: nothing says which (left apart is right)
r("e04", "昆明市瑞丰茶业有限公司", U("91", "530102", "MA6K2WQ4L"), "0871-65128800", "云南省昆明市五华区青年路88号")
r("e04", "瑞丰茶业（昆明）有限公司", None, None, "昆明市五华区青年路88号")
r("e04", "瑞丰茶叶店", None, "0871-65991234")
r("e04", "瑞丰普洱茶专营店", None, None, "云南省昆明市五华区篆塘路6号")
# --- operators' own names filed instead of the business
r("e05", "成都市锦江区秀英小吃店", U("92", "510104", "MA6CKP8N1"), "13980012345", "四川省成都市锦江区春熙路12号")
r("e05", "李秀英", None, "139 8001 2345")
r("e05", "秀英小吃", None, None, "成都市锦江区春熙路12号")
r("e05", "李秀英", None, None, "四川省成都市锦江区春熙路12号")
r("e06", "武汉市武昌区秀英百货商行", U("92", "420106", "MA4KL2T9Q"), "027-88765432", "湖北省武汉市武昌区中南路7号")
r("e06", "李秀英", None, "027-88765432")
r("e06", "秀英百货", None, "02788765432")
r("e07", "张建国", None, "13507315566", "湖南省长沙市岳麓区麓山南路3号")
r("e07", "长沙市岳麓区建国五金经营部", U("92", "430104", "MA4PX3R5J"), "135-0731-5566")
r("e07", "建国五金", None, "13507315566")
# --- branches: short branch names, and a branch is not its head office
r("e08", "深圳市华美电子有限公司成都分公司", U("91", "510100", "MA61QN2C8"), "028-85551200", "四川省成都市武侯区人民南路四段9号")
r("e08", "华美电子成都分公司", None, "028-85551200")
r("e08", "华美电子（成都分公司）", None, None, "成都市武侯区人民南路四段9号")
r("e09", "深圳市华美电子有限公司", U("91", "440305", "MA5DL8H2X"), "0755-26781100", "广东省深圳市南山区科技园南区12栋")
r("e09", "华美电子有限公司", None, "0755-26781100", "深圳市南山区科技园南区12栋")
r("e09", "华美电子旗舰店", None, None, None, "https://huameidianzi.tmall.com/")
r("e10", "湖南湘味坊食品有限公司长沙分公司", U("91", "430100", "MA4R2D7W6"), "0731-84471122", "湖南省长沙市芙蓉区五一大道55号")
r("e10", "湘味坊长沙分公司")
r("e10", "湘味坊食品长沙分公司", None, "0731-84471122")
r("e11", "湖南湘味坊食品有限公司", U("91", "430200", "MA4Q8N3L5"), "0731-22881199", "湖南省株洲市天元区株洲大道100号")
r("e11", "湘味坊食品有限公司", None, "0731-22881199")
# --- an individual-business name that a company uses for its shop, with the company's own phone
r("e12", "郑州绿泰农业科技有限公司", U("91", "410105", "MA3XG5D1K"), "0371-63321188", "河南省郑州市金水区农业路20号")
r("e12", "绿泰经营部", None, "0371-63321188")
r("e12", "绿泰农业旗舰店", None, None, None, "https://mall.jd.com/index-1000234567.html")
r("e12", "绿泰农业科技有限公司", None, None, None, "https://mall.jd.com/index-1000234567.html?from=pc")
r("e13", "济南市历下区绿泰经营部", U("92", "370102", "MA3NC4H7T"), "0531-86112233", "山东省济南市历下区泉城路300号")
r("e13", "绿泰经营部", None, "0531-86112233")
# --- firms sharing a building's switchboard: neighbours, not one seller
r("e14", "郑州市金水区鑫源五金经营部", None, "0371-66889900", "郑州市金水区花园路88号国基大厦")
r("e14", "鑫源五金", None, "13803712288")
r("e15", "郑州市恒达建材有限公司", U("91", "410105", "MA44TB2R0"), "0371-66889900", "河南省郑州市金水区花园路88号国基大厦")
r("e15", "恒达建材有限公司", None, "0371-66889900")
# --- an individual trader known only by shop-style names of one core
r("e16", "赵保国茶庄严选")
r("e16", "赵保国茶庄经营部")
r("e16", "赵保国茶庄")
r("e17", "老赵茶庄旗舰店")
r("e17", "老赵茶庄")
r("e18", "丽姿美妆小店")
r("e18", "丽姿美妆工作室")
r("e18", "丽姿美妆严选")
r("e19", "丽姿服饰店")
r("e19", "丽姿女装店")
# --- a shop name that only one of two namesakes has a shop for
r("e20", "苏州市青禾母婴用品有限公司", U("91", "320505", "MA1WQ8E6P"), "0512-68256677", "江苏省苏州市虎丘区狮山路22号")
r("e20", "青禾母婴用品旗舰店", None, None, None, "https://qinghemuying.tmall.com/shop/view_shop.htm")
r("e20", "青禾母婴旗舰店")
r("e20", "青禾母婴用品有限公司", None, "0512 6825 6677")
r("e21", "合肥市青禾农业发展有限公司", U("91", "340104", "MA2TU7P4C"), "0551-65523344", "安徽省合肥市蜀山区长江西路500号")
r("e21", "青禾农业发展有限公司", None, "0551-65523344")
r("e21", "青禾生鲜专营店")
r("e21", "青禾农产品旗舰店", None, "0551-65529900")
# --- full legal names without identifiers, and a namesake in another city
r("e22", "青岛市澜川电子有限公司", U("91", "370212", "MA3C6YLH9"), "0532-88901234", "山东省青岛市崂山区香港东路195号")
r("e22", "青岛市澜川电子有限公司")
r("e22", "澜川电子有限公司", None, "0532-88901234")
r("e22", "青岛澜川电子有限公司", None, None, "青岛市崂山区香港东路195号")
r("e23", "厦门市澜川电子有限公司", U("91", "350203", "MA2YK4TD3"), "0592-5201188", "福建省厦门市思明区湖滨南路90号")
r("e23", "厦门澜川电子有限公司")
r("e23", "澜川电子（厦门）有限公司", None, "0592-5201188")
# --- an individual business and a company of one trade name in one city
r("e24", "长沙市岳麓区锦程文具店", U("92", "430104", "MA4M9E2X8"), "13873145678", "湖南省长沙市岳麓区桐梓坡路66号")
r("e24", "锦程文具店", None, "13873145678")
r("e24", "锦程文具", None, None, "长沙市岳麓区桐梓坡路66号")
r("e25", "长沙锦程文化用品有限公司", U("91", "430104", "MA4LB3N7Y"), "0731-88226600", "湖南省长沙市岳麓区金星中路8号")
r("e25", "锦程文化用品有限公司", None, "0731-88226600")
r("e25", "锦程文具旗舰店", None, None, None, "https://mobile.yangkeduo.com/mall_page.html?mall_id=7712345")
r("e25", "锦程文化用品专营店", None, None, None, "https://mobile.yangkeduo.com/mall_page.html?mall_id=7712345&refer_page_name=goods_detail")
# --- homophone slips
r("e26", "西安市雅峰服饰有限公司", U("91", "610113", "MA6W8JR2B"), "029-85201133", "陕西省西安市雁塔区小寨西路26号")
r("e26", "雅峰服饰有限公司", None, "029-85201133")
r("e26", "雅丰服饰旗舰店")
r("e26", "雅峰服饰", None, "18691234567", "西安市雁塔区小寨西路26号")
# --- a Douyin / Kuaishou seller whose company is named elsewhere
r("e27", "义乌市星途饰品有限公司", U("91", "330782", "MA2EC9UX4"), "0579-85561234", "浙江省义乌市福田街道国际商贸城二区H1-3356")
r("e27", "星途饰品", None, "15857912345")
r("e27", "星途饰品抖音小店", None, "15857912345", None, "https://haohuo.jinritemai.com/views/shop/index?id=ZKqTbmhd")
r("e27", "星途饰品小店", None, None, None, "https://haohuo.jinritemai.com/views/shop/index?id=ZKqTbmhd&origin_type=pc")
r("e27", "星途饰品经营部")
r("e28", "金华市婺城区星途饰品商行", U("92", "330702", "MA2F1KC7R"), "0579-82203344", "浙江省金华市婺城区八一北街8号")
r("e28", "星途饰品商行", None, "0579-82203344")
# --- traditional characters and full-width forms
r("e29", "东莞市富興五金製品有限公司", U("91", "441900", "MA51PR3Q6"), "0769-85123456", "廣東省東莞市長安鎮振安中路101號")
r("e29", "东莞市富兴五金制品有限公司", None, "0769-85123456")
r("e29", "富兴五金制品有限公司", None, None, "广东省东莞市长安镇振安中路101号")
r("e29", "富兴五金旗舰店")
r("e30", "佛山市富兴陶瓷有限公司", U("91", "440604", "MA4UY2W8D"), "0757-82771234", "广东省佛山市禅城区季华五路30号")
r("e30", "富兴陶瓷有限公司", None, "0757-82771234")
r("e30", "富兴陶瓷专营店")
# --- name-only records of two provinces' namesakes, each with a place of its own
r("e31", "南宁市青秀区桂韵土特产商行", U("92", "450103", "MA5NB8XL2"), "0771-5861234", "广西壮族自治区南宁市青秀区民族大道100号")
r("e31", "桂韵土特产", None, "0771-5861234")
r("e31", "桂韵特产旗舰店", None, "0771-5867788")
r("e31", "桂韵特产店", None, None, "广西南宁市青秀区民族大道100号")
r("e32", "桂林市桂韵文化传播有限公司", U("91", "450300", "MA5L3D0K1"), "0773-2821199", "广西壮族自治区桂林市秀峰区中山中路12号")
r("e32", "桂韵文化传播有限公司", None, "0773-2821199")
r("e32", "桂韵文化旗舰店")
# --- sellers that share a common trade name across the country (hard non-matches, no evidence)
r("e33", "石家庄市长安区鸿运家具店", U("92", "130102", "MA0CX7H5M"), "0311-86051122", "河北省石家庄市长安区中山东路200号")
r("e33", "鸿运家具", None, "0311-86051122")
r("e34", "太原市鸿运家具有限公司", U("91", "140105", "MA0KJ2R6N"), "0351-7221100", "山西省太原市小店区长风街50号")
r("e34", "鸿运家具有限公司", None, "0351-7221100")
r("e35", "鸿运家具旗舰店")  # a third seller, nothing to tie it
r("e36", "沈阳市和平区鸿运烟酒商行", U("92", "210102", "MA0YTK3G4"), "024-23451122", "辽宁省沈阳市和平区太原北街3号")
r("e36", "鸿运烟酒", None, "024-23451122")
# --- head office and its shops on several platforms
r("e37", "泉州市晋江市奔跃体育用品有限公司", U("91", "350582", "MA32G6PC5"), "0595-85671234", "福建省晋江市陈埭镇鞋都路88号")
r("e37", "奔跃体育用品有限公司", None, "0595-85671234", "福建省泉州市晋江市陈埭镇鞋都路88号")
r("e37", "奔跃运动旗舰店", None, None, None, "https://benyuetiyu.tmall.com/")
r("e37", "奔跃运动官方旗舰店", None, None, None, "https://mall.jd.com/index-1000567812.html")
r("e37", "奔跃运动鞋专营店")
r("e37", "奔跃体育", None, "13905951234")
r("e38", "奔跃户外", None, "13606661234", "浙江省温州市鹿城区江滨西路5号")
r("e38", "温州市鹿城区奔跃户外用品店", U("92", "330302", "MA2HX6Q3T"), "13606661234")
# --- a company's individual-business-style shop names with the company's address
r("e39", "哈尔滨市北润粮油有限公司", U("91", "230102", "MA1BK9T7U"), "0451-86331100", "黑龙江省哈尔滨市道里区安定街15号")
r("e39", "北润粮油经营部", None, None, "黑龙江省哈尔滨市道里区安定街15号")
r("e39", "北润粮油", None, "0451-86331100")
r("e39", "北润五常大米旗舰店")
# --- a person-named shop whose business is elsewhere named
r("e40", "王小丫", None, "15011223344", "北京市朝阳区三里屯路19号")
r("e40", "北京市朝阳区小丫花艺工作室", U("92", "110105", "MA01XK7D2"), "150-1122-3344")
r("e40", "小丫花艺", None, None, "北京市朝阳区三里屯路19号")
r("e41", "王小丫", None, "18611223355")  # another 王小丫, another number
r("e41", "天津市和平区小丫烘焙店", U("92", "120101", "MA06AX2K8"), "18611223355", "天津市和平区南京路11号")
# --- singletons and hard negatives with one record
r("e42", "上海市黄浦区悦禾茶叶店", U("92", "310101", "MA1FL3R4H"), "021-63225566", "上海市黄浦区福州路300号")
r("e43", "南京市鼓楼区华美电子商行", U("92", "320106", "MA1XN2W6E"), "025-83301122", "江苏省南京市鼓楼区中山路100号")
r("e44", "重庆市渝中区锦程文具店", U("92", "500103", "MA5U7Q1P0"), "023-63881234", "重庆市渝中区解放碑八一路9号")
r("e45", "湘味坊小吃店", None, "020-81234567")  # a Guangzhou snack bar, not the Hunan food firm
r("e46", "青禾花艺工作室", None, "0512-62221100")  # a Suzhou florist, not the baby-goods firm
r("e47", "瑞丰五金经营部", None, "0591-83330011")  # a Fuzhou hardware shop, not the tea firm
r("e48", "星途旅行社有限公司", None, "0579-85119900", "浙江省义乌市稠城街道工人北路1号")
r("e49", "北润电器经营部", None, "0451-84221100", "哈尔滨市南岗区学府路2号")
r("e50", "绿泰花卉专营店")


if __name__ == "__main__":
    raise SystemExit(R.main())
