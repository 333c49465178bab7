"""Whoever may not send, or sends what cannot be accepted, is refused with the right status — and nothing is stored.

One real national server process for the module, with its own PKI: the tests revoke and re-issue.
Region 440000 ("A") never gets a record accepted here, so every forged batch starts at the
sequence the national node expects and is judged on its merits, whatever order the tests run in.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from sync.pki import issue_region
from sync.v1 import sync_pb2
from tests.fault import rawgrpc
from tests.fault.harness import Federation, NationalNode, Processes, cli_ok, make_pki, query

pytestmark = pytest.mark.e2e

A, B, CONTROL, REVOKED, EXPIRED = "440000", "330000", "310000", "320000", "350000"


@dataclass
class Gate:
    federation: Federation
    national: NationalNode
    pki: Path
    rogue_pki: Path

    def creds(self, code: str) -> rawgrpc.Credentials:
        return rawgrpc.Credentials.issued(self.pki, code)

    def push(self, creds: rawgrpc.Credentials, messages: list[sync_pb2.UplinkMessage], *,
             unlimited_send: bool = False) -> rawgrpc.Exchange:
        ch = rawgrpc.channel(self.national.address, creds, unlimited_send=unlimited_send)
        try:
            return rawgrpc.push(ch, messages)
        finally:
            ch.close()

    def stored(self) -> tuple[int, int]:
        """(uplink records, leads) the national node holds, in all regions."""
        db = self.national.db_path
        return (int(query(db, "SELECT count(*) FROM uplink_records")[0][0]),
                int(query(db, "SELECT count(*) FROM leads")[0][0]))


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gate]:
    root = tmp_path_factory.mktemp("refusals")
    pki = make_pki(root / "pki", [A, B, CONTROL, REVOKED])
    # issued by the real CA, registered, but valid only from 10 days ago until 9 days ago
    issue_region(pki, EXPIRED, days=1, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=10))
    # a look-alike CA issuing a certificate for region A; it trusts the real national CA, so only
    # the national node's own check can refuse it
    rogue = make_pki(root / "rogue", [A])
    shutil.copyfile(pki / "ca.crt", rogue / "regions" / A / "ca.crt")
    fed = Federation(root=root, pki=pki, procs=Processes(root / "logs"))
    try:
        national = fed.national()
        national.start()
        yield Gate(fed, national, pki, rogue)
    finally:
        fed.close()


def _leads(code: str, first: int, count: int, *, named: str | None = None) -> list[rawgrpc.Body]:
    return rawgrpc.bodies(rawgrpc.lead(named or code, 1, seq) for seq in range(first, first + count))


def _signed(code: str, items: list[rawgrpc.Body], creds: rawgrpc.Credentials) -> sync_pb2.UplinkMessage:
    return rawgrpc.batch(rawgrpc.signed_batch(code, 1, items, creds.signer()))


def test_a_well_formed_batch_is_accepted_so_the_refusals_below_are_specific(gate: Gate) -> None:
    creds = gate.creds(CONTROL)
    ok = gate.push(creds, [rawgrpc.hello(CONTROL), _signed(CONTROL, _leads(CONTROL, 1, 3), creds)])
    assert ok.code == grpc.StatusCode.OK, ok.describe()
    assert ok.acks == [(3, 0, 3)]


def test_a_client_certificate_from_another_ca_is_refused_at_the_handshake(gate: Gate) -> None:
    before = gate.stored()
    rogue = rawgrpc.Credentials.issued(gate.rogue_pki, A)
    real_key = gate.creds(A)  # even carrying batches signed with A's real key
    refused = gate.push(rogue, [rawgrpc.hello(A), _signed(A, _leads(A, 1, 3), real_key)])
    assert refused.code == grpc.StatusCode.UNAVAILABLE, refused.describe()
    assert refused.replies == [], "the national node answered a certificate it did not issue"
    assert gate.stored() == before


def test_an_expired_client_certificate_is_refused_at_the_handshake(gate: Gate) -> None:
    before = gate.stored()
    creds = gate.creds(EXPIRED)
    refused = gate.push(creds, [rawgrpc.hello(EXPIRED), _signed(EXPIRED, _leads(EXPIRED, 1, 3), creds)])
    assert refused.code == grpc.StatusCode.UNAVAILABLE, refused.describe()
    assert refused.replies == []
    assert gate.stored() == before


def test_regional_sync_with_an_expired_certificate_fails_saying_the_certificate_expired(gate: Gate) -> None:
    region = gate.federation.region(EXPIRED, gate.national.address)
    region.fill(3)
    before = gate.stored()
    done = region.sync()
    assert done.returncode == 1
    # the national node cannot tell the region why the handshake failed; the region can check its own
    says_why = "expired" in done.stderr.lower()
    assert says_why, f"no clear reason given: {done.stderr.strip()}"
    assert gate.stored() == before


def test_region_a_certificate_cannot_deliver_region_b_records(gate: Gate) -> None:
    before = gate.stored()
    a = gate.creds(A)
    # A's own key vouches for records that claim to be B's
    claimed = gate.push(a, [rawgrpc.hello(A), _signed(A, _leads(A, 1, 3, named=B), a)])
    assert claimed.code == grpc.StatusCode.PERMISSION_DENIED, claimed.describe()
    assert A in claimed.details and B in claimed.details, claimed.details
    # B's records, signed with B's real key, relayed over A's connection
    b = gate.creds(B)
    relayed = gate.push(a, [rawgrpc.hello(A), rawgrpc.batch(rawgrpc.signed_batch(B, 1, _leads(B, 1, 3), b.signer()))])
    assert relayed.code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.INVALID_ARGUMENT), relayed.describe()
    # A's connection introducing itself as B
    posing = gate.push(a, [rawgrpc.hello(B), _signed(B, _leads(B, 1, 3), b)])
    assert posing.code == grpc.StatusCode.PERMISSION_DENIED, posing.describe()
    assert A in posing.details and B in posing.details, posing.details
    assert gate.stored() == before


def test_a_revoked_certificate_is_refused_and_regional_sync_says_it_was_revoked(gate: Gate) -> None:
    region = gate.federation.region(REVOKED, gate.national.address)
    region.fill(3)
    cli_ok(["pki", "revoke-region", REVOKED, "--dir", gate.pki])
    before = gate.stored()
    creds = gate.creds(REVOKED)
    refused = gate.push(creds, [rawgrpc.hello(REVOKED), _signed(REVOKED, _leads(REVOKED, 1, 3), creds)])
    assert refused.code == grpc.StatusCode.PERMISSION_DENIED, refused.describe()
    assert "revoked" in refused.details, refused.details
    done = region.sync()
    assert done.returncode == 1 and "revoked" in done.stderr, done.stderr
    assert gate.stored() == before


def test_garbage_record_bytes_are_refused_as_invalid_argument_naming_the_record(gate: Gate) -> None:
    before = gate.stored()
    a = gate.creds(A)
    garbage = [*_leads(A, 1, 2), (3, b"\xff" * 24)]  # correctly signed, but not a Record
    refused = gate.push(a, [rawgrpc.hello(A), _signed(A, garbage, a)])
    assert refused.code == grpc.StatusCode.INVALID_ARGUMENT, refused.describe()
    assert "sequence 3" in refused.details, refused.details
    empty = sync_pb2.Record(region=A, epoch=1, sequence=1, uuid="6a1d3c1e-0000-4000-8000-000000000001", revision=1)
    no_payload = gate.push(a, [rawgrpc.hello(A), _signed(A, rawgrpc.bodies([empty]), a)])
    assert no_payload.code == grpc.StatusCode.INVALID_ARGUMENT, no_payload.describe()
    assert gate.stored() == before


def test_an_uplink_message_that_is_not_protobuf_is_refused_as_invalid_argument(gate: Gate) -> None:
    before = gate.stored()
    ch = rawgrpc.channel(gate.national.address, gate.creds(A))
    push = ch.stream_stream("/sync.v1.FederationSync/Push", request_serializer=None,
                            response_deserializer=sync_pb2.UplinkReply.FromString)
    try:
        list(push(iter([rawgrpc.hello(A).SerializeToString(), b"\xff" * 32]), timeout=rawgrpc.RPC_TIMEOUT_S))
        code, details = grpc.StatusCode.OK, ""
    except grpc.RpcError as exc:
        code, details = exc.code(), exc.details()
    finally:
        ch.close()
    assert code == grpc.StatusCode.INVALID_ARGUMENT, f"{code.name}: {details}"
    assert gate.stored() == before


def test_a_message_over_8_mib_is_refused_with_resource_exhausted_and_the_node_keeps_serving(gate: Gate) -> None:
    before = gate.stored()
    a = gate.creds(A)
    huge = rawgrpc.lead(A, 1, 1)
    huge.lead.listing_title = "x" * (9 * 1024 * 1024)
    refused = gate.push(a, [rawgrpc.hello(A), _signed(A, rawgrpc.bodies([huge]), a)], unlimited_send=True)
    assert refused.code == grpc.StatusCode.RESOURCE_EXHAUSTED, refused.describe()
    assert "8388608" in refused.details, refused.details
    assert gate.stored() == before
    after = gate.push(a, [rawgrpc.hello(A)])
    assert after.code == grpc.StatusCode.OK and after.welcome.high_water == 0, after.describe()


def test_a_batch_signed_with_another_regions_key_is_refused(gate: Gate) -> None:
    before = gate.stored()
    forged = rawgrpc.signed_batch(A, 1, _leads(A, 1, 3), gate.creds(B).signer())
    refused = gate.push(gate.creds(A), [rawgrpc.hello(A), rawgrpc.batch(forged)])
    assert refused.code == grpc.StatusCode.INVALID_ARGUMENT, refused.describe()
    assert "signature" in refused.details, refused.details
    assert gate.stored() == before


def test_a_record_altered_after_signing_is_refused(gate: Gate) -> None:
    before = gate.stored()
    a = gate.creds(A)
    batch = rawgrpc.signed_batch(A, 1, _leads(A, 1, 3), a.signer())
    altered = sync_pb2.Record()
    altered.ParseFromString(batch.envelopes[1].record)
    altered.lead.score = 0.01
    batch.envelopes[1].record = altered.SerializeToString(deterministic=True)
    refused = gate.push(a, [rawgrpc.hello(A), rawgrpc.batch(batch)])
    assert refused.code == grpc.StatusCode.INVALID_ARGUMENT, refused.describe()
    assert gate.stored() == before
