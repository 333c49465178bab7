"""The whole federation as real processes: `hufu demo --once`, then every database is checked."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from national.models import CaseRow, DownlinkRow, NationalLead, UplinkRecord
from regional.models import LeadRow, OutboxRow, ReceivedCase
from sync.db import Database, sqlite_url

pytestmark = pytest.mark.e2e
REGIONS = ("440000", "330000", "350000")


def test_demo_summary_reports_three_regions_and_delivered_cases(demo_federation) -> None:
    summary = demo_federation.summary
    assert summary["regions"] == 3
    assert summary["cross_region_cases"] >= 1
    assert summary["leads"] > 0
    assert set(summary["delivered"]) == set(REGIONS)
    assert summary["delivered"] == summary["expected"]


def test_every_region_stored_exactly_the_cases_that_concern_it(demo_federation) -> None:
    root = demo_federation.root
    nat = Database(sqlite_url(root / "national" / "node.db"))
    with nat.read() as s:
        cases = {c.uuid: c for c in s.scalars(sa.select(CaseRow).where(CaseRow.cross_region))}
        queued = {code: set(s.scalars(sa.select(DownlinkRow.uuid).where(
            DownlinkRow.region == code, DownlinkRow.kind != "emark_status")))  # e-mark revocations go to all
            for code in REGIONS}
    assert cases
    for code in REGIONS:
        concerning = {u for u, c in cases.items() if code in c.regions}
        assert queued[code] == concerning
        db = Database(sqlite_url(root / f"region-{code}" / "node.db"))
        with db.read() as s:
            received = {r.case_uuid: r for r in s.scalars(sa.select(ReceivedCase))}
        assert set(received) == concerning, f"region {code} did not receive exactly its cases"
        assert demo_federation.summary["delivered"][code] == len(received)
        for r in received.values():
            assert code in r.regions and len(r.regions) >= 2
            assert r.lead_region in r.regions
            assert {lead["region"] for lead in r.payload["leads"]} == set(r.regions)


def test_national_records_equal_each_regions_outbox(demo_federation) -> None:
    root = demo_federation.root
    nat = Database(sqlite_url(root / "national" / "node.db"))
    for code in REGIONS:
        db = Database(sqlite_url(root / f"region-{code}" / "node.db"))
        with db.read() as s:
            outbox = list(s.execute(sa.select(OutboxRow.sequence, OutboxRow.uuid).order_by(OutboxRow.sequence)))
            lead_uuids = set(s.scalars(sa.select(LeadRow.uuid)))
        with nat.read() as s:
            filed = list(s.execute(sa.select(UplinkRecord.sequence, UplinkRecord.uuid)
                                   .where(UplinkRecord.region == code).order_by(UplinkRecord.sequence)))
            national_leads = set(s.scalars(sa.select(NationalLead.uuid).where(NationalLead.region == code)))
        assert [tuple(r) for r in filed] == [tuple(r) for r in outbox], f"{code}: lost or doubled records"
        assert [r[0] for r in outbox] == list(range(1, len(outbox) + 1)), f"{code}: outbox has gaps"
        assert national_leads == lead_uuids


def test_monitoring_lists_are_filled_right_after_the_demo(demo_federation) -> None:
    """Issue 8 item 12: the lists follow screening, not only the worker's start and the hour."""
    from regional.models import ListingRow, RiskEntry

    for code in REGIONS:
        db = Database(sqlite_url(demo_federation.root / f"region-{code}" / "node.db"))
        with db.read() as s:
            last_screened = s.scalar(sa.select(sa.func.max(ListingRow.screened_at)))
            kinds = dict(s.execute(sa.select(RiskEntry.kind, sa.func.max(RiskEntry.computed_at))
                                   .group_by(RiskEntry.kind)).all())
            leads = s.scalar(sa.select(sa.func.count()).select_from(LeadRow))
        assert leads and "exposed_right" in kinds, f"{code}: {leads} leads but lists {sorted(kinds)}"
        assert last_screened is not None and min(kinds.values()) >= last_screened, \
            f"{code}: lists computed before screening finished"


def test_ctrl_c_stops_every_node_of_a_running_demo(tmp_path) -> None:
    import json
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time

    from tests.conftest import DEMO_CONVERGE_S, DEMO_TIMEOUT_S

    data = tmp_path / "demo"
    # the demo gives up by itself (and says on what) after --timeout; the watchdog only ends a hung process,
    # whose silent stderr would otherwise block readline() below for ever
    proc = subprocess.Popen([sys.executable, "-m", "national.cli", "demo", "--data-dir", str(data),
                             "--listings", "60", "--timeout", str(DEMO_CONVERGE_S)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    watchdog = threading.Timer(DEMO_TIMEOUT_S, lambda: os.killpg(proc.pid, signal.SIGKILL))
    watchdog.start()
    try:
        seen = ""
        while "keeps running" not in seen:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, f"the demo exited early (or hung for {DEMO_TIMEOUT_S:.0f} s):\n{seen}"
            seen += line
        pids = [json.loads(p.read_text())["pid"] for p in data.rglob("run/*.json")]
        assert len(pids) == 1 + 4 and all(_alive(pid) for pid in pids)  # national gRPC + 4 web UIs report ports
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 0  # the demo waits for its nodes (SIGKILL after 10 s each group)
        # the demo reaped its own children before exiting; a grandchild would be re-parented and live on
        outlived = [pid for pid in pids if _alive(pid)]
        deadline = time.monotonic() + 30
        while outlived and time.monotonic() < deadline:
            time.sleep(0.2)
            outlived = [pid for pid in outlived if _alive(pid)]
        assert not outlived, "a node outlived the demo"
        assert "all nodes stopped" in proc.stderr.read()
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is as good as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def test_the_national_port_the_regions_use_is_kept_in_national_toml(demo_federation) -> None:
    """An operator who restarts `hufu national serve --data-dir demo-data/national` by hand after a crash gets the
    port every region's regional.toml points at, not a new free one."""
    from national.config import NationalConfig
    from regional.config import RegionalConfig

    root = demo_federation.root
    national = NationalConfig.load(root / "national", env={})
    assert national.grpc_port > 0
    for code in REGIONS:
        region = RegionalConfig.load(root / f"region-{code}", env={})
        assert region.national_target == f"127.0.0.1:{national.grpc_port}", (code, region.national_target)


def test_each_demo_region_names_the_core_industries_its_sample_data_was_made_for(demo_federation) -> None:
    """newcomer13: the reports' 优势产业 column was 否 on every row: the demo set no core_nice_classes."""
    from regional.config import RegionalConfig
    from regional.sampledata import PROVINCES

    for code in REGIONS:
        region = RegionalConfig.load(demo_federation.root / f"region-{code}", env={})
        assert region.core_nice_classes == list(PROVINCES[code].industries) != [], code
