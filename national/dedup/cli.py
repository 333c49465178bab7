"""`hufu national dedup --entities E.jsonl --out C.jsonl [--config C.json]`: link entity records into clusters."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time

from national.dedup.config import ConfigError, LinkConfig, seller_config

MAX_ERRORS_SHOWN = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    parser.add_argument("--entities", required=True, help="input JSONL: {id, name, uscc?, phone?, address?, "
                                                          "shop_url?, region?} per line")
    parser.add_argument("--out", required=True, help="output JSONL: {id, cluster} per input id")
    parser.add_argument("--config", help="link configuration JSON (default: the seller configuration)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes for normalization (default: all cores)")
    parser.add_argument("--model-out", help="write the fitted match model (m, u, weights) as JSON here")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _log(quiet: bool, start: float):  # type: ignore[no-untyped-def]
    def show(message: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - start:7.1f}s] {message}", file=sys.stderr, flush=True)
    return show


def run(args: argparse.Namespace) -> int:
    """Read, link, write; 0 on success (bad lines are reported, not fatal), 1 when nothing can be done."""
    from national.dedup.engine import resolve  # numpy and friends only when the command runs
    from national.dedup.io import write_clusters
    from national.dedup.pipeline import load_table

    log = _log(args.quiet, time.perf_counter())
    try:
        config = seller_config()
        if args.config:
            with open(args.config, encoding="utf-8") as handle:
                config = LinkConfig.from_dict(json.load(handle))
    except (OSError, ValueError, ConfigError) as exc:
        print(f"hufu: cannot use link configuration {args.config}: {exc}", file=sys.stderr)
        return 1
    gc.disable()  # millions of small objects and no cycles: the collector would only rescan them
    try:
        try:
            loaded = load_table(args.entities, config, workers=args.workers)
        except OSError as exc:
            print(f"hufu: cannot read {args.entities}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        errors = sorted(loaded.errors, key=lambda e: e.line)
        for error in errors[:MAX_ERRORS_SHOWN]:
            print(f"hufu: {error}", file=sys.stderr)
        if len(errors) > MAX_ERRORS_SHOWN:
            print(f"hufu: ... and {len(errors) - MAX_ERRORS_SHOWN} more problems", file=sys.stderr)
        log(f"read and normalized {len(loaded.ids):,} records ({sum(e.skipped for e in errors)} lines skipped)")
        table = loaded.table
        resolution = resolve(table, config, progress=log)
        try:
            write_clusters(args.out, loaded.ids, resolution.labels)
        except OSError as exc:
            print(f"hufu: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        if args.model_out:
            with open(args.model_out, "w", encoding="utf-8") as handle:
                json.dump(resolution.model.as_dict(), handle, ensure_ascii=False, indent=1)
        log(f"wrote {len(loaded.ids):,} lines, {resolution.clusters:,} clusters to {args.out}")
    finally:
        gc.enable()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m national.dedup.cli`."""
    parser = argparse.ArgumentParser(prog="hufu national dedup", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
