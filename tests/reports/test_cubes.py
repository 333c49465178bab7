"""The narrow count cubes agree with the full one and with the leads, folded or not, on SQLite and PostgreSQL.

The dashboards read (area, type, source) or (industry, type, source) unless a figure needs both area and
industry; every read must still equal a count over the leads themselves, whatever the period, grouping
and filters, with some deltas folded and some not, after leads were changed and deleted.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from national.models import NationalLead
from national.node import MIGRATIONS
from national.reports.models import (
    CUBE,
    NationalLeadCount,
    NationalLeadCountByArea,
    NationalLeadCountByIndustry,
    NationalLeadCountByTime,
)
from regional.reports import cube
from regional.reports.dashboard import Query, lead_figures
from regional.reports.periods import CST, Grain, bucket, local_day, split
from sync.db import Database, run_migrations, sqlite_url

TYPES = ("trademark", "design", "invention")
SOURCES = ("ecommerce", "customs", "exhibition")
REGIONS = ("440000", "330000", "110000")
DAY0 = dt.date(2026, 8, 20)
DAYS = 100


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("cubes") / "national.db")
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(server.unique_name("cubes"))
    run_migrations(url, MIGRATIONS)
    database = Database(url)
    rng = random.Random(7)
    rows = []
    for i in range(600):
        moment = dt.datetime.combine(DAY0, dt.time(), tzinfo=CST) + dt.timedelta(seconds=rng.uniform(0, DAYS * 86400))
        rows.append({"uuid": str(uuid.uuid4()), "region": rng.choice(REGIONS), "listing_id": f"L{i}",
                     "right_number": "TM-1", "type": rng.choice(TYPES), "score": 0.9, "reasons": [],
                     "model_version": "m", "received_at": moment, "detected": moment,
                     "source": rng.choice(SOURCES), "origin": "monitoring", "industry": rng.randint(1, 6)})
    with database.transaction() as s:
        s.execute(sa.insert(NationalLead.__table__), rows[:400])
    cube.fold_all(database, CUBE)
    with database.transaction() as s:
        s.execute(sa.insert(NationalLead.__table__), rows[400:])
    cube.fold_all(database, CUBE, limit=500)  # folds part of the deltas (one batch), leaves the rest unfolded
    with database.transaction() as s:  # leads change keys and go away after the fold: -1/+1 deltas
        s.execute(sa.update(NationalLead).where(NationalLead.listing_id.in_([f"L{i}" for i in range(0, 60)]))
                  .values(type="design", industry=3))
        s.execute(sa.delete(NationalLead).where(NationalLead.listing_id.in_([f"L{i}" for i in range(60, 90)])))
    with database.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CUBE.deltas)) > 0, "some deltas must stay unfolded"
    return database


def _leads(db: Database) -> list[tuple[dt.date, str, str, str, int]]:
    with db.read() as s:
        return [(local_day(d), r, t, src, ind) for d, r, t, src, ind in s.execute(
            sa.select(NationalLead.detected, NationalLead.region, NationalLead.type, NationalLead.source,
                      NationalLead.industry))]


DIMS = {"area": 1, "type": 2, "source": 3, "industry": 4}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_read_equals_a_count_over_the_leads(db: Database, data: st.DataObject) -> None:
    start = DAY0 + dt.timedelta(days=data.draw(st.integers(-5, DAYS)))
    end = start + dt.timedelta(days=data.draw(st.integers(1, DAYS)))
    by = tuple(data.draw(st.lists(st.sampled_from(list(DIMS)), unique=True, max_size=3)))
    filters = {}
    for dim, values in (("type", TYPES), ("source", SOURCES), ("industry", tuple(range(1, 7))),
                        ("area", REGIONS)):
        if data.draw(st.booleans()):
            filters[dim] = data.draw(st.lists(st.sampled_from(values), unique=True, min_size=1, max_size=2))
    expected: Counter[tuple[object, ...]] = Counter()
    for lead in _leads(db):
        if start <= lead[0] < end and all(lead[DIMS[d]] in v for d, v in filters.items()):
            expected[("detected", *(lead[DIMS[d]] for d in by))] += 1
    with db.read() as s:
        got = cube.totals(s, CUBE, start, end, by=by, filters=filters)
    assert got == dict(expected)


def test_reads_without_industry_use_a_narrow_cube_and_area_with_industry_the_full_one() -> None:
    assert CUBE.model_for(("area", "type", "source")) is NationalLeadCountByArea
    assert CUBE.model_for(()) is NationalLeadCountByTime
    assert CUBE.model_for(("type", "source")) is NationalLeadCountByTime
    assert CUBE.model_for(("industry", "type")) is NationalLeadCountByIndustry
    assert CUBE.model_for(("area", "industry")) is NationalLeadCount


def test_narrow_cubes_hold_exactly_the_full_cube_summed_once_everything_is_folded(db: Database) -> None:
    cube.fold_all(db, CUBE)
    with db.read() as s:
        full = s.execute(sa.select(NationalLeadCount.grain, NationalLeadCount.bucket, NationalLeadCount.area,
                                   NationalLeadCount.type, NationalLeadCount.source, NationalLeadCount.industry,
                                   NationalLeadCount.n)).all()
        by_area = Counter({tuple(r[:-1]): r[-1] for r in s.execute(sa.select(
            NationalLeadCountByArea.grain, NationalLeadCountByArea.bucket, NationalLeadCountByArea.area,
            NationalLeadCountByArea.type, NationalLeadCountByArea.source, NationalLeadCountByArea.n))})
        by_industry = Counter({tuple(r[:-1]): r[-1] for r in s.execute(sa.select(
            NationalLeadCountByIndustry.grain, NationalLeadCountByIndustry.bucket,
            NationalLeadCountByIndustry.industry, NationalLeadCountByIndustry.type,
            NationalLeadCountByIndustry.source, NationalLeadCountByIndustry.n))})
        by_time = Counter({tuple(r[:-1]): r[-1] for r in s.execute(sa.select(
            NationalLeadCountByTime.grain, NationalLeadCountByTime.bucket, NationalLeadCountByTime.type,
            NationalLeadCountByTime.source, NationalLeadCountByTime.n))})
    want_area: Counter[tuple[object, ...]] = Counter()
    want_industry: Counter[tuple[object, ...]] = Counter()
    want_time: Counter[tuple[object, ...]] = Counter()
    for g, b, area, t, src, ind, n in full:
        want_area[(g, b, area, t, src)] += n
        want_industry[(g, b, ind, t, src)] += n
        want_time[(g, b, t, src)] += n
    assert +by_area == +want_area
    assert +by_industry == +want_industry
    assert +by_time == +want_time
    assert sum(n for g, *_rest, n in full if g == "d") == len(_leads(db))


def test_dashboard_figures_equal_the_leads_with_and_without_an_industry_filter(db: Database) -> None:
    leads = _leads(db)
    start, end = DAY0 + dt.timedelta(days=3), DAY0 + dt.timedelta(days=80)
    for industries in ((), (3,), (2, 5)):
        q = Query(start=start, end=end, grain=Grain.WEEK, industries=industries)
        with db.read() as s:
            fig = lead_figures(s, CUBE, q, area_kind="region", lang="zh", link=lambda p: "/leads", judged=False)
        chosen = [x for x in leads if start <= x[0] < end and (not industries or x[4] in industries)]
        assert fig["total"] == len(chosen)
        assert {a["key"]: a["value"] for a in fig["areas"]} == dict(Counter(x[1] for x in chosen))
        assert {a["key"]: a["value"] for a in fig["types"]} == dict(Counter(x[2] for x in chosen))
        assert {a["key"]: a["value"] for a in fig["sources"]} == dict(Counter(x[3] for x in chosen))
        assert {int(a["key"]): a["value"] for a in fig["industries"]} == dict(Counter(x[4] for x in chosen))
        weekly = Counter(bucket(x[0], Grain.WEEK) for x in chosen)
        assert dict(zip(fig["trend"]["x"], fig["trend"]["detected"], strict=True)) == {
            b.isoformat(): weekly.get(b, 0) for b in sorted({bucket(start + dt.timedelta(days=i), Grain.WEEK)
                                                            for i in range((end - start).days)})}


@given(start=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)), days=st.integers(0, 800))
def test_a_period_is_covered_once_by_whole_months_weeks_and_days(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    segments = split(start, end)
    covered = []
    for grain, lo, hi in segments:
        assert bucket(lo, grain) == lo and lo < hi
        if grain is not Grain.DAY:
            assert bucket(hi, grain) == hi  # whole buckets only
        covered.append((lo, hi))
    assert [lo for lo, _hi in covered[:1]] == ([start] if days else [])
    for (_lo, hi), (lo, _hi) in zip(covered, covered[1:], strict=False):
        assert hi == lo
    assert (covered[-1][1] if covered else start) == end
    assert len(segments) <= 7  # days, weeks, days, months, days, weeks, days


def test_the_upgrade_fills_the_narrow_cubes_from_the_full_one(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "n.db")
    run_migrations(url, MIGRATIONS, "n_reports")
    database = Database(url)
    moment = dt.datetime(2026, 10, 3, 4, tzinfo=dt.UTC)
    with database.transaction() as s:
        for i, (region, industry) in enumerate((("440000", 3), ("440000", 4), ("330000", 3))):
            s.execute(sa.text("INSERT INTO leads (uuid, region, listing_id, right_number, type, score, reasons, "
                              "model_version, received_at, detected, source, origin, industry) VALUES "
                              "(:u, :r, :l, 'TM-1', 'trademark', 0.9, '[]', 'm', :t, :t, 'ecommerce', "
                              "'monitoring', :i)"), {"u": str(uuid.uuid4()), "r": region, "l": f"L{i}",
                                                     "t": moment, "i": industry})
        s.execute(sa.text("INSERT INTO lead_counts SELECT grain, bucket, measure, area, type, source, industry, "
                          "SUM(n) FROM lead_count_deltas GROUP BY 1, 2, 3, 4, 5, 6, 7"))
        s.execute(sa.text("DELETE FROM lead_count_deltas"))
    database.dispose()
    run_migrations(url, MIGRATIONS)
    database = Database(url)
    with database.read() as s:
        got = cube.totals(s, CUBE, dt.date(2026, 10, 1), dt.date(2026, 11, 1), by=("area",))
        assert CUBE.model_for(("area",)) is NationalLeadCountByArea
        assert got == {("detected", "440000"): 2, ("detected", "330000"): 1}
        assert cube.totals(s, CUBE, dt.date(2026, 10, 1), dt.date(2026, 11, 1), by=("industry",)) == {
            ("detected", 3): 2, ("detected", 4): 1}
    database.dispose()
