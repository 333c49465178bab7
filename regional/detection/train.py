"""Train the four detection models on generated data and write their versioned artifacts.

    python -m regional.detection.train [--out regional/data/models] [--only trademark]

The training set of each model is the set of candidates its detector produces on a
synthetic world (regional/bench/world.py, seed TRAIN_SEED, sizes in TRAIN_SIZE), labelled
1 when the pair was planted as an infringement and 0 otherwise (lawful owners, licensees,
resellers, honest application notices, owners' typos, other shapes, few claim features,
chance look-alikes between unrelated marks). Listings are split 80/20 by a hash of their
id; the model is fitted on the 80 (LogisticRegression in CalibratedClassifierCV, sigmoid,
5 folds), its threshold is the one maximising F1 on the 80, and the metrics in the
artifact are measured on the held-out 20: precision, recall and F1 of the candidates,
recall over every planted case (retrieval misses included), Brier score and ROC AUC.
Officers' judgements replace this set later (same features, same artifact format).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from regional.bench.world import World, WorldSize, build_world
from regional.detection.config import DetectionConfig
from regional.detection.scoring import CURRENT_VERSIONS, CalibratedModel, artifact_path, fit_calibrated
from regional.domain import LeadType

TRAIN_SEED = 11
TRAIN_SIZE = WorldSize(marks=20_000, patents=600, designs=400, listings=12_000)


@dataclass
class Example:
    """One labelled candidate."""

    listing_id: str
    right: str
    features: dict[str, float]
    label: int


def untrained(name: str, features: Sequence[str]) -> CalibratedModel:
    """A placeholder model that scores everything 0.5 (used to collect candidates before training)."""
    return CalibratedModel(name, f"{name}-untrained", tuple(features), np.zeros(len(features)), 0.0, 0.0, 0.0, 0.0)


def held_out(listing_id: str) -> bool:
    """The fixed 20% of listings kept out of training."""
    return hashlib.sha256(listing_id.encode()).digest()[0] < 52


def collect(name: str, world: World, config: DetectionConfig) -> tuple[list[Example], LeadType, tuple[str, ...]]:
    """Candidates of one model on a world, labelled from its ground truth."""
    from regional.detection import design, invention, marking, trademark

    examples: list[Example] = []
    if name == "trademark":
        tm = trademark.TrademarkDetector(world.rights, world.licences, model=untrained(name, trademark.FEATURES))
        for c in tm.candidates(world.listings, explain=False):
            label = int((c.listing.id, c.right.number, LeadType.TRADEMARK) in world.truth)
            examples.append(Example(c.listing.id, c.right.number, c.features, label))
        return examples, LeadType.TRADEMARK, trademark.FEATURES
    if name == "patent-marking":
        mk = marking.CounterfeitMarkingDetector(world.rights, world.licences, model=untrained(name, marking.FEATURES))
        for listing in world.listings:
            for check in mk.checks(listing):
                number = check.right.number if check.right is not None else check.mention.canonical()
                label = int((listing.id, number, LeadType.COUNTERFEIT_PATENT) in world.truth)
                examples.append(Example(listing.id, number, check.features, label))
        return examples, LeadType.COUNTERFEIT_PATENT, marking.FEATURES
    if name == "design":
        ds = design.DesignDetector(world.rights, world.licences, config=config, model=untrained(name, design.FEATURES))
        for dc in ds.candidates(world.listings):
            label = int((dc.listing.id, dc.right.number, LeadType.DESIGN) in world.truth)
            examples.append(Example(dc.listing.id, dc.right.number, dc.features, label))
        return examples, LeadType.DESIGN, design.FEATURES
    iv = invention.InventionDetector(world.rights, world.licences, model=untrained(name, invention.FEATURES))
    for ic in iv.candidates(world.listings):
        label = int((ic.listing.id, ic.right.number, LeadType.INVENTION) in world.truth)
        examples.append(Example(ic.listing.id, ic.right.number, ic.features, label))
    return examples, LeadType.INVENTION, invention.FEATURES


def _metrics(y: np.ndarray, p: np.ndarray, threshold: float, planted: int) -> dict[str, float]:
    predicted = p >= threshold
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    out = {
        "candidates": int(len(y)), "positives": int(np.sum(y)), "precision": round(precision, 4),
        "recall": round(recall, 4), "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
        "recall_of_planted": round(tp / max(1, planted), 4), "planted": planted,
        "brier": round(float(np.mean((p - y) ** 2)), 4) if len(y) else 0.0,
    }
    if 0 < np.sum(y) < len(y):
        from sklearn.metrics import roc_auc_score

        out["roc_auc"] = round(float(roc_auc_score(y, p)), 4)
    return out


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The middle of the thresholds (0.2..0.8, step 0.05) that reach the best F1."""
    scored = []
    for t in np.arange(0.2, 0.81, 0.05):
        predicted = p >= t
        tp = np.sum(predicted & (y == 1))
        scored.append((float(round(t, 2)), round(float(2 * tp / max(1, np.sum(predicted) + np.sum(y))), 4)))
    top = max(f1 for _t, f1 in scored)
    best = [t for t, f1 in scored if f1 == top]
    return best[len(best) // 2]


def fit_examples(name: str, examples: Sequence[Example], *, features: Sequence[str] | None = None,
                 version: str | None = None, planted_held_out: int | None = None,
                 is_held_out: Callable[[str], bool] = held_out, seed: int = TRAIN_SEED,
                 training: dict[str, object] | None = None) -> CalibratedModel:
    """Fit one model on labelled candidates passed in (generated, or officers' judgements) and return its artifact.

    `examples` carry each candidate's feature values and label; `is_held_out(listing_id)`
    picks the evaluation part (default: the fixed 20% hash split). The threshold maximises F1
    on the training part; the artifact's `metrics.held_out` are measured on the rest.
    `planted_held_out` (known positives among held-out listings, retrieved or not) makes
    `recall_of_planted` count retrieval misses too. Pure: no files, no database.
    """
    features = tuple(features or _feature_names(name))
    version = version or CURRENT_VERSIONS[name]
    train = [e for e in examples if not is_held_out(e.listing_id)]
    test = [e for e in examples if is_held_out(e.listing_id)]
    if len({e.label for e in train}) < 2:
        raise ValueError(f"{name}: the training set needs both labels, got {len(train)} example(s)")

    def xy(rows: list[Example]) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray([[e.features.get(f, 0.0) for f in features] for e in rows], dtype=np.float64)
        return x.reshape(len(rows), len(features)), np.asarray([e.label for e in rows], dtype=np.int64)

    x_train, y_train = xy(train)
    model = fit_calibrated(name, version, features, x_train, y_train, seed=seed)
    threshold = _best_threshold(y_train, model.probability(x_train))
    x_test, y_test = xy(test)
    planted = planted_held_out if planted_held_out is not None else int(np.sum(y_test))
    metrics = _metrics(y_test, model.probability(x_test), threshold, planted)
    info = {"examples": len(train), "positives": int(np.sum(y_train)), "held_out_examples": len(test),
            **(training or {})}
    return CalibratedModel(model.name, version, model.features, model.coef, model.intercept, model.calib_a,
                           model.calib_b, threshold, {"held_out": metrics}, info)


def _feature_names(name: str) -> tuple[str, ...]:
    from regional.detection import design, invention, marking, trademark

    return {"trademark": trademark.FEATURES, "patent-marking": marking.FEATURES, "design": design.FEATURES,
            "invention": invention.FEATURES}[name]


def train_model(name: str, world: World, config: DetectionConfig, version: str | None = None) -> CalibratedModel:
    """Fit one model on a generated world and return its artifact, metrics measured on the held-out listings."""
    examples, lead_type, features = collect(name, world, config)
    planted_test = sum(1 for lid, _r in world.planted(lead_type) if held_out(lid))
    training = {
        "generator": "regional.bench.world.build_world", "seed": TRAIN_SEED,
        "size": {"marks": TRAIN_SIZE.marks, "patents": TRAIN_SIZE.patents, "designs": TRAIN_SIZE.designs,
                 "listings": TRAIN_SIZE.listings},
        "split": "sha256(listing_id)[0] < 52 is held out (~20%)",
    }
    return fit_examples(name, examples, features=features, version=version, planted_held_out=planted_test,
                        training=training)


def train_all(out: Path | None = None, only: Sequence[str] = (), say: Callable[[str], None] = print) -> list[Path]:
    """Train every model (or `only` some) on one generated world and write their artifacts."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="hufu-train-") as tmp:
        say(f"generating the training world (seed {TRAIN_SEED}) ...")
        world = build_world(TRAIN_SIZE, seed=TRAIN_SEED, image_dir=Path(tmp))
        config = DetectionConfig(registry_images=Path(tmp), listing_images=Path(tmp))
        for name in CURRENT_VERSIONS:
            if only and name not in only:
                continue
            model = train_model(name, world, config)
            path = (out / f"{model.version}.json") if out else artifact_path(model.version)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            say(f"{model.version}: threshold {model.threshold}, held-out {model.metrics['held_out']} -> {path}")
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=None, help="folder for the artifacts (default: the package's)")
    parser.add_argument("--only", nargs="*", default=(), help="model names to train (default: all)")
    args = parser.parse_args(argv)
    train_all(args.out, args.only, say=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
