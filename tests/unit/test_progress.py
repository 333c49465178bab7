"""Progress of long CLI jobs: silent when short, a line every few seconds in a log, always the last update."""

from __future__ import annotations

import io

from sync.progress import ProgressPrinter


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_short_job_prints_nothing() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter("screening", stream=out, clock=clock)
    for done in range(0, 5001, 1000):
        clock.t += 0.1
        show(done, 5000)
    assert out.getvalue() == ""


def test_a_long_job_in_a_log_prints_a_line_every_few_seconds_and_the_end() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter("screening", stream=out, clock=clock, every_s=5.0)
    for done in range(1000, 100_001, 1000):  # 100 updates, one a second
        clock.t += 1.0
        show(done, 100_000)
    lines = out.getvalue().splitlines()
    assert 15 <= len(lines) <= 25
    assert lines[0].startswith("screening: 2,000/100,000 (2%")
    assert "left" in lines[1]
    assert lines[-1] == "screening: 100,000/100,000 (100%)"


def test_phases_are_labelled_and_reading_counts_mebibytes() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter("importing l.jsonl", stream=out, clock=clock, after_s=0)
    show.phased("reading", 0, 50 << 20)
    clock.t += 10
    show.phased("reading", 50 << 20, 50 << 20)
    show.phased("reading", 50 << 20, 50 << 20)  # the same final update twice is printed once
    show.phased("storing", 300, 300)
    assert out.getvalue().splitlines() == [
        "importing l.jsonl (reading): 0.0/50.0 MiB (0%)",
        "importing l.jsonl (reading): 50.0/50.0 MiB (100%)",
        "importing l.jsonl (storing): 300/300 (100%)",
    ]
