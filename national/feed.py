"""The national node's side of the downlink feed, reconciliation, lead projection and retention.

Functions over a session; the servicer and the worker call them.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import itertools
import json
import logging
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

import sqlalchemy as sa
from google.protobuf.message import DecodeError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from national.models import (
    AuditEntry,
    CaseRow,
    DownlinkBody,
    DownlinkRow,
    LeadAlias,
    NationalLead,
    NodeState,
    QuarantinedRecord,
    RecordStatus,
    RegionRow,
    UplinkRecord,
)
from regional import reasons as reason_codes
from sync import limits
from sync.db import Database, placeholder
from sync.envelope import leaf_hash
from sync.v1 import sync_pb2

log = logging.getLogger("hufu.national.feed")

PROJECTION_CURSOR = "lead_projection_cursor"
CASES_FORMED_THROUGH = "cases_formed_through_lead"
CASES_INPUT = "cases_input_fingerprint"  # what the last case formation saw: newest lead, merge decisions


# PostgreSQL advisory locks (keys of their own; the uplink's is national/ingest.py's UPLINK_ORDER_LOCK)
DOWNLINK_ORDER_LOCK = 0x48554644  # "HUFD": orders downlink ids by commit
WORKER_LOCK = 0x48554657  # "HUFW": one case-formation cycle at a time across worker processes and the CLI


def order_downlink(session: Session) -> None:
    """Call before inserting downlink rows: they become visible in id order.

    A region reads its feed with `id > cursor` and moves its cursor past what it read, so a row committed after a
    higher-numbered one had been read would never reach it. With several writers (on PostgreSQL: a worker and
    `hufu national form-cases`, or two workers during a restart) ids are not visible in commit order; this
    transaction-scoped lock makes one transaction at a time take downlink ids and commit (released at commit,
    after its rows are visible). Take it as the last lock a transaction takes — only downlink and audit inserts
    after it — so that it cannot deadlock with row locks. SQLite has one writer: nothing to do.
    """
    if session.get_bind().dialect.name != "sqlite":
        session.flush()  # the transaction's row changes take their locks first
        session.execute(sa.text(f"SELECT pg_advisory_xact_lock({DOWNLINK_ORDER_LOCK})"))


def _item(row: DownlinkRow, shared: bytes | None = None) -> sync_pb2.DownlinkItem:
    """The item of a downlink row; `shared`: its body kept once for every region (`DownlinkBody`), if so."""
    item = sync_pb2.DownlinkItem(cursor=row.id, uuid=row.uuid, revision=row.revision)
    getattr(item, row.kind).ParseFromString(shared if row.body_shared else row.body)
    return item


def read(session: Session, region: str, after: int, limit: int) -> list[sync_pb2.DownlinkItem]:
    """Feed items after `after`; a snapshot of everything current if `after` fell behind retention."""
    row = session.get(RegionRow, region)
    floor = row.feed_floor if row is not None else 0
    if after < floor:
        return snapshot(session, region)
    rows = session.execute(sa.select(DownlinkRow, DownlinkBody.body)
                           .outerjoin(DownlinkBody, sa.and_(DownlinkRow.body_shared, DownlinkBody.uuid == DownlinkRow.uuid,
                                                            DownlinkBody.revision == DownlinkRow.revision))
                           .where(DownlinkRow.region == region, DownlinkRow.id > after)
                           .order_by(DownlinkRow.id).limit(limit)).all()
    return [_item(r, shared) for r, shared in rows]


def snapshot(session: Session, region: str) -> list[sync_pb2.DownlinkItem]:
    """Every current case concerning `region`, rebuilt from the cases table, positioned at the feed head."""
    from national.cases import case_message

    head = session.scalar(sa.select(sa.func.max(DownlinkRow.id)).where(DownlinkRow.region == region))
    row = session.get(RegionRow, region)
    head = max(head or 0, row.feed_floor if row else 0)
    items = []
    for case in session.scalars(sa.select(CaseRow).where(CaseRow.cross_region).order_by(CaseRow.id)):
        if region not in case.regions:
            continue
        leads = list(session.scalars(sa.select(NationalLead).where(NationalLead.case_id == case.id)
                                     .order_by(NationalLead.id)))
        revision = session.scalar(sa.select(sa.func.max(DownlinkRow.revision))
                                  .where(DownlinkRow.uuid == case.uuid)) or 1
        prior = session.scalar(sa.select(CaseRow.uuid).where(CaseRow.id == case.prior_case_id)) \
            if case.prior_case_id is not None else None
        items.append(sync_pb2.DownlinkItem(cursor=head, uuid=case.uuid, revision=revision, snapshot=True,
                                           cross_region_case=case_message(case, leads, prior or "")))
    return items


def purge(session: Session, region: str, before: dt.datetime) -> int:
    """Drop feed items older than `before`; a region whose cursor is below them gets a snapshot instead."""
    last = session.scalar(sa.select(sa.func.max(DownlinkRow.id))
                          .where(DownlinkRow.region == region, DownlinkRow.created_at < before))
    if last is None:
        return 0
    shared = sorted({(u, r) for u, r in session.execute(sa.select(DownlinkRow.uuid, DownlinkRow.revision).where(
        DownlinkRow.region == region, DownlinkRow.id <= last, DownlinkRow.body_shared))})
    deleted = session.execute(sa.delete(DownlinkRow).where(DownlinkRow.region == region, DownlinkRow.id <= last))
    # a body kept once for several regions goes with the last row that names it
    others = sa.select(DownlinkRow.id).where(DownlinkRow.uuid == DownlinkBody.uuid,
                                             DownlinkRow.revision == DownlinkBody.revision)
    for k in range(0, len(shared), 500):
        session.execute(sa.delete(DownlinkBody).where(sa.tuple_(DownlinkBody.uuid, DownlinkBody.revision)
                                                      .in_(shared[k:k + 500]), ~others.exists())
                        .execution_options(synchronize_session=False))
    row = session.get(RegionRow, region)
    if row is not None:
        row.feed_floor = max(row.feed_floor, last)
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]


def reconcile(session: Session, region: str, request: sync_pb2.ReconcileRequest) -> sync_pb2.ReconcileReply:
    """The national node's count, digest and per-kind counts over each of the region's ranges."""
    reply = sync_pb2.ReconcileReply()
    for want in request.ranges:
        h = hashlib.sha256()
        kinds: dict[str, int] = {}
        count = 0
        for kind, body in session.execute(
                sa.select(UplinkRecord.kind, UplinkRecord.record)
                .where(UplinkRecord.region == region, UplinkRecord.epoch == request.epoch,
                       UplinkRecord.sequence.between(want.first, want.last))
                .order_by(UplinkRecord.sequence)):
            h.update(leaf_hash(body))
            kinds[kind] = kinds.get(kind, 0) + 1
            count += 1
        reply.ranges.append(sync_pb2.RangeDigest(first=want.first, last=want.last, count=count, digest=h.digest(),
                                                 kinds=kinds))
    return reply


def _state(session: Session, key: str) -> int:
    value = session.scalar(sa.select(NodeState.value).where(NodeState.key == key))
    return int(value) if value is not None else 0


def get_state(session: Session, key: str) -> int:
    """An integer node-state value (0 when unset)."""
    return _state(session, key)


def set_state(session: Session, key: str, value: int) -> None:
    """Set an integer node-state value."""
    set_text(session, key, str(value))


def get_text(session: Session, key: str) -> str | None:
    """A text node-state value (None when unset)."""
    return session.scalar(sa.select(NodeState.value).where(NodeState.key == key))


def set_text(session: Session, key: str, value: str) -> None:
    """Set a text node-state value."""
    stmt = _insert(session, NodeState).values(key=key, value=value[:500])
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))


def _insert(session: Session, table: type):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](table)


Projector = Callable[[Session, str, sync_pb2.Record, dt.datetime], object]


def _project_case_feedback(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> object:
    from national.casework import apply_case_feedback

    return apply_case_feedback(session, region, record, now)


def _project_review_outcome(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> object:
    from national.review import apply_review_outcome

    return apply_review_outcome(session, region, record, now)  # national/review.py: per-region review figures


# How each payload kind is unpacked (leads go in bulk, below). A kind not named here is stored and
# acknowledged but not unpacked (filings, evidence digests, tombstones): add an entry when a kind
# gains a table of its own.
def _project_monthly_report(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> object:
    from national.reports.filings import apply_monthly_report

    return apply_monthly_report(session, region, record, now)  # national/reports: the regions' monthly filings


def _project_emark_event(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> object:
    """A region revoked one of its e-marks: every region hears it, so a scan anywhere says revoked (issue 14)."""
    event = record.emark_event
    if event.event != "revoked" or not event.mark_id.startswith(f"{region}-"):
        session.add(AuditEntry(at=now, actor=f"region:{region}", action="emark_event_refused",
                               detail={"mark": event.mark_id[:24], "event": event.event[:16], "record": record.uuid}))
        return None
    body = sync_pb2.EmarkStatus(mark_id=event.mark_id, region=region, status="revoked", right=event.right,
                                product=event.product, reason=event.reason, at=event.at)
    from sync.regions import PROVINCES

    # every province, also those that have not connected yet: a region joining later still hears it
    regions = sorted(set(PROVINCES) | set(session.scalars(sa.select(RegionRow.code))))
    uuid = f"emark:{event.mark_id}"
    order_downlink(session)
    revision = 1 + (session.scalar(sa.select(sa.func.max(DownlinkRow.revision)).where(DownlinkRow.uuid == uuid)) or 0)
    for code in regions:
        session.add(DownlinkRow(region=code, uuid=uuid, revision=revision, kind="emark_status",
                                body=body.SerializeToString(deterministic=True), created_at=now))
    session.add(AuditEntry(at=now, actor=f"region:{region}", action="emark_revoked",
                           detail={"mark": event.mark_id, "right": event.right, "regions": len(regions)}))
    return body


def _project_exhibitor_infringement(session: Session, region: str, record: sync_pb2.Record,
                                    now: dt.datetime) -> object:
    from national.exhibitors import apply_exhibitor_infringement

    return apply_exhibitor_infringement(session, region, record, now)  # issue 14: flags to every region


PROJECTORS: dict[str, Projector] = {"case_feedback": _project_case_feedback,
                                    "review_outcome": _project_review_outcome,
                                    "monthly_report": _project_monthly_report,
                                    "emark_event": _project_emark_event,
                                    "exhibitor_infringement": _project_exhibitor_infringement}


LEAD_COLUMNS = ("uuid", "region", "listing_id", "listing_title", "listing_url", "platform", "right_number",
                "right_title", "type", "score", "reasons", "reason_codes", "model_version", "seller_name",
                "seller_uscc", "seller_phone", "seller_address", "seller_shop_url", "detected_at", "received_at",
                # what reports and dashboards count it under (national/reports/filings.py)
                "detected", "source", "origin", "industry", "city")


_UUID_AT = LEAD_COLUMNS.index("uuid")


def _lead_values(record: sync_pb2.Record, region: str, received: object, now: dt.datetime,
                 stamp: Callable[[object], object] | None) -> tuple[object, ...]:
    """The row of the leads table (in LEAD_COLUMNS order) a lead record projects to (`_lead_builder`'s row)."""
    return _lead_builder(received, now, stamp)(record, region)


def _lead_builder(received: object, now: dt.datetime, stamp: Callable[[object], object] | None
                  ) -> Callable[[sync_pb2.Record, str], tuple[object, ...]]:
    """The function that gives the row of the leads table (in LEAD_COLUMNS order) a lead record projects to; made
    once per chunk (what every row shares is bound once).

    The same row as the plain spelling — `reason_codes.from_wire` of the codes, `json.dumps` of the
    reasons and of the codes, `filings.lead_columns` (tests/unit/test_lead_values.py holds it to that
    on ordinary and malformed leads) — at a fraction of its cost: each field read once, lead_columns's
    report columns written out in line (no dict, no import a lead), the codes' parameters scanned by the C
    JSON scanner without json.loads's wrapper, the JSON texts written by the encoder json.dumps itself ends in.
    """
    from national.reports.filings import ORIGINS, SOURCES
    from regional.reports.dims import industry_of

    utc = dt.UTC
    parse_moment = dt.datetime.fromisoformat
    string = _JSON_STRING
    codes_json = _codes_json
    fallback = now.astimezone(utc)  # filings.lead_columns: a lead without a usable moment counts as now

    def build(record: sync_pb2.Record, region: str) -> tuple[object, ...]:
        lead = record.lead
        seller = lead.seller
        reasons = lead.reasons
        at = lead.detected_at
        detected: object = fallback
        if at:  # filings._moment: ISO 8601, naive read as UTC, anything else unusable
            try:
                moment = parse_moment(at)
            except ValueError:
                pass
            else:
                detected = (moment if moment.tzinfo else moment.replace(tzinfo=utc)).astimezone(utc)
        if stamp is not None:
            detected = stamp(detected)
        industry: int | None = lead.industry
        if not 1 <= lead.industry <= 45:
            industry = industry_of((), None, lead.listing_title)
        city, source, origin = lead.city, lead.source, lead.origin
        return (record.uuid, region, lead.listing_id, lead.listing_title or None, lead.listing_url or None,
                lead.platform or None, lead.right, lead.right_title or None, lead.type, lead.score,
                f"[{', '.join(map(string, reasons))}]", codes_json(lead.reason_codes, len(reasons)),
                lead.model_version, seller.name or None, seller.uscc or None, seller.phone or None,
                seller.address or None, seller.shop_url or None, at or None, received,
                detected, source if source in SOURCES else None, origin if origin in ORIGINS else None, industry,
                city if len(city) == 6 and city.isdigit() else None)

    return build


_SCAN_JSON = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # what json.loads ends in (C scanner)
_JSON_STRING = encode_basestring_ascii  # how json.dumps writes a string (ensure_ascii)
# json.dumps with its defaults, minus building its C encoder on every call (3.3 vs 6.1 µs a lead's codes): the
# encoder json.JSONEncoder.iterencode makes, made once; no circular check (a scanned JSON value has no cycle)
_ITERENCODE = c_make_encoder(None, json.JSONEncoder().default, encode_basestring_ascii, None, ": ", ", ",
                             False, False, True)


def _ENCODE(value: object) -> str:  # noqa: N802 - the name the callers knew
    return "".join(_ITERENCODE(value, 0))
_JSON_SPACE = " \t\n\r"
_PLAIN = frozenset({str, int, float, bool, type(None)})  # what reason_codes._clean returns as it is


def _codes_json(items: Iterable[sync_pb2.ReasonCode], reasons: int) -> str | None:
    """`json.dumps(reason_codes.from_wire(pairs, reasons))` of a lead's reason codes, None when that is []."""
    if not items or len(items) != reasons or reasons > reason_codes.MAX_CODES:  # type: ignore[arg-type]
        return None  # from_wire: [] unless every code is well-formed and they align with the reasons
    entries = []
    for item in items:
        text = item.params_json
        entry = (_code_entry_kept if len(text) <= _KEPT_PARAMS_CHARS else _code_entry)(item.code, text)
        if entry is None:
            return None
        entries.append(entry)
    return f"[{', '.join(entries)}]"  # json.dumps of the list: its items' texts joined by ", "


def _code_entry(code: str, text: str) -> str | None:
    """One reason code as `json.dumps` writes its entry in from_wire's list (the parameters, then "code"), or None
    when it is not well-formed (then from_wire keeps no code of the lead). A pure function of the two strings."""
    if not code or len(code) > reason_codes.MAX_CODE_CHARS:
        return None
    if len(text) * 4 > reason_codes.MAX_PARAMS_BYTES and len(text.encode()) > reason_codes.MAX_PARAMS_BYTES:
        return None
    if not text:
        params: object = {}
    elif text[0] == "{":  # json.loads(text) is scan_once(text, 0) then only white space may follow
        try:
            params, end = _SCAN_JSON(text, 0)
        except (StopIteration, ValueError, RecursionError):
            return None
        if end != len(text) and text[end:].lstrip(_JSON_SPACE):
            return None
    else:
        try:
            params = json.loads(text)
        except (ValueError, RecursionError):
            return None
    if type(params) is not dict:
        return None
    params.pop("code", None)  # a fresh dict of our own: the entry is its items, "code" last
    for key, value in params.items():
        if type(value) not in _PLAIN:
            params[key] = reason_codes.clean(value)
    params["code"] = code
    return _ENCODE(params)


# A region's leads repeat the same codes with the same parameters (a goods class, a mark and its look-alike) across
# many listings: the entries of the most recent 4,096 pairs with short parameters are kept (at most ~4 MB), so most
# leads' codes are scanned and written once; a pair not seen for a while costs what it always did.
_KEPT_PARAMS_CHARS = 256
_code_entry_kept = functools.lru_cache(maxsize=4_096)(_code_entry)


def quarantine(session: Session, uplink_id: int, region: str, kind: str, uuid: str, reason: str,
               now: dt.datetime) -> None:
    """Set a stored record aside that the projection cannot apply: kept, counted, alerted, never blocking."""
    session.execute(_insert(session, QuarantinedRecord).values(
        uplink_id=uplink_id, region=region, kind=kind[:32], uuid=uuid[:36], reason=reason[:1000], at=now,
    ).on_conflict_do_nothing(index_elements=["uplink_id"]))
    session.add(AuditEntry(at=now, actor="worker", action="record_quarantined",
                           detail={"uplink_id": uplink_id, "region": region, "kind": kind[:32], "uuid": uuid[:36],
                                   "reason": reason[:500]}))
    log.error("ALERT projection quarantined record %d (%s %s of region %s): %s", uplink_id, kind[:32], uuid[:36],
              region, reason[:300])


_LEADS_PER_INSERT = 500  # 25 parameters a row: 12,500 per statement, inside SQLite's and PostgreSQL's limits


@functools.cache
def _leads_sql(mark: str, n: int) -> str:
    row = f"({', '.join([mark] * len(LEAD_COLUMNS))})"
    return (f"INSERT INTO leads ({', '.join(LEAD_COLUMNS)}) VALUES {', '.join([row] * n)} "
            "ON CONFLICT DO NOTHING")  # the uuid, or (region, listing, right, type): kept once


_STAGE = "hufu_leads_in"  # a temporary table of the transaction: COPY has no ON CONFLICT, INSERT … SELECT has
_STAGE_SQL = (f"CREATE TEMPORARY TABLE {_STAGE} ON COMMIT DROP AS SELECT 0 AS n, {', '.join(LEAD_COLUMNS)} "
              "FROM leads WITH NO DATA")
_STAGE_COPY = f"COPY {_STAGE} (n, {', '.join(LEAD_COLUMNS)}) FROM STDIN"
_STAGE_INSERT = (f"INSERT INTO leads ({', '.join(LEAD_COLUMNS)}) SELECT {', '.join(LEAD_COLUMNS)} FROM {_STAGE} "
                 "ORDER BY n ON CONFLICT DO NOTHING")


@functools.cache
def _stage_insert_counted() -> str:
    """`_STAGE_INSERT` with the count cube's deltas of the rows it kept written by the same statement, one row a
    key (the insert trigger's own bucket and dimension expressions over the kept rows, summed); it answers the
    number of rows kept. For a transaction whose cube trigger is muted (the setting `CUBE_COUNTED_SETTING`)."""
    from national.reports.models import SPEC

    fact, = SPEC.facts
    r = lambda e: e.replace("{row}", "x.")  # noqa: E731
    deltas = (f"INSERT INTO {SPEC.deltas}(grain, bucket, measure, area, type, source, industry, n) "
              f"SELECT g.grain, {SPEC._bucket('postgresql', r(fact.moment))}, {r(fact.measure)}, "
              f"COALESCE({r(SPEC.area)}, ''), {r(SPEC.type)}, COALESCE({r(SPEC.source)}, ''), "
              f"COALESCE({r(SPEC.industry)}, 0), count(*) FROM kept x CROSS JOIN (VALUES ('d'), ('w'), ('m')) "
              f"AS g(grain) WHERE {r(fact.moment)} IS NOT NULL AND ({r(fact.condition)}) GROUP BY 1, 2, 3, 4, 5, 6, 7")
    return (f"WITH kept AS ({_STAGE_INSERT} RETURNING detected, region, type, source, origin, industry), "
            f"counted AS ({deltas}) SELECT count(*) FROM kept")


def _copy_leads(conn: sa.Connection, rows: list[tuple[int, str, tuple[object, ...]]], counted: bool = False) -> int:
    """PostgreSQL (psycopg): the rows by COPY into a temporary table of the same column types, then one
    `INSERT … SELECT … ON CONFLICT DO NOTHING` in their order (ids as before). One statement's row count says
    how many were new: the caller looks for re-filed leads only when some were not. A psycopg error is raised
    as SQLAlchemy's (the caller's savepoint rolls back, the temporary table with it). `counted`: the cube trigger
    muted for the INSERT, whose statement writes the kept rows' deltas itself (`_stage_insert_counted`)."""
    import psycopg

    driver = conn.connection.driver_connection
    assert driver is not None  # a live connection: the session is in its transaction
    cursor = driver.cursor()
    try:
        cursor.execute(_STAGE_SQL)
        with cursor.copy(_STAGE_COPY) as copy:
            for n, (_id, _region, values) in enumerate(rows):
                copy.write_row((n, *values))
        if counted:
            cursor.execute("SELECT set_config(%s, 'on', true)", (CUBE_COUNTED_SETTING,))
            cursor.execute(_stage_insert_counted())
            inserted = cursor.fetchone()[0]  # type: ignore[index]
            cursor.execute("SELECT set_config(%s, 'off', true)", (CUBE_COUNTED_SETTING,))
        else:
            cursor.execute(_STAGE_INSERT)
            inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {_STAGE}")
    except psycopg.Error as exc:
        raise sa.exc.DBAPIError.instance(_STAGE_INSERT, None, exc, psycopg.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()
    return int(inserted)


class _CountAgain(Exception):  # noqa: N818 - not an error: the rows go in again with the trigger counting them
    """Raised inside the savepoint of a muted insert that kept fewer rows than it was given."""


def _insert_leads(session: Session, rows: list[tuple[int, str, tuple[object, ...]]], now: dt.datetime,
                  guarded: bool = False) -> int:
    """`_insert_lead_rows` (the name a chunk's parts and halves go through)."""
    return _insert_lead_rows(session, rows, now, guarded)


def _insert_lead_rows(session: Session, rows: list[tuple[int, str, tuple[object, ...]]], now: dt.datetime,
                      guarded: bool) -> int:
    """Insert leads idempotently, one per uuid and per natural key; a row the database refuses is quarantined.

    The whole chunk goes in under one savepoint (SQLite: multi-row INSERTs of 500 rows; PostgreSQL:
    COPY into a temporary table and one INSERT … SELECT); if the database refuses it, the chunk is split in halves until the
    refused rows are alone, and those are quarantined. Returns how many leads were inserted (not
    those kept already), or -1 when the driver does not say (then the caller looks them up).

    `guarded`: the leads table's cube trigger can be muted (`_cube_guarded`). Then the rows go in with it muted and
    their count-cube deltas are written as one row per key instead of three rows per lead. PostgreSQL: by the
    INSERT statement itself, over the rows it kept (`_stage_insert_counted`). SQLite: worked out from the rows
    (`_cube_deltas`); if the database kept fewer rows than it was given (a lead filed before), or a moment is one
    the deltas are not worked out for here, the savepoint is rolled back and the rows go in again with the trigger
    counting each one (SQLite gives the same ids again; PostgreSQL's sequence would not, hence its own way).
    """
    if not rows:
        return 0
    dialect = session.get_bind().dialect
    mark = placeholder(dialect)
    deltas = _cube_deltas(rows) if guarded and dialect.name == "sqlite" else None
    try:
        inserted = 0
        with session.begin_nested():  # the SAVEPOINT is emitted when the connection is asked for inside it
            conn = session.connection()
            if deltas is not None:
                _mute_sqlite_cube(conn, mark, True)
            if dialect.name == "postgresql" and dialect.driver == "psycopg":
                return _copy_leads(conn, rows, guarded)
            elif dialect.name != "sqlite":  # a pipelined executemany; its row count is not relied on
                conn.exec_driver_sql(_leads_sql(mark, 1), [v for _i, _r, v in rows])
                return -1
            else:
                for start in range(0, len(rows), _LEADS_PER_INSERT):
                    part = rows[start:start + _LEADS_PER_INSERT]
                    result = conn.exec_driver_sql(_leads_sql(mark, len(part)),
                                                  tuple(itertools.chain.from_iterable(v for _i, _r, v in part)))
                    inserted += max(0, int(result.rowcount or 0))
            if deltas is not None:
                if inserted != len(rows):
                    raise _CountAgain
                _mute_sqlite_cube(conn, mark, False)
                conn.exec_driver_sql(_DELTAS_SQL.format(mark=mark), deltas)
        return inserted
    except _CountAgain:
        return _insert_lead_rows(session, rows, now, False)
    except sa.exc.DBAPIError as exc:
        if len(rows) == 1:
            uplink_id, region, values = rows[0]
            reason = f"the database refused the lead: {str(exc.orig).splitlines()[0][:500]}"
            quarantine(session, uplink_id, region, "lead", str(values[_UUID_AT]), reason, now)
            return 0
    half = len(rows) // 2
    first = _insert_leads(session, rows[:half], now, guarded)
    second = _insert_leads(session, rows[half:], now, guarded)
    return -1 if first < 0 or second < 0 else first + second


# The count cube (national/reports, regional/reports/cube.py): the leads table's insert trigger appends three delta
# rows (day, week, month) a lead. Alembic n_cube_counted_by_writer lets the projection mute it for its own inserts —
# SQLite: while this node_state key exists in the writer's transaction; PostgreSQL: while this transaction-local
# setting is 'on' — and write the same counts as one delta row per key.
CUBE_COUNTED_BY_WRITER = "cube_counted_by_writer"
CUBE_COUNTED_SETTING = "hufu.cube_counted"
_DELTAS_SQL = ("INSERT INTO lead_count_deltas (grain, bucket, measure, area, type, source, industry, n) "
               "VALUES ({mark}, {mark}, 'detected', {mark}, {mark}, {mark}, {mark}, {mark})")
_DETECTED_AT, _TYPE_AT, _SOURCE_AT, _ORIGIN_AT, _INDUSTRY_AT = (
    LEAD_COLUMNS.index(c) for c in ("detected", "type", "source", "origin", "industry"))
_CHINA = dt.timedelta(hours=8)  # the cube's buckets are days in China (UTC+8), as the trigger's '+8 hours'


def _cube_guarded(conn: sa.Connection) -> bool:
    """Whether the leads table's cube trigger is the one the projection can mute (the Alembic revision is in, and
    the trigger is there: a bulk load may have taken it off, then nothing is counted here either)."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'trg_leads_cube_insert'"
        key = CUBE_COUNTED_BY_WRITER
    elif conn.dialect.name == "postgresql":
        sql = ("SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
               "WHERE t.tgname = 'trg_leads_cube' AND c.relname = 'leads' AND c.relnamespace = "
               "to_regnamespace(current_schema())::oid")
        key = CUBE_COUNTED_SETTING
    else:
        return False
    text = conn.exec_driver_sql(sql).scalar()
    return text is not None and key in text


def _mute_sqlite_cube(conn: sa.Connection, mark: str, on: bool) -> None:
    conn.exec_driver_sql(f"INSERT INTO node_state (key, value) VALUES ({mark}, '1')" if on
                         else f"DELETE FROM node_state WHERE key = {mark}", (CUBE_COUNTED_BY_WRITER,))


def _cube_deltas(rows: list[tuple[int, str, tuple[object, ...]]]) -> list[tuple[object, ...]] | None:
    """SQLite: the cube's delta rows for these lead rows, one per key with its count — the sums the insert
    trigger's three rows a lead add up to (its bucket, area, type, source and industry expressions, worked out
    here) — or None when a row's moment is not an aware datetime of an ordinary year or could be rounded into the
    next second by SQLite's date() (then the trigger counts). (PostgreSQL: `_stage_insert_counted`.)

    Counted in three steps, each over fewer keys than the one before: the rows per (moment, area, type, source,
    origin, industry) (a C-level count), those per (China day, area, type, source, industry), then each of those
    under its day, week and month. Real leads are each detected at their own moment (to the microsecond), so the
    first step's keys are as many as the rows: only the day is worked out per moment, the three buckets' texts
    once per day (tests/unit/test_cube_deltas_sync24.py holds the rows and their order to the plain spelling)."""
    values = list(map(_ROW_VALUES, rows))
    per_moment = Counter(zip(map(_DETECTED, values), map(_REGION, rows), map(_TYPE, values), map(_SOURCE, values),
                             map(_ORIGIN, values), map(_INDUSTRY, values), strict=True))
    per_day: dict[tuple[Any, ...], int] = {}
    utc, datetime = dt.UTC, dt.datetime
    for (moment, region, kind, source, origin, industry), n in per_moment.items():
        if type(moment) is not datetime or moment.tzinfo is None or moment.microsecond >= 999_000:
            return None
        if moment.tzinfo is not utc:  # the projection's rows are in UTC already (`_lead_builder`)
            moment = moment.astimezone(utc)
        if not 2 <= moment.year <= 9998:
            return None
        key = ((moment + _CHINA).date(), "" if region is None else region, kind,
               "holder_request" if origin == "holder_request" else ("" if source is None else source),
               0 if industry is None else industry)
        per_day[key] = per_day.get(key, 0) + n
    sums: dict[tuple[Any, ...], int] = {}
    for (day, *rest), n in per_day.items():
        for grain, bucket in (("d", day), ("w", day - dt.timedelta(days=day.weekday())), ("m", day.replace(day=1))):
            k = (grain, bucket.isoformat(), *rest)
            sums[k] = sums.get(k, 0) + n
    return [(*k, n) for k, n in sums.items()]


_ROW_VALUES, _REGION = operator.itemgetter(2), operator.itemgetter(1)
_DETECTED, _TYPE, _SOURCE, _ORIGIN, _INDUSTRY = map(operator.itemgetter, (_DETECTED_AT, _TYPE_AT, _SOURCE_AT,
                                                                          _ORIGIN_AT, _INDUSTRY_AT))


def _alias_redone_leads(session: Session, rows: list[tuple[int, str, tuple[object, ...]]], now: dt.datetime) -> int:
    """Leads not stored under their own uuid were filed before under another one: remember the alias."""
    uuids = [str(v[_UUID_AT]) for _i, _r, v in rows]
    if not uuids:
        return 0
    present = set(session.scalars(sa.select(NationalLead.uuid).where(NationalLead.uuid.in_(uuids))))
    quarantined = set(session.scalars(sa.select(QuarantinedRecord.uuid).where(QuarantinedRecord.uuid.in_(uuids))))
    aliases = 0
    for _id, region, row in rows:
        values = dict(zip(LEAD_COLUMNS, row, strict=True))
        uuid = str(values["uuid"])
        if uuid in present or uuid in quarantined:
            continue
        kept = session.scalar(sa.select(NationalLead.id).where(
            NationalLead.region == region, NationalLead.listing_id == values["listing_id"],
            NationalLead.right_number == values["right_number"], NationalLead.type == values["type"]))
        if kept is None:
            continue
        session.execute(_insert(session, LeadAlias).values(uuid=uuid, lead_id=kept, region=region, at=now)
                        .on_conflict_do_nothing(index_elements=["uuid"]))
        aliases += 1
    if aliases:
        log.info("%d lead(s) filed again under new uuids recognised by their natural key and kept once", aliases)
    return aliases


def _adapted(dialect: sa.Dialect, value: dt.datetime) -> object:
    """`value` as the driver would store it when handed the object: on SQLite the string sqlite3's registered
    datetime adapter makes (every lead of a chunk shares its receipt time: adapted once, not once per row);
    elsewhere the object itself."""
    if dialect.name != "sqlite":
        return value
    import sqlite3

    adapt = sqlite3.adapters.get((dt.datetime, sqlite3.PrepareProtocol))
    return adapt(value) if adapt is not None else value


def project_leads(session: Session, now: dt.datetime, limit: int = 5_000) -> int:
    """Unpack newly filed records — leads into the leads table, case feedback into cases — idempotently.

    A record that cannot be applied (it breaks a field limit, the database refuses it, its
    projector fails) is quarantined with the reason and the projection moves on: one bad record
    never stops the others. Returns how many records were read (0 when caught up).
    """
    conn = session.connection()
    dialect = conn.dialect
    mark = placeholder(dialect)
    # plain DB-API statements: no per-row result processing, nothing compiled per engine (the bench and a restarted
    # worker start with a fresh one)
    cursor = conn.exec_driver_sql(_CURSOR_SQL.format(mark), (PROJECTION_CURSOR,)).scalar()
    rows = conn.exec_driver_sql(
        f"SELECT id, region, record, kind, status, limits_checked FROM uplink_records WHERE id > {mark} "
        f"ORDER BY id LIMIT {mark}",
        (int(cursor) if cursor is not None else 0, limit)).fetchall()
    if not rows:
        return 0
    stamp = NationalLead.__table__.c.received_at.type.bind_processor(dialect)
    received = stamp(now) if stamp is not None else _adapted(dialect, now)
    build = _lead_builder(received, now, stamp)
    guarded = _cube_guarded(conn)
    others: list[tuple[int, str, str, sync_pb2.Record]] = []
    parts: Iterable[_Unpacked]
    if dialect.name != "sqlite":  # one COPY a chunk
        parts = [_unpack(rows, build)]
    else:  # a multi-row INSERT a part
        parts = (_unpack(rows[k:k + _LEADS_PER_INSERT], build) for k in range(0, len(rows), _LEADS_PER_INSERT))
    for leads, part_others, problems in parts:
        for uplink_id, region, kind, uuid, reason in problems:
            quarantine(session, uplink_id, region, kind, uuid, reason, now)
        inserted = _insert_leads(session, leads, now, guarded)
        if inserted < 0 or inserted < len(leads):  # some were kept before (or quarantined just now), or unknown
            _alias_redone_leads(session, leads, now)
        others.extend(part_others)
    for uplink_id, region, kind, record in others:
        try:
            with session.begin_nested():
                PROJECTORS[kind](session, region, record, now)
        except Exception as exc:  # noqa: BLE001 - any failure quarantines this record only
            quarantine(session, uplink_id, region, kind, record.uuid, f"{type(exc).__name__}: {exc}", now)
    session.connection().exec_driver_sql(_CURSOR_SET_SQL.format(mark=mark), (PROJECTION_CURSOR, str(rows[-1][0])))
    return len(rows)


_Unpacked = tuple[list[tuple[int, str, tuple[object, ...]]], list[tuple[int, str, str, sync_pb2.Record]],
                  list[tuple[int, str, str, str, str]]]


def _unpack(rows: Sequence[Sequence[Any]], build: Callable[[sync_pb2.Record, str], tuple[object, ...]]) -> _Unpacked:
    """Stored uplink rows parsed: (the lead rows to insert, the other records to project, the records to quarantine
    with the reason). Touches no session."""
    leads: list[tuple[int, str, tuple[object, ...]]] = []
    others: list[tuple[int, str, str, sync_pb2.Record]] = []
    problems: list[tuple[int, str, str, str, str]] = []
    applied = RecordStatus.APPLIED.value
    checked_now = limits.LIMITS_FINGERPRINT
    record_type = sync_pb2.Record
    for uplink_id, region, body, kind, status, checked in rows:
        if status != applied or (kind != "lead" and kind not in PROJECTORS):
            continue
        record = record_type()
        try:
            record.ParseFromString(body)
        except DecodeError as exc:
            problems.append((uplink_id, region, kind, "", f"the stored record cannot be parsed: {exc}"))
            continue
        if kind == "lead":
            # ingest refused every record over a limit before storing it; a record stored without that check
            # (before it existed, or by hand) or checked under other limits is checked here
            if checked != checked_now and not limits.valid("Lead", record.lead):
                errors = limits.validate("Lead", record.lead, limits.record_label(record), "lead.")
                problems.append((uplink_id, region, kind, record.uuid, "; ".join(str(e) for e in errors[:3])))
                continue
            leads.append((uplink_id, region, build(record, region)))
        else:
            others.append((uplink_id, region, kind, record))
    return leads, others, problems


_CURSOR_SQL = "SELECT value FROM node_state WHERE key = {}"
_CURSOR_SET_SQL = ("INSERT INTO node_state (key, value) VALUES ({mark}, {mark}) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def _tune(session: Session) -> None:
    """SQLite: the projection's connection gets the page cache of a case-formation cycle (national/cases.py
    CYCLE_CACHE_KIB; the worker's cycle sets it before projecting, national/node.py). With SQLite's default 2 MB a
    chunk's dirty pages (its rows and every index they touch) spill from the cache into the WAL before the commit and
    are written again at it, and pages read are read again: 52k page writes and 23k reads per 20k bench leads
    against 34.5k and 15k."""
    from national.cases import tune_connection

    tune_connection(session)


def project_pending(db: Database, now: Callable[[], dt.datetime], chunk: int = 5_000) -> int:
    """Project everything filed so far, one committed transaction per chunk (short write locks).

    Python's cyclic garbage collector is paused meanwhile (as for a case-formation cycle, national/node.py): a
    chunk allocates tens of thousands of short-lived containers (fetched rows, records, row tuples) that reference
    counting frees, and the collector walked them and every object alive several times a chunk."""
    paused = gc.isenabled()
    gc.disable()
    try:
        total = 0
        while True:
            with db.transaction() as session:
                _tune(session)
                n = project_leads(session, now(), chunk)
            if not n:
                return total
            total += n
    finally:
        if paused:
            gc.enable()


def canonical_lead(session: Session, uuid: str) -> NationalLead | None:
    """The national lead a region's lead uuid stands for (itself, or the lead it was filed again as)."""
    lead = session.scalar(sa.select(NationalLead).where(NationalLead.uuid == uuid))
    if lead is not None:
        return lead
    alias = session.get(LeadAlias, uuid)
    return session.get(NationalLead, alias.lead_id) if alias is not None else None
