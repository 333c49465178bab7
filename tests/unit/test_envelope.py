"""Signed batches: Merkle roots over record bytes, signed with the region's Ed25519 key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import given
from hypothesis import strategies as st

from sync.envelope import BadSignature, leaf_hash, make_batch, merkle_root, verify_batch


def _pub(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


ROWS = [(7, b"record-seven"), (8, b"record-eight"), (9, b"record-nine")]


def test_a_signed_batch_verifies_with_the_regions_key() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    batch = make_batch("440000", 1, ROWS, key)
    assert (batch.first_sequence, batch.count) == (7, 3)
    assert verify_batch(batch, "440000", 1, _pub(key)) == [leaf_hash(b) for _s, b in ROWS]


def test_a_tampered_record_breaks_the_digest() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    batch = make_batch("440000", 1, ROWS, key)
    batch.envelopes[1].record = b"record-EIGHT"
    with pytest.raises(ValueError, match="digest does not match"):
        verify_batch(batch, "440000", 1, _pub(key))


def test_another_regions_key_or_identity_does_not_verify() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    batch = make_batch("440000", 1, ROWS, key)
    with pytest.raises(BadSignature):
        verify_batch(batch, "440000", 1, _pub(ed25519.Ed25519PrivateKey.generate()))
    with pytest.raises(BadSignature):
        verify_batch(batch, "330000", 1, _pub(key))  # the region is part of what was signed
    with pytest.raises(BadSignature):
        verify_batch(batch, "440000", 2, _pub(key))  # and so is the epoch


@given(st.lists(st.binary(max_size=40), min_size=1, max_size=40))
def test_merkle_root_depends_on_every_leaf_and_its_position(records: list[bytes]) -> None:
    leaves = [leaf_hash(r) for r in records]
    root = merkle_root(leaves)
    for i in range(len(leaves)):
        changed = list(leaves)
        changed[i] = leaf_hash(records[i] + b"x")
        assert merkle_root(changed) != root
    if len(set(leaves)) > 1:
        assert merkle_root(list(reversed(leaves))) != root or leaves == list(reversed(leaves))


@given(st.lists(st.binary(max_size=300), min_size=1, max_size=40), st.integers(1, 2**40))
def test_make_batch_is_the_plain_spelling_byte_for_byte(bodies: list[bytes], first: int) -> None:
    """make_batch builds its envelopes in place and hashes the leaves inline; the batch is the one the plain
    spelling gives (leaf_hash per record, a list of Envelope messages), down to its serialized bytes."""
    from sync.envelope import signed_message
    from sync.v1 import sync_pb2

    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # Ed25519 signs deterministically
    rows = [(first + i, body) for i, body in enumerate(bodies)]
    root = merkle_root([leaf_hash(body) for _s, body in rows])
    plain = sync_pb2.Batch(first_sequence=first, count=len(rows), digest=root,
                           signature=key.sign(signed_message("440000", 3, first, len(rows), root)),
                           envelopes=[sync_pb2.Envelope(record=body, sequence=seq) for seq, body in rows])
    assert make_batch("440000", 3, rows, key).SerializeToString() == plain.SerializeToString()
