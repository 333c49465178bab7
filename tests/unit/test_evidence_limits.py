"""The evidence fields of a filed record have limits like every synced field, named when broken."""

from __future__ import annotations

from sync import limits
from sync.v1 import sync_pb2


def _record(manifest: bytes, signature: bytes = b"s" * 64, head: str = "head\n") -> sync_pb2.Record:
    return sync_pb2.Record(region="440000", epoch=1, sequence=1, uuid="6a1d3c1e-0000-4000-8000-000000000001",
                           revision=1, evidence_digest=sync_pb2.EvidenceDigest(
                               lead_uuid="6a1d3c1e-0000-4000-8000-000000000002", sha256="a" * 64,
                               manifest=manifest, manifest_signature=signature, log_index=3, region_head=head))


def test_a_manifest_within_limits_passes_and_an_oversized_one_or_a_long_signature_is_named() -> None:
    assert limits.validate_record(_record(b"{}")) == []
    errors = [str(e) for e in limits.validate_record(_record(b"x" * 200_001))]
    assert any("evidence_digest.manifest is 200,001 bytes; at most 200,000" in e for e in errors), errors
    errors = [str(e) for e in limits.validate_record(_record(b"{}", signature=b"s" * 65))]
    assert any("evidence_digest.manifest_signature" in e for e in errors), errors
    errors = [str(e) for e in limits.validate_record(_record(b"{}", head="x\x00y"))]
    assert any("evidence_digest.region_head contains a NUL" in e for e in errors), errors
