"""Duplicated, replayed and reordered batches, sent by hand to a real national server process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from sync.v1 import sync_pb2
from tests.fault import rawgrpc
from tests.fault.harness import (
    Federation,
    NationalNode,
    Processes,
    RegionalNode,
    assert_in_sync,
    national_record_bytes,
    national_rows,
    outbox_rows,
    query,
    wait_leads_projected,
)

pytestmark = pytest.mark.e2e


@dataclass
class Bench:
    federation: Federation
    national: NationalNode

    def region(self, code: str) -> tuple[RegionalNode, rawgrpc.Credentials]:
        region = self.federation.region(code, self.national.address)
        return region, rawgrpc.Credentials.of_region(region)

    def channel(self, creds: rawgrpc.Credentials) -> grpc.Channel:
        return rawgrpc.channel(self.national.address, creds)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory, fault_pki: Path) -> Iterator[Bench]:
    """One national node (server and worker) for the module; each test uses its own region."""
    root = tmp_path_factory.mktemp("replay")
    fed = Federation(root=root, pki=fault_pki, procs=Processes(root / "logs"))
    try:
        national = fed.national()
        national.start()
        national.start_worker()
        yield Bench(fed, national)
    finally:
        fed.close()


def _batches(region: RegionalNode, creds: rawgrpc.Credentials, *ranges: tuple[int, int]) -> list[sync_pb2.Batch]:
    key = creds.signer()
    return [rawgrpc.signed_batch(region.code, 1, rawgrpc.outbox_bodies(region, 1, first, last), key)
            for first, last in ranges]


def test_duplicated_and_replayed_batches_are_acknowledged_as_duplicates_and_stored_once(bench: Bench) -> None:
    region, creds = bench.region("440000")
    uuids = region.fill(1500)
    b1, b2, overlap = _batches(region, creds, (1, 500), (501, 1000), (801, 1200))

    first = rawgrpc.push(bench.channel(creds), [rawgrpc.hello(region.code), rawgrpc.batch(b1), rawgrpc.batch(b1),
                                                rawgrpc.batch(b2), rawgrpc.batch(b1)])
    assert first.code == grpc.StatusCode.OK, first.describe()
    assert first.welcome.high_water == 0
    assert first.acks == [(500, 0, 500), (0, 500, 500), (500, 0, 1000), (0, 500, 1000)]

    # a later stream on a new connection replays an old batch, then one that half overlaps
    again = rawgrpc.push(bench.channel(creds), [rawgrpc.hello(region.code), rawgrpc.batch(b2),
                                                rawgrpc.batch(overlap)])
    assert again.code == grpc.StatusCode.OK, again.describe()
    assert again.welcome.high_water == 1000
    assert again.acks == [(0, 500, 1000), (200, 200, 1200)]
    assert national_rows(bench.national, region.code) == outbox_rows(region)[:1200]

    region.sync_ok()  # the region itself carries on from the high-water mark
    assert_in_sync(region, bench.national)
    wait_leads_projected(bench.national, region.code, uuids, timeout=60)


def test_a_batch_beyond_the_high_water_mark_is_refused_naming_the_expected_sequence_and_the_region_recovers(
        bench: Bench) -> None:
    region, creds = bench.region("330000")
    uuids = region.fill(1500)
    b1, b3 = _batches(region, creds, (1, 500), (1001, 1500))

    reordered = rawgrpc.push(bench.channel(creds), [rawgrpc.hello(region.code), rawgrpc.batch(b1), rawgrpc.batch(b3)])
    assert reordered.acks == [(500, 0, 500)], reordered.describe()
    assert reordered.code == grpc.StatusCode.FAILED_PRECONDITION, reordered.describe()
    assert "expected a batch starting at 501" in reordered.details
    assert national_rows(bench.national, region.code) == outbox_rows(region)[:500]

    alone = rawgrpc.push(bench.channel(creds), [rawgrpc.hello(region.code), rawgrpc.batch(b3)])
    assert alone.code == grpc.StatusCode.FAILED_PRECONDITION, alone.describe()
    assert "expected a batch starting at 501" in alone.details
    assert national_rows(bench.national, region.code) == outbox_rows(region)[:500]

    region.sync_ok()
    assert_in_sync(region, bench.national)
    wait_leads_projected(bench.national, region.code, uuids, timeout=60)


def _altered(region: RegionalNode, epoch: int, first: int, last: int) -> list[rawgrpc.Body]:
    """The region's records first..last, same uuid and revision, another payload, renumbered into `epoch`."""
    out = []
    for seq, body in rawgrpc.outbox_bodies(region, 1, first, last):
        record = sync_pb2.Record()
        record.ParseFromString(body)
        record.epoch = epoch
        record.lead.score = 0.1
        record.lead.listing_title = "altered after delivery"
        out.append((seq, record.SerializeToString(deterministic=True)))
    return out


def _scores(bench: Bench, code: str) -> list[tuple[object, ...]]:
    return query(bench.national.db_path, "SELECT uuid, score, listing_title FROM leads WHERE region = ? ORDER BY uuid",
                 (code,))


def test_a_stored_record_replayed_with_a_different_payload_is_never_overwritten(bench: Bench) -> None:
    region, creds = bench.region("310000")
    region.fill(500)
    region.sync_ok()
    wait_leads_projected(bench.national, region.code, [u for _e, _s, u in outbox_rows(region)], timeout=60)
    stored = national_record_bytes(bench.national, region.code)
    scores = _scores(bench, region.code)

    # the same records (uuid, revision, position) with another payload, correctly signed by the region
    forged = _altered(region, 1, 1, 10)
    replay = rawgrpc.push(bench.channel(creds), [
        rawgrpc.hello(region.code), rawgrpc.batch(rawgrpc.signed_batch(region.code, 1, forged, creds.signer()))])

    assert replay.code in (grpc.StatusCode.OK, grpc.StatusCode.FAILED_PRECONDITION,
                           grpc.StatusCode.INVALID_ARGUMENT), replay.describe()
    assert national_record_bytes(bench.national, region.code) == stored, "a stored record was overwritten"
    assert _scores(bench, region.code) == scores
    assert_in_sync(region, bench.national)


def test_a_record_resent_in_a_new_epoch_with_a_different_payload_is_kept_as_a_conflict_and_not_applied(
        bench: Bench) -> None:
    region, creds = bench.region("370000")
    region.fill(500)
    region.sync_ok()
    wait_leads_projected(bench.national, region.code, [u for _e, _s, u in outbox_rows(region)], timeout=60)
    stored = national_record_bytes(bench.national, region.code)
    scores = _scores(bench, region.code)

    # as a restored region re-staging records would: epoch 2, sequence 1.., the uuids of epoch 1 — altered;
    # then one new lead, whose projection shows the projector has been past the altered ones
    forged = _altered(region, 2, 1, 10)
    fresh = rawgrpc.lead(region.code, 2, 11)
    granted = rawgrpc.restore(bench.channel(creds), epoch=1)  # only an operator's restore opens epoch 2
    assert granted.epoch == 2
    resent = rawgrpc.push(bench.channel(creds), [
        rawgrpc.hello(region.code, epoch=2, grant=granted.grant),
        rawgrpc.batch(rawgrpc.signed_batch(region.code, 2, forged, creds.signer())),
        rawgrpc.batch(rawgrpc.signed_batch(region.code, 2, rawgrpc.bodies([fresh]), creds.signer()))])

    assert resent.code == grpc.StatusCode.OK, resent.describe()
    assert [applied for applied, _dup, _high in resent.acks] == [0, 1], f"altered records applied: {resent.describe()}"
    kept = query(bench.national.db_path, "SELECT sequence, uuid, status FROM uplink_records "
                                         "WHERE region = ? AND epoch = 2 AND sequence <= 10 ORDER BY sequence",
                 (region.code,))
    assert [(s, u) for s, u, _st in kept] == [(s, u) for _e, s, u in outbox_rows(region)[:10]]
    assert {st for _s, _u, st in kept} == {"conflict"}, kept
    after = national_record_bytes(bench.national, region.code)
    assert {k: after[k] for k in stored} == stored, "a stored record was overwritten"
    wait_leads_projected(bench.national, region.code, [u for _e, _s, u in outbox_rows(region)] + [fresh.uuid], 60)
    assert [row for row in _scores(bench, region.code) if row[0] != fresh.uuid] == scores
