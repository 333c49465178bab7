"""The case state machine, supervision deadlines and the repeat-infringer rule — pure functions.

No session, no clock: callers pass `now` and plain values, so every rule is unit-tested fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

# each region's own progress on a case: a pure rule shared with the regions' pages, re-exported here
from sync.caseprogress import (  # noqa: F401
    NOT_COUNTED_STATUSES,
    STEP_OF_FEEDBACK,
    RegionProgress,
    ReportedStep,
    region_progress,
)


class CaseStatus(StrEnum):
    """Where a cross-region case stands (立案 → 查处 → 认定 → 结案)."""

    FORMED = "formed"
    INVESTIGATING = "investigating"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # its sellers turned out not to be one entity (a merge was reversed)


class Feedback(StrEnum):
    """What a region reports about a case."""

    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    CLOSED = "closed"
    NOTE = "note"


# A withdrawn case (its sellers turned out not to be one entity, or every lead went to another case of the same
# seller) no longer stands: it is counted nowhere as a case formed, open, closed or supervised (督办). Figures that
# count cases list it apart (已撤回 N) — newcomer16 N4: the national pages and report counted it with the others.
NOT_COUNTED: frozenset[CaseStatus] = frozenset(CaseStatus(s) for s in NOT_COUNTED_STATUSES)
CLOSED_STATUSES: frozenset[CaseStatus] = frozenset({CaseStatus.CLOSED})


def counts_as_case(status: CaseStatus | str) -> bool:
    """Whether a case in `status` counts as a case (formed, supervised…); a withdrawn one does not."""
    return CaseStatus(status) not in NOT_COUNTED


@dataclass(frozen=True)
class CaseCounts:
    """Cases by standing: `formed` = open + closed (what counts as cases); `withdrawn` apart, never in `formed`."""

    open: int
    closed: int
    withdrawn: int

    @property
    def formed(self) -> int:
        return self.open + self.closed


def case_counts(by_status: Mapping[str, int]) -> CaseCounts:
    """Cases counted by standing from a count per status value (CaseStatus values); an unknown status is an error
    naming it, not silently counted."""
    open_ = closed = withdrawn = 0
    for value, n in by_status.items():
        try:
            status = CaseStatus(value)
        except ValueError:
            raise ValueError(f"case status {value!r} is not one of {', '.join(s.value for s in CaseStatus)}") from None
        if status in NOT_COUNTED:
            withdrawn += int(n)
        elif status in CLOSED_STATUSES:
            closed += int(n)
        else:
            open_ += int(n)
    return CaseCounts(open_, closed, withdrawn)


TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.FORMED: frozenset({CaseStatus.INVESTIGATING, CaseStatus.CONFIRMED, CaseStatus.DISMISSED}),
    CaseStatus.INVESTIGATING: frozenset({CaseStatus.CONFIRMED, CaseStatus.DISMISSED}),
    CaseStatus.CONFIRMED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.DISMISSED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}
TARGET = {Feedback.ACCEPTED: CaseStatus.INVESTIGATING, Feedback.INVESTIGATING: CaseStatus.INVESTIGATING,
          Feedback.CONFIRMED: CaseStatus.CONFIRMED, Feedback.DISMISSED: CaseStatus.DISMISSED,
          Feedback.CLOSED: CaseStatus.CLOSED}


@dataclass(frozen=True)
class Decision:
    """The outcome of one region's feedback on a case."""

    status: CaseStatus
    changed: bool
    accepted: bool
    reason: str


def apply_feedback(status: CaseStatus, feedback: Feedback, region: str, lead_region: str,
                   regions: Iterable[str], own: CaseStatus | None = None) -> Decision:
    """Decide what a region's feedback does to the case; every decision says why.

    Only the lead region's (主办) steps drive the case's status. An assisting region (协办) handles its own part
    of the case (结果互认: each office files, investigates and closes what lies with it): its steps are checked
    against its own progress `own` (the last step of its that was accepted; None: none yet), never refused
    because the lead region has moved on or closed the case, and never change the case's status — its progress
    and result are shown per region on the national case page (newcomer14 F36: a co-region's first step used
    to move the status, its later ones did not)."""
    if region not in set(regions):
        return Decision(status, False, False, f"region {region} is not concerned by this case")
    if feedback is Feedback.NOTE:
        return Decision(status, False, True, "note recorded")
    target = TARGET[feedback]
    if region != lead_region and status is not CaseStatus.WITHDRAWN:
        mine = own or CaseStatus.FORMED
        if target == mine:
            return Decision(status, False, True, f"this region's part is already {mine.value}")
        # its part may close without a finding of its own (transferred, withdrawn…): the finding is the lead's
        allowed = TRANSITIONS[mine] | (frozenset({CaseStatus.CLOSED}) if mine is not CaseStatus.CLOSED else frozenset())
        if target != mine and target not in allowed:
            return Decision(status, False, False, f"this region's part is {mine.value}; it cannot become "
                                                  f"{target.value}")
        return Decision(status, False, True,
                        f"recorded as the assisting region's result; the lead region {lead_region} decides the case")
    if target == status:
        return Decision(status, False, True, f"the case is already {status.value}")
    if target not in TRANSITIONS[status]:
        return Decision(status, False, False, f"a {status.value} case cannot become {target.value}")
    return Decision(target, True, True, f"{status.value} -> {target.value}")


@dataclass(frozen=True)
class Supervision:
    """The supervision (督办) standing of a case."""

    supervised: bool
    deadline: dt.datetime | None
    overdue: bool
    days_left: float | None


def supervision(cross_province: bool, status: CaseStatus, formed_at: dt.datetime, limit_days: float,
                now: dt.datetime) -> Supervision:
    """Cases spanning provinces are supervised nationally with a time limit; open ones past it are overdue. A
    withdrawn case is supervised no more (it no longer stands as a case)."""
    if not cross_province or not counts_as_case(status):
        return Supervision(False, None, False, None)
    deadline = formed_at + dt.timedelta(days=limit_days)
    open_ = status not in (CaseStatus.CLOSED, CaseStatus.CONFIRMED, CaseStatus.DISMISSED, CaseStatus.WITHDRAWN)
    days_left = (deadline - now).total_seconds() / 86400
    return Supervision(True, deadline, open_ and now > deadline, round(days_left, 1) if open_ else None)


def repeat_infringers(confirmed: Iterable[tuple[str, dt.datetime]], n: int, months: int,
                      now: dt.datetime) -> dict[str, int]:
    """Entities with at least `n` confirmed cases in the last `months` (30-day months): entity -> count."""
    since = now - dt.timedelta(days=30 * months)
    counts: dict[str, int] = defaultdict(int)
    for entity, at in confirmed:
        if at >= since:
            counts[entity] += 1
    return {entity: c for entity, c in counts.items() if c >= n}
