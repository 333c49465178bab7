"""The officers' judgement of a lead: decisions, reasons, states and the second-review policy.

Pure: values in, values out — no session, no Flask, no clock. The services in
regional/review/service.py apply what these functions decide.

    new ─┬─ confirmed / excluded ──────────────── (final; a supervisor may override)
         ├─ need_info ── (judged again later)
         └─ pending_review ── supervisor approves ─→ the proposed decision
                            └─ supervisor refuses ─→ new (back in the queue, with the reason)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from regional.domain import LeadState, LeadType


class Decision(StrEnum):
    """What an officer decides about a lead (the API's `decision`)."""

    CONFIRMED = "confirmed"  # 确认侵权
    EXCLUDED = "excluded"  # 排除
    NEED_INFO = "need_info"  # 需补充


class ExclusionReason(StrEnum):
    """Why a lead is excluded: a fixed list, with free text for `other`."""

    LICENSED_SELLER = "licensed_seller"  # 被许可销售
    GENUINE_GOODS = "genuine_goods"  # 正品
    DIFFERENT_GOODS = "different_goods"  # 商品类别不同
    NOT_SIMILAR = "not_similar"  # 不构成近似
    OTHER = "other"  # 其他（须说明）


# Words people type for a reason, in either language, folded to a code.
_REASON_WORDS: dict[str, ExclusionReason] = {
    "licensed_seller": ExclusionReason.LICENSED_SELLER, "licensed seller": ExclusionReason.LICENSED_SELLER,
    "licensed": ExclusionReason.LICENSED_SELLER, "被许可销售": ExclusionReason.LICENSED_SELLER,
    "授权销售": ExclusionReason.LICENSED_SELLER, "已获许可": ExclusionReason.LICENSED_SELLER,
    "genuine_goods": ExclusionReason.GENUINE_GOODS, "genuine goods": ExclusionReason.GENUINE_GOODS,
    "genuine": ExclusionReason.GENUINE_GOODS, "正品": ExclusionReason.GENUINE_GOODS,
    "different_goods": ExclusionReason.DIFFERENT_GOODS, "different goods": ExclusionReason.DIFFERENT_GOODS,
    "商品类别不同": ExclusionReason.DIFFERENT_GOODS, "商品不同": ExclusionReason.DIFFERENT_GOODS,
    "not_similar": ExclusionReason.NOT_SIMILAR, "not similar": ExclusionReason.NOT_SIMILAR,
    "不构成近似": ExclusionReason.NOT_SIMILAR, "不近似": ExclusionReason.NOT_SIMILAR,
    "other": ExclusionReason.OTHER, "其他": ExclusionReason.OTHER,
}

MAX_REASON_TEXT = 1000


class WorkflowError(ValueError):
    """A judgement the rules do not allow; `code` is stable, the message says what to do."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params  # values the translated message names (a user, a state)


def parse_reason(reason_code: str | None, text: str | None) -> tuple[ExclusionReason, str]:
    """An exclusion reason from a code (or its label in Chinese or English) and free text.

    A text that is not one of the listed reasons counts as `other` with that text, so an API
    client may send either `{"reason": "genuine_goods"}` or `{"reason": "权利人确认系正品"}`.
    """
    text = (text or "").strip()
    code = (reason_code or "").strip()
    if code:
        found = _REASON_WORDS.get(code.lower())
        if found is None:
            raise WorkflowError("bad_reason", f"exclusion reason {code!r} is not one of "
                                f"{', '.join(r.value for r in ExclusionReason)}")
        if found is ExclusionReason.OTHER and not text:
            raise WorkflowError("reason_text_required", "an exclusion for 'other' reasons needs the reason in words")
        return found, text
    if not text:
        raise WorkflowError("reason_required", "an exclusion needs a reason: one of "
                            f"{', '.join(r.value for r in ExclusionReason)} (or 'other' with the reason in words)")
    found = _REASON_WORDS.get(text.lower())
    if found is not None and found is not ExclusionReason.OTHER:
        return found, ""
    return ExclusionReason.OTHER, text


@dataclass(frozen=True)
class SecondReviewRule:
    """One kind of decision that needs a supervisor's second review (复核).

    `decision` at or above `min_score` (and below `max_score`), for the lead types in `types`
    (empty: every type).
    """

    decision: Decision
    min_score: float = 0.0
    max_score: float = 1.01
    types: frozenset[LeadType] = frozenset()

    def applies(self, decision: Decision, score: float, lead_type: LeadType) -> bool:
        """Whether this rule names the decision."""
        return (decision is self.decision and self.min_score <= score < self.max_score
                and (not self.types or lead_type in self.types))

    def describe(self) -> dict[str, object]:
        """The rule as plain values (for the audit trail and the lead page)."""
        return {"decision": self.decision.value, "min_score": self.min_score,
                **({"max_score": self.max_score} if self.max_score <= 1.0 else {}),
                **({"types": sorted(t.value for t in self.types)} if self.types else {})}

    @classmethod
    def parse(cls, spec: str | Mapping[str, object]) -> SecondReviewRule:
        """From `"excluded>=0.9"`, `"confirmed<0.3"`, `"excluded>=0.8:trademark,design"` or a mapping."""
        if isinstance(spec, Mapping):
            types = spec.get("types") or ()
            return cls(Decision(str(spec["decision"])), float(spec.get("min_score", 0.0)),  # type: ignore[arg-type]
                       float(spec.get("max_score", 1.01)),  # type: ignore[arg-type]
                       frozenset(LeadType(str(t)) for t in types))  # type: ignore[union-attr]
        text, _, types_part = str(spec).partition(":")
        types = frozenset(LeadType(t.strip()) for t in types_part.split(",") if t.strip())
        for op in (">=", "<"):
            if op in text:
                name, _, value = text.partition(op)
                try:
                    bound = float(value)
                except ValueError:
                    raise ValueError(f"second-review rule {spec!r}: {value!r} is not a score") from None
                if not 0.0 <= bound <= 1.0:
                    raise ValueError(f"second-review rule {spec!r}: the score must be between 0 and 1")
                decision = Decision(name.strip())
                return cls(decision, bound, 1.01, types) if op == ">=" else cls(decision, 0.0, bound, types)
        return cls(Decision(text.strip()), 0.0, 1.01, types)


DEFAULT_SECOND_REVIEW = (SecondReviewRule(Decision.EXCLUDED, 0.9),)


@dataclass(frozen=True)
class Policy:
    """A node's review policy: which decisions need a supervisor's second review."""

    second_review: tuple[SecondReviewRule, ...] = DEFAULT_SECOND_REVIEW

    def rule_for(self, decision: Decision, score: float, lead_type: LeadType) -> SecondReviewRule | None:
        """The first rule naming this decision, or None when the decision is final at once."""
        return next((r for r in self.second_review if r.applies(decision, score, lead_type)), None)

    @classmethod
    def from_specs(cls, specs: Iterable[str | Mapping[str, object]] | None) -> Policy:
        """A policy from configuration values (None: the default)."""
        if specs is None:
            return cls()
        return cls(tuple(SecondReviewRule.parse(s) for s in specs))


STATE_OF: dict[Decision, LeadState] = {
    Decision.CONFIRMED: LeadState.CONFIRMED,
    Decision.EXCLUDED: LeadState.EXCLUDED,
    Decision.NEED_INFO: LeadState.NEED_INFO,
}

# Who may move a lead from one state to another ("officer": any reviewer; "supervisor": only them).
TRANSITIONS: dict[LeadState, dict[LeadState, str]] = {
    LeadState.NEW: {LeadState.CONFIRMED: "officer", LeadState.EXCLUDED: "officer", LeadState.NEED_INFO: "officer",
                    LeadState.PENDING_REVIEW: "officer"},
    LeadState.NEED_INFO: {LeadState.CONFIRMED: "officer", LeadState.EXCLUDED: "officer",
                          LeadState.NEED_INFO: "officer", LeadState.PENDING_REVIEW: "officer"},
    LeadState.PENDING_REVIEW: {LeadState.CONFIRMED: "supervisor", LeadState.EXCLUDED: "supervisor",
                               LeadState.NEW: "supervisor"},
    LeadState.CONFIRMED: {LeadState.EXCLUDED: "supervisor", LeadState.NEED_INFO: "supervisor"},
    LeadState.EXCLUDED: {LeadState.CONFIRMED: "supervisor", LeadState.NEED_INFO: "supervisor"},
}
OPEN_STATES = frozenset({LeadState.NEW, LeadState.NEED_INFO})  # what the review queue shows by default
FINAL_STATES = frozenset({LeadState.CONFIRMED, LeadState.EXCLUDED})


def allowed(current: LeadState, target: LeadState, *, supervisor: bool) -> bool:
    """Whether a reviewer (a supervisor when `supervisor`) may move a lead from `current` to `target`."""
    who = TRANSITIONS.get(current, {}).get(target)
    return who is not None and (who == "officer" or supervisor)


@dataclass(frozen=True)
class Judged:
    """What a judgement does: the lead's next state and whether it is final now."""

    state: LeadState
    decision: Decision
    final: bool  # final judgements are reported to the national node as a review outcome
    second_review: SecondReviewRule | None  # the rule that held the decision back for a supervisor
    override: bool  # a supervisor changed a final decision


def judge(current: LeadState, decision: Decision, score: float, lead_type: LeadType, *, supervisor: bool,
          policy: Policy, has_open_case: bool = False) -> Judged:
    """Decide what an officer's (or supervisor's) decision does to a lead in state `current`."""
    if current is LeadState.PENDING_REVIEW:
        raise WorkflowError("awaiting_second_review",
                            "this lead's decision awaits a supervisor's second review; approve or refuse it first")
    final_now = current in FINAL_STATES
    if final_now and not supervisor:
        raise WorkflowError("already_judged", f"this lead is already {current.value}; only a supervisor can "
                            "change a final decision", state=current.value)
    if final_now and has_open_case:
        raise WorkflowError("case_open", "a case is open on this lead; close the case before changing the decision")
    target = STATE_OF[decision]
    if final_now and target is current:
        raise WorkflowError("unchanged", f"this lead is already {current.value}")
    rule = policy.rule_for(decision, score, lead_type)
    if rule is not None and not final_now:
        # a supervisor's own decision still needs a second pair of eyes: another supervisor approves it
        return Judged(LeadState.PENDING_REVIEW, decision, False, rule, False)
    if not allowed(current, target, supervisor=supervisor):
        raise WorkflowError("not_allowed", f"a {current.value} lead cannot become {target.value}")
    return Judged(target, decision, decision is not Decision.NEED_INFO, None, final_now)


@dataclass(frozen=True)
class Reviewed:
    """What a supervisor's second review does."""

    state: LeadState
    approved: bool
    final: bool


def second_review(current: LeadState, proposed: Decision, *, approve: bool, proposer: str, reviewer: str,
                  reviewer_is_supervisor: bool, note: str) -> Reviewed:
    """A supervisor approves the proposed decision (it becomes final) or refuses it (back to the queue)."""
    if current is not LeadState.PENDING_REVIEW:
        raise WorkflowError("no_second_review", f"this lead is {current.value}; nothing awaits a second review")
    if not reviewer_is_supervisor:
        raise WorkflowError("supervisor_only", "only a supervisor (科室负责人) may carry out a second review")
    if reviewer == proposer:
        raise WorkflowError("same_person", "the second review must be done by someone other than the officer "
                            "who made the decision")
    if not approve and not note.strip():
        raise WorkflowError("note_required", "say why the decision is refused, so the officer can judge again")
    if approve:
        return Reviewed(STATE_OF[proposed], True, proposed is not Decision.NEED_INFO)
    return Reviewed(LeadState.NEW, False, False)
