"""The trademark index, built with the collector paused, leaves the build in the collector's oldest generation: the
first batches screened after a build do not walk the whole index as young objects (issue 12, session 18)."""

from __future__ import annotations

import gc

from regional.detection import trademark as tm
from regional.detection.scoring import load_model
from regional.domain import Right, RightKind


def _rights(count: int) -> list[Right]:
    chars = "洽治冶沽拾己已巳日曰目自白百王玉主行长乐重还大太犬天夫人入八力刀康师傅华为美"
    texts = [chars[k % 37] + chars[k // 37 % 37] + chars[k // 1369 % 37] for k in range(count)]
    return [Right(RightKind.TRADEMARK, f"TM-{k}", t, "某某公司", "registered", (25,)) for k, t in enumerate(texts)]


def _young_ids() -> set[int]:
    return {id(o) for generation in (0, 1) for o in gc.get_objects(generation)}


def test_the_index_is_in_the_oldest_generation_after_the_build() -> None:
    model = load_model(tm.MODEL_NAME)
    rights = _rights(3000)
    gc.disable()  # no collection may move anything between the build and the look (one would, at this count)
    try:
        detector = tm.TrademarkDetector(rights, model=model)
        young = _young_ids()
        marks = [m for m in detector._marks]
        assert len(marks) >= 2900
        assert not any(id(m) in young for m in marks)
        assert not any(id(m.rights) in young for m in marks)
        assert id(detector._by_text) not in young
        assert gc.get_count()[0] < 700  # nothing counted towards the next young collection
    finally:
        gc.enable()


def test_a_caller_s_freeze_is_left_alone() -> None:
    model = load_model(tm.MODEL_NAME)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        tm.TrademarkDetector(_rights(50), model=model)
        assert gc.get_freeze_count() >= frozen  # not unfrozen by the build
    finally:
        gc.unfreeze()


def test_the_collector_state_is_as_before() -> None:
    model = load_model(tm.MODEL_NAME)
    assert gc.isenabled()
    tm.TrademarkDetector(_rights(50), model=model)
    assert gc.isenabled()
    gc.disable()
    try:
        tm.TrademarkDetector(_rights(50), model=model)
        assert not gc.isenabled()
    finally:
        gc.enable()
