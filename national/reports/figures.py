"""The national monthly report: the regions' filings compiled, with what the national node knows first-hand.

Lead counts (by province, type, source, industry, day) come from the national count cube, the
same reads as the national dashboard; cross-region cases, supervision, the blacklist and sync
health from the national tables; judgements, routing and the regions' own cases are summed from
the regions' monthly filings. A filings section says which regions have reported and compares
each region's reported lead count with the leads the national node received from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.lifecycle import case_counts, counts_as_case
from national.models import BlacklistRow, CaseRow, NationalLead, RegionRow, counted_cases, supervised_cases
from national.reports.filings import latest_filings
from national.reports.models import CUBE
from national.review_models import ReviewOutcomeRow
from regional.reports import cube
from regional.reports.figures import COMPARE_COLUMNS, TOP, lead_sections
from regional.reports.periods import Month, change, local_day
from sync.regions import region_name

FORMAT = 1
OFFICE = "国家知识产权局"


def expected_regions(session: Session, pki_dir: Path | None) -> list[str]:
    """Regions that owe a monthly report: every region issued a certificate (not revoked) or ever in contact."""
    codes = set(session.scalars(sa.select(RegionRow.code)))
    if pki_dir is not None:
        from sync.pki import PkiError, _load_registry

        try:
            for code, entry in _load_registry(Path(pki_dir)).items():
                if not entry.get("revoked"):
                    codes.add(code)
        except (PkiError, OSError, ValueError):
            pass
    return sorted(codes)


def _rows(figures: dict[str, Any], key: str) -> list[dict[str, Any]]:
    for s in figures.get("sections", []):
        if isinstance(s, dict) and s.get("key") == key:
            rows = s.get("rows")
            return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
    return []


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _total(values: Iterable[Any]) -> float | None:
    """The sum of the figures regions filed; None (unknown) when none filed one."""
    known = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return sum(known) if known else None


def _summary(figures: dict[str, Any], key: str) -> float | None:
    for r in _rows(figures, "summary"):
        if r.get("key") == key:
            v = r.get("value")
            return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    return None


def _cross(session: Session, month: Month, now: dt.datetime) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    lo, hi = month.utc_range()
    # a withdrawn case no longer stands: it is not formed, open, closed nor supervised in any month; the cases
    # formed in the month and withdrawn since are counted apart (cross_withdrawn; newcomer16 N4)
    by_status = {s.value: int(n) for s, n in session.execute(
        sa.select(CaseRow.status, sa.func.count()).where(CaseRow.cross_region, CaseRow.formed_at >= lo,
                                                          CaseRow.formed_at < hi).group_by(CaseRow.status))}
    counts = case_counts(by_status)
    formed = {k: v for k, v in by_status.items() if counts_as_case(k)}
    open_statuses = ("formed", "investigating", "confirmed")
    open_end = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(
        counted_cases(), CaseRow.formed_at < hi,
        sa.or_(CaseRow.status.in_(open_statuses), CaseRow.decided_at >= hi))) or 0)
    closed = int(session.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(
        counted_cases(), CaseRow.decided_at >= lo, CaseRow.decided_at < hi)) or 0)
    supervised = list(session.scalars(sa.select(CaseRow).where(supervised_cases(), CaseRow.formed_at < hi)
                                      .order_by(CaseRow.deadline, CaseRow.id)))
    board = []
    overdue = 0
    for c in supervised:
        deadline = c.deadline if c.deadline is None or c.deadline.tzinfo else c.deadline.replace(tzinfo=dt.UTC)
        decided = c.decided_at if c.decided_at is None or c.decided_at.tzinfo else c.decided_at.replace(tzinfo=dt.UTC)
        still_open = c.status.value in open_statuses or (decided is not None and decided >= hi)
        late = bool(still_open and deadline is not None and deadline < hi)
        overdue += late
        if still_open:
            board.append({"right": c.right_number, "right_title": c.right_title or "", "status": c.status.value,
                          "regions": "、".join(region_name(r) for r in c.regions or []),
                          "deadline": deadline.isoformat() if deadline else "", "overdue": "yes" if late else "no"})
    board.sort(key=lambda r: (r["overdue"] != "yes", r["deadline"]))
    metrics = {"cross_formed": counts.formed, "cross_open_end": open_end, "cross_closed": closed,
               "supervised": len(board), "supervised_overdue": overdue, "cross_withdrawn": counts.withdrawn}
    status_section = {"key": "cross_region", "columns": [["key", "label:cross_status"], ["cases", "int"]],
                      "rows": [{"key": k, "cases": v} for k, v in sorted(formed.items(), key=lambda kv: -kv[1])],
                      "chart": {"kind": "pie", "label": "key", "values": ["cases"]}}
    board_section = {"key": "supervision", "columns": [["right", "text"], ["right_title", "text"],
                                                       ["status", "label:cross_status"], ["regions", "text"],
                                                       ["deadline", "time"], ["overdue", "label:"]],
                     "rows": board[:200]}
    return status_section, board_section, metrics


def _judged_by_day(session: Session, lo: dt.datetime, hi: dt.datetime) -> dict[tuple[str, str], int]:
    """(Beijing day, outcome) -> leads whose current outcome (confirmed / excluded) was decided that day."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for decided, outcome in session.execute(
            sa.select(ReviewOutcomeRow.decided_at, ReviewOutcomeRow.outcome)
            .where(ReviewOutcomeRow.current, ReviewOutcomeRow.decided_at >= lo, ReviewOutcomeRow.decided_at < hi,
                   ReviewOutcomeRow.outcome.in_(("confirmed", "excluded")))):
        out[(local_day(decided).isoformat(), outcome)] += 1
    return out


def national_report(session: Session, *, month: Month, now: dt.datetime, pki_dir: Path | None = None,
                    office: str = OFFICE) -> dict[str, Any]:
    """Every section of the national monthly report for `month`, as plain JSON."""
    lo, hi = month.utc_range()
    filings = latest_filings(session, month)
    expected = expected_regions(session, pki_dir)
    received = {k[1]: v for k, v in cube.totals(session, CUBE, month.start, month.end, by=("area",)).items()}
    filing_rows = []
    for code in sorted(set(expected) | set(filings)):
        f = filings.get(code)
        reported = _summary(f.figures, "leads") if f else None
        filing_rows.append({"region": code, "status": "doc:reported" if f else "doc:missing",
                            "revision": f.revision if f else None,
                            "filed_at": f.received_at.isoformat() if f and f.received_at else "",
                            "filed_leads": int(reported) if reported is not None else None,
                            "national_leads": received.get(code, 0),
                            "difference": (received.get(code, 0) - int(reported)) if reported is not None else None})
    missing = [r["region"] for r in filing_rows if r["status"] == "doc:missing"]
    sections: list[dict[str, Any]] = [{"key": "filings", "columns": [
        ["region", "label:region"], ["status", "label:"], ["revision", "int"], ["filed_at", "time"],
        ["filed_leads", "int"], ["national_leads", "int"], ["difference", "int"]], "rows": filing_rows}]
    leads = lead_sections(session, CUBE, month, "region")
    judged_by_day = _judged_by_day(session, lo, hi)
    for s in leads:
        if s["key"] == "leads_by_area":
            s["columns"][0] = ["key", "label:region"]
        if s["key"] == "leads_by_day":
            # the national leads table does not change when a region judges a lead (its cube counts no judgement);
            # the regions' outcomes, as synced, say which day each current judgement took effect
            for row in s["rows"]:
                row["confirmed"] = judged_by_day.get((row["day"], "confirmed"), 0)
                row["excluded"] = judged_by_day.get((row["day"], "excluded"), 0)
    sections.extend(leads)
    # judgements, routing and the regions' cases, summed from their filings. Every region that owes a report has a
    # row: one that has not filed says so (未报送) and its figures are unknown (None, "—" in the documents), never 0
    # (newcomer15 F18: a region that had not reported read as a region with nothing to report)
    owing = sorted(set(expected) | set(filings))
    judged = []
    for code in owing:
        f = filings.get(code)
        judged.append({"region": code, "filing": "doc:reported" if f else "doc:missing",
                       "confirmed": _summary(f.figures, "confirmed") if f else None,
                       "excluded": _summary(f.figures, "excluded") if f else None,
                       "pending_end": _summary(f.figures, "pending_end") if f else None,
                       "median_hours": _summary(f.figures, "median_hours_to_judge") if f else None})
    sections.append({"key": "judgements", "columns": [["region", "label:region"], ["filing", "label:"],
                                                      ["confirmed", "int"], ["excluded", "int"],
                                                      ["pending_end", "int"], ["median_hours", "num"]],
                     "rows": judged, "chart": {"kind": "bar", "label": "region",
                                               "values": ["confirmed", "excluded", "pending_end"]}})
    routed: dict[str, int] = defaultdict(int)
    for f in filings.values():
        for r in _rows(f.figures, "routing"):
            routed[str(r.get("agency_kind") or "")] += int(_num(r.get("routed")))
    sections.append({"key": "routing", "columns": [["agency_kind", "label:agency_kind"], ["routed", "int"]],
                     "rows": [{"agency_kind": k, "routed": v} for k, v in sorted(routed.items(), key=lambda kv: -kv[1])],
                     "chart": {"kind": "bar", "label": "agency_kind", "values": ["routed"]}})
    cases = []
    for code in owing:
        f = filings.get(code)
        c = {r.get("key"): r.get("value") for r in _rows(f.figures, "cases")} if f else {}
        cases.append({"region": code, "filing": "doc:reported" if f else "doc:missing",
                      "opened": c.get("cases_opened"), "closed": c.get("cases_closed"),
                      "open_end": c.get("cases_open_end"), "overdue_end": c.get("cases_overdue_end")})
    sections.append({"key": "cases", "columns": [["region", "label:region"], ["filing", "label:"], ["opened", "int"],
                                                 ["closed", "int"], ["open_end", "int"], ["overdue_end", "int"]],
                     "rows": cases,
                     "chart": {"kind": "bar", "label": "region", "values": ["opened", "closed", "overdue_end"]}})
    steps: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for f in filings.values():
        for r in _rows(f.figures, "case_steps"):
            n = _num(r.get("steps"))
            acc = steps[str(r.get("key"))]
            acc[0] += n
            acc[1] += n * _num(r.get("mean_days"))
            acc[2] += _num(r.get("overdue_steps"))
    sections.append({"key": "case_steps", "columns": [["key", "label:case_state"], ["steps", "int"],
                                                      ["mean_days", "num"], ["overdue_steps", "int"]],
                     "rows": [{"key": k, "steps": int(steps[k][0]),
                               "mean_days": round(steps[k][1] / steps[k][0], 1) if steps[k][0] else None,
                               "overdue_steps": int(steps[k][2])} for k in ("filed", "investigating", "handling")]})
    status_section, board, cross = _cross(session, month, now)
    sections.extend([status_section, board])
    blacklist = [{"name": b.name or "", "uscc": b.uscc or "", "cases": b.confirmed_cases,
                  "received": b.listed_at.isoformat()} for b in session.scalars(
        sa.select(BlacklistRow).where(BlacklistRow.listed_at >= lo, BlacklistRow.listed_at < hi)
        .order_by(BlacklistRow.listed_at, BlacklistRow.id))]
    sections.append({"key": "blacklist", "columns": [["name", "text"], ["uscc", "text"], ["cases", "int"],
                                                     ["received", "time"]], "rows": blacklist})
    sections.extend(_tops(session, lo, hi))
    sections.append(_sync(session, month, now))
    months = (month, month.previous, month.year_ago)
    totals = [sum(cube.totals(session, CUBE, m.start, m.end).values()) for m in months]
    prior = [_cross(session, m, now)[2] for m in months[1:]]
    blacklisted = [len(blacklist)] + [int(session.scalar(sa.select(sa.func.count()).select_from(BlacklistRow).where(
        BlacklistRow.listed_at >= m.utc_range()[0], BlacklistRow.listed_at < m.utc_range()[1])) or 0)
        for m in months[1:]]
    summary_rows = []
    for key, values in (("leads", totals),
                        ("cross_formed", [cross["cross_formed"], *(p["cross_formed"] for p in prior)]),
                        ("cross_closed", [cross["cross_closed"], *(p["cross_closed"] for p in prior)]),
                        ("cross_open_end", [cross["cross_open_end"], *(p["cross_open_end"] for p in prior)]),
                        ("cross_withdrawn", [cross["cross_withdrawn"], *(p["cross_withdrawn"] for p in prior)]),
                        ("supervised", [cross["supervised"], *(p["supervised"] for p in prior)]),
                        ("supervised_overdue", [cross["supervised_overdue"], *(p["supervised_overdue"] for p in prior)]),
                        ("blacklist_added", blacklisted)):
        summary_rows.append({"key": key, "value": values[0], "previous": values[1], "mom": change(values[0], values[1]),
                             "year_ago": values[2], "yoy": change(values[0], values[2])})
    # summed from the filings: unknown (None) when no region filed the figure, not 0
    for key, value in (("confirmed", _total(r["confirmed"] for r in judged)),
                       ("excluded", _total(r["excluded"] for r in judged)),
                       ("pending_end", _total(r["pending_end"] for r in judged)),
                       ("cases_opened", _total(r["opened"] for r in cases)),
                       ("cases_closed", _total(r["closed"] for r in cases)),
                       ("routed", sum(routed.values()) if filings else None),
                       ("regions_reported", len(filings)), ("regions_missing", len(missing))):
        summary_rows.append({"key": key, "value": None if value is None else int(value), "previous": None,
                             "mom": None, "year_ago": None, "yoy": None})
    summary = {"key": "summary", "columns": [["key", "label:metric"], *COMPARE_COLUMNS], "rows": summary_rows}
    return {"format": FORMAT, "kind": "national", "office": office, "month": str(month),
            "generated_at": now.isoformat(), "regions_reported": sorted(filings), "regions_missing": missing,
            "sections": [summary, *sections]}


def _tops(session: Session, lo: dt.datetime, hi: dt.datetime) -> list[dict[str, Any]]:
    in_month = (NationalLead.detected >= lo, NationalLead.detected < hi)
    rights = [{"right": number, "right_title": title or "", "leads": int(n), "regions": int(r)}
              for number, title, n, r in session.execute(
                  sa.select(NationalLead.right_number, sa.func.max(NationalLead.right_title), sa.func.count(),
                            sa.func.count(sa.distinct(NationalLead.region)))
                  .where(*in_month).group_by(NationalLead.right_number)
                  .order_by(sa.func.count().desc(), NationalLead.right_number).limit(TOP))]
    key = sa.func.coalesce(NationalLead.seller_uscc, NationalLead.seller_name)
    sellers = [{"seller": name or "", "uscc": uscc or "", "leads": int(n), "regions": int(r)}
               for _k, name, uscc, n, r in session.execute(
                   sa.select(key, sa.func.max(NationalLead.seller_name), sa.func.max(NationalLead.seller_uscc),
                             sa.func.count(), sa.func.count(sa.distinct(NationalLead.region)))
                   .where(*in_month, key.is_not(None)).group_by(key)
                   .order_by(sa.func.count().desc(), key).limit(TOP))]
    return [
        {"key": "top_rights", "columns": [["right", "text"], ["right_title", "text"], ["leads", "int"],
                                          ["regions", "int"]], "rows": rights,
         "chart": {"kind": "bar", "label": "right_title", "values": ["leads"]}},
        {"key": "top_sellers", "columns": [["seller", "text"], ["uscc", "text"], ["leads", "int"], ["regions", "int"]],
         "rows": sellers, "chart": {"kind": "bar", "label": "seller", "values": ["leads"]}},
    ]


def sync_rows(session: Session, now: dt.datetime) -> list[dict[str, Any]]:
    """Each region's sync health as the national node sees it (no scan of leads or records)."""
    out = []
    for r in session.scalars(sa.select(RegionRow).order_by(RegionRow.code)):
        lag = max(0, r.reported_head - r.high_water)
        oldest = r.oldest_unsent_at
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        last = r.last_contact
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        out.append({"region": r.code, "records": r.records, "lag_records": lag,
                    "lag_seconds": round((now - oldest).total_seconds(), 1) if lag and oldest else 0.0,
                    "conflicts": r.conflicts, "last_contact": last.isoformat() if last else "",
                    "last_error": r.last_error or "", "reconcile": _reconcile_text(r.last_reconcile)})
    return out


def _reconcile_text(value: str | None) -> str:
    if not value:
        return ""
    import json

    try:
        r = json.loads(value)
    except ValueError:
        return value[:200]
    if isinstance(r, dict):
        return f"{r.get('at', '')} {r.get('ranges', '')} / {r.get('divergent', '')}".strip()
    return str(r)[:200]


def _sync(session: Session, month: Month, now: dt.datetime) -> dict[str, Any]:
    """Each region's sync health when the report was made, in the reader's words: its standing, backlog, last
    contact, the time of an error not yet resolved (the message is technical English, for operators: the overview
    page says it), its last reconciliation (when, ranges compared, ranges that differed).

    The node keeps only the current state: a month that ended more than STATE_GRACE ago says its month-end state
    is not recorded rather than showing today's, as the regions' reports do (newcomer14 F28; fixes15 left the
    national report with today's state and raw English in every month's report)."""
    from national.status import standing
    from regional.reports.figures import STATE_GRACE

    hi = month.utc_range()[1]
    if now >= hi + STATE_GRACE:
        return {"key": "sync", "columns": [["key", "label:sync"], ["value", "text"]],
                "rows": [{"key": "state_not_recorded", "value": ""}], "as_of": now.isoformat()}
    rows = []
    for r in session.scalars(sa.select(RegionRow).order_by(RegionRow.code)):
        st = standing(r, now)
        reconcile = _reconcile(r.last_reconcile)
        rows.append({"region": r.code, "standing": st.standing.value, "records": st.records,
                     "lag_records": st.lag_records, "lag_seconds": st.lag_seconds, "conflicts": st.conflicts,
                     "last_contact": st.last_contact.isoformat() if st.last_contact else "",
                     "error_at": (st.last_error_at.isoformat() if st.last_error_at else "")
                     if st.error_active else "",
                     "reconcile_at": reconcile.get("at", ""), "reconcile_ranges": reconcile.get("ranges"),
                     "reconcile_divergent": reconcile.get("divergent")})
    return {"key": "sync", "columns": [["region", "label:region"], ["standing", "label:standing"],
                                       ["records", "int"], ["lag_records", "int"], ["lag_seconds", "num"],
                                       ["conflicts", "int"], ["last_contact", "time"], ["error_at", "time"],
                                       ["reconcile_at", "time"], ["reconcile_ranges", "int"],
                                       ["reconcile_divergent", "int"]],
            "rows": rows, "as_of": now.isoformat()}


_RECONCILE_NOTE = re.compile(r"^(\S+) epoch \d+: (\d+) range\(s\), (\d+) differ$")  # national/grpc_server.py


def _reconcile(value: str | None) -> dict[str, Any]:
    """A region's last reconciliation as the national node noted it (`<ISO time> epoch E: N range(s), D differ`):
    its time and two counts; {} for anything else."""
    m = _RECONCILE_NOTE.match(value or "")
    if m is None:
        return {}
    return {"at": m.group(1), "ranges": int(m.group(2)), "divergent": int(m.group(3))}


def compile_month(db: Any, *, month: Month, now: dt.datetime, actor: str, pki_dir: Path | None = None,
                  office: str = OFFICE) -> Any:
    """Compile and keep the national report of `month` (a new revision each time); returns the stored row."""
    from national.reports.models import NationalReport

    cube.fold_all(db, CUBE)
    with db.read() as session:
        figures = national_report(session, month=month, now=now, pki_dir=pki_dir, office=office)
    with db.transaction() as session:
        revision = (session.scalar(sa.select(sa.func.max(NationalReport.revision))
                                   .where(NationalReport.month == str(month))) or 0) + 1
        row = NationalReport(month=str(month), revision=revision, figures=figures,
                             regions_reported=figures["regions_reported"], regions_missing=figures["regions_missing"],
                             generated_at=now, generated_by=actor[:100])
        session.add(row)
        from national.models import AuditEntry

        session.add(AuditEntry(at=now, actor=actor[:100], action="national_report_compiled",
                               detail={"month": str(month), "revision": revision,
                                       "reported": len(figures["regions_reported"]),
                                       "missing": figures["regions_missing"]}))
    return row


def months_with_reports(session: Session) -> Iterable[str]:
    """Months for which any region filed or the national report was compiled, newest first."""
    from national.reports.models import NationalReport, RegionReport

    months = set(session.scalars(sa.select(RegionReport.month).distinct())) | set(
        session.scalars(sa.select(NationalReport.month).distinct()))
    return sorted(months, reverse=True)
