"""Every reason the four detectors write (in English, the interchange form) reads in Chinese in the UI."""

from __future__ import annotations

from pathlib import Path

from regional.bench.world import WorldSize, build_world
from regional.detection import DetectionConfig
from regional.detection.engine import detect
from regional.web.reasons import translate_reason


def test_every_reason_of_every_model_has_a_chinese_rendering(tmp_path: Path) -> None:
    world = build_world(WorldSize(marks=2_000, patents=300, designs=120, listings=1_500), seed=5,
                        image_dir=tmp_path)
    leads = detect(world.rights, world.licences, world.listings,
                   config=DetectionConfig(registry_images=tmp_path, listing_images=tmp_path))
    assert {lead.type.value for lead in leads} == {"trademark", "counterfeit_patent", "design", "invention"}
    untranslated = sorted({r for lead in leads for r in lead.reasons if translate_reason(r, "zh_CN") == r})
    assert not untranslated, f"reasons with no Chinese rendering: {untranslated[:10]}"


def test_english_readers_see_the_reason_as_written_and_unknown_reasons_pass_through() -> None:
    reason = "mark '康帅傅' looks like '康师傅' (1 character differs, same pinyin initials)"
    assert translate_reason(reason, "en") == reason
    assert translate_reason(reason, "zh_CN") == "标识「康帅傅」与「康师傅」近似（1 个字不同，拼音首字母相同）"
    assert translate_reason("something new", "zh_CN") == "something new"
    assert translate_reason("same goods class 30 (inferred from category '方便食品')", "zh_CN") == (
        "同一商品类别 第30类 方便食品（由类目「方便食品」推断）")
