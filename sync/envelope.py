"""Signed envelopes: a region signs the exact serialized Record bytes with its Ed25519 key."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync.v1 import sync_pb2

MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 1024 * 1024


class BadSignature(ValueError):
    """An envelope whose signature does not verify with the region's key."""


def load_signing_key(path: Path) -> ed25519.Ed25519PrivateKey:
    """Load a region's Ed25519 signing key from PEM."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def seal(record: sync_pb2.Record, key: ed25519.Ed25519PrivateKey) -> sync_pb2.Envelope:
    """Serialize and sign a record."""
    body = record.SerializeToString(deterministic=True)
    return sync_pb2.Envelope(record=body, signature=key.sign(body), sequence=record.sequence)


def open_envelope(envelope: sync_pb2.Envelope, public_key: bytes) -> sync_pb2.Record:
    """Verify an envelope's signature and parse its record; raise BadSignature if it fails."""
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(envelope.signature, envelope.record)
    except InvalidSignature as exc:
        raise BadSignature(f"signature of record sequence {envelope.sequence} does not verify") from exc
    record = sync_pb2.Record()
    record.ParseFromString(envelope.record)
    return record


def batch_digest(envelopes: Iterable[sync_pb2.Envelope]) -> bytes:
    """SHA-256 over the batch's record bytes, each length-prefixed."""
    h = hashlib.sha256()
    for env in envelopes:
        h.update(len(env.record).to_bytes(4, "big"))
        h.update(env.record)
    return h.digest()


def payload_kind(record: sync_pb2.Record) -> str:
    """The name of the record's payload (lead, filing, …), or '' when it has none."""
    return record.WhichOneof("payload") or ""
