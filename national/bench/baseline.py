"""The exact-key baseline: union every pair of records sharing a normalized credit code, phone or shop id."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from national.dedup.table import Table


def exact_key_clusters(table: Table, keys: tuple[tuple[str, str], ...] = (("uscc", "value"), ("phone", "value"),
                                                                           ("shop_url", "value"))) -> npt.NDArray[np.int64]:
    """Connected components of the 'shares a key' graph (star edges to each key's first record)."""
    n = table.size
    rows, cols = [], []
    for field, part in keys:
        ids = table.column(field, part).ids
        present = np.flatnonzero(ids >= 0)
        order = present[np.argsort(ids[present], kind="stable")]
        sorted_ids = ids[order]
        starts = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]
        anchor = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
        rows.append(anchor)
        cols.append(order)
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)
