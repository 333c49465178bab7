"""Nationwide sweeps: the national office names rights or fields and runs the regional detection
engine over pooled listings (the engine is the same code the regional nodes run)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from national.models import AuditEntry, SweepLead, SweepRow
from regional.domain import Licence, Listing, Right, RightKind
from sync.regions import region_of_address


@dataclass(frozen=True)
class SweepScope:
    """What the national office asked to sweep: named rights and/or goods classes (empty = everything)."""

    rights: tuple[str, ...] = ()
    nice_classes: tuple[int, ...] = ()

    def selects(self, right: Right) -> bool:
        """Whether a registry right is within the scope."""
        if self.rights and right.number not in self.rights:
            return False
        if self.nice_classes and right.kind is RightKind.TRADEMARK:
            return bool(set(right.nice_classes) & set(self.nice_classes))
        return True


def run_sweep(session: Session, name: str, scope: SweepScope, rights: Sequence[Right], licences: Sequence[Licence],
              listings: Sequence[Listing], *, actor: str, now: dt.datetime,
              detect: Callable[..., list] | None = None) -> SweepRow:  # type: ignore[type-arg]
    """Detect over the pooled listings for the rights in scope; store the sweep and its leads."""
    if detect is None:
        from regional.detection.engine import detect as engine_detect

        detect = engine_detect
    chosen = [r for r in rights if scope.selects(r)]
    missing = set(scope.rights) - {r.number for r in chosen}
    if missing:
        raise ValueError(f"right(s) not in the registry file: {', '.join(sorted(missing))}")
    findings = detect(chosen, licences, listings) if chosen else []
    by_id = {item.id: item for item in listings}
    sweep = SweepRow(name=name, actor=actor, rights=list(scope.rights), nice_classes=list(scope.nice_classes),
                     listings=len(listings), leads=len(findings), started_at=now)
    session.add(sweep)
    session.flush()
    for f in findings:
        seller = by_id[f.listing_id].seller
        session.add(SweepLead(sweep_id=sweep.id, listing_id=f.listing_id, listing_title=by_id[f.listing_id].title,
                              right_number=f.right, type=f.type.value, score=f.score, reasons=list(f.reasons),
                              model_version=f.model_version, seller_name=seller.name, seller_uscc=seller.uscc,
                              seller_region=region_of_address(seller.address)))
    session.add(AuditEntry(at=now, actor=actor, action="sweep", detail={
        "sweep": sweep.id, "name": name, "rights": list(scope.rights), "nice_classes": list(scope.nice_classes),
        "rights_in_scope": len(chosen), "listings": len(listings), "leads": len(findings)}))
    return sweep
