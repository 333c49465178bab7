"""The entity-resolution pipeline: block -> compare -> Fellegi–Sunter weights -> constrained clustering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from national.dedup.blocking import BlockStats, Candidates, candidate_pairs
from national.dedup.cluster import constrained_clusters
from national.dedup.compare import Comparer, Levels
from national.dedup.config import FieldKind, LinkConfig
from national.dedup.model import MatchModel, estimate, estimate_u, match_weights, probability
from national.dedup.table import Table

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
Progress = Callable[[str], None]


@dataclass
class Resolution:
    """The outcome of one run: a cluster label per record, the scored pairs and the fitted model."""

    labels: npt.NDArray[np.int64]
    left: IntArray
    right: IntArray
    probability: FloatArray
    model: MatchModel
    blocking: list[BlockStats] = field(default_factory=list)
    refused_merges: int = 0

    def review_pairs(self, low: float, high: float) -> npt.NDArray[np.intp]:
        """Indices of scored pairs whose probability lies in [low, high): candidates for an officer."""
        return np.flatnonzero((self.probability >= low) & (self.probability < high))

    @property
    def clusters(self) -> int:
        """Number of distinct clusters."""
        return int(len(np.unique(self.labels)))


def _silent(_: str) -> None:
    return None


def _cannot_link(table: Table, config: LinkConfig, comparer: Comparer) -> list[IntArray]:
    out = []
    for name in config.cannot_link:
        spec = config.field(name)
        ids = table.column(name).ids
        if spec.kind == FieldKind.USCC:
            valid = comparer.valid[name]
            if len(valid) == 0:  # no record has a credit code: nothing to keep apart on it
                ids = np.full(len(ids), -1, np.int32)
            else:
                ids = np.where((ids >= 0) & valid[np.maximum(ids, 0)], ids, -1).astype(np.int32)
        out.append(ids)
    return out


def _fit(table: Table, config: LinkConfig, comparer: Comparer, cand: Candidates, levels: Levels) -> MatchModel:
    """u from random pairs, m by EM sessions (one per blocking rule), then the population prior."""
    u = estimate_u(comparer, table, config)
    field_index = {spec.name: f for f, spec in enumerate(config.fields)}
    rng = np.random.default_rng(config.seed)
    sessions = []
    for rule in config.blocking:
        rows = cand.by_rule.get(rule.name, np.zeros(0, np.intp))
        if len(rows) > config.training_pairs:
            rows = np.sort(rng.choice(rows, config.training_pairs, replace=False))
        sessions.append(([field_index[p.field] for p in rule.parts], rows))
    return estimate(levels, u, config, sessions, total_pairs=table.size * (table.size - 1) // 2)


def resolve(table: Table, config: LinkConfig, progress: Progress = _silent) -> Resolution:
    """Link the records of `table` into clusters of one real-world entity each."""
    config.validate()
    comparer = Comparer(table, config)
    cand = candidate_pairs(table, config)
    progress(f"blocking: {len(cand):,} candidate pairs from {table.size:,} records "
             + ", ".join(f"{s.rule}={s.pairs:,}" + (f" (skipped {s.oversized_blocks} oversized)"
                                                     if s.oversized_blocks else "") for s in cand.stats))
    levels = comparer.levels(cand.left, cand.right)
    progress(f"compared {len(cand):,} pairs on {len(config.fields)} fields")
    if config.model is not None and table.size < config.min_records_for_em:
        model = MatchModel.from_dict(config.model, config, table.size)
        progress(f"small batch: stored model used (EM needs {config.min_records_for_em:,} records)")
    else:
        model = _fit(table, config, comparer, cand, levels)
    weights = match_weights(model, levels, comparer, cand.left, cand.right)
    prob = probability(weights)
    progress(f"model fitted: prior {model.prior:.4f}; {(prob >= config.link_probability).sum():,} links above "
             f"{config.link_probability}")
    strong = np.flatnonzero(prob >= config.link_probability)
    labels, refused = constrained_clusters(table.size, cand.left[strong], cand.right[strong], weights[strong],
                                           _cannot_link(table, config, comparer))
    progress(f"clustered: {len(np.unique(labels)):,} clusters; {refused:,} merges refused by cannot-link")
    return Resolution(labels, cand.left, cand.right, prob, model, cand.stats, refused)
