"""One bad case never stops the others: case keys, per-case savepoints, recorded failures (issue 8, item 1).

Runs on SQLite (a file, as deployed) and on a real PostgreSQL database. A database trigger that
refuses one right's case stands in for any error a case can hit while it is written.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from national import node as national_node
from national.cases import failure_counts, open_failures, retry_delay_s
from national.models import (
    CaseFailure,
    CaseRow,
    DownlinkRow,
    NationalLead,
    NodeState,
    UplinkBatch,
    UplinkRecord,
)
from regional.identifiers import uscc_check_char
from sync.db import Database
from sync.v1 import sync_pb2

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
POISON = "TM-POISON"


def valid_uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


SELLER_A = ("深圳市甲乙电子科技有限公司", valid_uscc("91440300MA5F7GXQ1"), "广东省深圳市南山区科技园路1号")
SELLER_B = ("杭州丙丁服饰有限公司", valid_uscc("91330100MA27XKQ93"), "浙江省杭州市余杭区文一西路99号")
SHARED_PHONE = "13800138000"  # a shared logistics agent's number, filed for both sellers


def add_lead(session, region: str, right: str, seller: tuple[str, str, str], phone: str = SHARED_PHONE,
             n: int = 0) -> None:  # type: ignore[no-untyped-def]
    name, uscc, address = seller
    session.add(NationalLead(uuid=str(uuid.uuid4()), region=region, listing_id=f"{region}-{right}-{n}",
                             right_number=right, type="trademark", score=0.9, reasons=[], model_version="t",
                             seller_name=name, seller_uscc=uscc, seller_phone=phone, seller_address=address,
                             received_at=NOW))


def poison(db: Database) -> None:
    """A trigger refusing any case of right TM-POISON, as a real database error would."""
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql(f"CREATE TRIGGER poison_case BEFORE INSERT ON cases WHEN NEW.right_number = "
                                 f"'{POISON}' BEGIN SELECT RAISE(ABORT, 'poisoned case (test trigger)'); END")
        else:
            conn.exec_driver_sql(f"CREATE FUNCTION poison_case() RETURNS trigger AS $$ BEGIN IF NEW.right_number = "
                                 f"'{POISON}' THEN RAISE EXCEPTION 'poisoned case (test trigger)'; END IF; "
                                 "RETURN NEW; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER poison_case BEFORE INSERT ON cases FOR EACH ROW "
                                 "EXECUTE FUNCTION poison_case()")


def cure(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER poison_case" if db.engine.dialect.name == "sqlite"
                             else "DROP TRIGGER poison_case ON cases")


def run_at(monkeypatch: pytest.MonkeyPatch, db: Database, at: dt.datetime):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(national_node, "utcnow", lambda: at)
    return national_node.form_cases_once(db)


def test_two_sellers_sharing_a_phone_each_in_two_regions_get_two_cases(db: Database,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction() as s:
        add_lead(s, "440000", "TM-1", SELLER_A)
        add_lead(s, "330000", "TM-1", SELLER_A)
        add_lead(s, "310000", "TM-1", SELLER_B)
        add_lead(s, "320000", "TM-1", SELLER_B)
    result = run_at(monkeypatch, db, NOW)
    assert result.failures == 0 and result.cases_created == 2
    with db.read() as s:
        formed = list(s.scalars(sa.select(CaseRow).order_by(CaseRow.id)))
        members = {c.uuid: sorted(s.scalars(sa.select(NationalLead.region).where(NationalLead.case_id == c.id)))
                   for c in formed}
    assert sorted(map(sorted, (c.regions for c in formed))) == [["310000", "320000"], ["330000", "440000"]]
    assert sorted(members.values()) == [["310000", "320000"], ["330000", "440000"]]
    # each key describes its own seller (the credit code, not the shared phone)
    assert sorted(c.key for c in formed) == sorted(f"TM-1|uscc:{s[1]}" for s in (SELLER_A, SELLER_B))
    # a second run with nothing new changes nothing and fails nothing
    assert run_at(monkeypatch, db, NOW + dt.timedelta(seconds=5)).failures == 0


def test_a_case_the_database_refuses_is_recorded_and_skipped_and_formed_once_cured(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    poison(db)
    with db.transaction() as s:
        for right in ("TM-1", POISON, "TM-2"):
            add_lead(s, "440000", right, SELLER_A)
            add_lead(s, "330000", right, SELLER_A)
    result = run_at(monkeypatch, db, NOW)
    assert result.cases_created == 2 and result.failures == 1
    with db.read() as s:
        assert sorted(s.scalars(sa.select(CaseRow.right_number))) == ["TM-1", "TM-2"]
        assert s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow)) == 4  # 2 cases x 2 regions
        poisoned = list(s.scalars(sa.select(NationalLead).where(NationalLead.right_number == POISON)))
        assert len(poisoned) == 2 and all(lead.case_id is None for lead in poisoned)
        [failure] = open_failures(s)
        assert failure.right_number == POISON and failure.leads == 2 and failure.attempts == 1
        assert failure.regions == ["330000", "440000"] and "poisoned case" in failure.reason
        assert failure_counts(s) == (1, 1)

    # still poisoned: retried once the backoff has passed, counted, nothing else touched
    later = NOW + dt.timedelta(seconds=retry_delay_s(1) + 0.1)
    assert run_at(monkeypatch, db, later).failures == 1
    with db.read() as s:
        assert failure_counts(s) == (1, 2)
    # within the backoff nothing is retried
    assert run_at(monkeypatch, db, later + dt.timedelta(seconds=0.5)).failures == 0

    cure(db)
    result = run_at(monkeypatch, db, later + dt.timedelta(seconds=retry_delay_s(2) + 0.1))
    assert result.failures == 0 and result.cases_created == 1
    with db.read() as s:
        assert failure_counts(s) == (0, 2)
        assert sorted(s.scalars(sa.select(CaseRow.right_number))) == ["TM-1", "TM-2", POISON]
        assert s.scalar(sa.select(CaseFailure.resolved_at)) is not None


def _file_lead_records(db: Database, count: int) -> None:
    """`count` applied lead records as the gRPC server stores them (batch row + uplink rows)."""
    with db.transaction() as s:
        batch = UplinkBatch(region="440000", epoch=1, first_sequence=1, count=count, root=b"r", signature=b"s",
                            leaves=b"", cert_serial="1", received_at=NOW)
        s.add(batch)
        s.flush()
        for k in range(count):
            rec = sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, lead=sync_pb2.Lead(
                listing_id=f"L{k}", right="TM-1", type="trademark", score=0.9,
                seller=sync_pb2.Seller(name=SELLER_A[0], uscc=SELLER_A[1])))
            s.add(UplinkRecord(region="440000", epoch=1, sequence=k + 1, uuid=rec.uuid, revision=1, kind="lead",
                               status="applied", record=rec.SerializeToString(), batch_id=batch.id, leaf_index=k,
                               received_at=NOW))


def test_the_lead_projection_commits_even_when_case_formation_fails_as_a_whole(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _file_lead_records(db, 30)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("entity resolution crashed")

    monkeypatch.setattr("national.entities.resolve_new", broken)
    monkeypatch.setattr("national.entities.rebuild", broken)
    result = run_at(monkeypatch, db, NOW)
    assert result.failures == 1
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(NationalLead)) == 30
        assert s.scalar(sa.select(NodeState.value).where(NodeState.key == "lead_projection_cursor")) is not None
        [failure] = open_failures(s)
        assert failure.right_number == "*" and "entity resolution crashed" in failure.reason
    # backing off: the next cycle inside the delay does not rerun the whole formation
    assert run_at(monkeypatch, db, NOW + dt.timedelta(seconds=0.5)).failures == 0
    monkeypatch.undo()
    result = run_at(monkeypatch, db, NOW + dt.timedelta(seconds=retry_delay_s(1) + 0.1))
    with db.read() as s:
        assert failure_counts(s)[0] == 0
