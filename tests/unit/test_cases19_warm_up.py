"""A worker imports and loads what a case-formation cycle needs before its first cycle (issue 12, session 19)."""

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
