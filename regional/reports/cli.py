"""`hufu regional report`: a region's monthly report as PDF or XLSX, on demand (with progress)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from sync.cli import EXIT_USAGE, fail, now


class Steps:
    """Progress of a report on stderr: one line per step with the time it took."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()

    def __call__(self, what: str) -> None:
        import sys

        self.done += 1
        print(f"[{self.done}/{self.total}] {what} … ({time.monotonic() - self.started:.1f} s)", file=sys.stderr)


def check_out(out: Path) -> str | None:
    """A problem with the output path, or None."""
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        return f"{out}: the report is written as .pdf or .xlsx (the file's extension picks the format)"
    if not out.parent.exists():
        return f"{out.parent} does not exist"
    return None


def month_and_config(args: argparse.Namespace, config_type: Any, node: str) -> tuple[Any, Any] | int:
    """The report command's month and the node's configuration (`config_type` loaded from --data-dir), or the
    exit code after saying what is wrong: a bad month or --out, a directory that is not `node`'s, a month
    that has not begun."""
    from regional.reports.periods import Month, PeriodError, local_day

    try:
        month = Month.parse(args.month)
    except PeriodError as exc:
        return fail(str(exc), EXIT_USAGE)
    problem = check_out(args.out)
    if problem:
        return fail(problem, EXIT_USAGE)
    if not (args.data_dir / config_type.file_name()).is_file():
        return fail(f"{args.data_dir} is not {node}'s data directory (no {config_type.file_name()})")
    config = config_type.load(args.data_dir)
    if month > Month.of(local_day(now())):
        return fail(f"{month} has not begun yet", EXIT_USAGE)
    return month, config


def cmd_regional_report(args: argparse.Namespace) -> int:
    """Write a region's monthly report (.pdf or .xlsx by the extension of --out)."""
    from regional.config import RegionalConfig
    from regional.reports import render, service
    from sync.db import Database

    checked = month_and_config(args, RegionalConfig, "a regional node")
    if isinstance(checked, int):
        return checked
    month, config = checked
    db = Database(config.db_url)
    steps = Steps(4 if args.file else 3)
    office = service.office_of(config.region, config.office_name)
    core = list(config.core_nice_classes)
    if args.file:
        from regional.node import signer

        row = service.file_month(db, signer(config), region=config.region, office=office, month=month, now=now(),
                                 core=core, actor=args.actor)
        figures = row.figures
        steps(f"filed revision {row.revision} of {month} with the national office (outbox)")
    else:
        figures = service.compute(db, region=config.region, office=office, month=month, now=now(), core=core,
                                  say=steps)
    steps(f"rendering {args.out.suffix.lower()[1:].upper()}")
    size = render.write(figures, args.out, args.lang)
    print(f"{args.out}: {office} {month} monthly report, {size:,} bytes")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The report command's options (shared by both nodes)."""
    parser.add_argument("--month", required=True, help="the month, YYYY-MM (China Standard Time), e.g. 2026-11")
    parser.add_argument("--out", type=Path, required=True,
                        help="the file to write: .pdf (A4, charts) or .xlsx (one sheet per section)")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of the document (default zh)")
