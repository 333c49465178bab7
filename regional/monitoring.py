"""Real-time monitoring lists (实时监测): high-risk sellers and products, rights most exposed to infringement.

Pure functions over plain values; `refresh_lists` is the unit of work that stores them.

When they are recomputed: whatever changes their inputs (an import, screening that found
leads, a blacklist delivered) marks them stale in the same transaction (`mark_stale`); the
worker recomputes stale lists right after its screening run and on a short timer, no more
often than their own cost allows (`refresh_due`), and hourly in any case; `import-listings`,
`screen` and `launch` recompute them before they return.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import state
from regional.models import (
    AuditEntry,
    BlacklistedEntity,
    LeadRow,
    ListingRow,
    RegistryRight,
    RiskEntry,
    SellerRow,
    SyncState,
)
from sync.db import Database


@dataclass(frozen=True)
class LeadFact:
    """What the lists need of one lead."""

    right: str
    seller_key: str | None
    seller_name: str | None
    score: float
    blacklisted: bool = False


@dataclass(frozen=True)
class PriceFact:
    """What the price check needs of one listing."""

    listing_id: str
    title: str
    category: str | None
    price: float | None


@dataclass(frozen=True)
class Entry:
    """One line of a monitoring list: a key, a label, a score and the reasons."""

    key: str
    label: str
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


def high_risk_sellers(leads: Sequence[LeadFact], min_leads: int = 3) -> list[Entry]:
    """Sellers with repeated leads, or on the national blacklist, most leads first."""
    by_seller: dict[str, list[LeadFact]] = defaultdict(list)
    for lead in leads:
        if lead.seller_key:
            by_seller[lead.seller_key].append(lead)
    out = []
    for key, items in by_seller.items():
        blacklisted = any(i.blacklisted for i in items)
        if len(items) < min_leads and not blacklisted:
            continue
        rights = {i.right for i in items}
        reasons = [f"{len(items)} leads on {len(rights)} right(s)"]
        if blacklisted:
            reasons.append("on the national blacklist of repeat infringers")
        score = len(items) + (10 if blacklisted else 0) + max(i.score for i in items)
        out.append(Entry(key, items[0].seller_name or key, round(score, 2), tuple(reasons)))
    return sorted(out, key=lambda e: (-e.score, e.key))


def exposed_rights(leads: Sequence[LeadFact], min_sellers: int = 2,
                   titles: Mapping[str, str] | None = None) -> list[Entry]:
    """Rights infringed by the most distinct sellers (易受侵权的知识产权名录), for active monitoring; each labelled
    by its title in the registry (the mark, the patent's name) when `titles` has it, else by its number."""
    sellers: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for lead in leads:
        counts[lead.right] += 1
        if lead.seller_key:
            sellers[lead.right].add(lead.seller_key)
    out = [Entry(right, (titles or {}).get(right) or right, float(len(sellers[right])),
                 (f"{counts[right]} leads from {len(sellers[right])} distinct sellers",))
           for right in counts if len(sellers[right]) >= min_sellers]
    return sorted(out, key=lambda e: (-e.score, e.key))


def price_anomalies(listings: Sequence[PriceFact], ratio: float = 0.4, min_peers: int = 5) -> list[Entry]:
    """Listings priced below `ratio` of the median of their category (at least `min_peers` priced peers)."""
    by_cat: dict[str, list[PriceFact]] = defaultdict(list)
    for item in listings:
        if item.category and item.price is not None and item.price > 0:
            by_cat[item.category].append(item)
    out = []
    for cat, items in by_cat.items():
        if len(items) < min_peers:
            continue
        median = statistics.median(i.price for i in items if i.price is not None)
        for i in items:
            assert i.price is not None
            if i.price < ratio * median:
                out.append(Entry(i.listing_id, i.title, round(1 - i.price / median, 3),
                                 (f"price {i.price:g} is {100 * i.price / median:.0f}% of the median {median:g} "
                                  f"of '{cat}' ({len(items)} listings)",)))
    return sorted(out, key=lambda e: (-e.score, e.key))


def refresh_due(now: dt.datetime, *, stale_since: dt.datetime | None, last_at: dt.datetime | None,
                last_duration_s: float, min_gap_s: float = 0.0, cost_factor: float = 5.0,
                max_age_s: float = 3600.0) -> bool:
    """Whether the lists should be recomputed now (pure).

    Never computed, or older than `max_age_s`: yes. Stale (inputs changed since): yes, once
    `cost_factor` times the last computation's duration (at least `min_gap_s`) has passed since
    it, so a big node does not spend its time recomputing while a long import is screened.
    """
    if last_at is None:
        return True
    age = (now - last_at).total_seconds()
    if age >= max_age_s or age < 0:
        return True
    if stale_since is None:
        return False
    return age >= max(min_gap_s, cost_factor * last_duration_s)


STALE = "monitoring_stale"  # sync_state key: when the lists' inputs last changed (absent: lists are current)
REFRESHED = "monitoring_refreshed"  # sync_state key: "<ISO time>|<seconds it took>|<counts JSON>"


def mark_stale(session: Session, now: dt.datetime) -> None:
    """Record, in the caller's transaction, that the lists' inputs changed."""
    state.put(session, STALE, now.isoformat(), now)


def _last_refresh(session: Session) -> tuple[dt.datetime | None, float, dict[str, int] | None]:
    value = state.get(session, REFRESHED)
    if not value:
        return None, 0.0, None
    at, _, rest = value.partition("|")
    duration, _, counts = rest.partition("|")
    try:
        return dt.datetime.fromisoformat(at), float(duration or 0), json.loads(counts) if counts else None
    except ValueError:
        return None, 0.0, None


def refresh_if_due(db: Database, now: dt.datetime, *, force: bool = False, actor: str = "worker",
                   timer: Callable[[], float] | None = None) -> dict[str, int] | None:
    """Recompute the lists when `refresh_due` says so (or when stale and `force`); returns the counts, or None."""
    timer = timer or time.monotonic
    with db.read() as session:
        stale_raw = state.get(session, STALE)
        last_at, last_duration, _ = _last_refresh(session)
    stale_since = dt.datetime.fromisoformat(stale_raw) if stale_raw else None
    due = (force and (stale_since is not None or last_at is None)) or refresh_due(
        now, stale_since=stale_since, last_at=last_at, last_duration_s=last_duration)
    if not due:
        return None
    started = timer()
    with db.transaction() as session:
        stale_now = state.get(session, STALE)
        _, _, previous = _last_refresh(session)
        counts = refresh_lists(session, now, actor=actor, audit=False)
        if counts != previous:
            session.add(AuditEntry(at=now, actor=actor, action="monitoring_lists", detail=counts))
        if stale_now is not None:  # a change committed after this started keeps the lists stale
            session.execute(sa.delete(SyncState).where(SyncState.key == STALE, SyncState.value == stale_now))
        state.put(session, REFRESHED, f"{now.isoformat()}|{timer() - started:.3f}|{json.dumps(counts)}", now)
    return counts


def refresh_lists(session: Session, now: dt.datetime, *, actor: str = "worker",
                  audit: bool = True) -> dict[str, int]:
    """Recompute every monitoring list from this node's leads and listings, replacing the previous ones."""
    blacklisted = {(u or "").upper() for u, in session.execute(
        sa.select(BlacklistedEntity.uscc).where(BlacklistedEntity.active)) if u}
    facts = []
    for right, score, name, uscc, phone in session.execute(
            sa.select(LeadRow.right_number, LeadRow.score, SellerRow.name, SellerRow.uscc, SellerRow.phone)
            .join(ListingRow, LeadRow.listing_id == ListingRow.id)
            .outerjoin(SellerRow, ListingRow.seller_id == SellerRow.id)):
        key = f"uscc:{uscc.upper()}" if uscc else (f"phone:{phone}" if phone else (f"name:{name}" if name else None))
        facts.append(LeadFact(right, key, name, score, bool(uscc and uscc.upper() in blacklisted)))
    prices = [PriceFact(i, t, c, p) for i, t, c, p in session.execute(
        sa.select(ListingRow.id, ListingRow.title, ListingRow.category, ListingRow.price))]
    titles = {number: title for number, title in session.execute(
        sa.select(RegistryRight.number, RegistryRight.title).where(RegistryRight.number.in_({f.right for f in facts})))}
    lists = {"high_risk_seller": high_risk_sellers(facts), "exposed_right": exposed_rights(facts, titles=titles),
             "price_anomaly": price_anomalies(prices)}
    session.execute(sa.delete(RiskEntry))
    for kind, entries in lists.items():
        for rank, e in enumerate(entries[:500], start=1):
            session.add(RiskEntry(kind=kind, rank=rank, key=e.key, label=e.label, score=e.score,
                                  reasons=list(e.reasons), computed_at=now))
    counts = {kind: len(entries) for kind, entries in lists.items()}
    if audit:
        session.add(AuditEntry(at=now, actor=actor, action="monitoring_lists", detail=counts))
    return counts
