"""`hufu regional customs …`: import and export (进出口) from the command line.

    hufu regional customs import-declarations FILE     customs declarations (报关单), JSON Lines / CSV / .xlsx
    hufu regional customs import-recordations FILE     customs recordations (知识产权海关备案)
    hufu regional customs import-foreign FILE          the registry of foreign rights (境外权利)
    hufu regional customs import-products FILE         the key export products (重点出口产品)
    hufu regional customs screen                       screen every declaration again (the worker screens new ones)
    hufu regional customs declarations [--json]        the declarations with their leads
    hufu regional customs warnings [--product P] [--out FILE.csv|.xlsx] [--json]   export risk warnings
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from regional import cli_support as cs


def _report(outcome: Any, path: Path, what: str) -> int:
    from regional.formats.errors import count_text, summarise

    if outcome.errors:
        print(f"error: {path}: {count_text(outcome.errors)}; nothing was imported:", file=sys.stderr)
        for line in summarise(outcome.errors):
            print(f"  {line}", file=sys.stderr)
        return 1
    for line in summarise(outcome.warnings):
        print(f"warning: {line}", file=sys.stderr)
    print(f"{path}: {outcome.created} new, {outcome.updated} updated {what}"
          + (f", {outcome.unchanged} unchanged" if outcome.unchanged else ""))
    return 0


def _import(args: argparse.Namespace, func_name: str, what: str) -> int:
    from regional.customs import service
    from regional.formats.errors import ImportFileError

    config = cs.config(args)
    try:
        outcome = getattr(service, func_name)(cs.db(config), args.file, cs.actor(args), cs.now(), fmt=args.format,
                                              encoding=args.encoding)
    except ImportFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return _report(outcome, args.file, what)


def cmd_import_declarations(args: argparse.Namespace) -> int:
    """Import customs declarations."""
    code = _import(args, "import_declarations", "declaration(s)")
    if code == 0:
        print("the worker screens them shortly (or run `hufu regional customs screen`)")
    return code


def cmd_import_recordations(args: argparse.Namespace) -> int:
    """Import customs recordations."""
    return _import(args, "import_recordations", "recordation(s)")


def cmd_import_foreign(args: argparse.Namespace) -> int:
    """Import foreign rights."""
    return _import(args, "import_foreign_rights", "foreign right(s)")


def cmd_import_products(args: argparse.Namespace) -> int:
    """Import key export products."""
    return _import(args, "import_products", "key export product(s)")


def cmd_screen(args: argparse.Namespace) -> int:
    """Screen every declaration again (models + recordation check); leads already held are kept."""
    from regional import services
    from regional.customs.core import LISTING_PREFIX
    from regional.domain import LeadOrigin
    from regional.node import signer
    from sync.cli import progress

    config = cs.config(args)
    result = services.screen_pending(cs.db(config), signer(config), now=cs.now(), rescreen=True,
                                     actor=f"cli:{args.actor}", origin=LeadOrigin.LAUNCH, id_prefix=LISTING_PREFIX,
                                     progress=progress("screening declarations"))
    print(f"screened {result.screened} declaration(s); {result.leads} new lead(s) "
          f"({result.skipped_existing} already held)")
    return 0


def cmd_declarations(args: argparse.Namespace) -> int:
    """List the declarations with their leads."""
    import sqlalchemy as sa

    from regional.customs.models import CustomsDeclaration
    from regional.models import LeadRow

    with cs.db(cs.config(args)).read() as session:
        rows = list(session.scalars(sa.select(CustomsDeclaration).order_by(CustomsDeclaration.declared_on.desc(),
                                                                           CustomsDeclaration.number)
                                    .limit(args.limit)))
        leads: dict[str, list[Any]] = {}
        for lead in session.scalars(sa.select(LeadRow).where(LeadRow.listing_id.in_([r.listing_id for r in rows]))):
            leads.setdefault(lead.listing_id, []).append(lead)
    for r in rows:
        found = leads.get(r.listing_id, [])
        if args.json:
            print(json.dumps({"declaration_no": r.number, "direction": r.direction.value, "port": r.port,
                              "hs_code": r.hs_code, "goods": r.goods, "brand": r.brand,
                              "consignor": {"name": r.consignor_name, "uscc": r.consignor_uscc},
                              "consignee": {"name": r.consignee_name, "uscc": r.consignee_uscc},
                              "leads": [{"uuid": x.uuid, "right": x.right_number, "score": x.score,
                                         "state": x.state.value, "codes": [c.get("code") for c in x.reason_codes or []]}
                                        for x in found]}, ensure_ascii=False))
        else:
            best = max((x.score for x in found), default=None)
            print(f"{r.number:<20} {r.direction.value:<6} {r.hs_code:<10} {(r.brand or ''):<10} {r.goods[:30]:<30} "
                  f"{len(found)} lead(s){f', top {best:.2f}' if best is not None else ''}")
    if not args.json:
        print(f"{len(rows)} declaration(s) shown")
    return 0


def cmd_warnings(args: argparse.Namespace) -> int:
    """Export risk warnings: each key export product against the foreign rights of its markets."""
    from regional.customs import service

    now = cs.now()
    with cs.db(cs.config(args)).read() as session:
        found, products = service.warnings(session, now.date(), product=args.product)
    if args.product and args.product not in products:
        print(f"error: no key export product with the code {args.product!r}", file=sys.stderr)
        return 1
    rows = service.warning_rows(found, products, lambda w: "；".join(w.reasons))
    if args.out:
        data = service.export_xlsx(rows) if args.out.suffix.lower() == ".xlsx" else service.export_csv(rows)
        args.out.write_bytes(data)
        print(f"{len(found)} warning(s) written to {args.out}", file=sys.stderr)
    if args.json:
        print(json.dumps({"warnings": [{"product": w.product, "country": w.country, "right": w.right, "kind": w.kind,
                                        "title": w.title, "owner": w.owner, "type": w.type, "score": w.score,
                                        "reasons": list(w.reasons)} for w in found]}, ensure_ascii=False))
    elif not args.out:
        for w in found:
            print(f"{w.product:<14} {w.country} {w.right:<16} {w.title[:20]:<20} {w.score:.2f}  {'; '.join(w.reasons)}")
        print(f"{len(found)} warning(s) for {len(products)} product(s)")
    return 0


def register(regional: Any) -> None:
    """Add `hufu regional customs …` to the regional sub-commands."""
    from regional.formats.source import ENCODINGS, FORMATS
    from sync.cli import data_dir_argument

    group = regional.add_parser("customs", help="import and export (进出口): declarations, customs recordation, "
                                                "export risk warnings",
                                description="Import and export (进出口); docs/customs.md.")
    sub = group.add_subparsers(dest="customs_cmd", required=True, metavar="COMMAND")

    def cmd(name: str, help_: str, func: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_[:1].upper() + help_[1:] + ".")
        data_dir_argument(p, "regional")
        p.add_argument("--actor", default="operator", help="who runs this (kept in the audit log as cli:NAME)")
        p.set_defaults(func=func)
        return p

    def file_args(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument("file", type=Path, help=f"the {what} file (docs/formats.md)")
        p.add_argument("--format", choices=FORMATS, help="file format (default: from the file name)")
        p.add_argument("--encoding", default="utf-8", choices=sorted(ENCODINGS),
                       help="text encoding of a CSV file (default utf-8; gb18030 reads GBK too)")

    file_args(cmd("import-declarations", "import customs declarations (报关单); all or nothing",
                  cmd_import_declarations), "declarations")
    file_args(cmd("import-recordations", "import customs recordations (知识产权海关备案); all or nothing",
                  cmd_import_recordations), "recordations")
    file_args(cmd("import-foreign", "import the registry of foreign rights (境外权利); all or nothing",
                  cmd_import_foreign), "foreign rights")
    file_args(cmd("import-products", "import the key export products (重点出口产品); all or nothing",
                  cmd_import_products), "key export products")
    cmd("screen", "screen every declaration again: the four models and the recordation check", cmd_screen)
    p = cmd("declarations", "list the declarations with their leads", cmd_declarations)
    p.add_argument("--limit", type=int, default=100, help="how many (newest first; default 100)")
    p.add_argument("--json", action="store_true", help="one JSON object per declaration")
    p = cmd("warnings", "export risk warnings (境外侵权风险预警) for the key export products", cmd_warnings)
    p.add_argument("--product", help="only this product code")
    p.add_argument("--out", type=Path, help="write them to this file for exporters (.csv or .xlsx)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
