"""Blocking: records that share a key become candidate pairs; oversized blocks are skipped, never all-pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from national.dedup.config import BlockingRule, KeyPart, LinkConfig
from national.dedup.table import Column, Table

Int64Array = npt.NDArray[np.int64]
IntArray = npt.NDArray[np.int32]


@dataclass
class BlockStats:
    """What one blocking rule produced."""

    rule: str
    pairs: int = 0
    blocks: int = 0
    oversized_blocks: int = 0
    oversized_records: int = 0


@dataclass
class Candidates:
    """Unique candidate pairs (i < j) and per-rule statistics."""

    left: IntArray
    right: IntArray
    stats: list[BlockStats] = field(default_factory=list)
    by_rule: dict[str, npt.NDArray[np.intp]] = field(default_factory=dict)  # rule -> indices into the pairs

    def __len__(self) -> int:
        """Number of pairs."""
        return len(self.left)


def sorted_unique(values: Int64Array) -> Int64Array:
    """Sorted distinct values (sort-based; faster than np.unique's hashing for large int arrays)."""
    if len(values) == 0:
        return values
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def _factorize(values: list[str | None]) -> IntArray:
    """Vocabulary-level transform result -> new ids (-1 for None)."""
    seen: dict[str, int] = {}
    return np.fromiter((-1 if v is None else seen.setdefault(v, len(seen)) for v in values),
                       dtype=np.int32, count=len(values))


def _uscc_pieces(code: str) -> list[str]:
    # One substitution touches exactly one of the three pieces, so one of the keys without it survives.
    head, mid, tail = code[:8], code[8:13], code[13:]
    return [head + mid, head + tail, mid + tail]


def _transform(column: Column, part: KeyPart) -> list[IntArray]:
    """Per-record key ids of one key part; several arrays when the transform is multi-valued."""
    vocab = column.vocab
    if part.transform == "value":
        return [column.ids]
    if part.transform == "uscc_parts":
        pieces = [_uscc_pieces(v) if len(v) == 18 else [v, v, v] for v in vocab]
        maps = [_factorize([p[k] for p in pieces]) for k in range(3)]
    elif part.transform == "sorted":  # the characters in order: two neighbours swapped (徐氏/氏徐) keep the key
        maps = [_factorize(["".join(sorted(v)) for v in vocab])]
    elif part.transform == "each":  # every '|'-separated value, numbered in one space (see `pooled`)
        several = [k for k, v in enumerate(vocab) if "|" in v]
        if not several:  # one value each (most data): the column's own ids are the keys
            return [column.ids]
        index = {v: k for k, v in enumerate(vocab)}  # a value held alone keeps its id; '|' never is in one
        split = {k: vocab[k].split("|") for k in several}
        maps = [np.arange(len(vocab), dtype=np.int32)]
        for k, values in split.items():
            while len(maps) < len(values):
                maps.append(np.full(len(vocab), -1, dtype=np.int32))
            for position, value in enumerate(values):
                maps[position][k] = index.setdefault(value, len(index))
    else:
        kind, _, n_text = part.transform.partition(":")
        n = int(n_text)
        cut = (lambda v: v[:n]) if kind == "prefix" else (lambda v: v[-n:])
        maps = [_factorize([cut(v) if len(v) >= n else None for v in vocab])]
    out = []
    for mapping in maps:
        mapped = np.full(len(column.ids), -1, dtype=np.int32)
        present = column.ids >= 0
        if len(mapping):
            mapped[present] = mapping[column.ids[present]]
        out.append(mapped)
    return out


def rule_keys(table: Table, rule: BlockingRule) -> list[Int64Array]:
    """Per-record keys of one rule (-1 where any part is missing); one array per alternative."""
    alternatives: list[Int64Array] | None = None
    for part in rule.parts:
        arrays = _transform(table.column(part.field, part.part), part)
        if alternatives is None:
            alternatives = [a.astype(np.int64) for a in arrays]
            continue
        combined = []
        for prev in alternatives:
            for arr in arrays:
                width = int(arr.max(initial=-1)) + 2
                key = np.where((prev >= 0) & (arr >= 0), prev * width + arr, -1)
                if int(prev.max(initial=0)) * width > 2**40:  # keep codes small: refactorize
                    uniq, inverse = np.unique(key, return_inverse=True)
                    key = np.where(key >= 0, inverse - int(uniq[0] < 0), -1).astype(np.int64)
                combined.append(key)
        alternatives = combined
    return alternatives or []


def pooled(rule: BlockingRule) -> bool:
    """Do the alternative keys of a rule meet one another (a part with the `each` transform: a record's second phone
    number against another's first), rather than each alternative only its own kind (`uscc_parts`)?"""
    return any(part.transform == "each" for part in rule.parts)


def pairs_from_keys(keys: Int64Array, max_block: int, stats: BlockStats,
                    records: IntArray | None = None) -> tuple[IntArray, IntArray]:
    """All pairs inside each block of equal keys, skipping blocks larger than `max_block`. `records`: the record of
    each key when a record holds several (pooled keys); a record never pairs with itself."""
    if records is not None:
        left, right = pairs_from_keys(keys, max_block, stats)
        left, right = records[left], records[right]
        differ = left != right
        return left[differ], right[differ]
    present = np.flatnonzero(keys >= 0)
    order = present[np.argsort(keys[present], kind="stable")].astype(np.int32)
    sorted_keys = keys[order]
    if len(order) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    big = sizes > max_block
    stats.oversized_blocks += int(big.sum())
    stats.oversized_records += int(sizes[big].sum())
    stats.blocks += int(((sizes >= 2) & ~big).sum())
    lefts, rights = [], []
    for size in np.unique(sizes[(sizes >= 2) & ~big]):
        block_starts = starts[sizes == size]
        a, b = np.triu_indices(int(size), 1)
        lefts.append(order[block_starts[:, None] + a].ravel())
        rights.append(order[block_starts[:, None] + b].ravel())
    if not lefts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(lefts), np.concatenate(rights)


def candidate_pairs(table: Table, config: LinkConfig) -> Candidates:
    """The union of every rule's pairs, each pair once with i < j, with the pairs each rule found."""
    per_rule: dict[str, Int64Array] = {}
    stats = []
    n = np.int64(max(table.size, 1))
    for rule in config.blocking:
        rule_stats = BlockStats(rule.name)
        codes = []
        alternatives = rule_keys(table, rule)
        records = None
        if pooled(rule) and len(alternatives) > 1:  # one key space: every alternative meets every other
            records = np.tile(np.arange(table.size, dtype=np.int32), len(alternatives))
            alternatives = [np.concatenate(alternatives)]
        for keys in alternatives:
            left, right = pairs_from_keys(keys, config.max_block, rule_stats, records)
            lo = np.minimum(left, right).astype(np.int64)
            hi = np.maximum(left, right).astype(np.int64)
            codes.append(lo * n + hi)
        rule_codes = sorted_unique(np.concatenate(codes)) if codes else np.zeros(0, np.int64)
        rule_stats.pairs = len(rule_codes)
        per_rule[rule.name] = rule_codes
        stats.append(rule_stats)
    if not per_rule:
        return Candidates(np.zeros(0, np.int32), np.zeros(0, np.int32), stats)
    unique = sorted_unique(np.concatenate(list(per_rule.values())))
    by_rule = {name: np.searchsorted(unique, codes) for name, codes in per_rule.items()}
    return Candidates((unique // n).astype(np.int32), (unique % n).astype(np.int32), stats, by_rule)
