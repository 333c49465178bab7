"""Incremental entity resolution's pure core: keys, linking under constraints, splitting one entity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from national.bench.generate import generate
from national.dedup import incremental as inc
from national.dedup.blocking import candidate_pairs
from national.dedup.config import seller_config
from national.dedup.linking import EntityFacts, link_entities, split_entity
from regional.identifiers import uscc_check_char

CFG = seller_config()


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


def test_stored_keys_find_exactly_the_pairs_the_batch_blocking_finds() -> None:
    records = [r for r, _ in generate(600, seed=3)]
    parts = [inc.normalize_record(r, CFG) for r in records]
    table = inc.table_from_parts(parts, CFG)
    cand = candidate_pairs(table, CFG)
    batch = set(zip(cand.left.tolist(), cand.right.tolist(), strict=True))
    blocks: dict[int, list[int]] = {}
    for k, p in enumerate(parts):
        for key in inc.record_keys(p, CFG):
            blocks.setdefault(inc.key_id(key), []).append(k)
    stored = {(a, b) for members in blocks.values() if len(members) <= CFG.max_block
              for i, a in enumerate(members) for b in members[i + 1:]}
    assert stored == batch and len(batch) > 100


def test_keys_and_term_keys_follow_the_configuration_they_are_asked_with() -> None:
    """The rules are worked out once per configuration: another configuration (fewer rules, fields read from other
    record keys) must not get the first one's keys, term keys or field layout."""
    from dataclasses import replace

    record = {"name": "深圳市华美电子有限公司", "phone": "0755-83451234", "uscc": _uscc("91440300MA5F12345"),
              "address": "广东省深圳市南山区科技园路1号"}
    parts = inc.normalize_record(record, CFG)
    every = inc.record_keys(parts, CFG)
    first = CFG.blocking[0]
    fewer = replace(CFG, blocking=(first,))
    assert inc.record_keys(parts, fewer) == [k for k in every if k.split("\x1f", 1)[0] == first.name]
    assert len(inc.record_keys(parts, fewer)) < len(every) == len(inc.record_keys(parts, CFG))
    field, part = next((r.parts[0].field, r.parts[0].part) for r in CFG.blocking
                       if len(r.parts) == 1 and r.parts[0].transform == "value" and r is not first)
    assert inc.tf_key(CFG, field, part, "x") is not None and inc.tf_key(fewer, field, part, "x") is None
    renamed = replace(CFG, fields=tuple(replace(f, source="other_" + f.key) for f in CFG.fields))
    assert set(inc.normalize_record(record, renamed)) == {None}
    assert inc.normalize_record({"other_" + k: v for k, v in record.items()}, renamed) == parts


def test_a_record_meets_its_credit_code_despite_one_typo_through_a_key() -> None:
    good = _uscc("91440300MA5F12345")
    typo = good[:12] + ("7" if good[12] != "7" else "8") + good[13:]
    a, b = (inc.record_keys(inc.normalize_record({"name": "甲", "uscc": u}, CFG), CFG) for u in (good, typo))
    assert set(a) & set(b)


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_characters="\x1f"), min_size=1)),
                min_size=1, max_size=12))
def test_stored_parts_round_trip(parts: list[str | None]) -> None:
    assert inc.decode(inc.encode(tuple(parts))) == tuple(parts)


def test_linking_never_joins_two_valid_credit_codes_even_through_a_shared_record() -> None:
    a, b = _uscc("91440300MA5F12345"), _uscc("91440100MA9X54321")
    entity_of = {0: 10, 1: -1, 2: 20}  # record 1 is new; 0 and 2 are stored entities with different codes
    facts = {10: EntityFacts(uscc=a, size=3), -1: EntityFacts(), 20: EntityFacts(uscc=b, size=2)}
    linking = link_entities(entity_of, facts, [(0, 1, 20.0), (1, 2, 9.0)])
    assert linking.merges == [(-1, 10)]
    assert [(x, y) for x, y, _ in linking.refused] == [(1, 2)]
    assert linking.facts[10].size == 4 and 20 in linking.facts


def test_a_record_without_identity_torn_between_two_firms_joins_neither_and_goes_to_an_officer() -> None:
    # sister companies in one building: a shop record with their address links about as strongly to each
    a, b = _uscc("91440300MA5F12345"), _uscc("91440100MA9X54321")
    entity_of = {0: 10, 1: -1, 2: 20}
    facts = {10: EntityFacts(uscc=a, size=3, anchored=True), -1: EntityFacts(),
             20: EntityFacts(uscc=b, size=2, anchored=True)}
    linking = link_entities(entity_of, facts, [(0, 1, 10.0), (1, 2, 9.0)])
    assert linking.merges == []
    assert {(x, y) for x, y, _ in linking.refused} == {(0, 1), (1, 2)}
    # a record that has an identity of its own is not torn: its stronger link decides
    facts[-1] = EntityFacts(uscc=a, anchored=True)
    linking = link_entities(entity_of, facts, [(0, 1, 10.0), (1, 2, 9.0)])
    assert linking.merges == [(-1, 10)]


def test_a_stored_entity_survives_a_merge_with_new_records_and_the_larger_wins() -> None:
    linking = link_entities({0: 7, 1: -1, 2: -2}, {7: EntityFacts(size=1), -1: EntityFacts(),
                                                       -2: EntityFacts()}, [(1, 2, 30.0), (0, 1, 20.0)])
    # -1 and -2 join first (size 2), then the stored singleton 7 joins the larger provisional entity
    assert linking.survivor() == {-2: -1, 7: -1}


def test_an_officers_rejection_keeps_two_entities_apart_and_is_inherited_by_what_they_absorb() -> None:
    entity_of = {0: 1, 1: 2, 2: 3}
    facts = {e: EntityFacts() for e in (1, 2, 3)}
    linking = link_entities(entity_of, facts, [(0, 2, 10.0), (2, 1, 9.0)], forbidden=[(1, 2)])
    assert linking.survivor() == {3: 1}
    assert [r for *_, r in linking.refused] == ["rejected by an officer"]


def test_splitting_an_entity_keeps_the_rejected_pair_apart_and_everything_else_together() -> None:
    records = [1, 2, 3, 4, 5]
    links = [(1, 2, 20.0), (2, 3, 15.0), (3, 4, 12.0), (4, 5, 18.0)]
    assert split_entity(records, links, apart=[(1, 5)], facts={}) == [[1, 2, 3], [4, 5]]
    assert split_entity(records, links, apart=[], facts={}) == [records]
    # a record linked to nothing stays on its own
    assert split_entity([1, 2, 9], [(1, 2, 20.0)], apart=[], facts={}) == [[1, 2], [9]]


def test_scores_use_the_stored_term_counts_not_the_small_batch() -> None:
    agent = "13900000000"
    parts = [inc.normalize_record({"name": n, "phone": agent}, CFG) for n in ("甲商贸", "乙电子")]
    rare = inc.score_pairs(parts, [(0, 1)], CFG, _model(1000), 1000, {"phone.value": {agent: 2}}, {"phone.value": 1000})
    common = inc.score_pairs(parts, [(0, 1)], CFG, _model(1000), 1000, {"phone.value": {agent: 400}}, {"phone.value": 1000})
    assert float(common.weight[0]) < float(rare.weight[0])
    assert np.all(common.probability < 0.5)


def _model(n: int):  # type: ignore[no-untyped-def]
    from national.dedup.model import MatchModel

    assert CFG.model is not None
    return MatchModel.from_dict(CFG.model, CFG, n)


def _generated_parts(n: int, seed: int) -> list[inc.Parts]:
    return [inc.normalize_record(rec, CFG) for rec, _entity in generate(n, seed=seed)]


def test_weak_flags_and_facts_read_per_vocabulary_equal_the_per_record_ones() -> None:
    parts = _generated_parts(1500, 31)
    parts += [inc.normalize_record(r, CFG) for r in ({"name": "喵喵小店"}, {"name": "某某有限公司"}, {"name": ""},
                                                      {"name": "北京市朝阳区瑞飞百货有限公司"}, {"phone": "13900000000"})]
    table = inc.table_from_parts(parts, CFG)
    weak = inc.table_weak(table, CFG).tolist()
    facts, _ = inc.table_facts(table, CFG)
    for k, p in enumerate(parts):
        one, one_weak = inc.record_facts(p, CFG)
        assert weak[k] == one_weak, (k, p)
        assert facts[k] == one, (k, p)
    assert any(weak) and not all(weak)


def test_term_counts_of_right_only_values_never_change_a_score() -> None:
    # an agreement is weighed by the left record's value: counts of values only right records hold are not read
    parts = _generated_parts(600, 37)
    pairs = [(k, j) for k in range(0, 100) for j in range(100, 600, 7)]
    rng = np.random.default_rng(5)
    every: dict[str, dict[str, int]] = {}
    for name in ("name.core", "name.brand", "phone.value", "uscc.value", "address.street", "shop_url.value"):
        every[name] = {}
    table = inc.table_from_parts(parts, CFG)
    for field_name, part in inc.tf_columns(CFG):
        vocab = table.column(field_name, part).vocab
        every[f"{field_name}.{part}"] = {v: int(rng.integers(1, 300)) for v in vocab}
    left_values = {name: {v: c for v, c in counts.items()
                          if any(p[inc.part_names(CFG).index(tuple(name.split(".")))] == v for p in parts[:100])}
                   for name, counts in every.items() if tuple(name.split(".")) in inc.part_names(CFG)}
    present = {name: 500 for name in every}
    full = inc.score_pairs(parts, pairs, CFG, _model(5000), 5000, every, present)
    left_only = inc.score_pairs(parts, pairs, CFG, _model(5000), 5000, left_values, present, table)
    assert np.array_equal(full.weight, left_only.weight)
    assert float(np.abs(full.weight - inc.score_pairs(parts, pairs, CFG, _model(5000), 5000, {}, present).weight).max()) > 0


def test_a_table_built_from_stored_records_equals_the_one_built_from_their_parts() -> None:
    records = [r for r, _ in generate(800, seed=9)] + [{}, {"name": "某某店"}, {"phone": "13800138000"}]
    parts = [inc.normalize_record(r, CFG) for r in records]
    for chosen in (parts, parts[:1], parts[-3:], []):
        want = inc.table_from_parts(chosen, CFG)
        got = inc.table_from_encoded([inc.encode(p) for p in chosen], CFG)
        assert got.size == want.size == len(chosen)
        for name, column in want.columns.items():
            assert got.columns[name].vocab == column.vocab, name
            assert got.columns[name].ids.dtype == np.int32 and np.array_equal(got.columns[name].ids, column.ids), name


def test_a_stored_record_with_a_wrong_number_of_parts_is_refused() -> None:
    with pytest.raises(ValueError, match="parts"):
        inc.table_from_encoded(["a\x1fb"], CFG)


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 5)), max_size=40),
       st.lists(st.tuples(st.integers(0, 7), st.integers(6, 15)), max_size=60))
def test_block_pairs_are_every_new_record_with_each_record_sharing_a_key_once_and_sorted(
        new: list[tuple[int, int]], stored: list[tuple[int, int]]) -> None:
    new = list(dict.fromkeys(new))  # a record holds each key once
    stored = list(dict.fromkeys(stored))
    want: set[tuple[int, int]] = set()
    for key, k in new:
        want |= {(k, m) for skey, m in stored if skey == key}
        want |= {(min(k, o), max(k, o)) for okey, o in new if okey == key and o != k}
    got = inc.block_pairs([key for key, _ in new], [k for _, k in new], [key for key, _ in stored],
                          [m for _, m in stored], 16)
    assert list(zip(got.left.tolist(), got.right.tolist(), strict=True)) == sorted(want)
    assert got.left.dtype == np.int32 and len(got) == len(want)


def _shared_keys(new: list[tuple[int, int]], stored: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """How many keys each (new record, stored record) shares, counted pair by pair (the naive rule)."""
    shared: dict[tuple[int, int], int] = {}
    for key, k in new:
        for skey, m in stored:
            if skey == key:
                shared[(k, m)] = shared.get((k, m), 0) + 1
    return shared


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 5)), max_size=40),
       st.lists(st.tuples(st.integers(0, 7), st.integers(6, 25)), max_size=80),
       st.lists(st.integers(0, 4), min_size=26, max_size=26),
       st.lists(st.integers(0, 3), min_size=26, max_size=26),
       st.integers(1, 4))
def test_a_new_record_meets_at_most_a_few_records_of_each_stored_entity_those_sharing_most_keys_then_the_latest(
        new: list[tuple[int, int]], stored: list[tuple[int, int]], entity: list[int], age: list[int],
        per_entity: int) -> None:
    new = list(dict.fromkeys(new))
    stored = list(dict.fromkeys(stored))
    # the naive rule, written out: count shared keys per (new record, stored record), rank each entity's records
    shared = _shared_keys(new, stored)
    want: set[tuple[int, int]] = set()
    for k in {k for k, _ in shared}:
        for e in {entity[m] for kk, m in shared if kk == k}:
            members = [m for kk, m in shared if kk == k and entity[m] == e]
            members.sort(key=lambda m: (-shared[(k, m)], -age[m], -m))
            want |= {(k, m) for m in members[:per_entity]}
    for key, k in new:
        want |= {(min(k, o), max(k, o)) for okey, o in new if okey == key and o != k}
    got = inc.block_pairs([key for key, _ in new], [k for _, k in new], [key for key, _ in stored],
                          [m for _, m in stored], 26, stored_entity=entity, stored_age=age, per_entity=per_entity)
    assert list(zip(got.left.tolist(), got.right.tolist(), strict=True)) == sorted(want)
    unbounded = inc.block_pairs([key for key, _ in new], [k for _, k in new], [key for key, _ in stored],
                                [m for _, m in stored], 26, stored_entity=entity, stored_age=age, per_entity=10**6)
    plain = inc.block_pairs([key for key, _ in new], [k for _, k in new], [key for key, _ in stored],
                            [m for _, m in stored], 26)
    assert np.array_equal(unbounded.left, plain.left) and np.array_equal(unbounded.right, plain.right)


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 5)), max_size=40),
       st.lists(st.tuples(st.integers(0, 7), st.integers(6, 25)), max_size=80),
       st.lists(st.integers(0, 6), min_size=26, max_size=26),
       st.lists(st.integers(0, 3), min_size=26, max_size=26),
       st.integers(1, 3), st.integers(1, 4))
def test_a_new_record_meets_at_most_a_few_stored_entities_those_whose_best_record_shares_most_keys(
        new: list[tuple[int, int]], stored: list[tuple[int, int]], entity: list[int], age: list[int],
        per_entity: int, entities: int) -> None:
    new = list(dict.fromkeys(new))
    stored = list(dict.fromkeys(stored))
    shared = _shared_keys(new, stored)
    want: set[tuple[int, int]] = set()
    for k in {k for k, _ in shared}:
        best = {}
        for e in {entity[m] for kk, m in shared if kk == k}:
            members = [m for kk, m in shared if kk == k and entity[m] == e]
            members.sort(key=lambda m: (-shared[(k, m)], -age[m], -m))
            best[e] = members[:per_entity]
        # the entities ranked by their best record: most shared keys, then the latest, then the lowest entity id
        ranked = sorted(best, key=lambda e: (-shared[(k, best[e][0])], -age[best[e][0]], e))
        want |= {(k, m) for e in ranked[:entities] for m in best[e]}
    for key, k in new:
        want |= {(min(k, o), max(k, o)) for okey, o in new if okey == key and o != k}
    got = inc.block_pairs([key for key, _ in new], [k for _, k in new], [key for key, _ in stored],
                          [m for _, m in stored], 26, stored_entity=entity, stored_age=age, per_entity=per_entity,
                          entities=entities)
    assert list(zip(got.left.tolist(), got.right.tolist(), strict=True)) == sorted(want)


def test_a_bound_needs_the_entities_of_the_stored_records() -> None:
    with pytest.raises(ValueError, match="stored_entity"):
        inc.block_pairs([1], [0], [1], [1], 2, per_entity=3)
