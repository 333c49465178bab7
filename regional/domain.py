"""Pure domain types shared by the importers, the detection engine and the node.

Nothing here touches a database, the network or the clock: values in, values out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RightKind(StrEnum):
    """Kinds of registry record (formats.md, `kind`)."""

    TRADEMARK = "trademark"
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


class PatentStatus(StrEnum):
    """Legal status of a patent (formats.md)."""

    GRANTED = "granted"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    INVALIDATED = "invalidated"
    PENDING = "pending"
    REJECTED = "rejected"


class ListingSource(StrEnum):
    """Where a screened record came from."""

    ECOMMERCE = "ecommerce"
    EXHIBITION = "exhibition"
    CUSTOMS = "customs"
    COMPLAINT = "complaint"


class LeadType(StrEnum):
    """Class of wrong a lead suspects (formats.md, `type`)."""

    TRADEMARK = "trademark"
    COUNTERFEIT_PATENT = "counterfeit_patent"
    DESIGN = "design"
    INVENTION = "invention"


class LeadOrigin(StrEnum):
    """How a lead came to be found (检测启动): routine monitoring, a launch, or a rights holder's request."""

    MONITORING = "monitoring"  # new-listing screening by the worker
    LAUNCH = "launch"  # an enforcement body's launch for named rights or the core industries
    HOLDER_REQUEST = "holder_request"  # a rights holder's detection request (权利人申请检测)


class LeadState(StrEnum):
    """Where a lead stands in the officers' workflow (transitions: regional/review/core.py)."""

    NEW = "new"  # 待判断: awaiting an officer's judgement
    NEED_INFO = "need_info"  # 需补充: the officer asked for more information
    PENDING_REVIEW = "pending_review"  # 待复核: a decision waits for a supervisor's second review
    CONFIRMED = "confirmed"  # 确认侵权
    EXCLUDED = "excluded"  # 排除


@dataclass(frozen=True, slots=True)
class Right:
    """A registry record: a trademark, a patent of one of three kinds, or a design."""

    kind: RightKind
    number: str  # reg_no for trademarks, patent number otherwise
    title: str  # the mark text for trademarks
    owner: str
    status: str
    nice_classes: tuple[int, ...] = ()
    ipc: tuple[str, ...] = ()
    locarno: str | None = None
    claims: str | None = None
    images: tuple[str, ...] = ()
    valid_until: dt.date | None = None
    well_known: bool = False  # 驰名商标: a trademark protected across goods classes
    counterparts: tuple[str, ...] = ()  # the mark's registered forms in other scripts (华为 ↔ HUAWEI), trademarks


@dataclass(frozen=True, slots=True)
class Licence:
    """Who may lawfully use a right, and when."""

    right: str
    licensee: str
    licensee_uscc: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Seller:
    """A market entity behind a listing."""

    name: str | None = None
    uscc: str | None = None
    phone: str | None = None
    address: str | None = None
    shop_url: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """One screened record: an e-commerce listing, an exhibit, a declaration or a complaint."""

    id: str
    title: str
    source: ListingSource = ListingSource.ECOMMERCE
    platform: str | None = None
    url: str | None = None
    description: str | None = None
    price: float | None = None
    currency: str | None = None
    nice_classes: tuple[int, ...] = ()
    category: str | None = None
    seller: Seller = field(default_factory=Seller)
    images: tuple[str, ...] = ()
    observed_at: dt.datetime | None = None
    emark: str | None = None  # the electronic IP mark (标识电子化) the listing shows, as its payload text
    # (dHash, pHash) of each of `images` made at import (None where unreadable); () when not made: hashed when screened
    image_hashes: tuple[tuple[int, int] | None, ...] = ()


@dataclass(frozen=True, slots=True)
class LeadFinding:
    """What a detector emits for one listing and one right (formats.md, Leads)."""

    listing_id: str
    right: str
    type: LeadType
    score: float
    reasons: tuple[str, ...]
    model_version: str
    codes: tuple[str, ...] = ()  # machine-readable reason codes, one per reason (added field)
    # parameters of each code, aligned with `codes` (docs/detection.md lists codes and parameters)
    params: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)

    def to_json(self, *, with_codes: bool = False) -> dict[str, object]:
        """The interchange form of formats.md; `with_codes` adds the machine reason codes."""
        out: dict[str, object] = {
            "listing_id": self.listing_id,
            "right": self.right,
            "type": self.type.value,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "model_version": self.model_version,
        }
        if with_codes and self.codes:
            out["codes"] = list(self.codes)
            if self.params:
                out["code_params"] = [dict(p) for p in self.params]
        return out
