"""The lead projection trusts the limits check national ingest made, and only that.

Ingest stores with every record the fingerprint of the limits it checked (uplink_records.limits_checked);
the projection checks a lead again only when that is missing (stored before ingest checked limits, or by
hand) or names other limits. These tests fail if ingest stops recording the check, if the projection
re-checks what ingest checked under the same limits, or if it lets through a bad lead stored without
the check or checked under other limits.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from national import feed
from national.models import NationalLead, QuarantinedRecord, RecordStatus, UplinkBatch, UplinkRecord
from sync import limits
from sync.db import Database
from sync.v1 import sync_pb2
from tests.integration.test_ingest_store import NOW, REGION, batch_of, lead_record, store
from tests.integration.test_ingest_store import db as db  # noqa: F401 - the fixture


def _store_by_hand(db: Database, sequence: int, body: bytes, checked: int | None) -> None:  # noqa: F811
    with db.transaction() as s:
        b = UplinkBatch(region=REGION, epoch=1, first_sequence=sequence, count=1, root=b"", signature=b"", leaves=b"",
                        cert_serial="older", received_at=NOW)
        s.add(b)
        s.flush()
        s.add(UplinkRecord(region=REGION, epoch=1, sequence=sequence, uuid=sync_pb2.Record.FromString(body).uuid,
                           revision=1, kind="lead", status=RecordStatus.APPLIED, record=body, batch_id=b.id,
                           leaf_index=0, received_at=NOW, limits_checked=checked))


def test_ingest_records_the_check_and_the_projection_rechecks_only_leads_not_checked_under_these_limits(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    store(db, batch_of([(s, lead_record(s)) for s in range(1, 5)]), 0)
    with db.read() as s:
        assert set(s.scalars(sa.select(UplinkRecord.limits_checked))) == {limits.LIMITS_FINGERPRINT}
    poison = []
    for sequence, checked in ((5, None), (6, (limits.LIMITS_FINGERPRINT + 1) % 2**31)):
        bad = sync_pb2.Record.FromString(lead_record(sequence))
        bad.lead.listing_title = "标题\x00"  # over a limit: ingest would have refused it
        _store_by_hand(db, sequence, bad.SerializeToString(), checked)
        poison.append(bad.uuid)
    _store_by_hand(db, 7, lead_record(7), None)  # a good lead stored without the check: checked, projected
    checked_here: list[str] = []
    real = limits.valid

    def counting(spec_name: str, message: object) -> bool:
        checked_here.append(spec_name)
        return real(spec_name, message)  # type: ignore[arg-type]

    monkeypatch.setattr(limits, "valid", counting)
    assert feed.project_pending(db, lambda: dt.datetime(2026, 12, 1, tzinfo=dt.UTC)) == 7
    assert checked_here == ["Lead", "Lead", "Lead"], "only sequences 5, 6 and 7 are checked again"
    with db.read() as s:
        leads = set(s.scalars(sa.select(NationalLead.uuid)))
        quarantined = {q.uuid: q.reason for q in s.scalars(sa.select(QuarantinedRecord))}
        stored = dict(s.execute(sa.select(UplinkRecord.sequence, UplinkRecord.uuid)).all())
    assert set(quarantined) == set(poison)
    assert all("lead.listing_title" in reason for reason in quarantined.values())
    assert leads == {stored[seq] for seq in (1, 2, 3, 4, 7)}


def test_the_fingerprint_changes_with_any_declared_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    before = limits._fingerprint()
    assert before == limits.LIMITS_FINGERPRINT and 0 <= before < 2**31
    lead = dict(limits.SPECS["Lead"])
    title = lead["listing_title"]
    assert isinstance(title, limits.FieldLimit)
    lead["listing_title"] = limits.FieldLimit(title.kind, title.max_chars - 1, columns=title.columns)
    monkeypatch.setitem(limits.SPECS, "Lead", lead)
    assert limits._fingerprint() != before
    monkeypatch.setitem(limits.SPECS, "Lead", limits.LEAD)
    monkeypatch.setattr(limits, "CHECKS_REVISION", limits.CHECKS_REVISION + 1)
    assert limits._fingerprint() != before
