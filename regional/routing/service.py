"""Routing as units of work: route a confirmed lead, re-route it, push a notice, notify the rights holder.

The rules are in regional/routing/core.py; this module gathers the facts they need (the
offender's sites, the cities of its other leads, the directory) and records what they
decided — route, notice, notification, history and audit — in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.actors import REVIEWERS, Actor, audit
from regional.domain import LeadState, LeadType
from regional.models import LeadRow, ListingRow, RegistryRight, SellerRow
from regional.routing.core import Agency, AgencyKind, Route, Rule, Site, SiteKind, route, site_kind_of_address
from regional.routing.places import Level, city_of, divisions, uscc_division
from regional.workflow_models import (
    AgencyMember,
    AgencyRow,
    ComplaintRow,
    LeadEvent,
    LeadEventKind,
    NoticeRow,
    NotificationRow,
    RouteRow,
)

MAX_REASON = 1000


class RoutingError(ValueError):
    """A routing request that cannot be carried out; the message says why, `code` is stable."""

    def __init__(self, message: str, code: str = "routing", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params  # values the translated message names (a limit, a length)


def agency_of(row: AgencyRow) -> Agency:
    """The pure-core value of a directory row."""
    return Agency(row.code, row.name, AgencyKind(row.kind), Level(row.level), row.division)


def directory(session: Session) -> list[Agency]:
    """The node's active agencies."""
    return [agency_of(r) for r in session.scalars(sa.select(AgencyRow).where(AgencyRow.active)
                                                  .order_by(AgencyRow.code))]


def sites_of(session: Session, lead: LeadRow, province: str) -> list[Site]:
    """The offender's places known for a lead: its seller's address, a complaint's place, the credit code's area."""
    sites: list[Site] = []
    listing = session.get(ListingRow, lead.listing_id)
    seller = session.get(SellerRow, lead.seller_id) if lead.seller_id else None
    if seller is None and listing is not None and listing.seller_id:
        seller = session.get(SellerRow, listing.seller_id)
    tree = divisions()
    if seller is not None and seller.address:
        code = tree.parse(seller.address, within=province)
        if code:
            sites.append(Site(site_kind_of_address(seller.address), code, "seller_address"))
    if listing is not None and listing.source.value == "complaint":
        place = session.scalar(sa.select(ComplaintRow.place).where(ComplaintRow.listing_id == listing.id))
        code = tree.parse(place, within=province) if place else None
        if code and place:
            sites.append(Site(site_kind_of_address(place), code, "complaint_place"))
    if seller is not None:
        area = uscc_division(seller.uscc)
        if area:
            sites.append(Site(SiteKind.REGISTRATION, area, "credit_code"))
    return sites


def offender_cities(session: Session, lead: LeadRow, province: str) -> set[str]:
    """Cities of this province where the same offender (credit code, else phone) has other confirmed leads."""
    seller = session.get(SellerRow, lead.seller_id) if lead.seller_id else None
    if seller is None or not (seller.uscc or seller.phone):
        return set()
    same = SellerRow.uscc == seller.uscc if seller.uscc else SellerRow.phone == seller.phone
    addresses = session.scalars(
        sa.select(SellerRow.address).join(LeadRow, LeadRow.seller_id == SellerRow.id)
        .where(same, LeadRow.state == LeadState.CONFIRMED, LeadRow.id != lead.id, SellerRow.address.is_not(None))
        .distinct().limit(200))
    tree = divisions()
    cities = set()
    for address in addresses:
        code = tree.parse(address, within=province)
        city = city_of(code) if code else None
        if city and code and code[:2] == province[:2]:
            cities.add(city)
    return cities


def propose(session: Session, lead: LeadRow, province: str) -> Route:
    """Where the rules would send this lead now (nothing written)."""
    return route(LeadType(lead.type), sites_of(session, lead, province), province, directory(session),
                 offender_cities(session, lead, province),
                 source=lead.source.value if lead.source is not None else None)


@dataclass(frozen=True)
class Routed:
    """What routing a lead wrote."""

    route: RouteRow
    notice: NoticeRow | None
    notification: NotificationRow | None


def _event(session: Session, lead: LeadRow, actor: Actor, kind: LeadEventKind, now: dt.datetime,
           **detail: object) -> None:
    session.add(LeadEvent(lead_id=lead.id, at=now, actor=actor.name, kind=kind, detail=detail))


def _agency_row(session: Session, code: str) -> AgencyRow | None:
    return session.scalar(sa.select(AgencyRow).where(AgencyRow.code == code))


WITHDRAWN_REROUTED = "rerouted"  # the lead went to another body
WITHDRAWN_OVERRIDDEN = "overridden"  # a supervisor changed the confirmation (排除 / 需补充信息)
WITHDRAWN_RECONFIRMED = "reconfirmed"  # routed again by the rules


def _withdraw(session: Session, lead: LeadRow, now: dt.datetime, *, why: str = WITHDRAWN_RECONFIRMED,
              actor: str | None = None, reason: str | None = None, **detail: object) -> RouteRow | None:
    """Deactivate the lead's current route and withdraw its notice; return the route that was current.

    Why, by whom and with which reason is kept on the withdrawn route (`explanation["withdrawn"]`), which the
    receiving body's notice page shows."""
    current = session.scalar(sa.select(RouteRow).where(RouteRow.lead_id == lead.id, RouteRow.active))
    if current is not None:
        current.active = False
        current.explanation = {**(current.explanation or {}), "withdrawn": {
            "why": why, "by": actor, "reason": reason, "at": now.isoformat(), **detail}}
        session.execute(sa.update(NoticeRow).where(NoticeRow.route_id == current.id, NoticeRow.withdrawn_at.is_(None))
                        .values(withdrawn_at=now))
    return current


def withdraw_confirmation(session: Session, lead: LeadRow, actor: Actor, now: dt.datetime, *, decision: str,
                          reason: str | None, reason_code: str | None) -> NoticeRow | None:
    """A confirmation no longer stands (a supervisor's override): withdraw what it produced — the active route
    and its 移送函 — with the reason, visible to the receiving body; history and audit. Returns the withdrawn
    notice (None when the lead had no active route or its route had no notice)."""
    notice = None
    current = session.scalar(sa.select(RouteRow).where(RouteRow.lead_id == lead.id, RouteRow.active))
    if current is not None:
        notice = session.scalar(sa.select(NoticeRow).where(NoticeRow.route_id == current.id,
                                                           NoticeRow.withdrawn_at.is_(None)))
    previous = _withdraw(session, lead, now, why=WITHDRAWN_OVERRIDDEN, actor=actor.name, reason=reason,
                         decision=decision, reason_code=reason_code)
    if previous is None:
        return None
    agency = session.get(AgencyRow, previous.agency_id) if previous.agency_id else None
    _event(session, lead, actor, LeadEventKind.NOTICE_WITHDRAWN, now, agency=agency.code if agency else None,
           notice=notice.number if notice else None, decision=decision, reason_code=reason_code, reason=reason)
    audit(session, actor, "notice_withdrawn", now, lead=lead.uuid, decision=decision, reason_code=reason_code,
          reason=reason, before={"agency": agency.code if agency else None,
                                 "notice": notice.number if notice else None}, after={"agency": None})
    return notice


def withdrawal_of(route_row: RouteRow | None) -> dict[str, object] | None:
    """Why a route (and its notice) was withdrawn, as recorded; None for routes withdrawn before this was kept."""
    if route_row is None:
        return None
    found = (route_row.explanation or {}).get("withdrawn")
    return found if isinstance(found, dict) else None


def _notice(session: Session, region: str, agency_id: int, lead: LeadRow, route_row: RouteRow,
            now: dt.datetime) -> NoticeRow:
    notice = NoticeRow(uuid=str(uuidlib.uuid4()), number=str(uuidlib.uuid4()), agency_id=agency_id,
                       lead_id=lead.id, route_id=route_row.id, created_at=now)
    session.add(notice)
    session.flush()
    notice.number = f"TS-{region}-{now.year}-{notice.id:06d}"  # 移送函编号: unique by the row id
    return notice


def _notify_holder(session: Session, lead: LeadRow, route_row: RouteRow, agency: Agency | None,
                   now: dt.datetime) -> NotificationRow | None:
    right = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == lead.right_number))
    if right is None:
        return None
    row = NotificationRow(uuid=str(uuidlib.uuid4()), lead_id=lead.id, right_number=lead.right_number,
                          recipient=right.owner, kind="lead_confirmed", created_at=now,
                          detail={"lead": lead.uuid, "type": lead.type.value, "right_title": right.title,
                                  "agency": agency.name if agency else None,
                                  "agency_code": agency.code if agency else None, "route": route_row.id})
    session.add(row)
    return row


def route_confirmed(session: Session, lead: LeadRow, region: str, actor: Actor, now: dt.datetime) -> Routed:
    """Push a confirmed lead by the rules: route, notice for the receiving body, rights-holder notification."""
    decided = propose(session, lead, region)
    previous = _withdraw(session, lead, now)
    agency_row = _agency_row(session, decided.agency.code) if decided.agency else None
    route_row = RouteRow(lead_id=lead.id, agency_id=agency_row.id if agency_row else None, rule=decided.rule,
                         explanation=decided.explain(), actor=actor.name, at=now, active=True)
    session.add(route_row)
    session.flush()
    notice = _notice(session, region, agency_row.id, lead, route_row, now) if agency_row else None
    notification = _notify_holder(session, lead, route_row, decided.agency, now) if decided.notify_rights_holder \
        else None
    _event(session, lead, actor, LeadEventKind.ROUTED, now, rule=decided.rule.value,
           agency=decided.agency.code if decided.agency else None,
           notice=notice.number if notice else None, rights_holder=notification is not None)
    previous_agency = session.get(AgencyRow, previous.agency_id) if previous and previous.agency_id else None
    audit(session, actor, "lead_routed", now, lead=lead.uuid, rule=decided.rule.value,
          before={"agency": previous_agency.code} if previous_agency else None,
          after={"agency": decided.agency.code if decided.agency else None, "notice": notice.number if notice else None})
    return Routed(route_row, notice, notification)


def reroute(session: Session, lead: LeadRow, agency_code: str, reason: str, region: str, actor: Actor,
            now: dt.datetime) -> Routed:
    """An officer sends a confirmed lead to another body, with a reason; the old notice is withdrawn."""
    actor.require(*REVIEWERS)
    reason = (reason or "").strip()
    if not reason:
        raise RoutingError("a re-route needs the reason", "reason_required")
    if len(reason) > MAX_REASON:
        raise RoutingError(f"the reason is {len(reason)} characters; at most {MAX_REASON}", "reason_too_long",
                           max=MAX_REASON, n=len(reason))
    if lead.state is not LeadState.CONFIRMED:
        raise RoutingError(f"only a confirmed lead is pushed; this one is {lead.state.value}", "not_confirmed")
    agency_row = _agency_row(session, agency_code)
    if agency_row is None or not agency_row.active:
        raise RoutingError(f"no active agency {agency_code!r} in this node's directory", "unknown_agency")
    current = session.scalar(sa.select(RouteRow).where(RouteRow.lead_id == lead.id, RouteRow.active))
    if current is not None and current.agency_id == agency_row.id:
        raise RoutingError(f"the lead is already with {agency_row.name}", "same_agency")
    previous = _withdraw(session, lead, now, why=WITHDRAWN_REROUTED, actor=actor.name, reason=reason,
                         to=agency_row.code)
    agency = agency_of(agency_row)
    route_row = RouteRow(lead_id=lead.id, agency_id=agency_row.id, rule=Rule.MANUAL,
                         explanation={"rule": Rule.MANUAL.value, "agency": {
                             "code": agency.code, "name": agency.name, "level": agency.level.value,
                             "kind": agency.kind.value, "division": agency.division},
                             "previous_agency_id": previous.agency_id if previous else None},
                         reason=reason, actor=actor.name, at=now, active=True)
    session.add(route_row)
    session.flush()
    notice = _notice(session, region, agency_row.id, lead, route_row, now)
    _event(session, lead, actor, LeadEventKind.REROUTED, now, agency=agency.code, reason=reason,
           notice=notice.number)
    before_code = None
    if previous is not None and previous.agency_id is not None:
        old = session.get(AgencyRow, previous.agency_id)
        before_code = old.code if old else None
    audit(session, actor, "lead_rerouted", now, lead=lead.uuid, reason=reason,
          before={"agency": before_code}, after={"agency": agency.code, "notice": notice.number})
    return Routed(route_row, notice, None)


def current_route(session: Session, lead: LeadRow) -> tuple[RouteRow, AgencyRow | None] | None:
    """The lead's active route and its agency."""
    row = session.scalar(sa.select(RouteRow).where(RouteRow.lead_id == lead.id, RouteRow.active))
    if row is None:
        return None
    return row, (session.get(AgencyRow, row.agency_id) if row.agency_id else None)


def agencies_of_user(session: Session, username: str) -> list[AgencyRow]:
    """The bodies a user works for."""
    return list(session.scalars(sa.select(AgencyRow).join(AgencyMember, AgencyMember.agency_id == AgencyRow.id)
                                .where(AgencyMember.username == username).order_by(AgencyRow.code)))
