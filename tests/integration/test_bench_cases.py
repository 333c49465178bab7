"""`hufu bench cases` end to end on a small table: the JSON line carries what the issue names, and the
incremental cycles agree with a full re-resolve of the same leads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from national.bench import cases as bench
from national.bench.generate import generate


def test_bench_cases_reports_seconds_per_cycle_per_size_and_checks_against_a_full_re_resolve(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--sizes", "1200,2000", "--new", "300", "--repeats", "2", "--baseline-repeats", "1",
                       "--seed", "5", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "incremental vs full re-resolve" in "\n".join(out)
    line = json.loads(out[-1])
    assert set(line["seconds_per_cycle"]) == {"1200", "2000"}
    assert all(v > 0 for v in line["seconds_per_cycle"].values())
    assert all(v > 0 for v in line["baseline_seconds_per_cycle"].values())
    # the wall split from the scheduler's statistics: waiting for a CPU and off-CPU, neither more than the wall
    for size in ("1200", "2000"):
        runs = [s for s in line["sizes"] if s["size"] == int(size)]
        waited, blocked = line["runqueue_seconds_per_cycle"][size], line["off_cpu_seconds_per_cycle"][size]
        assert waited is not None and blocked is not None and 0 <= waited and 0 <= blocked, line
        assert waited + blocked <= runs[0]["incremental"]["median"] + 0.01, line
    assert "waiting for a CPU" in "\n".join(out)
    for size in ("1200", "2000"):
        check = line["check"][size]
        # the stored leads and those of both incremental cycles, every one projected (none quarantined: the
        # generator's scheme-less shop URLs get the scheme a region's import requires)
        assert check["leads"] == int(size) + 600, check
        assert check["entity_pair_f1"] >= 0.98, check
        assert check["case_groups_identical_share"] >= 0.95, check
        truth = line["truth"][size]  # against the generated world's entities, not the full re-resolve
        assert truth["leads"] == check["leads"] and 0.9 <= truth["entity_pair_f1"] <= 1.0, truth


def test_bench_cases_reuses_the_state_kept_after_a_bootstrap(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    keep = str(tmp_path)
    common = ["--sizes", "900", "--new", "200", "--repeats", "1", "--baseline-repeats", "0", "--seed", "3",
              "--keep", keep, "--json"]
    assert bench.main(common) == 0
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert first["sizes"][0]["reused"] is False and first["sizes"][0]["bootstrap_seconds"] > 0
    assert bench.main([*common, "--reuse"]) == 0
    second = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    size = second["sizes"][0]
    assert size["reused"] is True and size["bootstrap_seconds"] == 0
    assert size["leads_resolved"][0] <= 200  # the cycle resolved the new leads only, not a rebuild
    assert {"normalize_cpu", "retrieve_cpu", "score_cpu", "plan_cases_cpu", "write_cases_cpu"} <= set(second["stages"]["900"])
    # the figure against the generated truth, recomputed here from the kept database and the world made again
    import sqlite3

    from national.bench.metrics import pair_scores

    world = [entity for _rec, entity in generate(1100, 3)]  # 900 stored + 200 new, as the base was made
    with sqlite3.connect(tmp_path / "national-900.db") as conn:
        rows = conn.execute("SELECT l.listing_id, r.entity_id FROM leads l "
                            "JOIN seller_records r ON r.lead_id = l.id").fetchall()
    want = pair_scores([e for _l, e in rows], [world[int(lid[6:]) - 1] for lid, _e in rows])
    assert size["truth"]["leads"] == len(rows) and len(rows) > 900
    assert size["truth"]["entity_pair_f1"] == round(want.f1, 5) and want.f1 < 1.0, (size["truth"], want)
    assert size["truth"]["entity_pair_precision"] == round(want.precision, 5)
    # more new leads than the kept base's world holds: they would not continue its stored leads
    with pytest.raises(SystemExit, match="was made for 200 new leads"):
        bench.main([*[a if a != "200" else "300" for a in common], "--reuse"])
    # a full-re-resolve baseline cycle after the incremental one needs a second batch the base does not hold either
    with pytest.raises(SystemExit, match="was made for 200 new leads"):
        bench.main([*[a if a != "0" else "1" for a in common], "--reuse"])
    # the same leads as a run that stored and resolved them itself, and the cycle agrees with a full re-resolve
    assert size["check"]["leads"] == first["sizes"][0]["check"]["leads"]
    assert size["check"]["entity_pair_f1"] >= 0.98, size["check"]


def test_repeats_on_a_kept_base_without_room_for_them_restore_the_base_and_measure_the_same_cycle(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # the base holds one batch of 200 new leads; three repeats each start from it again and file the same leads
    keep = str(tmp_path)
    common = ["--sizes", "900", "--new", "200", "--baseline-repeats", "0", "--seed", "3", "--no-check",
              "--keep", keep, "--json"]
    assert bench.main([*common, "--repeats", "1"]) == 0
    once = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["sizes"][0]
    assert once["restored_between_repeats"] is False
    assert bench.main([*common, "--repeats", "3", "--reuse"]) == 0
    out = capsys.readouterr()
    size = json.loads(out.out.strip().splitlines()[-1])["sizes"][0]
    assert size["restored_between_repeats"] is True and "restored before each" in out.err
    work = size["work_per_cycle"]
    assert len(work) == 3 and size["incremental_cpu"]["median"] is not None
    # every repeat did the same work: the same leads, pairs, entities and cases (the caches were emptied, the
    # feed resumed, the database copied back), and the first as on the run that built the base
    assert all(w == work[0] for w in work) and work[0]["leads"] > 0 and work[0]["cases_created"] > 0, work
    assert work[0] == once["work_per_cycle"][0]
    # the database after the last repeat holds the base and one batch, not three
    import sqlite3

    with sqlite3.connect(tmp_path / "national-900.db") as conn:
        listings = [r[0] for r in conn.execute("SELECT listing_id FROM leads")]
    assert len(listings) == len(set(listings)) == 900 + work[0]["leads"], len(listings)
    assert size["truth"]["leads"] == len(listings)


def test_bench_cases_refuses_reuse_without_a_kept_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--sizes", "900", "--reuse"]) == 2
    assert "--reuse needs --keep" in capsys.readouterr().err


def test_bench_cases_refuses_a_kept_base_resolved_by_another_entity_resolution_version(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import sqlite3

    common = ["--sizes", "700", "--new", "100", "--repeats", "1", "--baseline-repeats", "0", "--no-check",
              "--seed", "4", "--keep", str(tmp_path)]
    assert bench.main(common) == 0
    conn = sqlite3.connect(tmp_path / "national-700-seed4-base.db")
    with conn:
        conn.execute("UPDATE node_state SET value = 'older' WHERE key = 'er_version'")
    conn.close()
    with pytest.raises(SystemExit, match="entity-resolution version older"):
        bench.main([*common, "--reuse"])


def _base_state(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row the node's start leaves in a base, without what is random or clock-made (uuids, times): leads,
    seller records/entities/keys/links, cases, memberships, downlink bodies (decoded), audit rows, node state."""
    import sqlite3

    from sync.v1 import sync_pb2

    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        def rows(sql: str) -> list[tuple[object, ...]]:
            return [tuple(r) for r in conn.execute(sql).fetchall()]

        lead_columns = [r[1] for r in conn.execute("PRAGMA table_info(leads)") if r[1] != "uuid"]
        case_uuid = dict(rows("SELECT uuid, id FROM cases"))
        lead_uuid = dict(rows("SELECT uuid, id FROM leads"))
        downlink = []
        for region, kind, revision, body, uuid in rows(  # a body kept once per revision read as the region reads it
                "SELECT d.region, d.kind, d.revision, CASE WHEN d.body_shared THEN b.body ELSE d.body END, d.uuid "
                "FROM downlink d LEFT JOIN downlink_bodies b ON b.uuid = d.uuid AND b.revision = d.revision "
                "ORDER BY d.id"):
            message = sync_pb2.CrossRegionCase.FromString(body)
            assert message.case_uuid == uuid
            message.case_uuid, message.formed_at = str(case_uuid[uuid]), ""
            for lead in message.leads:
                lead.lead_uuid = str(lead_uuid[lead.lead_uuid])
            downlink.append((region, kind, revision, case_uuid[uuid], message.SerializeToString(deterministic=True)))
        audit = []
        for action, detail in rows("SELECT action, detail FROM audit_log ORDER BY id"):
            data = json.loads(str(detail))
            data["case"] = case_uuid.get(data.get("case"), data.get("case"))
            audit.append((action, json.dumps(data, sort_keys=True)))
        return {
            "leads": rows(f"SELECT {', '.join(lead_columns)} FROM leads ORDER BY id"),
            "seller_records": rows("SELECT lead_id, entity_id, parts, uscc FROM seller_records ORDER BY lead_id"),
            "seller_entities": rows("SELECT id, size, uscc, facts FROM seller_entities ORDER BY id"),
            "seller_keys": rows("SELECT key, lead_id FROM seller_keys UNION ALL SELECT key, lead_id FROM "
                                "seller_keys_recent ORDER BY key, lead_id"),
            "seller_links": rows("SELECT lead_a, lead_b, weight, officer FROM seller_links ORDER BY lead_a, lead_b"),
            "cases": rows("SELECT id, key, right_number, type, lead_region, regions, cross_region, status, entity_id "
                          "FROM cases ORDER BY id"),
            "merge_reviews": rows("SELECT lead_a, lead_b, probability, status FROM merge_reviews ORDER BY id"),
            "downlink": downlink, "audit": audit,
            "node_state": rows("SELECT key, value FROM node_state WHERE key NOT LIKE '%formed_through%' ORDER BY key"),
        }
    finally:
        conn.close()


def test_a_base_built_in_bulk_holds_the_same_rows_as_one_built_the_straightforward_way(tmp_path: Path) -> None:
    import datetime as dt

    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    states = []
    for bulk in (False, True):
        directory = tmp_path / ("bulk" if bulk else "plain")
        directory.mkdir()
        url = bench._fresh_database(None, directory, 1500)
        db, *_seconds = bench.build_base(url, bench.Feed(1700, 11), 1500, now, bulk=bulk)
        db.dispose()
        states.append(_base_state(url))
    plain, bulk_state = states
    assert len(plain["leads"]) == 1500 and plain["cases"] and plain["downlink"] and plain["seller_links"]
    for table in plain:
        assert bulk_state[table] == plain[table], table


def test_a_kept_feed_continues_with_the_leads_a_regenerated_world_would_file(tmp_path: Path) -> None:
    import datetime as dt

    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    first = bench.Feed(1300, 9)
    first.leads(1000, now)
    kept = bench.Feed.resume(first.state())
    again = bench.Feed(1300, 9)
    again.skip(1000)

    def seller_fields(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return [tuple(v for k, v in r.items() if k != "uuid") for r in rows]

    expected = seller_fields(again.leads(300, now))
    assert len(expected) == 300
    assert seller_fields(kept.leads(300, now)) == expected
    assert seller_fields(first.leads(300, now)) == expected  # the feed whose state was taken goes on as before
    # each lead's generated entity goes with it (lead bench-k: truth[k - 1]), kept or skipped
    world = [entity for _rec, entity in generate(1300, 9)]
    assert first.truth == kept.truth == again.truth == world[:1300] and kept.knows_truth()
    old = first.state()
    del old["truth"]  # a feed kept before the truth was: the stored leads' entities are unknown
    assert not bench.Feed.resume(old).knows_truth()


def test_a_tiled_base_holds_copies_that_share_nothing_and_its_cycle_decides_as_on_the_source(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--tile-from`: a base of 3 x 900 leads made from the kept 900-lead base; the cycle on it files the source's new
    leads and must resolve them and form their cases exactly as the cycle on the source did — the table is larger,
    the work is the same — while the copies keep their own blocks, entities and cases."""
    import sqlite3

    keep = str(tmp_path)
    common = ["--new", "200", "--repeats", "1", "--baseline-repeats", "0", "--seed", "3", "--no-check", "--keep", keep,
              "--json"]
    assert bench.main(["--sizes", "900", *common]) == 0
    capsys.readouterr()
    assert bench.main(["--sizes", "900,2700", "--tile-from", "900", "--reuse", *common]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    small, tiled = line["sizes"]
    assert tiled["tiled_from"] == 900 and tiled["reused"] is True and tiled["tile_seconds"] is not None
    assert tiled["leads_resolved"] == small["leads_resolved"] and small["leads_resolved"][0] > 150
    assert line["pairs_scored_per_cycle"]["2700"] == line["pairs_scored_per_cycle"]["900"] > 0
    assert line["truth"]["2700"] == line["truth"]["900"]

    def state(path: Path, first_new: int) -> tuple[set[frozenset[str]], set[frozenset[str]], int]:
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT l.listing_id, r.entity_id, l.case_id FROM leads l JOIN seller_records r "
                                "ON r.lead_id = l.id WHERE l.listing_id LIKE 'bench-%'").fetchall()
            new = {lid for lid, _e, _c in conn.execute("SELECT listing_id, 0, 0 FROM leads WHERE id > ?",
                                                       (first_new,))}
            copies = conn.execute("SELECT count(*) FROM leads WHERE listing_id LIKE 'tile%'").fetchone()[0]
        groups: dict[tuple[str, int], set[str]] = {}
        for lid, entity, case in rows:
            groups.setdefault(("e", entity), set()).add(lid)
            if case is not None:
                groups.setdefault(("c", case), set()).add(lid)
        touched = {k: frozenset(v) for k, v in groups.items() if v & new}
        return ({v for k, v in touched.items() if k[0] == "e"}, {v for k, v in touched.items() if k[0] == "c"},
                copies)

    entities_small, cases_small, none = state(tmp_path / "national-900.db", 900)
    entities_tiled, cases_tiled, copies = state(tmp_path / "national-2700.db", 2700)
    assert none == 0 and copies == 1800
    assert entities_tiled == entities_small and cases_tiled == cases_small and cases_small
    with sqlite3.connect(tmp_path / "national-2700-seed3-tiled900-base.db") as conn:
        # every copy's state is whole and its own: no key, entity or case shared across copies
        assert conn.execute("SELECT count(*), count(DISTINCT uuid) FROM leads").fetchone() == (2700, 2700)
        per_key = conn.execute("SELECT max(n) FROM (SELECT count(DISTINCT (lead_id - 1) / 900) AS n FROM seller_keys "
                               "GROUP BY key)").fetchone()[0]
        per_entity = conn.execute("SELECT max(n) FROM (SELECT count(DISTINCT (lead_id - 1) / 900) AS n "
                                  "FROM seller_records GROUP BY entity_id)").fetchone()[0]
        per_case = conn.execute("SELECT max(n) FROM (SELECT count(DISTINCT (id - 1) / 900) AS n FROM leads "
                                "WHERE case_id IS NOT NULL GROUP BY case_id)").fetchone()[0]
        assert per_key == per_entity == per_case == 1
        orphans = conn.execute("SELECT count(*) FROM seller_records r LEFT JOIN seller_entities e ON e.id = r.entity_id "
                               "WHERE e.id IS NULL").fetchone()[0]
        assert orphans == 0


def test_each_size_starts_with_the_normalized_value_caches_empty() -> None:
    """A tiled size files the leads an earlier size of the run filed: its cycles must not find them normalized."""
    from national import entities
    from national.dedup import incremental

    parts = incremental.normalize_record({"name": "深圳市华强电子有限公司", "phone": "0755-83214567"}, entities.config())
    entities._record_facts(parts)
    assert incremental._normalized and entities._record_facts.cache_info().currsize
    bench.forget_values()
    assert not any(incremental._normalized.values()) and entities._record_facts.cache_info().currsize == 0
