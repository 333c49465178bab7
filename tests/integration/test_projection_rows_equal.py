"""The lead projection's rows are the rows of its plain spelling, column for column, on SQLite and PostgreSQL.

The projection (national/feed.project_pending) builds its rows on a fast path and writes them in bulk (SQLite:
multi-row INSERTs; PostgreSQL: COPY and one INSERT … SELECT). The plain spelling it must equal — the path it
replaced — is written out here: every stored record in id order, the row of `plain_row` (tests/unit/
test_lead_values.py: `reason_codes.from_wire`, `json.dumps`, `filings.lead_columns`), one driver INSERT … ON
CONFLICT DO NOTHING a lead. The same uplink records (varied and awkward leads, a re-filed natural key, a revised
uuid, skipped statuses, a lead over a limit stored without the check) go into two databases; one is projected
each way; every column of every stored lead row (ids and the database's own stored text included) must be equal,
and so must the quarantine. Then the same after a projection that fails part-way (its transaction rolled back)
and is run again: nothing lost, nothing doubled.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from national import feed
from national import node as national_node
from national.models import RecordStatus, UplinkBatch
from sync import limits
from sync.db import Database, placeholder, run_migrations, sqlite_url
from sync.v1 import sync_pb2
from tests.unit.test_lead_values import plain_row

REGIONS = ("440000", "110000")
NOW = dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC)  # plain_row's moment: the projection runs at it


def _records(n: int) -> list[tuple[str, str, int | None, bytes]]:
    """(region, status, limits_checked, record bytes) of `n` varied leads, in the order they were stored."""
    rng = random.Random(19)
    codes = [("tm.lookalike", '{"mark": "康师傅", "window": "康帅傅"}'), ("tm.same_class", '{"class": 30}'),
             ("tm.exact", ""), ("tm.exact", '{"code": "x", "m": [1, {"a": null}]}'), ("tm.bad", "{not json"),
             ("pm.lapsed", ' {"p": 1.5e3, "q": "\\u96ea"} ')]
    moments = ["", "2026-11-30T10:00:00+08:00", "2026-11-30T10:00:00", "2026-11-30 23:59:59.5-05:00", "bad",
               "2026-02-30T00:00:00Z", NOW.isoformat()]
    out = []
    for i in range(n):
        region = REGIONS[i % 7 == 0]
        k = rng.randint(0, 3)
        picked = [rng.choice(codes) for _ in range(k)]
        reasons = [rng.choice(["相似商标", "same goods class 30", 'q"\\', "\u2028 é"]) for _ in range(k)]
        if rng.random() < 0.1:
            reasons.append("one reason more than codes")
        seller = sync_pb2.Seller(name=rng.choice(["", "深圳某商行"]), uscc=rng.choice(["", "91440300MA5F12345X"]),
                                 phone=rng.choice(["", "13800138000"]), address=rng.choice(["", "广东省深圳市"]),
                                 shop_url=rng.choice(["", "https://shop.example/1"]))
        lead = sync_pb2.Lead(
            listing_id=f"tb-{i % 900}" if i % 450 else f"tb-{i}", right=rng.choice(["TM-1", "TM-2", "PT-3"]),
            type=rng.choice(["trademark", "patent"]), score=rng.choice([0.0, 0.5, 0.9, 1 / 3]),
            reasons=reasons, reason_codes=[sync_pb2.ReasonCode(code=c, params_json=p) for c, p in picked],
            model_version="m-1", seller=seller, listing_title=rng.choice(["", "康帅傅 红烧牛肉面", "雪碧 330ml"]),
            listing_url=rng.choice(["", "https://item.example/1"]), platform=rng.choice(["", "taobao"]),
            right_title=rng.choice(["", "康师傅"]), detected_at=rng.choice(moments),
            source=rng.choice(["", "ecommerce", "other"]), origin=rng.choice(["", "monitoring", "x"]),
            industry=rng.choice([0, 30, 99]), city=rng.choice(["", "440300", "44030x"]))
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if i % 333 == 5 and out:  # a later revision of a uuid already filed: kept once, the first
            uid = sync_pb2.Record.FromString(out[-1][3]).uuid
        record = sync_pb2.Record(uuid=uid, revision=1, region=region, epoch=1, sequence=i + 1,
                                 created_at=NOW.isoformat(), lead=lead)
        status, checked = RecordStatus.APPLIED.value, limits.LIMITS_FINGERPRINT
        if i % 97 == 3:
            status = RecordStatus.DUPLICATE.value
        if i % 211 == 7:  # stored without the check and over a limit: quarantined
            record.lead.listing_title = "标题\x00"
            checked = None
        out.append((region, status, checked, record.SerializeToString()))
    return out


def _store(db: Database, records: list[tuple[str, str, int | None, bytes]]) -> None:
    with db.transaction() as s:
        batch = UplinkBatch(region=REGIONS[0], epoch=1, first_sequence=1, count=len(records), root=b"",
                            signature=b"", leaves=b"", cert_serial="c1", received_at=NOW)
        s.add(batch)
        s.flush()
        mark = placeholder(s.get_bind().dialect)
        s.connection().exec_driver_sql(
            "INSERT INTO uplink_records (region, epoch, sequence, uuid, revision, kind, status, record, batch_id, "
            f"leaf_index, received_at, limits_checked) VALUES ({', '.join([mark] * 12)})",
            [(region, 1, i + 1, sync_pb2.Record.FromString(body).uuid, 1, "lead", status, body, batch.id, i,
              feed._adapted(s.get_bind().dialect, NOW), checked)
             for i, (region, status, checked, body) in enumerate(records)])


def _plain_projection(db: Database) -> None:
    """The definition: each applied lead in id order, its plain row, one INSERT … ON CONFLICT DO NOTHING."""
    with db.transaction() as s:
        conn = s.connection()
        dialect = conn.dialect
        mark = placeholder(dialect)
        received = feed._adapted(dialect, NOW)
        sql = (f"INSERT INTO leads ({', '.join(feed.LEAD_COLUMNS)}) VALUES ({', '.join([mark] * 25)}) "
               "ON CONFLICT DO NOTHING")
        last = 0
        for uplink_id, region, body, status, checked in conn.exec_driver_sql(
                "SELECT id, region, record, status, limits_checked FROM uplink_records ORDER BY id").fetchall():
            last = uplink_id
            if status != RecordStatus.APPLIED.value:
                continue
            record = sync_pb2.Record.FromString(bytes(body))
            if checked != limits.LIMITS_FINGERPRINT and not limits.valid("Lead", record.lead):
                feed.quarantine(s, uplink_id, region, "lead", record.uuid, "over a limit", NOW)
                continue
            row = list(plain_row(record, region))
            row[feed.LEAD_COLUMNS.index("received_at")] = received
            conn.exec_driver_sql(sql, tuple(row))
        feed.set_state(s, feed.PROJECTION_CURSOR, last)


def _contents(db: Database) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int, list[tuple[object, ...]]]:
    """Every stored lead row (all columns, as the driver reads them back), the quarantined uplink ids, the cursor,
    and the count cube's figures (the deltas' sum per key: what every read and the fold add up)."""
    with db.read() as s:
        conn = s.connection()
        leads = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM leads ORDER BY id").fetchall()]
        quarantined = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT uplink_id, region, kind, uuid FROM quarantine ORDER BY uplink_id").fetchall()]
        cube = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT grain, bucket, measure, area, type, source, industry, sum(n) FROM lead_count_deltas "
            "GROUP BY grain, bucket, measure, area, type, source, industry HAVING sum(n) <> 0 "
            "ORDER BY grain, bucket, measure, area, type, source, industry").fetchall()]
        return leads, quarantined, feed.get_state(s, feed.PROJECTION_CURSOR), cube


def _delta_rows(db: Database) -> int:
    with db.read() as s:
        return int(s.connection().exec_driver_sql("SELECT count(*) FROM lead_count_deltas").scalar() or 0)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    urls = []
    for name in ("fast", "plain"):
        if request.param == "sqlite":
            urls.append(sqlite_url(tmp_path / f"{name}.db"))
        else:
            server = request.getfixturevalue("pg_server")
            urls.append(server.create_database(server.unique_name(f"{request.node.name}_{name}")))
    for url in urls:
        run_migrations(url, national_node.MIGRATIONS)
    dbs = (Database(urls[0]), Database(urls[1]))
    yield dbs
    for db in dbs:
        db.dispose()


def test_projected_rows_equal_the_plain_spelling_column_for_column(two_dbs: tuple[Database, Database]) -> None:
    fast, plain = two_dbs
    records = _records(2_300)
    for db in (fast, plain):
        _store(db, records)
    assert feed.project_pending(fast, lambda: NOW, chunk=700) == len(records)  # chunks cross the insert parts
    _plain_projection(plain)
    got, want = _contents(fast), _contents(plain)
    assert len(want[0]) > 2_000 and want[1], "the set has leads kept and leads quarantined"
    assert got[2] == want[2] == len(records)
    assert got[1] == want[1]
    assert len(got[0]) == len(want[0])
    for a, b in zip(got[0], want[0], strict=True):
        assert a == b
    assert got[3] == want[3] and sum(r[-1] for r in want[3]) == 3 * len(want[0])  # every lead counted 3 times


def test_a_projection_that_fails_part_way_resumes_without_loss_or_duplicates(
        two_dbs: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch) -> None:
    fast, plain = two_dbs
    records = _records(1_600)
    for db in (fast, plain):
        _store(db, records)
    real = feed._insert_leads
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the worker died here")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feed, "_insert_leads", failing)
    with pytest.raises(RuntimeError):
        feed.project_pending(fast, lambda: NOW, chunk=600)
    monkeypatch.setattr(feed, "_insert_leads", real)
    partial = _contents(fast)
    assert 0 < partial[2] < len(records) and partial[0], "some chunks committed before the failure"
    assert feed.project_pending(fast, lambda: NOW, chunk=600) > 0
    _plain_projection(plain)
    assert _contents(fast) == _contents(plain)


# Moments at the edges of the cube's buckets (days in China, UTC+8; weeks from Monday; months), offsets, naive,
# unusable ones (counted as now); and, in a few parts only, moments the projection leaves to the trigger (a year at
# an end of the range, a sub-second SQLite's date() may round up).
_EDGE_MOMENTS = ["2026-11-30T15:59:59+00:00", "2026-11-30T16:00:00+00:00", "2026-11-30T23:59:59.998999+08:00",
                 "2026-12-01T00:00:00+08:00", "2026-11-29T16:00:00Z", "2026-11-29T15:59:59.5Z",  # Sun/Mon in China
                 "2026-11-22T23:59:59.9+08:00", "2026-02-28T16:00:00+00:00", "2024-02-29T12:00:00-11:00",
                 "2026-12-31T16:00:00+00:00", "2026-12-31T15:59:59.998999Z", "2026-06-15T08:30:00",
                 "2026-06-15T08:30:00.123456-05:30", "0002-03-04T05:06:07", "9998-12-31T15:00:00+00:00", "",
                 "not a moment", "2026-13-01T00:00:00"]
# (Not "9999-12-31T20:00:00Z": its day in China is in year 10000, which the trigger refuses on SQLite and psycopg
# cannot read back on PostgreSQL — as before this change.)
_LEFT_TO_THE_TRIGGER = ["0001-01-01T00:00:00+00:00", "9999-12-31T10:00:00Z", "9999-12-31T15:59:59Z",
                        "2026-11-30T15:59:59.9995Z", "2026-11-30T23:59:59.999999+08:00"]


def _distinct_records(n: int) -> list[tuple[str, str, int | None, bytes]]:
    """`n` leads of distinct natural keys and uuids (nothing filed before), moments from `_EDGE_MOMENTS` and the
    report dimensions varied: the projection writes their cube deltas itself."""
    rng = random.Random(20)
    out = []
    for i in range(n):
        region = REGIONS[i % 3 == 0]
        moment = (_LEFT_TO_THE_TRIGGER[i // 97 % len(_LEFT_TO_THE_TRIGGER)] if i % 97 == 50
                  else _EDGE_MOMENTS[i % len(_EDGE_MOMENTS)])
        lead = sync_pb2.Lead(listing_id=f"tb-{i}", right="TM-1", type=rng.choice(["trademark", "patent"]),
                             score=0.5, model_version="m-1", detected_at=moment,
                             listing_title=rng.choice(["", "康帅傅 红烧牛肉面"]),
                             source=rng.choice(["", "ecommerce", "customs", "other"]),
                             origin=rng.choice(["", "monitoring", "holder_request"]),
                             industry=rng.choice([0, 30, 45, 99]))
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        record = sync_pb2.Record(uuid=uid, revision=1, region=region, epoch=1, sequence=i + 1,
                                 created_at=NOW.isoformat(), lead=lead)
        out.append((region, RecordStatus.APPLIED.value, limits.LIMITS_FINGERPRINT, record.SerializeToString()))
    return out


def test_the_cube_counted_by_the_projection_equals_the_triggers_counts(two_dbs: tuple[Database, Database]) -> None:
    """The projection mutes the leads table's cube trigger for its inserts and writes one delta a key: the cube's
    figures are the trigger's, to the key, on both engines; parts holding a moment it does not work out itself
    (a year at the end of the range, a sub-second SQLite may round) and parts where a lead was filed before go in
    through the trigger."""
    fast, plain = two_dbs
    records = _distinct_records(1_800)
    for db in (fast, plain):
        _store(db, records)
    with fast.read() as s:
        assert feed._cube_guarded(s.connection()), "the Alembic revision guards the insert trigger"
    assert feed.project_pending(fast, lambda: NOW, chunk=40) == len(records)  # some parts free of awkward moments
    _plain_projection(plain)
    got, want = _contents(fast), _contents(plain)
    assert len(want[0]) == len(records) and not want[1]
    assert got == want
    assert sum(r[-1] for r in want[3]) == 3 * len(records)
    assert _delta_rows(fast) < _delta_rows(plain) == 3 * len(records), "the projection wrote its own deltas"
