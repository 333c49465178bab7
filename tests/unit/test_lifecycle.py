"""The case state machine, supervision deadlines and the repeat-infringer rule."""

from __future__ import annotations

import datetime as dt

from national.lifecycle import CaseStatus, Feedback, apply_feedback, repeat_infringers, supervision

REGIONS = ("440000", "330000")
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_any_concerned_region_can_start_the_investigation() -> None:
    d = apply_feedback(CaseStatus.FORMED, Feedback.ACCEPTED, "330000", "440000", REGIONS)
    assert (d.status, d.changed, d.accepted) == (CaseStatus.INVESTIGATING, True, True)


def test_only_the_lead_region_decides_the_outcome_others_are_recorded() -> None:
    d = apply_feedback(CaseStatus.INVESTIGATING, Feedback.CONFIRMED, "330000", "440000", REGIONS)
    assert (d.status, d.changed, d.accepted) == (CaseStatus.INVESTIGATING, False, True)
    assert "lead region 440000 decides" in d.reason
    d = apply_feedback(CaseStatus.INVESTIGATING, Feedback.CONFIRMED, "440000", "440000", REGIONS)
    assert (d.status, d.changed) == (CaseStatus.CONFIRMED, True)


def test_a_region_not_concerned_is_refused() -> None:
    d = apply_feedback(CaseStatus.FORMED, Feedback.ACCEPTED, "350000", "440000", REGIONS)
    assert not d.accepted and "not concerned" in d.reason


def test_a_closed_case_cannot_be_reopened_and_says_why() -> None:
    d = apply_feedback(CaseStatus.CLOSED, Feedback.INVESTIGATING, "440000", "440000", REGIONS)
    assert not d.accepted and d.status is CaseStatus.CLOSED
    assert "closed case cannot become investigating" in d.reason


def test_cross_province_cases_are_supervised_and_become_overdue() -> None:
    s = supervision(True, CaseStatus.INVESTIGATING, T0, 30, T0 + dt.timedelta(days=10))
    assert s.supervised and not s.overdue and s.days_left == 20.0
    s = supervision(True, CaseStatus.INVESTIGATING, T0, 30, T0 + dt.timedelta(days=31))
    assert s.overdue
    s = supervision(True, CaseStatus.CLOSED, T0, 30, T0 + dt.timedelta(days=31))
    assert not s.overdue and s.days_left is None
    assert not supervision(False, CaseStatus.FORMED, T0, 30, T0).supervised
    # newcomer13: a case withdrawn when its sellers' merge was reversed stayed on the board with "60 days left"
    s = supervision(True, CaseStatus.WITHDRAWN, T0, 30, T0 + dt.timedelta(days=31))
    assert not s.overdue and s.days_left is None


def test_n_confirmed_cases_within_m_months_make_a_repeat_infringer() -> None:
    now = T0 + dt.timedelta(days=200)
    confirmed = [("uscc:A", T0), ("uscc:A", T0 + dt.timedelta(days=100)), ("uscc:B", T0 + dt.timedelta(days=150)),
                 ("uscc:C", T0 - dt.timedelta(days=400)), ("uscc:C", T0 + dt.timedelta(days=190))]
    assert repeat_infringers(confirmed, 2, 12, now) == {"uscc:A": 2}
    assert repeat_infringers(confirmed, 2, 3, now) == {}
