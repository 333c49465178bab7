"""Incremental entity resolution and case formation over a real database (SQLite file and PostgreSQL).

New leads are resolved against their blocks only, entities and cases are updated in place, and an
officer's merge decision (or its reversal) touches only the entities and cases it concerns.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from national import cases, entities, feed
from national import node as national_node
from national.bench.generate import generate
from national.bench.metrics import pair_scores
from national.casework import decide_merge
from national.lifecycle import CaseStatus
from national.models import (
    AuditEntry,
    CaseEvent,
    CaseRow,
    DownlinkRow,
    MergeReview,
    NationalLead,
    SellerRecord,
)
from sync.db import Database, run_migrations, sqlite_url
from tests.integration.national_lead_rows import lead_rows

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def _lead_rows(records: list[tuple[dict[str, str], int]], start: int, rights: int = 40,
               seed: int = 1) -> list[dict[str, object]]:
    return lead_rows(records, start, NOW, rights=rights, seed=seed)


def _add(db: Database, rows: list[dict[str, object]]) -> None:
    with db.transaction() as s:
        s.execute(sa.insert(NationalLead), rows)


def _labels(db: Database) -> dict[str, int]:
    with db.read() as s:
        return dict(s.execute(sa.select(NationalLead.listing_id, SellerRecord.entity_id)
                              .join(SellerRecord, SellerRecord.lead_id == NationalLead.id)).all())


def test_resolving_in_slices_matches_resolving_at_once_and_reads_only_the_blocks(db: Database) -> None:
    records = list(generate(3000, seed=17))
    truth = {f"L{k}": entity for k, (_r, entity) in enumerate(records)}
    # incremental: an empty node, then six slices of 500 leads, one cycle each
    with db.transaction() as s:
        assert not entities.needs_rebuild(s), "an empty node starts incrementally"
    slices = []
    for start in range(0, 3000, 500):
        _add(db, _lead_rows(records[start:start + 500], start))
        with db.transaction() as s:
            slices.append(cases.form_cases(s, NOW))
    assert [r.leads_resolved for r in slices] == [500] * 6
    with db.read() as s:  # how far case formation got, as the demo and operators read it
        assert feed.get_state(s, feed.CASES_FORMED_THROUGH) == s.scalar(sa.select(sa.func.max(NationalLead.id)))
    incremental = _labels(db)
    # the same leads resolved at once
    with db.transaction() as s:
        entities.rebuild(s, NOW)
    at_once = _labels(db)
    ids = sorted(truth)
    inc_scores = pair_scores([incremental[i] for i in ids], [truth[i] for i in ids])
    bulk_scores = pair_scores([at_once[i] for i in ids], [truth[i] for i in ids])
    assert inc_scores.f1 >= 0.9 and abs(inc_scores.f1 - bulk_scores.f1) < 0.02, (inc_scores, bulk_scores)
    same = pair_scores([incremental[i] for i in ids], [at_once[i] for i in ids])
    assert same.f1 >= 0.97, same


def test_a_cycles_work_depends_on_the_new_leads_not_on_the_table(db: Database) -> None:
    records = list(generate(4200, seed=23))
    _add(db, _lead_rows(records[:1000], 0))
    with db.transaction() as s:
        cases.form_cases(s, NOW)  # bulk start over the first 1,000

    def cycle(start: int) -> int:
        _add(db, _lead_rows(records[start:start + 100], start))
        with db.transaction() as s:
            step = entities.resolve_new(s, NOW)
        assert step.leads == 100
        return step.pairs

    small = cycle(1000)
    _add(db, _lead_rows(records[1100:4100], 1100))
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    large = cycle(4100)
    # four times the table, about the same number of pairs scored for 100 new leads (blocks grow a little)
    assert large < 4 * max(small, 20), (small, large)


def test_a_new_lead_of_a_large_entity_is_scored_against_a_few_of_its_records_and_joins_it(db: Database) -> None:
    seller = {"name": "义乌市恒达日用百货商行", "phone": "13957900123", "address": "浙江省义乌市福田街道商城大道88号",
              "shop_url": "https://mall.jd.com/index-100234.html"}
    regions = ["330000", "320000", "310000", "440000"]
    _add(db, _lead_rows([({**seller, "region": regions[k % 4]}, 0) for k in range(20)], 0))
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    assert len(set(_labels(db).values())) == 1  # twenty leads, one seller
    _add(db, _lead_rows([({**seller, "region": "110000"}, 0)], 20))
    with db.transaction() as s:
        step = entities.resolve_new(s, NOW)
    assert step.leads == 1
    assert step.pairs == entities.PER_ENTITY  # not 20: a few records stand for their entity
    labels = _labels(db)
    assert len(labels) == 21 and len(set(labels.values())) == 1


def test_a_new_lead_whose_blocks_hold_many_sellers_meets_only_the_few_sharing_most_with_it_and_joins_its_own(
        db: Database) -> None:
    # twelve shops in one mall building: the address blocks hold all of them, their names and phones differ
    shops = ["恒达日用百货商行", "美佳服饰店", "华联电器经营部", "鑫源五金店", "欣悦母婴用品店", "博雅文具店",
             "金辉眼镜店", "顺丰茶叶商行", "乐途户外用品店", "雅诗化妆品店", "佳和家纺店", "天成钟表店"]
    sellers = [{"name": f"义乌市{name}", "phone": f"139579{k:05d}", "address": "浙江省义乌市福田街道商城大道88号",
                "region": ["330000", "320000"][k % 2]} for k, name in enumerate(shops)]
    _add(db, _lead_rows([(seller, 0) for seller in sellers], 0))
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    before = _labels(db)
    assert len(set(before.values())) == len(shops)  # one building, twelve sellers
    _add(db, _lead_rows([({**sellers[5], "region": "110000"}, 0)], len(shops)))
    with db.transaction() as s:
        step = entities.resolve_new(s, NOW)
    assert step.leads == 1
    assert 1 <= step.pairs <= entities.ENTITIES_PER_RECORD  # not 12: the shops sharing only the address stay out
    labels = _labels(db)
    assert labels[f"L{len(shops)}"] == before["L5"]  # it joined its own shop
    assert {lid: e for lid, e in labels.items() if lid != f"L{len(shops)}"} == before


def test_a_block_is_read_up_to_its_latest_members_by_a_seek_per_key(db: Database) -> None:
    big, small = 2 ** 62 + 3, -(2 ** 62) - 5  # keys are signed 64-bit hashes
    leads = random.Random(3).sample(range(1, 10_000), 30)
    with db.transaction() as s:
        s.execute(sa.text("INSERT INTO seller_keys (key, lead_id) VALUES (:k, :l)"),
                  [{"k": big, "l": lead} for lead in leads[:25]] + [{"k": small, "l": lead} for lead in leads[25:]]
                  + [{"k": 11, "l": lead} for lead in leads])  # a third block, not asked for
    with db.read() as s:
        sql = entities._Sql(s)
        capped = entities.block_members(sql, {big: 25, small: 5}, 10)
        whole = entities.block_members(sql, {big: 25, small: 5}, None)
    assert sorted(capped) == sorted([(big, lead) for lead in sorted(leads[:25])[-10:]]
                                    + [(small, lead) for lead in leads[25:]])  # the 10 latest; a small block whole
    assert sorted(whole) == sorted([(big, lead) for lead in leads[:25]] + [(small, lead) for lead in leads[25:]])


def test_a_new_lead_joins_its_seller_whose_records_are_older_than_a_crowded_blocks_latest_members(
        db: Database) -> None:
    # a shop filed early, then twenty newer shops in the same building: the address block's latest members are
    # all others; the new lead still meets its own shop through the blocks it shares with it alone
    # (and none of the neighbours: other names, other phones — 益康药房 names no registered trade to conflict with)
    own = {"name": "义乌市博雅文具店", "phone": "13957900777", "address": "浙江省义乌市福田街道商城大道88号",
           "shop_url": "https://mall.jd.com/index-100777.html"}
    _add(db, _lead_rows([({**own, "region": r}, 0) for r in ("330000", "320000")], 0))
    others = [{"name": f"义乌市{name}", "phone": f"1395810{k:04d}", "address": own["address"],
               "region": ["330000", "320000"][k % 2]}
              for k, name in enumerate(["恒达日用百货商行", "美佳服饰店", "华联电器经营部", "鑫源五金店", "欣悦母婴用品店",
                                        "金辉眼镜店", "顺丰茶叶商行", "乐途户外用品店", "雅诗化妆品店", "佳和家纺店",
                                        "天成钟表店", "福满楼酒行", "绿源生鲜超市", "童趣玩具店", "锦绣丝绸庄",
                                        "盛世珠宝行", "新潮鞋业店", "益康药房", "明亮灯饰店", "百川箱包店"])]
    _add(db, _lead_rows([(o, 0) for o in others], 2))
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    before = _labels(db)
    assert before["L0"] == before["L1"] and len(set(before.values())) == 1 + len(others)
    with db.read() as s:
        street = entities._Sql(s).rows("SELECT key, count(*) FROM (SELECT key FROM seller_keys UNION ALL SELECT key FROM "
                                       "seller_keys_recent) AS k GROUP BY key HAVING count(*) > ?",
                                       [entities.MEMBERS_PER_KEY or 0])
    assert street, "a block holds more members than a cycle reads of it"
    _add(db, _lead_rows([({**own, "region": "110000"}, 0)], 2 + len(others)))
    with db.transaction() as s:
        step = entities.resolve_new(s, NOW)
    assert step.leads == 1
    labels = _labels(db)
    assert labels[f"L{2 + len(others)}"] == before["L0"]  # it joined its own shop
    assert {lid: e for lid, e in labels.items() if lid != f"L{2 + len(others)}"} == before


def _seller(name: str, phone: str, address: str) -> dict[str, str]:
    return {"name": name, "phone": phone, "address": address}


def test_an_officers_merge_and_its_reversal_touch_only_the_cases_concerned(db: Database) -> None:
    # two sellers the engine keeps apart, put to an officer (who knows they share an owner), and an
    # unrelated seller with its own case
    a = _seller("深圳市瑞飞百货有限公司", "", "广东省深圳市福田区")
    b = _seller("东莞市鸿运五金商行", "13800138009", "广东省东莞市长安镇创业路218号")
    other = _seller("杭州丙丁服饰有限公司", "13700137000", "浙江省杭州市余杭区文一西路99号")
    rows = []
    for k, (seller, region) in enumerate([(a, "440000"), (b, "330000"), (other, "310000"), (other, "320000")]):
        rows.append({**_lead_rows([({**seller, "region": region}, 0)], k)[0], "right_number": "TM-5"})
    _add(db, rows)
    with db.transaction() as s:
        cases.form_cases(s, NOW)
        lead_a, lead_b = sorted(s.scalars(sa.select(NationalLead.id).where(NationalLead.region.in_(["440000",
                                                                                                   "330000"]))))
        s.add(MergeReview(lead_a=lead_a, lead_b=lead_b, probability=0.5, status="pending", created_at=NOW))
    with db.read() as s:
        [review] = list(s.scalars(sa.select(MergeReview)))
        [unrelated] = list(s.scalars(sa.select(CaseRow)))
        before = s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow))
    assert sorted(unrelated.regions) == ["310000", "320000"]

    with db.transaction() as s:
        decide_merge(s, review.id, True, officer="国家局 赵科长", note="同一法定代表人", now=NOW)
    with db.transaction() as s:
        merged = cases.form_cases(s, NOW)
    assert (merged.leads_resolved, merged.merges, merged.entities_affected, merged.cases_created) == (0, 1, 1, 1)
    with db.read() as s:
        formed = s.scalar(sa.select(CaseRow).where(CaseRow.id != unrelated.id))
        assert formed is not None and sorted(formed.regions) == ["330000", "440000"]
        after = s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow))
        untouched = s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow)
                             .where(DownlinkRow.uuid == unrelated.uuid))
    assert after - before == 2 and untouched == 2, "only the new case went to its two regions"

    with db.transaction() as s:
        decide_merge(s, review.id, False, officer="国家局 赵科长", note="两家不同企业", now=NOW)
    with db.transaction() as s:
        split = cases.form_cases(s, NOW)
    assert (split.splits, split.entities_affected) == (1, 2)
    with db.read() as s:
        assert s.get(CaseRow, formed.id).status is CaseStatus.WITHDRAWN
        assert s.get(CaseRow, unrelated.id).status is CaseStatus.FORMED
        assert s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow)
                        .where(DownlinkRow.uuid == unrelated.uuid)) == 2
    # a quiet cycle afterwards does nothing at all
    with db.transaction() as s:
        idle = cases.form_cases(s, NOW)
    assert (idle.leads_resolved, idle.entities_affected, idle.downlink_items) == (0, 0, 0)


def test_a_case_that_stands_as_it_is_is_neither_redrafted_nor_sent_again(db: Database) -> None:
    seller = _seller("杭州丙丁服饰有限公司", "13700137000", "浙江省杭州市余杭区文一西路99号")
    rows = [{**_lead_rows([({**seller, "region": region}, 0)], k)[0], "right_number": "TM-5"}
            for k, region in enumerate(["310000", "320000"])]
    _add(db, rows)
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    with db.read() as s:
        [case] = list(s.scalars(sa.select(CaseRow)))

    def sent() -> int:
        with db.read() as s:
            return int(s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow)
                                .where(DownlinkRow.uuid == case.uuid)) or 0)

    assert sent() == 2
    # the same seller reported for another right: its entity changes, its TM-5 case does not
    _add(db, [{**_lead_rows([({**seller, "region": "330000"}, 0)], 5)[0], "right_number": "TM-6"}])
    with db.transaction() as s:
        step = entities.resolve_new(s, NOW)
        plan = cases.plan_for_entities(s, step.affected)
        assert plan.kept == {case.id} and plan.drafts == []
        result = cases.apply_plan(s, plan, NOW)
    assert (result.cases_created, result.cases_updated, result.downlink_items) == (0, 0, 0)
    assert sent() == 2
    # a third region reporting TM-5: the case is re-formed and sent to all three
    _add(db, [{**_lead_rows([({**seller, "region": "340000"}, 0)], 6)[0], "right_number": "TM-5"}])
    with db.transaction() as s:
        grown = cases.form_cases(s, NOW)
    assert (grown.cases_created, grown.cases_updated) == (0, 1)
    with db.read() as s:
        assert sorted(s.get(CaseRow, case.id).regions) == ["310000", "320000", "340000"]
        assert s.get(CaseRow, case.id).status is CaseStatus.FORMED
    assert sent() == 5


def test_an_issued_cases_host_region_stays_when_a_later_lead_joins(db: Database) -> None:
    """newcomer16 N15: a later Guangdong lead flipped the 主办 of an issued case from Zhejiang to Guangdong (the
    choice counted leads again) before any region had reported, and nothing said so."""
    seller = _seller("杭州瑞飞商贸有限公司", "13700137011", "浙江省杭州市余杭区文一西路99号")
    _add(db, [{**_lead_rows([({**seller, "region": region}, 0)], k)[0], "right_number": "TM-21"}
              for k, region in enumerate(["330000", "350000"])])
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    with db.read() as s:
        [case] = list(s.scalars(sa.select(CaseRow)))
    assert case.lead_region == "330000"  # one lead each: the lowest code
    # two Guangdong leads of the same seller: counted afresh, Guangdong would now win
    _add(db, [{**_lead_rows([({**seller, "region": "440000"}, 0)], k)[0], "right_number": "TM-21"}
              for k in (2, 3)])
    with db.transaction() as s:
        grown = cases.form_cases(s, NOW)
    assert grown.cases_updated == 1
    with db.read() as s:
        after = s.get(CaseRow, case.id)
        events = list(s.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)))
    assert sorted(after.regions) == ["330000", "350000", "440000"] and after.lead_region == "330000"
    assert events == []  # nothing moved, nothing to say


def test_a_host_region_no_longer_concerned_moves_and_every_node_is_told(db: Database) -> None:
    """The host moves only when its leads left the case — here the group that continues the case no longer holds
    the Zhejiang lead, as when an officer reverses a merge — and the history and every region concerned say so."""
    seller = _seller("杭州瑞飞商贸有限公司", "13700137011", "浙江省杭州市余杭区文一西路99号")
    _add(db, [{**_lead_rows([({**seller, "region": region}, 0)], k)[0], "right_number": "TM-22"}
              for k, region in enumerate(["330000", "350000", "440000"])])
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    with db.read() as s:
        [case] = list(s.scalars(sa.select(CaseRow)))
        staying = sorted(s.scalars(sa.select(NationalLead.id).where(NationalLead.region != "330000")))
    assert case.lead_region == "330000"
    draft = cases.CaseDraft(right="TM-22", lead_ids=tuple(staying), regions=("350000", "440000"),
                            seller_keys=("phone:13700137011",), lead_region="350000")
    with db.transaction() as s:
        result = cases.apply_plan(s, cases.Plan(drafts=[draft], touched={case.id}), NOW)
    assert result.cases_updated == 1
    with db.read() as s:
        after = s.get(CaseRow, case.id)
        events = list(s.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)))
        told = list(s.scalars(sa.select(DownlinkRow).where(DownlinkRow.uuid == case.uuid,
                                                           DownlinkRow.kind == "case_update")))
        audit = [e.detail for e in s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "case_updated"))]
    assert after.status is CaseStatus.FORMED
    assert sorted(after.regions) == ["350000", "440000"] and after.lead_region == "350000"
    # newcomer18 N9: the region that left is told too (its copy withdrawn), and every history says it left
    assert [(e.region, e.outcome) for e in events] == [("000000", cases.host_change_outcome("330000", "350000")),
                                                       ("000000", cases.regions_left_outcome(["330000"]))]
    assert sorted(r.region for r in told) == ["330000", "350000", "350000", "440000", "440000"]
    assert [r.body_shared for r in told if r.region == "330000"] == [False]
    assert any(d.get("lead_region_before") == "330000" and d.get("lead_region") == "350000" for d in audit)


def test_two_sellers_that_turn_out_to_be_one_keep_one_case(db: Database) -> None:
    # each shop has its own case first (two regions each); then a lead with both identifiers arrives
    uscc_seller = {"name": "广州市华南电子有限公司", "uscc": "91440101MA59ABCD1", "address": "广东省广州市天河区体育西路1号"}
    from regional.identifiers import uscc_check_char

    uscc_seller["uscc"] = uscc_seller["uscc"] + uscc_check_char(uscc_seller["uscc"])
    # a shop whose name says nothing of the company (a shop of its own trade name would join it at once)
    phone_seller = {"name": "极光数码旗舰店", "phone": "13812345678"}
    rows = [{**_lead_rows([({**seller, "region": region}, 0)], k)[0], "right_number": "TM-9"}
            for k, (seller, region) in enumerate([(uscc_seller, "440000"), (uscc_seller, "330000"),
                                                  (phone_seller, "310000"), (phone_seller, "320000")])]
    _add(db, rows)
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CaseRow)) == 2
    both = {**uscc_seller, "phone": "13812345678", "region": "350000"}
    _add(db, [{**_lead_rows([(both, 0)], 10)[0], "right_number": "TM-9"}])
    with db.transaction() as s:
        joined = cases.form_cases(s, NOW)
    assert joined.merges >= 2
    with db.read() as s:
        live = list(s.scalars(sa.select(CaseRow).where(CaseRow.status != CaseStatus.WITHDRAWN)))
        gone = list(s.scalars(sa.select(CaseRow).where(CaseRow.status == CaseStatus.WITHDRAWN)))
    assert len(live) == 1 and sorted(live[0].regions) == ["310000", "320000", "330000", "350000", "440000"]
    assert len(gone) == 1


def test_a_first_start_over_existing_leads_rebuilds_once_then_goes_incremental(db: Database) -> None:
    records = list(generate(400, seed=5))
    _add(db, _lead_rows(records[:300], 0))
    with db.transaction() as s:
        first = cases.form_cases(s, NOW)
    with db.read() as s:
        resolved = s.scalar(sa.select(sa.func.count()).select_from(SellerRecord))
    assert first.leads_resolved == 300 and resolved == 300
    _add(db, _lead_rows(records[300:], 300))
    with db.transaction() as s:
        second = cases.form_cases(s, NOW)
    assert second.leads_resolved == 100


def test_the_blacklist_counts_cases_decided_inside_its_window_only(db: Database) -> None:
    from national.casework import Rules, update_blacklist
    from national.models import BlacklistRow

    def case(key: str, decided: dt.datetime) -> CaseRow:
        return CaseRow(uuid=str(uuid.uuid4()), key=f"TM-1|{key}", right_number="TM-1", type="trademark",
                       lead_region="440000", regions=["440000", "330000"], cross_region=True,
                       status=CaseStatus.CONFIRMED, decided_at=decided, formed_at=decided, updated_at=decided)

    rules = Rules(blacklist_cases=2, blacklist_months=12)
    with db.transaction() as s:
        s.add_all([case("phone:13900000001", NOW - dt.timedelta(days=3)),
                   case("phone:13900000001", NOW - dt.timedelta(days=359)),  # both inside 12 x 30 days
                   case("phone:13900000002", NOW - dt.timedelta(days=3)),
                   case("phone:13900000002", NOW - dt.timedelta(days=361)),  # one just outside
                   case("phone:13900000003", NOW - dt.timedelta(days=800)),
                   case("phone:13900000003", NOW - dt.timedelta(days=900))])
    with db.transaction() as s:
        update_blacklist(s, rules, NOW)
    with db.read() as s:
        assert set(s.scalars(sa.select(BlacklistRow.entity_key))) == {"phone:13900000001"}


def test_a_cycle_gives_its_sqlite_connection_a_large_page_cache_and_forms_the_same_cases(
        db: Database, tmp_path: Path) -> None:
    """The cycle's connection keeps what it touched for its later statements and the next cycle (SQLite's default
    2 MB page cache held almost nothing of a large node); the cases it forms are those an untuned connection forms."""
    records = list(generate(400, seed=5))
    rows = _lead_rows(records, 0)
    _add(db, rows)
    national_node.form_cases_once(db)
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL: nothing to tune per connection, and the cycle ran
    with db.engine.connect() as conn:  # the pooled connection the cycle used (one thread: the same one)
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -cases.CYCLE_CACHE_KIB
    plain_url = sqlite_url(tmp_path / "plain.db")
    run_migrations(plain_url, national_node.MIGRATIONS)
    plain = Database(plain_url)
    try:
        _add(plain, rows)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(cases, "CYCLE_CACHE_KIB", None)
            national_node.form_cases_once(plain)
        with plain.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -2000  # SQLite's default, untouched

        def groups(database: Database) -> set[frozenset[str]]:
            with database.read() as s:
                found: dict[int, set[str]] = {}
                for listing, case_id in s.execute(sa.select(NationalLead.listing_id, NationalLead.case_id)
                                                  .where(NationalLead.case_id.is_not(None))):
                    found.setdefault(case_id, set()).add(listing)
            return {frozenset(g) for g in found.values()}

        assert groups(db) == groups(plain) and groups(db)
    finally:
        plain.dispose()


def test_the_leads_joining_cases_are_set_by_one_statement_per_chunk(db: Database) -> None:
    """On SQLite every lead joining a case in a chunk is set by one UPDATE (not one statement per lead: each opened
    and cut back a statement journal, quadratic with an in-memory journal — issue 12, session 18); on either engine
    every lead of a cross-region case points at it afterwards."""
    records = list(generate(1500, seed=29))
    _add(db, _lead_rows(records[:1000], 0, rights=8))
    with db.transaction() as s:
        cases.form_cases(s, NOW)
    _add(db, _lead_rows(records[1000:], 1000, rights=8))
    updates: list[tuple[str, bool]] = []

    def seen(_conn: object, _cur: object, stmt: str, _params: object, _ctx: object, many: bool) -> None:
        if stmt.lstrip().upper().startswith("UPDATE LEADS SET CASE_ID"):
            updates.append((stmt, many))

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.transaction() as s:
            result = cases.form_cases(s, NOW)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert result.cases_created + result.cases_updated > 0 and updates
    if db.engine.dialect.name == "sqlite":
        assert all(not many and "json_each" in stmt for stmt, many in updates), updates
        assert len(updates) <= -(-(result.cases_created + result.cases_updated) // 256) + 1, updates
    with db.read() as s:
        members = s.execute(sa.select(NationalLead.id, NationalLead.case_id)).all()
        listed = {c.id: c for c in s.scalars(sa.select(CaseRow))}
        in_case = {lead_id for lead_id, case_id in members if case_id is not None}
        assert in_case and all(case_id in listed for _l, case_id in members if case_id is not None)
        regions = {}
        for lead_id, case_id in members:
            if case_id is not None:
                regions.setdefault(case_id, set()).add(
                    s.scalar(sa.select(NationalLead.region).where(NationalLead.id == lead_id)))
        assert all(set(listed[c].regions) == r for c, r in regions.items())
