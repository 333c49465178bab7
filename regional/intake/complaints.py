"""Public complaints and tips (投诉举报): no login, a rate limit and a honeypot, a tracking number.

A complaint becomes a listing of source `complaint` (what → title and description, where →
URL or place, who → seller), so the worker's screening runs the detection models over it
against the registry like any new listing, and what they find lands in the review queue as
leads of source complaint. When no model matches but the complainant named a right of the
registry, a lead on that right is made (score 0, reason: named by the complainant), so no
complaint about a known right goes unread; the tracking page says how it stands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid as uuidlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import outbox, state
from regional.actors import Actor, audit
from regional.domain import LeadState, LeadType, ListingSource, RightKind
from regional.models import LeadRow, ListingRow, RegistryRight, SellerRow
from regional.workflow_models import ComplaintRow, IntakeHit
from sync.db import Database

WINDOW_S = 3600
GLOBAL_PER_HOUR = 600  # all clients together: a flood from many addresses is capped as well
LIMITS = {"what": 1000, "url": 2000, "place": 300, "who": 300, "contact_name": 100, "contact": 200,
          "right_hint": 200}
_TRACKING = re.compile(r"^JB-\d{6}-\d{8}-[A-Z0-9]{6}$")
_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
SALT_KEY = "intake_salt"
PUBLIC = Actor("public")  # a complaint's sender: no account (the audit keeps a salted hash of the address)
RIGHT_KIND_TYPE = {RightKind.TRADEMARK: LeadType.TRADEMARK, RightKind.DESIGN: LeadType.DESIGN,
                   RightKind.INVENTION: LeadType.INVENTION, RightKind.UTILITY_MODEL: LeadType.INVENTION}


class ComplaintError(ValueError):
    """A complaint that cannot be accepted; `field` names the form field (None: the whole form)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class RateLimited(ComplaintError):
    """Too many submissions from one address (or from everyone) in the last hour."""


@dataclass(frozen=True)
class ComplaintForm:
    """The fields of the public form."""

    what: str
    url: str = ""
    place: str = ""
    who: str = ""
    contact_name: str = ""
    contact: str = ""
    right_hint: str = ""
    honeypot: str = ""  # a field people do not see; robots fill it


def _clean(form: ComplaintForm) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, limit in LIMITS.items():
        value = str(getattr(form, name) or "").strip()
        if len(value) > limit:
            raise ComplaintError(name, f"at most {limit} characters")
        bad = [ch for ch in value if ord(ch) < 32 and ch not in ("\n", "\t") or ord(ch) == 127]
        if bad:
            raise ComplaintError(name, "holds control characters")
        if name != "what":
            value = " ".join(value.split())
        out[name] = value
    if not out["what"]:
        raise ComplaintError("what", "say what is being infringed or counterfeited")
    if not (out["url"] or out["place"]):
        raise ComplaintError("url", "give where: a web address or a place")
    if out["url"]:
        if not re.match(r"^https?://[^\s/]+", out["url"], re.IGNORECASE):
            raise ComplaintError("url", "an http:// or https:// address")
    if out["contact"] and not (re.fullmatch(r"[0-9+\-() ]{5,40}", out["contact"])
                               or re.fullmatch(r"[^@\s]{1,100}@[^@\s]{1,98}\.[^@\s]{1,20}", out["contact"])):
        raise ComplaintError("contact", "a telephone number or an e-mail address")
    return out


def client_key(session: Session, address: str, now: dt.datetime) -> str:
    """A salted hash of the sender's address: enough for a rate limit, without keeping the address."""
    state.ensure(session, SALT_KEY, secrets.token_hex(16), now)
    salt = state.get(session, SALT_KEY) or ""
    return hashlib.sha256(f"{salt}|{address}".encode()).hexdigest()[:32]


def _count(session: Session, client: str, window: int, per_hour: int, now: dt.datetime) -> None:
    """Count this submission (an upsert: concurrent submissions never collide); refuse one over the limit."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    stmt = insert(IntakeHit).values(client=client, window=window, n=1)
    mine = session.scalar(stmt.on_conflict_do_update(index_elements=["client", "window"],
                                                     set_={"n": IntakeHit.n + 1}).returning(IntakeHit.n))
    total = session.scalar(sa.select(sa.func.coalesce(sa.func.sum(IntakeHit.n), 0))
                           .where(IntakeHit.window == window)) or 0
    if (mine or 0) > per_hour or total > GLOBAL_PER_HOUR:
        raise RateLimited(None, "too many complaints from this address in the last hour; try again later "
                          "or call the 12330 hotline")
    session.execute(sa.delete(IntakeHit).where(IntakeHit.window < window - 24))  # keep a day


def _tracking(region: str, now: dt.datetime) -> str:
    tail = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(6))
    return f"JB-{region}-{now:%Y%m%d}-{tail}"


def submit(db: Database, region: str, form: ComplaintForm, *, address: str, now: dt.datetime,
           per_hour: int = 5) -> str:
    """Accept a complaint: checked, rate-limited, stored as a listing of source complaint; returns its tracking number.

    A filled honeypot is answered like a success (a robot learns nothing) but nothing is stored.
    """
    from regional.formats.errors import RecordValidationError
    from regional.importers import parse_listing_line
    from regional.services import seller_fingerprint

    fields = _clean(form)
    if form.honeypot.strip():
        with db.transaction() as session:
            audit(session, PUBLIC, "complaint_honeypot", now, client=client_key(session, address, now))
        return _tracking(region, now)
    tracking = _tracking(region, now)
    listing_id = f"complaint-{tracking}"
    description = "\n".join(part for part in (
        fields["what"], f"地点：{fields['place']}" if fields["place"] else "",
        f"被投诉方：{fields['who']}" if fields["who"] else "",
        f"涉及权利：{fields['right_hint']}" if fields["right_hint"] else "") if part)
    record: dict[str, object] = {"id": listing_id, "source": "complaint", "title": fields["what"][:1000],
                                 "description": description, "observed_at": now.isoformat()}
    if fields["url"]:
        record["url"] = fields["url"]
    if fields["who"] or fields["place"]:
        record["seller"] = {k: v for k, v in (("name", fields["who"]), ("address", fields["place"])) if v}
    try:
        listing = parse_listing_line(record, file="complaint", line=1)
    except RecordValidationError as exc:
        first = exc.errors[0]
        form_field = {"title": "what", "description": "what", "url": "url", "seller.name": "who",
                      "seller.address": "place"}.get(first.field or "", first.field)
        raise ComplaintError(form_field, first.message) from None
    with db.transaction() as session:
        client = client_key(session, address, now)
        _count(session, client, int(now.timestamp()) // WINDOW_S, per_hour, now)
        seller_id = None
        if listing.seller.name or listing.seller.address:
            seller = SellerRow(fingerprint=seller_fingerprint(listing.seller) + "-" + uuidlib.uuid4().hex[:8],
                               name=listing.seller.name, address=listing.seller.address)
            session.add(seller)
            session.flush()
            seller_id = seller.id
        session.add(ListingRow(id=listing_id, source=ListingSource.COMPLAINT, url=listing.url, title=listing.title,
                               description=listing.description, nice_classes=[], seller_id=seller_id, images=[],
                               observed_at=now, imported_at=now))
        session.flush()
        session.add(ComplaintRow(tracking_no=tracking, listing_id=listing_id, what=fields["what"],
                                 url=fields["url"] or None, place=fields["place"] or None, who=fields["who"] or None,
                                 contact_name=fields["contact_name"] or None, contact=fields["contact"] or None,
                                 right_hint=fields["right_hint"] or None, submitted_at=now, client=client))
        audit(session, PUBLIC, "complaint_received", now, tracking=tracking, client=client, listing=listing_id)
    return tracking


@dataclass(frozen=True)
class Status:
    """What the public tracking page may show: no personal data, no lead details."""

    tracking_no: str
    submitted_at: dt.datetime
    screened: bool
    leads: int
    judged: int
    confirmed: int


def status(session: Session, tracking_no: str) -> Status | None:
    """The standing of a complaint by its tracking number (None when unknown or malformed)."""
    tracking_no = (tracking_no or "").strip().upper()
    if not _TRACKING.match(tracking_no):
        return None
    row = session.scalar(sa.select(ComplaintRow).where(ComplaintRow.tracking_no == tracking_no))
    if row is None:
        return None
    states = list(session.scalars(sa.select(LeadRow.state).where(LeadRow.listing_id == row.listing_id)))
    judged = sum(1 for s in states if s in (LeadState.CONFIRMED, LeadState.EXCLUDED))
    confirmed = sum(1 for s in states if s is LeadState.CONFIRMED)
    return Status(row.tracking_no, row.submitted_at, row.screened_at is not None, len(states), judged, confirmed)


def follow_up(db: Database, signer: outbox.Signer, now: dt.datetime) -> int:
    """After screening: count each complaint's leads; a complaint no model matched but that names a known
    right gets a lead on that right, so an officer reads it. Returns how many complaints were settled."""
    from regional.review.index import index_leads
    from regional.services import lead_record

    settled = 0
    with db.transaction() as session:
        waiting = session.execute(
            sa.select(ComplaintRow, ListingRow).join(ListingRow, ListingRow.id == ComplaintRow.listing_id)
            .where(ComplaintRow.screened_at.is_(None), ListingRow.screened_at.is_not(None)).limit(200)).all()
        for complaint, listing in waiting:
            n = session.scalar(sa.select(sa.func.count()).select_from(LeadRow)
                               .where(LeadRow.listing_id == listing.id)) or 0
            if n == 0 and complaint.right_hint:
                right = _named_right(session, complaint.right_hint)
                if right is not None:
                    lead = LeadRow(uuid=str(uuidlib.uuid4()), listing_id=listing.id, right_number=right.number,
                                   type=RIGHT_KIND_TYPE[RightKind(right.kind)], score=0.0,
                                   reasons=["complaint names this right; no detection model matched the listing"],
                                   reason_codes=[{"code": "cp.named_right", "right": right.number}],
                                   model_version="complaint", state=LeadState.NEW, created_at=now,
                                   source=ListingSource.COMPLAINT, seller_id=listing.seller_id)
                    session.add(lead)
                    session.flush()
                    seller = session.get(SellerRow, listing.seller_id) if listing.seller_id else None
                    outbox.append(session, signer, lead_record(lead, listing, seller, right, now), now)
                    index_leads(session, [(lead, listing, seller)])
                    n = 1
            complaint.screened_at = now
            complaint.leads = n
            settled += 1
    return settled


def _named_right(session: Session, hint: str) -> RegistryRight | None:
    text = hint.strip()
    found = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == text))
    if found is None:
        found = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == text.upper()))
    if found is None and len(text) >= 2:
        found = session.scalar(sa.select(RegistryRight).where(RegistryRight.kind == RightKind.TRADEMARK,
                                                             RegistryRight.title == text).limit(1))
    return found
