"""`hufu bench cases` splits a cycle's wall time: on a CPU, waiting for one (the machine's load), blocked."""

from __future__ import annotations


def test_the_bench_splits_a_cycles_wall_time_into_cpu_runqueue_and_blocked() -> None:
    import time

    from national.bench.cases import _timed_split

    wall, cpu, result, split = _timed_split(lambda: time.sleep(0.3) or 7)  # asleep: blocked, not on a CPU
    assert result == 7 and wall >= 0.3 and cpu < 0.1
    if split["off_cpu_seconds"] is None:  # no scheduler statistics on this kernel
        return
    assert split["off_cpu_seconds"] >= 0.25
    assert split["runqueue_seconds"] is not None and 0 <= split["runqueue_seconds"] <= wall
    wall, cpu, _r, split = _timed_split(lambda: sum(range(3_000_000)))  # busy: on a CPU or waiting for one
    assert split["off_cpu_seconds"] is not None and split["off_cpu_seconds"] <= 0.05 + 0.1 * wall
