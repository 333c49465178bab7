"""CPU seconds per stage of one in-process dedup run (`hufu bench dedup --stages` runs this in child processes).

`python -m national.bench.dedup_stages --records N --seed S [--set generated|independent|independent2|independent3|independent4|independent5|independent6]`
generates the records (not timed), then normalizes them into a table and resolves it, charging each stage's process
time (`national.dedup.engine.StageClock`: normalization per field — the first use of the shipped tables included —,
blocking, comparison levels, model, weights, record facts, edges, linking, labels); prints one JSON line.
A fresh process per run, so one-time costs (place and pinyin tables) count as they do in `hufu national dedup`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any


def rows_of(set_name: str, records: int, seed: int) -> list[Any]:
    """The records of one run: `records` generated records, or one seed of an independent set (`records` sellers)."""
    if set_name == "generated":
        from national.bench.generate import generate

        return [r for r, _ in generate(records, seed)]
    if set_name == "independent":
        from national.bench.independent import independent_sellers

        return [r for r, _ in independent_sellers(records, seed)]
    if set_name == "independent3":
        from national.bench.independent3 import independent3_sellers

        return [r for r, _ in independent3_sellers(records, seed)]
    if set_name == "independent4":
        from national.bench.independent4 import independent4_sellers

        return [r for r, _ in independent4_sellers(records, seed)]
    if set_name == "independent5":
        from national.bench.independent5 import independent5_sellers

        return [r for r, _ in independent5_sellers(records, seed)]
    if set_name == "independent6":
        from national.bench.independent6 import independent6_sellers

        return [r for r, _ in independent6_sellers(records, seed)]
    from national.bench.independent2 import independent2_sellers

    return [r for r, _ in independent2_sellers(records, seed)]


def main(argv: list[str] | None = None) -> int:
    """Time one run; print {"records", "stages": {stage: CPU s}, "cpu_seconds", "wall_seconds", "load"}."""
    parser = argparse.ArgumentParser(prog="python -m national.bench.dedup_stages", description=__doc__)
    parser.add_argument("--records", type=int, default=50_000, help="generated records, or sellers of an "
                                                                    "independent set (default 50,000)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--set", choices=("generated", "independent", "independent2", "independent3", "independent4",
                                          "independent5", "independent6"),
                        default="generated",
                        help="which data (default generated)")
    args = parser.parse_args(argv)
    rows = rows_of(args.set, args.records, args.seed)
    from national.dedup.config import seller_config
    from national.dedup.engine import StageClock, resolve
    from national.dedup.table import build_table

    config = seller_config()
    wall = time.perf_counter()
    clock = StageClock()
    table = build_table(rows, config, clock=clock)
    resolution = resolve(table, config, clock=clock)
    wall = time.perf_counter() - wall
    stages = {k: round(v, 3) for k, v in clock.seconds.items()}
    print(json.dumps({"records": len(rows), "clusters": resolution.clusters, "stages": stages,
                      "cpu_seconds": round(sum(clock.seconds.values()), 3), "wall_seconds": round(wall, 3),
                      "load": round(os.getloadavg()[0], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
