"""The review queue on SQLite and PostgreSQL: filters, search, sort, keyset pages and totals agree with a plain scan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from regional.actors import Actor
from regional.domain import LeadState
from regional.models import LeadRow, SellerRow
from regional.node import MIGRATIONS
from regional.reports.periods import local_day
from regional.review import queue, service
from regional.review.queue import FilterError, Filters, Sort, parse_filters
from regional.review.search import matches, query_terms
from regional.workflow_models import LeadTally
from sync.db import Database, run_migrations, sqlite_url
from tests.workflow_data import NOW, REGION, World, build

WANG = Actor("wang", frozenset({"supervisor", "officer"}))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> World:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("queue") / "node.db")
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(server.unique_name("review_queue"))
    run_migrations(url, MIGRATIONS)
    w = build(Database(url), 300, agencies=True)
    ctx = service.Context(REGION, w.signer)
    # some variety in states and assignment
    service.decide_many(w.db, ctx, w.leads[0:40:2], "confirmed", actor=WANG, now=NOW)
    service.decide_many(w.db, ctx, w.leads[1:40:2], "need_info", "请补充", actor=WANG, now=NOW)
    service.assign(w.db, w.leads[100:130], "zhao", actor=WANG, now=NOW)
    return w


def everything(world: World) -> list[dict[str, Any]]:
    """Every lead with the fields the filters look at, read without the queue's machinery."""
    with world.db.read() as s:
        rows = s.execute(sa.select(LeadRow, SellerRow.name, SellerRow.uscc)
                         .outerjoin(SellerRow, LeadRow.seller_id == SellerRow.id)).all()
    return [{"id": lead.id, "uuid": lead.uuid, "state": lead.state.value, "type": lead.type.value, "source": lead.source.value,
             "score": lead.score, "right": lead.right_number, "created": lead.created_at.replace(tzinfo=dt.UTC)
             if lead.created_at.tzinfo is None else lead.created_at, "assigned": lead.assigned_to, "seller": name,
             "uscc": uscc, "listing": lead.listing_id} for lead, name, uscc in rows]  # noqa: E741


def expected(world: World, f: Filters, sort: Sort) -> list[str]:
    out = []
    indexed = _indexed_terms(world) if f.q else {}
    for r in everything(world):
        if f.q and not all(matches(t, indexed.get(r["id"], set())) for t in query_terms(f.q)):
            continue
        if r["state"] not in {s.value for s in f.states}:
            continue
        if f.types and r["type"] not in {t.value for t in f.types}:
            continue
        if f.sources and r["source"] not in {s.value for s in f.sources}:
            continue
        if f.score_min is not None and r["score"] < f.score_min:
            continue
        if f.score_max is not None and not (r["score"] < f.score_max or (f.score_max >= 1 and r["score"] <= 1)):
            continue
        if f.right and r["right"] != f.right:
            continue
        if f.assigned and r["assigned"] != (None if f.assigned == "-" else f.assigned):
            continue
        if f.seller and f.seller not in (r["seller"] or "") and f.seller != r["uscc"]:
            continue
        if f.date_from and local_day(r["created"]) < f.date_from:  # dates are Beijing days
            continue
        if f.date_to and local_day(r["created"]) > f.date_to:
            continue
        out.append(r)
    key = {Sort.SCORE_DESC: lambda r: (-r["score"], -r["id"]), Sort.SCORE_ASC: lambda r: (r["score"], r["id"]),
           Sort.NEWEST: lambda r: (-r["created"].timestamp(), -r["id"]),
           Sort.OLDEST: lambda r: (r["created"].timestamp(), r["id"])}[sort]
    return [r["uuid"] for r in sorted(out, key=key)]


def walk(world: World, f: Filters, sort: Sort, limit: int = 7) -> tuple[list[str], int]:
    """Every page from the first, following the cursors."""
    got: list[str] = []
    after = None
    total = -1
    for _ in range(200):
        with world.db.read() as s:
            page = queue.list_page(s, f, sort, limit, after)
        got += [r["uuid"] for r in page.rows]
        total = page.total
        after = page.next_cursor
        if after is None:
            break
    return got, total


CASES = [
    {},
    {"state": "all"},
    {"state": "confirmed"},
    {"type": "trademark"},
    {"type": "design,invention"},
    {"source": "complaint"},
    {"state": "new,confirmed", "source": "ecommerce,complaint", "type": "trademark,design"},
    {"score_min": "0.5", "score_max": "0.8"},
    {"score_min": "0.9", "score_max": "1"},
    {"right": "TM-0020001"},
    {"seller": "91440305MA5DC0QX1L"},
    {"seller": "白云"},
    {"assigned": "zhao"},
    {"assigned": "-", "state": "all"},
    {"from": "2026-11-25", "to": "2026-11-28"},
    {"state": "all", "from": "2026-11-29"},
    {"state": "all", "from": "2026-11-30", "to": "2026-11-30"},  # a Beijing day: 2026-11-29 16:00 UTC onwards
    {"q": "商行", "state": "all"},  # search alone (PostgreSQL: a walk probes postings, else ids by primary key)
    {"q": "雪碧 进口", "type": "trademark,design"},
    {"q": "南山 商行", "score_min": "0.5", "state": "new,confirmed"},
]


@pytest.mark.parametrize("plan", ["sort the matches", "walk the sort index"])
@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "default")
def test_every_filter_and_sort_pages_through_exactly_the_matching_leads(world: World, params: dict[str, str],
                                                                        sort: Sort, plan: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # both plans of list_page: few matches sort what they find, many walk the sort's index filtering as they go
    monkeypatch.setattr(queue, "_should_walk", lambda _s, f, _sort, _limit, _total:
                        plan.startswith("walk") and not f.only_tallied())
    f = parse_filters(params)
    want = expected(world, f, sort)
    got, total = walk(world, f, sort, limit=23)
    assert got == want
    assert total == len(want)


@pytest.mark.parametrize(("params", "sort", "walks"), [
    ({"from": "2026-01-01", "to": "2026-12-31"}, Sort.SCORE_DESC, True),  # many matches, no index in score order
    ({"from": "2026-01-01", "to": "2026-12-31"}, Sort.NEWEST, False),  # (state, created_at) is in this order
    ({"right": "TM-0020001"}, Sort.SCORE_DESC, False),  # (right, state, score): in order however many match
    ({"right": "TM-0020001"}, Sort.NEWEST, True),
    ({"type": "design"}, Sort.SCORE_DESC, False),  # tallied: never walks
])
def test_a_page_walks_the_sort_index_only_when_sorting_the_matches_would_read_more(
        world: World, params: dict[str, str], sort: Sort, walks: bool) -> None:
    f = parse_filters(params)
    with world.db.read() as s:
        population = queue.count(s, Filters(states=f.states))
        many = population  # every lead awaiting judgement matches: sorting reads them all, a walk one page
        assert queue._should_walk(s, f, sort, 24, many) is walks
        assert queue._should_walk(s, f, sort, 24, 3) is False  # a handful: sort them
        assert queue._should_walk(s, f, sort, 24, 0) is False


@pytest.mark.parametrize("plan", ["sort the matches", "walk the sort index"])
def test_date_filters_take_beijing_days_at_the_utc_day_boundary(world: World, plan: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "_should_walk", lambda *_a: plan.startswith("walk"))
    late = world.leads[250]  # detected 2026-11-30 17:30 UTC: 2026-12-01 01:30 in Beijing
    evening = world.leads[251]  # 2026-11-30 15:59:59 UTC: 23:59:59 on 2026-11-30 in Beijing
    midnight = world.leads[17]  # NOW - 17 h = 2026-11-29 16:00 UTC: the first moment of 2026-11-30 in Beijing
    with world.db.transaction() as s:
        for uuid, at in ((late, dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)),
                         (evening, dt.datetime(2026, 11, 30, 15, 59, 59, tzinfo=dt.UTC))):
            s.execute(sa.update(LeadRow).where(LeadRow.uuid == uuid).values(created_at=at))
    for sort in (Sort.SCORE_DESC, Sort.NEWEST):
        dec1, _ = walk(world, parse_filters({"state": "all", "from": "2026-12-01", "to": "2026-12-01"}), sort)
        assert dec1 == [late]
        nov30, total = walk(world, parse_filters({"state": "all", "from": "2026-11-30", "to": "2026-11-30"}), sort)
        assert evening in nov30 and midnight in nov30 and late not in nov30
        assert total == len(nov30)
        nov29, _ = walk(world, parse_filters({"state": "all", "to": "2026-11-29"}), sort, limit=50)
        assert midnight not in nov29 and world.leads[18] in nov29  # 15:00 UTC on the 29th: 23:00 in Beijing


def test_search_finds_chinese_by_character_pairs_and_latin_by_word(world: World) -> None:
    from regional.detection.normalize import normalize_text

    with world.db.read() as s:
        texts = {u: normalize_text(f"{t} {n or ''}") for u, t, n in s.execute(sa.text(
            "SELECT leads.uuid, listings.title, sellers.name FROM leads JOIN listings ON listings.id = leads.listing_id "
            "LEFT JOIN sellers ON sellers.id = leads.seller_id")).all()}
    for q in ("雷碧", "保温杯", "保溫杯", "SPRITE", "碧", "南山 商行"):
        got, total = walk(world, parse_filters({"q": q, "state": "all"}), Sort.SCORE_DESC, limit=50)
        words = normalize_text(q).split()
        want = {u for u, text in texts.items() if all(w in text for w in words)}
        assert want and set(got) == want and total == len(want), q
    got, total = walk(world, parse_filters({"q": "不存在的词", "state": "all"}), Sort.SCORE_DESC)
    assert got == [] and total == 0


class _Undo(Exception):
    """Raised to roll a test's writes back."""


def _indexed_terms(world: World) -> dict[int, set[str]]:
    with world.db.read() as s:
        return {lead_id: set(terms.split()) for lead_id, terms in s.execute(sa.text(
            "SELECT lead_id, terms FROM lead_search")).all()}


def test_search_of_many_terms_finds_exactly_the_leads_holding_every_term(world: World) -> None:
    # the truth is lead_search itself: a lead matches when its terms hold every query term
    indexed = _indexed_terms(world)
    with world.db.read() as s:
        title, seller, listing = s.execute(sa.text(
            "SELECT listings.title, sellers.name, listings.id FROM leads JOIN listings ON listings.id = leads.listing_id "
            "JOIN sellers ON sellers.id = leads.seller_id ORDER BY leads.id LIMIT 1 OFFSET 77")).one()
        uuid_of = dict(s.execute(sa.select(LeadRow.id, LeadRow.uuid)).all())
    for q in (f"{title} {seller}", title, f"{seller} {listing}", str(listing), "汽水 杯", "商行"):
        terms = query_terms(q)
        want = {uuid_of[i] for i, have in indexed.items() if all(matches(t, have) for t in terms)}
        got, total = walk(world, parse_filters({"q": q[:100], "state": "all"}), Sort.SCORE_DESC, limit=50)
        if len(q) <= 100:
            assert set(got) == want and total == len(want), (q, len(terms))
    assert len(query_terms(f"{title} {seller}")) > queue.JOINED_TERMS  # the recheck path was taken


@pytest.mark.postgres
def test_postgres_posting_table_follows_every_write_to_the_search_terms(world: World) -> None:
    if world.db.engine.dialect.name != "postgresql":
        pytest.skip("the posting table is PostgreSQL's; SQLite keeps FTS5")

    def postings(s: Any, lead_id: int | None = None) -> set[tuple[str, int]]:
        where = "" if lead_id is None else f" WHERE lead_id = {int(lead_id)}"
        return set(map(tuple, s.execute(sa.text("SELECT term, lead_id FROM lead_terms" + where)).all()))

    def found(s: Any, terms: list[str]) -> set[int]:
        return set(s.scalars(queue._search_ids(s, terms)))

    indexed = _indexed_terms(world)
    with world.db.read() as s:  # every lead made so far (detection, judgements, assignment) is posted exactly
        assert postings(s) == {(t, i) for i, terms in indexed.items() for t in terms}
    lead_id = min(indexed)
    long_term = "长" * 250  # a btree entry must stay small: not posted, still found (rechecked)
    with pytest.raises(_Undo), world.db.transaction() as s:  # undone at the end: the world is shared
        s.execute(sa.text("UPDATE lead_search SET terms = :t WHERE lead_id = :i"),
                  {"t": f"zzqx 新词 {long_term}", "i": lead_id})
        assert postings(s, lead_id) == {("zzqx", lead_id), ("新词", lead_id)}
        assert found(s, ["zzqx", "新词"]) == {lead_id} and found(s, [long_term]) == {lead_id}
        s.execute(sa.text("DELETE FROM lead_search WHERE lead_id = :i"), {"i": lead_id})
        assert postings(s, lead_id) == set() and found(s, ["zzqx"]) == set()
        s.execute(sa.text("INSERT INTO lead_search (lead_id, terms) VALUES (:i, :t)"), {"i": lead_id, "t": "zzqx zzqx"})
        assert postings(s, lead_id) == {("zzqx", lead_id)}
        raise _Undo
    with world.db.read() as s:
        assert postings(s, lead_id) == {(t, lead_id) for t in indexed[lead_id]}


def test_latin_and_digit_words_of_a_query_match_as_prefixes(world: World) -> None:
    """newcomer15 F17: 义乌市测试1 found nothing of 义乌市测试10 (Latin and digits matched whole words only)."""
    from regional.review.search import MAX_PREFIXES, terms_of

    def found(s: Any, q: str) -> list[int]:
        return list(s.scalars(queue._search_ids(s, query_terms(q))))

    indexed = _indexed_terms(world)
    a, b = sorted(indexed)[:2]
    with pytest.raises(_Undo), world.db.transaction() as s:  # undone at the end: the world is shared
        for lead_id, text in ((a, "义乌市测试10 Nikeair 110"), (b, "义乌市测试2 NIKE")):
            s.execute(sa.text("UPDATE lead_search SET terms = :t WHERE lead_id = :i"),
                      {"t": " ".join(terms_of(text)), "i": lead_id})
        assert found(s, "义乌市测试1") == [a]  # one match, though 10 and 110 both begin with 1
        assert sorted(found(s, "义乌市测试")) == sorted({a, b})
        assert found(s, "义乌市测试10") == [a] and found(s, "义乌市测试100") == []
        assert found(s, "义乌市测试2") == [b] and found(s, "义乌市测试3") == []
        assert sorted(found(s, "nik")) == sorted({a, b}) and found(s, "NIKEA") == [a] and found(s, "ike") == []
        assert found(s, '义乌市测试1" OR "x') == [] and found(s, "义乌市测试1%") == [a]  # no pattern characters
        raise _Undo
    # the longest MAX_PREFIXES Latin words are prefixes, the others whole words (the bound on ranges per query)
    assert MAX_PREFIXES == 3 and query_terms("aa bbbb c dd eeeee 义乌") == ["aa*", "bbbb*", "c", "dd", "eeeee*", "义乌"]


def test_totals_come_from_tallies_that_match_a_recount_after_folding(world: World) -> None:
    f = parse_filters({"state": "all"})
    with world.db.transaction() as s:
        before = queue.count(s, f)
        queue.fold_tallies(s)
        assert s.scalar(sa.select(sa.func.count()).select_from(LeadTally)) <= 5 * 4 * 4
    with world.db.read() as s:
        assert queue.count(s, f) == before == s.scalar(sa.select(sa.func.count()).select_from(LeadRow))
        by_state = dict(s.execute(sa.select(LeadRow.state, sa.func.count()).group_by(LeadRow.state)).all())
        for state in LeadState:
            assert queue.count(s, parse_filters({"state": state.value})) == by_state.get(state, 0)


@pytest.mark.parametrize("params, param", [
    ({"state": "maybe"}, "state"), ({"score_min": "x"}, "score_min"), ({"score_min": "2"}, "score_min"),
    ({"score_min": "0.8", "score_max": "0.2"}, "score_min"), ({"from": "yesterday"}, "from"),
    ({"q": "x" * 101}, "q"), ({"right": "a\x00b"}, "right"), ({"type": "trademark,nope"}, "type"),
])
def test_bad_parameters_are_refused_naming_the_parameter(params: dict[str, str], param: str) -> None:
    with pytest.raises(FilterError) as err:
        parse_filters(params)
    assert err.value.param == param


def test_a_forged_or_foreign_cursor_is_refused(world: World) -> None:
    with world.db.read() as s:
        page = queue.list_page(s, Filters(), Sort.SCORE_DESC, 5)
        assert page.next_cursor
        with pytest.raises(FilterError, match="another sort"):
            queue.list_page(s, Filters(), Sort.NEWEST, 5, page.next_cursor)
        for bad in ("!!!", "eyJ4IjoxfQ", "W10", "x" * 300):
            with pytest.raises(FilterError):
                queue.list_page(s, Filters(), Sort.SCORE_DESC, 5, bad)


CAPPED = [  # filters the tallies do not hold: counted, up to the cap
    {"score_min": "0.5", "score_max": "0.8"},
    {"state": "all", "from": "2026-11-20"},
    {"q": "商行", "state": "all"},  # search alone: counted on the server
    {"q": "南山 商行", "score_min": "0.5", "state": "new,confirmed"},
    {"state": "new,confirmed", "source": "ecommerce,complaint", "type": "trademark,design", "score_min": "0.3"},
]


@pytest.mark.parametrize("sort", [Sort.SCORE_DESC, Sort.NEWEST])
@pytest.mark.parametrize("params", CAPPED, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_a_large_total_is_capped_honestly_and_the_pages_stay_exact(world: World, params: dict[str, str],
                                                                    sort: Sort) -> None:
    f = parse_filters(params)
    want = expected(world, f, sort)
    cap = 9
    assert len(want) > cap + 1, "the case must have more matches than the cap"
    got: list[str] = []
    after = None
    for _ in range(100):  # every page: a capped total, and the cursors still reach every match exactly once
        with world.db.read() as s:
            page = queue.list_page(s, f, sort, 7, after, cap=cap)
        assert (page.total, page.total_exact) == (cap, False)
        got += [r["uuid"] for r in page.rows]
        after = page.next_cursor
        if after is None:
            break
    assert got == want
    with world.db.read() as s:
        exact = queue.list_page(s, f, sort, 7, cap=cap, exact=True)
        assert (exact.total, exact.total_exact) == (len(want), True)
        assert queue.count(s, f, cap=cap) == cap + 1  # the count stops after cap + 1 matches
        assert queue.count(s, f) == len(want)
        roomy = queue.list_page(s, f, sort, 7, cap=len(want))  # exactly at the cap: exact
        assert (roomy.total, roomy.total_exact) == (len(want), True)


def test_totals_the_tallies_hold_are_exact_however_large(world: World) -> None:
    with world.db.read() as s:
        for params in ({}, {"state": "all"}, {"type": "trademark", "state": "all"}, {"source": "ecommerce"}):
            f = parse_filters(params)
            page = queue.list_page(s, f, Sort.SCORE_DESC, 5, cap=3)
            assert (page.total, page.total_exact) == (len(expected(world, f, Sort.SCORE_DESC)), True)
            assert page.total > 3


def test_a_few_matches_are_counted_exactly_under_the_default_cap(world: World) -> None:
    f = parse_filters({"right": "TM-0020001", "state": "all"})
    with world.db.read() as s:
        page = queue.list_page(s, f, Sort.SCORE_DESC, 5)
    assert (page.total, page.total_exact) == (len(expected(world, f, Sort.SCORE_DESC)), True)
    assert queue.COUNT_CAP == 20_000 and queue.parse_total("exact") and not queue.parse_total(None)
    with pytest.raises(FilterError) as bad:
        queue.parse_total("all")
    assert bad.value.param == "total"


@pytest.mark.parametrize("plan", ["sort the matches", "walk the sort index"])
@pytest.mark.parametrize("sort", [Sort.SCORE_DESC, Sort.OLDEST])
@pytest.mark.parametrize("params", [{}, {"state": "all"}, {"score_min": "0.5", "score_max": "0.8"},
                                    {"q": "商行", "state": "all"}, {"type": "design,invention", "state": "all"}],
                         ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "default")
def test_previous_pages_walk_back_through_exactly_the_pages_seen_going_forward(
        world: World, params: dict[str, str], sort: Sort, plan: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "_should_walk", lambda _s, f, _sort, _limit, _total:
                        plan.startswith("walk") and not f.only_tallied())
    f = parse_filters(params)
    forward: list[list[str]] = []
    last = None
    after = None
    for _ in range(100):
        with world.db.read() as s:
            page = queue.list_page(s, f, sort, 11, after, cap=5)
        assert (page.prev_cursor is None) == (after is None)
        forward.append([r["uuid"] for r in page.rows])
        last, after = page, page.next_cursor
        if after is None:
            break
    assert len(forward) > 2 and sum(forward, []) == expected(world, f, sort)
    backward = [forward[-1]]
    page = last
    while page.prev_cursor:
        with world.db.read() as s:
            page = queue.list_page(s, f, sort, 11, before=page.prev_cursor, cap=5)
        backward.append([r["uuid"] for r in page.rows])
        assert page.next_cursor  # from a previous page, next leads forward again
    assert backward[::-1] == forward
    top = {Sort.SCORE_DESC: 2.0, Sort.OLDEST: "2000-01-01T00:00:00+00:00"}[sort]  # ahead of every lead
    with world.db.read() as s:  # nothing before it: the first page; after and before together: refused
        first = queue.list_page(s, f, sort, 11, before=queue.Cursor(sort, top, 0).encode())
        assert [r["uuid"] for r in first.rows] == forward[0] and first.prev_cursor is None
        with pytest.raises(FilterError) as forged:
            queue.list_page(s, f, sort, 11, before="bm90IGEgY3Vyc29y")
        assert forged.value.param == "before" and "not a cursor" in str(forged.value)
        with pytest.raises(FilterError) as both:
            queue.list_page(s, f, sort, 11, after=first.next_cursor, before=first.next_cursor)
        assert both.value.param == "before"
