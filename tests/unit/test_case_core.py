"""Case handling steps, time limits and closing rules (pure core)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regional.casework.core import (
    TRANSITIONS,
    CaseError,
    CaseResult,
    CaseState,
    Finding,
    TimeLimits,
    advance,
    cross_next_steps,
    feedback_code,
    next_steps,
    standing,
)

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_a_case_goes_filed_investigating_handling_closed() -> None:
    assert advance(CaseState.FILED, CaseState.INVESTIGATING).state is CaseState.INVESTIGATING
    assert advance(CaseState.INVESTIGATING, CaseState.HANDLING, finding="confirmed").finding is Finding.CONFIRMED
    closed = advance(CaseState.HANDLING, CaseState.CLOSED, result="penalised", note="罚款五万元")
    assert closed.result is CaseResult.PENALISED and closed.finding is Finding.CONFIRMED


def test_closing_requires_a_result_and_a_reason() -> None:
    with pytest.raises(CaseError) as err:
        advance(CaseState.HANDLING, CaseState.CLOSED, note="done")
    assert err.value.code == "result_required"
    with pytest.raises(CaseError) as err:
        advance(CaseState.HANDLING, CaseState.CLOSED, result="penalised", note="  ")
    assert err.value.code == "reason_required"
    with pytest.raises(CaseError) as err:
        advance(CaseState.HANDLING, CaseState.CLOSED, result="fined", note="x")
    assert err.value.code == "bad_result"


def test_a_closed_case_offers_no_more_steps() -> None:
    assert next_steps(CaseState.CLOSED) == ()
    with pytest.raises(CaseError) as err:
        advance(CaseState.CLOSED, CaseState.INVESTIGATING)
    assert err.value.code == "closed"


def test_steps_cannot_be_skipped_backwards() -> None:
    with pytest.raises(CaseError) as err:
        advance(CaseState.HANDLING, CaseState.INVESTIGATING)
    assert err.value.code == "not_allowed"
    with pytest.raises(CaseError) as err:
        advance(CaseState.INVESTIGATING, CaseState.HANDLING)
    assert err.value.code == "finding_required"


def test_overdue_after_the_steps_time_limit() -> None:
    limits = TimeLimits.from_config({"investigating": 30})
    s = standing(CaseState.INVESTIGATING, T0, limits, T0 + dt.timedelta(days=29))
    assert not s.overdue and s.days_left == 1.0
    s = standing(CaseState.INVESTIGATING, T0, limits, T0 + dt.timedelta(days=31))
    assert s.overdue and s.deadline == T0 + dt.timedelta(days=30)
    assert standing(CaseState.FILED, T0, limits, T0 + dt.timedelta(days=16)).overdue  # default 15 days
    assert not standing(CaseState.CLOSED, T0, limits, T0 + dt.timedelta(days=999)).overdue


def test_bad_time_limits_are_refused_with_the_setting_named() -> None:
    with pytest.raises(ValueError, match="case_time_limits_days"):
        TimeLimits.from_config({"closed": 3})
    with pytest.raises(ValueError, match="investigating"):
        TimeLimits.from_config({"investigating": -1})


def test_cross_region_feedback_uses_the_same_steps() -> None:
    assert feedback_code(CaseState.FILED, None) == "accepted"
    assert feedback_code(CaseState.HANDLING, Finding.DISMISSED) == "dismissed"
    assert feedback_code(CaseState.CLOSED, None) == "closed"


def test_a_closing_result_must_agree_with_the_finding_recorded_at_handling() -> None:
    """newcomer14: 处理 with 认定侵权, then 结案 with 不构成侵权 was accepted and silently turned the finding around."""
    with pytest.raises(CaseError) as contradicts:
        advance(CaseState.HANDLING, CaseState.CLOSED, result="no_violation", note="理由", recorded=Finding.CONFIRMED)
    assert contradicts.value.code == "result_contradicts_finding"
    with pytest.raises(CaseError):
        advance(CaseState.HANDLING, CaseState.CLOSED, result="penalised", note="理由", recorded=Finding.DISMISSED)
    kept = advance(CaseState.HANDLING, CaseState.CLOSED, result="transferred", note="移送", recorded=Finding.CONFIRMED)
    assert kept.finding is Finding.CONFIRMED  # the recorded finding stands (was replaced by one read off the result)
    # a finding given with the closing step is the officer's word on it
    step = advance(CaseState.HANDLING, CaseState.CLOSED, result="no_violation", finding="dismissed", note="复核",
                   recorded=Finding.CONFIRMED)
    assert step.finding is Finding.DISMISSED
    assert advance(CaseState.FILED, CaseState.CLOSED, result="withdrawn", note="撤销").finding is Finding.DISMISSED


def test_a_region_may_report_on_a_cross_region_case_only_the_steps_after_its_own_last_one() -> None:
    F, V, H, C = CaseState.FILED, CaseState.INVESTIGATING, CaseState.HANDLING, CaseState.CLOSED
    assert cross_next_steps([], "closed") == (F, V, H, C)  # the lead region closed: this region's part is open
    assert cross_next_steps([F, None, V], "closed") == (H, C)  # a note (None) is no step
    assert cross_next_steps([V, F], "investigating") == (H, C)  # in any order
    assert cross_next_steps([F, C], "formed") == ()
    assert cross_next_steps([], "withdrawn") == ()


@given(st.lists(st.sampled_from(list(CaseState)), max_size=8))
def test_no_sequence_of_steps_leaves_the_transition_table(targets: list[CaseState]) -> None:
    state = CaseState.FILED
    for target in targets:
        try:
            step = advance(state, target, result="no_violation", finding="dismissed", note="理由")
        except CaseError:
            continue
        assert step.state in TRANSITIONS[state]
        state = step.state
