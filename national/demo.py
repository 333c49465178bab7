"""`hufu demo`: a whole federation on one machine — the national node plus regional nodes.

Every node is a set of separate processes with its own data dir and SQLite database; they
talk over real gRPC with mutual TLS on loopback. The orchestrator only sets up, starts,
watches and stops them; the nodes do the work themselves (screening, sync, case
formation, delivery), exactly as they would in production.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import sqlalchemy as sa

from national import feed
from national.config import NationalConfig
from national.models import (
    CaseRow,
    DownlinkRow,
    NationalLead,
    RecordStatus,
    RegionRow,
    UplinkRecord,
    counted_cases,
)
from regional import monitoring, outbox, state
from regional.config import RegionalConfig
from regional.models import ListingRow, ReceivedCase
from sync.db import Database
from sync.regions import region_name

MARKER = ".hufu-demo"


@dataclass
class Child:
    """A node process the demo started."""

    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path


@dataclass
class Federation:
    """The demo's processes and where they keep their data."""

    root: Path
    national: NationalConfig
    regions: dict[str, RegionalConfig]
    children: list[Child] = field(default_factory=list)
    history: bool = False  # months of history were played (then the regions file last month's report)
    started: dt.datetime | None = None  # the one moment the sample data and the history were written at
    report_month: str | None = None  # the month whose national report the demo last waited for


def say(message: str) -> None:
    """Progress for the person watching, on stderr (stdout carries the summary)."""
    print(f"[hufu demo {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the demo itself dies, so no node outlives it."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    os.setsid()


def _start(fed: Federation, name: str, args: list[str]) -> Child:
    log_path = fed.root / "logs" / f"{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log: TextIO = open(log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "national.cli", *args], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=env, preexec_fn=_die_with_parent)
    log.close()
    child = Child(name=name, proc=proc, log_path=log_path)
    fed.children.append(child)
    return child


def _wait_port(fed: Federation, child: Child, port_file: Path, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_file.exists():
            info = json.loads(port_file.read_text(encoding="utf-8"))
            if info.get("pid") is not None:
                return int(info["port"])
        if child.proc.poll() is not None:
            raise RuntimeError(f"{child.name} {_ended(child.proc.returncode)}; see {child.log_path}:\n"
                               + _tail(child.log_path))
        time.sleep(0.1)
    raise RuntimeError(f"{child.name} did not report its port within {timeout:.0f} s; see {child.log_path}")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop_all(fed: Federation, grace: float = 10.0) -> None:
    """SIGTERM the regional nodes, then the national node (so no region records a failed sync while the
    federation shuts down), waiting for each group; SIGKILL what is left after `grace` seconds."""
    regional = [c for c in fed.children if c.name.startswith("region-")]
    _stop_group(regional, grace)
    _stop_group([c for c in fed.children if c not in regional], grace)


def _stop_group(children: list[Child], grace: float) -> None:
    for child in children:
        if child.proc.poll() is None:
            child.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        remaining = max(0.1, deadline - time.monotonic())
        try:
            child.proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop within {grace:.0f} s; killing it")
            child.proc.kill()
            child.proc.wait()


def _prepare_root(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise SystemExit(f"hufu demo: {root} exists and is not a demo directory; choose another --data-dir")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("made by hufu demo; deleted by the next run\n", encoding="utf-8")


def set_up(args: argparse.Namespace) -> Federation:
    """Certificates, node data dirs, databases and sample data — everything before processes start."""
    from national.node import init_node as init_national
    from regional import services
    from regional.node import init_node as init_regional
    from regional.sampledata import PROVINCES, generate_federation, write_sample
    from sync.pki import init_ca, issue_region

    root: Path = args.data_dir.resolve()
    _prepare_root(root)
    pki = root / "pki"
    init_ca(pki)
    say(f"national CA and server certificate in {pki}")
    national = NationalConfig.load(root / "national", pki_dir=pki, case_interval_s=1.0, checkpoint_interval_s=1.0)
    init_national(national)
    past = args.listings if getattr(args, "history_listings", None) is None else max(0, args.history_listings)
    samples = generate_federation(args.regions, seed=args.seed, listings_per_region=args.listings + past)
    regions: dict[str, RegionalConfig] = {}
    now = dt.datetime.now(dt.UTC)
    for code in args.regions:
        creds = issue_region(pki, code)
        # the province's core industries (优势产业), as its sample data was generated for them: the reports mark them
        cfg = RegionalConfig.load(root / f"region-{code}", region=code, sync_interval_s=1.0, screen_interval_s=1.0,
                                  core_nice_classes=list(PROVINCES[code].industries) if code in PROVINCES else [])
        init_regional(cfg, creds.directory)
        sample = samples[code]
        history, today = sample.listings[:past], sample.listings[past:]
        registry_path, listings_path = write_sample(replace(sample, listings=today), root / "samples" / code)
        db = Database(cfg.db_url)
        # the agency directory before the history plays: its confirmations route notices to the bodies, and the
        # agency account belongs to the body that received most (newcomer18 N2: every historic confirmation said
        # 机构名录中没有合适的机构 and the agency user saw no notice)
        make_directory(db, code, now)
        if history:
            reg_created = seed_history(db, cfg, registry_path, history, now, args.seed)
        else:
            reg_created = services.import_registry(db, registry_path, actor="demo", now=now).created
        lst = services.import_listings(db, listings_path, actor="demo", now=now, evidence_dir=cfg.evidence_dir)
        db.dispose()
        regions[code] = cfg
        say(f"region {code} {region_name(code)}: certificate issued, {reg_created} right(s) and "
            f"{lst.created} listing(s) imported")
    fed = Federation(root=root, national=national, regions=regions, history=past > 0, started=now)
    create_accounts(fed)
    set_up_workflow(fed)
    set_up_emarks(fed)
    set_up_exhibitions(fed)
    set_up_customs(fed)
    set_up_foreign(fed)
    return fed


FOREIGN_MARKS = [
    {"kind": "trademark", "reg_no": "TM-DEMO-F1", "mark": "华为", "owner": "华为技术有限公司", "nice_classes": [9],
     "well_known": True, "counterparts": ["HUAWEI"]},
    {"kind": "trademark", "reg_no": "TM-DEMO-F2", "mark": "老干妈", "owner": "贵阳南明老干妈风味食品有限责任公司",
     "nice_classes": [30], "counterparts": ["LAOGANMA", "LAO GAN MA"]},
    {"kind": "trademark", "reg_no": "TM-DEMO-F3", "mark": "大白兔", "owner": "上海冠生园食品有限公司", "nice_classes": [30],
     "counterparts": ["WHITE RABBIT"]},
]
FOREIGN_LISTINGS = [  # (id, title, description): English and Spanish, as cross-border platforms show them
    ("FL-1", "HUAWEI FreeBuds Pro wireless earphones, bulk, no box", "Bluetooth earbuds with charging case"),
    ("FL-2", "Huawie smart watch fitness tracker", "Wearable electronics"),
    ("FL-3", "Lao Gan Ma spicy chili crisp sauce 280g", "Chili oil condiment"),
    ("FL-4", "White Rabbit creamy candy 500g", "Milk candy, confectionery"),
    ("FL-5", "Auriculares inalámbricos Huawei con estuche de carga", "Auriculares bluetooth"),
    ("FL-6", "Caramelos White Rabbit sabor leche 227g", "Dulces de leche"),
    ("FL-7", "White rabbit plush toy 30cm", "Soft toy for kids"),
    ("FL-8", "Wireless earbuds Bluetooth 5.3 noise cancelling", "In-ear headphones"),
    ("FL-9", "Zapatillas deportivas para correr hombre", "Calzado ligero"),
]


def set_up_foreign(fed: Federation) -> None:
    """Foreign-language listings (issue 14) at the first region: marks the registry links to their Latin
    counterparts (华为 ↔ HUAWEI, 老干妈 ↔ LAOGANMA, 大白兔 ↔ WHITE RABBIT) and English and Spanish listings —
    counterfeits, a look-alike spelling, and ordinary goods that must stay quiet."""
    from regional import services

    code, cfg = next(iter(fed.regions.items()))
    folder = fed.root / "samples" / code
    folder.mkdir(parents=True, exist_ok=True)
    registry, listings = folder / "foreign-registry.jsonl", folder / "foreign-listings.jsonl"
    registry.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in FOREIGN_MARKS), encoding="utf-8")
    listings.write_text("".join(json.dumps({"id": f"{code}-{lid}", "title": title, "description": text,
                                            "platform": "cross-border-demo", "url": f"https://shop.example.com/{lid}",
                                            "seller": {"name": "Global Trading Store"}}, ensure_ascii=False) + "\n"
                                for lid, title, text in FOREIGN_LISTINGS), encoding="utf-8")
    db = Database(cfg.db_url)
    now = dt.datetime.now(dt.UTC)
    services.import_registry(db, registry, actor="demo", now=now)
    services.import_listings(db, listings, actor="demo", now=now, evidence_dir=cfg.evidence_dir)
    db.dispose()
    say(f"region {code}: {len(FOREIGN_MARKS)} marks with Latin counterparts and {len(FOREIGN_LISTINGS)} English and "
        f"Spanish listings -> {listings}")


def altered_mark(mark: Any, body: Any) -> str:
    """A genuine mark's issuer key, voucher and signature around another body (what a counterfeiter who edits
    a copied label produces; verification says altered)."""
    import base64
    import struct

    from regional.emark import core

    raw = body.encode()
    blob = struct.pack(">H", len(raw)) + raw + mark.issuer_key + mark.voucher + mark.signature
    return core.PREFIX + base64.b32encode(blob).decode().rstrip("=")


def set_up_emarks(fed: Federation) -> None:
    """Electronic IP marks (issue 14) at the first region: marks issued for its first trademark, one revoked
    (the revocation reaches every region through the national node), and listings showing a genuine mark,
    a mark for another product, an altered mark and a forged one (signed by a key no office vouched for)."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional import services
    from regional.emark import core
    from regional.emark import service as emarks
    from regional.models import RegistryRight
    from regional.node import signer

    code, cfg = next(iter(fed.regions.items()))
    db = Database(cfg.db_url)
    now = dt.datetime.now(dt.UTC)
    with db.read() as session:
        right = session.scalar(sa.select(RegistryRight).where(RegistryRight.kind == "trademark")
                               .order_by(RegistryRight.id).limit(1))
    if right is None:
        db.dispose()
        return
    keys = emarks.load_keys(cfg.pki_dir, code, issuing=True)
    product = f"{right.title} 正品礼盒装"
    marks = [emarks.issue(db, keys, right=right.number, product=product, batch="B2026-11", serial=f"{i:06d}",
                          actor="demo", now=now)[1] for i in range(1, 4)]
    revoked = core.decode(marks[2]).body.mark_id
    emarks.revoke(db, signer(cfg), revoked, reason="该批次标签遗失，已作废", actor="demo", now=now)
    altered = core.decode(marks[1])
    forger = ed25519.Ed25519PrivateKey.generate()  # a forger's key: no national voucher can be made for it
    forged = core.issue(core.MarkBody(mark_id=f"{code}-FAKE0001", region=code, right=right.number,
                                      holder=right.owner, licensee="", product=product, batch="B2026-11",
                                      serial="999999", issued=now.date()), forger, bytes(64))
    tampered = altered_mark(altered, replace(altered.body, serial="000777"))  # a genuine mark, its serial changed
    rows = [
        ("EM-1", f"{right.title} 正品礼盒装 官方旗舰店", marks[0], "品牌官方旗舰店"),
        ("EM-2", f"{right.title} 同款蓝牙耳机 特价", marks[0], "某某数码专营店"),
        ("EM-3", f"{right.title} 正品礼盒装 清仓", tampered, "某某折扣店"),
        ("EM-4", f"{right.title} 正品礼盒装 批发", forged, "某某批发部"),
        ("EM-5", f"{right.title} 正品礼盒装 尾货", marks[2], "某某尾货店"),
    ]
    path = fed.root / "samples" / code / "emark-listings.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for lid, title, mark, seller in rows:
            fh.write(json.dumps({"id": f"{code}-{lid}", "title": title, "platform": "demo-mall",
                                 "url": f"https://mall.example.cn/item/{lid}", "nice_classes": list(right.nice_classes),
                                 "emark": mark, "seller": {"name": seller}}, ensure_ascii=False) + "\n")
    services.import_listings(db, path, actor="demo", now=now, evidence_dir=cfg.evidence_dir)
    db.dispose()
    say(f"region {code}: 3 e-marks issued for {right.number} ({right.title}), {revoked} revoked; "
        f"{len(rows)} listings show e-marks (one forged, one altered) -> {path}")


def set_up_exhibitions(fed: Federation) -> None:
    """Issue 14: an exhibition in progress in each region (regional/exhibitions/demo.py)."""
    from regional.exhibitions import demo as exhibition_demo

    now = dt.datetime.now(dt.UTC)
    for code, cfg in fed.regions.items():
        db = Database(cfg.db_url)
        exhibition_demo.set_up(db, code, now, say)
        db.dispose()


def set_up_customs(fed: Federation) -> None:
    """Issue 14: a batch of customs declarations, a recordation, foreign marks, key export products
    (regional/customs/demo.py)."""
    from regional.customs import demo as customs_demo

    now = dt.datetime.now(dt.UTC)
    for code, cfg in fed.regions.items():
        db = Database(cfg.db_url)
        customs_demo.set_up(db, code, fed.root / "samples" / code / "customs", now, say)
        db.dispose()


def make_directory(db: Database, code: str, now: dt.datetime) -> int:
    """The region's agency directory (generated for its province), unless it has one: how many bodies it lists."""
    from regional.routing.directory import generate_for_province
    from regional.workflow_models import AgencyRow

    with db.transaction() as session:
        held = session.scalar(sa.select(sa.func.count()).select_from(AgencyRow)) or 0
        return int(held) if held else generate_for_province(session, code, actor_name="demo", now=now)


def set_up_workflow(fed: Federation) -> None:
    """Each region's agency directory (generated for its province), a rights-holder account tied to the owner of
    its first registered mark and an enforcement body's user (role `agency`) of the body that received the most
    notices, appended to accounts.txt (docs/officers.md)."""
    import secrets

    from regional.accounts import service
    from regional.actors import Actor
    from regional.intake.requests import set_holder
    from regional.models import ApiToken, AuditEntry, LoginAttempt, RegistryRight, User
    from regional.routing.directory import set_member
    from regional.workflow_models import AgencyRow, NoticeRow

    now = dt.datetime.now(dt.UTC)
    actor = Actor("demo", frozenset({"admin"}))
    lines = []
    for code, cfg in fed.regions.items():
        db = Database(cfg.db_url)
        agencies = make_directory(db, code, now)  # made before the history played (newcomer18 N2)
        with db.transaction() as session:
            owner = session.scalar(sa.select(RegistryRight.owner).where(RegistryRight.kind == "trademark")
                                   .order_by(RegistryRight.id).limit(1))
            if owner:
                password = secrets.token_urlsafe(12)
                tables = service.Tables(User, ApiToken, LoginAttempt, AuditEntry)
                service.add_user(session, tables, "rights_holder", "rights_holder", password, actor=actor, now=now)
                set_holder(session, "rights_holder", owner, actor, now)
                lines.append(f"{code}\trights_holder\trights_holder\t{password}")
            body = session.scalar(sa.select(AgencyRow.code).join(NoticeRow, NoticeRow.agency_id == AgencyRow.id)
                                  .group_by(AgencyRow.code).order_by(sa.func.count().desc(), AgencyRow.code).limit(1)) \
                or session.scalar(sa.select(AgencyRow.code).order_by(AgencyRow.level != "province", AgencyRow.code)
                                  .limit(1))
            if body:
                password = secrets.token_urlsafe(12)
                service.add_user(session, service.Tables(User, ApiToken, LoginAttempt, AuditEntry), "agency", "agency",
                                 password, actor=actor, now=now)
                set_member(session, body, "agency", True, actor, now)
                lines.append(f"{code}\tagency\tagency\t{password}")
        db.dispose()
        say(f"region {code}: {agencies} agencies in the directory; rights holder account for {owner}; "
            f"enforcement body user for {body}")
    path = fed.root / ACCOUNTS_FILE
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)


def seed_history(db: Database, cfg: RegionalConfig, registry: Path, listings: list[dict[str, Any]],
                 now: dt.datetime, seed: int) -> int:
    """Import the registry and play `listings` over the past months (national/demo_history.py); rights imported."""
    from national import demo_history
    from regional.models import RegistryRight
    from regional.node import signer

    work = registry.parent / "history"
    work.mkdir(parents=True, exist_ok=True)
    demo_history.play(db, signer(cfg), region=cfg.region, registry=registry, listings=listings, work_dir=work,
                      now=now, seed=seed, say=say)
    with db.read() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(RegistryRight)) or 0


ACCOUNTS_FILE = "accounts.txt"


def create_accounts(fed: Federation) -> Path:
    """One account per role on every node, with random passwords written to <data-dir>/accounts.txt."""
    import secrets

    from national.models import ApiToken as NToken
    from national.models import AuditEntry as NAudit
    from national.models import LoginAttempt as NAttempt
    from national.models import User as NUser
    from regional.accounts import service
    from regional.actors import STAFF, Actor
    from regional.models import ApiToken, AuditEntry, LoginAttempt, User

    now = dt.datetime.now(dt.UTC)
    actor = Actor("demo", frozenset({"admin"}))
    nodes = [("national", fed.national.db_url, service.Tables(NUser, NToken, NAttempt, NAudit, node="national"))]
    nodes += [(code, cfg.db_url, service.Tables(User, ApiToken, LoginAttempt, AuditEntry))
              for code, cfg in fed.regions.items()]
    lines = ["# hufu demo accounts: node, account name, role, password (sign in at the node's web UI)"]
    for node, url, tables in nodes:
        db = Database(url)
        with db.transaction() as session:
            for role in STAFF:
                password = secrets.token_urlsafe(12)
                service.add_user(session, tables, role.value, role.value, password, actor=actor, now=now)
                lines.append(f"{node}\t{role.value}\t{role.value}\t{password}")
        db.dispose()
    path = fed.root / ACCOUNTS_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    say(f"accounts officer, supervisor, admin and auditor on every node; passwords in {path}")
    return path


def read_accounts(root: Path) -> dict[str, dict[str, str]]:
    """The demo's accounts: node -> role -> password (node is "national" or a region code)."""
    out: dict[str, dict[str, str]] = {}
    for line in (root / ACCOUNTS_FILE).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            node, name, _role, password = line.split("\t")
            out.setdefault(node, {})[name] = password
    return out


def start_processes(fed: Federation) -> dict[str, str]:
    """Start the national gRPC server first, then every other process; return the web URLs."""
    nat_dir = str(fed.national.data_dir)
    grpc_child = _start(fed, "national-grpc", ["national", "serve", "--data-dir", nat_dir])
    grpc_port = _wait_port(fed, grpc_child, fed.national.run_dir / "grpc.json")
    say(f"national gRPC server on 127.0.0.1:{grpc_port} (mutual TLS)")
    # kept in national.toml: `hufu national serve --data-dir <demo-data>/national` restarted by hand after a crash
    # listens where the regions' regional.toml points, not on a new free port
    fed.national = fed.national.model_copy(update={"grpc_port": grpc_port})
    fed.national.save()
    _start(fed, "national-worker", ["national", "worker", "--data-dir", nat_dir])
    webs = {"national": _start(fed, "national-web", ["national", "web", "--data-dir", nat_dir, "--workers", "1"])}
    for code, cfg in fed.regions.items():
        cfg = cfg.model_copy(update={"national_target": f"127.0.0.1:{grpc_port}"})
        cfg.save()
        fed.regions[code] = cfg
        _start(fed, f"region-{code}-worker", ["regional", "worker", "--data-dir", str(cfg.data_dir)])
        webs[code] = _start(fed, f"region-{code}-web",
                            ["regional", "web", "--data-dir", str(cfg.data_dir), "--workers", "1"])
    urls = {}
    run_dirs = {"national": fed.national.run_dir, **{c: r.run_dir for c, r in fed.regions.items()}}
    for key, child in webs.items():
        port = _wait_port(fed, child, run_dirs[key] / "web.json")
        urls[key] = f"http://127.0.0.1:{port}/"
    return urls


@dataclass
class Progress:
    """Where the federation stands, read from every node's database."""

    converged: bool
    summary: dict[str, Any]
    waiting_for: list[str]


def observe(fed: Federation) -> Progress:
    """Read every database and decide whether the cycle is complete."""
    waiting: list[str] = []
    nat_db = Database(fed.national.db_url)
    try:
        with nat_db.read() as s:
            lead_rows = list(s.execute(sa.select(NationalLead.id, NationalLead.region, NationalLead.right_number,
                                                 NationalLead.seller_uscc, NationalLead.seller_phone,
                                                 NationalLead.seller_address, NationalLead.case_id)))
            high = dict(s.execute(sa.select(RegionRow.code, RegionRow.high_water)).all())
            formed_through = feed.get_state(s, feed.CASES_FORMED_THROUGH)
            filed_leads = s.scalar(sa.select(sa.func.count()).select_from(UplinkRecord).where(
                UplinkRecord.kind == "lead", UplinkRecord.status == RecordStatus.APPLIED)) or 0
            n_cases = s.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(counted_cases())) or 0
            feed_head = dict(s.execute(sa.select(DownlinkRow.region, sa.func.max(DownlinkRow.id))
                                       .group_by(DownlinkRow.region)).all())
            expected = {code: s.scalar(sa.select(sa.func.count(sa.distinct(DownlinkRow.uuid)))
                                       .where(DownlinkRow.region == code,
                                              DownlinkRow.kind != "emark_status")) or 0  # cases only
                        for code in fed.regions}
    finally:
        nat_db.dispose()
    if fed.history:
        waiting.extend(_report_waits(fed))
    if filed_leads > len(lead_rows):
        waiting.append(f"national worker to unpack {filed_leads - len(lead_rows)} filed lead(s)")
    newest = max((r[0] for r in lead_rows), default=0)
    if formed_through < newest:
        waiting.append(f"national worker to resolve sellers and form cases for {newest - formed_through} lead(s)")
    delivered: dict[str, int] = {}
    outbox_total = 0
    for code, cfg in fed.regions.items():
        db = Database(cfg.db_url)
        try:
            with db.read() as s:
                unscreened = s.scalar(sa.select(sa.func.count()).select_from(ListingRow)
                                      .where(ListingRow.screened_at.is_(None))) or 0
                last = outbox.last_sequence(s, outbox.current_epoch(s))
                cursor = state.get_int(s, state.DOWNLINK_CURSOR, 0)
                delivered[code] = s.scalar(sa.select(sa.func.count()).select_from(ReceivedCase)) or 0
                lists_stale = state.get(s, monitoring.STALE) is not None
        finally:
            db.dispose()
        outbox_total += last
        if unscreened:
            waiting.append(f"{code} to screen {unscreened} listing(s)")
        if high.get(code, 0) < last:
            waiting.append(f"{code} to push {last - high.get(code, 0)} record(s)")
        if cursor < (feed_head.get(code) or 0):
            waiting.append(f"{code} to pull its cases")
        if lists_stale:
            waiting.append(f"{code} to refresh its monitoring lists")
    evidence = evidence_progress(fed)
    waiting.extend(evidence.pop("waiting"))  # type: ignore[arg-type]
    summary = {"regions": len(fed.regions), "leads": len(lead_rows), "cross_region_cases": n_cases,
               "delivered": delivered, "expected": expected, "outbox_records": outbox_total, "evidence": evidence,
               "emarks": emark_progress(fed)}
    return Progress(converged=not waiting, summary=summary, waiting_for=waiting)


def emark_progress(fed: Federation) -> dict[str, dict[str, int]]:
    """Per region: e-marks issued there, revocations it knows, e-mark leads found (issue 14)."""
    from regional.emark.models import EmarkRow, MarkState
    from regional.models import LeadRow

    out: dict[str, dict[str, int]] = {}
    for code, cfg in fed.regions.items():
        db = Database(cfg.db_url)
        try:
            with db.read() as s:
                issued = s.scalar(sa.select(sa.func.count()).select_from(EmarkRow).where(EmarkRow.local)) or 0
                revoked = s.scalar(sa.select(sa.func.count()).select_from(EmarkRow)
                                   .where(EmarkRow.state == MarkState.REVOKED)) or 0
                leads = s.scalar(sa.select(sa.func.count()).select_from(LeadRow)
                                 .where(LeadRow.listing_id.like(f"{code}-EM-%"))) or 0
        finally:
            db.dispose()
        out[code] = {"issued": issued, "revoked_known": revoked, "emark_leads": leads}
    return out


def evidence_progress(fed: Federation) -> dict[str, object]:
    """Captures per region, and how many have an inclusion proof under a national checkpoint the region co-signed."""
    from regional.models import EvidenceCapture, EvidenceCheckpoint, ProofStatus

    waiting: list[str] = []
    per_region: dict[str, dict[str, int]] = {}
    for code, cfg in fed.regions.items():
        db = Database(cfg.db_url)
        try:
            with db.read() as s:
                captures = s.scalar(sa.select(sa.func.count()).select_from(EvidenceCapture)) or 0
                proved = s.scalar(sa.select(sa.func.count()).select_from(EvidenceCapture)
                                  .join(EvidenceCheckpoint, EvidenceCapture.checkpoint_id == EvidenceCheckpoint.id)
                                  .where(EvidenceCapture.status == ProofStatus.LOGGED,
                                         EvidenceCheckpoint.cosigned_at.is_not(None))) or 0
        finally:
            db.dispose()
        per_region[code] = {"captures": captures, "proved": proved}
        if proved < captures:
            waiting.append(f"{code} to hold inclusion proofs under a witnessed national checkpoint for "
                           f"{captures - proved} of {captures} capture(s)")
    return {"regions": per_region, "waiting": waiting}


def _report_waits(fed: Federation) -> list[str]:
    """Last month's national report: compiled after every region filed its monthly report."""
    from national.reports.models import NationalReport
    from regional.reports.periods import Month, local_day

    month = str(Month.of(local_day(dt.datetime.now(dt.UTC))).previous)
    fed.report_month = month  # the summary names it: a month may begin while the demo runs
    db = Database(fed.national.db_url)
    try:
        with db.read() as s:
            row = s.scalar(sa.select(NationalReport).where(NationalReport.month == month)
                           .order_by(NationalReport.revision.desc()).limit(1))
    finally:
        db.dispose()
    if row is None:
        return [f"national worker to compile the {month} report"]
    if row.regions_missing:
        return [f"{', '.join(row.regions_missing)} to file the {month} report"]
    return []


def _check_children(fed: Federation) -> None:
    for child in fed.children:
        if child.proc.poll() is not None:
            raise RuntimeError(f"{child.name} {_ended(child.proc.returncode)}; the last lines of its log "
                               f"{child.log_path} (context, not necessarily the cause):\n{_tail(child.log_path)}")


def _ended(code: int | None) -> str:
    """How a child process ended, in words: a negative return code is the signal that killed it (newcomer14 F16:
    "exited with code -9" above an unrelated traceback read as if that traceback had killed it)."""
    import signal

    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by signal {-code} ({name})"
    return f"exited with code {code}"


def waiting_lines(items: Sequence[str], width: int = 110) -> list[str]:
    """What the demo still waits for, one short line per node ("440000: screen 426 listing(s); push 127 …"),
    instead of one line of a dozen clauses: items read "<who> to <what>"; an item of several nodes stays whole."""
    by_who: dict[str, list[str]] = {}
    for item in items:
        who, sep, what = item.partition(" to ")
        if not sep or "," in who:
            who, what = "", item
        by_who.setdefault(who, []).append(what)
    lines = []
    for who, whats in by_who.items():
        line = f"  {who}: " + "; ".join(whats) if who else "  " + "; ".join(whats)
        lines.append(line if len(line) <= width else line[: width - 1] + "…")
    return lines


def wait_converged(fed: Federation, timeout: float, *, every: float = 5.0) -> Progress:
    """Poll until screening, sync, case formation and delivery have all caught up; say what is left at most
    every `every` seconds (and when it changes), one line per node."""
    deadline = time.monotonic() + timeout
    last_note = ""
    last_said = -every
    while True:
        _check_children(fed)
        progress = observe(fed)
        if progress.converged:
            return progress
        note = "; ".join(progress.waiting_for)
        if note != last_note and time.monotonic() - last_said >= every:
            say("waiting for:\n" + "\n".join(waiting_lines(progress.waiting_for)))
            last_note = note
            last_said = time.monotonic()
        if time.monotonic() > deadline:
            raise RuntimeError(f"the federation did not converge within {timeout:.0f} s: still waiting for {note}")
        time.sleep(0.5)


def run_demo(args: argparse.Namespace) -> int:
    """Set up, start, wait for one full cycle, report; keep running until Ctrl-C unless --once."""
    started = time.monotonic()
    fed = set_up(args)
    interrupted = False

    def _sigterm(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _sigterm)
    # a shell starts background jobs with SIGINT ignored; Ctrl-C must still stop the federation
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        urls = start_processes(fed)
        say("web UIs: " + "  ".join(f"{k}={v}" for k, v in urls.items()))
        progress = wait_converged(fed, args.timeout)
        summary = {**progress.summary, "seconds": round(time.monotonic() - started, 1), "urls": urls,
                   "data_dir": str(fed.root), "accounts": str(fed.root / ACCOUNTS_FILE),
                   "reports": report_links(urls, fed.report_month), **history_facts(fed)}
        _report(summary, urls)
        if args.once:
            print(json.dumps(summary, ensure_ascii=False), flush=True)
            captured = sum(r["captures"] for r in summary["evidence"]["regions"].values())
            return 0 if summary["cross_region_cases"] >= 1 and captured >= 1 else 1
        say("the federation keeps running; press Ctrl-C to stop every node")
        while True:
            _check_children(fed)
            time.sleep(1.0)
    except KeyboardInterrupt:
        interrupted = True
        say("stopping every node …")
        return 0
    except RuntimeError as exc:
        say(f"failed: {exc}")
        return 1
    finally:
        stop_all(fed)
        if interrupted:
            say("all nodes stopped")


def history_facts(fed: Federation) -> dict[str, Any]:
    """When the demo's data was written, and (with history) the first Beijing day of it: what a test compares
    the dashboards against, rather than its own clock, which may already be in the next day or month."""
    from national.demo_history import start_of_history
    from regional.reports.periods import local_day

    if fed.started is None:
        return {}
    facts: dict[str, Any] = {"started_at": fed.started.isoformat()}
    if fed.history:
        facts["history_since"] = local_day(start_of_history(fed.started)).isoformat()
    return facts


def report_links(urls: dict[str, str], month: str | None = None) -> dict[str, str]:
    """Where the monthly reports are: the national reports page and last month's (or `month`'s) national report."""
    from regional.reports.periods import Month, local_day

    last = month or str(Month.of(local_day(dt.datetime.now(dt.UTC))).previous)
    base = urls["national"].rstrip("/")
    return {"page": f"{base}/reports", "pdf": f"{base}/reports/{last}.pdf", "xlsx": f"{base}/reports/{last}.xlsx",
            "month": last}


def _report(summary: dict[str, Any], urls: dict[str, str]) -> None:
    say(f"cycle complete in {summary['seconds']} s: {summary['leads']} lead(s) filed nationally, "
        f"{summary['cross_region_cases']} cross-region case(s)")
    for code, n in summary["delivered"].items():
        say(f"  {code} {region_name(code)}: received {n} of {summary['expected'][code]} case(s) "
            f"concerning it — {urls[code]}")
    say(f"  national node: {urls['national']}  (cases: {urls['national']}cases)")
    for code, ev in summary["evidence"]["regions"].items():
        say(f"  {code}: {ev['captures']} evidence capture(s), each with an inclusion proof under a national "
            "checkpoint it co-signed as a witness")
    links = summary.get("reports") or report_links(urls)
    say(f"monthly reports (月报): {links['page']} — last month's national report: {links['pdf']} "
        f"and {links['xlsx']} (each region files its report on the 1st; the page shows who has not)")
    say(f"sign in as officer, supervisor, admin or auditor (one account per role on every node), rights_holder "
        f"(a rights holder) or agency (an enforcement body's user) on every region; "
        f"the passwords are in {summary['accounts']}:")
    for line in Path(summary["accounts"]).read_text(encoding="utf-8").splitlines()[1:]:
        say("  " + "  ".join(line.split("\t")[i] for i in (0, 1, 3)))
