"""The national overview names each region's evidence backlog as the national node knows it (newcomer15 F11's
national side: the regional /sync page counted them, the overview did not)."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from national.models import EvidenceAlarm, RecordStatus, RegionRow, UplinkBatch, UplinkRecord
from tests.conftest import web_client
from tests.integration.test_web_foundation import national_app as _national_app

national_app = _national_app  # a fixture: a national web app on a fresh database
NOW = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)


def test_the_overview_counts_captures_waiting_for_the_national_log_and_those_refused(national_app: Flask) -> None:
    with national_app.extensions["hufu_db"].transaction() as s:
        for code in ("440000", "330000"):
            s.add(RegionRow(code=code, name=code))
        batch = UplinkBatch(region="330000", epoch=1, first_sequence=1, count=3, root=b"r", signature=b"s",
                            leaves=b"", cert_serial="1", received_at=NOW)
        s.add(batch)
        s.flush()
        for k, kind in enumerate(("evidence_digest", "evidence_digest", "lead")):
            s.add(UplinkRecord(region="330000", epoch=1, sequence=k + 1, uuid=f"u{k}", revision=1, kind=kind,
                               status=RecordStatus.APPLIED, record=b"", batch_id=batch.id, leaf_index=k,
                               received_at=NOW))
        for kind in ("bad_manifest", "region_log_gap", "witness_refused"):  # a witness's refusal is no capture's
            s.add(EvidenceAlarm(at=NOW, region="440000", kind=kind, detail="x"))
    page = web_client(national_app, "officer").get("/").get_data(as_text=True)
    cells = {r: (int(w), int(f)) for r, w, f in re.findall(
        r'<tr data-region="(\d+)".*?data-waiting="(\d+)" data-refused="(\d+)"', page, re.S)}
    assert cells == {"330000": (2, 0), "440000": (0, 2)}
    assert "证据：待记入国家日志 / 被拒收" in page
