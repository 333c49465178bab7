"""The sixth independent seller set (national/bench/independent6.py): it loads, is deterministic per seed, its truth
is consistent (one valid code, one shop, one registered name per entity), its credit codes are valid GB 32100 codes
where intended and broken where intended, the error classes are planted, and `hufu bench dedup --set independent6`
runs on it. Shape only: no figures are asserted."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import national.bench.independent6 as ind6
from national.bench.independent6 import World, code_check, code_valid, independent6_sellers


def test_the_sixth_set_imports_nothing_from_the_project() -> None:
    tree = ast.parse(Path(ind6.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.startswith(("national", "regional", "sync")) for name in imported), imported


def test_it_is_deterministic_per_seed_and_differs_between_seeds() -> None:
    rows = list(independent6_sellers(400, seed=11))
    assert rows == list(independent6_sellers(400, seed=11))
    assert rows != list(independent6_sellers(400, seed=12))
    assert [r["id"] for r, _ in rows] == [f"q{n}" for n in range(len(rows))]
    assert {key for _, key in rows} == set(range(400))
    assert all(set(r) <= {"id", "name", "region", "uscc", "phone", "address", "shop_url"} for r, _ in rows)
    assert all(isinstance(v, str) and v.strip() for r, _ in rows for v in r.values())
    assert {r["region"] for r, _ in rows} == set(ind6.REGIONS)
    sizes = Counter(Counter(key for _, key in rows).values())
    assert sizes[1] > 0.25 * 400 and max(sizes) >= 8  # many singletons, a few entities with many records


def test_the_default_size_is_about_five_thousand_records() -> None:
    rows = list(independent6_sellers(1850, seed=13))
    assert 4500 < len(rows) < 6500


def test_the_truth_is_consistent() -> None:
    """What identifies an entity in the world identifies one entity only: valid codes, shops, registered names."""
    world = World(14)
    sellers = world.populate(1500)
    assert [s.key for s in sellers] == list(range(1500))
    codes = [s.code for s in sellers if s.code]
    assert len(codes) == len(set(codes))
    legals = [s.legal for s in sellers if s.legal]
    assert len(legals) == len(set(legals))
    shops = [(shop.platform, shop.shop_id) for s in sellers for shop in s.shops]
    assert len(shops) == len(set(shops))
    for s in sellers:
        if s.kind == "branch":
            assert s.parent is not None and s.parent.kind == "company" and s.legal.startswith(s.parent.legal)
            assert s.city[0] != s.parent.city[0] and s.code != s.parent.code
    # in the written records: a valid code, an exact registered name and a shop URL's id never cross entities
    rows = list(independent6_sellers(1500, seed=14))
    owner: dict[str, set[int]] = defaultdict(set)
    for record, key in rows:
        if code_valid(record.get("uscc", "")):
            owner["code:" + record["uscc"]].add(key)
        if record["name"] in set(legals):
            owner["name:" + record["name"]].add(key)
        found = re.search(r"(?:shop|mall_id=|shopId=|shop_id=|index-|[?&]id=)(\d{6,})", record.get("shop_url", ""))
        if found:
            owner["shop:" + found.group(1)].add(key)
    assert owner and all(len(keys) == 1 for keys in owner.values())
    by_key = {s.key: s for s in sellers}
    for record, key in rows:
        if code_valid(record.get("uscc", "")):
            assert record["uscc"] == by_key[key].code


def test_its_credit_codes_are_valid_gb32100_codes_and_the_damaged_ones_are_not() -> None:
    from regional.identifiers import uscc_check_char  # an independent implementation checks this one

    world = World(3)
    for kind, head in (("company", "91"), ("person", "92"), ("coop", "93")):
        seller = world.make(kind)
        assert code_valid(seller.code) and uscc_check_char(seller.code[:17]) == seller.code[17], seller.code
        assert seller.code.startswith(head)
    assert world.make("webshop").code == ""
    assert code_check("91440300MA5F12345") == uscc_check_char("91440300MA5F12345")
    rows = list(independent6_sellers(1000, seed=8))
    codes = [r["uscc"] for r, _ in rows if "uscc" in r]
    valid = sum(map(code_valid, codes))
    assert 0.4 * len(codes) < valid < 0.75 * len(codes)
    assert any(c.startswith("统一社会信用代码") for c in codes) and any("\uff10" <= ch <= "\uff19" for c in codes for ch in c)
    assert any(c.islower() for c in codes) and any(" " in c for c in codes)
    mistyped = [c for c in codes if len(c) == 18 and c.isalnum() and c.isupper() and not code_valid(c)]
    assert len(mistyped) > 20 and any("O" in c or "I" in c for c in mistyped)


def test_the_error_classes_are_planted() -> None:
    world = World(9)
    sellers = world.populate(1200)
    kinds = Counter(s.kind for s in sellers)
    assert all(kinds[k] > 30 for k in ("company", "person", "coop", "webshop", "branch"))
    trades: dict[str, list[ind6.Seller]] = defaultdict(list)
    for s in sellers:
        trades[s.trade].append(s)
    namesakes = [group for group in trades.values() if len({g.city[0] for g in group}) > 1]
    assert len(namesakes) > 50
    assert any(len({g.province for g in group}) > 1 for group in namesakes)  # namesakes in other provinces
    assert any(len(group) > len({(g.city[0]) for g in group}) and len({g.industry for g in group}) > 1
               for group in trades.values())  # the same trade name in one city, another trade
    rows = list(independent6_sellers(1200, seed=9))
    weak = [r for r, _ in rows if set(r) == {"id", "name", "region"}]
    assert len(weak) > 200
    names = [r["name"] for r, _ in rows]
    assert any(n.endswith("旗舰店") for n in names) and any(n.endswith("专营店") for n in names)
    assert any(n.endswith(("商行", "经营部")) for n in names) and any(n.endswith("分公司") for n in names)
    assert any(n.endswith("农民专业合作社") for n in names) and any("（个体工商户）" in n for n in names)
    assert any("有限责任公司" in n for n in names) and any("Co., Ltd." in n for n in names)
    assert any("Ｃｏ" in n for n in names)  # full-width English
    assert any(c in n for n in names for c in "貿業電東區")  # traditional characters
    assert any(re.match(r"[\u4e00-\u9fff]{2,3}（[\u4e00-\u9fff]{2,4}）", n) for n in names)  # place in brackets
    entities_of_name: dict[str, set[int]] = defaultdict(set)
    for r, key in rows:
        entities_of_name[r["name"]].add(key)
    shared = [n for n, keys in entities_of_name.items() if len(keys) > 1]
    assert sum(n.endswith(("旗舰店", "专营店", "企业店", "经营部")) for n in shared) >= 10  # one shop name, many entities
    urls = [r["shop_url"] for r, _ in rows if "shop_url" in r]
    for host in (".taobao.com", ".tmall.com", "mall.jd.com", "yangkeduo.com", "jinritemai.com", "douyin.com",
                 "kuaishou.com", "kwaixiaodian.com", ".1688.com", "m.tb.cn", "pinduoduo.com"):
        assert any(host in u.lower() for u in urls), host
    assert any(u.startswith("http://") for u in urls) and any(u != u.lower() for u in urls if "SHOP" in u)
    phones = [r["phone"] for r, _ in rows if "phone" in r]
    assert any(p.startswith("+86") for p in phones) and any("\uff10" <= ch <= "\uff19" for p in phones for ch in p)
    assert any(p.startswith("400") for p in phones) and any(re.fullmatch(r"\(0\d{2,3}\)\d{7,8}", p) for p in phones)
    addresses = [r["address"] for r, _ in rows if "address" in r]
    assert any(a.startswith(tuple(p[0] for p in ind6.REGIONS.values())) for a in addresses)
    assert any(not a.startswith(tuple(p[0] for p in ind6.REGIONS.values())) for a in addresses)
    assert any(re.search(r"[〇一二三四五六七八九]+号", a) for a in addresses)  # Chinese numerals


def test_the_bench_runs_on_a_tiny_sixth_set() -> None:
    done = subprocess.run([sys.executable, "-m", "national.bench.dedup", "--set", "independent6", "--seeds", "4",
                           "--entities", "120", "--no-peer", "--json"], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "independent6 set" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["set"] == "independent6" and summary["seeds"] == [4] and summary["entities"] == 120
    assert 0 < summary["f1"] <= 1 and 0 <= summary["baseline_f1"] <= 1
