"""Signed envelopes and batch digests."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync.envelope import BadSignature, batch_digest, open_envelope, seal
from sync.v1 import sync_pb2


def _pub(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _record() -> sync_pb2.Record:
    return sync_pb2.Record(region="440000", epoch=1, sequence=7, uuid="u-1", revision=1,
                           lead=sync_pb2.Lead(listing_id="tb-1", right="TM-1", type="trademark", score=0.9))


def test_a_sealed_record_opens_with_the_regions_key() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    env = seal(_record(), key)
    assert env.sequence == 7
    assert open_envelope(env, _pub(key)) == _record()


def test_a_tampered_record_does_not_verify() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    env = seal(_record(), key)
    env.record = env.record.replace(b"TM-1", b"TM-2")
    with pytest.raises(BadSignature, match="sequence 7"):
        open_envelope(env, _pub(key))


def test_another_regions_key_does_not_verify() -> None:
    env = seal(_record(), ed25519.Ed25519PrivateKey.generate())
    with pytest.raises(BadSignature):
        open_envelope(env, _pub(ed25519.Ed25519PrivateKey.generate()))


def test_batch_digest_depends_on_order_and_boundaries() -> None:
    a = sync_pb2.Envelope(record=b"ab")
    b = sync_pb2.Envelope(record=b"c")
    assert batch_digest([a, b]) != batch_digest([b, a])
    assert batch_digest([a, b]) != batch_digest([sync_pb2.Envelope(record=b"a"), sync_pb2.Envelope(record=b"bc")])
