"""Writes tests/checks/dedup24c_blind.jsonl: dedup24c's hand-written blind dedup check (session 24).

Written by hand from real-world Chinese naming of shops and firms, before any session-24c code change and without
running the resolver on it (credit codes' check characters computed per GB 32100). Each line:
{"id", "name", "uscc"?, "phone"?, "address"?, "entity"} — "entity" is the truth.
Score: `python -m national.bench.dedup22_blind tests/checks/dedup24c_blind.jsonl`.
Classes: (1) two firms sharing a trade name (字号) that sell unrelated goods, written as 字号 + goods (山岚风筝 /
山岚床垫): namesakes, not one seller; (2) one firm registered under a broad trade (食品, 户外用品, 农产品) whose shops
name its goods (腊味, 帐篷, 蜂蜜): one seller.
"""
from __future__ import annotations

from national.bench.blind_records import BlindRecords, uscc

R = BlindRecords("c", "tests/checks/dedup24c_blind.jsonl")


def U(div: str, org: str) -> str:
    return uscc("91", div, org)


def rec(entity: str, name: str, **fields: str) -> None:
    R.add(entity, name, **fields)


# (1) namesakes: one trade name, unrelated goods, different phones
rec("a1", "潍坊市山岚风筝有限公司", uscc=U("370700", "MA3C7KX2R"), phone="0536-8231456",
    address="山东省潍坊市奎文区北宫东街2188号")
rec("a1", "山岚风筝旗舰店", phone="0536-8231456")
rec("a1", "山岚风筝", phone="05368231456")
rec("a2", "山岚床垫专营店", phone="13926458810")
rec("a2", "山岚床垫", phone="139 2645 8810")
rec("b1", "郴州市湘溪腊味食品有限公司", uscc=U("431000", "MA4PQ3L8N"), phone="0735-2278811",
    address="湖南省郴州市北湖区国庆北路56号")
rec("b1", "湘溪腊味旗舰店", phone="0735-2278811")
rec("b2", "湘溪五金", phone="15874420936")
rec("b2", "湘溪五金经营部", phone="15874420936")
rec("c1", "百岭蜂蜜", phone="18907713320")
rec("c1", "百岭蜂蜜专卖店", phone="18907713320")
rec("c2", "百岭茶叶", phone="13507715562")
rec("c2", "百岭茶叶旗舰店", phone="13507715562")
rec("d1", "野驰帐篷", phone="13605748821")
rec("d1", "野驰帐篷旗舰店", phone="136-0574-8821")
rec("d2", "野驰渔具", phone="13777921104")
rec("d2", "野驰渔具专营店", phone="13777921104")
rec("e1", "桂香米粉", phone="0773-5812234")
rec("e1", "桂香米粉旗舰店", phone="0773-5812234")
rec("e2", "桂香灯具", phone="0760-22613378")
rec("e2", "桂香灯具专营店", phone="0760-22613378")
rec("f1", "林间菌菇", phone="0871-65332190")
rec("f1", "林间菌菇专营店", phone="0871-65332190")
rec("f2", "林间女装", phone="13828746650")
rec("f2", "林间女装旗舰店", phone="13828746650")
rec("g1", "福临酱菜", phone="0312-3325671")
rec("g1", "福临酱菜旗舰店", phone="0312-3325671")
rec("g2", "福临眼镜", phone="0797-8129963")
rec("g2", "福临眼镜专营店", phone="0797-8129963")
rec("h1", "青禾汉服", phone="15157126643")
rec("h1", "青禾汉服旗舰店", phone="15157126643")
rec("h2", "青禾枸杞", phone="0951-6018825")
rec("h2", "青禾枸杞专营店", phone="0951-6018825")
# (2) one firm: a broad registered trade, its shops name its goods
rec("k1", "宁波市远岫户外用品有限公司", uscc=U("330200", "MA2H8TR5Y"), phone="0574-87126630",
    address="浙江省宁波市鄞州区天童南路588号")
rec("k1", "远岫帐篷旗舰店", phone="0574-87126630")
rec("k1", "远岫户外", phone="0574-87126630")
rec("m1", "伊春市森语农产品有限公司", uscc=U("230700", "MA1B5WQ7K"), phone="0458-3621198",
    address="黑龙江省伊春市伊美区新兴中大街20号")
rec("m1", "森语木耳旗舰店", phone="0458-3621198")
rec("m1", "森语蜂蜜专营店", phone="0458-3621198")
rec("n1", "柳州市螺香食品有限公司", uscc=U("450200", "MA5N2DK6P"), phone="0772-2819906",
    address="广西壮族自治区柳州市柳南区航岭路12号")
rec("n1", "螺香螺蛳粉旗舰店", phone="0772-2819906")
rec("n1", "螺香米粉", phone="0772-2819906")

if __name__ == "__main__":
    raise SystemExit(R.main())
