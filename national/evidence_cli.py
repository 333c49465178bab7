"""`hufu evidence …`: thin commands over the evidence modules.

    hufu evidence export UUID --data-dir D --out FILE.zip   (a lead on a region; a case or a lead nationally)
    hufu evidence verify PACKAGE --national-key FILE
    hufu evidence capture LEAD-UUID --data-dir D --officer NAME      (重新取证)

(`hufu pki export-national-key --dir PKI --out FILE` lives with the other pki commands in sync/cli.py.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def _fail(message: str, code: int = 1) -> int:
    print(f"hufu: {message}", file=sys.stderr)
    return code


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a package offline against the national public key alone."""
    from sync.evidence import VerificationFailed, load_public_key, verify_package

    try:
        key = load_public_key(Path(args.national_key).read_bytes())
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return _fail(f"--national-key {args.national_key}: cannot be read as the national public key ({why})", 2)
    try:
        data = Path(args.package).read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.package}: {exc.strerror or exc}", 2)
    try:
        report = verify_package(data, key, min_witnesses=args.min_witnesses)
    except VerificationFailed as exc:
        print(f"INVALID: {exc}")
        return 1
    print(report.text(), end="")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the court-ready package of a lead (regional node) or a case or a lead (national node)."""
    data_dir = Path(args.data_dir)
    if (data_dir / "regional.toml").exists():
        from regional.config import RegionalConfig
        from regional.evidence.export import NotExportable, export_lead
        from sync.cas import ContentStore
        from sync.db import Database

        cfg = RegionalConfig.load(data_dir)
        try:
            package, n, left = export_lead(Database(cfg.db_url), ContentStore(cfg.evidence_dir), cfg.pki_dir,
                                           cfg.region, args.uuid, _now())
        except NotExportable as exc:
            return _fail(str(exc))
        what = f"lead {args.uuid}"
    elif (data_dir / "national.toml").exists():
        from national.config import NationalConfig
        from national.evidence_export import NotExportable as NationalNotExportable
        from national.evidence_export import export_any

        ncfg = NationalConfig.load(data_dir)
        try:
            kind, package, n, left = export_any(ncfg, args.uuid, _now())
        except NationalNotExportable as exc:
            return _fail(str(exc))
        what = f"{kind} {args.uuid}"
    else:
        return _fail(f"{data_dir} is neither a regional nor a national node's data dir", 2)
    out = Path(args.out)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(package)
    tmp.replace(out)
    print(f"{what}: {n} capture(s) written to {out}" + (f"; {left} not yet proved, left out" if left else ""))
    return 0


def cmd_capture(args: argparse.Namespace) -> int:
    """重新取证: capture a lead's evidence again on a regional node."""
    from regional import outbox
    from regional.config import RegionalConfig
    from regional.evidence.capture import Capturer, UnknownLead, recapture
    from regional.models import AuditEntry
    from regional.node import signer
    from sync.db import Database

    cfg = RegionalConfig.load(args.data_dir)
    sign = signer(cfg)
    now = _now()
    try:
        with Database(cfg.db_url).transaction() as session:
            records = recapture(session, Capturer.at(cfg.region, sign.key, cfg.evidence_dir), args.lead,
                                now=now, actor=args.officer)
            outbox.append_many(session, sign, records, now)
            session.add(AuditEntry(at=now, actor=args.officer, action="evidence_recapture",
                                   detail={"lead": args.lead, "manifest": records[0].evidence_digest.sha256}))
    except UnknownLead as exc:
        return _fail(str(exc))
    print(f"lead {args.lead}: evidence captured again, manifest {records[0].evidence_digest.sha256}; "
          "it is filed with the national node at the next sync")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `hufu evidence …`."""
    ev = sub.add_parser("evidence", help="evidence preservation: export and verify court-ready packages").add_subparsers(
        dest="cmd", required=True)
    x = ev.add_parser("verify", help="verify a package offline, trusting only the national public key given")
    x.add_argument("package", type=Path, help="the evidence package (.zip)")
    x.add_argument("--national-key", type=Path, required=True,
                   help="the national evidence log public key (PEM, from `hufu pki export-national-key`)")
    x.add_argument("--min-witnesses", type=int, default=1,
                   help="co-signatures by region witnesses a checkpoint needs (default 1)")
    x.set_defaults(func=cmd_verify)
    x = ev.add_parser("export", help="write the package of a lead (regional node), or of a case or a lead "
                                     "(national node)")
    x.add_argument("uuid", help="a lead uuid on a regional node; a case uuid (every region's evidence of its "
                                "leads) or a lead uuid on the national node")
    x.add_argument("--data-dir", type=Path, required=True, help="the node's data dir")
    x.add_argument("--out", type=Path, required=True, help="the package to write (.zip)")
    x.set_defaults(func=cmd_export)
    x = ev.add_parser("capture", help="重新取证: capture a lead's evidence again (regional node)")
    x.add_argument("lead", help="the lead uuid")
    x.add_argument("--data-dir", type=Path, required=True, help="the regional node's data dir")
    x.add_argument("--officer", required=True, help="who asks for it (kept in the manifest and the audit log)")
    x.set_defaults(func=cmd_capture)
