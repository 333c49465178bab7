"""The one declaration of every synced field's limits, and the check that applies them.

Every field that crosses between nodes (the sync.v1 payloads a region files, the values of
the RPC messages) and every imported listing field that becomes one is declared here once:
its type, its maximum length in characters and in UTF-8 bytes, the characters it may hold,
URL schemes, numeric ranges and date formats. The lengths match the columns that store the
field in the national and regional databases (`columns`; tests/unit/test_limits.py checks
them against both schemas), so a value that passes here never fails a database write.

Used at every edge: the regional importer and web forms (before anything is stored), the
outbox (before a record is numbered), and the national ingest (before a batch is
acknowledged). Errors name the record and the field:

    >>> errors = validate("Lead", {"listing_id": "x" * 300}, "lead 7d0c…")
    >>> str(errors[0])
    'lead 7d0c…: field listing_id is 300 characters long; at most 200 are allowed'

Pure: no database, no network, no clock.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import zlib
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from google.protobuf.message import Message

# ---------------------------------------------------------------- protocol-wide limits

MAX_BATCH_RECORDS = 500  # records per uplink batch (also sync.envelope.MAX_BATCH_RECORDS)
MAX_BATCH_BYTES = 1024 * 1024  # sum of record bytes per uplink batch
MAX_RECORD_BYTES = 256 * 1024  # one serialized Record: always fits a batch with room to spare
MAX_MESSAGE_BYTES = 8 * 1024 * 1024  # gRPC message limit on both ends (sync.transport)
MAX_UINT63 = 2**63 - 1  # sequences, cursors, heads: stored as signed 64-bit (BIGINT)
MAX_INT32 = 2**31 - 1  # epochs, revisions: stored as INTEGER
MAX_PULL_ITEMS = 1000  # downlink items per Pull
MAX_RECONCILE_RANGES = 200  # ranges per Reconcile call
MAX_RECONCILE_SPAN = 10_000  # sequences one range may cover
MAX_RECONCILE_SEQUENCES = 200_000  # sequences one Reconcile call may cover in all

# Enumerations carried as text. The regional enums (regional.domain) must stay within these;
# tests/unit/test_limits.py checks it, so a new kind is added here first.
LEAD_TYPES = ("trademark", "counterfeit_patent", "design", "invention")
LISTING_SOURCES = ("ecommerce", "exhibition", "customs", "complaint")
LEAD_STATES = ("new", "confirmed", "dismissed", "need_info", "pending_review", "excluded")
CASE_FEEDBACK_STATUSES = ("accepted", "investigating", "confirmed", "dismissed", "closed", "note")
REVIEW_OUTCOMES = ("confirmed", "excluded")  # final judgements (regional.review.core.Decision)
EXCLUSION_REASONS = ("licensed_seller", "genuine_goods", "different_goods", "not_similar", "other")
LEAD_ORIGINS = ("monitoring", "launch", "holder_request")  # regional.domain.LeadOrigin
CASE_STEPS = ("filed", "investigating", "handling", "closed")  # regional.casework.core.CaseState
CASE_RESULTS = ("penalised", "ordered_to_stop", "mediated", "transferred", "no_violation", "withdrawn")

_ALLOWED_IN_TEXT = "\t\n\r"


class Kind(StrEnum):
    """What a field holds, which decides the checks applied to it."""

    LINE = "line"  # one line of text: no control character except tab
    TEXT = "text"  # free text: tab, line feed and carriage return allowed, no other control character
    IDENT = "ident"  # an identifier: one line, no surrounding spaces, no invisible format characters
    URL = "url"  # an absolute http:// or https:// URL, no spaces
    ENUM = "enum"  # one of `choices`
    UUID = "uuid"  # RFC 4122 text form, 36 characters
    REGION = "region"  # a GB/T 2260 province code: six digits
    SHA256 = "sha256"  # 64 lowercase hex digits
    MEDIA_TYPE = "media_type"  # type/subtype
    DATETIME = "datetime"  # ISO 8601 date-time (datetime.fromisoformat)
    DATE = "date"  # ISO 8601 date
    JSON = "json"  # a JSON document
    REASON_CODE = "reason_code"  # a ReasonCode message: code (identifier, <= 64) and params_json (object, <= 4 KiB)
    FLOAT = "float"  # a finite number in [minimum, maximum]
    INT = "int"  # an integer in [minimum, maximum]
    BYTES = "bytes"  # raw bytes of at most max_bytes (0 = any), or exactly minimum..maximum bytes


_TEXT_KINDS = frozenset({Kind.LINE, Kind.TEXT, Kind.IDENT, Kind.URL, Kind.ENUM, Kind.UUID, Kind.REGION,
                         Kind.SHA256, Kind.MEDIA_TYPE, Kind.DATETIME, Kind.DATE, Kind.JSON})


@dataclass(frozen=True)
class FieldLimit:
    """The limits of one field. Text kinds: an empty string means "absent" unless `required`."""

    kind: Kind
    max_chars: int = 0  # text kinds: the column size in characters (0 = no text length)
    max_bytes: int = 0  # text kinds: UTF-8 bytes (default 4 x max_chars)
    required: bool = False  # text must not be empty or blank; numbers must be given
    choices: tuple[str, ...] = ()  # ENUM
    minimum: float | None = None  # FLOAT, INT
    maximum: float | None = None  # FLOAT, INT
    max_items: int = 0  # > 0: a repeated field of at most this many items, each checked
    columns: tuple[str, ...] = ()  # "node:table.column" that store the field, same size
    help: str = ""  # the rule in words, for docs and forms

    @property
    def byte_limit(self) -> int:
        """The UTF-8 byte limit (explicit, or four bytes per allowed character)."""
        return self.max_bytes or 4 * self.max_chars


@dataclass(frozen=True)
class FieldError:
    """One field of one record that breaks its limit."""

    record: str  # e.g. "lead record 6a1d… (sequence 42)", "line 17"
    field: str  # dotted path, e.g. "lead.seller.phone"
    message: str  # the rule broken, e.g. "is 300 characters long; at most 200 are allowed"

    def __str__(self) -> str:
        return f"{self.record}: field {self.field} {self.message}"


class LimitError(ValueError):
    """Raised by `require`: one or more fields break their limits; `errors` lists them all."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}")


def _line(chars: int, *cols: str, required: bool = False, help: str = "") -> FieldLimit:
    return FieldLimit(Kind.LINE, chars, required=required, columns=cols, help=help)


def _ident(chars: int, *cols: str, required: bool = True) -> FieldLimit:
    return FieldLimit(Kind.IDENT, chars, required=required, columns=cols)


def _url(chars: int, *cols: str) -> FieldLimit:
    return FieldLimit(Kind.URL, chars, columns=cols, help="an http:// or https:// URL")


def _enum(choices: tuple[str, ...], *cols: str, required: bool = True) -> FieldLimit:
    return FieldLimit(Kind.ENUM, max(len(c) for c in choices), required=required, choices=choices, columns=cols)


# Nested messages are named by a string: the key of another entry of SPECS.
Spec = Mapping[str, "FieldLimit | str"]

SELLER: Spec = {
    "name": _line(300, "national:leads.seller_name", "regional:sellers.name"),
    "uscc": _line(32, "national:leads.seller_uscc", "regional:sellers.uscc"),
    "phone": _line(64, "national:leads.seller_phone", "regional:sellers.phone"),
    "address": FieldLimit(Kind.TEXT, 500, columns=("national:leads.seller_address", "regional:sellers.address")),
    "shop_url": _url(1000, "regional:sellers.shop_url"),
}

LEAD: Spec = {
    "listing_id": _ident(200, "national:leads.listing_id", "regional:listings.id"),
    "right": _ident(64, "national:leads.right_number", "regional:leads.right_number"),
    "type": _enum(LEAD_TYPES, "national:leads.type"),
    "score": FieldLimit(Kind.FLOAT, minimum=0.0, maximum=1.0, help="a number from 0 to 1"),
    "reasons": FieldLimit(Kind.TEXT, 2000, max_items=32, help="at most 32 reasons of at most 2,000 characters"),
    "reason_codes": FieldLimit(Kind.REASON_CODE, max_items=32,
                               help="at most 32 reason codes, each an identifier with a JSON object of parameters"),
    "model_version": _ident(64, "national:leads.model_version", "regional:leads.model_version", required=False),
    "seller": "Seller",
    "listing_title": FieldLimit(Kind.TEXT, 1000, columns=("national:leads.listing_title", "regional:listings.title")),
    "listing_url": _url(2000, "national:leads.listing_url", "regional:listings.url"),
    "platform": _line(100, "national:leads.platform", "regional:listings.platform"),
    "source": _enum(LISTING_SOURCES, required=False),
    "right_title": FieldLimit(Kind.TEXT, 500, columns=("national:leads.right_title", "regional:registry_rights.title")),
    "detected_at": FieldLimit(Kind.DATETIME, 40, columns=("national:leads.detected_at",)),
    "state": _enum(LEAD_STATES, required=False),
    "origin": _enum(LEAD_ORIGINS, "national:leads.origin", required=False),
    "industry": FieldLimit(Kind.INT, minimum=0, maximum=45, help="a Nice class from 1 to 45, or 0 when unknown"),
    "city": FieldLimit(Kind.REGION, 6, columns=("national:leads.city", "regional:leads.city")),
}

FILING: Spec = {
    "subject": _line(200, required=True),
    "body_json": FieldLimit(Kind.JSON, 200_000, max_bytes=200_000, help="a JSON document of at most 200,000 bytes"),
}

REVIEW_OUTCOME: Spec = {
    "lead_uuid": FieldLimit(Kind.UUID, 36, required=True, columns=("national:review_outcomes.lead_uuid",)),
    "outcome": _enum(REVIEW_OUTCOMES, "national:review_outcomes.outcome"),
    "officer": _line(100, "national:review_outcomes.officer", required=True),
    "reason": FieldLimit(Kind.TEXT, 2000, columns=("national:review_outcomes.reason",)),
    "reason_code": _enum(EXCLUSION_REASONS, "national:review_outcomes.reason_code", required=False),
    "decided_at": FieldLimit(Kind.DATETIME, 40),
    "detected_at": FieldLimit(Kind.DATETIME, 40),
    "second_reviewer": _line(100, "national:review_outcomes.second_reviewer"),
    "model_version": FieldLimit(Kind.IDENT, 64, columns=("national:review_outcomes.model_version",)),
}

CASE_FEEDBACK: Spec = {
    "case_uuid": FieldLimit(Kind.UUID, 36, required=True),
    "status": _enum(CASE_FEEDBACK_STATUSES, "national:case_events.feedback"),
    "note": FieldLimit(Kind.TEXT, 5000, help="at most 5,000 characters"),
    "officer": _line(100, "national:case_events.officer"),
    "step": _enum(CASE_STEPS, required=False),
    "result": _enum(CASE_RESULTS, required=False),
}

EVIDENCE_DIGEST: Spec = {
    "lead_uuid": FieldLimit(Kind.UUID, 36, required=True),
    "sha256": FieldLimit(Kind.SHA256, 64, required=True),
    "media_type": FieldLimit(Kind.MEDIA_TYPE, 100),
    # evidence (issue 10): the signed manifest, its place in the region's log, the region log's signed head
    "manifest": FieldLimit(Kind.BYTES, max_bytes=200_000, help="a canonical JSON manifest of at most 200,000 bytes"),
    "manifest_signature": FieldLimit(Kind.BYTES, max_bytes=64, help="an Ed25519 signature (64 bytes)"),
    "log_index": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
    "region_head": FieldLimit(Kind.TEXT, 4000, help="a C2SP checkpoint note of at most 4,000 characters"),
}

TOMBSTONE: Spec = {
    "kind": _ident(32, required=True),
    "reason": FieldLimit(Kind.TEXT, 1000, required=True),
    "sha256": FieldLimit(Kind.SHA256, 64, required=True),
    "size": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
}

MONTHLY_REPORT: Spec = {
    "month": FieldLimit(Kind.LINE, 7, required=True, columns=("national:region_reports.month",
                                                               "regional:monthly_reports.month"),
                        help="YYYY-MM"),
    "revision": FieldLimit(Kind.INT, minimum=0, maximum=MAX_INT32),
    "office": _line(100, "national:region_reports.office"),
    "generated_at": FieldLimit(Kind.DATETIME, 40),
    "generated_by": _line(100, "national:region_reports.generated_by", "regional:monthly_reports.generated_by"),
    "figures_json": FieldLimit(Kind.JSON, 200_000, max_bytes=200_000, required=True,
                               help="a JSON document of at most 200,000 bytes"),
}

# An e-mark revoked at its issuing region (issue 14); the national node sends it to every region.
EMARK_EVENT: Spec = {
    "mark_id": FieldLimit(Kind.IDENT, 24, required=True, columns=("regional:emarks.mark_id",)),
    "event": _enum(("revoked",)),
    "right": _ident(64, "regional:emarks.right_number"),
    "product": _line(200, "regional:emarks.product", required=True),
    "reason": _line(500, "regional:emarks.revoked_reason", required=True),
    "at": FieldLimit(Kind.DATETIME, 40, required=True),
    "officer": _line(100, "regional:emarks.revoked_by"),
}

# Issue 14: an exhibitor with infringements confirmed at a show (regional:exhibitor_flags on the way down).
EXHIBITOR_INFRINGEMENT: Spec = {
    "exhibitor": _line(300, "regional:exhibitor_flags.name", "regional:exhibitors.name", required=True),
    "uscc": _line(18, "regional:exhibitor_flags.uscc", "regional:exhibitors.uscc"),
    "exhibition": _line(200, "regional:exhibitor_flags.exhibition", "regional:exhibitions.name", required=True),
    "exhibition_code": _ident(40, "regional:exhibitor_flags.exhibition_code", "regional:exhibitions.code"),
    "ends_on": FieldLimit(Kind.DATE, 10),
    "infringements": FieldLimit(Kind.INT, minimum=0, maximum=1_000_000),
    "summary": FieldLimit(Kind.TEXT, 1000, columns=("regional:exhibitor_flags.summary",)),
    "region": FieldLimit(Kind.REGION, 6, columns=("regional:exhibitor_flags.region",)),
}

RECORD: Spec = {
    "region": FieldLimit(Kind.REGION, 6, required=True, columns=("national:uplink_records.region",)),
    "epoch": FieldLimit(Kind.INT, minimum=1, maximum=MAX_INT32),
    "sequence": FieldLimit(Kind.INT, minimum=1, maximum=MAX_UINT63),
    "uuid": FieldLimit(Kind.UUID, 36, required=True, columns=("national:uplink_records.uuid",
                                                                 "regional:outbox.uuid")),
    "revision": FieldLimit(Kind.INT, minimum=1, maximum=MAX_INT32),
    "created_at": FieldLimit(Kind.DATETIME, 40),
}

# The payload kinds of Record.payload and their specs. A new kind is one line here plus one
# in national/ingest.py's dispatch table.
PAYLOADS: dict[str, str] = {
    "lead": "Lead",
    "filing": "Filing",
    "review_outcome": "ReviewOutcome",
    "case_feedback": "CaseFeedback",
    "evidence_digest": "EvidenceDigest",
    "tombstone": "Tombstone",
    "monthly_report": "MonthlyReport",
    "emark_event": "EmarkEvent",
    "exhibitor_infringement": "ExhibitorInfringement",
}

HELLO: Spec = {
    "region": FieldLimit(Kind.REGION, 6, required=True),
    "epoch": FieldLimit(Kind.INT, minimum=0, maximum=MAX_INT32),  # 0 = 1 (a region that never fenced)
    "software": _line(100),
    "outbox_head": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
    "oldest_unsent_at": FieldLimit(Kind.DATETIME, 40),
    "acked": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
    "acked_leaf": FieldLimit(Kind.BYTES, max_bytes=32, help="empty or a 32-byte SHA-256 leaf hash"),
    "epoch_grant": FieldLimit(Kind.BYTES, max_bytes=256, help="empty or the national node's signature"),
}

DIVERGENCE: Spec = {
    "reason": FieldLimit(Kind.TEXT, 1000),
    "outbox_head": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
    "national_high_water": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
}

RESTORE_REQUEST: Spec = {
    "epoch": FieldLimit(Kind.INT, minimum=0, maximum=MAX_INT32 - 1),
    "operator": _line(100, required=True),
    "reason": FieldLimit(Kind.TEXT, 1000),
    "outbox_head": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
    "acked": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
}

PULL_REQUEST: Spec = {
    "after_cursor": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
    "max_items": FieldLimit(Kind.INT, minimum=0, maximum=2**32 - 1),  # served at most MAX_PULL_ITEMS
}

RANGE_DIGEST: Spec = {
    "first": FieldLimit(Kind.INT, minimum=1, maximum=MAX_UINT63),
    "last": FieldLimit(Kind.INT, minimum=1, maximum=MAX_UINT63),
    "count": FieldLimit(Kind.INT, minimum=0, maximum=MAX_UINT63),
}

RECONCILE_REQUEST: Spec = {
    "epoch": FieldLimit(Kind.INT, minimum=0, maximum=MAX_INT32),
}

# An imported listing (formats.md "Listings"), the regional columns that store it; the fields a
# lead carries have the same limits as in LEAD. Used by the importer and the web forms.
LISTING: Spec = {
    "id": LEAD["listing_id"],
    "title": FieldLimit(Kind.TEXT, 1000, required=True, columns=("regional:listings.title",
                                                                  "national:leads.listing_title")),
    "platform": LEAD["platform"],
    "url": LEAD["listing_url"],
    "description": FieldLimit(Kind.TEXT, 20_000, help="at most 20,000 characters"),
    "price": FieldLimit(Kind.FLOAT, minimum=0.0, maximum=1e12),
    "currency": _line(8, "regional:listings.currency"),
    "category": _line(200, "regional:listings.category"),
    "images": FieldLimit(Kind.LINE, 2000, max_items=50, help="at most 50 image URLs or paths"),
    "observed_at": FieldLimit(Kind.DATETIME, 40),
    "seller": "Seller",
}

SPECS: dict[str, Spec] = {
    "Record": RECORD,
    "Lead": LEAD,
    "Seller": SELLER,
    "Filing": FILING,
    "ReviewOutcome": REVIEW_OUTCOME,
    "CaseFeedback": CASE_FEEDBACK,
    "EvidenceDigest": EVIDENCE_DIGEST,
    "Tombstone": TOMBSTONE,
    "MonthlyReport": MONTHLY_REPORT,
    "EmarkEvent": EMARK_EVENT,
    "ExhibitorInfringement": EXHIBITOR_INFRINGEMENT,
    "Hello": HELLO,
    "Divergence": DIVERGENCE,
    "RestoreRequest": RESTORE_REQUEST,
    "PullRequest": PULL_REQUEST,
    "RangeDigest": RANGE_DIGEST,
    "ReconcileRequest": RECONCILE_REQUEST,
    "Listing": LISTING,
}

# Raise when a check itself changes in a way the declarations do not show (a pattern, a kind's rule, the
# generated code); every declaration above is part of LIMITS_FINGERPRINT already.
# 2: a date-time's moment must lie between 0001-01-02 and 9999-12-30 in UTC (`_moment`); records stored under 1 are
# checked again by the lead projection.
CHECKS_REVISION = 2


def _fingerprint() -> int:
    """A number that changes whenever a declared limit (or CHECKS_REVISION) changes; 31 bits (an SQL integer)."""
    declared = [(name, sorted(spec.items(), key=lambda item: item[0])) for name, spec in sorted(SPECS.items())]
    text = repr((CHECKS_REVISION, MAX_RECORD_BYTES, sorted(PAYLOADS.items()), declared))
    return zlib.crc32(text.encode()) & 0x7FFF_FFFF


# The national ingest stores it with every record it checked (uplink_records.limits_checked): the lead
# projection re-checks only records stored before ingest checked them, or checked under other limits.
LIMITS_FINGERPRINT = _fingerprint()

# ---------------------------------------------------------------- checks of one value

_CONTROL_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# invisible format characters that make two identifiers look equal (bidi controls, zero widths, BOM)
_FORMAT_CHARS = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_REGION = re.compile(r"[0-9]{6}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")
_URL = re.compile(r"(?i)https?://[^\s/?#@]+(@[^\s/?#@]+)?([/?#]\S*)?")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _text_problem(limit: FieldLimit, value: str) -> str | None:
    """The broken rule of a text value that is not empty, or None."""
    n = len(value)
    if limit.max_chars and n > limit.max_chars:
        return f"is {n:,} characters long; at most {limit.max_chars:,} are allowed"
    pattern = _CONTROL_TEXT if limit.kind is Kind.TEXT or limit.kind is Kind.JSON else _CONTROL_LINE
    bad = pattern.search(value)
    if bad is not None:
        ch = bad.group()
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return f"is not valid UTF-8 (an unpaired surrogate {_describe(ch)} at character {bad.start() + 1})"
        if ch == "\x00":
            return f"contains a NUL character (U+0000) at character {bad.start() + 1}"
        if limit.kind is Kind.TEXT or limit.kind is Kind.JSON:
            return f"contains the control character {_describe(ch)} at character {bad.start() + 1}"
        return (f"contains the control character {_describe(ch)} at character {bad.start() + 1} "
                "(this field is one line of text)")
    return _kind_problem(limit, value)


def _kind_problem(limit: FieldLimit, value: str) -> str | None:
    """The broken rule of a non-empty text value of the right length and characters, or None."""
    byte_limit = limit.byte_limit
    if byte_limit and len(value) * 4 > byte_limit:  # only then can the UTF-8 form be too long
        size = len(value.encode("utf-8"))
        if size > byte_limit:
            return f"is {size:,} bytes in UTF-8; at most {byte_limit:,} are allowed"
    kind = limit.kind
    if kind is Kind.LINE or kind is Kind.TEXT:
        return None
    if kind is Kind.IDENT:
        if value != value.strip():
            return "must not begin or end with spaces"
        fmt = _FORMAT_CHARS.search(value)
        if fmt is not None:
            return f"contains the invisible character {_describe(fmt.group())} at character {fmt.start() + 1}"
        return None
    if kind is Kind.ENUM:
        return None if value in limit.choices else f"must be one of {', '.join(limit.choices)}"
    if kind is Kind.URL:
        if _URL.fullmatch(value):
            return None
        scheme = _SCHEME.match(value)
        if scheme is not None and scheme.group(1).lower() not in ("http", "https"):
            return f"must be an http:// or https:// URL, not a {scheme.group(1).lower()}: URL"
        if any(c.isspace() for c in value):
            return "must be an http:// or https:// URL without spaces (percent-encode them as %20)"
        return "must be an absolute http:// or https:// URL with a host, like https://shop.example.cn/item/1"
    if kind is Kind.UUID:
        return None if _UUID.fullmatch(value) else "must be a UUID like 6a1d3c1e-0000-4000-8000-000000000001"
    if kind is Kind.REGION:
        return None if _REGION.fullmatch(value) else "must be a six-digit GB/T 2260 region code like 440000"
    if kind is Kind.SHA256:
        return None if _SHA256.fullmatch(value) else "must be a SHA-256 digest: 64 lowercase hex digits"
    if kind is Kind.MEDIA_TYPE:
        return None if _MEDIA_TYPE.fullmatch(value) else "must be a media type like image/jpeg"
    if kind is Kind.DATETIME:
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return "must be an ISO 8601 date-time like 2026-11-02T10:00:00+08:00"
        try:
            _moment(value)
        except ValueError:
            return _MOMENT_RANGE
        return None
    if kind is Kind.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "must be an ISO 8601 date like 2031-05-27"
        return None
    if kind is Kind.JSON:
        try:
            json.loads(value)
        except ValueError as exc:
            return f"is not valid JSON ({exc.__class__.__name__} at character {getattr(exc, 'pos', 0) + 1})"
        except RecursionError:
            return "is JSON nested too deeply"
        return None
    return None


# The moments a date-time may stand for: its day exists in every time zone (the national cube counts a lead under
# its day in China, UTC+8; PostgreSQL stores year 10000, which psycopg and Python cannot read back).
_FIRST_MOMENT = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
_LAST_MOMENT = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
_MOMENT_RANGE = ("is outside the moments accepted: in UTC it must be from 0001-01-02 to 9999-12-30 (so that its "
                 "day exists in every time zone, China's UTC+8 among them)")


def _moment(value: str) -> dt.datetime:
    """`datetime.fromisoformat(value)`, raising ValueError also when its moment (a naive one read as UTC, as the
    projection reads it) falls outside [0001-01-02, 9999-12-31) UTC. Only a value of year 1 or 9999 can."""
    moment = dt.datetime.fromisoformat(value)
    if moment.year == 9999 or moment.year == 1:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
        try:
            inside = _FIRST_MOMENT <= aware < _LAST_MOMENT
        except OverflowError:  # the offset moves it outside Python's years
            inside = False
        if not inside:
            raise ValueError(_MOMENT_RANGE)
    return moment


def _parses(parse: Any) -> Any:
    def ok(value: str) -> bool:
        try:
            parse(value)
        except (ValueError, RecursionError):  # nested deeper than the parser goes: not acceptable JSON
            return False
        return True

    return ok


# Whether a non-empty text value of the right length and characters also keeps its kind's rule
# (the fast path; `_kind_problem` says which rule when not).
_KIND_OK: dict[Kind, Any] = {
    Kind.IDENT: lambda value: (not value[0].isspace() and not value[-1].isspace()
                               and (value.isascii() or _FORMAT_CHARS.search(value) is None)),
    Kind.URL: lambda value: _URL.fullmatch(value) is not None,
    Kind.UUID: lambda value: _UUID.fullmatch(value) is not None,
    Kind.REGION: lambda value: _REGION.fullmatch(value) is not None,
    Kind.SHA256: lambda value: _SHA256.fullmatch(value) is not None,
    Kind.MEDIA_TYPE: lambda value: _MEDIA_TYPE.fullmatch(value) is not None,
    Kind.DATETIME: _parses(_moment),
    Kind.DATE: _parses(dt.date.fromisoformat),
    Kind.JSON: _parses(json.loads),
}


def _number_problem(limit: FieldLimit, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "must be a number"
    if limit.kind is Kind.INT and not isinstance(value, int):
        return "must be a whole number"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    lo, hi = limit.minimum, limit.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        lo_s = f"{lo:g}" if isinstance(lo, float) else f"{lo}"
        hi_s = f"{hi:g}" if isinstance(hi, float) else f"{hi}"
        return f"is {value}; it must be from {lo_s} to {hi_s}"
    return None


_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


def _reason_code_problem(value: object) -> str | None:
    """A detection reason as data (web/auth fields 30-34): a code and a JSON object of parameters."""
    code = _get(value, "code") if isinstance(value, Mapping) or hasattr(value, "code") else None
    params = _get(value, "params_json") if isinstance(value, Mapping) or hasattr(value, "params_json") else None
    if not isinstance(code, str) or not 0 < len(code) <= 64 or not _REASON_CODE.match(code):
        return "has a code that is not an identifier of at most 64 characters (e.g. tm.lookalike)"
    params = params or ""
    if not isinstance(params, str) or len(params.encode("utf-8")) > 4096:
        return "has parameters over 4,096 bytes"
    if params:
        try:
            parsed = json.loads(params)
        except ValueError:
            return "has parameters that are not JSON"
        except RecursionError:
            return "has parameters nested too deeply"
        if not isinstance(parsed, dict):
            return "has parameters that are not a JSON object"
    return None


_SCAN_JSON = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner json.loads itself ends in (py_make_scanner without _json)
_JSON_SPACE = " \t\n\r"  # what json.loads skips around a document


def _json_object(text: str) -> bool:
    """Whether `text` is a JSON object (the parameters of a reason code): `isinstance(json.loads(text), dict)`.

    The same answer as json.loads without its Python wrapper (two regex calls and the decoder's
    frames): skip JSON white space, the document must open with `{`, the scanner reads one value,
    only white space may follow. A leading BOM is refused as json.loads refuses it (not `{`).
    """
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    if text[start:start + 1] != "{":
        return False
    try:
        _value, end = _SCAN_JSON(text, start)
    except (StopIteration, ValueError, RecursionError):
        return False
    return end == len(text) or not text[end:].strip(_JSON_SPACE)


def check(limit: FieldLimit, value: object) -> str | None:
    """The rule `value` breaks (a phrase to put after the field's name), or None when it is within limits.

    `None` and "" mean absent: a problem only when the field is required.
    """
    if limit.max_items:
        if value is None:
            return None
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            return "must be a list"
        items = list(value)
        if len(items) > limit.max_items:
            return f"has {len(items):,} items; at most {limit.max_items:,} are allowed"
        single = FieldLimit(limit.kind, limit.max_chars, limit.max_bytes, False, limit.choices, limit.minimum,
                            limit.maximum)
        for i, item in enumerate(items):
            problem = check(single, item)
            if problem is not None:
                return f"item {i + 1} {problem}"
        return None
    if limit.kind is Kind.REASON_CODE:
        return _reason_code_problem(value)
    if limit.kind is Kind.BYTES:
        if value is None or value == b"":
            return "must not be empty" if limit.required else None
        if not isinstance(value, bytes):
            return "must be bytes"
        if limit.max_bytes and len(value) > limit.max_bytes:
            return f"is {len(value):,} bytes; at most {limit.max_bytes:,} are allowed"
        return None
    if limit.kind in _TEXT_KINDS:
        if value is None or value == "":
            return "must not be empty" if limit.required else None
        if not isinstance(value, str):
            return "must be text"
        if limit.required and not value.strip():
            return "must not be empty"
        return _text_problem(limit, value)
    if value is None:
        return "is required" if limit.required else None
    if limit.kind is Kind.BYTES:
        if not isinstance(value, (bytes, bytearray)):
            return "must be bytes"
        if limit.max_bytes and len(value) > limit.max_bytes:
            return f"is {len(value):,} bytes long; at most {limit.max_bytes:,} are allowed"
        return None
    return _number_problem(limit, value)


# ---------------------------------------------------------------- checks of records


def _get(values: Message | Mapping[str, Any], name: str) -> Any:
    if isinstance(values, Mapping):
        return values.get(name)
    return getattr(values, name)


def _has(values: Message | Mapping[str, Any], name: str) -> bool:
    if isinstance(values, Mapping):
        return values.get(name) is not None
    try:
        return values.HasField(name)
    except ValueError:  # a scalar field: proto3 has no presence
        return True


def validate(spec: str | Spec, values: Message | Mapping[str, Any] | None, record: str,
             prefix: str = "") -> list[FieldError]:
    """Every field of `values` (a protobuf message or a dict) that breaks `spec`, naming `record`.

    `spec` is a key of SPECS ("Lead", "Listing", …) or a spec mapping. Fields not in the spec
    are not checked; dict values that are None count as absent.
    """
    rules = SPECS[spec] if isinstance(spec, str) else spec
    errors: list[FieldError] = []
    if values is None:
        return errors
    for name, limit in rules.items():
        path = f"{prefix}{name}"
        if isinstance(limit, str):
            if not _has(values, name):
                continue
            inner = _get(values, name)
            if isinstance(values, Mapping) and not isinstance(inner, Mapping):
                errors.append(FieldError(record, path, "must be an object"))
                continue
            errors.extend(validate(limit, inner, record, f"{path}."))
            continue
        problem = check(limit, _get(values, name))
        if problem is not None:
            errors.append(FieldError(record, path, problem))
    return errors


def _compile(spec_name: str, payload: str | None = None) -> Any:
    """Generate a function that only answers "is this protobuf message within every limit of the spec?".

    Ingest checks every record of every batch, so the common case (nothing wrong) must cost a few
    microseconds: the generated code reads each field once, checks all lengths in one expression,
    searches the joined one-line fields and the joined free-text fields for control characters in
    one regex call each, applies each kind's rule inline, and checks nested messages in the same
    function (no call per message). When it says no, `validate` names each broken field.

    With `payload` ("lead", …), the function checks a Record and the payload of that name in one
    pass (what ingest asks of every record).
    """
    env: dict[str, Any] = {"CTRL_LINE": _CONTROL_LINE, "CTRL_TEXT": _CONTROL_TEXT, "check": check,
                           "FORMAT": _FORMAT_CHARS.search}
    body: list[str] = []
    counter = [0]
    _emit(spec_name, "m", env, body, "    ", counter)
    if payload is not None:
        body.append(f"    p = m.{payload}")
        _emit(PAYLOADS[payload], "p", env, body, "    ", counter)
    lines = ["def ok(m):", *body, "    return True"]
    exec("\n".join(lines), env)  # noqa: S102 - code generated from the declarations above, no outside input
    return env["ok"]


_ISO_PARSE = {Kind.DATETIME: _moment, Kind.DATE: dt.date.fromisoformat}
_FULLMATCH = {Kind.URL: _URL, Kind.UUID: _UUID, Kind.REGION: _REGION, Kind.SHA256: _SHA256,
              Kind.MEDIA_TYPE: _MEDIA_TYPE}
# Kinds whose own rule admits only printable ASCII (a declared choice; a pattern of ASCII letters, digits and
# punctuation): a value that keeps it holds no control, invisible or non-ASCII character, so the batch check
# leaves such columns out of its control-character scans (the per-record check scans them: the same answer).
_CLEAN = frozenset({Kind.ENUM, Kind.UUID, Kind.REGION, Kind.SHA256, Kind.MEDIA_TYPE})
_INLINE_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def _every_fullmatch(pattern: re.Pattern[str]) -> Any:
    """`every(values)`: whether every non-empty value of a column fullmatches `pattern` — one regex call over the
    distinct values joined by line feeds instead of one call per value (each call costs more than the matching).

    A value holding a line feed is refused (counted: the joined text then has more than one feed between
    values); the pattern itself never matches a line feed (`tests/unit/test_limits.py` checks it for each kind), so
    the joined text matches iff each value does.
    """
    body = _INLINE_FLAGS.sub("", pattern.pattern)
    joined = re.compile(f"(?:{body})(?:\n(?:{body}))*", pattern.flags).fullmatch

    def every(column: Iterable[str]) -> bool:
        values = list(filter(None, set(column)))
        if not values:
            return True
        text = "\n".join(values)
        return text.count("\n") == len(values) - 1 and joined(text) is not None

    return every


@dataclass(frozen=True)
class _Rule:
    """One limit of one field, spelled twice in one place: for the field's value `{v}` in one message (the
    per-record check, `_compile`; `{joined}`: a repeated text field's items joined) and for the column `{c}` of
    the field's values over a batch of messages (the batch check, `_compile_columns`; `{items}`: a repeated
    field's items of every message, chained).

    `form` "test": each spelling is a condition that holds when the limit is broken; "raises": an expression
    that raises ValueError when it is; "lines": statements that `return False` when it is. `column` None: the
    batch check does not cover this rule (it then answers False for the kind: "not sure", ask record by record).
    `length`: a plain length test (the per-record check joins a message's into one `or`).
    """

    value: str | tuple[str, ...]
    column: str | tuple[str, ...] | None
    form: str = "test"
    length: bool = False


@dataclass(frozen=True)
class _Field:
    """Every check of one field, for both generated checks."""

    rules: tuple[_Rule, ...]
    scan: str | None = None  # "line" / "text": searched for control characters in one joined text (all fields)
    formats: bool = False  # an identifier: also searched for invisible format characters (joined too)
    items: bool = False  # a repeated field: the batch check chains its items; text items are what is scanned


def _field(limit: FieldLimit, i: int, env: dict[str, Any]) -> _Field:
    """The checks of one field (number `i` in the generated code; its constants go into `env`)."""
    if limit.max_items:
        count = _Rule(f"len({{v}}) > {limit.max_items}", f"max(map(len, {{c}})) > {limit.max_items}")
        if limit.kind in (Kind.TEXT, Kind.LINE):
            chars = _Rule(f"len({{joined}}) > {limit.max_chars} and max(map(len, {{v}})) > {limit.max_chars}",
                          # a byte limit below 4 bytes a character is not declared for a list so far
                          f"{{items}} and max(map(len, {{items}})) > {limit.max_chars}"
                          if limit.byte_limit >= 4 * limit.max_chars else None)
            return _Field((count, chars), scan="text" if limit.kind is Kind.TEXT else "line", items=True)
        if limit.kind is Kind.REASON_CODE:  # the rules of _reason_code_problem, per item / every item at once
            env.update(REASON_CODE=_REASON_CODE.match, JSON_OBJECT=_json_object, RC_GET=attrgetter("code", "params_json"),
                       SCAN=_SCAN_JSON, DICT=frozenset({dict}), repeat=repeat, RC_RAW=_reason_codes_from_raw)
            per_item = (
                "for rc in {v}:",
                "    c = rc.code",
                "    if not 0 < len(c) <= 64 or REASON_CODE(c) is None: return False",
                "    pj = rc.params_json",
                "    if pj and ((len(pj) * 4 > 4096 and len(pj.encode('utf-8')) > 4096) or not JSON_OBJECT(pj)): "
                "return False")
            every = (
                "if {items}:",
                # elements read as their bytes (national ingest's RecordList): each distinct one parsed once
                "    if type({items}[0]) is bytes:",
                "        {items} = RC_RAW({items})",
                "        if {items} is None: return False",
                "    codes, params = zip(*map(RC_GET, {items}))",
                "    if not all(codes) or max(map(len, codes)) > 64 or not all(map(REASON_CODE, set(codes))):",
                "        return False",
                "    params = [p for p in set(params) if p]",  # each distinct text scanned once
                "    if params:",
                "        if max(map(len, params)) * 4 > 4096: return False",  # not sure: the per-record check decides
                "        try:",
                "            scanned = list(map(SCAN, params, repeat(0)))",
                "        except (ValueError, RecursionError):",
                "            return False",
                "        if len(scanned) != len(params): return False",  # StopIteration ended the map
                "        values, ends = zip(*scanned)",
                "        if set(map(type, values)) != DICT or tuple(map(len, params)) != ends:",
                "            return False")
            return _Field((count, _Rule(per_item, every, form="lines")), items=True)
        env[f"L{i}"], env["check"] = limit, check  # another repeated kind: the general check, per record only
        return _Field((_Rule(f"{{v}} and check(L{i}, {{v}}) is not None", None),))
    if limit.kind is Kind.BYTES:
        most = limit.max_bytes or MAX_MESSAGE_BYTES
        return _Field((_Rule(f"len({{v}}) > {most}", f"max(map(len, {{c}})) > {most}"),))
    if limit.kind not in _TEXT_KINDS:  # a number: NaN fails every comparison; min/max skip it, hence isnan_any
        env[f"lo{i}"] = -math.inf if limit.minimum is None else limit.minimum
        env[f"hi{i}"] = math.inf if limit.maximum is None else limit.maximum
        env["isnan_any"] = _isnan_any
        return _Field((_Rule(f"not lo{i} <= {{v}} <= hi{i}",
                             f"min({{c}}) < lo{i} or max({{c}}) > hi{i} or isnan_any({{c}})"),))
    rules: list[_Rule] = []
    if limit.max_chars:
        rules.append(_Rule(f"len({{v}}) > {limit.max_chars}", f"max(map(len, {{c}})) > {limit.max_chars}",
                           length=True))
    if limit.required:  # `not v.strip()`: empty or only white space
        rules.append(_Rule("not {v} or {v}.isspace()", "not all({c}) or any(map(str.isspace, {c}))"))
    if limit.kind is Kind.ENUM:  # "" is absent (refused above when required)
        env[f"C{i}"] = frozenset((*limit.choices, ""))
        rules.append(_Rule(f"{{v}} not in C{i}", f"not C{i}.issuperset({{c}})"))
    elif limit.kind is Kind.IDENT:  # no white space at either end (strip() would change nothing); formats: joined
        rules.append(_Rule("{v} and ({v}[0].isspace() or {v}[-1].isspace())", "tuple(map(str.strip, {c})) != {c}"))
    elif limit.kind in _FULLMATCH:
        env[f"F{i}"], env[f"FJ{i}"] = _FULLMATCH[limit.kind].fullmatch, _every_fullmatch(_FULLMATCH[limit.kind])
        rules.append(_Rule(f"{{v}} and F{i}({{v}}) is None", f"not FJ{i}({{c}})"))
    elif limit.kind in _ISO_PARSE:  # inline: no wrapper call per value
        env[f"P{i}"], env["deque"] = _ISO_PARSE[limit.kind], deque
        rules.append(_Rule(f"P{i}({{v}}) if {{v}} else None", f"deque(map(P{i}, filter(None, set({{c}}))), 0)",
                           form="raises"))
    elif limit.kind in _KIND_OK:
        env[f"K{i}"] = _KIND_OK[limit.kind]
        rules.append(_Rule(f"{{v}} and not K{i}({{v}})", f"not all(map(K{i}, filter(None, set({{c}}))))"))
    if limit.max_bytes and limit.max_bytes < 4 * limit.max_chars:
        most = limit.max_bytes
        rules.append(_Rule(f"len({{v}}) * 4 > {most} and len({{v}}.encode('utf-8')) > {most}",
                           f"max(map(len, {{c}})) * 4 > {most} and max(map(len, map(str.encode, {{c}}))) > {most}"))
    return _Field(tuple(rules), scan="text" if limit.kind in (Kind.TEXT, Kind.JSON) else "line",
                  formats=limit.kind is Kind.IDENT)


def _reason_codes_from_raw(raw: list[bytes]) -> list[Message] | None:
    """The distinct ReasonCode messages among elements read as their serialized bytes (a repeated ReasonCode
    field declared `repeated bytes`: national ingest's RecordList); None when one does not parse (invalid wire
    format or UTF-8) — the batch check then says "not sure" and the record-by-record check decides."""
    from google.protobuf.message import DecodeError

    from sync.v1.sync_pb2 import ReasonCode

    out: list[Message] = []
    for data in set(raw):
        message = ReasonCode()
        try:
            message.ParseFromString(data)
        except DecodeError:
            return None
        out.append(message)
    return out


def _named(text: str, **names: str) -> str:
    """`text` with its placeholders ({v}, {c}, {items}) named."""
    for key, value in names.items():
        text = text.replace(f"{{{key}}}", value)
    return text


def _spelled(form: str, spelling: str | tuple[str, ...], **names: str) -> list[str]:
    """A rule's statements, its placeholders named."""
    if form == "test":
        assert isinstance(spelling, str)
        return [f"if {_named(spelling, **names)}: return False"]
    if form == "raises":
        assert isinstance(spelling, str)
        return ["try:", f"    {_named(spelling, **names)}", "except ValueError:", "    return False"]
    return [_named(line, **names) for line in spelling]


def _scans(texts: dict[str, list[str]], join: Any) -> list[str]:
    """The searches over all the joined text of a message (or batch): `join` spells the join of a list of names."""
    out: list[str] = []
    if texts["formats"]:
        out += [f"j = {join(texts['formats'])}", "if not j.isascii() and FORMAT(j) is not None: return False"]
    # isprintable() (C, fast) is False for every control character and surrogate; only then the regex decides
    if texts["line"]:
        out += [f"j = {join(texts['line'])}", "if not j.isprintable() and CTRL_LINE.search(j): return False"]
    if texts["text"]:
        out += [f"j = {join(texts['text'])}", "if not j.isprintable() and CTRL_TEXT.search(j): return False"]
    return out


def _emit(spec_name: str, m: str, env: dict[str, Any], out: list[str], pad: str, counter: list[int]) -> None:
    """Append to `out` the checks of message `m` against SPECS[spec_name] (each failing one returns False)."""
    reads: list[str] = []
    lengths: list[str] = []
    tail: list[str] = []
    texts: dict[str, list[str]] = {"formats": [], "line": [], "text": []}
    nested: list[tuple[str, str]] = []
    for name, limit in SPECS[spec_name].items():
        counter[0] += 1
        if isinstance(limit, str):
            nested.append((name, limit))
            continue
        var, joined = f"v{counter[0]}", f"s{counter[0]}"
        reads.append(f"{var} = {m}.{name}")
        checks = _field(limit, counter[0], env)
        if checks.items and checks.scan:  # a list of texts: its items read once, joined
            reads.append(f"{joined} = ''.join({var})")
        for rule in checks.rules:
            if rule.length:
                assert isinstance(rule.value, str)
                lengths.append(_named(rule.value, v=var))
            else:
                tail += _spelled(rule.form, rule.value, v=var, joined=joined)
        if checks.scan:
            texts[checks.scan].append(joined if checks.items else var)
        if checks.formats:
            texts["formats"].append(var)
    out += [pad + r for r in reads]
    if lengths:
        out.append(f"{pad}if {' or '.join(lengths)}: return False")
    out += [pad + s for s in _scans(texts, " + ".join)]
    out += [pad + t for t in tail]
    for name, inner in nested:
        counter[0] += 1
        sub = f"n{counter[0]}"
        out.append(f"{pad}if {m}.HasField({name!r}):")
        out.append(f"{pad}    {sub} = {m}.{name}")
        _emit(inner, sub, env, out, pad + "    ", counter)


_FAST: dict[str, Any] = {}


def _fast(spec_name: str) -> Any:
    compiled = _FAST.get(spec_name)
    if compiled is None:
        compiled = _FAST[spec_name] = _compile(spec_name)
    return compiled


def record_checker(kind: str) -> Any:
    """A function `ok(record)`: whether a numbered sync Record whose payload is `kind` keeps every field limit.

    `kind` is a key of PAYLOADS. For such a record, `ok(record) and size <= MAX_RECORD_BYTES` is
    the same answer as `not validate_record(record, size=size)`, in one generated function (the
    ingest path asks it of every record; ask `validate_record` for the details when it says no).
    """
    key = f"Record+{kind}"
    compiled = _FAST.get(key)
    if compiled is None:
        compiled = _FAST[key] = _compile("Record", PAYLOADS[kind] and kind)
    return compiled


def _defaults_pass(spec_name: str) -> bool:
    """Whether an absent nested message (every field at its default: "", 0, empty) keeps every limit of the spec.

    Only then may a batch check read such a message's fields through the parent without asking HasField.
    """
    for limit in SPECS[spec_name].values():
        if isinstance(limit, str):
            if not _defaults_pass(limit):
                return False
        elif limit.max_items or limit.kind is Kind.BYTES:
            continue
        elif limit.kind in _TEXT_KINDS:
            if limit.required:
                return False
        elif not ((limit.minimum is None or limit.minimum <= 0) and (limit.maximum is None or 0 <= limit.maximum)):
            return False
    return True


def _isnan_any(values: Any) -> bool:
    return any(map(math.isnan, values))


def _compile_columns(payload: str) -> Any:
    """Generate `ok(records)`: whether EVERY numbered Record of a list (payload `payload`) keeps every limit.

    The per-record check (`record_checker`) costs tens of Python operations a record. This one reads
    the fields of every message a column at a time (`map` of one `operator.attrgetter` per field: the
    records', then their payloads', then the nested messages'), and checks
    each column with the batch spelling of the same rules (`_field`: a fixed number of calls whose loops run
    in C — lengths by `max(map(len, …))`, choices by a set, patterns by `map(fullmatch, …)`, dates by
    `map(fromisoformat, …)`, reason-code parameters by the JSON scanner), then control characters in one
    `isprintable()` over all the batch's one-line (resp. free) text. Its answer is one-sided: True only when
    every record passes the per-record check; False may also mean "not sure here" (a leading space before a
    JSON object, a text long enough for its UTF-8 size to matter): the caller then asks `record_checker`
    record by record, which decides, and `validate_record` names the broken fields. So the refusals, their
    order and their sentences are the per-record check's.
    """
    env: dict[str, Any] = {"CTRL_LINE": _CONTROL_LINE, "CTRL_TEXT": _CONTROL_TEXT, "FORMAT": _FORMAT_CHARS.search,
                           "chain": chain}
    body = [f"if not records: return [()] * {len(RECORD) + 1}"]
    leaves: list[tuple[str, FieldLimit]] = []

    def columns(spec: Spec, messages: str, extra: tuple[str, ...] = ()) -> list[str] | None:
        """Read one level's fields of every message, a column per field (one `map` of a flat attrgetter each: a
        dotted path costs ~3x), nested messages level by level; the column expressions of `extra` fields are
        returned. Columns with a pattern, a date or reason codes are checked once per distinct value (`set`)."""
        k = sum(name.startswith("G") for name in env)  # 0: the records' own level
        env[f"G{k}"] = tuple(map(attrgetter, [*spec, *extra]))  # a column of each: no rows to transpose
        body.append(f"t{k} = [tuple(map(get, {messages})) for get in G{k}]")
        for i, name in enumerate(spec):
            limit = spec[name]
            if isinstance(limit, str):
                if not _defaults_pass(limit) or columns(SPECS[limit], f"t{k}[{i}]") is None:
                    return None
            else:
                leaves.append((f"t{k}[{i}]", limit))
        return [f"t{k}[{len(spec) + i}]" for i in range(len(extra))]

    outer = columns(RECORD, "records", (payload,))
    if outer is None or columns(SPECS[PAYLOADS[payload]], outer[0]) is None:
        return None
    texts: dict[str, list[str]] = {"formats": [], "line": [], "text": []}
    for i, (column, limit) in enumerate(leaves):
        c, items = f"c{i}", f"items{i}"
        body.append(f"{c} = {column}")
        checks = _field(limit, i, env)
        for n, rule in enumerate(checks.rules):
            if rule.column is None:
                return None
            body += _spelled(rule.form, rule.column, c=c, items=items)
            if n == 0 and checks.items:  # the number of items first, then the items themselves
                body.append(f"{items} = list(chain.from_iterable({c}))")
        if limit.kind in _CLEAN:  # its rule admits printable ASCII only: nothing for the scans to find
            assert all(choice.isascii() and choice.isprintable() for choice in limit.choices)
        elif checks.scan:
            texts[checks.scan].append(items if checks.items else c)
        if checks.formats:
            texts["formats"].append(c)
    # one search per character class over the whole batch: a character is in the joined text iff in one field
    body += _scans(texts, lambda names: f"''.join(chain({', '.join(names)}))")
    body.append("return t0")  # the records' own columns (RECORD's fields, then the payloads)
    exec("\n".join(["def ok(records):", *("    " + line for line in body)]), env)  # noqa: S102 - generated from the declarations above
    return env["ok"]


_COLUMNS: dict[str, Any] = {}
_CHECKERS: dict[str, Any] = {}


def records_columns(kind: str) -> Any:
    """`records_checker(kind)` that also hands over what it read: a function `columns(records)` answering False
    when a record may break a limit (as `records_checker` answers False), else the records' columns — a list of
    one tuple per field of RECORD in its order (region, epoch, sequence, uuid, revision, created_at), then the
    tuple of the payloads — so a caller that needs the records' identities does not read them again."""
    compiled = _COLUMNS.get(kind)
    if compiled is None:
        compiled = _COLUMNS[kind] = _compile_columns(kind) or (lambda _records: False)
    return compiled


def records_checker(kind: str) -> Any:
    """A function `ok(records)` over a list of numbered sync Records whose payload is `kind` (a key of PAYLOADS).

    True: every record passes `record_checker(kind)` (the same limits). False: at least one may not — ask
    `record_checker` of each (which decides) and `validate_record` (which names the fields). A kind whose
    declarations it does not cover gets a function that always says False.
    """
    checker = _CHECKERS.get(kind)
    if checker is None:
        columns = records_columns(kind)

        def checker(records: list[Message]) -> bool:
            return columns(records) is not False

        _CHECKERS[kind] = checker
    return checker


def valid(spec_name: str, message: Message) -> bool:
    """Whether a protobuf message is within every limit of SPECS[spec_name] (fast; no details)."""
    return bool(_fast(spec_name)(message))


def record_label(record: Message, kind: str = "") -> str:
    """How errors name a sync record: its kind, uuid and, once numbered, its sequence."""
    kind = kind or (record.WhichOneof("payload") or "empty")
    uuid = record.uuid[:40] if _UUID.fullmatch(record.uuid or "") else repr(record.uuid[:40])
    where = f" (sequence {record.sequence})" if record.sequence else ""
    return f"{kind} record {uuid}{where}"


def validate_record(record: Message, *, size: int | None = None, label: str | None = None,
                    numbered: bool = True) -> list[FieldError]:
    """Every limit a sync.v1 Record breaks: its own fields, its payload's, and its serialized size.

    `numbered=False` skips region/epoch/sequence (a record checked before the outbox numbers it).
    `size` is the serialized size if the caller has the bytes already.
    """
    kind = record.WhichOneof("payload") or ""
    if size is None:
        size = record.ByteSize()
    if (numbered and kind in PAYLOADS and size <= MAX_RECORD_BYTES and _fast("Record")(record)
            and _fast(PAYLOADS[kind])(getattr(record, kind))):
        return []
    name = label or record_label(record, kind)
    errors: list[FieldError] = []
    rules = RECORD if numbered else {k: v for k, v in RECORD.items() if k not in ("region", "epoch", "sequence")}
    if not numbered and not record.revision:
        rules = {k: v for k, v in rules.items() if k != "revision"}
    errors.extend(validate(rules, record, name))
    if not kind:
        errors.append(FieldError(name, "payload", "is missing: a record carries one of "
                                 + ", ".join(PAYLOADS)))
    elif kind not in PAYLOADS:
        errors.append(FieldError(name, "payload", f"kind {kind} has no declared limits"))
    else:
        errors.extend(validate(PAYLOADS[kind], getattr(record, kind), name, f"{kind}."))
    if size > MAX_RECORD_BYTES:
        errors.append(FieldError(name, "record", f"is {size:,} bytes serialized; at most {MAX_RECORD_BYTES:,} "
                                               "are allowed"))
    return errors


def require(errors: list[FieldError]) -> None:
    """Raise LimitError when `errors` is not empty."""
    if errors:
        raise LimitError(errors)


def field_limit(path: str) -> FieldLimit:
    """The limit of a dotted field path such as "Lead.seller.phone" or "CaseFeedback.note" (for forms)."""
    spec_name, *names = path.split(".")
    spec: Spec = SPECS[spec_name]
    for i, name in enumerate(names):
        limit = spec[name]
        if isinstance(limit, str):
            spec = SPECS[limit]
            continue
        if i != len(names) - 1:
            raise KeyError(path)
        return limit
    raise KeyError(path)


def check_field(path: str, value: object, record: str) -> FieldError | None:
    """Check one value against the limit of `path` ("CaseFeedback.note"); the error names `record`."""
    problem = check(field_limit(path), value)
    return None if problem is None else FieldError(record, path.split(".", 1)[1], problem)


@dataclass(frozen=True)
class Summary:
    """The limits of one spec in words, for docs/sync-protocol.md and help texts."""

    spec: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def describe(limit: FieldLimit) -> str:
    """One limit in words."""
    parts: list[str] = []
    if limit.kind is Kind.BYTES:
        parts.append(f"bytes ≤ {limit.max_bytes:,}")
    elif limit.kind in _TEXT_KINDS:
        parts.append(limit.kind.value)
        if limit.max_chars:
            parts.append(f"≤ {limit.max_chars:,} chars / {limit.byte_limit:,} UTF-8 bytes")
    elif limit.kind is Kind.BYTES:
        parts.append(f"bytes, ≤ {limit.max_bytes:,}" if limit.max_bytes else "bytes")
    else:
        parts.append(f"{limit.kind.value} {limit.minimum:g}…{limit.maximum:g}"
                     if limit.kind is Kind.FLOAT else f"{limit.kind.value} {limit.minimum}…{limit.maximum}")
    if limit.choices:
        parts.append("one of " + "|".join(limit.choices))
    if limit.required:
        parts.append("required")
    if limit.max_items:
        parts.append(f"list of ≤ {limit.max_items}")
    return ", ".join(parts)


def summaries() -> list[Summary]:
    """Every spec's limits in words (docs/sync-protocol.md's table is generated from this)."""
    out = []
    for name, spec in SPECS.items():
        rows = [(key, f"message {value}" if isinstance(value, str) else describe(value)) for key, value in spec.items()]
        out.append(Summary(name, rows))
    return out
