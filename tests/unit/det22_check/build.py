"""det22's own small blind check (issue 12 is speed; this checks that detection results do not move): Chinese and
Latin marks with look-alike, traditional, spaced, pinyin and letter-swap uses, and hard negatives. Written from memory
at ~16:35 UTC before any change to the detection code, not run before it was committed; scored on main and on the
branch (leads must be identical)."""
import json
import sys

M = [  # (mark, owner, classes)
    ("金龙鱼", "益海嘉里金龙鱼粮油食品股份有限公司", [29, 30]), ("六个核桃", "河北养元智汇饮品股份有限公司", [32]),
    ("老干妈", "贵阳南明老干妈风味食品有限责任公司", [30]), ("蓝月亮", "蓝月亮（中国）有限公司", [3]),
    ("洽洽", "洽洽食品股份有限公司", [29, 30]), ("回力", "上海回力鞋业有限公司", [25]),
    ("飞鹤", "黑龙江飞鹤乳业有限公司", [5, 29]), ("百雀羚", "上海百雀羚日用化学有限公司", [3]),
    ("九阳", "九阳股份有限公司", [7, 11]), ("苏泊尔", "浙江苏泊尔股份有限公司", [8, 21]),
    ("TEFAL", "SEB S.A.", [8, 11, 21]), ("BRITA", "BRITA SE", [11, 21]), ("ZWILLING", "Zwilling J.A. Henckels AG", [8, 21]),
    ("MOLESKINE", "Moleskine S.r.l.", [16]), ("OSPREY", "Osprey Packs, Inc.", [18]), ("THERMOS", "Thermos K.K.", [21]),
    ("NALGENE", "Thermo Fisher Scientific Inc.", [21]), ("STAEDTLER", "STAEDTLER Mars GmbH & Co. KG", [16]),
]
L = [  # (mark or None, title, price, class, infringing, style, note, seller)
    ("金龙鱼", "金龍魚 黄金比例 食用调和油 5L", 29.9, 29, True, "traditional", "龍魚 traditional", None),
    ("金龙鱼", "全龙鱼 葵花籽油 5L 家用", 25.0, 29, True, "lookalike", "金 → 全", None),
    ("六个核桃", "六个核桃 核桃乳 240ml*20 特价", 19.9, 32, True, "exact_cheap", "exact, low price", None),
    ("六个核桃", "六个核桄 植物蛋白饮料 整箱", 22.0, 32, True, "lookalike", "桃 → 桄", None),
    ("老干妈", "老干 妈 风味豆豉 油辣椒 280g", 6.5, 30, True, "spaced", "spaces inside", None),
    ("老干妈", "laoganma 辣椒酱 香辣 210g", 7.9, 30, True, "pinyin", "whole pinyin", None),
    ("蓝月亮", "蓝月壳 洗衣液 深层洁净 3kg", 19.9, 3, True, "lookalike", "亮 → 壳", None),
    ("洽洽", "恰恰 香瓜子 五香 308g", 8.9, 29, True, "lookalike", "洽 → 恰", None),
    ("回力", "回カ 帆布鞋 男 女 经典 高帮", 39.0, 25, True, "lookalike", "力 → katakana カ", None),
    ("飞鹤", "飛鶴 婴儿配方奶粉 3段 700g", 99.0, 29, True, "traditional", "飛鶴 traditional", None),
    ("百雀羚", "百雀玲 草本 水乳 套装 补水", 39.0, 3, True, "lookalike", "羚 → 玲", None),
    ("九阳", "九阳 豆浆机 家用 破壁 免滤 特价", 99.0, 7, True, "exact_cheap", "exact, cheap", None),
    ("苏泊尔", "苏伯尔 不粘锅 炒锅 32cm", 39.0, 21, True, "lookalike", "泊 → 伯", None),
    ("TEFAL", "TEFALL 不粘 煎锅 28cm", 49.0, 21, True, "latin_edit", "L doubled", None),
    ("BRITA", "BRlTA 滤水壶 家用 净水 3.5L", 39.0, 21, True, "latin_glyph", "I → l", None),
    ("ZWILLING", "ZWILING 双立人 风格 刀具 套装 7件", 69.0, 8, True, "latin_edit", "LL → L", None),
    ("MOLESKINE", "M0LESKINE 经典 笔记本 硬面 A5", 29.0, 16, True, "latin_glyph", "O → 0", None),
    ("OSPREY", "OSPRAY 登山包 户外 48L", 159.0, 18, True, "latin_sound", "EY → AY", None),
    ("THERMOS", "THERMOSS 保温杯 不锈钢 500ml", 39.0, 21, True, "latin_edit", "S doubled", None),
    ("NALGENE", "NALGEEN 运动 水杯 1L 户外", 29.0, 21, True, "latin_sound", "-ENE → -EEN", None),
    ("STAEDTLER", "STAEDLER 绘图 铅笔 2B 12支", 9.9, 16, True, "latin_edit", "T left out", None),
    (None, "金鱼 观赏鱼 活体 小型 草金", 15.0, 31, False, "negative_word", "goldfish, not 金龙鱼", None),
    (None, "核桃 新疆 纸皮 2斤 薄壳", 29.9, 29, False, "negative_word", "walnuts (六个核桃)", None),
    (None, "蓝色月亮 夜灯 卧室 儿童 床头", 19.9, 11, False, "negative_word", "blue moon lamp (蓝月亮)", None),
    (None, "洽谈桌 办公 会议桌 小型", 299.0, 20, False, "negative_word", "negotiation table (洽洽)", None),
    (None, "回力标 飞盘 户外 儿童 玩具", 19.9, 28, False, "negative_word", "boomerang-ish (回力)", None),
    (None, "仙鹤 摆件 新中式 客厅 装饰", 89.0, 20, False, "negative_word", "crane ornament (飞鹤)", None),
    (None, "九阳神功 武侠 小说 全集", 59.0, 16, False, "negative_other_goods", "novel title (九阳, 7/11)", None),
    ("苏泊尔", "苏泊尔 电饭煲 4L 家用 智能", 299.0, 21, False, "negative_owner", "owner's own shop", "浙江苏泊尔股份有限公司"),
    (None, "Thermostat 温控器 地暖 智能 WiFi", 129.0, 9, False, "negative_english", "thermostat (THERMOS)", None),
    (None, "Osprey 鱼鹰 科普 图鉴 精装", 49.0, 16, False, "negative_other_goods", "osprey bird book (OSPREY, 18)", None),
    (None, "Britain 英国 旅游 地图 折叠", 15.0, 16, False, "negative_english", "Britain (BRITA)", None),
    (None, "moleskin 鼹鼠皮 布料 裤子 男", 129.0, 25, False, "negative_english", "moleskin cloth (MOLESKINE, 16)", None),
    (None, "Tefal 风格 挂钩 免打孔 浴室", 9.9, 20, False, "negative_other_goods", "TEFAL on hooks, class 20", None),
    (None, "保温杯 不锈钢 500ml 学生 简约", 25.0, 21, False, "negative_generic", "plain thermos, no mark", None),
]
out = []
reg = {}
for k, (mark, owner, classes) in enumerate(M, 1):
    reg[mark] = f"TM-D22-{k:03d}"
    out.append({"record": "mark", "reg_no": reg[mark], "mark": mark, "owner": owner, "nice_classes": classes,
                "well_known": False})
for mark, title, price, cls, bad, style, note, seller in L:
    rec = {"record": "listing", "title": title, "price": price, "nice_classes": [cls], "infringing": bad,
           "right": reg[mark] if (bad and mark) else None, "style": style, "note": note}
    if seller:
        rec["seller"] = seller
    out.append(rec)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for rec in out:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
