"""Everything the lead page and `GET /api/leads/<uuid>` show about one lead, gathered in one read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.casework.core import CaseState
from regional.domain import LeadState
from regional.models import LeadRow, ListingRow, RegistryRight, SellerRow
from regional.review.service import UnknownLead
from regional.routing import service as routing
from regional.workflow_models import (
    AgencyRow,
    CaseLead,
    CaseRecord,
    ComplaintRow,
    Judgement,
    JudgementStatus,
    LeadEvent,
    NoticeRow,
    RouteRow,
)


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def _right(row: RegistryRight | None) -> dict[str, Any] | None:
    if row is None:
        return None
    from regional.detection.invention import claim_features

    subject, features = claim_features(row.claims) if row.claims else ("", [])
    return {"number": row.number, "kind": row.kind.value, "title": row.title, "owner": row.owner,
            "status": row.status, "nice_classes": list(row.nice_classes or []), "locarno": row.locarno,
            "ipc": list(row.ipc or []), "valid_until": row.valid_until.isoformat() if row.valid_until else None,
            "images": list(row.images or []), "claims": row.claims, "claim_subject": subject,
            "claim_features": features}


def _judgement(j: Judgement) -> dict[str, Any]:
    return {"decision": j.decision.value, "reason_code": j.reason_code.value if j.reason_code else None,
            "reason": j.reason_text, "officer": j.officer, "at": _iso(j.at), "status": j.status.value,
            "second_review_rule": j.rule, "reviewer": j.reviewer, "reviewed_at": _iso(j.reviewed_at),
            "review_note": j.review_note, "score": j.score, "model_version": j.model_version,
            "record": j.record_uuid}


def _agency(row: AgencyRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"code": row.code, "name": row.name, "level": row.level.value, "kind": row.kind.value,
            "division": row.division, "phone": row.phone, "email": row.email, "contact": row.contact,
            "address": row.address}


def lead_detail(session: Session, lead_uuid: str, region: str) -> dict[str, Any]:
    """The lead, its listing and seller, the right, reasons, model version, judgement, routing, evidence, history."""
    lead = session.scalar(sa.select(LeadRow).where(LeadRow.uuid == lead_uuid))
    if lead is None:
        raise UnknownLead(f"no lead {lead_uuid} on this node")
    listing = session.get(ListingRow, lead.listing_id)
    seller = session.get(SellerRow, lead.seller_id) if lead.seller_id else None
    right = session.scalar(sa.select(RegistryRight).where(RegistryRight.number == lead.right_number))
    judgements = list(session.scalars(sa.select(Judgement).where(Judgement.lead_id == lead.id)
                                      .order_by(Judgement.id)))
    current = next((j for j in reversed(judgements) if j.status in (
        JudgementStatus.FINAL, JudgementStatus.APPROVED, JudgementStatus.PROPOSED)), None)
    routing_info = _routing(session, lead, region)
    case = session.execute(sa.select(CaseRecord).join(CaseLead, CaseLead.case_id == CaseRecord.id)
                           .where(CaseLead.lead_id == lead.id)).scalar()
    complaint = session.scalar(sa.select(ComplaintRow).where(ComplaintRow.listing_id == lead.listing_id))
    events = list(session.scalars(sa.select(LeadEvent).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)))
    out: dict[str, Any] = {
        "uuid": lead.uuid, "type": lead.type.value, "score": round(lead.score, 4), "state": lead.state.value,
        "right": lead.right_number, "title": listing.title if listing else None,
        "reasons": list(lead.reasons or []), "reason_codes": list(getattr(lead, "reason_codes", None) or []),
        "model_version": lead.model_version, "detected_at": _iso(lead.created_at), "source": lead.source.value,
        "assigned_to": lead.assigned_to, "judged_at": _iso(lead.judged_at), "judged_by": lead.judged_by,
        "listing": None if listing is None else {
            "id": listing.id, "title": listing.title, "description": listing.description, "price": listing.price,
            "currency": listing.currency, "url": listing.url, "platform": listing.platform,
            "images": list(listing.images or []), "category": listing.category,
            "nice_classes": list(listing.nice_classes or []), "observed_at": _iso(listing.observed_at),
            "source": listing.source.value},
        "seller": None if seller is None else {
            "name": seller.name, "uscc": seller.uscc, "phone": seller.phone, "address": seller.address,
            "shop_url": seller.shop_url},
        "right_detail": _right(right),
        "judgement": _judgement(current) if current else None,
        "judgements": [_judgement(j) for j in judgements],
        "routing": routing_info,
        "evidence": evidence_of(session, lead),
        "case": None if case is None else {"uuid": case.uuid, "number": case.number, "state": case.state.value,
                                           "open": case.state is not CaseState.CLOSED},
        "complaint": None if complaint is None else {"tracking_no": complaint.tracking_no,
                                                     "place": complaint.place, "who": complaint.who,
                                                     "submitted_at": _iso(complaint.submitted_at)},
        "history": [{"at": _iso(e.at), "actor": e.actor, "kind": e.kind.value, "detail": e.detail} for e in events],
        "same_listing": _same_listing(session, lead, right),
    }
    return out


def _same_listing(session: Session, lead: LeadRow, right: RegistryRight | None) -> list[dict[str, Any]]:
    """The listing's other leads (one listing can hit two marks of one owner, 华为 and HUAWEI): the officer sees them
    before judging, so that one listing is not judged — and sent to an agency — twice without knowing it."""
    rows = session.execute(sa.select(LeadRow.uuid, LeadRow.right_number, LeadRow.type, LeadRow.state,
                                     RegistryRight.title, RegistryRight.owner)
                           .outerjoin(RegistryRight, RegistryRight.number == LeadRow.right_number)
                           .where(LeadRow.listing_id == lead.listing_id, LeadRow.id != lead.id)
                           .order_by(LeadRow.id).limit(20)).all()
    owner = right.owner if right is not None else None
    return [{"uuid": r.uuid, "right": r.right_number, "type": r.type.value, "state": r.state.value,
             "title": r.title, "same_owner": bool(owner) and r.owner == owner} for r in rows]


def _routing(session: Session, lead: LeadRow, region: str) -> dict[str, Any]:
    """The lead's push: where it went and why, or — before it is confirmed — where the rules would send it."""
    found = routing.current_route(session, lead)
    if found is not None:
        route_row, agency = found
        notice = session.scalar(sa.select(NoticeRow).where(NoticeRow.route_id == route_row.id))
        return {"status": "pushed", "agency": _agency(agency), "rule": route_row.rule.value,
                "explanation": route_row.explanation, "reason": route_row.reason, "by": route_row.actor,
                "at": _iso(route_row.at), "notice": notice.number if notice else None,
                "notice_uuid": notice.uuid if notice else None,
                "earlier": [{"rule": r.rule.value, "agency": _agency(session.get(AgencyRow, r.agency_id))
                             if r.agency_id else None, "at": _iso(r.at), "by": r.actor, "reason": r.reason}
                            for r in session.scalars(sa.select(RouteRow).where(RouteRow.lead_id == lead.id,
                                                                               RouteRow.id != route_row.id)
                                                     .order_by(RouteRow.id))]}
    proposal = routing.propose(session, lead, region)
    explanation = proposal.explain()
    agency = explanation.get("agency")
    status = "proposed" if lead.state is not LeadState.EXCLUDED else "not_pushed"
    return {"status": status, "agency": {k: agency[k] for k in ("code", "name", "level", "kind", "division")}
            if isinstance(agency, dict) else None, "rule": proposal.rule.value, "explanation": explanation,
            "reason": None, "by": None, "at": None, "notice": None, "notice_uuid": None, "earlier": [],
            "withdrawn": _withdrawn_notice(session, lead)}


def _withdrawn_notice(session: Session, lead: LeadRow) -> dict[str, Any] | None:
    """The 移送函 withdrawn when the lead's confirmation was changed (the last one), for the routing area."""
    found = session.execute(sa.select(NoticeRow, RouteRow, AgencyRow)
                            .join(RouteRow, RouteRow.id == NoticeRow.route_id)
                            .join(AgencyRow, AgencyRow.id == NoticeRow.agency_id)
                            .where(NoticeRow.lead_id == lead.id, NoticeRow.withdrawn_at.is_not(None))
                            .order_by(NoticeRow.id.desc()).limit(1)).first()
    if found is None:
        return None
    notice, route_row, agency = found
    why = routing.withdrawal_of(route_row) or {}
    if why.get("why") != routing.WITHDRAWN_OVERRIDDEN:
        return None
    return {"notice": notice.number, "notice_uuid": notice.uuid, "agency": agency.name,
            "at": _iso(notice.withdrawn_at), "by": why.get("by"), "reason": why.get("reason"),
            "reason_code": why.get("reason_code")}


def evidence_of(session: Session, lead: LeadRow) -> list[dict[str, Any]]:
    """Every capture of the lead's evidence, as the evidence area shows it (plain JSON values)."""
    from regional.web.blueprints.evidence import captures_of

    return captures_of(session, lead.uuid)
