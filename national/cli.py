"""`hufu`: the one command for everything a person runs.

    hufu pki init | issue-region CODE | revoke-region CODE
    hufu regional init | import-registry | import-listings | screen | sync | web | worker | detect | sample
    hufu national init | serve | web | worker | form-cases
    hufu bench sync | detect | dedup [--json]
    hufu demo [--once]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_USAGE = 2
EXIT_FAILED = 1


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"hufu: {message}", file=sys.stderr)
    return code


# ---------------------------------------------------------------- pki


def cmd_pki_init(args: argparse.Namespace) -> int:
    """Create the national CA and server certificate."""
    from sync.pki import init_ca

    init_ca(args.dir, args.host or None, force=args.force)
    print(f"national CA and server certificate written to {args.dir} (keys are owner-only)")
    return 0


def cmd_pki_issue(args: argparse.Namespace) -> int:
    """Issue a region's client certificate and keys."""
    from sync.pki import issue_region

    creds = issue_region(args.dir, args.code)
    print(f"region {creds.code}: certificate, TLS key and Ed25519 signing key in {creds.directory}")
    print(f"hand that directory to the region and run: hufu regional init --region {creds.code} "
          f"--pki {creds.directory} --data-dir DIR --national HOST:PORT")
    return 0


def cmd_pki_revoke(args: argparse.Namespace) -> int:
    """Revoke a region's current certificate."""
    from sync.pki import revoke_region

    serial = revoke_region(args.dir, args.code)
    print(f"region {args.code}: certificate {serial} revoked; the national node refuses it from now on")
    return 0


# ---------------------------------------------------------------- regional


def _regional_config(args: argparse.Namespace, **overrides: object):  # type: ignore[no-untyped-def]
    from regional.config import RegionalConfig

    return RegionalConfig.load(args.data_dir, **overrides)


def cmd_regional_init(args: argparse.Namespace) -> int:
    """Set up a regional node's data dir and database."""
    from regional.config import RegionalConfig
    from regional.node import init_node

    config = RegionalConfig.load(args.data_dir, region=args.region, national_target=args.national,
                                 database_url=args.database_url, web_port=args.web_port)
    init_node(config, args.pki)
    print(f"regional node {config.region} ready in {config.data_dir} (database: {config.db_url})")
    return 0


def _import(args: argparse.Namespace, kind: str) -> int:
    from regional import services
    from regional.importers import ImportFileError
    from sync.db import Database

    config = _regional_config(args)
    db = Database(config.db_url)
    func = services.import_registry if kind == "registry" else services.import_listings
    try:
        result = func(db, args.file, actor=args.actor, now=_now())
    except services.ImportRejected as exc:
        return _fail(str(exc))
    except ImportFileError as exc:
        return _fail(f"cannot read {exc.file}: {exc.reason}")
    print(f"{args.file}: {result.created} new, {result.updated} updated"
          + (f", {result.licences} licence(s)" if kind == "registry" else ""))
    return 0


def cmd_regional_import_registry(args: argparse.Namespace) -> int:
    """Import a registry file (all or nothing)."""
    return _import(args, "registry")


def cmd_regional_import_listings(args: argparse.Namespace) -> int:
    """Import a listings file (all or nothing)."""
    return _import(args, "listings")


def _progress(label: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            pct = 100 * done // total if total else 100
            bar = "#" * (pct // 4)
            print(f"\r{label} [{bar:<25}] {done}/{total}", end="" if done < total else "\n", file=sys.stderr)
        else:
            print(f"{label}: {done}/{total}", file=sys.stderr)
    return show


def cmd_regional_screen(args: argparse.Namespace) -> int:
    """Screen listings not yet screened."""
    from regional import services
    from regional.node import signer
    from sync.db import Database

    config = _regional_config(args)
    result = services.screen_pending(Database(config.db_url), signer(config), now=_now(),
                                     progress=_progress("screening"))
    print(f"screened {result.screened} listing(s); {result.leads} new lead(s)")
    return 0


def cmd_regional_launch(args: argparse.Namespace) -> int:
    """Launch detection: for named rights (a rights holder's request) or the region's core industries."""
    from regional import services
    from regional.node import signer
    from sync.db import Database

    config = _regional_config(args)
    if args.core:
        scope = services.Scope(nice_classes=tuple(config.core_nice_classes),
                               ipc_prefixes=tuple(config.core_ipc_prefixes),
                               locarno_classes=tuple(config.core_locarno_classes))
        if not (scope.nice_classes or scope.ipc_prefixes or scope.locarno_classes):
            return _fail("no core industries configured: set core_nice_classes / core_ipc_prefixes / "
                         f"core_locarno_classes in {config.data_dir / config.file_name()}")
    elif args.right:
        scope = services.Scope(rights=tuple(args.right))
    else:
        return _fail("name the rights (--right NO, repeatable) or use --core for the core industries", EXIT_USAGE)
    result = services.screen_pending(Database(config.db_url), signer(config), now=_now(), scope=scope,
                                     rescreen=True, actor=args.requested_by, progress=_progress("detection"))
    print(f"{result.screened} listing(s) screened; {result.leads} new lead(s), "
          f"{result.skipped_existing} already held; they are filed with the national node at the next sync")
    return 0


def cmd_regional_sync(args: argparse.Namespace) -> int:
    """Push the outbox and pull the downlink once."""
    from regional.node import Worker
    from sync.db import Database

    config = _regional_config(args)
    worker = Worker(config=config, db=Database(config.db_url))
    push = worker.push()
    pull = worker.pull()
    if push is None or pull is None:
        return _fail("sync failed (reason above); the region's /sync page keeps the last error")
    print(f"pushed {push.sent} record(s) (acknowledged up to {push.high_water}); received {pull.received} item(s)")
    return 0


def cmd_regional_web(args: argparse.Namespace) -> int:
    """Serve the regional web UI."""
    from regional.node import run_web
    from sync.serving import setup_logging

    setup_logging()
    run_web(_regional_config(args, web_port=args.port), workers=args.workers)
    return 0


def cmd_regional_worker(args: argparse.Namespace) -> int:
    """Run the regional scheduled jobs."""
    from regional.node import run_worker
    from sync.serving import setup_logging

    setup_logging()
    run_worker(_regional_config(args))
    return 0


def cmd_regional_detect(args: argparse.Namespace) -> int:
    """File to file detection: registry + listings in, leads (JSON Lines) out."""
    from regional.detection import DetectionConfig
    from regional.detection.engine import detect
    from regional.importers import ImportFileError, read_listings, read_registry, write_jsonl

    thresholds: dict[str, float] = {}
    for item in args.threshold or ():
        model, _, value = item.partition("=")
        try:
            thresholds[model.strip()] = float(value)
        except ValueError:
            return _fail(f"--threshold {item!r}: expected MODEL=P, e.g. trademark=0.8", EXIT_USAGE)
    try:
        registry = read_registry(args.registry)
        listings = read_listings(args.listings)
    except ImportFileError as exc:
        return _fail(f"cannot read {exc.file}: {exc.reason}")
    for err in [*registry.errors, *listings.errors]:
        print(f"skipped: {err}", file=sys.stderr)
    try:
        config = DetectionConfig(registry_images=args.registry.parent, listing_images=args.listings.parent,
                                 **({"thresholds": thresholds} if thresholds else {}))
    except (TypeError, ValueError) as exc:
        return _fail(f"--threshold: {exc}", EXIT_USAGE)
    leads = detect(registry.rights, registry.licences, listings.listings, config=config)
    count = write_jsonl(args.out, (lead.to_json(with_codes=args.with_codes) for lead in leads))
    print(f"{len(listings.listings)} listing(s) screened against {len(registry.rights)} right(s): "
          f"{count} lead(s) written to {args.out}; {len(registry.errors) + len(listings.errors)} bad record(s) skipped",
          file=sys.stderr)
    return 0


def cmd_regional_sample(args: argparse.Namespace) -> int:
    """Write generated sample registries and listings for some regions."""
    from regional.sampledata import generate_federation, write_sample

    samples = generate_federation(args.regions, seed=args.seed, listings_per_region=args.listings)
    for code, sample in samples.items():
        reg, lst = write_sample(sample, args.out / code)
        print(f"{code}: {len(sample.registry)} registry record(s) -> {reg}; {len(sample.listings)} listing(s) -> {lst}")
    return 0


# ---------------------------------------------------------------- national


def _national_config(args: argparse.Namespace, **overrides: object):  # type: ignore[no-untyped-def]
    from national.config import NationalConfig

    return NationalConfig.load(args.data_dir, **overrides)


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
    from national.node import form_cases_once
    from sync.db import Database

    config = _national_config(args)
    result = form_cases_once(Database(config.db_url), config)
    print(f"{result.cases_created} case(s) formed, {result.cases_updated} updated, "
          f"{result.downlink_items} downlink item(s) queued")
    return 0


BENCHES = {
    "sync": ("national.bench.sync", "leads pushed over mutual TLS vs a bare insert baseline"),
    "dedup": ("national.bench.dedup", "entity resolution at 1M records vs exact-key baseline and Splink"),
    "detect": ("regional.bench.detect", "detection engine vs rapidfuzz all-pairs baseline"),
}


def cmd_bench(args: argparse.Namespace) -> int:
    """Run one benchmark: `hufu bench NAME [--json] [options]`."""
    import importlib

    module_name, help_ = BENCHES[args.name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"hufu bench {args.name}", description=help_)
    module.add_arguments(parser)
    return int(module.run(parser.parse_args(args.rest)))


def cmd_regional_case_feedback(args: argparse.Namespace) -> int:
    """Report this region's step or result on a cross-region case."""
    from regional import services
    from regional.node import signer
    from sync.db import Database

    config = _regional_config(args)
    try:
        record = services.case_feedback(Database(config.db_url), signer(config), args.case, args.status,
                                        args.note or "", actor=args.officer, now=_now())
    except services.UnknownCase as exc:
        return _fail(str(exc))
    print(f"case {args.case}: '{args.status}' recorded (record {record}); it is sent with the next sync")
    return 0


def cmd_regional_reconcile(args: argparse.Namespace) -> int:
    """Compare this region's outbox with the national node's records, range by range."""
    from regional.node import Worker
    from sync.db import Database

    config = _regional_config(args)
    result = Worker(config=config, db=Database(config.db_url)).reconcile()
    if result is None:
        return _fail("reconciliation failed; see the message above")
    if result.divergent:
        for r in result.divergent:
            print(f"DIFFERS: sequences {r['first']}-{r['last']}: region has {r['region_count']}, "
                  f"national has {r['national_count']} ({r['region_kinds']} vs {r['national_kinds']})")
        return 1
    print(f"epoch {result.epoch}: {result.ranges_compared} range(s) compared, all agree with the national node")
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
        return _fail("no such filing" if args.uuid else "no filings stored yet")
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
        return _fail(f"cannot read {exc.file}: {exc.reason}")
    for err in [*registry.errors, *listings.errors]:
        print(f"skipped: {err}", file=sys.stderr)
    scope = SweepScope(rights=tuple(args.right or ()), nice_classes=tuple(args.nice or ()))
    with Database(config.db_url).transaction() as session:
        sweep = run_sweep(session, args.name, scope, registry.rights, registry.licences, listings.listings,
                          actor=args.actor, now=_now())
    print(f"sweep {sweep.id} '{sweep.name}': {sweep.listings} listing(s) screened, {sweep.leads} lead(s)")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Start a whole federation on this machine."""
    from national.demo import run_demo

    return run_demo(args)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `hufu`."""
    p = argparse.ArgumentParser(prog="hufu", description="Hufu 虎符: federated Internet+ IP protection")
    sub = p.add_subparsers(dest="group", required=True, metavar="{pki,regional,national,bench,demo}")

    pki = sub.add_parser("pki", help="certificates and keys of the federation").add_subparsers(dest="cmd", required=True)
    x = pki.add_parser("init", help="create the national CA and the national server certificate")
    x.add_argument("--dir", type=Path, required=True)
    x.add_argument("--host", action="append", help="a name or IP the national server answers to (repeatable)")
    x.add_argument("--force", action="store_true", help="replace an existing CA")
    x.set_defaults(func=cmd_pki_init)
    x = pki.add_parser("issue-region", help="issue a region's client certificate and keys")
    x.add_argument("code", help="GB/T 2260 province code, e.g. 440000")
    x.add_argument("--dir", type=Path, required=True)
    x.set_defaults(func=cmd_pki_issue)
    x = pki.add_parser("revoke-region", help="revoke a region's current certificate")
    x.add_argument("code")
    x.add_argument("--dir", type=Path, required=True)
    x.set_defaults(func=cmd_pki_revoke)

    reg = sub.add_parser("regional", help="a regional node").add_subparsers(dest="cmd", required=True)

    def rp(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        q = reg.add_parser(name, help=help_)
        if name not in ("detect", "sample"):
            q.add_argument("--data-dir", type=Path, required=True)
        q.set_defaults(func=func)
        return q

    x = rp("init", "set up a regional node", cmd_regional_init)
    x.add_argument("--region", required=True)
    x.add_argument("--pki", type=Path, help="directory issued by `hufu pki issue-region`")
    x.add_argument("--national", help="host:port of the national gRPC server")
    x.add_argument("--database-url")
    x.add_argument("--web-port", type=int)
    for name, func in (("import-registry", cmd_regional_import_registry),
                       ("import-listings", cmd_regional_import_listings)):
        x = rp(name, f"import a {name.split('-')[1]} file (JSON Lines, .gz allowed)", func)
        x.add_argument("file", type=Path)
        x.add_argument("--actor", default="cli")
    rp("screen", "screen listings not yet screened", cmd_regional_screen)
    rp("sync", "push the outbox and pull the downlink once", cmd_regional_sync)
    x = rp("launch", "launch detection for named rights or the core industries, over every listing",
           cmd_regional_launch)
    x.add_argument("--right", action="append", help="a right number (repeatable): a rights holder's request")
    x.add_argument("--core", action="store_true", help="proactive sweep of the region's core industries")
    x.add_argument("--requested-by", required=True, help="who asked (rights holder via the centre, or officer)")
    rp("reconcile", "compare counts and digests with the national node", cmd_regional_reconcile)
    x = rp("case-feedback", "report this region's step or result on a cross-region case", cmd_regional_case_feedback)
    x.add_argument("case", help="the case uuid")
    x.add_argument("--status", required=True,
                   choices=["accepted", "investigating", "confirmed", "dismissed", "closed", "note"])
    x.add_argument("--officer", required=True, help="who reports it (kept in the audit log)")
    x.add_argument("--note", help="what was done or found")
    for name, func in (("web", cmd_regional_web),):
        x = rp(name, "serve the web UI", func)
        x.add_argument("--port", type=int)
        x.add_argument("--workers", type=int, default=2)
    rp("worker", "run scheduled jobs (screening, sync, reconciliation, monitoring lists)", cmd_regional_worker)
    x = rp("detect", "detect leads file to file, no node needed", cmd_regional_detect)
    x.add_argument("--registry", type=Path, required=True)
    x.add_argument("--listings", type=Path, required=True)
    x.add_argument("--out", type=Path, required=True)
    x.add_argument("--threshold", action="append", metavar="MODEL=P",
                   help="lead threshold of one model (trademark, counterfeit_patent, design, invention)")
    x.add_argument("--with-codes", action="store_true", help="add machine-readable reason codes to each lead")
    x = rp("sample", "write generated sample data", cmd_regional_sample)
    x.add_argument("--regions", nargs="+", default=["440000", "330000", "350000"])
    x.add_argument("--out", type=Path, required=True)
    x.add_argument("--seed", type=int, default=7)
    x.add_argument("--listings", type=int, default=300, help="listings per region")

    nat = sub.add_parser("national", help="the national node").add_subparsers(dest="cmd", required=True)
    x = nat.add_parser("init", help="set up the national node")
    x.add_argument("--data-dir", type=Path, required=True)
    x.add_argument("--pki", type=Path, required=True, help="the PKI directory of `hufu pki init`")
    x.add_argument("--database-url")
    x.add_argument("--grpc-port", type=int)
    x.add_argument("--web-port", type=int)
    x.set_defaults(func=cmd_national_init)
    for name, help_, func in (("serve", "run the gRPC server", cmd_national_serve),
                              ("web", "serve the web UI", cmd_national_web),
                              ("worker", "run scheduled jobs (case formation)", cmd_national_worker),
                              ("form-cases", "form cross-region cases once", cmd_national_form_cases)):
        x = nat.add_parser(name, help=help_)
        x.add_argument("--data-dir", type=Path, required=True)
        if name in ("serve", "web"):
            x.add_argument("--port", type=int)
        if name == "web":
            x.add_argument("--workers", type=int, default=2)
        x.set_defaults(func=func)

    from national.dedup import cli as dedup_cli  # light: heavy modules load inside run()

    x = nat.add_parser("dedup", help="link entity records: one seller behind many names (JSON Lines in and out)")
    dedup_cli.add_arguments(x)
    x.set_defaults(func=dedup_cli.run)

    x = nat.add_parser("sweep", help="nationwide sweep: run detection over pooled listings for named rights/fields")
    x.add_argument("--data-dir", type=Path, required=True)
    x.add_argument("--registry", type=Path, required=True)
    x.add_argument("--listings", type=Path, required=True, help="pooled listings (JSON Lines)")
    x.add_argument("--right", action="append", help="a right number to sweep for (repeatable)")
    x.add_argument("--nice", type=int, action="append", help="a Nice class to sweep (repeatable)")
    x.add_argument("--name", default="全国专项检测")
    x.add_argument("--actor", default="cli")
    x.set_defaults(func=cmd_national_sweep)

    x = nat.add_parser("verify-filings", help="re-verify stored filings against the regions' signing keys")
    x.add_argument("--data-dir", type=Path, required=True)
    x.add_argument("--uuid", help="only this record")
    x.set_defaults(func=cmd_national_verify)

    x = sub.add_parser("bench", help="benchmarks (each runs its baseline in the same run)")
    x.add_argument("name", choices=sorted(BENCHES))
    x.add_argument("rest", nargs=argparse.REMAINDER, help="options of that benchmark (--json, …)")
    x.set_defaults(func=cmd_bench)

    x = sub.add_parser("demo", help="start a whole federation on this machine")
    x.add_argument("--once", action="store_true", help="run one full cycle, print a JSON summary, exit")
    x.add_argument("--data-dir", type=Path, default=Path("demo-data"))
    x.add_argument("--regions", nargs="+", default=["440000", "330000", "350000"])
    x.add_argument("--listings", type=int, default=400, help="listings per region")
    x.add_argument("--seed", type=int, default=7)
    x.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the federation to converge")
    x.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `hufu` console script."""
    from sync.config import ConfigError
    from sync.pki import PkiError
    from sync.regions import UnknownRegion

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ConfigError, PkiError, UnknownRegion, FileNotFoundError, ValueError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
