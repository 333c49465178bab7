"""The fifth independent seller set (national/bench/independent5.py): independent of the engine and of the other
sets' places, deterministic, valid and damaged credit codes where intended, the error classes planted, and
`hufu bench dedup --set independent5` runs on it. Shape only: no figures are asserted."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import national.bench.independent5 as ind5
from national.bench.independent5 import World, code_check, code_valid, independent5_sellers


def test_the_fifth_set_imports_nothing_from_the_project() -> None:
    tree = ast.parse(Path(ind5.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.startswith(("national", "regional", "sync")) for name in imported), imported


def test_its_places_and_trade_names_are_not_the_other_sets() -> None:
    here = Path(ind5.__file__).parent
    others = "".join((here / f).read_text(encoding="utf-8")
                     for f in ("independent.py", "independent2.py", "independent3.py", "independent4.py",
                               "generate.py"))
    words = []
    for province, _short, cities in ind5.REGIONS.values():
        for city, _area, _division, districts, roads, buildings in cities:
            if city != province:  # the municipalities' names are shared; only their outer districts are used
                words.append(city.removesuffix("市"))
            words += [d for d, _ in districts] + roads + buildings
    assert not [w for w in (*words, *ind5.TRADE_NAMES) if w in others]


def test_it_is_deterministic_per_seed_and_differs_between_seeds() -> None:
    rows = list(independent5_sellers(300, seed=5))
    assert rows == list(independent5_sellers(300, seed=5))
    assert rows != list(independent5_sellers(300, seed=6))
    assert [r["id"] for r, _ in rows] == [f"h{n}" for n in range(len(rows))]
    assert len({key for _, key in rows}) == 300
    assert all(isinstance(v, str) and v.strip() for r, _ in rows for v in r.values())
    assert {r["region"] for r, _ in rows} <= set(ind5.REGIONS) and len({r["region"] for r, _ in rows}) == 10
    assert all(set(r) <= {"id", "name", "region", "uscc", "phone", "address", "shop_url"} for r, _ in rows)
    sizes = Counter(Counter(key for _, key in rows).values())
    assert sizes[1] > 0.25 * 300 and max(sizes) >= 8  # many singletons, a few large entities


def test_its_credit_codes_are_valid_gb32100_codes_and_the_damaged_ones_are_not() -> None:
    from regional.identifiers import uscc_check_char  # an independent implementation checks this one

    world = World(3)
    for kind in ("company", "person", "studio", "webshop", "foreign", "group"):
        seller = world.make(kind)
        assert code_valid(seller.code) and uscc_check_char(seller.code[:17]) == seller.code[17], seller.code
        assert seller.code[:2] == ("92" if kind in ("person", "studio") else "91")
    assert code_check("91440300MA5F12345") == uscc_check_char("91440300MA5F12345")
    rows = list(independent5_sellers(800, seed=8))
    codes = [r["uscc"] for r, _ in rows if "uscc" in r]
    valid = sum(map(code_valid, codes))
    assert 0.35 * len(codes) < valid < 0.75 * len(codes)  # valid ones, written-otherwise ones and broken ones
    assert any(re.fullmatch(r"\d{15}", c) for c in codes)  # the older registration number
    assert any(c.startswith("统一社会信用代码") for c in codes) and any("\uff10" <= ch <= "\uff19" for c in codes for ch in c)
    mistyped = [c for c in codes if len(c) == 18 and c.isalnum() and c.isupper() and not code_valid(c)]
    assert mistyped


def test_the_error_classes_are_planted() -> None:
    rows = list(independent5_sellers(1200, seed=9))
    weak = [r for r, _ in rows if set(r) == {"id", "name", "region"}]
    assert len(weak) > 150
    names = [r["name"] for r, _ in rows]
    assert any("（个体工商户）" in n for n in names) and any(n.endswith("工作室") for n in names)
    assert any(n.endswith(("商行", "批发部", "经营部")) for n in names) and any(n.endswith("分公司") for n in names)
    assert any(n.endswith(("（外商独资）", "（中外合资）")) for n in names) and any("Co., Ltd." in n for n in names)
    assert any("集团有限公司" in n and not n.endswith("分公司") for n in names)
    entities_of_name: dict[str, set[int]] = defaultdict(set)
    for r, key in rows:
        entities_of_name[r["name"]].add(key)
    assert sum(len(keys) > 1 for keys in entities_of_name.values()) >= 10  # namesakes share a written name
    urls = [r["shop_url"] for r, _ in rows if "shop_url" in r]
    for host in ("yangkeduo.com", "kuaishou.com", "goofish.com", "vip.com", "dewu.com"):
        assert any(host in u for u in urls), host
    assert any(u.startswith(("https://p.pinduoduo.com", "https://dw4.co", "https://v.kuaishou.com")) for u in urls)
    phones = [r["phone"] for r, _ in rows if "phone" in r]
    assert any("转" in p for p in phones) and any("\uff10" <= ch <= "\uff19" for p in phones for ch in p)
    assert any(p.startswith("400") for p in phones) and any(re.fullmatch(r"\(0\d{2,3}\)\d{7,8}", p) for p in phones)
    addresses = [r["address"] for r, _ in rows if "address" in r]
    assert any("号楼" in a and "单元" in a and a.endswith("室") for a in addresses)
    assert any(re.search(r"\d+-\d+-\d+$", a) for a in addresses)


def test_the_bench_runs_on_a_tiny_fifth_set() -> None:
    done = subprocess.run([sys.executable, "-m", "national.bench.dedup", "--set", "independent5", "--seeds", "4",
                           "--entities", "120", "--no-peer", "--json"], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "independent5 set" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["set"] == "independent5" and summary["seeds"] == [4] and summary["entities"] == 120
    assert 0 < summary["f1"] <= 1 and 0 <= summary["baseline_f1"] <= 1
