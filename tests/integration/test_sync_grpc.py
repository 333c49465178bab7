"""Sync over a real national gRPC server: real sockets on port 0, real mutual TLS, real databases."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa

from national import cases as national_cases
from national.feed import project_leads
from national.models import CaseRow, NationalLead, UplinkRecord
from regional import outbox, state, sync_agent
from regional.models import AuditEntry, OutboxRow, ReceivedCase
from regional.node import MIGRATIONS as REGIONAL_MIGRATIONS
from sync.db import Database, run_migrations, sqlite_url
from sync.envelope import make_batch
from sync.pki import init_ca, issue_region, revoke_region
from sync.transport import client_channel
from sync.v1 import sync_pb2, sync_pb2_grpc
from tests.net_fixtures import NOW, Net, clock

__all__ = ["NOW", "Net", "clock"]


def region_db(net: Net, code: str) -> Database:
    url = sqlite_url(net.tmp / f"region-{code}.db")
    run_migrations(url, REGIONAL_MIGRATIONS)
    return Database(url)


def channel_for(net: Net, code: str, pki: Path | None = None) -> grpc.Channel:
    d = (pki or net.pki) / "regions" / code
    return client_channel(net.target, d / "ca.crt", d / "region.crt", d / "region.key")


def signer_for(net: Net, code: str) -> outbox.Signer:
    return outbox.Signer.from_file(code, net.pki / "regions" / code / "signing.key")


def lead_record(listing: str, right: str, uscc: str = "", phone: str = "") -> sync_pb2.Record:
    return sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, lead=sync_pb2.Lead(
        listing_id=listing, right=right, type="trademark", score=0.9, reasons=["test"], model_version="t-1",
        seller=sync_pb2.Seller(name="某某商行", uscc=uscc, phone=phone, address="广东省深圳市宝安区"),
        listing_title=f"title {listing}", right_title="康师傅"))


def write_leads(db: Database, signer: outbox.Signer, n: int, prefix: str = "l") -> list[str]:
    uuids = []
    with db.transaction() as s:
        for i in range(n):
            rec = lead_record(f"{prefix}-{i}", f"TM-{i % 7}")
            outbox.append(s, signer, rec, NOW)
            uuids.append(rec.uuid)
    return uuids


def national_uuids(net: Net, region: str) -> list[str]:
    with net.national.read() as s:
        return list(s.scalars(sa.select(UplinkRecord.uuid).where(UplinkRecord.region == region)
                              .order_by(UplinkRecord.epoch, UplinkRecord.sequence)))


def test_pushed_leads_are_stored_once_and_acknowledged(net: Net) -> None:
    db = region_db(net, "440000")
    sent = write_leads(db, signer_for(net, "440000"), 1234)
    ch = channel_for(net, "440000")
    result = sync_agent.push_once(db, ch, signer_for(net, "440000"), clock=clock)
    assert result.sent == 1234 and result.applied == 1234 and result.high_water == 1234
    assert national_uuids(net, "440000") == sent
    with db.read() as s:
        assert state.get_int(s, state.ACKED) == 1234
    again = sync_agent.push_once(db, ch, signer_for(net, "440000"), clock=clock)
    assert again.sent == 0 and again.high_water == 1234
    with net.national.transaction() as s:
        while project_leads(s, NOW):
            pass
    with net.national.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(NationalLead)) == 1234


def test_replayed_batches_change_nothing(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 10)
    with db.read() as s:
        rows = [(r.sequence, r.record) for r in s.scalars(sa.select(OutboxRow).order_by(OutboxRow.sequence))]
    batch = make_batch("440000", 1, rows, signer.key)
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "440000"))
    msgs = [sync_pb2.UplinkMessage(hello=sync_pb2.Hello(region="440000", epoch=1)),
            sync_pb2.UplinkMessage(batch=batch), sync_pb2.UplinkMessage(batch=batch)]
    replies = list(stub.Push(iter(msgs), timeout=10))
    assert replies[0].welcome.high_water == 0
    assert (replies[1].ack.applied, replies[1].ack.duplicates) == (10, 0)
    assert (replies[2].ack.applied, replies[2].ack.duplicates, replies[2].ack.high_water) == (0, 10, 10)
    assert len(national_uuids(net, "440000")) == 10


def _push_raw(net: Net, code: str, msgs: list[sync_pb2.UplinkMessage], pki: Path | None = None) -> grpc.RpcError:
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, code, pki))
    with pytest.raises(grpc.RpcError) as info:
        list(stub.Push(iter(msgs), timeout=10))
    return info.value


def _batch(records: list[sync_pb2.Record], key, region: str = "440000") -> sync_pb2.UplinkMessage:  # type: ignore[no-untyped-def]
    rows = [(r.sequence, r.SerializeToString()) for r in records]
    return sync_pb2.UplinkMessage(batch=make_batch(region, 1, rows, key))


def _hello(code: str) -> sync_pb2.UplinkMessage:
    return sync_pb2.UplinkMessage(hello=sync_pb2.Hello(region=code, epoch=1))


def test_a_gap_is_refused_naming_the_expected_sequence(net: Net) -> None:
    signer = signer_for(net, "440000")
    rec = lead_record("x", "TM-1")
    rec.region, rec.epoch, rec.sequence = "440000", 1, 5
    err = _push_raw(net, "440000", [_hello("440000"), _batch([rec], signer.key)])
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "expected a batch starting at 1" in err.details()
    assert national_uuids(net, "440000") == []


def test_region_a_certificate_cannot_send_region_b_records(net: Net) -> None:
    signer = signer_for(net, "440000")  # signed with A's key, but carrying B's record
    rec = lead_record("x", "TM-1")
    rec.region, rec.epoch, rec.sequence = "330000", 1, 1
    err = _push_raw(net, "440000", [_hello("440000"), _batch([rec], signer.key)])
    assert err.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.INVALID_ARGUMENT)
    assert national_uuids(net, "330000") == [] and national_uuids(net, "440000") == []


def test_a_hello_claiming_another_region_is_refused(net: Net) -> None:
    err = _push_raw(net, "440000", [_hello("330000")])
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "certificate names region 440000" in err.details()


def test_a_bad_signature_is_refused_and_nothing_stored(net: Net) -> None:
    rogue_key = outbox.Signer.from_file("330000", net.pki / "regions" / "330000" / "signing.key").key
    rec = lead_record("x", "TM-1")
    rec.region, rec.epoch, rec.sequence = "440000", 1, 1
    err = _push_raw(net, "440000", [_hello("440000"), _batch([rec], rogue_key)])
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "signature" in err.details()
    assert national_uuids(net, "440000") == []


def test_a_revoked_certificate_is_refused(net: Net) -> None:
    revoke_region(net.pki, "440000")
    err = _push_raw(net, "440000", [_hello("440000")])
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "revoked" in err.details()


def test_a_certificate_from_a_rogue_ca_cannot_connect(net: Net, tmp_path: Path) -> None:
    rogue = tmp_path / "rogue"
    init_ca(rogue)
    issue_region(rogue, "440000")
    # the rogue region trusts the real national CA, so only the server side can refuse it
    (rogue / "regions" / "440000" / "ca.crt").write_bytes((net.pki / "ca.crt").read_bytes())
    err = _push_raw(net, "440000", [_hello("440000")], pki=rogue)
    assert err.code() == grpc.StatusCode.UNAVAILABLE
    assert national_uuids(net, "440000") == []


def test_cross_region_case_reaches_every_region_concerned(net: Net) -> None:
    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    shared_uscc = "91440300MA5FXXXX1X"
    for code, db in dbs.items():
        with db.transaction() as s:
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-1", "TM-9", uscc=shared_uscc), NOW)
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-2", "TM-8", phone=f"138{code[:2]}000000"), NOW)
        sync_agent.push_once(db, channel_for(net, code), signer_for(net, code), clock=clock)
    with net.national.transaction() as s:
        project_leads(s, NOW)
        formed = national_cases.form_cases(s, NOW)
    assert formed.cases_created == 1 and formed.downlink_items == 2
    with net.national.read() as s:
        case = s.scalar(sa.select(CaseRow))
        assert case is not None and sorted(case.regions) == ["330000", "440000"]
    for code, db in dbs.items():
        got = sync_agent.pull_once(db, channel_for(net, code), clock=clock)
        assert got.received == 1
        again = sync_agent.pull_once(db, channel_for(net, code), clock=clock)
        assert again.received == 0
        with db.read() as s:
            rows = list(s.scalars(sa.select(ReceivedCase)))
        assert [r.case_uuid for r in rows] == [case.uuid]
        assert len(rows[0].payload["leads"]) == 2
    # forming again changes nothing and queues nothing
    with net.national.transaction() as s:
        assert national_cases.form_cases(s, NOW).downlink_items == 0


def test_a_restored_region_is_refused_until_an_operator_restores_it_then_loses_nothing(net: Net) -> None:
    import shutil

    from national.models import AuditEntry as NationalAudit
    from national.models import RegionRow

    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 30, prefix="a")
    ch = channel_for(net, "440000")
    sync_agent.push_once(db, ch, signer, clock=clock)
    db.dispose()
    shutil.copyfile(net.tmp / "region-440000.db", net.tmp / "backup.db")  # WAL is checkpointed on dispose
    db = Database(sqlite_url(net.tmp / "region-440000.db"))
    write_leads(db, signer, 20, prefix="b")
    sync_agent.push_once(db, ch, signer, clock=clock)
    db.dispose()
    for suffix in ("", "-wal", "-shm"):
        (net.tmp / f"region-440000.db{suffix}").unlink(missing_ok=True)
    shutil.copyfile(net.tmp / "backup.db", net.tmp / "region-440000.db")
    db = Database(sqlite_url(net.tmp / "region-440000.db"))
    after_restore = write_leads(db, signer, 5, prefix="c")  # sequences 31..35 of epoch 1 locally, never sent

    # the restored database does not raise its own epoch: it is refused, and the national office sees why
    with pytest.raises(sync_agent.Diverged, match="hufu regional restore"):
        sync_agent.push_once(db, ch, signer, clock=clock)
    with db.read() as s:
        assert outbox.current_epoch(s) == 1
    with net.national.read() as s:
        row = s.get(RegionRow, "440000")
        assert row is not None and row.epoch == 1 and row.copies_detected_at is not None
        assert "older copy" in (row.copies_detail or "")

    restored = sync_agent.restore(db, ch, signer, operator="ops-zhang", reason="disk failure, backup of 02:00",
                                  clock=clock)
    assert (restored.old_epoch, restored.new_epoch, restored.staged_again) == (1, 2, 5)
    result = sync_agent.push_once(db, ch, signer, clock=clock)
    with db.read() as s:
        assert outbox.current_epoch(s) == 2
        new_epoch = [r.uuid for r in s.scalars(sa.select(OutboxRow).where(OutboxRow.epoch == 2)
                                                 .order_by(OutboxRow.sequence))]
        audited = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "region_restored"))
    assert audited is not None and audited.actor == "ops-zhang"
    assert new_epoch == after_restore, "records written after the restore are delivered in the new epoch"
    assert result.high_water == 5
    assert national_uuids(net, "440000")[50:] == after_restore
    with net.national.read() as s:
        epoch1 = s.scalar(sa.select(sa.func.count()).select_from(UplinkRecord).where(UplinkRecord.epoch == 1))
        recorded = s.scalar(sa.select(NationalAudit).where(NationalAudit.action == "region_restored"))
        row = s.get(RegionRow, "440000")
    assert epoch1 == 50, "everything the national node had is kept"
    assert recorded is not None and recorded.detail["operator"] == "ops-zhang" and recorded.detail["to_epoch"] == 2
    assert row is not None and row.epoch == 2 and row.restored_at is not None


def test_the_same_record_with_another_payload_is_kept_as_a_conflict(net: Net) -> None:
    signer = signer_for(net, "440000")
    first = lead_record("x", "TM-1")
    first.region, first.epoch, first.sequence = "440000", 1, 1
    second = sync_pb2.Record()
    second.CopyFrom(first)
    second.sequence = 2
    second.lead.score = 0.1  # same uuid and revision, other payload
    third = sync_pb2.Record()
    third.CopyFrom(first)
    third.sequence = 3  # same uuid, revision and payload: a duplicate
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "440000"))
    replies = list(stub.Push(iter([_hello("440000"), _batch([first, second, third], signer.key)]), timeout=10))
    assert replies[1].ack.high_water == 3
    with net.national.read() as s:
        statuses = [r.status.value for r in s.scalars(sa.select(UplinkRecord).order_by(UplinkRecord.sequence))]
    assert statuses == ["applied", "conflict", "duplicate"]
    with net.national.transaction() as s:
        project_leads(s, NOW)
    with net.national.read() as s:
        lead = s.scalar(sa.select(NationalLead))
    assert lead is not None and lead.score == 0.9, "the first payload is never overwritten"


def test_reconciliation_reports_the_ranges_that_differ(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 2500)
    ch = channel_for(net, "440000")
    sync_agent.push_once(db, ch, signer, clock=clock)
    assert sync_agent.reconcile(db, ch, clock=clock).divergent == []
    with net.national.transaction() as s:  # simulate damage on the national side
        s.execute(sa.delete(UplinkRecord).where(UplinkRecord.sequence == 1500))
    result = sync_agent.reconcile(db, ch, clock=clock)
    assert [(d["first"], d["last"], d["region_count"], d["national_count"]) for d in result.divergent] == [
        (1001, 2000, 1000, 999)]


def test_a_region_behind_the_feed_retention_gets_a_snapshot(net: Net) -> None:
    from national import feed

    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    for code, db in dbs.items():
        with db.transaction() as s:
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-1", "TM-9", uscc="91440300MA5FXXXX1X"), NOW)
        sync_agent.push_once(db, channel_for(net, code), signer_for(net, code), clock=clock)
    with net.national.transaction() as s:
        project_leads(s, NOW)
        national_cases.form_cases(s, NOW)
        assert feed.purge(s, "440000", NOW + dt.timedelta(days=1)) == 1
    got = sync_agent.pull_once(dbs["440000"], channel_for(net, "440000"), clock=clock)
    assert got.received == 1
    with dbs["440000"].read() as s:
        rows = list(s.scalars(sa.select(ReceivedCase)))
        assert len(rows) == 1 and len(rows[0].payload["leads"]) == 2
    assert sync_agent.pull_once(dbs["440000"], channel_for(net, "440000"), clock=clock).received == 0


def test_the_acknowledged_mark_is_written_once_per_interval_and_when_the_exchange_ends(
        net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    db = region_db(net, "440000")
    write_leads(db, signer_for(net, "440000"), 2600)  # batches of 50, then 500 x 5, then 50
    saved: list[int] = []
    real_save = sync_agent._save_acked

    def save(db_: Database, high: int, now: dt.datetime) -> None:
        saved.append(high)
        real_save(db_, high, now)

    monkeypatch.setattr(sync_agent, "_save_acked", save)
    monkeypatch.setattr(sync_agent, "ACK_SAVE_INTERVAL_S", 3600.0)
    result = sync_agent.push_once(db, channel_for(net, "440000"), signer_for(net, "440000"), clock=clock)
    assert result.high_water == 2600
    assert saved == [2600]  # one write for seven acknowledgements (the welcome's 0 is what the region holds)
    with db.read() as s:
        assert state.get_int(s, state.ACKED) == 2600
    # an interval of 0 writes every acknowledgement, as before
    write_leads(db, signer_for(net, "440000"), 1100, prefix="m")
    saved.clear()
    monkeypatch.setattr(sync_agent, "ACK_SAVE_INTERVAL_S", 0.0)
    sync_agent.push_once(db, channel_for(net, "440000"), signer_for(net, "440000"), clock=clock)
    assert saved == [2650, 3150, 3650, 3700]  # the welcome's 2600 was saved already: no write before sending
    # a mark behind the national node's (a lost write): the welcome's is written before anything is sent
    with db.transaction() as s:
        state.put(s, state.ACKED, 1000, NOW)
    saved.clear()
    again = sync_agent.push_once(db, channel_for(net, "440000"), signer_for(net, "440000"), clock=clock)
    assert again.sent == 0 and saved == [3700]
    with db.read() as s:
        assert state.get_int(s, state.ACKED) == 3700


def test_an_exchange_that_fails_after_some_acknowledgements_keeps_them(net: Net,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = region_db(net, "440000")
    write_leads(db, signer_for(net, "440000"), 2600)
    monkeypatch.setattr(sync_agent, "ACK_SAVE_INTERVAL_S", 3600.0)
    acks: list[int] = []

    def observer(event: str, first: int) -> None:
        if event == "acked":
            acks.append(first)
            if len(acks) == 3:
                raise RuntimeError("the region stops here")

    with pytest.raises(RuntimeError, match="stops here"):
        sync_agent.push_once(db, channel_for(net, "440000"), signer_for(net, "440000"), clock=clock,
                             observer=observer)
    with db.read() as s:
        assert state.get_int(s, state.ACKED) == 550  # the first two batches (50 + 500), written on the way out
    # the broken stream's batches in flight may still be being stored: the national node answers a new stream
    # of the region ABORTED ("concurrent stream … reconnect") until they are, and the region's next exchange
    # comes later — as its sync loop would, try again shortly
    for attempt in range(40):
        try:
            result = sync_agent.push_once(db, channel_for(net, "440000"), signer_for(net, "440000"), clock=clock)
            break
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.ABORTED or "concurrent stream" not in (exc.details() or "") \
                    or attempt == 39:
                raise
            time.sleep(0.25)
    assert result.high_water == 2600 and result.sent < 2600 - 550  # batches in flight were stored, not resent
    stored = national_uuids(net, "440000")
    assert len(stored) == len(set(stored)) == 2600
