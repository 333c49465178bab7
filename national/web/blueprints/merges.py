"""The merge-review queue: uncertain seller matches across regions, decided by a national officer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WResponse

from national.dedup.explain import Field, Verdict, compare_sellers
from national.models import MergeReview, MergeStatus, NationalLead, SellerRecord
from regional.actors import REVIEWERS
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg
from regional.web.labels import label

bp = Blueprint("merges", __name__)
NAV = [NavItem("merges.merges", _l("Merge review"))]
MERGE_PAGE = 300  # pairs a page

# what two records share or contradict, field by field (national/dedup/explain.py), as the officer reads it
CHECK_WORDS = {
    (Field.USCC, Verdict.SAME): _l("same credit code"), (Field.USCC, Verdict.DIFFERENT): _l("different credit codes"),
    (Field.PHONE, Verdict.SAME): _l("same phone"), (Field.PHONE, Verdict.DIFFERENT): _l("different phones"),
    (Field.SHOP, Verdict.SAME): _l("same shop"), (Field.SHOP, Verdict.DIFFERENT): _l("different shops"),
    (Field.NAME, Verdict.SAME): _l("same trade name"), (Field.NAME, Verdict.DIFFERENT): _l("different trade names"),
    (Field.PLACE, Verdict.SAME): _l("places agree"), (Field.PLACE, Verdict.DIFFERENT): _l("different places"),
    (Field.FORM, Verdict.SAME): _l("same legal form"),
    (Field.FORM, Verdict.DIFFERENT): _l("company and individual business"),
    (Field.ADDRESS, Verdict.SAME): _l("same address"), (Field.ADDRESS, Verdict.DIFFERENT): _l("different addresses"),
}


def _seller(lead: NationalLead) -> dict[str, str | None]:
    return {"name": lead.seller_name, "uscc": lead.seller_uscc, "phone": lead.seller_phone,
            "address": lead.seller_address, "shop_url": lead.seller_shop_url}


@bp.get("/merges")
def merges() -> str:
    """The merge-review queue: low-confidence seller matches across regions, side by side."""
    page = page_arg()
    with db().read() as session:
        # paged, open pairs first (was the first 300 and nothing after them reachable: newcomer22 D6)
        rows = list(session.scalars(sa.select(MergeReview).order_by(
            (MergeReview.status != MergeStatus.PENDING), MergeReview.probability.desc(), MergeReview.id)
            .limit(MERGE_PAGE).offset((page - 1) * MERGE_PAGE)))
        total = session.scalar(sa.select(sa.func.count()).select_from(MergeReview)) or 0
        pending = session.scalar(sa.select(sa.func.count()).select_from(MergeReview)
                                 .where(MergeReview.status == MergeStatus.PENDING)) or 0
        ids = {i for r in rows for i in (r.lead_a, r.lead_b)}
        pending_ids = {i for r in rows if r.status == MergeStatus.PENDING for i in (r.lead_a, r.lead_b)}
        # the confirmed pairs that share a record with a pending one (its alternatives: newcomer16 N6)
        confirmed = list(session.scalars(sa.select(MergeReview).where(
            MergeReview.status == MergeStatus.MERGED,
            sa.or_(MergeReview.lead_a.in_(pending_ids), MergeReview.lead_b.in_(pending_ids))))) if pending_ids else []
        ids |= {i for r in confirmed for i in (r.lead_a, r.lead_b)}
        leads = {lead.id: lead for lead in session.scalars(sa.select(NationalLead).where(NationalLead.id.in_(ids)))}
        entity = {lead: e for lead, e in session.execute(sa.select(SellerRecord.lead_id, SellerRecord.entity_id)
                                                         .where(SellerRecord.lead_id.in_(ids)))} if ids else {}
    checks = {r.id: [(c.verdict.value, CHECK_WORDS[c.field, c.verdict])
                     for c in compare_sellers(_seller(leads[r.lead_a]), _seller(leads[r.lead_b]))] for r in rows}
    sellers = {i: {**_seller(lead), "entity": str(entity[i]) if i in entity else None} for i, lead in leads.items()}
    settled = settled_by_sibling([_pair(r) for r in rows], [_pair(r) for r in confirmed], sellers)
    # a pair a sibling's confirmation settled waits for nobody: after the open ones, before the decided ones
    rows.sort(key=lambda r: (r.status != MergeStatus.PENDING, r.id in settled))
    return render_template("merges.html", rows=rows, leads=leads, checks=checks,
                           alternatives=_alternatives(rows, leads, sellers), settled=settled, total=total,
                           pending=pending, page=page, page_size=MERGE_PAGE)


def _pair(r: MergeReview) -> Pair:
    return Pair(r.id, r.lead_a, r.lead_b, MergeStatus(r.status).value, r.decided_at, r.created_at)


@dataclass(frozen=True)
class Pair:
    """A merge-review pair as the queue's rules read it (plain values)."""

    id: int
    lead_a: int
    lead_b: int
    status: str
    decided_at: dt.datetime | None = None
    created_at: dt.datetime | None = None


def same_seller(mine: Mapping[str, str | None], theirs: Mapping[str, str | None]) -> bool:
    """Two sellers that are one already: the same valid credit code, or one seller entity (newcomer18 N3)."""
    if mine.get("entity") and mine.get("entity") == theirs.get("entity"):
        return True
    return bool(mine.get("uscc") and mine.get("uscc") == theirs.get("uscc"))


def exclusive(mine: Mapping[str, str | None], theirs: Mapping[str, str | None]) -> bool:
    """Two sellers offered with one record cannot both be it: different credit codes, or different names — unless
    they are one seller already (`same_seller`: 深圳市博鹏商贸有限公司 and 博鹏商贸批发部 with one credit code are one
    firm, newcomer18 N3)."""
    if same_seller(mine, theirs):
        return False
    return bool(mine.get("uscc") and theirs.get("uscc") and mine.get("uscc") != theirs.get("uscc")) or \
        (mine.get("name") or "") != (theirs.get("name") or "")


def settled_by_sibling(rows: Sequence[Pair], confirmed: Sequence[Pair],
                       sellers: Mapping[int, Mapping[str, str | None]]) -> dict[int, dict[str, Any]]:
    """Pending pairs settled by an alternative's confirmation (newcomer16 N6): the pair shares a record with a pair
    an officer confirmed as one seller, and its other seller is that seller too (`same_seller`: same credit code or
    entity — the pair is the same question, answered: "same": True, newcomer18 N3) or cannot be it (`exclusive`:
    "same": False). A pair offered after the confirmation was never its alternative (newcomer18 N3b: a new record
    matching a confirmed seller could no longer be confirmed). Pending id -> the confirmed pair's id, the seller it was confirmed with (name, credit code),
    when, and which way. Pure: no session."""
    by_lead: dict[int, list[Pair]] = defaultdict(list)
    for c in confirmed:
        if c.status == MergeStatus.MERGED.value:
            by_lead[c.lead_a].append(c)
            by_lead[c.lead_b].append(c)
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        if r.status != MergeStatus.PENDING.value:
            continue
        for shared, mine in ((r.lead_a, r.lead_b), (r.lead_b, r.lead_a)):
            for c in by_lead.get(shared, []):
                theirs = c.lead_b if c.lead_a == shared else c.lead_a
                if c.id == r.id or r.id in out or theirs not in sellers or mine not in sellers:
                    continue
                if r.created_at is not None and c.decided_at is not None and r.created_at > c.decided_at:
                    continue  # offered after that decision: never its alternative (newcomer18 N3b)
                same = same_seller(sellers[mine], sellers[theirs])
                if same or exclusive(sellers[mine], sellers[theirs]):
                    out[r.id] = {"review": c.id, "name": sellers[theirs].get("name") or "",
                                 "uscc": sellers[theirs].get("uscc") or "", "at": c.decided_at, "same": same}
    return out


def _alternatives(rows: list[MergeReview], leads: dict[int, NationalLead],
                  sellers: Mapping[int, Mapping[str, str | None]]) -> dict[int, list[str]]:
    """Pending pairs that are alternatives of one another (newcomer14 F21/F22): one record (a shop name, a phone)
    offered with two sellers that cannot both be it — different credit codes, or different names. Each pair's
    probability is scored alone, so both read 0.90; the page says they are one choice."""
    pending = [r for r in rows if r.status == MergeStatus.PENDING]
    by_lead: dict[int, list[MergeReview]] = {}
    for r in pending:
        by_lead.setdefault(r.lead_a, []).append(r)
        by_lead.setdefault(r.lead_b, []).append(r)
    out: dict[int, list[str]] = {}
    for lead_id, pairs in by_lead.items():
        for r in pairs:
            mine_id = r.lead_b if r.lead_a == lead_id else r.lead_a
            for other in pairs:
                if other.id == r.id:
                    continue
                theirs_id = other.lead_b if other.lead_a == lead_id else other.lead_a
                theirs = leads[theirs_id]
                if exclusive(sellers[mine_id], sellers[theirs_id]):
                    out.setdefault(r.id, []).append(theirs.seller_name or theirs.seller_uscc or "")
    return {k: sorted(set(v)) for k, v in out.items()}


@bp.post("/merges/<int(max=2147483647):review_id>")  # newcomer22 D3: beyond the database's integers a 404, not a 500
@roles_required(*REVIEWERS)
def decide_merge(review_id: int) -> WResponse:
    """An officer confirms or rejects a match; the worker applies it at its next run."""
    from national.casework import (
        MAX_MERGE_NOTE,
        ConflictingCodes,
        NoteTooLong,
        SharedCode,
        UnknownReview,
        cases_of_decision,
    )
    from national.casework import decide_merge as decide

    decision = request.form.get("decision")
    if decision not in ("merge", "reject"):  # newcomer22 D7: anything but "merge" was recorded as "different sellers"
        abort(400, gettext("Not decided: the decision must be merge or reject."))
    merge = decision == "merge"
    undone: list[tuple[str, str, str]] = []
    try:
        with db().transaction() as session:
            if not merge:  # keeping two records of one case apart re-forms it: say which, and where it stood
                undone = [(c.uuid, c.right_title or c.right_number, str(c.status.value))
                          for c in cases_of_decision(session, review_id)]
            decide(session, review_id, merge, officer=current_actor().name,
                   note=request.form.get("note", "").strip(), now=dt.datetime.now(dt.UTC))
    except UnknownReview:
        abort(404)
    except NoteTooLong as exc:  # nothing decided; the field and its limit named (the form's maxlength says it too)
        flash(gettext("Not decided: the note (remarks) is too long: at most %(max)s characters, it has %(n)s.",
                      max=MAX_MERGE_NOTE, n=exc.length), "error")
        return redirect(url_for("merges.merges"))
    except ConflictingCodes as exc:
        # flashed, never carried in the address (newcomer14 F37: a page must not show text taken from its URL)
        flash(gettext(
            "Not merged: these sellers carry different credit codes (%(codes)s), and two registered firms are never "
            "one seller. If a shop-style record was offered with two firms, confirm one of them.",
            codes=", ".join(exc.codes)), "error")
        return redirect(url_for("merges.merges"))
    except SharedCode as exc:  # newcomer18 N8: a "different" answer split a firm's lead out of its case, silently
        flash(gettext(
            "Not kept apart: both records belong to the seller with credit code %(code)s (one of them through the "
            "confirmed pair %(through)s), and one registered firm is one seller. Confirm this pair, or first reverse "
            "the confirmed pair if it was wrong.", code=exc.code,
            through="、".join(f"#{i}" for i in exc.through) or "—"), "error")
        return redirect(url_for("merges.merges"))
    except ValueError:
        flash(gettext("Not decided: the decision could not be recorded."), "error")
        return redirect(url_for("merges.merges"))
    flash(gettext("Merged: the two sellers' leads join one case at the next run.") if merge else
          gettext("Kept apart: the two sellers are different."), "ok")
    for uuid, title, status in undone:  # newcomer15 F21: a case under investigation was withdrawn without a word
        # newcomer18 N8/N9: both records were in one case (this merge or another pair's confirmation): the case is
        # formed again without what the decision separates — withdrawn only if nothing holds it together any more
        flash(gettext("The case %(title)s (%(uuid)s, %(status)s) holds both records: at the next run it is formed "
                      "again without the records this decision separates — a region whose leads leave it is "
                      "told and its copy withdrawn, and the case is withdrawn if it no longer holds.",
                      title=title, uuid=uuid[:8], status=label("case_status", status)), "warning")
    return redirect(url_for("merges.merges"))
