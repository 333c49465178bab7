"""Issue 12, session 23 (cases23): the case writer stores a chunk's new cases with one executemany on SQLite (it ran
one INSERT … RETURNING per case: SQLite cannot return an executemany's ids in parameter order) and finds their ids by
uuid. Checked here on SQLite and PostgreSQL: the rows stored are SQLAlchemy's, each new case gets its own id (every
lead points at the case of its right and regions), and cases formed cycle by cycle are the cases a full rebuild forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from national import cases
from national import node as national_node
from national.bench.generate import generate
from national.lifecycle import CaseStatus
from national.models import CaseRow, DownlinkRow, NationalLead, SellerRecord
from sync.db import Database
from tests.integration.national_lead_rows import lead_rows

NOW = dt.datetime(2026, 12, 3, 19, 30, 15, 123456, tzinfo=dt.UTC)


def _lead_rows(records: list[tuple[dict[str, str], int]], start: int, rights: int = 40,
               seed: int = 1) -> list[dict[str, object]]:
    return lead_rows(records, start, NOW, rights=rights, seed=seed)


def _add(db: Database, rows: list[dict[str, object]]) -> None:
    with db.transaction() as s:
        s.execute(sa.insert(NationalLead), rows)


def _case_rows() -> list[dict[str, Any]]:
    return [{"uuid": f"case-{k}", "key": f"TM-{k}|phone:1390000000{k}", "right_number": f"TM-{k}",
             "right_title": None if k == 1 else "商标「雪花」", "type": "trademark", "lead_region": "440000",
             "regions": ["110000", "440000", "330000"][:k + 2], "cross_region": True,
             "status": CaseStatus.FORMED, "supervised": bool(k % 2 == 0), "entity_id": None if k == 2 else 7 + k,
             "prior_case_id": 1 if k == 1 else None, "deadline": NOW + dt.timedelta(days=60), "formed_at": NOW,
             "updated_at": NOW} for k in range(3)]


def test_insert_rows_stores_a_case_as_sqlalchemy_stores_it(db: Database) -> None:
    table = CaseRow.__table__
    names = [c.name for c in table.columns if c.name != "id"]
    stored = []
    for bulk in (False, True):
        session = db.sessions()
        try:
            conn = session.connection()
            if bulk:
                cases.insert_rows(conn, table, _case_rows())  # type: ignore[arg-type]
            else:
                conn.execute(table.insert(), _case_rows())
            stored.append([tuple(r) for r in conn.exec_driver_sql(
                f"SELECT {', '.join(names)} FROM cases ORDER BY id").fetchall()])
        finally:
            session.rollback()
            session.close()
    assert len(stored[0]) == 3 and stored[1] == stored[0]


def _groups(database: Database) -> dict[frozenset[str], tuple[str, tuple[str, ...], str]]:
    """Each cross-region case that stands: its leads (listing ids) -> (right, regions, status)."""
    with database.read() as s:
        found: dict[int, set[str]] = {}
        for listing, case_id in s.execute(sa.select(NationalLead.listing_id, NationalLead.case_id)
                                          .where(NationalLead.case_id.is_not(None))):
            found.setdefault(case_id, set()).add(listing)
        rows = {c.id: c for c in s.scalars(sa.select(CaseRow).where(CaseRow.status != CaseStatus.WITHDRAWN))}
        return {frozenset(m): (rows[c].right_number, tuple(sorted(rows[c].regions)), CaseStatus(rows[c].status).value)
                for c, m in found.items()}


def test_new_cases_are_inserted_once_per_chunk_and_every_lead_points_at_its_own_case(db: Database) -> None:
    records = list(generate(1600, seed=31))
    _add(db, _lead_rows(records[:800], 0, rights=12))
    national_node.form_cases_once(db)
    _add(db, _lead_rows(records[800:], 800, rights=12))
    inserts: list[tuple[str, bool]] = []

    def seen(_conn: object, _cur: object, stmt: str, _params: object, _ctx: object, many: bool) -> None:
        if stmt.lstrip().upper().startswith("INSERT INTO CASES"):
            inserts.append((stmt, many))

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.transaction() as s:
            result = cases.form_cases(s, NOW)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert result.cases_created >= 20, result
    if db.engine.dialect.name == "sqlite":  # main: one statement per new case (result.cases_created of them)
        assert len(inserts) <= -(-(result.cases_created + result.cases_updated) // 256), len(inserts)
    with db.read() as s:
        listed = {c.id: c for c in s.scalars(sa.select(CaseRow))}
        assert len({c.uuid for c in listed.values()}) == len(listed)
        members: dict[int, list[tuple[str, str]]] = {}
        for region, right, case_id in s.execute(sa.select(NationalLead.region, NationalLead.right_number,
                                                          NationalLead.case_id).where(NationalLead.case_id.is_not(None))):
            members.setdefault(case_id, []).append((region, right))
        for case_id, leads in members.items():
            case = listed[case_id]
            assert {right for _r, right in leads} == {case.right_number}
            assert {region for region, _r in leads} == set(case.regions)
        # each case was sent to each of its regions under its own uuid
        sent = {(u, r) for u, r in s.execute(sa.select(DownlinkRow.uuid, DownlinkRow.region)
                                            .where(DownlinkRow.kind == "cross_region_case"))}
        assert all((c.uuid, r) in sent for c in listed.values() if c.id in members for r in c.regions)


def test_cases_formed_cycle_by_cycle_are_the_groups_of_the_stored_sellers_formed_at_once(db: Database) -> None:
    """After cycles of new leads, the standing cases are exactly the cross-region (seller entity, right) groups of the
    stored entities, as a full re-plan of those entities forms them: none missing, none extra, none split."""
    records = list(generate(1500, seed=37))
    rows = _lead_rows(records, 0, rights=10)
    _add(db, rows[:500])
    national_node.form_cases_once(db)  # the first run over stored leads: the bulk rebuild
    for start, n in ((500, 300), (800, 300), (1100, 200), (1300, 200)):
        _add(db, rows[start:start + n])
        with db.transaction() as s:
            assert cases.form_cases(s, NOW).leads_resolved == n
    with db.read() as s:
        by_group: dict[tuple[int, str], list[tuple[str, str]]] = {}
        for listing, region, right, entity in s.execute(
                sa.select(NationalLead.listing_id, NationalLead.region, NationalLead.right_number,
                          SellerRecord.entity_id).join(SellerRecord, SellerRecord.lead_id == NationalLead.id)):
            by_group.setdefault((entity, right), []).append((listing, region))
        assert sum(len(m) for m in by_group.values()) == 1500
    expected = {frozenset(x for x, _r in m): (right, tuple(sorted({r for _x, r in m})), "formed")
                for (_e, right), m in by_group.items() if len({r for _x, r in m}) >= 2}
    assert len(expected) >= 30 and _groups(db) == expected
