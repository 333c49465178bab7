"""RFC 6962 / 9162 Merkle proofs: the node-store code agrees with the RFC's recursive definitions,
every proof verifies, and every change to a proof, a leaf, a root or a size is refused."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import merkle
from sync.envelope import merkle_root as batch_root

MAX = 3000


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


LEAVES = _leaves(MAX)
TREE = merkle.MemoryTree()
for _leaf in LEAVES:
    TREE.append(_leaf)


# The RFC's definitions, written as literally as possible, as the reference.
def mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = 1
    while k * 2 < len(d):
        k *= 2
    return merkle.node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def test_roots_of_every_size_up_to_a_few_thousand_match_the_rfc_definition() -> None:
    for n in range(0, MAX + 1):
        expected = merkle.root_of(LEAVES[:n])
        assert TREE.root(n) == expected, n
        if n <= 600:
            assert mth(LEAVES[:n]) == expected, n


def test_the_batch_root_of_sync_envelopes_is_the_same_tree() -> None:
    for n in range(1, 200):
        assert batch_root(LEAVES[:n]) == TREE.root(n)


def test_every_size_up_to_a_few_thousand_proves_its_first_middle_and_last_leaf_and_extends_its_prefixes() -> None:
    for n in range(1, MAX + 1):
        r = TREE.root(n)
        for i in {0, n // 2, n - 1}:
            merkle.verify_inclusion(i, n, LEAVES[i], TREE.inclusion_proof(i, n), r)
        for m in {1, n // 3, n - 1}:
            if 0 < m < n:
                merkle.verify_consistency(m, n, TREE.root(m), r, TREE.consistency_proof(m, n))


def test_small_trees_match_the_rfc_proofs_exactly_for_every_index_and_every_old_size() -> None:
    for n in range(1, 130):
        d = LEAVES[:n]
        for i in range(n):
            assert TREE.inclusion_proof(i, n) == path(i, d), (i, n)
        for m in range(1, n):
            assert TREE.consistency_proof(m, n) == subproof(m, d, True), (m, n)


sizes = st.integers(min_value=1, max_value=MAX)


@settings(max_examples=400, deadline=None)
@given(n=sizes, data=st.data())
def test_inclusion_proofs_verify_and_any_change_is_refused(n: int, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, n - 1))
    proof = TREE.inclusion_proof(i, n)
    assert proof == path(i, LEAVES[:n]) if n <= 700 else True
    r = TREE.root(n)
    merkle.verify_inclusion(i, n, LEAVES[i], proof, r)
    # another leaf, another index, another size, another root
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(i, n, LEAVES[(i + 1) % MAX], proof, r)
    if n > 1:
        j = data.draw(st.integers(0, n - 1).filter(lambda x: x != i))
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(j, n, LEAVES[i], proof, r)
    with pytest.raises(merkle.ProofError):  # the root of another size (a checkpoint binds size and root)
        merkle.verify_inclusion(i, n, LEAVES[i], proof, TREE.root(n + 1) if n < MAX else TREE.root(n - 1))
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        byte = data.draw(st.integers(0, 31))
        bad = list(proof)
        bad[k] = bad[k][:byte] + bytes([bad[k][byte] ^ 1]) + bad[k][byte + 1:]
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(i, n, LEAVES[i], bad, r)
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(i, n, LEAVES[i], proof[:-1], r)
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(i, n, LEAVES[i], [*proof, proof[0]], r)


@settings(max_examples=400, deadline=None)
@given(n=sizes, data=st.data())
def test_consistency_proofs_verify_and_any_change_is_refused(n: int, data: st.DataObject) -> None:
    m = data.draw(st.integers(1, n))
    proof = TREE.consistency_proof(m, n)
    if n <= 700:
        assert proof == (subproof(m, LEAVES[:n], True) if m < n else [])
    old, new = TREE.root(m), TREE.root(n)
    merkle.verify_consistency(m, n, old, new, proof)
    if m == n:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(m, n, old, hashlib.sha256(new).digest(), proof)
        return
    # a rewritten history: the old tree had a different leaf somewhere
    forked = list(LEAVES[:n])
    victim = data.draw(st.integers(0, m - 1))
    forked[victim] = hashlib.sha256(b"rewritten").digest()
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(m, n, old, merkle.root_of(forked), proof)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(m, n, merkle.root_of(forked[:m]), new, proof)
    k = data.draw(st.integers(0, len(proof) - 1))
    bad = list(proof)
    bad[k] = hashlib.sha256(bad[k]).digest()
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(m, n, old, new, bad)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(m, n, old, new, proof[:-1])
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(n, m, new, old, proof)


def test_a_shrunk_log_and_malformed_proofs_get_a_reason() -> None:
    with pytest.raises(merkle.ProofError, match="shrank"):
        merkle.verify_consistency(10, 5, TREE.root(10), TREE.root(5), [])
    with pytest.raises(merkle.ProofError, match="same tree size"):
        merkle.verify_consistency(7, 7, TREE.root(7), TREE.root(8), [])
    with pytest.raises(merkle.ProofError, match="outside"):
        merkle.verify_inclusion(5, 5, LEAVES[0], [], TREE.root(5))
    with pytest.raises(merkle.ProofError, match="not a SHA-256"):
        merkle.verify_inclusion(0, 2, LEAVES[0], [b"short"], TREE.root(2))


def test_resuming_an_appender_from_stored_nodes_continues_the_same_tree() -> None:
    for n in (0, 1, 2, 3, 7, 8, 9, 1000, 1023, 1024, 1025):
        app = merkle.Appender.resume(TREE.read, n)
        assert app.root() == TREE.root(n)
        for leaf in LEAVES[n:n + 40]:
            app.append(leaf)
        assert app.root() == TREE.root(min(n + 40, MAX))
