"""The dedup peer: Splink 5 on DuckDB with its own normalisation and a model trained once (`bench` extra).

    python -m national.bench.splink_peer --train --entities TRAIN.jsonl --model M.json [--stats S.json]
    python -m national.bench.splink_peer --entities E.jsonl --model M.json --out C.jsonl [--stats S.json]

`--train` fits the model on a training file (u by random sampling, EM on three blocking rules, the
prior from two deterministic rules) and saves Splink's model JSON (settings with the trained
parameters); a sidecar `M.json.meta.json` keeps the training records' count and time. A run loads
that model and only predicts and clusters; it writes the same `{"id", "cluster"}` lines as
`hufu national dedup`. `--stats` writes the stage times (wall and CPU seconds) as one JSON object.

What a competent engineer using Splink would do, and nothing of Hufu's: records are read with plain
`json` and normalised by `national/bench/peer_normalize.py` (imports nothing from `national.dedup`).
Blocking keys whose value occurs more than `--max-block` times (default 60, the same per-block budget
as Hufu's engine: at most 1,770 pairs per value) are nulled before blocking, so a logistics agent's
phone or a business park's address cannot explode into millions of pairs; the comparison columns
keep every value. The prior P(match) is the only parameter that depends on the data set's size;
it is rescaled from the training set's record count to the evaluated one's ((n_train-1)/(n-1),
which keeps the expected number of matching pairs per record).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

PEER_VERSION = 2  # bump when the normalisation or the settings change: a kept model of another version is retrained
THRESHOLD = 0.95
MAX_BLOCK = 60
# Blocking keys: (column, source columns, how many leading characters of the last source).
BLOCK_KEYS = {
    "bk_uscc": ("uscc",), "bk_phone": ("phone",), "bk_shop": ("shop",), "bk_name": ("name_core",),
    "bk_city_name2": ("city", "name_core"), "bk_district_street": ("district", "street"),
}


def available() -> bool:
    """Are splink and duckdb importable?"""
    try:
        import duckdb  # noqa: F401
        import splink  # noqa: F401
    except ImportError:
        return False
    return True


class Clock:
    """Wall and process CPU seconds (DuckDB's threads included) of named stages."""

    def __init__(self) -> None:
        self.stats: dict[str, Any] = {}
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def lap(self, stage: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.stats[f"{stage}_seconds"] = round(wall - self._wall, 3)
        self.stats[f"{stage}_cpu_seconds"] = round(cpu - self._cpu, 3)
        self._wall, self._cpu = wall, cpu


def read_records(path: str) -> tuple[list[str], list[dict[str, object]]]:
    """Ids and records of a JSON-lines file; a line that is not an object with an id is skipped."""
    ids: list[str] = []
    records: list[dict[str, object]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and obj.get("id") not in (None, ""):
                ids.append(str(obj["id"]))
                records.append(obj)
    return ids, records


def columns(records: list[dict[str, object]], max_block: int = MAX_BLOCK) -> tuple[dict[str, list[Any]], dict[str, int]]:
    """The peer's columns plus capped blocking keys; per key, how many values were over the cap."""
    from national.bench.peer_normalize import COLUMNS, normalise

    rows = [normalise(r) for r in records]
    data: dict[str, list[Any]] = {"unique_id": list(range(len(rows)))}
    for name in COLUMNS:
        data[name] = [row[name] for row in rows]
    capped: dict[str, int] = {}
    for key, sources in BLOCK_KEYS.items():
        if len(sources) == 1:
            values = list(data[sources[0]])
        else:
            first, last = data[sources[0]], data[sources[1]]
            width = 2 if sources[1] == "name_core" else None
            values = [f"{a}|{b[:width] if width else b}" if a and b else None for a, b in zip(first, last, strict=True)]
        counts = Counter(v for v in values if v is not None)
        over = {v for v, c in counts.items() if c > max_block}
        capped[key] = len(over)
        data[key] = [None if v in over else v for v in values] if over else values
    return data, capped


def settings() -> Any:
    """The model's comparisons and blocking rules (before training)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.Or(cll.NullLevel("city"), cll.NullLevel("district")),
            cll.And(cll.ExactMatchLevel("city"), cll.ExactMatchLevel("district")).configure(label_for_charts="same district"),
            cll.ExactMatchLevel("city").configure(label_for_charts="same city"),
            cll.ElseLevel(),
        ])
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_core", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("uscc", [2]),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            place,
            # TF on the street too: a business park's address is shared by many unrelated firms
            cl.JaroWinklerAtThresholds("street", [0.9]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("shop").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[block_on(key) for key in BLOCK_KEYS],
        retain_intermediate_calculation_columns=False,
    )


def train(entities: str, model: str, max_block: int = MAX_BLOCK, log=print) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Fit the model on `entities` and save Splink's model JSON to `model`; the stage times."""
    from splink import Linker, block_on
    from splink.backends.duckdb import DuckDBAPI

    clock = Clock()
    ids, records = read_records(entities)
    clock.lap("read")
    data, capped = columns(records, max_block)
    clock.lap("normalise")
    linker = Linker(DuckDBAPI().register(data, table_name="train"), settings(), log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("uscc"), block_on("shop")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in ("bk_name", "bk_uscc", "bk_phone"):
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
    linker.misc.save_model_to_json(model, overwrite=True)
    clock.lap("train")
    stats = {"version": PEER_VERSION, "records": len(ids), "max_block": max_block, "capped_values": capped, **clock.stats}
    Path(model + ".meta.json").write_text(json.dumps(stats), encoding="utf-8")
    log(f"[peer] trained on {len(ids):,} records in {stats['train_seconds']:.1f} s "
        f"({stats['train_cpu_seconds']:.1f} CPU s); model {model}")
    return stats


def load_model(model: str, records: int) -> dict[str, Any]:
    """The saved model with its prior rescaled from the training set's size to `records`."""
    settings_dict = json.loads(Path(model).read_text(encoding="utf-8"))
    meta = json.loads(Path(model + ".meta.json").read_text(encoding="utf-8"))
    prior = float(settings_dict["probability_two_random_records_match"])
    if records > 1:
        prior = prior * (int(meta["records"]) - 1) / (records - 1)
    settings_dict["probability_two_random_records_match"] = min(prior, 0.5)
    return settings_dict


def run_splink(path: str, out: str, model: str, threshold: float = THRESHOLD, max_block: int = MAX_BLOCK,
               log=print) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Normalise with the peer's own rules, predict and cluster with the trained model, write clusters."""
    import numpy as np
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI

    clock = Clock()
    ids, records = read_records(path)
    clock.lap("read")
    data, capped = columns(records, max_block)
    n = len(ids)
    del records
    clock.lap("normalise")
    linker = Linker(DuckDBAPI().register(data, table_name="entities"), load_model(model, n), log_level="WARNING")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clock.lap("predict")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    frame = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchnumpy()
    clock.lap("cluster")
    labels = np.arange(n, dtype=np.int64)
    uid = np.asarray(frame["unique_id"], dtype=np.int64)
    _, first_of = np.unique(np.asarray(frame["cluster_id"]), return_inverse=True)
    rep = np.full(first_of.max(initial=-1) + 1, n, dtype=np.int64)
    np.minimum.at(rep, first_of, uid)
    labels[uid] = rep[first_of]
    with open(out, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"id": rid, "cluster": ids[label]}) + "\n" for rid, label in
                          zip(ids, labels.tolist(), strict=True))
    clock.lap("write")
    stats = {"records": n, "max_block": max_block, "capped_values": capped, **clock.stats}
    log(f"[peer] {n:,} records: normalise {stats['normalise_seconds']:.1f} s, predict {stats['predict_seconds']:.1f}"
        f" s, cluster {stats['cluster_seconds']:.1f} s; block keys over {max_block} records nulled: {capped}")
    return stats


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m national.bench.splink_peer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", required=True, help="JSON lines of seller records (id, name, uscc, ...)")
    parser.add_argument("--model", required=True, help="Splink model JSON: written by --train, read otherwise")
    parser.add_argument("--train", action="store_true", help="fit the model on --entities and save it")
    parser.add_argument("--out", help="clusters output, one {\"id\", \"cluster\"} line per record (not with --train)")
    parser.add_argument("--stats", help="write the stage times (wall and CPU seconds) here as JSON")
    parser.add_argument("--max-block", type=int, default=MAX_BLOCK,
                        help=f"null blocking-key values shared by more records than this (default {MAX_BLOCK})")
    args = parser.parse_args(argv)
    if not available():
        print("splink/duckdb not installed: `make test` installs them into .venv, or pip install -e '.[bench]'",
              file=sys.stderr)
        return 3
    if not args.train and not args.out:
        parser.error("--out is required unless --train")
    if not os.path.exists(args.entities):
        print(f"{args.entities}: no such file", file=sys.stderr)
        return 2
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    if args.train:
        stats = train(args.entities, args.model, args.max_block, log)
    else:
        if not os.path.exists(args.model) or not os.path.exists(args.model + ".meta.json"):
            print(f"{args.model}: no trained model (run with --train first)", file=sys.stderr)
            return 2
        stats = run_splink(args.entities, args.out, args.model, max_block=args.max_block, log=log)
    if args.stats:
        Path(args.stats).write_text(json.dumps(stats), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
