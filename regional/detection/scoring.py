"""Calibrated scoring: a logistic regression inside scikit-learn's CalibratedClassifierCV, shipped as JSON.

Each model's artifact (regional/data/models/<name>-<version>.json) holds the feature names,
the fitted coefficients, the sigmoid calibration, the default threshold and the evaluation
metrics of the run that produced it. Applying a model is a dot product and a sigmoid in
numpy, so scikit-learn is only needed to train (regional/detection/train.py); JSON, not
pickle, so an artifact is reviewable, diffable and safe to load.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODELS_PACKAGE_DIR = "data/models"
# The artifact each model uses by default; bump when a retrained artifact is committed.
CURRENT_VERSIONS: dict[str, str] = {
    "trademark": "trademark-2026.11.3",
    "patent-marking": "patent-marking-2026.11.1",
    "design": "design-2026.11.1",
    "invention": "invention-2026.11.1",
}


class ModelArtifactError(ValueError):
    """A model artifact is missing or does not have the expected shape."""


@dataclass(frozen=True)
class CalibratedModel:
    """A logistic regression and its sigmoid calibration, with the metrics it was shipped with."""

    name: str
    version: str
    features: tuple[str, ...]
    coef: npt.NDArray[np.float64]
    intercept: float
    calib_a: float
    calib_b: float
    threshold: float
    metrics: Mapping[str, Any] = field(default_factory=dict)
    training: Mapping[str, Any] = field(default_factory=dict)

    def probability(self, rows: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Calibrated probability of 'an officer would confirm this lead' for each feature row."""
        x = np.asarray(rows, dtype=np.float64)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.shape[0] == 0:
            return np.zeros(0)
        if x.shape[1] != len(self.features):
            raise ModelArtifactError(f"{self.version}: expected {len(self.features)} features, got {x.shape[1]}")
        decision = x @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(self.calib_a * decision + self.calib_b)), dtype=np.float64)

    def row(self, values: Mapping[str, float]) -> list[float]:
        """A feature row in this model's order from a name -> value mapping (absent names are 0)."""
        return [float(values.get(name, 0.0)) for name in self.features]

    def rows(self, values: Sequence[Mapping[str, float]]) -> npt.NDArray[np.float64]:
        """row() of each mapping, as one array (len(values) x features): each row's look-ups in C (map over the
        mapping's get), not a Python loop per feature (det24: ~5 µs a candidate at 36 features)."""
        names = self.features
        absent = itertools.repeat(0.0)
        return np.array([list(map(v.get, names, absent)) for v in values], dtype=np.float64).reshape(
            len(values), len(names))

    def to_json(self) -> dict[str, Any]:
        """The artifact's JSON form."""
        return {
            "name": self.name,
            "version": self.version,
            "kind": "logistic_regression+sigmoid_calibration (sklearn CalibratedClassifierCV, ensemble=False)",
            "features": list(self.features),
            "coef": [round(float(c), 8) for c in self.coef],
            "intercept": round(self.intercept, 8),
            "calibration": {"a": round(self.calib_a, 8), "b": round(self.calib_b, 8)},
            "threshold": self.threshold,
            "metrics": dict(self.metrics),
            "training": dict(self.training),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CalibratedModel:
        """Parse an artifact, with an error that names what is wrong."""
        try:
            features = tuple(str(f) for f in data["features"])
            coef = np.asarray([float(c) for c in data["coef"]], dtype=np.float64)
            if len(coef) != len(features):
                raise ModelArtifactError(f"{data.get('version')}: {len(coef)} coefficients for {len(features)} features")
            return cls(
                name=str(data["name"]),
                version=str(data["version"]),
                features=features,
                coef=coef,
                intercept=float(data["intercept"]),
                calib_a=float(data["calibration"]["a"]),
                calib_b=float(data["calibration"]["b"]),
                threshold=float(data["threshold"]),
                metrics=dict(data.get("metrics", {})),
                training=dict(data.get("training", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelArtifactError):
                raise
            raise ModelArtifactError(f"model artifact is malformed: {exc!r}") from None


def artifact_path(version: str) -> Path:
    """Where the artifact of `version` lives in the source tree."""
    return Path(str(resources.files("regional").joinpath(MODELS_PACKAGE_DIR, f"{version}.json")))


@functools.cache
def load_model(name: str, version: str | None = None) -> CalibratedModel:
    """The shipped artifact of model `name` (its current version unless `version` is given)."""
    version = version or CURRENT_VERSIONS[name]
    path = resources.files("regional").joinpath(MODELS_PACKAGE_DIR, f"{version}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelArtifactError(f"no model artifact {version}.json; run python -m regional.detection.train") from None
    return CalibratedModel.from_json(data)


def fit_calibrated(
    name: str,
    version: str,
    features: Sequence[str],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    seed: int = 0,
) -> CalibratedModel:
    """Fit LogisticRegression inside CalibratedClassifierCV(method='sigmoid') and export it (threshold 0.5)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.int64)
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=1.0, max_iter=2000, random_state=seed), method="sigmoid", cv=5, ensemble=False
    )
    classifier.fit(xs, ys)
    fitted = classifier.calibrated_classifiers_[0]
    estimator, calibrator = fitted.estimator, fitted.calibrators[0]
    return CalibratedModel(
        name=name,
        version=version,
        features=tuple(features),
        coef=np.asarray(estimator.coef_[0], dtype=np.float64),
        intercept=float(estimator.intercept_[0]),
        calib_a=float(calibrator.a_),
        calib_b=float(calibrator.b_),
        threshold=0.5,
    )
