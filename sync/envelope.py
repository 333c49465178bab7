"""Signed batches: a region signs the Merkle root of a batch's record bytes with its Ed25519 key.

Each record stays individually attributable: its leaf hash, the batch's leaf list and the
signed root are stored with it, so anyone holding the region's public key can check that
exactly these record bytes were sent by that region (ADR 0005).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync import limits
from sync.v1 import sync_pb2

MAX_BATCH_RECORDS = limits.MAX_BATCH_RECORDS  # the limits live in sync/limits.py
MAX_BATCH_BYTES = limits.MAX_BATCH_BYTES
SIGNATURE_CONTEXT = b"hufu-sync-batch-v1"


class BadSignature(ValueError):
    """A batch whose signature does not verify with the region's key."""


def load_signing_key(path: Path) -> ed25519.Ed25519PrivateKey:
    """Load a region's Ed25519 signing key from PEM."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def leaf_hash(record: bytes) -> bytes:
    """The Merkle leaf of one record's bytes (RFC 6962 style: domain-separated from inner nodes)."""
    return hashlib.sha256(b"\x00" + record).digest()


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle root over leaf hashes, in order (an odd node is carried up unchanged)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    sha256 = hashlib.sha256
    level = list(leaves)
    while len(level) > 1:
        pairs = zip(level[0::2], level[1::2], strict=False)  # an odd last node has no pair: carried up below
        nxt = [sha256(b"\x01" + left + right).digest() for left, right in pairs]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def signed_message(region: str, epoch: int, first_sequence: int, count: int, root: bytes) -> bytes:
    """The exact bytes a region signs for a batch: context, identity, position, root."""
    return b"|".join([SIGNATURE_CONTEXT, region.encode(), str(epoch).encode(), str(first_sequence).encode(),
                      str(count).encode(), root])


def make_batch(region: str, epoch: int, records: Sequence[tuple[int, bytes]],
               key: ed25519.Ed25519PrivateKey) -> sync_pb2.Batch:
    """A signed batch from (sequence, record bytes) pairs in sequence order."""
    sha256 = hashlib.sha256
    leaves = [sha256(b"\x00" + body).digest() for _seq, body in records]  # leaf_hash, inline
    root = merkle_root(leaves)
    first = records[0][0]
    batch = sync_pb2.Batch(first_sequence=first, count=len(records), digest=root,
                           signature=key.sign(signed_message(region, epoch, first, len(records), root)))
    add = batch.envelopes.add  # each envelope made in place (a list of messages passed in is copied again)
    for seq, body in records:
        add(record=body, sequence=seq)
    return batch


def verify_batch(batch: sync_pb2.Batch, region: str, epoch: int, public_key: bytes,
                 bodies: Sequence[bytes] | None = None) -> list[bytes]:
    """Check the batch's root and signature; return its leaf hashes. Raise BadSignature or ValueError.

    `bodies`: the envelopes' record bytes if the caller has read them already (in envelope order).
    """
    if bodies is None:
        bodies = [env.record for env in batch.envelopes]
    sha256 = hashlib.sha256
    leaves = [sha256(b"\x00" + body).digest() for body in bodies]  # leaf_hash, inline
    root = merkle_root(leaves)
    if root != batch.digest:
        raise ValueError(f"batch at {batch.first_sequence}: digest does not match its records")
    verify_root(region, epoch, batch.first_sequence, batch.count, root, batch.signature, public_key)
    return leaves


def verify_root(region: str, epoch: int, first_sequence: int, count: int, root: bytes, signature: bytes,
                public_key: bytes) -> None:
    """Verify a stored or received batch signature; raise BadSignature if it fails."""
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, signed_message(region, epoch, first_sequence, count, root))
    except InvalidSignature as exc:
        raise BadSignature(f"signature of the batch at sequence {first_sequence} does not verify "
                           f"with region {region}'s key") from exc


def payload_kind(record: sync_pb2.Record) -> str:
    """The name of the record's payload (lead, filing, …), or '' when it has none."""
    return record.WhichOneof("payload") or ""
