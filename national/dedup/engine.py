"""The entity-resolution pipeline: block -> compare -> Fellegi–Sunter weights -> constrained clustering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from national.dedup.blocking import BlockStats, Candidates, candidate_pairs
from national.dedup.compare import (
    VETO_WEIGHT,
    Comparer,
    Levels,
    apply_decisive,
    same_full_name,
    same_trade_name,
)
from national.dedup.config import LinkConfig
from national.dedup.incremental import table_facts
from national.dedup.linking import EntityFacts, link_candidates, link_entities, link_weight
from national.dedup.model import (
    MatchModel,
    estimate,
    estimate_u,
    match_weights,
    probability,
    rare_key_agreements,
)
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
    refused: list[tuple[int, int, str]] = field(default_factory=list)  # (record a, record b, why) links not taken

    def review_pairs(self, low: float, high: float) -> npt.NDArray[np.intp]:
        """Indices of scored pairs whose probability lies in [low, high): candidates for an officer."""
        return np.flatnonzero((self.probability >= low) & (self.probability < high))

    @property
    def clusters(self) -> int:
        """Number of distinct clusters."""
        return int(len(np.unique(self.labels)))


def _silent(_: str) -> None:
    return None


class StageClock:
    """CPU seconds (process time) per stage of a run: `lap(stage)` charges the time since the last lap to
    `stage`. Pure bookkeeping: the caller passes one in to see where the time goes (`hufu bench dedup
    --stages`); without one nothing is measured."""

    def __init__(self) -> None:
        """Start the clock now."""
        import time

        self._now = time.process_time
        self.seconds: dict[str, float] = {}
        self._last = self._now()

    def lap(self, stage: str) -> None:
        """Charge the CPU time since the previous lap to `stage`."""
        now = self._now()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


class _NoClock:
    def lap(self, stage: str) -> None:
        del stage


class _FactsOf(dict[int, EntityFacts]):
    """Facts of the linked records; a record without links is a plain one-record entity."""

    def __missing__(self, key: int) -> EntityFacts:
        return EntityFacts()


def _pairs(left: IntArray, right: IntArray, mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    return list(zip(left[mask].tolist(), right[mask].tolist(), strict=True))


def first_member_labels(n: int, absorbed_to: dict[int, int]) -> npt.NDArray[np.int64]:
    """Per record, the smallest record index of its cluster."""
    root = np.fromiter((absorbed_to.get(k, k) for k in range(n)), dtype=np.int64, count=n)
    first = np.full(n, n, dtype=np.int64)
    np.minimum.at(first, root, np.arange(n, dtype=np.int64))
    return first[root]


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


def resolve(table: Table, config: LinkConfig, progress: Progress = _silent,
            clock: StageClock | None = None) -> Resolution:
    """Link the records of `table` into clusters of one real-world entity each (`clock`: CPU time per stage)."""
    lap = (clock or _NoClock()).lap
    config.validate()
    comparer = Comparer(table, config)
    cand = candidate_pairs(table, config)
    lap("blocking")
    progress(f"blocking: {len(cand):,} candidate pairs from {table.size:,} records "
             + ", ".join(f"{s.rule}={s.pairs:,}" + (f" (skipped {s.oversized_blocks} oversized)"
                                                     if s.oversized_blocks else "") for s in cand.stats))
    levels = comparer.levels(cand.left, cand.right)
    lap("comparison levels")
    progress(f"compared {len(cand):,} pairs on {len(config.fields)} fields")
    if config.model is not None and table.size < config.min_records_for_em:
        model = MatchModel.from_dict(config.model, config, table.size)
        if table.size >= 2:
            model = model.with_population_u(estimate_u(comparer, table, config))
        progress(f"small batch: stored model used (EM needs {config.min_records_for_em:,} records), u from "
                 f"random pairs of this batch")
    else:
        model = _fit(table, config, comparer, cand, levels)
    lap("model (u sample, EM)")
    weights = apply_decisive(match_weights(model, levels, comparer, cand.left, cand.right), comparer, levels,
                             cand.left, cand.right,
                             rare_key_agreements(model, levels, comparer, cand.left, cand.right))
    prob = probability(weights)
    lap("weights")
    progress(f"model fitted: prior {model.prior:.4f}; {(prob >= config.link_probability).sum():,} links above "
             f"{config.link_probability}")
    attachable = same_trade_name(comparer, levels) & (weights > VETO_WEIGHT)
    strong = link_candidates(prob, cand.left, cand.right, [], config.link_probability, attachable)
    left, right = cand.left[strong], cand.right[strong]
    involved = np.unique(np.concatenate([left, right])) if len(strong) else np.zeros(0, np.int32)
    facts, weak = table_facts(table, config, involved)  # only records with a link need their facts
    lap("record facts")
    edges = list(zip(left.tolist(), right.tolist(), weights[strong].tolist(), strict=True))
    same_name = _pairs(left, right, same_full_name(comparer, left, right))
    lap("edges")
    linked = involved.tolist()  # each record its own entity to begin with (a plain dict: looked up many times)
    linking = link_entities(dict(zip(linked, linked, strict=True)), _FactsOf(facts), edges,
                            weak=[k for k, w in weak.items() if w],
                            firm_weight=link_weight(config.link_probability), same_name=same_name)
    lap("linking")
    labels = first_member_labels(table.size, linking.survivor())
    lap("labels")
    refused = len(linking.refused)
    progress(f"clustered: {len(np.unique(labels)):,} clusters; {refused:,} links refused (contradictions, "
             f"ambiguous weak records)")
    return Resolution(labels, cand.left, cand.right, prob, model, cand.stats, refused, linking.refused)
