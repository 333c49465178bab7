"""Design-patent infringement (外观设计专利侵权): listing photos that look like a design's views.

Retrieval is blocked by Locarno class (inferred from the listing's category and title) and
vectorised: each listing image's 64-bit dHash and pHash are compared with every view of the
designs in its classes at once (XOR + popcount in numpy). Features: the two hash
similarities, Locarno class agreement and title similarity; a calibrated model scores them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from regional.detection import normalize as nz
from regional.detection import perceptual
from regional.detection.config import DetectionConfig
from regional.detection.scoring import CalibratedModel, load_model
from regional.domain import LeadFinding, LeadType, Licence, Listing, PatentStatus, Right, RightKind

MODEL_NAME = "design"
# Locarno class -> product words that place a listing in it (a starter table for the pilot
# industries; a class is also recognised by its own number in the category, e.g. "07-02").
LOCARNO_KEYWORDS: dict[str, tuple[str, ...]] = {
    "07-02": ("保温杯", "电热水壶", "陶瓷碗"),
    "03-01": ("双肩包", "行李箱", "钱包"),
    "02-04": ("运动鞋", "板鞋"),
    "14-01": ("蓝牙耳机", "音箱"),
    "09-03": ("收纳盒", "包装盒"),
    "26-05": ("台灯",),
    "23-04": ("电风扇", "空气炸锅"),
}
FEATURES: tuple[str, ...] = ("phash_sim", "dhash_sim", "same_class", "class_unknown", "title_sim", "views")
# Candidate cut-offs (bits of 64): a pHash this close, or a dHash this close. On the generated
# views, 95% of true copies are within 14 pHash bits and unrelated shapes rarely under 12.
_MAX_PHASH, _MAX_DHASH = 16, 10
_LIVE = frozenset({PatentStatus.GRANTED.value})


@dataclass(frozen=True, slots=True)
class DesignCandidate:
    """A listing image close to a design's view, with features and reasons."""

    listing: Listing
    right: Right
    features: dict[str, float]
    reasons: tuple[str, ...]
    codes: tuple[str, ...] = ()
    params: tuple[dict[str, object], ...] = ()


def locarno_classes(category: str | None, title: str) -> tuple[str, ...]:
    """Locarno classes a listing's category and title point to."""
    text = f"{category or ''} {title}"
    found = [cls for cls, words in LOCARNO_KEYWORDS.items() if cls in text or any(w in text for w in words)]
    return tuple(found)


def _title_core(title: str) -> str:
    """A design title without its style suffix ('保温杯（A款）' -> '保温杯')."""
    core = nz.compact(title)
    return core.split("(")[0] or core


@functools.lru_cache(maxsize=8192)
def _design_grams(design_title: str) -> tuple[str, frozenset[str]]:
    """A design title's core and its character bigrams (the same for every listing compared with it)."""
    core = _title_core(design_title)
    return core, frozenset(nz.char_bigrams(core))


def title_similarity(listing_title: str, design_title: str, text: str | None = None) -> tuple[float, str]:
    """Share of the design title's character bigrams found in the listing title, and the longest shared part.

    `text`: nz.compact(listing_title) when the caller has it already."""
    core, grams = _design_grams(design_title)
    if not grams:
        return 0.0, ""
    text = nz.compact(listing_title) if text is None else text
    shared = grams & nz.char_bigrams(text)
    longest = max((core[i:j] for i in range(len(core)) for j in range(i + 2, len(core) + 1) if core[i:j] in text),
                  key=len, default="")
    return len(shared) / len(grams), longest


class DesignDetector:
    """Compares listing photos with registered designs' views in the same Locarno class."""

    def __init__(
        self,
        rights: Sequence[Right],
        licences: Sequence[Licence] = (),
        *,
        as_of: dt.date | None = None,
        config: DetectionConfig | None = None,
        model: CalibratedModel | None = None,
    ) -> None:
        """Hash every view of the live designs among `rights`; unreadable views are listed in `problems`."""
        self.config = config or DetectionConfig()
        self.model = model or load_model(MODEL_NAME)
        self.model_version = self.model.version
        self.threshold = self.config.threshold(MODEL_NAME, self.model.threshold)
        self.problems: list[str] = []
        self._designs: list[Right] = []
        view_design: list[int] = []
        view_no: list[int] = []
        dh: list[int] = []
        ph: list[int] = []
        for right in rights:
            if right.kind != RightKind.DESIGN or right.status.casefold() not in _LIVE:
                continue
            if as_of and right.valid_until and right.valid_until < as_of:
                continue
            index = len(self._designs)
            self._designs.append(right)
            for k, rel in enumerate(right.images, start=1):
                try:
                    d, p = perceptual.image_hashes(self._resolve(rel, self.config.registry_images))
                except OSError as exc:
                    self.problems.append(f"design {right.number}: view {rel} skipped ({exc})")
                    continue
                view_design.append(index)
                view_no.append(k)
                dh.append(d)
                ph.append(p)
        self._view_design = np.asarray(view_design, dtype=np.int64)
        self._view_no = view_no
        self._dh = np.asarray(dh, dtype=np.uint64)
        self._ph = np.asarray(ph, dtype=np.uint64)
        self._views_by_class: dict[str, np.ndarray] = {}
        by_class: dict[str, list[int]] = defaultdict(list)
        for v, d_index in enumerate(view_design):
            by_class[self._designs[d_index].locarno or ""].append(v)
        self._views_by_class = {c: np.asarray(v, dtype=np.int64) for c, v in by_class.items()}
        self._owners = {r.number: nz.compact(r.owner) for r in self._designs}
        self._licensees: dict[str, set[str]] = defaultdict(set)
        for lic in licences:
            self._licensees[lic.right].add(nz.compact(lic.licensee))
            if lic.licensee_uscc:
                self._licensees[lic.right].add(lic.licensee_uscc.strip().upper())

    @staticmethod
    def _resolve(rel: str, root: Path | None) -> Path:
        path = Path(rel)
        return path if path.is_absolute() or root is None else root / path

    def _entitled(self, right: Right, listing: Listing) -> bool:
        name = nz.compact(listing.seller.name or "")
        if name and name == self._owners.get(right.number):
            return True
        allowed = self._licensees.get(right.number, set())
        return bool(name and name in allowed) or bool(listing.seller.uscc and listing.seller.uscc.strip().upper() in allowed)

    def candidates(self, listings: Iterable[Listing]) -> list[DesignCandidate]:
        """Listing/design pairs whose images are close, with features (no threshold applied)."""
        out: list[DesignCandidate] = []
        if not len(self._dh):
            return out
        for listing in listings:
            if not listing.images:
                continue
            classes = locarno_classes(listing.category, listing.title)
            if classes:
                views = np.concatenate([self._views_by_class.get(c, np.zeros(0, dtype=np.int64)) for c in classes])
            else:
                views = np.arange(len(self._dh))
            if not len(views):
                continue
            best: dict[int, tuple[int, int, int, str]] = {}  # design -> (phash d, dhash d, view no, image)
            # hashes made at import, one per image; a photo without one (none made, unreadable then) is hashed here
            stored = listing.image_hashes if len(listing.image_hashes) == len(listing.images) else None
            for k, rel in enumerate(listing.images):
                if "://" in rel:
                    continue  # remote images are fetched by the node, not here
                made = stored[k] if stored is not None else None
                if made is not None:  # the photo as imported
                    d, p = made
                else:  # not hashed at import, or unreadable then: read now
                    try:
                        d, p = perceptual.image_hashes(self._resolve(rel, self.config.listing_images))
                    except OSError:
                        continue
                pd = perceptual.hamming(p, self._ph[views])
                dd = perceptual.hamming(d, self._dh[views])
                for j in np.nonzero((pd <= _MAX_PHASH) | (dd <= _MAX_DHASH))[0]:
                    v = int(views[j])
                    design = int(self._view_design[v])
                    score = (int(pd[j]), int(dd[j]), self._view_no[v], rel)
                    if design not in best or score[:2] < best[design][:2]:
                        best[design] = score
            text: str | None = None  # the listing's compact title, made once for all its candidates
            for design, (pd_, dd_, view, image) in best.items():
                right = self._designs[design]
                if self._entitled(right, listing):
                    continue
                if text is None:
                    text = nz.compact(listing.title)
                out.append(self._candidate(listing, right, classes, pd_, dd_, view, image, text))
        return out

    @staticmethod
    def _candidate(listing: Listing, right: Right, classes: tuple[str, ...], pd: int, dd: int, view: int,
                   image: str, text: str | None = None) -> DesignCandidate:
        sim, shared = title_similarity(listing.title, right.title, text)
        same = bool(classes) and right.locarno in classes
        reasons = [f"listing image '{image}' looks like view {view} of design {right.number} "
                   f"(pHash {pd}/64 and dHash {dd}/64 bits differ)"]
        codes = ["ds.image_similar"]
        params: list[dict[str, object]] = [{"image": image, "view": view, "design": right.number,
                                            "phash_bits": pd, "dhash_bits": dd}]
        if same:
            reasons.append(f"same Locarno class {right.locarno}")
            codes.append("ds.same_class")
            params.append({"locarno": right.locarno})
        if shared:
            reasons.append(f"title shares '{shared}' with the design's title '{right.title}'")
            codes.append("ds.title_shared")
            params.append({"shared": shared, "title": right.title})
        features = {"phash_sim": 1 - pd / 32, "dhash_sim": 1 - dd / 32, "same_class": float(same),
                    "class_unknown": float(not classes), "title_sim": sim, "views": min(len(right.images), 6) / 6}
        return DesignCandidate(listing, right, features, tuple(reasons), tuple(codes), tuple(params))

    def detect(self, listings: Iterable[Listing]) -> list[LeadFinding]:
        """Leads for listings whose photos look like a registered design."""
        found = self.candidates(listings)
        if not found:
            return []
        scores = self.model.probability([self.model.row(c.features) for c in found])
        return [LeadFinding(c.listing.id, c.right.number, LeadType.DESIGN, float(s), c.reasons, self.model_version,
                            codes=c.codes, params=c.params) for c, s in zip(found, scores, strict=True) if s >= self.threshold]
