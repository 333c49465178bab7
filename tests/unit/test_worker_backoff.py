"""The regional worker's evidence witnessing backs off while the national node is down (the newcomer saw a warning
every second), and is back at its normal pace after one success."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from regional import node
from regional.config import RegionalConfig


class _Down(ValueError):
    pass


def test_witnessing_backs_off_after_failures_and_resets_after_a_success(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from regional.evidence import witness

    calls: list[int] = []
    outcome: dict[str, Any] = {"fail": True}

    class _Result:
        proved = uploaded = refused = 0

    def run_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if outcome["fail"]:
            raise _Down("national node unreachable")
        return _Result()

    clock = {"t": 1000.0}
    monkeypatch.setattr(witness, "run_once", run_once)
    monkeypatch.setattr(node, "signer", lambda config: type("S", (), {"key": None})())
    monkeypatch.setattr(node.time, "monotonic", lambda: clock["t"])
    monkeypatch.setattr(node.random, "random", lambda: 0.5)
    worker = node.Worker(RegionalConfig(data_dir=tmp_path, region="440000"), db=None,  # type: ignore[arg-type]
                         channel=object())  # type: ignore[arg-type]
    assert worker.evidence() is None and len(calls) == 1
    for _ in range(9):  # the scheduler's next ticks: no attempt while backing off (1.0 s after one failure)
        clock["t"] += 0.1
        assert worker.evidence() is None
    assert len(calls) == 1 and worker.evidence_backoff.failures == 1
    clock["t"] += 60
    worker.evidence()
    assert len(calls) == 2 and worker.evidence_backoff.failures == 2
    delay_after_two = worker.evidence_backoff.not_before - clock["t"]
    assert delay_after_two == pytest.approx(0.5 * 4.0), "full jitter over base * 2**failures"
    outcome["fail"] = False
    clock["t"] += 60
    assert worker.evidence() is not None and worker.evidence_backoff.failures == 0
    clock["t"] += 0.1
    worker.evidence()
    assert len(calls) == 4, "after a success the next tick tries again at once"
