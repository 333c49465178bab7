"""Runs every available detector over a batch of listings (one model per class of wrong)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from regional.detection.trademark import TrademarkDetector
from regional.domain import LeadFinding, Licence, Listing, Right


class Detector(Protocol):
    """What the engine needs of a detector."""

    MODEL_VERSION: str

    def detect(self, listings: Iterable[Listing]) -> list[LeadFinding]:
        """Leads for the given listings."""
        ...


def detectors(rights: Sequence[Right], licences: Sequence[Licence], as_of: dt.date | None = None) -> list[Detector]:
    """One instance of every detector available, built over the given rights and licences."""
    return [TrademarkDetector(rights, licences, as_of=as_of)]


def detect(
    rights: Sequence[Right],
    licences: Sequence[Licence],
    listings: Iterable[Listing],
    *,
    as_of: dt.date | None = None,
) -> list[LeadFinding]:
    """All leads from every detector, sorted by (listing_id, right)."""
    batch = list(listings)
    findings: list[LeadFinding] = []
    for detector in detectors(rights, licences, as_of):
        findings.extend(detector.detect(batch))
    return sorted(findings, key=lambda f: (f.listing_id, f.right, f.type.value))
