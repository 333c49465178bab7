"""The figures of a region's monthly report (月报), computed from the node's database.

Every lead count comes from the count cube (regional/reports/cube.py), the same reads the
dashboards make, so a figure in the report is the figure on the screen. The result is plain
JSON (codes and numbers only): it is stored, filed with the national office, and rendered to
PDF, XLSX and the report page by regional/reports/render.py.

A section is `{"key", "columns": [[name, kind], …], "rows": [{name: value}], "chart": {…}}`;
column kinds: `label:<kind>` (a code shown through regional/reports/labels.py), `int`, `num`
(one decimal), `pct` (a ratio shown as a percentage), `text`, `time` (ISO 8601).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.models import (
    AuditEntry,
    BlacklistedEntity,
    LeadRow,
    OutboxRow,
    ReceivedCase,
    SellerRow,
    SyncState,
)
from regional.reports import cube
from regional.reports.cube import Measure
from regional.reports.models import CUBE
from regional.reports.periods import CST, Grain, Month, change, to_utc
from regional.workflow_models import AgencyRow, CaseRecord, CaseStep, CrossCaseStep, RouteRow
from sync.caseprogress import NOT_COUNTED_STATUSES
from sync.times import aware as _aware

TYPES = ("trademark", "counterfeit_patent", "design", "invention")
SOURCES = ("ecommerce", "exhibition", "customs", "complaint", "holder_request")
COMPARE_COLUMNS = [["value", "int"], ["previous", "int"], ["mom", "pct"], ["year_ago", "int"], ["yoy", "pct"]]
TOP = 10
FORMAT = 1  # version of the figures' shape (docs/reports.md)


def compare_rows(current: dict[Any, int], previous: dict[Any, int], year_ago: dict[Any, int],
                 keys: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Rows of this month, last month, the same month last year and the two changes, for every key seen."""
    every = list(dict.fromkeys([*keys, *current, *previous, *year_ago]))
    return [{"key": k, "value": current.get(k, 0), "previous": previous.get(k, 0),
             "mom": change(current.get(k, 0), previous.get(k, 0)), "year_ago": year_ago.get(k, 0),
             "yoy": change(current.get(k, 0), year_ago.get(k, 0))} for k in every]


def _by(session: Session, c: cube.Cube, month: Month, dim: str, measure: str = Measure.DETECTED,
        filters: cube.Filters | None = None) -> dict[Any, int]:
    got = cube.totals(session, c, month.start, month.end, by=(dim,), measures=(measure,), filters=filters)
    return {k[1]: v for k, v in got.items()}


def _total(session: Session, c: cube.Cube, month: Month, measure: str, filters: cube.Filters | None = None) -> int:
    got = cube.totals(session, c, month.start, month.end, measures=(measure,), filters=filters)
    return sum(got.values())


def lead_sections(session: Session, c: cube.Cube, month: Month, area_kind: str,
                  core: Sequence[int] = (), filters: cube.Filters | None = None) -> list[dict[str, Any]]:
    """The lead sections (type, source, industry, area, day), each with its month-on-month and year-on-year change."""
    out = []
    for key, dim, kind, order in (("leads_by_type", "type", "type", TYPES), ("leads_by_source", "source", "source",
                                                                           SOURCES),
                                  ("leads_by_industry", "industry", "industry", ()),
                                  ("leads_by_area", "area", area_kind, ())):
        rows = compare_rows(_by(session, c, month, dim, filters=filters), _by(session, c, month.previous, dim,
                                                                              filters=filters),
                            _by(session, c, month.year_ago, dim, filters=filters), order)
        if dim in ("industry", "area"):
            rows.sort(key=lambda r: (-r["value"], -r["previous"], str(r["key"])))
        columns = [["key", f"label:{kind}"], *COMPARE_COLUMNS]
        if dim == "industry":
            for r in rows:
                r["core"] = "yes" if r["key"] in core else "no"
            columns.append(["core", "label:"])
        out.append({"key": key, "columns": columns, "rows": rows,
                    "chart": {"kind": "bar", "label": "key", "values": ["value", "previous"]}})
    series = cube.trend(session, c, month.start, month.end, Grain.DAY,
                        measures=(Measure.DETECTED, Measure.CONFIRMED, Measure.EXCLUDED), filters=filters)
    days = [{"day": d.isoformat(), "detected": n, "confirmed": series[Measure.CONFIRMED][i][1],
             "excluded": series[Measure.EXCLUDED][i][1]} for i, (d, n) in enumerate(series[Measure.DETECTED])]
    out.append({"key": "leads_by_day", "columns": [["day", "text"], ["detected", "int"], ["confirmed", "int"],
                                                   ["excluded", "int"]],
                "rows": days, "chart": {"kind": "line", "label": "day", "values": ["detected", "confirmed", "excluded"]}})
    return out


def pending_at(session: Session, c: cube.Cube, end: dt.date, filters: cube.Filters | None = None) -> int:
    """Leads detected before `end` and not judged (confirmed or excluded) before it, as the cube counts them."""
    got = cube.totals(session, c, dt.date(2000, 1, 1), end,
                      measures=(Measure.DETECTED, Measure.CONFIRMED, Measure.EXCLUDED), filters=filters)
    by_measure: dict[str, int] = defaultdict(int)
    for (measure,), n in got.items():
        by_measure[measure] += n
    return max(0, by_measure[Measure.DETECTED] - by_measure[Measure.CONFIRMED] - by_measure[Measure.EXCLUDED])


def _median_hours(session: Session, month: Month, by_type: bool = False) -> dict[str, float | None]:
    lo, hi = month.utc_range()
    spans: dict[str, list[float]] = defaultdict(list)
    for lead_type, created, judged in session.execute(
            sa.select(LeadRow.type, LeadRow.created_at, LeadRow.judged_at)
            .where(LeadRow.judged_at >= lo, LeadRow.judged_at < hi,
                   LeadRow.state.in_(("confirmed", "excluded")))):
        hours = max(0.0, (_aware(judged) - _aware(created)).total_seconds() / 3600)  # type: ignore[operator]
        spans["*"].append(hours)
        spans[lead_type.value].append(hours)
    return {k: round(statistics.median(v), 1) for k, v in spans.items()}


def judgement_section(session: Session, month: Month) -> dict[str, Any]:
    """Confirmed, excluded, judged, pending at month end and the median time to judge, per lead type."""
    confirmed = _by(session, CUBE, month, "type", Measure.CONFIRMED)
    excluded = _by(session, CUBE, month, "type", Measure.EXCLUDED)
    medians = _median_hours(session, month)
    rows = []
    for t in TYPES:
        rows.append({"key": t, "confirmed": confirmed.get(t, 0), "excluded": excluded.get(t, 0),
                     "judged": confirmed.get(t, 0) + excluded.get(t, 0),
                     "pending_end": pending_at(session, CUBE, month.end, {"type": [t]}),
                     "median_hours": medians.get(t)})
    return {"key": "judgements", "columns": [["key", "label:type"], ["confirmed", "int"], ["excluded", "int"],
                                             ["judged", "int"], ["pending_end", "int"], ["median_hours", "num"]],
            "rows": rows, "chart": {"kind": "bar", "label": "key", "values": ["confirmed", "excluded", "pending_end"]},
            "median_hours": medians.get("*")}


def routing_section(session: Session, month: Month) -> dict[str, Any]:
    """Leads routed in the month, per receiving body."""
    lo, hi = month.utc_range()
    rows = []
    for name, kind, n in session.execute(
            sa.select(AgencyRow.name, AgencyRow.kind, sa.func.count(RouteRow.id))
            .select_from(RouteRow).outerjoin(AgencyRow, AgencyRow.id == RouteRow.agency_id)
            .where(RouteRow.at >= lo, RouteRow.at < hi)
            .group_by(AgencyRow.name, AgencyRow.kind).order_by(sa.func.count(RouteRow.id).desc(), AgencyRow.name)):
        rows.append({"agency": name or "", "agency_kind": kind.value if kind is not None else "", "routed": int(n)})
    return {"key": "routing", "columns": [["agency", "agency"], ["agency_kind", "label:agency_kind"], ["routed", "int"]],
            "rows": rows, "chart": {"kind": "bar", "label": "agency", "values": ["routed"]}}


def case_sections(session: Session, month: Month) -> list[dict[str, Any]]:
    """Cases opened, closed, in progress and overdue at month end; time per step; results."""
    lo, hi = month.utc_range()
    opened = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRecord)
                                .where(CaseRecord.opened_at >= lo, CaseRecord.opened_at < hi)) or 0)
    closed = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRecord)
                                .where(CaseRecord.closed_at >= lo, CaseRecord.closed_at < hi)) or 0)
    # in progress at month end: opened before the end, not closed before it
    open_rows = list(session.execute(sa.select(CaseRecord.id).where(
        CaseRecord.opened_at < hi, sa.or_(CaseRecord.closed_at.is_(None), CaseRecord.closed_at >= hi))).scalars())
    overdue = _overdue_at(session, open_rows, hi)
    cases = {"key": "cases", "columns": [["key", "label:metric"], ["value", "int"]],
             "rows": [{"key": "cases_opened", "value": opened}, {"key": "cases_closed", "value": closed},
                      {"key": "cases_open_end", "value": len(open_rows)},
                      {"key": "cases_overdue_end", "value": overdue}],
             "chart": {"kind": "bar", "label": "key", "values": ["value"]}}
    per_step: dict[str, list[float]] = defaultdict(list)
    late: dict[str, int] = defaultdict(int)
    for state, seconds, was_late in session.execute(
            sa.select(CaseStep.from_state, CaseStep.seconds_in_step, CaseStep.overdue)
            .where(CaseStep.at >= lo, CaseStep.at < hi, CaseStep.from_state.is_not(None))):
        per_step[state.value].append((seconds or 0.0) / 86400)
        late[state.value] += 1 if was_late else 0
    steps = {"key": "case_steps", "columns": [["key", "label:case_state"], ["steps", "int"], ["median_days", "num"],
                                              ["mean_days", "num"], ["overdue_steps", "int"]],
             "rows": [{"key": s, "steps": len(per_step[s]),
                       "median_days": round(statistics.median(per_step[s]), 1) if per_step[s] else None,
                       "mean_days": round(statistics.fmean(per_step[s]), 1) if per_step[s] else None,
                       "overdue_steps": late[s]} for s in ("filed", "investigating", "handling")],
             "chart": {"kind": "bar", "label": "key", "values": ["median_days"]}}
    results = {"key": "case_results", "columns": [["key", "label:case_result"], ["cases", "int"]],
               "rows": [{"key": r.value, "cases": int(n)} for r, n in session.execute(
                   sa.select(CaseRecord.result, sa.func.count()).where(CaseRecord.closed_at >= lo,
                                                                       CaseRecord.closed_at < hi,
                                                                       CaseRecord.result.is_not(None))
                   .group_by(CaseRecord.result).order_by(sa.func.count().desc(), CaseRecord.result))],
               "chart": {"kind": "pie", "label": "key", "values": ["cases"]}}
    return [cases, steps, results]


def _overdue_at(session: Session, case_ids: list[int], moment: dt.datetime) -> int:
    """Open cases whose step, as it stood at `moment`, had run past its deadline."""
    if not case_ids:
        return 0
    from regional.casework.core import CaseState, TimeLimits

    limits = TimeLimits()
    n = 0
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        last: dict[int, tuple[dt.datetime, CaseState]] = {}
        for case_id, at, to_state in session.execute(
                sa.select(CaseStep.case_id, CaseStep.at, CaseStep.to_state)
                .where(CaseStep.case_id.in_(chunk), CaseStep.at < moment).order_by(CaseStep.id)):
            last[case_id] = (_aware(at), to_state)  # type: ignore[assignment]
        for case_id, _deadline, entered, state in session.execute(
                sa.select(CaseRecord.id, CaseRecord.deadline, CaseRecord.step_entered_at, CaseRecord.state)
                .where(CaseRecord.id.in_(chunk))):
            entered_at, step = last.get(case_id, (_aware(entered), state))
            due = limits.deadline(step, entered_at) if step is not None else None
            if step == CaseState.CLOSED or due is None:
                continue
            if due < moment:
                n += 1
    return n


def cross_region_section(session: Session, month: Month) -> dict[str, Any]:
    """Cross-region cases received in the month and steps this region reported on them."""
    lo, hi = month.utc_range()
    # a case the national node withdrew no longer stands: not received, held nor supervised, counted apart
    # (newcomer16 N4; sync.caseprogress.NOT_COUNTED_STATUSES)
    received = _cross(session, month)
    total = int(session.scalar(sa.select(sa.func.count()).select_from(ReceivedCase)
                               .where(ReceivedCase.received_at < hi, _standing())) or 0)
    withdrawn = int(session.scalar(sa.select(sa.func.count()).select_from(ReceivedCase)
                                   .where(ReceivedCase.received_at < hi, sa.not_(_standing()))) or 0)
    supervised = sum(1 for (payload,) in session.execute(sa.select(ReceivedCase.payload)
                                                          .where(ReceivedCase.received_at < hi, _standing()))
                     if isinstance(payload, dict) and payload.get("supervised"))
    steps = int(session.scalar(sa.select(sa.func.count()).select_from(CrossCaseStep)
                               .where(CrossCaseStep.at >= lo, CrossCaseStep.at < hi)) or 0)
    rows = [{"key": "cross_cases_received", "value": received}, {"key": "cross_cases_held", "value": total},
            {"key": "cross_steps_reported", "value": steps}, {"key": "supervised", "value": supervised},
            {"key": "cross_cases_withdrawn", "value": withdrawn}]
    return {"key": "cross_region", "columns": [["key", "label:metric"], ["value", "int"]], "rows": rows}


def blacklist_section(session: Session, month: Month) -> dict[str, Any]:
    """Entries of the national blacklist received in the month."""
    lo, hi = month.utc_range()
    rows = [{"name": name or "", "uscc": uscc or "", "received": _aware(at).isoformat()}  # type: ignore[union-attr]
            for name, uscc, at in session.execute(
                sa.select(BlacklistedEntity.name, BlacklistedEntity.uscc, BlacklistedEntity.received_at)
                .where(BlacklistedEntity.received_at >= lo, BlacklistedEntity.received_at < hi,
                       BlacklistedEntity.active).order_by(BlacklistedEntity.received_at, BlacklistedEntity.id))]
    return {"key": "blacklist", "columns": [["name", "text"], ["uscc", "text"], ["received", "time"]], "rows": rows}


def exhibitions_section(session: Session, month: Month) -> dict[str, Any]:
    """The shows held in the month, summed up (issue 14: regional/exhibitions/flags.py)."""
    from regional.exhibitions.flags import report_section

    lo, hi = month.utc_range()
    return report_section(session, lo, hi)


def top_sections(session: Session, month: Month) -> list[dict[str, Any]]:
    """The rights with most leads and the sellers with most leads in the month."""
    from regional.models import RegistryRight

    lo, hi = month.utc_range()
    in_month = (LeadRow.created_at >= lo, LeadRow.created_at < hi)
    confirmed = sa.func.sum(sa.case((LeadRow.state == "confirmed", 1), else_=0))
    rights = [{"right": number, "right_title": title or "", "leads": int(n), "confirmed": int(c or 0)}
              for number, title, n, c in session.execute(
                  sa.select(LeadRow.right_number, RegistryRight.title, sa.func.count(), confirmed)
                  .outerjoin(RegistryRight, RegistryRight.number == LeadRow.right_number)
                  .where(*in_month).group_by(LeadRow.right_number, RegistryRight.title)
                  .order_by(sa.func.count().desc(), LeadRow.right_number).limit(TOP))]
    sellers = [{"seller": name or "", "uscc": uscc or "", "leads": int(n), "confirmed": int(c or 0)}
               for name, uscc, n, c in session.execute(
                   sa.select(SellerRow.name, SellerRow.uscc, sa.func.count(), confirmed)
                   .join(SellerRow, SellerRow.id == LeadRow.seller_id)
                   .where(*in_month).group_by(SellerRow.id, SellerRow.name, SellerRow.uscc)
                   .order_by(sa.func.count().desc(), SellerRow.name).limit(TOP))]
    return [
        {"key": "top_rights", "columns": [["right", "text"], ["right_title", "text"], ["leads", "int"],
                                          ["confirmed", "int"]], "rows": rights,
         "chart": {"kind": "bar", "label": "right_title", "values": ["leads"]}},
        {"key": "top_sellers", "columns": [["seller", "text"], ["uscc", "text"], ["leads", "int"], ["confirmed", "int"]],
         "rows": sellers, "chart": {"kind": "bar", "label": "seller", "values": ["leads"]}},
    ]


STATE_GRACE = dt.timedelta(days=2)  # the node's current sync state stands for a month ended at most this long ago


def sync_section(session: Session, month: Month, now: dt.datetime) -> dict[str, Any]:
    """What the region filed in the month, reconciliation in the month, and — while the month runs or has just
    ended (the report filed on the 1st) — the sync state when the report was made: what the national node has
    not acknowledged, the last successful push, an error not yet resolved, the last reconciliation.

    The node keeps only its current sync state, not a history: a month that ended more than STATE_GRACE ago
    says its state at the month's end is not recorded (its filed revision keeps the state at filing) rather than
    showing today's (newcomer14 F28: /reports/2026-10 showed December's error, in English, with a command)."""
    from regional import outbox, state

    lo, hi = month.utc_range()
    filed = {kind: int(n) for kind, n in session.execute(
        sa.select(OutboxRow.kind, sa.func.count()).where(OutboxRow.created_at >= lo, OutboxRow.created_at < hi)
        .group_by(OutboxRow.kind))}
    runs = divergent = 0
    for (detail,) in session.execute(sa.select(AuditEntry.detail).where(
            AuditEntry.action == "reconcile", AuditEntry.at >= lo, AuditEntry.at < hi)):
        runs += 1
        divergent += len((detail or {}).get("divergent") or [])
    rows: list[dict[str, Any]] = [{"key": "records_filed", "value": sum(filed.values())},
                                  {"key": "reconciliations", "value": runs}, {"key": "divergent", "value": divergent}]
    if now >= _aware(hi) + STATE_GRACE:
        rows.append({"key": "state_not_recorded", "value": ""})
        return {"key": "sync", "columns": [["key", "label:sync"], ["value", "text"]], "rows": rows,
                "filed_by_kind": filed, "as_of": now.isoformat()}
    epoch = outbox.current_epoch(session)
    last = outbox.last_sequence(session, epoch)
    acked = state.get_int(session, state.ACKED, 0)
    values = {row.key: row.value for row in session.scalars(sa.select(SyncState).where(SyncState.key.in_(
        (state.LAST_PUSH_OK, state.LAST_ERROR, state.LAST_RECONCILE))))}
    rows += [{"key": "backlog", "value": max(0, last - acked)}, {"key": "acked", "value": acked},
             {"key": "last_push_ok", "value": beijing_time(values.get(state.LAST_PUSH_OK) or "")}]
    error = values.get(state.LAST_ERROR) or ""
    error_at = _moment(error)
    push_at = _moment(values.get(state.LAST_PUSH_OK) or "")
    if error and (error_at is None or push_at is None or error_at > push_at):
        # an error not resolved by a later push: its time only — the message is technical English, for ops, and
        # the Sync page says it in the reader's language with what to do
        rows.append({"key": "last_error", "value": beijing_time(error_at.isoformat()) if error_at else ""})
    last_reconcile = values.get(state.LAST_RECONCILE)
    if last_reconcile:
        try:
            r = json.loads(last_reconcile)
        except ValueError:
            r = None
        if isinstance(r, dict):
            rows += [{"key": "last_reconcile", "value": beijing_time(str(r.get("at", "")))},
                     {"key": "last_reconcile_ranges", "value": int(r.get("ranges", 0) or 0)},
                     {"key": "last_reconcile_divergent", "value": int(r.get("divergent", 0) or 0)}]
    return {"key": "sync", "columns": [["key", "label:sync"], ["value", "text"]], "rows": rows,
            "filed_by_kind": filed, "as_of": now.isoformat()}


def _moment(text: str) -> dt.datetime | None:
    """The UTC moment a stored state value starts with (`2026-12-02T11:49:17+00:00 push: …`), if any."""
    head = text.split(" ", 1)[0] if text else ""
    try:
        return _aware(dt.datetime.fromisoformat(head)) if head else None
    except ValueError:
        return None


def beijing_time(text: str) -> str:
    """A stored UTC moment (ISO 8601, alone or leading a message) in Beijing time to the second, as the report's
    footer says every time is; text that does not start with a moment is kept as it is."""
    head, sep, rest = text.partition(" ")
    try:
        moment = dt.datetime.fromisoformat(head)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S") + sep + rest


def summary_section(sections: dict[str, dict[str, Any]], extra: dict[str, tuple[Any, Any, Any]]) -> dict[str, Any]:
    """The headline figures with their month-on-month and year-on-year change."""
    rows = []
    for key, (value, previous, year_ago) in extra.items():
        rows.append({"key": key, "value": value, "previous": previous, "mom": change(value, previous),
                     "year_ago": year_ago, "yoy": change(value, year_ago)})
    return {"key": "summary", "columns": [["key", "label:metric"], *COMPARE_COLUMNS], "rows": rows}


def _month_counts(session: Session, month: Month) -> tuple[int, int, int]:
    return (_total(session, CUBE, month, Measure.DETECTED), _total(session, CUBE, month, Measure.CONFIRMED),
            _total(session, CUBE, month, Measure.EXCLUDED))


def _cases_counts(session: Session, month: Month) -> tuple[int, int]:
    lo, hi = month.utc_range()
    opened = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRecord)
                                .where(CaseRecord.opened_at >= lo, CaseRecord.opened_at < hi)) or 0)
    closed = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRecord)
                                .where(CaseRecord.closed_at >= lo, CaseRecord.closed_at < hi)) or 0)
    return opened, closed


def _routed(session: Session, month: Month) -> int:
    lo, hi = month.utc_range()
    return int(session.scalar(sa.select(sa.func.count()).select_from(RouteRow)
                              .where(RouteRow.at >= lo, RouteRow.at < hi)) or 0)


def _blacklisted(session: Session, month: Month) -> int:
    lo, hi = month.utc_range()
    return int(session.scalar(sa.select(sa.func.count()).select_from(BlacklistedEntity).where(
        BlacklistedEntity.received_at >= lo, BlacklistedEntity.received_at < hi, BlacklistedEntity.active)) or 0)


def _standing() -> sa.ColumnElement[bool]:
    """Received cross-region cases that still stand (a withdrawn one is not counted as a case)."""
    return ReceivedCase.status.not_in(sorted(NOT_COUNTED_STATUSES))


def _cross(session: Session, month: Month) -> int:
    lo, hi = month.utc_range()
    return int(session.scalar(sa.select(sa.func.count()).select_from(ReceivedCase)
                              .where(ReceivedCase.received_at >= lo, ReceivedCase.received_at < hi, _standing())) or 0)


def region_report(session: Session, *, region: str, office: str, month: Month, now: dt.datetime,
                  core: Sequence[int] = ()) -> dict[str, Any]:
    """Every section of a region's monthly report for `month`, as plain JSON."""
    sections: list[dict[str, Any]] = []
    sections.extend(lead_sections(session, CUBE, month, "area", core))
    judgements = judgement_section(session, month)
    sections.append(judgements)
    sections.append(routing_section(session, month))
    sections.extend(case_sections(session, month))
    sections.append(cross_region_section(session, month))
    sections.append(blacklist_section(session, month))
    sections.append(exhibitions_section(session, month))
    sections.extend(top_sections(session, month))
    sections.append(sync_section(session, month, now))
    by_key = {s["key"]: s for s in sections}
    months = (month, month.previous, month.year_ago)
    counts = [_month_counts(session, m) for m in months]
    cases = [_cases_counts(session, m) for m in months]
    medians = [_median_hours(session, m).get("*") for m in months]
    summary = summary_section(by_key, {
        "leads": tuple(c[0] for c in counts),
        "confirmed": tuple(c[1] for c in counts),
        "excluded": tuple(c[2] for c in counts),
        "pending_end": tuple(pending_at(session, CUBE, m.end) for m in months),
        "median_hours_to_judge": tuple(medians),
        "routed": tuple(_routed(session, m) for m in months),
        "cases_opened": tuple(c[0] for c in cases),
        "cases_closed": tuple(c[1] for c in cases),
        "cross_cases": tuple(_cross(session, m) for m in months),
        "blacklist_added": tuple(_blacklisted(session, m) for m in months),
    })
    case_rows = {r["key"]: r["value"] for r in by_key["cases"]["rows"]}
    summary["rows"].insert(8, {"key": "cases_open_end", "value": case_rows["cases_open_end"], "previous": None,
                               "mom": None, "year_ago": None, "yoy": None})
    summary["rows"].insert(9, {"key": "cases_overdue_end", "value": case_rows["cases_overdue_end"], "previous": None,
                               "mom": None, "year_ago": None, "yoy": None})
    return {"format": FORMAT, "kind": "region", "region": region, "office": office, "month": str(month),
            "generated_at": now.isoformat(), "sections": [summary, *sections]}


def section(figures: dict[str, Any], key: str) -> dict[str, Any]:
    """One section of a report's figures by key (KeyError if absent)."""
    for s in figures["sections"]:
        if s["key"] == key:
            return s
    raise KeyError(key)


def row(figures: dict[str, Any], key: str, row_key: Any) -> dict[str, Any]:
    """One row of a section by its `key` column."""
    for r in section(figures, key)["rows"]:
        if r.get("key") == row_key:
            return r
    raise KeyError(f"{key}:{row_key}")


def utc_moment(day: dt.date) -> dt.datetime:
    """The UTC start of a China Standard Time day (re-exported for tests and callers)."""
    return to_utc(day)
