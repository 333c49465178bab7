"""The evidence RPCs of the national gRPC server: witnessing, inclusion proofs, item uploads (thin)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import grpc

from national import evidence
from national.grpc_server import Clock, FederationSyncServicer, Undecodable
from sync.cas import ContentStore, check_digest
from sync.db import Database
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.national.evidence")
MAX_OBJECT_BYTES = 64 * 1024 * 1024
MAX_CHUNK_BYTES = 1024 * 1024 + 1024


def _refuse_undecodable(context: grpc.ServicerContext, message: object) -> None:
    if isinstance(message, Undecodable):
        context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                      f"the message is not a valid sync.v1 protobuf message ({message.error}); nothing was stored")


class EvidenceServicer(FederationSyncServicer):
    """Witness, proof and upload calls; identity comes from the verified client certificate."""

    def __init__(self, db: Database, pki_dir: Path, store: ContentStore, clock: Clock) -> None:
        super().__init__(db, pki_dir, clock)
        self.store = store

    def WitnessCheckpoint(self, request: sync_pb2.CheckpointRequest,  # noqa: N802 (gRPC name)
                          context: grpc.ServicerContext) -> sync_pb2.CheckpointReply:
        """The latest national checkpoint with a consistency proof from the witness's last co-signed size."""
        self._identity(context)
        _refuse_undecodable(context, request)
        from sync.pki import ensure_log_key, load_trust

        trust = evidence.trust_note(evidence.region_keys(load_trust(self.pki_dir)),
                                    ensure_log_key(self.pki_dir), self.clock())
        with self.db.read() as session:
            return evidence.checkpoint_for_witness(session, request.from_size, trust)

    def CosignCheckpoint(self, request: sync_pb2.CosignRequest,  # noqa: N802 (gRPC name)
                         context: grpc.ServicerContext) -> sync_pb2.CosignReply:
        """Keep a witness's co-signature, or the alarm it raises instead."""
        region, _serial, trust = self._identity(context)
        _refuse_undecodable(context, request)
        if len(request.checkpoint) > 64 * 1024 or len(request.cosignature) > 4096 or len(request.alarm) > 16 * 1024:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "checkpoint, co-signature or alarm too long")
        with self._write() as session:
            return evidence.record_cosignature(session, region, trust.signing_public_key, request, self.clock())

    def EvidenceProofs(self, request: sync_pb2.ProofRequest,  # noqa: N802 (gRPC name)
                       context: grpc.ServicerContext) -> sync_pb2.ProofReply:
        """Inclusion proofs of the calling region's manifests."""
        region, _serial, _trust = self._identity(context)
        _refuse_undecodable(context, request)
        if len(request.region_indexes) > evidence.MAX_PROOFS:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"at most {evidence.MAX_PROOFS} proofs per call")
        try:
            with self.db.read() as session:
                return evidence.proofs_for(session, region, request)
        except LookupError as exc:
            context.abort(grpc.StatusCode.NOT_FOUND, str(exc))
            raise  # unreachable: abort raises

    def RegionEvidenceLog(self, request: sync_pb2.RegionLogRequest,  # noqa: N802 (gRPC name)
                          context: grpc.ServicerContext) -> sync_pb2.RegionLogReply:
        """The calling region's own evidence log as the national log accepted it (read back after a restore)."""
        region, _serial, _trust = self._identity(context)
        _refuse_undecodable(context, request)
        with self.db.read() as session:
            return evidence.region_log_tail(session, region, request.from_index,
                                            request.max_entries or evidence.MAX_PROOFS)

    def PutEvidenceObjects(self, request_iterator: Iterator[sync_pb2.EvidenceChunk],  # noqa: N802 (gRPC name)
                           context: grpc.ServicerContext) -> sync_pb2.EvidenceObjectsReply:
        """Receive evidence items, chunked; each is kept only when its bytes hash to its name."""
        region, _serial, _trust = self._identity(context)
        reply = sync_pb2.EvidenceObjectsReply()
        digest, size, parts, got = "", 0, [], 0
        for chunk in request_iterator:
            _refuse_undecodable(context, chunk)
            if len(chunk.data) > MAX_CHUNK_BYTES:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "a chunk carries at most 1 MiB")
            if not digest:
                try:
                    digest = check_digest(chunk.sha256)
                except ValueError as exc:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
                size = chunk.size
                if size > MAX_OBJECT_BYTES:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                                  f"object {digest[:16]}… is larger than {MAX_OBJECT_BYTES >> 20} MiB")
            elif chunk.sha256 and chunk.sha256 != digest:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "a new object started before the last chunk of the "
                                                                "previous one")
            parts.append(chunk.data)
            got += len(chunk.data)
            if got > size:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"object {digest[:16]}… is longer than announced")
            if chunk.last:
                try:
                    with self._write() as session:
                        fresh = evidence.store_object(session, self.store, region, digest, b"".join(parts),
                                                      self.clock())
                except ValueError as exc:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
                if fresh:
                    reply.stored += 1
                else:
                    reply.already_held += 1
                digest, size, parts, got = "", 0, [], 0
        if digest:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"object {digest[:16]}… ended without its last chunk")
        return reply
