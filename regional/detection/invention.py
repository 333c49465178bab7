"""Invention and utility-model infringement: a listing's text states the features of a claim.

Claim 1 of each live invention or utility-model patent is split into its features (the
phrases between 包括/其特征在于/commas). A listing is placed in technical fields (IPC
subclasses) by its category and title; within those fields, features found in its title
and description are looked up through a two-character index (never all pairs), and a
patent most of whose features appear is a candidate. These leads go to officers at lower
priority (a claim reads on a product only after an expert compares them).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs
import numpy as np

from regional.detection import normalize as nz
from regional.detection.config import DetectionConfig
from regional.detection.scoring import CalibratedModel, load_model
from regional.domain import LeadFinding, LeadType, Licence, Listing, PatentStatus, Right, RightKind

MODEL_NAME = "invention"
# IPC subclass -> words that place a listing in that technical field (starter table).
_MAX_TEXT = 22_000  # title + description as the engine bounds them

FIELD_KEYWORDS: dict[str, tuple[str, ...]] = {
    "A47J": ("电热水壶", "空气炸锅", "电饭煲", "厨房电器", "咖啡机", "豆浆机"),
    "H04R": ("蓝牙耳机", "耳机", "音箱", "扬声器"),
    "A45C": ("双肩包", "行李箱", "钱包", "箱包", "手提包"),
    "A43B": ("运动鞋", "板鞋", "跑步鞋", "鞋"),
    "F24F": ("空调", "新风机"),
    "H02J": ("充电宝", "充电器"),
    "D06F": ("洗衣机",),
}
FEATURES: tuple[str, ...] = ("coverage", "matched", "missing", "subject_in_text", "utility_model", "field_match")
_SPLIT = re.compile(r"[，,；;、。：:\n]|其特征在于|还包括|包括|以及|所述|设置于|设有|和|及|与")
_MIN_FEATURE, _MAX_FEATURE = 2, 16
_LIVE = frozenset({PatentStatus.GRANTED.value})


@dataclass(frozen=True, slots=True)
class InventionCandidate:
    """A listing whose text states features of a patent's claim 1."""

    listing: Listing
    right: Right
    features: dict[str, float]
    reasons: tuple[str, ...]
    codes: tuple[str, ...] = ()
    params: tuple[dict[str, object], ...] = ()


def claim_features(claims: str | None) -> tuple[str, list[str]]:
    """(subject, features) of claim 1: '1. 一种电热水壶，包括温控器、加热盘…' -> ('电热水壶', ['温控器', '加热盘', …])."""
    if not claims:
        return "", []
    first = re.split(r"(?:^|[\s。；;])2\s*[.、]", claims, maxsplit=1)[0]
    first = re.sub(r"^\s*1\s*[.、]\s*", "", first)
    parts = [nz.compact(p) for p in _SPLIT.split(first)]
    parts = [p for p in parts if p]
    subject = ""
    if parts and parts[0].startswith("一种"):
        subject = parts.pop(0).removeprefix("一种")
    features = nz.unique(p for p in parts if _MIN_FEATURE <= len(p) <= _MAX_FEATURE and not p.startswith("根据权利要求"))
    return subject, features


@functools.cache
def _field_automaton() -> tuple[Any, list[str]]:
    words = [(w, code) for code, ws in FIELD_KEYWORDS.items() for w in ws]
    return ahocorasick_rs.AhoCorasick([w for w, _c in words]), [c for _w, c in words]


def fields_of(category: str | None, title: str) -> tuple[str, ...]:
    """IPC subclasses a listing's category and title point to (in FIELD_KEYWORDS order)."""
    automaton, codes = _field_automaton()
    found = {codes[i] for i, _s, _e in automaton.find_matches_as_indexes(f"{category or ''} {title}", overlapping=True)}
    return tuple(code for code in FIELD_KEYWORDS if code in found)


def fields_all(listings: Sequence[Listing]) -> list[tuple[str, ...]]:
    """fields_of() of every listing (the same results): one automaton pass over the batch's texts joined by a
    character no keyword holds (so no match spans two texts), each match given to the text it starts in."""
    if any("\x00" in w for ws in FIELD_KEYWORDS.values() for w in ws):
        return [fields_of(x.category, x.title) for x in listings]
    texts = [f"{x.category or ''} {x.title}" for x in listings]
    joined = "\x00".join(texts)
    automaton, codes = _field_automaton()
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    found: dict[int, set[str]] = defaultdict(set)
    matches = automaton.find_matches_as_indexes(joined, overlapping=True)
    if matches:
        owners = np.searchsorted(starts, np.fromiter((m[1] for m in matches), dtype=np.int64, count=len(matches)),
                                 side="right") - 1
        for (i, _s, _e), owner in zip(matches, owners.tolist(), strict=True):
            found[owner].add(codes[i])
    out: list[tuple[str, ...]] = [()] * len(texts)
    for owner, codes_found in found.items():
        out[owner] = tuple(code for code in FIELD_KEYWORDS if code in codes_found)
    return out


@dataclass(slots=True)
class _Patent:
    right: Right
    subject: str
    features: list[str]
    fields: frozenset[str]


class InventionDetector:
    """Finds listings whose text states most features of a live patent's claim 1 in the same field."""

    def __init__(
        self,
        rights: Sequence[Right],
        licences: Sequence[Licence] = (),
        *,
        as_of: dt.date | None = None,
        config: DetectionConfig | None = None,
        model: CalibratedModel | None = None,
    ) -> None:
        """Split the claims of the live inventions and utility models among `rights` and index their features."""
        self.model = model or load_model(MODEL_NAME)
        self.model_version = self.model.version
        self.threshold = (config or DetectionConfig()).threshold(MODEL_NAME, self.model.threshold)
        self._patents: list[_Patent] = []
        self._by_feature: dict[str, list[int]] = defaultdict(list)
        self._by_bigram: dict[str, set[str]] = defaultdict(set)
        self._automaton: Any = None  # built on first use
        self._feature_list: list[str] = []
        for right in rights:
            if right.kind not in (RightKind.INVENTION, RightKind.UTILITY_MODEL):
                continue
            if right.status.casefold() not in _LIVE or (as_of and right.valid_until and right.valid_until < as_of):
                continue
            subject, features = claim_features(right.claims)
            if len(features) < 2:
                continue
            index = len(self._patents)
            fields = frozenset(code[:4].upper() for code in right.ipc if code)
            self._patents.append(_Patent(right, subject, features, fields))
            for feature in features:
                self._by_feature[feature].append(index)
                self._by_bigram[feature[:2]].add(feature)
        self._entitled: dict[str, set[str]] = defaultdict(set)
        for p in self._patents:
            self._entitled[p.right.number].add(nz.compact(p.right.owner))
        for lic in licences:
            self._entitled[lic.right].add(nz.compact(lic.licensee))
            if lic.licensee_uscc:
                self._entitled[lic.right].add(lic.licensee_uscc.strip().upper())

    def _features_in(self, text: str) -> set[str]:
        """Claim features stated verbatim in `text` (one Aho-Corasick pass over it)."""
        if self._automaton is None:
            self._feature_list = list(self._by_feature)
            self._automaton = ahocorasick_rs.AhoCorasick(self._feature_list) if self._feature_list else False
        if not self._automaton:
            return set()
        names = self._feature_list
        return {names[i] for i, _s, _e in self._automaton.find_matches_as_indexes(text, overlapping=True)}

    def candidates(self, listings: Iterable[Listing]) -> list[InventionCandidate]:
        """Listing/patent pairs in the same field sharing at least two claim features."""
        out: list[InventionCandidate] = []
        if not self._patents:
            return out
        listings = list(listings)
        for listing, fields in zip(listings, fields_all(listings), strict=True):
            if not fields:
                continue
            text = nz.compact(f"{listing.title} {listing.description or ''}"[:_MAX_TEXT])
            found = self._features_in(text)
            if len(found) < 2:
                continue
            hits: dict[int, int] = defaultdict(int)
            for feature in found:
                for index in self._by_feature[feature]:
                    hits[index] += 1
            seller = {nz.compact(listing.seller.name or ""), (listing.seller.uscc or "").strip().upper()} - {""}
            for index, count in hits.items():
                patent = self._patents[index]
                # at least half of the claim's features, and two, before it is worth an officer's look
                if count < max(2, len(patent.features) / 2) or not (patent.fields & set(fields)):
                    continue
                if seller & self._entitled[patent.right.number]:
                    continue
                out.append(self._candidate(listing, patent, found, text, fields))
        return out

    @staticmethod
    def _candidate(listing: Listing, patent: _Patent, found: set[str], text: str,
                   fields: tuple[str, ...]) -> InventionCandidate:
        matched = [f for f in patent.features if f in found]
        missing = [f for f in patent.features if f not in found]
        shared_fields = sorted(patent.fields & set(fields))
        reasons = [f"listing states {len(matched)} of {len(patent.features)} features of claim 1 of "
                   f"{patent.right.number}: {', '.join(matched)}"]
        codes = ["iv.claim_features"]
        params: list[dict[str, object]] = [{"matched": len(matched), "total": len(patent.features),
                                            "patent": patent.right.number, "features": matched}]
        if missing:
            reasons.append(f"not stated: {', '.join(missing)}")
            codes.append("iv.not_stated")
            params.append({"features": missing})
        reasons.append(f"same technical field {', '.join(shared_fields)}")
        codes.append("iv.same_field")
        params.append({"fields": shared_fields})
        reasons.append("to be compared by an examiner (lower priority)")
        codes.append("iv.examiner_review")
        params.append({})
        features = {
            "coverage": len(matched) / len(patent.features), "matched": min(len(matched), 8) / 8,
            "missing": min(len(missing), 8) / 8, "subject_in_text": float(bool(patent.subject) and patent.subject in text),
            "utility_model": float(patent.right.kind is RightKind.UTILITY_MODEL), "field_match": 1.0,
        }
        return InventionCandidate(listing, patent.right, features, tuple(reasons), tuple(codes), tuple(params))

    def detect(self, listings: Iterable[Listing]) -> list[LeadFinding]:
        """Leads for listings whose text reads on most of a claim's features."""
        found = self.candidates(listings)
        if not found:
            return []
        scores = self.model.probability([self.model.row(c.features) for c in found])
        return [LeadFinding(c.listing.id, c.right.number, LeadType.INVENTION, float(s), c.reasons, self.model_version,
                            codes=c.codes, params=c.params) for c, s in zip(found, scores, strict=True) if s >= self.threshold]
