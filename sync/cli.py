"""`hufu pki …`: certificates and keys of the federation, plus the helpers every package's CLI shares.

Each package owns its commands (`sync/cli.py` the pki ones, `regional/cli.py` the regional
ones, `national/cli.py` the national ones); `national/hufu.py` only assembles them. A
package's `register(subparsers)` adds its command group to the `hufu` parser.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_USAGE = 2
EXIT_FAILED = 1


def now() -> dt.datetime:
    """The current time, timezone-aware UTC (the clock lives in the CLI, never in the core)."""
    return dt.datetime.now(dt.UTC)


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print `hufu: MESSAGE` on stderr and return the exit code."""
    print(f"hufu: {message}", file=sys.stderr)
    return code


def progress(label: str) -> Callable[[int, int], None]:
    """A progress callback on stderr: a redrawn bar on a terminal, a line every few seconds otherwise."""
    from sync.progress import ProgressPrinter

    return ProgressPrinter(label)


def data_dir_argument(parser: argparse.ArgumentParser, node: str) -> None:
    """Add the required `--data-dir` option every node command takes."""
    parser.add_argument("--data-dir", type=Path, required=True,
                        help=f"the {node} node's data directory (its config file, database, keys and logs)")


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

    overlap = dt.timedelta(hours=args.overlap_hours) if args.overlap_hours else None
    creds = issue_region(args.dir, args.code, overlap=overlap)
    print(f"region {creds.code}: certificate, TLS key and Ed25519 signing key in {creds.directory}")
    if overlap:
        print(f"the region's previous certificate stays accepted for {args.overlap_hours:g} hour(s); "
              "install the new credentials before then")
    else:
        print("any previous certificate of this region is refused from now on (use --overlap-hours for a "
              "planned rotation)")
    print(f"hand that directory to the region and run: hufu regional init --region {creds.code} "
          f"--pki {creds.directory} --data-dir DIR --national HOST:PORT")
    return 0


def cmd_pki_revoke(args: argparse.Namespace) -> int:
    """Revoke a region's current certificate."""
    from sync.pki import current_revocation, revoke_region

    already = current_revocation(args.dir, args.code)
    if already is not None:
        serial, at = already
        since = f" since {at}" if at else ""
        print(f"region {args.code}: certificate {serial} is already revoked{since}; nothing changed (issue a new "
              f"certificate with `hufu pki issue-region {args.code} --dir {args.dir}` to let the region back in)")
        return 0
    serial = revoke_region(args.dir, args.code, now=now())
    print(f"region {args.code}: certificate {serial} revoked; the national node refuses it from now on")
    return 0


def cmd_pki_export_national_key(args: argparse.Namespace) -> int:
    """Write the national evidence log public key (what `hufu evidence verify` trusts)."""
    from sync import note
    from sync.evidence import public_pem
    from sync.pki import log_public_key

    if not (Path(args.dir) / "ca.crt").exists():
        return fail(f"{args.dir} is not a national PKI directory (no ca.crt); run `hufu pki init` first")
    key = log_public_key(Path(args.dir))
    out = Path(args.out)
    if not out.parent.is_dir():
        return fail(f"cannot write {out}: its directory {out.parent} does not exist")
    if out.is_dir():
        return fail(f"cannot write {out}: it is a directory; give a file name, e.g. {out / 'national-log.pem'}")
    try:
        out.write_bytes(public_pem(key))
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"national evidence log public key written to {args.out}\nfingerprint (SHA-256): {note.fingerprint(key)}")
    return 0


def _hours(text: str) -> float:
    """--overlap-hours: a number of hours, 0 or more (a negative overlap would end before the rotation)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours") from None
    if not 0 <= value <= 24 * 90:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 to 2160 hours (90 days)")
    return value


def _pki_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", type=Path, required=True,
                        help="the federation's PKI directory (CA, server certificate, issued regions)")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `hufu pki …` to the `hufu` parser."""
    pki = subparsers.add_parser("pki", help="certificates and keys of the federation",
                                description="Certificates and keys of the federation (run on the national side).")
    sub = pki.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    x = sub.add_parser("init", help="create the national CA and the national server certificate")
    _pki_dir(x)
    x.add_argument("--host", action="append", help="a name or IP the national server answers to (repeatable)")
    x.add_argument("--force", action="store_true", help="replace an existing CA")
    x.set_defaults(func=cmd_pki_init)
    x = sub.add_parser("issue-region", help="issue (or re-issue) a region's client certificate and keys")
    x.add_argument("code", help="GB/T 2260 province code, e.g. 440000")
    x.add_argument("--overlap-hours", type=_hours, default=0.0,
                   help="keep accepting the region's previous certificate this many hours (a planned rotation; "
                        "default 0: the new certificate supersedes it at once)")
    _pki_dir(x)
    x.set_defaults(func=cmd_pki_issue)
    x = sub.add_parser("revoke-region", help="revoke a region's current certificate")
    x.add_argument("code", help="GB/T 2260 province code of the region whose certificate is revoked")
    _pki_dir(x)
    x.set_defaults(func=cmd_pki_revoke)
    x = sub.add_parser("export-national-key", help="write the national evidence log public key, for verifiers")
    _pki_dir(x)
    x.add_argument("--out", type=Path, required=True, help="where to write the public key (PEM)")
    x.set_defaults(func=cmd_pki_export_national_key)
