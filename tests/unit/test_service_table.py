"""The national server answers every RPC of sync.v1.FederationSync from one table derived from the proto."""

from __future__ import annotations

from national.grpc_server import FederationSyncServicer, Undecodable, service_handlers
from sync.v1 import sync_pb2


class _Servicer(FederationSyncServicer):
    def __init__(self) -> None:  # no database: only the table is under test
        pass


def test_every_rpc_of_the_service_has_exactly_one_handler_with_the_protos_streaming_shape():
    service = sync_pb2.DESCRIPTOR.services_by_name["FederationSync"]
    table = service_handlers(_Servicer())
    assert sorted(table) == sorted(m.name for m in service.methods)
    assert {"Push", "Pull", "Reconcile", "Restore", "WitnessCheckpoint", "CosignCheckpoint",
            "EvidenceProofs", "PutEvidenceObjects"} <= set(table)
    for method in service.methods:
        handler = table[method.name]
        assert handler.request_streaming is method.client_streaming, method.name
        assert handler.response_streaming is method.server_streaming, method.name


def test_bytes_that_are_not_the_message_reach_the_servicer_as_undecodable_not_an_exception():
    table = service_handlers(_Servicer())
    parsed = table["CosignCheckpoint"].request_deserializer(b"\xff\xff\xff")
    assert isinstance(parsed, Undecodable)
    good = sync_pb2.CosignRequest(checkpoint="x").SerializeToString()
    assert table["CosignCheckpoint"].request_deserializer(good).checkpoint == "x"
