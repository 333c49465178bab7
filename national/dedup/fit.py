"""Fit the stored seller model: `python -m national.dedup.fit [--records 200000] [--seed 101] [--out PATH]`.

Small batches (and every incremental cycle on the national node) score pairs with a model fitted
once by EM on a large batch, not re-fitted per run: `national/dedup/seller_model.json`. This is
the script that makes it, so the file can be checked and re-made. It fits on records of
`national/bench/generate.py` only (never on the independent evaluation set, which stays unseen).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from national.dedup.config import seller_config

DEFAULT_OUT = Path(__file__).with_name("seller_model.json")


def fit(records: int, seed: int) -> dict[str, object]:
    """EM on `records` generated seller records; the model as stored (with its provenance)."""
    from national.bench.generate import generate
    from national.dedup.engine import resolve
    from national.dedup.table import build_table

    config = replace(seller_config(), model=None)
    rows = [record for record, _entity in generate(records, seed)]
    resolution = resolve(build_table(rows, config), config,
                         progress=lambda m: print(f"[fit] {m}", file=sys.stderr, flush=True))
    data = resolution.model.as_dict(records)
    data["source"] = (f"EM fit by national.dedup.engine on {records:,} records of national.bench.generate "
                      f"(seed {seed}); made by `python -m national.dedup.fit`")
    return data


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m national.dedup.fit", description=__doc__)
    parser.add_argument("--records", type=int, default=200_000, help="generated records to fit on (default 200,000)")
    parser.add_argument("--seed", type=int, default=101, help="generator seed (default 101)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the model JSON")
    args = parser.parse_args(argv)
    data = fit(args.records, args.seed)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
