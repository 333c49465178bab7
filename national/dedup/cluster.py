"""Clustering that does not chain: strongest links first, and never across a cannot-link conflict.

Edges above the link threshold are applied in descending order of match weight with a
union–find. Each cluster remembers its valid values of the cannot-link fields (a verified
credit code); two clusters holding different valid codes are never merged, so one shared
weak attribute — a logistics agent's phone — cannot pull distinct companies together.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


def constrained_clusters(n: int, left: IntArray, right: IntArray, weight: FloatArray,
                         cannot: Sequence[IntArray] = ()) -> tuple[npt.NDArray[np.int64], int]:
    """Cluster label (smallest member index) per record, and how many merges were refused."""
    order = np.argsort(-weight, kind="stable")
    parent = list(range(n))
    # per root: the constrained value of each cannot-link field (-1 = none yet)
    held = [arr.astype(np.int64).tolist() for arr in cannot]
    refused = 0

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in zip(left[order].tolist(), right[order].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        clash = False
        for values in held:
            va, vb = values[ra], values[rb]
            if va >= 0 and vb >= 0 and va != vb:
                clash = True
                break
        if clash:
            refused += 1
            continue
        if ra > rb:
            ra, rb = rb, ra
        parent[rb] = ra
        for values in held:
            if values[ra] < 0:
                values[ra] = values[rb]
    labels = np.fromiter((find(x) for x in range(n)), dtype=np.int64, count=n)
    return labels, refused
