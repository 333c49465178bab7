"""Retrieval look-ups made cheaper without changing a candidate (issue 12, session 24, det24): each numpy look-up gives
exactly what a straightforward scan gives. These pass on main df40f22 too (the look-ups were right there, only slower);
what they guard is that the cheaper ones stay equal to the plain scan."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection.trademark import _MIDDLE, _SEP, TrademarkDetector, _code_points, _HashTable
from regional.domain import Right, RightKind

_MARKS = ["鸿星尔克", "三元食品", "三食元品", "鸿尔星克", "安踏体育", "星星点灯", "特步", "元气森林", "食品安全", "尔克鸿星"]


def _tm(number: str, text: str) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", (25,))


_DETECTOR = TrademarkDetector([_tm(f"R-{k}", text) for k, text in enumerate(_MARKS)])
_ALPHABET = sorted(set("".join(_MARKS)) | set("的好鞋"))


def _middle_found(titles: list[str]) -> list[dict[tuple[int, int, int], None]]:
    """_middle_candidates() of a batch of compact titles, its arguments made as _cjk_candidates_all() makes them."""
    found: list[dict[tuple[int, int, int], None]] = [{} for _ in titles]
    units = _code_points(_SEP.join(titles)).astype(np.int64)
    if len(units) < 3:
        return found
    starts = np.zeros(len(titles), dtype=np.int64)
    if len(titles) > 1:
        np.cumsum([len(t) + 1 for t in titles[:-1]], out=starts[1:])
    _DETECTOR._middle_candidates(units, starts, found)
    return found


def _middle_scanned(titles: list[str]) -> list[set[tuple[int, int, int]]]:
    """The same by a plain scan: every three-character window that is a four-character mark's first three characters
    with its two middle characters swapped (the mark's two middle characters differ)."""
    marks = _DETECTOR._marks
    out = []
    for title in titles:
        got = set()
        for o in range(len(title) - 2):
            for i, mark in enumerate(marks):
                t = mark.text
                if len(t) == 4 and t[1] != t[2] and title[o:o + 3] == t[0] + t[2] + t[1]:
                    got.add((i, o, _MIDDLE))
        out.append(got)
    return out


def test_middle_swaps_are_found_where_a_title_has_them() -> None:
    titles = ["鸿尔星克运动鞋", "好的三食元品", "特步", "", "鸿尔星", "星尔"]
    found = _middle_found(titles)
    assert [set(f) for f in found] == _middle_scanned(titles)
    assert found[0] and found[1] and found[4] and not found[2] and not found[5]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=12), max_size=12))
def test_middle_swaps_of_a_batch_equal_a_plain_scan(titles: list[str]) -> None:
    assert [set(f) for f in _middle_found(titles)] == _middle_scanned(titles)


_HASHES = st.lists(st.integers(min_value=0, max_value=2**64 - 1) | st.integers(min_value=0, max_value=6), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_HASHES, _HASHES)
def test_a_hash_table_finds_every_equal_entry_by_query_then_entry(keys: list[int], queries: list[int]) -> None:
    hashes = np.array(keys, dtype=np.uint64)
    ids = np.arange(len(keys), dtype=np.int64)
    table = _HashTable(hashes, ids, ids, ids)
    row, entry = table.find(np.array(queries, dtype=np.uint64))
    assert row.dtype == np.int64 and entry.dtype == np.int64
    # the same pairs, in the same order, as comparing every query with every entry of the sorted table
    assert list(zip(row.tolist(), entry.tolist(), strict=True)) == [
        (q, e) for q, h in enumerate(queries) for e, k in enumerate(table.hashes.tolist()) if k == h]
    assert sorted(table.mark[entry].tolist()) == sorted(i for h in queries for i, k in enumerate(keys) if k == h)


_FEATURES = _DETECTOR.model.features
_VALUE = st.floats(min_value=-10, max_value=10) | st.booleans() | st.integers(min_value=-3, max_value=3)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from([*_FEATURES, "not_a_feature"]), _VALUE), max_size=6))
def test_feature_rows_of_a_batch_equal_row_by_row(values: list[dict[str, float]]) -> None:
    model = _DETECTOR.model
    rows = model.rows(values)
    assert rows.shape == (len(values), len(_FEATURES)) and rows.dtype == np.float64
    assert rows.tolist() == [model.row(v) for v in values]
    if values:
        assert model.probability(rows).tolist() == model.probability([model.row(v) for v in values]).tolist()
