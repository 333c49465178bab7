"""Months of consistent history for the demo, so the dashboards and last month's report show something real.

A region's history is played forward in time through the node's own services, never written
around them: listings are imported and screened week by week at moments in the past (so leads,
their outbox records and the national projection carry those moments), officers judge most
leads a few hours to days later (confirmed ones are routed), cases are opened on some confirmed
leads and taken through investigation and handling to closing, a few left standing past their
time limit. Everything goes up to the national node with the first sync, like any other record.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from regional import outbox, services
from regional.actors import Actor
from regional.casework import service as casework
from regional.casework.core import CaseResult, CaseState, TimeLimits
from regional.domain import LeadState
from regional.models import LeadRow
from regional.reports.periods import Month, local_day, to_utc
from regional.review import service as review
from regional.review.core import Decision, ExclusionReason
from sync.db import Database

MONTHS = 4  # full months of history before the current one
OFFICERS = ("officer", "supervisor")  # the demo's accounts (national/demo.py creates them)
RESULTS = (CaseResult.PENALISED, CaseResult.ORDERED_TO_STOP, CaseResult.MEDIATED, CaseResult.ORDERED_TO_STOP)
EXCLUSIONS = (ExclusionReason.GENUINE_GOODS, ExclusionReason.LICENSED_SELLER, ExclusionReason.NOT_SIMILAR)


@dataclass
class History:
    """What was played for one region."""

    since: dt.datetime
    listings: int = 0
    leads: int = 0
    judged: int = 0
    cases: int = 0
    closed: int = 0
    by_month: dict[str, int] = field(default_factory=dict)


def start_of_history(now: dt.datetime, months: int = MONTHS) -> dt.datetime:
    """The first moment of the month `months` before the current one (China Standard Time)."""
    month = Month.of(local_day(now))
    for _ in range(months):
        month = month.previous
    return to_utc(month.start)


def play(db: Database, signer: outbox.Signer, *, region: str, registry: Path, listings: Sequence[dict[str, Any]],
         work_dir: Path, now: dt.datetime, seed: int, months: int = MONTHS,
         say: Callable[[str], None] | None = None) -> History:
    """Import the registry before the history starts, then play `listings` forward week by week up to `now`."""
    rng = random.Random(f"{seed}-{region}")
    since = start_of_history(now, months)
    history = History(since=since)
    services.import_registry(db, registry, actor="demo", now=since - dt.timedelta(days=1))
    weeks = max(1, int((now - since).total_seconds() // (7 * 86400)))
    batches = [list(listings[i::weeks]) for i in range(weeks)]
    ctx = review.Context(region=region, signer=signer)
    detector = _detector(now.date())  # one detection engine for every batch (engine_for reuses it)
    limits = TimeLimits()
    order = itertools.count()
    events: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []

    def later(at: dt.datetime, action: Callable[[dt.datetime], None]) -> None:
        if at < now - dt.timedelta(minutes=5):  # what would happen after now has not happened yet
            heapq.heappush(events, (at, next(order), action))

    def run_until(limit: dt.datetime) -> None:
        while events and events[0][0] < limit:
            at, _n, action = heapq.heappop(events)
            action(at)

    for week, batch in enumerate(batches):
        # a working day of the week, in office hours (China Standard Time)
        day = since + dt.timedelta(days=7 * week + rng.randint(0, 4), hours=rng.randint(1, 9),
                                   minutes=rng.randint(0, 59))
        run_until(day)
        if not batch or day >= now:
            continue
        path = work_dir / f"history-{week:02d}.jsonl"
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in batch), encoding="utf-8")
        services.import_listings(db, path, actor="demo", now=day)
        services.screen_pending(db, signer, now=day, actor="worker", detector=detector)
        history.listings += len(batch)
        with db.read() as session:
            made = list(session.scalars(sa.select(LeadRow.uuid).where(LeadRow.created_at == day)
                                        .order_by(LeadRow.id)))
        history.leads += len(made)
        key = str(Month.of(local_day(day)))
        history.by_month[key] = history.by_month.get(key, 0) + len(made)
        for lead_uuid in made:
            _plan_judgement(rng, lead_uuid, day, later, db, ctx, limits, signer, history)
    run_until(now)
    if say:
        say(f"region {region}: {history.leads} lead(s) over {len(history.by_month)} month(s) of history, "
            f"{history.judged} judged, {history.cases} case(s) opened, {history.closed} closed")
    return history


def _plan_judgement(rng: random.Random, lead_uuid: str, made: dt.datetime,
                    later: Callable[[dt.datetime, Callable[[dt.datetime], None]], None], db: Database,
                    ctx: review.Context, limits: TimeLimits, signer: outbox.Signer, history: History) -> None:
    draw = rng.random()
    if draw >= 0.85:
        return  # still waiting for an officer
    officer = Actor.system(rng.choice(OFFICERS))
    decision = Decision.CONFIRMED if draw < 0.62 else Decision.EXCLUDED
    reason = rng.choice(EXCLUSIONS).value if decision is Decision.EXCLUDED else None
    at = made + dt.timedelta(hours=rng.uniform(1.5, 96.0))
    opens = decision is Decision.CONFIRMED and rng.random() < 0.45
    days = [rng.uniform(1, 20), rng.uniform(5, 70), rng.uniform(3, 25)]  # filed, investigating, handling
    result = rng.choice(RESULTS)

    def judge(when: dt.datetime) -> None:
        outcome = review.decide(db, ctx, lead_uuid, decision, reason_code=reason, actor=officer, now=when)
        if outcome.second_review:
            reviewer = "admin" if officer.name == "supervisor" else "supervisor"
            review.review(db, ctx, lead_uuid, True, actor=Actor.system(reviewer), now=when)
        history.judged += 1
        if opens and outcome.state is LeadState.CONFIRMED:
            later(when + dt.timedelta(hours=rng.uniform(4, 72)), open_case)

    def open_case(when: dt.datetime) -> None:
        case = casework.open_case(db, signer, [lead_uuid], actor=officer, now=when, limits=limits)
        history.cases += 1
        steps = [(CaseState.INVESTIGATING, {}), (CaseState.HANDLING, {"finding": "confirmed"}),
                 (CaseState.CLOSED, {"result": result.value, "note": "依法处理完毕"})]
        moment = when
        chain: list[tuple[dt.datetime, CaseState, dict[str, str]]] = []
        for wait, (target, extra) in zip(days, steps, strict=True):
            moment += dt.timedelta(days=wait)
            chain.append((moment, target, extra))
        _step_chain(case.uuid, chain)

    def _step_chain(case_uuid: str, chain: list[tuple[dt.datetime, CaseState, dict[str, str]]]) -> None:
        if not chain:
            return
        at_, target, extra = chain[0]

        def step(when: dt.datetime) -> None:
            casework.step_case(db, signer, case_uuid, target, actor=officer, now=when, limits=limits, **extra)
            if target is CaseState.CLOSED:
                history.closed += 1
            _step_chain(case_uuid, chain[1:])

        later(at_, step)

    later(at, judge)


def _detector(as_of: dt.date) -> services.Detector:
    from regional.detection.engine import detect

    def run(rights: Sequence[Any], licences: Sequence[Any], listings: Sequence[Any]) -> list[Any]:
        return detect(rights, licences, listings, as_of=as_of)

    return run


def split(listings: Sequence[dict[str, Any]], share: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first `share` of a (shuffled) sample for the history, the rest for today."""
    n = int(len(listings) * share)
    return list(listings[:n]), list(listings[n:])
