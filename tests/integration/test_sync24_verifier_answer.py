"""A verifier process's answer (ingest.check_serialized) carries the batch's leaf hashes as the one bytes object the
batch row stores (uplink_batches.leaves: 32 bytes a record, in order), not a bytes object per record: the answer is
pickled in the verifier and unpickled under the server's interpreter lock, and 500 small objects cost ~36 times
one (sync24). Fails on main df40f22 (a list of 500). The batch row stored from the answer is the same as before."""

from __future__ import annotations

import pickle

from national import ingest
from sync.envelope import leaf_hash
from tests.integration.test_ingest_store import TRUST, WHO, batch_of, lead_record


def test_the_answer_carries_the_leaves_as_the_stored_bytes() -> None:
    items = [(s, lead_record(s)) for s in range(1, 501)]
    batch = batch_of(items)
    checked = ingest.check_serialized(WHO, TRUST, batch.SerializeToString(), 0)
    assert checked is not None
    leaves, ((start, count), kinds, uuids, revisions) = checked
    assert leaves == b"".join(leaf_hash(body) for _s, body in items)
    assert (start, count) == (1, 500) and len(kinds) == len(uuids) == len(revisions) == 500
    assert pickle.loads(pickle.dumps(checked)) == checked
    prepared = ingest.prepared_from(batch, 0, checked)
    assert prepared.leaves == leaves == ingest.prepare_batch(WHO, TRUST, batch, 0).leaves


def test_a_batch_of_duplicates_only_answers_its_leaves_too() -> None:
    items = [(s, lead_record(s)) for s in range(1, 4)]
    checked = ingest.check_serialized(WHO, TRUST, batch_of(items).SerializeToString(), 3)
    assert checked is not None
    assert checked[0] == b"".join(leaf_hash(body) for _s, body in items) and checked[1][0] == (4, 0)
