"""The case state machine, supervision deadlines and the repeat-infringer rule."""

from __future__ import annotations

import datetime as dt

import pytest

from national.lifecycle import (
    CaseStatus,
    Feedback,
    apply_feedback,
    case_counts,
    counts_as_case,
    repeat_infringers,
    supervision,
)
from sync.caseprogress import counts_as_case_status

REGIONS = ("440000", "330000")
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_only_the_lead_regions_steps_move_the_status_an_assisting_regions_are_recorded() -> None:
    """newcomer14 F36: the co-region's 立案 moved the case to 查处中, its later steps did not — one rule now: the
    lead region's progress is the case's status; each region's own progress is shown per region."""
    d = apply_feedback(CaseStatus.FORMED, Feedback.ACCEPTED, "330000", "440000", REGIONS)
    assert (d.status, d.changed, d.accepted) == (CaseStatus.FORMED, False, True)
    assert "lead region 440000 decides" in d.reason
    d = apply_feedback(CaseStatus.FORMED, Feedback.ACCEPTED, "440000", "440000", REGIONS)
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


def test_an_assisting_region_handles_its_own_part_after_the_lead_region_closed_the_case() -> None:
    # 广东 (lead) closed the case; 福建 files, investigates, finds and closes its own part: every step recorded
    own = None
    for feedback in (Feedback.ACCEPTED, Feedback.INVESTIGATING, Feedback.CONFIRMED, Feedback.CLOSED):
        d = apply_feedback(CaseStatus.CLOSED, feedback, "330000", "440000", REGIONS, own=own)
        assert (d.status, d.changed, d.accepted) == (CaseStatus.CLOSED, False, True), (feedback, d)
        own = {Feedback.ACCEPTED: CaseStatus.INVESTIGATING, Feedback.INVESTIGATING: CaseStatus.INVESTIGATING,
               Feedback.CONFIRMED: CaseStatus.CONFIRMED, Feedback.CLOSED: CaseStatus.CLOSED}[feedback]


def test_an_assisting_regions_steps_are_checked_against_its_own_progress() -> None:
    d = apply_feedback(CaseStatus.INVESTIGATING, Feedback.INVESTIGATING, "330000", "440000", REGIONS,
                       own=CaseStatus.CLOSED)
    assert not d.accepted and "this region's part is closed; it cannot become investigating" in d.reason
    d = apply_feedback(CaseStatus.CONFIRMED, Feedback.ACCEPTED, "330000", "440000", REGIONS, own=CaseStatus.CONFIRMED)
    assert not d.accepted and d.status is CaseStatus.CONFIRMED
    # its part may close without a finding of its own (transferred to another authority, say)
    d = apply_feedback(CaseStatus.FORMED, Feedback.CLOSED, "330000", "440000", REGIONS, own=CaseStatus.INVESTIGATING)
    assert (d.status, d.accepted) == (CaseStatus.FORMED, True)
    d = apply_feedback(CaseStatus.CLOSED, Feedback.CLOSED, "330000", "440000", REGIONS, own=CaseStatus.CLOSED)
    assert d.accepted and not d.changed and "already closed" in d.reason


def test_the_lead_regions_own_progress_is_the_case_and_a_withdrawn_case_takes_no_step() -> None:
    d = apply_feedback(CaseStatus.CLOSED, Feedback.ACCEPTED, "440000", "440000", REGIONS, own=None)
    assert not d.accepted and "closed case cannot become investigating" in d.reason
    for region in REGIONS:
        d = apply_feedback(CaseStatus.WITHDRAWN, Feedback.ACCEPTED, region, "440000", REGIONS)
        assert not d.accepted and d.status is CaseStatus.WITHDRAWN, region
        assert apply_feedback(CaseStatus.WITHDRAWN, Feedback.NOTE, region, "440000", REGIONS).accepted


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


def test_a_withdrawn_case_is_not_counted_nor_supervised_and_is_counted_apart() -> None:
    """newcomer16 N4: an undone merge's case was counted as formed and supervised on every national page."""
    assert [s for s in CaseStatus if not counts_as_case(s)] == [CaseStatus.WITHDRAWN]
    assert counts_as_case("closed") and not counts_as_case("withdrawn")
    # the regions' copy of the rule (plain values, no enum) agrees with the national one
    assert all(counts_as_case_status(s.value) == counts_as_case(s) for s in CaseStatus)
    got = case_counts({"formed": 3, "investigating": 2, "confirmed": 1, "dismissed": 1, "closed": 4, "withdrawn": 5})
    assert (got.open, got.closed, got.withdrawn, got.formed) == (7, 4, 5, 11)
    assert case_counts({}).formed == 0
    with pytest.raises(ValueError, match="'reopened' is not one of formed"):
        case_counts({"reopened": 1})
    late = T0 + dt.timedelta(days=90)
    s = supervision(True, CaseStatus.WITHDRAWN, T0, 60, late)
    assert (s.supervised, s.overdue, s.deadline) == (False, False, None)
    assert supervision(True, CaseStatus.INVESTIGATING, T0, 60, late).overdue


def test_n_confirmed_cases_within_m_months_make_a_repeat_infringer() -> None:
    now = T0 + dt.timedelta(days=200)
    confirmed = [("uscc:A", T0), ("uscc:A", T0 + dt.timedelta(days=100)), ("uscc:B", T0 + dt.timedelta(days=150)),
                 ("uscc:C", T0 - dt.timedelta(days=400)), ("uscc:C", T0 + dt.timedelta(days=190))]
    assert repeat_infringers(confirmed, 2, 12, now) == {"uscc:A": 2}
    assert repeat_infringers(confirmed, 2, 3, now) == {}


def test_each_regions_progress_its_last_accepted_step_finding_and_result_and_whether_it_differs() -> None:
    from national.lifecycle import ReportedStep, region_progress

    at = [T0 + dt.timedelta(hours=h) for h in range(8)]
    steps = [ReportedStep("330000", "accepted", True, at[0], "filed", officer="chen"),
             ReportedStep("440000", "accepted", True, at[1], "filed", officer="li"),
             ReportedStep("330000", "confirmed", True, at[2], "handling", officer="chen"),
             ReportedStep("330000", "accepted", False, at[3], "filed", officer="chen"),  # refused: not progress
             ReportedStep("330000", "closed", True, at[4], "closed", "penalised", officer="chen"),
             ReportedStep("440000", "note", True, at[5], None, officer="li"),  # a note is not a step
             ReportedStep("440000", "dismissed", True, at[6], None, officer="wang")]  # older rows: no step
    lead, other, silent = region_progress(steps, "440000", ["330000", "440000", "350000"])
    assert (lead.region, lead.lead, lead.step, lead.finding, lead.result, lead.at, lead.officer) == (
        "440000", True, "handling", "dismissed", None, at[6], "wang")
    assert (other.region, other.lead, other.step, other.finding, other.result, other.at, other.refused) == (
        "330000", False, "closed", "confirmed", "penalised", at[4], 1)
    assert other.differs and not lead.differs  # 认定侵权 here, 不构成侵权 at the lead region: both shown
    assert (silent.region, silent.step, silent.at, silent.differs) == ("350000", None, None, False)
    same = region_progress([ReportedStep("440000", "confirmed", True, at[0]),
                            ReportedStep("330000", "confirmed", True, at[1])], "440000", ["440000", "330000"])
    assert not any(p.differs for p in same)
