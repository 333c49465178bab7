"""sync.times.aware: the one reading of a stored time, used by every node (it replaced nine private copies)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from sync.times import aware

BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_a_naive_stored_time_is_utc_an_aware_one_is_kept_and_none_stays_none() -> None:
    naive = dt.datetime(2026, 12, 2, 3, 4, 5, 6)
    assert aware(naive) == naive.replace(tzinfo=dt.UTC) and aware(naive).tzinfo is dt.UTC
    beijing = dt.datetime(2026, 12, 2, 11, 4, tzinfo=BEIJING)
    assert aware(beijing) is beijing  # not converted: the same instant, as given
    assert aware(None) is None
    assert aware(naive) < dt.datetime(2026, 12, 2, 3, 5, tzinfo=dt.UTC)  # comparable with an aware now


@pytest.mark.parametrize("module, name", [
    ("regional.casework.service", "_aware"), ("regional.reports.figures", "_aware"),
    ("regional.exhibitions.service", "_aware"), ("regional.exhibitions.flags", "_aware"),
    ("national.reports.service", "_aware"), ("national.web.blueprints.cases", "_aware"),
    ("regional.web.blueprints.casework", "_aware"), ("regional.accounts.service", "aware"),
    ("regional.services", "_utc")])
def test_every_former_copy_is_the_one_helper(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is aware


@pytest.mark.parametrize("value, shown", [
    (dt.datetime(2026, 10, 26, 21, 24, tzinfo=dt.UTC), "2026-10-27 05:24:00"),  # the next day in Beijing
    (dt.datetime(2026, 10, 26, 21, 24, 0, 380570), "2026-10-27 05:24:00"),  # naive: UTC, microseconds dropped
    ("2026-10-26T21:24:00.000000Z", "2026-10-27 05:24:00"), ("2026-12-02T11:30:09+00:00", "2026-12-02 19:30:09"),
    ("not a time", "not a time"), (None, "")])
def test_beijing_text_is_the_one_way_people_read_a_moment(value: object, shown: str) -> None:
    """newcomer14 F14: the evidence summary printed raw ISO UTC with microseconds; pages and documents share this."""
    from regional.web.i18n import localtime
    from sync.times import beijing_text

    assert beijing_text(value) == shown == localtime(value)  # type: ignore[arg-type]
