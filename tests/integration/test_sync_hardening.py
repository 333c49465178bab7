"""Issue 8's sync hardening over real gRPC with mutual TLS: limits, poison records, rotation, status.

Each test names the behaviour the issue asked for; each failed before its fix.
"""

from __future__ import annotations

import datetime as dt
import uuid

import grpc
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from national import feed
from national.grpc_server import BAD_SEQUENCE_METADATA
from national.ingest import verify_stored
from national.models import LeadAlias, NationalLead, QuarantinedRecord, RegionRow, UplinkRecord
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from national.status import Standing, quarantined_total, read_status
from regional import outbox, state, sync_agent
from regional.models import OutboxRow, OutboxWithheld
from sync import limits
from sync.db import Database, run_migrations
from sync.envelope import make_batch
from sync.pki import issue_region, load_trust, revoke_region
from sync.v1 import sync_pb2, sync_pb2_grpc
from tests.integration.test_sync_grpc import (
    NOW,
    Net,
    channel_for,
    clock,
    lead_record,
    national_uuids,
    region_db,
    signer_for,
    write_leads,
)

OK_OR_REFUSED = {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION,
                 grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.ABORTED}


def _numbered(rec: sync_pb2.Record, seq: int, region: str = "440000", epoch: int = 1) -> sync_pb2.Record:
    rec.region, rec.epoch, rec.sequence = region, epoch, seq
    rec.created_at = rec.created_at or NOW.isoformat()
    return rec


def _push(net: Net, code: str, messages: list[sync_pb2.UplinkMessage]) -> tuple[list[sync_pb2.UplinkReply],
                                                                                  grpc.RpcError | None]:
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, code))
    replies: list[sync_pb2.UplinkReply] = []
    try:
        for reply in stub.Push(iter(messages), timeout=20):
            replies.append(reply)
    except grpc.RpcError as exc:
        return replies, exc
    return replies, None


def _hello(code: str = "440000", **fields: object) -> sync_pb2.UplinkMessage:
    return sync_pb2.UplinkMessage(hello=sync_pb2.Hello(region=code, epoch=1, **fields))  # type: ignore[arg-type]


def _batch(records: list[sync_pb2.Record], net: Net, code: str = "440000") -> sync_pb2.UplinkMessage:
    rows = [(r.sequence, r.SerializeToString(deterministic=True)) for r in records]
    return sync_pb2.UplinkMessage(batch=make_batch(code, 1, rows, signer_for(net, code).key))


def _trailer(exc: grpc.RpcError, key: str) -> str | None:
    return dict(exc.trailing_metadata() or ()).get(key)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- item 2: validation before the ack


@pytest.mark.parametrize(("change", "field"), [
    ({"listing_title": "康师傅\x00方便面"}, "lead.listing_title"),
    ({"listing_id": "x" * 201}, "lead.listing_id"),
    ({"listing_url": "javascript:alert(1)"}, "lead.listing_url"),
    ({"listing_title": "长" * 300_000}, "lead.listing_title"),
])
def test_a_validly_signed_poison_lead_is_refused_before_the_ack_naming_record_and_field(
        net: Net, change: dict[str, str], field: str) -> None:
    good = _numbered(lead_record("ok-1", "TM-1"), 1)
    bad = _numbered(lead_record("bad-2", "TM-1"), 2)
    for key, value in change.items():
        setattr(bad.lead, key, value)
    replies, err = _push(net, "440000", [_hello(), _batch([good, bad], net)])
    assert err is not None and err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert f"lead record {bad.uuid} (sequence 2): field {field}" in (err.details() or "")
    assert _trailer(err, BAD_SEQUENCE_METADATA) == "2"
    assert [r.WhichOneof("body") for r in replies] == ["welcome"]
    assert national_uuids(net, "440000") == [], "nothing of a refused batch is stored"
    with net.national.read() as s:
        row = s.get(RegionRow, "440000")
        assert row is not None and row.last_error and row.last_error_at is not None


def test_the_server_enforces_the_batch_limits_the_protocol_promises(net: Net) -> None:
    records = [_numbered(lead_record(f"b-{i}", "TM-1"), i + 1) for i in range(501)]
    _replies, err = _push(net, "440000", [_hello(), _batch(records, net)])
    assert err is not None and err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "501 records; at most 500" in (err.details() or "")
    big = [_numbered(lead_record(f"c-{i}", "TM-1"), i + 1) for i in range(300)]
    for rec in big:
        rec.lead.reasons[:] = ["理由" * 900]  # 5.4 kB each: 1.6 MB in all
    _replies, err = _push(net, "440000", [_hello(), _batch(big, net)])
    assert err is not None and err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "at most 1,048,576 per batch" in (err.details() or "")
    assert national_uuids(net, "440000") == []


def test_the_outbox_refuses_a_record_over_its_limits_naming_record_and_field(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    rec = sync_pb2.Record(uuid=str(uuid.uuid4()), case_feedback=sync_pb2.CaseFeedback(
        case_uuid=str(uuid.uuid4()), status="note", note="备注" * 7_500_000))  # the 15 MB note of the issue
    with pytest.raises(limits.LimitError, match=r"field case_feedback\.note is 15,000,000 characters"):
        with db.transaction() as s:
            outbox.append(s, signer, rec, NOW)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OutboxRow)) == 0


# ---------------------------------------------------------------- item 3: a poison outbox record never blocks


def _poison(db: Database, signer: outbox.Signer, seq: int) -> None:
    """A record that entered the outbox before limits existed: a 15 MB note."""
    rec = sync_pb2.Record(region=signer.region, epoch=1, sequence=seq, uuid=str(uuid.uuid4()), revision=1,
                          created_at=NOW.isoformat(), case_feedback=sync_pb2.CaseFeedback(
                              case_uuid=str(uuid.uuid4()), status="note", note="x" * 15_000_000))
    with db.transaction() as s:
        s.add(OutboxRow(epoch=1, sequence=seq, uuid=rec.uuid, kind="case_feedback", revision=1,
                        record=rec.SerializeToString(), created_at=NOW))


def test_a_poison_outbox_record_is_withheld_behind_a_signed_tombstone_and_the_records_after_it_flow(
        net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    before = write_leads(db, signer, 3, prefix="a")
    _poison(db, signer, 4)
    after = write_leads(db, signer, 5, prefix="b")  # sequences 5..9
    channel = channel_for(net, "440000")
    result = sync_agent.push_once(db, channel, signer, clock=clock)
    assert result.high_water == 9
    with db.read() as s:
        withheld = s.scalars(sa.select(OutboxWithheld)).all()
        assert [(w.sequence, w.kind) for w in withheld] == [(4, "case_feedback")]
        assert "field case_feedback.note is 15,000,000 characters" in withheld[0].reason
        assert len(withheld[0].record) > 15_000_000, "the original is kept whole for an officer"
        assert s.scalar(sa.select(OutboxRow.kind).where(OutboxRow.sequence == 4)) == "tombstone"
        assert sync_agent.status(s)["withheld"] == 1
    with net.national.read() as s:
        kinds = list(s.execute(sa.select(UplinkRecord.sequence, UplinkRecord.kind).order_by(UplinkRecord.sequence)))
    assert [k for _s, k in kinds] == ["lead"] * 3 + ["tombstone"] + ["lead"] * 5
    assert national_uuids(net, "440000")[:3] == before and national_uuids(net, "440000")[4:] == after
    with net.national.read() as s:
        tomb = sync_pb2.Record()
        tomb.ParseFromString(s.scalar(sa.select(UplinkRecord.record).where(UplinkRecord.sequence == 4)))
        assert tomb.tombstone.kind == "case_feedback" and tomb.tombstone.size > 15_000_000
        # the tombstone is signed like any record: the filing verifies
        rec_id = s.scalar(sa.select(UplinkRecord.id).where(UplinkRecord.sequence == 4))
        verify_stored(s, rec_id, load_trust(net.pki)["440000"])
    channel.close()


def test_a_record_the_national_node_refuses_is_withheld_and_the_push_goes_on(net: Net,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 2, prefix="a")
    bad = _numbered(lead_record("z", "TM-1"), 3)
    bad.lead.listing_title = "坏\x00记录"
    with db.transaction() as s:  # written by an older region software that did not check limits
        s.add(OutboxRow(epoch=1, sequence=3, uuid=bad.uuid, kind="lead", revision=1,
                        record=bad.SerializeToString(deterministic=True), created_at=NOW))
    write_leads(db, signer, 2, prefix="b")
    monkeypatch.setattr(outbox, "sendable", lambda body: None)  # the region does not notice: the national node does
    result = sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    assert result.high_water == 5
    with db.read() as s:
        reason = s.scalar(sa.select(OutboxWithheld.reason))
    assert reason is not None and "refused by the national node" in reason and "lead.listing_title" in reason


# ---------------------------------------------------------------- items 2 and 9: the projection


def _store_raw(net: Net, region: str, seq: int, record: sync_pb2.Record, kind: str = "lead") -> None:
    """A record stored before this node validated at ingest (legacy data), bypassing the servicer."""
    from national.models import RecordStatus, UplinkBatch

    with net.national.transaction() as s:
        b = UplinkBatch(region=region, epoch=1, first_sequence=seq, count=1, root=b"", signature=b"", leaves=b"",
                        cert_serial="legacy", received_at=NOW)
        s.add(b)
        s.flush()
        s.add(UplinkRecord(region=region, epoch=1, sequence=seq, uuid=record.uuid[:36], revision=1, kind=kind,
                           status=RecordStatus.APPLIED, record=record.SerializeToString(), batch_id=b.id,
                           leaf_index=0, received_at=NOW))


def test_the_projection_quarantines_what_it_cannot_apply_and_projects_every_other_lead(net: Net) -> None:
    good = [_numbered(lead_record(f"g-{i}", "TM-1"), i + 1) for i in range(3)]
    poison = _numbered(lead_record("p", "TM-1"), 4)
    poison.lead.listing_title = "NUL\x00title"
    for rec in [*good, poison]:
        _store_raw(net, "440000", rec.sequence, rec)
    later = _numbered(lead_record("g-9", "TM-1"), 5)
    _store_raw(net, "440000", 5, later)
    assert feed.project_pending(net.national, clock) == 5
    with net.national.read() as s:
        projected = set(s.scalars(sa.select(NationalLead.uuid)))
        quarantined = s.scalars(sa.select(QuarantinedRecord)).all()
        total = quarantined_total(s)
    assert projected == {r.uuid for r in [*good, later]}
    assert [(q.uuid, q.kind) for q in quarantined] == [(poison.uuid, "lead")]
    assert "lead.listing_title" in quarantined[0].reason and "NUL" in quarantined[0].reason
    assert total == 1
    assert feed.project_pending(net.national, clock) == 0, "the cursor moved past the quarantined record"


def test_a_lead_filed_again_under_a_new_uuid_is_kept_once_by_its_natural_key(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    first = write_leads(db, signer, 4, prefix="redo")
    # the region restored an old backup and imported the lost listings again: same listing, right, type
    again = write_leads(db, signer, 4, prefix="redo")
    assert set(first).isdisjoint(again)
    sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    feed.project_pending(net.national, clock)
    with net.national.read() as s:
        leads = list(s.scalars(sa.select(NationalLead.uuid).order_by(NationalLead.id)))
        aliases = {a.uuid: a.lead_id for a in s.scalars(sa.select(LeadAlias))}
        canonical = feed.canonical_lead(s, again[2])
    assert leads == first
    assert set(aliases) == set(again)
    assert canonical is not None and canonical.uuid == first[2]


# ---------------------------------------------------------------- item 6: reconciliation is bounded


def test_reconciliation_work_is_bounded_per_call_and_per_region_per_minute(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 50)
    sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "440000"))
    whole = [sync_pb2.RangeDigest(first=1, last=2**62) for _ in range(2000)]
    with pytest.raises(grpc.RpcError) as refused:
        stub.Reconcile(sync_pb2.ReconcileRequest(epoch=1, ranges=whole), timeout=10)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "at most 200 per call" in (refused.value.details() or "")
    with pytest.raises(grpc.RpcError) as wide:
        stub.Reconcile(sync_pb2.ReconcileRequest(epoch=1, ranges=[sync_pb2.RangeDigest(first=1, last=2**62)]),
                       timeout=10)
    assert "at most 10,000 per range" in (wide.value.details() or "")
    ok = sync_pb2.ReconcileRequest(epoch=1, ranges=[sync_pb2.RangeDigest(first=f, last=f + 9_999)
                                                    for f in range(1, 200_000, 10_000)])
    answered = 0
    with pytest.raises(grpc.RpcError) as exhausted:
        for _ in range(10):  # 200,000 sequences a call: the fifth or sixth exceeds 1,000,000 a minute
            stub.Reconcile(ok, timeout=30)
            answered += 1
    assert answered == 5
    assert exhausted.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert float(_trailer(exhausted.value, "hufu-retry-after-s") or 0) > 0


def test_the_regional_reconcile_splits_large_histories_into_bounded_calls(net: Net) -> None:
    db = region_db(net, "330000")
    signer = signer_for(net, "330000")
    write_leads(db, signer, 450)
    sync_agent.push_once(db, channel_for(net, "330000"), signer, clock=clock)
    result = sync_agent.reconcile(db, channel_for(net, "330000"), clock=clock, span=1)  # 450 ranges: 3 calls
    assert result.ranges_compared == 450 and result.divergent == []


# ---------------------------------------------------------------- item 7: every field of every RPC


_u64 = st.one_of(st.integers(0, 2**64 - 1), st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64 - 1]))
_text = st.one_of(st.text(max_size=50), st.sampled_from(["", "440000", "2026-11-21T08:00:00+00:00", "x" * 2000]))


def _code(fn: object) -> grpc.StatusCode:
    try:
        result = fn()  # type: ignore[operator]
        if hasattr(result, "__iter__") and not isinstance(result, (bytes, str)):
            list(result)
    except grpc.RpcError as exc:
        assert exc.code() in OK_OR_REFUSED, f"{exc.code().name}: {exc.details()}"
        return exc.code()  # type: ignore[no-any-return]
    return grpc.StatusCode.OK


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(epoch=_u64, head=_u64, acked=_u64, oldest=_text, software=_text, region=_text, leaf=st.binary(max_size=40),
       grant=st.binary(max_size=300))
def test_fuzzed_hellos_answer_a_named_refusal_never_unknown(net: Net, epoch: int, head: int, acked: int, oldest: str,
                                                            software: str, region: str, leaf: bytes,
                                                            grant: bytes) -> None:
    hello = sync_pb2.Hello(region=region, epoch=epoch, software=software, outbox_head=head, oldest_unsent_at=oldest,
                           acked=acked, acked_leaf=leaf, epoch_grant=grant)
    replies, err = _push(net, "440000", [sync_pb2.UplinkMessage(hello=hello)])
    if err is not None:
        assert err.code() in OK_OR_REFUSED, f"{err.code().name}: {err.details()}"
        for name, value, top in (("epoch", epoch, 2**31 - 1), ("outbox_head", head, 2**63 - 1),
                                 ("acked", acked, 2**63 - 1)):
            if value > top and region == "440000":
                assert f"field {name}" in (err.details() or "") or err.code() != grpc.StatusCode.INVALID_ARGUMENT


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(after=_u64, max_items=st.integers(0, 2**32 - 1))
def test_fuzzed_pulls_answer_a_named_refusal_never_unknown(net: Net, after: int, max_items: int) -> None:
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "440000"))
    code = _code(lambda: stub.Pull(sync_pb2.PullRequest(after_cursor=after, max_items=max_items), timeout=10))
    if after > 2**63 - 1:
        assert code == grpc.StatusCode.INVALID_ARGUMENT


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(epoch=_u64, ranges=st.lists(st.tuples(_u64, _u64, _u64, st.binary(max_size=40)), max_size=5))
def test_fuzzed_reconciliations_answer_a_named_refusal_never_unknown(net: Net, epoch: int,
                                                                     ranges: list[tuple[int, int, int, bytes]]) -> None:
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "330000"))
    request = sync_pb2.ReconcileRequest(epoch=epoch, ranges=[
        sync_pb2.RangeDigest(first=f, last=la, count=c, digest=d) for f, la, c, d in ranges])
    code = _code(lambda: stub.Reconcile(request, timeout=10))
    if epoch > 2**31 - 1:
        assert code == grpc.StatusCode.INVALID_ARGUMENT


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_u64, count=st.integers(0, 2**32 - 1), digest=st.binary(max_size=40), signature=st.binary(max_size=80),
       seqs=st.lists(_u64, max_size=4), bodies=st.lists(st.binary(max_size=60), max_size=4))
def test_fuzzed_batches_answer_a_named_refusal_never_unknown(net: Net, first: int, count: int, digest: bytes,
                                                             signature: bytes, seqs: list[int],
                                                             bodies: list[bytes]) -> None:
    batch = sync_pb2.Batch(first_sequence=first, count=count, digest=digest, signature=signature,
                           envelopes=[sync_pb2.Envelope(record=b, sequence=s) for s, b in zip(seqs, bodies, strict=False)])
    _replies, err = _push(net, "330000", [_hello("330000"), sync_pb2.UplinkMessage(batch=batch)])
    assert err is not None, "a forged batch was acknowledged"
    assert err.code() in OK_OR_REFUSED, f"{err.code().name}: {err.details()}"
    assert national_uuids(net, "330000") == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(epoch=_u64, operator=_text, reason=_text, head=_u64, acked=_u64)
def test_fuzzed_restores_answer_a_named_refusal_never_unknown(net: Net, epoch: int, operator: str, reason: str,
                                                              head: int, acked: int) -> None:
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "330000"))
    request = sync_pb2.RestoreRequest(epoch=epoch, operator=operator, reason=reason, outbox_head=head, acked=acked)
    code = _code(lambda: stub.Restore(request, timeout=10))
    if epoch > 2**31 - 2 or head > 2**63 - 1:
        assert code == grpc.StatusCode.INVALID_ARGUMENT


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=st.fixed_dictionaries({
    "listing_id": _text, "right": _text, "type": _text, "score": st.floats(), "model_version": _text,
    "listing_title": _text, "listing_url": _text, "platform": _text, "source": _text, "right_title": _text,
    "detected_at": _text, "state": _text, "reasons": st.lists(_text, max_size=3)}),
    record_uuid=st.one_of(st.uuids().map(str), _text), created=_text, revision=st.integers(0, 2**32 - 1))
def test_fuzzed_signed_records_are_stored_only_within_their_limits(net: Net, lead: dict[str, object],
                                                                   record_uuid: str, created: str,
                                                                   revision: int) -> None:
    try:
        rec = sync_pb2.Record(region="310000", epoch=1, sequence=0, uuid=record_uuid, revision=revision,
                              created_at=created, lead=sync_pb2.Lead(**lead))  # type: ignore[arg-type]
    except ValueError:
        return
    with net.national.read() as s:
        high = s.scalar(sa.select(sa.func.max(UplinkRecord.sequence)).where(UplinkRecord.region == "310000")) or 0
    rec.sequence = high + 1
    if "310000" not in load_trust(net.pki):
        issue_region(net.pki, "310000")
    within = not limits.validate_record(rec)
    _replies, err = _push(net, "310000", [_hello("310000", outbox_head=high + 1), _batch([rec], net, "310000")])
    if within:
        assert err is None, f"{err.code().name}: {err.details()}"
    else:
        assert err is not None and err.code() == grpc.StatusCode.INVALID_ARGUMENT, err
        assert "field " in (err.details() or "")


# ---------------------------------------------------------------- item 10: certificates and keys


def test_a_reissued_certificate_supersedes_the_old_one_and_every_filing_stays_verifiable(net: Net) -> None:
    import shutil

    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 20, prefix="old")
    old_dir = net.tmp / "old-creds"
    shutil.copytree(net.pki / "regions" / "440000", old_dir)
    sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)

    issue_region(net.pki, "440000")  # re-issued, no revoke, no overlap
    write_leads(db, signer, 5, prefix="after")
    with pytest.raises(grpc.RpcError) as refused:
        sync_agent.push_once(db, _channel_at(net, old_dir), signer, clock=clock)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "superseded" in (refused.value.details() or "")
    stub = sync_pb2_grpc.FederationSyncStub(_channel_at(net, old_dir))
    with pytest.raises(grpc.RpcError):
        list(stub.Pull(sync_pb2.PullRequest(after_cursor=0), timeout=10))
    with net.national.read() as s:
        row = s.get(RegionRow, "440000")
        assert row is not None and "superseded" in (row.last_error or "")

    new_signer = signer_for(net, "440000")  # the region installs its new credentials
    sync_agent.push_once(db, channel_for(net, "440000"), new_signer, clock=clock)
    trust = load_trust(net.pki)["440000"]
    with net.national.read() as s:
        ids = list(s.scalars(sa.select(UplinkRecord.id).where(UplinkRecord.region == "440000")))
        assert len(ids) == 25
        for record_id in ids:  # signed under the old key and under the new one
            verify_stored(s, record_id, trust)


def _channel_at(net: Net, creds: object) -> grpc.Channel:
    from pathlib import Path

    from sync.transport import client_channel

    d = Path(str(creds))
    return client_channel(net.target, d / "ca.crt", d / "region.crt", d / "region.key")


def test_a_planned_rotation_keeps_the_old_certificate_for_the_overlap_only(net: Net) -> None:
    import shutil

    first = net.tmp / "first-creds"
    shutil.copytree(net.pki / "regions" / "330000", first)
    issue_region(net.pki, "330000", overlap=dt.timedelta(hours=2), now=NOW - dt.timedelta(hours=1))
    second = net.tmp / "second-creds"
    shutil.copytree(net.pki / "regions" / "330000", second)
    for creds in (first, second):  # the first within its overlap, the second current
        stub = sync_pb2_grpc.FederationSyncStub(_channel_at(net, creds))
        list(stub.Pull(sync_pb2.PullRequest(after_cursor=0), timeout=10))
    issue_region(net.pki, "330000", now=NOW - dt.timedelta(minutes=30))  # a new issue ends every overlap
    for creds in (first, second):
        stub = sync_pb2_grpc.FederationSyncStub(_channel_at(net, creds))
        with pytest.raises(grpc.RpcError) as refused:
            list(stub.Pull(sync_pb2.PullRequest(after_cursor=0), timeout=10))
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "superseded" in (refused.value.details() or "")
    stub = sync_pb2_grpc.FederationSyncStub(channel_for(net, "330000"))
    list(stub.Pull(sync_pb2.PullRequest(after_cursor=0), timeout=10))


# ---------------------------------------------------------------- item 11: status that tells the truth


def test_status_shows_refusals_staleness_and_silence_from_the_national_clock(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 10)
    sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    sync_agent.pull_once(db, channel_for(net, "440000"), clock=clock)
    with db.read() as s:
        mine = sync_agent.status(s)
    assert mine["last_pull_ok"], "a pull that found nothing new is still a successful pull"
    assert not mine["error_active"]

    with net.national.read() as s:
        ok = {r.code: r for r in read_status(s, NOW + dt.timedelta(seconds=5))}["440000"]
        silent = {r.code: r for r in read_status(s, NOW + dt.timedelta(seconds=400))}["440000"]
    assert ok.standing is Standing.OK and ok.seconds_since_batch == 5.0
    assert silent.standing is Standing.SILENT and silent.silent and silent.lag_seconds >= 400

    revoke_region(net.pki, "440000")
    with pytest.raises(grpc.RpcError):
        sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    with net.national.read() as s:
        refused = {r.code: r for r in read_status(s, NOW)}["440000"]
    assert refused.standing is Standing.REFUSED and refused.error_active and "revoked" in (refused.last_error or "")

    # a region revoked before it ever connected is shown too
    revoke_region(net.pki, "330000")
    with pytest.raises(grpc.RpcError):
        sync_agent.pull_once(region_db(net, "330000"), channel_for(net, "330000"), clock=clock)
    with net.national.read() as s:
        never = {r.code: r for r in read_status(s, NOW)}["330000"]
    assert never.error_active and never.standing is Standing.REFUSED


def test_the_regional_status_clears_an_old_error_once_both_directions_succeed(net: Net) -> None:
    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 3)
    sync_agent.record_error(db, "push: UNAVAILABLE: national node unreachable", NOW - dt.timedelta(seconds=30))
    with db.read() as s:
        assert sync_agent.status(s)["error_active"]
    sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    sync_agent.pull_once(db, channel_for(net, "440000"), clock=clock)
    with db.read() as s:
        after = sync_agent.status(s)
    assert after["last_error"] and not after["error_active"]
    with db.read() as s:
        assert state.get(s, state.LAST_PULL_OK)


@pytest.mark.postgres
def test_on_postgresql_a_row_the_database_refuses_is_quarantined_alone_and_the_rest_projected(
        pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from national.models import RecordStatus, UplinkBatch

    run_migrations(pg_url, NATIONAL_MIGRATIONS)
    db = Database(pg_url)
    records = [_numbered(lead_record(f"pg-{i}", "TM-1"), i + 1) for i in range(40)]
    records[17].lead.listing_title = "NUL\x00inside"  # PostgreSQL text cannot hold NUL: DataError
    records[29].lead.listing_id = "y" * 300  # longer than VARCHAR(200): DataError
    with db.transaction() as s:
        b = UplinkBatch(region="440000", epoch=1, first_sequence=1, count=40, root=b"", signature=b"", leaves=b"",
                        cert_serial="legacy", received_at=NOW)
        s.add(b)
        s.flush()
        s.add_all([UplinkRecord(region="440000", epoch=1, sequence=r.sequence, uuid=r.uuid, revision=1, kind="lead",
                                status=RecordStatus.APPLIED, record=r.SerializeToString(), batch_id=b.id,
                                leaf_index=i, received_at=NOW) for i, r in enumerate(records)])
    # the safety net under the limits: pretend the limits missed both, as an unforeseen column rule would
    monkeypatch.setattr(feed.limits, "valid", lambda _spec, _message: True)
    assert feed.project_pending(db, clock) == 40
    with db.read() as s:
        projected = set(s.scalars(sa.select(NationalLead.uuid)))
        quarantined = {q.uuid: q.reason for q in s.scalars(sa.select(QuarantinedRecord))}
    db.dispose()
    assert projected == {r.uuid for i, r in enumerate(records) if i not in (17, 29)}
    assert set(quarantined) == {records[17].uuid, records[29].uuid}
    assert all(reason.startswith("the database refused the lead") for reason in quarantined.values())


def test_the_national_overview_api_and_metrics_show_standing_and_quarantine(net: Net) -> None:
    from national.config import NationalConfig
    from national.web import create_app

    db = region_db(net, "440000")
    signer = signer_for(net, "440000")
    write_leads(db, signer, 3)
    sync_agent.push_once(db, channel_for(net, "440000"), signer, clock=clock)
    poison = _numbered(lead_record("p", "TM-1"), 9, region="330000")
    poison.lead.listing_title = "NUL\x00"
    _store_raw(net, "330000", 9, poison)
    feed.project_pending(net.national, clock)
    from tests.conftest import web_client

    (net.tmp / "national-web").mkdir(exist_ok=True)
    config = NationalConfig(data_dir=net.tmp / "national-web", database_url=net.national.url, pki_dir=net.pki)
    client = web_client(create_app(config))
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="quarantine-alert"' in html and 'data-standing="' in html
    assert "告警" in html and ("正常" in html or "长时间无联系" in html), "the standing and alert read in Chinese"
    regions = client.get("/api/regions").get_json()
    assert {r["code"]: r["standing"] for r in regions}["440000"] in ("ok", "silent")
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "hufu_projection_quarantined_total 1.0" in metrics
    assert 'hufu_sync_split_brain{region="440000"} 0.0' in metrics
