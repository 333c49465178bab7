"""`hufu national report`: the compiled national monthly report as PDF or XLSX, on demand (with progress)."""

from __future__ import annotations

import argparse

from sync.cli import now


def cmd_national_report(args: argparse.Namespace) -> int:
    """Compile the national report of a month from the regions' filings and the national data; write it."""
    from national.config import NationalConfig
    from national.reports.figures import OFFICE, compile_month, national_report
    from national.reports.models import CUBE
    from regional.reports import cube, render
    from regional.reports.cli import Steps, month_and_config
    from sync.db import Database

    checked = month_and_config(args, NationalConfig, "the national node")
    if isinstance(checked, int):
        return checked
    month, config = checked
    db = Database(config.db_url)
    office = config.office_name or OFFICE
    steps = Steps(3)
    if args.keep:
        steps("compiling the regions' filings and the national figures")
        row = compile_month(db, month=month, now=now(), actor=args.actor, pki_dir=config.pki, office=office)
        figures = row.figures
        steps(f"kept as revision {row.revision} ({len(row.regions_missing)} region(s) have not reported)")
    else:
        steps("folding the lead counts")
        cube.fold_all(db, CUBE)
        steps("compiling the regions' filings and the national figures")
        with db.read() as session:
            figures = national_report(session, month=month, now=now(), pki_dir=config.pki, office=office)
    steps(f"rendering {args.out.suffix.lower()[1:].upper()}")
    size = render.write(figures, args.out, args.lang)
    missing = figures.get("regions_missing") or []
    print(f"{args.out}: {office} {month} national monthly report, {size:,} bytes; "
          f"{len(figures.get('regions_reported') or [])} region(s) reported"
          + (f", not reported: {', '.join(missing)}" if missing else ""))
    return 0
