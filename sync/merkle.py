"""RFC 6962 / RFC 9162 Merkle trees: hashes, roots, inclusion and consistency proofs (pure, no I/O).

Both nodes share this code: a region's evidence log and the national evidence log are the
same kind of tree. Leaves are hashed ``SHA-256(0x00 || data)`` and inner nodes
``SHA-256(0x01 || left || right)`` (domain separation, RFC 6962 §2.1), so a leaf can never be
passed off as an inner node.

Storage stays outside: a log keeps the hash of every *perfect* subtree it has completed —
``(level, index)`` covers leaves ``[index * 2**level, (index + 1) * 2**level)`` — and hands
this module a ``NodeReader`` to look them up. Any root, inclusion proof or consistency proof
of a tree of any size up to the log's size is then O(log² n) lookups. ``Appender`` computes
which perfect subtrees a new leaf completes (about two per leaf, amortised).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeReader = Callable[[int, int], bytes]  # (level, index) -> hash of that perfect subtree


class ProofError(ValueError):
    """A proof that does not verify; the message says what did not hold."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes, straight from the RFC's definition (for small trees and for checking)."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:  # pairing bottom-up and carrying an odd node up gives RFC 6962's tree
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


# ---------------------------------------------------------------- proofs over a node store


def subtree_root(read: NodeReader, begin: int, end: int) -> bytes:
    """MTH(D[begin:end]) where `begin` is a multiple of the largest power of two <= end - begin."""
    n = end - begin
    if n <= 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0:
        level = n.bit_length() - 1
        return read(level, begin >> level)
    k = _split(n)
    return node_hash(read(k.bit_length() - 1, begin // k), subtree_root(read, begin + k, end))


def root(read: NodeReader, size: int) -> bytes:
    """The root of the tree of the first `size` leaves."""
    return subtree_root(read, 0, size)


def inclusion_proof(read: NodeReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf-side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    path: list[bytes] = []
    begin, end, m = 0, size, index
    while end - begin > 1:
        k = _split(end - begin)
        if m < k:
            path.append(subtree_root(read, begin + k, end))
            end = begin + k
        else:
            path.append(subtree_root(read, begin, begin + k))
            begin, m = begin + k, m - k
    path.reverse()
    return path


def consistency_proof(read: NodeReader, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 9162 §2.1.4.1 (empty when old_size is 0 or equal)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    path: list[bytes] = []
    begin, end, m, complete = 0, new_size, old_size, True
    while m != end - begin:
        k = _split(end - begin)
        if m <= k:
            path.append(subtree_root(read, begin + k, end))
            end = begin + k
        else:
            path.append(subtree_root(read, begin, begin + k))
            begin, m, complete = begin + k, m - k, False
    if not complete:
        path.append(subtree_root(read, begin, end))
    path.reverse()
    return path


# ---------------------------------------------------------------- verification (RFC 9162 §2.1.3.2, §2.1.4.2)


def _check_hashes(proof: Sequence[bytes], what: str) -> None:
    for i, h in enumerate(proof):
        if len(h) != HASH_SIZE:
            raise ProofError(f"{what}: element {i} is {len(h)} bytes, not a SHA-256 hash")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that `proof` gives for `leaf` at `index` in a tree of `size` (raises ProofError if malformed)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    _check_hashes(proof, "inclusion proof")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> None:
    """Raise ProofError unless `leaf` is at `index` of the tree of `size` whose root is `expected_root`."""
    if root_from_inclusion(index, size, leaf, proof) != expected_root:
        raise ProofError(f"inclusion proof of leaf {index} does not lead to the root of the tree of size {size}")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> None:
    """Raise ProofError unless the tree (new_size, new_root) extends the tree (old_size, old_root)."""
    if old_size < 0 or new_size < old_size:
        raise ProofError(f"a tree of size {new_size} cannot extend one of size {old_size}: the log shrank")
    _check_hashes(proof, "consistency proof")
    if old_size == new_size:
        if proof:
            raise ProofError("a consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError(f"two different roots for the same tree size {old_size}")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("empty consistency proof")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than needed")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is shorter than needed")
    if fr != old_root:
        raise ProofError(f"consistency proof does not reproduce the old root of size {old_size}")
    if sr != new_root:
        raise ProofError(f"consistency proof does not reproduce the new root of size {new_size}")


# ---------------------------------------------------------------- appending


@dataclass
class Appender:
    """The right edge of a tree ("compact range"): enough to append and to know the root.

    `append` returns the perfect subtrees (level, index, hash) that the new leaf completes,
    for the caller to store; the node store then answers every proof.
    """

    size: int = 0
    edge: list[bytes] = field(default_factory=list)  # hashes of the perfect subtrees of `size`, largest first

    @classmethod
    def resume(cls, read: NodeReader, size: int) -> Appender:
        """The appender of a stored tree of `size` leaves."""
        edge = []
        begin = 0
        for bit in reversed(range(size.bit_length())):
            if size >> bit & 1:
                edge.append(read(bit, begin >> bit))
                begin += 1 << bit
        return cls(size=size, edge=edge)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; return the new perfect subtrees, leaf first."""
        index = self.size
        nodes = [(0, index, leaf)]
        h, level, i = leaf, 0, index
        while i & 1:
            h = node_hash(self.edge.pop(), h)
            level += 1
            i >>= 1
            nodes.append((level, i, h))
        self.edge.append(h)
        self.size += 1
        return nodes

    def root(self) -> bytes:
        """The current root."""
        if not self.edge:
            return EMPTY_ROOT
        r = self.edge[-1]
        for h in reversed(self.edge[:-1]):
            r = node_hash(h, r)
        return r


class MemoryTree:
    """A tree kept in memory (tests, benchmarks, verification of a region's leaves)."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.appender = Appender()

    def append(self, leaf: bytes) -> int:
        """Append a leaf hash; return its index."""
        for level, index, h in self.appender.append(leaf):
            self.nodes[(level, index)] = h
        return self.appender.size - 1

    def read(self, level: int, index: int) -> bytes:
        """A stored perfect subtree."""
        return self.nodes[(level, index)]

    @property
    def size(self) -> int:
        """How many leaves."""
        return self.appender.size

    def root(self, size: int | None = None) -> bytes:
        """The root at `size` (default: now)."""
        return self.appender.root() if size is None else root(self.read, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Inclusion proof of leaf `index` in the tree at `size` (default: now)."""
        return inclusion_proof(self.read, index, self.size if size is None else size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Consistency proof from `old_size` to `new_size` (default: now)."""
        return consistency_proof(self.read, old_size, self.size if new_size is None else new_size)
