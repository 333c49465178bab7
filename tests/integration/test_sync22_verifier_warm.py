"""A verifier process (and the server, `grpc_server.warm_up`) does at its start what its first batch check would
otherwise pay for (`ingest.warm`): the record-list message the batch check parses into, the checkers, the first use
of Ed25519 in OpenSSL. These tests fail if a fresh verifier process starts without the record-list message, or if
`ingest.warm` leaves it (or the protobuf module it imports) to the first batch, or changes what a check answers."""

from __future__ import annotations

import subprocess
import sys

from national import ingest
from national.verifiers import Verifiers
from tests.integration.test_ingest_store import TRUST, WHO, batch_of, lead_record


def test_warm_builds_the_record_list_before_any_check() -> None:
    code = ("import sys\n"
            "from national import ingest\n"
            "before = (ingest._record_list.cache_info().currsize, 'google.protobuf.descriptor_pb2' in sys.modules)\n"
            "ingest.warm()\n"
            "after = (ingest._record_list.cache_info().currsize, 'google.protobuf.descriptor_pb2' in sys.modules)\n"
            "print(before, after)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split("\n")[0] == "(0, False) (1, True)", out.stdout + out.stderr


_CACHE_INFO = "tuple(__import__('national.ingest', fromlist=['ingest'])._record_list.cache_info())"


def _cache_info(pool: Verifiers) -> tuple[int, int, int, int]:
    """`ingest._record_list.cache_info()` (hits, misses, maxsize, currsize) in the pool's process."""
    assert pool._pool is not None
    return pool._pool.submit(eval, _CACHE_INFO).result(timeout=120)  # noqa: S307 - a fixed expression


def test_a_fresh_verifier_process_starts_warm_and_checks_as_before() -> None:
    pool = Verifiers(1)
    try:
        # asked before any batch: the process's initializer already built the record-list message
        assert _cache_info(pool)[3] == 1
        batch = batch_of([(1, lead_record(1)), (2, lead_record(2))])
        future = pool.submit(WHO, TRUST, batch, 0)
        assert future is not None
        assert future.result(timeout=120) == ingest.check_serialized(WHO, TRUST, batch.SerializeToString(), 0)
        # the check did not build it again
        assert _cache_info(pool)[1] == 1
    finally:
        pool.close()
