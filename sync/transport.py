"""gRPC channel and server settings both ends agree on, and their TLS credentials."""

from __future__ import annotations

from pathlib import Path

import grpc

MAX_MESSAGE_BYTES = 8 * 1024 * 1024

# Keepalive: the client pings every 30 s; the server accepts pings that often (its
# minimum interval is below the client's), so it never answers GOAWAY "too_many_pings".
CLIENT_OPTIONS: list[tuple[str, int | str]] = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
    ("grpc.enable_retries", 0),
    ("grpc.initial_reconnect_backoff_ms", 500),
    ("grpc.max_reconnect_backoff_ms", 10_000),
]

SERVER_OPTIONS: list[tuple[str, int | str]] = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.so_reuseport", 0),
    ("grpc.keepalive_time_ms", 60_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.http2.min_ping_interval_without_data_ms", 20_000),
    ("grpc.http2.max_ping_strikes", 0),
    ("grpc.keepalive_permit_without_calls", 1),
]


def server_credentials(ca_cert: Path, cert: Path, key: Path) -> grpc.ServerCredentials:
    """Mutual TLS: the server presents `cert` and requires a client certificate signed by `ca_cert`."""
    return grpc.ssl_server_credentials(
        [(Path(key).read_bytes(), Path(cert).read_bytes())],
        root_certificates=Path(ca_cert).read_bytes(),
        require_client_auth=True,
    )


def client_channel(target: str, ca_cert: Path, cert: Path, key: Path, server_name: str = "localhost") -> grpc.Channel:
    """A long-lived mutual-TLS channel to the national node."""
    creds = grpc.ssl_channel_credentials(
        root_certificates=Path(ca_cert).read_bytes(),
        private_key=Path(key).read_bytes(),
        certificate_chain=Path(cert).read_bytes(),
    )
    options = [*CLIENT_OPTIONS, ("grpc.ssl_target_name_override", server_name)]
    return grpc.secure_channel(target, creds, options=options)
