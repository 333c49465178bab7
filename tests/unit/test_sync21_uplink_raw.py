"""national.grpc_server: a Push batch's own bytes cut from the received message (handed to a verifier process as
they came, not serialized again) parse to exactly the batch the server parsed; anything else gets no cut."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from national.grpc_server import Undecodable, Uplink, _lenient, batch_bytes, unwrap
from sync.envelope import make_batch
from sync.v1 import sync_pb2

KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def _batch(n: int, size: int = 40) -> sync_pb2.Batch:
    return make_batch("110000", 1, [(s, bytes([s % 251]) * size) for s in range(1, n + 1)], KEY)


@pytest.mark.parametrize(("n", "size"), [(1, 1), (3, 10), (50, 100), (500, 700)])  # length varints of 1 to 3 bytes
def test_a_batch_message_comes_with_the_batch_bytes_that_parse_to_the_same_batch(n: int, size: int) -> None:
    message = sync_pb2.UplinkMessage(batch=_batch(n, size))
    data = message.SerializeToString()
    got = _lenient(sync_pb2.UplinkMessage)(data)
    assert isinstance(got, Uplink)
    assert got.message == message
    again = sync_pb2.Batch()
    again.ParseFromString(got.raw)
    assert again == message.batch
    assert data.endswith(got.raw) and len(data) - len(got.raw) in (2, 3, 4)
    assert unwrap(got) == (got.message, got.raw)


def test_other_messages_and_batches_with_anything_beside_them_come_as_parsed_messages() -> None:
    parse = _lenient(sync_pb2.UplinkMessage)
    hello = sync_pb2.UplinkMessage(hello=sync_pb2.Hello(region="110000", epoch=1))
    got = parse(hello.SerializeToString())
    assert isinstance(got, sync_pb2.UplinkMessage) and got == hello
    assert unwrap(got) == (got, None)
    one = sync_pb2.UplinkMessage(batch=_batch(2)).SerializeToString()
    two = sync_pb2.UplinkMessage(batch=_batch(3)).SerializeToString()
    merged = parse(one + two)  # the batch field twice: protobuf merges the two; no one cut holds that
    assert isinstance(merged, sync_pb2.UplinkMessage) and merged.WhichOneof("body") == "batch"
    assert batch_bytes(one + two) is None
    unknown = one + b"\x28\x01"  # an unknown field 5 after the batch
    assert batch_bytes(unknown) is None
    assert isinstance(parse(unknown), sync_pb2.UplinkMessage)
    assert batch_bytes(b"") is None and batch_bytes(b"\x12") is None and batch_bytes(b"\x12\xff\xff") is None
    assert batch_bytes(b"\x12\x00") == b""  # an empty batch: the cut is empty (and parses to the empty batch)
    assert isinstance(parse(b"\x12\xff"), Undecodable)
    # other request types never get a cut, even when their bytes look like one
    assert isinstance(_lenient(sync_pb2.PullRequest)(b""), sync_pb2.PullRequest)
