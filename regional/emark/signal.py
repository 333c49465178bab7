"""The e-mark signal in detection (pure: values in, values out).

A listing that shows an e-mark is checked before its leads are kept:

* the mark fails verification (forged, altered, revoked, unknown) -> a strong signal against
  the right the mark claims: a lead of that right at `STRONG` at least, reason code `em.invalid`;
* the mark is genuine but made out for another product -> the same, code `em.other_product`;
* the mark is genuine and for this product -> leads of that right are lowered (`LICENSED_FACTOR`),
  code `em.genuine`: the goods carry the holder's own mark (a copied label remains possible, so
  the lead is kept for the officer, only lower).

A listing showing text that is not an e-mark at all (no `HFM1.` token) is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace

from regional.domain import LeadFinding, LeadType, Listing, Right, RightKind
from regional.emark.core import FAILED, Status, Verdict

MODEL_VERSION = "emark-1"
STRONG = 0.95
OTHER_PRODUCT = 0.9
LICENSED_FACTOR = 0.5
PRODUCT_MATCH = 0.6  # share of the mark's product bigrams found in the listing's text
INVALID = "em.invalid"
OTHER = "em.other_product"
GENUINE = "em.genuine"
_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    return _WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _grams(text: str) -> set[str]:
    t = _norm(text)
    return {t[i:i + 2] for i in range(len(t) - 1)} if len(t) > 1 else ({t} if t else set())


def same_product(product: str, listing: Listing) -> bool:
    """Whether the listing's text names the mark's product (most of its character pairs appear there)."""
    want = _grams(product)
    if not want:
        return False
    have = _grams(" ".join(x for x in (listing.title, listing.description or "", listing.category or "") if x))
    return len(want & have) / len(want) >= PRODUCT_MATCH


def _type_of(right: Right) -> LeadType:
    return {RightKind.TRADEMARK: LeadType.TRADEMARK, RightKind.DESIGN: LeadType.DESIGN}.get(
        right.kind, LeadType.COUNTERFEIT_PATENT)


def _with_reason(f: LeadFinding, score: float, reason: str, code: str, params: Mapping[str, object]) -> LeadFinding:
    codes = tuple(f.codes or ())
    extra: dict[str, object] = {}
    if codes and len(codes) == len(f.reasons):  # keep codes aligned with the reasons
        extra["codes"] = (*codes, code)
        extra["params"] = (*(f.params or ({},) * len(codes)), dict(params))
    elif not f.reasons:
        extra["codes"] = (code,)
        extra["params"] = (dict(params),)
    return replace(f, score=round(min(1.0, max(0.0, score)), 4), reasons=(*f.reasons, reason), **extra)


def apply(findings: Sequence[LeadFinding], listings: Mapping[str, Listing], verdicts: Mapping[str, Verdict],
          rights: Mapping[str, Right]) -> list[LeadFinding]:
    """The findings with each listing's e-mark taken into account (see the module text)."""
    out: list[LeadFinding] = []
    by_listing: dict[str, list[LeadFinding]] = {}
    for f in findings:
        if f.listing_id in verdicts:
            by_listing.setdefault(f.listing_id, []).append(f)
        else:
            out.append(f)
    for listing_id, verdict in verdicts.items():
        listing = listings.get(listing_id)
        held = by_listing.get(listing_id, [])
        if listing is None or verdict.status is Status.UNREADABLE:
            out.extend(held)
            continue
        body = verdict.body
        claimed = body.right if body is not None else ""
        params: dict[str, object] = {"mark": body.mark_id if body else "", "right": claimed,
                                     "status": verdict.status.value, "product": body.product if body else ""}
        if verdict.status in FAILED:
            reason = f"the listing shows an e-mark that fails verification ({verdict.status.value}: {verdict.reason})"
            out.extend(_strong(held, listing_id, claimed, rights, STRONG, reason[:500], INVALID, params, every=True))
        elif body is not None and not same_product(body.product, listing):
            reason = (f"the listing shows a genuine e-mark of right {claimed} made out for another product "
                      f"('{body.product}')")
            out.extend(_strong(held, listing_id, claimed, rights, OTHER_PRODUCT, reason[:500], OTHER, params))
        else:
            reason = f"the listing shows a genuine e-mark of right {claimed} for this product (licensed goods)"
            for f in held:
                out.append(_with_reason(f, f.score * LICENSED_FACTOR, reason, GENUINE, params) if f.right == claimed
                           else f)
    out.sort(key=lambda f: (f.listing_id, f.right, f.type.value))
    return out


def _strong(held: list[LeadFinding], listing_id: str, claimed: str, rights: Mapping[str, Right], floor: float,
            reason: str, code: str, params: Mapping[str, object], *, every: bool = False) -> list[LeadFinding]:
    """Raise the claimed right's leads (`every`: all the listing's leads) to `floor` with the reason;
    add a lead of the claimed right when no model found it."""
    result = []
    found = False
    for f in held:
        if f.right == claimed or every:
            found = found or f.right == claimed
            result.append(_with_reason(f, max(f.score, floor), reason, code, params))
        else:
            result.append(f)
    right = rights.get(claimed)
    if not found and right is not None:
        result.append(LeadFinding(listing_id=listing_id, right=claimed, type=_type_of(right), score=floor,
                                  reasons=(reason,), model_version=MODEL_VERSION, codes=(code,),
                                  params=(dict(params),)))
    return result
