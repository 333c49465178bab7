"""Progress of long CLI jobs on stderr: a redrawn bar on a terminal, a line every few seconds in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class ProgressPrinter:
    """Prints `label: done/total (pct) …` for one or more phases, throttled.

    Nothing is printed for the first `after_s` seconds: a short job stays silent.
    On a terminal the line is redrawn at most 10 times a second; otherwise (a log, a pipe) a
    line is printed at most every `every_s` seconds, so a long run shows it is alive without
    flooding the log. The last update of a phase is always printed.
    """

    def __init__(self, label: str, *, stream: TextIO | None = None, every_s: float = 5.0, after_s: float = 1.5,
                 unit: str = "", clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every_s = 0.1 if self.tty else every_s
        self.unit = unit
        self.clock = clock
        self.started = clock()
        self.quiet_until = self.started + after_s  # a job done sooner than this prints nothing
        self.last = float("-inf")
        self.phase: str | None = None
        self.open_line = False
        self.shown = False
        self.printed: tuple[str | None, int, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        self.update(None, done, total)

    def phased(self, phase: str, done: int, total: int) -> None:
        """Update a named phase (`reading`, `storing`, …)."""
        self.update(phase, done, total)

    def update(self, phase: str | None, done: int, total: int) -> None:
        now = self.clock()
        if phase != self.phase:
            self._end_line()
            self.phase = phase
            self.started = now
            self.last = float("-inf")
        finished = total > 0 and done >= total
        if now < self.quiet_until and not self.shown:
            return
        if not finished and now - self.last < self.every_s:
            return
        self.shown = True
        if finished and self.printed == (phase, done, total):
            return
        self.last = now
        self.printed = (phase, done, total)
        text = self._text(phase, done, total, now - self.started)
        if self.tty:
            pct = 100 * done // total if total else 100
            bar = "#" * (pct // 4)
            print(f"\r{text} [{bar:<25}]", end="", file=self.stream, flush=True)
            self.open_line = True
            if finished:
                self._end_line()
        else:
            print(text, file=self.stream, flush=True)

    def _text(self, phase: str | None, done: int, total: int, elapsed: float) -> str:
        label = f"{self.label} ({phase})" if phase else self.label
        if phase == "reading" or self.unit == "bytes":
            amount = f"{_mib(done)}/{_mib(total)} MiB"
        else:
            amount = f"{done:,}/{total:,}"
        # floored: 99.6 % is not yet done (rounded, the line before the last said "100%" too)
        pct = f"{100 * done // total}%" if total else "100%"
        eta = ""
        if 0 < done < total and elapsed >= 1:
            remaining = elapsed * (total - done) / done
            eta = f", about {_duration(remaining)} left"
        return f"{label}: {amount} ({pct}{eta})"

    def _end_line(self) -> None:
        if self.open_line:
            print(file=self.stream, flush=True)
            self.open_line = False

    def close(self) -> None:
        """End a redrawn line (call when the job stops early)."""
        self._end_line()


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
