"""The national gRPC server: mutual TLS, identity from the certificate, thin servicer."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path

import grpc
import sqlalchemy as sa
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from national import ingest
from national.models import DownlinkRow
from sync.db import Database
from sync.pki import PkiError, certificate_identity, load_trust
from sync.transport import SERVER_OPTIONS, server_credentials
from sync.v1 import sync_pb2, sync_pb2_grpc

log = logging.getLogger("hufu.national.grpc")
Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class FederationSyncServicer(sync_pb2_grpc.FederationSyncServicer):
    """Translates gRPC calls into ingest and feed operations, and domain errors into status codes."""

    def __init__(self, db: Database, pki_dir: Path, clock: Clock = _utcnow) -> None:
        self.db = db
        self.pki_dir = pki_dir
        self.clock = clock

    def _identity(self, context: grpc.ServicerContext) -> tuple[str, str]:
        """The (region, serial) of the verified client certificate; aborts if there is none or it is revoked."""
        pems = context.auth_context().get("x509_pem_cert")
        if not pems:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "a client certificate issued by the national CA is required")
        try:
            region, serial = certificate_identity(pems[0])
        except (PkiError, ValueError) as exc:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        trust = load_trust(self.pki_dir)  # re-read: revocations take effect without a restart
        try:
            ingest.authorize(trust, region, serial)
        except ingest.NotAuthorized as exc:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        return region, serial

    def Push(self, request_iterator: Iterator[sync_pb2.UplinkMessage],  # noqa: N802 (gRPC name)
             context: grpc.ServicerContext) -> Iterator[sync_pb2.UplinkReply]:
        """Hello, welcome with the high-water mark, then one acknowledgement per committed batch."""
        region, serial = self._identity(context)
        trust = load_trust(self.pki_dir)[region]
        first = next(request_iterator, None)
        if first is None or first.WhichOneof("body") != "hello":
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "the first uplink message must be a hello")
        if first.hello.region != region:
            context.abort(grpc.StatusCode.PERMISSION_DENIED,
                          f"certificate names region {region} but the hello claims region {first.hello.region}")
        epoch = first.hello.epoch or 1
        try:
            with self.db.transaction() as session:
                high = ingest.hello(session, region, epoch, self.clock())
        except ingest.StaleEpoch as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        yield sync_pb2.UplinkReply(welcome=sync_pb2.Welcome(high_water=high))
        who = ingest.Sender(region=region, cert_serial=serial, epoch=epoch)
        for message in request_iterator:
            if message.WhichOneof("body") != "batch":
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "after the hello only batches may be sent")
            try:
                with self.db.transaction() as session:
                    outcome = ingest.apply_batch(session, who, trust, message.batch, self.clock())
            except ingest.IngestError as exc:
                code = {
                    ingest.NotAuthorized: grpc.StatusCode.PERMISSION_DENIED,
                    ingest.SequenceGap: grpc.StatusCode.FAILED_PRECONDITION,
                    ingest.StaleEpoch: grpc.StatusCode.FAILED_PRECONDITION,
                }.get(type(exc), grpc.StatusCode.INVALID_ARGUMENT)
                log.warning("refused batch from %s: %s", region, exc)
                with self.db.transaction() as session:
                    ingest.note_error(session, region, str(exc))
                context.abort(code, str(exc))
            yield sync_pb2.UplinkReply(ack=sync_pb2.Ack(
                first_sequence=message.batch.first_sequence, applied=outcome.applied,
                duplicates=outcome.duplicates, high_water=outcome.high_water))

    def Pull(self, request: sync_pb2.PullRequest,  # noqa: N802 (gRPC name)
             context: grpc.ServicerContext) -> Iterator[sync_pb2.DownlinkItem]:
        """This region's feed after the cursor; the region comes from the certificate only."""
        region, _serial = self._identity(context)
        limit = min(request.max_items or 500, 1000)
        with self.db.read() as session:
            rows = list(session.scalars(
                sa.select(DownlinkRow).where(DownlinkRow.region == region, DownlinkRow.id > request.after_cursor)
                .order_by(DownlinkRow.id).limit(limit)))
        for row in rows:
            item = sync_pb2.DownlinkItem(cursor=row.id, uuid=row.uuid)
            if row.kind == "cross_region_case":
                item.cross_region_case.ParseFromString(row.body)
            yield item


def build_server(db: Database, pki_dir: Path, host: str, port: int, workers: int = 8,
                 clock: Clock = _utcnow) -> tuple[grpc.Server, int]:
    """A started-ready (not yet started) server bound to host:port over mutual TLS; returns the bound port."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers), options=SERVER_OPTIONS,
                         maximum_concurrent_rpcs=workers * 4)
    sync_pb2_grpc.add_FederationSyncServicer_to_server(FederationSyncServicer(db, pki_dir, clock), server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    health_servicer.set("sync.v1.FederationSync", health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    creds = server_credentials(pki_dir / "ca.crt", pki_dir / "national.crt", pki_dir / "national.key")
    bound = server.add_secure_port(f"{host}:{port}", creds)
    if bound == 0:
        raise OSError(f"could not bind the gRPC server to {host}:{port}")
    return server, bound
