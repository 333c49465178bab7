"""`hufu regional import-registry | import-listings`: options, progress, and what the clerk is told."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from regional.formats.errors import summarise


def add_arguments(parser: argparse.ArgumentParser, kind: str) -> None:
    """The import command's arguments (`kind` is "registry" or "listings")."""
    parser.add_argument("file", type=Path,
                        help=f"the {kind} file: JSON Lines (.jsonl), CSV with a header row (.csv) or an Excel "
                             "workbook (.xlsx or .xlsm, first sheet; macros are never run); .gz for gzip"
                             + ("; or a .zip bundle of one listings file with the images and page captures "
                                "its records name" if kind == "listings" else "") + " (docs/formats.md)")
    parser.add_argument("--actor", default="cli", help="who imports the file (kept in the audit log)")
    parser.add_argument("--format", dest="fmt", choices=["jsonl", "csv", "xlsx"],
                        help="the file's format; default: from its name (.jsonl/.ndjson/.json, .csv/.tsv, "
                             ".xlsx/.xlsm), else from its content (as the upload pages decide it)")
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030", "gbk"],
                        help="the file's text encoding (default utf-8; gb18030 also reads GBK and GB2312, "
                             "as Excel saves CSV on Chinese Windows)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def run(args: argparse.Namespace, kind: str, config: object, now: dt.datetime) -> int:
    """Import one file all or nothing; print what was stored, the warnings, or why nothing was."""
    from regional import services
    from regional.importers import ImportFileError
    from regional.monitoring import refresh_if_due
    from sync.db import Database
    from sync.progress import ProgressPrinter

    db = Database(config.db_url)  # type: ignore[attr-defined]
    func = services.import_registry if kind == "registry" else services.import_listings
    extra = {} if kind == "registry" else {"evidence_dir": config.evidence_dir}  # type: ignore[attr-defined]
    printer = None if args.quiet else ProgressPrinter(f"importing {args.file.name}")
    try:
        result = func(db, args.file, actor=args.actor, now=now, fmt=args.fmt, encoding=args.encoding,
                      progress=printer.phased if printer else None, **extra)
    except services.ImportRejected as exc:
        if printer:
            printer.close()
        print(f"hufu: {exc}", file=sys.stderr)
        return 1
    except ImportFileError as exc:
        if printer:
            printer.close()
        print(f"hufu: cannot import {exc}", file=sys.stderr)
        return 1
    if result.warnings:
        print(f"{len(result.warnings):,} warning(s); imported anyway:", file=sys.stderr)
        for line in summarise(list(result.warnings)):
            print(f"  {line}", file=sys.stderr)
    if kind == "listings":
        refresh_if_due(db, now, force=True, actor=args.actor)
    db.dispose()
    print(f"{args.file}: {result.created} new, {result.updated} updated"
          + (f", {result.unchanged} unchanged" if kind == "listings" else "")
          + (f", {result.licences} licence(s)" if kind == "registry" else ""))
    return 0
