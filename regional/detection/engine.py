"""Runs the four models (one per class of wrong) over a batch of listings.

`Engine` indexes a registry once and screens any number of batches; `detect()` is the
one-call form the node and the file-to-file command use, and keeps the engine of the last
registry it saw, so screening a big registry chunk by chunk does not rebuild the indexes.
A listing that makes a model fail is reported in `DetectionResult.errors` and skipped;
the rest of the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from regional.detection.config import DetectionConfig
from regional.detection.scoring import CalibratedModel
from regional.detection.trademark import TrademarkBatch, TrademarkDetector
from regional.domain import LeadFinding, Licence, Listing, Right

# Bounded cost per listing: whatever an import let through, the engine reads at most this much
# of each field (a 27 MB title is screened as its first MAX_TITLE characters, in microseconds).
MAX_TITLE = 2_000
MAX_DESCRIPTION = 20_000
MAX_CATEGORY = 200
MAX_IMAGES = 20


def bounded(listing: Listing) -> Listing:
    """The listing with every free-text field cut to the engine's limits (itself when within them)."""
    title, description, category = listing.title or "", listing.description or "", listing.category or ""
    if (len(title) <= MAX_TITLE and len(description) <= MAX_DESCRIPTION and len(category) <= MAX_CATEGORY
            and len(listing.images) <= MAX_IMAGES):
        return listing
    return replace(listing, title=title[:MAX_TITLE], description=listing.description and description[:MAX_DESCRIPTION],
                   category=listing.category and category[:MAX_CATEGORY], images=tuple(listing.images[:MAX_IMAGES]),
                   image_hashes=tuple(listing.image_hashes[:MAX_IMAGES]))


class Detector(Protocol):
    """What the engine needs of a model."""

    model_version: str

    def detect(self, listings: Iterable[Listing]) -> list[LeadFinding]:
        """Leads for the given listings."""
        ...


@dataclass(frozen=True, slots=True)
class ListingError:
    """A listing one model could not screen."""

    listing_id: str
    model: str
    message: str

    def __str__(self) -> str:
        return f"listing {self.listing_id}: {self.model} model failed ({self.message}); skipped by that model"


@dataclass
class DetectionResult:
    """Leads of a batch, sorted by (listing_id, right, type), and what could not be screened."""

    findings: list[LeadFinding]
    errors: list[ListingError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # registry-side, e.g. an unreadable design view


def _factories() -> dict[str, Callable[..., Detector]]:
    from regional.detection.design import DesignDetector
    from regional.detection.invention import InventionDetector
    from regional.detection.marking import CounterfeitMarkingDetector
    from regional.detection.trademark import TrademarkDetector

    return {"trademark": TrademarkDetector, "patent-marking": CounterfeitMarkingDetector,
            "design": DesignDetector, "invention": InventionDetector}


class Engine:
    """Every configured model, built once over a registry and its licences."""

    def __init__(self, rights: Sequence[Right], licences: Sequence[Licence] = (), *, as_of: dt.date | None = None,
                 config: DetectionConfig | None = None, artifacts: Mapping[str, CalibratedModel] | None = None) -> None:
        """Build the models' indexes (the expensive part: do it once per registry).

        `artifacts` replaces the shipped artifact of a model (a node's retrained version).
        """
        self.config = config or DetectionConfig()
        from regional.detection import counterparts, wording

        self.wording = wording.Index(rights)  # exact marks next to "replica", "1:1", 高仿 … (counterfeit wording)
        self.rights = {r.number: r for r in rights if r.counterparts}  # rights screened through other forms too
        if self.rights:
            rights = counterparts.expand(rights)
        factories = _factories()
        chosen = artifacts or {}
        self.models: dict[str, Detector] = {
            name: factories[name](rights, licences, as_of=as_of, config=self.config,
                                  **({"model": chosen[name]} if name in chosen else {}))
            for name in self.config.models
        }
        self.problems = [p for m in self.models.values() for p in getattr(m, "problems", [])]

    def run(self, listings: Iterable[Listing], *, workers: int = 1) -> DetectionResult:
        """Screen a batch with every model; a failing listing is reported and skipped, not fatal.

        With `workers` > 1 the batch is split into `workers` slices: this process screens the first, forked worker
        processes (POSIX only) the others, sharing the indexes and the batch's price reference; the leads are the
        same as with one.
        """
        batch = listings if isinstance(listings, list) else list(listings)
        result = DetectionResult([], problems=list(self.problems))
        # the counterpart merge and the counterfeit wording rule look at one listing at a time: with every listing
        # id once in the batch each worker applies them to its own slice (else the parent, over the whole batch)
        by_slice = len({x.id for x in batch}) == len(batch)
        if workers > 1 and len(batch) >= 2 * _MIN_PER_WORKER:
            import multiprocessing

            global _WORK
            # the price reference reads of each listing only what bounded() leaves as it is (price, the category's
            # first MAX_CATEGORY characters, classes): made before the fork from the listings as given; each worker
            # cuts its own slice to the limits (bounded) and normalises it
            tm_batch = self._trademark_batch(batch)
            _WORK = (self, batch, tm_batch, by_slice)
            step = -(-len(batch) // workers)
            bounds = [(k, min(k + step, len(batch))) for k in range(0, len(batch), step)]
            # the objects alive now (indexes, batch) are moved out of the collector's reach before the fork, so
            # a collection in a worker does not touch (and copy) the pages they live on; undone when the pool ends
            gc.freeze()
            try:
                # this process screens the first slice itself while `workers` - 1 forked ones screen the others:
                # one fork, one child's start, exit and result transfer fewer, and its caches stay warm
                with multiprocessing.get_context("fork").Pool(len(bounds) - 1) as pool:
                    others = pool.map_async(_screen_range, bounds[1:], chunksize=1)
                    parts = [self._screen(batch, tm_batch, *bounds[0], by_slice, bound=True), *others.get()]
            finally:
                _WORK = None
                gc.unfreeze()
            if not by_slice:
                batch = [bounded(x) for x in batch]
        else:
            batch = [bounded(x) for x in batch]
            tm_batch = self._trademark_batch(batch)
            parts = [self._screen(batch, tm_batch, 0, len(batch), by_slice)]
        for findings, errors in parts:
            result.findings.extend(findings)
            result.errors.extend(errors)
        if not by_slice:
            result.findings = self._finish(result.findings, batch)
        result.findings.sort(key=lambda f: (f.listing_id, f.right, f.type.value))
        return result

    def _finish(self, findings: list[LeadFinding], listings: Sequence[Listing]) -> list[LeadFinding]:
        """The findings of these listings with a right matched through its mark and a counterpart made one lead,
        and the counterfeit wording rule applied (both per listing)."""
        if self.rights:
            from regional.detection import counterparts

            findings = counterparts.merge(findings, self.rights)
        tm = self.models.get("trademark")
        if isinstance(tm, TrademarkDetector):
            from regional.detection import wording

            findings = wording.apply(findings, listings, self.wording, lambda x: tm._prepare(x).classes, tm._entitled,
                                     tm.model_version)
        return findings

    def _trademark_batch(self, batch: list[Listing]) -> TrademarkBatch | None:
        model = self.models.get("trademark")
        if not isinstance(model, TrademarkDetector):
            return None
        try:  # the price reference over the whole batch; each slice is normalised by the worker screening it
            tm_batch = model.batch(batch)
            tm_batch.warm()
            return tm_batch
        except Exception:  # noqa: BLE001 - a listing that cannot be prepared is isolated in _screen
            return None

    def _screen(self, batch: list[Listing], tm_batch: TrademarkBatch | None, start: int, end: int,
                finish: bool = False, bound: bool = False) -> tuple[list[LeadFinding], list[ListingError]]:
        """Every model over batch[start:end] (cut to the engine's limits first with `bound`), the trademark model
        against `tm_batch`'s price reference; with `finish` the per-listing rules applied too (_finish)."""
        findings: list[LeadFinding] = []
        errors: list[ListingError] = []
        part = [bounded(x) for x in batch[start:end]] if bound else batch[start:end]
        for name, model in self.models.items():
            try:
                if tm_batch is not None and isinstance(model, TrademarkDetector):
                    findings.extend(model.detect(tm_batch.over(part)))
                else:
                    findings.extend(model.detect(part))
            except Exception:  # noqa: BLE001 - isolate the bad record, keep the batch
                for listing in part:
                    try:
                        findings.extend(model.detect([listing]))
                    except Exception as exc:  # noqa: BLE001
                        errors.append(ListingError(listing.id, name, f"{type(exc).__name__}: {exc}"))
        return (self._finish(findings, part) if finish else findings), errors


_MIN_PER_WORKER = 500
_WORK: tuple[Engine, list[Listing], TrademarkBatch | None, bool] | None = None


def _screen_range(bounds: tuple[int, int]) -> tuple[list[LeadFinding], list[ListingError]]:
    """Worker side of Engine.run(workers=N): screen one slice of the batch set up before the fork (the listings as
    given: the worker cuts its slice to the engine's limits)."""
    assert _WORK is not None
    engine, batch, tm_batch, finish = _WORK
    return engine._screen(batch, tm_batch, *bounds, finish, bound=True)


_last: tuple[tuple[object, ...], Engine] | None = None


def engine_for(rights: Sequence[Right], licences: Sequence[Licence], *, as_of: dt.date | None = None,
               config: DetectionConfig | None = None,
               artifacts: Mapping[str, CalibratedModel] | None = None) -> Engine:
    """The engine for this registry, reused when the same registry comes again (values compared, not ids)."""
    global _last
    versions = tuple(sorted((name, m.version) for name, m in (artifacts or {}).items()))
    key = (tuple(rights), tuple(licences), as_of, config or DetectionConfig(), versions)
    if _last is not None and _last[0] == key:
        return _last[1]
    engine = Engine(rights, licences, as_of=as_of, config=config, artifacts=artifacts)
    _last = (key, engine)
    return engine


def detect(
    rights: Sequence[Right],
    licences: Sequence[Licence],
    listings: Iterable[Listing],
    *,
    as_of: dt.date | None = None,
    config: DetectionConfig | None = None,
    artifacts: Mapping[str, CalibratedModel] | None = None,
) -> list[LeadFinding]:
    """All leads from every model, sorted by (listing_id, right, type)."""
    return engine_for(rights, licences, as_of=as_of, config=config, artifacts=artifacts).run(listings).findings
