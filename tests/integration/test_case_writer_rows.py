"""The case writer's bulk statements store and read exactly what SQLAlchemy's own statements do (SQLite file and
PostgreSQL): `cases.insert_rows` against `conn.execute(table.insert(), rows)`, `_GroupWriter._by_ids` against
`select(...).where(column.in_(ids))`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from national import cases
from national.models import AuditEntry, CaseRow, DownlinkRow, NationalLead
from sync.db import Database

NOW = dt.datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _stored(session: Any, table: sa.Table) -> list[tuple[Any, ...]]:
    """Every row as the driver returns it (no SQLAlchemy processing), without the id."""
    names = [c.name for c in table.columns if c.name != "id"]
    return [tuple(r) for r in session.connection().exec_driver_sql(
        f"SELECT {', '.join(names)} FROM {table.name} ORDER BY id").fetchall()]


ROWS: dict[str, list[dict[str, Any]]] = {
    "downlink": [{"region": r, "uuid": f"case-{k}", "revision": 1 + k % 3, "kind": "cross_region_case",
                  "body": bytes([k, 0, 255, 10]) * (k + 1), "created_at": NOW + dt.timedelta(seconds=k)}
                 for k, r in enumerate(["110000", "440000", "330000", "440000"])],
    "audit_log": [{"at": NOW, "actor": "worker", "action": "case_formed",
                   "detail": {"case": "c-1", "right": "TM-0001", "regions": ["110000", "440000"], "leads": 3,
                              "lead_region": "440000", "note": "线索已并入"}},
                  {"at": NOW, "actor": "worker", "action": "case_updated", "detail": {}},
                  {"at": NOW, "actor": "worker", "action": "case_updated", "detail": {"nested": {"a": [1, None]}}}],
    "leads": [{"uuid": f"lead-{k}", "region": "440000", "listing_id": f"L{k}", "right_number": "TM-1",
               "type": "trademark", "score": 0.25 * k, "reasons": ["相似商标", k] if k else [],
               "model_version": "t", "seller_name": "深圳市某某电子有限公司" if k else None,
               "seller_uscc": None, "seller_phone": "0755-1234567", "seller_address": None,
               "seller_shop_url": None, "received_at": NOW} for k in range(3)],
}
TABLES = {"downlink": DownlinkRow.__table__, "audit_log": AuditEntry.__table__, "leads": NationalLead.__table__}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_insert_rows_stores_what_sqlalchemy_stores(db: Database, name: str) -> None:
    table = TABLES[name]
    stored = []
    for bulk in (False, True):
        session = db.sessions()
        try:
            conn = session.connection()
            if bulk:
                cases.insert_rows(conn, table, ROWS[name])  # type: ignore[arg-type]
            else:
                conn.execute(table.insert(), ROWS[name])
            stored.append(_stored(session, table))  # type: ignore[arg-type]
        finally:
            session.rollback()
            session.close()
    assert len(stored[0]) == len(ROWS[name])
    assert stored[1] == stored[0]


def test_the_writers_reads_return_what_sqlalchemy_returns(db: Database) -> None:
    with db.transaction() as s:
        cases.insert_rows(s.connection(), NationalLead.__table__, ROWS["leads"])  # type: ignore[arg-type]
        s.execute(sa.insert(CaseRow), [{"uuid": f"u{k}", "key": f"TM-1|phone:{k}", "right_number": "TM-1",
                                        "right_title": None if k else "商标", "type": "trademark",
                                        "lead_region": "440000", "regions": ["110000", "440000"][:k + 1],
                                        "cross_region": True, "status": "formed", "supervised": True,
                                        "entity_id": k or None, "deadline": NOW, "formed_at": NOW,
                                        "updated_at": NOW} for k in range(2)])
    with db.transaction() as s:
        writer = cases._GroupWriter(s, NOW, 60.0)
        lead_ids = list(s.scalars(sa.select(NationalLead.id)))
        case_ids = list(s.scalars(sa.select(CaseRow.id)))
        checks = [(cases._LEAD_COLUMNS, cases._LEAD_TABLE_COLUMNS, NationalLead.id, lead_ids),
                  (cases._CASE_COLUMNS, cases._CASE_TABLE_COLUMNS, CaseRow.id, case_ids),
                  ((NationalLead.id, NationalLead.case_id), (cases._LEADS.c.id, cases._LEADS.c.case_id),
                   NationalLead.id, lead_ids[:2])]
        for orm_columns, columns, key, ids in checks:
            expected = sorted(tuple(r) for r in s.execute(sa.select(*orm_columns).where(key.in_(ids))).all())
            got = sorted(tuple(r) for r in writer._by_ids(columns, columns[0], ids))
            assert got == expected and len(got) == len(ids)
            assert [r._asdict() for r in writer._by_ids(columns, columns[0], ids[:1])] == \
                [r._asdict() for r in s.execute(sa.select(*orm_columns).where(key.in_(ids[:1]))).all()]
        assert writer._by_ids(cases._LEAD_TABLE_COLUMNS, cases._LEADS.c.id, []) == []


def test_the_resolvers_reads_see_the_sessions_own_writes_and_return_the_drivers_values(db: Database) -> None:
    """`entities._Sql.rows` reads on the DB-API cursor of the session's connection: inside the session's
    transaction (rows it wrote and has not committed are seen; a rollback takes them away), values as the driver
    returns them for `exec_driver_sql`, as plain tuples, `rows_in` with any number of ids."""
    from national.entities import _Sql

    with db.sessions() as session, session.begin():
        conn = session.connection()
        cases.insert_rows(conn, NationalLead.__table__, ROWS["leads"])
        sql = _Sql(session)
        query = "SELECT id, uuid, score, reasons, seller_name, received_at FROM leads ORDER BY id"
        seen = sql.rows(query)
        assert [r[1] for r in seen] == ["lead-0", "lead-1", "lead-2"]  # uncommitted, same transaction
        assert seen == [tuple(r) for r in conn.exec_driver_sql(query).fetchall()]
        assert all(type(r) is tuple for r in seen)
        ids = [r[0] for r in seen]
        assert sql.rows_in("SELECT uuid FROM leads WHERE {in} ORDER BY id", "id", [ids[2], ids[0], 10**9]) == [
            ("lead-0",), ("lead-2",)]
        assert sql.rows("SELECT uuid FROM leads WHERE listing_id = ?", ["L1"]) == [("lead-1",)]
        session.rollback()
    with db.sessions() as session, session.begin():
        assert _Sql(session).rows("SELECT id FROM leads") == []
