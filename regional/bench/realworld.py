"""Trademark accuracy on hand-built sets of real-world look-alikes and hard negatives (regional/data/eval/).

Two fixtures, both written by hand — not produced by the code under test:

- `trademark_independent.jsonl` (the independent set): 102 real Chinese and foreign marks
  (famous ones flagged well-known, 驰名商标) and ~200 listings in the knock-off patterns
  reported in the press and in court cases — glyph look-alikes with another sound (康帅傅,
  雷碧, 大白免, 周住牌), homophones, traditional forms, short Latin knock-offs (Adidos,
  Nkie, Pumma), sound-alike spellings (Filips, Kolgate, New Barlun), well-known marks on
  other goods — and hard negatives: the same word for other goods (小米 millet, Omega-3,
  Apple fruit), other brands that share a character (雪花, 华帝, 海信), English words near
  a mark (nice), and owners selling their own goods.
- `trademark_attack.jsonl` (the attack set): 32 Chinese and 35 Latin marks that appear in
  no other fixture, and 168 listings written after the engine was tuned and scored once
  before any change: 形近字 swaps with another sound in two- to four-character marks (光朋,
  汾洒, 稚戈尔), b/d o/a rn/m l/I/1 0/O in four- to seven-letter Latin marks (Bior, Herrnes,
  VlVO), ph/f c/s/k z/s spellings (Phendi, Krest, Azus), inserted or dropped letters, and
  hard negatives (洋酒 beside 洋河, 欧莱雅 beside 珀莱雅, Coach on a whistle, Olaplex).
- `trademark_attack2.jsonl` (the second attack set): 20 Chinese and 20 Latin marks in no
  other fixture and 105 listings, written after the fixes the first attack set led to and
  scored once before the next change (鲁化, 雀巣, 同仨堂, Kleanex, Filipp Plein, Dizney;
  negatives such as 公羊 gloves, 雀 巢穴 decorations, Milk candy, Sharp pencils).
- `trademark_attack3.jsonl` (the third attack set): 40 Chinese and 35 Latin marks in no
  other fixture and 195 listings, written before the component and
  ordinary-English-word work and scored once before any change: 形近字 pairs that share one
  component (动酒, 恰宝, 飞鹄, 奥沙, 白描, 两面计), katakana カ for 力, rn/m, l/I, 0/O and
  dropped or doubled letters in Latin marks, well-known marks on other goods, and hard
  negatives: the same word on other goods (白云山 tickets, 两面针织衫, 步步高升 plants),
  other brands sharing characters (郁美净 beside 美加净, 雷神, 双塔) and ordinary English
  words one letter from short marks in the same class (Bell / DELL, Beast / BEATS,
  Guest / GUESS, Idea / IKEA).
- `trademark_attack4.jsonl` (the fourth attack set, session 13): 31 Chinese and 25 Latin marks in no
  other fixture and 138 listings, written by the lead without looking at the glyph tables and scored once
  before any change (first run on bdc1e68: recall 0.920, glyph 0.822, FPR 0.040): 形近字 swaps sharing only
  a radical or a frame (金锅, 君乐室, 富妥娜, 欧泒, 立那, 全反), homophones (萝莱, 仁禾, 三颗树), traditional
  forms (青島, 東鵬特飲), rn/m, 0/O, l/I, d/b and doubled or dropped letters (Turni, G0PRO, BARDIE, GOPROO),
  sound-alikes (RALF LAUREN, BALENSIAGA, MONTBLANK), a well-known mark on clothing, and hard negatives
  (修正带 correction tape, 佳能 beside 康佳, MARS beside NARS, Valentine cards, 红豆 red beans).
- `trademark_attack6.jsonl` (the sixth attack set, session 14): 42 Chinese and 46 Latin marks and 183 listings,
  written by attack14 without reading the detection code, the glyph tables or the other sets, committed before
  its first run and scored once (main 84f5d1f: recall 0.904, FPR 0.101): 形近字 swaps (艮品铺子, 芧台, 爿仔癀,
  海澜之冢), homophones, traditional forms, inserted or reordered characters (格之力, 鸿尔星克), pinyin (WAHAHA),
  rn/m vv/w cl/d 0/O l/I in short Latin marks (PURNA, SVVATCH, clyson), sound-alikes and spacing in long ones
  (TIPHANY, JOHNNY WALKER, STAR BUCKS, RAYBAN), and hard negatives: well-known marks inside ordinary words
  (完美的, 伊利诺伊, 九阳神功, 金龙鱼 arowana), other brands in the same class (美菱, 九牧, Lancaster), English
  words one letter from a mark (Cassia, Filo, Pepsin). Each case carries `issue_class` (1, 2, 3 of issue 11).
- `trademark_attack7.jsonl` (the seventh set, session 14): 51 marks registered in no other set and 66 listings
  whose look-alikes occur in no other set, written by attack14 at 11:18 and kept from the engineer fixing the sixth
  set's causes until 12:35, then scored once on main and on that branch: 形近字 swaps (五各道场, 南极入, 六心居,
  富贵乌, 百两), IVVC, TVVIX, M0BIL, MOSKINO, SEEGATE, and negatives such as 舍得 on a book, 酒鬼花生, Intelligent
  locks beside INTEL, Epsom salt beside EPSON.
- `trademark_attack8.jsonl` (the eighth set, session 15): 105 less famous marks registered in no other set — 老字号
  (狗不理, 张小泉, 五芳斋, 荣宝斋), regional brands (大窑, 冰峰, 崂山, 衡水老白干), agricultural geographic indications
  (五常大米, 阳澄湖大闸蟹, 西湖龙井) and mid-size foreign brands (ECCO, HOKA, STAUB, LE CREUSET, CETAPHIL) — and 254
  listings written by heldout15 without reading the detection code, committed before their first run (a tuning set
  since session 16, below): 形近字 swaps,
  homophones, traditional forms, inserted or reordered characters, pinyin, look-alike letters (a Cyrillic Е among
  them), sound-alikes, spacing, brand + 同款/平替 on the same goods; hard negatives: the mark as an ordinary word, place
  or title (五星红旗, 稻花香 rice, 崂山绿茶, Lotus paste, Aesop's Fables), other genuine brands or geographic
  indications sharing characters (同济堂, 秭归脐橙, 老白干香型), licensed resellers, 适用于/配件 compatibility wording.
- `trademark_attack9.jsonl` (the ninth set, session 16): 115 marks registered in no other set (checked by grep against
  every other fixture) — mid-tier consumer brands (劲仔, 盐津铺子, 自嗨锅, 百岁山, 花西子, 薇诺娜, 北鼎, 摩飞, 巴拉巴拉,
  全棉时代, 帮宝适, 以岭), provincial 老字号 (桂发祥, 耳朵眼, 东来顺, 张一元, 楼外楼, 火宫殿, 陈李济, 瑞蚨祥, 亨得利,
  红双喜) and foreign fashion, outdoor, tool and accessory brands (ARC'TERYX, CARHARTT, LONGCHAMP, HELINOX, SNOW PEAK,
  MAKITA, DEWALT, KNIPEX, FLUKE, UGREEN, SPIGEN, JABRA, SULWHASOO); 11 flagged well-known — and 280 listings written
  by heldout16 without reading the detection code or the other sets, committed before their first run: 形近字 swaps
  with another sound, homophones, traditional forms, inserted/dropped/reordered/split characters, pinyin (one word and
  split), rn/m vv/w cl/d 0/O l/I 8/B and Cyrillic/Greek homoglyphs, doubled and swapped letters, sound-alikes,
  spacing and hyphens, brand + 同款/平替; 96 hard negatives: the mark as an ordinary word, place, person or title
  (太极拳, 蝴蝶结, 好奇心, 红双喜 wedding stickers, Kipling, Milwaukee Bucks, Deuteronomy), other genuine brands sharing a
  name or characters (海鸥 cameras, Intel 奔腾, 亨达利, 孔府宴, Brooks Brothers, Gerber baby food), English words one
  letter from a mark in its class (Mage, Marine, Hilt, Felix, Sophie), owners' own listings, 适用于/配件 wording and
  generic product names (自热火锅). A tuning set since session 17 (below).
- `trademark_attack10.jsonl` (the tenth set, session 18): 145 marks registered in no other set (14 flagged well-known)
  — tea-drink and restaurant chains (蜜雪冰城, 喜茶, 霸王茶姬, 茶颜悦色, 瑞幸, 海底捞, 塔斯汀), daily chemicals and
  cosmetics (汰渍, 滴露, 佳洁士, 完美日记, 御泥坊), appliances, furniture, bedding, jewellery, e-bikes (小熊, 科沃斯,
  慕思, 喜临门, 梦洁, 周生生, 周六福, 台铃), 老字号 (王麻子, 陶陶居, 莲香楼, 皇上皇, 月盛斋) and foreign marks of bags,
  watches, instruments, tools, tyres, cameras and cosmetics (GOYARD, BALLY, RADO, MIDO, KAWAI, IBANEZ, STIHL, FUJIFILM,
  TOSHIBA, BRIDGESTONE, GUERLAIN, FANCL, HYDRO FLASK) — and 282 listings written by heldout18 without reading the
  detection code or the other sets' items, committed before their one run: 182 look-alikes (issue classes 1 / 2 / 3:
  57 / 35 / 34; homophones, traditional forms, well-known marks on other goods, inserted, dropped and reordered
  characters, pinyin, spacing, 同款/平替) and 100 hard negatives (ordinary words, places, titles and people on other goods:
  猴子 海底捞月 绘本, 喜临门 春联, 周六福利, 慕斯 蛋糕, Mulberry Silk, Castor Oil; English words one letter from a short
  mark in its class: Belly, Babe, Fancy, Kawaii, Espresso; other genuine brands: 周大福, 芝华士, 多力多滋, Polaroid,
  Mielle; owners, resellers, 适用/兼容 wording, generic names). Sealed: scored once, docs/benchmarks.md "Issue 11,
  session 18 (heldout18)".
- `trademark_attack11.jsonl` (the eleventh set, session 19): 154 marks registered in no other set (15 flagged
  well-known) — medicines (白加黑, 芬必得, 金嗓子, 扬子江), liquor, beer and yellow wine (董酒, 双沟, 古越龙山, 乌苏),
  tobacco (芙蓉王, 黄鹤楼), dairy, snacks and tea (三元, 简爱, 认养一头牛, 鲍师傅, 小罐茶), appliances, furniture,
  pianos and paints (大金, 曲美, 珠江, 星海, 多乐士), clothing, cosmetics and jewellery (江南布衣, 梦特娇, 沙宣, 欧舒丹,
  雅诗兰黛, 菜百), cars and e-bikes (宝马, 奔驰, 比亚迪, 新日, 绿源), couriers, hotels and apps (顺丰, 圆通, 抖音, 微信)
  and foreign fashion, watch, car, toy, food, drink, drug and instrument marks (BOTTEGA VENETA, PATEK PHILIPPE,
  TESLA, VOLVO, BANDAI, NERF, POCKY, LOTTE, CORONA, HENNESSY, TYLENOL, STEINWAY) — and 290 listings written by
  heldout19t without reading the detection code or the other sets' items, committed before their one run: 186
  look-alikes (issue classes 1 / 2 / 3: 58 / 36 / 40; homophones, traditional forms, pinyin, split and mixed-script
  marks, inserted and reordered characters, 官方/旗舰 claims, 高仿/原单/复刻 wording, 山寨 extensions, 同款, well-known
  marks on other goods) and 104 hard negatives (ordinary words on other or the same goods: 三元 = three yuan, 简爱 the
  novel, 八骏奔驰, 樱花灯, 莲花酥, 顺丰包邮, 抖音同款; English words near a short mark in its class: Latte, Motto,
  Nerd, Lily, Rocky, Deluxe, Contact, Tesla Coil; other genuine or coexisting brands: 宝骏, 比亚乔, 竹叶青酒, 珠江啤酒,
  S.T. Dupont, Hollister ostomy bags; owners, resellers, 适用/兼容 wording, generic drug names).

- `trademark_attack12.jsonl` (the twelfth set, session 20): 168 marks registered in no other set (15 flagged
  well-known) — tea, liquor, beer, snacks, condiments, dairy and drugs (大益, 毛铺, 钓鱼台, 雪津, 德庄, 天润, 三精, 海王),
  tobacco (玉溪, 红塔山, 利群), kitchen and sanitary appliances, phones, PC parts and cameras (双立人, 恒洁, 微星, 七彩虹,
  萤石, 闪迪), textiles, clothing, shoes and cosmetics (多喜爱, 高梵, 伯希和, 橘朵, 林清轩), cars, motorcycles and their
  makers' Chinese marks (东风, 哈弗, 极氪, 问界, 钱江, 春风), platforms, couriers, hotels and restaurant chains (淘宝, 拼多多,
  支付宝, 申通, 如家, 维也纳, 肯德基, 九毛九, 茶百道) and foreign car, watch, pen, audio, food, drink, spirits, drug, toy, bike
  and tool marks (FORD, SKODA, ZENITH, PARKER, DENON, MEIJI, ASAHI, MACALLAN, PANADOL, JELLYCAT, SHIMANO, WAHL) — and 279
  listings written by heldout20t without reading the detection code or the other sets' items, committed before their one
  run: 178 look-alikes (issue classes 1 / 2 / 3: 55 / 35 / 35; homophones, traditional forms, pinyin, split and
  mixed-script marks, inserted and reordered characters, 官方/旗舰 claims, 高仿/原单/复刻/A货 wording, 同款, well-known
  marks on other goods) and 101 hard negatives (ordinary words, idioms, places, people and titles: 春风十里, 哪吒闹海,
  维也纳香肠, 快手菜, 海王星, 钓鱼台钓竿, 伯希和 the sinologist; English words near a short mark: Fork, Seat Cover, Marker,
  Saga, Sole, Demon, Costa Rica, Caterpillar; other genuine or coexisting brands: 金佰利, 中通客车, 桂林三金, 哈佛, Kirin
  chips, Sailor Moon; owners, resellers, 适用/适配 wording, generic names: 派克服, 卡宾枪, 对乙酰氨基酚).
- `trademark_attack13.jsonl` (the thirteenth set, session 21): 207 marks registered in no other set (12 flagged
  well-known; 158 with a look-alike, the others stand beside its hard negatives) — cosmetics, drugs, PC parts,
  appliances, cars and motorcycles, watches, stationery, shoes, food, drink, liquor, tea, tobacco, couriers and
  restaurants, and foreign car, tyre, toy, sports, coffee, tea, cosmetics, drug, pet-food, spirits and pen marks — and
  297 listings written by heldout21t without reading the detection code or the other sets' items, committed before
  their one run: 187 look-alikes (issue classes 1 / 2 / 3: 44 / 44 / 44, plus homophones, traditional forms, pinyin,
  mixed script, split/inserted/reordered characters, spaced Latin letters, 复刻/原单/高仿/超A/尾单 wording, 官方/专柜
  claims by ordinary shops, 原厂 badges and parts, well-known marks on other goods, hotel 同款) and 110 hard negatives
  (ordinary words, idioms, places, people and titles near or inside a mark; other genuine brands sharing a character
  or word; owners, authorised resellers, 适用/兼容 wording, generic drug and goods names). Sealed until its one run.
- `trademark_attack14.jsonl` (the fourteenth set, session 22): 215 marks registered in no other set (10 flagged
  well-known; 177 with a look-alike, the others stand beside its hard negatives) — cosmetics, drugs, PC parts and
  audio, appliances, building materials, paints and pipes, cars, tyres, motorcycles and bicycles, watches, stationery,
  clothing and shoes, food, drink, beer, liquor, tea, tobacco, hotels and restaurants, cartoons — and 331 listings
  written by heldout22t without reading the detection code or the other sets' items, committed before their one run:
  195 look-alikes (issue classes 1 / 2 / 3: 47 / 47 / 47, plus homophones, traditional forms, pinyin, mixed script,
  split/inserted/reordered characters, spacing, 复刻/精仿/高仿/A货/原单 wording, 官方/授权 claims by ordinary shops, 原厂/原装
  parts, well-known marks on other goods, hotel 同款) and 136 hard negatives, 80 of them in a goods class of the mark
  they are near (other genuine brands one character or letter off or sharing a character: 蕉内, 北大荒, 文君, HADA LABO,
  TOYOTA; ordinary words on the mark's goods: 丘比特 chocolate, 茶农, 自家, 白雪公主, savon, curl; the Margaux appellation;
  owners, authorised resellers, 适用/兼容 wording, generic drug names) and the rest words, places and people on other
  goods. Sealed until its one run.
- `trademark_attack15.jsonl` (the fifteenth set, session 23): 193 marks registered in no other set (5 flagged
  well-known; 153 with a look-alike, the others stand beside its hard negatives) — baby goods, pet food and pet drugs,
  outdoor gear, kitchenware and tableware, OTC drugs, phone accessories, toys, regional foods and sauces, chocolate and
  pasta, luxury leather, sportswear from Asia and Europe — and 339 listings written by heldout23t without reading the
  detection code or the other sets' items, committed before their one run: 187 look-alikes (issue classes 1 / 2 / 3:
  47 / 47 / 47, plus homophones, traditional forms, pinyin, mixed script, split/inserted/reordered characters,
  spacing, 复刻/精仿/高仿/A货/原单 wording, 官方/授权 claims by ordinary shops, 原装 parts, well-known marks on other
  goods, 同款) and 152 hard negatives, each with `near`, 128 of them in a goods class of the mark they are near (other
  genuine brands sharing a character or letters: 润百颜, 蒙牛, 迪卡侬, GUNDAM, NUK; ordinary words on the mark's goods:
  英式 tea, 皮炎 cream, 排骨, 珊瑚钙, chic, shape, furry; owners, authorised resellers, 适用/兼容 wording, generic drug
  and goods names) and the rest words, places and people on other goods. Sealed until its one run.
- `trademark_attack16.jsonl` (the sixteenth set, session 24): 211 marks registered in no other set (7 flagged
  well-known; 163 with a look-alike, the others stand beside its hard negatives) — tea (天福, 正山堂, 中吉号, DILMAH),
  medical devices (欧姆龙, 三诺, 迈瑞, 九安, OMRON, RESMED, ACCU-CHEK, LITTMANN), lesser-known cosmetics (至本, 溪木源,
  酵色, 逐本, TATCHA, CAUDALIE, DRUNK ELEPHANT), office chairs, furniture and mattresses (西昊, 永艺, 左右, 联邦, 舒达,
  席梦思, SIHOO, SEALY, TEMPUR, VITRA, NATUZZI), power and hand tools (东成, 锐奇, 威克士, 牧田, HIKOKI, WORX, FEIN,
  GEDORE, GREENWORKS, EINHELL, CRAFTSMAN), bicycles and e-bikes (喜德盛, 大行, 速珂, MERIDA), eyewear and lenses (暴龙,
  陌森, 依视路, 明月, 蔡司, PERSOL, ZEISS, HOYA, SILHOUETTE, LINDBERG), mid-tier watches and jewellery (依波, 铁达时,
  梅花, 天梭, 浪琴, 精工, 金大福, 曼卡龙, DOXA, ENICAR, JUNGHANS, MONDAINE, MIKIMOTO), musical instruments and audio
  (红棉, 美得理, 雅马哈, 卡马, 施坦威, TAYLOR, KEPMA, TAMA, PAISTE, ZILDJIAN, D'ADDARIO, EPIPHONE, GRETSCH, RODE,
  FOCUSRITE, NEUMANN), stationery (斑马, 雄狮, 马可, KOKUYO, SAKURA, TOMBOW, ROTRING, PLATINUM, WATERMAN, LEUCHTTURM),
  tyres, batteries, oils, filters and brakes (玲珑, 米其林, 固特异, 嘉实多, 壳牌, 曼牌, 电装, VARTA, MAHLE, BREMBO,
  MOTUL, BILSTEIN), regional liquors and foreign spirits (玉冰烧, 石湾, 劲牌, 内参, 枝江, LILLET, APEROL, NIKKA,
  DASSAI, DISARONNO, SUNTORY) and appliances and electricals (惠而浦, 日立, DREAME, OPPLE, CHINT, KENWOOD, ROBOROCK,
  WHIRLPOOL) — and 378 listings written by heldout24t without reading the detection code or the other sets' items,
  committed alone before their one run (7ab3875, sha256 0a671ee0…): 194 look-alikes (issue classes 1 / 2 / 3:
  50 / 50 / 50, plus homophones, traditional forms, pinyin, mixed script, split/inserted/reordered characters,
  spacing, 复刻/高仿/精仿 wording, 官方/授权 claims by ordinary shops, 原厂/原装 parts, well-known marks on other goods,
  同款) and 184 hard negatives, each with `near`, 113 of them in a goods class of the mark they are near (ordinary
  words and idioms on the mark's goods: 左右对称 bedside tables, 小巧玲珑 bicycles, 精工细作 bracelets, 梅花 brooches,
  斑马纹 notebooks, MAPLE necks, FINE sandpaper, MATCHA masks; other genuine brands sharing characters or letters:
  天方, 瑞迈特, 石库门, 河套王, 人参酒 beside 内参; the genericised 席梦思 and 联邦椅; owners, authorised resellers,
  适用/兼容 wording, generic goods names) and the rest words, places, people and titles on other goods (澜沧江,
  雄狮少年, 马可波罗游记, Tamagotchi, Bering Sea, TEMPURA). Scored once on main df40f22 (recall 0.9227, FPR 0.087,
  alerts per listing 0.521; issue classes 0.98 / 0.98 / 0.86).

- Session 19: the eleventh set is a **tuning set** now (scored once by heldout19t on main 0d7f064: recall 0.9086, FPR
  0.115; acc19 read it after that run): a glossed English word that spells the whole mark out (ABSOLUTE 绝对 伏特加)
  and generic goods names beside a look-alike mark (黄酒 beside 董酒) came from it (docs/benchmarks.md, "Issue 11,
  session 19 (acc19)"); carry-over is measured on a set written after that.
- Session 18: the tenth set is a **tuning set** now — its false leads (main 80d29e9: recall 0.9615, FPR 0.110) were
  read to find general causes (English words one edit from a short Latin mark that do not sound like it, a larger
  English word list; four-character phrases, idioms and titles; marks crossed by the title's ordinary words; another
  registered mark written exactly and a longer mark over the same span; well-known marks that are idioms;
  docs/benchmarks.md, "Issue 11, session 18 (acc18)"); carry-over is measured on a set written after that.
- Session 17: the ninth set is a **tuning set** now — its misses and false leads (main c15c6e9: recall 0.924, FPR
  0.083) were read to find general causes (characters inserted inside marks of three or more characters, one-word
  Latin marks written in parts, 8/B and au/o, the trade's words for copies, one radical for another around the same
  phonetic part, two-character marks inside longer words or across two title words; docs/benchmarks.md, "Issue 11,
  session 17 (acc17)"); carry-over is measured on a set written after that.
- Session 16: the eighth set is a **tuning set** now — its misses and false leads (main 630ac35: recall 0.912, FPR
  0.155) were read to find general causes (knock-off references 同款/平替, compatibility wording, place names and
  subjects of printed matter on other goods, marks inside longer phrases, cross-class protection of well-known marks
  only, pinyin in parts; docs/benchmarks.md, "Issue 11, session 16 (tm16acc)"); carry-over is measured on a set written
  after that.
- Session 15: the sixth and seventh sets are **tuning sets** now — their misses and false leads were read to find
  general causes (well-known ordinary words, inserted and swapped characters, spacing, pinyin; docs/benchmarks.md,
  "Issue 11, session 15 (tm15)"); carry-over is measured on sets written after that.
- `realworld_lookalikes.jsonl`: the first, smaller fixture (kept for comparison).

The registry numbers are placeholders. Each case names the right it infringes (or none),
its style and a note on its source. `evaluate()` reports per style: cases, hits, false
leads; overall: recall, precision, false-positive rate (negative listings with any lead)
and alerts per listing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from regional.domain import LeadFinding, LeadType, Listing, Right, RightKind, Seller

INDEPENDENT = "data/eval/trademark_independent.jsonl"
ATTACK = "data/eval/trademark_attack.jsonl"
ATTACK2 = "data/eval/trademark_attack2.jsonl"
ATTACK3 = "data/eval/trademark_attack3.jsonl"
ATTACK4 = "data/eval/trademark_attack4.jsonl"
ATTACK6 = "data/eval/trademark_attack6.jsonl"
ATTACK7 = "data/eval/trademark_attack7.jsonl"
ATTACK8 = "data/eval/trademark_attack8.jsonl"
ATTACK9 = "data/eval/trademark_attack9.jsonl"
ATTACK10 = "data/eval/trademark_attack10.jsonl"
ATTACK11 = "data/eval/trademark_attack11.jsonl"
ATTACK12 = "data/eval/trademark_attack12.jsonl"
ATTACK13 = "data/eval/trademark_attack13.jsonl"
ATTACK14 = "data/eval/trademark_attack14.jsonl"
ATTACK15 = "data/eval/trademark_attack15.jsonl"
ATTACK16 = "data/eval/trademark_attack16.jsonl"
FIXTURE = "data/eval/realworld_lookalikes.jsonl"
_SHOP = "某某百货商行"


def load(fixture: str | Path = FIXTURE) -> tuple[list[Right], list[dict[str, Any]]]:
    """A fixture's marks (as rights) and its cases: a path inside the `regional` package, or a Path of a file in the
    fixture format elsewhere (a blind check of tests/checks)."""
    rights: list[Right] = []
    cases: list[dict[str, Any]] = []
    if isinstance(fixture, Path):
        text = fixture.read_text(encoding="utf-8")
    else:
        text = resources.files("regional").joinpath(fixture).read_text(encoding="utf-8")
    for line in text.splitlines():
        record = json.loads(line)
        if record["record"] == "mark":
            rights.append(Right(RightKind.TRADEMARK, record["reg_no"], record["mark"], record["owner"], "registered",
                                tuple(record["nice_classes"]), well_known=bool(record.get("well_known"))))
        else:
            cases.append(record)
    return rights, cases


def listings_of(cases: Sequence[dict[str, Any]], prefix: str = "rw") -> list[Listing]:
    """One listing per case (sold by an ordinary shop unless the case names the seller)."""
    return [Listing(id=f"{prefix}-{k}", title=c["title"], nice_classes=tuple(c["nice_classes"]),
                    seller=Seller(name=c.get("seller") or _SHOP), price=c.get("price"))
            for k, c in enumerate(cases)]


def score_cases(cases: Sequence[dict[str, Any]], listings: Sequence[Listing],
                found: Iterable[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Per-style and overall figures of a set of (listing_id, right) leads against the cases."""
    leads: dict[str, set[str]] = defaultdict(set)
    for lid, right in found:
        leads[lid].add(right)
    by_style: dict[str, dict[str, float]] = defaultdict(lambda: {"cases": 0, "hits": 0, "false_leads": 0})
    negatives_flagged = 0
    negatives = 0
    misses: list[str] = []
    for listing, case in zip(listings, cases, strict=True):
        stats = by_style[case["style"]]
        stats["cases"] += 1
        got = leads.get(listing.id, set())
        if case["infringing"]:
            hit = case["right"] in got
            stats["hits"] += int(hit)
            if not hit:
                misses.append(case["title"])
            stats["false_leads"] += len(got - {case["right"]})
        else:
            negatives += 1
            negatives_flagged += int(bool(got))
            stats["false_leads"] += len(got)
    positives = sum(1 for c in cases if c["infringing"])
    hits = sum(int(s["hits"]) for s in by_style.values())
    false = sum(int(s["false_leads"]) for s in by_style.values())
    alerts = sum(len(v) for v in leads.values())
    out: dict[str, dict[str, Any]] = {
        style: {**s, "recall": round(s["hits"] / s["cases"], 4)} if not style.startswith("negative")
        else dict(s) for style, s in sorted(by_style.items())}
    out["all"] = {"cases": len(cases), "positives": positives, "negatives": negatives, "hits": hits,
                  "false_leads": false, "recall": round(hits / max(1, positives), 4),
                  "precision": round(hits / max(1, hits + false), 4),
                  "fpr": round(negatives_flagged / max(1, negatives), 4),
                  "alerts_per_listing": round(alerts / max(1, len(cases)), 4), "misses": misses}
    return out


def leads(fixture: str | Path = INDEPENDENT,
          detector: Callable[[list[Right], list[Listing]], list[LeadFinding]] | None = None
          ) -> tuple[list[dict[str, Any]], list[Listing], set[tuple[str, str]]]:
    """A fixture's cases, their listings and the engine's (or `detector`'s) trademark leads on them."""
    rights, cases = load(fixture)
    listings = listings_of(cases)
    if detector is None:
        from regional.detection.engine import Engine

        findings = Engine(rights, []).run(listings).findings
    else:
        findings = detector(rights, listings)
    return cases, listings, {(f.listing_id, f.right) for f in findings if f.type == LeadType.TRADEMARK}


def evaluate(fixture: str = INDEPENDENT,
             detector: Callable[[list[Right], list[Listing]], list[LeadFinding]] | None = None
             ) -> dict[str, dict[str, Any]]:
    """Per-style and overall figures of the engine's trademark leads (or of `detector`'s) on a fixture."""
    return score_cases(*leads(fixture, detector))


def by_issue_class(cases: Sequence[dict[str, Any]], listings: Sequence[Listing],
                   found: Iterable[tuple[str, str]]) -> dict[int, dict[str, float]]:
    """Recall per issue-11 class (1 glyph, 2 short Latin, 3 long Latin) of the positives that carry `issue_class`."""
    pairs = set(found)
    out: dict[int, dict[str, float]] = {}
    for listing, case in zip(listings, cases, strict=True):
        if case["infringing"] and case.get("issue_class"):
            stats = out.setdefault(int(case["issue_class"]), {"cases": 0, "hits": 0})
            stats["cases"] += 1
            stats["hits"] += int((listing.id, case["right"]) in pairs)
    return {k: {**v, "recall": round(v["hits"] / v["cases"], 4)} for k, v in sorted(out.items())}


if __name__ == "__main__":
    for name in (INDEPENDENT, ATTACK, ATTACK2, ATTACK3, ATTACK4, ATTACK6, ATTACK7, ATTACK8, ATTACK9, ATTACK10,
                 ATTACK11, ATTACK12, ATTACK13, ATTACK14, ATTACK15, ATTACK16, FIXTURE):
        print(name)
        run = leads(name)
        for style, stats in score_cases(*run).items():
            print(" ", style, stats)
        for issue_class, stats in by_issue_class(*run).items():
            print("  issue class", issue_class, stats)
