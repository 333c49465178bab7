"""The dashboards' lead figures, from the count cube only (no scan of the leads), with the list behind each figure.

Both nodes use it: the region's dashboard counts by city (`area` = a city's division code), the
national one by province (`area` = the filing region's code). A `Query` is the dashboard's filter
(period, grain, type, source, industry) read from the page's query string; every figure carries
the query string of the leads list that shows exactly the leads it counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from regional.reports import cube
from regional.reports.cube import Measure
from regional.reports.figures import SOURCES, TYPES
from regional.reports.labels import label
from regional.reports.periods import Grain, PeriodError, next_bucket

GRAINS = {"day": Grain.DAY, "week": Grain.WEEK, "month": Grain.MONTH}
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366 + 1  # a longer period is refused (a trend of at most ~1,100 days)
MAX_VALUES = 20  # per filter


@dataclass(frozen=True)
class Query:
    """What a dashboard shows: leads detected on [start, end) (China Standard Time days), filtered."""

    start: dt.date
    end: dt.date  # exclusive
    grain: Grain
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    industries: tuple[int, ...] = ()

    def filters(self) -> dict[str, list[Any]]:
        """The cube's filters."""
        out: dict[str, list[Any]] = {}
        if self.types:
            out["type"] = list(self.types)
        if self.sources:
            out["source"] = list(self.sources)
        if self.industries:
            out["industry"] = list(self.industries)
        return out

    def params(self, **extra: Any) -> dict[str, str]:
        """The query string of this query (the inclusive last day as `to`), with `extra` replacing or adding."""
        out = {"from": self.start.isoformat(), "to": (self.end - dt.timedelta(days=1)).isoformat()}
        if self.types:
            out["type"] = ",".join(self.types)
        if self.sources:
            out["source"] = ",".join(self.sources)
        if self.industries:
            out["industry"] = ",".join(str(i) for i in self.industries)
        for k, v in extra.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = str(v)
        return out

    def as_json(self) -> dict[str, Any]:
        """For the page and the JSON answer."""
        return {"from": self.start.isoformat(), "to": (self.end - dt.timedelta(days=1)).isoformat(),
                "grain": next(k for k, g in GRAINS.items() if g is self.grain), "type": list(self.types),
                "source": list(self.sources), "industry": list(self.industries)}


def date_arg(args: Mapping[str, str], name: str) -> dt.date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise PeriodError(f"{name}: {text[:40]!r} is not a date (YYYY-MM-DD)", param=name, value=text[:40],
                          problem="date") from None


def choices_arg(args: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    raw = (args.get(name) or "").strip()
    if not raw:
        return ()
    values = tuple(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))
    bad = [v for v in values if v not in allowed]
    if bad or len(values) > MAX_VALUES:
        raise PeriodError(f"{name}: {', '.join(v[:30] for v in bad[:3]) or 'too many values'} — "
                          f"expected one or more of {', '.join(allowed)}", param=name,
                          value=", ".join(v[:30] for v in bad[:3]), problem="choice" if bad else "too_many",
                          allowed=allowed, limit=MAX_VALUES)
    return values


def parse_query(args: Mapping[str, str], today: dt.date) -> Query:
    """The dashboard's query from a query string: from, to (inclusive days), grain, type, source, industry."""
    end_day = date_arg(args, "to") or today
    start = date_arg(args, "from") or end_day - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end_day:
        raise PeriodError(f"from: {start} is after to: {end_day}", param="from", value=start.isoformat(),
                          problem="order", other="to", limit=end_day.isoformat())
    if (end_day - start).days + 1 > MAX_DAYS:
        raise PeriodError(f"from/to: at most {MAX_DAYS} days at a time", param="from", problem="span", other="to",
                          limit=MAX_DAYS)
    grain_text = (args.get("grain") or "").strip() or ("day" if (end_day - start).days < 62 else "week")
    if grain_text not in GRAINS:
        raise PeriodError(f"grain: {grain_text[:20]!r} — expected day, week or month", param="grain",
                          value=grain_text[:20], problem="choice", allowed=tuple(GRAINS))
    types, sources, industries = filter_args(args)
    return Query(start=start, end=end_day + dt.timedelta(days=1), grain=GRAINS[grain_text], types=types,
                 sources=sources, industries=industries)


def filter_args(args: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
    """type, source and industry (comma lists) from a query string."""
    industries = choices_arg(args, "industry", tuple(str(i) for i in range(0, 46)))
    return (choices_arg(args, "type", TYPES), choices_arg(args, "source", SOURCES),
            tuple(int(i) for i in industries))


UNKNOWN_AREA = "none"  # the `area` of leads whose city (or region) is not known, in list links


def area_arg(args: Mapping[str, str], name: str = "area") -> str | None:
    """A division code (6 digits) or `none` (area unknown) from a query string; None when absent."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if raw != UNKNOWN_AREA and not (len(raw) == 6 and raw.isascii() and raw.isdigit()):
        raise PeriodError(f"{name}: {raw[:20]!r} — expected a 6-digit division code or {UNKNOWN_AREA}", param=name,
                          value=raw[:20], problem="area")
    return raw


def source_condition(source: Any, origin: Any, sources: Sequence[str]) -> Any:
    """SQL: the lead counts under one of `sources` as the cube counts it (a rights holder's request by its
    origin, whatever the listing's source; every other source by the listing's source)."""
    import sqlalchemy as sa

    holder = "holder_request"
    parts = []
    plain = [s for s in sources if s != holder]
    if plain:
        parts.append(sa.and_(source.in_(plain), sa.or_(origin.is_(None), origin != holder)))
    if holder in sources:
        parts.append(origin == holder)
    return sa.or_(*parts) if parts else sa.true()


def lead_figures(session: Session, c: cube.Cube, q: Query, *, area_kind: str, lang: str,
                 link: Callable[[dict[str, str]], str], area_param: str = "area",
                 judged: bool = True) -> dict[str, Any]:
    """Leads per area, type, source and industry over the period, and the trend by the query's grain."""
    filters = q.filters()
    # as few cube reads as possible: one grouping per cube table, summed up per dimension here
    together = ("area", "type", "source")
    if c.model_for((*together, *filters)) is c.counts:  # an industry filter: area needs the full cube
        groupings: tuple[tuple[str, ...], ...] = (("area",), ("type", "source"), ("industry",))
    else:
        groupings = (together, ("industry",))
    margins: dict[str, dict[Any, int]] = {}
    for dims in groupings:
        got = cube.totals(session, c, q.start, q.end, by=dims, filters=filters)
        for i, dim in enumerate(dims):
            sums = margins.setdefault(dim, {})
            for key, n in got.items():
                sums[key[1 + i]] = sums.get(key[1 + i], 0) + n

    def by(dim: str) -> list[tuple[Any, int]]:
        rows = [(k, n) for k, n in margins.get(dim, {}).items() if n]
        rows.sort(key=lambda kv: (-kv[1], str(kv[0])))
        return rows

    def items(dim: str, kind: str, param: str) -> list[dict[str, Any]]:
        unknown = UNKNOWN_AREA if dim == "area" else None
        return [{"key": str(k), "name": label(kind, k, lang), "value": n,
                 "href": link(q.params(**{param: k if k not in ("", None) else unknown}))} for k, n in by(dim)]

    areas = items("area", area_kind, area_param)
    for a in areas:
        a["code"] = a["key"]
    measures = (Measure.DETECTED, Measure.CONFIRMED) if judged else (Measure.DETECTED,)
    series = cube.trend(session, c, q.start, q.end, q.grain, measures=measures, filters=filters)
    days = [b for b, _n in series[Measure.DETECTED]]
    trend = {"x": [b.isoformat() for b in days],
             "detected": [n for _b, n in series[Measure.DETECTED]],
             "confirmed": [n for _b, n in series[Measure.CONFIRMED]] if judged else None,
             "href": [link(q.params(**{"from": max(b, q.start).isoformat(),
                                       "to": (min(next_bucket(b, q.grain), q.end) - dt.timedelta(days=1)).isoformat()}))
                      for b in days],
             # confirmed leads are counted by the day the judgement took effect: their list filters on that
             "confirmed_href": [link(q.params(**{
                 "from": None, "to": None, "state": "confirmed", "judged_from": max(b, q.start).isoformat(),
                 "judged_to": (min(next_bucket(b, q.grain), q.end) - dt.timedelta(days=1)).isoformat()}))
                 for b in days] if judged else None}
    total = sum(a["value"] for a in areas)
    return {"query": q.as_json(), "total": total, "areas": areas, "types": items("type", "type", "type"),
            "sources": items("source", "source", "source"), "industries": items("industry", "industry", "industry")[:15],
            "trend": trend, "href": link(q.params())}
