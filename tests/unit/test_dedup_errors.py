"""national.bench.dedup_errors.breakdown: wrong pairs split by how the clusters went wrong; the counts add up to
the false and missed pairs of the clustering."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from national.bench.dedup_errors import ANCHORED, NO_LINK, UNANCHORED, WEAK, breakdown


def _pairs(keys: list[int]) -> set[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        groups[k].append(i)
    return {p for g in groups.values() for p in itertools.combinations(g, 2)}


def test_a_weak_record_joined_to_a_namesake_and_a_piece_left_apart() -> None:
    # records 0-2: firm A (0 has an identity, 1 a phone, 2 a bare shop name); 3-4: firm B (3 an identity, 4 weak)
    truth = [1, 1, 1, 2, 2]
    kinds = [ANCHORED, UNANCHORED, WEAK, ANCHORED, WEAK]
    labels = [0, 0, 3, 3, 3]  # A's shop name (2) sits with B; A's records 0, 1 apart from it
    false, missed = breakdown(labels, truth, kinds, {(1, 2): "weak record linked to several entities"})
    assert false == {"weak records joined to another entity": 2}  # (2, 3), (2, 4)
    assert missed == {f"{WEAK} piece apart: weak record linked to several entities": 2}  # (0, 2), (1, 2)


def test_two_firms_with_identities_in_one_cluster() -> None:
    truth = [1, 1, 2]
    kinds = [ANCHORED, ANCHORED, ANCHORED]
    false, missed = breakdown([0, 0, 0], truth, kinds, {})
    assert false == {"identity joined to a cluster with an identity": 2}
    assert not missed
    false, missed = breakdown([0, 1, 2], truth, kinds, {})
    assert not false
    assert missed == {f"{ANCHORED} piece apart: {NO_LINK}": 1}


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from([WEAK, UNANCHORED, ANCHORED])),
                max_size=25))
def test_the_counts_add_up_to_the_false_and_missed_pairs(rows: list[tuple[int, int, str]]) -> None:
    labels, truth, kinds = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    false, missed = breakdown(labels, truth, kinds, {})
    found, true = _pairs(labels), _pairs(truth)
    assert sum(false.values()) == len(found - true)
    assert sum(missed.values()) == len(true - found)
