"""Writes tests/checks/trademark_zh24check.jsonl: tm24zh's hand-written blind check (session 24), written from
knowledge before any code change. Positives: a mark character written as its two left/right components side by side
(明 → 日月), 派/脉 swaps, glyph swaps that form an ordinary word, 同款 with a well-known mark on other goods or
酒店同款 with a class-3 amenity brand. Negatives: ordinary words, place names (transliterated too) and generic
同款 phrases one glyph or one character away from a mark in its class."""
import json
import sys

M = [  # (mark, owner, classes, well_known)
    ("明治", "株式会社明治", [29, 30], False),
    ("好丽友", "好丽友食品有限公司", [30], False),
    ("娃哈哈", "杭州娃哈哈集团有限公司", [32], False),
    ("相宜本草", "上海相宜本草化妆品股份有限公司", [3], False),
    ("妙可蓝多", "上海妙可蓝多食品科技股份有限公司", [29], False),
    ("鸿星尔克", "鸿星尔克（厦门）实业有限公司", [25], False),
    ("松下", "松下电器产业株式会社", [9, 11], False),
    ("雅诗兰黛", "雅诗兰黛公司", [3], False),
    ("格力", "珠海格力电器股份有限公司", [11], False),
    ("欧莱雅", "欧莱雅（中国）有限公司", [3], False),
    ("舒肤佳", "宝洁公司", [3], False),
    ("旺旺", "中国旺旺控股有限公司", [30], False),
    ("鲜橙多", "统一企业（中国）投资有限公司", [32], False),
    ("特步", "特步（中国）有限公司", [25], False),
    ("联想", "联想（北京）有限公司", [9], False),
    ("华硕", "华硕电脑股份有限公司", [9], False),
    ("好时", "好时公司", [30], False),
    ("百雀羚", "上海百雀羚日用化学有限公司", [3], False),
    ("炫迈", "亿滋国际", [30], False),
    ("奥妙", "联合利华", [3], False),
    ("胡姬花", "嘉里粮油（中国）有限公司", [29], False),
    ("杜蕾斯", "利洁时集团", [10], False),
    ("好想你", "好想你健康食品股份有限公司", [29], False),
    ("妮维雅", "拜尔斯道夫股份有限公司", [3], False),
    ("娇韵诗", "娇韵诗公司", [3], False),
    ("好来", "好来化工（中山）有限公司", [3], False),
    ("桂格", "桂格燕麦公司", [30], False),
    ("雅培", "雅培公司", [5, 29], False),
    ("杉杉", "杉杉控股有限公司", [25], False),
    ("酷派", "宇龙计算机通信科技（深圳）有限公司", [9], False),
    ("脉动", "达能（中国）食品饮料有限公司", [32], False),
    ("洽洽", "洽洽食品股份有限公司", [30], False),
    ("六神", "上海家化联合股份有限公司", [3], False),
    ("香奈儿", "香奈儿股份有限公司", [3, 14, 18, 25], True),
    ("爱马仕", "爱马仕国际", [3, 14, 18, 25], True),
    ("茅台", "中国贵州茅台酒厂（集团）有限责任公司", [33], True),
    ("希尔顿", "希尔顿国际酒店公司", [43], True),
    ("星巴克", "星巴克公司", [30, 43], True),
    ("路易威登", "路易威登马利蒂", [18, 25], True),
    ("古驰", "古乔古希股份公司", [18, 25], True),
    ("欧舒丹", "欧舒丹公司", [3], False),
    ("祖玛珑", "祖玛珑有限公司", [3], False),
    ("伊利", "内蒙古伊利实业集团股份有限公司", [29], False),
    ("温碧泉", "广州温碧泉化妆品有限公司", [3], False),
    ("金帝", "深圳金帝食品有限公司", [30], False),
    ("名仁", "河南名仁饮品有限公司", [32], False),
    ("卡萨帝", "青岛海尔股份有限公司", [11], False),
    ("德克士", "顶新国际集团", [30, 43], False),
    ("蒙特娇", "蒙特娇股份有限公司", [25], False),
    ("奥克斯", "奥克斯集团有限公司", [11], False),
    ("波司登", "波司登股份有限公司", [25], False),
    ("金山", "珠海金山办公软件有限公司", [9], False),
    ("威露士", "威露士有限公司", [3], False),
    ("金龙鱼", "益海嘉里金龙鱼粮油食品股份有限公司", [29], False),
    ("康师傅", "顶益（开曼岛）控股有限公司", [30], False),
]
REG = {m: f"TM-Z24-{k + 1:03d}" for k, (m, *_r) in enumerate(M)}

P = [  # (title, class, mark, style, note)
    ("日月治 雪吻 巧克力 礼盒", 30, "明治", "glyph_split", "明 → 日月"),
    ("女子丽友 巧克力派 12枚 整盒", 30, "好丽友", "glyph_split", "好 → 女子"),
    ("女圭哈哈 AD钙奶 220g 20瓶", 32, "娃哈哈", "glyph_split", "娃 → 女圭"),
    ("木目宜本草 红景天 保湿 面霜", 3, "相宜本草", "glyph_split", "相 → 木目"),
    ("女少可蓝多 奶酪棒 儿童 原味", 29, "妙可蓝多", "glyph_split", "妙 → 女少"),
    ("江鸟星尔克 跑步鞋 男 减震", 25, "鸿星尔克", "glyph_split", "鸿 → 江鸟"),
    ("木公下 电吹风 负离子 家用", 11, "松下", "glyph_split", "松 → 木公"),
    ("牙隹诗兰黛 小棕瓶 精华 50ml", 3, "雅诗兰黛", "glyph_split", "雅 → 牙隹"),
    ("木各力 空调 1.5匹 变频 挂机", 11, "格力", "glyph_split", "格 → 木各"),
    ("区欠莱雅 复颜 玻尿酸 面霜", 3, "欧莱雅", "glyph_split", "欧 → 区欠"),
    ("舍予肤佳 香皂 纯白 清香", 3, "舒肤佳", "glyph_split", "舒 → 舍予"),
    ("日王旺 雪饼 仙贝 大礼包", 30, "旺旺", "glyph_split", "旺 → 日王 (one of two)"),
    ("鱼羊橙多 橙汁 饮料 450ml", 32, "鲜橙多", "glyph_split", "鲜 → 鱼羊"),
    ("牛寺步 运动鞋 女 透气 跑鞋", 25, "特步", "glyph_split", "特 → 牛寺"),
    ("耳关想 笔记本 电脑 14寸 轻薄", 9, "联想", "glyph_split", "联 → 耳关"),
    ("华石页 主板 B760 台式机", 9, "华硕", "glyph_split", "硕 → 石页"),
    ("好日寸 牛奶 巧克力 排块", 30, "好时", "glyph_split", "时 → 日寸"),
    ("百雀羊令 水嫩 精纯 面霜", 3, "百雀羚", "glyph_split", "羚 → 羊令"),
    ("火玄迈 无糖 口香糖 薄荷味", 30, "炫迈", "glyph_split", "炫 → 火玄"),
    ("奥女少 洗衣液 3kg 深层 洁净", 3, "奥妙", "glyph_split", "妙 → 女少"),
    ("古月姬花 古法 小榨 花生油 5L", 29, "胡姬花", "glyph_split", "胡 → 古月"),
    ("木土蕾斯 超薄 安全套 12只", 10, "杜蕾斯", "glyph_split", "杜 → 木土"),
    ("女子想你 红枣 新疆 灰枣 1kg", 29, "好想你", "glyph_split", "好 → 女子"),
    ("女尼维雅 男士 洗面奶 控油", 3, "妮维雅", "glyph_split", "妮 → 女尼"),
    ("女乔韵诗 双萃 精华 50ml", 3, "娇韵诗", "glyph_split", "娇 → 女乔"),
    ("女子来 牙膏 超白 140g", 3, "好来", "glyph_split", "好 → 女子"),
    ("木圭格 即食 燕麦片 1kg", 30, "桂格", "glyph_split", "桂 → 木圭"),
    ("牙隹培 菁智 奶粉 3段 900g", 29, "雅培", "glyph_split", "雅 → 牙隹"),
    ("木彡杉 西装 男 商务 正装", 25, "杉杉", "glyph_split", "杉 → 木彡 (one of two)"),
    ("酷脉 手机 全网通 大屏 老人机", 9, "酷派", "glyph_component", "派 → 脉"),
    ("派动 维生素 饮料 600ml 15瓶", 32, "脉动", "glyph_component", "脉 → 派"),
    ("恰恰 香瓜子 五香 308g", 30, "洽洽", "glyph_word", "洽 → 恰; 恰恰 is an ordinary word"),
    ("大神 花露水 驱蚊 195ml", 3, "六神", "glyph_word", "六 → 大; 大神 is an ordinary word"),
    ("舒服佳 沐浴露 1L 家庭装", 3, "舒肤佳", "glyph_word", "肤 → 服; 舒服 is an ordinary word"),
    ("香奈儿 同款 山茶花 发夹 发圈", 26, "香奈儿", "tongkuan", "well-known mark + 同款 on class 26"),
    ("爱马仕 同款 橙色 骨瓷 餐具 套装", 21, "爱马仕", "tongkuan", "well-known mark + 同款 on class 21"),
    ("茅台 同款 分酒器 玻璃 酒杯", 21, "茅台", "tongkuan", "well-known mark + 同款 on class 21"),
    ("希尔顿 酒店 同款 浴袍 纯棉", 25, "希尔顿", "tongkuan", "well-known hotel mark + 酒店同款 on class 25"),
    ("星巴克 同款 马克杯 陶瓷 咖啡杯", 21, "星巴克", "tongkuan", "well-known mark + 同款 on class 21"),
    ("路易威登 同款 老花 手机壳", 9, "路易威登", "tongkuan", "well-known mark + 同款 on class 9"),
    ("古驰 同款 珍珠 发箍", 26, "古驰", "tongkuan", "well-known mark + 同款 on class 26"),
    ("欧舒丹 酒店 同款 沐浴露 洗发水 旅行装", 3, "欧舒丹", "tongkuan", "class-3 amenity brand + 酒店同款, class 3"),
    ("祖玛珑 酒店 同款 香薰 洗手液", 3, "祖玛珑", "tongkuan", "class-3 amenity brand + 酒店同款, class 3"),
]
N = [  # (title, class, near mark, style, note)
    ("好吃 的 巧克力 夹心 饼干", 30, "好时", "negative_word", "好吃 (好时: 时 ~ 吃)"),
    ("桂林 米粉 干米粉 袋装", 30, "桂格", "negative_place", "桂林, a city (桂格: 格 ~ 林)"),
    ("桂花 糕 传统 糕点 礼盒", 30, "桂格", "negative_word", "桂花 osmanthus"),
    ("伊犁 马奶 酸奶 新疆 特产", 29, "伊利", "negative_place", "伊犁, a prefecture (利 + 牛 = 犁)"),
    ("温泉 浴盐 泡澡 磨砂 身体", 3, "温碧泉", "negative_word", "温泉 hot spring = 温碧泉 minus 碧"),
    ("好友 分享装 坚果 零食 大礼包", 30, "好丽友", "negative_word", "好友 friend = 好丽友 minus 丽"),
    ("鲜橙 果汁 NFC 100% 1L", 32, "鲜橙多", "negative_word", "鲜橙 fresh orange"),
    ("奇妙 泡泡 儿童 沐浴露", 3, "奥妙", "negative_word", "奇妙 wonderful (奇 ~ 奥)"),
    ("金币 巧克力 儿童 节日 散装", 30, "金帝", "negative_word", "金币 chocolate coins (币 ~ 帝)"),
    ("名人 同款 苏打水 无糖 24瓶", 32, "名仁", "negative_word", "名人同款 celebrity's pick (人 ~ 仁)"),
    ("卡萨布兰卡 风格 复古 吊灯 客厅", 11, "卡萨帝", "negative_place", "Casablanca (布 ~ 帝)"),
    ("德克萨斯 风味 烤肉 调料 腌料", 30, "德克士", "negative_place", "Texas"),
    ("蒙特利尔 冰球 队服 加拿大", 25, "蒙特娇", "negative_place", "Montreal"),
    ("奥克兰 羊毛 电热毯 双人", 11, "奥克斯", "negative_place", "Auckland"),
    ("波士顿 红袜 棒球服 外套", 25, "波司登", "negative_place", "Boston (士/司, 顿/登)"),
    ("徒步 登山鞋 防水 防滑 男", 25, "特步", "negative_word", "徒步 hiking (徒 ~ 特)"),
    ("胡麻油 亚麻籽油 冷榨 5L", 29, "胡姬花", "negative_word", "胡麻 flax"),
    ("日月潭 红茶 阿萨姆 台湾", 30, "明治", "negative_place", "日月潭 Sun Moon Lake (日月 = 明 split, 潭 ~ 治)"),
    ("旧金山 巨人 棒球 手机壳", 9, "金山", "negative_place", "San Francisco holds 金山 + one"),
    ("威尔士 柯基 宠物 香波 沐浴露", 3, "威露士", "negative_place", "Wales (威_士)"),
    ("金枪鱼 罐头 油浸 185g", 29, "金龙鱼", "negative_word", "金枪鱼 tuna"),
    ("老师傅 手工 挂面 1kg", 30, "康师傅", "negative_word", "老师傅 master craftsman"),
    ("酒店 同款 一次性 拖鞋 加厚", 25, "希尔顿", "negative_generic", "酒店同款 without a mark"),
    ("五星级 酒店 同款 洗发水 沐浴露", 3, "欧舒丹", "negative_generic", "酒店同款 without a mark, class 3"),
    ("网红 同款 吸管杯 大容量", 21, "星巴克", "negative_generic", "网红同款 without a mark"),
    ("明星 同款 墨镜 偏光 女", 9, "路易威登", "negative_generic", "明星同款 without a mark"),
    ("派对 饮料 果汁 桶装 聚会", 32, "脉动", "negative_word", "派对 party (派 ~ 脉)"),
    ("舒服 温和 洗发水 无硅油", 3, "舒肤佳", "negative_word", "舒服 comfortable (舒肤 homophone)"),
    ("华为 平板 MatePad 11", 9, "华硕", "negative_shared_char", "another brand sharing 华"),
    ("好莱坞 明星 同款 口红 哑光", 3, "好来", "negative_place", "Hollywood: 好莱 (莱 = 艹 + 来) + 坞"),
]


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/checks/trademark_zh24check.jsonl"
    rows = [{"record": "mark", "reg_no": REG[m], "mark": m, "owner": o, "nice_classes": c, "well_known": w}
            for m, o, c, w in M]
    for t, c, m, s, n in P:
        rows.append({"record": "listing", "title": t, "price": 39.0, "nice_classes": [c], "infringing": True,
                     "right": REG[m], "style": s, "note": n, "issue_class": 1})
    for t, c, m, s, n in N:
        rows.append({"record": "listing", "title": t, "price": 39.0, "nice_classes": [c], "infringing": False,
                     "right": None, "style": s, "note": n, "near": REG[m]})
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(M), "marks", len(P), "positives", len(N), "negatives")


if __name__ == "__main__":
    main()
