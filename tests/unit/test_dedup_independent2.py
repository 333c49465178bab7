"""The second independent seller set (national/bench/independent2.py) stays independent of the engine and
plants the error classes of issue 11."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import national.bench.independent2 as ind2
from national.bench.independent2 import check_character, independent2_sellers


def test_the_second_set_imports_nothing_from_the_engine_or_the_other_generators() -> None:
    tree = ast.parse(Path(ind2.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.startswith(("national", "regional", "sync")) for name in imported), imported


def test_the_second_set_is_deterministic_and_plants_the_error_classes() -> None:
    rows = list(independent2_sellers(600, seed=5))
    assert rows == list(independent2_sellers(600, seed=5))
    assert len({truth for _, truth in rows}) == 600
    names = [record["name"] for record, _ in rows]
    assert any(re.search(r"(旗舰店|专营店|源头工厂|甄选)$", n) for n in names)  # shop-style names only
    assert any(set(r) == {"id", "name", "region"} and re.search(r"^..{1,2}市.+有限公司$", r["name"])
               for r, _ in rows)  # only the full legal name
    urls = " ".join(r.get("shop_url", "") for r, _ in rows)
    for shape in ("tmall.com", "shop_id=", "mall_id=", "jinritemai.com", "m.tb.cn"):
        assert shape in urls, shape
    # a trade name held by firms of different cities
    by_brand: dict[str, set[str]] = {}
    for record, _truth in rows:
        match = re.match(r"^(..{1,2})市(..)", record["name"])
        if match and "uscc" in record:
            by_brand.setdefault(match.group(2), set()).add(match.group(1))
    assert any(len(cities) > 1 for cities in by_brand.values())


def test_its_credit_codes_are_valid_gb32100_codes() -> None:
    from regional.identifiers import uscc_check_char  # an independent implementation checks this one

    for body in ("91430100MA4L0X1Y2", "92120000PT4D5AR0M", "913502007Y2W6P26K"):
        assert check_character(body) == uscc_check_char(body)


def test_the_engine_holds_up_on_the_second_set_and_beats_the_exact_key_baseline() -> None:
    import numpy as np

    from national.bench.baseline import exact_key_clusters
    from national.bench.metrics import pair_scores
    from national.dedup.config import seller_config
    from national.dedup.engine import resolve
    from national.dedup.table import build_table

    rows = list(independent2_sellers(600, seed=29))
    truth = np.array([entity for _, entity in rows])
    config = seller_config()
    table = build_table([record for record, _ in rows], config)
    ours = pair_scores(resolve(table, config).labels, truth)
    base = pair_scores(exact_key_clusters(table), truth)
    assert ours.precision >= 0.95 and ours.f1 >= 0.92, ours
    assert ours.f1 > base.f1 + 0.2, (ours, base)
