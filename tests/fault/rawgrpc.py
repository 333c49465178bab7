"""Hand-made uplink traffic for the replay and refusal tests, sent to a real national server process.

Batches are built and signed with `sync.envelope.make_batch` (a Merkle root signed once per
batch, ADR 0005), exactly as a region signs them; the tests then reorder, repeat or spoil them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import grpc
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync.envelope import load_signing_key, make_batch
from sync.transport import client_channel
from sync.v1 import sync_pb2, sync_pb2_grpc
from tests.fault.harness import RegionalNode, query

RPC_TIMEOUT_S = 20.0
Body = tuple[int, bytes]  # (sequence, serialized Record)


@dataclass(frozen=True)
class Credentials:
    """What a region holds: TLS certificate and key, the national CA, its Ed25519 signing key."""

    ca_cert: Path
    cert: Path
    key: Path
    signing_key: Path

    @classmethod
    def issued(cls, pki: Path, code: str) -> Credentials:
        """The directory `hufu pki issue-region` wrote for `code`."""
        d = pki / "regions" / code
        return cls(d / "ca.crt", d / "region.crt", d / "region.key", d / "signing.key")

    @classmethod
    def of_region(cls, region: RegionalNode) -> Credentials:
        """The credentials a regional node was initialised with."""
        d = region.data_dir / "pki"
        return cls(d / "ca.crt", d / "region.crt", d / "region.key", d / "signing.key")

    def signer(self) -> ed25519.Ed25519PrivateKey:
        return load_signing_key(self.signing_key)


def channel(target: str, creds: Credentials, *, unlimited_send: bool = False) -> grpc.Channel:
    """A mutual-TLS channel like a region's; `unlimited_send` lifts the client's own 8 MiB cap."""
    if not unlimited_send:
        return client_channel(target, creds.ca_cert, creds.cert, creds.key)
    tls = grpc.ssl_channel_credentials(root_certificates=creds.ca_cert.read_bytes(),
                                       private_key=creds.key.read_bytes(),
                                       certificate_chain=creds.cert.read_bytes())
    return grpc.secure_channel(target, tls, options=[("grpc.ssl_target_name_override", "localhost"),
                                                     ("grpc.max_send_message_length", -1),
                                                     ("grpc.max_receive_message_length", -1)])


def lead(region: str, epoch: int, sequence: int) -> sync_pb2.Record:
    """A well-formed lead record at a given position."""
    return sync_pb2.Record(region=region, epoch=epoch, sequence=sequence, uuid=str(uuid4()), revision=1,
                           created_at="2026-11-21T08:00:00+00:00",
                           lead=sync_pb2.Lead(listing_id=f"raw-{sequence}", right="TM-1", type="trademark",
                                              score=0.9, seller=sync_pb2.Seller(name="x", uscc="91440300MA5F12345X")))


def bodies(records: Iterable[sync_pb2.Record]) -> list[Body]:
    return [(r.sequence, r.SerializeToString(deterministic=True)) for r in records]


def signed_batch(region: str, epoch: int, items: Sequence[Body], key: ed25519.Ed25519PrivateKey) -> sync_pb2.Batch:
    """A batch over (sequence, record bytes), signed as `region` signs it."""
    return make_batch(region, epoch, list(items), key)


def outbox_bodies(region: RegionalNode, epoch: int, first: int, last: int) -> list[Body]:
    """The exact record bytes a region's outbox holds for sequences first..last of an epoch."""
    rows = query(region.db_path, "SELECT sequence, record FROM outbox WHERE epoch = ? AND sequence BETWEEN ? AND ? "
                                 "ORDER BY sequence", (epoch, first, last))
    return [(int(s), bytes(b)) for s, b in rows]


def hello(region: str, epoch: int = 1, grant: bytes = b"") -> sync_pb2.UplinkMessage:
    return sync_pb2.UplinkMessage(hello=sync_pb2.Hello(region=region, epoch=epoch, software="hufu-fault-tests",
                                                       epoch_grant=grant))


def restore(ch: grpc.Channel, epoch: int, operator: str = "fault-tests") -> sync_pb2.RestoreReply:
    """An operator's restore, as `hufu regional restore` sends it: the national node grants the next epoch."""
    stub = sync_pb2_grpc.FederationSyncStub(ch)
    reply: sync_pb2.RestoreReply = stub.Restore(sync_pb2.RestoreRequest(epoch=epoch, operator=operator,
                                                                        reason="fault test"), timeout=RPC_TIMEOUT_S)
    return reply


def batch(b: sync_pb2.Batch) -> sync_pb2.UplinkMessage:
    return sync_pb2.UplinkMessage(batch=b)


@dataclass
class Exchange:
    """What the national node answered to one Push stream: its replies, then its refusal if any."""

    replies: list[sync_pb2.UplinkReply] = field(default_factory=list)
    error: grpc.RpcError | None = None

    @property
    def welcome(self) -> sync_pb2.Welcome:
        assert self.replies and self.replies[0].WhichOneof("body") == "welcome", self.describe()
        return self.replies[0].welcome

    @property
    def acks(self) -> list[tuple[int, int, int]]:
        """(applied, duplicates, high_water) of each acknowledgement, in order."""
        return [(r.ack.applied, r.ack.duplicates, r.ack.high_water) for r in self.replies
                if r.WhichOneof("body") == "ack"]

    @property
    def code(self) -> grpc.StatusCode:
        return self.error.code() if self.error is not None else grpc.StatusCode.OK

    @property
    def details(self) -> str:
        return (self.error.details() or "") if self.error is not None else ""

    def describe(self) -> str:
        return f"replies {[r.WhichOneof('body') for r in self.replies]}, acks {self.acks}, " \
               f"status {self.code.name}: {self.details!r}"


def push(ch: grpc.Channel, messages: Sequence[sync_pb2.UplinkMessage], timeout: float = RPC_TIMEOUT_S) -> Exchange:
    """Send `messages` on one Push stream and collect everything the server answers."""
    out = Exchange()
    stub = sync_pb2_grpc.FederationSyncStub(ch)
    try:
        for reply in stub.Push(iter(messages), timeout=timeout):
            out.replies.append(reply)
    except grpc.RpcError as exc:
        out.error = exc
    return out
