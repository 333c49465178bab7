"""Per-listing costs cut without changing a lead (issue 12, session 21, det21): a title's Chinese-Latin mixing searched
once, a batch's mixed words looked up together, goods classes worked out only for a title with a candidate, and
foreign.latin_classes' longest keyword phrase computed once."""

from __future__ import annotations

from regional.bench.world import WorldSize, build_world
from regional.detection import foreign, trademark
from regional.detection.trademark import TrademarkDetector
from regional.domain import Listing, Right, RightKind


def _tm(number: str, text: str, classes: tuple[int, ...], well_known: bool = False) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes, well_known=well_known)


def test_mixed_is_the_regex_and_known_without_search_for_titles_without_letters() -> None:
    d = TrademarkDetector([_tm("A", "宝马", (12,)), _tm("B", "抖音", (9,))])
    titles = ["宝MA 汽车 脚垫", "抖yin 同款 手机壳", "纯棉 T恤", "2026新款 保温杯", "nike air 跑鞋", "ÉCLAT 香水", ""]
    batch = d.prepare([Listing(f"x{k}", t) for k, t in enumerate(titles)])
    for p in batch.prepared:
        assert p.mixed == (trademark._MIXED_ANY.search(p.normalised) is not None)
    # a title without a letter is known not to mix before anything is searched
    assert [p._mixed for p in batch.prepared][3] is False
    assert [p._mixed for p in batch.prepared][6] is False


def test_a_batch_s_mixed_words_give_the_same_matches_as_one_word_at_a_time() -> None:
    d = TrademarkDetector([_tm("A", "宝马", (12,)), _tm("B", "抖音", (9,)), _tm("C", "奥迪", (12,), True),
                           _tm("D", "芬必得", (5,))])
    listings = [Listing("x1", "宝MA 汽车 脚垫", nice_classes=(12,)), Listing("x2", "抖yin 同款 手机壳", nice_classes=(9,)),
                Listing("x3", "奥D 车标 贴纸", nice_classes=(12,)), Listing("x4", "芬Bi得 布洛芬", nice_classes=(5,)),
                Listing("x5", "宝马 原厂 脚垫", nice_classes=(12,))]
    batch = d.prepare(listings)
    d._mixed_cache = {}
    alone = [d._mixed_matches(p) for p in batch.prepared]  # each word looked up on its own
    d._mixed_cache = d._mixed_lookup_all(batch.prepared)
    together = [d._mixed_matches(p) for p in batch.prepared]
    d._mixed_cache = {}
    assert together == alone
    assert [bool(m) for m in together] == [True, True, True, True, False]
    leads = {(f.listing_id, f.right) for f in d.detect(listings)}
    assert {("x1", "A"), ("x2", "B"), ("x3", "C"), ("x4", "D")} <= leads
    assert d._mixed_cache == {}  # not kept after the batch


def test_goods_classes_are_worked_out_only_for_a_title_with_a_candidate() -> None:
    d = TrademarkDetector([_tm("A", "金锣", (29,)), _tm("L", "LENOVO", (9,))])
    batch = d.prepare([Listing("x1", "金锣 火腿肠", category="食品"), Listing("x2", "nice summer dress", category="服装"),
                       Listing("x3", "LENOV0 laptop", category="电脑")])
    d._latin_cache = d._latin_lookup_all(batch.prepared)
    d._mixed_cache = d._mixed_lookup_all(batch.prepared)
    cjk = d._cjk_candidates_all(batch.prepared)
    p1, p2, p3 = batch.prepared
    assert d._winners(p2, cjk[1], None) == []
    assert p2._classes is None  # no candidate: its goods were never needed
    for p, c in ((p1, cjk[0]), (p3, cjk[2])):
        got = d._winners(p, c, None)
        assert got and p._classes is not None
        assert got == d._winners(p, c, trademark._class_bits(p.classes))


def test_the_generated_world_gives_the_same_candidates_as_with_goods_given() -> None:
    world = build_world(WorldSize(marks=5000, patents=0, designs=0, listings=1500), seed=21)
    d = TrademarkDetector(world.rights, world.licences)
    batch = d.prepare(world.listings)
    d._latin_cache = d._latin_lookup_all(batch.prepared)
    d._mixed_cache = d._mixed_lookup_all(batch.prepared)
    skipped = 0
    for p, cjk in zip(batch.prepared, d._cjk_candidates_all(batch.prepared), strict=True):
        lazy = d._winners(p, cjk, None)
        skipped += p._classes is None
        assert lazy == d._winners(p, cjk, trademark._class_bits(p.classes))
    assert skipped > 100  # the goods of many titles are never needed


def test_latin_classes_longest_phrase() -> None:
    assert foreign._longest() == max(len(k) for k in foreign._keywords())
    assert foreign.latin_classes("cuidado de la piel crema") == (3,)
    assert foreign.latin_classes("phone case for iPhone") == (9,)
    assert foreign.latin_classes("tea") == (30,)
    assert foreign.latin_classes("") == ()
