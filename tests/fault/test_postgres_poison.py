"""A poison record on a national node running on real PostgreSQL never stalls the federation.

The issue: a validly signed lead whose title holds NUL, or whose listing_id is longer than its
column, was acknowledged, then the national worker failed every 2 s with DataError and
projected no lead of any region. Now the batch is refused before the acknowledgement (naming
record and field), and a poison record already stored (accepted by an older version) is
quarantined by the projection — with the reason, a metric and an alert — while every other
lead is projected.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa

from tests.fault import rawgrpc
from tests.fault.harness import (
    Federation,
    NationalNode,
    cli,
    cli_ok,
    free_port,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def _national_on_postgres(federation: Federation, url: str) -> NationalNode:
    data_dir = federation.root / "national-pg"
    cli_ok(["national", "init", "--data-dir", data_dir, "--pki", federation.pki, "--database-url", url])
    return NationalNode(data_dir=data_dir, port=free_port(), procs=federation.procs)


def _store_legacy_poison(url: str, region: str, sequence: int, lead_fields: dict[str, str]) -> str:
    """A poison lead stored as an older version acknowledged it (bypassing today's ingest checks)."""
    from sync.v1 import sync_pb2

    record = sync_pb2.Record(region=region, epoch=1, sequence=sequence, uuid=str(uuid.uuid4()), revision=1,
                             created_at="2026-11-21T08:00:00+00:00",
                             lead=sync_pb2.Lead(right="TM-1", type="trademark", score=0.9, **lead_fields))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        batch_id = conn.execute(sa.text(
            "INSERT INTO uplink_batches (region, epoch, first_sequence, count, root, signature, leaves, cert_serial, "
            "received_at) VALUES (:r, 1, :s, 1, '', '', '', 'legacy', now()) RETURNING id"),
            {"r": region, "s": sequence}).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO uplink_records (region, epoch, sequence, uuid, revision, kind, status, record, batch_id, "
            "leaf_index, received_at) VALUES (:r, 1, :s, :u, 1, 'lead', 'applied', :b, :batch, 0, now())"),
            {"r": region, "s": sequence, "u": record.uuid, "b": record.SerializeToString(), "batch": batch_id})
    engine.dispose()
    return record.uuid


def _leads(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT region, count(*) FROM leads GROUP BY region")).all())
    engine.dispose()
    return {str(k): int(v) for k, v in rows.items()}


def test_poison_records_on_postgresql_are_refused_or_quarantined_and_every_other_lead_is_projected(
        federation: Federation, pg_url: str) -> None:
    national = _national_on_postgres(federation, pg_url)
    national.start()
    a = federation.region("440000", national.address)
    b = federation.region("330000", national.address)
    a.fill(400)
    b.fill(300)
    a.sync_ok()

    # a validly signed poison lead, sent as a foreign or older client would: refused before the acknowledgement
    creds = rawgrpc.Credentials.issued(federation.pki, "330000")
    for change, field in (({"listing_title": "康师傅\x00方便面"}, "lead.listing_title contains a NUL"),
                          ({"listing_id": "x" * 100_000}, "lead.listing_id is 100,000 characters long")):
        bad = rawgrpc.lead("330000", 1, 1)
        for key, value in change.items():
            setattr(bad.lead, key, value)
        refused = rawgrpc.push(rawgrpc.channel(national.address, creds), [
            rawgrpc.hello("330000"),
            rawgrpc.batch(rawgrpc.signed_batch("330000", 1, rawgrpc.bodies([bad]), creds.signer()))])
        assert refused.code == grpc.StatusCode.INVALID_ARGUMENT, refused.describe()
        assert f"lead record {bad.uuid} (sequence 1): field {field}" in refused.details
    b.sync_ok()
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT region, count(*) FROM uplink_records GROUP BY region")).all())
    engine.dispose()
    assert stored == {"440000": 400, "330000": 300}, stored

    # poison stored by an older version (NUL in a title, a listing_id longer than its column), then a good lead
    nul = _store_legacy_poison(pg_url, "310000", 1, {"listing_id": "p-1", "listing_title": "坏\x00标题"})
    long_id = _store_legacy_poison(pg_url, "310000", 2, {"listing_id": "x" * 100_000, "listing_title": "t"})
    good = _store_legacy_poison(pg_url, "310000", 3, {"listing_id": "p-3", "listing_title": "正常标题"})
    national.start_worker()
    want = {"440000": 400, "330000": 300, "310000": 1}
    wait_until(lambda: _leads(pg_url) == want, 120, "every good lead of every region to be projected on PostgreSQL",
               lambda: f"{_leads(pg_url)}\n{national.log_tails()}")

    status = json.loads(cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout)
    assert status["quarantined"] == 2, status
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        reasons = dict(conn.execute(sa.text("SELECT uuid, reason FROM quarantine")).all())
        projected = set(conn.execute(sa.text("SELECT uuid FROM leads WHERE region = '310000'")).scalars())
    engine.dispose()
    assert projected == {good}
    assert "lead.listing_title contains a NUL" in reasons[nul]
    assert "lead.listing_id is 100,000 characters long; at most 200" in reasons[long_id]
    time.sleep(3)  # a few worker cycles: no DataError loop
    worker_log = Path(national.worker_log).read_text(encoding="utf-8", errors="replace") if national.worker_log else ""
    assert "DataError" not in worker_log
    assert "ALERT projection quarantined record" in worker_log
