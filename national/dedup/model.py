"""Fellegi–Sunter match model: u from random pairs, m and the prior by EM, weights with term frequencies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from national.dedup.compare import Comparer, Levels, level_count, shared_numbers
from national.dedup.config import FieldKind, FieldSpec, LinkConfig
from national.dedup.table import Table

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

_TF_PART = {FieldKind.NAME: "core", FieldKind.PHONE: "value"}


def tf_levels(spec: FieldSpec) -> dict[int, str]:
    """level -> the part whose value agrees at that level (its term frequency then weighs the agreement down)."""
    if spec.kind == FieldKind.NAME:
        return {4: "brand", 5: "core", 6: "core"}  # same trade name (weak side); same core; same registered name
    return {level_count(spec): _TF_PART.get(spec.kind, "value")}


@dataclass
class FieldModel:
    """m and u probabilities per level of one field (index 0, the null level, is unused)."""

    name: str
    m: FloatArray
    u: FloatArray

    def weights(self) -> FloatArray:
        """log2(m/u) per level; 0 for the null level."""
        w = np.log2(self.m / self.u)
        w[0] = 0.0
        return w


@dataclass
class MatchModel:
    """A fitted Fellegi–Sunter model."""

    fields: list[FieldModel]
    prior: float

    def prior_weight(self) -> float:
        """log2 of the prior odds of a match among candidate pairs."""
        return float(np.log2(self.prior / (1.0 - self.prior)))

    def matches_per_record(self, records: int) -> float:
        """Expected true matches per record; unlike the prior, roughly independent of the batch size."""
        return self.prior * (records - 1) / 2.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], config: LinkConfig, records: int) -> MatchModel:
        """A stored model (see `as_dict`) applied to a batch of `records` records."""
        fields = []
        for spec in config.fields:
            entry = data["fields"][spec.name]
            if len(entry["m"]) != level_count(spec):
                raise ValueError(f"stored model: field {spec.name!r} has {len(entry['m'])} levels, "
                                 f"config needs {level_count(spec)}")
            fields.append(FieldModel(spec.name, np.array([1.0, *entry["m"]]), np.array([1.0, *entry["u"]])))
        prior = float(np.clip(2.0 * float(data["matches_per_record"]) / max(records - 1, 1), 1e-12, 0.5))
        return cls(fields, prior)

    def with_population_u(self, u: Sequence[FloatArray]) -> MatchModel:
        """This model with each level's u raised to what random pairs of the data at hand show.

        u is a property of the population being linked (how often unrelated sellers share a trade
        name, a phone, a street), not of the data the model was trained on; m is what carries over.
        Only raising u keeps a sparse sample's zero counts from inflating a weight. The expected
        matches among the random pairs are taken out first, as in `estimate`.
        """
        fields = []
        for fm, raw in zip(self.fields, u, strict=True):
            batch = np.maximum(raw - self.prior * fm.m, raw * 1e-3)
            u_new = np.maximum(fm.u, batch)
            u_new[0] = 1.0
            fields.append(FieldModel(fm.name, fm.m, u_new))
        return MatchModel(fields, self.prior)

    def as_dict(self, records: int = 0) -> dict[str, object]:
        """A JSON-ready view: per field, m, u and weight per level (and matches per record, given the size)."""
        return {"prior": self.prior, "matches_per_record": self.matches_per_record(records), "fields": {
            f.name: {"m": [float(f"{x:.6g}") for x in f.m[1:]], "u": [float(f"{x:.6g}") for x in f.u[1:]],
                     "weight": [round(float(x), 3) for x in f.weights()[1:]]} for f in self.fields}}


def random_pairs(n: int, count: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """`count` random pairs of distinct records (with replacement)."""
    if n < 2:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    i = rng.integers(0, n, size=count, dtype=np.int64)
    j = (i + rng.integers(1, n, size=count, dtype=np.int64)) % n
    return i.astype(np.int32), j.astype(np.int32)


def level_frequencies(levels: Levels, config: LinkConfig, weights: FloatArray | None = None) -> list[FloatArray]:
    """Per field, the (weighted) share of each non-null level, with add-one smoothing."""
    out = []
    w = np.ones(len(levels)) if weights is None else weights
    for f, spec in enumerate(config.fields):
        k = level_count(spec)
        counts = np.bincount(levels[:, f], weights=w, minlength=k + 1)[: k + 1].astype(np.float64)
        counts[1:] += 1e-3 * max(float(w.sum()), 1.0) / k if weights is not None else 1.0
        freq = counts.copy()
        freq[1:] = counts[1:] / counts[1:].sum()
        freq[0] = 1.0
        out.append(freq)
    return out


def estimate_u(comparer: Comparer, table: Table, config: LinkConfig) -> list[FloatArray]:
    """u probabilities from random record pairs, nearly all of which are non-matches."""
    rng = np.random.default_rng(config.seed)
    n = table.size
    count = int(min(config.u_sample_pairs, max(n * (n - 1) // 2, 1)))
    i, j = random_pairs(n, count, rng)
    return level_frequencies(comparer.levels(i, j), config)


def _initial_m(config: LinkConfig) -> list[FloatArray]:
    out = []
    for spec in config.fields:
        k = level_count(spec)
        m = np.array([1.0] + [2.0 ** (lv - k) for lv in range(1, k + 1)])
        m[1:] /= m[1:].sum()
        out.append(m)
    return out


def _em(patterns: Levels, counts: FloatArray, u: list[FloatArray], m: list[FloatArray], prior: float,
        config: LinkConfig, fixed_m: bool = False) -> tuple[list[FloatArray], float]:
    """EM over distinct comparison patterns: m (unless fixed) and the prior, u held fixed."""
    fields = range(len(config.fields))
    log_u = sum(np.log(u[f][patterns[:, f]]) for f in fields)
    for _ in range(config.em_iterations):
        log_m = sum(np.log(m[f][patterns[:, f]]) for f in fields)
        log_odds = np.log(prior) - np.log1p(-prior) + log_m - log_u
        post = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -50, 50)))
        weighted = counts * post
        prior = float(np.clip(weighted.sum() / max(counts.sum(), 1e-9), 1e-6, 0.999))
        if not fixed_m:
            m = level_frequencies(patterns, config, weights=weighted)
    return m, prior


def _patterns(levels: Levels, config: LinkConfig) -> tuple[Levels, FloatArray]:
    radix = [level_count(s) + 1 for s in config.fields]
    mult = np.cumprod([1] + radix[:-1]).astype(np.int64)
    codes = (levels.astype(np.int64) * mult).sum(axis=1)
    _, first, counts = np.unique(codes, return_index=True, return_counts=True)
    return levels[first], counts.astype(np.float64)


def estimate(levels: Levels, u: list[FloatArray], config: LinkConfig,
             sessions: Sequence[tuple[Sequence[int], npt.NDArray[np.intp]]] = (),
             total_pairs: int = 0) -> MatchModel:
    """Fit m and the prior by EM.

    Splink-style training sessions: each session is the pairs of one blocking rule with the
    fields that rule blocked on masked out (they agree by construction, which would bias EM);
    a field's m is the mean over the sessions that could see it. The prior is then refitted on
    all candidate pairs with m held fixed.
    """
    if not sessions:
        sessions = [((), np.arange(len(levels)))]
    estimates: list[list[FloatArray]] = [[] for _ in config.fields]
    for masked, rows in sessions:
        if len(rows) == 0:
            continue
        sub = levels[rows].copy()
        for f in masked:
            sub[:, f] = 0
        patterns, counts = _patterns(sub, config)
        m, _ = _em(patterns, counts, u, _initial_m(config), 0.3, config)
        for f in range(len(config.fields)):
            if f not in masked:
                estimates[f].append(m[f])
    init = _initial_m(config)
    m_final = [np.mean(estimates[f], axis=0) if estimates[f] else init[f] for f in range(len(config.fields))]
    patterns, counts = _patterns(levels, config)
    _, candidate_prior = _em(patterns, counts, u, m_final, 0.3, config, fixed_m=True)
    # The weights compare with u from random pairs, so the prior must be the population one:
    # expected matches among candidates over all pairs (matches outside the blocks are rare).
    prior = float(np.clip(candidate_prior * len(levels) / max(total_pairs, 1), 1e-12, 0.5))
    # Random pairs include the few matches; take them out of u so strong identifiers keep their strength.
    u_clean = []
    for f in range(len(config.fields)):
        corrected = np.maximum(u[f] - prior * m_final[f], u[f] * 1e-3)
        corrected[1:] /= corrected[1:].sum()
        corrected[0] = 1.0
        u_clean.append(corrected)
    return MatchModel([FieldModel(s.name, m_final[f], u_clean[f]) for f, s in enumerate(config.fields)], prior)


@dataclass(frozen=True)
class TermCounts:
    """How many records hold each value of a TF field part, counted over more than the table at hand.

    `counts[k]` belongs to vocabulary id k of the table's column; `present` is how many records hold
    any value. The incremental resolver scores a few thousand records against the national table
    and takes these from the stored key counts instead of from the small table.
    """

    counts: FloatArray
    present: float


def tf_part(kind: FieldKind) -> str:
    """The part of a field whose value frequencies weight its top-level agreements."""
    return _TF_PART.get(kind, "value")


def tf_parts(spec: FieldSpec) -> list[str]:
    """Every part of a field whose term frequencies are used (see `tf_levels`)."""
    return list(dict.fromkeys(tf_levels(spec).values())) if spec.tf else []


def match_weights(model: MatchModel, levels: Levels, comparer: Comparer, i: IntArray, j: IntArray,
                  tf: Mapping[str, TermCounts] | None = None, records: int | None = None) -> FloatArray:
    """Per pair: prior weight + sum of level weights, exact agreements on common values weighted down.

    `tf` and `records` override the table's own value counts and size (see `TermCounts`).
    """
    table, config = comparer.table, comparer.config
    size = table.size if records is None else records
    total = np.full(len(levels), model.prior_weight())
    for f, (spec, fm) in enumerate(zip(config.fields, model.fields, strict=True)):
        w = fm.weights()
        total += w[levels[:, f]]
        if not spec.tf:
            continue
        expected = 1.0 + 2.0 * model.matches_per_record(size)
        for level, part in tf_levels(spec).items():
            column = table.column(spec.name, part)
            given = tf.get(f"{spec.name}.{part}") if tf is not None else None
            if given is not None:
                counts, n_present = given.counts, max(given.present, 1.0)
            else:
                counts = column.counts().astype(np.float64)
                n_present = max(float(counts.sum()), 1.0)
            # Term frequencies only ever lower a weight: a value held by more records than one entity
            # usually has (1 + its expected partners) — a logistics agent's phone, a chain's name — is
            # worth what a random record sharing it would be, (c - d) / n, if that exceeds u.
            exact = np.flatnonzero(levels[:, f] == level)
            value_ids = column.ids[i[exact]]
            if spec.kind == FieldKind.PHONE:  # the number the two fields share, which need not be i's first
                value_ids = shared_numbers(table, spec.name, i[exact], j[exact], value_ids)
            known = value_ids >= 0
            exact, value_ids = exact[known], value_ids[known]
            u_value = (counts[value_ids] - expected) / n_present
            total[exact] -= np.log2(np.maximum(u_value / fm.u[level], 1.0))
    return total


def rare_key_agreements(model: MatchModel, levels: Levels, comparer: Comparer, i: IntArray, j: IntArray,
                        tf: Mapping[str, TermCounts] | None = None, records: int | None = None) -> npt.NDArray[np.bool_]:
    """Per pair: do the two records hold the same shop key, one that no more records hold than one entity usually
    has (a platform shop id or a keyed shop URL; an over-shared key — a platform's front page, an agency's
    storefront — is not rare)? A shop is run by one operator, whatever each record calls it.

    `tf` and `records` as in `match_weights` (the national node counts over the whole store)."""
    table, config = comparer.table, comparer.config
    size = table.size if records is None else records
    expected = 1.0 + 2.0 * model.matches_per_record(size)
    out = np.zeros(len(levels), dtype=bool)
    for f, spec in enumerate(config.fields):
        if spec.kind != FieldKind.SHOP_URL:
            continue
        column = table.column(spec.name, "value")
        given = tf.get(f"{spec.name}.value") if tf is not None else None
        counts = given.counts if given is not None else column.counts().astype(np.float64)
        exact = np.flatnonzero(levels[:, f] == level_count(spec))
        value_ids = column.ids[i[exact]]
        known = value_ids >= 0
        exact = exact[known]
        out[exact[counts[value_ids[known]] <= expected]] = True
    return out


def probability(weights: FloatArray) -> FloatArray:
    """Match probability from a match weight (log2 odds)."""
    return 1.0 / (1.0 + np.exp2(-np.clip(weights, -60, 60)))
