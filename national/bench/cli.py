"""`hufu bench NAME [options]`: the benchmarks, each running its fair baseline in the same run.

To add one, give its module `add_arguments(parser)` and `run(args) -> int` and list it in BENCHES.
"""

from __future__ import annotations

import argparse
import importlib

BENCHES = {
    "sync": ("national.bench.sync", "leads pushed over mutual TLS vs a bare insert baseline"),
    "evidence": ("national.bench.evidence", "captures/s with proofs vs signed manifests; proofs at 10M leaves vs a hash chain"),
    "dedup": ("national.bench.dedup", "entity resolution at 1M records vs exact-key baseline and Splink"),
    "detect": ("regional.bench.detect", "detection engine vs hash-keyed peer and class-prefiltered brute force"),
    "cases": ("national.bench.cases", "case-formation cycle after 10k new leads at 100k-1M stored leads vs "
                                      "the full re-resolve"),
    "review": ("regional.bench.review", "review-queue list and filter queries at 1M leads, SQLite and PostgreSQL, "
                                        "vs OFFSET/COUNT/LIKE on the same indexes"),
    "dashboard": ("national.bench.dashboard", "national dashboard at 1M leads from the count cube vs GROUP BY scans"),
    "exhibits": ("regional.bench.exhibits", "pre-show screening of filed exhibits vs the generic listings import and "
                                            "screening of the same records"),
}


def bench_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one benchmark's own options."""
    module_name, help_ = BENCHES[name]
    parser = argparse.ArgumentParser(prog=f"hufu bench {name}", description=help_)
    importlib.import_module(module_name).add_arguments(parser)
    return parser


def cmd_bench(args: argparse.Namespace) -> int:
    """Run one benchmark: `hufu bench NAME [--json] [options]`."""
    module = importlib.import_module(BENCHES[args.name][0])
    return int(module.run(bench_parser(args.name).parse_args(args.rest)))


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `hufu bench …` to the `hufu` parser."""
    listing = "; ".join(f"{name}: {help_}" for name, (_, help_) in sorted(BENCHES.items()))
    x = subparsers.add_parser("bench", help="benchmarks (each runs its baseline in the same run)",
                              description=f"Benchmarks. {listing}. `hufu bench NAME --help` lists NAME's options.")
    x.add_argument("name", choices=sorted(BENCHES), help="which benchmark to run")
    x.add_argument("rest", nargs=argparse.REMAINDER, metavar="OPTIONS",
                   help="options of that benchmark (--json, …; see `hufu bench NAME --help`)")
    x.set_defaults(func=cmd_bench)
