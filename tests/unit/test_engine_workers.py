"""Engine.run with worker processes finds what one process finds: the same leads with the same reasons, codes
and parameters, in the same order — with the counterpart merge and the counterfeit wording rule applied by each
worker to its own slice when every listing id is once in the batch, and by the parent otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from regional.bench.world import WorldSize, build_world
from regional.detection.config import DetectionConfig
from regional.detection.engine import _MIN_PER_WORKER, Engine
from regional.domain import Licence, Listing, Right, RightKind, Seller

_COUNTERPARTS = [
    Right(RightKind.TRADEMARK, "TM-R", "ROLEX", "劳力士有限公司", "registered", (14,), well_known=True,
          counterparts=("劳力士",)),
    Right(RightKind.TRADEMARK, "TM-H", "华为", "华为技术有限公司", "registered", (9,), counterparts=("HUAWEI",)),
    Right(RightKind.TRADEMARK, "TM-N", "NIKE", "耐克创新有限合伙公司", "registered", (25, 28), well_known=True,
          counterparts=("耐克",)),
]
_TITLES = ["Replica Rolex Submariner AAA quality watch", "高仿 耐克 运动鞋 男", "Huawei Watch GT 4 high copy smartwatch",
           "华为 HUAWEI 手机壳 高仿", "劳力士 ROLEX 手表 1:1", "Nike Air Max running shoes", "耐克 NIKE 正品 运动鞋",
           "no fakes: original Rolex watch", "华为手机 全新"]


def _as_json(findings: list) -> list[str]:
    return [json.dumps(f.to_json(with_codes=True), ensure_ascii=False, sort_keys=True) for f in findings]


def _world(tmp_path: Path) -> tuple[Engine, list[Listing]]:
    world = build_world(WorldSize(marks=1500, patents=150, designs=60, listings=2 * _MIN_PER_WORKER + 200), seed=11,
                        image_dir=tmp_path)
    engine = Engine(world.rights + _COUNTERPARTS, world.licences + [Licence("TM-N", "Pou Chen Trading")],
                    config=DetectionConfig(registry_images=tmp_path, listing_images=tmp_path))
    extra = [Listing(id=f"w{k}", title=t, seller=Seller(name="Global Trading Store" if k % 3 else "Pou Chen Trading"))
             for k, t in enumerate(_TITLES * 4)]
    listings = list(world.listings)
    for k, x in enumerate(extra):  # spread over both workers' slices
        listings.insert((k * 137) % len(listings), x)
    return engine, listings


def test_two_workers_find_what_one_process_finds(tmp_path: Path) -> None:
    engine, listings = _world(tmp_path)
    one = engine.run(listings, workers=1)
    two = engine.run(listings, workers=2)
    assert _as_json(two.findings) == _as_json(one.findings)
    assert two.errors == one.errors
    assert any("tm.counterfeit_wording" in f.codes for f in one.findings)
    assert any("registered counterpart" in r for f in one.findings for r in f.reasons)
    assert {f.type.value for f in one.findings} >= {"trademark", "design", "counterfeit_patent", "invention"}


def test_a_listing_id_twice_in_the_batch_is_merged_across_the_slices(tmp_path: Path) -> None:
    engine, listings = _world(tmp_path)
    # the same id at the start and the end of the batch (one in each worker's slice), with a counterpart
    # look-alike in one and the mark in the other: one lead per (listing, right, type), as in one process
    listings = [Listing(id="dup", title="劳力士 手表 高仿", seller=Seller(name="某店"))] + listings + \
        [Listing(id="dup", title="Replica ROLEX watch", seller=Seller(name="某店"))]
    one = engine.run(listings, workers=1)
    two = engine.run(listings, workers=2)
    assert _as_json(two.findings) == _as_json(one.findings)
    keys = [(f.listing_id, f.right, f.type.value) for f in two.findings]
    assert len(keys) == len(set(keys))
    assert ("dup", "TM-R", "trademark") in keys


def test_a_batch_normalised_part_by_part_is_the_batch_normalised_whole(tmp_path: Path) -> None:
    """Workers normalise their own slices (TrademarkDetector.batch): each part equals the same listings of the whole
    batch normalised at once, and the price reference (from the whole batch, in the parent) is the same."""
    from dataclasses import replace

    engine, listings = _world(tmp_path)
    # long categories that differ only after the 200 characters the reference reads, and one with no price
    listings = listings + [replace(listings[k], id=f"c{k}", category="服装" * 100 + str(k), price=10.0 + k)
                           for k in range(4)] + [replace(listings[0], id="np", price=None)]
    model = engine.models["trademark"]
    whole = model.prepare(listings)
    lazy = model.batch(listings)
    parts = [lazy.part(0, 1), lazy.part(1, 500), lazy.part(500, len(listings) - 3), lazy.part(len(listings) - 3)]
    assert [p for part in parts for p in part] == whole.prepared
    assert lazy.part(5, 9) == whole.part(5, 9) == whole.prepared[5:9]
    whole.warm()
    lazy.warm()
    assert lazy.prices._by_category == whole.prices._by_category and lazy.prices._by_class == whole.prices._by_class
    assert "服装" * 100 in lazy.prices._by_category


def test_each_worker_cuts_its_slice_to_the_engine_limits_as_one_process_does(tmp_path: Path) -> None:
    """Workers get the listings as given and cut their own slice (bounded): a patent number marked beyond
    MAX_DESCRIPTION is not screened, with one process or two (uncut, it would be a lead); the price reference made
    before the fork from the uncut listings is the one made from the cut ones."""
    from regional.detection.engine import MAX_CATEGORY, MAX_DESCRIPTION, MAX_TITLE, bounded

    engine, listings = _world(tmp_path)
    marked = "双肩包 大容量 通勤，专利号：ZL202215835593。X，顺丰发货"  # a number no patent of the registry has
    long = [Listing(id=f"long{k}", title="双肩包 " + "长" * MAX_TITLE, description="说明" + "x" * MAX_DESCRIPTION + marked,
                    category="箱包" * MAX_CATEGORY + str(k), price=50.0 + k, seller=Seller(name="某店"))
            for k in range(6)]
    within = Listing(id="within", title="双肩包", description=marked, seller=Seller(name="某店"))
    for k, x in enumerate([*long, within]):  # in both workers' slices
        listings.insert(k * len(listings) // (len(long) + 1), x)
    one = engine.run(listings, workers=1)
    two = engine.run(listings, workers=2)
    assert _as_json(two.findings) == _as_json(one.findings)
    assert _as_json(engine.run([bounded(x) for x in listings], workers=2).findings) == _as_json(one.findings)
    assert [f.right for f in two.findings if f.listing_id == "within"] == ["ZL202215835593.X"]
    assert not [f for f in two.findings if f.listing_id.startswith("long")]
    uncut = engine._screen([long[0]], None, 0, 1, True)[0]  # the same listing screened without the cut
    assert [f.right for f in uncut] == ["ZL202215835593.X"]
    model = engine.models["trademark"]
    raw, cut = model.batch(listings), model.batch([bounded(x) for x in listings])
    raw.warm()
    cut.warm()
    assert raw.prices._by_category == cut.prices._by_category and raw.prices._by_class == cut.prices._by_class
    assert ("箱包" * MAX_CATEGORY)[:MAX_CATEGORY] in raw.prices._by_category  # the six long ones, cut alike
