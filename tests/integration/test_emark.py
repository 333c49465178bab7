"""E-marks at real nodes: the CLI contract as real processes, a revocation travelling through a real national
gRPC server (mutual TLS, port 0) to another region, the public page and API (limits, rate), the officers' pages
(roles, CSRF, audit)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from national.feed import project_leads
from national.grpc_server import build_server
from national.hufu import main
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from regional.emark.models import EmarkRow, EmarkScan
from regional.models import AuditEntry, OutboxRow
from sync.db import Database, run_migrations, sqlite_url
from sync.pki import init_ca, issue_region
from tests.conftest import _subprocess_env, csrf, hufu_command, web_client

REGISTRY = [
    {"kind": "trademark", "reg_no": "12345678", "mark": "飞鹰", "owner": "广州飞鹰体育用品有限公司", "nice_classes": [25]},
    {"kind": "trademark", "reg_no": "20000001", "mark": "旧标", "owner": "某某旧公司", "nice_classes": [25],
     "valid_until": "2020-01-01"},
    {"kind": "licence", "right": "12345678", "licensee": "东莞鹰翔鞋业有限公司"},
]


def hufu(*args: object, check: bool | None = True, stdin: str | None = None,
         process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `hufu ARGS`: in this process (the same parser and code), or with `process` as a real process."""
    if process:
        done = subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True,
                              env=_subprocess_env(), timeout=180, input=stdin)
    else:
        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin or "")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main([str(a) for a in args])
        finally:
            sys.stdin = old_stdin
        done = subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
    if check:
        assert done.returncode == 0, f"hufu {' '.join(map(str, args))}: {done.stdout}{done.stderr}"
    return done


@dataclass
class Fed:
    pki: Path
    target: str
    national: Database
    regions: dict[str, Path]


@pytest.fixture(scope="module")
def fed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fed]:
    tmp = tmp_path_factory.mktemp("emark")
    pki = tmp / "pki"
    init_ca(pki)
    url = sqlite_url(tmp / "national.db")
    run_migrations(url, NATIONAL_MIGRATIONS)
    db = Database(url)
    server, port = build_server(db, pki, "127.0.0.1", 0, workers=4)
    server.start()
    regions = {}
    registry = tmp / "registry.jsonl"
    registry.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REGISTRY), encoding="utf-8")
    for code in ("440000", "330000"):
        creds = issue_region(pki, code)
        data = tmp / f"region-{code}"
        hufu("regional", "init", "--region", code, "--pki", creds.directory, "--national", f"127.0.0.1:{port}",
             "--data-dir", data)
        hufu("regional", "import-registry", registry, "--data-dir", data)
        regions[code] = data
    try:
        yield Fed(pki=pki, target=f"127.0.0.1:{port}", national=db, regions=regions)
    finally:
        server.stop(grace=None)
        db.dispose()


def issue(fed: Fed, *extra: str, region: str = "440000", process: bool = False) -> str:
    done = hufu("regional", "emark", "issue", "--right", "12345678", "--product", "飞鹰跑步鞋 FY-100",
                "--data-dir", fed.regions[region], *extra, process=process)
    return done.stdout.strip().splitlines()[-1]


def test_issue_prints_the_payload_last_and_verify_exits_0_naming_the_holder(fed: Fed, tmp_path: Path) -> None:
    payload = issue(fed, "--licensee", "东莞鹰翔鞋业有限公司", "--batch", "B2026-11", "--serial", "000123",
                    "--qr", str(tmp_path / "mark.svg"), process=True)
    assert payload.startswith("HFM1.")
    assert (tmp_path / "mark.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    for region in fed.regions.values():  # the issuing region, and another that never saw the mark
        done = hufu("regional", "emark", "verify", payload, "--data-dir", region, process=True)
        assert done.stdout.startswith("GENUINE") and "广州飞鹰体育用品有限公司" in done.stdout
        assert "东莞鹰翔鞋业有限公司" in done.stdout
    piped = hufu("regional", "emark", "verify", "-", "--json", "--data-dir", fed.regions["440000"], stdin=payload)
    answer = json.loads(piped.stdout)
    assert answer["genuine"] and answer["mark"]["serial"] == "000123"


def test_verify_exits_1_with_the_reason_for_forged_altered_and_unreadable_marks(fed: Fed, tmp_path: Path) -> None:
    payload = issue(fed)
    # another federation's region issues a mark for the same right: its key is vouched for by another national key
    other = tmp_path / "other-pki"
    init_ca(other)
    creds = issue_region(other, "440000")
    rogue = tmp_path / "rogue"
    hufu("regional", "init", "--region", "440000", "--pki", creds.directory, "--data-dir", rogue)
    registry = tmp_path / "registry.jsonl"
    registry.write_text(json.dumps(REGISTRY[0], ensure_ascii=False) + "\n", encoding="utf-8")
    hufu("regional", "import-registry", registry, "--data-dir", rogue)
    forged = hufu("regional", "emark", "issue", "--right", "12345678", "--product", "飞鹰跑步鞋",
                  "--data-dir", rogue).stdout.strip().splitlines()[-1]
    cases = {"forged": forged, "altered": payload[:-3] + ("AAA" if payload[-3:] != "AAA" else "BBB"),
             "unreadable": "this is no mark"}
    for status, text in cases.items():
        done = hufu("regional", "emark", "verify", text, "--data-dir", fed.regions["440000"], check=False,
                    process=status == "forged")
        assert done.returncode == 1, (status, done.stdout, done.stderr)
        assert done.stdout.startswith(status.upper() + ":") and len(done.stdout) > 20, done.stdout
    # a mark signed with this region's own key that is not in its register: unknown
    with Database(sqlite_url(fed.regions["440000"] / "node.db")).transaction() as s:
        row = s.scalar(sa.select(EmarkRow).where(EmarkRow.payload == payload))
        s.delete(row)
    done = hufu("regional", "emark", "verify", payload, "--data-dir", fed.regions["440000"], check=False)
    assert done.returncode == 1 and done.stdout.startswith("UNKNOWN"), done.stdout


def test_issue_refuses_unknown_expired_rights_unlicensed_licensees_and_long_fields(fed: Fed) -> None:
    region = fed.regions["440000"]
    for args, words in ((["--right", "99999999"], "not in this region's registry"),
                        (["--right", "20000001"], "expired"),
                        (["--right", "12345678", "--licensee", "某某无证公司"], "no licence"),
                        (["--right", "12345678", "--serial", "x" * 65], "serial")):
        product = ["--product", "飞鹰跑步鞋"]
        done = hufu("regional", "emark", "issue", *args, *product, "--data-dir", region, check=False)
        assert done.returncode == 1 and words in done.stderr, (args, done.stderr)
        assert not done.stdout.strip()


def test_a_revocation_travels_through_the_national_node_and_the_other_region_says_revoked(fed: Fed) -> None:
    payload = issue(fed)
    mark_id = hufu("regional", "emark", "verify", payload, "--json", "--data-dir",
                   fed.regions["440000"]).stdout
    mark_id = json.loads(mark_id)["mark"]["mark_id"]
    hufu("regional", "emark", "revoke", mark_id, "--reason", "批次召回", "--actor", "officer-li",
         "--data-dir", fed.regions["440000"])
    again = hufu("regional", "emark", "revoke", mark_id, "--reason", "again", "--actor", "x", "--data-dir",
                 fed.regions["440000"], check=False)
    assert again.returncode == 1 and "already revoked" in again.stderr
    done = hufu("regional", "emark", "verify", payload, "--data-dir", fed.regions["440000"], check=False)
    assert done.returncode == 1 and done.stdout.startswith("REVOKED") and "批次召回" in done.stdout
    hufu("regional", "sync", "--data-dir", fed.regions["440000"])
    with fed.national.transaction() as s:
        project_leads(s, dt.datetime.now(dt.UTC))
    other = fed.regions["330000"]
    assert hufu("regional", "emark", "verify", payload, "--data-dir", other).returncode == 0  # not yet pulled
    hufu("regional", "sync", "--data-dir", other)
    done = hufu("regional", "emark", "verify", payload, "--data-dir", other, check=False, process=True)
    assert done.returncode == 1 and done.stdout.startswith("REVOKED") and "批次召回" in done.stdout
    assert "440000" in done.stdout
    listed = hufu("regional", "emark", "list", "--state", "revoked", "--data-dir", other).stdout
    assert mark_id in listed
    with Database(sqlite_url(fed.regions["440000"] / "node.db")).read() as s:
        audit = [a.action for a in s.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("emark_%")))]
        kinds = list(s.scalars(sa.select(OutboxRow.uuid)))
    assert "emark_issued" in audit and "emark_revoked" in audit and kinds
    trace = hufu("regional", "emark", "trace", mark_id, "--data-dir", fed.regions["440000"]).stdout
    assert [line.split("\t")[1] for line in trace.splitlines()][:2] == ["registered", "issued"]
    assert "revoked" in trace and "scan" in trace


def test_every_scan_is_recorded(fed: Fed) -> None:
    payload = issue(fed)
    region = fed.regions["440000"]
    hufu("regional", "emark", "verify", payload, "--data-dir", region)
    hufu("regional", "emark", "verify", payload + "X", "--data-dir", region, check=False)
    with Database(sqlite_url(region / "node.db")).read() as s:
        scans = list(s.scalars(sa.select(EmarkScan).order_by(EmarkScan.id.desc()).limit(2)))
    assert [x.status for x in scans] == ["altered", "genuine"] and all(x.channel.value == "cli" for x in scans)


# ---------------------------------------------------------------- web (Flask test client on the node's database)


@pytest.fixture(scope="module")
def app(fed: Fed):  # type: ignore[no-untyped-def]
    from regional.config import RegionalConfig
    from regional.web import create_app

    application = create_app(RegionalConfig.load(fed.regions["440000"], must_exist=True))
    application.config["TESTING"] = True
    return application


def test_the_public_page_and_api_answer_without_sign_in_in_chinese(fed: Fed, app) -> None:  # type: ignore[no-untyped-def]
    payload = issue(fed)
    client = app.test_client()
    page = client.get("/emark/verify", query_string={"m": payload})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-status="genuine"' in text and "真品标识" in text
    assert "广州飞鹰体育用品有限公司" in text and "广东省" in text
    api = client.get("/api/public/emark/verify", query_string={"payload": payload}).get_json()
    assert api["genuine"] and api["mark"]["holder"] == "广州飞鹰体育用品有限公司"
    bad = client.get("/emark/verify", query_string={"m": payload[:-2] + "77"})
    assert bad.status_code == 200 and 'data-status="altered"' in bad.get_data(as_text=True)
    assert client.get("/api/public/emark/verify").status_code == 400
    long = client.get("/api/public/emark/verify", query_string={"payload": "A" * 2049})
    assert long.status_code == 400 and long.get_json()["field"] == "payload"
    assert client.get("/emark/verify", query_string={"m": "A" * 2049}).status_code == 400
    assert client.get("/emarks").status_code in (302, 401)  # the register needs sign-in


def test_public_verification_is_rate_limited_per_address(fed: Fed, app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    codes = [client.get("/api/public/emark/verify", query_string={"payload": "HFM1.AAAA"},
                        environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code for _ in range(32)]
    assert codes[:30] == [200] * 30 and codes[-1] == 429
    other = client.get("/api/public/emark/verify", query_string={"payload": "HFM1.AAAA"},
                       environ_base={"REMOTE_ADDR": "203.0.113.10"})
    assert other.status_code == 200
    page = client.get("/emark/verify", query_string={"m": "HFM1.AAAA"}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert page.status_code == 429 and "验证次数过多" in page.get_data(as_text=True)


def test_officers_issue_and_revoke_with_csrf_auditors_only_read(fed: Fed, app) -> None:  # type: ignore[no-untyped-def]
    officer = web_client(app, "officer")
    token = csrf(officer, "/emarks")
    assert officer.post("/emarks", data={"right": "12345678", "product": "飞鹰跑步鞋"}).status_code == 400  # no CSRF
    done = officer.post("/emarks", data={"right": "12345678", "product": "飞鹰跑步鞋", "batch": "B1", "csrf_token": token})
    assert done.status_code == 302
    page = officer.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="mark-qr"' in page and "data:image/svg+xml;base64," in page and "电子标识" in page
    mark_id = re.search(r'id="mark-id">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    assert officer.get(f"/emarks/{mark_id}/qr.svg").data.lstrip().startswith((b"<?xml", b"<svg"))
    refused = officer.post("/emarks", data={"right": "99999999", "product": "x", "csrf_token": token})
    assert refused.status_code == 400 and "该权利不在本地区的权利库中" in refused.get_data(as_text=True)
    auditor = web_client(app, "auditor")
    assert auditor.get("/emarks").status_code == 200
    assert auditor.post("/emarks", data={"right": "12345678", "product": "x",
                                         "csrf_token": csrf(auditor, "/emarks")}).status_code == 403
    assert auditor.post(f"/emarks/{mark_id}/revoke", data={"reason": "x", "csrf_token": csrf(auditor, "/emarks")}
                        ).status_code == 403
    assert officer.post(f"/emarks/{mark_id}/revoke", data={"reason": "召回"}).status_code == 400  # no CSRF
    assert officer.post(f"/emarks/{mark_id}/revoke", data={"reason": "召回", "csrf_token": token}).status_code == 302
    page = officer.get(f"/emarks/{mark_id}").get_data(as_text=True)
    assert 'data-state="revoked"' in page and 'data-step="revoked"' in page
    with Database(sqlite_url(fed.regions["440000"] / "node.db")).read() as s:
        entry = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "emark_revoked",
                                                      AuditEntry.actor == "officer-user"))
    assert entry is not None and entry.detail["mark"] == mark_id


def test_the_issue_date_on_a_mark_is_the_beijing_date(fed: Fed) -> None:
    """At 17:30 UTC on 30 November it is already 1 December in Beijing: the mark says 2026-12-01."""
    import datetime as dt

    from regional.config import RegionalConfig
    from regional.emark import core, service

    config = RegionalConfig.load(fed.regions["440000"], must_exist=True)
    keys = service.load_keys(config.pki_dir, "440000", issuing=True)
    db = Database(config.db_url)
    try:
        late = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)
        row, payload = service.issue(db, keys, right="12345678", product="飞鹰跑步鞋", actor="test", now=late)
        assert row.issued_on == dt.date(2026, 12, 1)
        assert core.decode(payload).body.issued == dt.date(2026, 12, 1)
        early = dt.datetime(2026, 11, 30, 15, 59, tzinfo=dt.UTC)  # 23:59 in Beijing
        row, _ = service.issue(db, keys, right="12345678", product="飞鹰跑步鞋", actor="test", now=early)
        assert row.issued_on == dt.date(2026, 11, 30)
    finally:
        db.dispose()
    assert service.beijing_date(dt.datetime(2026, 11, 30, 16, 0)) == dt.date(2026, 12, 1)  # naive = UTC
