"""Pairwise comparisons, vectorized: each field gives every pair a level (0 = a value is missing).

Levels rise with agreement; the top level is always exact agreement. String similarities are
computed once per distinct value pair with rapidfuzz's parallel `cpdist`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler, Levenshtein

from national.dedup.config import FieldKind, FieldSpec, LinkConfig
from national.dedup.table import Column, Table
from regional.identifiers import USCC_CHARSET

Levels = npt.NDArray[np.int8]
IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

_METRICS: dict[str, Any] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "levenshtein": Levenshtein.normalized_similarity,
    "indel": Indel.normalized_similarity,
}


def level_count(spec: FieldSpec) -> int:
    """Number of non-null levels of a field."""
    return {
        FieldKind.EXACT: 2,
        FieldKind.SHOP_URL: 2,
        FieldKind.STRING: len(spec.thresholds) + 2,
        FieldKind.USCC: 3,
        FieldKind.PHONE: 3,
        FieldKind.NAME: 4,
        FieldKind.ADDRESS: 5,
    }[spec.kind]


def similarity(column: Column, a: IntArray, b: IntArray, metric: str) -> FloatArray:
    """Similarity in [0, 1] of vocabulary values a[k] and b[k]; computed once per distinct pair."""
    if len(a) == 0:
        return np.zeros(0)
    width = np.int64(len(column.vocab) + 1)
    codes = a.astype(np.int64) * width + b.astype(np.int64)
    uniq, inverse = np.unique(codes, return_inverse=True)
    vocab = column.vocab
    left = [vocab[i] for i in (uniq // width).tolist()]
    right = [vocab[i] for i in (uniq % width).tolist()]
    scores = process.cpdist(left, right, scorer=_METRICS[metric], workers=-1, dtype=np.float32)
    return np.asarray(scores, dtype=np.float64)[inverse]


def _thresholded(sim: FloatArray, thresholds: tuple[float, ...]) -> Levels:
    """1 below every threshold ... len(thresholds)+1 at or above the highest."""
    out = np.ones(len(sim), dtype=np.int8)
    for t in sorted(thresholds):
        out += (sim >= t).astype(np.int8)
    return out


def _exact(col: Column, i: IntArray, j: IntArray) -> Levels:
    a, b = col.ids[i], col.ids[j]
    out = np.where(a == b, 2, 1).astype(np.int8)
    out[(a < 0) | (b < 0)] = 0
    return out


def _string(col: Column, i: IntArray, j: IntArray, spec: FieldSpec) -> Levels:
    a, b = col.ids[i], col.ids[j]
    top = len(spec.thresholds) + 2
    out = np.full(len(a), top, dtype=np.int8)
    differ = (a != b) & (a >= 0) & (b >= 0)
    out[differ] = _thresholded(similarity(col, a[differ], b[differ], spec.metric), spec.thresholds)
    out[(a < 0) | (b < 0)] = 0
    return out


def uscc_hamming(col: Column, a: IntArray, b: IntArray) -> IntArray:
    """Differing characters between codes a[k] and b[k] (all 18 characters long)."""
    matrix = np.frombuffer("".join(col.vocab).encode("ascii"), dtype=np.uint8).reshape(-1, 18) \
        if col.vocab else np.zeros((0, 18), np.uint8)
    out = np.zeros(len(a), dtype=np.int32)
    step = 1_000_000
    for s in range(0, len(a), step):
        out[s:s + step] = (matrix[a[s:s + step]] != matrix[b[s:s + step]]).sum(axis=1)
    return out


_USCC_WEIGHTS = np.array([pow(3, k, 31) for k in range(17)], dtype=np.int64)


def uscc_valid(col: Column) -> npt.NDArray[np.bool_]:
    """Per vocabulary value: does its check character verify (GB 32100)? Vectorized is_valid_uscc."""
    if not col.vocab:
        return np.zeros(0, dtype=bool)
    lookup = np.full(128, -1, dtype=np.int64)
    for k, ch in enumerate(USCC_CHARSET):
        lookup[ord(ch)] = k
    chars = lookup[np.frombuffer("".join(col.vocab).encode("ascii"), dtype=np.uint8).reshape(-1, 18)]
    check = (31 - (chars[:, :17] * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return (check == chars[:, 17]) & (chars >= 0).all(axis=1)


def _uscc(col: Column, i: IntArray, j: IntArray, valid: npt.NDArray[np.bool_]) -> Levels:
    a, b = col.ids[i], col.ids[j]
    out = np.where(a == b, 3, 1).astype(np.int8)
    differ = np.flatnonzero((a != b) & (a >= 0) & (b >= 0))
    if len(differ):
        da, db = a[differ], b[differ]
        # Two valid codes never differ by one typo (the check character catches it): a near miss
        # is evidence only when one side fails its check.
        near = (uscc_hamming(col, da, db) <= 2) & ~(valid[da] & valid[db])
        out[differ[near]] = 2
    out[(a < 0) | (b < 0)] = 0
    return out


def _phone(full: Column, local: Column, i: IntArray, j: IntArray) -> Levels:
    a, b = full.ids[i], full.ids[j]
    la, lb = local.ids[i], local.ids[j]
    out = np.where(a == b, 3, 1).astype(np.int8)
    no_area = np.fromiter((v.startswith("-") for v in full.vocab), dtype=bool, count=len(full.vocab))
    same_local = (la == lb) & (la >= 0) & (a != b) & (a >= 0) & (b >= 0)
    idx = np.flatnonzero(same_local)
    out[idx[no_area[a[idx]] | no_area[b[idx]]]] = 2
    out[(a < 0) | (b < 0)] = 0
    return out


def _name(table: Table, spec: FieldSpec, i: IntArray, j: IntArray) -> Levels:
    """4 core exact, 3 same trade name (字号), 2 similar core, 1 different or registered in different places."""
    core, brand, place = (table.column(spec.name, p) for p in ("core", "brand", "place"))
    a, b = core.ids[i], core.ids[j]
    out = np.full(len(a), 4, dtype=np.int8)
    differ = np.flatnonzero((a != b) & (a >= 0) & (b >= 0))
    sim = similarity(core, a[differ], b[differ], "indel")
    out[differ] = np.where(sim >= spec.thresholds[0], 2, 1)
    same_brand = differ[brand.ids[i[differ]] == brand.ids[j[differ]]]
    out[same_brand] = 3
    pa, pb = place.ids[i], place.ids[j]
    both = np.flatnonzero((pa >= 0) & (pb >= 0) & (pa != pb))
    if len(both):
        codes = place.vocab
        # Names are unique only within one registration authority: 深圳市华强电子 and 广州市华强电子 are two firms.
        compatible = np.fromiter(
            (codes[x][:2] == codes[y][:2] and (codes[x].endswith("0000") or codes[y].endswith("0000"))
             for x, y in zip(pa[both].tolist(), pb[both].tolist(), strict=True)), dtype=bool, count=len(both))
        out[both[~compatible]] = 1
    out[(a < 0) | (b < 0)] = 0
    return out


_NUMBER = re.compile(r"\d+")


def _house_numbers(street: Column) -> IntArray:
    """Per street value: its first number (the house number, usually), -1 when none."""
    out = np.full(len(street.vocab), -1, dtype=np.int64)
    for k, text in enumerate(street.vocab):
        found = _NUMBER.search(text)
        if found is not None:
            out[k] = int(found.group()[:15])
    return out  # type: ignore[return-value]


def _address(table: Table, spec: FieldSpec, i: IntArray, j: IntArray) -> Levels:
    county = table.column(spec.name, "county")
    prefecture = table.column(spec.name, "prefecture")
    street = table.column(spec.name, "street")
    ca, cb = county.ids[i], county.ids[j]
    pa, pb = prefecture.ids[i], prefecture.ids[j]
    sa, sb = street.ids[i], street.ids[j]
    out = np.where(pa == pb, 2, 1).astype(np.int8)
    place = (pa == pb) & ((ca == cb) | (ca < 0) | (cb < 0)) & (pa >= 0)
    out[place & (ca == cb) & (ca >= 0)] = 3
    has_street = place & (sa >= 0) & (sb >= 0)
    exact = has_street & (sa == sb)
    out[exact] = 5
    fuzzy = np.flatnonzero(has_street & (sa != sb))
    if len(fuzzy):
        sim = similarity(street, sa[fuzzy], sb[fuzzy], "indel")
        numbers = _house_numbers(street)
        na, nb = numbers[sa[fuzzy]], numbers[sb[fuzzy]]
        # 稠州北路1号 and 稠州北路12号 are alike as strings but are different buildings
        same_number = (na == nb) | (na < 0) | (nb < 0)
        out[fuzzy[(sim >= spec.thresholds[0]) & same_number]] = 4
    missing = (pa < 0) | (pb < 0)
    # Without a division on one side only the street can tell; treat an equal street as same place.
    out[missing] = np.where((sa[missing] == sb[missing]) & (sa[missing] >= 0), 5, 0)
    return out


class Comparer:
    """Computes comparison levels for pairs of one table under one config."""

    def __init__(self, table: Table, config: LinkConfig) -> None:
        """Precompute per-vocabulary facts (credit-code validity)."""
        self.table = table
        self.config = config
        self.valid: dict[str, npt.NDArray[np.bool_]] = {
            spec.name: uscc_valid(table.column(spec.name)) for spec in config.fields if spec.kind == FieldKind.USCC
        }

    def field_levels(self, spec: FieldSpec, i: IntArray, j: IntArray) -> Levels:
        """Levels of one field for pairs (i[k], j[k])."""
        t = self.table
        if spec.kind in (FieldKind.EXACT, FieldKind.SHOP_URL):
            return _exact(t.column(spec.name), i, j)
        if spec.kind == FieldKind.STRING:
            return _string(t.column(spec.name), i, j, spec)
        if spec.kind == FieldKind.USCC:
            return _uscc(t.column(spec.name), i, j, self.valid[spec.name])
        if spec.kind == FieldKind.PHONE:
            return _phone(t.column(spec.name, "value"), t.column(spec.name, "local"), i, j)
        if spec.kind == FieldKind.NAME:
            return _name(t, spec, i, j)
        return _address(t, spec, i, j)

    def levels(self, i: IntArray, j: IntArray) -> Levels:
        """Levels of every field: an array of shape (pairs, fields)."""
        out = np.zeros((len(i), len(self.config.fields)), dtype=np.int8)
        for f, spec in enumerate(self.config.fields):
            out[:, f] = self.field_levels(spec, i, j)
        return out
