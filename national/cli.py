"""`hufu national …` and `hufu demo`: the commands of the national node (registered by `register`).

`python -m national.cli ARGS` still runs the whole `hufu` command (scripts and tests use it);
the assembly of every package's commands lives in `national/hufu.py`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sync.cli import data_dir_argument, fail, now

if TYPE_CHECKING:
    from national.config import NationalConfig

# ---------------------------------------------------------------- national


def _national_config(args: argparse.Namespace, **overrides: object):  # type: ignore[no-untyped-def]
    from national.config import NationalConfig

    return NationalConfig.load(args.data_dir, must_exist=True, **overrides)


def cmd_national_init(args: argparse.Namespace) -> int:
    """Set up the national node's data dir and database."""
    from national.config import NationalConfig
    from national.node import init_node

    config = NationalConfig.load(args.data_dir, pki_dir=args.pki, database_url=args.database_url,
                                 grpc_port=args.grpc_port, web_port=args.web_port)
    init_node(config)
    print(f"national node ready in {config.data_dir} (database: {config.db_url})")
    return 0


def cmd_national_serve(args: argparse.Namespace) -> int:
    """Run the national gRPC server."""
    from national.node import serve_grpc
    from sync.serving import setup_logging

    setup_logging()
    serve_grpc(_national_config(args, grpc_port=args.port))
    return 0


def cmd_national_web(args: argparse.Namespace) -> int:
    """Serve the national web UI."""
    from national.node import run_web
    from sync.serving import setup_logging

    setup_logging()
    run_web(_national_config(args, web_port=args.port), workers=args.workers)
    return 0


def cmd_national_worker(args: argparse.Namespace) -> int:
    """Run the national scheduled jobs."""
    from national.node import run_worker
    from sync.serving import setup_logging

    setup_logging()
    run_worker(_national_config(args))
    return 0


def cmd_national_form_cases(args: argparse.Namespace) -> int:
    """Form cross-region cases once."""
    from national.node import form_cases_once, require_schema
    from sync.db import Database

    config = _national_config(args)
    require_schema(config)
    result = form_cases_once(Database(config.db_url), config, wait=True)  # a running worker's cycle ends first
    print(f"{result.cases_created} case(s) formed, {result.cases_updated} updated, "
          f"{result.downlink_items} downlink item(s) queued")
    return 0


def cmd_national_verify(args: argparse.Namespace) -> int:
    """Re-verify the signatures of stored filings (all, or one record uuid)."""
    import sqlalchemy as sa

    from national.ingest import verify_stored
    from national.models import UplinkRecord
    from sync.db import Database
    from sync.envelope import BadSignature
    from sync.pki import load_trust

    config = _national_config(args)
    trust = load_trust(config.pki)
    db = Database(config.db_url)
    bad = checked = 0
    with db.read() as session:
        stmt = sa.select(UplinkRecord.id, UplinkRecord.region, UplinkRecord.uuid)
        if args.uuid:
            stmt = stmt.where(UplinkRecord.uuid == args.uuid)
        for record_id, region, record_uuid in session.execute(stmt.order_by(UplinkRecord.id)):
            checked += 1
            try:
                verify_stored(session, record_id, trust[region])
            except (BadSignature, KeyError) as exc:
                bad += 1
                print(f"NOT VERIFIED: record {record_uuid} of region {region}: {exc}")
    if checked == 0:
        return fail("no such filing" if args.uuid else "no filings stored yet")
    print(f"{checked} filing(s) checked, {checked - bad} verified against their region's signing key")
    return 1 if bad else 0


def cmd_national_sweep(args: argparse.Namespace) -> int:
    """Run a nationwide sweep over pooled listings for named rights or goods classes."""
    from national.sweep import SweepScope, run_sweep
    from regional.importers import ImportFileError, read_listings, read_registry
    from sync.db import Database

    config = _national_config(args)
    try:
        registry = read_registry(args.registry)
        listings = read_listings(args.listings)
    except ImportFileError as exc:
        return fail(f"cannot read {exc}")
    for err in [*registry.errors, *listings.errors]:
        print(f"skipped: {err}", file=sys.stderr)
    scope = SweepScope(rights=tuple(args.right or ()), nice_classes=tuple(args.nice or ()))
    with Database(config.db_url).transaction() as session:
        sweep = run_sweep(session, args.name, scope, registry.rights, registry.licences, listings.listings,
                          actor=args.actor, now=now())
    print(f"sweep {sweep.id} '{sweep.name}': {sweep.listings} listing(s) screened, {sweep.leads} lead(s)")
    return 0


def cmd_national_status(args: argparse.Namespace) -> int:
    """Each region's sync standing, from this node's clock (exit 1 when a region needs attention)."""
    import json

    from national.status import quarantined_total, read_status
    from sync.db import Database

    config = _national_config(args)
    db = Database(config.db_url)
    server_down = _grpc_server_problem(config)
    with db.read() as session:
        rows = read_status(session, now(), args.silent_after or config.silent_after_s,
                           late_after_s=config.late_after_s, server_answering=server_down is None)
        quarantined = quarantined_total(session)
    db.dispose()
    if args.json:
        print(json.dumps({"regions": [r.as_json() for r in rows], "quarantined": quarantined,
                          "grpc_server": {"answering": server_down is None, "problem": server_down}},
                         ensure_ascii=False))
    else:
        if server_down:
            print(f"ALERT: {server_down}")
        print(f"{'region':8}{'standing':13}{'epoch':>6}{'acked':>10}{'backlog':>9}{'since contact':>15}"
              f"{'since batch':>13}  last error")
        for r in rows:
            def age(v: float | None) -> str:
                return "never" if v is None else f"{v:,.0f} s"
            error = (r.last_error or "")[:80] if r.error_active else ""
            print(f"{r.code:8}{r.standing.value:13}{r.epoch:>6}{r.high_water:>10}{r.reported_backlog:>9}"
                  f"{age(r.seconds_since_contact):>15}{age(r.seconds_since_batch):>13}  {error}")
            if r.split_brain:
                print(f"{'':8}two live copies: {(r.copies_detail or '')[:200]}")
            if r.leads_missing_locally:
                print(f"{'':8}LEADS MISSING LOCALLY: {r.leads} lead(s) filed here, the region's database holds "
                      f"{r.reported_leads}: {r.leads_missing_locally} were lost there (restored from an older "
                      "backup?); its /sync page lists them after `hufu regional restore`")
            if r.evidence_stuck:
                at = f"{r.evidence_stuck_at:%Y-%m-%d %H:%M:%S} UTC" if r.evidence_stuck_at else "?"
                print(f"{'':8}EVIDENCE CHAIN STUCK since {at}: index {r.evidence_stuck_index} of its evidence log "
                      f"refused ({r.evidence_stuck_kind}): {(r.evidence_stuck_reason or '')[:160]} -- the region "
                      "re-signs and re-files on its worker's next evidence pass; if this stays, see "
                      "docs/operations.md (evidence after a restore or a re-issued certificate)")
        if quarantined:
            print(f"ALERT: {quarantined} stored record(s) quarantined by the projection (audit: record_quarantined)")
        stuck = [r.code for r in rows if r.evidence_stuck]
        if stuck:
            print(f"ALERT: the evidence chain of {len(stuck)} region(s) is stuck: {', '.join(stuck)}")
    return 1 if quarantined or server_down or any(r.standing.value not in ("ok",) or r.evidence_stuck for r in rows) \
        else 0


def _grpc_server_problem(config: NationalConfig) -> str | None:
    """Why this node's own gRPC server does not answer (newcomer15 F10: with `serve` killed, status said "ok" for
    every region), or None: the address `serve` recorded in run/grpc.json (else the configured one), one TCP connect."""
    from national.status import grpc_server_problem

    problem = grpc_server_problem(config.run_dir, config.grpc_host, config.grpc_port)
    return problem.message() if problem else None


def cmd_demo(args: argparse.Namespace) -> int:
    """Start a whole federation on this machine."""
    from national.demo import run_demo

    return run_demo(args)


def cmd_national_migrate(args: argparse.Namespace) -> int:
    """Bring the national database to this release's schema (national.toml is left as it is)."""
    from national.node import MIGRATIONS
    from sync import migrate

    config = _national_config(args)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    return migrate.run_command("national", "national", args, config.db_url, MIGRATIONS)


def _accounts(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from national.models import ApiToken, AuditEntry, LoginAttempt, User
    from regional.accounts.service import Tables
    from sync.db import Database

    config = _national_config(args)
    return Database(config.db_url), Tables(user=User, token=ApiToken, attempt=LoginAttempt, audit=AuditEntry, node="national")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `hufu national …` and `hufu demo` to the `hufu` parser."""
    group = subparsers.add_parser("national", help="the national node",
                                  description="Commands of the national node.")
    nat = group.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    from sync import migrate

    migrate.add_parser(nat, "national", cmd_national_migrate)
    x = nat.add_parser("init", help="set up the national node")
    data_dir_argument(x, "national")
    x.add_argument("--pki", type=Path, required=True, help="the PKI directory of `hufu pki init`")
    x.add_argument("--database-url", help="SQLAlchemy database URL (default: SQLite node.db in the data dir), "
                                          "e.g. postgresql+psycopg://user@host/db")
    x.add_argument("--grpc-port", type=int, help="port the gRPC sync server listens on (default 0: any free port)")
    x.add_argument("--web-port", type=int, help="port the web UI listens on (default 0: any free port)")
    x.set_defaults(func=cmd_national_init)
    for name, help_, func in (("serve", "run the gRPC server", cmd_national_serve),
                              ("web", "serve the web UI", cmd_national_web),
                              ("worker", "run scheduled jobs (case formation)", cmd_national_worker),
                              ("form-cases", "form cross-region cases once", cmd_national_form_cases)):
        x = nat.add_parser(name, help=help_)
        data_dir_argument(x, "national")
        if name == "serve":
            x.add_argument("--port", type=int, help="gRPC port to listen on (default: the config's grpc_port; "
                                                    "0 = any free port)")
        if name == "web":
            x.add_argument("--port", type=int, help="port to listen on (default: the config's web_port; "
                                                    "0 = any free port)")
            x.add_argument("--workers", type=int, default=2, help="web worker processes (default 2)")
        x.set_defaults(func=func)

    from national.dedup import cli as dedup_cli  # light: heavy modules load inside run()

    x = nat.add_parser("dedup", help="link entity records: one seller behind many names (JSON Lines in and out)")
    dedup_cli.add_arguments(x)
    x.set_defaults(func=dedup_cli.run)

    x = nat.add_parser("sweep", help="nationwide sweep: run detection over pooled listings for named rights/fields")
    data_dir_argument(x, "national")
    x.add_argument("--registry", type=Path, required=True, help="registry file (JSON Lines) holding the rights")
    x.add_argument("--listings", type=Path, required=True, help="pooled listings (JSON Lines)")
    x.add_argument("--right", action="append", help="a right number to sweep for (repeatable)")
    x.add_argument("--nice", type=int, action="append", help="a Nice class to sweep (repeatable)")
    x.add_argument("--name", default="全国专项检测", help="the sweep's name, shown on its page (default: 全国专项检测)")
    x.add_argument("--actor", default="cli", help="who runs it, kept with the sweep (default: cli)")
    x.set_defaults(func=cmd_national_sweep)

    x = nat.add_parser("status", help="each region's sync standing (exit 1 when one needs attention)")
    data_dir_argument(x, "national")
    x.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    x.add_argument("--silent-after", type=float, help="seconds without contact that flag a region silent "
                                                       "(default: the config's silent_after_s, 300)")
    x.set_defaults(func=cmd_national_status)

    x = nat.add_parser("verify-filings", help="re-verify stored filings against the regions' signing keys")
    data_dir_argument(x, "national")
    x.add_argument("--uuid", help="only this record")
    x.set_defaults(func=cmd_national_verify)

    from national.reports import cli as reports_cli
    from regional.reports.cli import add_arguments as report_arguments

    x = nat.add_parser("report", help="write the national monthly report (月报), compiled from the regions' filings",
                       description="Compile the national monthly report of a month from the regions' monthly "
                                   "filings and the national data, and write it as PDF or XLSX.")
    data_dir_argument(x, "national")
    report_arguments(x)
    x.add_argument("--keep", action="store_true",
                   help="also keep this compilation as a new revision (offered for download on the reports page)")
    x.add_argument("--actor", default="cli", help="who compiled it, with --keep (kept in the audit log)")
    x.set_defaults(func=reports_cli.cmd_national_report)

    from regional.accounts import cli as accounts_cli

    accounts_cli.register(nat, "national", _accounts)

    x = subparsers.add_parser("demo", help="start a whole federation on this machine",
                              description="Start a national node and regional nodes on this machine over "
                                          "mutual TLS on loopback (Ctrl-C stops them).")
    x.add_argument("--once", action="store_true", help="run one full cycle, print a JSON summary, exit")
    x.add_argument("--data-dir", type=Path, default=Path("demo-data"),
                   help="where every node keeps its data, keys and logs (default: demo-data; wiped on start)")
    x.add_argument("--regions", nargs="+", default=["440000", "330000", "350000"],
                   help="GB/T 2260 province codes of the regional nodes (default: 440000 330000 350000)")
    x.add_argument("--listings", type=int, default=400, help="generated listings per region (default 400)")
    x.add_argument("--seed", type=int, default=7, help="random seed of the generated data (default 7)")
    x.add_argument("--history-listings", type=int, default=None,
                   help="generated listings per region played over the months before today, so the dashboards "
                        "and last month's report have history (default: as many as --listings; 0: none)")
    x.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the federation to converge (default 180)")
    x.set_defaults(func=cmd_demo)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the whole `hufu` command (kept so `python -m national.cli` works)."""
    from national.hufu import main as hufu_main

    return hufu_main(argv)


if __name__ == "__main__":
    sys.exit(main())
