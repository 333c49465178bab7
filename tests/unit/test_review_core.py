"""The judgement rules: decisions, reasons, second review, lead transitions (pure core)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regional.domain import LeadState, LeadType
from regional.review.core import (
    TRANSITIONS,
    Decision,
    ExclusionReason,
    Policy,
    SecondReviewRule,
    WorkflowError,
    allowed,
    judge,
    parse_reason,
    second_review,
)

POLICY = Policy()


def test_excluding_a_high_scored_lead_waits_for_a_supervisors_second_review() -> None:
    judged = judge(LeadState.NEW, Decision.EXCLUDED, 0.93, LeadType.TRADEMARK, supervisor=False, policy=POLICY)
    assert judged.state is LeadState.PENDING_REVIEW and not judged.final
    assert judged.second_review == SecondReviewRule(Decision.EXCLUDED, 0.9)


def test_excluding_a_lower_scored_lead_is_final_at_once() -> None:
    judged = judge(LeadState.NEW, Decision.EXCLUDED, 0.89, LeadType.TRADEMARK, supervisor=False, policy=POLICY)
    assert judged.state is LeadState.EXCLUDED and judged.final and judged.second_review is None


def test_confirming_is_final_and_need_info_is_not_final() -> None:
    assert judge(LeadState.NEW, Decision.CONFIRMED, 0.99, LeadType.DESIGN, supervisor=False,
                 policy=POLICY).state is LeadState.CONFIRMED
    need = judge(LeadState.NEW, Decision.NEED_INFO, 0.5, LeadType.DESIGN, supervisor=False, policy=POLICY)
    assert need.state is LeadState.NEED_INFO and not need.final


def test_an_officer_cannot_change_a_final_decision_but_a_supervisor_can_override() -> None:
    with pytest.raises(WorkflowError) as err:
        judge(LeadState.CONFIRMED, Decision.EXCLUDED, 0.5, LeadType.TRADEMARK, supervisor=False, policy=POLICY)
    assert err.value.code == "already_judged"
    over = judge(LeadState.CONFIRMED, Decision.EXCLUDED, 0.95, LeadType.TRADEMARK, supervisor=True, policy=POLICY)
    assert over.state is LeadState.EXCLUDED and over.override and over.final
    with pytest.raises(WorkflowError) as err:
        judge(LeadState.CONFIRMED, Decision.EXCLUDED, 0.5, LeadType.TRADEMARK, supervisor=True, policy=POLICY,
              has_open_case=True)
    assert err.value.code == "case_open"


def test_a_lead_awaiting_second_review_cannot_be_judged_again() -> None:
    with pytest.raises(WorkflowError) as err:
        judge(LeadState.PENDING_REVIEW, Decision.CONFIRMED, 0.5, LeadType.TRADEMARK, supervisor=True, policy=POLICY)
    assert err.value.code == "awaiting_second_review"


def test_second_review_needs_another_person_who_is_a_supervisor() -> None:
    kw = dict(approve=True, proposer="li", note="")
    with pytest.raises(WorkflowError, match="supervisor"):
        second_review(LeadState.PENDING_REVIEW, Decision.EXCLUDED, reviewer="wang", reviewer_is_supervisor=False,
                      **kw)  # type: ignore[arg-type]
    with pytest.raises(WorkflowError) as err:
        second_review(LeadState.PENDING_REVIEW, Decision.EXCLUDED, reviewer="li", reviewer_is_supervisor=True,
                      **kw)  # type: ignore[arg-type]
    assert err.value.code == "same_person"
    ok = second_review(LeadState.PENDING_REVIEW, Decision.EXCLUDED, reviewer="wang", reviewer_is_supervisor=True,
                       **kw)  # type: ignore[arg-type]
    assert ok.state is LeadState.EXCLUDED and ok.final


def test_refusing_a_decision_needs_a_note_and_puts_the_lead_back_in_the_queue() -> None:
    with pytest.raises(WorkflowError) as err:
        second_review(LeadState.PENDING_REVIEW, Decision.EXCLUDED, approve=False, proposer="li", reviewer="wang",
                      reviewer_is_supervisor=True, note=" ")
    assert err.value.code == "note_required"
    back = second_review(LeadState.PENDING_REVIEW, Decision.EXCLUDED, approve=False, proposer="li",
                         reviewer="wang", reviewer_is_supervisor=True, note="标识完全相同，应确认")
    assert back.state is LeadState.NEW and not back.approved


@pytest.mark.parametrize("code, text, expected", [
    ("licensed_seller", "", (ExclusionReason.LICENSED_SELLER, "")),
    ("", "genuine goods", (ExclusionReason.GENUINE_GOODS, "")),
    ("", "正品", (ExclusionReason.GENUINE_GOODS, "")),
    ("", "权利人确认系正品渠道", (ExclusionReason.OTHER, "权利人确认系正品渠道")),
    ("other", "图形不同", (ExclusionReason.OTHER, "图形不同")),
    ("不构成近似", "", (ExclusionReason.NOT_SIMILAR, "")),
])
def test_exclusion_reasons_are_read_from_codes_labels_or_words(code: str, text: str, expected: object) -> None:
    assert parse_reason(code, text) == expected


@pytest.mark.parametrize("code, text, error", [
    ("", "", "reason_required"), ("other", "", "reason_text_required"), ("nonsense", "", "bad_reason")])
def test_an_exclusion_without_a_usable_reason_is_refused(code: str, text: str, error: str) -> None:
    with pytest.raises(WorkflowError) as err:
        parse_reason(code, text)
    assert err.value.code == error


def test_policy_rules_parse_from_configuration_text() -> None:
    policy = Policy.from_specs(["excluded>=0.8:trademark,design", "confirmed<0.2"])
    assert policy.rule_for(Decision.EXCLUDED, 0.85, LeadType.TRADEMARK) is not None
    assert policy.rule_for(Decision.EXCLUDED, 0.85, LeadType.INVENTION) is None
    assert policy.rule_for(Decision.CONFIRMED, 0.1, LeadType.INVENTION) is not None
    assert policy.rule_for(Decision.CONFIRMED, 0.3, LeadType.INVENTION) is None
    assert Policy.from_specs([]).rule_for(Decision.EXCLUDED, 0.99, LeadType.TRADEMARK) is None
    with pytest.raises(ValueError):
        Policy.from_specs(["excluded>=1.5"])


@given(st.sampled_from(list(LeadState)), st.sampled_from(list(Decision)), st.floats(0, 1),
       st.sampled_from(list(LeadType)), st.booleans(), st.booleans())
def test_every_judgement_moves_along_an_allowed_transition(current: LeadState, decision: Decision, score: float,
                                                         lead_type: LeadType, supervisor: bool, case: bool) -> None:
    try:
        judged = judge(current, decision, score, lead_type, supervisor=supervisor, policy=POLICY, has_open_case=case)
    except WorkflowError:
        return
    assert judged.state in TRANSITIONS[current]
    assert allowed(current, judged.state, supervisor=supervisor)
    assert judged.final == (judged.state in (LeadState.CONFIRMED, LeadState.EXCLUDED))
