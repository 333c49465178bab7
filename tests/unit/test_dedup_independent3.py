"""The third independent seller set (national/bench/independent3.py): independent of the engine, deterministic,
valid and invalid credit codes where intended, the error classes planted, and `hufu bench dedup` runs on it."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import national.bench.independent3 as ind3
from national.bench.independent3 import World, independent3_sellers, uscc_check, uscc_valid


def test_the_third_set_imports_nothing_from_the_project() -> None:
    tree = ast.parse(Path(ind3.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.startswith(("national", "regional", "sync")) for name in imported), imported


def test_it_is_deterministic_per_seed_and_differs_between_seeds() -> None:
    rows = list(independent3_sellers(300, seed=5))
    assert rows == list(independent3_sellers(300, seed=5))
    assert rows != list(independent3_sellers(300, seed=6))
    assert [r["id"] for r, _ in rows] == [f"k{n}" for n in range(len(rows))]
    assert len({key for _, key in rows}) == 300
    assert all(isinstance(v, str) and v for r, _ in rows for v in r.values())
    assert {r["region"] for r, _ in rows} <= set(ind3.REGIONS)
    per_entity = Counter(key for _, key in rows)
    sizes = Counter(per_entity.values())
    assert sizes[1] > 0.25 * 300 and max(per_entity.values()) >= 8  # many singletons, a few large entities


def test_its_credit_codes_are_valid_gb32100_codes_and_the_damaged_ones_are_not() -> None:
    from regional.identifiers import uscc_check_char  # an independent implementation checks this one

    world = World(3)
    for kind in ("company", "individual", "person", "online", "coop", "company", "company"):
        world.make(kind)
    parent = world.entities[0]
    world.make("branch", parent=parent)
    for e in world.entities:
        assert uscc_valid(e.code) and uscc_check_char(e.code[:17]) == e.code[17], e.code
        assert e.code[:2] in ("91", "92", "93")
        near = world.near_code(e.code)
        assert near != e.code and uscc_check_char(near[:17]) == near[17]
        for _ in range(20):
            damaged = world.damaged_code(e.code)
            assert damaged != e.code and not uscc_valid(damaged)
            assert len(damaged) != 18 or not all(c in ind3.USCC_ALPHABET for c in damaged) or \
                uscc_check_char(damaged[:17]) != damaged[17]
    assert uscc_check("91440300MA5F12345") == uscc_check_char("91440300MA5F12345")
    codes = [r["uscc"] for r, _ in independent3_sellers(600, seed=8) if "uscc" in r]
    valid = sum(map(uscc_valid, codes))
    assert 0.4 * len(codes) < valid < 0.9 * len(codes)  # valid ones and written-otherwise or broken ones


def test_the_error_classes_are_planted() -> None:
    rows = list(independent3_sellers(1000, seed=9))
    weak = [r for r, _ in rows if set(r) == {"id", "name", "region"}]
    assert len(weak) > 50
    urls = [r["shop_url"] for r, _ in rows if "shop_url" in r]
    assert any(re.match(r"https?://[^/]+/shop\d+\?", u) for u in urls)  # the path form
    assert sum("jinritemai.com" in u or "douyin.com/user/" in u for u in urls) > 10
    assert any("v.douyin.com" in u or "xhslink.com" in u or "m.tb.cn" in u for u in urls)  # share links
    assert any("kwaixiaodian.com" in u or "kuaishou.com/profile" in u for u in urls)
    assert any("xiaohongshu.com" in u for u in urls)
    names = [r["name"] for r, _ in rows]
    assert any("分公司" in n for n in names) and any(n.isascii() and "Co" in n for n in names)
    assert any(re.search(r"[\u4e00-\u9fff]", n) and re.search(r"[（(]", n) for n in names)
    phones = [r["phone"] for r, _ in rows if "phone" in r]
    assert any(p.startswith("+86") for p in phones) and any(re.search(r"[/,，；;、|]", p) for p in phones)
    # namesakes and shared shop-style names: one written name, several entities
    entities_of_name: dict[str, set[int]] = defaultdict(set)
    for r, key in rows:
        entities_of_name[r["name"]].add(key)
    assert sum(len(keys) > 1 for keys in entities_of_name.values()) >= 5
    # a trade name under several legal forms: a company in one place, an individual business elsewhere
    assert any(n.endswith("有限公司") for n in names) and any(n.endswith(("商行", "门市部", "经营部")) for n in names)


def test_the_bench_runs_on_a_tiny_third_set() -> None:
    done = subprocess.run([sys.executable, "-m", "national.bench.dedup", "--set", "independent3", "--seeds", "4",
                           "--entities", "120", "--no-peer", "--json"], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "independent3 set" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["set"] == "independent3" and summary["seeds"] == [4] and summary["entities"] == 120
    assert 0 < summary["f1"] <= 1 and 0 <= summary["baseline_f1"] <= 1
