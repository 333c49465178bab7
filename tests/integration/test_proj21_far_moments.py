"""A lead detected at a moment whose day does not exist in every time zone is refused at the edge (issue 12, s21).

`9999-12-31T23:00:00Z` is year 10000 in China (UTC+8), the zone the national count cube files a lead under: on
PostgreSQL its cube row held 10000-01-01, which psycopg (and Python) cannot read back, so the cube fold and every
dashboard read broke; on SQLite the trigger quarantined it. `9999-12-31T20:00:00-05:00` and
`0001-01-01T00:00:00+08:00` cannot even be turned into UTC (the projection's row building raised OverflowError and
stopped every later chunk). Now the limits (sync/limits.py, kind DATETIME) refuse such a moment: ingest refuses the
batch naming the record and the field, nothing of it stored; a record stored before (checked under other limits)
is quarantined by the projection with the same reason, its chunk's other leads projected, no cube row of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from national import feed, ingest
from national.models import NationalLead, QuarantinedRecord
from sync import limits
from sync.v1 import sync_pb2
from tests.integration.test_ingest_store import batch_of, lead_record, region_row, store, stored
from tests.integration.test_ingest_store import db as db  # noqa: F401 - the fixture
from tests.integration.test_projection_checked import _store_by_hand

FAR = ("9999-12-31T23:00:00+00:00",  # year 10000 in China
       "9999-12-31T16:00:00",  # naive, read as UTC: 10000-01-01 00:00 in China
       "9999-12-31T20:00:00-05:00",  # year 10000 already in UTC
       "0001-01-01T00:00:00+08:00",  # year 0 in UTC
       "9999-12-31T00:00:00.5+00:00")
NEAR = ("9999-12-30T23:59:59+00:00", "9999-12-31T07:59:59+08:00", "0001-01-02T00:00:00+00:00",
        "0001-01-02T08:00:00+08:00", "2026-12-01T03:30:15+08:00")


def _with_moment(sequence: int, moment: str) -> bytes:
    record = sync_pb2.Record.FromString(lead_record(sequence))
    record.lead.detected_at = moment
    return record.SerializeToString()


@pytest.mark.parametrize("moment", FAR)
def test_the_limits_refuse_a_moment_outside_every_time_zones_years_naming_the_field(moment: str) -> None:
    record = sync_pb2.Record.FromString(_with_moment(7, moment))
    assert not limits.valid("Lead", record.lead)
    assert not limits.record_checker("lead")(record)
    errors = limits.validate_record(record)
    assert [e.field for e in errors] == ["lead.detected_at"]
    assert record.uuid in str(errors[0]) and "0001-01-02 to 9999-12-30" in str(errors[0])


@pytest.mark.parametrize("moment", NEAR)
def test_the_limits_accept_the_last_and_first_moments_whose_day_exists_everywhere(moment: str) -> None:
    record = sync_pb2.Record.FromString(_with_moment(7, moment))
    assert limits.valid("Lead", record.lead) and limits.record_checker("lead")(record)
    assert limits.validate_record(record) == []


def test_ingest_refuses_the_batch_naming_the_record_and_field_and_stores_nothing(db) -> None:  # noqa: F811
    for far in FAR:
        items = [(1, lead_record(1)), (2, _with_moment(2, far)), (3, lead_record(3))]
        with pytest.raises(ingest.InvalidRecord) as refused:
            store(db, batch_of(items), 0)
        uid = sync_pb2.Record.FromString(items[1][1]).uuid
        assert refused.value.sequence == 2
        assert "lead.detected_at" in str(refused.value) and uid in str(refused.value), str(refused.value)
        assert stored(db) == [] and region_row(db) == (0, 0, 0)
    store(db, batch_of([(s, _with_moment(s, near)) for s, near in enumerate(NEAR, 1)]), 0)  # the edges go in
    assert len(stored(db)) == len(NEAR)


def test_a_far_moment_stored_before_is_quarantined_by_the_projection_and_the_rest_projected(db) -> None:  # noqa: F811
    store(db, batch_of([(1, lead_record(1)), (2, _with_moment(2, NEAR[1]))]), 0)
    far_uuids = []
    for k, far in enumerate(FAR):  # stored under the limits of before (checks revision 1), or without a check
        body = _with_moment(3 + k, far)
        _store_by_hand(db, 3 + k, body, None if k % 2 else (limits.LIMITS_FINGERPRINT + 1) % 2**31)
        far_uuids.append(sync_pb2.Record.FromString(body).uuid)
    _store_by_hand(db, 3 + len(FAR), lead_record(3 + len(FAR)), None)
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert feed.project_pending(db, lambda: now) == 3 + len(FAR)
    assert feed.project_pending(db, lambda: now) == 0  # nothing left behind, the cursor past them
    with db.read() as s:
        quarantined = {q.uuid: q.reason for q in s.scalars(sa.select(QuarantinedRecord))}
        projected = s.execute(sa.select(sa.func.count()).select_from(NationalLead)).scalar()
        far_rows = s.execute(sa.select(sa.func.count()).select_from(NationalLead)
                             .where(NationalLead.uuid.in_(far_uuids))).scalar()
        # every cube row reads back (PostgreSQL: a year-10000 bucket raised DataError here), none past 9999
        buckets = [b for (b,) in s.execute(sa.text("SELECT bucket FROM lead_count_deltas"))]
        buckets += [b for (b,) in s.execute(sa.text("SELECT bucket FROM lead_counts"))]
    assert set(quarantined) == set(far_uuids)
    assert all("lead.detected_at" in reason and "0001-01-02 to 9999-12-30" in reason for reason in quarantined.values())
    assert projected == 3 and far_rows == 0
    assert buckets and all(str(b)[:4] in ("2026", "9999") for b in buckets), buckets
    from national.node import fold_report_counts

    fold_report_counts(db)  # the fold reads every delta row back
