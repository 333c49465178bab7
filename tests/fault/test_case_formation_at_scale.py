"""31 regions push thousands of leads; two different sellers share a phone; one case is poisoned.

Regression of issue 8, item 1, with real processes as it failed between them: 31 regional data
dirs synced by the real `hufu regional sync` over mutual TLS into a real `national serve`, the
real `national worker` projecting and forming cases, and `national web` showing the result.
Before the fix the two sellers sharing a phone made `UNIQUE constraint failed: cases.key` on
every run and rolled back the lead projection: national projected 0 leads. Now every lead is
projected, every case forms, and the one case a database trigger refuses is recorded, skipped,
counted in /metrics and listed on the overview. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
import sqlalchemy as sa

from regional.identifiers import uscc_check_char
from sync.regions import PROVINCES
from tests.fault.harness import (
    Federation,
    NationalNode,
    Processes,
    RegionalNode,
    cli,
    cli_ok,
    node_env,
    wait_until,
)

pytestmark = pytest.mark.e2e

REGIONS = tuple(sorted(PROVINCES))[:31]
LEADS_PER_REGION = 300
POISON = "TM-POISON"
SHARED_PHONE = "13800138000"
PROJECT_TIMEOUT_S = 600.0  # generous: other suites share the machine


@pytest.fixture(scope="module")
def pki31(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CA and 31 regions' credentials (in-process: the PKI is not under test here, and 32 CLI runs are slow)."""
    from sync.pki import init_ca, issue_region

    pki = tmp_path_factory.mktemp("pki31") / "pki"
    init_ca(pki)
    for code in REGIONS:
        issue_region(pki, code)
    return pki


@dataclass
class Regions:
    """31 regional data dirs made by `hufu regional init`, outboxes filled, never synced: copied per test."""

    root: Path
    leads: dict[str, list[dict[str, str]]]
    truth: dict[tuple[str, str], set[str]]


@pytest.fixture(scope="module")
def regions31(tmp_path_factory: pytest.TempPathFactory, pki31: Path) -> Regions:
    from regional.config import RegionalConfig
    from regional.node import init_node

    root = tmp_path_factory.mktemp("regions31")
    leads, truth = population()
    for code in REGIONS:  # what `hufu regional init` does, in-process (31 interpreter starts are slow)
        data_dir = root / f"region-{code}"
        init_node(RegionalConfig(data_dir=data_dir, region=code, national_target="127.0.0.1:1"),
                  pki31 / "regions" / code)
        fill(RegionalNode(code=code, data_dir=data_dir, procs=Processes(root / "logs")), leads[code])
    return Regions(root, leads, truth)


def _uscc(rng: random.Random, province: str) -> str:
    body = "91" + province + "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    return body + uscc_check_char(body)


def population(seed: int = 8) -> tuple[dict[str, list[dict[str, str]]], dict[tuple[str, str], set[str]]]:
    """Leads per region and the truth: (right, seller) -> regions that filed it.

    Sellers are written identically wherever they are filed, so the truth is unambiguous; the two
    sellers sharing SHARED_PHONE differ in name, credit code and city.
    """
    rng = random.Random(seed)
    sellers = []
    for k in range(900):
        province = rng.choice(REGIONS)
        sellers.append({"key": f"s{k}", "name": f"{PROVINCES[province][0]}第{k}号商贸有限公司",
                        "uscc": _uscc(rng, province), "phone": f"139{k:08d}",
                        "address": f"{PROVINCES[province][0]}某某路{k}号"})
    pair = [{"key": "A", "name": "深圳市甲乙电子科技有限公司", "uscc": _uscc(rng, "440000"), "phone": SHARED_PHONE,
             "address": "广东省深圳市南山区科技园路1号"},
            {"key": "B", "name": "杭州丙丁服饰有限公司", "uscc": _uscc(rng, "330000"), "phone": SHARED_PHONE,
             "address": "浙江省杭州市余杭区文一西路99号"}]
    leads: dict[str, list[dict[str, str]]] = defaultdict(list)
    truth: dict[tuple[str, str], set[str]] = defaultdict(set)

    def file(region: str, right: str, seller: dict[str, str]) -> None:
        leads[region].append({"right": right, **seller})
        truth[(right, seller["key"])].add(region)

    for seller, regions in ((pair[0], ("440000", "330000")), (pair[1], ("310000", "320000"))):
        for region in regions:
            file(region, "TM-1", seller)
            file(region, POISON, seller)  # the poisoned right: its cases are refused by the trigger
    for region in REGIONS:
        while len(leads[region]) < LEADS_PER_REGION:
            file(region, f"TM-{rng.randint(1, 12)}", rng.choice(sellers))
    return leads, truth


def fill(region: RegionalNode, leads: list[dict[str, str]]) -> None:
    from regional import outbox
    from sync.db import Database, sqlite_url
    from sync.v1 import sync_pb2

    db = Database(sqlite_url(region.db_path))
    signer = outbox.Signer.from_file(region.code, region.data_dir / "pki" / "signing.key")
    records = [sync_pb2.Record(uuid=str(uuid4()), revision=1, lead=sync_pb2.Lead(
        listing_id=f"{region.code}-{k}", listing_title="仿冒商品", right=lead["right"], right_title="商标",
        type="trademark", score=0.9, model_version="test",
        seller=sync_pb2.Seller(name=lead["name"], uscc=lead["uscc"], phone=lead["phone"], address=lead["address"])))
        for k, lead in enumerate(leads)]
    try:
        with db.transaction() as s:
            outbox.append_many(s, signer, records, dt.datetime.now(dt.UTC))
    finally:
        db.dispose()


POISON_SQL = {
    "sqlite": [f"CREATE TRIGGER poison_case BEFORE INSERT ON cases WHEN NEW.right_number = '{POISON}' "
               "BEGIN SELECT RAISE(ABORT, 'poisoned case (test trigger)'); END"],
    "postgresql": [f"CREATE FUNCTION poison_case() RETURNS trigger AS $$ BEGIN IF NEW.right_number = '{POISON}' "
                   "THEN RAISE EXCEPTION 'poisoned case (test trigger)'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER poison_case BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION poison_case()"],
}


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_31_regions_two_sellers_sharing_a_phone_and_a_poisoned_case_stall_nothing(
        engine: str, tmp_path: Path, pki31: Path, regions31: Regions, request: pytest.FixtureRequest) -> None:
    fed = Federation(root=tmp_path, pki=pki31, procs=Processes(tmp_path / "logs"))
    try:
        data_dir = tmp_path / "national"
        url = f"sqlite:///{data_dir / 'node.db'}" if engine == "sqlite" else str(request.getfixturevalue("pg_url"))
        init = ["national", "init", "--data-dir", data_dir, "--pki", pki31]
        cli_ok(init if engine == "sqlite" else [*init, "--database-url", url])
        national = NationalNode(data_dir=data_dir, port=_free_port(), procs=fed.procs)
        db = sa.create_engine(url, poolclass=sa.NullPool)
        with db.begin() as conn:
            for statement in POISON_SQL[engine]:
                conn.exec_driver_sql(statement)
        national.start()
        national.start_worker()

        leads, truth = regions31.leads, regions31.truth
        regions = []
        for code in REGIONS:
            shutil.copytree(regions31.root / f"region-{code}", tmp_path / f"region-{code}")
            regions.append(RegionalNode(code=code, data_dir=tmp_path / f"region-{code}", procs=fed.procs))
        target = {"HUFU_NATIONAL_TARGET": national.address}
        with ThreadPoolExecutor(3) as pool:
            done = list(pool.map(lambda r: cli(["regional", "sync", "--data-dir", r.data_dir], timeout=120,
                                               env=target), regions))
        assert all(d.returncode == 0 for d in done), [d.stderr for d in done if d.returncode]

        total = sum(len(v) for v in leads.values())
        expected = {k: v for k, v in truth.items() if len(v) >= 2}
        expected_ok = {k: v for k, v in expected.items() if k[0] != POISON}

        def count(sql: str) -> int:
            with db.connect() as conn:
                return int(conn.exec_driver_sql(sql).scalar() or 0)

        def diagnose() -> str:
            return (f"leads {count('SELECT count(*) FROM leads')}/{total}, cases "
                    f"{count('SELECT count(*) FROM cases')}/{len(expected_ok)}, failures "
                    f"{count('SELECT count(*) FROM case_failures WHERE resolved_at IS NULL')}\n{national.log_tails()}")

        wait_until(lambda: count("SELECT count(*) FROM leads") == total
                   and count("SELECT count(*) FROM cases") >= len(expected_ok)
                   and count("SELECT count(*) FROM case_failures WHERE resolved_at IS NULL") == 2,
                   PROJECT_TIMEOUT_S, "every lead projected and every case formed but the poisoned ones", diagnose)

        with db.connect() as conn:
            cases = conn.exec_driver_sql("SELECT c.id, c.right_number, c.key, l.seller_uscc, l.region FROM cases c "
                                         "JOIN leads l ON l.case_id = c.id").all()
            failures = conn.exec_driver_sql("SELECT right_number, leads, regions, reason FROM case_failures "
                                            "WHERE resolved_at IS NULL").all()
        formed: dict[int, tuple[str, set[str], set[str]]] = {}
        for case_id, right, _key, uscc, region in cases:
            entry = formed.setdefault(case_id, (right, set(), set()))
            entry[1].add(uscc)
            entry[2].add(region)
        assert all(len(usccs) == 1 for _, usccs, _ in formed.values()), "a case mixes two sellers"
        assert len(formed) == count("SELECT count(*) FROM cases") == len(expected_ok), "a group formed twice"
        by_uscc = {lead["uscc"]: lead["key"] for region_leads in leads.values() for lead in region_leads}
        got = {(right, by_uscc[next(iter(usccs))]): regions for right, usccs, regions in formed.values()}
        assert got == expected_ok
        assert got[("TM-1", "A")] == {"440000", "330000"} and got[("TM-1", "B")] == {"310000", "320000"}
        assert sorted((r, n, sorted(json.loads(g) if isinstance(g, str) else g)) for r, n, g, _ in failures) == [
            (POISON, 2, ["310000", "320000"]), (POISON, 2, ["330000", "440000"])]
        assert all("poisoned case" in reason for *_, reason in failures)

        # the operator sees it: /metrics and the overview
        web, _log = fed.procs.start("national-web", ["national", "web", "--data-dir", data_dir, "--port", "0",
                                                     "--workers", "1"])
        port_file = data_dir / "run" / "web.json"
        wait_until(lambda: port_file.exists() and json.loads(port_file.read_text()).get("pid") == web.pid, 30,
                   "national web to start")
        base = f"http://127.0.0.1:{json.loads(port_file.read_text())['port']}"
        wait_until(lambda: _get(base + "/healthz") is not None, 30, "national web to answer")
        metrics = _get(base + "/metrics") or ""
        assert re.search(r"^hufu_case_failures 2\.0$", metrics, re.M), metrics[-2000:]
        # an officer's view: a user and an API token acting as that user (the pages need a signed-in user)
        added = subprocess.run([sys.executable, "-m", "national.cli", "national", "user", "add", "ops", "--data-dir",
                                str(data_dir), "--role", "admin"], input="correct-horse-battery-9\n" * 2,
                               capture_output=True, text=True, env=node_env(), timeout=60, check=False)
        assert added.returncode == 0, added.stderr
        token = cli_ok(["national", "token", "add", "ops", "--data-dir", data_dir]).stdout.strip().splitlines()[-1]
        overview = _get(base + "/", token) or ""
        assert 'id="case-failures"' in overview and "poisoned case" in overview and POISON in overview
    finally:
        fed.close()


def _get(url: str, token: str | None = None) -> str | None:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.read().decode("utf-8")
    except OSError:
        return None


def _free_port() -> int:
    from tests.fault.harness import free_port

    return free_port()
