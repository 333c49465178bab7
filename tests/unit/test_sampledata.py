"""The demo federation generator."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from regional.identifiers import is_valid_patent_number, is_valid_uscc
from regional.sampledata import NATIONAL_MARKS, PROVINCES, RegionSample, generate_federation, write_sample

REGIONS = ["440000", "330000", "350000"]
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-[2-8]\d{6,7})$")


@pytest.fixture(scope="module")
def federation() -> dict[str, RegionSample]:
    return generate_federation(REGIONS)


def test_same_seed_gives_the_same_federation(federation: dict[str, RegionSample]) -> None:
    again = generate_federation(REGIONS)
    assert all(again[r].listings == federation[r].listings and again[r].registry == federation[r].registry for r in REGIONS)
    assert generate_federation(REGIONS, seed=8)["440000"].listings != federation["440000"].listings


def test_listing_ids_are_unique_across_the_federation(federation: dict[str, RegionSample]) -> None:
    ids = [x["id"] for s in federation.values() for x in s.listings]
    assert len(ids) == len(set(ids)) == 900
    assert all(f"-{s.region}-" in x["id"] for s in federation.values() for x in s.listings)


def test_about_a_tenth_of_listings_are_planted_infringements(federation: dict[str, RegionSample]) -> None:
    for sample in federation.values():
        ids = {x["id"] for x in sample.listings}
        assert 0.07 <= len(sample.planted) / len(sample.listings) <= 0.12
        assert all(p["listing_id"] in ids and p["type"] == "trademark" for p in sample.planted)
        rights = {r.get("reg_no") for r in sample.registry}
        assert all(p["right"] in rights for p in sample.planted)


def test_sellers_have_valid_codes_phones_and_addresses_in_the_region(federation: dict[str, RegionSample]) -> None:
    for sample in federation.values():
        province = PROVINCES[sample.region].name
        for x in sample.listings:
            seller = x["seller"]
            assert seller["uscc"] is None or is_valid_uscc(seller["uscc"]), seller
            assert PHONE.match(seller["phone"]), seller["phone"]
            assert seller["address"].startswith(province)
            assert seller["shop_url"].startswith("https://")


def test_listings_follow_the_interchange_format(federation: dict[str, RegionSample]) -> None:
    base = dt.datetime.fromisoformat("2026-11-01T00:00:00+08:00")
    for sample in federation.values():
        for x in sample.listings:
            assert x["id"] and x["title"] and x["source"] in ("ecommerce", "exhibition")
            assert x["currency"] == "CNY" and x["price"] > 0
            observed = dt.datetime.fromisoformat(x["observed_at"])
            assert x["observed_at"].endswith("+08:00") and observed >= base


def test_registry_holds_national_marks_patents_and_licences(federation: dict[str, RegionSample]) -> None:
    for sample in federation.values():
        kinds = defaultdict(list)
        for r in sample.registry:
            kinds[r["kind"]].append(r)
        assert {m[0] for m in NATIONAL_MARKS} <= {t["reg_no"] for t in kinds["trademark"]}
        assert any(t["mark"].isascii() and t["reg_no"] not in {m[0] for m in NATIONAL_MARKS} for t in kinds["trademark"])
        patents = kinds["invention"] + kinds["utility_model"] + kinds["design"]
        assert kinds["invention"] and kinds["utility_model"] and kinds["design"]
        assert all(is_valid_patent_number(p["number"]) for p in patents)
        marks = {t["reg_no"] for t in kinds["trademark"]}
        assert kinds["licence"] and all(lic["right"] in marks and is_valid_uscc(lic["licensee_uscc"]) for lic in kinds["licence"])


def test_licensees_sell_the_licensed_mark(federation: dict[str, RegionSample]) -> None:
    for sample in federation.values():
        licensed = {(lic["licensee_uscc"], lic["right"]) for lic in sample.registry if lic["kind"] == "licence"}
        marks = {t["reg_no"]: t["mark"] for t in sample.registry if t["kind"] == "trademark"}
        assert any((x["seller"]["uscc"], no) in licensed and marks[no] in x["title"]
                   for x in sample.listings for no in marks)


def test_some_infringers_sell_the_same_right_in_several_regions(federation: dict[str, RegionSample]) -> None:
    regions_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for sample in federation.values():
        by_id = {x["id"]: x for x in sample.listings}
        for p in sample.planted:
            seller = by_id[p["listing_id"]]["seller"]
            regions_of[(seller["phone"], p["right"])].add(sample.region)
    spanning = [k for k, regions in regions_of.items() if len(regions) >= 2]
    assert len(spanning) >= 3


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="no sample profile"):
        generate_federation(["999999"])


def test_write_sample_writes_utf8_json_lines(federation: dict[str, RegionSample], tmp_path: Path) -> None:
    registry, listings = write_sample(federation["350000"], tmp_path / "350000")
    lines = listings.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 300 and "福建省" in lines[0] + lines[1] + lines[2]
    assert [json.loads(line) for line in lines] == federation["350000"].listings
    assert len(registry.read_text(encoding="utf-8").splitlines()) == len(federation["350000"].registry)
