"""`hufu bench detect`'s real-world sets come from one table (regional/bench/detect.py REAL_WORLD_SETS): the summary keeps
every key it had before the table (same names, same order, same figures) and adds the twelfth to sixteenth
sets'; the report prints one table per set in the same layout. The engine is not run here: fake results stand for `independent()`'s."""

from __future__ import annotations

from typing import Any

from regional.bench import realworld
from regional.bench.detect import REAL_WORLD_SETS, real_world_lines, real_world_summary

# The summary keys of the real-world sets before they were table-driven (main 89471e7), in their order.
KEYS_BEFORE = ["independent_recall", "independent_fpr", "independent_alerts_per_listing", "peer_independent_recall",
               "prefilter_independent_recall",
               "attack_recall", "attack_fpr", "peer_attack_recall", "prefilter_attack_recall",
               "attack2_recall", "attack2_fpr", "peer_attack2_recall",
               "attack3_recall", "attack3_fpr", "attack3_alerts_per_listing", "peer_attack3_recall",
               "attack11_recall", "attack11_fpr", "attack11_alerts_per_listing", "peer_attack11_recall",
               "prefilter_attack11_recall"]
ATTACK12_KEYS = ["attack12_recall", "attack12_fpr", "attack12_alerts_per_listing", "peer_attack12_recall",
                 "prefilter_attack12_recall"]
ATTACK13_KEYS = ["attack13_recall", "attack13_fpr", "attack13_alerts_per_listing", "peer_attack13_recall",
                 "prefilter_attack13_recall"]
ATTACK14_KEYS = ["attack14_recall", "attack14_fpr", "attack14_alerts_per_listing", "peer_attack14_recall",
                 "prefilter_attack14_recall"]
ATTACK15_KEYS = ["attack15_recall", "attack15_fpr", "attack15_alerts_per_listing", "peer_attack15_recall",
                 "prefilter_attack15_recall"]
ATTACK16_KEYS = ["attack16_recall", "attack16_fpr", "attack16_alerts_per_listing", "peer_attack16_recall",
                 "prefilter_attack16_recall"]


def _fake(n: int) -> dict[str, Any]:
    """A stand-in for `independent()`'s result whose every figure names its set (n) and its source."""
    def figures(base: float) -> dict[str, Any]:
        return {"recall": base + 0.1, "precision": base + 0.2, "fpr": base + 0.3, "alerts_per_listing": base + 0.4,
                "misses": [f"miss{n}"]}
    return {"hufu": {"all": figures(n), "glyph": {"cases": 3, "hits": 2, "false_leads": 0, "recall": 0.6667},
                     "negative_word": {"cases": 2, "false_leads": 1}},
            "peer": figures(n + 10), "prefilter": figures(n + 20)}


def test_the_summary_keeps_every_key_and_figure_it_had_and_adds_the_newer_sets() -> None:
    results = {one.key: _fake(k) for k, one in enumerate(REAL_WORLD_SETS)}
    summary = real_world_summary(results)
    assert list(summary) == KEYS_BEFORE + ATTACK12_KEYS + ATTACK13_KEYS + ATTACK14_KEYS + ATTACK15_KEYS + ATTACK16_KEYS
    for one in REAL_WORLD_SETS:
        result = results[one.key]
        for figure in ("recall", "fpr", "alerts_per_listing"):
            if f"{one.key}_{figure}" in summary:
                assert summary[f"{one.key}_{figure}"] == result["hufu"]["all"][figure]
        for baseline in ("peer", "prefilter"):
            if f"{baseline}_{one.key}_recall" in summary:
                assert summary[f"{baseline}_{one.key}_recall"] == result[baseline]["recall"]
    assert summary["attack3_alerts_per_listing"] == 3.4 and summary["prefilter_attack_recall"] == 21.1

def test_every_set_of_the_table_names_a_fixture_that_loads() -> None:
    assert [one.key for one in REAL_WORLD_SETS] == ["independent", "attack", "attack2", "attack3", "attack11",
                                                     "attack12", "attack13", "attack14", "attack15",
                                                     "attack16"]
    for one in REAL_WORLD_SETS:
        rights, cases = realworld.load(getattr(realworld, one.fixture))
        assert rights and any(c["infringing"] for c in cases) and any(not c["infringing"] for c in cases)


def test_the_report_prints_one_table_per_set_in_the_old_layout() -> None:
    details = {one.key: _fake(k) for k, one in enumerate(REAL_WORLD_SETS)}
    lines = real_world_lines(details)
    headers = [k for k, line in enumerate(lines) if line.rstrip().endswith("alerts/listing")]
    assert len(headers) == len(REAL_WORLD_SETS) and headers[0] == 0  # the first table opens the block
    assert all(lines[k - 1] == "" for k in headers[1:])  # the others follow a blank line
    for k, one in zip(headers, REAL_WORLD_SETS, strict=True):
        assert lines[k].startswith(one.title)
        assert lines[k + 1].startswith("Hufu") and lines[k + 2].startswith("(a) hash-keyed peer")
        assert lines[k + 3].startswith("(b) prefiltered brute force")
        assert lines[k + 4] == "Hufu per style: glyph 2/3, negative_word 1 false"
        assert lines[k + 5] == f"Hufu misses: ['miss{REAL_WORLD_SETS.index(one)}']"
    last = len(REAL_WORLD_SETS) - 1  # the last set's figures are its index + 0.1 … 0.4
    assert lines[headers[-1] + 1] == f"{'Hufu':<28}{last + 0.1:>8.4f}{last + 0.2:>11.4f}{last + 0.3:>7.4f}{last + 0.4:>16.4f}"
