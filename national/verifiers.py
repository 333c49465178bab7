"""Verifier processes: a batch's CPU-only checks (limits, shape, Merkle root, signature, every record's fields)
run in processes of their own, so they overlap the national server's gRPC, TLS and database work instead of
queueing with it for one interpreter lock.

Only the checking moves: the server still stores each batch in its own durable transaction, in order, and
acknowledges it only after the commit (grpc_server._batches). A verifier answers with the batch's leaves and
the fresh records' columns (their first sequence and count, kinds, uuids, revisions), or "refused"; on a refusal, or if a verifier process is
gone, the server runs `ingest.prepare_batch` itself, so a refusal reads exactly as it always did.

The processes are started from a fork server (never forked from the server process, which holds gRPC's
threads and the listening socket) and exit by themselves within a second of the server process being gone,
also after a `kill -9` (each one watches the server's pid; the fork server exits when they have).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import os
import threading
import time
from concurrent import futures
from concurrent.futures.process import BrokenProcessPool

from national import ingest
from sync.pki import RegionTrust
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.national.verifiers")


def default_processes() -> int:
    """Verifier processes when the config says -1 (auto): one per core beyond the first, at most 4; none on one core."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _watch_server(server: int) -> None:
    """Exit when the server process is gone. (The fork server does not notice: every process it starts holds
    the pipe it watches, so it lives as long as they do.)"""
    while True:
        time.sleep(0.5)
        if not _alive(server):
            os._exit(0)


def _init(server: int) -> None:
    threading.Thread(target=_watch_server, args=(server,), name="verifier-orphan-guard", daemon=True).start()
    ingest.warm()  # the checkers generated and the record-list message built once per process, before the first batch
    # Everything loaded so far (the modules, SQLAlchemy's and protobuf's tables, the checkers) lives as long as
    # the process: keep it out of the collector's reach. Without this every full collection walked that whole
    # heap again, ~14 % of a verifier's CPU in the sync bench (perf), for the few short-lived objects a batch
    # leaves behind.
    gc.freeze()


def _warm() -> int:
    time.sleep(0.05)  # hold this worker briefly so the pool starts the next one for the next call
    return os.getpid()


class Verifiers:
    """A pool of verifier processes shared by every Push stream of the server."""

    def __init__(self, processes: int) -> None:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["national.ingest", "sync.limits"])
        self.processes = processes
        self._pool: futures.ProcessPoolExecutor | None = futures.ProcessPoolExecutor(
            max_workers=processes, mp_context=ctx, initializer=_init, initargs=(os.getpid(),))

    def warm(self) -> list[int]:
        """Start every process now (the first batch should not wait for an interpreter); returns their pids."""
        assert self._pool is not None
        return sorted(set(f.result() for f in [self._pool.submit(_warm) for _ in range(self.processes * 2)]))

    def submit(self, who: ingest.Sender, trust: RegionTrust, batch: sync_pb2.Batch, known_high: int,
               raw: bytes | None = None) -> futures.Future[ingest.Checked | None] | None:
        """Check `batch` in a verifier process; None when no process can take it (the caller checks it itself).

        `raw`: the batch's bytes as received (grpc_server.Uplink), which parse to `batch`; else it is serialized.
        """
        if self._pool is None:
            return None
        data = raw if raw is not None else batch.SerializeToString()
        try:
            return self._pool.submit(ingest.check_serialized, who, trust, data, known_high)
        except (BrokenProcessPool, RuntimeError):
            log.warning("verifier processes are gone; batches are checked in the server process")
            self._pool = None
            return None

    def close(self) -> None:
        """Stop the processes (queued checks are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def prepared(verifiers_future: futures.Future[ingest.Checked | None] | None, who: ingest.Sender,
             trust: RegionTrust, batch: sync_pb2.Batch, known_high: int) -> ingest.Prepared:
    """The batch prepared: from its verifier's answer, or (refused, no verifier, a verifier died) by
    `ingest.prepare_batch` here, which raises the refusal."""
    if verifiers_future is not None:
        try:
            checked = verifiers_future.result()
        except Exception:  # noqa: BLE001 - a verifier process died or failed: check here instead
            log.exception("a verifier process failed; checking the batch in the server process")
            checked = None
        if checked is not None:
            return ingest.prepared_from(batch, known_high, checked)
    return ingest.prepare_batch(who, trust, batch, known_high)
