"""The projection's count-cube deltas (national/feed._cube_deltas) are the sums of its plain spelling, in its order.

On SQLite the projection mutes the leads table's insert trigger and writes the cube's delta rows itself, one per
key (grain, bucket, area, type, source, industry) with its count. `plain_deltas` below is that function as it was
written first (session 17): every distinct moment's day, week and month worked out and added up one by one. Real
leads are each detected at their own moment (regional/services.py: the lead's `created_at`, to the microsecond),
so a chunk has as many distinct moments as leads; the bench's leads share one. These tests hold the function to
the plain spelling — the same rows, the same order, None in the same cases — on generated chunks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st

from national import feed
from national.feed import _DETECTED_AT, _INDUSTRY_AT, _ORIGIN_AT, _SOURCE_AT, _TYPE_AT, LEAD_COLUMNS

_CHINA = dt.timedelta(hours=8)


def plain_deltas(rows: list[tuple[int, str, tuple[object, ...]]]) -> list[tuple[object, ...]] | None:
    """The definition: feed._cube_deltas as first written."""
    per_moment: dict[tuple[Any, ...], int] = {}
    for _id, region, v in rows:
        key = (v[_DETECTED_AT], region, v[_TYPE_AT], v[_SOURCE_AT], v[_ORIGIN_AT], v[_INDUSTRY_AT])
        per_moment[key] = per_moment.get(key, 0) + 1
    sums: dict[tuple[Any, ...], int] = {}
    for (moment, region, kind, source, origin, industry), n in per_moment.items():
        if type(moment) is not dt.datetime or moment.tzinfo is None or moment.microsecond >= 999_000:
            return None
        local = moment.astimezone(dt.UTC).replace(tzinfo=None)
        if not 2 <= local.year <= 9998:
            return None
        day = (local + _CHINA).date()
        rest = ("" if region is None else region, kind,
                "holder_request" if origin == "holder_request" else ("" if source is None else source),
                0 if industry is None else industry)
        for grain, bucket in (("d", day), ("w", day - dt.timedelta(days=day.weekday())), ("m", day.replace(day=1))):
            k = (grain, bucket.isoformat(), *rest)
            sums[k] = sums.get(k, 0) + n
    return [(*k, n) for k, n in sums.items()]


ZONES = [dt.UTC, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5)),
         dt.timezone(dt.timedelta(hours=5, minutes=30))]
aware = st.builds(lambda moment, zone: moment.replace(tzinfo=zone),
                  st.datetimes(min_value=dt.datetime(2, 1, 2), max_value=dt.datetime(9998, 12, 30)),
                  st.sampled_from(ZONES))
# mostly usable moments; now and then one the deltas are not worked out for (then None, the trigger counts)
moment = st.one_of(aware, aware, aware, aware, aware, aware, aware, aware,
                   st.datetimes(), st.none(), st.just("2026-12-01 03:30:00"),
                   st.builds(lambda m: m.replace(microsecond=999_500, tzinfo=dt.UTC), st.datetimes()),
                   st.builds(lambda m: m.replace(tzinfo=dt.UTC),
                             st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(1, 12, 31))))
# a few values each, so that keys repeat (several leads a moment, a day, a week) as in a real chunk
row_values = st.tuples(moment, st.sampled_from(["440000", "110000", None]), st.sampled_from(["trademark", "patent"]),
                       st.sampled_from(["ecommerce", "field", None]), st.sampled_from(["monitoring", "holder_request",
                                                                                       None]),
                       st.sampled_from([30, 1, None]))


def _rows(values: list[tuple[Any, ...]]) -> list[tuple[int, str, tuple[object, ...]]]:
    rows = []
    for i, (detected, region, kind, source, origin, industry) in enumerate(values):
        v: list[object] = [None] * len(LEAD_COLUMNS)
        v[1], v[_DETECTED_AT], v[_TYPE_AT], v[_SOURCE_AT], v[_ORIGIN_AT], v[_INDUSTRY_AT] = (
            region, detected, kind, source, origin, industry)
        rows.append((i + 1, region, tuple(v)))  # type: ignore[arg-type]
    return rows


@settings(max_examples=300, deadline=None)
@given(st.lists(row_values, max_size=40), st.lists(st.integers(0, 39), max_size=20))
def test_the_deltas_are_the_plain_spellings_rows_in_its_order(values: list[tuple[Any, ...]],
                                                               repeats: list[int]) -> None:
    values += [values[i] for i in repeats if i < len(values)]  # the same moment and key again, later in the chunk
    rows = _rows(values)
    assert feed._cube_deltas(rows) == plain_deltas(rows)


def test_a_chunk_of_leads_each_detected_at_its_own_moment() -> None:
    start = dt.datetime(2026, 11, 28, 15, 0, 0, 123_456, tzinfo=dt.UTC)  # across a China midnight and a month's end
    values = [(start + dt.timedelta(seconds=37 * i, microseconds=i), "440000" if i % 3 else "110000", "trademark",
               "ecommerce", "holder_request" if i % 7 == 0 else "monitoring", 30 if i % 5 else None)
              for i in range(500)]
    rows = _rows(values)
    deltas = feed._cube_deltas(rows)
    assert deltas == plain_deltas(rows)
    assert deltas is not None and sum(cast(int, d[-1]) for d in deltas) == 3 * 500  # day, week and month of each lead
    assert {grain for grain, *_rest in deltas} == {"d", "w", "m"}


def test_a_moment_the_deltas_are_not_worked_out_for_gives_none() -> None:
    good = (dt.datetime(2026, 12, 1, tzinfo=dt.UTC), "440000", "trademark", "ecommerce", "monitoring", 30)
    for bad in (None, "2026-12-01 03:30:00", dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 1, 0, 0, 0, 999_000,
                                                                                 tzinfo=dt.UTC),
                dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC), dt.datetime(9999, 6, 1, tzinfo=dt.UTC)):
        rows = _rows([good, (bad, *good[1:]), good])
        assert feed._cube_deltas(rows) is None and plain_deltas(rows) is None
