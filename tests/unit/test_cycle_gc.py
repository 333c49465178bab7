"""A case-formation cycle runs with Python's cyclic garbage collector paused, and leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from national import node


def test_the_collector_is_paused_for_the_cycle_and_enabled_again_even_when_the_cycle_fails() -> None:
    assert gc.isenabled()
    with node._without_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), node._without_cyclic_gc():
        raise RuntimeError("the cycle failed")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_process_stays_disabled() -> None:
    gc.disable()
    try:
        with node._without_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
