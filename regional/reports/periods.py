"""Calendar arithmetic of reports and dashboards, in China Standard Time (UTC+8, no daylight saving).

Pure: values in, values out. A day, week (Monday first) or month is named by its first date;
a period is a half-open range of dates [start, end).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

CST = dt.timezone(dt.timedelta(hours=8), "CST")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Grain(StrEnum):
    """Bucket sizes of the count cube and of trends."""

    DAY = "d"
    WEEK = "w"
    MONTH = "m"


class PeriodError(ValueError):
    """A month or period that cannot be read; the message says what is expected.

    A bad query parameter also carries what the web pages need to say it in the reader's language
    (regional/web/queryargs.py): the parameter, the value given, what `problem` it has ("date",
    "choice", "too_many", "order", "span", "area", "name") and the allowed values or the limit.
    """

    def __init__(self, message: str, *, param: str | None = None, value: str | None = None,
                 problem: str | None = None, allowed: tuple[str, ...] = (), limit: object = None,
                 other: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.value = value
        self.problem = problem
        self.allowed = allowed
        self.limit = limit
        self.other = other  # the second parameter of an "order" problem (from … after to)


def local_day(moment: dt.datetime) -> dt.date:
    """The date in China Standard Time of a moment (a naive moment is taken as UTC, as the nodes store it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CST).date()


def bucket(day: dt.date, grain: Grain) -> dt.date:
    """The first date of the day's bucket: itself, its week's Monday, or its month's first day."""
    if grain is Grain.DAY:
        return day
    if grain is Grain.WEEK:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def next_bucket(start: dt.date, grain: Grain) -> dt.date:
    """The first date of the bucket after the one starting at `start`."""
    if grain is Grain.DAY:
        return start + dt.timedelta(days=1)
    if grain is Grain.WEEK:
        return start + dt.timedelta(days=7)
    return add_months(start, 1)


def buckets(start: dt.date, end: dt.date, grain: Grain) -> list[dt.date]:
    """Every bucket overlapping [start, end), in order."""
    out = []
    b = bucket(start, grain)
    while b < end:
        out.append(b)
        b = next_bucket(b, grain)
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. Month(2026, 11) — written 2026-11."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read YYYY-MM; PeriodError says what is expected."""
        m = _MONTH.match((text or "").strip())
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)):
            raise PeriodError(f"month {text!r}: expected YYYY-MM, e.g. 2026-11")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month a date falls in."""
        return cls(day.year, day.month)

    @property
    def start(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        """The first day of the next month (exclusive end)."""
        return add_months(self.start, 1)

    def shift(self, months: int) -> Month:
        """The month `months` later (negative: earlier)."""
        return Month.of(add_months(self.start, months))

    @property
    def previous(self) -> Month:
        """The month before (环比)."""
        return self.shift(-1)

    @property
    def year_ago(self) -> Month:
        """The same month a year earlier (同比)."""
        return self.shift(-12)

    def utc_range(self) -> tuple[dt.datetime, dt.datetime]:
        """The month as a half-open range of UTC moments (its days are China Standard Time days)."""
        return to_utc(self.start), to_utc(self.end)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label_zh(self) -> str:
        """'2026年11月'."""
        return f"{self.year}年{self.month}月"


def to_utc(day: dt.date) -> dt.datetime:
    """The UTC moment at which a China Standard Time day begins."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CST).astimezone(dt.UTC)


def split(start: dt.date, end: dt.date) -> list[tuple[Grain, dt.date, dt.date]]:
    """Cover [start, end) with whole months, then whole weeks at the edges, then days: few buckets to read."""
    out: list[tuple[Grain, dt.date, dt.date]] = []
    if start >= end:
        return out
    first_full = start if start.day == 1 else add_months(start, 1)
    last_full = end.replace(day=1)
    if first_full >= last_full:
        return _weeks_and_days(start, end)
    out.extend(_weeks_and_days(start, first_full))
    out.append((Grain.MONTH, first_full, last_full))
    out.extend(_weeks_and_days(last_full, end))
    return out


def _weeks_and_days(start: dt.date, end: dt.date) -> list[tuple[Grain, dt.date, dt.date]]:
    """Cover [start, end) with the whole weeks (Monday first) inside it and the days around them."""
    if start >= end:
        return []
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    last_monday = end - dt.timedelta(days=end.weekday())
    if monday >= last_monday:
        return [(Grain.DAY, start, end)]
    out: list[tuple[Grain, dt.date, dt.date]] = []
    if start < monday:
        out.append((Grain.DAY, start, monday))
    out.append((Grain.WEEK, monday, last_monday))
    if last_monday < end:
        out.append((Grain.DAY, last_monday, end))
    return out


def change(now: float | int | None, before: float | int | None) -> float | None:
    """Relative change (0.125 = +12.5%); None when there is nothing to compare with."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before


def last_complete_month(today: dt.date) -> Month:
    """The month before the one `today` is in."""
    return Month.of(today).previous
