"""Field limits of imported records: length, characters, list sizes, URL schemes.

Listings use `sync.limits.LISTING`, the declaration shared with the outbox and the national
ingest, so whatever is imported can always be filed with the national node. Registry records
are not synced as such: their limits are declared here, in the same terms, matching the
regional columns that store them (tests/unit/test_import_limits.py checks them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regional.formats.errors import RecordError
from sync import limits
from sync.limits import FieldLimit, Kind, Spec

MAX_NICE_CLASSES = 45
_NICE = FieldLimit(Kind.INT, minimum=1, maximum=45, max_items=MAX_NICE_CLASSES)


def _line(chars: int, *cols: str, required: bool = False) -> FieldLimit:
    return FieldLimit(Kind.LINE, chars, required=required, columns=cols)


def _ident(chars: int, *cols: str) -> FieldLimit:
    return FieldLimit(Kind.IDENT, chars, required=True, columns=cols)


_NUMBER = _ident(64, "regional:registry_rights.number")
_TITLE = FieldLimit(Kind.TEXT, 500, required=True, columns=("regional:registry_rights.title",))
_OWNER = _line(300, "regional:registry_rights.owner", required=True)
_STATUS = _line(32, "regional:registry_rights.status")

TRADEMARK: Spec = {
    "reg_no": _NUMBER,
    "mark": _TITLE,
    "owner": _OWNER,
    "status": _STATUS,
    "nice_classes": _NICE,
    "counterparts": FieldLimit(Kind.LINE, 100, max_items=10, help="at most 10 forms of at most 100 characters"),
}
PATENT: Spec = {
    "number": _NUMBER,
    "title": _TITLE,
    "owner": _OWNER,
    "status": _STATUS,
    "ipc": FieldLimit(Kind.LINE, 64, max_items=100),
    "claims": FieldLimit(Kind.TEXT, 100_000, help="at most 100,000 characters"),
}
DESIGN: Spec = {
    "number": _NUMBER,
    "title": _TITLE,
    "owner": _OWNER,
    "status": _STATUS,
    "locarno": _line(16, "regional:registry_rights.locarno"),
    "images": FieldLimit(Kind.LINE, 500, max_items=20, help="at most 20 image paths"),
}
LICENCE: Spec = {
    "right": _ident(64, "regional:licences.right_number"),
    "licensee": _line(300, "regional:licences.licensee", required=True),
    "licensee_uscc": _line(18, "regional:licences.licensee_uscc"),
}
REGISTRY: dict[str, Spec] = {
    "trademark": TRADEMARK,
    "invention": PATENT,
    "utility_model": PATENT,
    "design": DESIGN,
    "licence": LICENCE,
}
LISTING: Spec = {**limits.LISTING, "nice_classes": _NICE,
                 # the e-mark a listing shows (issue 14): kept at the region, checked when screened
                 "emark": FieldLimit(Kind.LINE, 2048, columns=("regional:listings.emark",),
                                     help="an e-mark's text of at most 2,048 characters")}


def limit_errors(spec: Spec, obj: Mapping[str, Any], *, file: str, line: int, record_id: str | None,
                 reported: set[str | None]) -> list[RecordError]:
    """The limits `obj` breaks, as RecordErrors; fields in `reported` (already wrong) are left out."""
    out = []
    for err in limits.validate(spec, obj, f"{file}:{line}"):
        if err.field in reported:
            continue
        reported.add(err.field)
        out.append(RecordError(file, line, record_id, err.field, err.message))
    return out
