"""Regional use cases: import interchange files, screen listings, record leads.

Each public function is one unit of work over a `Database`; web views, CLI commands and
scheduled jobs call these and hold no rules of their own.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import monitoring, outbox
from regional import reasons as reason_codes
from regional.domain import (
    LeadFinding,
    LeadOrigin,
    LeadState,
    Licence,
    Listing,
    ListingSource,
    Right,
    RightKind,
    Seller,
)
from regional.formats.errors import count_text, invalid_records, summarise
from regional.formats.source import DEFAULT_LIMITS, ReadLimits
from regional.forms import check_form
from regional.importers import ImportFileError, RecordError, read_listings, read_registry
from regional.models import (
    AuditEntry,
    BlacklistedEntity,
    ImportRun,
    LeadRow,
    LicenceRow,
    ListingRow,
    ReceivedCase,
    ReceivedListingRecord,
    RegistryRight,
    SellerRow,
)
from regional.reports.dims import industry_of, seller_city
from regional.review.index import index_leads
from regional.review.retrain import active_models
from sync.cas import file_sha256
from sync.db import Database
from sync.times import aware as _utc
from sync.v1 import sync_pb2


class ImportRejected(ValueError):
    """A file with invalid records: nothing was written; `errors` names each record and field."""

    def __init__(self, path: Path | str, errors: Sequence[RecordError]) -> None:
        self.path = path
        self.errors = list(errors)
        shown = "\n  ".join(summarise(self.errors))
        super().__init__(f"{path}: {count_text(self.errors)}; nothing was imported:\n  {shown}")


@dataclass(frozen=True)
class ImportResult:
    """What an import stored, and the warnings that did not block it."""

    file: str
    created: int
    updated: int
    licences: int = 0
    warnings: tuple[RecordError, ...] = ()
    unchanged: int = 0  # records received again exactly as stored (listings)


# (phase, done, total): "reading" counts bytes of the file, "storing" counts records.
ImportProgress = Callable[[str, int, int], None]


def _audit(session: Session, now: dt.datetime, actor: str, action: str, **detail: object) -> None:
    session.add(AuditEntry(at=now, actor=actor, action=action, detail=detail))


def _record_rejection(db: Database, path: Path | str, kind: str, errors: Sequence[RecordError], actor: str,
                      now: dt.datetime) -> None:
    # `errors` counts the problems (a record may have several), `records` the invalid records; `first` the first
    # five in English, `first_parts` the same as rule key + params (the web UI says them in the reader's language)
    with db.transaction() as session:
        _audit(session, now, actor, f"import_{kind}_rejected", file=str(path), errors=len(errors),
               records=invalid_records(errors), first=[str(e) for e in errors[:5]],
               first_parts=[e.parts() for e in errors[:5]])


def record_unreadable(db: Database, path: Path, kind: str, exc: ImportFileError, actor: str,
                      now: dt.datetime) -> None:
    """Audit a file that could not be read at all (`import_<kind>_unreadable`)."""
    with db.transaction() as session:
        _audit(session, now, actor, f"import_{kind}_unreadable", file=str(path), reason=str(exc),
               line=exc.line, reason_parts=exc.parts())


def _read(db: Database, path: Path, kind: str, reader: Callable[..., Any], *, actor: str, now: dt.datetime,
          fmt: str | None, encoding: str, progress: ImportProgress | None, audit_path: Path | None = None) -> Any:
    """Read and validate a file; every refusal (unreadable, empty, invalid records) leaves an audit entry
    (naming `audit_path`, the file as handed in, when `path` was unpacked from it)."""
    shown = audit_path or path
    on_bytes = (lambda done, total: progress("reading", done, total)) if progress else None
    try:
        batch = reader(path, fmt=fmt, encoding=encoding, progress=on_bytes)
    except ImportFileError as exc:
        record_unreadable(db, shown, kind, exc, actor, now)
        raise
    if batch.errors:
        _record_rejection(db, shown, kind, batch.errors, actor, now)
        raise ImportRejected(shown, batch.errors)
    return batch


def import_registry(db: Database, path: Path, *, actor: str, now: dt.datetime, fmt: str | None = None,
                    encoding: str = "utf-8", progress: ImportProgress | None = None) -> ImportResult:
    """Validate a registry file and store it in one transaction; reject it whole if any record is bad."""
    path = Path(path)
    batch = _read(db, path, "registry", read_registry, actor=actor, now=now, fmt=fmt, encoding=encoding,
                  progress=progress)
    created = updated = 0
    total = len(batch.rights) + len(batch.licences)
    with db.transaction() as session:
        run = ImportRun(kind="registry", file_name=str(path)[:500], sha256=file_sha256(path), records=total,
                        actor=actor, at=now)
        session.add(run)
        session.flush()
        for offset in range(0, len(batch.rights), CHUNK):
            chunk = batch.rights[offset:offset + CHUNK]
            existing = {r.number: r for r in session.scalars(
                sa.select(RegistryRight).where(RegistryRight.number.in_([x.number for x in chunk])))}
            for right in chunk:
                row = existing.get(right.number)
                if row is None:
                    row = RegistryRight(number=right.number)
                    session.add(row)
                    existing[right.number] = row
                    created += 1
                else:
                    updated += 1
                row.kind = right.kind
                row.title = right.title
                row.owner = right.owner
                row.status = right.status
                row.nice_classes = list(right.nice_classes)
                row.ipc = list(right.ipc)
                row.locarno = right.locarno
                row.claims = right.claims
                row.images = list(right.images)
                row.valid_until = right.valid_until
                row.well_known = right.well_known
                row.counterparts = list(right.counterparts)
                row.import_id = run.id
            if progress:
                progress("storing", offset + len(chunk), total)
        for lic in batch.licences:
            session.add(LicenceRow(right_number=lic.right, licensee=lic.licensee, licensee_uscc=lic.licensee_uscc,
                                   valid_from=lic.valid_from, valid_until=lic.valid_until, import_id=run.id))
        if progress:
            progress("storing", total, total)
        _audit(session, now, actor, "import_registry", file=str(path), created=created, updated=updated,
               licences=len(batch.licences), warnings=len(batch.warnings),
               first_warnings=[str(w) for w in batch.warnings[:5]],
               first_warnings_parts=[w.parts() for w in batch.warnings[:5]])
    return ImportResult(file=str(path), created=created, updated=updated, licences=len(batch.licences),
                        warnings=tuple(batch.warnings))


def seller_fingerprint(seller: Seller) -> str:
    """A stable key for one seller as reported (exact identifiers; dedup happens nationally)."""
    parts = [seller.name or "", seller.uscc or "", seller.phone or "", seller.shop_url or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


CHUNK = 1000  # rows looked up and written together while storing an import


def store_listings(session: Session, listings: Sequence[Listing], *, run_id: int | None, now: dt.datetime,
                   progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Insert or update validated listings in the caller's transaction; returns (created, updated).

    `updated` counts the listings stored before that the file changes; one received again exactly as stored (or
    with only its seller's unchanged) is neither (unchanged: the rest). A listing whose title or description
    changed is marked for screening again. Shared by file imports and any other source of validated listings (a
    platform feed).
    """
    created = updated = 0
    moved: set[str] = set()  # sellers whose address this batch changes
    sellers: dict[str, SellerRow] = {}
    for offset in range(0, len(listings), CHUNK):
        chunk = listings[offset:offset + CHUNK]
        rows = {r.id: r for r in session.scalars(sa.select(ListingRow).where(
            ListingRow.id.in_([x.id for x in chunk])))}
        wanted = {seller_fingerprint(x.seller) for x in chunk if _has_seller(x.seller)} - set(sellers)
        if wanted:
            sellers.update({s.fingerprint: s for s in session.scalars(
                sa.select(SellerRow).where(SellerRow.fingerprint.in_(wanted)))})
        fresh = False
        for listing in chunk:
            s = listing.seller
            if _has_seller(s):
                fp = seller_fingerprint(s)
                row_s = sellers.get(fp)
                if row_s is None:
                    sellers[fp] = SellerRow(fingerprint=fp, name=s.name, uscc=s.uscc, phone=s.phone,
                                            address=s.address, shop_url=s.shop_url)
                    session.add(sellers[fp])
                    fresh = True
                elif s.address and row_s.address != s.address:
                    row_s.address = s.address
                    moved.add(fp)
        if fresh:
            session.flush()  # one flush gives the chunk's new sellers their ids
        for listing in chunk:
            seller_id = sellers[seller_fingerprint(listing.seller)].id if _has_seller(listing.seller) else None
            row = rows.get(listing.id)
            before: tuple[Any, ...] | None = None
            if row is None:
                row = ListingRow(id=listing.id, imported_at=now)
                session.add(row)
                rows[listing.id] = row
                created += 1
            else:
                before = _stored(row)
                if row.title != listing.title or row.description != listing.description:
                    row.screened_at = None
            row.source = listing.source
            row.platform = listing.platform
            row.url = listing.url
            row.title = listing.title
            row.description = listing.description
            row.price = listing.price
            row.currency = listing.currency
            row.nice_classes = list(listing.nice_classes)
            row.category = listing.category
            row.seller_id = seller_id
            if row.image_hashes is None or list(row.images or ()) != list(listing.images):
                # each photo hashed once here, as screening would read it (paths from the working directory)
                from regional.detection.perceptual import stored_hashes

                row.image_hashes = stored_hashes(listing.images)
            row.images = list(listing.images)
            # stored in UTC like every time on the node: SQLite keeps no offset, and a Beijing-time stamp stored as
            # written was read back as UTC and shown 8 hours late (newcomer13)
            row.observed_at = listing.observed_at.astimezone(dt.UTC) if listing.observed_at else None
            if row.emark != listing.emark:
                row.screened_at = None  # a new or changed e-mark is checked again
            row.emark = listing.emark
            row.language = listing_language(listing.title, listing.description)
            row.import_id = run_id
            if before is not None and (before != _stored(row) or (
                    _has_seller(listing.seller) and seller_fingerprint(listing.seller) in moved)):
                updated += 1
        session.flush()
        if progress:
            progress(offset + len(chunk), len(listings))
    if listings:
        monitoring.mark_stale(session, now)
    return created, updated


def _stored(row: ListingRow) -> tuple[Any, ...]:
    """What a listing row holds from its file (not when or by which import): tells an update from a repeat."""
    return (row.source, row.platform, row.url, row.title, row.description, row.price, row.currency,
            list(row.nice_classes or ()), row.category, row.seller_id, list(row.images or ()), _utc(row.observed_at),
            row.emark)


def listing_language(title: str, description: str | None) -> str | None:
    """The listing's language code (regional/detection/foreign.py), from its title and the start of its description."""
    from regional.detection.foreign import language

    return language(f"{title[:1000]} {(description or '')[:1000]}") or None


def _has_seller(s: Seller) -> bool:
    return any((s.name, s.uscc, s.phone, s.shop_url))


def import_listings(db: Database, path: Path, *, actor: str, now: dt.datetime, fmt: str | None = None,
                    encoding: str = "utf-8", progress: ImportProgress | None = None,
                    evidence_dir: Path | None = None) -> ImportResult:
    """Validate a listings file (or a .zip bundle) and store it in one transaction; changed listings are screened again.

    With `evidence_dir`, each record as received and every file it carries or names is kept
    content-addressed for the evidence captured when a lead is found (regional/evidence/intake.py);
    a record whose files are missing or too large fails the import like any other bad record.
    """
    from regional.evidence import intake

    path = Path(path)
    kept: dict[str, intake.ListingEvidence] = {}
    try:
        with intake.bundle(path) as (listings_path, base):
            reader = read_listings
            if evidence_dir is not None:  # a record may be longer by the inline attachments it carries
                limits = ReadLimits(max_record_bytes=DEFAULT_LIMITS.max_record_bytes + intake.INLINE_ALLOWANCE)
                reader = functools.partial(read_listings, limits=limits)
            batch = _read(db, listings_path, "listings", reader, actor=actor, now=now, fmt=fmt,
                          encoding=encoding, progress=progress, audit_path=path)
            if evidence_dir is not None:
                from sync.cas import ContentStore

                kept, evidence_errors = intake.collect(listings_path.name, batch.raw, base, ContentStore(evidence_dir))
                if evidence_errors:
                    _record_rejection(db, path, "listings", evidence_errors, actor, now)
                    raise ImportRejected(path, evidence_errors)
    except intake.BundleError as exc:
        record_unreadable(db, path, "listings", exc, actor, now)
        raise
    with db.transaction() as session:
        run = ImportRun(kind="listings", file_name=str(path)[:500], sha256=file_sha256(path),
                        records=len(batch.listings), actor=actor, at=now)
        session.add(run)
        session.flush()
        on_rows = (lambda done, total: progress("storing", done, total)) if progress else None
        created, updated = store_listings(session, batch.listings, run_id=run.id, now=now, progress=on_rows)
        for listing_id, found in kept.items():
            session.add(ReceivedListingRecord(listing_id=listing_id, import_id=run.id,
                                              record_sha256=found.record_sha256, attachments=found.attachments,
                                              references=found.references, received_at=now))
        unchanged = len(batch.listings) - created - updated
        _audit(session, now, actor, "import_listings", file=str(path), created=created, updated=updated,
               unchanged=unchanged, warnings=len(batch.warnings), first_warnings=[str(w) for w in batch.warnings[:5]],
               first_warnings_parts=[w.parts() for w in batch.warnings[:5]])
    return ImportResult(file=str(path), created=created, updated=updated, warnings=tuple(batch.warnings),
                        unchanged=unchanged)


# ---------------------------------------------------------------- screening


def _right_of(row: RegistryRight) -> Right:
    return Right(kind=RightKind(row.kind), number=row.number, title=row.title, owner=row.owner, status=row.status,
                 nice_classes=tuple(row.nice_classes or ()), ipc=tuple(row.ipc or ()), locarno=row.locarno,
                 claims=row.claims, images=tuple(row.images or ()), valid_until=row.valid_until,
                 well_known=bool(row.well_known), counterparts=tuple(row.counterparts or ()))


def _seller_of(row: SellerRow | None) -> Seller:
    if row is None:
        return Seller()
    return Seller(name=row.name, uscc=row.uscc, phone=row.phone, address=row.address, shop_url=row.shop_url)


def _listing_of(row: ListingRow, seller: SellerRow | None) -> Listing:
    from regional.detection.perceptual import parse_stored

    return Listing(id=row.id, title=row.title, source=row.source, platform=row.platform, url=row.url,
                   description=row.description, price=row.price, currency=row.currency,
                   nice_classes=tuple(row.nice_classes or ()), category=row.category, seller=_seller_of(seller),
                   images=tuple(row.images or ()), observed_at=_utc(row.observed_at), emark=row.emark,
                   image_hashes=parse_stored(row.image_hashes, len(row.images or ())))


@dataclass
class ScreenResult:
    """What one screening run did."""

    screened: int = 0
    leads: int = 0
    skipped_existing: int = 0
    lead_uuids: list[str] = field(default_factory=list)


Detector = Callable[[Sequence[Right], Sequence[Licence], Sequence[Listing]], list[LeadFinding]]


def _default_detector(as_of: dt.date, artifacts: Mapping[str, Any] | None = None) -> Detector:
    from regional.detection.engine import detect

    def run(rights: Sequence[Right], licences: Sequence[Licence], listings: Sequence[Listing]) -> list[LeadFinding]:
        # licences and terms judged as of today; the node's retrained model versions where it has them
        return detect(rights, licences, listings, as_of=as_of, artifacts=artifacts)

    return run


def lead_record(lead: LeadRow, listing: ListingRow, seller: SellerRow | None, right: RegistryRight | None,
                now: dt.datetime) -> sync_pb2.Record:
    """The sync record that files a lead with the national node."""
    s = seller
    return sync_pb2.Record(
        uuid=lead.uuid,
        revision=1,
        created_at=now.isoformat(),
        lead=sync_pb2.Lead(
            listing_id=lead.listing_id, right=lead.right_number, type=lead.type.value, score=lead.score,
            reasons=list(lead.reasons), model_version=lead.model_version,
            reason_codes=[sync_pb2.ReasonCode(code=c, params_json=p)
                          for c, p in reason_codes.to_wire(lead.reason_codes or [])],
            seller=sync_pb2.Seller(name=s.name or "", uscc=s.uscc or "", phone=s.phone or "",
                                   address=s.address or "", shop_url=s.shop_url or "") if s else None,
            listing_title=listing.title, listing_url=listing.url or "", platform=listing.platform or "",
            source=listing.source.value, right_title=right.title if right else "",
            detected_at=lead.created_at.isoformat(), state=lead.state.value,
            origin=lead.origin.value if lead.origin else "", industry=lead.industry or 0, city=lead.city or "",
        ),
    )


@dataclass(frozen=True)
class Scope:
    """Which rights a screening run uses: named rights, or core-industry classes; empty = every right."""

    rights: tuple[str, ...] = ()
    nice_classes: tuple[int, ...] = ()
    ipc_prefixes: tuple[str, ...] = ()
    locarno_classes: tuple[str, ...] = ()

    def selects(self, right: Right) -> bool:
        """Whether `right` is in scope."""
        if self.rights:
            return right.number in self.rights
        if not (self.nice_classes or self.ipc_prefixes or self.locarno_classes):
            return True
        if right.kind is RightKind.TRADEMARK:
            return bool(set(right.nice_classes) & set(self.nice_classes))
        if right.kind is RightKind.DESIGN:
            return bool(right.locarno) and (right.locarno or "")[:2] in {c[:2] for c in self.locarno_classes}
        return any(code.replace(" ", "").startswith(p.replace(" ", "")) for code in right.ipc
                   for p in self.ipc_prefixes)


def screen_pending(
    db: Database,
    signer: outbox.Signer,
    *,
    now: dt.datetime,
    chunk: int = 1000,
    detector: Detector | None = None,
    progress: Callable[[int, int], None] | None = None,
    scope: Scope | None = None,
    rescreen: bool = False,
    actor: str = "worker",
    origin: LeadOrigin | None = None,
    id_prefix: str | None = None,
) -> ScreenResult:
    """Screen listings in chunks; each chunk's leads and outbox rows commit together.

    By default only listings not yet screened (new-listing monitoring). With `rescreen`, every
    listing is screened again against the rights in `scope` — a launch for named rights (a rights
    holder's request) or a proactive sweep of the region's core industries; leads already held
    are not repeated. With `id_prefix`, only the records whose id starts with it (one show's exhibits).
    """
    scope = scope or Scope()
    if origin is None:  # how the leads were found, for reports: a holder's request, a launch, or monitoring
        origin = (LeadOrigin.HOLDER_REQUEST if actor.startswith("rights-holder:")
                  else LeadOrigin.LAUNCH if rescreen else LeadOrigin.MONITORING)
    with db.read() as session:
        detect = detector or _default_detector(now.date(), active_models(session))
        rights_rows = [r for r in session.scalars(sa.select(RegistryRight))]
        rights = [r for r in (_right_of(row) for row in rights_rows) if scope.selects(r)]
        missing = set(scope.rights) - {r.number for r in rights}
        if missing:
            raise ValueError(f"right(s) not in this node's registry: {', '.join(sorted(missing))}")
        licences = [Licence(right=r.right_number, licensee=r.licensee, licensee_uscc=r.licensee_uscc,
                            valid_from=r.valid_from, valid_until=r.valid_until)
                    for r in session.scalars(sa.select(LicenceRow))]
        pending = sa.select(sa.func.count()).select_from(ListingRow)
        if not rescreen:
            pending = pending.where(ListingRow.screened_at.is_(None))
        if id_prefix:
            pending = pending.where(ListingRow.id.startswith(id_prefix, autoescape=True))
        total = session.scalar(pending) or 0
    result = ScreenResult()
    rights_by_number = {r.number: r for r in rights_rows}
    after = ""
    while True:
        with db.transaction() as session:
            stmt = sa.select(ListingRow).order_by(ListingRow.id).limit(chunk)
            stmt = stmt.where(ListingRow.id > after) if rescreen else stmt.where(ListingRow.screened_at.is_(None))
            if id_prefix:
                stmt = stmt.where(ListingRow.id.startswith(id_prefix, autoescape=True))
            rows = list(session.scalars(stmt))
            if not rows:
                break
            after = rows[-1].id
            seller_ids = {r.seller_id for r in rows if r.seller_id is not None}
            sellers = {s.id: s for s in session.scalars(sa.select(SellerRow).where(SellerRow.id.in_(seller_ids)))}
            listings = [_listing_of(r, sellers.get(r.seller_id) if r.seller_id else None) for r in rows]
            by_id = {r.id: r for r in rows}
            findings = detect(rights, licences, listings) if rights else []
            if signer.pki_dir is not None and any(item.emark for item in listings):  # e-marks shown (issue 14)
                from regional.emark.service import screen_marks

                findings = screen_marks(session, signer.region, signer.pki_dir, findings, listings,
                                        {r.number: r for r in rights}, now)
            if any(item.source is ListingSource.CUSTOMS for item in listings):  # customs recordation (issue 14)
                from regional.customs.service import with_recordations

                findings = with_recordations(session, findings, listings, licences, now.date())
            usccs, phones = blacklisted_sellers(session)
            if findings and (usccs or phones):
                findings = raise_for_blacklist(findings, {item.id: item for item in listings}, usccs, phones)
            existing = set(session.execute(
                sa.select(LeadRow.listing_id, LeadRow.right_number, LeadRow.type)
                .where(LeadRow.listing_id.in_(list(by_id)))
            ))
            records: list[sync_pb2.Record] = []
            made: list[tuple[LeadRow, ListingRow, SellerRow | None]] = []
            captured: list[tuple[LeadRow, ListingRow, SellerRow | None, RegistryRight | None]] = []
            for finding in findings:
                key = (finding.listing_id, finding.right, finding.type)
                if key in existing:
                    result.skipped_existing += 1
                    continue
                existing.add(key)
                listing_row = by_id[finding.listing_id]
                seller_row = sellers.get(listing_row.seller_id) if listing_row.seller_id else None
                lead = LeadRow(uuid=str(uuid.uuid4()), listing_id=finding.listing_id, right_number=finding.right,
                               type=finding.type, score=finding.score, reasons=list(finding.reasons),
                               reason_codes=reason_codes.of_finding(finding) or None,
                               model_version=finding.model_version, state=LeadState.NEW, created_at=now,
                               source=listing_row.source, seller_id=listing_row.seller_id, origin=origin,
                               industry=industry_of(listing_row.nice_classes, listing_row.category, listing_row.title),
                               city=seller_city(seller_row.address, seller_row.uscc) if seller_row else None)
                session.add(lead)
                made.append((lead, listing_row, seller_row))
                record = lead_record(lead, listing_row, seller_row, rights_by_number.get(finding.right), now)
                problems = outbox.check([record], signer.region)
                if problems:  # kept here for the officers, not filed: the national node would refuse it
                    _audit(session, now, actor, "lead_not_filed", lead=lead.uuid, listing=finding.listing_id[:200],
                           errors=[str(e)[:300] for e in problems[:5]])
                else:
                    records.append(record)
                    captured.append((lead, listing_row, seller_row, rights_by_number.get(finding.right)))
                result.leads += 1
                result.lead_uuids.append(lead.uuid)
            if captured and signer.evidence_dir is not None:  # evidence fixed with the lead, in its transaction
                from regional.evidence.capture import Capturer, capture

                session.flush()
                records.extend(capture(session, Capturer.at(signer.region, signer.key, signer.evidence_dir),
                                       captured, now=now, actor=actor))
            if records:
                outbox.append_many(session, signer, records, now)
                index_leads(session, made)  # the review queue's search terms
                monitoring.mark_stale(session, now)
            for r in rows:
                r.screened_at = now
            result.screened += len(rows)
            if findings and not rescreen:
                _audit(session, now, actor, "screen", listings=len(rows), leads=len(made))  # not the evidence records
        if progress:
            progress(result.screened, total)
    if rescreen:
        with db.transaction() as session:
            _audit(session, now, actor, "detection_launched", rights=list(scope.rights),
                   nice_classes=list(scope.nice_classes), ipc=list(scope.ipc_prefixes),
                   locarno=list(scope.locarno_classes), rights_in_scope=len(rights), listings=result.screened,
                   new_leads=result.leads, already_held=result.skipped_existing)
    return result


# ---------------------------------------------------------------- cases and the blacklist

CASE_FEEDBACK = ("accepted", "investigating", "confirmed", "dismissed", "closed", "note")


class UnknownCase(LookupError):
    """No case with that id was delivered to this region."""


def case_feedback(db: Database, signer: outbox.Signer, case_uuid: str, status: str, note: str, *, actor: str,
                  now: dt.datetime) -> str:
    """Report this region's step or result on a cross-region case to the national node; returns the record uuid."""
    if status not in CASE_FEEDBACK:
        raise ValueError(f"status must be one of {', '.join(CASE_FEEDBACK)}, not {status!r}")
    if not actor.strip():
        raise ValueError("the officer's name is required for the audit trail")
    check_form("case feedback", {"note": ("CaseFeedback.note", note), "officer": ("ReviewOutcome.officer", actor)})
    record_uuid = str(uuid.uuid4())
    with db.transaction() as session:
        case = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case_uuid))
        if case is None:
            raise UnknownCase(f"no cross-region case {case_uuid} was delivered to this region")
        outbox.append(session, signer, sync_pb2.Record(
            uuid=record_uuid, revision=1, created_at=now.isoformat(),
            case_feedback=sync_pb2.CaseFeedback(case_uuid=case_uuid, status=status, note=note)), now)
        _audit(session, now, actor, "case_feedback", case=case_uuid, status=status, note=note, record=record_uuid)
    return record_uuid


def blacklisted_sellers(session: Session) -> tuple[set[str], set[str]]:
    """The credit codes and phones of active blacklist entries."""
    usccs: set[str] = set()
    phones: set[str] = set()
    for uscc, phone in session.execute(sa.select(BlacklistedEntity.uscc, BlacklistedEntity.phone)
                                       .where(BlacklistedEntity.active)):
        if uscc:
            usccs.add(uscc.upper())
        if phone:
            phones.add("".join(ch for ch in phone if ch.isdigit())[-11:])
    return usccs, phones


def raise_for_blacklist(findings: list[LeadFinding], listings: dict[str, Listing], usccs: set[str],
                        phones: set[str], boost: float = 0.1) -> list[LeadFinding]:
    """Raise the risk score of leads whose seller is on the national blacklist, saying so in the reasons."""
    from dataclasses import replace

    out = []
    for f in findings:
        seller = listings[f.listing_id].seller
        phone = "".join(ch for ch in (seller.phone or "") if ch.isdigit())[-11:]
        if (seller.uscc and seller.uscc.upper() in usccs) or (phone and phone in phones):
            codes = tuple(getattr(f, "codes", ()) or ())
            extra: dict[str, object] = {}
            if codes and len(codes) == len(f.reasons):  # keep codes aligned with the reasons
                extra["codes"] = (*codes, reason_codes.BLACKLISTED)
                if getattr(f, "params", None):
                    extra["params"] = (*f.params, {})  # type: ignore[attr-defined]
            f = replace(f, score=min(1.0, f.score + boost),
                        reasons=(*f.reasons, "seller is on the national blacklist of repeat infringers"), **extra)
        out.append(f)
    return out
