"""The peer: Splink with DuckDB on the same records and the same normalizers (optional `bench` extra).

Run as `python -m national.bench.splink_peer --entities E.jsonl --out C.jsonl`; it writes the
same `{"id", "cluster"}` lines as `hufu national dedup`.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from national.dedup.config import seller_config
from national.dedup.io import read_entities, write_clusters
from national.dedup.table import ProcessMapper, build_table


def available() -> bool:
    """Are splink and duckdb importable?"""
    try:
        import duckdb  # noqa: F401
        import splink  # noqa: F401
    except ImportError:
        return False
    return True


def _columns(table, n: int) -> dict[str, list[object]]:  # type: ignore[no-untyped-def]
    def values(field: str, part: str = "value") -> list[object]:
        col = table.column(field, part)
        vocab = col.vocab
        return [vocab[i] if i >= 0 else None for i in col.ids.tolist()]

    return {"unique_id": list(range(n)), "name_core": values("name", "core"), "name_brand": values("name", "brand"),
            "uscc": values("uscc"), "phone": values("phone"), "county": values("address", "county"),
            "prefecture": values("address", "prefecture"), "street": values("address", "street"),
            "shop": values("shop_url")}


def run_splink(path: str, out: str, threshold: float = 0.95, log=print) -> int:  # type: ignore[no-untyped-def]
    """Normalize with our normalizers, link and cluster with Splink on DuckDB, write clusters."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    start = time.perf_counter()
    loaded = read_entities(path)
    mapper = ProcessMapper(2)
    try:
        table = build_table(loaded.records, seller_config(), mapper)
    finally:
        mapper.close()
    log(f"[peer {time.perf_counter() - start:6.1f}s] normalized {table.size:,} records")
    db = DuckDBAPI()
    df = db.register(_columns(table, table.size), table_name="entities")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_core", [0.9, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("uscc", [2]),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("county"),
            cl.JaroWinklerAtThresholds("street", [0.9]),
            cl.ExactMatch("shop").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("uscc"), block_on("phone"), block_on("shop"), block_on("name_core"),
            block_on("prefecture", "substr(name_core, 1, 2)"), block_on("county", "street"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(df, settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("uscc"), block_on("shop")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in (block_on("name_core"), block_on("uscc"), block_on("phone")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    log(f"[peer {time.perf_counter() - start:6.1f}s] trained")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    frame = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchnumpy()
    labels = np.arange(table.size, dtype=np.int64)
    uid = np.asarray(frame["unique_id"], dtype=np.int64)
    cid = np.asarray(frame["cluster_id"])
    _, first_of = np.unique(cid, return_inverse=True)
    rep = np.full(first_of.max(initial=-1) + 1, table.size, dtype=np.int64)
    np.minimum.at(rep, first_of, uid)
    labels[uid] = rep[first_of]
    write_clusters(out, loaded.ids, labels)
    log(f"[peer {time.perf_counter() - start:6.1f}s] clustered and written")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m national.bench.splink_peer")
    parser.add_argument("--entities", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if not available():
        print("splink/duckdb not installed (pip install 'hufu[bench]')", file=sys.stderr)
        return 3
    return run_splink(args.entities, args.out, log=lambda m: print(m, file=sys.stderr, flush=True))


if __name__ == "__main__":
    sys.exit(main())
