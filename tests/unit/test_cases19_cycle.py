"""A worker imports and loads what a case-formation cycle needs before its first cycle; the keys of new records are written in (key, lead) order (issue 12, session 19)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from national import node
assert "national.entities" not in sys.modules and "numpy" not in sys.modules, "imported before the warm-up"
node.warm_up_cycle()
from national import entities
from national.dedup import divisions
assert {"numpy", "national.entities", "national.feed", "national.casework", "national.dedup.incremental",
        "national.dedup.compare"} <= set(sys.modules)
assert entities.config.cache_info().currsize == 1 and divisions.division_index.cache_info().currsize == 1
print("warm")
"""


def test_the_warm_up_imports_the_cycles_modules_and_loads_its_model_and_divisions() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "warm"


def test_the_worker_warms_up_before_its_scheduler_starts() -> None:
    import inspect

    from national import node

    body = inspect.getsource(node.run_worker)
    assert body.index("warm_up_cycle()") < body.index("scheduler.start()")


def test_the_key_rows_are_the_sorted_key_lead_pairs() -> None:
    import random

    from national.entities import _key_rows

    rng = random.Random(19)
    keys = [[rng.getrandbits(64) - 2 ** 63 for _ in range(rng.randint(0, 9))] for _ in range(500)]
    keys[3] = [-2 ** 63, 2 ** 63 - 1, 0]  # the ends of the signed 64-bit range
    keys[7] = list(keys[3])  # the same keys on another lead: ordered by lead id
    ids = sorted(rng.sample(range(1, 10 ** 9), len(keys)), reverse=True)
    assert _key_rows(keys, ids) == sorted((k, ids[i]) for i, ks in enumerate(keys) for k in ks)
    assert _key_rows([], []) == [] and _key_rows([[]], [5]) == []
