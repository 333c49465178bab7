"""Cross-region case formation.

The pure core (`group_leads`, `choose_lead_region`, `normalize_phone`) takes values and
returns values; `form_cases` is the unit of work that applies it to the database and
queues each case on the downlink of every region concerned.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import AuditEntry, CaseRow, DownlinkRow, MergeReview, MergeStatus, NationalLead
from regional import reasons as reason_codes
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
    name: str | None = None


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


def group_leads(leads: Sequence[LeadFacts], entity: dict[int, int] | None = None) -> list[CaseDraft]:
    """Union leads about the same right whose sellers are one entity.

    With `entity` (lead id -> entity label from the entity-resolution engine) that decides;
    without it, sellers sharing a normalized credit code or phone are taken as one.
    """

    def keys_of(lead: LeadFacts) -> list[str]:
        if entity is not None and lead.id in entity:
            return [f"entity:{entity[lead.id]}"]
        return seller_keys(lead)

    parent: dict[int, int] = {lead.id: lead.id for lead in leads}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_with: dict[tuple[str, str], int] = {}
    for lead in leads:
        for key in keys_of(lead):
            anchor = first_with.setdefault((lead.right, key), lead.id)
            ra, rb = find(anchor), find(lead.id)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[LeadFacts]] = defaultdict(list)
    for lead in leads:
        if keys_of(lead):
            groups[find(lead.id)].append(lead)
    drafts = []
    for members in groups.values():
        regions = tuple(sorted({m.region for m in members}))
        keys = tuple(sorted({k for m in members for k in seller_keys(m)})) or tuple(sorted(
            {k for m in members for k in keys_of(m)}))
        drafts.append(CaseDraft(right=members[0].right, lead_ids=tuple(sorted(m.id for m in members)),
                                regions=regions, seller_keys=keys,
                                lead_region=choose_lead_region(regions, members)))
    return sorted(drafts, key=lambda d: d.lead_ids[0])


@dataclass(frozen=True)
class Entities:
    """The sellers of a set of leads resolved into entities, and the pairs an officer should look at."""

    label: dict[int, int]
    review: list[tuple[int, int, float]]


def resolve_entities(leads: Sequence[LeadFacts], decisions: Sequence[tuple[int, int, bool]] = (),
                     review_low: float = 0.3) -> Entities:
    """Resolve sellers with the entity-resolution engine, then apply officers' merge decisions.

    `decisions` are (lead a, lead b, merge?) — a confirmed merge joins the two entities; a rejected
    one keeps them apart even if the engine linked them (merges are reversible). Pairs the engine
    scores in [review_low, link threshold) across entities go to the review queue.
    """
    from national.dedup.config import seller_config
    from national.dedup.engine import resolve
    from national.dedup.table import build_table

    if len(leads) < 2:
        return Entities({lead.id: i for i, lead in enumerate(leads)}, [])
    config = seller_config()
    records = [{"id": str(lead.id), "name": lead.name, "uscc": lead.uscc, "phone": lead.phone,
                "address": lead.address, "shop_url": None} for lead in leads]
    res = resolve(build_table(records, config), config)
    ids = [lead.id for lead in leads]
    index = {lead_id: i for i, lead_id in enumerate(ids)}
    labels = [int(x) for x in res.labels]
    # a rejected merge splits the pair's entity: the second lead (and only it) leaves
    fresh = max(labels, default=0) + 1
    for a, b, merge in decisions:
        if not merge and a in index and b in index and labels[index[a]] == labels[index[b]]:
            labels[index[b]] = fresh
            fresh += 1
    parent = list(range(max(labels, default=0) + 1))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, merge in decisions:
        if merge and a in index and b in index:
            ra, rb = find(labels[index[a]]), find(labels[index[b]])
            parent[max(ra, rb)] = min(ra, rb)
    label = {lead_id: find(labels[i]) for i, lead_id in enumerate(ids)}
    decided = {(min(a, b), max(a, b)) for a, b, _m in decisions}
    review = []
    for k in res.review_pairs(review_low, config.link_probability):
        a, b = ids[int(res.left[k])], ids[int(res.right[k])]
        pair = (min(a, b), max(a, b))
        if label[a] != label[b] and pair not in decided:
            review.append((pair[0], pair[1], float(res.probability[k])))
    return Entities(label, review)


@dataclass
class FormResult:
    """What one case-formation run changed."""

    cases_created: int = 0
    cases_updated: int = 0
    downlink_items: int = 0
    reviews_queued: int = 0
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
                                 reason_codes=[sync_pb2.ReasonCode(code=c, params_json=p)
                                               for c, p in reason_codes.to_wire(lead.reason_codes or [])],
                                 seller=sync_pb2.Seller(name=lead.seller_name or "", uscc=lead.seller_uscc or "",
                                                        phone=lead.seller_phone or "",
                                                        address=lead.seller_address or ""))
               for lead in leads],
    )


def form_cases(session: Session, now: dt.datetime, supervision_days: float = 60.0,
               use_engine: bool = True) -> FormResult:
    """Resolve sellers, group leads into cross-region cases, queue new and changed cases to every region concerned.

    Low-confidence seller matches go to the merge-review queue instead of into a case.
    """
    leads = list(session.scalars(sa.select(NationalLead).order_by(NationalLead.id)))
    by_id = {lead.id: lead for lead in leads}
    facts = [LeadFacts(id=lead.id, region=lead.region, right=lead.right_number, uscc=lead.seller_uscc,
                       phone=lead.seller_phone, address=lead.seller_address, name=lead.seller_name)
             for lead in leads]
    result = FormResult()
    entity: dict[int, int] | None = None
    if use_engine and facts:
        decisions = [(r.lead_a, r.lead_b, r.status == MergeStatus.MERGED) for r in session.scalars(
            sa.select(MergeReview).where(MergeReview.status != MergeStatus.PENDING))]
        entities = resolve_entities(facts, decisions)
        entity = entities.label
        known = {(r.lead_a, r.lead_b) for r in session.scalars(sa.select(MergeReview))}
        rights = {lead.id: lead.right_number for lead in leads}
        for a, b, p in entities.review:
            if (a, b) not in known and rights[a] == rights[b] and by_id[a].region != by_id[b].region:
                session.add(MergeReview(lead_a=a, lead_b=b, probability=round(p, 4), status=MergeStatus.PENDING,
                                        created_at=now))
                result.reviews_queued += 1
    claimed: set[int] = set()
    drafts = sorted((d for d in group_leads(facts, entity) if d.cross_region), key=lambda d: -len(d.lead_ids))
    for draft in drafts:
        members = [by_id[i] for i in draft.lead_ids]
        votes: dict[int, int] = defaultdict(int)
        for m in members:
            if m.case_id is not None and m.case_id not in claimed:
                votes[m.case_id] += 1
        case = session.get(CaseRow, sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]) if votes else None
        if case is None:
            case = CaseRow(uuid=str(uuid.uuid4()), key=f"{draft.right}|{draft.seller_keys[0]}",
                           right_number=draft.right, right_title=members[0].right_title, type=members[0].type,
                           lead_region=draft.lead_region, regions=list(draft.regions), cross_region=True,
                           supervised=True, deadline=now + dt.timedelta(days=supervision_days),
                           formed_at=now, updated_at=now)
            session.add(case)
            session.flush()
            claimed.add(case.id)
            result.cases_created += 1
            revision = 1
        else:
            claimed.add(case.id)
            current = set(session.scalars(sa.select(NationalLead.id).where(NationalLead.case_id == case.id)))
            unchanged = set(case.regions) == set(draft.regions) and current == set(draft.lead_ids)
            if unchanged:
                continue
            for lead_id in current - set(draft.lead_ids):  # a merge was reversed: these leads leave the case
                by_id[lead_id].case_id = None
            case.regions = list(draft.regions)
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
    _withdraw_unclaimed(session, claimed, now, result)
    return result


def _withdraw_unclaimed(session: Session, claimed: set[int], now: dt.datetime, result: FormResult) -> None:
    """Cases no cross-region group claims any more (a merge was reversed) are withdrawn and the regions told."""
    from national.lifecycle import CaseStatus

    orphans = session.scalars(sa.select(CaseRow).where(CaseRow.cross_region, CaseRow.id.not_in(claimed or {0}),
                                                       CaseRow.status != CaseStatus.WITHDRAWN))
    for case in orphans:
        for lead in session.scalars(sa.select(NationalLead).where(NationalLead.case_id == case.id)):
            lead.case_id = None
        case.status = CaseStatus.WITHDRAWN
        case.updated_at = now
        revision = 1 + (session.scalar(sa.select(sa.func.max(DownlinkRow.revision))
                                       .where(DownlinkRow.uuid == case.uuid)) or 0)
        body = sync_pb2.CaseUpdate(case_uuid=case.uuid, status=CaseStatus.WITHDRAWN.value,
                                   note="sellers are not one entity (merge reversed by a national officer)",
                                   body_json=json.dumps({"region": "000000", "feedback": "note",
                                                         "note": "合并已撤销，案件撤回", "outcome": "withdrawn",
                                                         "at": now.isoformat()}, ensure_ascii=False))
        for region in case.regions:
            session.add(DownlinkRow(region=region, uuid=case.uuid, revision=revision, kind="case_update",
                                    body=body.SerializeToString(deterministic=True), created_at=now))
            result.downlink_items += 1
        result.cases_updated += 1
        session.add(AuditEntry(at=now, actor="worker", action="case_withdrawn", detail={"case": case.uuid}))
