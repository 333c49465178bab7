"""`hufu regional emark …`: issue, verify, revoke, list and trace electronic IP marks (标识电子化)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from sync.cli import data_dir_argument, fail, now


def _node(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from regional.config import RegionalConfig
    from sync.db import Database

    config = RegionalConfig.load(args.data_dir, must_exist=True)
    return config, Database(config.db_url)


def write_qr(payload: str, out: Path, scale: int = 4) -> Path:
    """Write the mark as a QR code (SVG or PNG by the file name; error correction M)."""
    import segno

    suffix = out.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ValueError(f"{out}: the QR code is written as .svg or .png")
    qr = segno.make_qr(payload, error="m")
    qr.save(str(out), scale=scale, border=4)
    return out


def cmd_issue(args: argparse.Namespace) -> int:
    """Issue an e-mark; the payload is the last line printed."""
    from regional.emark import service

    config, db = _node(args)
    try:
        keys = service.load_keys(config.pki_dir, config.region, issuing=True)
        mark, payload = service.issue(db, keys, right=args.right, product=args.product, licensee=args.licensee,
                                      batch=args.batch, serial=args.serial, actor=args.actor, now=now())
    except service.EmarkError as exc:
        return fail(str(exc))
    if args.qr:
        try:
            write_qr(payload, args.qr)
        except (ValueError, OSError) as exc:
            return fail(f"--qr {exc}")
    licensee = f", licensee {mark.licensee}" if mark.licensee else ""
    print(f"issued e-mark {mark.mark_id} for right {mark.right_number} held by {mark.holder}{licensee}; "
          f"product {mark.product}" + (f"; QR code written to {args.qr}" if args.qr else ""))
    print(payload)
    return 0


def _read_payload(args: argparse.Namespace) -> str:
    if args.payload == "-":
        return sys.stdin.read(4096)
    return str(args.payload)


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify an e-mark: exit 0 when genuine, 1 with the reason otherwise; the scan is recorded."""
    from regional.emark import service
    from regional.emark.models import ScanChannel

    config, db = _node(args)
    try:
        keys = service.load_keys(config.pki_dir, config.region)
    except service.EmarkError as exc:
        return fail(str(exc))
    result = service.verify(db, keys, _read_payload(args), channel=ScanChannel.CLI, now=now(), actor=args.actor)
    if args.json:
        body = result.body
        print(json.dumps({"status": result.status.value, "genuine": result.genuine, "reason": result.reason,
                          "mark": None if body is None else {
                              "mark_id": body.mark_id, "region": body.region, "right": body.right,
                              "holder": body.holder, "licensee": body.licensee, "product": body.product,
                              "batch": body.batch, "serial": body.serial, "issued": body.issued.isoformat()}},
                         ensure_ascii=False))
    else:
        print(f"{result.status.value.upper()}: {result.reason}")
    return 0 if result.genuine else 1


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke an e-mark this region issued; every region hears it through the national node."""
    from regional.emark import service
    from regional.node import signer

    config, db = _node(args)
    try:
        row = service.revoke(db, signer(config), args.mark, reason=args.reason, actor=args.actor, now=now())
    except service.UnknownMark as exc:
        return fail(str(exc))
    except service.EmarkError as exc:
        return fail(str(exc))
    print(f"e-mark {row.mark_id} revoked; the revocation is filed with the national node at the next sync "
          "and reaches every region from there")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the marks this node knows (issued here, or revoked elsewhere)."""
    from regional.emark import service

    config, db = _node(args)
    with db.read() as session:
        rows, total = service.marks(session, right=args.right, state=args.state, limit=args.limit)
        counts = service.scan_counts(session, [r.mark_id for r in rows])
    for r in rows:
        print("\t".join([r.mark_id, r.state.value, r.right_number, r.product, r.holder or "-", r.licensee or "-",
                         r.batch or "-", r.serial or "-", str(counts.get(r.mark_id, 0)) + " scan(s)",
                         "issued here" if r.local else f"revoked at region {r.region}"]))
    print(f"{len(rows)} of {total} mark(s)", file=sys.stderr)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    """One mark's life: the right's registration, the issue, every scan, listings and leads, revocation."""
    from regional.emark import service

    config, db = _node(args)
    with db.read() as session:
        mark, steps = service.trace(session, args.mark)
    if mark is None and not steps:
        return fail(f"no mark {args.mark[:40]} is known here (neither issued nor scanned)")
    for step in steps:
        at = step.at.isoformat() if step.at is not None else "-"
        detail = ", ".join(f"{k}={v}" for k, v in step.detail.items() if v not in (None, ""))
        print(f"{at}\t{step.kind}\t{detail}")
    return 0


def cmd_qr(args: argparse.Namespace) -> int:
    """Write a mark's QR code."""
    from regional.emark import core

    try:
        payload = core.extract(_read_payload(args))
        write_qr(payload, args.out, scale=args.scale)
    except (core.MarkError, ValueError, OSError) as exc:
        return fail(str(exc))
    print(f"QR code written to {args.out}")
    return 0


def register(reg: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `hufu regional emark …`."""
    group = reg.add_parser("emark", help="electronic IP marks (标识电子化): issue, verify, revoke, trace",
                           description="Electronic IP marks (标识电子化): signed, printable as QR codes, "
                                       "verifiable by anyone; revocations reach every region.")
    sub = group.add_subparsers(dest="emark_cmd", required=True, metavar="COMMAND")

    def cmd(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        q = sub.add_parser(name, help=help_, description=help_[:1].upper() + help_[1:] + ".")
        data_dir_argument(q, "regional")
        q.set_defaults(func=func)
        return q

    x = cmd("issue", "issue an e-mark for a product under a right of this region's registry; prints the "
                     "payload as the last line", cmd_issue)
    x.add_argument("--right", required=True, help="the right's number (trademark reg. no. or patent number)")
    x.add_argument("--product", required=True, help="the product the mark goes on (at most 200 characters)")
    x.add_argument("--licensee", help="the licensee using the right, if not the holder (must hold a valid licence)")
    x.add_argument("--batch", help="production batch (at most 64 characters)")
    x.add_argument("--serial", help="serial number (at most 64 characters)")
    x.add_argument("--actor", default="cli", help="who issues it (kept in the audit log; default cli)")
    x.add_argument("--qr", type=Path, help="also write the QR code to this file (.svg or .png)")
    x = cmd("verify", "verify an e-mark: exit 0 and who holds the right when genuine; exit 1 and why when "
                      "forged, altered, revoked or unknown", cmd_verify)
    x.add_argument("payload", help="the mark's text as scanned (or a link carrying it; '-' reads standard input)")
    x.add_argument("--json", action="store_true", help="print one JSON object: status, genuine, reason, mark")
    x.add_argument("--actor", default="cli", help="who verifies (kept with the scan; default cli)")
    x = cmd("revoke", "revoke an e-mark this region issued (filed with the national node for every region)",
            cmd_revoke)
    x.add_argument("mark", help="the mark id, e.g. 440000-7QK3M2XW")
    x.add_argument("--reason", required=True, help="why (shown to whoever scans it; at most 500 characters)")
    x.add_argument("--actor", required=True, help="who revokes it (kept in the audit log)")
    x = cmd("list", "list the marks this node knows, newest first", cmd_list)
    x.add_argument("--right", help="only marks of this right")
    x.add_argument("--state", choices=["active", "revoked"], help="only active or only revoked marks")
    x.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    x = cmd("trace", "one mark from the right's registration through issue, scans and listings to enforcement",
            cmd_trace)
    x.add_argument("mark", help="the mark id")
    x = sub.add_parser("qr", help="write a mark's QR code (.svg or .png)",
                       description="Write a mark's QR code (.svg or .png).")
    x.add_argument("payload", help="the mark's text ('-' reads standard input)")
    x.add_argument("--out", type=Path, required=True, help="the file to write (.svg or .png)")
    x.add_argument("--scale", type=int, default=4, choices=range(1, 21), metavar="1..20",
                   help="pixels per module (default 4)")
    x.set_defaults(func=cmd_qr)
