"""Cross-region case formation.

The pure core (`group_leads`, `choose_lead_region`, `normalize_phone`) takes values and
returns values; `form_cases` is the unit of work that applies it to the database and
queues each case on the downlink of every region concerned.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import AuditEntry, CaseRow, DownlinkRow, NationalLead
from sync.regions import region_of_address
from sync.v1 import sync_pb2


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What case formation needs of a lead."""

    id: int
    region: str
    right: str
    uscc: str | None
    phone: str | None
    address: str | None


@dataclass(frozen=True)
class CaseDraft:
    """A group of leads that concern one right and one seller."""

    right: str
    lead_ids: tuple[int, ...]
    regions: tuple[str, ...]
    seller_keys: tuple[str, ...]
    lead_region: str

    @property
    def cross_region(self) -> bool:
        """Reported by two or more regions."""
        return len(self.regions) >= 2


def normalize_phone(phone: str | None) -> str | None:
    """Digits only, without +86/0086; None when too short to identify anyone."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            digits = digits[len(prefix):]
    return digits if len(digits) >= 7 else None


def normalize_uscc(code: str | None) -> str | None:
    """Upper-case, no separators; None when it is not 18 characters."""
    if not code:
        return None
    cleaned = re.sub(r"[\s\-]", "", code).upper()
    return cleaned if len(cleaned) == 18 else None


def seller_keys(lead: LeadFacts) -> list[str]:
    """The identifiers that tie a lead to a seller: credit code and phone."""
    keys = []
    if (u := normalize_uscc(lead.uscc)) is not None:
        keys.append(f"uscc:{u}")
    if (p := normalize_phone(lead.phone)) is not None:
        keys.append(f"phone:{p}")
    return keys


SOURCE_WORDS = ("仓库", "仓储", "工厂", "厂区", "生产", "加工", "制造", "货仓", "发货地")


def registered_province(uscc: str | None) -> str | None:
    """The province a unified social credit code was registered in (characters 3-8 are the division code)."""
    code = normalize_uscc(uscc)
    if code is None or not code[2:8].isdigit():
        return None
    return code[2:4] + "0000"


def choose_lead_region(regions: Sequence[str], leads: Sequence[LeadFacts]) -> str:
    """Where the source is: a production or warehouse site among the regions concerned, else the entity's
    registered province, else the region that reported most leads (ties: the lowest code)."""
    concerned = set(regions)
    votes: dict[str, int] = defaultdict(int)
    for lead in leads:
        home = region_of_address(lead.address)
        if home in concerned and lead.address and any(w in lead.address for w in SOURCE_WORDS):
            votes[home] += 100  # a known production or warehouse site decides
        reg = registered_province(lead.uscc)
        if reg in concerned:
            votes[reg] += 10
        votes[lead.region] += 1
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def group_leads(leads: Sequence[LeadFacts]) -> list[CaseDraft]:
    """Union leads about the same right whose sellers share a credit code or phone."""
    parent: dict[int, int] = {lead.id: lead.id for lead in leads}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_with: dict[tuple[str, str], int] = {}
    for lead in leads:
        for key in seller_keys(lead):
            anchor = first_with.setdefault((lead.right, key), lead.id)
            ra, rb = find(anchor), find(lead.id)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[LeadFacts]] = defaultdict(list)
    for lead in leads:
        if seller_keys(lead):
            groups[find(lead.id)].append(lead)
    drafts = []
    for members in groups.values():
        regions = tuple(sorted({m.region for m in members}))
        keys = tuple(sorted({k for m in members for k in seller_keys(m)}))
        drafts.append(CaseDraft(right=members[0].right, lead_ids=tuple(sorted(m.id for m in members)),
                                regions=regions, seller_keys=keys,
                                lead_region=choose_lead_region(regions, members)))
    return sorted(drafts, key=lambda d: d.lead_ids[0])


@dataclass
class FormResult:
    """What one case-formation run changed."""

    cases_created: int = 0
    cases_updated: int = 0
    downlink_items: int = 0
    case_uuids: list[str] = field(default_factory=list)


def case_message(case: CaseRow, leads: Sequence[NationalLead]) -> sync_pb2.CrossRegionCase:
    """The downlink message of a case with its leads."""
    return sync_pb2.CrossRegionCase(
        case_uuid=case.uuid, right=case.right_number, right_title=case.right_title or "", type=case.type,
        lead_region=case.lead_region, regions=list(case.regions), formed_at=case.formed_at.isoformat(),
        seller_key=case.key.split("|", 1)[1],
        leads=[sync_pb2.CaseLead(region=lead.region, lead_uuid=lead.uuid, listing_id=lead.listing_id,
                                 listing_title=lead.listing_title or "", score=lead.score,
                                 reasons=list(lead.reasons or []), listing_url=lead.listing_url or "",
                                 seller=sync_pb2.Seller(name=lead.seller_name or "", uscc=lead.seller_uscc or "",
                                                        phone=lead.seller_phone or "",
                                                        address=lead.seller_address or ""))
               for lead in leads],
    )


def form_cases(session: Session, now: dt.datetime, supervision_days: float = 60.0) -> FormResult:
    """Group all leads into cross-region cases; queue new and changed cases to every region concerned."""
    leads = list(session.scalars(sa.select(NationalLead).order_by(NationalLead.id)))
    by_id = {lead.id: lead for lead in leads}
    facts = [LeadFacts(id=lead.id, region=lead.region, right=lead.right_number, uscc=lead.seller_uscc,
                       phone=lead.seller_phone, address=lead.seller_address) for lead in leads]
    result = FormResult()
    for draft in group_leads(facts):
        if not draft.cross_region:
            continue
        members = [by_id[i] for i in draft.lead_ids]
        existing_ids = {m.case_id for m in members if m.case_id is not None}
        case = session.get(CaseRow, min(existing_ids)) if existing_ids else None
        if case is None:
            case = CaseRow(uuid=str(uuid.uuid4()), key=f"{draft.right}|{draft.seller_keys[0]}",
                           right_number=draft.right, right_title=members[0].right_title, type=members[0].type,
                           lead_region=draft.lead_region, regions=list(draft.regions), cross_region=True,
                           supervised=True, deadline=now + dt.timedelta(days=supervision_days),
                           formed_at=now, updated_at=now)
            session.add(case)
            session.flush()
            result.cases_created += 1
            revision = 1
        else:
            unchanged = set(case.regions) == set(draft.regions) and all(m.case_id == case.id for m in members)
            if unchanged:
                continue
            case.regions = sorted(set(case.regions) | set(draft.regions))
            case.lead_region = draft.lead_region
            case.updated_at = now
            result.cases_updated += 1
            revision = 1 + (session.scalar(sa.select(sa.func.max(DownlinkRow.revision))
                                           .where(DownlinkRow.uuid == case.uuid)) or 0)
        for m in members:
            m.case_id = case.id
        body = case_message(case, members).SerializeToString(deterministic=True)
        for region in case.regions:
            session.add(DownlinkRow(region=region, uuid=case.uuid, revision=revision, kind="cross_region_case",
                                    body=body, created_at=now))
            result.downlink_items += 1
        result.case_uuids.append(case.uuid)
        session.add(AuditEntry(at=now, actor="worker", action="case_formed" if revision == 1 else "case_updated",
                               detail={"case": case.uuid, "right": case.right_number, "regions": case.regions,
                                       "leads": len(members), "lead_region": case.lead_region}))
    return result
