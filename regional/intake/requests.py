"""A rights holder's detection request (权利人申请检测): named rights, screened over every listing as a launch.

A rights-holder account is tied to the owner name its rights are registered under (an admin
sets it, `set_holder`). The holder names some of its rights; the request waits in a queue and
the worker runs it as a detection launch (regional/services.py `screen_pending` with a scope of
those rights, audited as `detection_launched`), writing its progress as it goes. The holder
then sees the leads found on its rights (`results`), with their review state and nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional import outbox
from regional.actors import ADMIN, RIGHTS_HOLDER, Actor, Forbidden, audit
from regional.models import LeadRow, ListingRow, RegistryRight
from regional.workflow_models import DetectionRequest, NotificationRow, RequestStatus, RightsHolder
from sync.db import Database

log = logging.getLogger("hufu.regional.intake")
MAX_RIGHTS = 50
MAX_OPEN_REQUESTS = 3  # per holder: queued or running


class RequestError(ValueError):
    """A request that cannot be accepted; the message says why."""


class UnknownOwner(RequestError):
    """An owner name under which the registry holds no right; `similar` are registry owner names that contain it
    or that it contains (at most five), to offer the administrator."""

    def __init__(self, owner: str, similar: Sequence[str]) -> None:
        super().__init__(f"{owner}: no right in this node's registry is registered under this owner name")
        self.owner, self.similar = owner, list(similar)


def similar_owners(session: Session, owner: str, limit: int = 5) -> list[str]:
    """Registry owner names that contain `owner` or are contained in it (a slip at either end of a typed name)."""
    if not owner:
        return []
    near = sa.or_(RegistryRight.owner.contains(owner, autoescape=True),
                  sa.literal(owner, sa.String).contains(RegistryRight.owner))
    return list(session.scalars(sa.select(RegistryRight.owner).where(near, sa.func.length(RegistryRight.owner) >= 2)
                                .distinct().order_by(RegistryRight.owner).limit(limit)))


def set_holder(session: Session, username: str, owner: str, actor: Actor, now: dt.datetime) -> RightsHolder:
    """Tie a rights-holder account to the owner name its rights are registered under (an admin's action)."""
    actor.require(ADMIN)
    username, owner = (username or "").strip(), (owner or "").strip()
    if not username or len(username) > 100 or not owner or len(owner) > 300:
        raise RequestError("give the user name (at most 100 characters) and the owner name (at most 300)")
    from regional.models import User

    user = session.scalar(sa.select(User).where(User.name == username))
    if user is None or user.role != RIGHTS_HOLDER:
        raise RequestError(f"{username}: no rights-holder account of that name")
    if session.scalar(sa.select(RegistryRight.id).where(RegistryRight.owner == owner).limit(1)) is None:
        raise UnknownOwner(owner, similar_owners(session, owner))
    row = session.get(RightsHolder, username)
    before = row.owner if row else None
    if row is None:
        row = RightsHolder(username=username, owner=owner, created_at=now, created_by=actor.name)
        session.add(row)
    row.owner = owner
    audit(session, actor, "rights_holder_set", now, user=username, before={"owner": before}, after={"owner": owner})
    return row


def holder_of(session: Session, actor: Actor) -> RightsHolder:
    """The rights-holder record of an account, or Forbidden."""
    actor.require(RIGHTS_HOLDER)
    row = session.get(RightsHolder, actor.name)
    if row is None:
        raise Forbidden(f"account {actor.name} is not tied to a rights holder yet; ask the node's administrator")
    return row


def rights_of(session: Session, holder: RightsHolder) -> list[RegistryRight]:
    """The registry rights registered to the holder."""
    return list(session.scalars(sa.select(RegistryRight).where(RegistryRight.owner == holder.owner)
                                .order_by(RegistryRight.number)))


def request_screening(db: Database, rights: Sequence[str], *, actor: Actor, now: dt.datetime,
                      note: str = "") -> DetectionRequest:
    """Queue a screening of the holder's named rights over every listing."""
    numbers = list(dict.fromkeys(r.strip() for r in rights if r and r.strip()))
    if not numbers:
        raise RequestError("name at least one of your rights")
    if len(numbers) > MAX_RIGHTS:
        raise RequestError(f"at most {MAX_RIGHTS} rights in one request")
    note = (note or "").strip()
    if len(note) > 1000:
        raise RequestError("the note has at most 1,000 characters")
    with db.transaction() as session:
        holder = holder_of(session, actor)
        owned = {r.number for r in rights_of(session, holder)}
        foreign = [n for n in numbers if n not in owned]
        if foreign:
            raise RequestError(f"not registered to {holder.owner}: {', '.join(foreign[:5])}")
        open_ = session.scalar(sa.select(sa.func.count()).select_from(DetectionRequest).where(
            DetectionRequest.requester == actor.name,
            DetectionRequest.status.in_([RequestStatus.QUEUED, RequestStatus.RUNNING]))) or 0
        if open_ >= MAX_OPEN_REQUESTS:
            raise RequestError(f"{open_} of your requests are still waiting or running; wait for them to finish")
        row = DetectionRequest(uuid=str(uuidlib.uuid4()), requester=actor.name, holder=holder.owner, rights=numbers,
                               note=note or None, status=RequestStatus.QUEUED, created_at=now)
        session.add(row)
        audit(session, actor, "detection_requested", now, request=row.uuid, rights=numbers, holder=holder.owner)
        return row


def run_request(db: Database, signer: outbox.Signer, request_uuid: str,
                clock: Callable[[], dt.datetime]) -> DetectionRequest:
    """Run one queued request as a detection launch, writing its progress; the holder is notified when done."""
    from regional import services

    with db.transaction() as session:
        row = session.scalar(sa.select(DetectionRequest).where(DetectionRequest.uuid == request_uuid).with_for_update())
        if row is None or row.status is not RequestStatus.QUEUED:
            raise RequestError(f"request {request_uuid} is not waiting")
        row.status = RequestStatus.RUNNING
        row.started_at = clock()
        rights = list(row.rights)
        requester = row.requester

    def progress(done: int, total: int) -> None:
        with db.transaction() as s:
            s.execute(sa.update(DetectionRequest).where(DetectionRequest.uuid == request_uuid)
                      .values(done=done, total=total))

    try:
        result = services.screen_pending(db, signer, now=clock(), scope=services.Scope(rights=tuple(rights)),
                                         rescreen=True, actor=f"rights-holder:{requester}", progress=progress)
    except Exception as exc:  # noqa: BLE001 - the request records any failure; the worker goes on
        log.exception("detection request %s failed", request_uuid)
        with db.transaction() as session:
            row = session.scalars(sa.select(DetectionRequest).where(DetectionRequest.uuid == request_uuid)).one()
            row.status = RequestStatus.FAILED
            row.error = f"{type(exc).__name__}: {exc}"[:1000]
            row.finished_at = clock()
            audit(session, Actor.system(), "detection_request_failed", clock(), request=request_uuid, error=row.error)
            return row
    with db.transaction() as session:
        row = session.scalars(sa.select(DetectionRequest).where(DetectionRequest.uuid == request_uuid)).one()
        row.status = RequestStatus.DONE
        row.leads = result.leads
        row.lead_uuids = list(result.lead_uuids)[:10_000]
        row.done = row.total = result.screened
        row.finished_at = clock()
        first = session.scalar(sa.select(LeadRow.id).where(LeadRow.uuid.in_(row.lead_uuids[:1]))) \
            if row.lead_uuids else None
        if first is not None:
            session.add(NotificationRow(uuid=str(uuidlib.uuid4()), lead_id=first, right_number=rights[0],
                                        recipient=row.holder, kind="detection_result", created_at=clock(),
                                        detail={"request": row.uuid, "leads": result.leads,
                                                "screened": result.screened}))
        audit(session, Actor.system(), "detection_request_done", clock(), request=row.uuid, leads=result.leads,
              screened=result.screened, already_held=result.skipped_existing)
        return row


def run_waiting(db: Database, signer: outbox.Signer, clock: Callable[[], dt.datetime], limit: int = 1) -> int:
    """Run up to `limit` queued requests (oldest first); returns how many ran."""
    with db.read() as session:
        waiting = list(session.scalars(sa.select(DetectionRequest.uuid).where(
            DetectionRequest.status == RequestStatus.QUEUED).order_by(DetectionRequest.id).limit(limit)))
    for request_uuid in waiting:
        try:
            run_request(db, signer, request_uuid, clock)
        except RequestError:
            continue  # another worker took it
    return len(waiting)


@dataclass(frozen=True)
class HolderLead:
    """What a rights holder sees of a lead on its right."""

    uuid: str
    right: str
    type: str
    score: float
    title: str
    url: str | None
    state: str
    detected_at: dt.datetime


def results(session: Session, actor: Actor, limit: int = 200) -> list[HolderLead]:
    """The leads found on the holder's rights, newest first."""
    holder = holder_of(session, actor)
    numbers = [r.number for r in rights_of(session, holder)]
    if not numbers:
        return []
    rows = session.execute(sa.select(LeadRow, ListingRow.title, ListingRow.url)
                           .join(ListingRow, ListingRow.id == LeadRow.listing_id)
                           .where(LeadRow.right_number.in_(numbers))
                           .order_by(LeadRow.created_at.desc(), LeadRow.id.desc()).limit(limit)).all()
    return [HolderLead(lead.uuid, lead.right_number, lead.type.value, lead.score, title, url, lead.state.value,
                       lead.created_at) for lead, title, url in rows]


def requests_of(session: Session, actor: Actor) -> list[DetectionRequest]:
    """The holder's requests, newest first."""
    actor.require(RIGHTS_HOLDER)
    return list(session.scalars(sa.select(DetectionRequest).where(DetectionRequest.requester == actor.name)
                                .order_by(DetectionRequest.id.desc()).limit(50)))


def all_requests(session: Session, limit: int = 50) -> list[DetectionRequest]:
    """Every holder's requests, newest first (the office's view; the caller checks the role)."""
    return list(session.scalars(sa.select(DetectionRequest).order_by(DetectionRequest.id.desc()).limit(limit)))
