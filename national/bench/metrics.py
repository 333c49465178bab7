"""Pairwise precision, recall and F1 of a clustering against the truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class PairScores:
    """Pairwise counts and scores."""

    true_positives: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        """Share of predicted same-entity pairs that are right."""
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Share of true same-entity pairs that were found."""
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: npt.NDArray[np.int64]) -> int:
    return int((counts * (counts - 1) // 2).sum())


def pair_scores(predicted: npt.ArrayLike, truth: npt.ArrayLike) -> PairScores:
    """Compare two labelings of the same records as sets of same-cluster pairs."""
    pred = np.unique(np.asarray(predicted), return_inverse=True)[1].astype(np.int64)
    true = np.unique(np.asarray(truth), return_inverse=True)[1].astype(np.int64)
    joint = pred * (int(true.max(initial=0)) + 1) + true
    return PairScores(true_positives=_pairs(np.unique(joint, return_counts=True)[1]),
                      predicted_pairs=_pairs(np.bincount(pred)), true_pairs=_pairs(np.bincount(true)))
