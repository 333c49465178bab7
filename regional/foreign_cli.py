"""`hufu regional foreign …`: foreign-language listings (外文商品, issue 14) from the command line.

    hufu regional foreign listings [--language en|es|ru|ja|ko|other] [--limit N] [--json]   what was screened, with leads
    hufu regional foreign classify TEXT [--json]    the language and the goods classes read from a title (no node)

Listings in any language are imported with `hufu regional import-listings` and the registry's counterparts
(华为 ↔ HUAWEI) with `hufu regional import-registry` (docs/formats.md, "Foreign-language listings").
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

LANGUAGES = ("en", "es", "ru", "ja", "ko", "other")
MAX_TEXT = 10_000


def cmd_listings(args: argparse.Namespace) -> int:
    """List the foreign-language listings, newest first, with their goods classes and leads."""
    import sqlalchemy as sa

    from regional.config import RegionalConfig
    from regional.detection.foreign import latin_classes
    from regional.models import LeadRow, ListingRow
    from sync.db import Database

    if args.limit < 1 or args.limit > 10_000:
        print("error: --limit: must be between 1 and 10000", file=sys.stderr)
        return 2
    config = RegionalConfig.load(args.data_dir, must_exist=True)
    db = Database(config.db_url)
    wanted = [args.language] if args.language else list(LANGUAGES)
    with db.read() as session:
        rows = list(session.scalars(sa.select(ListingRow).where(ListingRow.language.in_(wanted))
                                    .order_by(ListingRow.imported_at.desc(), ListingRow.id).limit(args.limit)))
        leads: dict[str, list[Any]] = {}
        for lead in session.scalars(sa.select(LeadRow).where(LeadRow.listing_id.in_([r.id for r in rows]))
                                    .order_by(LeadRow.score.desc())):
            leads.setdefault(lead.listing_id, []).append(lead)
    db.dispose()
    for r in rows:
        classes = list(r.nice_classes or ()) or list(latin_classes(r.title) or latin_classes(r.description or ""))
        found = leads.get(r.id, [])
        if args.json:
            print(json.dumps({"id": r.id, "language": r.language, "title": r.title, "nice_classes": classes,
                              "leads": [{"uuid": x.uuid, "right": x.right_number, "score": x.score,
                                         "state": x.state.value,
                                         "codes": [c.get("code") for c in x.reason_codes or []]} for x in found]},
                             ensure_ascii=False))
        else:
            best = ", ".join(f"{x.right_number} {x.score:.2f}" for x in found[:3]) or "no lead"
            print(f"{r.id:<24} {r.language or '':<6} {','.join(map(str, classes)) or '-':<8} {r.title[:50]:<50} {best}")
    if not args.json:
        print(f"{len(rows)} foreign-language listing(s) shown")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    """Say which language a text is in and which goods classes its English or Spanish words point to."""
    from regional.detection.foreign import language, latin_classes
    from regional.nice import nice_classes

    text = args.text
    if len(text) > MAX_TEXT:
        print(f"error: TEXT: at most {MAX_TEXT} characters (got {len(text)})", file=sys.stderr)
        return 2
    lang, classes = language(text), list(latin_classes(text))
    if args.json:
        print(json.dumps({"language": lang, "nice_classes": classes}, ensure_ascii=False))
        return 0
    headings = nice_classes()
    print(f"language: {lang or 'unknown'}")
    for c in classes:
        heading = headings.get(c)
        print(f"class {c}: {heading.en_short if heading else ''}")
    if not classes:
        print("no goods class recognised (declare nice_classes in the listing)")
    return 0


def register(regional: Any) -> None:
    """Add `hufu regional foreign …` to the regional sub-commands."""
    from sync.cli import data_dir_argument

    group = regional.add_parser("foreign", help="foreign-language listings (外文商品): what was screened, "
                                                "and how a title is read",
                                description="Foreign-language listings (外文商品); docs/formats.md.")
    sub = group.add_subparsers(dest="foreign_cmd", required=True, metavar="COMMAND")
    p = sub.add_parser("listings", help="list the listings in other languages than Chinese with their leads",
                       description="List the listings in other languages than Chinese, newest first, with the "
                                   "goods classes read from their text and the leads found.")
    data_dir_argument(p, "regional")
    p.add_argument("--language", choices=LANGUAGES, help="only listings in this language (default: every non-Chinese one)")
    p.add_argument("--limit", type=int, default=100, help="how many (newest first; 1..10000, default 100)")
    p.add_argument("--json", action="store_true", help="one JSON object per listing")
    p.set_defaults(func=cmd_listings)
    p = sub.add_parser("classify", help="the language and goods classes read from a title (no node needed)",
                       description="Print the language of a text and the Nice classes its English or Spanish "
                                   "goods words point to.")
    p.add_argument("text", help="a listing's title (and description), at most 10,000 characters")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_classify)
