"""`hufu regional import-registry | import-listings`: options, progress, and what the clerk is told."""

from __future__ import annotations

import argparse
import datetime as dt
import os
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


def _permission_denied(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PermissionError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _user_name() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid {os.geteuid()}"


def unreadable_hint(path: Path) -> str:
    """Why the user running the import cannot read `path`, and what to do (docs/operations.md §3): the file,
    the user, the file's owner and mode, or the first directory on the way that user cannot enter."""
    import grp
    import pwd

    user = _user_name()
    full = Path(os.path.abspath(path))
    blocked = next((d for d in reversed(full.parents) if not os.access(d, os.X_OK)), None)

    def owner(p: Path) -> str:
        try:
            st = p.stat()
        except OSError:
            return "owner unknown"
        try:
            who = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            who = str(st.st_uid)
        try:
            group = grp.getgrgid(st.st_gid).gr_name
        except KeyError:
            group = str(st.st_gid)
        return f"owner {who}:{group}, mode {st.st_mode & 0o7777:04o}"

    where = (f"the user {user} cannot enter the directory {blocked} ({owner(blocked)}) on the way to {full}"
             if blocked is not None else f"the user {user} cannot read {full} ({owner(full)})")
    return (f"hufu: {where}. The import runs as {user} (`sudo -u {user} hufu ...`): make the file readable by "
            f"{user}, e.g. `sudo install -o {user} -m 0600 {path} <a directory {user} can read>/` "
            "(docs/operations.md §3), and import that copy.")


def run(args: argparse.Namespace, kind: str, config: object, now: dt.datetime) -> int:
    """Import one file all or nothing; print what was stored, the warnings, or why nothing was."""
    from regional import services
    from regional.importers import ImportFileError
    from regional.monitoring import refresh_if_due
    from sync.db import Database
    from sync.progress import ProgressPrinter

    db = Database(config.db_url)  # type: ignore[attr-defined]
    try:  # the user the import runs as (`sudo -u hufu`) must be able to read the file: say which file and user
        with open(args.file, "rb"):
            pass
    except PermissionError as exc:
        from regional.formats.messages import say

        refused = ImportFileError(str(args.file), say("cannot_open", why=exc.strerror or exc))
        services.record_unreadable(db, args.file, kind, refused, args.actor, now)
        db.dispose()
        print(f"hufu: cannot import {refused}", file=sys.stderr)
        print(unreadable_hint(args.file), file=sys.stderr)
        return 1
    except OSError:
        pass  # missing, a directory, …: the reader says so in the clerk's words
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
        if _permission_denied(exc):
            print(unreadable_hint(args.file), file=sys.stderr)
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
