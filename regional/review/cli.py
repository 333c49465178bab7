"""`hufu regional …` commands of the officers' workflow: the queue, agencies, retraining and model rollback.

    hufu regional review list    --data-dir D [--state S] [--type T] [--limit N] [--after C | --before C] [--json]
    hufu regional review recount --data-dir D
    hufu regional agencies generate | import FILE | list   --data-dir D
    hufu regional retrain        --data-dir D [--model NAME] [--json]
    hufu regional model list     --data-dir D [--model NAME]
    hufu regional model rollback --data-dir D --model NAME [--to VERSION]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from regional import cli_support as cs


def _fail(message: str, code: int = 1) -> int:
    print(f"hufu: {message}", file=sys.stderr)
    return code


# ---------------------------------------------------------------- review


def cmd_review_list(args: argparse.Namespace) -> int:
    """Print one page of the review queue."""
    from regional.review import queue

    params = {k: v for k, v in (("state", args.state), ("type", args.type), ("source", args.source),
                                ("right", args.right), ("q", args.q)) if v}
    try:
        filters = queue.parse_filters(params)
        limit = queue.parse_limit(str(args.limit))
        config = cs.config(args)
        with cs.db(config).read() as session:
            page = queue.list_page(session, filters, queue.parse_sort(args.sort), limit, args.after,
                                   exact=args.exact_total, cap=config.review_count_cap, before=args.before)
    except queue.FilterError as exc:
        return _fail(str(exc), 2)
    if args.json:
        print(json.dumps({"leads": page.rows, "total": page.total, "total_exact": page.total_exact,
                          "next": page.next_cursor, "prev": page.prev_cursor}, ensure_ascii=False))
        return 0
    print(f"{'' if page.total_exact else 'more than '}{page.total} lead(s); showing {len(page.rows)}")
    for r in page.rows:
        print(f"{r['uuid']}  {r['score']:.2f}  {r['type']:<18} {r['right']:<20} {r['state']:<14} {r['title']}")
    if page.prev_cursor:
        print(f"previous page: --before {page.prev_cursor}")
    if page.next_cursor:
        print(f"next page: --after {page.next_cursor}")
    return 0


def cmd_review_recount(args: argparse.Namespace) -> int:
    """Rebuild the queue's lead counts from the leads (a repair; triggers keep them right)."""
    from regional.review import queue

    with cs.db(cs.config(args)).transaction() as session:
        counts = queue.recount(session)
    print(f"{sum(counts.values())} lead(s) in {len(counts)} (state, type, source) group(s)")
    return 0


# ---------------------------------------------------------------- agencies


def cmd_agencies_generate(args: argparse.Namespace) -> int:
    """Write the generated agency directory of this node's province."""
    from regional.actors import audit
    from regional.routing.directory import generate_for_province

    config = cs.config(args)
    actor = cs.actor(args)
    with cs.db(config).transaction() as session:
        added = generate_for_province(session, config.region, actor_name=actor.name, now=cs.now())
        audit(session, actor, "agencies_generated", cs.now(), province=config.region, added=added)
    print(f"{added} agency record(s) added for {config.region} (existing codes kept)")
    return 0


def cmd_agencies_import(args: argparse.Namespace) -> int:
    """Import an agency directory file (JSON Lines or CSV), all or nothing."""
    from regional.routing.directory import DirectoryError, import_file

    config = cs.config(args)
    try:
        with cs.db(config).transaction() as session:
            result = import_file(session, args.file, config.region, cs.actor(args), cs.now())
    except DirectoryError as exc:
        return _fail(f"{exc}; nothing was imported")
    print(f"{args.file}: {result.created} agency record(s) added, {result.updated} updated")
    return 0


def cmd_agencies_list(args: argparse.Namespace) -> int:
    """List the directory."""
    import sqlalchemy as sa

    from regional.workflow_models import AgencyRow

    with cs.db(cs.config(args)).read() as session:
        rows = list(session.scalars(sa.select(AgencyRow).order_by(AgencyRow.division, AgencyRow.code)))
    if args.json:
        for r in rows:
            print(json.dumps({"code": r.code, "name": r.name, "kind": r.kind.value, "level": r.level.value,
                              "division": r.division, "address": r.address, "contact": r.contact, "phone": r.phone,
                              "email": r.email, "active": r.active}, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r.code:<14} {r.level.value:<9} {r.kind.value:<18} {r.name}{'' if r.active else '  (inactive)'}")
    print(f"{len(rows)} agency record(s)")
    return 0


# ---------------------------------------------------------------- models


def cmd_retrain(args: argparse.Namespace) -> int:
    """Retrain the detection models on this node's judgements; promote only what does not do worse. A model whose
    judgements cannot give a held-out set large enough to compare on is refused before anything is fitted; when
    every model asked for is refused, the command fails (exit 1) saying so."""
    from regional.review.retrain import MIN_HELD_OUT, MIN_HELD_OUT_PER_LABEL, RetrainError, retrain

    config = cs.config(args)
    try:
        reports = retrain(cs.db(config), config.region, actor=cs.actor(args), now=cs.now(),
                          models=tuple(args.model or ()), cache_dir=config.data_dir / "models",
                          say=lambda m: print(m, file=sys.stderr), clock=cs.now)
    except RetrainError as exc:
        return _fail(str(exc), 2)
    for r in reports:
        verdict = "PROMOTED" if r.promoted else ("kept as candidate" if r.candidate else "not trained")
        held = r.candidate_metrics.get("f1"), r.current_metrics.get("f1")
        figures = f"held-out F1 {held[0]} vs current {r.current} {held[1]}" if r.candidate else f"current {r.current}"
        print(f"{r.model:<15} {verdict:<18} {r.candidate or '-':<34} node {r.node_train}+{r.node_held_out} "
              f"{figures}: {r.reason}", file=sys.stderr)
    if args.json:
        print(json.dumps({"models": [r.as_dict() for r in reports]}, ensure_ascii=False))
    if reports and all(r.refused for r in reports):
        return _fail(f"nothing was retrained: the node's judgements cannot give a held-out set to compare a new "
                     f"model on (at least {MIN_HELD_OUT} held-out judgements, {MIN_HELD_OUT_PER_LABEL} confirmed and "
                     f"{MIN_HELD_OUT_PER_LABEL} excluded, are needed; about a fifth of the judgements are held out) "
                     "— judge more leads first")
    return 0


def cmd_model_list(args: argparse.Namespace) -> int:
    """List every model version this node trained, and which is active."""
    from regional.detection.scoring import CURRENT_VERSIONS
    from regional.review.retrain import active_models, stored_outcome, versions
    from sync.times import beijing_text

    with cs.db(cs.config(args)).read() as session:
        rows = versions(session, args.model)
        active = {name: m.version for name, m in active_models(session).items()}
    for name, shipped in CURRENT_VERSIONS.items():
        if args.model and name != args.model:
            continue
        print(f"{name}: active {active.get(name, shipped)}{' (shipped)' if name not in active else ''}")
    for r in rows:
        f1 = (r.metrics.get("held_out_node") or {}).get("f1")
        outcome = stored_outcome(r)
        print(f"  {r.version:<36} {r.status.value:<10} trained {beijing_text(r.trained_at)[:16]} Beijing time by "
              f"{r.trained_by}; held-out F1 {f1}{': ' + outcome.english() if outcome else ''}")
    return 0


def cmd_model_rollback(args: argparse.Namespace) -> int:
    """Go back to the model version active before (or to --to VERSION, or 'shipped')."""
    from regional.review.retrain import RetrainError, rollback

    config = cs.config(args)
    try:
        done = rollback(cs.db(config), args.model, actor=cs.actor(args), now=cs.now(), to=args.to)
    except RetrainError as exc:
        return _fail(str(exc))
    print(f"{done.model}: {done.from_version} -> {done.to_version}; new listings are scored with {done.to_version}")
    return 0


# ---------------------------------------------------------------- registration


def register(regional: Any) -> None:
    """Add the workflow commands to the `hufu regional` sub-command parser."""
    from regional.detection.config import MODEL_NAMES
    from sync.cli import data_dir_argument

    def with_dir(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        data_dir_argument(p, "regional")
        p.add_argument("--actor", default="operator", help="who runs this (kept in the audit log as cli:NAME)")
        return p

    review = regional.add_parser("review", help="the review queue (人工判断)").add_subparsers(dest="review_cmd",
                                                                                          required=True)
    x = with_dir(review.add_parser("list", help="print a page of the review queue"))
    x.add_argument("--state", help="comma list of states (new, need_info, pending_review, confirmed, excluded) or all")
    x.add_argument("--type", help="comma list of lead types (trademark, counterfeit_patent, design, invention)")
    x.add_argument("--source", help="comma list of sources (ecommerce, exhibition, customs, complaint)")
    x.add_argument("--right", help="a right number")
    x.add_argument("--q", help="search words (title, seller, listing id)")
    x.add_argument("--sort", default="-score", help="-score (default), score, -created or created")
    x.add_argument("--limit", type=int, default=50, help="leads per page (1-200)")
    x.add_argument("--after", help="the cursor printed as 'next page' under the previous page")
    x.add_argument("--before", help="the cursor printed as 'previous page': read the page before this one")
    x.add_argument("--exact-total", action="store_true",
                   help="count every match (by default a total past review_count_cap matches, 20,000 unless the "
                        "node's settings say otherwise, is printed as 'more than N')")
    x.add_argument("--json", action="store_true", help="print the page as one JSON object")
    x.set_defaults(func=cmd_review_list)
    x = with_dir(review.add_parser("recount", help="rebuild the queue's lead counts from the leads (repair)"))
    x.set_defaults(func=cmd_review_recount)

    agencies = regional.add_parser("agencies", help="the agency directory (routing 推送)").add_subparsers(
        dest="agencies_cmd", required=True)
    x = with_dir(agencies.add_parser("generate", help="add the generated directory of this node's province"))
    x.set_defaults(func=cmd_agencies_generate)
    x = with_dir(agencies.add_parser("import", help="import agencies from a JSON Lines or CSV file (all or nothing)"))
    x.add_argument("file", type=Path, help="the directory file (docs/officers.md describes the fields)")
    x.set_defaults(func=cmd_agencies_import)
    x = with_dir(agencies.add_parser("list", help="list the directory"))
    x.add_argument("--json", action="store_true", help="one JSON object per agency (the import format)")
    x.set_defaults(func=cmd_agencies_list)

    x = with_dir(regional.add_parser("retrain", help="retrain the detection models on this node's judgements"))
    x.add_argument("--model", action="append", choices=MODEL_NAMES, help="only this model (repeatable)")
    x.add_argument("--json", action="store_true", help="print one JSON line with every model's report last")
    x.set_defaults(func=cmd_retrain)

    model = regional.add_parser("model", help="detection model versions of this node").add_subparsers(
        dest="model_cmd", required=True)
    x = with_dir(model.add_parser("list", help="list the model versions and the active one"))
    x.add_argument("--model", choices=MODEL_NAMES, help="only this model")
    x.set_defaults(func=cmd_model_list)
    x = with_dir(model.add_parser("rollback", help="go back to the version active before"))
    x.add_argument("--model", required=True, choices=MODEL_NAMES, help="which model")
    x.add_argument("--to", help="a stored version, or 'shipped' (default: the version active before)")
    x.set_defaults(func=cmd_model_rollback)
