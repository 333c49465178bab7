"""Character frames (regional/data/glyph_frames.tsv): configuration and components of each character, built by
`python -m regional.detection.build_frames` from the CJK Decomposition Data; two characters share a frame when
they are built the same way with the same component at the same place (normalize.share_frame)."""

from __future__ import annotations

from pathlib import Path

from regional.detection import build_frames
from regional.detection import normalize as nz


def test_frames_keep_two_part_decompositions_of_the_table_characters_only() -> None:
    decomp = {"锅": ("a", ("钅", "呙")), "锣": ("a", ("钅", "罗")), "品": ("d/t", ("口", "吅")),
              "一": ("c", ("一",)), "森": ("d", ("木", "林", "x")), "外": ("a", ("夕", "卜"))}
    table = build_frames.frames(decomp, {"锅", "锣", "品", "一", "森"})
    assert table == {"锅": ("a", "钅", "呙"), "锣": ("a", "钅", "罗"), "品": ("d/t", "口", "吅")}


def test_the_shipped_frame_table_is_what_its_build_script_writes(tmp_path: Path) -> None:
    shipped = Path(nz.__file__).resolve().parent.parent / "data" / "glyph_frames.tsv"
    table = {}
    for line in shipped.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            ch, kind, first, second = line.split("\t")
            table[ch] = (kind, first, second)
    assert len(table) > 10_000
    out = tmp_path / "glyph_frames.tsv"
    build_frames.write(table, out)
    assert out.read_bytes() == shipped.read_bytes()


def test_a_shared_frame_is_the_same_component_at_the_same_place() -> None:
    assert nz.share_frame("锅", "锣")  # 钅 on the left
    assert nz.share_frame("室", "宝")  # 宀 on top
    assert nz.share_frame("妥", "安")  # 女 below
    assert nz.share_frame("那", "邦")  # 阝 on the right
    assert not nz.share_frame("条", "修")  # built differently
    assert not nz.share_frame("锅", "锅")
    assert not nz.share_frame("锅", "a")
