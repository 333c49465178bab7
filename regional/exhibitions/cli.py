"""`hufu regional exhibition …`: large exhibitions (大型展会) from the command line.

    hufu regional exhibition create --code C --name N --venue V --organiser O --starts D --ends D [--halls H,…]
    hufu regional exhibition list | show CODE | booths CODE --hall H BOOTH… | deadline CODE --hours N
    hufu regional exhibition register CODE --booth B --name N [--uscc U] [--pledge-signer P] …
    hufu regional exhibition pledge CODE --booth B --signer P
    hufu regional exhibition file CODE FILE            (展品报备: JSON Lines, CSV or .xlsx; all or nothing)
    hufu regional exhibition screen CODE               (pre-show screening of every filed exhibit)
    hufu regional exhibition complaint CODE --booth B --what TEXT --complainant NAME [--contact] [--right]
    hufu regional exhibition handle CODE NUMBER --action take|resolve|dismiss|note [--resolution R] [--note]
    hufu regional exhibition board CODE [--json]       (booths with open complaints, overdue first)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from regional import cli_support as cs

EXIT_INPUT = 1
BEIJING = dt.timezone(dt.timedelta(hours=8))  # every page says Beijing time; so does the command line


def _beijing(moment: dt.datetime) -> str:
    """A deadline as every page says it: Beijing time, to the minute (the nodes store UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return f"{aware.astimezone(BEIJING):%Y-%m-%d %H:%M} Beijing time"


def _fail(message: str, code: int = EXIT_INPUT) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _guarded(func: Any) -> Any:
    """Turn the rules' refusals into one clear line on stderr and exit status 1. (The rules are imported when a
    command runs, not when `hufu` builds its parser: every command would load the exhibitions' models.)"""

    def run(args: argparse.Namespace) -> int:
        from regional.exhibitions.core import ExhibitionError
        from regional.exhibitions.service import UnknownExhibition

        try:
            return int(func(args))
        except ExhibitionError as exc:
            return _fail(f"{exc}; nothing was changed")
        except UnknownExhibition as exc:
            return _fail(str(exc))

    run.__doc__ = func.__doc__
    return run


# the option of `exhibition create` that gives each field of a show
CREATE_FLAGS = {"code": "--code", "name": "--name", "venue": "--venue", "organiser": "--organiser",
                "region": "--region", "starts_on": "--starts", "ends_on": "--ends", "halls": "--halls",
                "deadline_hours": "--deadline-hours"}


def cmd_create(args: argparse.Namespace) -> int:
    """Create an exhibition."""
    from regional.exhibitions import service

    config = cs.config(args)
    values = {"code": args.code, "name": args.name, "venue": args.venue, "organiser": args.organiser,
              "region": args.region or config.region, "starts_on": args.starts, "ends_on": args.ends,
              "halls": args.halls or "", "deadline_hours": args.deadline_hours}
    from regional.exhibitions.core import ExhibitionError

    try:
        with cs.db(config).transaction() as session:
            row = service.create(session, values, config.region, cs.actor(args), cs.now())
            print(f"exhibition {row.code} created: {row.name}, {row.venue}, {row.starts_on}..{row.ends_on}; "
                  f"complaints are due {row.deadline_hours} h after they are logged")
    except ExhibitionError as exc:  # named by the option the operator typed, not the stored field (newcomer14 F48)
        flag = CREATE_FLAGS.get(exc.field or "")
        if flag is None:
            raise
        given = values.get(exc.field or "")
        return _fail(f"{flag} {given!r}: {exc.message}; nothing was changed" if given not in (None, "") else
                     f"{flag}: {exc.message}; nothing was changed")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the exhibitions."""
    from regional.exhibitions import core, service

    config = cs.config(args)
    today = cs.now().date()
    with cs.db(config).read() as session:
        rows = service.exhibitions(session)
        for r in rows:
            ph = core.phase(r.starts_on, r.ends_on, today).value
            if args.json:
                print(json.dumps({"code": r.code, "name": r.name, "venue": r.venue, "organiser": r.organiser,
                                  "region": r.region, "starts_on": r.starts_on.isoformat(),
                                  "ends_on": r.ends_on.isoformat(), "halls": r.halls, "phase": ph,
                                  "deadline_hours": r.deadline_hours}, ensure_ascii=False))
            else:
                print(f"{r.code:<20} {r.starts_on}..{r.ends_on} {ph:<9} {r.name} ({r.venue})")
    if not args.json:
        print(f"{len(rows)} exhibition(s)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print a show: booths, exhibitors (pledge, flags), exhibits with their leads, complaints."""
    from regional.exhibitions import service

    config = cs.config(args)
    now = cs.now()
    with cs.db(config).read() as session:
        v = service.view(session, args.code, now)
        s = v.show
        if args.json:
            print(json.dumps({
                "code": s.code, "name": s.name, "phase": v.phase, "booths": len(v.booths),
                "exhibitors": [{"name": e.name, "uscc": e.uscc, "booth": v.booth_of.get(e.booth_id),
                                "pledge_signed": e.pledge_signed_at is not None, "flags": e.flags}
                               for e in v.exhibitors],
                "exhibits": [{"number": x.number, "booth": x.booth, "product": x.product, "listing_id": x.listing_id,
                              "screened": x.screened_at is not None, "leads": x.leads} for x in v.exhibits],
                "complaints": [{"number": c.number, "booth": c.booth, "state": c.state, "due": c.due,
                                "deadline_at": c.deadline_at.isoformat(), "resolution": c.resolution}
                               for c in v.complaints]}, ensure_ascii=False))
            return 0
        print(f"{s.code}: {s.name} — {s.venue}; {s.organiser}; {s.starts_on}..{s.ends_on} ({v.phase}); "
              f"{len(v.booths)} booth(s)")
        for e in v.exhibitors:
            pledge = f"pledge signed by {e.pledge_signer}" if e.pledge_signed_at else "PLEDGE NOT SIGNED"
            flag = f"; FLAGGED: {len(e.flags)} show(s) elsewhere" if e.flags else ""
            print(f"  booth {v.booth_of.get(e.booth_id, '?'):<10} {e.name} {e.uscc or ''} ({pledge}{flag})")
        for x in v.exhibits:
            leads = ", ".join(f"{k} {n}" for k, n in sorted(x.leads.items())) or "no lead"
            print(f"  exhibit {x.number:<12} booth {x.booth:<10} {x.product} — "
                  f"{'screened' if x.screened_at else 'not screened yet'}; {leads}")
        for c in v.complaints:
            print(f"  complaint {c.number} booth {c.booth}: {c.state} ({c.due}), due {_beijing(c.deadline_at)}"
                  f"{'; ' + c.resolution if c.resolution else ''}")
    return 0


def cmd_booths(args: argparse.Namespace) -> int:
    """Add booths to a hall."""
    from regional.exhibitions import service

    with cs.db(cs.config(args)).transaction() as session:
        added = service.add_booths(session, args.code, args.hall, args.booth, cs.actor(args), cs.now())
    print(f"{added} booth(s) added to {args.code}")
    return 0


def cmd_deadline(args: argparse.Namespace) -> int:
    """Set the station's fast-track deadline."""
    from regional.exhibitions import service

    with cs.db(cs.config(args)).transaction() as session:
        service.set_deadline_hours(session, args.code, args.hours, cs.actor(args), cs.now())
    print(f"complaints logged at {args.code} from now on are due {args.hours} h later")
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    """Register an exhibitor for a booth."""
    from regional.exhibitions import service

    values = {"name": args.name, "booth": args.booth, "uscc": args.uscc, "phone": args.phone,
              "contact": args.contact, "address": args.address, "pledge_signer": args.pledge_signer}
    with cs.db(cs.config(args)).transaction() as session:
        row = service.register(session, args.code, values, cs.actor(args), cs.now())
        print(f"{row.name} registered for booth {args.booth} of {args.code}"
              + ("" if row.pledge_signed_at else "; the non-infringement pledge is not signed yet"))
        for f in row.flags:
            print(f"FLAGGED: infringements confirmed at {f['exhibition']} ({f['region']}, {f.get('ends_on') or ''}): "
                  f"{f['infringements']}", file=sys.stderr)
    return 0


def cmd_pledge(args: argparse.Namespace) -> int:
    """Record the signed non-infringement pledge."""
    from regional.exhibitions import service

    with cs.db(cs.config(args)).transaction() as session:
        row = service.sign_pledge(session, args.code, args.booth, args.signer, cs.actor(args), cs.now())
        print(f"pledge of {row.name} (booth {args.booth}) signed by {row.pledge_signer}")
    return 0


def cmd_file(args: argparse.Namespace) -> int:
    """File exhibits from a file (all or nothing)."""
    from regional.exhibitions import service
    from regional.formats.errors import ImportFileError, count_text, summarise

    config = cs.config(args)
    db = cs.db(config)
    try:
        items, errors, warnings = service.read_exhibits(args.file, fmt=args.format, encoding=args.encoding)
    except ImportFileError as exc:
        with db.transaction() as session:  # audited like every refused filing
            service.record_refusal(session, args.code, cs.actor(args), cs.now(), file=args.file.name, unreadable=exc)
        return _fail(str(exc))
    with db.transaction() as session:  # records that read are checked against the show even when others did not
        result = service.file_exhibits(session, args.code, items, cs.actor(args), cs.now(), file=args.file.name,
                                       read_errors=errors, read_reasons=[""] * len(errors))
    errors, warnings = result.errors, warnings + result.warnings
    if errors:
        # records counted once however many problems they have, as the listings and customs imports say it
        print(f"error: {args.file}: {count_text(errors)}; nothing was filed:", file=sys.stderr)
        for line in summarise(errors):
            print(f"  {line}", file=sys.stderr)
        return EXIT_INPUT
    for line in summarise(warnings):
        print(f"warning: {line}", file=sys.stderr)
    print(f"{result.filed} exhibit(s) filed, {result.updated} updated for {args.code}; "
          f"run `hufu regional exhibition screen {args.code}` (or let the worker) to screen them")
    return 0


def cmd_screen(args: argparse.Namespace) -> int:
    """Pre-show screening of the show's exhibits."""
    from regional.exhibitions import service
    from regional.node import signer
    from sync.cli import progress

    config = cs.config(args)
    result = service.screen(cs.db(config), signer(config), args.code, cs.actor(args), cs.now(),
                            progress=progress("screening exhibits"))
    print(f"screened {result.screened} exhibit(s) of {args.code}; {result.leads} new lead(s) in the review queue"
          f" ({result.skipped_existing} already held)")
    return 0


def cmd_complaint(args: argparse.Namespace) -> int:
    """Log a complaint at the on-site station."""
    from regional.exhibitions import service

    values = {"what": args.what, "complainant": args.complainant, "contact": args.contact, "right": args.right}
    with cs.db(cs.config(args)).transaction() as session:
        row = service.log_complaint(session, args.code, args.booth, values, cs.actor(args), cs.now())
        print(f"complaint {row.number} against booth {args.booth} logged; due {_beijing(row.deadline_at)}")
        print(row.number)
    return 0


def cmd_handle(args: argparse.Namespace) -> int:
    """Take, resolve, dismiss or note a station complaint."""
    from regional.exhibitions import service

    with cs.db(cs.config(args)).transaction() as session:
        row = service.handle_complaint(session, args.code, args.number, args.action, cs.actor(args), cs.now(),
                                       resolution=args.resolution, note=args.note or "", signer=_signer(args))
        print(f"complaint {row.number}: {row.state.value}"
              + (f" ({row.resolution.value})" if row.resolution else ""))
    return 0


def _signer(args: argparse.Namespace) -> Any:
    from regional.node import signer

    try:
        return signer(cs.config(args))
    except (OSError, ValueError):
        return None


def cmd_report(args: argparse.Namespace) -> int:
    """File exhibitors with confirmed infringements with the national node."""
    from regional.exhibitions.flags import report_show

    sig = _signer(args)
    if sig is None:
        return _fail("this node has no signing key (run `hufu regional init --pki DIR`)")
    n = report_show(cs.db(cs.config(args)), sig, args.code, cs.actor(args), cs.now())
    print(f"{n} exhibitor(s) of {args.code} filed with the national node (sent at the next sync)")
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    """Booths with open complaints, overdue first."""
    from regional.exhibitions import service

    now = cs.now()
    with cs.db(cs.config(args)).read() as session:
        show, rows, names = service.board(session, args.code, now)
    if args.json:
        print(json.dumps({"exhibition": show.code, "at": now.isoformat(), "booths": [
            {"booth": r.booth, "exhibitor": names.get(r.booth), "open": r.open, "handling": r.handling,
             "overdue": r.overdue, "next_deadline": r.next_deadline.isoformat(), "due": r.due.value,
             "complaints": list(r.numbers)} for r in rows]}, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"booth {r.booth:<10} {names.get(r.booth, ''):<24} open {r.open} handling {r.handling} "
              f"overdue {r.overdue}  next due {_beijing(r.next_deadline)} ({r.due.value})")
    print(f"{len(rows)} booth(s) with open complaints")
    return 0


def register(regional: Any) -> None:
    """Add `hufu regional exhibition …` to the regional sub-commands."""
    from regional.exhibitions.core import ComplaintAction, Resolution
    from regional.formats.source import ENCODINGS, FORMATS
    from sync.cli import data_dir_argument

    group = regional.add_parser("exhibition", help="large exhibitions (大型展会): shows, exhibitors, exhibit filing, "
                                                   "pre-show screening, the complaint station",
                                description="Large exhibitions (大型展会); docs/exhibitions.md.")
    sub = group.add_subparsers(dest="exhibition_cmd", required=True, metavar="COMMAND")

    def cmd(name: str, help_: str, func: Any, code: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_[:1].upper() + help_[1:] + ".")
        data_dir_argument(p, "regional")
        p.add_argument("--actor", default="operator", help="who runs this (kept in the audit log as cli:NAME)")
        if code:
            p.add_argument("code", help="the exhibition's code, e.g. CIFTIS-2026")
        p.set_defaults(func=_guarded(func))
        return p

    p = cmd("create", "create an exhibition", cmd_create, code=False)
    p.add_argument("--code", required=True, help="short code, 1-40 letters/digits/-/_ (it goes into exhibit ids)")
    p.add_argument("--name", required=True, help="the exhibition's name")
    p.add_argument("--venue", required=True, help="where it is held")
    p.add_argument("--organiser", required=True, help="who organises it")
    p.add_argument("--starts", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--ends", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--halls", help="hall names separated by commas, e.g. '1号馆,2号馆'")
    p.add_argument("--region", help="the hosting region's province code (default: this node's region)")
    p.add_argument("--deadline-hours", type=int, default=24,
                   help="fast-track deadline of station complaints in hours (default 24)")
    p = cmd("list", "list the exhibitions", cmd_list, code=False)
    p.add_argument("--json", action="store_true", help="one JSON object per exhibition")
    p = cmd("show", "print a show: exhibitors, pledges, flags, exhibits and their leads, complaints", cmd_show)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p = cmd("booths", "add booths to a hall of the show", cmd_booths)
    p.add_argument("--hall", help="the hall (one of the show's halls, if it lists any)")
    p.add_argument("booth", nargs="+", help="booth codes, e.g. A1-01 A1-02")
    p = cmd("deadline", "set the complaint station's fast-track deadline", cmd_deadline)
    p.add_argument("--hours", type=int, required=True, help="hours from logging to the deadline (1-720)")
    p = cmd("register", "register an exhibitor for a booth (flags from other regions' shows are shown)",
            cmd_register)
    p.add_argument("--booth", required=True, help="the booth code")
    p.add_argument("--name", required=True, help="the exhibitor's name")
    p.add_argument("--uscc", help="its unified social credit code (18 characters)")
    p.add_argument("--phone", help="telephone")
    p.add_argument("--contact", help="contact person")
    p.add_argument("--address", help="registered or business address")
    p.add_argument("--pledge-signer", help="who signed the non-infringement pledge (参展方不侵权承诺), if signed now")
    p = cmd("pledge", "record the exhibitor's signed non-infringement pledge (参展方不侵权承诺)", cmd_pledge)
    p.add_argument("--booth", required=True, help="the exhibitor's booth")
    p.add_argument("--signer", required=True, help="who signed it for the exhibitor")
    p = cmd("file", "file exhibits (展品报备) from a JSON Lines, CSV or .xlsx file; all or nothing", cmd_file)
    p.add_argument("file", type=Path, help="the filing file (docs/formats.md, 'Exhibit filings')")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the file name)")
    p.add_argument("--encoding", default="utf-8", choices=sorted(ENCODINGS),
                   help="text encoding of a CSV file (default utf-8; gb18030 reads GBK too)")
    cmd("screen", "pre-show screening: every filed exhibit through the four detection models", cmd_screen)
    p = cmd("complaint", "log a complaint against a booth at the on-site station; prints its number last",
            cmd_complaint)
    p.add_argument("--booth", required=True, help="the booth complained about")
    p.add_argument("--what", required=True, help="what is infringed (at most 1,000 characters)")
    p.add_argument("--complainant", required=True, help="who complains (rights holder or its agent)")
    p.add_argument("--contact", help="the complainant's telephone or e-mail")
    p.add_argument("--right", help="the right number relied on, if known")
    p = cmd("handle", "take, resolve, dismiss or note a station complaint", cmd_handle)
    p.add_argument("number", help="the complaint's number, e.g. ZH1130-0001")
    p.add_argument("--action", required=True, choices=[a.value for a in ComplaintAction],
                   help="take (受理), resolve (办结), dismiss (不成立) or note")
    p.add_argument("--resolution", choices=[r.value for r in Resolution],
                   help="with resolve: withdrawn (撤展), covered (遮盖), settled (调解) or transferred (移交执法)")
    p.add_argument("--note", help="what was done or found (required to dismiss)")
    cmd("report", "file exhibitors with confirmed infringements (resolved complaints, confirmed leads) with the "
                  "national node, so other regions flag them", cmd_report)
    p = cmd("board", "booths with open complaints, overdue first", cmd_board)
    p.add_argument("--json", action="store_true", help="print one JSON object")
