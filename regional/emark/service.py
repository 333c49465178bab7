"""E-marks at a regional node: issue, verify (every scan recorded), revoke (filed for every region), trace.

Units of work over the node's database; the rules are in regional/emark/core.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import uuid as uuidlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.orm import Session

from regional import outbox
from regional.domain import LeadFinding, Listing, PatentStatus, Right
from regional.emark import core
from regional.emark.models import EmarkRow, EmarkScan, MarkState, ScanChannel
from regional.models import AuditEntry, LeadRow, LicenceRow, ListingRow, RegistryRight
from sync.db import Database
from sync.v1 import sync_pb2

DEAD_STATUSES = {PatentStatus.LAPSED.value, PatentStatus.EXPIRED.value, PatentStatus.INVALIDATED.value,
                 PatentStatus.REJECTED.value, "revoked", "cancelled", "invalid"}
PUBLIC_PER_MINUTE = 30  # public verifications per address and minute (page and API together)
PUBLIC_PER_HOUR = 600


class EmarkError(ValueError):
    """A request that cannot be carried out; the message says why (and names the field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RateLimited(EmarkError):
    """Too many public verifications from one address."""


@dataclass(frozen=True)
class Keys:
    """What a region needs to issue and verify marks."""

    region: str
    national_key: bytes  # raw Ed25519: the national key that vouches for every region's issuer key
    signing_key: ed25519.Ed25519PrivateKey | None = None  # this region's (issuing only)
    voucher: bytes | None = None  # the national voucher for signing_key (issuing only)


def load_keys(pki_dir: Path, region: str, *, issuing: bool = False) -> Keys:
    """The region's keys from its PKI directory; EmarkError saying what to do when something is missing."""
    from sync.evidence import load_public_key

    pki_dir = Path(pki_dir)
    pub = pki_dir / "evidence-log.pub"
    if not pub.is_file():
        raise EmarkError(f"{pub} is missing: install this region's credentials from a current "
                         "`hufu pki issue-region` (`hufu regional init --pki DIR`); it carries the national key")
    national = load_public_key(pub.read_bytes())
    if not issuing:
        return Keys(region=region, national_key=national)
    key_path, voucher_path = pki_dir / "signing.key", pki_dir / "emark.voucher"
    if not key_path.is_file():
        raise EmarkError(f"{key_path} is missing: this node has no signing key; install its credentials first")
    if not voucher_path.is_file():
        raise EmarkError(f"{voucher_path} is missing: the national office has not vouched for this region's key; "
                         f"re-issue the credentials with `hufu pki issue-region {region}` and install them again")
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, ed25519.Ed25519PrivateKey):
        raise EmarkError(f"{key_path} is not an Ed25519 key")
    try:
        voucher = bytes.fromhex(voucher_path.read_text().strip())
    except ValueError:
        raise EmarkError(f"{voucher_path} is not a hex signature") from None
    if not core._verifies(national, voucher, core.voucher_message(region, core.raw_public(loaded))):
        raise EmarkError(f"{voucher_path} does not vouch for this node's signing key under the national key: "
                         f"re-issue the credentials with `hufu pki issue-region {region}`")
    return Keys(region=region, national_key=national, signing_key=loaded, voucher=voucher)


def _audit(session: Session, now: dt.datetime, actor: str, action: str, address: str | None = None,
           **detail: object) -> None:
    session.add(AuditEntry(at=now, actor=actor[:100], action=action, detail=detail, address=address))


def _line(value: str | None, name: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise EmarkError(f"{name} is required", name)
    try:
        return core.check_field(name, text) if name in core.LIMITS else text[:limit]
    except core.MarkError as exc:
        raise EmarkError(str(exc), name) from None


BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def beijing_date(now: dt.datetime) -> dt.date:
    """The calendar date in China Standard Time of a moment (a naive moment is taken as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(BEIJING).date()


def new_mark_id(region: str) -> str:
    """A fresh mark id: the region and 50 random bits in base32 (no padding)."""
    return f"{region}-{base64.b32encode(secrets.token_bytes(5)).decode()[:8]}"


def issue(db: Database, keys: Keys, *, right: str, product: str, licensee: str | None = None,
          batch: str | None = None, serial: str | None = None, actor: str, now: dt.datetime,
          address: str | None = None) -> tuple[EmarkRow, str]:
    """Issue a mark for a product under a right of this region's registry; returns (row, payload)."""
    if keys.signing_key is None or keys.voucher is None:
        raise EmarkError("this node cannot issue marks (no signing key or voucher)")
    right = _line(right, "right", 64, required=True)
    product = _line(product, "product", 200, required=True)
    licensee_text = _line(licensee, "licensee", 300)
    batch_text = _line(batch, "batch", 64)
    serial_text = _line(serial, "serial", 64)
    today = beijing_date(now)  # the date printed on the mark is the office's, not UTC's
    with db.transaction() as session:
        row = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == right))
        if row is None:
            raise EmarkError(f"right {right} is not in this region's registry", "right")
        if (row.status or "").strip().lower() in DEAD_STATUSES:
            raise EmarkError(f"right {right} is {row.status}: no mark can be issued for it", "right")
        if row.valid_until is not None and row.valid_until < today:
            raise EmarkError(f"right {right} expired on {row.valid_until.isoformat()}", "right")
        if licensee_text:
            licences = [lic for lic in session.scalars(sa.select(LicenceRow).where(LicenceRow.right_number == right))
                        if lic.licensee.strip() == licensee_text
                        and (lic.valid_from is None or lic.valid_from <= today)
                        and (lic.valid_until is None or lic.valid_until >= today)]
            if not licences:
                raise EmarkError(f"{licensee_text} holds no licence of right {right} valid today", "licensee")
        mark_id = new_mark_id(keys.region)
        while session.scalar(sa.select(EmarkRow.id).where(EmarkRow.mark_id == mark_id)) is not None:
            mark_id = new_mark_id(keys.region)
        body = core.MarkBody(mark_id=mark_id, region=keys.region, right=right, holder=row.owner[:300],
                             licensee=licensee_text, product=product, batch=batch_text, serial=serial_text,
                             issued=today)
        try:
            payload = core.issue(body, keys.signing_key, keys.voucher)
        except core.MarkError as exc:
            raise EmarkError(str(exc)) from None
        mark = EmarkRow(mark_id=mark_id, region=keys.region, local=True, right_number=right, holder=body.holder,
                        licensee=licensee_text or None, product=product, batch=batch_text or None,
                        serial=serial_text or None, issued_on=today, payload=payload, state=MarkState.ACTIVE,
                        issued_at=now, issued_by=actor[:100])
        session.add(mark)
        _audit(session, now, actor, "emark_issued", address, mark=mark_id, right=right, product=product,
               licensee=licensee_text or None, batch=batch_text or None, serial=serial_text or None)
    return mark, payload


def known_lookup(session: Session, own_region: str) -> core.KnownLookup:
    """What this node knows of a mark: in its register, revoked (here or by downlink)."""
    def lookup(body: core.MarkBody) -> core.Known:
        row = session.scalar(sa.select(EmarkRow).where(EmarkRow.mark_id == body.mark_id))
        own = body.region == own_region
        if row is None or row.region != body.region:
            return core.Known(own_region=own)
        revoked = row.state is MarkState.REVOKED
        return core.Known(issued_here=row.local, own_region=own, revoked=revoked,
                          revoked_at=row.revoked_at.date().isoformat() if revoked and row.revoked_at else "",
                          revoked_reason=row.revoked_reason or "", revoked_by=row.region if revoked else "")
    return lookup


def payload_digest(text: str) -> str:
    """SHA-256 of what was scanned (kept instead of the text of a forged mark)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_rate(session: Session, address: str | None, now: dt.datetime, per_minute: int = PUBLIC_PER_MINUTE,
               per_hour: int = PUBLIC_PER_HOUR) -> None:
    """RateLimited when one address verified too often (public page and API)."""
    if not address:
        return
    minute = session.scalar(sa.select(sa.func.count()).select_from(EmarkScan).where(
        EmarkScan.address == address, EmarkScan.at > now - dt.timedelta(minutes=1))) or 0
    if minute >= per_minute:
        raise RateLimited(f"at most {per_minute} verifications a minute from one address")
    hour = session.scalar(sa.select(sa.func.count()).select_from(EmarkScan).where(
        EmarkScan.address == address, EmarkScan.at > now - dt.timedelta(hours=1))) or 0
    if hour >= per_hour:
        raise RateLimited(f"at most {per_hour} verifications an hour from one address")


def check(session: Session, keys: Keys, text: str) -> core.Verdict:
    """The verdict on a mark, without recording it."""
    return core.verdict(text, keys.national_key, known_lookup(session, keys.region))


def verify(db: Database, keys: Keys, text: str, *, channel: ScanChannel, now: dt.datetime,
           address: str | None = None, actor: str | None = None, listing_id: str | None = None,
           rate_limit: bool = False) -> core.Verdict:
    """Verify a scanned or pasted mark and record the scan (RateLimited for a public caller over its limit)."""
    with db.transaction() as session:
        if rate_limit:
            check_rate(session, address, now)
        result = check(session, keys, text)
        record_scan(session, result, text, channel=channel, now=now, address=address, actor=actor,
                    listing_id=listing_id)
    return result


def record_scan(session: Session, result: core.Verdict, text: str, *, channel: ScanChannel, now: dt.datetime,
                address: str | None = None, actor: str | None = None, listing_id: str | None = None) -> None:
    """Keep one scan: when, where from, what it claimed, what was found."""
    body = result.body
    session.add(EmarkScan(at=now, channel=channel, status=result.status.value,
                          mark_id=body.mark_id[:24] if body else None, right_number=body.right[:64] if body else None,
                          reason=result.reason[:500], payload_sha256=payload_digest(text[:core.MAX_PAYLOAD_CHARS]),
                          address=(address or None) and address[:64], listing_id=listing_id and listing_id[:200],
                          actor=actor and actor[:100]))


class UnknownMark(LookupError):
    """No mark with that id in this node's register."""


def revoke(db: Database, signer: outbox.Signer, mark_id: str, *, reason: str, actor: str, now: dt.datetime,
           address: str | None = None) -> EmarkRow:
    """Revoke a mark this region issued; the revocation is filed for every region with the next sync."""
    reason = (reason or "").strip()
    if not reason:
        raise EmarkError("say why the mark is revoked (the reason is shown to whoever scans it)", "reason")
    if len(reason) > 500:
        raise EmarkError("the reason has at most 500 characters", "reason")
    with db.transaction() as session:
        row = session.scalar(sa.select(EmarkRow).where(EmarkRow.mark_id == mark_id.strip()[:24]))
        if row is None or not row.local:
            raise UnknownMark(f"mark {mark_id[:40]} was not issued by this region")
        if row.state is MarkState.REVOKED:
            raise EmarkError(f"mark {row.mark_id} was already revoked on {row.revoked_at:%Y-%m-%d}")
        row.state = MarkState.REVOKED
        row.revoked_at = now
        row.revoked_by = actor[:100]
        row.revoked_reason = reason
        event = sync_pb2.EmarkEvent(mark_id=row.mark_id, event="revoked", right=row.right_number,
                                    product=row.product, reason=reason, at=now.isoformat(), officer=actor[:100])
        record = sync_pb2.Record(uuid=str(uuidlib.uuid4()), revision=1, created_at=now.isoformat(),
                                 emark_event=event)
        problems = outbox.check([record], signer.region)
        if problems:
            raise EmarkError("the revocation cannot be filed: " + "; ".join(str(p) for p in problems[:3]))
        outbox.append(session, signer, record, now)
        _audit(session, now, actor, "emark_revoked", address, mark=row.mark_id, right=row.right_number,
               reason=reason)
    return row


def apply_status(session: Session, status: sync_pb2.EmarkStatus, now: dt.datetime) -> None:
    """A mark's status received by downlink (a revocation at its issuing region)."""
    if status.status != "revoked" or not status.mark_id:
        return
    row = session.scalar(sa.select(EmarkRow).where(EmarkRow.mark_id == status.mark_id[:24]))
    when = _parse(status.at) or now
    if row is None:
        row = EmarkRow(mark_id=status.mark_id[:24], region=status.region[:6], local=False,
                       right_number=status.right[:64], holder="", product=status.product[:200],
                       state=MarkState.REVOKED)
        session.add(row)
    if row.region != status.region[:6]:
        return  # a mark id claimed by another region: ignore
    row.state = MarkState.REVOKED
    row.revoked_at = row.revoked_at or when
    row.revoked_reason = row.revoked_reason or status.reason[:500]
    row.revoked_by = row.revoked_by or f"region:{status.region[:6]}"
    session.add(AuditEntry(at=now, actor=f"region:{status.region[:6]}", action="emark_revocation_received",
                           detail={"mark": status.mark_id[:24], "right": status.right[:64]}))


def _parse(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------- trace


@dataclass(frozen=True)
class Step:
    """One step in a mark's life: registration, issue, a scan, a listing, a lead, a revocation."""

    at: dt.datetime | dt.date | None
    kind: str  # registered | issued | scan | listing | lead | revoked
    detail: dict[str, object]


def trace(session: Session, mark_id: str, limit: int = 500) -> tuple[EmarkRow | None, list[Step]]:
    """A mark from registration of its right, through issue and sale (scans, listings), to enforcement (leads)."""
    mark = session.scalar(sa.select(EmarkRow).where(EmarkRow.mark_id == mark_id.strip()[:24]))
    scans = list(session.scalars(sa.select(EmarkScan).where(EmarkScan.mark_id == mark_id.strip()[:24])
                                 .order_by(EmarkScan.at, EmarkScan.id).limit(limit)))
    if mark is None and not scans:
        return None, []
    steps: list[Step] = []
    right_no = mark.right_number if mark else scans[0].right_number
    right = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == right_no)) if right_no else None
    if right is not None:
        steps.append(Step(None, "registered", {"right": right.number, "title": right.title, "owner": right.owner,
                                               "kind": right.kind.value, "valid_until": right.valid_until}))
    if mark is not None and mark.local:
        steps.append(Step(mark.issued_at, "issued", {"product": mark.product, "batch": mark.batch,
                                                     "serial": mark.serial, "licensee": mark.licensee,
                                                     "by": mark.issued_by}))
    listing_ids = sorted({s.listing_id for s in scans if s.listing_id})
    for s in scans:
        steps.append(Step(s.at, "scan", {"channel": s.channel.value, "status": s.status, "listing": s.listing_id,
                                         "reason": s.reason}))
    if listing_ids:
        for lead in session.scalars(sa.select(LeadRow).where(LeadRow.listing_id.in_(listing_ids[:200]))
                                    .order_by(LeadRow.created_at)):
            listing = session.get(ListingRow, lead.listing_id)
            steps.append(Step(lead.created_at, "lead", {"uuid": lead.uuid, "listing": lead.listing_id,
                                                       "title": listing.title if listing else "",
                                                       "right": lead.right_number, "state": lead.state.value,
                                                       "score": round(lead.score, 3)}))
    if mark is not None and mark.state is MarkState.REVOKED:
        steps.append(Step(mark.revoked_at, "revoked", {"by": mark.revoked_by, "reason": mark.revoked_reason}))
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)

    def key(step: Step) -> dt.datetime:
        at = step.at
        if at is None:
            return floor
        if isinstance(at, dt.datetime):
            return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
        return dt.datetime.combine(at, dt.time(), tzinfo=dt.UTC)

    steps.sort(key=key)
    return mark, steps


def marks(session: Session, *, right: str | None = None, state: str | None = None, limit: int = 200,
          offset: int = 0) -> tuple[list[EmarkRow], int]:
    """The register, newest first, with scan counts."""
    stmt = sa.select(EmarkRow)
    if right:
        stmt = stmt.where(EmarkRow.right_number == right)
    if state in (MarkState.ACTIVE.value, MarkState.REVOKED.value):
        stmt = stmt.where(EmarkRow.state == MarkState(state))
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(EmarkRow.id.desc()).limit(limit).offset(offset)))
    return rows, total


def scan_counts(session: Session, mark_ids: Sequence[str]) -> dict[str, int]:
    """How often each mark was scanned."""
    if not mark_ids:
        return {}
    return dict(session.execute(sa.select(EmarkScan.mark_id, sa.func.count()).where(
        EmarkScan.mark_id.in_(list(mark_ids))).group_by(EmarkScan.mark_id)).all())  # type: ignore[arg-type]


# ---------------------------------------------------------------- detection


def screen_marks(session: Session, region: str, pki_dir: Path, findings: Sequence[LeadFinding],
                 listings: Sequence[Listing], rights: Mapping[str, Right], now: dt.datetime) -> list[LeadFinding]:
    """Verify the e-marks the listings show (each a recorded scan) and weigh them into the findings."""
    from regional.emark import signal

    try:
        keys = load_keys(pki_dir, region)
    except EmarkError:
        return list(findings)  # no national key installed: the marks cannot be judged here
    verdicts: dict[str, core.Verdict] = {}
    for listing in listings:
        if not listing.emark:
            continue
        try:
            core.extract(listing.emark)
        except core.MarkError:
            continue  # text that is no e-mark at all: nothing to weigh
        result = check(session, keys, listing.emark)
        verdicts[listing.id] = result
        digest = payload_digest(listing.emark[:core.MAX_PAYLOAD_CHARS])
        seen = session.scalar(sa.select(EmarkScan.id).where(EmarkScan.listing_id == listing.id[:200],
                                                            EmarkScan.payload_sha256 == digest,
                                                            EmarkScan.channel == ScanChannel.DETECTION).limit(1))
        if seen is None:
            record_scan(session, result, listing.emark, channel=ScanChannel.DETECTION, now=now, actor="screening",
                        listing_id=listing.id)
    return signal.apply(findings, {item.id: item for item in listings}, verdicts, rights)


def recent_failures(session: Session, limit: int = 20) -> list[EmarkScan]:
    """The latest scans that did not verify (forged, altered, revoked, unknown marks seen)."""
    return list(session.scalars(sa.select(EmarkScan).where(EmarkScan.status != core.Status.GENUINE.value)
                                .order_by(EmarkScan.id.desc()).limit(limit)))
