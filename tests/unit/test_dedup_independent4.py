"""The fourth independent seller set (national/bench/independent4.py): independent of the engine and of the other
sets' tables, deterministic, valid and invalid credit codes where intended, the error classes planted, and
`hufu bench dedup --set independent4` runs on it."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import national.bench.independent4 as ind4
from national.bench.independent4 import World, code_check, code_valid, independent4_sellers


def test_the_fourth_set_imports_nothing_from_the_project() -> None:
    tree = ast.parse(Path(ind4.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.startswith(("national", "regional", "sync")) for name in imported), imported


def test_its_places_are_not_the_other_independent_sets_places() -> None:
    here = Path(ind4.__file__).parent
    others = "".join((here / f).read_text(encoding="utf-8")
                     for f in ("independent.py", "independent2.py", "independent3.py", "generate.py"))
    assert not [c for c in ind4.CITIES if c.removesuffix("市") in others]
    assert not [d for *_, districts in ind4.CITIES.values() for d, _ in districts if d in others]
    assert not [w for w in (*ind4.ROADS, *ind4.BUILDINGS, *ind4.PATH_HOSTS) if w in others]


def test_it_is_deterministic_per_seed_and_differs_between_seeds() -> None:
    rows = list(independent4_sellers(300, seed=5))
    assert rows == list(independent4_sellers(300, seed=5))
    assert rows != list(independent4_sellers(300, seed=6))
    assert [r["id"] for r, _ in rows] == [f"q{n}" for n in range(len(rows))]
    assert len({key for _, key in rows}) == 300
    assert all(isinstance(v, str) and v.strip() for r, _ in rows for v in r.values())
    assert {r["region"] for r, _ in rows} <= set(ind4.REGIONS)
    assert all(set(r) <= {"id", "name", "region", "uscc", "phone", "address", "shop_url"} for r, _ in rows)
    sizes = Counter(Counter(key for _, key in rows).values())
    assert sizes[1] > 0.25 * 300 and max(sizes) >= 8  # many singletons, a few large entities


def test_its_credit_codes_are_valid_gb32100_codes_and_the_damaged_ones_are_not() -> None:
    from regional.identifiers import uscc_check_char  # an independent implementation checks this one

    world = World(3)
    for kind in ("company", "single", "online", "sole", "partner"):
        seller = world.make(kind)
        assert code_valid(seller.code) and uscc_check_char(seller.code[:17]) == seller.code[17], seller.code
        assert seller.code[:2] == ("92" if kind in ("single", "online") else "91")
    assert code_check("91440300MA5F12345") == uscc_check_char("91440300MA5F12345")
    rows = list(independent4_sellers(800, seed=8))
    codes = [r["uscc"] for r, _ in rows if "uscc" in r]
    valid = sum(map(code_valid, codes))
    assert 0.4 * len(codes) < valid < 0.8 * len(codes)  # valid ones, written-otherwise ones and broken ones
    assert any(re.fullmatch(r"\d{15}", c) for c in codes)  # the older registration number
    assert any(c.startswith("统一社会信用代码") for c in codes) and any(c.islower() for c in codes if c.isascii())
    damaged = [c for c in codes if len(c) == 18 and ("O" in c or "I" in c)]
    assert damaged and not any(code_valid(c) for c in damaged)


def test_the_error_classes_are_planted() -> None:
    rows = list(independent4_sellers(1200, seed=9))
    weak = [r for r, _ in rows if set(r) == {"id", "name", "region"}]
    assert len(weak) > 100
    names = [r["name"] for r, _ in rows]
    assert any(n.endswith(("分公司", "营业部")) for n in names)
    assert any("合伙企业" in n for n in names) and any(n.endswith(("厂", "坊", "加工厂")) for n in names)
    assert any(n.isascii() and "Co., Ltd." in n for n in names)
    assert any(re.search(r"[\u4e00-\u9fff]（[\u4e00-\u9fff]+）", n) for n in names)  # the place in brackets
    # namesakes and shared shop names: one written name, several entities
    entities_of_name: dict[str, set[int]] = defaultdict(set)
    for r, key in rows:
        entities_of_name[r["name"]].add(key)
    assert sum(len(keys) > 1 for keys in entities_of_name.values()) >= 10
    urls = [r["shop_url"] for r, _ in rows if "shop_url" in r]
    assert any("youzan.com" in u and "kdt_id=" in u for u in urls) and any("suning.com" in u for u in urls)
    assert any(re.match(r"https?://[^/]+/shop\d+\?", u) for u in urls)  # the path form
    assert any("mall.jd.hk" in u for u in urls) and any("tmall.hk" in u for u in urls)
    assert any(u.startswith(("https://v.douyin.com", "https://m.tb.cn", "https://xhslink.com", "https://u.jd.com"))
               for u in urls)  # share links
    phones = [r["phone"] for r, _ in rows if "phone" in r]
    assert any(p.startswith(("+86", "0086", "(+86)")) for p in phones) and any("转" in p for p in phones)
    assert any(p.startswith("400-") for p in phones)  # a group's hotline on parent and branch records
    addresses = [r["address"] for r, _ in rows if "address" in r]
    assert any(a.startswith("No.") for a in addresses) and any(a.endswith("区）") for a in addresses)
    # one shop URL written in several shapes by the records of one entity
    shapes: dict[int, set[str]] = defaultdict(set)
    for r, key in rows:
        if "youzan" in r.get("shop_url", ""):
            shapes[key].add(r["shop_url"].split("?")[0])
    assert any(len(v) > 1 for v in shapes.values())


def test_the_bench_runs_on_a_tiny_fourth_set() -> None:
    done = subprocess.run([sys.executable, "-m", "national.bench.dedup", "--set", "independent4", "--seeds", "4",
                           "--entities", "120", "--no-peer", "--json"], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "independent4 set" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["set"] == "independent4" and summary["seeds"] == [4] and summary["entities"] == 120
    assert 0 < summary["f1"] <= 1 and 0 <= summary["baseline_f1"] <= 1
