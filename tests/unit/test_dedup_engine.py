"""The entity-resolution engine: blocking, comparison, Fellegi–Sunter scoring, non-chaining clustering."""

from __future__ import annotations

import random

import numpy as np
import pytest

from national.bench.baseline import exact_key_clusters
from national.bench.generate import _BRAND_CHARS, generate
from national.bench.metrics import pair_scores
from national.dedup.blocking import BlockStats, candidate_pairs, pairs_from_keys
from national.dedup.cluster import constrained_clusters
from national.dedup.config import ConfigError, LinkConfig, seller_config
from national.dedup.engine import resolve
from national.dedup.io import parse_lines
from national.dedup.table import build_table
from regional.identifiers import uscc_check_char


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def test_blocks_larger_than_the_cap_produce_no_pairs() -> None:
    keys = np.array([1] * 5 + [2] * 3 + [-1, 3], dtype=np.int64)
    stats = BlockStats("k")
    left, right = pairs_from_keys(keys, max_block=4, stats=stats)
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [(5, 6), (5, 7), (6, 7)]
    assert stats.oversized_blocks == 1 and stats.oversized_records == 5


def test_a_typo_in_the_credit_code_still_makes_a_candidate_pair() -> None:
    good = _uscc("91440300MA5F12345")
    typo = good[:12] + ("7" if good[12] != "7" else "8") + good[13:]
    table = build_table([{"name": "甲", "uscc": good}, {"name": "乙", "uscc": typo}], seller_config())
    cand = candidate_pairs(table, seller_config())
    assert (cand.left.tolist(), cand.right.tolist()) == ([0], [1])


def test_cannot_link_keeps_two_verified_credit_codes_apart_even_through_a_shared_record() -> None:
    # 0 and 2 hold different valid codes; 1 links strongly to both (a shared agent phone).
    left, right = np.array([0, 1], np.int32), np.array([1, 2], np.int32)
    labels, refused = constrained_clusters(3, left, right, np.array([10.0, 9.0]),
                                           [np.array([5, -1, 7], np.int32)])
    assert labels.tolist() == [0, 0, 2] and refused == 1


def test_strongest_links_win_the_contested_record() -> None:
    left, right = np.array([0, 1], np.int32), np.array([1, 2], np.int32)
    labels, _ = constrained_clusters(3, left, right, np.array([5.0, 20.0]), [np.array([5, -1, 7], np.int32)])
    assert labels.tolist() == [0, 1, 1]


def _sellers() -> list[dict[str, object]]:
    a = _uscc("91440300MA5F12345")
    b = _uscc("91440100MA9X54321")
    agent = "13900000000"
    rows: list[dict[str, object]] = [
        {"name": "深圳市华强电子有限公司", "uscc": a, "phone": "0755-81234567"},
        {"name": "華強電子（深圳）有限公司", "uscc": a.lower(), "address": "广东省深圳市南山区科技园路18号"},
        {"name": "华强电子旗舰店", "phone": "+86 755 8123 4567", "shop_url": "https://shop777.taobao.com/?spm=1"},
        {"name": "华强电子专营店", "shop_url": "shop777.taobao.com", "address": "深圳南山区科技园路18号"},
        {"name": "广州市华强电子有限公司", "uscc": b, "phone": agent},  # a namesake in another city
        {"name": "广州华强电子商行", "uscc": b, "address": "广东省广州市天河区体育西路1号"},
    ]
    # 40 unrelated sellers who all filed the same logistics agent's phone
    brands = "".join(dict.fromkeys(_BRAND_CHARS))[10:]
    for k in range(40):
        rows.append({"name": f"{brands[2 * k]}{brands[2 * k + 1]}百货商行",
                     "phone": agent, "address": f"浙江省金华市义乌市稠州北路{k + 1}号"})
    return rows


def test_one_seller_behind_many_names_is_one_cluster_and_namesakes_and_agents_stay_apart() -> None:
    records = _sellers()
    config = seller_config()
    result = resolve(build_table(records, config), config)
    labels = result.labels.tolist()
    assert len(set(labels[:4])) == 1, "the Shenzhen seller's four filings"
    assert labels[4] == labels[5] != labels[0], "the Guangzhou namesake is its own entity"
    assert len(set(labels[6:])) == 40, "sellers sharing only an agent's phone are not merged"


def test_exact_key_baseline_chains_through_the_agent_phone() -> None:
    table = build_table(_sellers(), seller_config())
    labels = exact_key_clusters(table)
    assert len(set(labels[4:].tolist())) == 1


def test_generated_data_is_resolved_well_and_better_than_the_baseline() -> None:
    rows = list(generate(6000, seed=3))
    records = [r for r, _ in rows]
    truth = np.array([k for _, k in rows])
    config = seller_config()
    table = build_table(records, config)
    ours = pair_scores(resolve(table, config).labels, truth)
    base = pair_scores(exact_key_clusters(table), truth)
    assert ours.f1 > 0.9
    assert ours.f1 > base.f1


def test_every_generated_record_names_a_region_and_carries_an_identifier() -> None:
    for record, _ in generate(500, seed=11):
        assert record["region"] and record["name"]
        assert {"uscc", "phone", "address", "shop_url"} & record.keys()


def test_pair_scores_count_pairs() -> None:
    scores = pair_scores([0, 0, 0, 1], [0, 0, 1, 1])
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (1, 3, 2)


def test_config_from_dict_names_the_bad_setting() -> None:
    with pytest.raises(ConfigError, match="blocking"):
        LinkConfig.from_dict({"fields": [{"name": "a", "kind": "exact"}],
                              "blocking": [{"name": "r", "parts": [{"field": "a", "part": "nope"}]}]})
    with pytest.raises(ConfigError, match="no field"):
        LinkConfig.from_dict({"fields": [{"name": "a", "kind": "exact"}],
                              "blocking": [{"name": "r", "parts": [{"field": "b"}]}]})
    with pytest.raises(ConfigError):
        LinkConfig.from_dict({"fields": [{"name": "a", "kind": "martian"}], "blocking": []})


def test_other_record_types_link_by_configuration() -> None:
    config = LinkConfig.from_dict({
        "fields": [{"name": "title", "kind": "string"}, {"name": "sku", "kind": "exact"}],
        "blocking": [{"name": "sku", "parts": [{"field": "sku"}]},
                     {"name": "title", "parts": [{"field": "title"}]},
                     {"name": "title_tail", "parts": [{"field": "title", "transform": "suffix:6"}]}],
    })
    rng = random.Random(5)
    words = ["widget", "gadget", "lamp", "kettle", "phone", "case", "cable", "charger", "mouse", "desk", "chair",
             "pro", "max", "mini", "ultra", "plus", "air", "lite", "x", "neo"]
    records: list[dict[str, object]] = []
    truth: list[int] = []
    for k in range(2500):
        title = " ".join(rng.choice(words) for _ in range(4)) + f" {k}"
        copies = 1 if rng.random() < 0.6 else 2
        for c in range(copies):
            shown = title.upper() if c and rng.random() < 0.5 else title
            records.append({"title": shown + ("!" if c else ""), "sku": f"S{k}" if rng.random() < 0.8 else None})
            truth.append(k)
    scores = pair_scores(resolve(build_table(records, config), config).labels, truth)
    assert scores.f1 > 0.95


def test_bad_lines_are_reported_with_file_line_and_field_and_skipped_or_kept() -> None:
    lines = ['{"id": "a", "name": "甲"}', "not json", '[1, 2]', '{"name": "no id"}', '{"id": "a", "name": "dup"}',
             '{"id": 7, "name": "乙", "phone": 13800000000}', "", '{"id": "c"}']
    loaded = parse_lines(lines, "E.jsonl")
    assert loaded.ids == ["a", "7", "c"]
    found = [(e.line, e.field, e.skipped) for e in loaded.errors]
    assert found == [(2, None, True), (3, None, True), (4, "id", True), (5, "id", True), (6, "phone", False),
                     (8, "name", False)]
    assert str(loaded.errors[4]) == "E.jsonl:6: phone: expected a string, got int (field ignored)"
