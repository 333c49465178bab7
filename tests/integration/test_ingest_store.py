"""The national ingest's store path on SQLite and PostgreSQL: exactly once, all or nothing, bytes kept.

In-process (no gRPC): a region's signed batches go through `prepare_batch` and `store_batch` in
the caller's transaction, as the servicer runs them. These tests fail on a wrong dedup (a record
stored twice, a duplicate stored as applied, a conflict missed) and on a partial batch (some rows
of a refused batch kept, or the batch row or the region's counters moved without its records).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from google.protobuf.message import DecodeError
from hypothesis import given, settings
from hypothesis import strategies as st

from national import ingest
from national import node as national_node
from national.models import RegionRow, UplinkBatch, UplinkRecord
from sync.db import Database, run_migrations, sqlite_url
from sync.envelope import leaf_hash, make_batch
from sync.pki import RegionTrust
from sync.v1 import sync_pb2

REGION = "440000"
NOW = dt.datetime(2026, 12, 1, 3, 30, 15, 123456, tzinfo=dt.UTC)
KEY = ed25519.Ed25519PrivateKey.generate()
TRUST = RegionTrust(code=REGION, signing_public_key=KEY.public_key().public_bytes(
    serialization.Encoding.Raw, serialization.PublicFormat.Raw), revoked_serials=frozenset(), cert_serial="c1")
WHO = ingest.Sender(region=REGION, cert_serial="c1", epoch=1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = sqlite_url(tmp_path / "national.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    run_migrations(url, national_node.MIGRATIONS)
    database = Database(url)
    with database.transaction() as session:
        ingest.hello(session, sync_pb2.Hello(region=REGION, epoch=1), REGION, NOW)
    yield database
    database.dispose()


def lead_record(sequence: int, uid: str | None = None, title: str = "康帅傅 红烧牛肉面", revision: int = 1,
                listing: str = "") -> bytes:
    return sync_pb2.Record(
        uuid=uid or str(uuid.uuid4()), revision=revision, region=REGION, epoch=1, sequence=sequence,
        created_at=NOW.isoformat(), lead=sync_pb2.Lead(
            listing_id=listing or f"tb-{sequence}", right="TM-0000001", type="trademark", score=0.9, reasons=["相似商标"],
            listing_title=title, right_title="康师傅", detected_at=NOW.isoformat(),
            seller=sync_pb2.Seller(name="深圳某商行", phone="13800138000"))).SerializeToString()


def batch_of(items: list[tuple[int, bytes]]) -> sync_pb2.Batch:
    return make_batch(REGION, 1, items, KEY)


def store(db: Database, batch: sync_pb2.Batch, known_high: int) -> ingest.BatchOutcome:
    prepared = ingest.prepare_batch(WHO, TRUST, batch, known_high)
    with db.transaction() as session:
        return ingest.store_batch(session, WHO, prepared, NOW)


def stored(db: Database) -> list[tuple[int, str, str, bytes, int]]:
    with db.read() as session:
        rows = session.execute(sa.select(UplinkRecord.sequence, UplinkRecord.uuid, UplinkRecord.status,
                                         UplinkRecord.record, UplinkRecord.leaf_index)
                               .where(UplinkRecord.region == REGION).order_by(UplinkRecord.sequence)).all()
    return [(int(s), u, str(getattr(st, "value", st)), bytes(b), int(i)) for s, u, st, b, i in rows]


def region_row(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        row = session.get(RegionRow, REGION)
        assert row is not None
        return row.high_water, row.records, row.conflicts


def test_a_batch_is_stored_byte_for_byte_with_its_batch_row_and_counters(db: Database) -> None:
    items = [(s, lead_record(s)) for s in range(1, 8)]
    outcome = store(db, batch_of(items), 0)
    assert (outcome.applied, outcome.duplicates, outcome.conflicts, outcome.high_water) == (7, 0, 0, 7)
    rows = stored(db)
    assert [(s, b, i) for s, _u, _st, b, i in rows] == [(s, b, s - 1) for s, b in items]
    assert {st for _s, _u, st, _b, _i in rows} == {"applied"}
    assert region_row(db) == (7, 7, 0)
    with db.read() as session:
        batch = session.scalars(sa.select(UplinkBatch)).one()
        received = session.scalars(sa.select(UplinkRecord.received_at)).all()
    assert batch.leaves == b"".join(leaf_hash(b) for _s, b in items)
    assert (batch.first_sequence, batch.count, batch.cert_serial) == (1, 7, "c1")
    # the time stamps read back as the instant they were written, on both columns' stored formats
    for value in [batch.received_at, *received]:
        assert value.replace(tzinfo=value.tzinfo or dt.UTC) == NOW


def test_a_replayed_batch_and_an_overlapping_one_store_only_the_new_tail(db: Database) -> None:
    items = [(s, lead_record(s)) for s in range(1, 11)]
    store(db, batch_of(items[:6]), 0)
    again = store(db, batch_of(items[:6]), 6)  # the whole batch again: acknowledged, nothing stored
    assert (again.applied, again.duplicates, again.high_water) == (0, 6, 6)
    overlap = store(db, batch_of(items[3:]), 6)  # 4..10, of which 4..6 are stored already
    assert (overlap.applied, overlap.duplicates, overlap.high_water) == (4, 3, 10)
    rows = stored(db)
    assert [(s, b) for s, _u, _st, b, _i in rows] == items  # each sequence exactly once, bytes equal
    assert [i for *_x, i in rows[6:]] == [3, 4, 5, 6]  # leaf index within the batch that carried it
    assert region_row(db) == (10, 10, 0)


def test_the_same_uuid_and_revision_is_a_duplicate_with_the_same_payload_and_a_conflict_with_another(
        db: Database) -> None:
    first = str(uuid.uuid4())
    store(db, batch_of([(1, lead_record(1, first, listing="tb-1")), (2, lead_record(2))]), 0)
    # the region filed the same lead again (same payload: a duplicate), a changed one (a conflict), and
    # inside this batch one uuid twice: the first applied, the second a duplicate of it
    inner = str(uuid.uuid4())
    outcome = store(db, batch_of([(3, lead_record(3, first, listing="tb-1")),
                                  (4, lead_record(4, first, title="另一个标题", listing="tb-1")),
                                  (5, lead_record(5, inner, listing="tb-5")), (6, lead_record(6, inner, listing="tb-5"))]),
                    2)
    statuses = {s: st for s, _u, st, _b, _i in stored(db)}
    assert statuses == {1: "applied", 2: "applied", 3: "duplicate", 4: "conflict", 5: "applied", 6: "duplicate"}
    assert (outcome.applied, outcome.duplicates, outcome.conflicts) == (1, 2, 1)
    assert region_row(db) == (6, 6, 1)


def test_a_batch_overlapping_what_another_stream_stored_is_refused_whole(db: Database) -> None:
    items = [(s, lead_record(s)) for s in range(1, 9)]
    store(db, batch_of(items[:4]), 0)
    before = stored(db)
    with db.read() as session:
        batches_before = session.scalar(sa.select(sa.func.count()).select_from(UplinkBatch))
    # a second stream that saw high-water 2 sends 3..8: 3 and 4 are stored already by the first stream
    with pytest.raises(sa.exc.IntegrityError):
        store(db, batch_of(items[2:]), 2)
    assert stored(db) == before  # nothing of 5..8 kept: all or nothing
    with db.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(UplinkBatch)) == batches_before
    assert region_row(db) == (4, 4, 0)


def test_a_batch_larger_than_one_look_up_is_stored_whole(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "_IN_CHUNK", 5)
    items = [(s, lead_record(s, listing=f"tb-{s}")) for s in range(1, 24)]
    outcome = store(db, batch_of(items), 0)
    assert (outcome.applied, outcome.high_water) == (23, 23)
    assert [(s, b) for s, _u, _st, b, _i in stored(db)] == items
    originals = [sync_pb2.Record.FromString(b) for _s, b in items]
    repeat = [(s, lead_record(s, r.uuid, listing=r.lead.listing_id)) for s, r in zip(range(24, 47), originals, strict=True)]
    # the same leads filed again under new sequences (same payloads): all duplicates, found across chunks
    outcome = store(db, batch_of(repeat), 23)
    assert (outcome.applied, outcome.duplicates) == (0, 23)


def test_a_record_breaking_a_limit_refuses_the_batch_before_anything_is_stored(db: Database) -> None:
    bad = sync_pb2.Record.FromString(lead_record(3))
    bad.lead.listing_title = "标题\x00"
    items = [(1, lead_record(1)), (2, lead_record(2)), (3, bad.SerializeToString()), (4, lead_record(4))]
    with pytest.raises(ingest.InvalidRecord) as refused:
        store(db, batch_of(items), 0)
    assert refused.value.sequence == 3 and "listing_title" in str(refused.value)
    assert stored(db) == [] and region_row(db) == (0, 0, 0)


def test_a_good_batch_is_checked_in_one_pass_and_a_doubtful_one_record_by_record_with_the_same_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sync import limits

    items = [(i, full_lead(i, str(uuid.uuid4()), f"tb-{i}")) for i in range(1, 41)]
    batch = batch_of(items)
    expected = [(s, b, "lead", sync_pb2.Record.FromString(b).uuid, 1) for s, b in items]
    real = limits.record_checker
    with monkeypatch.context() as m:  # every record well formed: the record-by-record check is never asked
        m.setattr(limits, "record_checker", lambda kind: pytest.fail("checked record by record"))
        assert ingest.prepare_batch(WHO, TRUST, batch, 0).records == expected
        assert ingest.prepare_batch(WHO, TRUST, batch, 25).records == expected[25:]
    # parameters after a space are a JSON object too: the one pass is not sure, the record check accepts them
    doubtful = sync_pb2.Record.FromString(items[20][1])
    doubtful.lead.reason_codes[1].params_json = ' {"class": 30}'
    items[20] = (21, doubtful.SerializeToString())
    asked: list[str] = []
    monkeypatch.setattr(limits, "record_checker", lambda kind: asked.append(kind) or real(kind))
    prepared = ingest.prepare_batch(WHO, TRUST, batch_of(items), 0)
    assert [r[:2] for r in prepared.records] == items and asked == ["lead"]
    # a broken record: the refusal names it and its field, as the record-by-record check always did
    for broken in (5, 33):
        bad = sync_pb2.Record.FromString(items[broken - 1][1])
        bad.lead.seller.shop_url = "javascript:alert(1)"
        refused_items = [*items[:broken - 1], (broken, bad.SerializeToString()), *items[broken:]]
        with pytest.raises(ingest.InvalidRecord) as refused:
            ingest.prepare_batch(WHO, TRUST, batch_of(refused_items), 0)
        assert refused.value.sequence == broken
        assert str(refused.value.errors[0]) == str(limits.validate_record(bad)[0])
        assert "lead.seller.shop_url" in str(refused.value)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_one_pass_accepts_only_what_the_record_by_record_check_accepts_byte_for_byte(data: st.DataObject) -> None:
    """Damaged bytes (flipped, cut, inserted), foreign regions, sequences, kinds: whenever the one pass answers,
    its records are exactly those the record-by-record check keeps; otherwise that check decides."""
    n = data.draw(st.integers(1, 6))
    bodies = [full_lead(i, str(uuid.uuid4()), f"tb-{i}") for i in range(1, n + 1)]
    for _ in range(data.draw(st.integers(0, 3))):
        i = data.draw(st.integers(0, n - 1))
        body = bytearray(bodies[i])
        at = data.draw(st.integers(0, len(body) - 1))
        how = data.draw(st.sampled_from(["flip", "cut", "insert", "region", "sequence", "kind", "control"]))
        if how == "flip":
            body[at] ^= data.draw(st.integers(1, 255))
        elif how == "cut":
            del body[at:at + data.draw(st.integers(1, 8))]
        elif how == "insert":
            body[at:at] = data.draw(st.binary(min_size=1, max_size=6))
        else:
            try:
                rec = sync_pb2.Record.FromString(bodies[i])
            except DecodeError:  # damaged by an earlier step: leave it so
                continue
            if how == "region":
                rec.region = "110000"
            elif how == "sequence":
                rec.sequence += 1
            elif how == "kind":
                rec.filing.subject = "x"
            else:
                rec.lead.seller.address = "a\x01b"
            body = bytearray(rec.SerializeToString())
        bodies[i] = bytes(body)
    known_high = data.draw(st.integers(0, n))
    one_pass = ingest._checked_in_one_pass(WHO, bodies, 1, known_high)
    batch = batch_of(list(enumerate(bodies, 1)))
    monkey = pytest.MonkeyPatch()
    monkey.setattr(ingest, "_checked_in_one_pass", lambda *_a: None)
    try:
        try:
            expected: object = ingest.prepare_batch(WHO, TRUST, batch, known_high).records
        except ingest.IngestError as exc:
            expected = exc
    finally:
        monkey.undo()
    if one_pass is not None:
        assert one_pass == expected


def full_lead(sequence: int, uid: str, listing: str) -> bytes:
    return sync_pb2.Record(
        uuid=uid, revision=1, region=REGION, epoch=1, sequence=sequence, created_at=NOW.isoformat(),
        lead=sync_pb2.Lead(
            listing_id=listing, right="TM-0000007", type="trademark", score=0.875,
            reasons=["相似商标 康师傅", "same goods class 30"],
            reason_codes=[sync_pb2.ReasonCode(code="tm.lookalike", params_json='{"mark": "康师傅", "window": "康帅傅"}'),
                          sync_pb2.ReasonCode(code="tm.same_class", params_json='{"class": 30}')],
            model_version="trademark-2026.11.0", listing_title="康帅傅 红烧牛肉面", right_title="康师傅",
            listing_url="https://item.taobao.com/item.htm?id=7", platform="taobao", source="ecommerce",
            seller=sync_pb2.Seller(name="深圳某商行", uscc="91440300MA5F12345X", phone="13800138000",
                                   address="广东省深圳市宝安区", shop_url="https://shop7.taobao.com/"),
            detected_at="2026-11-30T10:00:00+08:00", state="new", origin="monitoring", industry=30,
            city="440300")).SerializeToString()


def test_a_projected_lead_lands_every_field_in_its_column_and_a_refiled_one_becomes_an_alias(db: Database) -> None:
    from national import feed
    from national.models import LeadAlias, NationalLead

    first, again = str(uuid.uuid4()), str(uuid.uuid4())
    store(db, batch_of([(1, full_lead(1, first, "tb-7")), (2, lead_record(2, listing="tb-8")),
                        (3, full_lead(3, again, "tb-7"))]), 0)  # 3: the same listing filed again, new uuid
    assert feed.project_pending(db, lambda: NOW) == 3
    with db.read() as session:
        lead = session.scalars(sa.select(NationalLead).where(NationalLead.uuid == first)).one()
        assert session.scalar(sa.select(sa.func.count()).select_from(NationalLead)) == 2
        alias = session.get(LeadAlias, again)
        assert alias is not None and alias.lead_id == lead.id
        assert feed.canonical_lead(session, again).id == lead.id  # type: ignore[union-attr]
    got = {c: getattr(lead, c) for c in ("region", "listing_id", "listing_title", "listing_url", "platform",
                                         "right_number", "right_title", "type", "score", "reasons", "model_version",
                                         "seller_name", "seller_uscc", "seller_phone", "seller_address",
                                         "seller_shop_url", "detected_at", "source", "origin", "industry", "city")}
    assert got == {"region": REGION, "listing_id": "tb-7", "listing_title": "康帅傅 红烧牛肉面",
                   "listing_url": "https://item.taobao.com/item.htm?id=7", "platform": "taobao",
                   "right_number": "TM-0000007", "right_title": "康师傅", "type": "trademark", "score": 0.875,
                   "reasons": ["相似商标 康师傅", "same goods class 30"], "model_version": "trademark-2026.11.0",
                   "seller_name": "深圳某商行", "seller_uscc": "91440300MA5F12345X", "seller_phone": "13800138000",
                   "seller_address": "广东省深圳市宝安区", "seller_shop_url": "https://shop7.taobao.com/",
                   "detected_at": "2026-11-30T10:00:00+08:00", "source": "ecommerce", "origin": "monitoring",
                   "industry": 30, "city": "440300"}
    assert lead.reason_codes == [{"code": "tm.lookalike", "mark": "康师傅", "window": "康帅傅"},
                                 {"code": "tm.same_class", "class": 30}]
    detected = lead.detected if lead.detected.tzinfo else lead.detected.replace(tzinfo=dt.UTC)
    received = lead.received_at if lead.received_at.tzinfo else lead.received_at.replace(tzinfo=dt.UTC)
    assert detected == dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC) and received == NOW
    assert feed.project_pending(db, lambda: NOW) == 0  # caught up: nothing read twice


def test_a_chunk_of_new_leads_is_projected_in_order_without_looking_for_refiled_ones(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every lead of the chunk is new: the insert says so (PostgreSQL: one INSERT … SELECT from the COPY), so the
    projection does not look up the chunk's uuids and natural keys again (that look-up cost ~45 µs a lead)."""
    from national import feed
    from national.models import NationalLead

    def no_lookup(*_args: object) -> int:
        raise AssertionError("every lead was new: nothing to look up")

    monkeypatch.setattr(feed, "_alias_redone_leads", no_lookup)
    uids = [str(uuid.uuid4()) for _ in range(7)]
    store(db, batch_of([(i, full_lead(i, uid, f"tb-{i}")) for i, uid in enumerate(uids, 1)]), 0)
    assert feed.project_pending(db, lambda: NOW) == 7
    with db.read() as session:
        got = list(session.scalars(sa.select(NationalLead.uuid).order_by(NationalLead.id)))
    assert got == uids  # ids in the order the records were filed


@pytest.mark.postgres
def test_a_lead_postgresql_refuses_is_quarantined_alone_and_the_rest_of_its_chunk_projected(pg_url: str) -> None:
    """A record stored as checked that the database still refuses (a NUL in a title: PostgreSQL text cannot hold
    it) fails the chunk's COPY; the chunk is split until it is alone, quarantined with the database's reason."""
    from national import feed
    from national.models import NationalLead, QuarantinedRecord

    run_migrations(pg_url, national_node.MIGRATIONS)
    database = Database(pg_url)
    with database.transaction() as session:
        ingest.hello(session, sync_pb2.Hello(region=REGION, epoch=1), REGION, NOW)
    bodies = [(i, lead_record(i, title="坏\x00标题" if i == 4 else f"title {i}")) for i in range(1, 8)]
    batch = batch_of(bodies)
    records = []
    for sequence, body in bodies:
        rec = sync_pb2.Record()
        rec.ParseFromString(body)
        records.append((sequence, body, "lead", rec.uuid, 1))
    prepared = ingest.Prepared(batch=batch, leaves=b"".join(leaf_hash(b) for _s, b in bodies), records=records, known_high=0)
    with database.transaction() as session:  # stored as checked (bypassing today's limits, as an old node did)
        ingest.store_batch(session, WHO, prepared, NOW)
    assert feed.project_pending(database, lambda: NOW) == 7
    with database.read() as session:
        projected = list(session.scalars(sa.select(NationalLead.listing_id).order_by(NationalLead.id)))
        quarantined = session.execute(sa.select(QuarantinedRecord.uuid, QuarantinedRecord.reason)).all()
    database.dispose()
    assert projected == [f"tb-{i}" for i in (1, 2, 3, 5, 6, 7)]
    assert [u for u, _r in quarantined] == [records[3][3]]
    assert quarantined[0][1].startswith("the database refused the lead")


def _with_raw_reason_code(body: bytes, element: bytes) -> bytes:
    """`body` (a lead record) with one more reason_codes element whose bytes are `element`, as they are (field 30 of
    the lead, length-delimited: a ReasonCode that may not parse)."""
    rec = sync_pb2.Record.FromString(body)
    lead = rec.lead.SerializeToString() + bytes((0xF2, 0x01, len(element))) + element  # tag of field 30, wire type 2
    rec.ClearField("lead")
    return rec.SerializeToString() + b"\x52" + bytes((len(lead) & 0x7F | 0x80, len(lead) >> 7)) + lead  # field 10


def test_reason_codes_read_as_bytes_in_the_one_pass_refuse_what_the_record_check_refuses() -> None:
    """The one pass reads each lead's reason codes as their bytes and parses each distinct one once: a code that is
    not a ReasonCode (invalid UTF-8, a broken field) or breaks a limit makes it answer None, and the
    record-by-record path refuses the batch with the same refusal as before; distinct good codes all pass."""
    from sync import limits

    assert len(full_lead(1, str(uuid.uuid4()), "tb-1")) < 2**14  # _with_raw_reason_code's two-byte length
    good = [full_lead(i, str(uuid.uuid4()), f"tb-{i}") for i in range(1, 31)]
    many = []
    for i, body in enumerate(good, 1):  # every lead's own parameters: 30 distinct elements, each parsed
        rec = sync_pb2.Record.FromString(body)
        rec.lead.reason_codes[0].params_json = f'{{"mark": "康师傅", "window": "康帅{i}"}}'
        many.append(rec.SerializeToString())
    assert ingest._checked_in_one_pass(WHO, many, 1, 0) == [
        (s, b, "lead", sync_pb2.Record.FromString(b).uuid, 1) for s, b in enumerate(many, 1)]
    for element, refusal in [
        (b"\x0a\x02\xff\xfe", ingest.Malformed),  # code: invalid UTF-8 — the Record does not parse
        (b"\x0a\x05tm.x", ingest.Malformed),  # a length past the element's end
        (b"\x0a\x04Tm.x", ingest.InvalidRecord),  # parses, breaks the code's pattern
        (b"\x0a\x04tm.x\x12\x03[1]", ingest.InvalidRecord),  # parameters not a JSON object
    ]:
        items = [*good[:11], _with_raw_reason_code(good[11], element), *good[12:]]
        assert ingest._checked_in_one_pass(WHO, items, 1, 0) is None, element
        with pytest.raises(refusal) as refused:
            ingest.prepare_batch(WHO, TRUST, batch_of(list(enumerate(items, 1))), 0)
        assert "12" in str(refused.value), element
        if refusal is ingest.InvalidRecord:
            assert refused.value.sequence == 12  # type: ignore[attr-defined]
            assert "reason_codes" in str(refused.value)
            assert not limits.validate_record(sync_pb2.Record.FromString(items[11])) == []
