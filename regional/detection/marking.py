"""Counterfeit patent marking (假冒专利): patent numbers a listing claims that do not hold up.

Every number found in the title and description (regional/detection/patents.py) is checked
against the registry; each failed rule has its own reason code (MarkingReason), and a
calibrated model turns the codes and their context into the lead's score.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from regional.detection import normalize as nz
from regional.detection import patents as pt
from regional.detection.config import DetectionConfig
from regional.detection.scoring import CalibratedModel, load_model
from regional.domain import LeadFinding, LeadType, Licence, Listing, PatentStatus, Right, RightKind

MODEL_NAME = "patent-marking"
_PATENT_KINDS = frozenset({RightKind.INVENTION, RightKind.UTILITY_MODEL, RightKind.DESIGN})


class MarkingReason(StrEnum):
    """Why a cited patent number is a counterfeit-marking suspicion (one code per rule)."""

    MALFORMED = "malformed"
    BAD_CHECK_DIGIT = "bad_check_digit"
    NOT_IN_REGISTRY = "not_in_registry"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    INVALIDATED = "invalidated"
    APPLICATION_ONLY = "application_only"
    REJECTED = "rejected"
    WRONG_KIND = "wrong_kind"
    NOT_OWNER = "not_owner_unlicensed"


# Reason codes of this model as they appear on leads ("" + MarkingReason), with their parameters.
REASON_CODES: dict[str, tuple[str, ...]] = {
    "pm.malformed": ("number", "problem"),
    "pm.bad_check_digit": ("number", "expected"),
    "pm.not_in_registry": ("number",),
    "pm.application_only": ("number", "patent"),
    "pm.lapsed": ("number", "patent"),
    "pm.expired": ("number", "patent", "on"),
    "pm.invalidated": ("number", "patent"),
    "pm.rejected": ("number", "patent"),
    "pm.wrong_kind": ("number", "claimed", "actual"),
    "pm.not_owner_unlicensed": ("number", "owner", "seller"),
}

FEATURES: tuple[str, ...] = (
    *(f"code_{code.value}" for code in MarkingReason),
    "n_codes",
    "seller_is_owner",
    "claims_kind",
    "cue_zl",
    "says_application",
    "near_owned_number",
)


@dataclass(frozen=True, slots=True)
class MarkingCheck:
    """The outcome of checking one cited number: codes, readable reasons, features."""

    mention: pt.PatentMention
    right: Right | None
    codes: tuple[MarkingReason, ...]
    reasons: tuple[str, ...]
    features: dict[str, float]
    params: tuple[dict[str, object], ...] = ()  # one per code, see REASON_CODES


def _same_party(name: str | None, other: str) -> bool:
    return bool(name) and nz.compact(name or "") == nz.compact(other)


class CounterfeitMarkingDetector:
    """Checks the patent numbers listings cite against the registry and its licences."""

    def __init__(
        self,
        rights: Sequence[Right],
        licences: Sequence[Licence] = (),
        *,
        as_of: dt.date | None = None,
        config: DetectionConfig | None = None,
        model: CalibratedModel | None = None,
    ) -> None:
        """Index the patents among `rights` by application (or publication) number."""
        self.as_of = as_of
        self.model = model or load_model(MODEL_NAME)
        self.model_version = self.model.version
        self.threshold = (config or DetectionConfig()).threshold(MODEL_NAME, self.model.threshold)
        self._by_key: dict[str, Right] = {}
        self._has_publications = False
        for right in rights:
            if right.kind not in _PATENT_KINDS:
                continue
            key = pt.registry_key(right.number)
            if key:
                self._by_key.setdefault(key, right)
                self._has_publications |= key.startswith("CN")
        self._owned_prefixes: dict[str, set[str]] = defaultdict(set)  # owner -> 11-digit prefixes (typo check)
        for key, right in self._by_key.items():
            self._owned_prefixes[nz.compact(right.owner)].add(key[:-1])
        self._licensees: dict[str, set[str]] = defaultdict(set)
        for lic in licences:
            if as_of and ((lic.valid_from and lic.valid_from > as_of) or (lic.valid_until and lic.valid_until < as_of)):
                continue
            key = pt.registry_key(lic.right)
            if key is None or key not in self._by_key:
                continue
            self._licensees[key].add("n:" + nz.compact(lic.licensee))
            if lic.licensee_uscc:
                self._licensees[key].add("u:" + lic.licensee_uscc.strip().upper())

    # -- rules ---------------------------------------------------------------------------

    def _licensed(self, key: str, listing: Listing) -> bool:
        allowed = self._licensees.get(key, set())
        seller = listing.seller
        if seller.name and "n:" + nz.compact(seller.name) in allowed:
            return True
        return bool(seller.uscc) and "u:" + (seller.uscc or "").strip().upper() in allowed

    def check(self, mention: pt.PatentMention, listing: Listing) -> MarkingCheck:
        """Apply every marking rule to one cited number."""
        shown = mention.raw
        codes: list[MarkingReason] = []
        reasons: list[str] = []
        right: Right | None = None
        seller_name = listing.seller.name
        near_owned = 0.0
        if mention.form is pt.NumberForm.MALFORMED:
            codes.append(MarkingReason.MALFORMED)
            reasons.append(f"'{shown}' is not a valid patent number ({mention.problem})")
        else:
            if mention.check_ok is False:
                codes.append(MarkingReason.BAD_CHECK_DIGIT)
                reasons.append(f"'{shown}' fails its check digit (a valid number would end in .{mention.expected_check})")
                if seller_name and mention.number[:-1] in self._owned_prefixes.get(nz.compact(seller_name), set()):
                    near_owned = 1.0  # one digit from a patent the seller owns: likely a typo
            right = self._by_key.get(mention.key)
            verifiable = mention.form is pt.NumberForm.APPLICATION or self._has_publications
            if right is None and verifiable:
                codes.append(MarkingReason.NOT_IN_REGISTRY)
                reasons.append(f"'{shown}' is not in the patent registry")
            if mention.letter == "A" and not mention.says_application:
                codes.append(MarkingReason.APPLICATION_ONLY)
                reasons.append(f"'{shown}' is the publication of an application (kind A), not a granted patent")
        if right is not None:
            codes.extend(self._status_codes(right, mention, reasons))
        number_kind = right.kind if right is not None else mention.kind
        if mention.claimed_kind and number_kind and mention.claimed_kind != number_kind:
            codes.append(MarkingReason.WRONG_KIND)
            reasons.append(f"claimed as {pt.KIND_NAMES_ZH[mention.claimed_kind]} but '{shown}' is a "
                           f"{pt.KIND_NAMES_ZH[number_kind]} number")
        is_owner = right is not None and _same_party(seller_name, right.owner)
        if right is not None and not is_owner and not self._licensees.get(mention.key):
            # only a live grant can "belong" to someone; dead or pending ones have their own codes
            if right.status.casefold() == PatentStatus.GRANTED and MarkingReason.EXPIRED not in codes:
                codes.append(MarkingReason.NOT_OWNER)
                reasons.append(f"'{shown}' belongs to {right.owner}, who has licensed no one; "
                               f"the seller is {seller_name or 'unnamed'}")
        features: dict[str, float] = {f"code_{c.value}": 1.0 for c in codes}
        features.update(
            n_codes=float(len(codes)),
            seller_is_owner=1.0 if is_owner else 0.0,
            claims_kind=1.0 if mention.claimed_kind else 0.0,
            cue_zl=1.0 if mention.raw.upper().startswith("ZL") else 0.0,
            says_application=1.0 if mention.says_application else 0.0,
            near_owned_number=near_owned,
        )
        return MarkingCheck(mention, right, tuple(codes), tuple(reasons), features,
                            tuple(self._params(code, mention, right, seller_name) for code in codes))

    def _params(self, code: MarkingReason, mention: pt.PatentMention, right: Right | None,
                seller: str | None) -> dict[str, object]:
        out: dict[str, object] = {"number": mention.raw}
        if code is MarkingReason.MALFORMED:
            out["problem"] = mention.problem
        elif code is MarkingReason.BAD_CHECK_DIGIT:
            out["expected"] = mention.expected_check
        elif code is MarkingReason.WRONG_KIND:
            kind = right.kind if right is not None else mention.kind
            out.update(claimed=mention.claimed_kind.value if mention.claimed_kind else None,
                       actual=kind.value if kind else None)
        elif code is MarkingReason.NOT_OWNER and right is not None:
            out.update(owner=right.owner, seller=seller)
        elif right is not None and code is not MarkingReason.NOT_IN_REGISTRY:
            out["patent"] = right.number
            if code is MarkingReason.EXPIRED:
                out["on"] = right.valid_until.isoformat() if right.valid_until else None
        return out

    def _status_codes(self, right: Right, mention: pt.PatentMention, reasons: list[str]) -> list[MarkingReason]:
        status = right.status.casefold()
        shown = mention.raw
        if status == PatentStatus.LAPSED:
            reasons.append(f"patent {right.number} has lapsed (fees unpaid); marking it is no longer allowed")
            return [MarkingReason.LAPSED]
        if status == PatentStatus.INVALIDATED:
            reasons.append(f"patent {right.number} has been invalidated")
            return [MarkingReason.INVALIDATED]
        if status == PatentStatus.EXPIRED or (self.as_of and right.valid_until and right.valid_until < self.as_of):
            until = f" on {right.valid_until.isoformat()}" if right.valid_until else ""
            reasons.append(f"patent {right.number} expired{until}")
            return [MarkingReason.EXPIRED]
        if status == PatentStatus.REJECTED:
            reasons.append(f"application {right.number} was rejected, yet '{shown}' is marked on the goods")
            return [MarkingReason.REJECTED]
        if status == PatentStatus.PENDING and not mention.says_application:
            reasons.append(f"{right.number} is only a pending application but is marked as a patent")
            return [MarkingReason.APPLICATION_ONLY]
        return []

    # -- driver --------------------------------------------------------------------------

    def checks(self, listing: Listing) -> list[MarkingCheck]:
        """Every cited number of a listing with at least one failed rule."""
        text = listing.title if not listing.description else f"{listing.title}\n{listing.description}"
        out: list[MarkingCheck] = []
        if not pt.may_mention(text):  # no cue and no twelve digits: extract() would find nothing (its pre-filter)
            return out
        for mention in pt.extract(text):
            checked = self.check(mention, listing)
            if checked.codes:
                out.append(checked)
        return out

    def detect(self, listings: Iterable[Listing]) -> list[LeadFinding]:
        """Leads for listings citing patent numbers that fail a marking rule."""
        pending: list[tuple[Listing, MarkingCheck]] = []
        for listing in listings:
            if not _may_cite(listing):
                continue
            pending.extend((listing, c) for c in self.checks(listing))
        if not pending:
            return []
        scores = self.model.probability([self.model.row(c.features) for _, c in pending])
        out: list[LeadFinding] = []
        for (listing, c), score in zip(pending, scores, strict=True):
            if score < self.threshold:
                continue
            number = c.right.number if c.right is not None else c.mention.canonical()
            out.append(LeadFinding(listing.id, number, LeadType.COUNTERFEIT_PATENT, float(score), c.reasons,
                                   self.model_version, codes=tuple("pm." + code.value for code in c.codes),
                                   params=c.params))
        return out


def _may_cite_reference(listing: Listing) -> bool:
    """_may_cite() written as a loop over the characters (the reference the tests hold the pattern to)."""
    text = listing.title + (listing.description or "")
    run = 0
    for ch in text:
        if ch.isdigit():
            run += 1
            if run >= 4:
                return True
        elif ch not in " .-":
            run = 0
    return False


# str.isdigit() is true for the decimal digits (what \d matches) and for these other digits (superscripts, circled
# and parenthesised numbers, ...), as of Unicode 14.0.0; another Unicode version lists them from its own data.
_OTHER_DIGITS_14 = ("\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
                    "\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
                    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a")


def _other_digits() -> str:
    if unicodedata.unidata_version == "14.0.0":
        return _OTHER_DIGITS_14
    return "".join(re.escape(chr(cp)) for cp in range(sys.maxunicode + 1)
                   if chr(cp).isdigit() and not chr(cp).isdecimal())


_DIGIT = rf"[\d{_other_digits()}]"
# four digits with only spaces, dots and hyphens between them ("2020 1 0123", "ZL 201.6"); a digit first, so the
# search skips to the next digit in C
_FOUR_DIGITS = re.compile(rf"{_DIGIT}(?:[ .\-]*{_DIGIT}){{3}}")


def _may_cite(listing: Listing) -> bool:
    """Cheap pre-filter: only texts with four digits in a row (spaces, dots and hyphens between them allowed; any
    digits str.isdigit() knows, full-width ones too) can cite a number."""
    return _FOUR_DIGITS.search(listing.title + (listing.description or "")) is not None
