"""All 31 provinces push at once: every connected region makes progress, none starves.

Thirty-one real `hufu regional worker` processes, each with a backlog, against one national
gRPC server and its worker. Every region's first batch must be acknowledged within seconds of
its first hello, nothing may be refused for lack of server capacity, and every lead must end
up projected nationally.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from sync.regions import PROVINCES
from tests.fault.harness import (
    Federation,
    Processes,
    RegionalNode,
    cli,
    difference,
    national_rows,
    outbox_rows,
    query,
    tail,
)

pytestmark = pytest.mark.e2e

BACKLOG = 900  # leads per region waiting in its outbox when the workers start (the issue's ~890)
FIRST_ACK_S = 15.0  # from a region's first hello to its first acknowledged batch
ALL_DONE_S = 900.0  # a liveness guard: 31 x 900 leads on a 2-core machine other suites share


def _make_pki(pki: Path, codes: list[str]) -> None:
    from sync.pki import init_ca, issue_region

    init_ca(pki)
    for code in codes:
        issue_region(pki, code)


def _region(root: Path, pki: Path, code: str, national: str, procs: Processes) -> RegionalNode:
    """A regional data dir set up in-process (31 CLI start-ups would dominate the test's time)."""
    from regional.config import RegionalConfig
    from regional.node import init_node

    config = RegionalConfig.load(root / f"region-{code}", region=code, national_target=national)
    init_node(config, pki / "regions" / code)
    return RegionalNode(code=code, data_dir=config.data_dir, procs=procs)


def test_thirty_one_regions_all_make_progress_and_every_lead_is_projected(tmp_path: Path) -> None:
    codes = sorted(PROVINCES)
    assert len(codes) == 31
    pki = tmp_path / "pki"
    _make_pki(pki, codes)
    fed = Federation(root=tmp_path, pki=pki, procs=Processes(tmp_path / "logs"))
    try:
        national = fed.national()
        national.start()
        national.start_worker()
        regions = [_region(tmp_path, pki, code, national.address, fed.procs) for code in codes]
        leads: dict[str, list[str]] = {}
        for region in regions:
            leads[region.code] = region.fill(BACKLOG)
        for region in regions:
            region.start_worker(interval_s=1.0)

        first_hello: dict[str, float] = {}
        first_ack: dict[str, float] = {}
        deadline = time.monotonic() + ALL_DONE_S
        done = False
        while time.monotonic() < deadline:
            now = time.monotonic()
            seen = {code for (code,) in query(national.db_path, "SELECT code FROM regions")}
            stored = dict(query(national.db_path, "SELECT region, count(*) FROM uplink_records GROUP BY region"))
            projected = dict(query(national.db_path, "SELECT region, count(*) FROM leads GROUP BY region"))
            for code in seen:
                first_hello.setdefault(code, now)
            for code, n in stored.items():
                if n:
                    first_ack.setdefault(code, now)
            if all(stored.get(c, 0) == BACKLOG and projected.get(c, 0) == BACKLOG for c in codes):
                done = True
                break
            time.sleep(0.25)

        logs = "\n".join(f"--- {r.code} ---\n{tail(r.worker_log, 3)}" for r in regions if r.worker_log)
        starved = sorted(set(codes) - set(first_ack))
        assert not starved, f"{len(starved)} region(s) stored nothing: {starved}\n{logs}\n{national.log_tails()}"
        slow = {c: round(first_ack[c] - first_hello[c], 1) for c in codes
                if first_ack[c] - first_hello[c] > FIRST_ACK_S}
        assert not slow, f"first acknowledgement later than {FIRST_ACK_S} s after the first hello: {slow}"
        for region in regions:
            expected, got = outbox_rows(region), national_rows(national, region.code)
            assert expected == got, difference(f"region {region.code}", expected, got)
        assert done, (f"not every lead was projected within {ALL_DONE_S:.0f} s: "
                      f"{dict(query(national.db_path, 'SELECT region, count(*) FROM leads GROUP BY region'))}\n"
                      f"{national.log_tails()}")
        for code, uuids in leads.items():
            have = {u for (u,) in query(national.db_path, "SELECT uuid FROM leads WHERE region = ?", (code,))}
            assert have == set(uuids), f"region {code}: leads projected differ from those filed"
        refused = [(r.code, line) for r in regions if r.worker_log
                   for line in r.worker_log.read_text(encoding="utf-8", errors="replace").splitlines()
                   if "RESOURCE_EXHAUSTED" in line or "DEADLINE_EXCEEDED" in line]
        assert not refused, f"regions were refused for lack of server capacity: {refused[:5]}"
        status = json.loads(cli(["national", "status", "--data-dir", national.data_dir, "--json"]).stdout)
        standing = {r["code"]: r["standing"] for r in status["regions"]}
        assert standing == dict.fromkeys(codes, "ok"), standing
    finally:
        fed.close()
