"""Cross-region case formation.

The pure core (`group_leads`, `choose_lead_region`, `normalize_phone`) takes values and
returns values; `form_cases` is the unit of work that applies it to the database and
queues each case on the downlink of every region concerned.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import (
    AuditEntry,
    CaseEvent,
    CaseFailure,
    CaseRow,
    DownlinkBody,
    DownlinkRow,
    MergeReview,
    MergeStatus,
    NationalLead,
)
from regional import reasons as reason_codes
from sync.regions import region_of_address
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.national.cases")


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
    entity_id: int | None = None  # the seller entity (incremental resolution), when known
    prior_case_id: int | None = None  # the closed case of the same seller and right this one follows (前案)

    @property
    def cross_region(self) -> bool:
        """Reported by two or more regions."""
        return len(self.regions) >= 2


@functools.lru_cache(maxsize=65_536)
def normalize_phone(phone: str | None) -> str | None:
    """Digits only, without +86/0086; None when too short to identify anyone (pure: remembered per value)."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            digits = digits[len(prefix):]
    return digits if len(digits) >= 7 else None


@functools.lru_cache(maxsize=65_536)
def normalize_uscc(code: str | None) -> str | None:
    """Upper-case, no separators; None when it is not 18 characters (pure: remembered per value)."""
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


@functools.lru_cache(maxsize=65_536)
def _site_region(address: str) -> str | None:
    """The province of an address that names a production or warehouse site (None for any other address:
    only a site's province counts, so the address is parsed only when it names one)."""
    if not any(w in address for w in SOURCE_WORDS):
        return None
    return region_of_address(address)


def choose_lead_region(regions: Sequence[str], leads: Sequence[LeadFacts]) -> str:
    """Where the source is: a production or warehouse site among the regions concerned, else the entity's
    registered province, else the region that reported most leads (ties: the lowest code)."""
    concerned = set(regions)
    votes: dict[str, int] = defaultdict(int)
    for lead in leads:
        site = _site_region(lead.address) if lead.address else None
        if site in concerned:
            votes[site] += 100  # a known production or warehouse site decides
        reg = registered_province(lead.uscc)
        if reg in concerned:
            votes[reg] += 10
        votes[lead.region] += 1
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def stable_lead_region(current: str | None, regions: Sequence[str], proposed: str) -> str:
    """The host region (主办) of a case: chosen once, when the case is issued (`choose_lead_region`, `proposed`), and
    kept when later leads join it — the host may already have started on it, reported or not (newcomer16 N15: a
    Guangdong lead joining flipped an issued case's host from Zhejiang to Guangdong, silently). It moves only when
    the host is no longer concerned (its leads left the case: a merge reversed), to `proposed`."""
    if current is not None and current in set(regions):
        return current
    return proposed


def regions_left_outcome(gone: Sequence[str]) -> str:
    """The history line (every node's, the departed regions' included) of a case some regions stopped being
    concerned by: their leads left it because an officer's decision says their sellers are not one entity
    (newcomer18 N8: Fujian's lead left a standing case silently and Fujian's copy kept offering the report form)."""
    return f"no longer concerned by the case: {','.join(sorted(gone))} (their leads left it: the sellers are not one " \
        "entity)"


def regions_left_notices(case_uuid: str, gone: Sequence[str], status: str, revision: int,
                         now: dt.datetime) -> tuple[bytes, bytes, dict[str, Any]]:
    """What a case some regions left says (`regions_left_outcome`): the case update the regions still concerned
    receive (the case's status), the one each departed region receives (its copy withdrawn: nothing there is its
    business any more) and the national node's event row."""
    from national.lifecycle import CaseStatus, Feedback

    outcome = regions_left_outcome(gone)
    step = {"region": "000000", "feedback": Feedback.NOTE.value, "note": "", "outcome": outcome,
            "at": now.isoformat()}
    staying = sync_pb2.CaseUpdate(case_uuid=case_uuid, status=status, body_json=json.dumps(step, ensure_ascii=False))
    leaving = sync_pb2.CaseUpdate(case_uuid=case_uuid, status=CaseStatus.WITHDRAWN.value,
                                  note="this region is no longer concerned by the case",
                                  body_json=json.dumps(step, ensure_ascii=False))
    event = {"record_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hufu:left:{case_uuid}:{revision}")),
             "region": "000000", "feedback": Feedback.NOTE.value, "note": "", "officer": None, "accepted": True,
             "outcome": outcome, "status_after": status, "at": now}
    return (staying.SerializeToString(deterministic=True), leaving.SerializeToString(deterministic=True), event)


def regions_back_outcome(back: Sequence[str]) -> str:
    """The history line of a case some regions are concerned by again, after they left it (`regions_left_outcome`):
    their leads joined it again (an officer's decision), and their copy stands again."""
    return f"concerned by the case again: {','.join(sorted(back))} (their leads joined it again)"


def host_change_outcome(before: str, after: str) -> str:
    """The history line (every node's) of a host region that moved: its code before and after (English interchange
    form, worded by regional/web/statements.py)."""
    return f"lead region changed from {before} to {after}: {before} is no longer concerned by the case"


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


def follow_up(draft: CaseDraft, case_of: Mapping[int, int | None], closed: AbstractSet[int]) -> CaseDraft | None:
    """A closed case (已结案) is never grown nor reopened: the leads of a group that are not in a closed case
    form a new case that follows the latest closed one (its 前案), routed to every region of the group.

    `case_of`: lead id -> the case it is in now; `closed`: the ids of closed cases. Returns the draft as it is
    when none of its leads is in a closed case, None when all of them are (the closed case stands).
    """
    prior = {cid for i in draft.lead_ids if (cid := case_of.get(i)) is not None and cid in closed}
    if not prior:
        return draft
    fresh = tuple(i for i in draft.lead_ids if case_of.get(i) not in prior)
    if not fresh:
        return None
    return replace(draft, lead_ids=fresh, prior_case_id=max(prior))


FOLLOW_UP_OUTCOME = "new leads after a closed case of the same seller"  # regional/web/statements.py words it
# why a cross-region case was withdrawn, as every node's history says it (regional/web/statements.py words them)
WITHDRAWN_MERGED_OUTCOME = "withdrawn: its leads now belong to another case of the same seller"
WITHDRAWN_REVERSED_OUTCOME = "withdrawn: its sellers are not one entity (a merge was reversed)"


def follow_up_notice(case_uuid: str, prior_uuid: str, now: dt.datetime) -> tuple[bytes, dict[str, Any]]:
    """What the history of a case that follows a closed one (`follow_up`) starts with: the case update every
    region concerned receives (revision 2, after the case itself) and the national node's event row."""
    from national.lifecycle import CaseStatus, Feedback

    step = {"region": "000000", "feedback": Feedback.NOTE.value, "note": "", "outcome": FOLLOW_UP_OUTCOME,
            "at": now.isoformat(), "prior_case": prior_uuid}
    body = sync_pb2.CaseUpdate(case_uuid=case_uuid, status=CaseStatus.FORMED.value,
                               body_json=json.dumps(step, ensure_ascii=False))
    event = {"record_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hufu:follow-up:{case_uuid}")), "region": "000000",
             "feedback": Feedback.NOTE.value, "note": "", "officer": None, "accepted": True,
             "outcome": FOLLOW_UP_OUTCOME, "status_after": CaseStatus.FORMED.value, "at": now}
    return body.SerializeToString(deterministic=True), event


def host_change_notice(case_uuid: str, before: str, after: str, status: str, revision: int,
                       now: dt.datetime) -> tuple[bytes, dict[str, Any]]:
    """What the history of a case whose host region had to move says (`stable_lead_region`): the case update every
    region concerned receives and the national node's event row."""
    from national.lifecycle import Feedback

    outcome = host_change_outcome(before, after)
    step = {"region": "000000", "feedback": Feedback.NOTE.value, "note": "", "outcome": outcome,
            "at": now.isoformat()}
    body = sync_pb2.CaseUpdate(case_uuid=case_uuid, status=status, body_json=json.dumps(step, ensure_ascii=False))
    event = {"record_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hufu:host:{case_uuid}:{revision}")),
             "region": "000000", "feedback": Feedback.NOTE.value, "note": "", "officer": None, "accepted": True,
             "outcome": outcome, "status_after": status, "at": now}
    return body.SerializeToString(deterministic=True), event


def follow_ups(drafts: Sequence[CaseDraft], case_of: Mapping[int, int | None],
               closed: AbstractSet[int]) -> list[CaseDraft]:
    """`follow_up` over a plan's drafts (the order kept, groups wholly in a closed case dropped)."""
    if not closed:
        return list(drafts)
    return [f for d in drafts if (f := follow_up(d, case_of, closed)) is not None]


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
    failures: int = 0  # groups whose case could not be formed this run (recorded in case_failures, skipped)
    failure_subjects: list[str] = field(default_factory=list)
    leads_resolved: int = 0  # sellers resolved this run (incremental formation)
    pairs_scored: int = 0  # seller pairs scored to resolve them (the work that follows the blocks)
    entities_affected: int = 0
    merges: int = 0
    splits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: bool = False  # another process was running a cycle on the same database (PostgreSQL)

    def add(self, other: FormResult) -> None:
        """Fold another run's counts into this one."""
        for name in ("cases_created", "cases_updated", "downlink_items", "reviews_queued", "failures",
                     "leads_resolved", "pairs_scored", "entities_affected", "merges", "splits"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.case_uuids.extend(other.case_uuids)
        self.failure_subjects.extend(other.failure_subjects)
        for k, v in other.seconds.items():
            self.seconds[k] = self.seconds.get(k, 0.0) + v


def case_key(right: str, keys: Sequence[str]) -> str:
    """What a case is about, for people: right | the seller's credit code, else phone, else entity label.

    Only a description: two sellers may share a phone number, so keys repeat; a case is identified by its uuid.
    """
    ordered = sorted(keys, key=lambda k: (not k.startswith("uscc:"), not k.startswith("phone:"), k))
    return f"{right}|{ordered[0] if ordered else 'unknown'}"[:200]


def failure_subject(right: str, lead_ids: Sequence[int]) -> str:
    """The name a failing group of leads is recorded under: its right and its first lead."""
    return f"{right}|lead:{min(lead_ids)}"[:200]


WHOLE_RUN = "*|formation"  # the subject under which a failure of the whole run (seller resolution) is kept


def retry_delay_s(attempts: int, base_s: float = 2.0, cap_s: float = 900.0) -> float:
    """How long a failed group waits before the next attempt: doubling from `base_s`, at most `cap_s`."""
    return min(cap_s, base_s * 2.0 ** max(0, min(attempts, 30) - 1))


def failure_reason(exc: BaseException) -> str:
    """One line naming the error, without SQL or parameters (those go to the log)."""
    first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"[:1000]


def case_message(case: Any, leads: Sequence[Any], prior_uuid: str = "") -> sync_pb2.CrossRegionCase:
    """The downlink message of a case with its leads (ORM rows or anything with the same attributes);
    `prior_uuid`: the closed case it follows (前案), if any."""
    return sync_pb2.CrossRegionCase(
        case_uuid=case.uuid, right=case.right_number, right_title=case.right_title or "", type=case.type,
        lead_region=case.lead_region, regions=list(case.regions), formed_at=case.formed_at.isoformat(),
        seller_key=case.key.split("|", 1)[1], prior_case_uuid=prior_uuid,
        supervised=bool(case.supervised),  # newcomer18 N4: the region's report counts it (督办案件)
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


_LEAD_COLUMNS = (NationalLead.id, NationalLead.uuid, NationalLead.region, NationalLead.listing_id,
                 NationalLead.listing_title, NationalLead.listing_url, NationalLead.score, NationalLead.reasons,
                 NationalLead.right_number, NationalLead.right_title, NationalLead.type, NationalLead.seller_name,
                 NationalLead.seller_uscc, NationalLead.seller_phone, NationalLead.seller_address,
                 NationalLead.reason_codes, NationalLead.case_id)
_CASES = cast(sa.Table, CaseRow.__table__)
_LEADS = cast(sa.Table, NationalLead.__table__)
_DOWNLINK = cast(sa.Table, DownlinkRow.__table__)
_BODIES = cast(sa.Table, DownlinkBody.__table__)
# a case revision's message is stored once (downlink_bodies) and each region's downlink row names it; False: a copy
# on each row, as before (the feed reads both alike: what a region receives is the same bytes either way)
SHARED_BODIES = True
_AUDIT = cast(sa.Table, AuditEntry.__table__)
_CASE_COLUMNS = (CaseRow.id, CaseRow.uuid, CaseRow.key, CaseRow.right_number, CaseRow.right_title, CaseRow.type,
                 CaseRow.lead_region, CaseRow.regions, CaseRow.formed_at, CaseRow.entity_id, CaseRow.prior_case_id,
                 CaseRow.supervised)


@dataclass
class Plan:
    """What case formation will write: the cross-region groups (largest first) and the pairs to review."""

    drafts: list[CaseDraft]
    reviews: list[tuple[int, int, float]] = field(default_factory=list)
    touched: set[int] | None = None  # the cases that may need withdrawing (None: every active case)
    kept: set[int] = field(default_factory=set)  # cases that stand as they are (claimed, nothing to write)
    # lead id -> its case when the plan was read (incremental plans: every lead of the drafts), so that the writer
    # does not read it again; None: the writer reads it
    case_of: dict[int, int | None] | None = None


def plan_cases(session: Session, use_engine: bool = True) -> Plan:
    """Read the leads and merge decisions, resolve sellers, group leads: reads only (no write lock needed)."""
    rows = session.execute(sa.select(NationalLead.id, NationalLead.region, NationalLead.right_number,
                                     NationalLead.seller_uscc, NationalLead.seller_phone,
                                     NationalLead.seller_address, NationalLead.seller_name, NationalLead.case_id)
                           .order_by(NationalLead.id)).all()
    facts = [LeadFacts(id=r[0], region=r[1], right=r[2], uscc=r[3], phone=r[4], address=r[5], name=r[6])
             for r in rows]
    case_of = {r[0]: r[7] for r in rows}
    entity: dict[int, int] | None = None
    reviews: list[tuple[int, int, float]] = []
    if use_engine and facts:
        decisions = [(a, b, status == MergeStatus.MERGED) for a, b, status in session.execute(
            sa.select(MergeReview.lead_a, MergeReview.lead_b, MergeReview.status)
            .where(MergeReview.status != MergeStatus.PENDING))]
        entities = resolve_entities(facts, decisions)
        entity = entities.label
        known = {(a, b) for a, b in session.execute(sa.select(MergeReview.lead_a, MergeReview.lead_b))}
        by_id = {f.id: f for f in facts}
        reviews = [(a, b, p) for a, b, p in entities.review
                   if (a, b) not in known and by_id[a].right == by_id[b].right and by_id[a].region != by_id[b].region]
    drafts = sorted((d for d in group_leads(facts, entity) if d.cross_region), key=lambda d: (-len(d.lead_ids),
                                                                                              d.lead_ids[0]))
    closed = closed_cases(session, {c for c in case_of.values() if c is not None})
    return Plan(follow_ups(drafts, case_of, closed), reviews, kept=closed)


def closed_cases(session: Session, case_ids: set[int]) -> set[int]:
    """The closed cases among `case_ids`: they stand as they are (see `follow_up`)."""
    from national.lifecycle import CaseStatus

    return {r[0] for r in _in_rows(session, lambda ids: sa.select(CaseRow.id).where(
        CaseRow.id.in_(ids), CaseRow.status == CaseStatus.CLOSED), sorted(case_ids))}


def draft_groups(members: Sequence[LeadFacts], entity_id: int | None = None) -> list[CaseDraft]:
    """The cross-region case drafts of one seller's leads: one per right reported by two or more regions."""
    by_right: dict[str, list[LeadFacts]] = defaultdict(list)
    for lead in members:
        by_right[lead.right].append(lead)
    drafts = []
    for right, leads in sorted(by_right.items()):
        regions = tuple(sorted({m.region for m in leads}))
        if len(regions) < 2:
            continue
        keys = tuple(sorted({k for m in leads for k in seller_keys(m)})) or (f"entity:{entity_id}",)
        drafts.append(CaseDraft(right=right, lead_ids=tuple(sorted(m.id for m in leads)), regions=regions,
                                seller_keys=keys, lead_region=choose_lead_region(regions, leads),
                                entity_id=entity_id))
    return drafts


def plan_for_entities(session: Session, entity_ids: set[int]) -> Plan:
    """Drafts for the cases of the given seller entities only (incremental case formation).

    `touched` are the cases their leads are in now: those no draft claims any more are withdrawn.
    """
    from national.entities import lead_groups_of, sellers_of

    rows = lead_groups_of(session, entity_ids)  # (id, region, right, case id, entity id)
    groups: dict[tuple[int, str], list[tuple[int, str, str, int | None, int]]] = defaultdict(list)
    for r in rows:
        groups[(r[4], r[2])].append(r)
    touched = {r[3] for r in rows if r[3] is not None}
    # a group whose leads are all, and alone, in a case of its seller already stands as it is: the writer
    # would find nothing to change, so it is neither drafted (lead region, keys) nor read again in full
    cross = {key: leads for key, leads in groups.items() if len({m[1] for m in leads}) >= 2}
    single: dict[tuple[int, str], int] = {}
    for key, leads in cross.items():
        cases = {m[3] for m in leads}
        if len(cases) == 1 and (cid := next(iter(cases))) is not None:
            single[key] = cid
    stands = _cases_standing(session, set(single.values()))
    failing = set(session.scalars(sa.select(CaseFailure.subject).where(CaseFailure.resolved_at.is_(None))))
    kept: set[int] = set()
    changed = []
    for (eid, right), leads in sorted(cross.items()):
        cid = single.get((eid, right))
        if cid is not None and stands.get(cid) == (eid, len(leads), frozenset(m[1] for m in leads)) \
                and failure_subject(right, [m[0] for m in leads]) not in failing:
            kept.add(cid)
            continue
        changed.append((eid, leads))
    seller = sellers_of(session, [m[0] for _eid, leads in changed for m in leads])
    drafts = [d for eid, leads in changed for d in draft_groups(
        [LeadFacts(m[0], m[1], m[2], *seller[m[0]]) for m in leads], eid)]
    drafts.sort(key=lambda d: (-len(d.lead_ids), d.lead_ids[0]))
    closed = closed_cases(session, touched - kept)  # closed cases stand, and new leads of theirs follow them
    if closed:
        drafts = follow_ups(drafts, {r[0]: r[3] for r in rows}, closed)
    return Plan(drafts, [], touched, kept | closed, {r[0]: r[3] for _eid, leads in changed for r in leads})


def _cases_standing(session: Session, case_ids: set[int]) -> dict[int, tuple[int | None, int, frozenset[str]]]:
    """Per case: its seller entity, how many leads it holds and its regions."""
    from national.entities import _Sql

    sql = _Sql(session)
    held = dict(sql.rows_in("SELECT case_id, count(*) FROM leads WHERE {in} GROUP BY case_id", "case_id", case_ids))
    out: dict[int, tuple[int | None, int, frozenset[str]]] = {}
    for cid, eid, regions in sql.rows_in("SELECT id, entity_id, regions FROM cases WHERE {in}", "id", case_ids):
        listed = json.loads(regions) if isinstance(regions, str) else regions
        out[cid] = (eid, int(held.get(cid, 0)), frozenset(listed or ()))
    return out


def apply_plan(session: Session, plan: Plan, now: dt.datetime, supervision_days: float = 60.0,
               chunk: int = 256) -> FormResult:
    """Write a plan: queue its reviews, then form or update its cases, isolating any case that fails.

    Cases are written in chunks, each in its own savepoint; a chunk that fails is split in halves
    and retried until the failing case stands alone. That case is recorded in `case_failures`
    (reason, attempts) and skipped — its existing case is left as it was — while every other case
    is written. Cases no group claims any more are withdrawn (a merge was reversed).
    """
    result = FormResult()
    if plan.reviews:
        stmt = _insert(session, MergeReview).on_conflict_do_nothing(index_elements=["lead_a", "lead_b"])
        session.execute(stmt, [{"lead_a": a, "lead_b": b, "probability": round(p, 4), "status": MergeStatus.PENDING,
                                "created_at": now} for a, b, p in plan.reviews])
        result.reviews_queued += len(plan.reviews)
    claimed: set[int] = set(plan.kept)
    failing = set(session.scalars(sa.select(CaseFailure.subject).where(CaseFailure.resolved_at.is_(None))))
    writer = _GroupWriter(session, now, supervision_days, plan.case_of)
    pending = [plan.drafts[k:k + chunk] for k in range(0, len(plan.drafts), chunk)]
    while pending:
        part = pending.pop(0)
        try:
            with session.begin_nested():
                done = writer.write(part, claimed)
        except Exception as exc:  # noqa: BLE001 - one bad case must not stop the others
            if len(part) > 1:
                half = len(part) // 2
                pending[:0] = [part[:half], part[half:]]
                continue
            draft = part[0]
            # keep whatever case these leads had: a failed update is not a reason to withdraw it
            claimed.update(session.scalars(sa.select(NationalLead.case_id).where(
                NationalLead.id.in_(draft.lead_ids), NationalLead.case_id.is_not(None))))
            record_failure(session, draft.right, draft.lead_ids, draft.regions, exc, now, result)
            continue
        done.merge_into(result, claimed)
        for draft in part:
            if (subject := failure_subject(draft.right, draft.lead_ids)) in failing:
                resolve_failure(session, subject, now)
    _withdraw_unclaimed(session, claimed, now, result, plan.touched)
    if WHOLE_RUN in failing:
        resolve_failure(session, WHOLE_RUN, now)
    return result


def form_cases_full(session: Session, now: dt.datetime, supervision_days: float = 60.0,
                    use_engine: bool = True) -> FormResult:
    """The full re-resolve: every lead's seller resolved again, every case re-planned (the bench baseline).

    Low-confidence seller matches go to the merge-review queue instead of into a case. See `apply_plan`.
    """
    return apply_plan(session, plan_cases(session, use_engine), now, supervision_days)


# SQLite page cache of the connection that forms cases (per connection; kept while the pool keeps it). A cycle touches
# index pages of tables that grow with the node (seller_keys, leads, downlink, seller_records), several times each:
# counted, then read, then inserted into. SQLite's default cache (2 MB) holds almost none of them at 10^5-10^6 leads,
# so every touch read the page again and the cycle's SQL cost grew with the table. A cache of CYCLE_CACHE_KIB
# (allocated as pages are touched) keeps what a cycle touched for its later statements and for the next cycle (the
# worker keeps its connection). No memory map: a file truncated or failing under a map is a SIGBUS, not an error.
# None: SQLite's default.
CYCLE_CACHE_KIB: int | None = 256 * 1024


def tune_connection(session: Session) -> None:
    """Give the session's SQLite connection the page cache of a case-formation cycle (see CYCLE_CACHE_KIB); nothing
    on PostgreSQL (its shared buffers are the server's). Idempotent, cheap, allowed inside the cycle's transaction."""
    if session.get_bind().dialect.name != "sqlite" or CYCLE_CACHE_KIB is None:
        return
    session.connection().exec_driver_sql(f"PRAGMA cache_size = -{int(CYCLE_CACHE_KIB)}")


def form_cases(session: Session, now: dt.datetime, supervision_days: float = 60.0, limit: int = 50_000) -> FormResult:
    """Incremental case formation: resolve the sellers of new leads (up to `limit`) against their blocks,
    apply officers' merge decisions, and re-form the cases of the entities that changed only.

    The first run over a table that already holds leads (or after `entities.ER_VERSION` changes)
    rebuilds the stored state in bulk and re-forms every case.
    """
    from national import entities

    tune_connection(session)
    full = entities.needs_rebuild(session)
    step = entities.rebuild(session, now) if full else entities.resolve_new(session, now, limit)
    seconds = dict(step.seconds)
    watch = entities.Stopwatch(seconds)
    decided = entities.apply_decisions(session, now)
    affected = step.affected | decided.affected | _retry_entities(session, now)
    watch.lap("decisions")
    plan = plan_for_entities(session, affected)
    plan.reviews = step.reviews
    if full:
        plan.touched = None
    watch.lap("plan_cases")
    result = apply_plan(session, plan, now, supervision_days)
    watch.lap("write_cases")
    result.leads_resolved = step.leads
    result.pairs_scored = step.pairs
    result.entities_affected = len(affected)
    result.merges = step.merges + decided.merges
    result.splits = decided.splits
    result.seconds = seconds
    from national import feed

    # observers (the demo, operators) read how far case formation has got from this one key
    feed.set_state(session, feed.CASES_FORMED_THROUGH, feed.get_state(session, entities.CURSOR_KEY))
    return result


def _retry_entities(session: Session, now: dt.datetime) -> set[int]:
    """The entities of failed groups whose backoff has passed (their cases are tried again)."""
    from national.models import SellerRecord

    leads: set[int] = set()
    for attempts, last, lead_ids in session.execute(sa.select(CaseFailure.attempts, CaseFailure.last_at,
                                                              CaseFailure.lead_ids)
                                                    .where(CaseFailure.resolved_at.is_(None))):
        last = last if last.tzinfo else last.replace(tzinfo=dt.UTC)
        if (now - last).total_seconds() >= retry_delay_s(attempts):
            leads.update(int(x) for x in lead_ids or [])
    if not leads:
        return set()
    return {e for (e,) in _in_rows(session, lambda ids: sa.select(SellerRecord.entity_id)
                                   .where(SellerRecord.lead_id.in_(ids)), sorted(leads))}


def _insert(session: Session, table: type):  # type: ignore[no-untyped-def]
    from sqlalchemy.dialects import postgresql, sqlite

    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name](table)


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [values[k:k + size] for k in range(0, len(values), size)]


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """`conn.execute(table.insert(), rows)` in one DB-API executemany of plain tuples: each value goes through its
    column type's bind processor, as SQLAlchemy sends it, without building parameters row by row. Rows must name
    the same columns in the same order; a table with Python-side defaults for columns the rows leave out, or
    ragged rows, go through SQLAlchemy."""
    if not rows:
        return
    names = list(rows[0])
    if any(c.name not in names and c.default is not None for c in table.columns) \
            or any(len(r) != len(names) or list(r) != names for r in rows):
        conn.execute(table.insert(), list(rows))
        return
    dialect = conn.dialect
    procs = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    active = [(k, p) for k, p in enumerate(procs) if p is not None]
    # a value that is the very object of the row before in its column (the cycle's `now` on every downlink and audit
    # row) is processed once: bind processors are functions of the value, and no row changes while this runs
    last: list[Any] = [_NOTHING] * len(names)
    done: list[Any] = [None] * len(names)
    params = []
    for r in rows:
        values = list(r.values())
        for k, p in active:
            v = values[k]
            if v is not last[k]:
                last[k], done[k] = v, p(v)
            values[k] = done[k]
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


_NOTHING = object()


_LEAD_TABLE_COLUMNS = tuple(_LEADS.c[c.key] for c in _LEAD_COLUMNS)
_CASE_TABLE_COLUMNS = tuple(_CASES.c[c.key] for c in _CASE_COLUMNS)


@functools.cache
def _row_type(names: tuple[str, ...]) -> Any:
    from collections import namedtuple

    return namedtuple("Row", names)  # noqa: PYI024 - built from column keys at run time


@dataclass
class _Written:
    """What one chunk wrote; merged into the run's result only once its savepoint is released."""

    created: int = 0
    updated: int = 0
    downlink: int = 0
    uuids: list[str] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)

    def merge_into(self, result: FormResult, claimed: set[int]) -> None:
        result.cases_created += self.created
        result.cases_updated += self.updated
        result.downlink_items += self.downlink
        result.case_uuids.extend(self.uuids)
        claimed.update(self.claimed)


class _GroupWriter:
    """Creates or updates the cases of a chunk of groups with a handful of bulk statements."""

    def __init__(self, session: Session, now: dt.datetime, supervision_days: float,
                 case_of: dict[int, int | None] | None = None) -> None:
        self.session = session
        self.now = now
        self.supervision_days = supervision_days
        # the planner's lead -> case map, read before any chunk was written. An earlier chunk changes the case of
        # its own leads and of the leads leaving its case; those cases it claimed, so a later chunk, which never
        # continues a claimed case, chooses as it would from the leads' current cases.
        self.case_of = case_of

    def _select(self, stmt_of: Any, ids: Sequence[Any]) -> list[Any]:
        rows: list[Any] = []
        for part in _chunks(list(ids)):
            rows.extend(self.session.execute(stmt_of(part)).all())
        return rows

    def _by_ids(self, columns: Sequence[Any], where: Any, ids: Sequence[int]) -> list[Any]:
        """`select(*columns).where(where.in_(ids))`; on SQLite in one statement whatever the number of ids (a JSON
        array), each value through its column type's result processor as SQLAlchemy returns it, rows as named
        tuples with the columns' keys (no per-row SQLAlchemy overhead)."""
        from national.entities import _Sql

        if not ids:
            return []
        dialect = self.session.get_bind().dialect
        if dialect.name != "sqlite":  # result processors there depend on the driver's type codes: SQLAlchemy's way
            return self._select(lambda part: sa.select(*columns).where(where.in_(part)), ids)
        row_type = _row_type(tuple(c.key for c in columns))
        procs = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        table = columns[0].table.name
        raw = _Sql(self.session).rows_in(f"SELECT {', '.join(c.name for c in columns)} FROM {table} WHERE {{in}}",
                                         where.name, ids)
        active = [(k, p) for k, p in enumerate(procs) if p is not None]
        if not active:
            return [row_type(*r) for r in raw]
        out = []
        for r in raw:  # only the columns with a result processor are touched
            values = list(r)
            for k, p in active:
                values[k] = p(values[k])
            out.append(row_type(*values))
        return out

    def write(self, drafts: Sequence[CaseDraft], claimed: set[int]) -> _Written:
        """Write the cases of `drafts` (the caller holds a savepoint); `claimed`: cases other groups took."""
        from national.lifecycle import CaseStatus

        s, now, out = self.session, self.now, _Written()
        lead_ids = [i for d in drafts for i in d.lead_ids]
        # which case each lead is in: enough to tell the groups whose case stands as it is (most of them),
        # whose leads are then never read in full
        known = self.case_of
        if known is not None and all(i in known for i in lead_ids):
            case_of: dict[int, int | None] = {i: known[i] for i in lead_ids}
        else:
            case_of = dict(self._by_ids((_LEADS.c.id, _LEADS.c.case_id), _LEADS.c.id, lead_ids))
        if len(case_of) != len(set(lead_ids)):
            raise LookupError(f"{len(set(lead_ids)) - len(case_of)} leads of the groups are gone")
        taken = set(claimed)
        choice: list[int | None] = []
        for d in drafts:  # the case each group continues: the one most of its leads are in, not yet taken
            votes: dict[int, int] = defaultdict(int)
            for i in d.lead_ids:
                cid = case_of[i]
                if cid is not None and cid not in taken:
                    votes[cid] += 1
            cid = min(votes, key=lambda c: (-votes[c], c)) if votes else None
            if cid is not None:
                taken.add(cid)
            choice.append(cid)
        existing = {r.id: r for r in self._by_ids(_CASE_TABLE_COLUMNS, _CASES.c.id,
                                                  [c for c in choice if c is not None])}
        current: dict[int, set[int]] = defaultdict(set)
        for lead_id, cid in self._by_ids((_LEADS.c.id, _LEADS.c.case_id), _LEADS.c.case_id, list(existing)):
            current[cid].add(lead_id)
        changed: list[tuple[CaseDraft, int | None]] = []
        for d, cid in zip(drafts, choice, strict=True):
            if cid is not None:
                out.claimed.add(cid)
                row = existing[cid]
                if set(row.regions) == set(d.regions) and current[cid] == set(d.lead_ids) \
                        and (d.entity_id is None or row.entity_id == d.entity_id):
                    continue  # the case stands as it is: nothing to write, nothing to tell the regions
            changed.append((d, cid))
        members = {r.id: r for r in self._by_ids(_LEAD_TABLE_COLUMNS, _LEADS.c.id,
                                                 [i for d, _cid in changed for i in d.lead_ids])}
        revisions = dict(self._select(lambda uuids: sa.select(DownlinkRow.uuid, sa.func.max(DownlinkRow.revision))
                                      .where(DownlinkRow.uuid.in_(uuids)).group_by(DownlinkRow.uuid),
                                      [existing[cid].uuid for _d, cid in changed if cid is not None]))
        new_cases: list[dict[str, Any]] = []
        new_drafts: list[CaseDraft] = []
        case_updates: list[dict[str, Any]] = []
        writes: list[tuple[CaseDraft, Any, int]] = []  # (draft, case view, revision)
        leaving: list[int] = []
        moved: dict[int, str] = {}  # case id -> its host region before, when the host had to move
        gone: dict[int, list[str]] = {}  # case id -> the regions no longer concerned (their leads left it)
        back: dict[int, list[str]] = {}  # case id -> regions joining it again after they left (their copy withdrawn)
        # the regions each joined case told "you left" before (the rows `regions_left_notices` sent them): one read
        # for the chunk, not one statement per case gaining a region
        told_left: dict[str, set[str]] = defaultdict(set)
        for case_uuid, region in self._select(
                lambda uuids: sa.select(DownlinkRow.uuid, DownlinkRow.region).where(
                    DownlinkRow.uuid.in_(uuids), DownlinkRow.kind == "case_update", DownlinkRow.body_shared.is_(False)),
                sorted({existing[cid].uuid for d, cid in changed
                        if cid is not None and set(d.regions) - set(existing[cid].regions)})):
            told_left[case_uuid].add(region)
        for d, cid in changed:
            if cid is None:
                new_cases.append({
                    "uuid": str(uuid.uuid4()), "key": case_key(d.right, d.seller_keys), "right_number": d.right,
                    "right_title": members[d.lead_ids[0]].right_title, "type": members[d.lead_ids[0]].type,
                    "lead_region": d.lead_region, "regions": list(d.regions), "cross_region": True,
                    "status": CaseStatus.FORMED, "supervised": True, "entity_id": d.entity_id,
                    "prior_case_id": d.prior_case_id,
                    "deadline": now + dt.timedelta(days=self.supervision_days), "formed_at": now, "updated_at": now})
                new_drafts.append(d)
                continue
            row = existing[cid]
            leaving.extend(current[cid] - set(d.lead_ids))  # a merge was reversed: these leads leave the case
            host = stable_lead_region(row.lead_region, d.regions, d.lead_region)  # issued: the host stays
            case_updates.append({"b_id": cid, "regions": list(d.regions), "lead_region": host,
                                 "entity_id": d.entity_id if d.entity_id is not None else row.entity_id,
                                 "updated_at": now})
            view = SimpleNamespace(**{**row._asdict(), "regions": list(d.regions), "lead_region": host})
            if host != row.lead_region:
                moved[row.id] = row.lead_region
            if left := sorted(set(row.regions) - set(d.regions)):
                gone[row.id] = left
            if joined := set(d.regions) - set(row.regions):
                if withdrawn_at := told_left.get(row.uuid, set()) & joined:
                    back[row.id] = sorted(withdrawn_at)
            writes.append((d, view, 1 + (revisions.get(row.uuid) or 0)))
        if new_cases and s.get_bind().dialect.name == "sqlite":
            # one executemany, then the ids by uuid: SQLite cannot return an executemany's ids in parameter order,
            # so `insert().returning(sort_by_parameter_order=True)` ran one INSERT per case (~1,300 a 10k cycle,
            # each through SQLAlchemy's parameter and result machinery)
            from national.entities import _Sql

            insert_rows(s.connection(), _CASES, new_cases)
            by_uuid = dict(_Sql(s).rows("SELECT uuid, id FROM cases WHERE uuid IN (SELECT value FROM json_each(?))",
                                        [json.dumps([c["uuid"] for c in new_cases])]))
            ids = [by_uuid[c["uuid"]] for c in new_cases]
        elif new_cases:
            ids = list(s.connection().execute(
                _CASES.insert().returning(_CASES.c.id, sort_by_parameter_order=True), new_cases).scalars().all())
        else:
            ids = []
        if new_cases:
            for d, values, cid in zip(new_drafts, new_cases, ids, strict=True):
                out.claimed.add(cid)
                writes.append((d, SimpleNamespace(id=cid, **values), 1))
        if case_updates:
            t = _CASES
            s.connection().execute(t.update().where(t.c.id == sa.bindparam("b_id")).values(
                regions=sa.bindparam("regions"), lead_region=sa.bindparam("lead_region"),
                entity_id=sa.bindparam("entity_id"), updated_at=sa.bindparam("updated_at")), case_updates)
        lt = _LEADS
        for part in _chunks(leaving):
            s.connection().execute(lt.update().where(lt.c.id.in_(part)).values(case_id=None))
        joining = [{"b_id": i, "case_id": view.id} for d, view, _rev in writes for i in d.lead_ids
                   if members[i].case_id != view.id]
        if joining and s.get_bind().dialect.name == "sqlite":
            # one statement for every lead joining a case, not one per lead: inside the chunk's savepoint each
            # statement of an executemany opens and ends its own statement journal (with an in-memory journal,
            # temp_store=MEMORY, each end walks the whole journal: 0.88 CPU s for ~10k leads at 1M stored; with the
            # default journal files 0.13). One UPDATE … FROM json_each is one statement journal (issue 12, session 18).
            s.connection().exec_driver_sql(
                "UPDATE leads SET case_id = v.case_id FROM (SELECT value ->> 0 AS id, value ->> 1 AS case_id "
                "FROM json_each(?)) AS v WHERE leads.id = v.id",
                (json.dumps([[j["b_id"], j["case_id"]] for j in joining]),))
        elif joining:
            s.connection().execute(lt.update().where(lt.c.id == sa.bindparam("b_id"))
                                   .values(case_id=sa.bindparam("case_id")), joining)
        downlink: list[dict[str, Any]] = []
        audit: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        priors = {p for _d, view, _rev in writes if (p := view.prior_case_id) is not None}
        prior_uuid: dict[int, str] = dict(self._by_ids((_CASES.c.id, _CASES.c.uuid), _CASES.c.id, sorted(priors)))
        bodies: list[dict[str, Any]] = []

        def queue(view: Any, revision: int, kind: str, body: bytes) -> None:
            """The item for every region of the case; its body stored once (SHARED_BODIES) or on each row."""
            if SHARED_BODIES:
                bodies.append({"uuid": view.uuid, "revision": revision, "body": body})
                body = b""
            downlink.extend({"region": region, "uuid": view.uuid, "revision": revision, "kind": kind, "body": body,
                             "created_at": now, "body_shared": SHARED_BODIES} for region in view.regions)

        for d, view, revision in writes:
            prior = prior_uuid.get(view.prior_case_id, "") if view.prior_case_id is not None else ""
            queue(view, revision, "cross_region_case",
                  case_message(view, [members[i] for i in d.lead_ids], prior).SerializeToString(deterministic=True))
            detail = {"case": view.uuid, "right": view.right_number, "regions": list(view.regions),
                      "leads": len(d.lead_ids), "lead_region": view.lead_region}
            if prior and revision == 1:  # a new case after a closed one: every node's history says so
                notice, event = follow_up_notice(view.uuid, prior, now)
                queue(view, 2, "case_update", notice)
                events.append({"case_id": view.id, **event})
                detail["prior_case"] = prior
            if view.id in moved:  # the host had to move: every node's history says so, every region is told
                status = CaseStatus(s.scalar(sa.select(_CASES.c.status).where(_CASES.c.id == view.id))
                                    or CaseStatus.FORMED).value
                notice, event = host_change_notice(view.uuid, moved[view.id], view.lead_region, status,
                                                   revision + 1, now)
                queue(view, revision + 1, "case_update", notice)
                events.append({"case_id": view.id, **event})
                detail["lead_region_before"] = moved[view.id]
            if view.id in gone:  # regions left the case: every node's history says so, their copies are withdrawn
                status = CaseStatus(s.scalar(sa.select(_CASES.c.status).where(_CASES.c.id == view.id))
                                    or CaseStatus.FORMED).value
                at = revision + 1 + (view.id in moved)
                told, withdrawn, event = regions_left_notices(view.uuid, gone[view.id], status, at, now)
                queue(view, at, "case_update", told)
                # each departed region its own row (body on the row: its status differs from the shared body's)
                downlink.extend({"region": region, "uuid": view.uuid, "revision": at + 1, "kind": "case_update",
                                 "body": withdrawn, "created_at": now, "body_shared": False}
                                for region in gone[view.id])
                out.downlink += len(gone[view.id])
                events.append({"case_id": view.id, **event})
                detail["regions_left"] = gone[view.id]
            if view.id in back:  # regions that left and are concerned again: their copy stands again
                status = CaseStatus(s.scalar(sa.select(_CASES.c.status).where(_CASES.c.id == view.id))
                                    or CaseStatus.FORMED).value
                at = revision + 1 + (view.id in moved) + 2 * (view.id in gone)
                step = {"region": "000000", "feedback": "note", "note": "", "outcome": regions_back_outcome(back[view.id]),
                        "at": now.isoformat()}
                body = sync_pb2.CaseUpdate(case_uuid=view.uuid, status=status,
                                           body_json=json.dumps(step, ensure_ascii=False)).SerializeToString(
                                               deterministic=True)
                queue(view, at, "case_update", body)
                events.append({"case_id": view.id, "record_uuid": str(uuid.uuid5(
                    uuid.NAMESPACE_URL, f"hufu:back:{view.uuid}:{at}")), "region": "000000", "feedback": "note",
                    "note": "", "officer": None, "accepted": True, "outcome": step["outcome"], "status_after": status,
                    "at": now})
                detail["regions_back"] = back[view.id]
            audit.append({"at": now, "actor": "worker", "action": "case_formed" if revision == 1 else "case_updated",
                          "detail": detail})
            out.uuids.append(view.uuid)
            out.downlink += len(view.regions)
            if revision == 1:
                out.created += 1
            else:
                out.updated += 1
        if downlink:
            from national.feed import order_downlink

            order_downlink(s)  # the last lock this savepoint takes: only inserts follow
        insert_rows(s.connection(), _BODIES, bodies)
        insert_rows(s.connection(), _DOWNLINK, downlink)
        insert_rows(s.connection(), _AUDIT, audit)
        insert_rows(s.connection(), cast(sa.Table, CaseEvent.__table__), events)
        return out


def record_failure(session: Session, right: str, lead_ids: Sequence[int], regions: Sequence[str],
                   exc: BaseException, now: dt.datetime, result: FormResult | None = None) -> None:
    """Keep a group whose case could not be formed (one row per subject; attempts counted), in its own savepoint."""
    subject = WHOLE_RUN if right == "*" else failure_subject(right, lead_ids)
    reason = failure_reason(exc)
    log.warning("case for %s (%d leads in %s) not formed, skipped: %s", subject, len(lead_ids),
                ",".join(regions), reason, exc_info=exc)
    if result is not None:
        result.failures += 1
        result.failure_subjects.append(subject)
    try:
        with session.begin_nested():
            row = session.scalar(sa.select(CaseFailure).where(CaseFailure.subject == subject))
            if row is None:
                session.add(CaseFailure(subject=subject, right_number=right[:64], lead_ids=sorted(lead_ids)[:50],
                                        leads=len(lead_ids), regions=sorted(regions), reason=reason, attempts=1,
                                        first_at=now, last_at=now))
            else:
                row.attempts += 1
                row.reason, row.last_at, row.resolved_at = reason, now, None
                row.lead_ids, row.leads, row.regions = sorted(lead_ids)[:50], len(lead_ids), sorted(regions)
            session.add(AuditEntry(at=now, actor="worker", action="case_failed",
                                   detail={"subject": subject, "leads": len(lead_ids), "reason": reason}))
    except Exception:  # noqa: BLE001 - the record of a failure must not become one
        log.exception("could not record the failure of %s", subject)


def resolve_failure(session: Session, subject: str, now: dt.datetime) -> None:
    """Mark a recorded failure resolved (its case formed)."""
    session.execute(sa.update(CaseFailure).where(CaseFailure.subject == subject, CaseFailure.resolved_at.is_(None))
                    .values(resolved_at=now).execution_options(synchronize_session=False))


def failures_due(session: Session, now: dt.datetime) -> bool:
    """Is an open failure due for another attempt (backoff by its attempts)?"""
    for attempts, last in session.execute(sa.select(CaseFailure.attempts, CaseFailure.last_at)
                                          .where(CaseFailure.resolved_at.is_(None))):
        last = last if last.tzinfo else last.replace(tzinfo=dt.UTC)
        if (now - last).total_seconds() >= retry_delay_s(attempts):
            return True
    return False


def backing_off(session: Session, subject: str, now: dt.datetime) -> bool:
    """Is `subject` an open failure still waiting out its backoff?"""
    row = session.execute(sa.select(CaseFailure.attempts, CaseFailure.last_at)
                          .where(CaseFailure.subject == subject, CaseFailure.resolved_at.is_(None))).first()
    if row is None:
        return False
    last = row[1] if row[1].tzinfo else row[1].replace(tzinfo=dt.UTC)
    return (now - last).total_seconds() < retry_delay_s(row[0])


def open_failures(session: Session, limit: int = 50) -> list[CaseFailure]:
    """Unresolved case failures, most recent first (the overview lists them)."""
    return list(session.scalars(sa.select(CaseFailure).where(CaseFailure.resolved_at.is_(None))
                                .order_by(CaseFailure.last_at.desc()).limit(limit)))


def failure_counts(session: Session) -> tuple[int, int]:
    """(open failures, failed attempts ever) for /metrics."""
    open_n = session.scalar(sa.select(sa.func.count()).select_from(CaseFailure)
                            .where(CaseFailure.resolved_at.is_(None))) or 0
    attempts = session.scalar(sa.select(sa.func.coalesce(sa.func.sum(CaseFailure.attempts), 0))) or 0
    return int(open_n), int(attempts)


def case_gauges(db: Any) -> list[Any]:
    """The case-formation gauges of /metrics (failures open and failed attempts ever)."""
    from sync.metrics import Gauge

    with db.read() as session:
        open_n, attempts = failure_counts(session)
    return [Gauge("hufu_case_failures", "Groups of leads whose case could not be formed (skipped, retried)", (),
                  [((), float(open_n))]),
            Gauge("hufu_case_failed_attempts_total", "Failed case-formation attempts ever", (),
                  [((), float(attempts))])]


def _withdraw_unclaimed(session: Session, claimed: set[int], now: dt.datetime, result: FormResult,
                        touched: set[int] | None = None) -> None:
    """Cases no cross-region group claims any more are withdrawn and the regions told.

    `touched`: only these cases are considered (incremental formation); None: every active case.
    """
    from national.lifecycle import CaseStatus

    stmt = sa.select(CaseRow.id).where(CaseRow.cross_region, CaseRow.status != CaseStatus.WITHDRAWN)
    if touched is not None:
        active = {r[0] for r in _in_rows(session, lambda ids: stmt.where(CaseRow.id.in_(ids)), sorted(touched))}
    else:
        active = set(session.scalars(stmt))
    for case_id in sorted(active - claimed):
        case = session.get(CaseRow, case_id)
        if case is None:
            continue
        leads = list(session.scalars(sa.select(NationalLead.id).where(NationalLead.case_id == case.id)))
        try:
            with session.begin_nested():
                _withdraw(session, case, now, result)
        except Exception as exc:  # noqa: BLE001 - one bad case must not stop the others
            record_failure(session, case.right_number, leads or [0], list(case.regions), exc, now, result)


def _in_rows(session: Session, stmt_of: Any, values: Sequence[Any], size: int = 2000) -> list[Any]:
    rows: list[Any] = []
    for k in range(0, len(values), size):
        rows.extend(session.execute(stmt_of(list(values[k:k + size]))).all())
    return rows


def _withdraw(session: Session, case: CaseRow, now: dt.datetime, result: FormResult) -> None:
    """Withdraw a case no group claims any more: its leads leave it, every region concerned is told, and the
    national history (case_events, as the regions' histories) and the audit log say why and which leads it had."""
    from national.lifecycle import CaseStatus, Feedback

    had = list(session.scalars(sa.select(NationalLead.uuid).where(NationalLead.case_id == case.id)
                               .order_by(NationalLead.id)))
    remaining = session.execute(sa.update(_LEADS).where(_LEADS.c.case_id == case.id).values(case_id=None)
                                .execution_options(synchronize_session=False))
    merged = not (remaining.rowcount or 0)  # type: ignore[attr-defined]
    before = CaseStatus(case.status).value
    case.status = CaseStatus.WITHDRAWN
    case.updated_at = now
    from national.feed import order_downlink

    order_downlink(session)
    revision = 1 + (session.scalar(sa.select(sa.func.max(DownlinkRow.revision))
                                   .where(DownlinkRow.uuid == case.uuid)) or 0)
    if merged:  # every lead went to another case: two sellers turned out to be one
        note, outcome = "merged: its leads now belong to another case of the same seller", WITHDRAWN_MERGED_OUTCOME
    else:
        note, outcome = "sellers are not one entity (merge reversed by a national officer)", WITHDRAWN_REVERSED_OUTCOME
    body = sync_pb2.CaseUpdate(case_uuid=case.uuid, status=CaseStatus.WITHDRAWN.value, note=note,
                               body_json=json.dumps({"region": "000000", "feedback": Feedback.NOTE.value, "note": "",
                                                     "outcome": outcome, "at": now.isoformat()},
                                                    ensure_ascii=False))
    for region in case.regions:
        session.add(DownlinkRow(region=region, uuid=case.uuid, revision=revision, kind="case_update",
                                body=body.SerializeToString(deterministic=True), created_at=now))
    session.add(CaseEvent(case_id=case.id, record_uuid=str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                                       f"hufu:withdrawn:{case.uuid}:{revision}")),
                          region="000000", feedback=Feedback.NOTE.value, note="", officer=None, accepted=True,
                          outcome=outcome, status_after=CaseStatus.WITHDRAWN.value, at=now))
    session.add(AuditEntry(at=now, actor="worker", action="case_withdrawn",
                           detail={"case": case.uuid, "merged": merged, "status_before": before, "leads": had}))
    session.flush()
    result.downlink_items += len(case.regions)
    result.cases_updated += 1
