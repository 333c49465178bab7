"""The demo's progress lines: what it still waits for, one short line per node (not one line of a dozen clauses)."""

from __future__ import annotations

from national.demo import waiting_lines


def test_waiting_items_are_grouped_per_node_in_short_lines() -> None:
    items = ["330000, 350000, 440000 to file the 2026-11 report", "440000 to screen 426 listing(s)",
             "440000 to push 127 record(s)", "national worker to unpack 44 filed lead(s)",
             "330000 to push 134 record(s)",
             "440000 to hold inclusion proofs under a witnessed national checkpoint for 40 of 40 capture(s)"]
    lines = waiting_lines(items, width=90)
    assert lines[0] == "  330000, 350000, 440000 to file the 2026-11 report"
    assert lines[1].startswith("  440000: screen 426 listing(s); push 127 record(s); hold inclusion")
    assert lines[2] == "  national worker: unpack 44 filed lead(s)"
    assert lines[3] == "  330000: push 134 record(s)"
    assert len(lines) == 4 and all(len(line) <= 90 for line in lines) and lines[1].endswith("…")


def test_an_item_without_a_subject_is_kept_as_it_is() -> None:
    assert waiting_lines(["the national node's first checkpoint"]) == ["  the national node's first checkpoint"]


def test_a_child_killed_by_a_signal_is_said_so_not_a_negative_exit_code() -> None:
    """newcomer14 F16: "exited with code -9" above an unrelated traceback read as if that had killed the node."""
    import subprocess
    import sys

    from national.demo import _ended

    proc = subprocess.Popen([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
    assert _ended(proc.wait()) == "was killed by signal 9 (SIGKILL)"
    assert _ended(3) == "exited with code 3"
