"""Candidates of marks registered for other goods only are left out before they are judged (issue 12, session 18):
the same leads as judging them and dropping them at the rules, including a frame swap that such a mark's text
explains (text another mark explains better is that mark's, whatever its goods)."""

from __future__ import annotations

import pytest

from regional.bench.world import WorldSize, build_world
from regional.detection import trademark
from regional.detection.trademark import TrademarkDetector
from regional.domain import Listing, Right, RightKind


def _tm(number: str, text: str, classes: tuple[int, ...], well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


def test_class_bits() -> None:
    assert trademark._class_bits(()) == 0
    assert trademark._class_bits((1, 45)) == (1 << 1) | (1 << 45)
    assert trademark._class_bits((25, 0)) == -1  # a class outside 1-63 rules no goods out
    assert trademark._class_bits((99,)) == -1


def test_a_mark_s_goods_are_its_rights_classes_or_any_goods() -> None:
    d = TrademarkDetector([_tm("A", "金锣", (29,)), _tm("A2", "金锣", (30, 31)), _tm("B", "锅王", (9,), True),
                           _tm("C", "雀巢", ())])
    goods = {m.text: m.goods for m in d._marks}
    assert goods["金锣"] == (1 << 29) | (1 << 30) | (1 << 31)
    assert goods["锅王"] == -1  # well known: protected on any goods
    assert goods["雀巢"] == -1  # registered without classes


@pytest.mark.parametrize("registry, leads", [
    ([_tm("A", "金锣", (29,))], {("x1", "A"), ("x2", "A")}),
    # 锅王 is registered for other goods: left out before judging, but its text still explains 金锅 in 金锅王
    ([_tm("A", "金锣", (29,)), _tm("B", "锅王", (9,))], {("x2", "A")}),
    ([_tm("A", "金锣", (29,)), _tm("B", "锅王", (29,))], {("x1", "B"), ("x2", "A")}),
])
def test_a_frame_swap_explained_by_a_mark_of_other_goods_is_still_no_lead(registry: list[Right],
                                                                          leads: set[tuple[str, str]]) -> None:
    listings = [Listing("x1", "金锅王 火腿肠", price=3.0, nice_classes=(29,)),
                Listing("x2", "金锅 火腿肠", price=3.0, nice_classes=(29,))]
    assert {(f.listing_id, f.right) for f in TrademarkDetector(registry).detect(listings)} == leads


def test_the_generated_world_gives_the_same_candidates_with_and_without_the_prefilter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_world(WorldSize(marks=20000, patents=0, designs=0, listings=2000), seed=11)
    d = TrademarkDetector(world.rights, world.licences)
    batch = d.prepare(world.listings)
    found = d._cjk_candidates_all(batch.prepared)
    d._latin_cache = d._latin_lookup_all(batch.prepared)
    left_out = 0
    for p, cjk in zip(batch.prepared, found, strict=True):
        if not cjk and not p.latin:
            continue
        goods = trademark._class_bits(p.classes)
        every = d._winners(p, cjk)
        kept = d._winners(p, cjk, goods)
        possible = [w for w in every if not goods or d._marks[w[0]].goods & goods]
        assert kept == possible
        left_out += len(every) - len(kept)
        assert all(not d._kept_rights(d._marks[i], p, r) for i, r, _how in every if (i, r, _how) not in kept)
    assert left_out > 100  # the prefilter does leave candidates out here
    plain = d.candidates(world.listings)
    monkeypatch.setattr(trademark, "_class_bits", lambda classes: 0)
    unfiltered = d.candidates(world.listings)
    assert [(c.listing.id, c.right.number, c.features, c.reasons, c.codes, c.params) for c in plain] == \
        [(c.listing.id, c.right.number, c.features, c.reasons, c.codes, c.params) for c in unfiltered]
