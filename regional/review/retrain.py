"""Retraining on the infringement-determination database: the node's judgements plus the shipped base data.

For each of the four models:

1. the node's final judgements of that model's leads (confirmed = 1, excluded = 0) become
   labelled examples: the detector recomputes the features of each judged (listing, right)
   pair, exactly as screening does (regional/detection/train.py `collect`);
2. they are split by a hash of the listing id (the same 80/20 rule as the shipped training),
   and the 80 joins the base examples — the generated training world the shipped artifact was
   fitted on (cached under <data_dir>/models after the first run). Node examples are repeated
   so that they weigh about a third of the training set: the node's own practice must count;
3. a candidate is fitted (the same calibrated logistic regression, regional/detection/scoring.py)
   and both it and the current model are scored on the node's held-out judgements;
4. the candidate is promoted only when its F1 there is not lower than the current model's (ties
   broken by the Brier score, which must not be worse either) and its recall there is not lower (it must
   not take confirmed leads out of the queue); otherwise it is kept as a candidate. Every version is kept;
   rollback re-activates the version that was active before (or the shipped one).

Judgements that cannot give a held-out set of at least MIN_HELD_OUT judgements with MIN_HELD_OUT_PER_LABEL of each
label refuse the retraining up front — before the base data is built or anything is fitted (`readiness`; the
models page asks the same before it queues a retraining). The rule and its outcomes (a code and numbers, never a
sentence) are regional/review/promotion.py; each stored version keeps its outcome (outcome_code, outcome_params).

A version is named after the day it was trained in Beijing time, the time every page shows
(`trademark-330000-20261203.1` for a retraining at 2026-12-03 03:00 Beijing time, 2026-12-02 19:00 UTC).

Screening then uses the active versions (`active_models`), so each new lead records the version
that scored it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.actors import Actor, audit
from regional.detection.config import MODEL_NAMES, DetectionConfig
from regional.detection.scoring import CURRENT_VERSIONS, CalibratedModel, fit_calibrated, load_model
from regional.domain import LeadType, Licence
from regional.models import LeadRow, LicenceRow, ListingRow, RegistryRight, SellerRow
from regional.review.promotion import (
    MIN_HELD_OUT,
    MIN_HELD_OUT_PER_LABEL,
    Code,
    Outcome,
    Split,
    compare,
    not_worse,
    readiness,
)
from regional.workflow_models import Judgement, JudgementStatus, ModelStatus, ModelVersionRow
from sync.db import Database
from sync.times import BEIJING, aware

MODEL_OF_TYPE = {LeadType.TRADEMARK: "trademark", LeadType.COUNTERFEIT_PATENT: "patent-marking",
                 LeadType.DESIGN: "design", LeadType.INVENTION: "invention"}
TYPE_OF_MODEL = {v: k for k, v in MODEL_OF_TYPE.items()}
# the rule lives in regional/review/promotion.py; its names are re-exported here for the callers of this module
__all__ = ["MIN_HELD_OUT", "MIN_HELD_OUT_PER_LABEL", "Code", "Outcome", "compare", "not_worse", "readiness"]
NODE_SHARE = 1 / 3  # the weight of the node's own examples in a training set
MAX_REPEAT = 50
RETRAIN_REQUESTED = "retrain_requested"  # sync_state key: a person asked on the models page; the worker runs it


class RetrainError(ValueError):
    """Retraining cannot proceed (no judgements, unknown model…); the message says why."""


@dataclass
class ModelReport:
    """What retraining did for one model."""

    model: str
    current: str
    candidate: str | None = None
    promoted: bool = False
    outcome: Outcome | None = None
    node_train: int = 0
    node_held_out: int = 0
    base_examples: int = 0
    candidate_metrics: dict[str, float] = field(default_factory=dict)
    current_metrics: dict[str, float] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The outcome in English (the command line, the log)."""
        if self.outcome is None:
            return ""
        text = self.outcome.english()
        return text + " — kept as a candidate" if self.candidate and not self.promoted else text

    @property
    def refused(self) -> bool:
        """Nothing was fitted: the node's judgements cannot support a comparison."""
        return self.outcome is not None and self.outcome.refused

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (`reason` in English, `outcome` its code and numbers)."""
        return {"model": self.model, "current": self.current, "candidate": self.candidate, "promoted": self.promoted,
                "reason": self.reason, "outcome": self.outcome.as_json() if self.outcome else None,
                "node_train": self.node_train, "node_held_out": self.node_held_out,
                "base_examples": self.base_examples, "candidate_metrics": self.candidate_metrics,
                "current_metrics": self.current_metrics}


# ---------------------------------------------------------------- the active versions


def active_models(session: Session) -> dict[str, CalibratedModel]:
    """The node's active model versions (models without one use the shipped artifact)."""
    out = {}
    for row in session.scalars(sa.select(ModelVersionRow).where(ModelVersionRow.status == ModelStatus.ACTIVE)):
        out[row.model] = CalibratedModel.from_json(row.artifact)
    return out


def current_model(session: Session, name: str) -> CalibratedModel:
    """The model version that scores new listings now."""
    row = session.scalar(sa.select(ModelVersionRow).where(ModelVersionRow.model == name,
                                                         ModelVersionRow.status == ModelStatus.ACTIVE))
    return CalibratedModel.from_json(row.artifact) if row is not None else load_model(name)


# ---------------------------------------------------------------- examples


@dataclass
class _NodeWorld:
    """The slice of the node the detectors need to recompute features (duck-types regional.bench.world.World)."""

    rights: list[Any]
    licences: list[Licence]
    listings: list[Any]
    truth: set[tuple[str, str, LeadType]]

    def planted(self, lead_type: LeadType) -> set[tuple[str, str]]:
        return {(lid, right) for lid, right, t in self.truth if t == lead_type}


def judged_pairs(session: Session, name: str) -> dict[tuple[str, str], int]:
    """(listing_id, right) -> label of the node's current final judgements for one model."""
    lead_type = TYPE_OF_MODEL[name]
    rows = session.execute(
        sa.select(LeadRow.listing_id, LeadRow.right_number, Judgement.decision)
        .join(Judgement, Judgement.lead_id == LeadRow.id)
        .where(LeadRow.type == lead_type, Judgement.status.in_([JudgementStatus.FINAL, JudgementStatus.APPROVED]),
               Judgement.decision.in_(["confirmed", "excluded"]))).all()
    return {(lid, right): int(decision.value == "confirmed") for lid, right, decision in rows}


def judged_split(session: Session, name: str) -> Split:
    """The node's final judgements of one model counted as retraining splits them (held out by listing id)."""
    from regional.detection.train import held_out

    return Split.of((held_out(lid), label) for (lid, _right), label in judged_pairs(session, name).items())


def retrain_readiness(session: Session, name: str) -> tuple[Split, Outcome | None]:
    """The node's judgements of one model and why they cannot be retrained on now (None: they can). Cheap: no
    features are computed, nothing is fitted."""
    if name not in MODEL_NAMES:
        raise RetrainError(f"unknown model {name!r}; known: {', '.join(MODEL_NAMES)}")
    split = judged_split(session, name)
    return split, readiness(split)


def node_examples(session: Session, name: str, config: DetectionConfig | None = None) -> list[Any]:
    """The node's judged pairs of one model with their recomputed features and labels."""
    from regional.detection.train import collect
    from regional.services import _listing_of, _right_of

    labels = judged_pairs(session, name)
    if not labels:
        return []
    listing_ids = sorted({lid for lid, _r in labels})
    rows = list(session.scalars(sa.select(ListingRow).where(ListingRow.id.in_(listing_ids))))
    sellers = {s.id: s for s in session.scalars(sa.select(SellerRow).where(
        SellerRow.id.in_({r.seller_id for r in rows if r.seller_id})))}
    listings = [_listing_of(r, sellers.get(r.seller_id) if r.seller_id else None) for r in rows]
    rights = [_right_of(r) for r in session.scalars(sa.select(RegistryRight))]
    licences = [Licence(right=r.right_number, licensee=r.licensee, licensee_uscc=r.licensee_uscc,
                        valid_from=r.valid_from, valid_until=r.valid_until)
                for r in session.scalars(sa.select(LicenceRow))]
    lead_type = TYPE_OF_MODEL[name]
    truth = {(lid, right, lead_type) for (lid, right), label in labels.items() if label}
    world = _NodeWorld(rights, licences, listings, truth)
    examples, _lt, _features = collect(name, world, config or DetectionConfig())  # type: ignore[arg-type]
    seen: set[tuple[str, str]] = set()
    out = []
    for e in examples:
        key = (e.listing_id, e.right)
        if key in labels and key not in seen:  # only what an officer judged; each pair once
            seen.add(key)
            e.label = labels[key]
            out.append(e)
    return out


def base_examples(name: str, cache_dir: Path | None, size: Any = None,
                  say: Callable[[str], None] = lambda _m: None) -> list[Any]:
    """The shipped training examples of one model (the generated world), cached as JSON in `cache_dir`."""
    from regional.bench.world import build_world
    from regional.detection.train import TRAIN_SEED, TRAIN_SIZE, Example, collect

    size = size or TRAIN_SIZE
    tag = hashlib.sha256(json.dumps([name, TRAIN_SEED, repr(size), CURRENT_VERSIONS[name]]).encode()).hexdigest()[:16]
    path = cache_dir / f"base-{name}-{tag}.json" if cache_dir else None
    if path is not None and path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Example(d[0], d[1], dict(d[2]), int(d[3])) for d in data]
    say(f"building the base training data of {name} (seed {TRAIN_SEED}); cached for later runs ...")
    with tempfile.TemporaryDirectory(prefix="hufu-retrain-") as tmp:
        world = build_world(size, seed=TRAIN_SEED, image_dir=Path(tmp))
        config = DetectionConfig(registry_images=Path(tmp), listing_images=Path(tmp))
        examples, _lt, _f = collect(name, world, config)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp_path = path.with_suffix(".tmp")
        tmp_path.write_text(json.dumps([[e.listing_id, e.right, e.features, e.label] for e in examples],
                                       ensure_ascii=False), encoding="utf-8")
        tmp_path.replace(path)
    return examples


# ---------------------------------------------------------------- evaluation


def evaluate(model: CalibratedModel, examples: list[Any]) -> dict[str, float]:
    """Precision, recall, F1 at the model's threshold, Brier score and counts on labelled examples."""
    if not examples:
        return {"examples": 0}
    x = np.asarray([model.row(e.features) for e in examples], dtype=np.float64)
    y = np.asarray([e.label for e in examples], dtype=np.int64)
    p = model.probability(x)
    predicted = p >= model.threshold
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"examples": len(examples), "positives": int(np.sum(y)), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "brier": round(float(np.mean((p - y) ** 2)), 4)}


# ---------------------------------------------------------------- training


def version_name(name: str, region: str, trained_at: dt.datetime, n: int) -> str:
    """`<model>-<region>-<YYYYMMDD>.<n>`: the day the version was trained in Beijing time (the pages show that time),
    `n` the how-manieth version of that model that day."""
    return f"{name}-{region}-{aware(trained_at).astimezone(BEIJING):%Y%m%d}.{n}"


def _version(session: Session, name: str, region: str, now: dt.datetime) -> str:
    stem = version_name(name, region, now, 0).rsplit(".", 1)[0]
    n = session.scalar(sa.select(sa.func.count()).select_from(ModelVersionRow)
                       .where(ModelVersionRow.version.like(f"{stem}.%"))) or 0
    return f"{stem}.{n + 1}"


def retrain_model(db: Database, name: str, region: str, *, actor: Actor, now: dt.datetime,
                  cache_dir: Path | None = None, base_size: Any = None,
                  say: Callable[[str], None] = lambda _m: None,
                  clock: Callable[[], dt.datetime] | None = None) -> ModelReport:
    """Train, evaluate and (maybe) promote one model; every candidate is stored.

    `now` is when the retraining started (the version's trained_at and its name's day); the audit entry is stamped
    `clock()` when it is written (minutes later: the fitting), and records the start as `started_at`. Judgements
    that cannot be compared on refuse it before anything is built or fitted (the report's outcome says why)."""
    from regional.detection.train import _best_threshold, held_out

    if name not in MODEL_NAMES:
        raise RetrainError(f"unknown model {name!r}; known: {', '.join(MODEL_NAMES)}")
    with db.read() as session:
        current = current_model(session, name)
        split, refusal = retrain_readiness(session, name)
        report = ModelReport(name, current.version, node_train=split.train_confirmed + split.train_excluded,
                             node_held_out=split.held_confirmed + split.held_excluded)
        if refusal is not None:  # up front: the judgements alone say no comparison is possible
            report.outcome = refusal
            return report
        examples = node_examples(session, name)
    train = [e for e in examples if not held_out(e.listing_id)]
    test = [e for e in examples if held_out(e.listing_id)]
    report.node_train, report.node_held_out = len(train), len(test)
    refusal = readiness(Split.of([(False, e.label) for e in train] + [(True, e.label) for e in test]))
    if refusal is not None:  # some judged pairs no longer give features (a right or listing gone): the same rule
        report.outcome = refusal
        return report
    base = base_examples(name, cache_dir, base_size, say)
    report.base_examples = len(base)
    repeat = 1
    if train:
        repeat = int(min(MAX_REPEAT, max(1, round(NODE_SHARE * len(base) / ((1 - NODE_SHARE) * len(train))))))
    rows = base + train * repeat
    features = current.features
    x = np.asarray([[e.features.get(f, 0.0) for f in features] for e in rows], dtype=np.float64)
    y = np.asarray([e.label for e in rows], dtype=np.int64)
    if len(set(y.tolist())) < 2:
        report.outcome = Outcome(Code.ONE_LABEL, {})
        return report
    say(f"{name}: fitting on {len(base)} base + {len(train)}×{repeat} node examples ...")
    fitted = fit_calibrated(name, "candidate", features, x, y, seed=11)
    threshold = _best_threshold(y, fitted.probability(x))
    with db.transaction() as session:
        version = _version(session, name, region, now)
        candidate = CalibratedModel(name, version, fitted.features, fitted.coef, fitted.intercept, fitted.calib_a,
                                    fitted.calib_b, threshold)
        report.candidate = version
        report.candidate_metrics = evaluate(candidate, test)
        report.current_metrics = evaluate(current, test)
        outcome = compare(report.candidate_metrics, report.current_metrics)
        report.outcome = outcome
        artifact = CalibratedModel(name, version, candidate.features, candidate.coef, candidate.intercept,
                                   candidate.calib_a, candidate.calib_b, threshold,
                                   {"held_out_node": report.candidate_metrics,
                                    "current_on_held_out_node": {"version": current.version,
                                                                 **report.current_metrics}},
                                   {"base": {"examples": len(base)}, "node": {"train": len(train), "repeat": repeat,
                                                                              "held_out": len(test)},
                                    "split": "sha256(listing_id)[0] < 52 is held out (~20%)",
                                    "trained_at": now.isoformat(), "based_on": current.version})
        row = ModelVersionRow(model=name, version=version, artifact=artifact.to_json(),
                              metrics={"held_out_node": report.candidate_metrics,
                                       "current": report.current_metrics},
                              status=ModelStatus.CANDIDATE, trained_at=now, trained_by=actor.name,
                              based_on=current.version, outcome_code=outcome.code.value,
                              outcome_params=dict(outcome.params))
        session.add(row)
        written = clock() if clock is not None else now
        if outcome.promote:
            _activate(session, row, written)
        report.promoted = outcome.promote
        detail = {k: v for k, v in report.as_dict().items() if k != "reason"}  # the outcome, not its English
        audit(session, actor, "model_retrained", written, **detail, started_at=now.isoformat())
    return report


def stored_outcome(row: ModelVersionRow) -> Outcome | None:
    """Why a stored version was (or was not) promoted: its stored outcome; for a version trained before outcomes
    were stored, the same rule asked again on its stored held-out figures."""
    found = Outcome.from_stored(row.outcome_code, row.outcome_params)
    if found is not None:
        return found
    metrics = row.metrics or {}
    cand, cur = metrics.get("held_out_node") or {}, metrics.get("current") or {}
    if not {"f1", "brier"} <= cand.keys() or not {"f1", "brier"} <= cur.keys():
        return None
    return compare(cand, cur)


def _activate(session: Session, row: ModelVersionRow, now: dt.datetime) -> None:
    session.execute(sa.update(ModelVersionRow).where(ModelVersionRow.model == row.model,
                                                     ModelVersionRow.status == ModelStatus.ACTIVE)
                    .values(status=ModelStatus.RETIRED))
    row.status = ModelStatus.ACTIVE
    row.promoted_at = now


def retrain(db: Database, region: str, *, actor: Actor, now: dt.datetime, models: tuple[str, ...] = (),
            cache_dir: Path | None = None, base_size: Any = None,
            say: Callable[[str], None] = lambda _m: None,
            clock: Callable[[], dt.datetime] | None = None) -> list[ModelReport]:
    """Retrain every model (or `models`) on the node's judgements; returns one report per model (a model whose
    judgements cannot be compared on is refused before anything is fitted: its report's `refused`)."""
    unknown = [m for m in models if m not in MODEL_NAMES]
    if unknown:
        raise RetrainError(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODEL_NAMES)}")
    return [retrain_model(db, name, region, actor=actor, now=now, cache_dir=cache_dir, base_size=base_size, say=say,
                          clock=clock)
            for name in (models or MODEL_NAMES)]


@dataclass(frozen=True)
class Rollback:
    """What a rollback did."""

    model: str
    from_version: str
    to_version: str


def rollback(db: Database, name: str, *, actor: Actor, now: dt.datetime, to: str | None = None) -> Rollback:
    """Go back to the version active before the current one (or to `to`; 'shipped' for the shipped artifact)."""
    if name not in MODEL_NAMES:
        raise RetrainError(f"unknown model {name!r}; known: {', '.join(MODEL_NAMES)}")
    with db.transaction() as session:
        active = session.scalar(sa.select(ModelVersionRow).where(ModelVersionRow.model == name,
                                                                ModelVersionRow.status == ModelStatus.ACTIVE))
        shipped = CURRENT_VERSIONS[name]
        if to is None:
            if active is None:
                raise RetrainError(f"{name} already uses the shipped version {shipped}; nothing to roll back")
            before = session.scalar(sa.select(ModelVersionRow).where(
                ModelVersionRow.model == name, ModelVersionRow.promoted_at.is_not(None),
                ModelVersionRow.id != active.id,
                sa.or_(ModelVersionRow.promoted_at < active.promoted_at,
                       sa.and_(ModelVersionRow.promoted_at == active.promoted_at, ModelVersionRow.id < active.id)))
                .order_by(ModelVersionRow.promoted_at.desc(), ModelVersionRow.id.desc()).limit(1))
            target = before
        elif to in ("shipped", shipped):
            target = None
        else:
            target = session.scalar(sa.select(ModelVersionRow).where(ModelVersionRow.version == to,
                                                                    ModelVersionRow.model == name))
            if target is None:
                raise RetrainError(f"no version {to!r} of {name} on this node")
        from_version = active.version if active is not None else shipped
        if active is not None:
            active.status = ModelStatus.RETIRED
        if target is not None:
            target.status = ModelStatus.ACTIVE  # promoted_at stays: a second rollback goes further back
            target.promoted_at = target.promoted_at or now
        to_version = target.version if target is not None else shipped
        if to_version == from_version:
            raise RetrainError(f"{name} already uses {to_version}")
        audit(session, actor, "model_rolled_back", now, model=name, before={"version": from_version},
              after={"version": to_version})
    return Rollback(name, from_version, to_version)


def versions(session: Session, name: str | None = None) -> list[ModelVersionRow]:
    """Every stored version (newest first)."""
    stmt = sa.select(ModelVersionRow).order_by(ModelVersionRow.model, ModelVersionRow.id.desc())
    if name:
        stmt = stmt.where(ModelVersionRow.model == name)
    return list(session.scalars(stmt))


def run_requested(db: Database, region: str, cache_dir: Path | None, clock: Callable[[], dt.datetime],
                  say: Callable[[str], None] = lambda _m: None) -> list[ModelReport] | None:
    """The worker's side of the models page's button: run a requested retrain (None when none was asked)."""
    from regional import state

    with db.transaction() as session:
        requested = state.get(session, RETRAIN_REQUESTED, for_update=True)
        if not requested:
            return None
        session.execute(sa.delete(state.SyncState).where(state.SyncState.key == RETRAIN_REQUESTED))
    who = requested.split(" ", 1)[-1]
    return retrain(db, region, actor=Actor.system(f"worker (asked by {who})"), now=clock(), cache_dir=cache_dir,
                   say=say, clock=clock)
