"""Each region's own progress on a cross-region case — a pure rule of the federation, read by the national case
page (national/lifecycle.py re-exports it) and by every region's page of the case (the steps the national node
broadcast). Plain values: the feedback values of national/lifecycle.py `Feedback`, no enum, so `sync` and `regional`
use it without importing what sits above them (tests/unit/test_import_direction.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# the case statuses (national/lifecycle.py CaseStatus values) of a case that no longer stands: a withdrawn case is
# counted nowhere as a case (formed, held, supervised) on either node, only listed apart (newcomer16 N4)
NOT_COUNTED_STATUSES = frozenset({"withdrawn"})


def counts_as_case_status(status: str | None) -> bool:
    """Whether a cross-region case in `status` (a plain CaseStatus value) counts as a case."""
    return str(status or "") not in NOT_COUNTED_STATUSES


# the step a feedback reports (立案 调查 处理 结案) when a record carries none (rows kept before steps were sent)
STEP_OF_FEEDBACK = {"accepted": "filed", "investigating": "investigating", "confirmed": "handling",
                    "dismissed": "handling", "closed": "closed"}


@dataclass(frozen=True)
class ReportedStep:
    """One step a region reported on a case, as the national node recorded it (plain values)."""

    region: str
    feedback: str
    accepted: bool
    at: dt.datetime
    step: str | None = None
    result: str | None = None
    officer: str | None = None


@dataclass(frozen=True)
class RegionProgress:
    """Where one region concerned stands on a cross-region case: its role, its last accepted step (立案 / 调查 /
    处理 / 结案; None: nothing yet), its finding and closing result, when and by whom, and whether its finding
    or result differs from the lead region's (results are recognised, not merged: both are shown)."""

    region: str
    lead: bool
    step: str | None
    finding: str | None
    result: str | None
    at: dt.datetime | None
    officer: str | None
    refused: int
    differs: bool


def region_progress(steps: Iterable[ReportedStep], lead_region: str, regions: Iterable[str]) -> list[RegionProgress]:
    """Each region concerned (the lead region first, then in the case's order): its own progress on the case."""
    mine: dict[str, list[ReportedStep]] = defaultdict(list)
    for s in steps:
        mine[s.region].append(s)
    order = [lead_region] + [r for r in dict.fromkeys(regions) if r != lead_region]
    out: list[RegionProgress] = []
    for region in order:
        step = finding = result = officer = None
        at = None
        refused = 0
        for s in sorted(mine.get(region, []), key=lambda x: x.at):
            if not s.accepted:
                refused += 1
                continue
            feedback = str(s.feedback)
            if feedback not in STEP_OF_FEEDBACK:  # a note (or a value this release does not know) is not a step
                continue
            step, at, officer = s.step or STEP_OF_FEEDBACK[feedback], s.at, s.officer
            if feedback in ("confirmed", "dismissed"):
                finding = feedback
            if feedback == "closed" and s.result:
                result = s.result
        out.append(RegionProgress(region, region == lead_region, step, finding, result, at, officer, refused, False))
    lead = out[0] if out else None
    if lead is not None:
        out = [p if p.lead else RegionProgress(
            p.region, p.lead, p.step, p.finding, p.result, p.at, p.officer, p.refused,
            differs=bool((p.finding and lead.finding and p.finding != lead.finding)
                         or (p.result and lead.result and p.result != lead.result)))
               for p in out]
    return out
