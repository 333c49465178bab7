"""A region that left a case and joins it again is told its copy stands again; a region joining a case for the first
time is not — and the case writer reads which regions were told they left once per chunk, not once per case
(issue 12, session 19). SQLite file and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from national import cases
from national.models import CaseEvent, CaseRow, DownlinkRow, NationalLead
from sync.db import Database

NOW = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)


def _lead(region: str, right: str, name: str, phone: str, k: int) -> dict[str, object]:
    return {"uuid": str(uuid.uuid4()), "region": region, "listing_id": f"L{right}-{k}", "right_number": right,
            "type": "trademark", "score": 0.9, "reasons": [], "model_version": "t", "seller_name": name,
            "seller_uscc": None, "seller_phone": phone, "seller_address": "浙江省杭州市余杭区文一西路99号",
            "seller_shop_url": None, "received_at": NOW}


def _draft(db: Database, right: str, regions: tuple[str, ...], phone: str) -> cases.CaseDraft:
    with db.read() as s:
        ids = tuple(sorted(s.scalars(sa.select(NationalLead.id).where(NationalLead.right_number == right,
                                                                       NationalLead.region.in_(regions)))))
    return cases.CaseDraft(right=right, lead_ids=ids, regions=tuple(sorted(regions)), seller_keys=(f"phone:{phone}",),
                           lead_region=sorted(regions)[0])


def test_a_region_back_in_a_case_is_told_and_a_new_region_is_not_with_one_read_per_chunk(db: Database) -> None:
    with db.transaction() as s:
        s.execute(sa.insert(NationalLead), [
            *(_lead(r, "TM-31", "杭州瑞飞商贸有限公司", "13700137031", k) for k, r in enumerate(["330000", "350000", "440000"])),
            *(_lead(r, "TM-32", "杭州鸿运五金商行", "13700137032", k) for k, r in enumerate(["330000", "350000"]))])
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    with db.read() as s:
        case_of = {c.right_number: c for c in s.scalars(sa.select(CaseRow))}
    assert sorted(case_of) == ["TM-31", "TM-32"]
    first, second = case_of["TM-31"], case_of["TM-32"]
    # Guangdong's lead leaves the first case (as when an officer reverses a merge): its copy is withdrawn
    with db.transaction() as s:
        cases.apply_plan(s, cases.Plan(drafts=[_draft(db, "TM-31", ("330000", "350000"), "13700137031")],
                                       touched={first.id}), NOW)
    # then it joins again, while the second case gains Beijing, a region it never had, in the same chunk
    with db.transaction() as s:
        s.execute(sa.insert(NationalLead), [_lead("110000", "TM-32", "杭州鸿运五金商行", "13700137032", 9)])
    reads: list[str] = []

    def seen(_conn: object, _cur: object, stmt: str, _params: object, _ctx: object, _many: bool) -> None:
        if stmt.lstrip().upper().startswith("SELECT") and "FROM downlink" in stmt:
            reads.append(stmt)

    drafts = [_draft(db, "TM-31", ("330000", "350000", "440000"), "13700137031"),
              _draft(db, "TM-32", ("110000", "330000", "350000"), "13700137032")]
    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.transaction() as s:
            result = cases.apply_plan(s, cases.Plan(drafts=drafts, touched={first.id, second.id}), NOW)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert result.cases_updated == 2
    assert len(reads) <= 2, reads  # the revisions and the regions told they left: not one read per case
    with db.read() as s:
        outcomes = {c: [e.outcome for e in s.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == c)
                                                      .order_by(CaseEvent.id))] for c in (first.id, second.id)}
        back_rows = list(s.scalars(sa.select(DownlinkRow).where(DownlinkRow.uuid == first.uuid,
                                                                DownlinkRow.kind == "case_update")))
    assert outcomes[first.id][-1] == cases.regions_back_outcome(["440000"])
    assert cases.regions_back_outcome(["440000"]) not in outcomes[first.id][:-1]
    assert not any(o.startswith("concerned by the case again") for o in outcomes[second.id]), outcomes[second.id]
    assert {r.region for r in back_rows if r.body_shared} >= {"330000", "350000", "440000"}
