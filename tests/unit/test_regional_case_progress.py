"""A region's page of a cross-region case shows each region's progress, from the steps the national node broadcast
(fixes15 left the table on the national page only)."""

from __future__ import annotations

import datetime as dt

from regional.models import ReceivedCase
from regional.web.blueprints.casework import cross_progress_of

AT = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)


def _event(region: str, feedback: str, step: str, hours: int, result: str = "", refused: bool = False) -> dict:  # type: ignore[type-arg]
    return {"region": region, "feedback": feedback, "step": step, "result": result, "officer": f"{region}-li",
            "at": (AT + dt.timedelta(hours=hours)).isoformat(), "refused": refused, "note": "", "outcome": ""}


def test_each_regions_progress_is_read_from_the_broadcast_steps() -> None:
    case = ReceivedCase(case_uuid="c", lead_region="440000", regions=["440000", "330000", "350000"], events=[
        _event("440000", "accepted", "filed", 1), _event("330000", "accepted", "filed", 2),
        _event("440000", "dismissed", "handling", 3), _event("330000", "confirmed", "handling", 4),
        _event("330000", "closed", "closed", 5, "penalised"), _event("440000", "closed", "closed", 6, "no_violation"),
        _event("350000", "accepted", "filed", 7, refused=True),  # refused: not progress
        {"region": "000000", "feedback": "note", "note": "", "outcome": "withdrawn", "at": AT.isoformat()},
        {"region": "440000", "feedback": "note", "at": "not a time"}])
    rows = {p.region: p for p in cross_progress_of(case)}
    assert [p.region for p in cross_progress_of(case)] == ["440000", "330000", "350000"]  # the lead region first
    assert (rows["440000"].lead, rows["440000"].step, rows["440000"].finding, rows["440000"].result) == \
        (True, "closed", "dismissed", "no_violation")
    assert (rows["330000"].step, rows["330000"].finding, rows["330000"].result, rows["330000"].differs) == \
        ("closed", "confirmed", "penalised", True)
    assert rows["330000"].officer == "330000-li" and rows["350000"].step is None
