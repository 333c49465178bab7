"""Exhibitions: the use cases over the database (thin: the rules are in regional/exhibitions/core.py).

Every change is audited in its own transaction with the acting user; the views, the CLI and the
demo call these functions and hold no rules of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.actors import ADMIN, OFFICER, SUPERVISOR, Actor, audit
from regional.domain import LeadOrigin, LeadState
from regional.exhibitions import core
from regional.exhibitions.core import ComplaintAction, ComplaintState, ExhibitionError, Resolution
from regional.exhibitions.models import Booth, Exhibit, Exhibition, Exhibitor, ExhibitorFlag, StationComplaint
from regional.formats.checked import read_checked, text_id
from regional.formats.csvfile import Column, _index
from regional.formats.errors import ImportFileError, RecordError, invalid_records
from regional.formats.messages import Problem, say
from regional.formats.source import ReadLimits
from regional.formats.width import halfwidth
from regional.models import ImportRun, LeadRow, ListingRow, RegistryRight
from sync.times import aware as _aware

MAX_COMPLAINT_FIELDS = {"complainant": 300, "contact": 200, "right": 64, "what": 1000, "note": 1000}
# the limits of an exhibit filing file, one source for the command line, the show page's upload (its form says them,
# its check uses them) and docs/formats.md "Exhibit filings": bytes uncompressed (a web upload's bytes as sent too)
MAX_FILE_BYTES = 64 << 20
MAX_FILE_RECORDS = 20_000
EXHIBIT_LIMITS = ReadLimits(max_file_bytes=MAX_FILE_BYTES, max_records=MAX_FILE_RECORDS)

EXHIBIT_COLUMNS = _index([
    Column("id", aliases=("展品编号", "编号", "number"), required=True),
    Column("booth", aliases=("展位号", "展位"), required=True),
    Column("product", aliases=("展品名称", "产品名称", "名称"), required=True),
    Column("brand", aliases=("品牌", "商标")),
    Column("description", aliases=("描述", "展品描述", "说明")),
    Column("nice_classes", "int_list", ("尼斯分类", "商品类别", "类别号")),
    Column("images", "list", ("图片", "照片", "展品照片")),
    Column("rights", "list", ("依据权利", "权利号", "知识产权")),
    Column("licence", aliases=("授权许可", "许可", "授权")),
])


class UnknownExhibition(LookupError):
    """No exhibition with that code on this node."""


@dataclass
class FilingResult:
    """What a filing stored, or the errors that stopped it (then nothing was stored)."""

    filed: int = 0
    updated: int = 0
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # aligned with errors: what the web UI explains


def get(session: Session, code: str) -> Exhibition:
    """The exhibition with `code`, or UnknownExhibition."""
    row = session.scalar(sa.select(Exhibition).where(Exhibition.code == (code or "").strip()[:40]))
    if row is None:
        raise UnknownExhibition(f"no exhibition with the code {code!r} on this node")
    return row


def exhibitions(session: Session) -> list[Exhibition]:
    """Every exhibition, the latest first."""
    return list(session.scalars(sa.select(Exhibition).order_by(Exhibition.starts_on.desc(), Exhibition.code)))


def create(session: Session, values: Mapping[str, Any], default_region: str, actor: Actor,
           now: dt.datetime) -> Exhibition:
    """A new exhibition (supervisors and administrators)."""
    actor.require(SUPERVISOR, ADMIN)
    checked = core.check_exhibition(values, default_region)
    if session.scalar(sa.select(Exhibition.id).where(Exhibition.code == checked.code)) is not None:
        raise ExhibitionError("code", say("ex_code_exists", code=checked.code), "code_exists")
    row = Exhibition(code=checked.code, name=checked.name, venue=checked.venue, organiser=checked.organiser,
                     region=checked.region, starts_on=checked.starts_on, ends_on=checked.ends_on,
                     halls=list(checked.halls), deadline_hours=checked.deadline_hours, created_at=now,
                     created_by=actor.name)
    session.add(row)
    session.flush()
    audit(session, actor, "exhibition_created", now, after={
        "code": row.code, "name": row.name, "venue": row.venue, "organiser": row.organiser, "region": row.region,
        "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat(), "halls": row.halls,
        "deadline_hours": row.deadline_hours}, exhibition=row.code)
    return row


def set_deadline_hours(session: Session, code: str, hours: int, actor: Actor, now: dt.datetime) -> None:
    """Change the station's fast-track deadline for complaints logged from now on."""
    actor.require(SUPERVISOR, ADMIN)
    show = get(session, code)
    before = show.deadline_hours
    show.deadline_hours = core.check_deadline_hours(hours)
    audit(session, actor, "exhibition_deadline_set", now, before={"deadline_hours": before},
          after={"deadline_hours": show.deadline_hours}, exhibition=show.code)


def add_booths(session: Session, code: str, hall: str | None, booths: Sequence[str], actor: Actor,
               now: dt.datetime) -> int:
    """Add booths to a hall of the show; booths that exist are left as they are. Returns how many were added."""
    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    hall = (hall or "").strip() or None
    if hall is not None and show.halls and hall not in show.halls:
        raise ExhibitionError("hall", say("ex_unknown_hall", hall=hall, halls=", ".join(show.halls)), "unknown_hall")
    if hall is not None and len(hall) > 40:
        raise ExhibitionError("hall", say("ex_chars", n=40))
    wanted = list(dict.fromkeys(core.check_booth(b) for b in booths))
    if not wanted:
        raise ExhibitionError("booth", say("ex_no_booth_named"), "no_booth_named")
    existing = set(session.scalars(sa.select(Booth.code).where(Booth.exhibition_id == show.id)))
    count = len(existing)
    fresh = [b for b in wanted if b not in existing]
    if count + len(fresh) > core.MAX_BOOTHS_PER_SHOW:
        raise ExhibitionError("booth", say("ex_booths_many", n=core.MAX_BOOTHS_PER_SHOW), "too_many_booths")
    for b in fresh:
        session.add(Booth(exhibition_id=show.id, hall=hall, code=b))
    if fresh:
        audit(session, actor, "booths_added", now, exhibition=show.code, hall=hall, booths=fresh[:50],
              count=len(fresh))
    return len(fresh)


def _booth(session: Session, show: Exhibition, code: str) -> Booth:
    booth_code = core.check_booth(code)
    row = session.scalar(sa.select(Booth).where(Booth.exhibition_id == show.id, Booth.code == booth_code))
    if row is None:
        raise ExhibitionError("booth", say("ex_unknown_booth", booth=booth_code), "unknown_booth")
    return row


def matching_flags(session: Session, show: Exhibition, uscc: str | None, name: str) -> list[ExhibitorFlag]:
    """Infringements confirmed at other shows for this exhibitor (by credit code; by exact name when it has none)."""
    stmt = sa.select(ExhibitorFlag).where(ExhibitorFlag.active, ExhibitorFlag.exhibition_code != show.code)
    stmt = stmt.where(ExhibitorFlag.uscc == uscc) if uscc else stmt.where(ExhibitorFlag.uscc.is_(None),
                                                                            ExhibitorFlag.name == name)
    return list(session.scalars(stmt.order_by(ExhibitorFlag.received_at.desc(), ExhibitorFlag.id.desc()).limit(20)))


def flag_entry(flag: ExhibitorFlag) -> dict[str, Any]:
    """A flag as kept on the exhibitor's registration."""
    return {"uuid": flag.flag_uuid, "region": flag.region, "exhibition": flag.exhibition,
            "exhibition_code": flag.exhibition_code, "ends_on": flag.ends_on.isoformat() if flag.ends_on else None,
            "infringements": flag.infringements, "summary": flag.summary}


def register(session: Session, code: str, values: Mapping[str, Any], actor: Actor, now: dt.datetime) -> Exhibitor:
    """Register an exhibitor for a free booth; flags from other regions' shows are attached and audited."""
    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    checked = core.check_exhibitor(values)
    booth = _booth(session, show, checked.booth)
    taken = session.scalar(sa.select(Exhibitor).where(Exhibitor.exhibition_id == show.id,
                                                      Exhibitor.booth_id == booth.id))
    if taken is not None:
        raise ExhibitionError("booth", say("ex_booth_taken", booth=booth.code, name=taken.name), "booth_taken")
    if checked.uscc and session.scalar(sa.select(Exhibitor.id).where(
            Exhibitor.exhibition_id == show.id, Exhibitor.uscc == checked.uscc)) is not None:
        raise ExhibitionError("uscc", say("ex_uscc_registered"), "uscc_registered")
    flags = [flag_entry(f) for f in matching_flags(session, show, checked.uscc, checked.name)]
    row = Exhibitor(exhibition_id=show.id, booth_id=booth.id, name=checked.name, uscc=checked.uscc,
                    phone=checked.phone, contact=checked.contact, address=checked.address, registered_at=now,
                    registered_by=actor.name, flags=flags)
    if checked.pledge_signer:
        row.pledge_signer, row.pledge_signed_at = checked.pledge_signer, now
    session.add(row)
    session.flush()
    audit(session, actor, "exhibitor_registered", now, exhibition=show.code, booth=booth.code, after={
        "name": row.name, "uscc": row.uscc, "booth": booth.code, "pledge_signer": row.pledge_signer})
    if flags:
        audit(session, actor, "exhibitor_flagged", now, exhibition=show.code, booth=booth.code, name=row.name,
              uscc=row.uscc, flags=[{"region": f["region"], "exhibition": f["exhibition"]} for f in flags])
    return row


def sign_pledge(session: Session, code: str, booth_code: str, signer: str, actor: Actor, now: dt.datetime) -> Exhibitor:
    """Record the non-infringement pledge (参展方不侵权承诺) signed for the exhibitor at a booth."""
    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    booth = _booth(session, show, booth_code)
    signer = " ".join((signer or "").split())
    if not signer or len(signer) > 100:
        raise ExhibitionError("signer", say("ex_signer"))
    row = session.scalar(sa.select(Exhibitor).where(Exhibitor.exhibition_id == show.id,
                                                    Exhibitor.booth_id == booth.id))
    if row is None:
        raise ExhibitionError("booth", say("ex_no_exhibitor", booth=booth.code), "no_exhibitor")
    before = {"pledge_signer": row.pledge_signer}
    row.pledge_signer, row.pledge_signed_at = signer, now
    audit(session, actor, "pledge_signed", now, before=before, after={"pledge_signer": signer},
          exhibition=show.code, booth=booth.code, exhibitor=row.name)
    return row


# ---------------------------------------------------------------- filing (展品报备)


def read_exhibits(path: Path, *, fmt: str | None = None, encoding: str = "utf-8",
                  limits: ReadLimits = EXHIBIT_LIMITS) -> tuple[list[tuple[int, core.ExhibitInput]], list[RecordError],
                                                                list[RecordError]]:
    """An exhibit filing file (JSON Lines, CSV or .xlsx) as checked exhibits, record errors and warnings."""
    items, errors, warnings, _reasons = read_exhibits_with_reasons(path, fmt=fmt, encoding=encoding, limits=limits)
    return items, errors, warnings


def read_exhibits_with_reasons(path: Path, *, fmt: str | None = None, encoding: str = "utf-8",
                               limits: ReadLimits = EXHIBIT_LIMITS
                               ) -> tuple[list[tuple[int, core.ExhibitInput]], list[RecordError], list[RecordError],
                                          list[str]]:
    """`read_exhibits`, plus a reason code per error (a field name, or `unreadable` for a line that is no record).

    Exhibits filed twice in one file are left to `file_exhibits`, which names them against the show's own."""
    read = read_checked(path, EXHIBIT_COLUMNS, core.check_exhibit, ExhibitionError, key="id", fmt=fmt,
                        encoding=encoding, limits=limits, name=text_id)
    return read.items, read.errors, read.warnings, read.reasons


def file_exhibits(session: Session, code: str, items: Sequence[tuple[int, core.ExhibitInput]], actor: Actor,
                  now: dt.datetime, *, file: str = "form", read_errors: Sequence[RecordError] = (),
                  read_reasons: Sequence[str] = ()) -> FilingResult:
    """File exhibits for registered, pledged exhibitors: all or nothing, every bad record named.

    Each exhibit is stored with a screened record (source exhibition, id `E:CODE:BOOTH:NO`)
    that the worker's screening (or `screen`) runs through the four models. `read_errors` (with their
    `read_reasons`) are the file's records that did not read: the records that did are still checked against the
    show (booths, exhibitors, pledges), so one refusal names every bad record, in line order, not one per upload.
    """
    from regional import services

    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    result = FilingResult(errors=list(read_errors), reasons=list(read_reasons))
    booths = {b.code: b for b in session.scalars(sa.select(Booth).where(Booth.exhibition_id == show.id))}
    exhibitors = {e.booth_id: e for e in session.scalars(sa.select(Exhibitor).where(
        Exhibitor.exhibition_id == show.id))}
    existing = {e.number: e for e in session.scalars(sa.select(Exhibit).where(Exhibit.exhibition_id == show.id))}
    known_rights = set(session.scalars(sa.select(RegistryRight.number).where(
        RegistryRight.number.in_({r for _, x in items for r in x.rights}))))
    seen: dict[str, int] = {}
    per_exhibitor: Counter[int] = Counter(e.exhibitor_id for e in existing.values())
    accepted: list[tuple[core.ExhibitInput, Exhibitor]] = []
    for line, item in items:
        def err(fieldname: str | None, message: Problem, reason: str, line: int = line,
                item: core.ExhibitInput = item) -> None:
            result.errors.append(RecordError.of(file, line, item.number, fieldname, message))
            result.reasons.append(reason)

        if item.number in seen:
            err("id", say("ex_filed_twice", number=item.number, line=seen[item.number]), "filed_twice")
            continue
        seen[item.number] = line
        booth = booths.get(item.booth)
        if booth is None:
            err("booth", say("ex_unknown_booth", booth=item.booth), "unknown_booth")
            continue
        exhibitor = exhibitors.get(booth.id)
        if exhibitor is None:
            err("booth", say("ex_no_exhibitor", booth=item.booth), "no_exhibitor")
            continue
        if exhibitor.pledge_signed_at is None:
            err("booth", say("ex_no_pledge", booth=item.booth), "no_pledge")
            continue
        old = existing.get(item.number)
        if old is not None and old.exhibitor_id != exhibitor.id:
            err("id", say("ex_other_booth", number=item.number), "other_booth")
            continue
        if old is None:
            per_exhibitor[exhibitor.id] += 1
            if per_exhibitor[exhibitor.id] > core.MAX_EXHIBITS_PER_EXHIBITOR:
                err("id", say("ex_exhibits_many", n=core.MAX_EXHIBITS_PER_EXHIBITOR), "too_many_exhibits")
                continue
        for right in item.rights:
            if right not in known_rights:
                result.warnings.append(RecordError.of(file, line, item.number, "rights",
                                                      say("unknown_right", right=right)))
        accepted.append((item, exhibitor))
    if result.errors:
        order = sorted(range(len(result.errors)), key=lambda k: (result.errors[k].line or 0, k))
        result.errors = [result.errors[k] for k in order]
        result.reasons = [result.reasons[k] for k in order] if len(result.reasons) == len(order) else result.reasons
        record_refusal(session, show.code, actor, now, file=file, errors=result.errors)
        return result
    listings = []
    for item, exhibitor in accepted:
        seller = core.seller_of(exhibitor.name, exhibitor.uscc, exhibitor.phone, exhibitor.address)
        listings.append(core.exhibit_listing(show.code, item, seller))
        row = existing.get(item.number)
        if row is None:
            row = Exhibit(exhibition_id=show.id, number=item.number, filed_at=now, filed_by=actor.name,
                          listing_id=core.listing_id(show.code, item.booth, item.number))
            session.add(row)
            result.filed += 1
        else:
            result.updated += 1
        row.exhibitor_id = exhibitor.id
        row.product, row.brand, row.description = item.product, item.brand, item.description
        row.nice_classes, row.images, row.rights = list(item.nice_classes), list(item.images), list(item.rights)
        row.licence = item.licence
    run = ImportRun(kind="exhibits", file_name=f"{show.code}:{file}"[:500], sha256="", records=len(listings),
                    actor=actor.name, at=now)
    session.add(run)
    session.flush()
    services.store_listings(session, listings, run_id=run.id, now=now)
    audit(session, actor, "exhibits_filed", now, exhibition=show.code, file=file, filed=result.filed,
          updated=result.updated, numbers=[x.number for x, _ in accepted[:50]], warnings=len(result.warnings))
    return result


def record_refusal(session: Session, code: str, actor: Actor, now: dt.datetime, *, file: str,
                   errors: Sequence[RecordError] = (), unreadable: ImportFileError | None = None) -> None:
    """A refused filing leaves an audit entry, as a refused customs or listings import does: the file as handed in
    (a web upload's own name, never the server's copy), and why — the first bad records (`exhibits_rejected`),
    or why the whole file could not be read (`exhibits_unreadable`)."""
    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    if unreadable is not None:
        where = f"{file}:{unreadable.line}" if unreadable.line is not None else file
        audit(session, actor, "exhibits_unreadable", now, exhibition=show.code, file=file,
              reason=f"{where}: {unreadable.reason}", line=unreadable.line,
              reason_parts={**unreadable.parts(), "file": file})
        return
    audit(session, actor, "exhibits_rejected", now, exhibition=show.code, file=file, errors=len(errors),
          records=invalid_records(list(errors)), first=[str(e) for e in errors[:5]],
          first_parts=[e.parts() for e in errors[:5]])


def screen(db: Any, signer: Any, code: str, actor: Actor, now: dt.datetime, progress: Any = None) -> Any:
    """Pre-show screening: every filed exhibit of the show through the four models (leads already held are kept)."""
    from regional import services

    actor.require(OFFICER, SUPERVISOR, ADMIN)
    with db.read() as session:
        show = get(session, code)
        prefix = core.listing_prefix(show.code)
    result = services.screen_pending(db, signer, now=now, rescreen=True, actor=actor.name, origin=LeadOrigin.LAUNCH,
                                     id_prefix=prefix, progress=progress)
    with db.transaction() as session:
        audit(session, actor, "exhibits_screened", now, exhibition=code, screened=result.screened,
              new_leads=result.leads)
    return result


# ---------------------------------------------------------------- the complaint station


def _station_text(values: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    limit = MAX_COMPLAINT_FIELDS[name]
    raw = values.get(name)
    value = " ".join(str(raw).split()) if raw is not None else ""
    if required and not value:
        raise ExhibitionError(name, say("required"))
    if len(value) > limit:
        raise ExhibitionError(name, say("ex_chars", n=limit))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ExhibitionError(name, say("control_chars"))
    return value or None


def log_complaint(session: Session, code: str, booth_code: str, values: Mapping[str, Any], actor: Actor,
                  now: dt.datetime) -> StationComplaint:
    """Log a complaint against a booth at the station; its deadline is the show's fast track (default 24 h)."""
    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    booth = _booth(session, show, booth_code)
    what = _station_text(values, "what", required=True)
    complainant = _station_text(values, "complainant", required=True)
    # a telephone or e-mail and a right number: typed in full width, read as their ASCII
    contact = halfwidth(_station_text(values, "contact") or "") or None
    right = halfwidth(_station_text(values, "right") or "") or None
    exhibitor = session.scalar(sa.select(Exhibitor).where(Exhibitor.exhibition_id == show.id,
                                                          Exhibitor.booth_id == booth.id))
    count = session.scalar(sa.select(sa.func.count()).select_from(StationComplaint)
                           .where(StationComplaint.exhibition_id == show.id)) or 0
    number = f"ZH{now:%m%d}-{count + 1:04d}"
    row = StationComplaint(exhibition_id=show.id, booth_id=booth.id, exhibitor_id=exhibitor.id if exhibitor else None,
                           number=number, complainant=complainant or "", contact=contact, right_number=right,
                           what=what or "", received_at=now, deadline_at=core.deadline(now, show.deadline_hours),
                           state=ComplaintState.OPEN, logged_by=actor.name,
                           events=[{"at": now.isoformat(), "actor": actor.name, "action": "logged", "note": ""}])
    session.add(row)
    session.flush()
    audit(session, actor, "station_complaint_logged", now, exhibition=show.code, booth=booth.code, number=number,
          deadline=row.deadline_at.isoformat(), right=right)
    return row


def handle_complaint(session: Session, code: str, number: str, action: str, actor: Actor, now: dt.datetime, *,
                     resolution: str | None = None, note: str = "", signer: Any = None) -> StationComplaint:
    """Take, resolve, dismiss or note a station complaint (state machine in core).

    With `signer`, a resolution files the exhibitor's confirmed infringements with the national node in the
    same transaction (regional/exhibitions/flags.py), so other regions flag it when it registers there.
    """
    actor.require(OFFICER, SUPERVISOR, ADMIN)
    show = get(session, code)
    row = session.scalar(sa.select(StationComplaint).where(StationComplaint.exhibition_id == show.id,
                                                           StationComplaint.number == (number or "").strip()[:24]))
    if row is None:
        raise ExhibitionError("number", say("ex_unknown_complaint", number=number), "unknown_complaint")
    try:
        act = ComplaintAction(action)
    except ValueError:
        raise ExhibitionError("action", say("one_of", values=", ".join(a.value for a in ComplaintAction))) from None
    try:
        res = Resolution(resolution) if resolution else None
    except ValueError:
        raise ExhibitionError("resolution", say("one_of", values=", ".join(r.value for r in Resolution))) from None
    text = _station_text({"note": note}, "note") or ""
    if act is ComplaintAction.DISMISS and not text:
        raise ExhibitionError("note", say("ex_dismiss_note"), "dismiss_needs_note")
    target = core.next_state(row.state, act, res)
    before = {"state": row.state.value, "handler": row.handler}
    row.state = target
    if act is ComplaintAction.TAKE or row.handler is None:
        row.handler = actor.name
    if target not in core.OPEN_STATES:
        row.closed_at = now
        row.resolution = res
    row.events = [*row.events, {"at": now.isoformat(), "actor": actor.name, "action": act.value,
                                "resolution": res.value if res else None, "note": text}]
    audit(session, actor, "station_complaint_handled", now, before=before,
          after={"state": row.state.value, "handler": row.handler, "resolution": res.value if res else None},
          exhibition=show.code, number=row.number, note=text)
    if signer is not None and target is ComplaintState.RESOLVED and row.exhibitor_id is not None:
        from regional.exhibitions.flags import file_exhibitor

        session.flush()
        exhibitor = session.get(Exhibitor, row.exhibitor_id)
        if exhibitor is not None and file_exhibitor(session, signer, show, exhibitor, now):
            audit(session, actor, "exhibitors_reported", now, exhibition=show.code, exhibitors=1)
    return row


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class ExhibitView:
    number: str
    booth: str
    exhibitor: str
    product: str
    brand: str | None
    rights: list[str]
    licence: str | None
    images: list[str]
    listing_id: str
    screened_at: dt.datetime | None
    leads: dict[str, int]
    lead_uuids: list[str]


@dataclass(frozen=True)
class ComplaintView:
    number: str
    booth: str
    exhibitor: str | None
    complainant: str
    contact: str | None
    right: str | None
    what: str
    received_at: dt.datetime
    deadline_at: dt.datetime
    state: str
    due: str
    handler: str | None
    resolution: str | None
    closed_at: dt.datetime | None
    events: list[dict[str, Any]]


@dataclass
class ShowView:
    """Everything the show's page and `exhibition show` print."""

    show: Exhibition
    phase: str
    booths: list[Booth]
    exhibitors: list[Exhibitor]
    booth_of: dict[int, str]
    exhibits: list[ExhibitView]
    complaints: list[ComplaintView]
    board: list[core.BoardRow]


def view(session: Session, code: str, now: dt.datetime) -> ShowView:
    """The show with its booths, exhibitors, exhibits (and their leads) and complaints."""
    show = get(session, code)
    booths = list(session.scalars(sa.select(Booth).where(Booth.exhibition_id == show.id)
                                  .order_by(Booth.hall, Booth.code)))
    booth_of = {b.id: b.code for b in booths}
    exhibitors = list(session.scalars(sa.select(Exhibitor).where(Exhibitor.exhibition_id == show.id)
                                      .order_by(Exhibitor.id)))
    name_of = {e.id: e.name for e in exhibitors}
    booth_of_exhibitor = {e.id: booth_of.get(e.booth_id, "") for e in exhibitors}
    rows = list(session.scalars(sa.select(Exhibit).where(Exhibit.exhibition_id == show.id).order_by(Exhibit.number)))
    ids = [r.listing_id for r in rows]
    leads: dict[str, dict[str, int]] = defaultdict(dict)
    uuids: dict[str, list[str]] = defaultdict(list)
    screened: dict[str, dt.datetime | None] = {}
    for offset in range(0, len(ids), 900):
        chunk = ids[offset:offset + 900]
        for listing_id, state, lead_uuid in session.execute(sa.select(LeadRow.listing_id, LeadRow.state, LeadRow.uuid)
                                                            .where(LeadRow.listing_id.in_(chunk))):
            key = state.value if isinstance(state, LeadState) else str(state)
            leads[listing_id][key] = leads[listing_id].get(key, 0) + 1
            uuids[listing_id].append(lead_uuid)
        screened.update(dict(session.execute(sa.select(ListingRow.id, ListingRow.screened_at)
                                             .where(ListingRow.id.in_(chunk))).all()))
    exhibits = [ExhibitView(number=r.number, booth=booth_of_exhibitor.get(r.exhibitor_id, ""),
                            exhibitor=name_of.get(r.exhibitor_id, ""), product=r.product, brand=r.brand,
                            rights=list(r.rights or []), licence=r.licence, images=list(r.images or []),
                            listing_id=r.listing_id, screened_at=screened.get(r.listing_id),
                            leads=dict(leads.get(r.listing_id, {})), lead_uuids=uuids.get(r.listing_id, [])[:20])
                for r in rows]
    complaints = []
    open_items = []
    for c in session.scalars(sa.select(StationComplaint).where(StationComplaint.exhibition_id == show.id)
                             .order_by(StationComplaint.received_at.desc(), StationComplaint.id.desc())):
        booth = booth_of.get(c.booth_id, "")
        deadline_at = _aware(c.deadline_at)
        complaints.append(ComplaintView(
            number=c.number, booth=booth, exhibitor=name_of.get(c.exhibitor_id) if c.exhibitor_id else None,
            complainant=c.complainant, contact=c.contact, right=c.right_number, what=c.what,
            received_at=_aware(c.received_at), deadline_at=deadline_at, state=c.state.value,
            due=core.due(c.state, deadline_at, now, _aware(c.closed_at) if c.closed_at else None).value,
            handler=c.handler, resolution=c.resolution.value if c.resolution else None,
            closed_at=_aware(c.closed_at) if c.closed_at else None, events=list(c.events or [])))
        open_items.append(core.OpenComplaint(booth=booth, number=c.number, deadline_at=deadline_at, state=c.state))
    return ShowView(show=show, phase=core.phase(show.starts_on, show.ends_on, _beijing_day(now)).value, booths=booths,
                    exhibitors=exhibitors, booth_of=booth_of, exhibits=exhibits, complaints=complaints,
                    board=core.board(open_items, now))


def board(session: Session, code: str, now: dt.datetime) -> tuple[Exhibition, list[core.BoardRow], dict[str, str]]:
    """The live board: booths with open complaints, overdue first; with the exhibitor at each booth."""
    show = get(session, code)
    rows = session.execute(
        sa.select(Booth.code, StationComplaint.number, StationComplaint.deadline_at, StationComplaint.state)
        .join(Booth, Booth.id == StationComplaint.booth_id)
        .where(StationComplaint.exhibition_id == show.id,
               StationComplaint.state.in_([s.value for s in core.OPEN_STATES]))).all()
    items = [core.OpenComplaint(booth=b, number=n, deadline_at=_aware(d), state=ComplaintState(s)) for b, n, d, s in rows]
    names = dict(session.execute(sa.select(Booth.code, Exhibitor.name).join(Exhibitor, Exhibitor.booth_id == Booth.id)
                                 .where(Booth.exhibition_id == show.id)).all())
    return show, core.board(items, now), names


def _beijing_day(now: dt.datetime) -> dt.date:
    return (now.astimezone(dt.timezone(dt.timedelta(hours=8)))).date()
