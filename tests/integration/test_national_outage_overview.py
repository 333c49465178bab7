"""newcomer16 N8: with `hufu national serve` gone, the national web overview said every region was 正常 (lag 0 条)
while `hufu national status` printed an ALERT. A real gRPC server on port 0 (mutual TLS), a real region pushing to
it, the real web app; then the server is stopped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from national.config import NationalConfig
from national.grpc_server import build_server
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from regional import sync_agent
from sync.db import Database, run_migrations, sqlite_url
from sync.pki import init_ca, issue_region
from tests.conftest import web_client
from tests.integration.test_sync_grpc import Net, region_db, signer_for, write_leads


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Clock:
    """A monotonic clock the test moves (the probe's cache is read against it)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_overview_shows_the_status_alert_and_no_region_is_ok_once_the_grpc_server_is_gone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from national import regionstatus
    from national.status import ServerProbe
    from national.web import create_app

    tick = Clock()
    probe = ServerProbe(ttl_s=5.0, timeout_s=0.5, monotonic=tick)
    monkeypatch.setattr(regionstatus, "PROBE", probe)
    pki = tmp_path / "pki"
    init_ca(pki)
    issue_region(pki, "440000")
    url = sqlite_url(tmp_path / "national.db")
    run_migrations(url, NATIONAL_MIGRATIONS)
    national = Database(url)
    server, port = build_server(national, pki, "127.0.0.1", 0, workers=4, clock=_utcnow)
    server.start()
    data = tmp_path / "national"
    (data / "run").mkdir(parents=True)
    # what `hufu national serve` records (sync.serving.write_port_file)
    (data / "run" / "grpc.json").write_text(json.dumps({"host": "127.0.0.1", "port": port, "pid": 1}),
                                            encoding="utf-8")
    net = Net(pki=pki, target=f"127.0.0.1:{port}", national=national, tmp=tmp_path)
    try:
        region = region_db(net, "440000")
        write_leads(region, signer_for(net, "440000"), 3)
        from tests.integration.test_sync_grpc import channel_for

        sync_agent.push_once(region, channel_for(net, "440000"), signer_for(net, "440000"), clock=_utcnow)
        config = NationalConfig(data_dir=data, database_url=url, pki_dir=pki)
        client = web_client(create_app(config))
        up = client.get("/").get_data(as_text=True)
        assert 'id="grpc-alert"' not in up
        assert 'data-region="440000" data-standing="ok"' in up and "正常" in up
    finally:
        server.stop(grace=None)
    # the server is gone; the page keeps its cached answer for a few seconds, then probes again
    assert probe.probes == 1
    for _ in range(5):
        client.get("/")
    assert probe.probes == 1, "one probe per few seconds, not one per request"
    tick.t += 6.0
    down = client.get("/").get_data(as_text=True)
    assert probe.probes == 2
    assert 'id="grpc-alert"' in down and f"127.0.0.1:{port}" in down and "无响应" in down
    assert 'data-standing="cut_off"' in down and "未联系" in down
    row = down[down.index('data-region="440000"'):]
    row = row[:row.index("</tr>")]
    assert "正常" not in row and "当前不明" in row, row
    regions = client.get("/api/regions").get_json()
    assert [r["standing"] for r in regions] == ["cut_off"]
    assert client.get("/metrics").headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"  # newcomer24
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "hufu_grpc_server_up 0.0" in metrics and 'hufu_sync_late{region="440000"} 1.0' in metrics
    national.dispose()
    region.dispose()


def test_the_probe_is_bounded_and_says_why(tmp_path: Path) -> None:
    import socket
    import time

    from national.status import grpc_server_problem

    run = tmp_path / "run"
    missing = grpc_server_problem(run, "127.0.0.1", 0)
    assert missing is not None and missing.kind == "no_address" and "hufu national serve" in missing.message()
    with socket.socket() as s:  # a port nothing listens on any more
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    began = time.monotonic()
    refused = grpc_server_problem(run, "127.0.0.1", free, timeout=0.5)
    assert time.monotonic() - began < 2.0
    assert refused is not None and refused.kind == "no_answer" and refused.port == free
    assert f"does not answer at 127.0.0.1:{free}" in refused.message()
