"""Design and invention models, calibrated artifacts, the engine's batch behaviour, the benchmark."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from regional.detection import DetectionConfig, Engine, detect
from regional.detection.design import DesignDetector, locarno_classes
from regional.detection.invention import InventionDetector, claim_features
from regional.detection.perceptual import hamming, image_hashes
from regional.detection.scoring import CURRENT_VERSIONS, CalibratedModel, ModelArtifactError, load_model
from regional.domain import LeadType, Listing, Right, RightKind, Seller

PIL = pytest.importorskip("PIL.Image")
SHOP = Seller(name="义乌市张伟百货商行")


def draw(path: Path, seed: int, *, shift: int = 0, brighten: int = 0, size: int = 64) -> str:
    """A tiny PNG of a few shapes fixed by `seed`, optionally shifted, brightened and rescaled."""
    rng = np.random.default_rng(seed)
    img = np.full((64, 64), 220, dtype=np.int16)
    yy, xx = np.mgrid[0:64, 0:64]
    for _ in range(4):
        cy, cx, r = rng.integers(10, 54), rng.integers(10, 54), rng.integers(6, 18)
        img[((yy - cy) ** 2 + (xx - cx) ** 2) <= r * r] = int(rng.integers(0, 120))
    img = np.clip(np.roll(img, shift, axis=1) + brighten, 0, 255).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    PIL.fromarray(img, mode="L").resize((size, size)).save(path)
    return path.name


def test_perceptual_hashes_are_close_for_a_copy_and_far_for_another_shape(tmp_path: Path) -> None:
    original = image_hashes(tmp_path / draw(tmp_path / "a.png", 1))
    copy = image_hashes(tmp_path / draw(tmp_path / "b.png", 1, shift=1, brighten=20, size=80))
    other = image_hashes(tmp_path / draw(tmp_path / "c.png", 2))
    near = hamming(original[1], np.asarray([copy[1]], dtype=np.uint64))[0]
    far = hamming(original[1], np.asarray([other[1]], dtype=np.uint64))[0]
    assert near < far and near <= 12


def test_unreadable_image_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(OSError):
        image_hashes(tmp_path / "bad.png")


def design(number: str = "ZL202030123456.5", view: str = "designs/v1.png", owner: str = "宁波某某日用品有限公司") -> Right:
    return Right(RightKind.DESIGN, number, "保温杯（A款）", owner, "granted", locarno="07-02", images=(view,))


def test_listing_photo_copying_a_design_view_becomes_a_design_lead(tmp_path: Path) -> None:
    draw(tmp_path / "registry" / "designs" / "v1.png", 7)
    draw(tmp_path / "listings" / "copy.png", 7, shift=1, brighten=15, size=96)
    draw(tmp_path / "listings" / "other.png", 99)
    config = DetectionConfig(registry_images=tmp_path / "registry", listing_images=tmp_path / "listings")
    listings = [Listing(id="copy", title="保温杯 316不锈钢 网红款", images=("copy.png",), seller=SHOP),
                Listing(id="other", title="保温杯 316不锈钢", images=("other.png",), seller=SHOP),
                Listing(id="owner", title="保温杯 316不锈钢", images=("copy.png",),
                        seller=Seller(name="宁波某某日用品有限公司"))]
    found = DesignDetector([design()], config=config).detect(listings)
    assert [(f.listing_id, f.type) for f in found] == [("copy", LeadType.DESIGN)]
    assert any("looks like view 1 of design ZL202030123456.5" in r for r in found[0].reasons)
    assert "same Locarno class 07-02" in found[0].reasons


def test_hashes_stored_at_import_give_the_same_design_leads_without_reading_the_photos(tmp_path: Path) -> None:
    from dataclasses import replace

    from regional.detection.perceptual import parse_stored, stored_hashes

    draw(tmp_path / "registry" / "designs" / "v1.png", 7)
    for name, seed, shift in (("copy.png", 7, 1), ("near.png", 7, 2), ("other.png", 99, 0)):
        draw(tmp_path / "listings" / name, seed, shift=shift, brighten=15, size=96)
    config = DetectionConfig(registry_images=tmp_path / "registry", listing_images=tmp_path / "listings")
    detector = DesignDetector([design()], config=config)
    listings = [Listing(id="copy", title="保温杯 网红款", images=("copy.png", "https://x/y.jpg"), seller=SHOP),
                Listing(id="two", title="保温杯", images=("other.png", "near.png"), seller=SHOP),
                Listing(id="other", title="保温杯", images=("other.png",), seller=SHOP)]
    read = detector.detect(listings)
    made = [stored_hashes(x.images, tmp_path / "listings") for x in listings]
    assert made[0][1] is None and all(h is not None and len(h) == 32 for h in made[0][:1] + made[1] + made[2])
    imported = [replace(x, image_hashes=parse_stored(m, len(x.images))) for x, m in zip(listings, made, strict=True)]
    assert imported[0].image_hashes[0] == image_hashes(tmp_path / "listings" / "copy.png")
    for name in ("copy.png", "near.png", "other.png"):
        (tmp_path / "listings" / name).unlink()  # screening must not need them now
    assert {f.listing_id for f in read} == {"copy", "two"}
    assert detector.detect(imported) == read
    # a photo without a stored hash (unreadable at import) is read when screened, as before
    draw(tmp_path / "listings" / "copy.png", 7, shift=1, brighten=15, size=96)
    assert detector.detect([replace(imported[0], image_hashes=(None, None))]) == read[:1]
    assert detector.detect([replace(listings[1])]) == []  # no stored hashes, photos gone: nothing to compare


def test_stored_hashes_are_read_back_only_when_well_formed() -> None:
    from regional.detection.perceptual import parse_stored

    good = f"{2**64 - 1:016x}{5:016x}"
    assert parse_stored([good, None], 2) == ((2**64 - 1, 5), None)
    assert parse_stored([good], 2) == () and parse_stored(None, 1) == () and parse_stored([], 0) == ()
    assert parse_stored(["zz" * 16], 1) == () and parse_stored([good[:-1]], 1) == () and parse_stored([7], 1) == ()


def test_missing_design_view_is_reported_not_fatal(tmp_path: Path) -> None:
    detector = DesignDetector([design(view="designs/missing.png")], config=DetectionConfig(registry_images=tmp_path))
    assert detector.problems and "missing.png" in detector.problems[0]
    assert detector.detect([Listing(id="x", title="保温杯", images=("nope.png",))]) == []


def test_locarno_class_is_inferred_from_category_and_title() -> None:
    assert locarno_classes("户外用品", "大容量 双肩包") == ("03-01",)
    assert locarno_classes("07-02", "杯子") == ("07-02",)


CLAIMS = "1. 一种电热水壶，包括可拆卸式温控器、双层加热盘、智能压力阀，其特征在于：还包括环形密封圈和防水型电源底座。2. 根据权利要求1所述的电热水壶"


def test_claim_one_is_split_into_its_features() -> None:
    subject, features = claim_features(CLAIMS)
    assert subject == "电热水壶"
    assert features == ["可拆卸式温控器", "双层加热盘", "智能压力阀", "环形密封圈", "防水型电源底座"]


def test_listing_stating_most_claim_features_in_the_same_field_becomes_a_low_priority_lead() -> None:
    patent = Right(RightKind.UTILITY_MODEL, "ZL202020123456.8", "一种电热水壶", "佛山某某电器有限公司", "granted",
                   ipc=("A47J 27/21",), claims=CLAIMS)
    listings = [
        Listing(id="reads", title="电热水壶 家用", description="采用可拆卸式温控器，双层加热盘，智能压力阀，环形密封圈", seller=SHOP),
        Listing(id="few", title="电热水壶 家用", description="双层加热盘 包邮", seller=SHOP),
        Listing(id="field", title="蓝牙耳机", description="可拆卸式温控器，双层加热盘，智能压力阀，环形密封圈", seller=SHOP),
    ]
    found = InventionDetector([patent]).detect(listings)
    assert [f.listing_id for f in found] == ["reads"]
    assert found[0].type is LeadType.INVENTION
    assert found[0].reasons[0].startswith("listing states 4 of 5 features of claim 1 of ZL202020123456.8")
    assert "lower priority" in found[0].reasons[-1]


def test_every_model_ships_a_versioned_artifact_with_held_out_metrics() -> None:
    for name, version in CURRENT_VERSIONS.items():
        model = load_model(name)
        assert model.version == version and version.startswith(name + "-2026.11.")
        held_out = model.metrics["held_out"]
        assert held_out["precision"] >= 0.9 and held_out["recall"] >= 0.9, (name, held_out)
        assert 0 < model.threshold < 1 and model.training["seed"] == 11
        assert CalibratedModel.from_json(model.to_json()).to_json() == model.to_json()


def test_malformed_artifact_gives_an_error_that_says_so() -> None:
    with pytest.raises(ModelArtifactError, match="malformed"):
        CalibratedModel.from_json({"name": "x", "version": "x-1"})


def test_calibrated_probability_matches_sklearn() -> None:
    from regional.detection.scoring import fit_calibrated

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2))
    y = (x[:, 0] + 0.5 * rng.normal(size=300) > 0).astype(int)
    model = fit_calibrated("t", "t-1", ("a", "b"), x, y)
    p = model.probability(x)
    assert p.shape == (300,) and np.all((p > 0) & (p < 1))
    assert p[np.argmax(x[:, 0])] > 0.9 > 0.1 > p[np.argmin(x[:, 0])]


def test_a_listing_that_breaks_a_model_is_reported_and_the_batch_goes_on() -> None:
    rights = [Right(RightKind.TRADEMARK, "TM-1", "康师傅", "顶益", "registered", (30,))]
    engine = Engine(rights, [])

    class Broken:
        model_version = "broken-1"

        def detect(self, listings: object) -> list[object]:
            batch = list(listings)  # type: ignore[call-overload]
            if any(x.id == "bad" for x in batch):
                raise ValueError("cannot read this one")
            return []

    engine.models["broken"] = Broken()  # type: ignore[assignment]
    result = engine.run([Listing(id="bad", title="x"), Listing(id="ok", title="康帅傅 方便面", nice_classes=(30,))])
    assert [e.listing_id for e in result.errors] == ["bad"]
    assert "cannot read this one" in str(result.errors[0])
    assert [f.listing_id for f in result.findings] == ["ok"]


def test_engine_is_reused_for_the_same_registry() -> None:
    from regional.detection.engine import engine_for

    rights = [Right(RightKind.TRADEMARK, "TM-1", "康师傅", "顶益", "registered", (30,))]
    assert engine_for(rights, []) is engine_for(list(rights), [])
    assert engine_for(rights, [], as_of=dt.date(2026, 1, 1)) is not engine_for(rights, [])


def test_real_world_lookalike_styles_are_found_without_false_leads() -> None:
    from regional.bench.realworld import FIXTURE, INDEPENDENT, evaluate

    result = evaluate(INDEPENDENT)  # hand-built, not produced by the code under test
    assert result["all"]["recall"] >= 0.9
    assert result["all"]["fpr"] <= 0.05
    assert result["all"]["alerts_per_listing"] <= 1.5
    for style in ("traditional", "homophone", "latin_confusable", "latin_short"):
        assert result[style]["recall"] >= 0.95, style
    first = evaluate(FIXTURE)
    assert first["all"]["recall"] >= 0.85
    assert first["all"]["precision"] >= 0.9


def test_attack_set_written_after_tuning_keeps_its_first_measured_floor() -> None:
    from regional.bench.realworld import ATTACK, evaluate

    result = evaluate(ATTACK)  # written by hand after tuning; first run: recall 0.904, FPR 0.023
    assert result["all"]["recall"] >= 0.88
    assert result["all"]["fpr"] <= 0.05
    assert result["all"]["alerts_per_listing"] <= 1.5
    assert result["latin_visual"]["recall"] >= 0.95
    assert result["negative_shared_char"]["false_leads"] == 0


def test_second_attack_set_keeps_its_first_measured_recall() -> None:
    from regional.bench.realworld import ATTACK2, evaluate

    result = evaluate(ATTACK2)  # written after the first attack set's fixes; first run: recall 0.936, FPR 0.074
    assert result["all"]["recall"] >= 0.92
    assert result["all"]["fpr"] <= 0.08
    assert result["all"]["precision"] >= 0.95


def test_third_attack_set_keeps_its_first_measured_recall() -> None:
    from regional.bench.realworld import ATTACK3, evaluate

    result = evaluate(ATTACK3)  # written before the component work; first run on 85afad0: recall 0.949, FPR 0.051;
    # with component relatives and the ordinary-English-word feature (trademark-2026.11.3): 0.968, 0.0
    assert result["all"]["recall"] >= 0.96
    assert result["all"]["fpr"] <= 0.03
    assert result["negative_word"]["false_leads"] == 0
    assert result["all"]["alerts_per_listing"] <= 1.5
    assert result["negative_shared_char"]["false_leads"] == 0


def test_fourth_attack_set_keeps_its_first_measured_recall() -> None:
    """Written in session 13 without looking at the glyph tables, scored once: recall 0.920 (glyph swaps sharing only
    a radical or a frame 0.822), FPR 0.040 (修正带, correction tape, in class 16 taken for the well-known 修正 of class 5).
    A floor, not a target: issue 11 asks 0.95 on sets nobody tuned to."""
    from regional.bench.realworld import ATTACK4, evaluate

    result = evaluate(ATTACK4)
    assert result["all"]["positives"] == 113 and result["all"]["negatives"] == 25
    assert result["all"]["recall"] >= 0.92
    assert result["all"]["fpr"] <= 0.04
    assert result["all"]["alerts_per_listing"] <= 1.5
    for style in ("latin_visual", "latin_sound", "homophone", "traditional"):
        assert result[style]["recall"] == 1.0, (style, result[style])


def test_sixth_attack_set_keeps_its_first_measured_recall() -> None:
    """Written in session 14 by someone who had not read the engine or the glyph tables, committed before its first
    run, scored once on 84f5d1f: recall 0.904 (the three classes of issue 11: glyph 42/42, short Latin 22/22, long
    Latin 23/28), FPR 0.101 (well-known marks inside ordinary words: 完美的, 伊利诺伊, 九阳神功, 小米 millet, 金龙鱼
    arowana, Omega-3; 格力高). A floor, not a target."""
    from regional.bench.realworld import ATTACK6, evaluate

    result = evaluate(ATTACK6)
    assert result["all"]["positives"] == 114 and result["all"]["negatives"] == 69
    assert result["all"]["recall"] >= 0.89
    assert result["all"]["fpr"] <= 0.11
    assert result["all"]["alerts_per_listing"] <= 1.5
    assert result["glyph"]["recall"] >= 0.97
    for style in ("latin_double", "latin_swap", "latin_insert", "homophone", "traditional", "wk_cross_class"):
        assert result[style]["recall"] == 1.0, (style, result[style])
    assert result["negative_other_goods"]["false_leads"] == 0


def test_seventh_attack_set_keeps_its_first_measured_recall() -> None:
    """Held out (marks and look-alikes in no other set), scored once at 12:35 on main 84f5d1f: recall 0.841 (classes
    of issue 11: 15/16, 11/11, 9/12), FPR 0.182 (舍得 book, 酒鬼花生, 鄂尔多斯 map, Shell bracelet); on tm14's branch
    the same recall at FPR 0.136. A floor, not a target."""
    from regional.bench.realworld import ATTACK7, evaluate

    result = evaluate(ATTACK7)
    assert result["all"]["positives"] == 44 and result["all"]["negatives"] == 22
    assert result["all"]["recall"] >= 0.82
    assert result["all"]["fpr"] <= 0.19
    assert result["all"]["alerts_per_listing"] <= 1.5
    assert result["latin_visual"]["recall"] == 1.0
    assert result["negative_shared_char"]["false_leads"] == 0


def test_eighth_attack_set_keeps_its_first_measured_recall() -> None:
    """Less famous marks (老字号, regional brands, geographic indications, mid-size foreign brands) in no other set,
    written without reading the engine, scored once on main 0301339 (2026-12-02 15:32 UTC): recall 0.829 (issue
    classes 53/54, 34/35, 31/35; missed: inserted and reordered characters, pinyin, spacing, brand + 同款/平替), FPR
    0.155 (well-known marks standing as ordinary words or titles: 稻花香 rice, 杜康 book, 崂山 tickets, Zwilling; ECO,
    Pelican, Aria; 适用于 志高 remote). A floor, not a target."""
    from regional.bench.realworld import ATTACK8, evaluate

    result = evaluate(ATTACK8)
    assert result["all"]["positives"] == 170 and result["all"]["negatives"] == 84
    assert result["all"]["recall"] >= 0.82
    assert result["all"]["fpr"] <= 0.16
    assert result["all"]["alerts_per_listing"] <= 1.5
    assert result["glyph"]["recall"] >= 0.98
    for style in ("homophone", "traditional", "wk_cross_class", "latin_sound", "latin_insert", "latin_swap",
                  "latin_double"):
        assert result[style]["recall"] == 1.0, (style, result[style])
    for style in ("negative_shared_char", "negative_owner", "negative_reseller", "negative_generic"):
        assert result[style]["false_leads"] == 0, (style, result[style])


def test_ninth_attack_set_keeps_its_first_measured_recall() -> None:
    """Mid-tier consumer brands, provincial 老字号 and foreign outdoor, tool and accessory brands in no other set,
    written without reading the engine, scored once on main 630ac35 (2026-12-02 18:20 UTC): recall 0.880, FPR 0.094;
    a tuning set since session 17 (acc17). A floor, not a target."""
    from regional.bench.realworld import ATTACK9, evaluate

    result = evaluate(ATTACK9)
    assert result["all"]["positives"] == 184 and result["all"]["negatives"] == 96
    assert result["all"]["recall"] >= 0.88
    assert result["all"]["fpr"] <= 0.094
    assert result["all"]["alerts_per_listing"] <= 1.5
    for style in ("char_insert", "traditional", "latin_homoglyph", "latin_double"):
        assert result[style]["recall"] == 1.0, (style, result[style])
    for style in ("negative_owner", "negative_compat", "negative_generic"):
        assert result[style]["false_leads"] == 0, (style, result[style])


def test_tenth_attack_set_keeps_its_first_measured_recall() -> None:
    """Tea-drink and restaurant chains, daily chemicals, furniture, jewellery, 老字号 and foreign bags, watches,
    instruments, tools and tyres in no other set, written without reading the engine, scored once on heldout18's base
    80d29e9 (2026-12-03 03:29 UTC): recall 0.9615 (175/182; issue classes 53/57, 34/35, 34/34), FPR 0.11 (English
    words one letter from a short mark in its class, 周六福利 and 周大福 beside 周六福/六福, 英雄本色, 喜临门 on
    couplets), 0.67 alerts per listing. A floor, not a target. A tuning set since session 18 (acc18): FPR 0.04 (4/100:
    Radio and Kawaii at a copy's price, Geo, 周大福 unregistered), 0.635 alerts, recall unchanged."""
    from regional.bench.realworld import ATTACK10, evaluate

    result = evaluate(ATTACK10)
    assert result["all"]["positives"] == 182 and result["all"]["negatives"] == 100
    assert result["all"]["recall"] >= 0.96
    assert result["all"]["fpr"] <= 0.04
    assert result["all"]["alerts_per_listing"] <= 0.64
    assert result["glyph"]["recall"] >= 0.92
    for style in ("homophone", "traditional", "wk_cross_class", "char_drop", "pinyin", "pinyin_split", "tongkuan",
                  "counterfeit_wording", "latin_visual", "latin_swap", "latin_insert", "latin_sound", "latin_spacing"):
        assert result[style]["recall"] == 1.0, (style, result[style])
    for style in ("negative_owner", "negative_reseller", "negative_compat", "negative_generic"):
        assert result[style]["false_leads"] == 0, (style, result[style])
    assert result["negative_english"]["false_leads"] <= 3 and result["negative_word"]["false_leads"] == 0
    assert result["negative_shared_char"]["false_leads"] <= 1 and result["glyph"]["false_leads"] == 0


def test_a_look_alike_on_goods_of_another_class_is_not_a_lead_even_for_a_well_known_mark() -> None:
    rights = [Right(RightKind.TRADEMARK, "TM-1", "公牛", "公牛集团股份有限公司", "registered", (9,), well_known=True)]
    listings = [Listing(id="toy", title="Dizney 玩偶 艾莎 公主", nice_classes=(28,)),
                Listing(id="pill", title="同仁堂 安宫牛黄丸", nice_classes=(5,)),
                # 公牛 (bull) is also an ordinary word: on other goods a lead with a sign of brand use (官方旗舰), session 15
                Listing(id="cup", title="公牛 官方旗舰 保温杯 不锈钢", nice_classes=(21,)),
                Listing(id="plug", title="公午 插座 插线板", nice_classes=(9,))]
    found = {f.listing_id for f in detect(rights, [], listings, as_of=dt.date(2026, 11, 1))}
    assert found == {"cup", "plug"}


def test_bench_prints_the_summary_as_the_last_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    from regional.bench import detect as bench

    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--json", "--marks", "1500", "--patents", "60", "--designs", "30", "--listings", "600",
                              "--baseline-listings", "50", "--workers", "1", "--repeats", "1"])
    assert bench.run(args) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(last) >= {"listings_per_s", "baseline_listings_per_s", "speedup", "recall", "baseline_recall",
                         "precision", "peak_rss_mb", "peer_listings_per_s", "peer_recall", "prefilter_listings_per_s",
                         "attack_recall", "attack_fpr", "peer_attack_recall", "attack2_recall", "attack2_fpr",
                         "attack11_recall", "attack12_recall", "attack12_fpr", "attack12_alerts_per_listing",
                         "peer_attack12_recall", "prefilter_attack12_recall", "attack13_recall", "attack13_fpr",
                         "attack13_alerts_per_listing", "peer_attack13_recall", "prefilter_attack13_recall",
                         "attack14_recall", "attack14_fpr", "attack14_alerts_per_listing", "peer_attack14_recall",
                         "prefilter_attack14_recall", "attack15_recall", "attack15_fpr", "attack15_alerts_per_listing",
                         "peer_attack15_recall", "prefilter_attack15_recall", "attack16_recall", "attack16_fpr",
                         "attack16_alerts_per_listing", "peer_attack16_recall", "prefilter_attack16_recall"}
    assert last["recall"] >= 0.8


def test_bench_cpu_mode_reports_per_cpu_second_rates_build_split_and_stages(
        capsys: pytest.CaptureFixture[str]) -> None:
    from regional.bench import detect as bench

    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--cpu", "--stages", "--json", "--scales", "800,1600", "--listings", "700",
                              "--repeats", "2"])
    assert bench.run(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("stages at 1600 marks") for line in out)
    sizes = json.loads(out[-1])["cpu_scales"]
    assert [s["marks"] for s in sizes] == [800, 1600]
    for s in sizes:
        build = s["build_cpu_s"]
        assert build["total"] > 0 and build["automaton"] > 0 and build["keys"] > 0
        assert s["trademark_per_cpu_s"]["min"] <= s["trademark_per_cpu_s"]["median"] <= s["trademark_per_cpu_s"]["max"]
        assert s["peer_per_cpu_s"]["median"] > 0 and s["trademark_vs_peer_cpu"] > 0
        stages = s["stages_us_per_listing"]
        assert stages["leads"] == s["trademark"]["leads"] > 0  # the staged pass finds what detect() finds
        assert stages["total"] == pytest.approx(sum(stages[k] for k in ("normalise", "retrieve", "verify", "rules",
                                                                      "score")), abs=0.05)
        assert s["trademark"]["recall"] >= 0.8


def test_bench_e2e_mode_reports_four_model_rates_parts_and_the_same_leads_with_one_or_two_workers(
        capsys: pytest.CaptureFixture[str]) -> None:
    from regional.bench import detect as bench

    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    runs = []
    for workers in ("1", "2"):
        args = parser.parse_args(["--e2e", "--json", "--marks", "1500", "--patents", "60", "--designs", "40",
                                  "--listings", "1200", "--workers", workers, "--repeats", "2"])
        assert bench.run(args) == 0
        runs.append(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))
    one, two = runs
    assert two["workers"] == 2 and two["repeats"] == 2 and two["listings"] == 1200 and two["listings_with_photo"] > 0
    assert two["e2e_listings_per_s_min"] <= two["e2e_listings_per_s"] <= two["e2e_listings_per_s_max"]
    assert two["e2e_per_cpu_s"] > 0 and set(two["one_process_cpu_s"]) == {
        "trademark_prepare", "trademark", "patent-marking", "design", "invention"}
    assert isinstance(two["leads_sha256"], str) and len(two["leads_sha256"]) == 64  # both repeats wrote the same
    assert one["leads_sha256"] == two["leads_sha256"] and one["leads"] == two["leads"] > 0  # forked == one process
    assert two["recall"]["design"] > 0.5 and two["recall"]["trademark"] >= 0.8
    assert {"load_before", "load_after"} <= set(two)
    assert two["stored_hashes_same_leads"] is True and two["stored_hashes_per_cpu_s"] > 0
    assert two["import_hash_cpu_s"] > 0 and two["stored_hashes_listings_per_s_min"] <= two["stored_hashes_listings_per_s"]
    # the critical path counts the workers' CPU once per core: above the per-CPU-s rate with two, equal with one
    assert two["stored_hashes_critical_path_listings_per_s"] > two["stored_hashes_per_cpu_s"]
    assert one["stored_hashes_critical_path_listings_per_s"] == pytest.approx(one["stored_hashes_per_cpu_s"], rel=0.02)


def test_bench_e2e_against_another_tree_alternates_fresh_processes_and_compares_leads(
        capsys: pytest.CaptureFixture[str]) -> None:
    """--against runs the tree at TREE and this one in fresh processes on one pickled world; against itself the
    leads agree, with and without workers, and every figure is there per tree."""
    from regional.bench import detect as bench
    from regional.bench.detect_ab import THIS_TREE

    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--e2e", "--json", "--marks", "1200", "--patents", "40", "--designs", "30",
                              "--listings", "1100", "--workers", "2", "--repeats", "1", "--against", str(THIS_TREE)])
    assert bench.run(args) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["rounds"] == 1 and out["listings"] == 1100 and out["against"] == out["this_tree"] == str(THIS_TREE)
    for name in ("this", "other"):
        tree = out[name]
        assert tree["one_process_cpu_s"]["median"] > 0 and tree["workers_per_cpu_s"] > 0
        assert tree["same_leads_with_workers"] is True and tree["leads"][0] > 0 and len(tree["leads_sha256"]) == 1
    assert out["same_leads"] is True and out["one_process_cpu_ratio"] > 0
    with pytest.raises(SystemExit, match="not a Hufu tree"):
        bench.run(parser.parse_args(["--e2e", "--against", str(THIS_TREE / "docs")]))


def test_bench_against_summary_medians_and_ratio() -> None:
    from regional.bench.detect_ab import summarise

    def row(one: float, parent: float, children: float, digest: str) -> dict[str, object]:
        return {"one_process_cpu_s": one, "workers_parent_cpu_s": parent, "workers_children_cpu_s": children,
                "workers_wall_s": 1.0, "build_cpu_s": 3.0, "leads": 7, "leads_sha256": digest,
                "same_leads_with_workers": True}

    out = summarise({"other": [row(2.0, 0.4, 2.4, "a"), row(3.0, 0.4, 2.6, "a"), row(2.5, 0.5, 2.5, "a")],
                     "this": [row(1.5, 0.2, 2.0, "a"), row(1.9, 0.2, 2.2, "a"), row(1.8, 0.3, 2.0, "a")]}, 1000, 2)
    assert out["other"]["one_process_cpu_s"] == {"median": 2.5, "min": 2.0, "max": 3.0}
    assert out["one_process_cpu_ratio"] == pytest.approx(1.8 / 2.5, abs=1e-3) and out["same_leads"] is True
    assert out["this"]["workers_per_cpu_s"] == pytest.approx(1000 / 2.3, abs=0.1)  # parent + workers, median
    assert out["this"]["workers_critical_path_listings_per_s"] == pytest.approx(1000 / 1.15, abs=0.1)  # max(p, all/2)
    assert summarise({"other": [row(1, 0, 1, "a")], "this": [row(1, 0, 1, "b")]}, 10, 1)["same_leads"] is False


def test_critical_path_is_the_parent_or_an_even_share_of_all_cpu_whichever_is_longer() -> None:
    from regional.bench.detect_e2e import critical_path

    assert critical_path(0.2, 2.0, 2) == pytest.approx(1.1)  # all CPU over two cores
    assert critical_path(1.3, 0.9, 2) == pytest.approx(1.3)  # the parent screens a slice too: its own thread
    assert critical_path(1.5, 0.0, 1) == pytest.approx(1.5)


def test_detect_keeps_its_signature_for_the_node_and_the_cli() -> None:
    rights = [Right(RightKind.TRADEMARK, "TM-1", "康师傅", "顶益", "registered", (30,))]
    found = detect(rights, [], [Listing(id="a", title="康帅傅 方便面", nice_classes=(30,))], as_of=dt.date(2026, 11, 1))
    assert [(f.listing_id, f.right, f.type) for f in found] == [("a", "TM-1", LeadType.TRADEMARK)]


def test_fields_of_a_batch_equal_fields_of_each_listing() -> None:
    """invention.fields_all (one automaton pass over the joined batch) == fields_of listing by listing: matches at
    the texts' edges, after astral and accented characters, none, several, and a text holding the delimiter."""
    import random

    from regional.detection import invention

    words = [w for ws in invention.FIELD_KEYWORDS.values() for w in ws]
    pieces = words + ["𠀀", "é", "Ａ", " ", "\x01", "手机", "耳", "机", "电热", "水壶", "x", ""]
    rng = random.Random(12)
    listings = [Listing(id=str(k), title="".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))),
                        category=rng.choice([None, "", *rng.sample(pieces, 3)])) for k in range(3000)]
    expected = [invention.fields_of(x.category, x.title) for x in listings]
    assert invention.fields_all(listings) == expected
    assert sum(1 for f in expected if len(f) >= 2) > 100 and sum(1 for f in expected if not f) > 100
    odd = listings[:50] + [Listing(id="z", title="耳机\x00电热水壶", category="箱包"), Listing(id="y", title="机 壳", category="耳"),
                           Listing(id="w", title="水壶", category="电热")] + listings[50:60]
    assert invention.fields_all(odd) == [invention.fields_of(x.category, x.title) for x in odd]
    assert invention.fields_all([]) == []


def test_title_similarity_with_cached_design_grams_equals_the_plain_computation() -> None:
    """design.title_similarity (a design title's core and bigrams cached, the listing's compact title passed in)
    gives what the plain computation gives, with or without the title passed."""
    import random

    from regional.detection import design
    from regional.detection import normalize as nz

    def plain(listing_title: str, design_title: str) -> tuple[float, str]:
        core = nz.compact(design_title)
        core = core.split("(")[0] or core
        grams = nz.char_bigrams(core)
        if not grams:
            return 0.0, ""
        text = nz.compact(listing_title)
        shared = grams & nz.char_bigrams(text)
        longest = max((core[i:j] for i in range(len(core)) for j in range(i + 2, len(core) + 1) if core[i:j] in text),
                      key=len, default="")
        return len(shared) / len(grams), longest

    pieces = ["保温", "杯", "（A款）", "(B)", "水壶", "电热", " ", "Ａ", "a", "壶", "杯子", "", "保", "温杯"]
    rng = random.Random(8)
    designs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(60)]
    for _ in range(3000):
        listing = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        title = rng.choice(designs)
        expected = plain(listing, title)
        assert design.title_similarity(listing, title) == expected, (listing, title)
        assert design.title_similarity(listing, title, nz.compact(listing)) == expected


def test_a_frame_swap_in_a_short_mark_is_a_lead_but_not_an_ordinary_word_another_mark_or_other_goods() -> None:
    """One character of a two- or three-character mark replaced by one built the same way with the same component at
    the same place (铃 for 铂: 钅 on the left; none of these pairs is in the glyph tables), the rest exact: a lead on the
    mark's goods. Not when the window is an ordinary word (长城 beside the made-up mark 长垅), another registered mark
    (星锐 beside 星铂), or on other goods. Hand-made marks, in no fixture."""
    from regional.detection import normalize as nz
    from regional.detection.trademark import TrademarkDetector

    rights = [Right(RightKind.TRADEMARK, "TM-1", "星铂", "甲表业有限公司", "registered", (14,)),
              Right(RightKind.TRADEMARK, "TM-2", "星锐", "乙钟表有限公司", "registered", (14,)),
              Right(RightKind.TRADEMARK, "TM-3", "锦华苑", "丙食品有限公司", "registered", (30,)),
              Right(RightKind.TRADEMARK, "TM-4", "长垅", "丁建材有限公司", "registered", (19,))]
    listings = [Listing(id="frame2", title="星铃 石英 手表 女款", nice_classes=(14,)),
                Listing(id="frame3", title="铭华苑 月饼 礼盒 中秋", nice_classes=(30,)),
                Listing(id="frame2b", title="长坛 瓷砖 客厅 800x800", nice_classes=(19,)),
                Listing(id="other_mark", title="星锐 机械 手表 男", nice_classes=(14,)),
                Listing(id="word", title="长城 瓷砖 仿古 地砖", nice_classes=(19,)),
                Listing(id="other_goods", title="星铃 毛绒 玩具 公仔", nice_classes=(28,))]
    leads = {(f.listing_id, f.right) for f in TrademarkDetector(rights).detect(listings)}
    assert {("frame2", "TM-1"), ("frame3", "TM-3"), ("frame2b", "TM-4")} <= leads
    assert not {lead for lead in leads if lead[0] in ("word", "other_goods", "other_mark")}  # 星锐 itself: resale
    for a, b in (("铃", "铂"), ("锐", "铂"), ("铭", "锦"), ("坛", "垅"), ("城", "垅")):
        assert nz.share_frame(a, b) and nz.glyph_score(a, b) == 0, (a, b)
    assert nz.is_chinese_word("长城") and not nz.is_chinese_word("长坛")


def test_an_ordinary_word_near_a_short_mark_needs_the_marks_goods_class_and_a_frame_swap_a_counterfeit_price() -> None:
    """A title word that is an ordinary Chinese word (regional/data/chinese_common.tsv) and differs from a two- or
    three-character mark by a look-alike (每天 beside the made-up 梅天), a homophone (花园 beside 华园) or a frame
    swap (长城 beside 长垅) is weak evidence: a lead only when the listing is in the mark's goods class, and for a
    frame swap only when it is also priced far below the typical price. A made-up look-alike (海天 beside 梅天) is
    a lead with the class unknown, as before. Hand-made marks, in no fixture."""
    from regional.detection import normalize as nz
    from regional.detection.trademark import TrademarkDetector

    rights = [Right(RightKind.TRADEMARK, "TM-1", "梅天", "甲食品有限公司", "registered", (30,)),
              Right(RightKind.TRADEMARK, "TM-2", "华园", "乙食品有限公司", "registered", (30,)),
              Right(RightKind.TRADEMARK, "TM-3", "长垅", "丁建材有限公司", "registered", (19,))]
    listings = [Listing(id="word_unknown", title="每天 新款 礼盒"),
                Listing(id="word_same", title="每天 饼干 礼盒", nice_classes=(30,)),
                Listing(id="made_up_unknown", title="海天 新款 礼盒"),
                Listing(id="homophone_unknown", title="花园 新款 礼盒"),
                Listing(id="homophone_same", title="花园 饼干 礼盒", nice_classes=(30,)),
                Listing(id="frame_word", title="长城 瓷砖 仿古", nice_classes=(19,), price=60.0),
                Listing(id="frame_word_cheap", title="长城 瓷砖 客厅", nice_classes=(19,), price=8.0),
                *[Listing(id=f"tile{k}", title=f"瓷砖 客厅 {k}", nice_classes=(19,), price=60.0 + k) for k in range(4)]]
    leads = {(f.listing_id, f.right) for f in TrademarkDetector(rights).detect(listings)}
    assert leads == {("word_same", "TM-1"), ("made_up_unknown", "TM-1"), ("homophone_same", "TM-2"),
                     ("frame_word_cheap", "TM-3")}
    assert all(nz.is_chinese_word(w) for w in ("每天", "花园", "长城", "海洋", "沙发"))  # 海洋, 沙发: tagged ns / nz
    assert not any(nz.is_chinese_word(w) for w in ("梅天", "华园", "长垅", "海天", "华为", "安踏"))  # marks, brands


def test_the_chinese_word_list_is_built_from_jiebas_dictionary_and_pypinyins_phrases(tmp_path: Path) -> None:
    """build_chinese_words: jieba words of 2-3 characters counted >= 20 (proper-noun tags >= 500), pypinyin's 2-3
    character phrases, folded to simplified."""
    from regional.detection import build_chinese_words as b

    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("\n".join(("每天 6612 r", "罕用 19 v", "海洋 4068 ns", "华为 373 nr", "四个字词 900 n",
                                     "A股 50 n", "學校 300 n", "一 217830 m")) + "\n", encoding="utf-8")
    words = b.jieba_words(dictionary)
    assert words == {"每天", "海洋", "學校"}
    assert "长城" in b.pypinyin_words()
    out = tmp_path / "words.tsv"
    assert b.main(["--jieba", str(dictionary), "--out", str(out)]) == 0
    listed = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert {"每天", "海洋", "学校", "长城"} <= set(listed) and "學校" not in listed and listed == sorted(listed)
    # session 18: the longer phrases are written beside --out (never over the shipped list): four-character words
    # and idioms, three-character idioms (tag i) the word list leaves out
    dictionary.write_text("每天 6612 r\n四个字词 900 n\n喜上眉梢 3 i\n福临门 3 i\n某某集团 900 nt\n", encoding="utf-8")
    assert b.main(["--jieba", str(dictionary), "--out", str(out)]) == 0
    phrases = (tmp_path / "chinese_phrases.tsv").read_text(encoding="utf-8").splitlines()
    assert {"四个字词", "喜上眉梢", "福临门"} <= set(phrases) and "某某集团" not in phrases and "每天" not in phrases


def test_a_well_known_two_character_mark_on_other_goods_counts_only_as_a_word_of_its_own() -> None:
    """A well-known mark is protected across classes, but two characters that run on into other Chinese characters
    of the same word are most often part of another word (伊利诺伊, 九阳神功, 完美的 — the sixth attack set's false
    leads): on goods of another class such a use is no lead. Standing alone, or next to Latin letters or digits
    (朗瑞X5), it is; a three-character mark glued to 牌 still is; in the mark's own class nothing changes (a
    counterfeit price is a lead). Made-up marks, in no fixture."""
    from regional.detection.trademark import TrademarkDetector

    rights = [Right(RightKind.TRADEMARK, "TM-1", "朗瑞", "甲电器有限公司", "registered", (11,), well_known=True),
              Right(RightKind.TRADEMARK, "TM-2", "金帆鸟", "乙食品有限公司", "registered", (30,), well_known=True)]
    listings = [Listing(id="alone", title="朗瑞 保温杯 大容量", nice_classes=(21,)),
                Listing(id="alone_latin", title="朗瑞X5 保温杯", nice_classes=(21,)),
                Listing(id="glued_right", title="朗瑞德大学 纪念 马克杯", nice_classes=(21,)),
                Listing(id="glued_left", title="明朗瑞雪 图画书", nice_classes=(16,)),
                Listing(id="three_glued", title="金帆鸟牌 T恤", nice_classes=(25,)),
                Listing(id="same_class_glued", title="朗瑞牌 电饭煲", nice_classes=(11,), price=20.0),
                *[Listing(id=f"cooker{k}", title=f"电饭煲 {k}", nice_classes=(11,), price=300.0 + k) for k in range(4)]]
    leads = {(f.listing_id, f.right) for f in TrademarkDetector(rights).detect(listings)}
    assert leads == {("alone", "TM-1"), ("alone_latin", "TM-1"), ("three_glued", "TM-2"), ("same_class_glued", "TM-1")}


def test_the_well_known_reason_is_given_only_where_the_goods_are_of_another_class() -> None:
    """newcomer14 F52: 「HUAWEI」为驰名商标，跨类别保护 on a lead already in the mark's own class 9."""
    rights = [Right(RightKind.TRADEMARK, "TM-1", "朗瑞", "甲电器有限公司", "registered", (11,), well_known=True)]
    listings = [Listing(id="own", title="朗瑞 电饭煲 正品", nice_classes=(11,), price=20.0),
                Listing(id="other", title="朗瑞 保温杯 大容量", nice_classes=(21,)),
                *[Listing(id=f"cooker{k}", title=f"电饭煲 {k}", nice_classes=(11,), price=300.0 + k) for k in range(4)]]
    codes = {f.listing_id: f.codes for f in detect([*rights], [], listings, as_of=dt.date(2026, 11, 1))}
    assert "tm.well_known" not in codes["own"] and "tm.class_same" in codes["own"]
    assert "tm.well_known" in codes["other"]


def test_a_short_latin_mark_with_e_drawn_as_f_is_a_look_alike() -> None:
    """newcomer15 F6: 20,000 declarations of 品牌 NIKF on 运动鞋 gave no lead (NIKEE did). E and F differ by one
    stroke: the classic one-stroke forgery of a capital-letter mark. Made-up marks."""
    rights = [Right(RightKind.TRADEMARK, "TM-1", "VEKO", "甲体育用品有限公司", "registered", (25,)),
              Right(RightKind.TRADEMARK, "TM-2", "FOLDA", "乙玩具有限公司", "registered", (28,))]
    listings = [Listing(id="ef", title="VFKO 运动鞋 男款", nice_classes=(25,)),
                Listing(id="fe", title="EOLDA 积木 拼装", nice_classes=(28,)),
                Listing(id="other", title="VAKO 运动鞋 男款", nice_classes=(25,)),
                Listing(id="word", title="VFKO 保温杯", nice_classes=(21,))]
    found = {(f.listing_id, f.right) for f in detect(rights, [], listings, as_of=dt.date(2026, 11, 1))}
    assert {("ef", "TM-1"), ("fe", "TM-2")} <= found
    assert ("word", "TM-1") not in found


def test_a_typical_price_comes_only_from_the_listings_own_market_and_only_when_its_prices_agree() -> None:
    """newcomer15 F8: soda crackers at 15.90 were "far below the typical 351" — the median of class 30, where a
    batch's tea sells at 184–465. Made-up marks."""
    rights = [Right(RightKind.TRADEMARK, "TM-1", "朗瑞", "甲食品有限公司", "registered", (30,))]
    tea = [Listing(id=f"tea{k}", title=f"铁观音 浓香型 {k}", nice_classes=(30,), category="茶叶", price=200.0 + 30 * k)
           for k in range(8)]
    listings = [*tea,
                Listing(id="cracker", title="朗瑞 苏打饼干 正品", nice_classes=(30,), category="零食", price=15.9),
                Listing(id="fake_tea", title="朗瑞 铁观音 正品", nice_classes=(30,), category="茶叶", price=30.0),
                *[Listing(id=f"mix{k}", title=f"杂货 {k}", nice_classes=(30,), category="杂货", price=p)
                  for k, p in enumerate((2.0, 5.0, 9.0, 300.0, 800.0, 1200.0))],
                Listing(id="mixed", title="朗瑞 杂货 正品", nice_classes=(30,), category="杂货", price=1.0)]
    codes = {f.listing_id: f.codes for f in detect(rights, [], listings, as_of=dt.date(2026, 11, 1))}
    assert "tm.cheap" in codes["fake_tea"]  # its own market (茶叶) agrees on a price: evidence
    assert "tm.cheap" not in codes.get("cracker", ())  # 零食 has too few prices; class 30's tea is not its market
    assert "tm.cheap" not in codes.get("mixed", ())  # prices 2 to 1,200 in one category: no typical price
