"""Case handling (立案 → 调查 → 处理 → 结案): states, transitions, time limits, closing — pure.

No session and no clock: callers pass `now`. The same four steps name a region's own cases
and its feedback on the cross-region cases the national node sends.

Default time limits (days, configurable per node as `case_time_limits_days`): 15 for 立案
(from filing to the start of the investigation), 60 for 调查 and 15 for 处理 — together the
90 days from filing to decision that the market-regulation procedure rules set for an
administrative penalty case (市场监督管理行政处罚程序规定, art. 64).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class CaseState(StrEnum):
    """Where a case stands."""

    FILED = "filed"  # 立案
    INVESTIGATING = "investigating"  # 调查
    HANDLING = "handling"  # 处理
    CLOSED = "closed"  # 结案


class CaseResult(StrEnum):
    """How a case ended (required to close it)."""

    PENALISED = "penalised"  # 行政处罚
    ORDERED_TO_STOP = "ordered_to_stop"  # 责令停止侵权
    MEDIATED = "mediated"  # 调解结案
    TRANSFERRED = "transferred"  # 移送司法机关
    NO_VIOLATION = "no_violation"  # 不构成侵权
    WITHDRAWN = "withdrawn"  # 撤销案件


class Finding(StrEnum):
    """What handling found (reported to the national node for cross-region cases)."""

    CONFIRMED = "confirmed"  # 认定侵权
    DISMISSED = "dismissed"  # 不构成侵权


TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.FILED: frozenset({CaseState.INVESTIGATING, CaseState.CLOSED}),
    CaseState.INVESTIGATING: frozenset({CaseState.HANDLING, CaseState.CLOSED}),
    CaseState.HANDLING: frozenset({CaseState.CLOSED}),
    CaseState.CLOSED: frozenset(),
}
STEP_ORDER = (CaseState.FILED, CaseState.INVESTIGATING, CaseState.HANDLING, CaseState.CLOSED)
DEFAULT_LIMITS_DAYS: dict[CaseState, float] = {
    CaseState.FILED: 15.0, CaseState.INVESTIGATING: 60.0, CaseState.HANDLING: 15.0,
}
MAX_TEXT = 2000


class CaseError(ValueError):
    """A step the rules do not allow; `code` is stable, the message says what to do."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params  # values the translated message names (a limit, a length)


@dataclass(frozen=True)
class TimeLimits:
    """Days allowed in each open step."""

    days: Mapping[CaseState, float] = field(default_factory=lambda: dict(DEFAULT_LIMITS_DAYS))

    @classmethod
    def from_config(cls, values: Mapping[str, float] | None) -> TimeLimits:
        """From `{"filed": 15, "investigating": 60, "handling": 15}`; missing steps keep the default."""
        days = dict(DEFAULT_LIMITS_DAYS)
        for key, value in (values or {}).items():
            try:
                state = CaseState(key)
            except ValueError:
                raise ValueError(f"case_time_limits_days: {key!r} is not a step "
                                 f"({', '.join(s.value for s in DEFAULT_LIMITS_DAYS)})") from None
            if state is CaseState.CLOSED:
                raise ValueError("case_time_limits_days: a closed case has no time limit")
            if not 0 < float(value) <= 3650:
                raise ValueError(f"case_time_limits_days.{key}: {value} must be more than 0 and at most 3650 days")
            days[state] = float(value)
        return cls(days)

    def deadline(self, state: CaseState, entered_at: dt.datetime) -> dt.datetime | None:
        """When the step entered at `entered_at` is due (None for a closed case)."""
        limit = self.days.get(state)
        return None if limit is None else entered_at + dt.timedelta(days=limit)


@dataclass(frozen=True)
class Standing:
    """A case's deadline and whether it is overdue."""

    deadline: dt.datetime | None
    overdue: bool
    days_left: float | None


def standing(state: CaseState, entered_at: dt.datetime, limits: TimeLimits, now: dt.datetime) -> Standing:
    """The deadline of the current step and whether it has passed."""
    deadline = limits.deadline(state, entered_at)
    if deadline is None:
        return Standing(None, False, None)
    left = (deadline - now).total_seconds() / 86400
    return Standing(deadline, now > deadline, round(left, 1))


def next_steps(state: CaseState) -> tuple[CaseState, ...]:
    """The steps a case in `state` can take, in order (none once closed)."""
    return tuple(s for s in STEP_ORDER if s in TRANSITIONS[state])


@dataclass(frozen=True)
class Step:
    """A validated step: where the case goes and what closing it records."""

    state: CaseState
    result: CaseResult | None = None
    finding: Finding | None = None
    note: str = ""


# A closing result that says the opposite of the finding (认定侵权 then 不构成侵权, or the reverse then a penalty)
CONTRADICTIONS = frozenset({("confirmed", "no_violation"), ("dismissed", "penalised"), ("dismissed", "ordered_to_stop")})


def advance(state: CaseState, target: CaseState, *, result: str | None = None, finding: str | None = None,
            note: str = "", recorded: Finding | None = None) -> Step:
    """Check one step; closing needs a result and a reason (the note), and a result that agrees with the finding
    (the one given with the step, else the one `recorded` at 处理)."""
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise CaseError("note_too_long", f"the note is {len(note)} characters; at most {MAX_TEXT}", max=MAX_TEXT,
                        n=len(note))
    if state is CaseState.CLOSED:
        raise CaseError("closed", "this case is closed; no further step is possible")
    if target not in TRANSITIONS[state]:
        raise CaseError("not_allowed", f"a case in step {state.value} cannot go to {target.value}; "
                        f"possible: {', '.join(s.value for s in next_steps(state))}")
    parsed_finding = None
    if finding:
        try:
            parsed_finding = Finding(finding)
        except ValueError:
            raise CaseError("bad_finding", f"finding {finding!r} is not one of "
                            f"{', '.join(f.value for f in Finding)}") from None
    if target is CaseState.CLOSED:
        if not result:
            raise CaseError("result_required", "closing a case needs a result: one of "
                            f"{', '.join(r.value for r in CaseResult)}")
        try:
            parsed = CaseResult(result)
        except ValueError:
            raise CaseError("bad_result", f"result {result!r} is not one of "
                            f"{', '.join(r.value for r in CaseResult)}") from None
        if not note:
            raise CaseError("reason_required", "closing a case needs the reason (结案理由)")
        if parsed_finding is None:
            parsed_finding = recorded
        if parsed_finding is not None and (parsed_finding.value, parsed.value) in CONTRADICTIONS:
            raise CaseError("result_contradicts_finding", f"the result {parsed.value} contradicts the finding "
                            f"{parsed_finding.value}: change the finding at 处理 first, or choose a result that "
                            "agrees with it")
        if parsed_finding is None:
            parsed_finding = Finding.DISMISSED if parsed in (CaseResult.NO_VIOLATION, CaseResult.WITHDRAWN) \
                else Finding.CONFIRMED
        return Step(target, parsed, parsed_finding, note)
    if result:
        raise CaseError("result_only_when_closing", "a result is recorded only when the case is closed")
    if target is CaseState.HANDLING and parsed_finding is None:
        raise CaseError("finding_required", "moving to 处理 needs the finding of the investigation: "
                        f"{', '.join(f.value for f in Finding)}")
    return Step(target, None, parsed_finding, note)


# The cross-region feedback codes the national node understands (national/lifecycle.py Feedback),
# for each of the same four steps.
def feedback_code(step: CaseState, finding: Finding | None) -> str:
    """The national feedback code for a region's step on a cross-region case."""
    if step is CaseState.FILED:
        return "accepted"
    if step is CaseState.INVESTIGATING:
        return "investigating"
    if step is CaseState.HANDLING:
        if finding is None:
            raise CaseError("finding_required", "the 处理 step needs a finding (confirmed or dismissed)")
        return finding.value
    return "closed"


def cross_next_steps(sent: Iterable[CaseState | None], national_status: str) -> tuple[CaseState, ...]:
    """The steps a region may report next on a cross-region case: those after the last of its own steps that the
    national node did not refuse (`sent`, in any order; None for a note). Each region concerned handles its own
    part, whatever the lead region has done; none once its part is closed or the case was withdrawn."""
    if national_status == "withdrawn":
        return ()
    done = [STEP_ORDER.index(s) for s in sent if s is not None]
    return STEP_ORDER[max(done) + 1:] if done else STEP_ORDER


def step_of_status(status: str) -> CaseState | None:
    """Which of the four steps a cross-region case's national status corresponds to (None: not yet filed)."""
    return {"investigating": CaseState.INVESTIGATING, "confirmed": CaseState.HANDLING,
            "dismissed": CaseState.HANDLING, "closed": CaseState.CLOSED,
            "withdrawn": CaseState.CLOSED}.get(status)
