"""The national gRPC server: mutual TLS, identity from the certificate, thin servicer."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path

import grpc
import sqlalchemy as sa
from google.protobuf.message import DecodeError
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from national import feed, ingest
from national.models import RegionRow
from sync.db import Database
from sync.pki import PkiError, RegionTrust, certificate_identity, load_trust
from sync.transport import SERVER_OPTIONS, server_credentials
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.national.grpc")
Clock = Callable[[], dt.datetime]
EPOCH_METADATA = "hufu-epoch"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Undecodable:
    """A request whose bytes are not the protobuf message the method takes."""

    def __init__(self, error: str) -> None:
        self.error = error

    def WhichOneof(self, _name: str) -> None:  # noqa: N802 (protobuf name)
        """Never any field: callers treat it as malformed."""
        return None


def _lenient(cls: type) -> Callable[[bytes], object]:
    """A deserializer that hands bad bytes to the servicer, which refuses them with INVALID_ARGUMENT."""

    def parse(data: bytes) -> object:
        message = cls()
        try:
            message.ParseFromString(data)
        except DecodeError as exc:
            return Undecodable(str(exc))
        return message

    return parse


def _refuse_undecodable(context: grpc.ServicerContext, message: object) -> None:
    if isinstance(message, Undecodable):
        context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                      f"the message is not a valid sync.v1 protobuf message ({message.error}); nothing was stored")


class FederationSyncServicer(sync_pb2_grpc.FederationSyncServicer):
    """Translates gRPC calls into ingest and feed operations, and domain errors into status codes."""

    def __init__(self, db: Database, pki_dir: Path, clock: Clock = _utcnow) -> None:
        self.db = db
        self.pki_dir = pki_dir
        self.clock = clock

    def _identity(self, context: grpc.ServicerContext) -> tuple[str, str, RegionTrust]:
        """The (region, serial, trust) of the verified client certificate; aborts if absent or revoked."""
        pems = context.auth_context().get("x509_pem_cert")
        if not pems:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "a client certificate issued by the national CA is required")
        try:
            region, serial = certificate_identity(pems[0])
        except (PkiError, ValueError) as exc:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        trust = load_trust(self.pki_dir)  # re-read: revocations take effect without a restart
        try:
            entry = ingest.authorize(trust, region, serial)
        except ingest.NotAuthorized as exc:
            log.warning("refused %s: %s", region, exc)
            context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        return region, serial, entry

    def Push(self, request_iterator: Iterator[sync_pb2.UplinkMessage],  # noqa: N802 (gRPC name)
             context: grpc.ServicerContext) -> Iterator[sync_pb2.UplinkReply]:
        """Hello, welcome with the high-water mark, then one acknowledgement per committed batch."""
        region, serial, trust = self._identity(context)
        first = next(request_iterator, None)
        _refuse_undecodable(context, first)
        if first is None or first.WhichOneof("body") != "hello":
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "the first uplink message must be a hello")
        if first.hello.region != region:
            context.abort(grpc.StatusCode.PERMISSION_DENIED,
                          f"certificate names region {region} but the hello claims region {first.hello.region}")
        try:
            with self.db.transaction() as session:
                high, epoch = ingest.hello(session, first.hello, region, self.clock())
                leaf = ingest.leaf_at(session, region, epoch, high) if high else b""
        except ingest.StaleEpoch as exc:
            log.warning("fenced %s: %s", region, exc)
            context.set_trailing_metadata(((EPOCH_METADATA, str(exc.current)),))
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        yield sync_pb2.UplinkReply(welcome=sync_pb2.Welcome(high_water=high, epoch=epoch, high_water_leaf=leaf))
        who = ingest.Sender(region=region, cert_serial=serial, epoch=first.hello.epoch or 1)
        for message in request_iterator:
            _refuse_undecodable(context, message)
            if message.WhichOneof("body") != "batch":
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "after the hello only batches may be sent")
            try:
                with self.db.transaction() as session:
                    outcome = ingest.apply_batch(session, who, trust, message.batch, high, self.clock())
            except sa.exc.IntegrityError:
                # another stream of the same region stored these sequences first: re-read and ask again
                with self.db.read() as session:
                    high = ingest.high_water(session, region, who.epoch)
                context.abort(grpc.StatusCode.ABORTED, f"concurrent stream of region {region}; high-water is "
                                                       f"now {high}, reconnect and resend from {high + 1}")
            except ingest.IngestError as exc:
                code = {
                    ingest.NotAuthorized: grpc.StatusCode.PERMISSION_DENIED,
                    ingest.SequenceGap: grpc.StatusCode.FAILED_PRECONDITION,
                }.get(type(exc), grpc.StatusCode.INVALID_ARGUMENT)
                log.warning("refused batch from %s: %s", region, exc)
                with self.db.transaction() as session:
                    ingest.note_error(session, region, str(exc))
                context.abort(code, str(exc))
            high = outcome.high_water
            yield sync_pb2.UplinkReply(ack=sync_pb2.Ack(
                first_sequence=message.batch.first_sequence, applied=outcome.applied,
                duplicates=outcome.duplicates, high_water=outcome.high_water))

    def Pull(self, request: sync_pb2.PullRequest,  # noqa: N802 (gRPC name)
             context: grpc.ServicerContext) -> Iterator[sync_pb2.DownlinkItem]:
        """This region's feed after the cursor (or a snapshot if the cursor fell behind retention)."""
        region, _serial, _trust = self._identity(context)
        _refuse_undecodable(context, request)
        limit = min(request.max_items or 500, 1000)
        with self.db.read() as session:
            items = feed.read(session, region, request.after_cursor, limit)
        yield from items

    def Reconcile(self, request: sync_pb2.ReconcileRequest,  # noqa: N802 (gRPC name)
                  context: grpc.ServicerContext) -> sync_pb2.ReconcileReply:
        """The national node's counts and digests over the region's ranges."""
        region, _serial, _trust = self._identity(context)
        _refuse_undecodable(context, request)
        if len(request.ranges) > 100_000:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "at most 100,000 ranges per reconciliation")
        with self.db.read() as session:
            reply = feed.reconcile(session, region, request)
        divergent = sum(1 for a, b in zip(request.ranges, reply.ranges, strict=True)
                        if (a.count, a.digest) != (b.count, b.digest))
        note = (f"{self.clock().isoformat()} epoch {request.epoch}: {len(request.ranges)} range(s), "
                f"{divergent} differ")
        with self.db.transaction() as session:
            row = session.get(RegionRow, region)
            if row is not None:
                row.last_reconcile = note
        return reply


def _add_servicer(servicer: FederationSyncServicer, server: grpc.Server) -> None:
    """Register the service like the generated helper, but with deserializers that never raise.

    grpc answers INTERNAL "Exception deserializing request!" when a deserializer raises; a
    region sending bytes that are not our messages deserves INVALID_ARGUMENT and a sentence.
    """
    handlers = {
        "Push": grpc.stream_stream_rpc_method_handler(
            servicer.Push, request_deserializer=_lenient(sync_pb2.UplinkMessage),
            response_serializer=sync_pb2.UplinkReply.SerializeToString),
        "Pull": grpc.unary_stream_rpc_method_handler(
            servicer.Pull, request_deserializer=_lenient(sync_pb2.PullRequest),
            response_serializer=sync_pb2.DownlinkItem.SerializeToString),
        "Reconcile": grpc.unary_unary_rpc_method_handler(
            servicer.Reconcile, request_deserializer=_lenient(sync_pb2.ReconcileRequest),
            response_serializer=sync_pb2.ReconcileReply.SerializeToString),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("sync.v1.FederationSync", handlers),))


def build_server(db: Database, pki_dir: Path, host: str, port: int, workers: int = 8,
                 clock: Clock = _utcnow) -> tuple[grpc.Server, int]:
    """A server bound to host:port over mutual TLS (not yet started); returns it and the bound port."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers), options=SERVER_OPTIONS,
                         maximum_concurrent_rpcs=workers * 4)
    _add_servicer(FederationSyncServicer(db, pki_dir, clock), server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    health_servicer.set("sync.v1.FederationSync", health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    creds = server_credentials(pki_dir / "ca.crt", pki_dir / "national.crt", pki_dir / "national.key")
    bound = server.add_secure_port(f"{host}:{port}", creds)
    if bound == 0:
        raise OSError(f"could not bind the gRPC server to {host}:{port}")
    return server, bound
