"""Cross-region cases: the list, one case with its leads, evidence digests and history; the supervision queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from national.config import NationalConfig
from national.lifecycle import (
    CaseStatus,
    ReportedStep,
    Supervision,
    region_progress,
    supervision,
)
from national.models import CaseEvent, CaseRow, NationalLead, counted_cases, supervised_cases, withdrawn_cases
from regional.web.blueprints import casework as _case_labels  # noqa: F401 - the step/result labels of the history
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg
from sync.times import aware as _aware

bp = Blueprint("cases", __name__)
NAV = [NavItem("cases.cases", _l("Cross-region cases"), match=("cases.cases", "cases.case")),
       NavItem("cases.supervision_queue", _l("Supervision"), match=("cases.supervision",))]
CASE_PAGE = 200  # rows of the list a page (standing cases, then the withdrawn ones)


def _case_filters() -> tuple[list[Any], str | None]:
    """The dashboard's filters on cases (its figures link here): from/to (formation days, Beijing time), type
    (comma list), region (a region concerned); a bad value is a 400 naming the parameter."""
    from regional.reports.dashboard import choices_arg, date_arg
    from regional.reports.figures import TYPES
    from regional.reports.periods import PeriodError, to_utc
    from regional.web import queryargs

    args = request.args
    try:
        start, last = date_arg(args, "from"), date_arg(args, "to")
        types = choices_arg(args, "type", TYPES)
        region = (args.get("region") or "").strip() or None
        if region is not None and not (len(region) == 6 and region.isascii() and region.isdigit()):
            raise PeriodError(f"region: {region[:20]!r} — expected a 6-digit region code", param="region",
                              value=region[:20], problem="region")
    except PeriodError as exc:
        queryargs.refuse(exc)
    where: list[Any] = [CaseRow.cross_region]
    if start:
        where.append(CaseRow.formed_at >= to_utc(start))
    if last:
        where.append(CaseRow.formed_at < to_utc(last + dt.timedelta(days=1)))
    if types:
        where.append(CaseRow.type.in_(types))
    return where, region


@bp.get("/cases")
def cases() -> str:
    """Cross-region cases, newest first (optionally formed on the days from/to, of a type, concerning a region):
    counted, and paged (?page=, CASE_PAGE rows a page: the standing cases, then the withdrawn ones; was every case
    on one page, newcomer23)."""
    where, region = _case_filters()
    page = page_arg()
    start = (page - 1) * CASE_PAGE
    with db().read() as session:
        if region:
            where.append(_concerns(session, region))
        counts = {name: session.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(*where, kind)) or 0
                  for name, kind in (("standing", counted_cases()), ("withdrawn", withdrawn_cases()))}

        def rows_of(kind: Any, offset: int, limit: int) -> list[Any]:
            if limit <= 0:
                return []
            return list(session.execute(
                sa.select(CaseRow, sa.func.count(NationalLead.id), sa.func.min(NationalLead.seller_name),
                          sa.func.count(sa.distinct(NationalLead.seller_name)))
                .outerjoin(NationalLead, NationalLead.case_id == CaseRow.id)
                .where(*where, kind).group_by(CaseRow.id).order_by(CaseRow.id.desc())
                .offset(offset).limit(limit)).all())

        # a withdrawn case no longer stands: it is not counted among the cases, it is listed apart (newcomer16 N4)
        counted = rows_of(counted_cases(), start, min(CASE_PAGE, counts["standing"] - start))
        withdrawn = rows_of(withdrawn_cases(), max(0, start - counts["standing"]), CASE_PAGE - len(counted))
        # its leads left it: the list says those it had, as its page and the regions' copies do (N5)
        withdrawn = [_leads_it_had(session, r) for r in withdrawn]
    total = counts["standing"] + counts["withdrawn"]
    return render_template("national_cases.html", cases=counted, withdrawn=withdrawn,
                           filtered=any(k not in ("page", "lang") for k in request.args),
                           standing_total=counts["standing"], withdrawn_total=counts["withdrawn"], page=page,
                           pages=max(1, -(-total // CASE_PAGE)))


def _concerns(session: Any, region: str) -> Any:
    """Cases concerning `region` (one of its regions), in SQL over the regions' JSON array (as the dashboard counts
    them), so that the list is counted and paged in the database."""
    if session.get_bind().dialect.name == "postgresql":
        each = sa.func.json_array_elements_text(CaseRow.regions).table_valued("value").render_derived("r")
    else:
        each = sa.func.json_each(CaseRow.regions).table_valued("value").alias("r")
    return sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == region))


@bp.get("/cases/<case_uuid>")
def case(case_uuid: str) -> str:
    """One case with every region's leads, sellers, history and supervision standing."""
    with db().read() as session:
        row = session.scalar(sa.select(CaseRow).where(CaseRow.uuid == case_uuid))
        if row is None:
            abort(404)
        members = list(session.scalars(sa.select(NationalLead).where(NationalLead.case_id == row.id)
                                       .order_by(NationalLead.region, NationalLead.id)))
        events = list(session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == row.id)
                                      .order_by(CaseEvent.id)))
        withdrawal = _withdrawal(session, row, events) if row.status is CaseStatus.WITHDRAWN else None
        if withdrawal is not None and not members:  # its leads left it: show those it had, and where they are now
            members = withdrawal["leads"]
        evidence = _evidence_for(session, {m.uuid: m for m in members})
        prior, later = _related(session, row)
    progress = region_progress([ReportedStep(e.region, e.feedback, e.accepted, _aware(e.at), e.step, e.result,
                                             e.officer) for e in events], row.lead_region, row.regions or [])
    return render_template("national_case.html", case=row, leads=members, events=events, evidence=evidence,
                           sup=_supervision(row), prior=prior, later=later, progress=progress,
                           withdrawal=withdrawal)


def _leads_it_had(session: Any, r: Any) -> tuple[CaseRow, int, str | None, int]:
    """A withdrawn case's list row: its lead count and seller from the leads it had when withdrawn (its audit
    entry), not from the leads in it now (none)."""
    from national.models import AuditEntry

    case = r[0]
    entry = session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "case_withdrawn",
                                                        AuditEntry.detail["case"].as_string() == case.uuid)
                            .order_by(AuditEntry.id.desc()).limit(1)).first()
    uuids = [u for u in ((entry.detail or {}).get("leads") if entry is not None else None) or [] if isinstance(u, str)]
    if not uuids:
        return case, r[1], r[2], r[3]
    names = sorted({n for n in session.scalars(sa.select(NationalLead.seller_name)
                                              .where(NationalLead.uuid.in_(uuids))) if n})
    return case, len(uuids), (names[0] if names else None), len(names)


def _withdrawal(session: Any, row: CaseRow, events: list[Any]) -> dict[str, Any]:
    """A withdrawn case's withdrawal, from its audit entry (national/cases.py `_withdraw`): when, why, the leads it
    had (each with the case it is in now). A case withdrawn before its history recorded the withdrawal gets the
    event added to `events` from the audit entry (newcomer15 F21: the history did not say it was withdrawn)."""
    from national.cases import WITHDRAWN_MERGED_OUTCOME, WITHDRAWN_REVERSED_OUTCOME
    from national.models import AuditEntry

    entry = session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "case_withdrawn",
                                                        AuditEntry.detail["case"].as_string() == row.uuid)
                            .order_by(AuditEntry.id.desc()).limit(1)).first()
    detail = (entry.detail if entry is not None else None) or {}
    outcome = WITHDRAWN_MERGED_OUTCOME if detail.get("merged") else WITHDRAWN_REVERSED_OUTCOME
    at = entry.at if entry is not None else row.updated_at
    if not any(e.region == "000000" and (e.outcome or "").startswith("withdrawn") for e in events):
        events.append(CaseEvent(region="000000", feedback="note", note="", officer=None, accepted=True,
                                outcome=outcome, status_after="withdrawn", at=at))
    uuids = [u for u in detail.get("leads") or [] if isinstance(u, str)]
    leads = list(session.scalars(sa.select(NationalLead).where(NationalLead.uuid.in_(uuids))
                                 .order_by(NationalLead.region, NationalLead.id))) if uuids else []
    now_in = {c.id: c for c in session.scalars(sa.select(CaseRow).where(
        CaseRow.id.in_({lead.case_id for lead in leads if lead.case_id is not None})))} if leads else {}
    return {"at": at, "merged": bool(detail.get("merged")), "recorded": entry is not None and "leads" in detail,
            "leads": leads, "now_in": {lead.uuid: now_in.get(lead.case_id) for lead in leads}}


def _related(session: Any, row: CaseRow) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The closed case this one follows (前案) and the cases that follow this one (new leads after it closed)."""

    def view(c: CaseRow) -> dict[str, Any]:
        return {"uuid": c.uuid, "href": url_for("cases.case", case_uuid=c.uuid),
                "title": c.right_title or c.right_number, "formed_at": c.formed_at, "status": c.status}

    prior = session.get(CaseRow, row.prior_case_id) if row.prior_case_id is not None else None
    later = session.scalars(sa.select(CaseRow).where(CaseRow.prior_case_id == row.id).order_by(CaseRow.id))
    return (view(prior) if prior is not None else None), [view(c) for c in later]


def _evidence_for(session: Any, leads: dict[str, NationalLead]) -> list[dict[str, Any]]:
    """Each region's evidence manifests for these leads, with their place in the national log."""
    from national.web.blueprints.evidence import case_evidence

    return case_evidence(session, leads)


def _supervision(case: CaseRow) -> Supervision:
    cfg: NationalConfig = current_app.config["HUFU"]
    return supervision(case.supervised, CaseStatus(case.status), _aware(case.formed_at), cfg.supervision_days,
                       dt.datetime.now(dt.UTC))


@bp.get("/supervision")
def supervision_queue() -> str:
    """Cross-province cases under national supervision (督办), overdue first, then by deadline."""
    with db().read() as session:
        rows = session.execute(
            sa.select(CaseRow, sa.func.min(NationalLead.seller_name), sa.func.count(sa.distinct(NationalLead.seller_name)))
            .outerjoin(NationalLead, NationalLead.case_id == CaseRow.id)
            .where(supervised_cases()).group_by(CaseRow.id).order_by(CaseRow.formed_at, CaseRow.id)).all()
        # a withdrawn case is no longer supervised (newcomer16 N4): the page only says how many there are
        withdrawn = session.scalar(sa.select(sa.func.count()).select_from(CaseRow).where(
            CaseRow.supervised, sa.not_(supervised_cases()))) or 0
    # the seller (经营者) tells apart cases of one right and the same regions (newcomer14 F31)
    queue = [(c, _supervision(c), seller, names) for c, seller, names in rows]
    queue.sort(key=lambda cs: (not cs[1].overdue, cs[1].days_left if cs[1].days_left is not None else 1e9))
    return render_template("supervision.html", queue=queue, withdrawn=withdrawn)
